"""Talk versus content: what a clerk says *to the assistant* (corrections, questions, complaints, apologies,
「说过了」, 「先空着」, instructions) is recognised clause by clause and never reaches a drafted section.

The patterns are data (``prompts/narrative/talk.txt``, one ``class | regex`` per line); a clause that matches any
of them is talk. Content is what is left after the talk clauses are taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..prompts import load_prompt
from ..textnorm import normalize_text

# clause boundaries: sentence ends, commas, line breaks and runs of spaces (「没有 说过了」)
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+[，,。；;！!？?\n]*|[，,。；;！!？?\n]+")
_SPACE_SPLIT = re.compile(r"\s{1,}(?=\S)")
_ENDING = re.compile(r"[，,。；;！!？?\s]+$")
_SENTENCE_END = "。！!？?\n"
_DIGIT = re.compile(r"[\d一二三四五六七八九十两零〇]")
_INNER_TALK = re.compile(r"(?:说过了|讲过了|提过了|不好意思|抱歉|啊+|呀+|哈+)$")


@dataclass(frozen=True)
class TalkPattern:
    kind: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def talk_patterns() -> tuple[TalkPattern, ...]:
    """The talk classes from ``prompts/narrative/talk.txt``."""
    out: list[TalkPattern] = []
    for line in load_prompt("narrative/talk").splitlines():
        if not line.strip() or line.startswith("#") or "|" not in line:
            continue
        kind, regex = (x.strip() for x in line.split("|", 1))
        out.append(TalkPattern(kind, re.compile(regex)))
    return tuple(out)


def talk_kind(clause: str) -> str | None:
    """The talk class of one clause ("correction", "question", …), or None for content."""
    core = _ENDING.sub("", normalize_text(clause).strip())
    if not core:
        return None
    for p in talk_patterns():
        if p.pattern.search(core):
            return p.kind
    return None


def _clauses(text: str) -> list[str]:
    """Clauses with their trailing punctuation; a run of spaces inside a clause also separates two clauses."""
    out: list[str] = []
    for m in _CLAUSE.finditer(text):
        piece = m.group(0)
        parts = _SPACE_SPLIT.split(piece.strip(" \t")) if re.search(r"\S\s+\S", piece) else [piece]
        out.extend(parts)
    return out


def strip_talk(text: str | None) -> str:
    """The content of a clerk's text with every talk clause taken out ("" when it was all talk)."""
    if not text:
        return ""
    kept: list[tuple[str, str]] = []
    dropped = False
    correcting = False  # after "更正一下，…" the figures in the rest of the sentence are the correction
    for clause in _clauses(normalize_text(text)):
        stripped = clause.strip()
        body = _ENDING.sub("", stripped).strip()
        if not body:
            continue
        kind = talk_kind(body)
        if kind or (correcting and _DIGIT.search(body)):
            dropped = True
            correcting = correcting or kind == "correction"
            if stripped[-1:] in _SENTENCE_END:
                correcting = False
            continue
        if stripped[-1:] in _SENTENCE_END:
            correcting = False
        core = _INNER_TALK.sub("", body).strip()
        dropped = dropped or core != body
        if core:
            kept.append((core, stripped[len(body) :].strip()[:1]))
    if not dropped:
        return text.strip()
    out = ""
    for i, (core, sep) in enumerate(kept):
        last = i == len(kept) - 1
        out += core + (sep if sep and not last else "" if last else "，")
    return f"{out}。" if out else ""


def is_talk(text: str | None) -> bool:
    """The whole message is talk: no clause of it is content."""
    return bool(text and text.strip()) and not strip_talk(text)
