"""Screen a clerk message before extraction: what is not a statement of fact never becomes a cell update.

Four kinds of text are taken out of the message (and explained in the reply) before the rules read it:

* **injection** — text that tries to steer the assistant ("忽略之前的指令", fake ``<system>`` tags, "系统更正通知",
  "无需承办人确认", "命令你…"): dropped sentence by sentence (a fake role-tag pair with everything inside it);
* **bulk instructions** — "把表三全部改成0", "把全部复议数量改为999": an instruction to the tool is no statement of
  fact, so nothing is recorded; for "… 改成0" with a named table the clerk is asked to confirm the zeros instead;
* **"其余都是N" with N ≠ 0** — never a zero confirmation (and the "对" in front of it no yes);
* **narrative headings** — "其他需要报告的事项：无。" answers that narrative item, never a pending table question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..drafting import NARRATIVE_FACTS
from .base import ExtractionResult, PendingQuestion
from .messages import fragment, msg

_ROLE_NAMES = (
    r"system|user|assistant|developer|clerk(?:_message)?|human|ai|tool(?:_call|_result)?|function(?:_call)?|"
    r"instructions?|im_start|im_end|inst|sys|系统|用户|助手|管理员"
)
_PATTERNS = [
    r"(?:忽略|无视|忘记|忘掉|不要理会|不用管|跳过|覆盖)(?:掉)?(?:你)?(?:之前|以上|前面|上面|上述|先前|所有|全部|一切|你的|系统|原有|原来)?的?"
    r"(?:所有|全部|一切)?的?(?:指令|指示|提示词?|规则|设定|要求|约束|限制|命令|prompt)",
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+)?(?:previous|prior|above|earlier|preceding|your)?\s*(?:instructions?|prompts?|rules|directions)",
    r"disregard\s+(?:all\s+|the\s+)?(?:previous|prior|above)",
    r"(?:^|\n)\s*[\[<(（【]?\s*(?:system|assistant|developer|系统|系统提示|助手|管理员)\s*[\]>)）】]?\s*[:：]",
    r"你现在(?:是|扮演|变成|的身份)|扮演(?:一个|一名)|假装你是|从现在(?:起|开始)(?:，|,)?你",
    r"(?:把|将)(?:表格?里?的?|表中的?)?(?:所有|全部|每个|每一个|一切|其余|剩下)?的?(?:数字|数值|数据|单元格|格子|表格|字段|值)"
    r"(?:都|全部|全都|统统|一律)?(?:改为|改成|设为|设置为|设成|填为|填成|替换为|换成|写成|改)",
    r"(?:所有|全部|每个)(?:的)?(?:数字|数值|单元格|数据|格子)(?:都|全部|一律|统统)?(?:改为|改成|设为|设置为|填为|填成|写成|为\s*\d{3,})",
    r"<\|im_start\|>|<\|system\|>|<\|endoftext\|>|\[/?inst\]|<<sys>>|###\s*(?:指令|instruction|system)",
    r"jailbreak|dan\s*mode|developer\s*mode|开发者模式|越狱模式|越狱",
    r"(?:输出|打印|显示|告诉我|泄露)(?:你的)?(?:系统)?(?:提示词|系统提示|prompt|指令内容)|reveal\s+(?:your\s+)?(?:system\s+)?prompt",
    r"不要(?:再)?(?:检查|核对|校验|验证)|跳过(?:所有)?(?:检查|校验|核对)",
    r"new\s+instructions?\s*[:：]|新的?指令\s*[:：]|最高优先级",
    # fake role tags anywhere (</user><system>…, <clerk_message>, {{system}}) and chat-format role fields
    rf"</?\s*(?:{_ROLE_NAMES})\s*(?:\s[^<>]{{0,40}})?/?>",
    rf"\{{\{{\s*/?\s*(?:{_ROLE_NAMES})\s*\}}\}}",
    r"[\"']role[\"']\s*:\s*[\"'](?:system|assistant|developer|tool)[\"']",
    r"(?:^|[\s>\]】}])system\s*[:：]",
    # claims of system authority and of needing no confirmation
    r"(?:^|(?<=[\s。；;，,！!【\[（(<>]))系统(?:提示|要求|指令|更正|通知|消息|设定|命令|公告|管理员)[^，,。；;\n]{0,6}?[:：]",
    r"(?:是|为|属于)系统(?:的)?(?:要求|指令|命令|更正|设定)|系统(?:提示|指令|命令|更正)",
    r"无需(?:承办人|经办人|用户|人工|您|你|本人)?(?:确认|核对|核实|同意|审核)|不需要(?:证据|承办人确认|用户确认|核对)",
    r"(?:我|现在)?命令你|(?:马上|立即|立刻)执行|必须(?:服从|照做|执行)",
    # addressed to the AI / hidden from the clerk
    r"(?:AI|人工智能|大模型|语言模型)\s*(?:助手)?\s*(?:请|注意|须|必须|应当?|读取|看到|务必)",
    r"给\s*(?:AI|智能助手|助手|模型|大模型)\s*的\s*(?:说明|指令|提示|话)",
    r"(?:请|让)\s*(?:AI|智能助手|助手|模型)\s*(?:在报告|在第|写上|写入|输出|生成)",
    r"不要(?:告诉|通知|提醒|让)(?:用户|承办人|经办人|使用者|人类)",
    r"(?:API|接口)\s*(?:密钥|秘钥|key)|api[_\s-]?key",
]
_RX = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
# a fake role-tag pair: everything inside it is someone else's "instruction"
_TAG_PAIR = re.compile(
    r"<\s*(system|assistant|developer|instructions?|tool_call|sys|系统|助手)\b[^<>]*>.*?<\s*/\s*\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_SENTENCE_END = "。！!？?；;\n"

_SET = r"(?:改成|改为|改作|设为|设置为|设成|填为|填成|写成|写为|换成|替换为|都填|都写|全填|全写|都是|全是)"
_CLEAR = r"(?:清零|归零|清空|全部清除)"
_TABLE = r"表\s*[一二三四1-4]|表格|全表|整张表|整个表"
_BULK = re.compile(
    rf"(?:把|将|给)\s*(?P<table>{_TABLE})\s*(?:的|中的|里的|里)?\s*"
    r"(?:全部|所有|各项|每一?项|每一?格|全都|都|整体|其余|剩下|剩余)?\s*(?:的)?\s*"
    r"(?:数字|数据|数值|单元格|格子|内容|项目?)?\s*(?:都|全部|全都|统统|一律)?\s*"
    rf"(?:{_SET}\s*(?P<num>\d+(?:\.\d+)?)|{_CLEAR})"
    r"|(?:把|将)\s*(?:全部|所有|整个|每个|每一项|各项)\s*[\u4e00-\u9fff]{0,10}?\s*(?:都|全部|一律|统统)?\s*"
    rf"{_SET}\s*(?P<num2>\d+(?:\.\d+)?)",
)
_REST_NONZERO = re.compile(
    r"(?:其余|其他|其它|剩下|剩余|余下)(?:的)?(?:各项|各格|几项|项目|单元格|数字|的)?\s*"
    r"(?:都|均|全|全部|也都|也|一律|统统)\s*(?:是|为|填|写|填写为)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?:件|个|项)?\s*"
    r"(?=$|[，,。.!！~])"
)
_YES_NO = re.compile(
    r"^\s*(?:是的|是|对的|对|没错|确认|正确|好的|好|嗯嗯|嗯|可以|行|不是|不对|否|ok|yes|no)?\s*[，,。.!！~\s]*$",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．]\s*)?(?P<head>[^：:，,。\d]{2,24}?)\s*[：:]\s*(?P<body>.*)$",
    re.DOTALL,
)
_NARRATIVE_ALIASES = {
    "other_matters": ("其他需要报告的事项", "其他需要报告事项", "需要报告的其他事项", "其他事项"),
    "problems": ("存在的主要问题", "存在问题", "主要问题", "存在的问题"),
    "measures": ("改进措施", "改进情况", "整改情况"),
}
_NUMERIC_NARRATIVE = {"proactive", "applications", "fee"}  # "无" there may well be about table cells
_CN_DIGIT = {"1": "一", "2": "二", "3": "三", "4": "四"}


@dataclass
class Screened:
    """The message with non-statements taken out, and what the reply should say about them."""

    text: str
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    narrative: dict[str, str] = field(default_factory=dict)
    injections: list[str] = field(default_factory=list)


_SECRET_LIKE = re.compile(
    r"[A-Za-z_]*(?:API|KEY|SECRET|TOKEN|BASE_URL|PASSWORD)[A-Za-z_]*|sk-[\w-]+|https?://\S+|\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?",
    re.IGNORECASE,
)


def _quote(text: str, limit: int = 30) -> str:
    """A fragment of the clerk's text for the reply, with anything that looks like a setting or secret masked."""
    return fragment(_SECRET_LIKE.sub("…", text), limit)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and text[start - 1] not in _SENTENCE_END:
        start -= 1
    while end < len(text) and text[end] not in _SENTENCE_END:
        end += 1
    return start, end


def find_injections(text: str) -> list[tuple[int, int, str]]:
    """(start, end, matched text) of each sentence (or fake role-tag pair) with a suspected instruction."""
    spans: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group().strip()) for m in _TAG_PAIR.finditer(text)]
    for m in _RX.finditer(text):
        s, e = _sentence_bounds(text, m.start(), m.end())
        spans.append((s, e, m.group().strip()))
    spans.sort()
    out: list[tuple[int, int, str]] = []
    for s, e, frag in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]), out[-1][2])
        else:
            out.append((s, e, frag))
    return out


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans replaced by line breaks (as many as characters cut, so later character spans still
    point into the clerk's message)."""
    parts: list[str] = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        parts.append("\n" * max(1, e - s))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _sentences(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _table_name(raw: str) -> str | None:
    m = re.match(r"表\s*([一二三四1-4])", raw)
    return f"表{_CN_DIGIT.get(m.group(1), m.group(1))}" if m else None


def _narrative_key(head: str) -> str | None:
    h = re.sub(r"\s+", "", head).replace("的", "")
    for fact in NARRATIVE_FACTS:
        if fact.key in _NUMERIC_NARRATIVE:
            continue
        names = (fact.label.split("（")[0], *_NARRATIVE_ALIASES.get(fact.key, ()))
        if any(h == n.replace("的", "") for n in names):
            return fact.key
    return None


def screen(text: str, pending: list[PendingQuestion] | None = None) -> Screened:
    """Take injections, bulk instructions, "其余都是N≠0" and narrative headings out of a normalised message."""
    pending = pending or []
    out = Screened(text=text)
    spans = find_injections(text)
    if spans:
        out.injections = [frag for _, _, frag in spans]
        out.warnings.append(msg("injection_ignored", fragment=_quote(text[spans[0][0] : spans[0][1]])))
        text = _cut(text, [(s, e) for s, e, _ in spans])
    cut: list[tuple[int, int]] = []
    rest_nonzero = False
    asked_narrative = {q.narrative_key for q in pending if q.kind == "narrative"}
    for s, e in _sentences(text):
        sentence = text[s:e]
        bulk = _BULK.search(sentence)
        if bulk:
            cut.append((s, e))
            num = bulk.group("num") or bulk.group("num2")
            table = _table_name(bulk.group("table") or "")
            quoted = _quote(sentence)
            if table and (num is None or float(num) == 0):
                out.notes.append(msg("injection_bulk_zero", fragment=quoted, table=table))
            else:
                out.notes.append(msg("injection_bulk", fragment=quoted))
            continue
        rest = next((m for m in _REST_NONZERO.finditer(sentence) if float(m.group("num")) != 0), None)
        if rest:
            cut.append((s, e))
            rest_nonzero = True
            out.notes.append(msg("injection_rest_nonzero", fragment=_quote(rest.group(), 20)))
            continue
        head = _HEADING.match(sentence)
        key = _narrative_key(head.group("head")) if head else None
        if head and key and not re.search(r"\d", head.group("body")) and key not in asked_narrative:
            cut.append((s, e))
            body = head.group("body").strip().strip("。；;，, ")
            if body:
                out.narrative[key] = body
    if cut:
        text = _cut(text, cut)
    if rest_nonzero and _YES_NO.match(text):
        text = ""  # "对，其余都是999": the "对" in front is no answer either
    out.text = text
    return out


def screen_into(text: str, result: ExtractionResult, pending: list[PendingQuestion] | None = None) -> str:
    """Screen ``text``, put the warnings, notes and narrative into ``result``; the text left for extraction."""
    s = screen(text, pending)
    result.warnings.extend(s.warnings)
    result.notes.extend(s.notes)
    for key, body in s.narrative.items():
        result.narrative.setdefault(key, body)
    return s.text
