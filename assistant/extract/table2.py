"""Table 二 (proactive disclosure): column ids per format, rows and columns decided by context or unit."""

from __future__ import annotations

import re

from ..numbers import NumberMention
from .cells import value_update, zero_update
from .messages import fragment, msg
from .run_base import RunBase
from .vocabulary import Token

_THIS_YEAR = re.compile(r"本年|今年|年内|本年度|全年")
_T2_COLS_2021 = {
    "issued": "issued",
    "made": "issued",
    "repealed": "repealed",
    "in_force": "in_force",
    "decisions": "decisions",
    "fee_amount": "fee_amount",
}
_T2_COLS_2019 = {
    "made": "made",
    "issued": "made",
    "published": "published",
    "public_total": "public_total",
    "prev_items": "prev_items",
    "change": "change",
    "decisions": "decisions",
    "proc_items": "proc_items",
    "proc_amount": "proc_amount",
}


def t2_col_by_unit(specs: list, m: NumberMention) -> str | None:
    """采购项目5个 / 总额120万元: a row with one count and one amount column is decided by the unit."""
    amounts = [s for s in specs if s.kind == "amount"]
    counts = [s for s in specs if s.kind != "amount"]
    if len(amounts) == 1 and len(counts) == 1:
        if m.unit in ("元", "万元", "亿元"):
            return amounts[0].col_id
        if m.unit in ("个", "项"):
            return counts[0].col_id
    return None


class Table2Rules(RunBase):
    """Places numbers in table 二.

    A mixin of ``rules._Run``: it works on the run's state (report, fmt, cells, updates, state, res).
    """

    def _t2_col_id(self, cid: str) -> str | None:
        table = _T2_COLS_2019 if self.fmt.id == "2019" else _T2_COLS_2021
        return table.get(cid)

    def _is_2019_change(self, ctx: list[Token], m: NumberMention) -> bool:
        if self.fmt.id != "2019" or m.unit not in (None, "项", "个", "条"):
            return False
        row = next((t.id for t in reversed(ctx) if t.kind == "t2row"), None) or self.state.cur_t2_row
        return bool(row) and f"t2.{row}.change" in self.cells and any(t.kind in ("up", "down") for t in ctx)

    def _open_t2_row(self, ctx: list[Token]) -> str | None:
        """The one table 二 row that has the named column still unknown while others of its cells are known."""
        cols = [c for c in (self._t2_col_id(t.id) for t in ctx if t.kind == "t2col") if c]
        if len(set(cols)) != 1:
            return None
        rows = []
        for spec in self.fmt.table_cells("table2"):
            if spec.col_id != cols[0] or self.report.cell(spec.key).known:
                continue
            row_cells = [c for c in self.fmt.table_cells("table2") if c.row_id == spec.row_id]
            if any(self.report.cell(c.key).known for c in row_cells):
                rows.append(spec.row_id)
        return rows[0] if len(rows) == 1 else None

    def _assign_t2(self, m: NumberMention, ctx: list[Token], flags: set[str], ev: str) -> None:
        st = self.state
        if m.unit == "项" and self.fmt.id != "2019" and re.search(r"清单|目录|事项", ev):
            self.res.not_understood.append(msg("no_cell", fragment=fragment(ev)))
            return  # "行政许可事项清单共有135项": the list of matters, not the decisions of the year
        rows = [t.id for t in ctx if t.kind == "t2row"]
        own = {self._t2_col_id(t.id) for t in ctx if t.kind == "t2col"} - {None}
        owners = {c.row_id for c in self.fmt.table_cells("table2") if c.col_id in own}
        if not rows and len(owners) == 1 and own <= {"fee_amount", "proc_items", "proc_amount"}:
            rows = list(owners)  # "收费金额合计43.7万元": only 行政事业性收费 has that column
        row = rows[-1] if rows else st.cur_t2_row or self._pending_row_t2()
        if row is None:
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        if len(set(rows)) > 1 and not (flags & {"all", "each"} or m.value == 0):
            self.res.not_understood.append(msg("ambiguous", fragment=fragment(ev)))
            return
        targets = list(dict.fromkeys(rows)) if len(set(rows)) > 1 else [row]
        st.cur_t2_row, st.cur_kind, st.sentence_ctx = row, "table2", True
        raw_cols = [t.id for t in ctx if t.kind == "t2col"]
        value = m.value
        col: str | None = None
        if raw_cols:
            col = self._t2_col_id(raw_cols[-1])
            if col is None:
                self.res.not_understood.append(
                    msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name())
                )
                return
        if any(t.kind in ("up", "down") for t in ctx) and self.fmt.id == "2019" and col in (None, "change"):
            if f"t2.{row}.change" in self.cells and m.unit in (None, "项", "个", "条"):
                col = "change"
                if any(t.kind == "down" for t in ctx) and not m.signed and value > 0:
                    value = -value
        for r in targets:
            specs = [c for c in self.fmt.table_cells("table2") if c.row_id == r]
            if not specs:
                self.res.not_understood.append(
                    msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name())
                )
                return
            c = col
            if c is None:
                if len(specs) == 1:
                    c = specs[0].col_id
                elif m.value == 0 and not raw_cols and _THIS_YEAR.search(ev) and len(specs) > 1:
                    # "本年主动公开规章0件": this year's documents, not 现行有效 / 对外公开总数量
                    this_year = [s for s in specs if s.col_id == "issued"]
                    if len(this_year) != 1:
                        options = "、".join(s.col_label for s in specs)
                        self.res.not_understood.append(msg("t2_needs_column", fragment=fragment(ev), options=options))
                        continue
                    c = this_year[0].col_id
                elif m.value == 0 and not raw_cols:  # "规章0件" / "行政处罚、行政强制都是0"
                    for s in specs:
                        self._set(zero_update(s.key, ev, correction=self.correction))
                    continue
                elif self.fmt.id == "2019" and m.unit == "件" and f"t2.{r}.decisions" in self.cells:
                    c = "decisions"
                else:
                    c = t2_col_by_unit(specs, m)
                if c is None:
                    options = "、".join(s.col_label for s in specs)
                    self.res.not_understood.append(msg("t2_needs_column", fragment=fragment(ev), options=options))
                    continue
            key = f"t2.{r}.{c}"
            if key not in self.cells:
                self.res.not_understood.append(
                    msg("not_in_format", fragment=fragment(ev), format_name=self._fmt_name())
                )
                continue
            if value != m.value:
                if value < 0 and self.cells[key].kind != "signed":
                    self.res.not_understood.append(msg("negative", fragment=fragment(ev)))
                    continue
                self._set(value_update(key, value, ev, correction=self.correction))
                self.stated.add(key)
            else:
                self._put_value(key, m, ev)

    def _t2_zero_cols(self, row: str) -> list[str]:
        """Cells a "没有X" confirms 0: the whole row; in 2019 only 处理决定数量 when the row has it (the list of
        matters may exist without any decision)."""
        specs = [c for c in self.fmt.table_cells("table2") if c.row_id == row]
        if self.fmt.id == "2019" and any(s.col_id == "decisions" for s in specs):
            return [f"t2.{row}.decisions"]
        return [s.key for s in specs]
