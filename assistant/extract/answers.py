"""Answers to the pending question: yes/no, confirmed zeros and bare numbers or negations."""

from __future__ import annotations

import re

from .base import PendingQuestion
from .cells import input_parts, value_update, zero_update
from .messages import fragment, msg
from .run_base import RunBase

_YES = re.compile(
    r"^\s*(?:是的|是滴|是啊|是|对的|对|对头|没错|确认|正确|好的|好|嗯嗯|嗯|可以|行|确实|没问题|没有问题|yes|ok|y)"
    r"(?=$|[，,。.!！\s~])",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(?:不是|不对|错了|不正确|有误|不全是|并不是|不完全是|否|不|no|n)(?=$|[，,。.!！\s~：:])", re.IGNORECASE
)
_NEG_BARE = re.compile(
    r"^\s*(?:没有|无|没|都没有|均无|全无|一件都没有|一件也没有|一个都没有|都没|没有的|暂无|都是0|均为0|都为0|全是0|为0|是0|0|零|都是零|均为零)"
    r"\s*[。.!！~]*\s*$"
)
_BARE_FILLER = re.compile(r"^[\s共计总是为有的了约吧啊呢嗯哦就一共合计总共件项个起次条宗例家份：:。.!！~]*$")


class AnswerRules(RunBase):
    """Reads a message as the answer to the pending question.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _answer(self, text: str) -> None:
        t = text.strip()
        if not t or not self.pending:
            return
        no = _NO.match(t)
        if no:
            self.res.answer = "no"
            if no.group().strip() in ("不对", "错了", "有误", "不正确"):
                self.correction = True
            return
        q = self._pending_of("confirm_zero", "confirm_value")
        if _YES.match(t):
            self.res.answer = "yes"
            if q and q.kind == "confirm_zero":
                self._confirm_zero(q, t)
            elif q and q.kind == "confirm_value":
                for key, value in q.proposed.items():
                    if key in self.cells:
                        self._set(value_update(key, value, t[:60], note="确认"))
            return
        if q and q.kind == "confirm_zero" and _NEG_BARE.match(t):
            self.res.answer = "yes"
            self._confirm_zero(q, t)

    def _confirm_zero(self, q: PendingQuestion, evidence: str) -> None:
        for key in q.cells:
            if key in self.cells:
                for part in input_parts(self.fmt, key):
                    if part not in self.updates:
                        self._set(zero_update(part, evidence[:60]))

    def _pending_table(self) -> str | None:
        for q in self.pending:
            for key in q.cells:
                if key in self.cells:
                    return self.cells[key].table
        return None

    def _pending_rows(self, table: str) -> list[str]:
        rows: list[str] = []
        for q in self.pending:
            for key in q.cells:
                spec = self.cells.get(key)
                if spec and spec.table == table and spec.row_id not in rows and spec.row_id != "result_total":
                    rows.append(spec.row_id)
        return rows

    def _pending_group_t4(self) -> str | None:
        rows = self._pending_rows("table4")
        return rows[0] if len(rows) == 1 else None

    def _pending_row_t2(self) -> str | None:
        rows = self._pending_rows("table2")
        return rows[0] if len(rows) == 1 else None

    def _bare(self) -> None:
        if not self.pending:
            self._orphans_not_understood()
            return
        cells_q = self._pending_of("cells", "contradiction", "confirm_value")
        bare = all(_BARE_FILLER.match(ev.replace(m.surface, "", 1)) for m, ev in self.orphans)
        if self.orphans and cells_q and not self.markers_seen and bare:
            targets = [k for k in (cells_q.cells or list(cells_q.proposed)) if k in self.cells]
            nums = self.orphans
            if len(targets) == len(nums):
                pairs = list(zip(targets, nums, strict=True))
            elif len(nums) == 1:
                derived = [k for k in targets if self.cells[k].derived]
                pairs = [(derived[0], nums[0])] if len(derived) == 1 else []
            else:
                pairs = []
            if pairs:
                corr = self.correction or cells_q.kind in ("contradiction", "confirm_value")
                for key, (m, ev) in pairs:
                    self._put_value(key, m, ev, correction=corr)
                self.orphans = []
        if self.bare_neg_clauses and not self.markers_seen and self.res.answer is None:
            q = self._pending_of("cells", "confirm_zero")
            if q:
                for key in q.cells:
                    if key in self.cells:
                        for part in input_parts(self.fmt, key):
                            if part not in self.updates:
                                self._set(zero_update(part, self.bare_neg_clauses[0], correction=self.correction))
                if q.kind == "confirm_zero":
                    self.res.answer = "yes"
        self._orphans_not_understood()

    def _orphans_not_understood(self) -> None:
        if self._pending_of("narrative", "meta"):
            self.orphans = []
            return
        for m, ev in self.orphans:
            if not (m.chinese and m.value == 1):
                self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
        self.orphans = []
