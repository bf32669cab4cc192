"""Data model of an official report format: sections, tables, rows, columns and their printed labels.

One definition per format drives rendering, checks, questions, label matching and the JSON interchange.
Cell keys are stable ASCII ids: ``t2.<row>.<col>``, ``t3.<row>.<col>``, ``t4.<group>.<col>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ValueKind(StrEnum):
    """What a cell may hold."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # signed integer (2019 本年增/减)
    AMOUNT = "amount"  # non-negative decimal, unit in the column (万元)


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: ValueKind = ValueKind.COUNT
    unit: str = "件"


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    group: str | None = None  # merged label this row sits under in table 三, e.g. "（三）不予公开"
    in_results: bool = False  # part of 三、本年度办理结果 (summed into （七）总计)


@dataclass(frozen=True)
class Block:
    """A table 二 block: a caption row, a header row and data rows."""

    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    header_first: str = "信息内容"


@dataclass(frozen=True)
class Table4Group:
    id: str
    label: str  # "行政复议" / "未经复议直接起诉" / "复议后起诉"
    parent: str | None  # None / "行政诉讼"
    json_key: str  # "行政复议" / "行政诉讼-未经复议直接起诉" / ...


@dataclass(frozen=True)
class Section:
    id: str  # "s1".."s6"
    heading: str
    kind: str  # "narrative" | "table2" | "table3" | "table4"
    subparts: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellSpec:
    """Everything known about one cell of one format."""

    key: str
    table: str  # "table2" | "table3" | "table4"
    row_id: str
    col_id: str
    row_label: str  # as printed
    col_label: str  # as printed
    row_json_key: str  # key in the label-keyed JSON
    col_json_key: str
    kind: ValueKind
    unit: str
    derived: bool = False  # computable from other cells (总计 column, （七）总计 row, table 四 总计)
    block_id: str | None = None
    group: str | None = None

    @property
    def display_label(self) -> str:
        """Human readable, for messages: "表三「一、本年新收…」自然人"."""
        tno = {"table2": "表二", "table3": "表三", "table4": "表四"}[self.table]
        return f"{tno}「{self.row_json_key}」{self.col_label}"


@dataclass(frozen=True)
class ReportFormat:
    id: str  # "2019" | "2021" | "2021-23"
    name: str
    citation: str  # 国办公开办函〔2021〕30号
    years: tuple[int, int]  # inclusive range of report years
    sections: tuple[Section, ...]
    table2_blocks: tuple[Block, ...]
    table3_rows: tuple[Row, ...]
    table3_columns: tuple[Column, ...]
    table3_note: str
    table3_result_group: str  # 三、本年度办理结果
    table3_applicant_group: str  # 申请人情况
    table3_org_group: str  # 法人或其他组织
    table4_groups: tuple[Table4Group, ...]
    table4_columns: tuple[Column, ...]
    table3_variant_note: str = ""
    _cells: dict[str, CellSpec] = field(default_factory=dict, compare=False, repr=False)
    _parts: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    # ---- derived views -------------------------------------------------------------------------
    def cells(self) -> dict[str, CellSpec]:
        """All cells in print order, keyed by cell key."""
        if not self._cells:
            self._cells.update({c.key: c for c in _build_cells(self)})
        return self._cells

    def cell(self, key: str) -> CellSpec:
        return self.cells()[key]

    def table_cells(self, table: str) -> list[CellSpec]:
        return [c for c in self.cells().values() if c.table == table]

    def input_cells(self) -> list[CellSpec]:
        """Cells a clerk must provide (not derivable)."""
        return [c for c in self.cells().values() if not c.derived]

    @property
    def table3_result_rows(self) -> tuple[Row, ...]:
        """The rows whose sum is （七）总计."""
        return tuple(r for r in self.table3_rows if r.in_results and r.id != "result_total")

    @property
    def applicant_part_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.table3_columns if c.id != "total")

    @property
    def table4_part_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.table4_columns if c.id != "total")

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def parts_of(self, key: str) -> list[str]:
        """For a derived cell, the cell keys whose sum it is (empty for input cells)."""
        parts = self._parts.get(key)
        if parts is None:
            parts = self._parts[key] = tuple(self._compute_parts(key))
        return list(parts)

    def _compute_parts(self, key: str) -> list[str]:
        spec = self.cell(key)
        if not spec.derived:
            return []
        if spec.table == "table3":
            if spec.col_id == "total" and spec.row_id != "result_total":
                return [f"t3.{spec.row_id}.{c.id}" for c in self.applicant_part_columns]
            if spec.row_id == "result_total" and spec.col_id != "total":
                return [f"t3.{r.id}.{spec.col_id}" for r in self.table3_result_rows]
            # result_total.total: sum of the row totals of the result rows
            return [f"t3.{r.id}.total" for r in self.table3_result_rows]
        if spec.table == "table4":
            return [f"t4.{spec.row_id}.{c.id}" for c in self.table4_part_columns]
        return []


def _build_cells(fmt: ReportFormat) -> list[CellSpec]:
    out: list[CellSpec] = []
    for block in fmt.table2_blocks:
        for row in block.rows:
            for col in block.columns:
                out.append(
                    CellSpec(
                        key=f"t2.{row.id}.{col.id}",
                        table="table2",
                        row_id=row.id,
                        col_id=col.id,
                        row_label=row.label,
                        col_label=col.label,
                        row_json_key=f"{block.caption} / {row.label}",
                        col_json_key=col.label,
                        kind=col.kind,
                        unit=col.unit,
                        block_id=block.id,
                    )
                )
    for row in fmt.table3_rows:
        row_key = f"{row.group} / {row.label}" if row.group else row.label
        for col in fmt.table3_columns:
            out.append(
                CellSpec(
                    key=f"t3.{row.id}.{col.id}",
                    table="table3",
                    row_id=row.id,
                    col_id=col.id,
                    row_label=row.label,
                    col_label=col.label,
                    row_json_key=row_key,
                    col_json_key=col.label,
                    kind=col.kind,
                    unit=col.unit,
                    derived=col.id == "total" or row.id == "result_total",
                    group=row.group,
                )
            )
    for group in fmt.table4_groups:
        for col in fmt.table4_columns:
            out.append(
                CellSpec(
                    key=f"t4.{group.id}.{col.id}",
                    table="table4",
                    row_id=group.id,
                    col_id=col.id,
                    row_label=group.label,
                    col_label=col.label,
                    row_json_key=group.json_key,
                    col_json_key=col.label,
                    kind=col.kind,
                    unit=col.unit,
                    derived=col.id == "total",
                    group=group.parent,
                )
            )
    return out

