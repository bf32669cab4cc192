"""The extraction lexicon's data files (``prompts/lexicon/``): common typos, corrected before anything is read."""

from __future__ import annotations

import re
from functools import lru_cache

from ..prompts import load_prompt


@lru_cache(maxsize=1)
def typos() -> dict[str, str]:
    """wrong → right from prompts/lexicon/typos.txt (same length, so spans keep pointing at the clerk's text)."""
    out: dict[str, str] = {}
    for raw in load_prompt("lexicon/typos").splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        wrong, right = (p.strip() for p in line.split("=", 1))
        if wrong and len(wrong) == len(right):
            out[wrong] = right
    return out


@lru_cache(maxsize=1)
def _typo_regex() -> re.Pattern[str] | None:
    words = sorted(typos(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def fix_typos(text: str) -> str:
    """「申情收了六个 自燃人五个」 → 「申请收了六个 自然人五个」; the result has the same length as ``text``."""
    rx = _typo_regex()
    return rx.sub(lambda m: typos()[m.group()], text) if rx else text
