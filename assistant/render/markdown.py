"""Markdown: headings, paragraphs, and tables in the form that keeps the official layout.

Choice (see docs/rendering.md): pipe tables cannot merge cells, and flattening 表三/表四's three header rows
into "申请人情况-法人或其他组织-商业企业" loses the published headers. So:

- a table with merged headers (表三, 表四) is written as a raw HTML ``<table>`` block with the published
  ``rowspan``/``colspan``, a ``<thead>`` for its header rows and centred numbers. CommonMark allows raw HTML
  blocks (type 6, ``<table>``); GitHub, GitLab, Typora, VS Code and most portal editors render them. The block
  has no blank line inside, so a CommonMark parser keeps it in one piece;
- a simple table stays a pipe table with centred number columns: table 二 is split at its caption rows, each
  第二十条第（X）项 becomes a bold line followed by its own table headed by that block's 信息内容 row;
- an unknown value is printed as "（未填）", never as 0; a draft starts with the 「征求意见稿（草稿）」 line.
"""

from __future__ import annotations

import re
from html import escape

from ..facts import Report
from .status import draft_line
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text

_MD_SPECIAL = re.compile(r"([\\`*_<>\[\]|])")


def escape_md(text: str) -> str:
    """Escape characters Markdown (or raw HTML inside it) would interpret; text like "<script>" stays text."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _cell_text(cell: TableCell) -> str:
    if cell.missing:
        return f"（{unknown_text()}）"
    return escape_md(cell.text)


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _segment_table(rows: list[list[str]], header: list[str]) -> list[str]:
    align = [":---"] + [":---:"] * (len(header) - 1)  # row labels read left, numbers centred
    lines = [_pipe_row(header), _pipe_row(align)]
    lines += [_pipe_row(r) for r in rows]
    return lines


def _body_rows(table: Table, row_range: range, columns: list[int]) -> list[list[str]]:
    grid = table.grid()
    out = []
    for r in row_range:
        out.append([_cell_text(grid[r][c][0]) if grid[r][c][1] else "" for c in columns])
    return out


def _html_cell(cell: TableCell, tag: str) -> str:
    spans = ""
    if cell.rowspan > 1:
        spans += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        spans += f' colspan="{cell.colspan}"'
    if cell.role == "value":
        text = f"（{unknown_text()}）" if cell.missing else cell.text
        return f'<td align="center"{spans}>{escape(text)}</td>'
    align = ' align="left"' if cell.role == "label" and cell.rowspan == 1 else ' align="center"'
    return f"<{tag}{align}{spans}>{escape(cell.text)}</{tag}>"


def merged_table_html(table: Table) -> str:
    """A table with merged headers as one raw HTML block (no blank lines inside)."""
    lines = [f'<table data-table="{table.id}">', "<thead>"]
    rows = table.rows()
    for r, cells in enumerate(rows):
        if r == table.header_rows:
            lines += ["</thead>", "<tbody>"]
        tag = "th" if r < table.header_rows else "td"
        lines.append("<tr>" + "".join(_html_cell(c, tag) for c in cells) + "</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def table_markdown(table: Table) -> str:
    """One table as Markdown: merged headers → an HTML block; table 二 → one pipe table per caption block."""
    if table.header_rows == 0:
        return _captioned_markdown(table)
    return merged_table_html(table)


def _captioned_markdown(table: Table) -> str:
    grid = table.grid()
    caption_rows = [r for r in range(table.n_rows) if grid[r][0][0].role == "caption"]
    parts: list[str] = []
    for i, start in enumerate(caption_rows):
        end = caption_rows[i + 1] if i + 1 < len(caption_rows) else table.n_rows
        columns = sorted({c for r in range(start + 1, end) for c in range(table.n_cols) if grid[r][c][1]})
        header = [_cell_text(grid[start + 1][c][0]) for c in columns]
        body = _body_rows(table, range(start + 2, end), columns)
        parts.append(f"**{escape_md(grid[start][0][0].text)}**\n\n" + "\n".join(_segment_table(body, header)))
    return "\n\n".join(parts)


def document_markdown(doc: Document) -> str:
    out = [f"**{escape_md(draft_line())}**"] if doc.is_draft else []
    out.append(f"# {escape_md(doc.title)}")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"## {escape_md(block.text)}")
        elif isinstance(block, Paragraph):
            if block.role == "subheading":
                out.append(f"### {escape_md(block.text)}")
            elif block.role == "missing":
                out.append(f"*{escape_md(block.text)}*")
            else:
                out.append(escape_md(block.text))
        else:
            out.append(table_markdown(block))
    if doc.agency:
        out.append(f'<p align="right">{escape(doc.agency)}<br>{escape(doc.date_text)}</p>')
    return "\n\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    """The report as Markdown."""
    return document_markdown(build_document(report))
