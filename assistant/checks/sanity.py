"""F-1 (format fits the year), F-2 (cells exist in the format), P-1 (absurd but accepted values)."""

from __future__ import annotations

import re

from ..errors import FormatError
from ..formats import check_format_matches_year
from .core import Checker, level_name, level_scale, num


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


_PLAUSIBLE_LIMITS: tuple[tuple[str, int], ...] = (
    ("t3.received.total", 5000),
    ("t3.carried_in.total", 5000),
    ("t4.*.total", 200),
    ("t2.*.issued", 2000),
    ("t2.*.in_force", 5000),
    ("t2.*.made", 2000),
    ("t2.*.published", 5000),
    ("t2.*.public_total", 20000),
    ("t2.*.decisions", 200_000),
)


def check_plausible(c: Checker) -> None:
    """P-1: values accepted by the ledger but absurd for the agency's level → ask to confirm."""
    scale = level_scale(c)
    for pattern, limit in _PLAUSIBLE_LIMITS:
        rx = re.compile(re.escape(pattern).replace(r"\*", r"[a-z_0-9]+") + "$")
        for key in c.fmt.cells():
            if not rx.match(key):
                continue
            v = c.at_least(key)
            if v is not None and v > limit * scale:
                spec = c.spec(key)
                c.emit(
                    "P-1",
                    "warning",
                    "p_1",
                    [key],
                    where=spec.display_label,
                    value=num(v),
                    unit=spec.unit,
                    level=level_name(c),
                    limit=num(limit * scale),
                )
