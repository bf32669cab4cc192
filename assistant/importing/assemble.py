"""A read document (text, HTML or Word) → the imported draft: format, year, agency, cells, sections."""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import AssistantError
from ..facts import AgencyLevel, CellFact, CellStatus, Report, format_number
from ..formats import ReportFormat, format_for_year, get_format
from ..prompts import render_prompt
from ..textnorm import label_key, normalize_text
from .classify import table_kind
from .document import Block, Document
from .result import ImportResult
from .sections import Split, find_meta, section_text, split_sections, split_trailing_section6, strip_signature
from .segments import grid_rows, text_segments
from .tables import TABLE_NAMES, TableRead, TableReader, cell_notes, subtotal_values

TABLES = ("table2", "table3", "table4")
_REGION = {"s2": "table2", "s3": "table3", "s4": "table4"}
_T2_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")
_T2_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "采购项目数量",
    "采购总金额",
    "政府集中采购",
    "其他对外管理服务事项",
)
_T3_SPLIT = ("逾期不补正", "未按收费通知")
_ANCHORS = {
    "table2": ("第二十条", "信息内容"),
    "table3": ("勾稽关系", "申请人情况", "本年新收政府信息公开申请数量"),
    "table4": ("行政复议", "结果维持"),
}
_LEVEL_PATTERNS: tuple[tuple[re.Pattern[str], AgencyLevel], ...] = (
    (re.compile(r"(?:镇|乡|街道|街道办事处|镇人民政府|乡人民政府|苏木|民族乡)$"), AgencyLevel.TOWNSHIP),
    (re.compile(r"^[^省市]{1,12}(?:省|自治区)人民政府$"), AgencyLevel.PROVINCE_GOV),
    (re.compile(r"^[^省]{0,20}(?:县|区|旗)人民政府$"), AgencyLevel.COUNTY_GOV),
    (
        re.compile(r"^[^省市]{1,12}(?:省|自治区)[^县区市]{2,30}(?:厅|局|委员会|委|办公室|办)$"),
        AgencyLevel.PROVINCE_DEPT,
    ),
    (re.compile(r"^[^省]{0,20}(?:县|旗)[^县区市乡镇]{2,30}(?:局|委员会|委|办公室|办|中心)$"), AgencyLevel.COUNTY_DEPT),
)


def _normalise(doc: Document) -> None:
    seen: set[int] = set()
    for b in doc.blocks:
        if b.kind == "text":
            b.text = normalize_text(b.text)
        elif b.kind == "grid":
            for row in b.rows:
                for cell in row:
                    if id(cell) not in seen:
                        seen.add(id(cell))
                        cell.text = normalize_text(cell.text)


class _FormatChoice:
    def __init__(self, fmt: ReportFormat, table2_other: str | None, notes: list[str]) -> None:
        self.fmt = fmt
        self.table2_other = table2_other  # format id table 二 was printed in, when it is not the report's
        self.notes = notes


def choose_format(text: str, year: int | None) -> _FormatChoice:
    """Format from the year, cross-checked with the table labels (2019 vs 2021, 23 vs 25 rows)."""
    k = label_key(text)
    ev21 = sum(1 for w in _T2_2021 if w in k)
    ev19 = sum(1 for w in _T2_2019 if w in k)
    split = any(w in k for w in _T3_SPLIT)
    t3_present = "本年新收" in k or "予以公开" in k
    tab_fmt = "2019" if ev19 > ev21 else "2021" if ev21 > ev19 else None
    notes: list[str] = []
    table2_other: str | None = None
    if year is not None:
        fmt_id = format_for_year(year).id if year >= 2019 else "2019"
        if tab_fmt and tab_fmt != fmt_id:
            # the old template in a new year (or the reverse): read the tables as printed; the check reports F-1
            notes.append(
                f"表二的栏目是{get_format(tab_fmt).citation}的格式，但{year}年度应使用"
                f"{get_format(fmt_id).citation}的格式；已按刊印的格式导入，请按正确格式重新编制"
            )
            fmt_id = tab_fmt
    elif tab_fmt or split:
        fmt_id = tab_fmt or "2021"
        notes.append(f"文件中没有找到报告年度，按表格栏目判断为{get_format(fmt_id).citation}的格式，请补充报告年度")
    else:
        fmt_id = "2021"
        notes.append("文件中没有找到报告年度，也无法从表格判断格式，已按2021年现行格式导入，请核对报告年度")
    if fmt_id == "2021" and t3_present and not split and "其他处理" in k:
        fmt_id = "2021-23"
        notes.append("表三中“（六）其他处理”没有细分为三项，已按23行版式导入（表三（六）其他处理未细分）")
    if fmt_id == "2019" and split:
        notes.append("表三“（六）其他处理”分成了三项，这是2021年现行格式的写法，与2019试行格式不一致，这三项未导入")
    return _FormatChoice(get_format(fmt_id), table2_other, notes)


def _fallback_regions(blocks: list[Block]) -> dict[str, list[Block]]:
    """Without headings 二/三/四: cut the text at the first words of each table."""
    starts: dict[str, int] = {}
    for i, b in enumerate(blocks):
        if b.kind != "text":
            continue
        for t in TABLES:
            if t not in starts and any(a in b.text for a in _ANCHORS[t]):
                if t == "table4" and "table3" in starts and i < starts["table3"]:
                    continue
                starts[t] = i
    order = sorted(starts.items(), key=lambda x: x[1])
    regions: dict[str, list[Block]] = {}
    for n, (t, i) in enumerate(order):
        end = order[n + 1][1] if n + 1 < len(order) else len(blocks)
        regions[t] = [b for b in blocks[i:end] if b.kind != "grid"]
    return regions


def _table_missing_message(table: str, has_image: bool) -> str:
    name = TABLE_NAMES[table]
    if has_image:
        return render_prompt("import/table_image", table=name)
    return render_prompt("import/table_missing", table=name)


def _stated_total_warnings(report: Report) -> list[str]:
    """Totals printed in the source that differ from the sum of their parts."""
    out: list[str] = []
    fmt = report.fmt
    for key, fact in report.cells.items():
        if not fmt.parts_of(key) or fact.status not in (CellStatus.VALUE, CellStatus.CONFIRMED_ZERO):
            continue
        total = report.computed(key)
        stated = fact.numeric
        if total is not None and stated is not None and total != stated:
            spec = fmt.cell(key)
            out.append(
                f"{spec.display_label}原文为{format_number(stated)}，但各项之和为{format_number(total)}，"
                "请核对（导出时总计按各项之和计算）"
            )
    return out


def level_for(agency: str) -> AgencyLevel | None:
    """The agency level when its name makes it unambiguous ("…镇人民政府", "…县…局"); "…市…" is not
    (设区的市 or 县级市), so None."""
    for pattern, level in _LEVEL_PATTERNS:
        if agency and pattern.search(agency):
            return level
    return None


def build_import(doc: Document, *, report_year: int | None = None, ref: str | None = None) -> ImportResult:
    """Read tables and sections of a document into a draft, saying what could not be read."""
    _normalise(doc)
    blocks = doc.blocks
    kinds = {id(b): table_kind(b.grid_text()) for b in blocks if b.kind == "grid"}
    split: Split = split_sections(blocks)
    full_text = doc.all_text()
    pre_text = "\n".join(b.text for b in split.preamble if b.kind == "text")
    meta = find_meta(pre_text, full_text)
    warnings: list[str] = list(doc.notes)
    unread: list[str] = []
    year = meta.year
    if year is not None and report_year is not None and year != report_year:
        warnings.append(f"文件中的报告年度为{year}年，与指定的{report_year}年不一致，已按文件中的{year}年导入")
    if year is None:
        year = report_year
    choice = choose_format(full_text, year)
    fmt = choice.fmt
    warnings += choice.notes

    readers = {t: TableReader(fmt, t, ref=ref) for t in TABLES}
    has_image = dict.fromkeys(TABLES, False)
    table_headings_found = any(sid in split.headings for sid in _REGION)
    regions: dict[str, list[Block]]
    if table_headings_found:
        regions = {_REGION[sid]: split.sections.get(sid, []) for sid in _REGION}
    else:
        regions = _fallback_regions(blocks)
    region_ids = {id(b) for bs in regions.values() for b in bs}
    for t, region in regions.items():
        lines = [(b.text, b.where) for b in region if b.kind == "text"]
        has_image[t] = any(b.kind == "image" for b in region)
        if t == "table2" and choice.table2_other:
            continue
        for item in text_segments(lines):
            readers[t].feed_item(item)
    for b in blocks:
        if b.kind != "grid":
            continue
        t = kinds.get(id(b))
        if t is None or (t == "table2" and choice.table2_other):
            continue
        readers[t].start_grid()
        for row in grid_rows(b.rows, b.where):
            readers[t].feed_row(row)
    reads: dict[str, TableRead] = {t: readers[t].finish() for t in TABLES}

    cells: dict[str, CellFact] = {}
    for t in TABLES:
        read = reads[t]
        if t == "table2" and choice.table2_other:
            unread.append("表二：栏目与报告年度应使用的格式不一致，未导入（见提示）")
            continue
        if read.empty:
            unread.append(_table_missing_message(t, has_image[t]))
            continue
        cells.update(read.cells)
        unread += read.unread
        warnings += read.warnings
        warnings += cell_notes(fmt, read)
    subtotals, notes = subtotal_values(fmt, reads["table3"])
    warnings += notes

    sections: dict[str, str] = {}
    for sid in ("s1", "s5", "s6"):
        text = section_text([b for b in split.sections.get(sid, []) if id(b) not in region_ids])
        if text:
            sections[sid] = text
    last = next((sid for sid in ("s6", "s5", "s1") if sections.get(sid)), None)
    if last:  # a closing signature block (agency, date) is not section text
        sections[last] = strip_signature(sections[last])
        if not sections[last]:
            del sections[last]
    if "s6" not in split.headings and sections.get("s5"):
        cut = split_trailing_section6(sections["s5"])
        if cut:
            sections["s5"], sections["s6"] = cut
            warnings.append(render_prompt("import/section6_inferred", text=cut[1]))
    if not split.headings:
        if cells:
            warnings.append("内容中没有找到章节标题（如“一、总体情况”），只导入了表格")
    else:
        for sid, sec in ((s.id, s) for s in fmt.sections):
            if sec.kind == "narrative" and sid not in split.headings and sid not in sections:
                unread.append(f"没有找到“{sec.heading}”部分，该部分未导入")

    agency = "" if "未填" in meta.agency else meta.agency
    level = level_for(agency)
    if level is not None:
        warnings.append(f"根据单位名称“{agency}”判断单位层级为“{level.value}”，请核对")
    report = Report(
        agency=agency,
        level=level,
        report_year=year,
        format_id=fmt.id,
        cells=cells,
        sections=sections,
    )
    warnings += _stated_total_warnings(report)
    if subtotals:
        warnings += _subtotal_messages(report, subtotals)
    stats = {
        "cells_read": len(cells),
        "rows_found": sum(len(r.rows_found) for r in reads.values()),
    }
    return ImportResult(
        report=report,
        kind="report",
        source=doc.source,
        unread=unread,
        warnings=warnings,
        stats=stats,
        subtotals={
            g: {c: int(v) if v == v.to_integral_value() else float(v) for c, v in cols.items()}
            for g, cols in subtotals.items()
        },
    )


def _subtotal_messages(report: Report, subtotals: dict[str, dict[str, Decimal]]) -> list[str]:
    """T3-5 findings (helper A's check) for the subtotal rows, as warnings."""
    from ..checks import check_subtotals

    try:
        findings = check_subtotals(report, subtotals)
    except AssistantError as e:
        return [str(e)]
    return [f.message for f in findings if f.severity == "error"]
