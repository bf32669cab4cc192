"""Clean text at the edges (messages, titles, ledger text, exports): no terminal escapes, no control characters
that XML (and so Word) refuses, no bidi overrides that make a title read differently from what it stores.

Kept: tab and newline. Vertical tab and form feed (page breaks in text copied from a PDF) become newlines;
``\\r\\n``/``\\r`` become ``\\n``. Terminal colour codes such as ``\\x1b[31m`` are removed whole, so
「科研机构\\x1b[31m2件」 reads 科研机构2件, never 科研机构 31. Lone surrogates and the non-characters
U+FFFE/U+FFFF (not valid in XML, not encodable as UTF-8) are dropped.
"""

from __future__ import annotations

import re
from typing import Any

# CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and any other two-byte ESC sequence; C1 CSI too
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0 except tab/newline, DEL, C1, lone surrogates, U+FFFE/U+FFFF
_INVALID = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# bidi embeddings/overrides/isolates and marks: they reorder how a title is displayed
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_DIRTY = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]|\r"
)  # fast test: anything clean_text would change
_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text as it may be stored, extracted from and exported: see the module docstring."""
    if not isinstance(text, str):
        text = str(text)
    if not _DIRTY.search(text):
        return text
    text = _ANSI.sub("", text)
    text = _BREAKS.sub("\n", text)
    return _INVALID.sub("", text)


def clean_title(text: str) -> str:
    """A one-line name (draft title, agency): clean_text, without bidi controls, whitespace collapsed."""
    return _SPACES.sub(" ", _BIDI.sub("", clean_text(text))).strip()


def is_clean(text: str) -> bool:
    return not _DIRTY.search(text)


def clean_mapping(values: dict[str, Any]) -> dict[str, Any]:
    """The same mapping with every string value cleaned (other values untouched)."""
    if all(not isinstance(v, str) or is_clean(v) for v in values.values()):
        return values
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in values.items()}


def clean_report(report: Any) -> Any:
    """A Report whose free text (agency, sections, narrative facts, last year's sections) is clean; the same
    object when it already is (exports call this, since ``model_copy`` bypasses the ledger's validators)."""
    update: dict[str, Any] = {}
    agency = clean_title(report.agency)
    if agency != report.agency:
        update["agency"] = agency
    for name in ("sections", "narrative_facts"):
        value = getattr(report, name)
        cleaned = clean_mapping(value)
        if cleaned is not value:
            update[name] = cleaned
    last = getattr(report, "last_year", None)
    if last is not None and isinstance(getattr(last, "sections", None), dict):
        cleaned = clean_mapping(last.sections)
        if cleaned is not last.sections:
            update["last_year"] = last.model_copy(update={"sections": cleaned})
    return report.model_copy(update=update) if update else report
