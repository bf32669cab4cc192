"""Writes numbers as a clerk would: Arabic, full-width, Chinese numerals and 万-composites ("12万3456")."""

from __future__ import annotations

import random

DIGITS = "零一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _below_10000(n: int, *, leading: bool) -> str:
    """0 < n < 10000 in Chinese; ``leading`` writes 十二 rather than 一十二."""
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out = []
    zero_pending = False
    started = False
    for value, unit in units:
        d = n // value
        n %= value
        if d:
            if zero_pending:
                out.append("零")
                zero_pending = False
            if unit == "十" and d == 1 and not started and leading:
                out.append("十")
            else:
                out.append(DIGITS[d] + unit)
            started = True
        elif started:
            zero_pending = True
    if n:
        if zero_pending:
            out.append("零")
        out.append(DIGITS[n])
    return "".join(out)


def chinese(n: int) -> str:
    """12 → 十二, 105 → 一百零五, 10005 → 一万零五, 123456 → 十二万三千四百五十六."""
    if n == 0:
        return "零"
    if n < 10000:
        return _below_10000(n, leading=True)
    if n < 100_000_000:
        high, low = divmod(n, 10000)
        text = _below_10000(high, leading=True) + "万"
        if low:
            if low < 1000:
                text += "零"
            text += _below_10000(low, leading=False)
        return text
    return str(n)


def mixed_wan(n: int) -> str:
    """123456 → 12万3456, 10005 → 1万零5, 120000 → 12万; below 10000 unchanged."""
    if n < 10000:
        return str(n)
    high, low = divmod(n, 10000)
    if not low:
        return f"{high}万"
    if low < 1000:
        return f"{high}万零{low}"
    return f"{high}万{low}"


def write(n: int, style: str, rng: random.Random) -> str:
    """``n`` in the given style: arabic | fullwidth | chinese | wan | liang (两 for 2) | mix (one of them)."""
    if style == "mix":
        style = rng.choice(["arabic", "chinese", "wan", "fullwidth", "liang"])
    if style == "fullwidth":
        return str(n).translate(FULLWIDTH)
    if style == "chinese":
        return chinese(n)
    if style == "wan":
        return mixed_wan(n) if n >= 10000 else (chinese(n) if rng.random() < 0.5 else str(n))
    if style == "liang":
        return "两" if n == 2 else (chinese(n) if n < 100 else str(n))
    return str(n)
