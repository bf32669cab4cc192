"""（一）主动公开 as typed slots: channels, 主动公开条数, 公开栏期数, focus areas, 解读篇数 read from the clerk's
words and said in one sentence of the official register (``prompts/narrative/proactive.txt``):
「全年通过镇政府网站信息公开专栏主动公开政府信息86条，更新村务公开栏48期，重点公开惠农补贴、低保救助等信息，
发布图文解读3篇。」 What the slots do not cover stays as the clerk's own (formalised) items."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from ..prompts import load_prompt

_N = r"(\d+(?:\.\d+)?余?)"
_COUNT = re.compile(r"(?:主动)?(?:公开|发布)(?:了)?(?:各类|政府|政务|相关)*(?:信息|政府信息)(?:共)?" + _N + r"条")
_CHANNELS = re.compile(
    r"(?:主要)?(?:是)?(?:通过|依托|利用|在)(?P<c>[^，,。；;]{2,40})(?:公开|发布)(?=[，,。；;]|$|(?:了)?(?:各类|政府|政务)*信息)"
)
_CHANNEL_TAIL = re.compile(r"(?:等(?:渠道|平台|载体|方式))?(?:上)?(?:主动)?$")
_BOARD = re.compile(r"(?:更新|发布|张贴)?(?:了)?(?P<b>[^，,。；;]{0,8}?公开栏|[^，,。；;]{0,8}?公示栏)(?:信息)?(?:共)?(?:更新)?(?:了)?" + _N + r"期")
_INTERP = re.compile(r"(?:发布|开展|制作)?(?:了)?(?P<k>[^，,。；;]{0,6}?解读)(?:材料|文章|稿件)?(?:共)?" + _N + r"篇")
_FOCUS = re.compile(r"重点(?:是|公开|围绕|发布)(?:了)?(?P<f>[^。；;]{2,60}?)(?:等|这些|这类|之类的?|等等)?(?:方面|领域)?(?:的)?(?:相关)?信息")
_CLAUSES = re.compile(r"[^，,。；;]+")


@dataclass
class ProactiveSlots:
    """What the clerk said about 主动公开, slot by slot; ``rest`` holds the clauses no slot took."""

    channels: str | None = None
    count: str | None = None
    board: str | None = None
    board_issues: str | None = None
    focus: str | None = None
    interpretation: str | None = None
    interpretations: str | None = None
    rest: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.count is not None


def _focus_list(text: str) -> str:
    items = [i for i in re.split(r"[、，,和及与]|以及", text.replace("方面", "")) if i.strip()]
    return "、".join(i.strip() for i in items)


def read_proactive(text: str) -> ProactiveSlots:
    """The slots of one formalised 主动公开 text (already without talk)."""
    slots = ProactiveSlots()
    taken: list[tuple[int, int]] = []
    if m := _COUNT.search(text):
        slots.count = m.group(1)
        taken.append(m.span())
    if m := _CHANNELS.search(text):
        slots.channels = _CHANNEL_TAIL.sub("", m.group("c").strip()) or None
        taken.append(m.span())
    if m := _BOARD.search(text):
        slots.board, slots.board_issues = m.group("b").strip(), m.group(2)
        taken.append(m.span())
    if m := _INTERP.search(text):
        slots.interpretation, slots.interpretations = m.group("k").strip() or "政策解读", m.group(2)
        taken.append(m.span())
    if m := _FOCUS.search(text):
        slots.focus = _focus_list(m.group("f"))
        taken.append(m.span())
    for m in _CLAUSES.finditer(text):
        s, e = m.span()
        if not any(a < e and s < b for a, b in taken) and m.group(0).strip():
            slots.rest.append(m.group(0).strip())
    return slots


def proactive_sentence(slots: ProactiveSlots) -> str:
    """The slots in the register of published reports (template lines whose placeholders are all known)."""
    values = {k: v for k, v in vars(slots).items() if isinstance(v, str) and v}
    values["count_detail"] = "".join(f"，{r}" for r in slots.rest if r.startswith("其中"))
    if not slots.channels:
        values["no_channels"] = ""
    out: list[str] = []
    for line in load_prompt("narrative/proactive").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tpl = string.Template(line.strip())
        if all(name in values for name in tpl.get_identifiers()):
            out.append(tpl.substitute(values))
    return "".join(out).rstrip("，") + "。" if out else ""


def proactive_items(items: list[str]) -> list[str]:
    """The clerk's 主动公开 items with the typed slots said first in one formal sentence ("其中…" clauses stay
    attached to it); unchanged when the clerk gave no 主动公开条数."""
    slots = read_proactive("，".join(items))
    if not slots.usable:
        return items
    sentence = proactive_sentence(slots).rstrip("。")
    return [sentence, *(r for r in slots.rest if len(r) >= 2 and not r.startswith("其中"))]
