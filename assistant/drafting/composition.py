"""Text machinery for the offline drafts: the line-template engine, "一是…二是…" item lists, shortening to a
length limit, instructions, and the sentence-repetition measure.

Template files (``prompts/sections/*.txt``) are read line by line:

- ``# …`` is a comment; a blank line starts a new paragraph;
- every other line is one sentence (or clause) with ``$placeholders``; it is kept only when the code supplied
  every placeholder it uses (a flag placeholder has the value ``""``), so one file covers all cases;
- a leading ``?`` marks an optional sentence (dropped first when shortening), ``??`` one dropped even earlier.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache

from ..numbers import find_numbers
from ..prompts import load_prompt, prompt_variants
from ..textnorm import normalize_text
from .register import RegisterContext, formalize
from .talk import strip_talk

_ORDINALS = "一二三四五六七八九十"


# ---- item lists -----------------------------------------------------------------------------------------


@dataclass
class ItemList:
    """Clerk items rendered as "一是…；二是…。" (style 0) or "一是…。二是…。" (style 1); shrinkable."""

    items: list[str]
    style: int = 0
    keep: int | None = None

    def visible(self) -> list[str]:
        return self.items[: self.keep] if self.keep is not None else self.items

    def shrink(self) -> bool:
        """Show one item fewer (never fewer than one); False when nothing is left to drop."""
        n = len(self.visible())
        if n <= 1:
            return False
        self.keep = n - 1
        return True

    def __bool__(self) -> bool:
        return bool(self.items)

    def __str__(self) -> str:
        items = self.visible()
        if len(items) == 1:
            return f"{items[0]}。"
        if len(items) > len(_ORDINALS):
            items = items[: len(_ORDINALS)]
        marked = [f"{_ORDINALS[i]}是{it}" for i, it in enumerate(items)]
        return "。".join(marked) + "。" if self.style % 2 else "；".join(marked) + "。"


# ---- the line-template engine ---------------------------------------------------------------------------


@dataclass
class Line:
    """One sentence of a template bound to its values."""

    template: str
    priority: int
    values: dict[str, object]
    dropped: bool = False

    def render(self) -> str:
        return string.Template(self.template).substitute({k: str(v) for k, v in self.values.items()})


@dataclass
class Part:
    """A sub-heading line or a paragraph of lines."""

    lines: list[Line] = field(default_factory=list)
    heading: str | None = None

    def render(self) -> str:
        if self.heading is not None:
            return self.heading
        return "".join(line.render() for line in self.lines if not line.dropped)


@dataclass
class Composition:
    """A section under construction: parts in order, rendered and shortened as a whole."""

    parts: list[Part] = field(default_factory=list)

    def extend(self, parts: list[Part]) -> None:
        self.parts.extend(parts)

    def render(self) -> str:
        # a heading is printed even when its paragraphs vanished (the sub-part is required)
        return "\n".join(t for part in self.parts if (t := part.render()) or part.heading is not None)


def _identifiers(template: str) -> list[str]:
    return string.Template(template).get_identifiers()


def _present(v: object) -> bool:
    if v is None:
        return False
    if isinstance(v, ItemList):
        return bool(v)
    return True


@lru_cache(maxsize=256)
def _parsed(name: str) -> tuple[tuple[tuple[int, str], ...], ...]:
    """Paragraphs of (priority, line template) of a template file."""
    paragraphs: list[list[tuple[int, str]]] = [[]]
    for raw in load_prompt(name).splitlines():
        line = raw.rstrip()
        if line.startswith("#"):
            continue
        if not line.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        prio = len(line) - len(line.lstrip("?"))
        paragraphs[-1].append((prio, line.lstrip("?").strip()))
    return tuple(tuple(p) for p in paragraphs if p)


def compose(name: str, values: dict[str, object]) -> list[Part]:
    """Bind a template file to values: lines missing a placeholder value are left out."""
    parts: list[Part] = []
    for para in _parsed(name):
        lines = [
            Line(tpl, prio, values)
            for prio, tpl in para
            if all(k in values and _present(values[k]) for k in _identifiers(tpl))
        ]
        if lines:
            parts.append(Part(lines))
    return parts


def choose(prefix: str, variant: int) -> str:
    """The template name for a variant: ``prompts/<prefix>1.txt`` … cycled."""
    names = prompt_variants(prefix)
    if not names:
        load_prompt(f"{prefix}1")  # raises the Chinese "missing template" error
    return names[variant % len(names)]


def fill(name: str, /, **values: object) -> str:
    """Render a one-line template fully (all placeholders required)."""
    return string.Template(load_prompt(name)).substitute({k: str(v) for k, v in values.items()})


# ---- length and shortening ------------------------------------------------------------------------------


def text_length(text: str) -> int:
    """Characters as counted for a length limit: everything except whitespace (Chinese punctuation counts)."""
    return sum(1 for c in text if not c.isspace())


def drop_optional(comp: Composition) -> None:
    """Leave out every optional sentence (``?``/``??`` lines): the concise form of a draft."""
    for part in comp.parts:
        for line in part.lines:
            if line.priority > 0:
                line.dropped = True


def emphasise(comp: Composition, topic: str) -> bool:
    """Put the clerk's items about ``topic`` first in every item list; False when no item is about it."""
    found = False
    seen: set[int] = set()
    for part in comp.parts:
        for line in part.lines:
            for v in line.values.values():
                if not isinstance(v, ItemList) or id(v) in seen:
                    continue
                seen.add(id(v))
                hits = [i for i in v.items if topic_matches(topic, i)]
                if hits:
                    found = True
                    v.items[:] = hits + [i for i in v.items if i not in hits]
    return found


def shorten(comp: Composition, limit: int) -> bool:
    """Drop optional sentences (highest priority first, later ones first), then shrink item lists, until the
    text fits. Never cuts inside a sentence. Returns True when the limit was reached."""
    while text_length(comp.render()) > limit:
        optional = [
            (line.priority, pi, li, line)
            for pi, part in enumerate(comp.parts)
            for li, line in enumerate(part.lines)
            if line.priority > 0 and not line.dropped
        ]
        if optional:
            max(optional, key=lambda t: (t[0], t[1], t[2]))[3].dropped = True
            continue
        lists = [
            v
            for part in comp.parts
            for line in part.lines
            if not line.dropped
            for v in line.values.values()
            if isinstance(v, ItemList) and len(v.visible()) > 1
        ]
        if not lists:
            return False
        max(lists, key=lambda v: sum(len(i) for i in v.visible())).shrink()
    return True


# ---- the clerk's words → items in the official register ------------------------------------------------

_ITEM_SPLIT = re.compile(r"[。；;！!？?\n]+")
_ENUM_INSIDE = re.compile(
    r"(?:(?<=[，,：:\s])|^)(?:\d{1,2}[.、．)）](?!\d)|[（(]\d{1,2}[）)]|[（(][一二三四五六七八九十][）)]|"
    r"[一二三四五六七八九十]是|第[一二三四五六七八九十][，,、]|首先[，,]?|其次[，,]?|再次[，,]?|最后[，,]?)"
)
_LEADING_FILLER = re.compile(
    r"^(?:嗯+|啊+|哦+|那个|就是|对了|另外|还有|然后|此外|同时|并且|而且|以及|总之|总的来说|其中|"
    r"(?:存在的|目前的?)?(?:主要)?问题(?:主要)?(?:是|有)|(?:改进)?措施(?:主要)?(?:是|有)|改进就是|主要是)[，,、：:\s]*"
)
_TRAILING = re.compile(r"[，,、：:\s。；;!！?？.…~～]+$")
_NONE_WORDS = re.compile(r"^(?:无|没有|暂无|没|否|不涉及|无其他|没有其他|均无|都没有|暂无其他)[。.！!]*$")


def is_none_answer(text: str | None) -> bool:
    """The clerk answered "无/没有" (nothing to report)."""
    return bool(text) and bool(_NONE_WORDS.match(normalize_text(text).strip()))  # type: ignore[arg-type]


def clerk_items(text: str | None, self_word: str, year: int | None = None) -> list[str]:
    """Split the clerk's text into items (sentences / enumerated points): talk taken out, cleaned, in the register."""
    norm = strip_talk(text)
    if not norm:
        return []
    pieces: list[str] = []
    for sentence in _ITEM_SPLIT.split(norm):
        marks = list(_ENUM_INSIDE.finditer(sentence))
        if not marks:
            pieces.append(sentence)
            continue
        cuts = [m.start() for m in marks] + [len(sentence)]
        if cuts[0] > 0:
            pieces.append(sentence[: cuts[0]])
        for m, end in zip(marks, cuts[1:], strict=False):
            pieces.append(sentence[m.end() : end])
    items: list[str] = []
    for p in pieces:
        p = _TRAILING.sub("", p.strip())
        prev = None
        while prev != p:
            prev, p = p, _LEADING_FILLER.sub("", p).strip()
        p = _TRAILING.sub("", p)
        p = _TRAILING.sub("", formalize(p, RegisterContext(self_word, year)).strip())
        if self_word and p.startswith(self_word) and len(p) > len(self_word) + 2:
            p = p[len(self_word) :].lstrip("，, ")  # the template already names the agency
        if len(p) < 2:
            continue
        items.append(p)
    return items


_FUTURE_LEAD = re.compile(
    r"^(?:下一步|今后|接下来|下阶段|下一年度|新的一年)?[，,]?\s*(?:还|也)?(?:要|将|准备|计划|拟|会)?"
)


def strip_future_lead(item: str) -> str:
    """ "下一步要拓展公开内容" → "拓展公开内容" (the template says 下一步…将)."""
    out = _FUTURE_LEAD.sub("", item, count=1).strip("，, ")
    return out if len(out) >= 2 else item


def split_parallel(items: list[str], min_clauses: int = 3) -> list[str]:
    """A single item made of ≥3 short comma clauses ("拓展内容，丰富形式，加强培训") → one item per clause."""
    if len(items) != 1:
        return items
    clauses = [c.strip() for c in re.split(r"[，,、]", items[0]) if c.strip()]
    if len(clauses) >= min_clauses and all(2 <= len(c) <= 24 for c in clauses):
        return clauses
    return items


def items_matching(items: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [i for i in items if pattern.search(i)]


# ---- repetition --------------------------------------------------------------------------------------

_SENT_SPLIT = re.compile(r"[。！!？?；;\n]+")
_DROP_FOR_COMPARE = re.compile(r"[\s\W_]+", re.UNICODE)
MIN_SENTENCE_CHARS = 8
REPETITION_THRESHOLD = 0.5  # format_spec X-4: a section repeating more than half of last year's wording


def _norm_sentence(s: str) -> str:
    s = normalize_text(s)
    for m in reversed(find_numbers(s, whole_text_bare=False)):  # numbers dropped: "收到申请12件" ≈ "收到申请9件"
        s = s[: m.start] + (m.unit or "") + s[m.end :]
    return _DROP_FOR_COMPARE.sub("", s)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(normalize_text(text or "")) if s.strip()]


def repeated_sentences(text: str, last_year_text: str) -> float:
    """Share (0–1) of the substantial sentences of ``text`` that appear in last year's text after
    normalisation (simplified, no punctuation or spaces, numbers masked), exactly or nearly (≥ 0.85)."""
    mine = [n for n in (_norm_sentence(s) for s in split_sentences(text)) if len(n) >= MIN_SENTENCE_CHARS]
    if not mine:
        return 0.0
    theirs = [n for n in (_norm_sentence(s) for s in split_sentences(last_year_text)) if n]
    whole = "".join(theirs)
    repeated = 0
    for s in mine:
        if s in whole:
            repeated += 1
            continue
        for t in theirs:
            sm = difflib.SequenceMatcher(None, s, t, autojunk=False)
            if sm.real_quick_ratio() >= 0.85 and sm.quick_ratio() >= 0.85 and sm.ratio() >= 0.85:
                repeated += 1
                break
    return repeated / len(mine)


# ---- instructions ------------------------------------------------------------------------------------

_LIMIT_BEFORE = re.compile(
    r"(?:(?:压缩|缩减|精简|缩短|删减|控制|减少|改|写)(?:到|至|在|为|成)?|不超过|不多于|限制?在|少于|以内)\s*$"
)
_LIMIT_AFTER = re.compile(r"\s*(?:以内|之内|左右|上下)")
_SUPPLEMENT = re.compile(r"(?:补充|增加|加上|加入|补上|写上|增补)(?:一下|一些|一句|一段)?(?:关于)?(.+)")
_TOPIC_TRIM = re.compile(r"(?:的?(?:相关)?(?:情况|内容|说明|介绍|做法|工作|方面)|相关|的)+$")


_CONCISE = re.compile(
    r"(?:更加|更|再|写得|写的|尽量|稍微)?(?:简洁|简练|简短|精简|精炼|简明|短)(?:一些|一点|些|点)?(?:的)?"
)
_FORMAL = re.compile(
    r"(?:更加|更|再|写得|写的|尽量)?(?:正式|规范|书面)(?:化)?(?:一些|一点|些|点)?|(?:用|改成|改为)?公文(?:语言|用语|风格|腔)"
)
_INSTRUCTION_FILLER = re.compile(r"^(?:请|把|将)?(?:语气|文风|语言|表述|文字|整体|全文|这部分|这一部分|内容)(?:上|方面)?(?:再)?$")
_EMPHASIS = re.compile(r"(?:重点)?(?:突出|强调|侧重|着重写?|重点写)(?:一下)?(?:关于)?(?P<topic>[^，,。；;]+)")


@dataclass
class Instruction:
    """What an offline draft can do with a reviewer's instruction."""

    limit: int | None = None
    supplement: str | None = None  # topic words after 补充
    emphasis: str | None = None  # topic words after 突出: those items first
    concise: bool = False  # 更简洁: the shortest variant, optional sentences dropped
    formal: bool = False  # 更正式: the formal lexicon (always applied to the clerk's words)
    unsupported: str | None = None  # the part the offline engine cannot follow


def _length_limit(text: str) -> tuple[int, int, int] | None:
    """ "压缩到300字" / "500字左右" → (300, start, end of the phrase); None without a length limit."""
    for m in find_numbers(text, whole_text_bare=False):
        if m.unit != "字" or m.value <= 0 or m.value != int(m.value):
            continue
        word_end = text.index("字", m.start) + 1
        before = _LIMIT_BEFORE.search(text[: m.start])
        after = _LIMIT_AFTER.match(text, word_end)
        if before or after:
            return int(m.value), before.start() if before else m.start, after.end() if after else word_end
    return None


def parse_instruction(instruction: str | None) -> Instruction:
    """ "压缩到300字" → limit 300; "补充政务新媒体情况" → supplement "政务新媒体"; anything else unsupported."""
    result = Instruction()
    if not instruction or not instruction.strip():
        return result
    text = normalize_text(instruction).strip()
    rest = text
    limit = _length_limit(text)
    if limit:
        result.limit, start, end = limit
        rest = (text[:start] + text[end:]).strip(" ，,。；;")
    e = _EMPHASIS.search(rest)
    if e:
        topic = _TOPIC_TRIM.sub("", e.group("topic").strip()).strip(" “”\"'《》")
        if topic:
            result.emphasis = topic
        rest = (rest[: e.start()] + rest[e.end() :]).strip(" ，,。；;")
    for pattern, flag in ((_CONCISE, "concise"), (_FORMAL, "formal")):
        m = pattern.search(rest)
        if m:
            setattr(result, flag, True)
            rest = (rest[: m.start()] + rest[m.end() :]).strip(" ，,。；;")
    s = _SUPPLEMENT.search(rest)
    if s:
        topic = re.split(r"[，,。；;]", s.group(1))[0].strip()
        topic = _TOPIC_TRIM.sub("", topic).strip(" “”\"'《》")
        if topic:
            result.supplement = topic
        rest = (rest[: s.start()] + rest[s.start() + len(s.group(0)) :]).strip(" ，,。；;")
    rest = _INSTRUCTION_FILLER.sub("", rest)
    if rest.strip(" ，,。；;并且和再一些点"):
        result.unsupported = rest
    return result


_GENERIC_TOPIC_WORDS = re.compile(r"政府信息公开|政府信息|信息公开|政务公开|公开工作|工作|情况|方面|有关|相关")


def topic_matches(topic: str, sentence: str) -> bool:
    """Does a sentence talk about the topic? (a shared run of ≥ min(4, len(core)) characters of the topic
    without generic words such as 信息公开/工作/情况)"""
    topic = _DROP_FOR_COMPARE.sub("", normalize_text(topic))
    core = _GENERIC_TOPIC_WORDS.sub("", topic)
    topic = core if len(core) >= 2 else topic
    sent = _DROP_FOR_COMPARE.sub("", normalize_text(sentence))
    if not topic or not sent:
        return False
    need = min(4, len(topic))
    m = difflib.SequenceMatcher(None, topic, sent, autojunk=False).find_longest_match(0, len(topic), 0, len(sent))
    return m.size >= need
