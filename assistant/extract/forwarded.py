"""Forwarded or quoted documents are a source to ask about, not the agency's own facts.

A clerk pastes 「【转发】关于年报填报的通知…附：全市共收到申请3200件」 after saying 「今年共收到…15件」: those
figures belong to someone else (a notice, an attachment, another body, a city- or province-wide total) until the
clerk says they are the agency's own. This screen takes such text out of the message before the rules read it
(blanked to spaces of the same length, so numeral spans keep their offsets) and asks about it instead:
「这段转发的材料里有“全市共收到申请3200件”，是否是本单位的数字？」. What a reading of the material would set
is kept as an :class:`Ambiguity` with that reading, so the dialogue can offer it; nothing is recorded from it.

Three kinds of text are taken out:

* **a forwarded block** — from a marker (【转发】, 转发：, 转自, 附件：, 附：, 原文如下, 通知原文…) to the end of the
  message, or to a later line where the clerk speaks for the agency again (我们/本单位/我局…);
* **a quotation inside a message about a document** — “…” or 「…」 holding a number, when the message says it is
  from a 材料/通知/文件/附件/转发;
* **another body's totals** — a sentence with a number and 全市/全省/全区/全县/全国/全州… (or 其他单位/兄弟单位,
  市里/省里 的数字): a region-wide or other body's figure is never the agency's own by default.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass

from ..prompts import render_prompt
from .base import Ambiguity, ExtractionContext, ExtractionResult

_BLOCK_START = re.compile(
    r"【\s*(?:转发|转载|附件|原文|通知)\s*】|\[\s*(?:转发|附件)\s*\]"
    r"|(?:^|(?<=[\s。；;！!：:]))(?:转发|转载|转自|附件\s*\d*|附|原文如下|通知原文|文件原文|以下为?转发(?:的)?(?:材料|通知|文件|内容)?)\s*[:：]"
    r"|以下(?:是|为)(?:上级|市里|省里|转发)的?(?:材料|通知|文件|内容)"
    r"|(?:^|\n)\s*关于[^\n。]{2,40}的(?:通知|函|通报)"
)
_OWN_VOICE = re.compile(
    r"^\s*(?:我们|我单位|本单位|我局|本局|我镇|本镇|我办|本办|我委|本委|我院|本院|我乡|本乡|本机关|我机关)"
)
_DOC_CUE = re.compile(r"转发|转载|材料|通知|文件|附件|原文|通报|文中|里面写|上面写")
_QUOTE = re.compile(r"“([^”]{1,200})”|「([^」]{1,200})」|\"([^\"]{1,200})\"|『([^』]{1,200})』")
_OTHER_BODY = re.compile(
    r"全(?:市|省|区|县|州|盟|旗|国|镇|乡)(?:范围内?|各级|各单位|各部门|政府系统|行政机关|共|合计|累计|总计|一共|总共|的|\d)"
    r"|(?:其他|兄弟|别的)(?:单位|部门|乡镇|街道)(?:的|共|合计|一共)"
    r"|(?:市里|省里|区里|县里|上级)(?:的|统计的?|汇总的?)(?:数字|数据|总数|合计)"
)
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[^。；;！!？?\n…]+[。；;！!？?…]?")
MAX_QUOTES = 3
_NESTED: ContextVar[bool] = ContextVar("forwarded_nested", default=False)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _block_spans(text: str) -> list[Span]:
    m = _BLOCK_START.search(text)
    if not m:
        return []
    start = m.start()
    end = len(text)
    pos = text.find("\n", m.end())
    while pos != -1:
        if _OWN_VOICE.match(text, pos + 1):
            end = pos
            break
        pos = text.find("\n", pos + 1)
    spans = [Span(start, end)]
    return spans + _block_spans_after(text, end)


def _block_spans_after(text: str, offset: int) -> list[Span]:
    if offset >= len(text):
        return []
    return [Span(s.start + offset, s.end + offset) for s in _block_spans(text[offset:])]


def _quote_spans(text: str) -> list[Span]:
    if not _DOC_CUE.search(text):
        return []
    return [Span(m.start(), m.end()) for m in _QUOTE.finditer(text) if _DIGIT.search(m.group(0))]


_OWN_GOVERNMENT = re.compile(r"([镇乡])人民政府$|街道办事处$")


def _other_body_spans(text: str, agency: str) -> list[Span]:
    own = _OWN_GOVERNMENT.search(agency.strip())
    own_word = f"全{own.group(1) or '街道'}" if own else None  # a township government's 全镇 is its own
    spans = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if not _DIGIT.search(sentence):
            continue
        hits = [h.group(0) for h in _OTHER_BODY.finditer(sentence)]
        if hits and not (own_word and all(h.startswith(own_word) for h in hits)):
            spans.append(Span(m.start(), m.end()))
    return spans


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.start):
        if out and s.start <= out[-1].end:
            out[-1] = Span(out[-1].start, max(out[-1].end, s.end))
        else:
            out.append(s)
    return out


def find_forwarded(text: str, agency: str = "") -> list[Span]:
    """Spans of ``text`` (normalised) that quote or forward someone else's figures."""
    spans = _merge(_block_spans(text) + _quote_spans(text) + _other_body_spans(text, agency))
    return [s for s in spans if _DIGIT.search(text[s.start : s.end])]


def _quotes(text: str, spans: list[Span]) -> list[str]:
    """The sentences with numbers inside the forwarded spans, as the clerk will see them quoted."""
    out: list[str] = []
    for s in spans:
        part = _BLOCK_START.sub("。", text[s.start : s.end])  # markers (附：, 【转发】) end a sentence
        inner = [q.group(0) for q in _QUOTE.finditer(part) if _DIGIT.search(q.group(0))]
        for m in _SENTENCE.finditer("。".join(inner) if inner else part):  # a quotation is quoted as itself
            sentence = m.group(0).strip(' \t。；;！!？?“”「」"『』')
            sentence = _BLOCK_START.sub("", sentence).strip(" \t:：")
            if _DIGIT.search(sentence) and sentence not in out:
                out.append(sentence[:60])
    return out[:MAX_QUOTES]


def _readings(material: str, context: ExtractionContext) -> dict:  # type: ignore[type-arg]
    """What the material would set if it were the agency's own words (nothing is applied)."""
    from .rules import RuleExtractor  # the same rules, on the material alone

    token = _NESTED.set(True)
    try:
        res = RuleExtractor().extract(material, ExtractionContext(report=context.report))
    finally:
        _NESTED.reset(token)
    return {u.cell: u.value for u in res.updates if u.value is not None}


def screen_forwarded(text: str, res: ExtractionResult, context: ExtractionContext) -> str:
    """Blank forwarded/quoted material out of ``text``; ask about its figures in ``res`` (nothing recorded)."""
    if _NESTED.get():
        return text
    spans = find_forwarded(text, context.report.agency)
    if not spans:
        return text
    quotes = _quotes(text, spans)
    if not quotes:
        return text
    material = "。".join(text[s.start : s.end] for s in spans)
    readings = _readings(material, context)
    question = render_prompt("extract/forwarded_question", quotes="”“".join(quotes))
    res.warnings.append(question)
    res.ambiguities.append(
        Ambiguity(evidence=material[:500], readings=[readings] if readings else [], question=question)
    )
    out = list(text)
    for s in spans:
        for i in range(s.start, s.end):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)
