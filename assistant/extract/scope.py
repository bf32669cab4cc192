"""Scope words: 没有X / 表四全部为0 / 都是自然人 / 其余均为0 confirm zeros for the group of cells they name."""

from __future__ import annotations

from decimal import Decimal

from .cells import input_parts, zero_update
from .kinds import PRIMARY
from .messages import fragment, msg
from .run_base import RunBase
from .table4 import t4_groups
from .vocabulary import Token


class ScopeRules(RunBase):
    """Confirms zeros for the cells a scope word names.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _zero_tables(self, toks: list[Token], ev: str) -> None:
        """表四全部为0 / 表二都没有: every input cell of the named table."""
        for t in toks:
            if t.kind != "table":
                continue
            table = self._table_of(t.id)
            if not table:
                self.res.not_understood.append(msg("rest_unclear", fragment=fragment(ev)))
                continue
            for spec in self.fmt.table_cells(table):
                if not spec.derived:
                    self._infer_zero(spec.key, ev)

    def _zero_markers(self, targets: list[Token], ev: str) -> None:
        """没有X: confirm 0 for everything X names."""
        st = self.state
        rows = [t for t in targets if t.kind == "t3row"]
        groups = [t for t in targets if t.kind == "t3group"]
        cols = list(dict.fromkeys(t.id for t in targets if t.kind == "t3col"))
        weak = [t for t in targets if t.kind == "t3weak"]
        t4g = [t.id for t in targets if t.kind == "t4group"]
        t4c = list(dict.fromkeys(t.id for t in targets if t.kind == "t4col"))
        t2r = list(dict.fromkeys(t.id for t in targets if t.kind == "t2row"))
        t2c = [t.id for t in targets if t.kind == "t2col"]
        row_ids = [r for r in (self._t3_row_id(t.id) for t in rows) if r]
        for group_tok in groups:
            row_ids.extend(self._group_rows(group_tok.id))
        if not row_ids and (cols or (weak and not (t4g or t2r or t4c or t2c))):
            row_ids = self._context_t3_rows() if cols else ["received"]
        for rid in dict.fromkeys(row_ids):
            self._zero_row_cols(rid, cols, ev)
            st.cur_t3_row, st.cur_kind = rid, "table3"
        if t4g or t4c:
            groups4: list[str] = []
            if any(g in ("suit_direct", "suit_after_review") for g in t4g):
                t4g = [g for g in t4g if g != "suit"]  # "行政诉讼中未经复议直接起诉的没有"
            for g in t4g:
                groups4.extend(["suit_direct", "suit_after_review"] if g == "suit" else t4_groups([g]))
            if not groups4 and st.cur_t4_group:
                groups4 = [st.cur_t4_group]
            for g in dict.fromkeys(groups4):
                keys = [f"t4.{g}.{c}" for c in t4c] if t4c else input_parts(self.fmt, f"t4.{g}.total")
                for k in keys:
                    self._set(zero_update(k, ev, correction=self.correction))
                st.cur_t4_group, st.cur_kind = g, "table4"
        for r in t2r:
            keys = [f"t2.{r}.{c}" for c in (self._t2_col_id(c) for c in t2c) if c] if t2c else self._t2_zero_cols(r)
            for k in keys:
                if k in self.cells:
                    self._set(zero_update(k, ev, correction=self.correction))
            st.cur_t2_row, st.cur_kind = r, "table2"
        if not t2r and t2c and st.cur_t2_row:
            for c in t2c:
                cid = self._t2_col_id(c)
                k = f"t2.{st.cur_t2_row}.{cid}"
                if cid and k in self.cells:
                    self._set(zero_update(k, ev, correction=self.correction))

    def _all_columns(self, rows: list[str], cols: list[str], ev: str) -> None:
        """都是自然人: the other applicant columns of the rows under discussion are 0; with a known row total and
        one column, that column equals the total."""
        for rid in rows:
            total_key = f"t3.{rid}.total"
            if total_key not in self.cells:
                continue
            total = self._stated_total(total_key) if len(cols) == 1 else None
            if total is not None and total > 0:
                self._column_is_total(rid, cols[0], total, ev)
                continue
            for c in self.fmt.applicant_part_columns:
                if c.id not in cols:
                    self._infer_zero(f"t3.{rid}.{c.id}", ev)
            self.state.col_rows.setdefault(rid, set()).update(cols)

    def _rest_kind(self, toks: list[Token]) -> str | None:
        """What "其余/其他 … 0" is about, from the words around it (None: the clause is about something else)."""
        kinds = {t.kind for t in toks}
        primary = [t for t in toks if t.kind in PRIMARY]
        if "table" in kinds:
            return "table"
        if "rest_all" in kinds:
            return "all"
        if "rest_applicant" in kinds or ("rest" in kinds and "applicant" in kinds):
            return "applicant"
        if "rest_results" in kinds or ("rest" in kinds and any(t.id == "result_total" for t in primary)):
            return "results"
        if "rest" in kinds and primary and all(t.kind == "t3group" for t in primary):
            return "group"
        if "rest" in kinds and primary and all(t.kind == "t4group" for t in primary):
            return "t4groups"  # "其余复议诉讼为0": the rest of those table 四 groups
        if "rest" in kinds and not primary:
            return "generic"
        return None

    def _rest_zero(self, scope: str, toks: list[Token], ev: str) -> None:
        st = self.state
        candidates: list[str] = []
        guard = True  # never zero a cell whose row total still needs a positive value
        if scope == "table":
            for t in toks:
                table = self._table_of(t.id) if t.kind == "table" else None
                if table:
                    candidates.extend(s.key for s in self.fmt.table_cells(table) if not s.derived)
        elif scope == "applicant":
            guard = False  # the clerk named the applicant types explicitly
            if not st.rows_in_sentence and not st.cur_t3_row and not self._pending_rows("table3"):
                # "其他类型的申请人都没有" after telling applicant by applicant: every applicant column with no
                # number anywhere in table 三 is 0 in every row
                rows3 = [r.id for r in self.fmt.table3_rows if f"t3.{r.id}.total" in self.cells]
                for c in self.fmt.applicant_part_columns:
                    keys = [f"t3.{r}.{c.id}" for r in rows3 if f"t3.{r}.{c.id}" in self.cells]
                    if not any(k in self.updates or self.report.cell(k).known for k in keys):
                        candidates.extend(keys)
                rows = []
            else:
                rows = list(st.rows_in_sentence) or self._context_t3_rows()
            for rid in rows:
                named = st.col_rows.get(rid, set())
                candidates.extend(f"t3.{rid}.{c.id}" for c in self.fmt.applicant_part_columns if c.id not in named)
        elif scope == "results":
            candidates = self._result_cells()
        elif scope == "all":
            # "没说到的都是0": every cell not stated of the tables this message (else the question) was about
            tables = list(dict.fromkeys(self.cells[k].table for k in [*self.updates, *sorted(self.unread)]))
            asked = self._pending_table()
            if not tables and asked:
                tables = [asked]
            if not tables and st.last_table:
                tables = [st.last_table]
            if not tables:
                self.res.not_understood.append(msg("rest_unclear", fragment=fragment(ev)))
                return
            for table in tables:
                candidates.extend(s.key for s in self.fmt.table_cells(table) if not s.derived)
        elif scope == "t4groups":
            for g in t4_groups([t.id for t in toks if t.kind == "t4group"]):
                candidates.extend(input_parts(self.fmt, f"t4.{g}.total"))
        elif scope == "group":
            for t in toks:
                if t.kind == "t3group":
                    for rid in self._group_rows(t.id):
                        candidates.extend(input_parts(self.fmt, f"t3.{rid}.total"))
        else:
            generic = self._generic_rest_cells()
            if generic is None:
                self.res.not_understood.append(msg("rest_unclear", fragment=fragment(ev)))
                return
            candidates = generic
        open_group = set(st.pending_group.cells) if st.pending_group else set()  # its rows not given yet
        for key in dict.fromkeys(candidates):
            if key in self.updates or self.report.cell(key).known or key in self.unread or key in open_group:
                continue  # stated, known, or named in words that gave no number ("剩下的都是0" never covers those)
            if guard and self._needs_positive(key):
                continue
            self._set(zero_update(key, ev, correction=self.correction))

    def _result_cells(self) -> list[str]:
        out: list[str] = []
        for row in self.fmt.table3_result_rows:
            out.extend(input_parts(self.fmt, f"t3.{row.id}.total"))
        for rid in self.state.rows_discussed:  # 结转下年度 named in the same breath
            if rid == "carried_out":
                out.extend(input_parts(self.fmt, "t3.carried_out.total"))
        return out

    def _generic_rest_cells(self) -> list[str] | None:
        """其余均为0 with no scope word: what this message was about, else the pending question, else the table
        last pasted. (The message's own context comes first: "……结转下年度4件。其余都是0" is about table 三.)"""
        st = self.state
        asked = {self.cells[k].row_id for q in self.pending for k in q.cells if k in self.cells}
        if st.cur_kind == "table4" and st.sentence_ctx and st.cur_t4_group and len(asked - {st.cur_t4_group}) == 0:
            # "复议后起诉的：结果维持3件，尚未审结1件，其余为0": the rest of the group this sentence is about
            return input_parts(self.fmt, f"t4.{st.cur_t4_group}.total")
        if st.cur_kind in ("table4", "table2"):
            return [s.key for s in self.fmt.table_cells(st.cur_kind) if not s.derived]
        if st.cur_kind == "table3" or st.rows_discussed:
            rows = st.rows_in_sentence or st.rows_discussed
            if len(rows) == 1 and st.col_rows.get(rows[0]):
                return [f"t3.{rows[0]}.{c.id}" for c in self.fmt.applicant_part_columns]
            if any(r in {x.id for x in self.fmt.table3_result_rows} or r == "carried_out" for r in rows):
                return self._result_cells() + [k for r in rows for k in input_parts(self.fmt, f"t3.{r}.total")]
            return [k for r in rows for k in input_parts(self.fmt, f"t3.{r}.total")]
        pending = [
            part
            for q in self.pending
            if q.kind in ("cells", "confirm_zero")
            for key in q.cells
            if key in self.cells
            for part in input_parts(self.fmt, key)
        ]
        if pending:
            return pending
        if st.last_table:
            return [s.key for s in self.fmt.table_cells(st.last_table) if not s.derived]
        return None

    def _needs_positive(self, key: str) -> bool:
        """Is ``key`` part of a stated row total its known parts do not reach yet (so it may not be 0)?"""
        spec = self.cells[key]
        if spec.table == "table3":
            total_key = f"t3.{spec.row_id}.total"
        elif spec.table == "table4":
            total_key = f"t4.{spec.row_id}.total"
        else:
            return False
        stated = self._stated_total(total_key)
        if stated is None:
            return False
        known = sum((v for v in (self._known_value(p) for p in input_parts(self.fmt, total_key)) if v), Decimal(0))
        return stated > known
