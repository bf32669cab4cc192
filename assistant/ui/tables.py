"""The table editor tab: one ``st.data_editor`` per table, saved through the ledger as "手工修改"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..facts import CellStatus, Report
from ..prompts import load_prompt, render_prompt
from ..service import DraftService
from ..store import Draft
from .context import flash
from .grid import Grid, GridConflict, build_grid, display_value, plan_grid_save
from .textsafe import escape_markdown

TABLES = {"table2": "表二 主动公开", "table3": "表三 依申请公开", "table4": "表四 复议诉讼"}
SOURCE_LABELS = {
    "message": "对话",
    "import": "导入",
    "confirmation": "对话确认",
    "manual": "手工修改",
    "default": "默认",
    "model": "模型",
}


def provenance_label(report: Report, key: str) -> str:
    """ "手工修改" / "对话（第12条消息）" / "导入：2023年报.docx" / "" for unknown cells."""
    fact = report.cell(key)
    if fact.status == CellStatus.UNKNOWN or fact.provenance is None:
        return ""
    p = fact.provenance
    label = SOURCE_LABELS.get(p.source, p.source)
    if p.source in ("message", "confirmation") and p.ref and str(p.ref).isdigit():
        return f"{label}（第{p.ref}条消息）"
    if p.source == "import" and p.ref:
        return f"{label}：{p.ref}"
    return label


def render_tables(service: DraftService, draft: Draft, *, show_provenance: bool) -> None:
    report = draft.state.report
    st.caption(escape_markdown(load_prompt("ui/grid_help")))
    table = st.segmented_control(
        "选择表格",
        options=list(TABLES),
        format_func=lambda t: TABLES[t],
        default="table3",
        required=True,
        key="grid_table",
        label_visibility="collapsed",
    )
    table = table or "table3"
    base_version, base = _grid_base(draft, table)
    if base_version != draft.version:
        st.info(escape_markdown(render_prompt("ui/grid_newer", version=draft.version)))
    grid = build_grid(base, table)
    editor_key = _editor_key(draft.id, table, base_version)
    config = {c: st.column_config.TextColumn(c, width="small") for c in grid.editable}
    disabled = [c for c in grid.frame.columns if c not in grid.editable]
    if table == "table2":
        config["信息内容"] = st.column_config.TextColumn("信息内容", width="medium")
        config["项目"] = st.column_config.TextColumn("项目", width="medium")
        config["指标"] = st.column_config.TextColumn("指标", width="medium")
    else:
        config["项目"] = st.column_config.TextColumn("项目", width="large", pinned=True)
    edited = st.data_editor(
        grid.frame,
        key=editor_key,
        hide_index=True,
        num_rows="fixed",
        disabled=disabled,
        column_config=config,
        width="stretch",
        height=min(38 + 35 * len(grid.frame), 720),
    )
    if st.button("保存表格修改", key=f"grid_save_{table}", type="primary", icon=":material/save:"):
        save_grid(service, draft, grid, edited, base=base)
    _conflicts(service, draft)
    if show_provenance:
        _provenance(report, table)


def _editor_key(draft_id: str, table: str, version: int) -> str:
    return f"grid_{table}_{draft_id}_{version}"


def _grid_base(draft: Draft, table: str) -> tuple[int, Report]:
    """The version the clerk's grid was drawn from: kept while the clerk has unsaved edits in it (so a save
    by another tab does not wipe them), else the current one."""
    key = f"grid_base_{draft.id}_{table}"
    held = st.session_state.get(key)
    if held is not None and held[0] != draft.version:
        state = st.session_state.get(_editor_key(draft.id, table, held[0])) or {}
        if state.get("edited_rows"):
            return held[0], held[1]
    st.session_state[key] = (draft.version, draft.state.report)
    return draft.version, draft.state.report


def save_grid(
    service: DraftService, draft: Draft, grid: Grid, edited: pd.DataFrame, *, base: Report | None = None
) -> None:
    """Save the clerk's grid edits; cells someone else changed meanwhile are asked about, never dropped."""
    base = base if base is not None else draft.state.report
    latest = service.open(draft.id)
    plan = plan_grid_save(base, latest.state.report, grid, edited)
    for e in plan.errors:
        st.error(escape_markdown(e.message))
    if plan.conflicts:
        st.session_state[_conflict_key(draft.id)] = plan.conflicts
    if plan.already and not plan.apply:
        st.info(escape_markdown(render_prompt("ui/grid_already", items="、".join(plan.already[:6]))))
    if not plan.apply:
        if not plan.edited and not plan.errors:
            st.info("表格没有改动。")
        elif plan.conflicts:
            st.rerun()  # show the conflict panel
        return
    seen = {u.cell: base.cell(u.cell) for u in plan.apply}
    out = service.apply_manual(draft.id, plan.apply, seen=seen)
    problems = [e.message for e in plan.errors] + [r.reason for r in out.rejected] + list(out.notices)
    if not out.changes:
        for r in out.rejected:
            st.error(escape_markdown(r.reason))
        for n in out.notices:
            st.warning(escape_markdown(n))
        return  # nothing saved: keep the clerk's typing and the messages in place
    st.session_state.pop(f"grid_base_{draft.id}_{grid.table}", None)
    flash("success", f"已保存{len(out.changes)}处修改（来源：手工修改），勾稽关系已重新检查。")
    if plan.already:
        flash("info", render_prompt("ui/grid_already", items="、".join(plan.already[:6])))
    for p in problems:
        flash("warning", p)
    st.rerun()


def _conflict_key(draft_id: str) -> str:
    return f"grid_conflicts_{draft_id}"


def _conflicts(service: DraftService, draft: Draft) -> None:
    """Cells both the clerk and someone else changed: show both values and let the clerk choose."""
    conflicts: list[GridConflict] = st.session_state.get(_conflict_key(draft.id)) or []
    if not conflicts:
        return
    with st.container(border=True, key=f"grid_conflict_box_{draft.id}"):
        st.warning(escape_markdown(load_prompt("ui/grid_conflict_intro")))
        for i, c in enumerate(list(conflicts)):
            st.markdown(escape_markdown(render_prompt("ui/grid_conflict", label=c.label, mine=c.mine, theirs=c.theirs)))
            c1, c2 = st.columns(2)
            if c1.button(f"保留我的：{c.mine}", key=f"grid_keep_mine_{draft.id}_{c.cell}", type="primary"):
                now = service.open(draft.id).state.report.cell(c.cell)
                out = service.apply_manual(draft.id, [c.update], seen={c.cell: now})
                for r in out.rejected:
                    flash("warning", r.reason)
                for n in out.notices:
                    flash("warning", n)
                if out.changes:
                    flash("success", f"{c.label}已改为{c.mine}（来源：手工修改）")
                _resolve(draft.id, i)
            if c2.button(f"保留已保存的：{c.theirs}", key=f"grid_keep_theirs_{draft.id}_{c.cell}"):
                flash("info", f"{c.label}保留{c.theirs}")
                _resolve(draft.id, i)


def _resolve(draft_id: str, index: int) -> None:
    conflicts = list(st.session_state.get(_conflict_key(draft_id)) or [])
    if 0 <= index < len(conflicts):
        conflicts.pop(index)
    st.session_state[_conflict_key(draft_id)] = conflicts
    st.rerun()


def _provenance(report: Report, table: str) -> None:
    rows = []
    for spec in report.fmt.table_cells(table):
        if spec.derived:
            continue
        fact = report.cell(spec.key)
        if fact.status == CellStatus.UNKNOWN:
            continue
        rows.append(
            {
                "单元格": spec.display_label,
                "值": display_value(report, spec.key),
                "来源": provenance_label(report, spec.key),
                "依据": (fact.provenance.evidence or "") if fact.provenance else "",
            }
        )
    st.markdown("**单元格来源**")
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption("这张表还没有填写任何单元格。")
