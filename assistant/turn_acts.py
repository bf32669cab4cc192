"""Applying the clerk's conversational acts to the ledger: pending (先空着), clear (清空), stated conventions.

Also the guard that keeps bulk zeros ("其余都是0", a "是" to a fast path) off cells the clerk marked pending or
named in words the engine could not read. Pure functions: report in, report and changes out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .extract.acts import named_cells
from .extract.base import ExtractionResult
from .facts import PENDING_NOTE, CellFact, CellStatus, Change, FactUpdate, Provenance, Report, apply_updates

_BULK_WORDS = re.compile(r"其余|其他|其它|剩下|剩余|别的|以外|之外|都|均|全部|一律|没说|没提|未提|空着|空白|没填|未填|各项")
_CONVENTION = re.compile(r"(?:空白|空着|空的|空格|没填|未填|没写|没说|没提)(?:的|处)?(?:格子|单元格|项目?|地方|栏|格)?"
                         r"(?:都|均|一律|全部|就|即)?(?:是|为|算|视为|当作|填)?(?:0|零)")
_TABLE_LINE = re.compile(r"\t|\|.*\||\S\s{2,}\S.*\d")


def has_pasted_table(text: str) -> bool:
    """Two or more lines that look like table rows (tabs, pipes, or columns padded with spaces)."""
    return sum(1 for line in text.splitlines() if _TABLE_LINE.search(line)) >= 2


def guard_updates(updates: list[FactUpdate], result: ExtractionResult, report: Report,
                  protected: Iterable[str], text: str) -> list[FactUpdate]:
    """Proposals minus what the clerk's acts forbid.

    - a cell the clerk said is pending or cleared in this message gets no 0 from the same words;
    - a bulk 0 never lands on a cell that is pending or was named in words we did not read (only words naming
      that very cell can make it 0);
    - a stated convention ("空白的格子就是0") is not itself a 0 for any cell: it applies to the table to come.
    """
    fmt = report.fmt
    pending = set(result.pending_cells)
    cleared = set(result.cleared_cells)
    guarded = set(protected) | {k for k, f in report.cells.items() if f.pending}
    questions = [q for q in result.clerk_questions if q]
    out: list[FactUpdate] = []
    for u in updates:
        if u.evidence and any(u.evidence.strip("，,。 ") in q for q in questions):
            continue  # a question states no fact ("逾期不补正的算哪一项？" is not 1件)
        zero = u.status == CellStatus.CONFIRMED_ZERO
        if u.cell in cleared or (u.cell in pending and zero):
            continue
        if zero and result.conventions.get("blank") and _CONVENTION.search(u.evidence or ""):
            continue
        if zero and u.cell in guarded:
            ev = u.evidence or ""
            if _BULK_WORDS.search(ev) or u.cell not in named_cells(ev, fmt):
                continue
        out.append(u)
    return out


def mark_pending(report: Report, cells: Iterable[str], *, evidence: str, ref: str | None,
                 skip: Iterable[str] = ()) -> tuple[Report, list[Change]]:
    """Cells the clerk does not know yet: unknown with a 待核实 marker (never 0; a value given now wins)."""
    new = dict(report.cells)
    changes: list[Change] = []
    skipped = set(skip)
    for key in dict.fromkeys(cells):
        before = report.cell(key)
        if before.pending or key in skipped:
            continue
        after = CellFact(provenance=Provenance(source="message", ref=ref, evidence=evidence[:200] or None,
                                               note=PENDING_NOTE))
        new[key] = after
        changes.append(Change(cell=key, before=before, after=after))
    if not changes:
        return report, []
    return report.model_copy(update={"cells": new}), changes


def clear_cells(report: Report, cells: Iterable[str]) -> tuple[Report, list[Change]]:
    """Cells the clerk empties by chat ("收费那一项清空"): back to unknown, asked about again."""
    new = dict(report.cells)
    changes: list[Change] = []
    for key in dict.fromkeys(cells):
        before = report.cell(key)
        if key not in new:
            continue
        del new[key]
        changes.append(Change(cell=key, before=before, after=CellFact()))
    if not changes:
        return report, []
    return report.model_copy(update={"cells": new}), changes


def blank_zero_updates(report: Report, touched: Iterable[str], protected: Iterable[str]) -> list[FactUpdate]:
    """"空白就是0" applied to a pasted table: the still-unknown cells of every row the table filled become 0."""
    fmt = report.fmt
    specs = fmt.cells()
    rows = {(specs[k].table, specs[k].row_id) for k in touched if k in specs}
    guarded = set(protected)
    out = []
    for spec in fmt.input_cells():
        if (spec.table, spec.row_id) not in rows or spec.key in guarded:
            continue
        fact = report.cell(spec.key)
        if fact.known or fact.pending:
            continue
        out.append(FactUpdate(cell=spec.key, status=CellStatus.CONFIRMED_ZERO, evidence="空白即为0（按您的说明）"))
    return out


def apply_blank_convention(report: Report, touched: list[str], protected: Iterable[str],
                           ref: str | None) -> tuple[Report, list[Change]]:
    ups = blank_zero_updates(report, touched, protected)
    if not ups:
        return report, []
    res = apply_updates(report, ups, source="confirmation", ref=ref)
    return res.report, res.changes
