"""Clauses without a number of their own: the row of a pending group or deferred number, the outcome of a table
四 total, the applicants of a row total, 全部予以公开."""

from __future__ import annotations

import re

from ..facts import format_number
from .cells import value_update
from .kinds import PRIMARY
from .messages import fragment, msg
from .run_base import RunBase
from .table4 import t4_groups
from .vocabulary import Token

_ONLY_FILLER = re.compile(
    r"^[\s的了也都呢啊吧嘛哦呀是都这个那个情况这类此类这种此项该项全年今年本年我们我局我镇年底]*$"
)
_APPLICANT_FILLER = re.compile(
    r"^[\s是为均都也系全部皆由属的申请人提出了递交这那件个类型此该其各位所家一两二三四五六七八九十几名还另外剩下余者们"
    r"交来信网上当面邮寄提]*$"
)


def only_applicants(toks: list[Token], ev: str) -> bool:
    """Does a clause without numbers only say who applied ("都是自然人", "是企业申请的"), rather than use an
    applicant word for something else ("查询企业登记档案")?"""
    rest = ev
    for t in sorted(toks, key=lambda t: len(t.text), reverse=True):
        rest = rest.replace(t.text, "")
    return _APPLICANT_FILLER.match(rest) is not None


class MarkerRules(RunBase):
    """Resolves row/column words that come without a number.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _no_number_clause(self, clause: str, toks: list[Token], ev: str) -> None:
        st = self.state
        kinds = {t.kind for t in toks}
        primary = [t for t in toks if t.kind in PRIMARY]
        tables = [t for t in toks if t.kind == "table"]
        if "neg" not in kinds:
            self._resolve_markers(toks, ev)
            return
        if tables and not primary:
            self._zero_tables(toks, ev)
            return
        targets = primary
        if not targets:
            rest = clause
            for t in toks:
                rest = rest.replace(t.text, "")
            if _ONLY_FILLER.match(rest):
                prev = [t for t in st.prev_markers if t.kind in PRIMARY]
                if prev:  # "上年结转的，没有"
                    targets = prev
                else:
                    self.bare_neg_clauses.append(ev)
        self._zero_markers(targets, ev)

    def _resolve_markers(self, toks: list[Token], ev: str) -> None:
        """Markers without a number of their own: the specific row of a pending group total ("不予公开2件，属于
        商业秘密"), the single outcome of a table 四 total ("复议1件，结果维持"), the applicants of a row total
        ("属于国家秘密2件，自然人" / "都是个人"), "全部予以公开"."""
        st = self.state
        kinds = {t.kind for t in toks}
        primary = [t for t in toks if t.kind in PRIMARY]
        all_flag = "all" in kinds or any(t.marker and t.marker.all for t in toks)
        t3cols = list(dict.fromkeys(t.id for t in primary if t.kind == "t3col" and t.id != "org"))
        t3rows = [t for t in primary if t.kind == "t3row"]
        last_sub = (
            st.pending_group is not None
            and st.row_total is not None
            and not all_flag
            and st.row_total[0] in self._group_rows(st.pending_group.group)
        )  # "其他处理5件，其中逾期不补正4件、撤回1件（律所）": the applicant of the last row, not of the group
        if st.pending_group and not last_sub:
            g = st.pending_group
            group_rows = self._group_rows(g.group)
            sub = [t for t in t3rows if (self._t3_row_id(t.id) or "") in group_rows]
            if len(t3cols) == 1 and g.col is None and (len(sub) == 1 or only_applicants(toks, ev)):
                g.col = t3cols[0]  # "不予公开1件，是企业申请的，属于……" / "（律所申请后逾期不补正）"
                done = [r for r in st.rows_in_sentence if r in group_rows]
                if done and not sub:  # "不予处理4件（信访3件、重复申请1件，均为自然人）"
                    self._all_columns(done, t3cols, ev)
            if len(sub) == 1:
                st.pending_group = None
                rid = self._t3_row_id(sub[0].id)
                assert rid is not None
                evidence = f"{g.evidence}，{ev}"
                self._note_row(rid)
                if self._put_value(f"t3.{rid}.total", g.mention, evidence) and g.col:
                    self._column_is_total(rid, g.col, g.mention.value, evidence)
                elif g.mention.value > 0:
                    st.row_total = (rid, g.mention.value)
                return
            if t3cols:
                return
        if self._place_deferred(t3rows, ev) or self._move_tentative(t3rows, ev):
            return
        self._update_context(primary)
        if self._resolve_suit_kind(primary, ev):
            return
        t4cols = list(dict.fromkeys(t.id for t in primary if t.kind == "t4col"))
        if len(t4cols) == 1 and not st.t4_total and len(primary) == 1 and not st.sentence_ctx:
            st.t4_total = self._open_t4_total()  # "复议1件" … next message: "维持"
        if len(t4cols) == 1 and st.t4_total:
            g4, total = st.t4_total
            key = f"t4.{g4}.{t4cols[0]}"
            if key not in self.updates:
                note = msg(
                    "inferred", phrase=fragment(ev, 20), cell=self.cells[key].display_label, value=format_number(total)
                )
                fix = self.correction or self.report.cell(key).known
                self._set(value_update(key, total, ev, correction=fix, note=note))
                for c in self.fmt.table4_part_columns:  # the whole total has this one outcome
                    self._infer_zero(f"t4.{g4}.{c.id}", ev)
            st.t4_total = None
            return
        if t3cols and not t3rows and not any(t.kind == "t3group" for t in primary):
            if not only_applicants(toks, ev) or (st.last_failed and st.in_bracket):
                return  # "（查询企业登记档案）" describes something else; "网上申请的2件（都是个人）" was not placed
            if all_flag:
                rows = list(st.rows_in_sentence) or list(st.rows_discussed) or self._context_t3_rows()
                specific = [r for r in rows if r != "result_total" and not st.col_rows.get(r)]
                rows = specific or rows  # "共办结46件，结转下年度3件（均为自然人）": not the 46
                self._all_columns(rows, t3cols, ev)
            elif st.row_total and len(t3cols) == 1 and not st.col_rows.get(st.row_total[0]):
                rid, total = st.row_total
                self._column_is_total(rid, t3cols[0], total, ev)  # "属于国家秘密2件，自然人"
            return
        if all_flag and t3rows and st.last_total:
            for t in t3rows:
                rid = self._t3_row_id(t.id)
                if rid == "result_total" and self._effective("t3.carried_in.total") != 0:
                    continue  # "全部办结" equals the received total only without carried-in applications
                if rid and rid not in ("received", "carried_in") and f"t3.{rid}.total" not in self.updates:
                    key = f"t3.{rid}.total"
                    note = msg(
                        "inferred",
                        phrase=fragment(ev, 20),
                        cell=self.cells[key].display_label,
                        value=format_number(st.last_total),
                    )
                    self._set(value_update(key, st.last_total, ev, correction=self.correction, note=note))
                    self._note_row(rid)
                    st.row_total = (rid, st.last_total)
                    self.copy_rows.append((rid, st.last_total, ev))  # done after all sentences (上年结转 may follow)

    def _flush_deferred(self) -> None:
        """No row followed the deferred number: the row this sentence was about, else ask."""
        st = self.state
        if not st.deferred:
            return
        col, m, ev, fallback = st.deferred
        st.deferred = None
        if fallback is None:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        self._put_value(f"t3.{fallback}.{col}", m, ev)
        st.col_rows.setdefault(fallback, set()).add(col)

    def _place_deferred(self, t3rows: list[Token], ev: str) -> bool:
        """A deferred number ("还有1件是公司的") takes the one row named later in its sentence."""
        st = self.state
        if not st.deferred:
            return False
        named = [r for r in (self._t3_row_id(t.id) for t in t3rows) if r and r != "result_total"]
        if len(set(named)) != 1:
            return False
        col, m, first_ev, _fallback = st.deferred
        st.deferred = None
        rid = named[0]
        self._note_row(rid)
        evidence = f"{first_ev}，{ev}"
        if self._put_value(f"t3.{rid}.total", m, evidence):
            self._column_is_total(rid, col, m.value, evidence)
        return True

    def _move_tentative(self, t3rows: list[Token], ev: str) -> bool:
        """ "还有一件公司的申请，对方一直没有补正": a number given with its applicant but no row takes the row named
        right after it in the same sentence, instead of the row under discussion."""
        st = self.state
        if not st.tentative:
            return False
        rid_now, col, m, first_ev = st.tentative
        st.tentative = None
        named = [r for r in (self._t3_row_id(t.id) for t in t3rows) if r and r != "result_total"]
        if len(set(named)) != 1 or named[0] == rid_now:
            return False
        rid = named[0]
        key_now = f"t3.{rid_now}.{col}"
        if key_now in self.updates and key_now not in self.from_table:
            self.updates.pop(key_now)
            self.stated.discard(key_now)
            if self.report.cell(key_now).known:
                pass
        self._note_row(rid)
        evidence = f"{first_ev}，{ev}"
        if self._put_value(f"t3.{rid}.total", m, evidence):
            self._column_is_total(rid, col, m.value, evidence)
        return True

    def _update_context(self, primary: list[Token]) -> None:
        st = self.state
        for t in primary:
            if t.kind == "t3row":
                rid = self._t3_row_id(t.id)
                if rid:
                    st.cur_t3_row, st.cur_kind = rid, "table3"
            elif t.kind == "t3group":
                st.cur_kind = "table3"
            elif t.kind == "t4group":
                st.cur_t4_group, st.cur_kind = t4_groups([t.id])[0], "table4"
            elif t.kind == "t2row":
                st.cur_t2_row, st.cur_kind = t.id, "table2"
