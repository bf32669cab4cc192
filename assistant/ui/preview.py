"""The live preview of the whole report, its copy buttons, and the text of single sections for copying."""

from __future__ import annotations

from html import escape

import streamlit as st

from ..checks import Finding
from ..facts import Report
from ..render import render_text
from ..render.html import document_html, document_html_paste
from ..render.text import document_text
from ..render.tree import Document, build_document
from .copybutton import CopyItem, copy_bar_html
from .style import legend_html, paper_html

PREVIEW_HEIGHT = 600
SECTION_NUMERALS = {"s1": "一", "s2": "二", "s3": "三", "s4": "四", "s5": "五", "s6": "六"}
FLAGGED_SEVERITIES = ("error", "warning")


def flagged_cells(findings: list[Finding]) -> set[str]:
    """Cells involved in failed checks (highlighted in the preview)."""
    return {c for f in findings if f.severity in FLAGGED_SEVERITIES for c in f.cells}


def section_text(report: Report, section_id: str, doc: Document | None = None) -> str:
    """One section as plain text (heading, paragraphs, tab-separated table) for copying."""
    doc = doc or build_document(report)
    blocks = tuple(b for b in doc.blocks if getattr(b, "section_id", None) == section_id)
    text = document_text(Document(title="", format_id=doc.format_id, blocks=blocks))
    return text.lstrip("\n")


def copy_items(report: Report, doc: Document | None = None) -> list[CopyItem]:
    doc = doc or build_document(report)
    items = [
        CopyItem("复制全文", document_text(doc), primary=True),
        CopyItem("复制文字版（表格逐行，适合微信）", document_text(doc, "lines")),
        CopyItem("复制网页版（粘贴到网站）", document_text(doc), html=document_html_paste(doc)),
    ]
    for s in report.fmt.sections:
        items.append(CopyItem(f"复制{SECTION_NUMERALS[s.id]}", section_text(report, s.id, doc)))
    return items


def preview_fragment(
    report: Report, findings: list[Finding], *, highlight: bool, doc: Document | None = None
) -> str:
    """The escaped report HTML (from the renderer) in the paper card."""
    inner = document_html(doc or build_document(report), flagged_cells(findings) if highlight else set())
    return paper_html(inner)


def render_preview(report: Report, findings: list[Finding], *, highlight: bool, key: str) -> None:
    doc = build_document(report, findings)  # once per rerun: the copy texts and the preview are views of one tree
    st.html(copy_bar_html(copy_items(report, doc), key=f"preview-{key}"), unsafe_allow_javascript=True)
    st.html(legend_html())
    with st.container(height=PREVIEW_HEIGHT, border=False, key="preview_box"):
        st.html(preview_fragment(report, findings, highlight=highlight, doc=doc))


def plain_preview(report: Report) -> str:
    """Fallback when rendering fails: the plain text, escaped, in a pre block."""
    return f"<pre>{escape(render_text(report))}</pre>"
