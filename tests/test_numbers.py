"""The shared number reader (:mod:`assistant.numbers`): values, spans, kinds, approximate numbers, Chinese
numerals, full-width digits, decimals, units and the 元 → 万元 helpers. Every caller (extractor, checks, prose
guard, LLM evidence check) reads numbers through it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import numbers
from assistant.extract import numbers as extract_numbers
from assistant.numbers import (
    NumberMention,
    amount_in_wanyuan,
    find_numbers,
    is_bare_number,
    number_in_text,
    parse_chinese_numeral,
    yuan_to_wanyuan,
)
from assistant.textnorm import normalize_text


def only(text: str) -> NumberMention:
    [m] = find_numbers(text)
    return m


# ---- Chinese numerals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("零", "0"),
        ("两", "2"),
        ("十", "10"),
        ("十二", "12"),
        ("一十二", "12"),
        ("一百零五", "105"),
        ("一千零一十", "1010"),
        ("两千零二十三", "2023"),
        ("三百五", "350"),
        ("一万二", "12000"),
        ("三万五千", "35000"),
        ("一亿二千万", "120000000"),
        ("二〇二三", "2023"),
        ("贰拾", "20"),
        ("三点五", "3.5"),
        ("十二点零五", "12.05"),
        ("一点五万", "15000"),
    ],
)
def test_parse_chinese_numeral(text, value):
    assert parse_chinese_numeral(text) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["", "三四", "三四十五", "十十", "万一", "百", "万", "十二a", "点五", "三点", "三点十"]
)
def test_malformed_chinese_numerals_are_none(text):
    assert parse_chinese_numeral(text) is None


# ---- values, spans, units ---------------------------------------------------------------------------------


def test_span_surface_and_numeral_of_each_mention():
    text = "共收到申请12件，其中自然人十件、企业两件。"
    ms = find_numbers(text)
    assert [(m.value, m.unit, m.kind, m.surface, m.number_text) for m in ms] == [
        (12, "件", "count", "12件", "12"),
        (10, "件", "count", "十件", "十"),
        (2, "件", "count", "两件", "两"),
    ]
    for m in ms:
        assert text[m.start : m.end] == m.surface
    assert [m.chinese for m in ms] == [False, True, True]


def test_fullwidth_thousands_separators_and_decimals():
    assert only(normalize_text("收到１２件")).value == 12
    assert only("处理决定1,200件").value == 1200
    m = only("收费0.35万元")
    assert (m.value, m.unit, m.kind) == (Decimal("0.35"), "万元", "amount")


def test_big_units_and_the_wan_of_wanyuan():
    assert only("访问量3万人次").value == 30_000
    m = only("收费2.5万元")
    assert (m.value, m.unit, m.number_text) == (Decimal("2.5"), "万元", "2.5")
    m = only("三万元")
    assert (m.value, m.unit, m.number_text) == (3, "万元", "三")
    assert only("两万五千元").value == 25_000
    assert find_numbers("金额单位：万元") == []  # the unit alone is no number


def test_signs_are_kept_and_flagged():
    m = only("本年增/减-8")
    assert (m.value, m.signed) == (-8, True)
    assert only("减少了两项").value == 2


def test_units_that_make_a_number_something_else():
    assert only("20个工作日").kind == "other"
    assert only("来访群众300人次").kind == "other"
    assert (only("三所学校").unit, only("三所学校").kind) == ("所", "other")
    assert only("3项目").unit is None  # the measure word is part of another word


# ---- kinds that are never a table value ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("公开率100%", "percent", "100", "%"),
        ("百分之九十五", "percent", "95", "%"),
        ("百分之9.5", "percent", "9.5", "%"),
        ("占比三成。", "percent", "3", "成"),
        ("2023年度", "year", "2023", "年度"),
        ("二〇二三年", "year", "2023", "年"),
        ("第二十条", "ordinal", "20", "条"),
        ("（一）主动公开", "ordinal", "1", None),
        ("〔2023〕5号", "docno", "5", "号"),
        ("电话13912345678", "phone", "13912345678", None),
    ],
)
def test_kinds(text, kind, value, unit):
    m = [m for m in find_numbers(text) if m.kind == kind][-1]
    assert (m.value, m.unit) == (Decimal(value), unit)
    assert not m.is_cell_value


def test_dates_and_list_numbers():
    assert {m.kind for m in find_numbers("2023年1月1日至12月31日")} == {"date"}
    assert [m.kind for m in find_numbers("1.专栏建设\n2、平台建设")] == ["ordinal", "ordinal"]
    assert only("返回 2.5)").kind == "count"  # a decimal is never a list number
    assert only("下一年度").kind == "other"  # not the year 1
    cells = find_numbers("本年新收\t25000\t\t/\t2.5\t0\t0")  # pasted cells are no date "5000/2.5"
    assert [(m.value, m.kind) for m in cells] == [
        (25000, "count"),
        (Decimal("2.5"), "count"),
        (0, "count"),
        (0, "count"),
    ]


def test_numerals_inside_words_and_bare_numerals():
    assert [m for m in find_numbers("一网通办，十分重要，统一标准，一些问题") if m.is_cell_value] == []
    assert [m.value for m in find_numbers("合计为二十。")] == [20]
    assert [m.value for m in find_numbers("三", whole_text_bare=True)] == [3]
    assert find_numbers("自然人十二和企业", whole_text_bare=False) == []


# ---- approximate numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三十余件", 30),
        ("30多件", 30),
        ("约30件", 30),
        ("十几件", 10),
        ("20件左右", 20),
        ("近百件", 100),
        ("三四件", 3),
    ],
)
def test_approximate_numbers_are_flagged_not_rounded(text, value):
    m = [m for m in find_numbers(text) if m.unit == "件"][-1]
    assert (m.value, m.approximate, m.is_cell_value) == (value, True, False)


def test_ranges_are_approximate_at_both_ends():
    assert [(m.value, m.approximate) for m in find_numbers("3-5件")] == [(3, True), (5, True)]


# ---- 元 → 万元 and evidence ------------------------------------------------------------------------------


def test_yuan_to_wanyuan():
    assert yuan_to_wanyuan(Decimal(25_000)) == Decimal("2.5")
    assert str(yuan_to_wanyuan(Decimal(30_000))) == "3"
    assert yuan_to_wanyuan(Decimal(0)) == 0
    assert amount_in_wanyuan(only("收费25000元")) == Decimal("2.5")
    assert amount_in_wanyuan(only("收费2.5万元")) == Decimal("2.5")
    assert amount_in_wanyuan(only("收费1亿元")) == 10_000
    assert amount_in_wanyuan(only("收到12件")) is None


def test_number_in_text_and_bare_numbers():
    assert number_in_text(12, "收到十二件") and number_in_text(12, "收到１２件")
    assert not number_in_text(30, "三十余件")
    assert number_in_text(Decimal("2.5"), "25000元", allow_unit_conversion=True)
    assert not number_in_text(Decimal("2.5"), "25000元")
    assert is_bare_number("3件") and is_bare_number("三") and not is_bare_number("个人3件")


def test_extract_numbers_is_the_same_reader():
    for name in extract_numbers.__all__:
        assert getattr(extract_numbers, name) is getattr(numbers, name)


# ---- properties ------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99_999_999))
def test_every_integer_reads_back_from_digits(n):
    assert [(m.value, m.kind) for m in find_numbers(f"收到申请{n}件")] == [(n, "count")]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("0123456789.,%-万元件年月日第条号〔〕（）一二两十百千零点余多约是、。；申请 "))
    )
)
def test_reader_never_crashes_and_spans_match_surfaces(text):
    for m in find_numbers(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.surface


# ---- composites with 万/亿 and idioms (issue 10) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("行政许可12万3456件", "123456"),
        ("1万零5件", "10005"),
        ("398万5758件", "3985758"),
        ("1万5件", "15000"),  # as 一万五
        ("2万件", "20000"),
        ("1亿零5件", "100000005"),
        ("十二万三千四百五十六件", "123456"),
        ("三百九十八万五千七百五十八件", "3985758"),
        ("１２万３４５６件", "123456"),
    ],
)
def test_composite_numerals_with_wan(text, value):
    [m] = find_numbers(normalize_text(text))
    assert m.value == Decimal(value)
    assert m.is_cell_value


def test_unclear_composite_is_not_a_value():
    [m] = find_numbers("12万34件")  # 120034 or 123400: never guessed
    assert not m.is_cell_value


def test_composite_in_yuan_keeps_its_unit():
    [m] = find_numbers("收费12万3456元")
    assert (m.value, m.unit) == (Decimal(123456), "元")
    assert amount_in_wanyuan(m) == Decimal("12.3456")


@pytest.mark.parametrize("counter", ["件", "个", "宗", "例", "项", "条", "篇"])
def test_any_counter(counter):
    [m] = find_numbers(f"收到十二{counter}")
    assert m.value == 12 and m.unit == counter


@pytest.mark.parametrize(
    "text",
    [
        "依申请公开今年一件都没收到",
        "一个也没有",
        "1件都没有",
        "一直没有补正",
        "一是加强学习",
        "一并答复",
        "统一办理",
        "一律按规定",
        "无一例外",
        "进一步规范",
        "危及三安全一稳定",
    ],
)
def test_idioms_are_no_numbers(text):
    assert find_numbers(text) == []
    assert not number_in_text(1, text)


def test_eleven_is_not_an_idiom():
    [m] = find_numbers("11件都没有答复")
    assert m.value == 11


def test_unclear_composite_carries_both_readings():
    [m] = find_numbers("12万34件")
    assert m.readings == (Decimal(120034), Decimal(123400))
    [clear] = find_numbers("12万3456件")
    assert clear.readings == ()
