"""The clerk's words in the official register: first person → 我镇/我局…, colloquial → formal words (a lexicon kept
as data in ``prompts/narrative/lexicon.txt``), 今年/明年/去年 → the year, approximations → 「余」/「近」.

A sentence reaches a drafted section only through :func:`formalize` (and :func:`assistant.drafting.talk.strip_talk`
before it).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

from ..prompts import load_prompt

_NUM = r"(?P<n>\d+(?:\.\d+)?)"
_UNIT = r"(?P<u>[条篇期件次个场人项家名户份册部批块期])"
# "大概86条" / "86条左右" / "约86条" / "86多条" / "80多条" → "86余条"; "将近90条" / "快90条" → "近90条"
_APPROX_BEFORE = re.compile(r"(?:大概|大约|约莫|约|差不多|估计|估摸着?|大致)(?:有)?" + _NUM + r"(?:多)?" + _UNIT + r"(?:左右|上下|多)?")
_APPROX_AFTER = re.compile(_NUM + r"(?:多)?" + _UNIT + r"(?:左右|上下)")
_APPROX_MORE = re.compile(_NUM + r"多" + _UNIT)
_APPROX_NEAR = re.compile(r"(?:将近|接近|快|小)" + _NUM + _UNIT)
# "我" alone is the clerk speaking for the agency; "我镇/我局…" are already the register
_FIRST_PERSON = re.compile(r"(?<![自本])我(?![镇乡局县区市委办院厅街所站署省州旗中们国])")


@dataclass(frozen=True)
class RegisterContext:
    """How the report names its agency and its year."""

    self_word: str
    year: int | None = None

    def values(self) -> dict[str, str]:
        if self.year is None:
            return {"self": self.self_word, "this_year": "本年度", "next_year": "下一年度", "last_year": "上年度"}
        return {
            "self": self.self_word,
            "this_year": f"{self.year}年",
            "next_year": f"{self.year + 1}年",
            "last_year": f"{self.year - 1}年",
        }


@lru_cache(maxsize=1)
def lexicon() -> tuple[tuple[str, str], ...]:
    """Pairs (spoken, formal) from ``prompts/narrative/lexicon.txt``, longest spoken form first."""
    pairs: list[tuple[str, str]] = []
    for line in load_prompt("narrative/lexicon").splitlines():
        if line.startswith("#") or "=>" not in line:
            continue
        a, b = (x.strip() for x in line.split("=>", 1))
        if a:
            pairs.append((a, b))
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


def approximations(text: str) -> str:
    """ "86条左右" → "86余条", "将近90条" → "近90条": a report does not say 左右/大概/多."""
    text = _APPROX_BEFORE.sub(lambda m: f"{m['n']}余{m['u']}", text)
    text = _APPROX_AFTER.sub(lambda m: f"{m['n']}余{m['u']}", text)
    text = _APPROX_MORE.sub(lambda m: f"{m['n']}余{m['u']}", text)
    return _APPROX_NEAR.sub(lambda m: f"近{m['n']}{m['u']}", text)


def formalize(text: str, ctx: RegisterContext) -> str:
    """One clerk sentence in the report's register (lexicon in one pass, longest match first)."""
    values = ctx.values()
    pairs = lexicon()
    if pairs:
        table = {a: string.Template(b).safe_substitute(values) for a, b in pairs}
        pattern = re.compile("|".join(re.escape(a) for a, _ in pairs))
        text = pattern.sub(lambda m: table[m.group(0)], text)
    text = _FIRST_PERSON.sub(ctx.self_word, text)
    return approximations(text)
