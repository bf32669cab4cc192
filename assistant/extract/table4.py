"""Table 四 (administrative review and litigation): groups, results and the kind of suit."""

from __future__ import annotations

from decimal import Decimal

from ..facts import CellStatus
from ..numbers import NumberMention
from .cells import input_parts
from .messages import fragment, msg
from .run_base import RunBase
from .vocabulary import Token


def t4_groups(ids: list[str]) -> list[str]:
    """Table 四 groups named by marker ids; 行政诉讼 next to the kind of suit ("复议后起诉的行政诉讼") is that kind."""
    if any(g in ("suit_direct", "suit_after_review") for g in ids):
        ids = [g for g in ids if g != "suit"]
    out: list[str] = []
    for g in ids:
        if g == "suit":
            out.append("suit_direct")
        elif g == "both":
            out.extend(["review", "suit_direct", "suit_after_review"])
        else:
            out.append(g)
    return list(dict.fromkeys(out))


class Table4Rules(RunBase):
    """Places numbers in table 四.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _assign_t4(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        raw = [t.id for t in ctx if t.kind == "t4group"]
        if "both" in raw and any(g != "both" for g in raw):
            raw = [g for g in raw if g != "both"]  # "复议诉讼：行政复议4件": the first words are a heading
        if "suit" in raw and any(g in ("suit_direct", "suit_after_review") for g in raw):
            raw = [g for g in raw if g != "suit"]  # "复议后起诉的行政诉讼": the kind of suit is named
        cols = list(dict.fromkeys(t.id for t in ctx if t.kind == "t4col"))
        distribute = bool(flags & {"all", "each"}) or m.value == 0
        if m.value == 0 and not cols and ("suit" in raw or "both" in raw):
            # "行政诉讼0件" covers both kinds of suit
            groups = t4_groups([g for g in raw if g != "suit"] + ["suit_direct", "suit_after_review"])
        else:
            groups = t4_groups(raw)
        if not groups:
            g = st.cur_t4_group or self._pending_group_t4()
            groups = [g] if g else []
        if not groups or (len(groups) > 1 and not distribute) or (len(cols) > 1 and not distribute):
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        if st.t4_generic and any(g in ("suit_direct", "suit_after_review") for g in raw):
            # "诉讼5件，其中直接起诉3件……": the 5 was both kinds together, which has no cell of its own
            g0 = st.t4_generic[0]
            if f"t4.{g0}.total" in self.updates and self.updates[f"t4.{g0}.total"].evidence == st.t4_generic[2][:300]:
                self.updates.pop(f"t4.{g0}.total")
                self.stated.discard(f"t4.{g0}.total")
            st.t4_generic = None
        for g in groups:
            st.cur_t4_group, st.cur_kind, st.sentence_ctx = g, "table4", True
            if not cols:
                if self._put_value(f"t4.{g}.total", m, ev) and m.value > 0:
                    st.t4_total = (g, m.value)
                    if set(raw) == {"suit"}:
                        st.t4_generic = (g, m, ev)  # "行政诉讼1件" may still say which kind
            for c in cols:
                self._put_value(f"t4.{g}.{c}", m, ev)
                if st.t4_total and st.t4_total[0] == g:
                    st.t4_total = None

    def _open_t4_total(self) -> tuple[str, Decimal] | None:
        """The one table 四 group whose total an earlier message stated while all its results are still unknown."""
        found = []
        for g in ("review", "suit_direct", "suit_after_review"):
            total = self.report.cell(f"t4.{g}.total")
            parts = input_parts(self.fmt, f"t4.{g}.total")
            known = [self.report.cell(p).numeric for p in parts]
            if total.status == CellStatus.VALUE and total.value and all(not v for v in known):
                found.append((g, total.value))  # results unknown, or all 0 against a stated total
        return found[0] if len(found) == 1 else None

    def _resolve_suit_kind(self, primary: list[Token], ev: str) -> bool:
        """ "行政诉讼1件，是复议后起诉的": move a total said for 行政诉讼 to the kind named afterwards."""
        st = self.state
        if not st.t4_generic:
            return False
        named = [t.id for t in primary if t.kind == "t4group" and t.id in ("suit_direct", "suit_after_review")]
        if not named:
            return False
        group, mention, evidence = st.t4_generic
        st.t4_generic = None
        if named[-1] != group:
            self.updates.pop(f"t4.{group}.total", None)
            self.stated.discard(f"t4.{group}.total")
            self._put_value(f"t4.{named[-1]}.total", mention, f"{evidence}，{ev}")
            for c in self.fmt.table4_part_columns:  # "诉讼2件，维持1件，驳回1件，都是复议后起诉的"
                key = f"t4.{group}.{c.id}"
                if key in self.stated:
                    up = self.updates.pop(key)
                    self.stated.discard(key)
                    self._set(up.model_copy(update={"cell": f"t4.{named[-1]}.{c.id}"}))
                    self.stated.add(f"t4.{named[-1]}.{c.id}")
        # "行政诉讼1件，是复议后起诉的": the number counted every suit, so the other kind had none
        other = "suit_after_review" if named[-1] == "suit_direct" else "suit_direct"
        for p in input_parts(self.fmt, f"t4.{other}.total"):
            self._infer_zero(p, ev)
        st.cur_t4_group, st.t4_total = named[-1], (named[-1], mention.value)
        return True
