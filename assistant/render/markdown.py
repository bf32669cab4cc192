"""Markdown: headings, paragraphs and pipe tables (renders in Streamlit, GitHub, Typora and most site editors).

Pipe tables cannot merge cells, so:

- a multi-row header is flattened into one header row, joining the labels stacked above a column with "-"
  ("申请人情况-法人或其他组织-商业企业"); the top-left 勾稽 note heads the first label column;
- a merged label is printed in its first row only (continuation cells are blank), as it reads on paper;
- table 二 is split at its caption rows: each 第二十条第（X）项 becomes a bold line followed by its own
  table, whose header is that block's 信息内容 row;
- an unknown value is printed as "（未填）", never as 0.
"""

from __future__ import annotations

import re

from ..facts import Report
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
    lines = [_pipe_row(header), _pipe_row(["---"] * len(header))]
    lines += [_pipe_row(r) for r in rows]
    return lines


def _body_rows(table: Table, row_range: range, columns: list[int]) -> list[list[str]]:
    grid = table.grid()
    out = []
    for r in row_range:
        out.append([_cell_text(grid[r][c][0]) if grid[r][c][1] else "" for c in columns])
    return out


def table_markdown(table: Table) -> str:
    """One table as Markdown (table 二: one pipe table per caption block)."""
    grid = table.grid()
    if table.header_rows == 0:
        return _captioned_markdown(table)
    columns = list(range(table.n_cols))
    header: list[str] = []
    for c in columns:
        stacked: list[str] = []
        for r in range(table.header_rows):
            cell, _ = grid[r][c]
            if cell.col != c and cell.role == "note":
                continue  # the note heads only the first label column
            if not stacked or stacked[-1] != cell.text:
                stacked.append(cell.text)
        header.append(escape_md("-".join(stacked)))
    body = _body_rows(table, range(table.header_rows, table.n_rows), columns)
    return "\n".join(_segment_table(body, header))


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
    out = [f"# {escape_md(doc.title)}"]
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
    return "\n\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    """The report as Markdown."""
    return document_markdown(build_document(report))
