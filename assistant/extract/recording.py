"""Recording proposed cell updates: values, zeros, stated totals and the final result."""

from __future__ import annotations

from decimal import Decimal

from ..facts import CellStatus, FactUpdate, format_number
from ..numbers import NumberMention
from .base import Ambiguity
from .cells import cell_value_from_mention, input_parts, value_update, zero_update
from .messages import fragment, msg
from .run_base import RunBase
from .table4 import t4_groups
from .vocabulary import Token


def update_value(up: FactUpdate) -> Decimal | None:
    if up.status == CellStatus.VALUE:
        return up.value
    if up.status == CellStatus.CONFIRMED_ZERO:
        return Decimal(0)
    return None


class Recorder(RunBase):
    """Holds the proposed updates of one run and the rules for writing them.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _stated_total(self, key: str) -> Decimal | None:
        up = self.updates.get(key)
        if up is not None:
            return update_value(up)
        cell = self.report.cell(key)
        return cell.value if cell.status == CellStatus.VALUE else None

    def _known_value(self, key: str) -> Decimal | None:
        up = self.updates.get(key)
        if up is not None:
            return update_value(up)
        return self.report.cell(key).numeric

    def _effective(self, key: str) -> Decimal | None:
        """A cell's number counting this message's updates: the sum of a derived cell's parts when all are known."""
        if self.cells[key].derived:
            values = [self._known_value(p) for p in input_parts(self.fmt, key)]
            known = [v for v in values if v is not None]
            if len(known) == len(values):
                return sum(known, Decimal(0))
            return self._stated_total(key)
        return self._known_value(key)

    def _put_value(
        self, key: str, m: NumberMention, ev: str, *, correction: bool | None = None, supersede: bool = False
    ) -> bool:
        """Propose ``m`` for ``key`` (a 0 total confirms all its parts); False when it does not fit the cell."""
        spec = self.cells.get(key)
        if spec is None:
            self.res.not_understood.append(msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name()))
            return False
        corr = self.correction if correction is None else correction
        if m.readings:
            self._ambiguous_reading(key, m, ev)
            return False
        value, note, problem = cell_value_from_mention(spec, m, amount_unit_known=self.amount_unit_known)
        if problem or value is None:
            self.res.not_understood.append(msg(problem or "no_cell", fragment=fragment(ev), unit=m.unit or ""))
            return False
        if key in self.stated and not (corr or supersede) and update_value(self.updates[key]) != value:
            if self._sum_is_row_total(key, value, ev):
                return True
            # "收到8件：……网上申请的2件": a second, different number for a cell this message already filled
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return False
        if note:
            self.res.notes.append(note)
        if value == 0 and spec.derived:
            parts = input_parts(self.fmt, key)
            if not corr and any(p in self.stated and update_value(self.updates[p]) for p in parts):
                # "复议维持1件……复议0件": a 0 total against a number this message stated: ask, never overwrite
                self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
                return False
            for part in parts:
                self._set(zero_update(part, ev, correction=corr))
                self.stated.add(part)
            return True
        up = value_update(key, value, ev, correction=corr, note=note)
        self._set(up.model_copy(update={"span": (m.start, m.end)}) if m.end > m.start else up)
        self.stated.add(key)
        return True

    def _ambiguous_reading(self, key: str, m: NumberMention, ev: str) -> None:
        """A numeral with two plausible values: an Ambiguity offering both, nothing recorded, the cell unread."""
        options = "还是".join(format_number(r) for r in m.readings)
        question = msg(
            "ambiguity_reading",
            fragment=fragment(ev),
            surface=m.surface,
            cell=self.cells[key].display_label,
            options=options,
        )
        self.res.ambiguities.append(
            Ambiguity(evidence=ev[:300], readings=[{key: r} for r in m.readings], question=question)
        )
        self.unread.update([key, *input_parts(self.fmt, key)])  # a total's parts cannot be closed as 0 either

    def _sum_is_row_total(self, key: str, value: Decimal, ev: str) -> bool:
        """ "诉讼3起，其中驳回2起，撤诉1起": two parts of one column that add up to the row total stated in this
        message, with no other column stated — the column is that total (a number the clerk said)."""
        spec = self.cells[key]
        if spec.derived or spec.table not in ("table3", "table4"):
            return False
        total_key = f"{'t3' if spec.table == 'table3' else 't4'}.{spec.row_id}.total"
        if total_key not in self.stated:
            return False
        total = update_value(self.updates[total_key])
        first = update_value(self.updates[key])
        others = [p for p in input_parts(self.fmt, total_key) if p != key and p in self.stated]
        if total is None or first is None or first + value != total or any(self._known_value(p) for p in others):
            return False
        self._set(value_update(key, total, f"{self.updates[key].evidence}，{ev}", correction=self.correction))
        return True

    def _unread_from(self, toks: list[Token]) -> None:
        """The cells a clause names in words that gave no number: never closed by a bulk zero later."""
        st = self.state
        t3_rows: list[str] = []
        for t in toks:
            if t.kind == "t3row":
                rid = self._t3_row_id(t.id)
                if rid:
                    t3_rows.append(rid)
            elif t.kind == "t3group":
                t3_rows.extend(self._group_rows(t.id))
        t3_cols = [t.id for t in toks if t.kind == "t3col" and t.id != "org"]
        if any(t.kind == "rest" and t.text in ("其他", "其它") for t in toks) and st.cur_kind == "table3":
            t3_cols.append("other")  # "其他2件" not placed: maybe the 其他 column
        if t3_cols and not t3_rows:
            t3_rows = self._context_t3_rows()
        keys: list[str] = []
        for rid in t3_rows:
            parts = input_parts(self.fmt, f"t3.{rid}.total")
            keys.extend(p for p in parts if not t3_cols or p.rsplit(".", 1)[1] in t3_cols)
        t4_groups_named = [t.id for t in toks if t.kind == "t4group"]
        t4_cols = [t.id for t in toks if t.kind == "t4col"]
        if t4_cols and not t4_groups_named and st.cur_t4_group:
            t4_groups_named = [st.cur_t4_group]
        for g in t4_groups(t4_groups_named):
            parts = input_parts(self.fmt, f"t4.{g}.total") if f"t4.{g}.total" in self.cells else []
            keys.extend(p for p in parts if not t4_cols or p.rsplit(".", 1)[1] in t4_cols)
        t2_rows = [t.id for t in toks if t.kind == "t2row"] or ([st.cur_t2_row] if st.cur_t2_row else [])
        if any(t.kind in ("t2row", "t2col") for t in toks):
            keys.extend(c.key for c in self.fmt.table_cells("table2") if c.row_id in t2_rows and not c.derived)
        self.unread.update(k for k in keys if k in self.cells)

    def _infer_zero(self, key: str, ev: str) -> None:
        """A zero that follows from the clerk's words; never overrides what the same message stated."""
        if key in self.cells and key not in self.updates:
            self._set(zero_update(key, ev, correction=self.correction))

    def _set(self, up: FactUpdate) -> None:
        if up.cell not in self.cells:
            return
        if up.span is None and self.clause_span is not None:
            up = up.model_copy(update={"span": self.clause_span})  # a zero said in words: the words' clause
        self.updates.pop(up.cell, None)
        self.updates[up.cell] = up

    def _finish(self) -> None:
        if self.correction:
            self.updates = {k: u.model_copy(update={"is_correction": True}) for k, u in self.updates.items()}
        self.res.updates = [self._with_span(u) for u in self.updates.values()]
        self.res.unread_cells = sorted(k for k in self.unread if k not in self.updates)
        self.res.not_understood = list(dict.fromkeys(self.res.not_understood))
        self.res.notes = list(dict.fromkeys(self.res.notes))
        self.res.warnings = list(dict.fromkeys(self.res.warnings))

    def _with_span(self, up: FactUpdate) -> FactUpdate:
        """Every update points into the message: where no numeral span was set, the span of its evidence."""
        if up.span is not None:
            return up
        text = self.res.normalized_text
        probe = (up.evidence or "")[:40]
        at = text.find(probe) if probe else -1
        if at < 0:
            return up
        return up.model_copy(update={"span": (at, at + len(up.evidence or ""))})

    def _fmt_name(self) -> str:
        return {"2019": "2019试行格式", "2021": "2021格式", "2021-23": "2021格式"}.get(self.fmt.id, self.fmt.id)
