"""Text measurement for the Word layout: character widths, line counts, the title's line breaks, and a page
flow estimate that finds where 表三 breaks across pages.

Widths are in em (1 em = the font size): CJK characters and full-width punctuation are 1 em, ASCII letters
and digits ½ em. Word lays out CJK text character by character, so a line holds ⌊width / size⌋ CJK characters;
the estimates here are deliberately a little pessimistic (every cell and paragraph rounds up), so a page
break we force is never later than the real one.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field


def char_em(ch: str) -> float:
    """Width of one character in em: 1 for wide/full-width characters, ½ for the rest."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.5


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def line_count(text: str, width_pt: float, size_pt: float, *, first_indent_em: float = 0.0) -> int:
    """How many lines ``text`` takes in a box ``width_pt`` wide at ``size_pt`` (greedy, character wrapping)."""
    capacity = width_pt / size_pt  # em per line
    if capacity < 1:
        return max(1, len(text))
    lines, used = 1, first_indent_em
    for ch in text:
        w = char_em(ch)
        if used + w > capacity + 1e-9:
            lines += 1
            used = 0.0
        used += w
    return lines


# ---- the title: break at a word boundary into balanced lines ----------------------------------------------

# Fixed words of the title template; a break may follow each of them.
_TITLE_WORDS = ("政府信息公开", "工作", "年度报告")
_YEAR = re.compile(r"(?:\d{4}|_+)年")
# Inside the agency name: a break may follow an administrative division (瑞安市|马屿镇|人民政府), but not a
# division character that starts a word (市场监督管理局, 区域, 县级).
_DIVISION = re.compile(r"(?:自治区|自治州|自治县|街道|[省市州盟县旗区镇乡])(?![场域级直属政划委])")
_ORGAN_START = re.compile(r"(?=人民政府|办事处)")


def title_breaks(title: str) -> list[tuple[int, int]]:
    """Candidate break offsets in the title with a penalty (0: between the title's own words, 1: inside the
    agency name, 3: before 年度报告)."""
    out: dict[int, int] = {}
    year = None
    for m in _YEAR.finditer(title):
        year = m
    agency_end = year.start() if year else 0
    if year:
        out[year.start()] = 0  # agency | 2024年…
        out[year.end()] = 0  # …2024年 | 政府信息公开…
        pos = year.end()
        for word in _TITLE_WORDS:
            if title.startswith(word, pos):
                pos += len(word)
                if pos < len(title):
                    out.setdefault(pos, 3 if word == "工作" else 0)
    agency = title[:agency_end]
    for m in _DIVISION.finditer(agency):
        if 2 <= m.end() < len(agency) - 1:
            out.setdefault(m.end(), 1)
    for m in _ORGAN_START.finditer(agency):
        if m.start() >= 2:
            out.setdefault(m.start(), 1)
    return sorted(out.items())


def break_title(title: str, max_em: float) -> list[str]:
    """The title in as few lines as fit ``max_em``, broken at word boundaries, the lines as even as possible.

    Falls back to even character breaks only when no word boundary fits (a very long agency name).
    """
    if text_em(title) <= max_em:
        return [title]
    candidates = title_breaks(title)
    for n_lines in range(2, 5):
        best: tuple[float, list[int]] | None = None
        for cut in _combinations([c for c, _ in candidates], n_lines - 1):
            pieces = _split(title, cut)
            widths = [text_em(p) for p in pieces]
            if max(widths) > max_em:
                continue
            penalty = sum(dict(candidates)[c] for c in cut)
            score = (max(widths) - min(widths)) + 2.0 * penalty
            if best is None or score < best[0]:
                best = (score, list(cut))
        if best is not None:
            return _split(title, best[1])
    n = math.ceil(text_em(title) / max_em)
    step = math.ceil(len(title) / n)
    return [title[i : i + step] for i in range(0, len(title), step)]


def _split(text: str, cuts: Iterable[int]) -> list[str]:
    out, start = [], 0
    for c in cuts:
        out.append(text[start:c])
        start = c
    out.append(text[start:])
    return out


def _combinations(items: list[int], k: int) -> Iterable[tuple[int, ...]]:
    from itertools import combinations

    return combinations(items, k)


# ---- page flow -----------------------------------------------------------------------------------------


@dataclass
class PageFlow:
    """A running estimate of where content sits on the pages (points from the top of the text area)."""

    page_height: float
    page: int = 1
    y: float = 0.0
    starts: dict[str, int] = field(default_factory=dict)  # block name → page it starts on

    @property
    def remaining(self) -> float:
        return self.page_height - self.y

    def add_lines(self, n: int, pitch: float, *, keep_together: bool = False) -> None:
        """Add ``n`` lines of ``pitch`` points; lines spill onto the next pages (or move whole if kept)."""
        if keep_together and n * pitch > self.remaining and n * pitch <= self.page_height:
            self.new_page()
        for _ in range(n):
            if self.y + pitch > self.page_height + 1e-6:
                self.new_page()
            self.y += pitch

    def add_block(self, height: float) -> None:
        """Add an unbreakable block (a table row): it moves to the next page when it does not fit."""
        if self.y + height > self.page_height + 1e-6 and self.y > 0:
            self.new_page()
        self.y += height

    def new_page(self) -> None:
        self.page += 1
        self.y = 0.0

    def mark(self, name: str) -> None:
        self.starts[name] = self.page
