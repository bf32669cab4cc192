"""The export tab: the draft warning (never blocking, the same list the CLI prints) and the downloads, built
only when clicked."""

from __future__ import annotations

import streamlit as st

from ..checks import Finding
from ..exporting import EXPORT_KINDS, LABELS, MIME, build_export, draft_export_notice, file_stem
from ..facts import Report
from ..prompts import render_prompt
from .textsafe import escape_markdown

ICONS = {
    "docx": ":material/description:",
    "md": ":material/markdown:",
    "txt": ":material/article:",
    "html": ":material/language:",
    "json": ":material/data_object:",
}
EXTENSIONS = {"docx": ".docx", "md": ".md", "txt": ".txt", "html": ".html", "json": "_数据.json"}


def render_export(report: Report, findings: list[Finding]) -> None:
    notice = draft_export_notice(report, findings)
    warnings = [f for f in findings if f.severity == "warning"]
    if notice:
        head, *reasons = notice
        st.warning(escape_markdown(head) + "\n" + "\n".join(f"- {escape_markdown(r)}" for r in reasons))
    elif warnings:
        st.info(render_prompt("render/export_ok_with_warnings", count=len(warnings)))
    else:
        st.success("所有单元格均已填写，勾稽关系检查通过，文字部分均已起草。")
    snapshot = report.model_copy(deep=True)
    stem = file_stem(snapshot)
    cols = st.columns(2)
    for i, kind in enumerate(EXPORT_KINDS):
        with cols[i % 2]:
            st.download_button(
                f"下载 {LABELS[kind]}",
                data=lambda k=kind: build_export(snapshot, k).data,
                file_name=f"{stem}{EXTENSIONS[kind]}",
                mime=MIME[kind],
                key=f"download_{kind}",
                icon=ICONS[kind],
                on_click="ignore",
                width="stretch",
                type="primary" if kind == "docx" else "secondary",
            )
    st.caption(
        "Word 文件使用国家标准公文字体（仿宋_GB2312、黑体等）；网页文件可全选复制后粘贴到门户网站编辑器，表格边框不会丢失；"
        "数据 JSON 可在明年导入，自动带入结转数和现行有效件数。"
    )
