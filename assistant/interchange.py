"""The label-keyed facts JSON (reads like the printed tables) and the draft JSON: load, detect, write.

Label-keyed: ``{"agency", "report_year", "format", "level", "table2": {"<caption> / <row>": {"<col>": n}},
"table3": {...}, "table4": {...}, "sections": {"一、总体情况": "…"}, "narrative_facts": {...}}``.
``null`` means unknown; "不适用" / "/" / "—" mean not applicable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks.core import Finding, Severity
from .errors import FormatError, InputError, ValueRejected
from .facts import (
    AgencyLevel,
    CellFact,
    CellStatus,
    LastYear,
    Provenance,
    Report,
    _to_decimal,
    amount_unit,
    validate_value,
)
from .formats import (
    FORMAT_2021_23,
    FORMATS,
    SECTIONS,
    ReportFormat,
    ValueKind,
    check_format_matches_year,
    format_for_year,
    get_format,
)
from .labels import cell_key_for, match_column, match_column_how, match_row, match_row_how, match_section_how
from .prompts import render_prompt
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
        if fact.unit and fact.value is not None:
            return fact.describe()  # an amount in the unit it was printed in: "73802895.9元"
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
    out["sections"].update({h: t for h, t in report.extra_sections.items() if h not in out["sections"]})
    if report.narrative_facts:
        out["narrative_facts"] = dict(report.narrative_facts)
    return out


_COUNT_UNITS = ("件次", "件", "项", "个", "次", "宗")


def _parse_cell_value(raw: Any, where: str) -> tuple[CellStatus, Decimal | None, str | None]:
    """(status, value, unit as written) of one printed cell; InputError when it is not a number."""
    if raw is None:
        return CellStatus.UNKNOWN, None, None
    unit: str | None = None
    if isinstance(raw, str):
        s = raw.strip().replace("，", ",")
        if s == "":
            return CellStatus.UNKNOWN, None, None
        if s in _NA_WORDS:
            return CellStatus.NOT_APPLICABLE, None, None
        if s in _ZERO_WORDS:
            return CellStatus.CONFIRMED_ZERO, None, None
        for u in ("万元", "亿元", "元"):  # amounts keep the unit they were printed in
            if s.endswith(u):
                s, unit = s.removesuffix(u).strip(), u
                break
        else:
            for u in _COUNT_UNITS:
                if s.endswith(u):
                    s = s.removesuffix(u).strip()
                    break
        raw = s
    try:
        d = _to_decimal(raw)
    except ValueError:
        raise InputError(f"{where}的值“{raw}”不是数字，请填写数字、null（未知）或“不适用”") from None
    if d is None:
        return CellStatus.UNKNOWN, None, None
    return CellStatus.VALUE, d, unit


def _format_by_labels(data: dict[str, Any]) -> ReportFormat | None:
    """The format whose printed labels the tables use (a 2021 report printed in the 2019 template reads as 2019);
    None when the labels do not tell."""
    scores: dict[str, int] = {}
    for fmt in FORMATS.values():
        score = 0
        for table in ("table2", "table3"):
            block = data.get(table)
            if not isinstance(block, dict):
                continue
            for row_label, cols in block.items():
                row = match_row(fmt, table, str(row_label), fuzzy=False)
                if row is None:
                    score -= 1
                    continue
                score += 1
                if isinstance(cols, dict):
                    score += sum(1 if match_column(fmt, table, str(c), fuzzy=False) else -1 for c in cols)
        scores[fmt.id] = score
    best = max(scores.values(), default=0)
    winners = [f for f, v in scores.items() if v == best]
    if best <= 0 or len(winners) == len(scores):
        return None
    for fid in ("2021", "2019", "2021-23"):  # equal fit: the common format
        if fid in winners:
            return get_format(fid)
    return None


def _detect_format(data: dict[str, Any], year: int | None) -> ReportFormat:
    raw = data.get("format")
    if raw not in (None, ""):
        fmt_id = str(raw).strip().removeprefix("国办公开办函〔").strip()
        aliases = {"2019试行": "2019", "试行": "2019", "〔2019〕60号": "2019", "〔2021〕30号": "2021"}
        fmt = get_format(aliases.get(fmt_id, fmt_id))
    else:
        by_labels = _format_by_labels(data)
        if by_labels is not None:
            fmt = by_labels
        elif year is not None:
            fmt = format_for_year(year) if year >= 2019 else FORMATS["2019"]
        else:
            raise InputError("文件中既没有“report_year”（报告年度）也没有“format”（格式），表格栏目也无法判断格式，无法确定使用哪一种表格格式")
    if fmt.id == "2021":
        rows = (data.get("table3") or {}).keys()
        if any(match_row(FORMAT_2021_23, "table3", r, fuzzy=False) == "（六）其他处理" for r in rows):
            fmt = FORMAT_2021_23  # a real-world 23-row table 三
    return fmt


_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


@dataclass
class LabelRead:
    """A label-keyed JSON read tolerantly: the report plus every irregularity as a finding."""

    report: Report
    findings: list[Finding] = field(default_factory=list)

    def emit(self, rule: str, severity: Severity, template: str, cells: list[str] | None = None, **values: object) -> None:
        self.findings.append(
            Finding(rule=rule, severity=severity, cells=cells or [], message=render_prompt(f"checks/{template}", **values))
        )


def read_label_json(data: Any, *, source_ref: str | None = None) -> LabelRead:
    """Read label-keyed facts tolerantly: what is irregular becomes a finding and everything else is kept.

    Raises InputError only when nothing can be read (not an object, no way to tell the format)."""
    if not isinstance(data, dict):
        raise InputError("文件内容应为一个 JSON 对象（{…}），请检查文件")
    out = LabelRead(report=Report())
    year = data.get("report_year")
    if year is not None:
        try:
            year = int(str(year).strip().removesuffix("年度").removesuffix("年"))
        except (TypeError, ValueError):
            out.emit("R-5", "warning", "r_meta", what="报告年度", value=str(year)[:40])
            year = None
    if year is not None and not 2008 <= year <= 2100:
        out.emit("R-5", "warning", "r_meta", what="报告年度", value=year)
        year = None
    try:
        fmt = _detect_format(data, year)
    except FormatError as e:
        raise InputError(str(e)) from None
    cells: dict[str, CellFact] = {}
    prov = Provenance(source="import", ref=source_ref)
    for table in TABLES:
        block = data.get(table) or {}
        tname = _TABLE_NAMES[table]
        if not isinstance(block, dict):
            out.emit("R-1", "warning", "r_table", table=tname)
            continue
        for row_label, cols in block.items():
            row, how = match_row_how(fmt, table, str(row_label))
            if row is None:
                out.emit("R-1", "warning", "r_row", table=tname, label=row_label, format=fmt.name)
                continue
            if how == "fuzzy":
                out.emit("L-1", "warning", "l_1", table=tname, printed=row_label, official=row)
            if not isinstance(cols, dict):
                out.emit("R-1", "warning", "r_row", table=tname, label=row_label, format=fmt.name)
                continue
            for col_label, raw in cols.items():
                col, col_how = match_column_how(fmt, table, str(col_label))
                key = cell_key_for(fmt, table, row, col) if col else None
                if key is None:
                    out.emit("R-1", "warning", "r_col", table=tname, row=row, label=col_label)
                    continue
                if col_how == "fuzzy":
                    out.emit("L-1", "warning", "l_1", table=tname, printed=col_label, official=col)
                spec = fmt.cell(key)
                try:
                    status, value, unit = _parse_cell_value(raw, spec.display_label)
                except InputError:
                    out.emit("R-2", "error", "r_value", [key], where=spec.display_label, value=str(raw)[:40])
                    continue
                if unit and spec.kind != ValueKind.AMOUNT:
                    out.emit("R-2", "error", "r_unit", [key], where=spec.display_label, value=str(raw)[:40])
                    continue
                if status != CellStatus.UNKNOWN:
                    cells[key] = CellFact(status=status, value=value, provenance=prov, unit=amount_unit(spec, unit))
    sections: dict[str, str] = {}
    extra: dict[str, str] = {}
    raw_sections = data.get("sections") or {}
    if not isinstance(raw_sections, dict):
        raw_sections = {}
    for heading, text in raw_sections.items():
        sid, how = match_section_how(str(heading))
        if sid is None or sid in sections:
            extra[str(heading)] = str(text or "")
            out.emit("R-3", "warning", "r_section", heading=heading)
            continue
        if how == "fuzzy":
            official = next(s.heading for s in SECTIONS if s.id == sid)
            out.emit("L-1", "warning", "l_1_section", printed=heading, official=official)
        if text:
            sections[sid] = str(text)
    agency = str(data.get("agency") or "")
    level_raw = data.get("level")
    level: AgencyLevel | None = None
    if level_raw:
        try:
            level = AgencyLevel(str(level_raw).strip())
        except ValueError:
            out.emit("R-5", "warning", "r_meta", what="单位层级", value=str(level_raw)[:40])
    out.report = Report(
        agency=agency,
        level=level,
        report_year=year,
        format_id=fmt.id,
        cells=cells,
        sections=sections,
        narrative_facts={str(k): str(v) for k, v in (data.get("narrative_facts") or {}).items()},
        extra_sections=extra,
    )
    return out


def from_label_json(data: Any, *, source_ref: str | None = None) -> Report:
    """Read label-keyed facts strictly: raise InputError naming every problem (unknown labels, bad values), and
    FormatError when the format does not fit the year. ``read_label_json`` is the tolerant reader."""
    read = read_label_json(data, source_ref=source_ref)
    report = read.report
    if report.report_year is not None:
        msg = check_format_matches_year(report.effective_format_id, report.report_year)
        if msg:
            raise FormatError(msg)
    problems = [f.message for f in read.findings if f.rule != "L-1"]
    specs = report.fmt.cells()
    for key, fact in report.cells.items():
        if fact.status == CellStatus.VALUE and fact.value is not None:
            try:
                validate_value(specs[key], fact.value)
            except ValueRejected as e:
                problems.append(str(e))
    if problems:
        shown = "；".join(problems[:12]) + ("；……" if len(problems) > 12 else "")
        raise InputError(f"文件中有{len(problems)}处问题：{shown}")
    return report


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
