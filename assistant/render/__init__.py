"""Rendering from one document tree: Markdown, plain text (tab-separated tables), HTML, .docx.

STUB: being written (issue 2 §5). Signatures are final:

- ``render_markdown(report) -> str``
- ``render_text(report) -> str``
- ``render_html(report, *, highlight: set[str] | None = None) -> str``   (a full fragment, escaped)
- ``render_docx(report) -> bytes``
- ``render(report, to: "md"|"txt"|"html"|"docx") -> bytes | str``
"""
