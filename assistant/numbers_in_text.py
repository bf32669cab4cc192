"""Find numbers in Chinese prose: Arabic (also "1,234" and decimals), full-width, and Chinese numerals.

Callers pass text already run through :func:`assistant.textnorm.normalize_text` (full-width → half-width,
traditional → simplified); positions refer to that text. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)

# Count units a statement about applications, cases or fees ends with. "万元" before "元" (longest first).
DEFAULT_UNITS = ("万元", "元", "件", "起", "宗", "次", "个", "份", "条", "项", "人")

_NUMBER = re.compile(rf"(?<![\d.])(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)|([{_CN_CHARS}]+)")
SENTENCE_END = re.compile(r"[。；;！!？?\n]+")
CLAUSE_END = re.compile(r"[，,。；;：:！!？?\n]+")


def parse_chinese_numeral(text: str) -> int | None:
    """ "十二" → 12, "两" → 2, "一百零五" → 105, "三万五千" → 35000, "二〇二三" → 2023; None if not a numeral."""
    if not text or any(c not in _CN_CHARS for c in text):
        return None
    if not any(c in _SMALL_UNITS or c in _BIG_UNITS for c in text):
        # digit by digit, as in years: 二〇二三
        return int("".join(str(_DIGITS[c]) for c in text))
    yi = 0  # part before 亿
    wan = 0  # part before 万 (below 亿)
    section = 0  # value below the current big unit
    digit: int | None = None
    for c in text:
        if c in _DIGITS:
            if _DIGITS[c] == 0:
                digit = None
                continue
            if digit is not None:
                return None  # two digits in a row ("三四十") is not a plain numeral
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        else:
            part = section + (digit or 0)
            if c == "万":
                if part == 0:
                    return None
                wan = part * _BIG_UNITS[c]
            else:
                if part + wan == 0:
                    return None
                yi = (wan + part) * _BIG_UNITS[c]
                wan = 0
            section = 0
            digit = None
    return yi + wan + section + (digit or 0)


@dataclass(frozen=True)
class NumberMention:
    """A number in text with the unit right after it ("" when none)."""

    value: Decimal
    unit: str
    start: int
    end: int  # end of the unit, if any
    raw: str


def find_numbers(
    text: str, units: tuple[str, ...] = DEFAULT_UNITS, *, require_unit: bool = False
) -> list[NumberMention]:
    """All numbers in ``text`` in order. Chinese numerals count only when a unit follows them (so "一是" or
    "进一步" are not numbers); Arabic numbers are always returned unless ``require_unit``."""
    out: list[NumberMention] = []
    for m in _NUMBER.finditer(text):
        arabic, chinese = m.group(1), m.group(2)
        end = m.end()
        rest = text[end : end + 3].lstrip(" ")
        gap = len(text[end : end + 3]) - len(rest)
        unit = next((u for u in units if rest.startswith(u)), "")
        if chinese is not None:
            # "三万元": the numeral swallowed the 万 of 万元 — give it back to the unit
            if chinese.endswith("万") and rest.startswith("元") and "万元" in units and len(chinese) > 1:
                value = parse_chinese_numeral(chinese[:-1])
                if value is None:
                    continue
                out.append(NumberMention(Decimal(value), "万元", m.start(), end + gap + 1, chinese + "元"))
                continue
            if not unit:
                continue
            value = parse_chinese_numeral(chinese)
            if value is None:
                continue
            out.append(NumberMention(Decimal(value), unit, m.start(), end + gap + len(unit), chinese + unit))
            continue
        if require_unit and not unit:
            continue
        value_d = Decimal(arabic.replace(",", ""))
        out.append(NumberMention(value_d, unit, m.start(), end + (gap + len(unit) if unit else 0), arabic + unit))
    return out


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, str]]:
    """Split ``text`` at ``pattern`` → (offset, piece) for non-empty pieces."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((pos, text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append((pos, text[pos:]))
    return out


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences (split at 。；！？ and line breaks) with their offsets."""
    return spans(SENTENCE_END, text)


def clauses(sentence: str) -> list[tuple[int, str]]:
    """Clauses of one sentence (split at ，：) with their offsets in the sentence."""
    return spans(CLAUSE_END, sentence)
