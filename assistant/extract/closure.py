"""Derived zeros after all sentences: arithmetic closure of stated totals and of table 三's balance, and result
rows copying the applicant columns of 本年新收."""

from __future__ import annotations

from decimal import Decimal

from ..facts import CellStatus, format_number
from .cells import input_parts, value_update, zero_update
from .messages import fragment, msg
from .run_base import RunBase


class ClosureRules(RunBase):
    """Infers what the stated numbers imply once the whole message is read.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _closure(self) -> None:
        """A row total stated with a breakdown that already adds up to it: the other columns are 0
        ("予以公开47件：自然人40件，商业企业4件，社会公益组织1件，法律服务机构2件")."""
        # totals stated now, and totals stated earlier whose parts were given now ("收到6件" … "4件是个人" …)
        earlier = [
            k
            for k, fact in self.report.cells.items()
            if k in self.cells
            and fact.status == CellStatus.VALUE
            and k not in self.updates
            and any(p in self.stated for p in self.fmt.parts_of(k))
        ]
        for key in list(self.updates) + earlier:
            spec = self.cells[key]
            if not spec.derived or spec.row_id == "result_total":
                continue
            if key in self.updates and key not in self.stated:
                continue
            total = self._stated_total(key)
            if not total:
                continue
            parts = input_parts(self.fmt, key)
            if not any(p in self.stated for p in parts):
                continue
            evidence = (
                self.updates[key].evidence
                if key in self.updates
                else next(self.updates[p].evidence for p in parts if p in self.stated)
            )
            values = [self._known_value(p) for p in parts]
            if sum((v for v in values if v is not None), Decimal(0)) != total:
                continue
            note = msg("closure", row=spec.row_json_key, total=format_number(total))
            for p, v in zip(parts, values, strict=True):
                if v is None:
                    self._set(zero_update(p, evidence, correction=self.correction, note=note))

    def _copy_received_columns(self, rid: str, total: Decimal, ev: str) -> None:
        """ "都公开了" with nothing carried in: every application had that result, so its applicant columns are
        those of 本年新收."""
        if self._effective("t3.carried_in.total") != 0 or self._effective("t3.received.total") != total:
            return
        if self._known_value(f"t3.{rid}.total") != total:
            return
        for c in self.fmt.applicant_part_columns:
            v = self._known_value(f"t3.received.{c.id}")
            if v is None:
                return
        for c in self.fmt.applicant_part_columns:
            key = f"t3.{rid}.{c.id}"
            v = self._known_value(f"t3.received.{c.id}")
            if key not in self.updates and v is not None:
                note = msg(
                    "inferred", phrase=fragment(ev, 20), cell=self.cells[key].display_label, value=format_number(v)
                )
                self._set(value_update(key, v, ev, correction=self.correction, note=note))
        self.state.col_rows.setdefault(rid, set()).update(c.id for c in self.fmt.applicant_part_columns)

    def _closure_results(self) -> None:
        """Table 三's own rule (第一项加第二项之和，等于第三项加第四项之和): when the result rows stated in this
        message already add up to 新收 + 上年结转 − 结转下年度, every result row not mentioned is 0."""
        result_rows = [r.id for r in self.fmt.table3_result_rows]
        if not any(k.startswith("t3.") for k in self.updates):
            return  # (a row of 新收/结转 stated now may complete the balance of result rows stated earlier)
        parts = {r: self._effective(f"t3.{r}.total") for r in ("received", "carried_in", "carried_out")}
        if any(v is None for v in parts.values()):
            return
        target = parts["received"] + parts["carried_in"] - parts["carried_out"]  # type: ignore[operator]
        reached = Decimal(0)
        open_rows: list[str] = []
        for rid in result_rows:
            total = self._effective(f"t3.{rid}.total")
            if total is None:
                open_rows.append(rid)
                total = sum(
                    (v for v in (self._known_value(p) for p in input_parts(self.fmt, f"t3.{rid}.total")) if v),
                    Decimal(0),
                )
            reached += total
        if reached != target or not open_rows:
            return
        note = msg(
            "closure_results",
            received=format_number(parts["received"]),
            carried_in=format_number(parts["carried_in"]),
            carried_out=format_number(parts["carried_out"]),
            total=format_number(target),
        )
        for rid in open_rows:
            for p in input_parts(self.fmt, f"t3.{rid}.total"):
                if p not in self.updates and not self.report.cell(p).known and p not in self.unread:
                    self._set(zero_update(p, note, correction=self.correction, note=note))
