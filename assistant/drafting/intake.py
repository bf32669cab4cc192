"""From the clerk's message to the narrative slots: talk taken out, one message split over several topics,
「主动公开重新说一下：…」 replacing a slot's content. Topic names and words are data (``prompts/narrative/topics.txt``).

The engine calls :func:`restatement` before reading a message and :func:`merge_narrative` to store what was said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..prompts import load_prompt
from ..textnorm import normalize_text
from .slots import NARRATIVE_BY_KEY
from .talk import strip_talk

# "主动公开（方面）重新说一下：…" / "问题部分改成：…" / "收费以这个为准：…"
_RESTATE_VERB = (
    r"(?:的)?(?:方面|部分|这块|这一块|这部分|这一部分|情况|内容)?(?:的)?(?:我|再|请|帮我)?"
    r"(?:重新说一下|重新说|重说一下|重说|重新讲一下|重新讲|重新写|改一下|改成|改为|换成|更正为|更新为|以下面为准|以此为准|如下)"
)
_UNITS = re.compile(r"(?:[。；;！!\n]+|(?<=[，,：:\s])(?=[一二三四五六七八九十]是)|(?=^[一二三四五六七八九十]是))")


@dataclass(frozen=True)
class Topic:
    key: str
    names: tuple[str, ...]
    words: re.Pattern[str]


@lru_cache(maxsize=1)
def topics() -> tuple[Topic, ...]:
    """The narrative topics of ``prompts/narrative/topics.txt`` (key, names, topic words)."""
    out: list[Topic] = []
    for line in load_prompt("narrative/topics").splitlines():
        if not line.strip() or line.startswith("#") or line.count("|") < 2:
            continue
        key, names, words = (x.strip() for x in line.split("|", 2))
        if key in NARRATIVE_BY_KEY:
            out.append(Topic(key, tuple(n for n in names.split("/") if n), re.compile(words)))
    return tuple(out)


def restatement(message: str) -> tuple[str, str] | None:
    """ "主动公开重新说一下：全年…" → ("proactive", "全年…"): the clerk replaces what a slot says."""
    text = normalize_text(message).strip()
    for topic in topics():
        names = "|".join(re.escape(n) for n in sorted(topic.names, key=len, reverse=True))
        m = re.match(rf"(?:那|把)?(?:{names}){_RESTATE_VERB}[：:，,\s]*(?P<body>.+)$", text, re.S)
        if m and strip_talk(m.group("body")):
            return topic.key, m.group("body").strip()
    return None


def _units(text: str) -> list[str]:
    return [u for u in (p.strip(" ，,") for p in _UNITS.split(text)) if u]


def _score(topic: Topic, unit: str) -> float:
    """Distinct topic words in the unit; a word that opens the unit ("下一步…", "问题是…") counts three times."""
    found = {m.group(0): m.start() for m in topic.words.finditer(unit)}
    return sum(3.0 if start <= 2 else 1.0 for start in found.values())


def route(text: str, asked: str) -> dict[str, str]:
    """Split one answer over the topics it covers: each unit (sentence or 一是… point) goes to the topic with
    the best score (ties: the unit before, then the asked topic); a unit without topic words follows the unit
    before it, the first one the asked topic."""
    units = _units(text)
    if len(units) <= 1:
        # a one-sentence answer stays with the question unless it plainly names another topic
        scores = {t.key: _score(t, text) for t in topics()}
        best = max(scores, key=lambda k: scores[k]) if scores else asked
        moved = scores.get(asked, 0.0) == 0 and scores.get(best, 0.0) >= 2
        return {best if moved else asked: text}
    out: dict[str, list[str]] = {}
    current = asked
    for unit in units:
        scores = {t.key: _score(t, unit) for t in topics()}
        top = max(scores.values(), default=0.0)
        if top > 0:
            tied = [k for k, v in scores.items() if v == top]
            current = current if current in tied else asked if asked in tied else tied[0]
        out.setdefault(current, []).append(unit.rstrip("。；;"))
    if list(out) == [asked]:
        return {asked: text}
    return {k: "；".join(v) + "。" for k, v in out.items()}


def merge_narrative(
    facts: dict[str, str], incoming: dict[str, str], *, replace: Iterable[str] = ()
) -> tuple[dict[str, str], list[str]]:
    """Add what the clerk said to the narrative slots: talk is dropped, several topics in one answer fill
    several slots, a restated slot is replaced; earlier words are otherwise kept. Returns (facts, keys changed)."""
    replace = set(replace)
    out = dict(facts)
    changed: list[str] = []
    for asked, raw in incoming.items():
        content = strip_talk(raw)
        if asked not in NARRATIVE_BY_KEY or not content:
            continue
        parts = {asked: content} if asked in replace else route(content, asked)
        for key, text in parts.items():
            old = out.get(key, "").strip()
            if key in replace:
                new = text
            elif text in old:
                continue
            else:
                new = f"{old}\n{text}" if old else text
            if new != old:
                out[key] = new
                changed.append(key)
    return out, changed
