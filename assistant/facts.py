"""The fact ledger: every cell of the report with its state and provenance (pydantic v2).

A cell is *unknown*, *a value*, *confirmed 0* or *不适用*. Blank is never silently 0. Every change goes
through :func:`apply_updates`, which validates, records provenance and reports what changed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from .errors import ValueRejected
from .formats import CellSpec, ReportFormat, ValueKind, format_for_year, get_format

# No upper bound on counts or amounts: real city reports print millions of 行政处罚 (淮安市 2024: 3,985,758).
# What is unusual for the row and the agency's level is a plausibility warning (checks P-1), not a refusal.
MAX_DECIMALS = 4
PENDING_NOTE = "待核实"  # provenance note of an unknown cell the clerk said is not known yet (先空着、待核实)
AMOUNT_UNITS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


class CellStatus(StrEnum):
    UNKNOWN = "unknown"
    VALUE = "value"
    CONFIRMED_ZERO = "confirmed_zero"
    NOT_APPLICABLE = "not_applicable"


ProvenanceSource = Literal["message", "import", "confirmation", "manual", "default", "model"]


class Provenance(BaseModel):
    """Where a cell's content came from."""

    model_config = ConfigDict(frozen=True)

    source: ProvenanceSource
    ref: str | None = None  # message id, file name, …
    evidence: str | None = None  # the words it came from
    note: str | None = None  # e.g. "元已换算为万元"
    confirmation: str | None = None  # the clerk's words confirming an unusual value ("核对过了，照这个填")


def _to_decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("不是数字")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"“{value}”不是数字") from None
    raise ValueError(f"“{value}”不是数字")


def format_number(value: Decimal | int | None) -> str:
    """12 → "12", Decimal("1.50") → "1.5"; None → ""."""
    if value is None:
        return ""
    d = Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


class CellFact(BaseModel):
    """One cell: status, value (for VALUE), provenance."""

    model_config = ConfigDict(frozen=True)

    status: CellStatus = CellStatus.UNKNOWN
    value: Decimal | None = None
    provenance: Provenance | None = None
    unit: str | None = None  # an amount's unit as printed when it is not the column's ("73802895.90元")

    @field_validator("value", mode="before")
    @classmethod
    def _decimal(cls, v: Any) -> Decimal | None:
        return _to_decimal(v)

    @field_serializer("value")
    def _ser(self, v: Decimal | None) -> int | str | None:
        if v is None:
            return None
        return int(v) if v == v.to_integral_value() else format_number(v)

    @property
    def known(self) -> bool:
        return self.status != CellStatus.UNKNOWN

    @property
    def pending(self) -> bool:
        """Unknown, and the clerk said so explicitly (先空着、待核实): not asked again, never 0."""
        return self.status == CellStatus.UNKNOWN and self.provenance is not None and self.provenance.note == PENDING_NOTE

    @property
    def numeric(self) -> Decimal | None:
        """The number this cell contributes to sums (不适用 counts as 0), None when unknown."""
        if self.status == CellStatus.VALUE:
            return self.value
        if self.status in (CellStatus.CONFIRMED_ZERO, CellStatus.NOT_APPLICABLE):
            return Decimal(0)
        return None

    def describe(self) -> str:
        """As shown to the clerk: "12", "18703元", "0", "不适用", "未填"."""
        if self.status == CellStatus.VALUE:
            return format_number(self.value) + (self.unit or "")
        if self.status == CellStatus.CONFIRMED_ZERO:
            return "0"
        if self.status == CellStatus.NOT_APPLICABLE:
            return "不适用"
        return PENDING_NOTE if self.pending else "未填"


UNKNOWN_CELL = CellFact()


def convert_amount(value: Decimal, unit: str | None, target: str) -> Decimal:
    """An amount written in ``unit`` (None: already ``target``) expressed in ``target`` (元/万元/亿元)."""
    if not unit or unit == target or unit not in AMOUNT_UNITS or target not in AMOUNT_UNITS:
        return value
    return (value * AMOUNT_UNITS[unit] / AMOUNT_UNITS[target]).normalize()


class AgencyLevel(StrEnum):
    TOWNSHIP = "乡镇（街道）"
    COUNTY_DEPT = "县级部门"
    COUNTY_GOV = "县级人民政府"
    CITY_DEPT = "市级部门"
    CITY_GOV = "市级人民政府"
    PROVINCE_DEPT = "省级部门"
    PROVINCE_GOV = "省级人民政府"
    OTHER = "其他"

    @property
    def has_rulemaking_power(self) -> bool:
        """Only 设区的市 and provincial governments make 规章 (立法法第九十三条)."""
        return self in (AgencyLevel.CITY_GOV, AgencyLevel.PROVINCE_GOV)

    @property
    def is_government(self) -> bool:
        """各级人民政府 must also report 工作考核、社会评议和责任追究结果 (条例第五十条第（四）项)."""
        return self in (AgencyLevel.TOWNSHIP, AgencyLevel.COUNTY_GOV, AgencyLevel.CITY_GOV, AgencyLevel.PROVINCE_GOV)


class LastYear(BaseModel):
    """Last year's published facts, for the cross-year checks and the repetition check."""

    report_year: int | None = None
    format_id: str | None = None
    cells: dict[str, CellFact] = Field(default_factory=dict)
    sections: dict[str, str] = Field(default_factory=dict)

    def value(self, key: str) -> Decimal | None:
        return self.cells.get(key, UNKNOWN_CELL).numeric


class Report(BaseModel):
    """The whole draft: identity, every cell, the narrative sections and facts, last year's facts."""

    schema_version: int = 1
    agency: str = ""
    level: AgencyLevel | None = None
    report_year: int | None = None
    format_id: str | None = None  # None → derived from report_year
    cells: dict[str, CellFact] = Field(default_factory=dict)
    sections: dict[str, str] = Field(default_factory=dict)  # "s1".."s6" → text
    narrative_facts: dict[str, str] = Field(default_factory=dict)
    last_year: LastYear | None = None
    # sections a published report adds to the official six ("五、信息处理费收取情况"): heading as printed → text
    extra_sections: dict[str, str] = Field(default_factory=dict)

    @field_validator("report_year")
    @classmethod
    def _year(cls, v: int | None) -> int | None:
        if v is not None and not 2008 <= v <= 2100:
            raise ValueError(f"报告年度{v}不合理")
        return v

    # ---- format ------------------------------------------------------------------------------
    @property
    def effective_format_id(self) -> str:
        if self.format_id:
            return self.format_id
        if self.report_year:
            return format_for_year(self.report_year).id
        return "2021"

    @property
    def fmt(self) -> ReportFormat:
        return get_format(self.effective_format_id)

    @property
    def period_text(self) -> str:
        y = self.report_year or "    "
        return f"{y}年1月1日至{y}年12月31日"

    # ---- cells -------------------------------------------------------------------------------
    def cell(self, key: str) -> CellFact:
        return self.cells.get(key, UNKNOWN_CELL)

    def value(self, key: str) -> Decimal | None:
        """The effective number of a cell: for a derived cell the sum of its parts when they are all
        known, else a total the clerk stated; for an input cell its own number. None when unknown."""
        return self._value(self.fmt, key, {})

    def _value(self, fmt: ReportFormat, key: str, memo: dict[str, Decimal | None]) -> Decimal | None:
        if key in memo:
            return memo[key]
        result = self.cell(key).numeric
        parts = fmt.parts_of(key)
        if parts:
            summed = self._sum(fmt, parts, memo)
            if summed is not None:
                result = summed
        memo[key] = result
        return result

    def _sum(self, fmt: ReportFormat, parts: list[str], memo: dict[str, Decimal | None]) -> Decimal | None:
        total = Decimal(0)
        for p in parts:
            v = self._value(fmt, p, memo)
            if v is None:
                return None
            total += v
        return total

    def computed(self, key: str) -> Decimal | None:
        """For a derived cell, the sum of its parts (None if any part is unknown)."""
        fmt = self.fmt
        parts = fmt.parts_of(key)
        if not parts:
            return None
        return self._sum(fmt, parts, {})

    def unknown_input_cells(self, table: str | None = None) -> list[CellSpec]:
        return [
            c for c in self.fmt.input_cells() if (table is None or c.table == table) and not self.cell(c.key).known
        ]


# ---- updates ----------------------------------------------------------------------------------------


class FactUpdate(BaseModel):
    """A proposed change of one cell, with the clerk's words it came from. Extractors return these."""

    cell: str
    status: CellStatus = CellStatus.VALUE
    value: Decimal | None = None
    evidence: str = ""
    span: tuple[int, int] | None = None  # character span of the numeral in the normalised message
    is_correction: bool = False
    note: str | None = None
    unit: str | None = None  # the unit the amount was given in (元/万元/亿元), kept as given

    @field_validator("value", mode="before")
    @classmethod
    def _decimal(cls, v: Any) -> Decimal | None:
        return _to_decimal(v)


class Change(BaseModel):
    cell: str
    before: CellFact
    after: CellFact


class Rejection(BaseModel):
    cell: str
    value: str
    reason: str  # Chinese, names the cell


class ApplyResult(BaseModel):
    report: Report
    changes: list[Change] = Field(default_factory=list)
    rejected: list[Rejection] = Field(default_factory=list)
    conflicts: list[Rejection] = Field(default_factory=list)  # protected cells a proposal tried to change


def validate_value(spec: CellSpec, value: Decimal) -> Decimal:
    """Check a value against its cell's kind; raise ValueRejected with a Chinese message naming the cell.

    Only what can never be right is refused (not a number, a fraction of a count, a negative count or amount);
    there is no upper bound: unusual sizes are plausibility warnings (checks P-1) the clerk can confirm.
    """
    name = spec.display_label
    if not value.is_finite():
        raise ValueRejected(f"{name}：“{value}”不是有效数字", spec.key)
    if spec.kind in (ValueKind.COUNT, ValueKind.SIGNED):
        if value != value.to_integral_value():
            raise ValueRejected(f"{name}应为整数{spec.unit}数，收到“{format_number(value)}”，请核对", spec.key)
        if spec.kind == ValueKind.COUNT and value < 0:
            raise ValueRejected(f"{name}不能为负数（收到{format_number(value)}），请核对", spec.key)
        return Decimal(int(value))
    if value < 0:
        raise ValueRejected(f"{name}不能为负数（收到{format_number(value)}），请核对", spec.key)
    if -value.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
        value = value.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    return value


def amount_unit(spec: CellSpec, unit: str | None) -> str | None:
    """The unit to keep on an amount cell: None when it is the column's own (or not an amount unit)."""
    if spec.kind != ValueKind.AMOUNT or not unit or unit == spec.unit or unit not in AMOUNT_UNITS:
        return None
    return unit


def change_below_zero(fmt: ReportFormat, cells: dict[str, CellFact], key: str) -> str | None:
    """2019 table 二: a 本年增/减 that takes the matters below zero (上一年项目数量 + 增/减 < 0) can never be
    right; a Chinese reason, else None. ``key`` is either cell of the pair."""
    row = key.rsplit(".", 1)[0]
    prev_key, change_key = f"{row}.prev_items", f"{row}.change"
    specs = fmt.cells()
    if key not in (prev_key, change_key) or prev_key not in specs or change_key not in specs:
        return None
    prev, change = cells.get(prev_key, UNKNOWN_CELL).numeric, cells.get(change_key, UNKNOWN_CELL).numeric
    if prev is None or change is None or prev + change >= 0:
        return None
    spec = specs[change_key]
    return (
        f"{spec.display_label}为{format_number(change)}，但上一年项目数量只有{format_number(prev)}项，"
        f"减少的事项不能多于原有事项，请核对"
    )


def apply_updates(
    report: Report,
    updates: list[FactUpdate],
    *,
    source: ProvenanceSource = "message",
    ref: str | None = None,
    protect_stated: bool = False,
) -> ApplyResult:
    """Validate and apply proposals; return the new report and exactly what changed.

    With ``protect_stated`` (model proposals), a cell already set by the clerk is only changed by a
    proposal marked as a correction; other attempts are returned as conflicts.
    """
    cells = dict(report.cells)
    specs = report.fmt.cells()
    result = ApplyResult(report=report)
    for up in updates:
        spec = specs.get(up.cell)
        if spec is None:
            result.rejected.append(Rejection(cell=up.cell, value=str(up.value), reason=f"本格式中没有单元格“{up.cell}”"))
            continue
        value = up.value
        status = up.status
        if status == CellStatus.VALUE:
            if value is None:
                result.rejected.append(Rejection(cell=up.cell, value="", reason=f"{spec.display_label}：没有给出数值"))
                continue
            try:
                value = validate_value(spec, value)
            except ValueRejected as e:
                result.rejected.append(Rejection(cell=up.cell, value=format_number(value), reason=str(e)))
                continue
        else:
            value = None
        before = cells.get(up.cell, UNKNOWN_CELL)
        after = CellFact(
            status=status,
            value=value,
            provenance=Provenance(source=source, ref=ref, evidence=up.evidence[:500] or None, note=up.note),
            unit=amount_unit(spec, up.unit) if status == CellStatus.VALUE else None,
        )
        if before.status == after.status and before.value == after.value and before.unit == after.unit:
            continue  # same content: keep the original provenance
        if protect_stated and before.known and not up.is_correction:
            result.conflicts.append(
                Rejection(
                    cell=up.cell,
                    value=after.describe(),
                    reason=f"{spec.display_label}已记录为{before.describe()}，新的说法为{after.describe()}",
                )
            )
            continue
        reason = change_below_zero(report.fmt, {**cells, up.cell: after}, up.cell)
        if reason:
            result.rejected.append(Rejection(cell=up.cell, value=after.describe(), reason=reason))
            continue
        cells[up.cell] = after
        result.changes.append(Change(cell=up.cell, before=before, after=after))
    if result.changes:
        result.report = report.model_copy(update={"cells": cells})
    return result


def confirm_cells(report: Report, keys: list[str], words: str) -> tuple[Report, list[str]]:
    """Record that the clerk checked these cells' unusual values ("核对过了，照这个填"): the values stay, their
    provenance keeps the clerk's words, and the plausibility check no longer asks. Returns (report, keys)."""
    cells = dict(report.cells)
    done: list[str] = []
    for key in keys:
        fact = cells.get(key)
        if fact is None or fact.status != CellStatus.VALUE:
            continue
        old = fact.provenance or Provenance(source="confirmation")
        if old.confirmation:
            continue
        prov = old.model_copy(update={"confirmation": words[:200] or "已核对"})
        cells[key] = fact.model_copy(update={"provenance": prov})
        done.append(key)
    if not done:
        return report, []
    return report.model_copy(update={"cells": cells}), done
