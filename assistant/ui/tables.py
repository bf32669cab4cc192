"""The table editor tab: one ``st.data_editor`` per table, saved through the ledger as "手工修改"."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..facts import CellStatus, Report
from ..prompts import load_prompt
from ..service import DraftService
from ..store import Draft
from .context import flash
from .grid import Grid, build_grid, display_value, grid_updates
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
    grid = build_grid(report, table)
    editor_key = f"grid_{table}_{draft.id}_{draft.version}"
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
        save_grid(service, draft, grid, edited)
    if show_provenance:
        _provenance(report, table)


def save_grid(service: DraftService, draft: Draft, grid: Grid, edited: pd.DataFrame) -> None:
    report = draft.state.report
    updates, errors = grid_updates(report, grid, edited)
    if not updates:
        for e in errors:
            st.error(escape_markdown(e.message))
        if not errors:
            st.info("表格没有改动。")
        return
    seen = {u.cell: report.cell(u.cell) for u in updates}
    out = service.apply_manual(draft.id, updates, seen=seen)
    problems = [e.message for e in errors] + [r.reason for r in out.rejected] + list(out.notices)
    if not out.changes:
        for r in out.rejected:
            st.error(escape_markdown(r.reason))
        for n in out.notices:
            st.warning(escape_markdown(n))
        return  # nothing saved: keep the clerk's typing and the messages in place
    flash("success", f"已保存{len(out.changes)}处修改（来源：手工修改），勾稽关系已重新检查。")
    for p in problems:
        flash("warning", p)
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
