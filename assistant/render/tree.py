"""The document tree every renderer draws from: title, headings, paragraphs and the three official tables.

Tables are grids of anchored cells whose row/column spans are exactly those of the published formats
(format_spec.md §4–§6). A value cell carries its cell key and a state; a renderer decides how a missing
value looks, but never shows it as 0. 不适用 is printed as "不适用" everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ..facts import CellStatus, Report, format_number
from ..formats import Block, CellSpec, ReportFormat, ValueKind
from ..prompts import load_prompt, render_prompt
from ..textnorm import label_key

if TYPE_CHECKING:
    from ..checks import Finding

CellRole = Literal["caption", "header", "note", "label", "value"]
ValueState = Literal["value", "not_applicable", "unknown"]
ParagraphRole = Literal["body", "subheading", "missing"]

# A line that is a numbered sub-heading on its own, e.g. "（一）主动公开" (no sentence punctuation).
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^。；;，,：:！？]{1,30}$")


@dataclass(frozen=True)
class TableCell:
    """One anchored cell of a table grid (covered positions of a merged cell have no TableCell)."""

    row: int
    col: int
    text: str  # printed text; "" for an unknown value
    role: CellRole
    rowspan: int = 1
    colspan: int = 1
    key: str | None = None  # cell key, value cells only
    state: ValueState | None = None  # value cells only
    derived: bool = False  # a total of other cells (the 总计 column, the （七）总计 row, table 四 总计)
    stated: bool = False  # a total printed as the clerk stated it (never recomputed at render time)
    computed: str | None = None  # the sum of its parts, when it differs from the stated total
    unit: str = ""  # value cells: "件", "项", "万元"

    @property
    def missing(self) -> bool:
        return self.state == "unknown"

    @property
    def conflict(self) -> bool:
        """A stated total that disagrees with the sum of its parts (printed as stated, and marked)."""
        return self.computed is not None


@dataclass(frozen=True)
class Table:
    """A table as printed: ``n_rows`` × ``n_cols`` grid, the first ``header_rows`` rows are the header."""

    id: str  # "table2" | "table3" | "table4"
    section_id: str
    n_rows: int
    n_cols: int
    header_rows: int
    cells: tuple[TableCell, ...]

    def rows(self) -> list[list[TableCell]]:
        """Anchored cells per grid row, left to right (the shape of HTML ``<tr>``/``<td>``)."""
        out: list[list[TableCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out

    def grid(self) -> list[list[tuple[TableCell, bool]]]:
        """Every grid position → (the cell covering it, whether this position is the cell's anchor)."""
        grid: list[list[tuple[TableCell, bool] | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    grid[r][c] = (cell, r == cell.row and c == cell.col)
        return [[pos for pos in row if pos is not None] for row in grid]

    def value_cells(self) -> list[TableCell]:
        return [c for c in self.cells if c.role == "value"]

    def cell_for(self, key: str) -> TableCell | None:
        return next((c for c in self.cells if c.key == key), None)


@dataclass(frozen=True)
class Heading:
    text: str
    section_id: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    section_id: str
    role: ParagraphRole = "body"


DocBlock = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    title: str
    format_id: str
    blocks: tuple[DocBlock, ...] = field(default_factory=tuple)
    draft: tuple[str, ...] = ()  # why this is still a draft (empty: ready to publish)
    agency: str = ""  # the signature block: agency name and date, printed last
    date_text: str = ""

    @property
    def is_draft(self) -> bool:
        return bool(self.draft)

    def tables(self) -> dict[str, Table]:
        return {b.id: b for b in self.blocks if isinstance(b, Table)}


# ---- builder ------------------------------------------------------------------------------------------


class _Grid:
    """Places cells on a grid and refuses overlaps, so every layout is a proper table."""

    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.cells: list[TableCell] = []
        self._taken: set[tuple[int, int]] = set()

    def put(self, cell: TableCell) -> None:
        spots = {
            (r, c) for r in range(cell.row, cell.row + cell.rowspan) for c in range(cell.col, cell.col + cell.colspan)
        }
        if cell.col + cell.colspan > self.n_cols or spots & self._taken:
            raise ValueError(f"table layout error at row {cell.row}, col {cell.col}")
        self._taken |= spots
        self.cells.append(cell)

    def table(self, table_id: str, section_id: str, header_rows: int) -> Table:
        n_rows = max(c.row + c.rowspan for c in self.cells)
        if len(self._taken) != n_rows * self.n_cols:
            raise ValueError(f"{table_id}: grid not fully covered")
        return Table(table_id, section_id, n_rows, self.n_cols, header_rows, tuple(self.cells))


def not_applicable_text() -> str:
    return load_prompt("render/cell_not_applicable")


def unknown_text() -> str:
    return load_prompt("render/cell_unknown")


def _value_cell(report: Report, spec: CellSpec, row: int, col: int, colspan: int = 1) -> TableCell:
    fact = report.cell(spec.key)
    state: ValueState
    stated = spec.derived and fact.known
    computed: str | None = None
    if fact.status == CellStatus.NOT_APPLICABLE:
        text, state = not_applicable_text(), "not_applicable"
    else:
        # A total the clerk stated is printed as stated; an unstated total is the sum of its parts.
        value = fact.numeric if stated else report.value(spec.key)
        if value is None:
            text, state = "", "unknown"
        else:
            text, state = _number_text(spec, value, fact.unit), "value"
            parts_sum = report.computed(spec.key) if stated else None
            if parts_sum is not None and parts_sum != value:
                computed = _number_text(spec, parts_sum, fact.unit)
    return TableCell(
        row,
        col,
        text,
        "value",
        colspan=colspan,
        key=spec.key,
        state=state,
        derived=spec.derived,
        stated=stated,
        computed=computed,
        unit=fact.unit or spec.unit,
    )


def _number_text(spec: CellSpec, value: Decimal, unit: str | None = None) -> str:
    text = format_number(value)
    if spec.kind == ValueKind.AMOUNT and (unit or spec.unit not in spec.col_label):
        text += unit or spec.unit  # 2019 采购总金额 prints no unit, so the cell does; "18703元" as printed
    return text


def _column_spans(block: Block, width: int) -> list[tuple[int, int]]:
    """(start column, colspan) of each block column in a grid of ``width`` value columns (last one stretches)."""
    n = len(block.columns)
    spans = [(1 + i, 1) for i in range(n)]
    start, _ = spans[-1]
    spans[-1] = (start, width - (start - 1))
    return spans


def build_table2(report: Report) -> Table:
    """Table 二: one table of blocks (caption row across the width, header row, data rows)."""
    fmt = report.fmt
    width = max(len(b.columns) for b in fmt.table2_blocks)
    grid = _Grid(1 + width)
    r = 0
    for block in fmt.table2_blocks:
        spans = _column_spans(block, width)
        grid.put(TableCell(r, 0, block.caption, "caption", colspan=1 + width))
        r += 1
        grid.put(TableCell(r, 0, block.header_first, "header"))
        for column, (c, span) in zip(block.columns, spans, strict=True):
            grid.put(TableCell(r, c, column.label, "header", colspan=span))
        r += 1
        for row in block.rows:
            grid.put(TableCell(r, 0, row.label, "label"))
            for column, (c, span) in zip(block.columns, spans, strict=True):
                grid.put(_value_cell(report, fmt.cell(f"t2.{row.id}.{column.id}"), r, c, span))
            r += 1
    return grid.table("table2", "s2", header_rows=0)


def build_table3(report: Report) -> Table:
    """Table 三: 3 header rows under 申请人情况, 3 label columns with the merged row groups."""
    fmt = report.fmt
    labels, cols = 3, fmt.table3_columns
    grid = _Grid(labels + len(cols))
    part_cols = fmt.applicant_part_columns
    grid.put(TableCell(0, 0, fmt.table3_note, "note", rowspan=3, colspan=labels))
    grid.put(TableCell(0, labels, fmt.table3_applicant_group, "header", colspan=len(cols)))
    grid.put(TableCell(1, labels, part_cols[0].label, "header", rowspan=2))
    grid.put(TableCell(1, labels + 1, fmt.table3_org_group, "header", colspan=len(part_cols) - 1))
    for i, column in enumerate(part_cols[1:]):
        grid.put(TableCell(2, labels + 1 + i, column.label, "header"))
    grid.put(TableCell(1, labels + len(part_cols), cols[-1].label, "header", rowspan=2))

    r = 3
    rows = fmt.table3_rows
    n_results = sum(1 for row in rows if row.in_results)
    results_started = False
    i = 0
    while i < len(rows):
        row = rows[i]
        if not row.in_results:
            grid.put(TableCell(r, 0, row.label, "label", colspan=labels))
            _put_t3_values(grid, report, fmt, row.id, r, labels)
            r, i = r + 1, i + 1
            continue
        if not results_started:
            grid.put(TableCell(r, 0, fmt.table3_result_group, "label", rowspan=n_results))
            results_started = True
        if row.group is None:
            grid.put(TableCell(r, 1, row.label, "label", colspan=2))
            _put_t3_values(grid, report, fmt, row.id, r, labels)
            r, i = r + 1, i + 1
            continue
        members = [x for x in rows[i:] if x.group == row.group]
        grid.put(TableCell(r, 1, row.group, "label", rowspan=len(members)))
        for member in members:
            grid.put(TableCell(r, 2, member.label, "label"))
            _put_t3_values(grid, report, fmt, member.id, r, labels)
            r += 1
        i += len(members)
    return grid.table("table3", "s3", header_rows=3)


def _put_t3_values(grid: _Grid, report: Report, fmt: ReportFormat, row_id: str, r: int, first_col: int) -> None:
    for j, column in enumerate(fmt.table3_columns):
        grid.put(_value_cell(report, fmt.cell(f"t3.{row_id}.{column.id}"), r, first_col + j))


def build_table4(report: Report) -> Table:
    """Table 四: 行政复议 (5) | 行政诉讼 (10 → 未经复议直接起诉 5, 复议后起诉 5), one data row of 15 cells."""
    fmt = report.fmt
    ncol = len(fmt.table4_columns)
    groups = fmt.table4_groups
    grid = _Grid(ncol * len(groups))
    top = [g for g in groups if g.parent is None]
    children = [g for g in groups if g.parent is not None]
    c = 0
    for g in top:  # 行政复议: its column labels span header rows 2–3
        grid.put(TableCell(0, c, g.label, "header", colspan=ncol))
        for j, column in enumerate(fmt.table4_columns):
            grid.put(TableCell(1, c + j, column.label, "header", rowspan=2))
        c += ncol
    parents: list[str] = []
    for g in children:
        if g.parent not in parents:
            parents.append(g.parent)  # type: ignore[arg-type]
    for parent in parents:
        kids = [g for g in children if g.parent == parent]
        grid.put(TableCell(0, c, parent, "header", colspan=ncol * len(kids)))
        for g in kids:
            grid.put(TableCell(1, c, g.label, "header", colspan=ncol))
            for j, column in enumerate(fmt.table4_columns):
                grid.put(TableCell(2, c + j, column.label, "header"))
            c += ncol
    order = top + [g for p in parents for g in children if g.parent == p]
    for gi, g in enumerate(order):
        for j, column in enumerate(fmt.table4_columns):
            grid.put(_value_cell(report, fmt.cell(f"t4.{g.id}.{column.id}"), 3, gi * ncol + j))
    return grid.table("table4", "s4", header_rows=3)


TABLE_BUILDERS = {"table2": build_table2, "table3": build_table3, "table4": build_table4}


def build_table(report: Report, table_id: str) -> Table:
    """One official table of the report ("table2" | "table3" | "table4")."""
    return TABLE_BUILDERS[table_id](report)


def report_title(report: Report) -> str:
    """The title "<agency><year>年政府信息公开工作年度报告", with visible placeholders for what is missing."""
    agency = report.agency.strip() or load_prompt("render/agency_missing")
    year = str(report.report_year) if report.report_year else load_prompt("render/year_missing")
    return render_prompt("render/title", agency=agency, year=year)


def split_paragraphs(section_id: str, text: str) -> list[Paragraph]:
    """Section text → paragraphs (one per non-empty line); a bare "（一）主动公开" line is a sub-heading."""
    out: list[Paragraph] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        role: ParagraphRole = "subheading" if _SUBHEADING.match(line) else "body"
        out.append(Paragraph(line, section_id, role))
    return out


def signature_date(today: date) -> str:
    """The date of the signature block in Arabic numerals, as GB/T 9704 writes 成文日期: "2025年1月20日"."""
    return render_prompt("render/signature_date", year=today.year, month=today.month, day=today.day)


def build_document(report: Report, findings: Sequence[Finding] | None = None, *, today: date | None = None) -> Document:
    """The whole report as a tree: title, the six sections in order, narrative text, the three tables,
    the signature block, and the reasons it is still a draft (``findings``: checks already run, else run here)."""
    from .status import draft_reasons

    fmt = report.fmt
    blocks: list[DocBlock] = []
    for section in fmt.sections:
        blocks.append(Heading(section.heading, section.id))
        paragraphs = split_paragraphs(section.id, report.sections.get(section.id) or "")
        if paragraphs and label_key(paragraphs[0].text) == label_key(section.heading):
            paragraphs = paragraphs[1:]  # pasted text that repeats the heading
        if section.kind == "narrative":
            blocks.extend(paragraphs or [Paragraph(load_prompt("render/section_empty"), section.id, "missing")])
        else:
            blocks.extend(paragraphs)  # an optional lead-in sentence before the table
            blocks.append(build_table(report, section.kind))
    agency = report.agency.strip() or load_prompt("render/agency_missing")
    return Document(
        report_title(report),
        fmt.id,
        tuple(blocks),
        draft=tuple(draft_reasons(report, findings)),
        agency=agency,
        date_text=signature_date(today or date.today()),
    )
