"""Read one printed table cell: a number, blank (unknown), "/"/"—"/"不适用" (not applicable) or "无" (zero).

Convention (documented for the whole import): a blank cell, "未填" or "？" is *unknown* (never 0); "/", "／",
"—", "——", "-", "－", "\\" and "不适用" are *not applicable* (counted as 0 in sums, like
:mod:`assistant.interchange` reads them); "无"/"零" is a confirmed 0; anything else must be a plain number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..facts import CellStatus

_NA = {"/", "／", "\\", "—", "——", "–", "-", "－", "―", "─", "不适用", "n/a", "na", "N/A"}
_UNKNOWN = {"", "未填", "（未填）", "(未填)", "?", "？", "空"}
_ZERO = {"无", "零", "〇"}
_NUMBER = re.compile(r"^[+\-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[+\-−]?\d+(?:\.\d+)?$")
_UNIT = re.compile(r"(件次|件|项|个|次|宗|万元|亿元|元)$")
_AMOUNT_UNITS = ("元", "万元", "亿元")


@dataclass(frozen=True)
class CellText:
    """A classified cell: status and (for VALUE) the number."""

    status: CellStatus
    value: Decimal | None = None
    unit: str | None = None  # an amount unit printed in the cell ("73802895.90元"), kept as printed


def read_cell(raw: str) -> CellText | None:
    """The cell's content, or None when the text is not a cell value (it is a label)."""
    s = raw.strip().replace("\u200b", "")
    if s in _UNKNOWN:
        return CellText(CellStatus.UNKNOWN)
    if s in _NA:
        return CellText(CellStatus.NOT_APPLICABLE)
    if s in _ZERO:
        return CellText(CellStatus.CONFIRMED_ZERO)
    m = _UNIT.search(s)
    unit = m.group(1) if m and m.group(1) in _AMOUNT_UNITS else None
    s = _UNIT.sub("", s).strip()
    if _NUMBER.match(s):
        return CellText(CellStatus.VALUE, Decimal(s.replace(",", "").replace("−", "-").lstrip("+")), unit)
    return None


def is_value_token(raw: str) -> bool:
    """True for a non-blank token that is a cell value (number, "/", "—", "无", "未填"…)."""
    return bool(raw.strip()) and read_cell(raw) is not None
