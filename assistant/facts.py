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
from .textclean import clean_mapping, clean_title

MAX_COUNT = 1_000_000  # more applications/decisions than any agency handles: an input error
MAX_AMOUNT = Decimal("10000000")  # 万元 (1000亿元)
MAX_DECIMALS = 4


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
    def numeric(self) -> Decimal | None:
        """The number this cell contributes to sums (不适用 counts as 0), None when unknown."""
        if self.status == CellStatus.VALUE:
            return self.value
        if self.status in (CellStatus.CONFIRMED_ZERO, CellStatus.NOT_APPLICABLE):
            return Decimal(0)
        return None

    def describe(self) -> str:
        """As shown to the clerk: "12", "0", "不适用", "未填"."""
        if self.status == CellStatus.VALUE:
            return format_number(self.value)
        if self.status == CellStatus.CONFIRMED_ZERO:
            return "0"
        if self.status == CellStatus.NOT_APPLICABLE:
            return "不适用"
        return "未填"


UNKNOWN_CELL = CellFact()


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

    @field_validator("agency", mode="before")
    @classmethod
    def _clean_agency(cls, v: Any) -> Any:
        return clean_title(v) if isinstance(v, str) else v  # text enters the ledger clean (textclean)

    @field_validator("sections", "narrative_facts", mode="before")
    @classmethod
    def _clean_texts(cls, v: Any) -> Any:
        return clean_mapping(v) if isinstance(v, dict) else v

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
    """Check a value against its cell's kind; raise ValueRejected with a Chinese message naming the cell."""
    name = spec.display_label
    if not value.is_finite():
        raise ValueRejected(f"{name}：“{value}”不是有效数字", spec.key)
    if spec.kind in (ValueKind.COUNT, ValueKind.SIGNED):
        if value != value.to_integral_value():
            raise ValueRejected(f"{name}应为整数{spec.unit}数，收到“{format_number(value)}”，请核对", spec.key)
        if spec.kind == ValueKind.COUNT and value < 0:
            raise ValueRejected(f"{name}不能为负数（收到{format_number(value)}），请核对", spec.key)
        if abs(value) > MAX_COUNT:
            raise ValueRejected(
                f"{name}为{format_number(value)}{spec.unit}，数值明显超出合理范围，未记录，请核对后重新告诉我", spec.key
            )
        return Decimal(int(value))
    if value < 0:
        raise ValueRejected(f"{name}不能为负数（收到{format_number(value)}），请核对", spec.key)
    if value > MAX_AMOUNT:
        raise ValueRejected(f"{name}为{format_number(value)}{spec.unit}，数值明显超出合理范围，请核对单位", spec.key)
    if -value.as_tuple().exponent > MAX_DECIMALS:  # type: ignore[operator]
        value = value.quantize(Decimal(1).scaleb(-MAX_DECIMALS))
    return value


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
        )
        if before.status == after.status and before.value == after.value:
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
        cells[up.cell] = after
        result.changes.append(Change(cell=up.cell, before=before, after=after))
    if result.changes:
        result.report = report.model_copy(update={"cells": cells})
    return result
