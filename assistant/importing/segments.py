"""Turn grid rows and lines of copied text into segments / positional rows for the table readers."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .cellvalue import is_value_token
from .document import GridCell
from .tables import GridRow, Segment

_MD_SEPARATOR = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
_MD_SPLIT = re.compile(r"(?<!\\)\|")


def grid_rows(rows: list[list[GridCell]], where_prefix: str) -> list[GridRow]:
    """Rows of an expanded grid (a merged cell repeated at each position it covers)."""
    out: list[GridRow] = []
    for n, row in enumerate(rows, start=1):
        cells = [c.text for c in row]
        if not any(c.strip() for c in cells):
            continue
        unique: list[str] = []
        prev: int | None = None
        for cell in row:
            if cell.ident != prev:
                unique.append(cell.text)
            prev = cell.ident
        out.append(GridRow(cells, unique, f"{where_prefix}第{n}行"))
    return out


def _row_fields(line: str) -> list[str] | None:
    """The cells of a tab-separated or Markdown table line, else None."""
    if "\t" in line:
        return [f.strip() for f in line.rstrip("\n").split("\t")]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return [f.replace("\\|", "|").strip() for f in _MD_SPLIT.split(inner)]
    return None


def text_segments(lines: Iterable[tuple[str, str]]) -> list[Segment | GridRow]:
    """Lines of copied text → stream segments (one cell per line, labels then numbers) and positional rows
    (tab-separated or Markdown table lines; a merged cell is blank after its first position)."""
    out: list[Segment | GridRow] = []
    labels: list[str] = []
    values: list[str] = []
    solid: list[str] = []
    blanks = 0
    where = ""

    def flush() -> None:
        nonlocal labels, values, solid, blanks
        if labels or values:
            out.append(Segment(labels, values, where, values_without_blanks=solid if solid != values else None))
        labels, values, solid, blanks = [], [], [], 0

    for line, line_where in lines:
        if _MD_SEPARATOR.match(line):
            continue
        fields = _row_fields(line)
        if fields is not None:
            if labels and not values:
                out.append(Segment(labels, [], line_where))
                labels = []
            flush()
            out.append(GridRow(fields, fields, line_where))
            continue
        tokens = line.split()
        if not tokens:
            if values:
                blanks += 1
            continue
        for tok in tokens:
            if is_value_token(tok):
                if not values:
                    where = line_where
                if blanks:
                    values.extend([""] * blanks)
                    blanks = 0
                values.append(tok)
                solid.append(tok)
            else:
                if values:
                    flush()
                blanks = 0
                labels.append(tok)
    flush()
    return out
