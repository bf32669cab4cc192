"""Table 三 (applications received and handled): row ids, context rows and attaching numbers to its cells."""

from __future__ import annotations

from decimal import Decimal

from ..facts import format_number
from ..numbers import NumberMention
from .cells import input_parts, value_update, zero_update
from .messages import fragment, msg
from .run_base import RunBase
from .state import GroupTotal
from .vocabulary import Token

_ORG_COLS = ("business", "research", "public_interest", "legal_service", "other")


class Table3Rules(RunBase):
    """Places numbers in table 三.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _t3_row_id(self, rid: str) -> str | None:
        if rid.startswith("oh_"):
            n = rid[3:]
            if f"t3.other_handling_{n}.total" in self.cells:
                return f"other_handling_{n}"
            return "other_handling" if "t3.other_handling.total" in self.cells else None
        return rid if f"t3.{rid}.total" in self.cells else None

    def _context_t3_rows(self) -> list[str]:
        st = self.state
        if st.cur_t3_row:
            return [st.cur_t3_row]
        rows = self._pending_rows("table3")
        return rows if len(rows) == 1 else ["received"]

    def _note_row(self, rid: str) -> None:
        st = self.state
        st.cur_t3_row, st.cur_kind, st.sentence_ctx = rid, "table3", True
        if rid not in st.rows_discussed:
            st.rows_discussed.append(rid)
        if rid not in st.rows_in_sentence:
            st.rows_in_sentence.append(rid)

    def _assign_t3(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        rows = [t for t in ctx if t.kind == "t3row"]
        groups = [t for t in ctx if t.kind == "t3group"]
        if any(t.id != "result_total" for t in rows) or groups:
            rows = [t for t in rows if t.id != "result_total"]  # "办理结果是：予以公开4件"
        if groups and rows:
            groups = []  # "不予公开的1件属于商业秘密": the specific row wins over its group
        if (
            groups
            and all(g.id == "other_handling" for g in groups)
            and m.value != 0
            and len(self._group_rows("other_handling")) == 1
        ):
            rows, groups = [Token("t3row", "oh_3", g.start, g.end, g.text) for g in groups[-1:]], []
        cols = list(dict.fromkeys(t.id for t in ctx if t.kind == "t3col"))
        row_ids = list(dict.fromkeys(r for r in (self._t3_row_id(t.id) for t in rows) if r))
        if not cols and st.col_scope and (row_ids or groups):
            cols = [st.col_scope]  # under an applicant heading: "自然人的申请中，予以公开30件"
        if "col_is_total" in flags and len(row_ids) == 1 and len(cols) == 1 and m.value > 0:
            rid = row_ids[0]
            self._note_row(rid)
            if self._put_value(f"t3.{rid}.total", m, ev):
                self._column_is_total(rid, cols[0], m.value, ev)
            return
        if rows and not row_ids:
            self.res.not_understood.append(msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name()))
            return
        distribute = bool(flags & {"all", "each"}) or m.value == 0
        if not row_ids and groups:
            if m.value == 0:
                for g in dict.fromkeys(t.id for t in groups):
                    for rid in self._group_rows(g):
                        self._zero_row_cols(rid, cols, ev)
                return
            st.pending_group = GroupTotal(groups[-1].id, cols[-1] if cols else None, m, ev)
            st.pending_group.cells = self._group_cells(groups[-1].id, cols[-1] if cols else None)

            st.cur_kind, st.sentence_ctx = "table3", True
            return
        if (
            not row_ids
            and "number_first" in flags
            and len(cols) == 1
            and st.cur_t3_row
            and (st.cur_t3_row not in ("received", "carried_in", "carried_out"))
            and (not st.sentence_ctx or flags & {"rest", "more"})
        ):
            # "还有1件是公司要的材料……" / "剩下2件是个人的，都是重复申请": a new item whose row may follow
            st.deferred = (cols[0], m, ev, st.cur_t3_row if st.sentence_ctx else None)
            return
        if not row_ids and self.correction and len(cols) == 1 and not st.sentence_ctx and not st.cur_t3_row:
            # "更正：商业企业应为9件": the one row whose column the clerk stated before; two such rows → ask
            stated = [
                r.id
                for r in self.fmt.table3_rows
                if f"t3.{r.id}.{cols[0]}" in self.cells
                and self.report.cell(f"t3.{r.id}.{cols[0]}").status.value == "value"
            ]
            if len(stated) > 1:
                self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
                return
            row_ids = stated
        if not row_ids:
            row_ids = self._context_t3_rows()
        if (len(row_ids) > 1 or len(cols) > 1) and not distribute:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        explicit_row = bool(rows)
        for rid in row_ids:
            self._note_row(rid)
            if not cols:
                ok = self._put_value(f"t3.{rid}.total", m, ev, supersede="totalw" in flags and explicit_row)
                open_group = st.pending_group
                if ok and m.value > 0 and open_group and open_group.col and rid in self._group_rows(open_group.group):
                    self._column_is_total(
                        rid, open_group.col, m.value, ev
                    )  # "不予公开3件（均为自然人，其中国家秘密1件…）"
                elif ok and m.value > 0:
                    st.row_total = (rid, m.value)
                    if rid in ("received", "result_total"):
                        st.last_total = m.value
                continue
            for col in cols:
                if col == "org":
                    if m.value == 0:
                        for c in _ORG_COLS:
                            self._set(zero_update(f"t3.{rid}.{c}", ev, correction=self.correction))
                    else:
                        self.res.not_understood.append(msg("org_needs_type", fragment=fragment(ev)))
                    continue
                known = self.report.cell(f"t3.{rid}.{col}")
                if (
                    not explicit_row
                    and not (self.correction or self.amending or "totalw" in flags)
                    and known.known
                    and known.numeric != m.value
                ):
                    # the row only comes from context: never silently change what an earlier message said
                    self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
                    continue
                if (
                    self._put_value(f"t3.{rid}.{col}", m, ev)
                    and not explicit_row
                    and len(cols) == 1
                    and rid not in ("received", "carried_in", "carried_out")
                ):
                    st.tentative = (rid, col, m, ev)  # the row may still be named after it ("1件企业的，重复申请")
                st.col_rows.setdefault(rid, set()).add(col)

    def _group_cells(self, group: str, col: str | None) -> list[str]:
        """The input cells of a row group (in one applicant column when given)."""
        keys = [k for r in self._group_rows(group) for k in input_parts(self.fmt, f"t3.{r}.total")]
        return [k for k in keys if col is None or k.endswith(f".{col}")]

    def _group_rows(self, group: str) -> list[str]:
        return [r.id for r in self.fmt.table3_rows if r.id.startswith(group)]

    def _zero_row_cols(self, rid: str, cols: list[str], ev: str) -> None:
        if not cols:
            for key in input_parts(self.fmt, f"t3.{rid}.total"):
                self._set(zero_update(key, ev, correction=self.correction))
            return
        for col in cols:
            for c in _ORG_COLS if col == "org" else (col,):
                self._set(zero_update(f"t3.{rid}.{c}", ev, correction=self.correction))

    def _column_is_total(self, rid: str, col: str, total: Decimal, ev: str) -> None:
        """All of a row's total came from one applicant type: that column is the total, the others are 0."""
        key = f"t3.{rid}.{col}"
        known = self._known_value(key) if key in self.cells else None
        if known is not None and known != total and (key in self.stated or (known != 0 and not self.correction)):
            return  # that applicant type has another number already: the total is not all theirs
        others = [f"t3.{rid}.{c.id}" for c in self.fmt.applicant_part_columns if c.id != col]
        if not self.correction and any(self._known_value(k) for k in others if k in self.cells):
            # "除自然人8件外，其余都是商业企业": another type has applications of this row, so the total is not all
            # theirs; the remainder is arithmetic the clerk did not state: ask
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            self.unread.add(key)
            return
        if key in self.cells and key not in self.updates:
            note = msg(
                "inferred", phrase=fragment(ev, 20), cell=self.cells[key].display_label, value=format_number(total)
            )
            self._set(value_update(key, total, ev, correction=self.correction, note=note))
        for c in self.fmt.applicant_part_columns:
            if c.id != col:
                self._infer_zero(f"t3.{rid}.{c.id}", ev)
        self.state.col_rows.setdefault(rid, set()).add(col)
