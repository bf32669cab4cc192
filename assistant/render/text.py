"""Plain text for copying out: paragraphs, and tables as tab-separated rows that paste into WPS, Word or
Excel as a grid. Every table row has exactly the grid's column count; the continuation positions of a merged
cell are left blank (as a merged cell looks once pasted). An unknown value is "（未填）", never 0."""

from __future__ import annotations

from ..facts import Report
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text


def _tsv_text(cell: TableCell) -> str:
    if cell.missing:
        return f"（{unknown_text()}）"
    return " ".join(cell.text.split())  # no tabs or newlines inside a cell


def table_tsv(table: Table) -> str:
    """The table as tab-separated lines, one per grid row."""
    lines = []
    for row in table.grid():
        lines.append("\t".join(_tsv_text(cell) if anchor else "" for cell, anchor in row))
    return "\n".join(lines)


def document_text(doc: Document) -> str:
    out = [doc.title]
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            out.append(block.text)
        else:
            out.append(table_tsv(block))
    return "\n\n".join(out) + "\n"


def render_text(report: Report) -> str:
    """The report as plain text with tab-separated tables."""
    return document_text(build_document(report))
