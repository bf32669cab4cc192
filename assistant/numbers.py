"""Read numbers as Chinese text writes them: 12, 1,200, 2.5, 十二, 一千零五, 两, 三点五, 2.5万元, -8, 30%, 三十余件.

The one place where numbers in text are recognised: the extractor (:mod:`assistant.extract`), the consistency
checks (:mod:`assistant.narrative_claims`), the prose number guard (:mod:`assistant.drafting.prose_numbers`) and the
LLM evidence check all read numbers through :func:`find_numbers`, and keep only their own filters.

Every mention carries its exact span and surface text, its unit and a *kind*, so callers can tell a cell value
(``count`` / ``amount``) from a year, a date, a percentage (30%, 百分之三十, 三成), an article or list number
(第二十条, （一）, 1.), a document number (〔2023〕5号) or a phone number, none of which is ever a table value.
Approximate numbers (三十余件, 约30件, 30多件, 3-5件) are flagged, never silently rounded. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from .prompts import load_prompt
from .textnorm import normalize_text

NumberKind = Literal["count", "amount", "percent", "year", "date", "ordinal", "docno", "phone", "other"]

#: Units that fit a count cell (件 of table 三/四, 项 of 2019 table 二, …).
COUNT_UNITS = frozenset({"件", "项", "条", "个", "起", "次", "宗", "家", "份", "例", "篇", "单", "批"})
#: Units of an amount; converted to 万元 where a cell is in 万元.
AMOUNT_UNITS = frozenset({"元", "万元", "亿元"})
#: Units that make a number something other than a cell value ("来访群众300人次", "20个工作日", "三所学校").
# fmt: off
_OTHER_UNITS = (
    "个工作日", "个自然日",
    "个人", "工作日", "自然日", "个小时", "小时", "分钟", "个月", "季度", "人次", "件次", "人", "户", "名", "位",
    "天", "日", "周", "岁", "页", "字", "期", "场", "平方米", "米", "亩", "公里", "km", "kb", "mb", "gb", "套",
    "本", "册", "张", "台", "辆", "块", "栏", "处", "轮", "遍", "倍", "类", "级", "点", "分", "秒", "届", "年",
    "月", "号", "所", "种", "村", "社区",
)
_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
# fmt: on
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_SMALL, *_CN_BIG])
_CN_ROUND = {"百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10_000}  # 上百件 / 近千件: never exact

_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
#: A Chinese numeral, with an optional decimal part: 十二, 一百零五, 三点五, 一点五万.
_CN_NUMERAL = rf"[{_CN_CHARS}]+(?:点[零〇○一二两三四五六七八九]+[万亿]?)?"
_NUMERAL = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>{_ARABIC}|{_CN_NUMERAL}))"
    rf"|(?P<tenths>[{_CN_CHARS}]+)成(?=[^\w]|$)"
    rf"|(?P<sign>(?<![\da-zA-Z.])[+\-−－])?(?:(?P<ar>{_ARABIC})(?:(?P<mult>万|亿)(?P<tail>零?\d+(?![\d.]))?)?"
    rf"|(?P<cn>{_CN_NUMERAL}))"
)
_COUNT_UNIT_RE = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
_OTHER_UNIT_RE = "|".join(sorted(_OTHER_UNITS, key=len, reverse=True))
_UNIT = re.compile(
    rf"\s*(?:(?P<approx>余|多|来|几)\s*)?(?P<unit>%|‰|万元|亿元|元|年度|{_OTHER_UNIT_RE}|{_COUNT_UNIT_RE})?"
    rf"(?P<approx2>左右|上下|以上|以下|余|多)?",
    re.IGNORECASE,
)
_APPROX_PREFIX = re.compile(r"(?:约|大约|大概|差不多|近|将近|接近|超过|逾|不到|不足|不少于|至少|最多|几乎)\s*$")
_APPROX_SUFFIX = re.compile(r"\s*(?:左右|上下|以上|以下|多)")
_RANGE_AFTER = re.compile(r"^ ?(?:-|~|～|—|－|至|到) ?(?:\d|[一二两三四五六七八九十])")
_RANGE_BEFORE = re.compile(rf"[\d{_CN_CHARS}] ?[-~～—－至到] ?$")
DOCNO_PATTERN = re.compile(
    r"[〔\[［【(（][ \t]*\d{4}[ \t]*[〕\]］】)）][ \t]*(?:第[ \t]*)?\d+[ \t]*号|[a-z\u4e00-\u9fff]{1,8}发[ \t]*\d+[ \t]*号"
)
#: 2023年1月1日, 2023-01-01, 2023.1.1, 2023-01 (not "25000\t/\t2.5", cells of a pasted table)
_DATE = re.compile(r"(?<!\d)\d{4} ?[-/.年] ?\d{1,2} ?[-/.月] ?\d{1,2}(?!\d) ?日?|(?<!\d)\d{4}-\d{1,2}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-\d{7,8}|\d{3,4}-\d{7,8}|\(0\d{2,3}\)\d{7,8})(?!\d)")
#: A Chinese numeral without a unit is accepted only in these positions ("自然人是十二", a bare "十二").
_CN_BARE_BEFORE = re.compile(r"(?:是|为|有|共|计|了|:|：|=|\s)\s*$|^\s*$")
_CN_BARE_AFTER = re.compile(r"^\s*(?:$|[，,。；;！!？?、)）\s])")
#: A unit that is really the start of another word ("3项目", "一次性", "3所有").
_MEASURE_FALSE = re.compile(
    r"^(?:个体|项目|条例|条件|次性|起来|家庭|家里|份额|批示|批复|单位|单独|次年|所有|所以|所属|所在|所得|所需|所述)"
)


@dataclass(frozen=True)
class NumberMention:
    """One number in a text: value, exact span and surface, unit and what kind of number it is."""

    value: Decimal
    start: int
    end: int
    surface: str  # the exact text, with sign and unit: "2.5万元", "十二件", "-8", "百分之九十"
    number_text: str  # the numeral only: "2.5", "十二", "九十"
    unit: str | None
    kind: NumberKind
    approximate: bool = False
    signed: bool = False  # an explicit + or - sign was written
    chinese: bool = False
    readings: tuple[Decimal, ...] = ()  # two plausible values ("12万34": 120034 or 123400): approximate, to be asked

    @property
    def is_cell_value(self) -> bool:
        """Could this number be a table value (an exact count or amount)?"""
        return self.kind in ("count", "amount") and not self.approximate


def _parse_integer(text: str) -> Decimal | None:
    """The integer part of :func:`parse_chinese_numeral`."""
    if all(c in _CN_DIGITS for c in text):
        if len(text) == 1:
            return Decimal(_CN_DIGITS[text])
        if len(text) == 4 or any(c in "〇○" for c in text):  # digit by digit: 二〇二三
            return Decimal("".join(str(_CN_DIGITS[c]) for c in text))
        return None  # "三四" is a range, not a number
    if text[0] in _CN_BIG or text[0] in "百佰千仟":
        return None
    total = 0
    section = 0
    digit: int | None = None
    last_unit = 0  # last small unit within the section (for 三百五 → 350)
    last_big = 0
    zero_seen = False
    prev_kind = ""
    for ch in text:
        if ch in _CN_DIGITS:
            if prev_kind == "digit":
                return None
            d = _CN_DIGITS[ch]
            if d == 0:
                zero_seen = True
                digit = None
                prev_kind = "zero"
                continue
            digit = d
            prev_kind = "digit"
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if last_unit and unit >= last_unit:
                return None
            section += (digit if digit is not None else 1 if prev_kind in ("", "big") else 0) * unit
            if digit is None and prev_kind == "zero":
                return None
            digit = None
            last_unit = unit
            zero_seen = False
            prev_kind = "small"
        else:
            big = _CN_BIG[ch]
            if last_big and big >= last_big:
                return None
            section += digit or 0
            if section == 0:
                return None
            total += section * big
            section = 0
            digit = None
            last_unit = 0
            last_big = big
            zero_seen = False
            prev_kind = "big"
    if digit is not None:
        if not zero_seen and prev_kind == "digit" and len(text) >= 2:
            before = text[-2]
            if before in _CN_SMALL and _CN_SMALL[before] >= 100:  # 三百五 → 350, 一千二 → 1200
                digit *= _CN_SMALL[before] // 10
            elif before in _CN_BIG:  # 一万二 → 12000
                digit *= _CN_BIG[before] // 10
        section += digit
    return Decimal(total + section)


def parse_chinese_numeral(text: str) -> Decimal | None:
    """十二 → 12, 一千零五 → 1005, 两 → 2, 三百五 → 350, 一万二 → 12000, 二〇二三 → 2023, 三点五 → 3.5,
    一点五万 → 15000; None if malformed ("三四", "万一", "十二a")."""
    whole, point, frac = text.partition("点")
    if not whole or any(c not in _CN_CHARS for c in whole):
        return None
    value = _parse_integer(whole)
    if value is None or not point:
        return value
    scale = _CN_BIG.get(frac[-1:], 1)
    digits = frac[:-1] if scale > 1 else frac
    if not digits or any(c not in _CN_DIGITS for c in digits):
        return None
    return (value + Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in digits))) * scale


def _arabic_value(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _arabic_with_multiplier(
    ar: str, mult: str | None, tail: str | None
) -> tuple[Decimal | None, bool, tuple[Decimal, ...]]:
    """(value, unclear, readings) of "12万3456" (123456), "1万零5" (10005), "398万5758" (3985758), "1万5" (15000,
    as 一万五), "2.5万" (25000); "12万34" is unclear, with the readings 120034 and 123400."""
    head = _arabic_value(ar)
    if head is None or not mult:
        return head, False, ()
    big = _CN_BIG[mult]
    base = head * big
    if not tail:
        return base, False, ()
    digits = tail.lstrip("零")
    width = len(str(big)) - 1  # 4 digits below 万, 8 below 亿
    if head != head.to_integral_value() or not digits:
        return base, True, ()
    if tail.startswith("零"):
        return base + int(digits), len(digits) >= width, ()
    if len(digits) == width:
        return base + int(digits), False, ()
    if len(digits) == 1:
        return base + int(digits) * big // 10, False, ()
    if len(digits) < width:
        low, high = base + int(digits), base + int(digits) * 10 ** (width - len(digits))
        return low, True, (low, high)
    return base + int(digits), True, ()


@lru_cache(maxsize=1)
def _idiom_patterns() -> dict[str, re.Pattern[str]]:
    """The sections of prompts/lexicon/idioms.txt, each as one regular expression."""
    sections: dict[str, list[str]] = {}
    current = "words"
    for raw in load_prompt("lexicon/idioms").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1].isalpha():
            current = line[1:-1]
            continue
        sections.setdefault(current, []).append(f"(?:{line})")
    return {name: re.compile("|".join(parts)) for name, parts in sections.items()}


def negation_idioms(text: str) -> list[tuple[int, int]]:
    """Spans of words that say "none" with a numeral in them: 「一件都没收到」「一个也没有」「无一」."""
    rx = _idiom_patterns().get("negation")
    return [(m.start(), m.end()) for m in rx.finditer(text)] if rx else []


def idiom_spans(text: str) -> list[tuple[int, int]]:
    """Spans of every word whose numeral is no number (「一件都没有」「一直」「一是」「统一」「三安全一稳定」)."""
    return [(m.start(), m.end()) for rx in _idiom_patterns().values() for m in rx.finditer(text)]


def _blocked_spans(text: str) -> list[tuple[int, int, NumberKind]]:
    spans: list[tuple[int, int, NumberKind]] = []
    for rx, kind in ((DOCNO_PATTERN, "docno"), (_DATE, "date"), (_PHONE, "phone")):
        spans.extend((m.start(), m.end(), kind) for m in rx.finditer(text))  # type: ignore[misc]
    return spans


def _percent_word(text: str, m: re.Match[str]) -> NumberMention | None:
    """百分之九十 → 90 %, 三成 → 3 成 (a percentage written in words)."""
    raw = m.group("pctnum") or m.group("tenths")
    value = _arabic_value(raw) if raw[0].isdigit() else parse_chinese_numeral(raw)
    if value is None and raw in _CN_ROUND:
        value = Decimal(_CN_ROUND[raw])  # 百分之百
    if value is None:
        return None
    before = text[max(0, m.start() - 6) : m.start()]
    approx = bool(_APPROX_PREFIX.search(before) or _APPROX_SUFFIX.match(text, m.end()))
    unit = "%" if m.group("pct") else "成"
    return NumberMention(
        value, m.start(), m.end(), m.group(), raw, unit, "percent", approx, chinese=not raw[0].isdigit()
    )


def find_numbers(text: str, *, whole_text_bare: bool | None = None) -> list[NumberMention]:
    """Every number in ``text`` (already normalised), in order, with kind, unit and span.

    Chinese numerals are accepted only with a unit ("十二件"), after 是/为/共… at a clause end ("自然人是十二"),
    or when they are the whole text (a bare answer "三"); this keeps 一是、进一步、三安全一稳定 out.
    """
    if whole_text_bare is None:
        whole_text_bare = len(text.strip()) <= 12
    out: list[NumberMention] = []
    blocked = _blocked_spans(text)
    idioms = idiom_spans(text)
    for m in _NUMERAL.finditer(text):
        if any(a <= m.start() < b for a, b in idioms):
            continue  # 「一件都没有」「一直」「统一」: the numeral is part of a word, no number
        unclear = False
        readings: tuple[Decimal, ...] = ()
        if m.group("pct") or m.group("tenths"):
            pm = _percent_word(text, m)
            if pm is not None:
                out.append(pm)
            continue
        start, end = m.start(), m.end()
        block = next((b for b in blocked if b[0] <= start < b[1] or b[0] < end <= b[1]), None)
        sign = m.group("sign")
        signed = bool(sign)
        negative = sign in ("-", "−", "－") if sign else False
        cn = m.group("cn")
        round_figure = False
        if cn:
            value = parse_chinese_numeral(cn)
            number_text = cn
            if value is None and cn in _CN_ROUND:
                value = Decimal(_CN_ROUND[cn])
                round_figure = True
        else:
            value, unclear, readings = _arabic_with_multiplier(m.group("ar"), m.group("mult"), m.group("tail"))
            number_text = m.group("ar") + (m.group("mult") or "") + (m.group("tail") or "")
        if value is None:
            u = _UNIT.match(text, end)
            assert u is not None  # every part of _UNIT is optional: it always matches
            if cn and len(cn) >= 2 and all(c in _CN_DIGITS for c in cn) and u.group("unit"):
                # "三四件", "两三件": a range written as adjacent digits
                out.append(
                    NumberMention(
                        Decimal(_CN_DIGITS[cn[0]]),
                        start,
                        u.end(),
                        text[start : u.end()],
                        cn,
                        u.group("unit"),
                        "count",
                        approximate=True,
                        chinese=True,
                    )
                )
            continue
        u = _UNIT.match(text, end)
        assert u is not None
        unit = u.group("unit")
        unit_end = u.end() if (unit or u.group("approx") or u.group("approx2")) else end
        approx = bool(u.group("approx") or u.group("approx2"))
        if u.group("approx") == "来" and not unit:
            approx, unit_end = False, end
        if unit and unit.lower() in ("km", "kb", "mb", "gb"):
            unit = unit.lower()
        if unit and _MEASURE_FALSE.match(text[unit_end - len(unit) : unit_end + 3]):
            unit = None  # "3项目" / "一次性": the measure word is part of another word
            unit_end = end
            approx = False
        before = text[max(0, start - 6) : start].rstrip()
        nxt = text[end : end + 1]
        kind: NumberKind
        if block:
            kind = block[2]
        elif before.endswith("第"):
            kind = "ordinal"
        elif not unit and nxt and nxt in ")）" and before.endswith(("(", "（")):
            kind = "ordinal"  # (1) / （2）
        elif (
            not unit
            and nxt in (".", "、", ")", "）")
            and (cn or re.fullmatch(r"\d{1,2}", number_text))
            and not text[end + 1 : end + 2].isdigit()
            and (start == 0 or text[start - 1] in "\n \t，,。；;：:(（|")
        ):
            kind = "ordinal"  # list numbering "1." / "2、" / "一、" (not "2.5)" or "2023.")
        elif unit in ("%", "‰"):
            kind = "percent"
        elif unit in ("年", "年度") and 1900 <= value <= 2100 and value == int(value):
            kind = "year"  # not the 一 of "下一年度"
        elif unit in ("月", "日", "号"):
            kind = "date"
        elif unit in AMOUNT_UNITS:
            kind = "amount"
        elif unit in COUNT_UNITS or not unit:
            kind = "count"
        else:
            kind = "other"
        if kind == "count" and not unit and not cn and 1900 <= value <= 2100 and nxt == "年":
            kind = "year"
        # 2.5万元 written as "2.5万" + "元": the 万 is part of the unit
        if unclear:
            approx = True  # "12万34": neither 120034 nor 123400 is sure
        if unit == "元" and not cn and m.group("mult") == "万" and not m.group("tail"):
            value = value / _CN_BIG["万"]
            unit = "万元"
            number_text = m.group("ar")
        if unit == "元" and cn == "万":
            continue  # "（万元）": the unit alone, no number
        if unit == "元" and cn and cn.endswith("万"):
            value = value / _CN_BIG["万"]
            unit = "万元"
            number_text = cn[:-1]
        if cn and kind in ("count", "amount") and not unit:
            if not (whole_text_bare and text.strip() == cn) and not (
                _CN_BARE_BEFORE.search(text[max(0, start - 3) : start]) and _CN_BARE_AFTER.match(text[end:])
            ):
                continue
            if cn in ("一",) and not whole_text_bare:
                continue
        if cn == "一" and unit == "起" and re.match(r"[\u4e00-\u9fff]", text[unit_end : unit_end + 1]):
            continue  # 一起 = together ("一起做好"), unless it ends the clause ("行政复议一起")
        if _APPROX_PREFIX.search(before):
            approx = True
        if _RANGE_AFTER.match(text[end : end + 4]) and kind in ("count", "amount") and not unit:
            approx = True
        if _RANGE_BEFORE.search(text[max(0, start - 4) : start]):
            approx = True
        if (cn and text[end : end + 1] == "几") or round_figure:
            approx = True
        if negative:
            value = -value
        out.append(
            NumberMention(
                value=value,
                start=start,
                end=unit_end,
                surface=text[start:unit_end],
                number_text=number_text,
                unit=unit,
                kind=kind,
                approximate=approx,
                signed=signed,
                chinese=bool(cn),
                readings=readings if unclear and kind in ("count", "amount") else (),
            )
        )
    return out


def yuan_to_wanyuan(value: Decimal) -> Decimal:
    """25000 (元) → 2.5 (万元), without trailing zeros."""
    return (value / Decimal(10_000)).normalize() if value else Decimal(0)


def amount_in_wanyuan(m: NumberMention) -> Decimal | None:
    """The mention's amount in 万元 (None when it is not an amount)."""
    if m.unit == "万元":
        return m.value
    if m.unit == "元":
        return yuan_to_wanyuan(m.value)
    if m.unit == "亿元":
        return m.value * Decimal(10_000)
    return None


def states_value(m: NumberMention, value: Decimal, *, allow_unit_conversion: bool = False) -> bool:
    """Does the mention state ``value`` (sign ignored), or, with ``allow_unit_conversion``, the same amount in 万元
    ("25000元" for 2.5)?"""
    target = abs(value)
    if abs(m.value) == target:
        return True
    w = amount_in_wanyuan(m) if allow_unit_conversion else None
    return w is not None and abs(w) == target


def number_in_text(value: Decimal | int | str, text: str, *, allow_unit_conversion: bool = False) -> bool:
    """Does ``text`` contain this number in any written form (12 / １２ / 十二 / 一十二 / 1,2 00)?

    Signs are ignored (a 本年增/减 of -2 is evidenced by "减少了两项"). Approximate numbers, years, dates,
    percentages, article and document numbers do not count. With ``allow_unit_conversion`` an amount in 万元 is
    also evidenced by the same amount written in 元 ("25000元" for 2.5).
    """
    try:
        target = abs(Decimal(str(value)))
    except InvalidOperation:
        return False
    norm = normalize_text(text)
    for m in find_numbers(norm, whole_text_bare=True):
        if m.approximate or m.kind not in ("count", "amount", "other"):
            continue
        if states_value(m, target, allow_unit_conversion=allow_unit_conversion):
            return True
    # a bare Chinese numeral anywhere ("自然人十二") still evidences the number for a checker
    idioms = idiom_spans(norm)
    for cm in re.finditer(rf"[{_CN_CHARS}]+", norm):
        if any(a <= cm.start() < b for a, b in idioms):
            continue
        v = parse_chinese_numeral(cm.group())
        if v is not None and v == target and not _is_non_value_context(norm, cm.start(), cm.end()):
            if norm[cm.end() : cm.end() + 1] in ("余", "多", "来", "几") or _APPROX_PREFIX.search(
                norm[max(0, cm.start() - 6) : cm.start()]
            ):
                continue
            return True
    return False


def _is_non_value_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 1) : start]
    return before == "第" or text[end : end + 1] in ("年", "月", "日", "%", "类", "是")


def is_bare_number(text: str) -> bool:
    """Is the whole text just one number (with unit), e.g. "3件", "三", "12"?"""
    t = text.strip().strip("。.!！~")
    ms = find_numbers(t, whole_text_bare=True)
    return len(ms) == 1 and ms[0].start == 0 and ms[0].end == len(t)
