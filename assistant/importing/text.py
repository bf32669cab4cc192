"""Plain text as copied from a government website (or the engine's own text/Markdown rendering)."""

from __future__ import annotations

import re

from .document import Block, Document

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_QUOTE = re.compile(r"^\s*>\s?")


def clean_markdown(line: str) -> str:
    """A Markdown line as text: heading marks, quote marks and bold/italic markers removed."""
    line = _MD_HEADING.sub("", line)
    line = _MD_QUOTE.sub("", line)
    return _MD_EMPHASIS.sub(r"\2", line)


def read_text(text: str) -> Document:
    """One text block per line (blank lines kept: they may be blank cells in a one-cell-per-line table)."""
    blocks = [Block("text", clean_markdown(line), where=f"第{n}行") for n, line in enumerate(text.split("\n"), 1)]
    return Document(blocks=blocks, source="text")
