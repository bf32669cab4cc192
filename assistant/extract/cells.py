"""Small helpers shared by the text and table readers: building updates for cells of a format."""

from __future__ import annotations

from decimal import Decimal

from ..facts import CellStatus, FactUpdate, format_number
from ..formats import CellSpec, ReportFormat, ValueKind
from ..numbers import NumberMention, amount_in_wanyuan
from .messages import msg

MAX_EVIDENCE = 300


def input_parts(fmt: ReportFormat, key: str) -> list[str]:
    """The input cells a (possibly derived) cell is made of; [key] for an input cell."""
    parts = fmt.parts_of(key)
    if not parts:
        return [key]
    out: list[str] = []
    for p in parts:
        out.extend(input_parts(fmt, p))
    return list(dict.fromkeys(out))


def zero_update(key: str, evidence: str, *, correction: bool = False, note: str | None = None) -> FactUpdate:
    return FactUpdate(
        cell=key,
        status=CellStatus.CONFIRMED_ZERO,
        evidence=evidence[:MAX_EVIDENCE],
        is_correction=correction,
        note=note,
    )


def value_update(
    key: str, value: Decimal, evidence: str, *, correction: bool = False, note: str | None = None
) -> FactUpdate:
    """A VALUE update, or a confirmed 0 when the value is 0."""
    if value == 0:
        return zero_update(key, evidence, correction=correction, note=note)
    return FactUpdate(
        cell=key,
        status=CellStatus.VALUE,
        value=value,
        evidence=evidence[:MAX_EVIDENCE],
        is_correction=correction,
        note=note,
    )


def cell_value_from_mention(
    spec: CellSpec, m: NumberMention, *, amount_unit_known: bool = False
) -> tuple[Decimal | None, str | None, str | None]:
    """(value, note, problem) for putting a number into a cell: converts 元 → 万元 with a note; ``problem`` names a
    prompts/extract template when the unit does not fit the cell."""
    if spec.kind == ValueKind.AMOUNT:
        if m.value < 0:
            return None, None, "negative"
        if m.unit in ("元", "万元", "亿元"):
            value = amount_in_wanyuan(m)
            note = None
            if m.unit != "万元" and value is not None:
                note = msg("unit_converted", surface=m.surface, converted=format_number(value))
            return value, note, None
        if m.value == 0:
            return Decimal(0), None, None
        if m.unit is None and m.number_text.endswith("万"):  # "2.5万" for a 万元 cell
            return (m.value / Decimal(10_000)).normalize(), None, None
        if m.unit is None and amount_unit_known:
            return m.value, None, None
        if m.unit is None:
            return None, None, "amount_needs_unit"
        return None, None, "wrong_unit"
    if m.unit in ("元", "万元", "亿元"):
        return None, None, "wrong_unit"
    if m.value < 0 and spec.kind != ValueKind.SIGNED:
        return None, None, "negative"
    return m.value, None, None
