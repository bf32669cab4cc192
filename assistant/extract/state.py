"""The working state of one rule extraction: what the message and the current sentence are about."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..numbers import NumberMention
from .vocabulary import Token


@dataclass
class GroupTotal:
    """A number stated for a row group (不予公开2件) waiting for its specific row in the same sentence."""

    group: str
    col: str | None
    mention: NumberMention
    evidence: str
    cells: list[str] = field(default_factory=list)  # the group's input cells, unread until its rows are given


@dataclass
class RunState:
    """What one run is reading about: message-level context, and sentence-level notes reset per sentence."""

    # message level: what is under discussion
    cur_t3_row: str | None = None
    cur_t4_group: str | None = None
    cur_t2_row: str | None = None
    col_scope: str | None = None  # an applicant heading ("自然人的申请中") open until the statement ends
    cur_kind: str | None = None  # "table2" | "table3" | "table4": the context most recently set
    last_table: str | None = None
    rows_discussed: list[str] = field(default_factory=list)  # table 三 rows given values in this message
    last_total: Decimal | None = None  # last received/result total stated (for "全部予以公开")
    # sentence level
    pending_group: GroupTotal | None = None
    t4_total: tuple[str, Decimal] | None = None  # (group, value) stated without a result column
    t4_generic: tuple[str, NumberMention, str] | None = None  # "行政诉讼1件" before saying which kind
    row_total: tuple[str, Decimal] | None = None  # last table 三 row total stated in this sentence
    col_rows: dict[str, set[str]] = field(default_factory=dict)  # table 三 row → columns stated in this sentence
    rows_in_sentence: list[str] = field(default_factory=list)
    prev_markers: list[Token] = field(default_factory=list)  # markers of the previous clause, when it had no number
    tentative: tuple[str, str, NumberMention, str] | None = None  # (row, column, number, words): row from context
    last_failed: bool = False  # the last clause with a number could not be placed
    deferred: tuple[str, NumberMention, str, str | None] | None = None  # (column, number, words, fallback row)
    scope_clause: bool = False  # the previous clause only set a scope ("已办结的申请中")
    list_kind: str | None = None  # what the last number of this statement was paired with ("t3col": an applicant list)
    in_bracket: bool = False  # the clause is inside brackets (a remark on what precedes it)
    sentence_ctx: bool = False  # a row/group was named or filled earlier in this sentence

    def new_sentence(self) -> None:
        self.pending_group = None
        self.t4_total = None
        self.t4_generic = None
        self.row_total = None
        self.col_rows = {}
        self.rows_in_sentence = []
        self.prev_markers = []
        self.sentence_ctx = False
        self.last_failed = False
        self.deferred = None
        self.scope_clause = False
