"""The label-keyed facts JSON (reads like the printed tables) and the draft JSON: load, detect, write.

Label-keyed: ``{"agency", "report_year", "format", "level", "table2": {"<caption> / <row>": {"<col>": n}},
"table3": {...}, "table4": {...}, "sections": {"一、总体情况": "…"}, "narrative_facts": {...}}``.
``null`` means unknown; "不适用" / "/" / "—" mean not applicable.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import FormatError, InputError
from .facts import AgencyLevel, CellFact, CellStatus, LastYear, Provenance, Report, _to_decimal, validate_value
from .formats import FORMAT_2021_23, SECTIONS, ReportFormat, check_format_matches_year, format_for_year, get_format
from .labels import cell_key_for, match_column, match_row, match_section
from .textfile import read_text_file

TABLES = ("table2", "table3", "table4")
_NA_WORDS = {"不适用", "/", "／", "—", "-", "——", "－", "n/a", "N/A"}
_ZERO_WORDS = {"无", "零", "没有"}
MAX_FILE_BYTES = 20 * 1024 * 1024


def _json_number(v: Decimal | None) -> int | float | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def _cell_out(report: Report, key: str) -> int | float | str | None:
    fact = report.cell(key)
    if fact.status == CellStatus.NOT_APPLICABLE:
        return "不适用"
    if fact.status == CellStatus.VALUE:  # a stated total stays as stated: checks compare it with its parts
        return _json_number(fact.value)
    return _json_number(report.value(key))


def to_label_json(report: Report) -> dict[str, Any]:
    """The label-keyed facts JSON of a report (derived totals filled in where computable)."""
    fmt = report.fmt
    out: dict[str, Any] = {
        "agency": report.agency,
        "level": report.level.value if report.level else None,
        "report_year": report.report_year,
        "format": fmt.id,
    }
    for table in TABLES:
        rows: dict[str, dict[str, Any]] = {}
        for spec in fmt.table_cells(table):
            rows.setdefault(spec.row_json_key, {})[spec.col_json_key] = _cell_out(report, spec.key)
        out[table] = rows
    out["sections"] = {s.heading: report.sections.get(s.id, "") for s in SECTIONS if report.sections.get(s.id)}
    if report.narrative_facts:
        out["narrative_facts"] = dict(report.narrative_facts)
    return out


def _parse_cell_value(raw: Any, where: str) -> tuple[CellStatus, Decimal | None]:
    if raw is None:
        return CellStatus.UNKNOWN, None
    if isinstance(raw, str):
        s = raw.strip()
        if s == "":
            return CellStatus.UNKNOWN, None
        if s in _NA_WORDS:
            return CellStatus.NOT_APPLICABLE, None
        if s in _ZERO_WORDS:
            return CellStatus.CONFIRMED_ZERO, None
        s = s.removesuffix("件").removesuffix("万元").removesuffix("项").strip()
        raw = s
    try:
        d = _to_decimal(raw)
    except ValueError:
        raise InputError(f"{where}的值“{raw}”不是数字，请填写数字、null（未知）或“不适用”") from None
    return CellStatus.VALUE, d


def _detect_format(data: dict[str, Any], year: int | None) -> ReportFormat:
    raw = data.get("format")
    if raw not in (None, ""):
        fmt_id = str(raw).strip().removeprefix("国办公开办函〔").strip()
        aliases = {"2019试行": "2019", "试行": "2019", "〔2019〕60号": "2019", "〔2021〕30号": "2021"}
        fmt = get_format(aliases.get(fmt_id, fmt_id))
    elif year is not None:
        fmt = format_for_year(year)
    else:
        raise InputError("文件中既没有“report_year”（报告年度）也没有“format”（格式），无法确定使用哪一种表格格式")
    if fmt.id == "2021":
        rows = (data.get("table3") or {}).keys()
        if any(match_row(FORMAT_2021_23, "table3", r, fuzzy=False) == "（六）其他处理" for r in rows):
            fmt = FORMAT_2021_23  # a real-world 23-row table 三
    return fmt


def from_label_json(data: Any, *, source_ref: str | None = None) -> Report:
    """Read label-keyed facts; raise InputError naming every problem (unknown labels, bad values)."""
    if not isinstance(data, dict):
        raise InputError("文件内容应为一个 JSON 对象（{…}），请检查文件")
    year = data.get("report_year")
    if year is not None:
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise InputError(f"报告年度“{year}”不是有效年份") from None
    fmt = _detect_format(data, year)
    if year is not None:
        msg = check_format_matches_year(fmt.id, year)
        if msg:
            raise FormatError(msg)
    problems: list[str] = []
    cells: dict[str, CellFact] = {}
    prov = Provenance(source="import", ref=source_ref)
    for table in TABLES:
        block = data.get(table) or {}
        if not isinstance(block, dict):
            problems.append(f"“{table}”应为对象")
            continue
        tname = {"table2": "表二", "table3": "表三", "table4": "表四"}[table]
        for row_label, cols in block.items():
            row = match_row(fmt, table, row_label)
            if row is None:
                problems.append(f"{tname}中无法识别的行“{row_label}”")
                continue
            if not isinstance(cols, dict):
                problems.append(f"{tname}「{row_label}」应为{{列名: 数值}}")
                continue
            for col_label, raw in cols.items():
                col = match_column(fmt, table, col_label)
                key = cell_key_for(fmt, table, row, col) if col else None
                if key is None:
                    problems.append(f"{tname}「{row_label}」中无法识别的列“{col_label}”")
                    continue
                where = f"{tname}「{row}」{col}"
                try:
                    status, value = _parse_cell_value(raw, where)
                    if value is not None:
                        value = validate_value(fmt.cell(key), value)
                except InputError as e:
                    problems.append(str(e))
                    continue
                if status != CellStatus.UNKNOWN:
                    cells[key] = CellFact(status=status, value=value, provenance=prov)
    sections: dict[str, str] = {}
    for heading, text in (data.get("sections") or {}).items():
        sid = match_section(str(heading))
        if sid is None:
            problems.append(f"无法识别的章节标题“{heading}”")
        elif text:
            sections[sid] = str(text)
    if problems:
        shown = "；".join(problems[:12]) + ("；……" if len(problems) > 12 else "")
        raise InputError(f"文件中有{len(problems)}处问题：{shown}")
    level = data.get("level")
    try:
        return Report(
            agency=str(data.get("agency") or ""),
            level=AgencyLevel(level) if level else None,
            report_year=year,
            format_id=fmt.id,
            cells=cells,
            sections=sections,
            narrative_facts={str(k): str(v) for k, v in (data.get("narrative_facts") or {}).items()},
        )
    except (ValidationError, ValueError) as e:
        raise InputError(f"文件中的基本信息有误：{_first_error(e)}") from None


def _first_error(e: Exception) -> str:
    if isinstance(e, ValidationError):
        err = e.errors()[0]
        return f"{'.'.join(str(x) for x in err['loc'])}：{err['msg']}"
    return str(e)


def is_draft_json(data: Any) -> bool:
    return isinstance(data, dict) and "cells" in data and "schema_version" in data


def report_from_json(data: Any, *, source_ref: str | None = None) -> Report:
    """Either kind of JSON → Report."""
    if is_draft_json(data):
        try:
            return Report.model_validate(data)
        except ValidationError as e:
            raise InputError(f"草稿文件格式有误：{_first_error(e)}") from None
    return from_label_json(data, source_ref=source_ref)


def read_json_file(path: str | Path) -> Any:
    p = Path(path)
    text = read_text_file(p, max_bytes=MAX_FILE_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"文件“{p.name}”不是有效的 JSON（第{e.lineno}行第{e.colno}列附近有错误）") from None


def load_report(path: str | Path) -> Report:
    """Load a draft JSON or label-keyed facts JSON file."""
    return report_from_json(read_json_file(path), source_ref=Path(path).name)


def last_year_from_report(report: Report) -> LastYear:
    """Wrap a (previous year's) report as LastYear facts for cross-year checks."""
    fmt = report.fmt
    cells = {spec.key: CellFact(status=CellStatus.VALUE, value=v) for spec in fmt.cells().values()
             if (v := report.value(spec.key)) is not None}
    for key, fact in report.cells.items():
        if fact.status == CellStatus.NOT_APPLICABLE:
            cells[key] = fact
    return LastYear(report_year=report.report_year, format_id=fmt.id, cells=cells, sections=dict(report.sections))


def save_draft(report: Report, path: str | Path) -> None:
    Path(path).write_text(report.model_dump_json(indent=2), encoding="utf-8")
