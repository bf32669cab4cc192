"""Normalise text copied from websites before anything else reads it.

Traditional characters → simplified, pinyin annotations such as "鎮(zhèn)" removed, full-width digits and
Latin letters → half-width. Chinese punctuation is kept (it is part of the official register).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A pinyin annotation right after a CJK character: "鎮(zhèn)", "現(xiàn)", also with full-width brackets.
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]\s*((?:[a-z{_TONE}]+)(?:\s+[a-z{_TONE}]+)*)\s*[)）]"
)
_PINYIN_SYLLABLE = re.compile(
    r"^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:[aeiouvü]+(?:ng|n|r)?)$"
)
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_FULLWIDTH[0xFF0E] = ord(".")  # full-width full stop used in numbers "３．５"
_FULLWIDTH[0xFF05] = ord("%")
_FULLWIDTH[0xFF0B] = ord("+")
_FULLWIDTH[0xFF0D] = ord("-")
_FULLWIDTH[0xFF1D] = ord("=")


def _strip_tones(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def _is_pinyin(annotation: str) -> bool:
    words = annotation.split()
    if any(c in _TONE for c in annotation):
        return True
    return all(_PINYIN_SYLLABLE.match(_strip_tones(w)) for w in words) and len(annotation) <= 12


def remove_pinyin(text: str) -> str:
    """Drop pinyin annotations that follow a Chinese character."""
    return _PINYIN.sub(lambda m: "" if _is_pinyin(m.group(1)) else m.group(0), text)


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    import zhconv  # type: ignore[import-untyped]  # local data, no network

    return zhconv


def to_simplified(text: str) -> str:
    """Traditional → simplified (zh-cn), using zhconv's bundled tables."""
    if not text or text.isascii():
        return text
    return str(_converter().convert(text, "zh-cn"))


def halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and the ideographic space → ASCII."""
    return text.translate(_FULLWIDTH)


def normalize_text(text: str) -> str:
    """The one normalisation every reader of clerk or website text applies first."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = remove_pinyin(text)
    text = to_simplified(text)
    return halfwidth(text)


_LABEL_DROP = re.compile(r"[\s\"'“”‘’「」『』《》\u200b]+")


def label_key(text: str) -> str:
    """Aggressive normalisation for matching printed labels: width, brackets, quotes, spaces."""
    text = normalize_text(text)
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("、", ".").replace("．", ".").replace("：", ":")
    return _LABEL_DROP.sub("", text)
