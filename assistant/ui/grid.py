"""The tables as editable grids (``st.data_editor``) and the grid edits back as ledger proposals.

Only input cells are editable; totals are computed and shown in the preview. Edits go through the same
:func:`assistant.facts.apply_updates` as the chat, with source "manual".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from ..facts import CellFact, CellStatus, FactUpdate, Report
from ..formats import CellSpec
from ..textnorm import halfwidth

NA_WORDS = {"不适用", "/", "／", "—", "——", "-", "－", "n/a", "N/A", "na", "NA"}
ZERO_WORDS = {"无", "零", "没有"}
UNIT_SUFFIX = re.compile(r"\s*(件|项|个|万元|元)\s*$")
T2_COLUMNS = ("信息内容", "项目", "指标", "数值")
VALUE_COLUMN = "数值"


@dataclass
class Grid:
    """One table as a DataFrame of strings plus the cell key behind every editable position."""

    table: str
    frame: pd.DataFrame
    keys: dict[tuple[int, str], str] = field(default_factory=dict)  # (row position, column) → cell key
    editable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GridError:
    cell: str
    message: str  # Chinese


def display_value(report: Report, key: str) -> str:
    """How an input cell shows in the grid: number, "0", "不适用", or "" (unknown)."""
    fact = report.cell(key)
    return fact.describe() if fact.known else ""


def build_grid(report: Report, table: str) -> Grid:
    """Table 二 as one row per (item, indicator); tables 三/四 as rows × applicant/result columns."""
    fmt = report.fmt
    inputs = [c for c in fmt.table_cells(table) if not c.derived]
    if table == "table2":
        records = []
        keys: dict[tuple[int, str], str] = {}
        for i, spec in enumerate(inputs):
            caption = spec.row_json_key.split(" / ", 1)[0]
            records.append(
                [
                    caption,
                    spec.row_label,
                    f"{spec.col_label}（{spec.unit}）" if spec.unit not in spec.col_label else spec.col_label,
                    display_value(report, spec.key),
                ]
            )
            keys[(i, VALUE_COLUMN)] = spec.key
        return Grid(table, pd.DataFrame(records, columns=list(T2_COLUMNS)), keys, [VALUE_COLUMN])
    rows: list[str] = []
    cols: list[str] = []
    for spec in inputs:
        label = _row_label(spec)
        if label not in rows:
            rows.append(label)
        if spec.col_label not in cols:
            cols.append(spec.col_label)
    data = {c: [""] * len(rows) for c in cols}
    keys = {}
    for spec in inputs:
        r = rows.index(_row_label(spec))
        data[spec.col_label][r] = display_value(report, spec.key)
        keys[(r, spec.col_label)] = spec.key
    frame = pd.DataFrame({"项目": rows, **data})
    return Grid(table, frame, keys, cols)


def _row_label(spec: CellSpec) -> str:
    if spec.table == "table3" and spec.group and spec.group != spec.row_label:
        return f"{spec.group} {spec.row_label}"
    if spec.table == "table4" and spec.group:
        return f"{spec.group}·{spec.row_label}"
    return spec.row_label


def parse_grid_value(spec: CellSpec, raw: Any) -> FactUpdate | GridError:
    """One typed grid value → a proposal (validation of the number itself is the ledger's job)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        text = ""
    else:
        text = halfwidth(str(raw)).strip().replace(",", "").replace("，", "")
    evidence = f"表格编辑：{spec.display_label} = {text or '（清空）'}"
    if text == "":
        return FactUpdate(cell=spec.key, status=CellStatus.UNKNOWN, evidence=evidence, is_correction=True)
    if text in NA_WORDS:
        return FactUpdate(cell=spec.key, status=CellStatus.NOT_APPLICABLE, evidence=evidence, is_correction=True)
    if text in ZERO_WORDS:
        return FactUpdate(cell=spec.key, status=CellStatus.CONFIRMED_ZERO, evidence=evidence, is_correction=True)
    number = UNIT_SUFFIX.sub("", text)
    try:
        value = Decimal(number)
    except InvalidOperation:
        return GridError(
            spec.key, f"{spec.display_label}：“{str(raw)[:40]}”不是数字，请填写数字、0 或“不适用”，清空表示未填"
        )
    if not value.is_finite():
        return GridError(spec.key, f"{spec.display_label}：“{str(raw)[:40]}”不是有效数字")
    if value == 0:
        return FactUpdate(cell=spec.key, status=CellStatus.CONFIRMED_ZERO, evidence=evidence, is_correction=True)
    return FactUpdate(cell=spec.key, status=CellStatus.VALUE, value=value, evidence=evidence, is_correction=True)


def changed_positions(report: Report, grid: Grid, edited: pd.DataFrame) -> list[tuple[str, Any]]:
    """(cell key, typed value) for every grid position whose text differs from how ``report`` shows it."""
    out = []
    for (r, col), key in grid.keys.items():
        if r >= len(edited) or col not in edited.columns:
            continue
        raw = edited.iloc[r][col]
        text = "" if raw is None or (isinstance(raw, float) and math.isnan(raw)) else str(raw).strip()
        if text != display_value(report, key):
            out.append((key, raw))
    return out


def grid_updates(report: Report, grid: Grid, edited: pd.DataFrame) -> tuple[list[FactUpdate], list[GridError]]:
    """Compare the edited grid with the ledger; return proposals for the changed cells and unreadable values."""
    specs = report.fmt.cells()
    updates: list[FactUpdate] = []
    errors: list[GridError] = []
    for key, raw in changed_positions(report, grid, edited):
        parsed = parse_grid_value(specs[key], raw)
        if isinstance(parsed, GridError):
            errors.append(parsed)
        else:
            before = report.cell(key)
            if parsed.status == before.status and parsed.value == before.value:
                continue
            updates.append(parsed)
    return updates, errors


def apply_edit_state(grid: Grid, state: dict[str, Any] | None) -> pd.DataFrame:
    """Apply a data_editor edit state ({"edited_rows": {row: {col: value}}}) to the grid's frame."""
    frame = grid.frame.copy()
    for r, changes in ((state or {}).get("edited_rows") or {}).items():
        for col, value in changes.items():
            if col in frame.columns:
                frame.iat[int(r), frame.columns.get_loc(col)] = value
    return frame


# ---- saving against a newer version --------------------------------------------------------------------


@dataclass(frozen=True)
class GridConflict:
    """A cell the clerk changed that someone else also changed since the clerk's grid was drawn."""

    cell: str
    label: str
    mine: str  # the clerk's value, as shown ("7", "0", "不适用", "未填")
    theirs: str  # the value saved meanwhile
    update: FactUpdate


@dataclass
class GridSavePlan:
    """What one grid save does: apply, ask about, or say is already so; never silently nothing."""

    apply: list[FactUpdate] = field(default_factory=list)
    conflicts: list[GridConflict] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # labels whose new value was already saved (elsewhere)
    errors: list[GridError] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # labels of every position the clerk typed into


def update_text(update: FactUpdate) -> str:
    """A proposal as the clerk would read it in the grid."""
    return CellFact(status=update.status, value=update.value).describe()


def _same(a: CellFact, b: CellFact) -> bool:
    return (a.status, a.value) == (b.status, b.value)


def plan_grid_save(base: Report, latest: Report, grid: Grid, edited: pd.DataFrame) -> GridSavePlan:
    """Compare the clerk's grid with what it showed (``base``) and with what is saved now (``latest``).

    A cell the clerk changed is applied when nobody else changed it meanwhile; when someone did, it is a
    conflict showing both values (the clerk chooses); when the saved value already equals the clerk's, it is
    reported as already saved. ``edited`` lists every typed-into position, so a save is never reported as
    "没有改动" when the clerk changed something.
    """
    specs = base.fmt.cells()
    plan = GridSavePlan()
    edited_keys = [key for key, _ in changed_positions(base, grid, edited)]
    plan.edited = [specs[key].display_label for key in edited_keys]
    updates, plan.errors = grid_updates(base, grid, edited)
    answered = {u.cell for u in updates} | {e.cell for e in plan.errors}
    plan.already += [specs[k].display_label for k in edited_keys if k not in answered]  # "5件" where 5 was
    for up in updates:
        seen, now = base.cell(up.cell), latest.cell(up.cell)
        mine = CellFact(status=up.status, value=up.value)
        label = specs[up.cell].display_label
        if _same(now, mine):
            plan.already.append(label)
        elif _same(now, seen):
            plan.apply.append(up)
        else:
            plan.conflicts.append(GridConflict(up.cell, label, update_text(up), now.describe(), up))
    return plan
