"""Make user-controlled text safe for ``st.markdown``: it renders as the characters typed, never as markup."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# Every character CommonMark/GFM or Streamlit's Markdown extensions ($…$ math, :color[…], ~~…~~) give meaning to.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~:=&^])")
# In replies written by the assistant we keep emphasis and lists, but disarm HTML, links, images and math.
_REPLY_SPECIAL = re.compile(r"([\\<\[\]$])")


def escape_markdown(text: str) -> str:
    """User text → Markdown that displays exactly that text (line breaks kept)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    return hard_breaks(escaped)


def safe_reply_markdown(text: str) -> str:
    """An assistant reply (Markdown that may quote the clerk) with HTML, links, images and math disarmed."""
    return hard_breaks(_REPLY_SPECIAL.sub(r"\\\1", str(text)))


def hard_breaks(text: str) -> str:
    """Single newlines become Markdown hard line breaks (blank lines stay paragraph breaks)."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        out.append(line + ("  " if line.strip() and nxt.strip() else ""))
    return "\n".join(out)


def escape_stream(chunks: Iterable[str]) -> Iterator[str]:
    """Escape a stream of text (a model writing) chunk by chunk for ``st.write_stream``: shown as typed."""
    for chunk in chunks:
        yield _MD_SPECIAL.sub(r"\\\1", str(chunk)).replace("\n", "  \n")


def looks_tabular(text: str) -> bool:
    """A pasted spreadsheet range (tab-separated lines): shown in a monospace block, not as prose."""
    return "\t" in text and text.count("\n") >= 1
