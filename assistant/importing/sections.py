"""Find the six section headings (also inline, as in text copied from a web page), the title, year and agency."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..labels import match_section
from ..textnorm import label_key
from .document import Block

SECTION_IDS = ("s1", "s2", "s3", "s4", "s5", "s6")
_NUMERALS = "一二三四五六"
# Wording variants seen in published reports (format_spec.md §3.1), without the numbering.
_HEADINGS: dict[str, tuple[str, ...]] = {
    "s1": ("总体情况", "概述", "基本情况"),
    "s2": ("主动公开政府信息情况", "主动公开政府信息的情况", "主动公开情况"),
    "s3": ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请的情况", "依申请公开政府信息情况"),
    "s4": (
        "政府信息公开行政复议、行政诉讼情况",
        "政府信息公开行政复议和行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
        "因政府信息公开申请提起的行政复议、行政诉讼情况",
    ),
    "s5": (
        "存在的主要问题及改进情况",
        "存在的主要问题和改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "主要问题及改进情况",
    ),
    "s6": ("其他需要报告的事项", "其他需要说明的事项", "其他需要报告的情况"),
}
_VARIANT_KEYS = {sid: [label_key(v) for v in vs] for sid, vs in _HEADINGS.items()}
_CANDIDATE = re.compile(rf"(?:^|(?<=[\s。；;:：|]))([{_NUMERALS}])\s*[、.．]\s*", re.M)
_HEADING_MIN = 0.8
_TITLE = re.compile(
    r"(?P<agency>[^\n]{0,60}?)\s*(?P<year>20\d{2})\s*年度?\s*(?:的)?\s*(?:政府信息公开|政务公开|信息公开)[^\n]{0,12}?(?:年度报告|工作报告|年报)"
)
_PERIOD = re.compile(
    r"(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|～|~)\s*(?:(20\d{2})\s*年\s*)?12\s*月\s*31\s*日"
)
_AGENCY_JUNK = re.compile(r"^(?:关于|标题[:：]?|[\s|:：\-—·、]+)+|[\s|:：\-—·、（(]+$")
_SENTENCE_GAP = re.compile(r"([。！？])[ \t]+(?=\S)")
_PIPES = re.compile(r"^[\s|｜]+|[\s|｜]+$")
_SECTION6_TAIL = re.compile(
    r"^(?:本年度|今年|本年|20\d{2}年度?)?[，,]?(?:本机关|我镇|我乡|我街道|我局|我单位|我委|我办)?(?:暂无|无|没有)其他需要(?:报告|说明)的(?:事项|情况)[。.]?$"
)
EMPTY_SECTION_PLACEHOLDERS = {"（本部分尚未填写）", "(本部分尚未填写)"}


@dataclass
class Split:
    """A document divided at its section headings."""

    preamble: list[Block] = field(default_factory=list)
    sections: dict[str, list[Block]] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)  # sid → heading as printed


def _best_heading(sid: str, window: str) -> tuple[float, int]:
    """(ratio, length in characters) of the best heading prefix of ``window`` for section ``sid``."""
    best = (0.0, 0)
    limit = min(len(window), 40)
    for n in range(2, limit + 1):
        if window[n - 1] in "\n":
            break
        k = label_key(window[:n])
        if not k:
            continue
        for v in _VARIANT_KEYS[sid]:
            sm = difflib.SequenceMatcher(None, k, v)
            if sm.real_quick_ratio() < best[0] or sm.quick_ratio() < best[0]:
                continue
            r = sm.ratio()
            if r > best[0]:
                best = (r, n)
    return best


def find_heading(text: str, start: int, after: int) -> tuple[int, int, str, str] | None:
    """The next section heading in ``text`` from ``start`` whose section comes after index ``after``:
    (start, end, section id, heading text)."""
    for m in _CANDIDATE.finditer(text, start):
        idx = _NUMERALS.index(m.group(1))
        if idx <= after:
            continue
        sid = SECTION_IDS[idx]
        window = text[m.end() : m.end() + 48]
        ratio, n = _best_heading(sid, window)
        if ratio < _HEADING_MIN:
            continue
        heading = text[m.start() : m.end() + n].strip()
        if match_section(heading) not in (sid, None):
            continue
        return m.start(), m.end() + n, sid, heading
    return None


def split_sections(blocks: list[Block]) -> Split:
    """Assign every block to the preamble or a section; text blocks are cut at inline headings."""
    out = Split()
    current = -1
    target = out.preamble
    for block in blocks:
        if block.kind != "text":
            target.append(block)
            continue
        text = block.text
        pos = 0
        while True:
            hit = find_heading(text, pos, current)
            if hit is None:
                break
            s, e, sid, heading = hit
            before = text[pos:s].strip(" \r\n")
            if before.strip():
                target.append(Block("text", before, where=block.where))
            current = SECTION_IDS.index(sid)
            out.headings[sid] = heading
            target = out.sections.setdefault(sid, [])
            pos = e
        rest = text[pos:] if pos == 0 else text[pos:].strip(" \r\n")
        if rest.strip() or pos == 0:  # blank lines are kept: they may be blank cells
            target.append(Block("text", rest, where=block.where))
    return out


def clean_line(text: str) -> str:
    """Remove table-layout artefacts ("| |||") left by copying a web page."""
    return _PIPES.sub("", text)


def section_text(blocks: list[Block]) -> str:
    """The narrative of a section: paragraphs separated by newlines (sentence gaps from flattened pages too)."""
    paras: list[str] = []
    for b in blocks:
        if b.kind != "text":
            continue
        t = _SENTENCE_GAP.sub(r"\1\n", clean_line(b.text))
        for p in t.split("\n"):
            p = clean_line(p).strip()
            if p and not re.fullmatch(r"[|｜\s]+", p):
                paras.append(p)
    text = "\n".join(paras).strip()
    return "" if text in EMPTY_SECTION_PLACEHOLDERS else text


_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def strip_signature(text: str) -> str:
    """The section text without a closing signature block (agency line and date line, or the date alone)."""
    paras = text.split("\n")
    if not paras or not _DATE_LINE.match(paras[-1].strip()):
        return text
    paras = paras[:-1]
    if paras and len(paras[-1]) <= 40 and not re.search(r"[。，；：！？]", paras[-1]):
        paras = paras[:-1]
    return "\n".join(paras).strip()


def split_trailing_section6(s5: str) -> tuple[str, str] | None:
    """A "暂无其他需要说明的事项。" closing section 五 when heading 六 is missing: (new s5, s6)."""
    paras = s5.split("\n")
    if len(paras) < 2:
        return None
    last = paras[-1].strip()
    if _SECTION6_TAIL.match(label_key(last).replace(".", "")) or _SECTION6_TAIL.match(last):
        return "\n".join(paras[:-1]).strip(), last
    return None


@dataclass
class Meta:
    title: str = ""
    agency: str = ""
    year: int | None = None
    year_source: str = ""  # "title" | "period"


def find_meta(preamble_text: str, full_text: str) -> Meta:
    """Title, agency and report year from the lines before section 一 (or the whole text)."""
    meta = Meta()
    for src in (preamble_text, full_text[:3000]):
        raw = [clean_line(x).strip() for x in src.split("\n")]
        # a title broken over two lines (政府信息公开 / 工作年度报告) is read as one
        for line in raw + [a + b for a, b in zip(raw, raw[1:], strict=False) if a and b]:
            m = _TITLE.search(line)
            if m:
                meta.title = clean_line(line[m.start() : m.end()].strip())
                meta.agency = _AGENCY_JUNK.sub("", m.group("agency")).strip()
                if len(meta.agency) > 40 or re.search(r"[。，,]", meta.agency):
                    meta.agency = ""
                meta.year = int(m.group("year"))
                meta.year_source = "title"
                return meta
    m = _PERIOD.search(full_text)
    if m:
        meta.year = int(m.group(1))
        meta.year_source = "period"
    return meta
