"""Rendering from one document tree (:func:`build_document`): Markdown, plain text, HTML, .docx.

- ``render_markdown(report) -> str``: pipe tables, merged headers flattened ("申请人情况-法人或其他组织-商业企业").
- ``render_text(report) -> str``: paragraphs; tables as tab-separated rows (paste into WPS/Word/Excel as a grid).
- ``render_html(report, *, highlight=None) -> str``: self-contained escaped fragment with the published merges.
- ``render_docx(report) -> bytes``: Word tables with merged headers, A4, official fonts.
- ``render(report, to)`` with ``to`` in {"md", "txt", "html", "docx"} (html: a complete page).

Unknown cells are shown as missing ("（未填）" / highlighted "未填"), never as 0; 不适用 is printed "不适用".
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..facts import Report
from .docx import render_docx
from .html import render_html, render_html_document
from .markdown import render_markdown
from .text import render_text
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, build_table, report_title

FORMATS = ("md", "txt", "html", "docx")
_ALIASES = {"markdown": "md", "text": "txt", "htm": "html", "word": "docx"}


def normalize_target(to: str) -> str:
    """Map "markdown" → "md", ".DOCX" → "docx"; raise InputError for anything else."""
    key = str(to).strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        raise InputError(f"不支持的输出格式“{to}”，可选：md（Markdown）、txt（纯文本）、html（网页）、docx（Word）")
    return key


def render(report: Report, to: str) -> str | bytes:
    """The report in one output format: str for md/txt/html, bytes for docx."""
    target = normalize_target(to)
    if target == "md":
        return render_markdown(report)
    if target == "txt":
        return render_text(report)
    if target == "html":
        return render_html_document(report)
    return render_docx(report)


def suggested_filename(report: Report, to: str) -> str:
    """A file name for downloads: the report title with the extension, unsafe characters removed."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "", report_title(report)) or "年度报告"
    return f"{stem}.{normalize_target(to)}"


__all__ = [
    "FORMATS",
    "Document",
    "Heading",
    "Paragraph",
    "Table",
    "TableCell",
    "build_document",
    "build_table",
    "normalize_target",
    "render",
    "render_docx",
    "render_html",
    "render_html_document",
    "render_markdown",
    "render_text",
    "report_title",
    "suggested_filename",
]
