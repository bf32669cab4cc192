"""The pieces every rule uses: the Finding type, the checker (values, unknown cells, messages), label helpers
and the generic "stated total against its parts" comparison."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from ..facts import AgencyLevel, CellStatus, Report, convert_amount, format_number
from ..formats import SECTIONS, CellSpec, ReportFormat, ValueKind
from ..prompts import load_prompt, render_prompt
from ..textnorm import normalize_text

Severity = Literal["error", "warning", "uncertain", "missing"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "uncertain": 2, "missing": 3}


class Finding(BaseModel):
    """One result of a check, for the chat, the preview highlighting, the review checklist and ``check --json``."""

    rule: str  # "T3-1", "T3-3", "N-1", "X-1", …
    severity: Severity
    cells: list[str] = Field(default_factory=list)  # cell keys involved ("t3.received.total", …)
    message: str  # Chinese, quotes the numbers and says what to do
    sections: list[str] = Field(default_factory=list)  # narrative sections involved ("s1", "s6")


ZERO = Decimal(0)


def num(v: Decimal | int) -> str:
    """A number as written in messages: 12, 1.5."""
    return format_number(Decimal(v))


@lru_cache(maxsize=1)
def rule_titles() -> dict[str, str]:
    """Rule id → short Chinese title (prompts/checks/rules.txt, one "ID=title" per line)."""
    out: dict[str, str] = {}
    for line in load_prompt("checks/rules").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            rule, title = line.split("=", 1)
            out[rule.strip()] = title.strip()
    return out


def row_short(spec: CellSpec) -> str:
    """Short row name for lists: 一、本年新收 / （二）部分公开 / （三）不予公开·1.属于国家秘密 / 行政复议."""
    label = spec.row_label.replace("政府信息公开申请数量", "").split("（区分")[0]
    if spec.table == "table3" and spec.group:
        return f"{spec.group}·{label}"
    if spec.table == "table4":
        return spec.row_json_key.replace("-", "·")
    return label


def short(spec: CellSpec) -> str:
    """「一、本年新收」自然人."""
    return f"「{row_short(spec)}」{spec.col_label}"


def join(items: list[str], limit: int = 5, sep: str = "、") -> str:
    """At most ``limit`` items, then "等N项"."""
    if len(items) <= limit:
        return sep.join(items)
    return sep.join(items[:limit]) + f"等{len(items)}项"


@dataclass
class Checker:
    """One run over a report: value access, unknown-cell bookkeeping and the findings collected so far."""

    report: Report
    fmt: ReportFormat
    findings: list[Finding] = field(default_factory=list)
    unsure: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)

    # -- values
    def spec(self, key: str) -> CellSpec:
        return self.fmt.cell(key)

    def value(self, key: str) -> Decimal | None:
        return self.report.value(key)

    def amount(self, key: str, unit: str) -> Decimal | None:
        """An amount cell's value in ``unit`` (元/万元), whatever unit it was printed in."""
        v = self.value(key)
        if v is None:
            return None
        return convert_amount(v, self.report.cell(key).unit or self.spec(key).unit, unit)

    def stated(self, key: str) -> Decimal | None:
        """What the clerk/import put into the cell itself (for a derived cell: the stated total)."""
        return self.report.cell(key).numeric

    def leaves(self, key: str) -> list[str]:
        """The unknown input cells that keep ``key`` from having a value."""
        if self.value(key) is not None:
            return []
        parts = self.fmt.parts_of(key)
        if not parts:
            return [key]
        return [leaf for p in parts for leaf in self.leaves(p)]

    def at_least(self, key: str) -> Decimal | None:
        """The value, or for a derived cell with unknown parts the sum of the known parts (a lower bound)."""
        v = self.value(key)
        if v is not None:
            return v
        bounds = [b for p in self.fmt.parts_of(key) if (b := self.at_least(p)) is not None]
        return sum(bounds, ZERO) if bounds else None

    def sum_of(self, keys: Iterable[str]) -> tuple[Decimal | None, list[str]]:
        """(sum, []) when all known, else (None, unknown input cells)."""
        total = ZERO
        missing: list[str] = []
        for k in keys:
            v = self.value(k)
            if v is None:
                missing += self.leaves(k)
            else:
                total += v
        return (None, missing) if missing else (total, [])

    def parts_text(self, keys: list[str], name: Callable[[CellSpec], str] | None = None) -> str:
        """Parts as 自然人12件、商业企业3件，其余为0 (only non-zero parts are listed)."""
        name = name or (lambda s: s.col_label)
        shown = []
        for k in keys:
            v = self.value(k)
            if v:
                spec = self.spec(k)
                shown.append(f"{name(spec)}{num(v)}{spec.unit}")
        if not shown:
            return "各项均为0"
        text = join(shown, limit=6)
        return text + ("，其余为0" if len(shown) < len(keys) else "")

    # -- output
    def emit(
        self,
        rule: str,
        severity: Severity,
        template: str,
        cells: Iterable[str] = (),
        sections: Iterable[str] = (),
        **values: object,
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule,
                severity=severity,
                cells=list(dict.fromkeys(cells)),
                sections=list(sections),
                message=render_prompt(f"checks/{template}", **values),
            )
        )

    def uncertain(self, rule: str, what: str, missing: list[str]) -> None:
        """Record that ``rule`` cannot decide ``what`` until these cells are known (one finding per rule)."""
        if not missing:
            return
        items = self.unsure.setdefault(rule, [])
        for i, (w, miss) in enumerate(items):
            if w == what:
                items[i] = (w, list(dict.fromkeys(miss + missing)))
                return
        items.append((what, list(dict.fromkeys(missing))))

    def flush_uncertain(self) -> None:
        titles = rule_titles()
        for rule, items in self.unsure.items():
            cells = list(dict.fromkeys(k for _, miss in items for k in miss))
            parts = []
            for what, miss in items[:3]:
                parts.append(f"{what}（缺{join([short(self.spec(k)) for k in miss], limit=3)}）")
            more = f"等{len(items)}处" if len(items) > 3 else ""
            self.emit(
                rule,
                "uncertain",
                "uncertain",
                cells,
                title=titles.get(rule, rule),
                items="；".join(parts) + more,
                count=len(cells),
            )
        self.unsure.clear()


def sum_check(
    c: Checker,
    rule: str,
    total_key: str,
    parts: list[str],
    *,
    where: str,
    parts_name: str,
    name: Callable[[CellSpec], str] | None = None,
    record_unsure: bool = True,
) -> tuple[str, Decimal]:
    """Compare a stated total with the sum of its parts. Returns (status, stated − computed)."""
    stated = c.stated(total_key)
    if stated is None:
        return "absent", ZERO
    unit = c.spec(total_key).unit
    known = [(k, v) for k in parts if (v := c.value(k)) is not None]
    missing = [leaf for k in parts if c.value(k) is None for leaf in c.leaves(k)]
    known_sum = sum((v for _, v in known), ZERO)
    if missing:
        if known_sum > stated:
            c.emit(
                rule,
                "error",
                "sum_exceeds",
                [total_key, *(k for k, _ in known)],
                where=where,
                parts_name=parts_name,
                known=num(known_sum),
                stated=num(stated),
                unit=unit,
                parts=c.parts_text([k for k, _ in known], name),
            )
            return "error", stated - known_sum
        if record_unsure:
            c.uncertain(rule, where, missing)
        return "unsure", ZERO
    if known_sum != stated:
        c.emit(
            rule,
            "error",
            rule.lower().replace("-", "_"),
            [total_key, *parts],
            where=where,
            stated=num(stated),
            computed=num(known_sum),
            diff=num(abs(stated - known_sum)),
            unit=unit,
            parts_name=parts_name,
            parts=c.parts_text(parts, name),
        )
        return "error", stated - known_sum
    return "ok", ZERO


def drop_explained_total(c: Checker, rule: str, diffs: dict[str, tuple[str, Decimal]], total_cell: str) -> None:
    """Skip the 总计-column finding when the applicant-column findings already explain it exactly."""
    total_status, total_diff = diffs.get("total", ("absent", ZERO))
    parts = [v for k, v in diffs.items() if k != "total"]
    if total_status != "error" or not any(s == "error" for s, _ in parts):
        return
    if all(s in ("ok", "error") for s, _ in parts) and sum((d for _, d in parts), ZERO) == total_diff:
        for i in range(len(c.findings) - 1, -1, -1):
            f = c.findings[i]
            if f.rule == rule and f.severity == "error" and total_cell in f.cells[:1]:
                del c.findings[i]
                break


def check_integers(c: Checker, table: str, rule: str) -> None:
    """T3-4 / T4-2 / T2-1: counts are non-negative integers, 本年增/减 is an integer, amounts are ≥ 0."""
    for spec in c.fmt.table_cells(table):
        fact = c.report.cell(spec.key)
        if fact.status != CellStatus.VALUE or fact.value is None:
            continue
        v = fact.value
        problem = None
        if not v.is_finite():
            problem = "不是有效数字"
        elif spec.kind in (ValueKind.COUNT, ValueKind.SIGNED) and v != v.to_integral_value():
            problem = f"应为整数（{spec.unit}数不能有小数）"
        elif spec.kind != ValueKind.SIGNED and v < 0:
            problem = "不能为负数"
        if problem:
            c.emit(
                rule,
                "error",
                rule.lower().replace("-", "_"),
                [spec.key],
                where=spec.display_label,
                value=num(v) if v.is_finite() else str(v),
                problem=problem,
            )


def section_text(c: Checker, sid: str) -> str:
    return normalize_text(c.report.sections.get(sid) or "").strip()


def heading(sid: str) -> str:
    return next(s.heading for s in SECTIONS if s.id == sid)


def t3_all_zero(get: Callable[[str], Decimal | None]) -> bool | None:
    """Whether table 三 had no applications at all (nothing new, nothing carried in); None when unknown."""
    vals = [get("t3.received.total"), get("t3.carried_in.total")]
    if any(v is None for v in vals):
        return None
    return all(v == 0 for v in vals)


def last_year_comparable(c: Checker) -> bool:
    ly = c.report.last_year
    if ly is None:
        return False
    y, ly_y = c.report.report_year, ly.report_year
    return not (y and ly_y and ly_y != y - 1)


LEVEL_SCALE = {
    AgencyLevel.TOWNSHIP: 1,
    AgencyLevel.COUNTY_DEPT: 10,
    AgencyLevel.COUNTY_GOV: 10,
    AgencyLevel.CITY_DEPT: 100,
    AgencyLevel.CITY_GOV: 100,
    AgencyLevel.PROVINCE_DEPT: 1000,
    AgencyLevel.PROVINCE_GOV: 1000,
    AgencyLevel.OTHER: 10,
}


def level_scale(c: Checker) -> int:
    return LEVEL_SCALE.get(c.report.level, 1) if c.report.level else 1


def level_name(c: Checker) -> str:
    return c.report.level.value if c.report.level else "乡镇（街道）"
