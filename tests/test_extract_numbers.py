"""Number reading for the extractors: Arabic, full-width, Chinese numerals, units, and what is *not* a value."""

from decimal import Decimal

import pytest

from assistant.extract.numbers import find_numbers, is_bare_number, number_in_text, parse_chinese_numeral
from assistant.textnorm import normalize_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二", 12),
        ("一十二", 12),
        ("两", 2),
        ("零", 0),
        ("十", 10),
        ("一百二十", 120),
        ("一千零五", 1005),
        ("三百五", 350),
        ("一万二", 12000),
        ("两万五千", 25000),
        ("一百零八", 108),
        ("二〇二三", 2023),
        ("贰拾", 20),
    ],
)
def test_parse_chinese_numeral(text, value):
    assert parse_chinese_numeral(text) == Decimal(value)


@pytest.mark.parametrize("text", ["三四", "十十", "万一", "百"])
def test_malformed_chinese_numerals_are_rejected(text):
    assert parse_chinese_numeral(text) is None


def _one(text):
    ms = [m for m in find_numbers(normalize_text(text)) if m.kind in ("count", "amount")]
    assert len(ms) == 1, ms
    return ms[0]


def test_arabic_fullwidth_and_thousands_separators():
    assert _one("收到１２件").value == 12
    assert _one("处理决定1,200件").value == 1200
    m = _one("今年共收到申请12件")
    assert (m.surface, m.unit, m.kind) == ("12件", "件", "count")


def test_units_and_amounts():
    m = _one("收费25000元")
    assert (m.value, m.unit, m.kind) == (25000, "元", "amount")
    m = _one("收费2.5万元")
    assert (m.value, m.unit) == (Decimal("2.5"), "万元")
    m = _one("三万元")
    assert (m.value, m.unit) == (3, "万元")
    assert _one("两万五千元").value == 25000


def test_signed_numbers():
    m = _one("本年增/减-8")
    assert m.value == -8 and m.signed
    assert _one("减少了两项").value == 2  # the sign comes from the word, decided by the rule reader


@pytest.mark.parametrize("text", ["三十余件", "30多件", "约30件", "3-5件", "十几件", "20件左右", "近百件"])
def test_approximate_numbers_are_flagged(text):
    ms = [m for m in find_numbers(text) if m.kind == "count"]
    assert ms and all(m.approximate for m in ms if m.unit == "件")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("公开率100%", "percent"),
        ("百分之九十五", "percent"),
        ("2023年度", "year"),
        ("二〇二三年", "year"),
        ("12月31日", "date"),
        ("第二十条", "ordinal"),
        ("〔2023〕5号", "docno"),
        ("电话13912345678", "phone"),
        ("0577-63661234", "phone"),
        ("20个工作日", "other"),
        ("来访群众300人次", "other"),
    ],
)
def test_numbers_that_are_not_cell_values(text, kind):
    ms = find_numbers(text)
    assert ms and all(m.kind == kind for m in ms)
    assert not any(m.is_cell_value for m in ms)


@pytest.mark.parametrize(
    "text", ["三安全一稳定", "一是加强领导", "进一步规范", "一事一申请", "四类过程性信息", "万一", "千万注意"]
)
def test_chinese_words_containing_numerals_are_not_numbers(text):
    assert [m for m in find_numbers(text) if m.is_cell_value] == []


def test_bare_chinese_numeral_after_copula():
    assert [m.value for m in find_numbers("自然人是十二")] == [12]
    assert [m.value for m in find_numbers("行政复议一起")] == [1]
    assert find_numbers("大家一起做好") == []


def test_number_in_text_any_written_form():
    assert number_in_text(12, "收到十二件")
    assert number_in_text(12, "收到一十二件")
    assert number_in_text(12, "收到１２件")
    assert number_in_text(Decimal("1200"), "共1,200件")
    assert number_in_text(-2, "减少了两项")
    assert not number_in_text(13, "收到12件")
    assert not number_in_text(30, "三十余件")
    assert not number_in_text(2023, "2023年度")
    assert not number_in_text(95, "公开率95%")
    assert not number_in_text(Decimal("2.5"), "25000元")
    assert number_in_text(Decimal("2.5"), "25000元", allow_unit_conversion=True)
    assert number_in_text(Decimal("2.5"), "2.5万元")


def test_is_bare_number():
    assert is_bare_number("3件")
    assert is_bare_number("三")
    assert is_bare_number("12。")
    assert not is_bare_number("个人3件")
