"""Plain text for copying out, in two table styles:

- ``tables="grid"``: tables as tab-separated rows that paste into WPS, Word or Excel as a grid. The continuation
  positions of a merged cell are blank (as a merged cell looks once pasted); trailing empty cells are dropped,
  so no line ends in a tab.
- ``tables="lines"``: each table as numbered lines of text, for WeChat articles and editors that drop tabs
  (「一、本年新收政府信息公开申请数量：自然人12件，商业企业3件，…，总计15件」).

A draft starts with the 「征求意见稿（草稿）」 line; the signature block (agency, date) closes the text.
An unknown value is "（未填）" in the grid and "未填" in lines, never 0.
"""

from __future__ import annotations

import re
from typing import Literal

from ..facts import Report
from ..prompts import load_prompt, render_prompt
from .status import draft_line
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text

TableStyle = Literal["grid", "lines"]
TABLE_STYLES: tuple[TableStyle, ...] = ("grid", "lines")
_UNIT_NOTE = re.compile(r"[（(]单位[：:][^）)]*[）)]")


def _tsv_text(cell: TableCell) -> str:
    if cell.missing:
        return f"（{unknown_text()}）"
    return " ".join(cell.text.split())  # no tabs or newlines inside a cell


def table_tsv(table: Table) -> str:
    """The table as tab-separated lines, one per grid row, without trailing tabs."""
    lines = []
    for row in table.grid():
        lines.append("\t".join(_tsv_text(cell) if anchor else "" for cell, anchor in row).rstrip("\t"))
    return "\n".join(lines)


# ---- tables as numbered lines -------------------------------------------------------------------------


def _value_words(cell: TableCell) -> str:
    """ "12件", "12.35万元", "不适用", "未填": the number with its unit (once)."""
    if cell.missing:
        return unknown_text()
    if cell.state != "value" or not cell.unit or cell.text.endswith(cell.unit):
        return cell.text
    return cell.text + cell.unit


def _line(label: str, pairs: list[tuple[str, TableCell]]) -> str:
    joiner = load_prompt("render/table_line_joiner")
    values = joiner.join(f"{_UNIT_NOTE.sub('', name)}{_value_words(cell)}" for name, cell in pairs)
    return render_prompt("render/table_line", label=label, values=values)


def _header_paths(table: Table) -> list[list[str]]:
    """Per grid column, the header labels stacked above it (top to bottom, the 勾稽 note left out)."""
    grid = table.grid()
    paths: list[list[str]] = []
    for c in range(table.n_cols):
        path: list[str] = []
        for r in range(table.header_rows):
            cell, _ = grid[r][c]
            if cell.role == "header" and (not path or path[-1] != cell.text):
                path.append(cell.text)
        paths.append(path)
    return paths


def _captioned_lines(table: Table) -> list[str]:
    """Table 二: the caption of each block on its own line, then one line per row of that block."""
    out: list[str] = []
    columns: dict[int, str] = {}
    for cells in table.rows():
        first = cells[0]
        if first.role == "caption":
            out.append(first.text)
        elif first.role == "header":
            columns = {c.col: c.text for c in cells[1:]}
        else:
            values = [c for c in cells if c.role == "value"]
            out.append(_line(first.text, [(columns.get(c.col, ""), c) for c in values]))
    return out


def _grouped_column_lines(table: Table, paths: list[list[str]]) -> list[str]:
    """Table 四 (one data row): one line per column group (行政复议, 行政诉讼 未经复议直接起诉, …)."""
    out: list[str] = []
    groups: dict[str, list[tuple[str, TableCell]]] = {}
    for cell in table.value_cells():
        path = paths[cell.col]
        prefix = "".join(f"（{p}）" if i else p for i, p in enumerate(path[:-1]))
        groups.setdefault(prefix, []).append((path[-1] if path else "", cell))
    for prefix, pairs in groups.items():
        out.append(_line(prefix, pairs))
    return out


def _row_lines(table: Table, paths: list[list[str]]) -> list[str]:
    """Table 三: a merged group label on its own line where the group starts, then one line per row."""
    out: list[str] = []
    rows = table.rows()
    for r in range(table.header_rows, table.n_rows):
        labels = [c for c in rows[r] if c.role == "label"]
        for group in (c for c in labels if c.rowspan > 1):
            out.append(group.text)
        own = "".join(c.text for c in labels if c.rowspan == 1)
        values = [c for c in rows[r] if c.role == "value"]
        if values:
            out.append(_line(own, [(paths[c.col][-1] if paths[c.col] else "", c) for c in values]))
    return out


def table_lines(table: Table) -> str:
    """The table as lines of text, one per row (or per column group for a one-row table)."""
    if table.header_rows == 0:
        lines = _captioned_lines(table)
    else:
        paths = _header_paths(table)
        data_rows = table.n_rows - table.header_rows
        lines = _grouped_column_lines(table, paths) if data_rows == 1 else _row_lines(table, paths)
    return "\n".join(lines)


# ---- document ------------------------------------------------------------------------------------------


def document_text(doc: Document, tables: TableStyle = "grid", *, signature: bool = True) -> str:
    out = [draft_line()] if doc.is_draft else []
    if doc.title:
        out.append(doc.title)
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            out.append(block.text)
        else:
            out.append(table_lines(block) if tables == "lines" else table_tsv(block))
    if signature and doc.agency:
        out.append(f"{doc.agency}\n{doc.date_text}")
    return "\n\n".join(out) + "\n"


def render_text(report: Report, tables: TableStyle = "grid") -> str:
    """The report as plain text, tables as a tab-separated grid or as numbered lines."""
    return document_text(build_document(report), tables)
