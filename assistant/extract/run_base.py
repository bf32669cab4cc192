"""The typed core every rule of the offline extractor works on: the state of one run and the operations the rule
modules offer each other.

The rule modules (clauses, pairing, table2/3/4, markers, scope, answers, corrections, closure, recording) each
add their rules to :class:`RunBase`; :class:`assistant.extract.rules._Run` combines them. The methods below are
the declared interface between them (each is implemented in the module named in its comment), so that ``mypy``
checks every call across modules.
"""

from __future__ import annotations

from decimal import Decimal

from ..facts import FactUpdate, Report
from ..formats import CellSpec, ReportFormat
from ..numbers import NumberMention
from .base import ExtractionContext, ExtractionResult, PendingQuestion
from .state import GroupTotal, RunState
from .vocabulary import Token


class RunBase:
    """One extraction's state, and the rule operations shared across modules (implemented by the mixins)."""

    context: ExtractionContext
    report: Report
    pending: list[PendingQuestion]
    res: ExtractionResult
    max_chars: int
    message: str
    updates: dict[str, FactUpdate]
    stated: set[str]  # cells the clerk gave a number for in prose (not inferred)
    from_table: set[str]  # cells read from a pasted table
    unread: set[str]  # cells named in words that gave no number
    clause_span: tuple[int, int] | None  # the clause being read, in the normalised message
    state: RunState
    correction: bool
    copy_rows: list[tuple[str, Decimal, str]]
    _last_toks: list[Token]
    amending: bool
    markers_seen: bool
    orphans: list[tuple[NumberMention, str]]
    bare_neg_clauses: list[str]
    fmt: ReportFormat
    cells: dict[str, CellSpec]
    amount_unit_known: bool

    def _pending_of(self, *kinds: str) -> PendingQuestion | None:
        raise NotImplementedError  # rules.py

    def _sentence(self, sentence: str, base: int = 0) -> None:
        raise NotImplementedError  # clauses.py

    def _single_applicant_total(self) -> str | None:
        raise NotImplementedError  # clauses.py

    def _close_group(self, g: GroupTotal) -> None:
        raise NotImplementedError  # clauses.py

    def _row_sum(self, rid: str) -> Decimal:
        raise NotImplementedError  # clauses.py

    def _fee_sentence(self, sentence: str) -> None:
        raise NotImplementedError  # clauses.py

    def _reference_row(self, toks: list[Token]) -> None:
        raise NotImplementedError  # clauses.py

    def _table_of(self, table_id: str) -> str | None:
        raise NotImplementedError  # clauses.py

    def _clause(self, clause: str, toks: list[Token]) -> bool:
        raise NotImplementedError  # clauses.py

    def _non_value(self, t: Token, ev: str) -> None:
        raise NotImplementedError  # clauses.py

    def _pair(self, clause: str, toks: list[Token], ev: str) -> None:
        raise NotImplementedError  # pairing.py

    def _respectively(self, toks: list[Token], ev: str) -> bool:
        raise NotImplementedError  # pairing.py

    def _assign(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        raise NotImplementedError  # pairing.py

    def _carried(self, m: NumberMention, flags: set[str], ev: str) -> None:
        raise NotImplementedError  # pairing.py

    def _t3_row_id(self, rid: str) -> str | None:
        raise NotImplementedError  # table3.py

    def _context_t3_rows(self) -> list[str]:
        raise NotImplementedError  # table3.py

    def _note_row(self, rid: str) -> None:
        raise NotImplementedError  # table3.py

    def _assign_t3(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        raise NotImplementedError  # table3.py

    def _group_cells(self, group: str, col: str | None) -> list[str]:
        raise NotImplementedError  # table3.py

    def _group_rows(self, group: str) -> list[str]:
        raise NotImplementedError  # table3.py

    def _zero_row_cols(self, rid: str, cols: list[str], ev: str) -> None:
        raise NotImplementedError  # table3.py

    def _column_is_total(self, rid: str, col: str, total: Decimal, ev: str) -> None:
        raise NotImplementedError  # table3.py

    def _assign_t4(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        raise NotImplementedError  # table4.py

    def _open_t4_total(self) -> tuple[str, Decimal] | None:
        raise NotImplementedError  # table4.py

    def _resolve_suit_kind(self, primary: list[Token], ev: str) -> bool:
        raise NotImplementedError  # table4.py

    def _t2_col_id(self, cid: str) -> str | None:
        raise NotImplementedError  # table2.py

    def _is_2019_change(self, ctx: list[Token], m: NumberMention) -> bool:
        raise NotImplementedError  # table2.py

    def _open_t2_row(self, ctx: list[Token]) -> str | None:
        raise NotImplementedError  # table2.py

    def _assign_t2(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        raise NotImplementedError  # table2.py

    def _t2_zero_cols(self, row: str) -> list[str]:
        raise NotImplementedError  # table2.py

    def _no_number_clause(self, clause: str, toks: list[Token], ev: str) -> None:
        raise NotImplementedError  # markers.py

    def _resolve_markers(self, toks: list[Token], ev: str) -> None:
        raise NotImplementedError  # markers.py

    def _flush_deferred(self) -> None:
        raise NotImplementedError  # markers.py

    def _place_deferred(self, t3rows: list[Token], ev: str) -> bool:
        raise NotImplementedError  # markers.py

    def _move_tentative(self, t3rows: list[Token], ev: str) -> bool:
        raise NotImplementedError  # markers.py

    def _update_context(self, primary: list[Token]) -> None:
        raise NotImplementedError  # markers.py

    def _zero_tables(self, toks: list[Token], ev: str) -> None:
        raise NotImplementedError  # scope.py

    def _zero_markers(self, targets: list[Token], ev: str) -> None:
        raise NotImplementedError  # scope.py

    def _all_columns(self, rows: list[str], cols: list[str], ev: str) -> None:
        raise NotImplementedError  # scope.py

    def _rest_kind(self, toks: list[Token]) -> str | None:
        raise NotImplementedError  # scope.py

    def _rest_zero(self, scope: str, toks: list[Token], ev: str) -> None:
        raise NotImplementedError  # scope.py

    def _result_cells(self) -> list[str]:
        raise NotImplementedError  # scope.py

    def _generic_rest_cells(self) -> list[str] | None:
        raise NotImplementedError  # scope.py

    def _needs_positive(self, key: str) -> bool:
        raise NotImplementedError  # scope.py

    def _answer(self, text: str) -> None:
        raise NotImplementedError  # answers.py

    def _confirm_zero(self, q: PendingQuestion, evidence: str) -> None:
        raise NotImplementedError  # answers.py

    def _pending_table(self) -> str | None:
        raise NotImplementedError  # answers.py

    def _pending_rows(self, table: str) -> list[str]:
        raise NotImplementedError  # answers.py

    def _pending_group_t4(self) -> str | None:
        raise NotImplementedError  # answers.py

    def _pending_row_t2(self) -> str | None:
        raise NotImplementedError  # answers.py

    def _bare(self) -> None:
        raise NotImplementedError  # answers.py

    def _orphans_not_understood(self) -> None:
        raise NotImplementedError  # answers.py

    def _correct_old_value(self, old: Token, new: Token, ev: str, column: str | None = None) -> bool:
        raise NotImplementedError  # corrections.py

    def _follow_single_column(self) -> None:
        raise NotImplementedError  # corrections.py

    def _closure(self) -> None:
        raise NotImplementedError  # closure.py

    def _copy_received_columns(self, rid: str, total: Decimal, ev: str) -> None:
        raise NotImplementedError  # closure.py

    def _closure_results(self) -> None:
        raise NotImplementedError  # closure.py

    def _stated_total(self, key: str) -> Decimal | None:
        raise NotImplementedError  # recording.py

    def _known_value(self, key: str) -> Decimal | None:
        raise NotImplementedError  # recording.py

    def _effective(self, key: str) -> Decimal | None:
        raise NotImplementedError  # recording.py

    def _put_value(
        self, key: str, m: NumberMention, ev: str, *, correction: bool | None = None, supersede: bool = False
    ) -> bool:
        raise NotImplementedError  # recording.py

    def _sum_is_row_total(self, key: str, value: Decimal, ev: str) -> bool:
        raise NotImplementedError  # recording.py

    def _unread_from(self, toks: list[Token]) -> None:
        raise NotImplementedError  # recording.py

    def _infer_zero(self, key: str, ev: str) -> None:
        raise NotImplementedError  # recording.py

    def _set(self, up: FactUpdate) -> None:
        raise NotImplementedError  # recording.py

    def _finish(self) -> None:
        raise NotImplementedError  # recording.py

    def _with_span(self, up: FactUpdate) -> FactUpdate:
        raise NotImplementedError  # recording.py

    def _fmt_name(self) -> str:
        raise NotImplementedError  # recording.py
