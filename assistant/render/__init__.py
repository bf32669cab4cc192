"""Rendering from one document tree (:func:`build_document`): Markdown, plain text, HTML, .docx.

- ``render_markdown(report) -> str``: merged-header tables as raw HTML blocks, simple tables as pipe tables.
- ``render_text(report, tables="grid"|"lines") -> str``: tables as tab-separated rows, or as numbered lines.
- ``render_html(report, *, highlight=None) -> str``: self-contained escaped fragment with the published merges.
- ``render_html_paste(report) -> str``: the 「粘贴到网站」 fragment, inline styles only.
- ``render_docx(report) -> bytes``: Word tables with merged headers, A4, official fonts.
- ``render(report, to)`` with ``to`` in :data:`FORMATS` (html, html-paste: complete pages).

Unknown cells are shown as missing ("（未填）" / highlighted "未填"), never as 0; 不适用 is printed "不适用".
A stated total is printed as stated; a draft (see :mod:`.status`) carries the 「征求意见稿（草稿）」 marker.
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..facts import Report
from .docx import render_docx
from .html import render_html, render_html_document, render_html_paste, render_html_paste_document
from .markdown import render_markdown
from .status import draft_reasons
from .text import render_text
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, build_table, report_title

FORMATS = ("md", "txt", "txt-lines", "html", "html-paste", "docx")
_ALIASES = {
    "markdown": "md",
    "text": "txt",
    "htm": "html",
    "word": "docx",
    "lines": "txt-lines",
    "wechat": "txt-lines",
    "paste": "html-paste",
    "web": "html-paste",
}
_EXTENSION = {"txt-lines": "txt", "html-paste": "html"}


def normalize_target(to: str) -> str:
    """Map "markdown" → "md", ".DOCX" → "docx"; raise InputError for anything else."""
    key = str(to).strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in FORMATS:
        raise InputError(
            f"不支持的输出格式“{to}”，可选：md（Markdown）、txt（纯文本）、txt-lines（纯文本，表格逐行写成文字）、"
            "html（网页）、html-paste（粘贴到网站的网页）、docx（Word）"
        )
    return key


def render(report: Report, to: str) -> str | bytes:
    """The report in one output format: str for md/txt/html, bytes for docx."""
    target = normalize_target(to)
    if target == "md":
        return render_markdown(report)
    if target == "txt":
        return render_text(report)
    if target == "txt-lines":
        return render_text(report, "lines")
    if target == "html":
        return render_html_document(report)
    if target == "html-paste":
        return render_html_paste_document(report)
    return render_docx(report)


def suggested_filename(report: Report, to: str) -> str:
    """A file name for downloads: the report title with the extension, unsafe characters removed."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "", report_title(report)) or "年度报告"
    target = normalize_target(to)
    return f"{stem}.{_EXTENSION.get(target, target)}"


__all__ = [
    "FORMATS",
    "Document",
    "Heading",
    "Paragraph",
    "Table",
    "TableCell",
    "build_document",
    "build_table",
    "draft_reasons",
    "normalize_target",
    "render",
    "render_docx",
    "render_html",
    "render_html_document",
    "render_html_paste",
    "render_html_paste_document",
    "render_markdown",
    "render_text",
    "report_title",
    "suggested_filename",
]
