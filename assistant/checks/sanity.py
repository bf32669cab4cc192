"""F-1 (format fits the year), F-2 (cells exist in the format), P-1 (absurd but accepted values)."""

from __future__ import annotations

import re

from ..errors import FormatError
from ..facts import AgencyLevel
from ..formats import check_format_matches_year
from .core import Checker, level_name, num


def check_format(c: Checker) -> None:
    """F-1: the format applies to the report year; F-2: every stored cell exists in the format."""
    if c.report.report_year:
        try:
            msg = check_format_matches_year(c.fmt.id, c.report.report_year)
        except FormatError as e:
            msg = str(e)
        if msg:
            c.emit("F-1", "error", "f_1", [], detail=msg)
    unknown = [k for k in c.report.cells if k not in c.fmt.cells()]
    if unknown:
        c.emit(
            "F-2",
            "error",
            "f_2",
            unknown,
            keys="、".join(unknown[:6]) + ("等" if len(unknown) > 6 else ""),
            count=len(unknown),
            format=c.fmt.id,
        )


# Upper ends of what is usual, per row and agency level (counts a real report of that level prints). Beyond them the
# value is kept and the clerk is asked to confirm it (P-1); it is never refused. Levels, in order:
# 乡镇（街道）, 县级部门, 县级人民政府, 市级部门, 市级人民政府, 省级部门, 省级人民政府.
# 行政处罚 includes traffic tickets: a city-wide report prints about 4 million (淮安市 2024), 行政许可 about
# 1.8 million (宿迁市 2023); a township with 50,000 行政处罚 has almost certainly typed a wider scope.
_LEVELS = (
    AgencyLevel.TOWNSHIP,
    AgencyLevel.COUNTY_DEPT,
    AgencyLevel.COUNTY_GOV,
    AgencyLevel.CITY_DEPT,
    AgencyLevel.CITY_GOV,
    AgencyLevel.PROVINCE_DEPT,
    AgencyLevel.PROVINCE_GOV,
)
_PLAUSIBLE_LIMITS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("t2.licensing.decisions", (5_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 50_000_000)),
    ("t2.other_services.decisions", (10_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 100_000_000)),
    ("t2.penalty.decisions", (5_000, 2_000_000, 3_000_000, 10_000_000, 20_000_000, 50_000_000, 100_000_000)),
    ("t2.enforcement.decisions", (1_000, 100_000, 200_000, 500_000, 1_000_000, 5_000_000, 10_000_000)),
    ("t2.*.prev_items", (2_000, 20_000, 50_000, 50_000, 100_000, 100_000, 500_000)),
    ("t2.*.issued", (50, 200, 500, 500, 2_000, 2_000, 10_000)),
    ("t2.*.made", (50, 200, 500, 500, 2_000, 2_000, 10_000)),
    ("t2.*.published", (100, 500, 2_000, 2_000, 10_000, 10_000, 50_000)),
    ("t2.*.in_force", (500, 2_000, 10_000, 10_000, 50_000, 50_000, 200_000)),
    ("t2.*.public_total", (2_000, 20_000, 50_000, 50_000, 200_000, 200_000, 1_000_000)),
    ("t3.received.total", (300, 3_000, 10_000, 10_000, 100_000, 50_000, 500_000)),
    ("t3.carried_in.total", (100, 1_000, 3_000, 3_000, 20_000, 10_000, 100_000)),
    ("t4.*.total", (20, 200, 1_000, 1_000, 5_000, 5_000, 20_000)),
)
_TOWNSHIP_NAME = re.compile(r"(?:镇|乡|街道|街道办事处|苏木)(?:人民政府|党政办公室|党政办|办事处)?$")


def plausibility_level(c: Checker) -> AgencyLevel | None:
    """The level whose ranges apply: the draft's, else a township by its name; None (unknown) → no warning."""
    if c.report.level is not None:
        return c.report.level
    if _TOWNSHIP_NAME.search(c.report.agency.strip()):
        return AgencyLevel.TOWNSHIP
    return None


def plausible_limit(key: str, level: AgencyLevel | None) -> int | None:
    """The usual upper end for this cell at this level; None when there is none (unknown level or row)."""
    if level is None or level not in _LEVELS:
        return None
    for pattern, limits in _PLAUSIBLE_LIMITS:
        rx = re.compile(re.escape(pattern).replace(r"\*", r"[a-z_0-9]+") + "$")
        if rx.match(key):
            return limits[_LEVELS.index(level)]
    return None


def check_plausible(c: Checker) -> None:
    """P-1: values accepted by the ledger but unusual for the row and the agency's level → ask to confirm.

    A value the clerk has confirmed ("核对过了") is not asked about again.
    """
    level = plausibility_level(c)
    for key in c.fmt.cells():
        limit = plausible_limit(key, level)
        if limit is None:
            continue
        fact = c.report.cell(key)
        if fact.provenance is not None and fact.provenance.confirmation:
            continue
        v = c.at_least(key)
        if v is not None and v > limit:
            spec = c.spec(key)
            c.emit(
                "P-1",
                "warning",
                "p_1",
                [key],
                where=spec.display_label,
                value=num(v),
                unit=spec.unit,
                level=level.value if level else level_name(c),
                limit=num(limit),
            )
