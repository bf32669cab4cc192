"""Corrections: a wrong earlier number replaced with no row named, and a corrected total's one applicant type."""

from __future__ import annotations

from ..facts import CellStatus, format_number
from .cells import input_parts, value_update
from .messages import fragment, msg
from .recording import update_value
from .run_base import RunBase
from .vocabulary import Token


class CorrectionRules(RunBase):
    """Applies the clerk's corrections of earlier numbers.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _correct_old_value(self, old: Token, new: Token, ev: str, column: str | None = None) -> bool:
        """ "不是33件是34件" with no row named: the one stated cell holding the old value gets the new one (of the
        applicant ``column`` when one is named: "商业企业是9件不是6件")."""
        assert old.num is not None and new.num is not None
        candidates = [
            key
            for key, fact in self.report.cells.items()
            if key in self.cells
            and (column is None or (self.cells[key].table == "table3" and self.cells[key].col_id == column))
            and fact.status == CellStatus.VALUE
            and fact.value == old.num.value
            and fact.provenance is not None
            and fact.provenance.source == "message"
            and key not in self.updates
        ]
        if len(candidates) > 1:  # a breakdown cell and its row total alike: prefer the input cell
            inputs = [k for k in candidates if not self.cells[k].derived]
            candidates = inputs if len(inputs) == 1 else candidates
        if len(candidates) != 1:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return True
        key = candidates[0]
        self.correction = True
        if not self._put_value(key, new.num, ev, correction=True):
            return True
        spec = self.cells[key]
        st = self.state
        st.sentence_ctx = True
        if spec.table == "table3":
            self._note_row(spec.row_id)
        elif spec.table == "table4":
            st.cur_t4_group, st.cur_kind = spec.row_id, "table4"
        else:
            st.cur_t2_row, st.cur_kind = spec.row_id, "table2"
        return True

    def _follow_single_column(self) -> None:
        """ "结转下年度应为2件" where all 3 were 自然人 before: the one applicant type follows the corrected total."""
        for key in list(self.updates):
            spec = self.cells[key]
            old = self.report.cell(key)
            if spec.table != "table3" or not spec.derived or key not in self.stated or old.status != CellStatus.VALUE:
                continue
            new = update_value(self.updates[key])
            parts = input_parts(self.fmt, key)
            if not new or any(p in self.stated for p in parts):
                continue
            values = [self.report.cell(p).numeric for p in parts]
            nonzero = [p for p, v in zip(parts, values, strict=True) if v]
            if (
                len(nonzero) == 1
                and self.report.cell(nonzero[0]).numeric == old.value
                and all(v is not None for v in values)
            ):
                ev = self.updates[key].evidence
                note = msg(
                    "inferred",
                    phrase=fragment(ev, 20),
                    cell=self.cells[nonzero[0]].display_label,
                    value=format_number(new),
                )
                self._set(value_update(nonzero[0], new, ev, correction=True, note=note))
