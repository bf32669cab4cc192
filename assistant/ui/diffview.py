"""Readable differences between two versions of a section: character-level (Chinese has no spaces), escaped HTML."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from html import escape

DIFF_CSS = """
.nb-diff{display:grid;grid-template-columns:1fr 1fr;gap:.8em;font-size:.92em;line-height:1.75}
.nb-diff .side{border:1px solid #d9dde3;border-radius:6px;padding:.5em .8em;background:#fff;white-space:pre-wrap}
.nb-diff .side h4{margin:0 0 .3em;font-size:.9em;color:#555;font-weight:600}
.nb-diff del{background:#fde2e1;color:#8a1c12;text-decoration:line-through}
.nb-diff ins{background:#dcf5e3;color:#0b5d24;text-decoration:none}
.nb-diff .stats{grid-column:1/3;color:#555;font-size:.88em}
"""


@dataclass(frozen=True)
class DiffStats:
    inserted: int
    deleted: int
    ratio: float  # similarity 0..1


def diff_stats(old: str, new: str) -> DiffStats:
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    ins = dele = 0
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("replace", "delete"):
            dele += i2 - i1
        if tag in ("replace", "insert"):
            ins += j2 - j1
    return DiffStats(inserted=ins, deleted=dele, ratio=sm.ratio())


def _segments(old: str, new: str) -> list[tuple[bool, str, str]]:
    """(changed, old part, new part) runs; an equal run of one or two characters between two changes is
    folded into the change, so a rewritten sentence reads as one change instead of confetti."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    runs: list[tuple[bool, str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        runs.append((tag != "equal", old[i1:i2], new[j1:j2]))
    merged: list[tuple[bool, str, str]] = []
    for i, (changed, a, b) in enumerate(runs):
        between = 0 < i < len(runs) - 1 and runs[i - 1][0] and runs[i + 1][0]
        if not changed and between and len(a) <= 2:
            changed = True
        if merged and changed and merged[-1][0]:
            _, pa, pb = merged.pop()
            merged.append((True, pa + a, pb + b))
        else:
            merged.append((changed, a, b))
    return merged


def diff_html(old: str, new: str, *, old_title: str, new_title: str, stats_text: str = "") -> str:
    """Two columns side by side: the old text with deletions marked, the new with insertions marked."""
    left: list[str] = []
    right: list[str] = []
    for changed, a, b in _segments(old, new):
        if not changed:
            left.append(escape(a))
            right.append(escape(b))
            continue
        if a:
            left.append(f"<del>{escape(a)}</del>")
        if b:
            right.append(f"<ins>{escape(b)}</ins>")
    stats = f'<div class="stats">{escape(stats_text)}</div>' if stats_text else ""
    return (
        f'<div class="nb-diff"><style>{DIFF_CSS}</style>{stats}'
        f'<div class="side"><h4>{escape(old_title)}</h4>{"".join(left)}</div>'
        f'<div class="side"><h4>{escape(new_title)}</h4>{"".join(right)}</div></div>'
    )


def unified_diff_text(old: str, new: str, *, old_title: str, new_title: str) -> str:
    """A plain unified diff by line (for copying into a review note)."""
    return "\n".join(
        difflib.unified_diff(old.splitlines(), new.splitlines(), fromfile=old_title, tofile=new_title, lineterm="")
    )
