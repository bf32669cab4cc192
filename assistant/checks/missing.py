"""M-T2 / M-T3 / M-T4 / M-S: compact summaries of what is still unknown or unwritten."""

from __future__ import annotations

from ..formats import CellSpec
from .core import Checker, heading, row_short

_TABLE_NAMES = {"table2": ("M-T2", "表二"), "table3": ("M-T3", "表三"), "table4": ("M-T4", "表四")}


def check_missing(c: Checker) -> None:
    """M-T2/M-T3/M-T4: one compact summary of unknown input cells per table; M-S: unwritten sections."""
    for table, (rule, tname) in _TABLE_NAMES.items():
        specs = [s for s in c.fmt.input_cells() if s.table == table]
        unknown = [s for s in specs if not c.report.cell(s.key).known]
        # a stated derived cell covers nothing; inputs under it are still missing
        if not unknown:
            continue
        keys = [s.key for s in unknown]
        if len(unknown) == len(specs):
            c.emit(rule, "missing", "missing_table_all", keys, table=tname, count=len(keys))
            continue
        by_row: dict[str, list[CellSpec]] = {}
        for s in unknown:
            by_row.setdefault(s.row_json_key, []).append(s)
        items = []
        for row_key, row_specs in by_row.items():
            total_in_row = sum(1 for s in specs if s.row_json_key == row_key)
            cols = (
                "全部"
                if len(row_specs) == total_in_row and total_in_row > 1
                else "、".join(s.col_label for s in row_specs)
            )
            items.append(f"「{row_short(row_specs[0])}」{cols}")
        shown = "；".join(items[:5]) + (f"等{len(items)}行" if len(items) > 5 else "")
        c.emit(rule, "missing", "missing_table", keys, table=tname, count=len(keys), items=shown)
    empty = [sid for sid in ("s1", "s5", "s6") if not (c.report.sections.get(sid) or "").strip()]
    if empty:
        c.emit("M-S", "missing", "missing_sections", [], empty, names="、".join(heading(sid) for sid in empty))
