"""Conversations the benchmark drives: the sample dialogues and a long (50-turn) conversation with corrections."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..commands.chat import read_script

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples" / "dialogues"

# A county bureau's conversation: realistic paragraphs, short answers and corrections, in the order a clerk
# tends to give them. The long conversation repeats the body with changed numbers and corrections.
_OPENING = "你好，我是平阳县市场监督管理局办公室的，负责写2024年度政府信息公开工作年度报告。"
_BODY = [
    "今年我局一共收到政府信息公开申请{a}件，其中自然人{b}件，商业企业{c}件。上年结转过来2件，都是自然人的。",
    "予以公开{d}件，都是自然人的；部分公开3件，自然人2件、商业企业1件。",
    "本机关不掌握相关政府信息的{e}件，都是自然人。信访举报投诉类申请1件。",
    "结转下年度继续办理2件，都是自然人的。其他情形都没有。",
    "行政复议2件，1件结果维持、1件结果纠正。行政诉讼没有。",
    "规章我们没有。行政规范性文件今年制发2件，废止1件，现行有效{f}件。",
    "行政许可办理了{g}件，行政处罚{h}件，行政强制12件。行政事业性收费今年没有收。",
    "更正一下，行政处罚应该是{h2}件，刚才说错了。",
    "更正：自然人是{b2}件。",
    "对，其余都是0",
    "现行有效的规范性文件改为{f2}件。",
    "是的",
]


@dataclass(frozen=True)
class Dialogue:
    name: str
    messages: list[str]


def sample_dialogues(directory: Path = SAMPLES_DIR) -> list[Dialogue]:
    """Every ``*.txt`` script in ``samples/dialogues`` (messages separated by ``---`` lines)."""
    return [Dialogue(p.stem, read_script(str(p))) for p in sorted(directory.glob("*.txt"))]


def long_conversation(turns: int = 50) -> list[str]:
    """``turns`` clerk messages: the opening, then the body repeated with shifting numbers and corrections."""
    out = [_OPENING]
    round_no = 0
    while len(out) < turns:
        k = round_no
        values = {
            "a": 30 + k,
            "b": 24 + k,
            "c": 6,
            "d": 14 + k,
            "e": 6,
            "f": 15 + k,
            "g": 1286 + k,
            "h": 347 + k,
            "h2": 348 + k,
            "b2": 24 + k,
            "f2": 16 + k,
        }
        for template in _BODY:
            if len(out) >= turns:
                break
            out.append(template.format(**values))
        round_no += 1
    return out
