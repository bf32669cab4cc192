"""The number guard's parser: numbers in prose (Arabic, full-width, Chinese numerals, decimals, %), their kinds,
and instruction parsing for the offline drafts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.drafting import check_prose_numbers, numbers_in_prose
from assistant.drafting.composition import ItemList, clerk_items, parse_instruction, split_parallel, topic_matches
from assistant.facts import AgencyLevel, CellFact, CellStatus, Report
from assistant.numbers import parse_chinese_numeral


def quantities(text: str) -> list[tuple[Decimal, str]]:
    return [(n.value, n.unit) for n in numbers_in_prose(text) if n.kind == "quantity"]


def test_chinese_numerals():
    cases = {
        "十二": 12,
        "十": 10,
        "二十一": 21,
        "一百零五": 105,
        "一千零一十": 1010,
        "二〇二三": 2023,
        "两万": 20000,
        "一万二千": 12000,
        "三点五": Decimal("3.5"),
        "九十五": 95,
    }
    for text, value in cases.items():
        assert parse_chinese_numeral(text) == Decimal(value), text
    assert parse_chinese_numeral("") is None
    assert parse_chinese_numeral("三四十五") is None


def test_quantities_in_all_notations():
    text = "收到申请１７件，予以公开十二件，收费0.35万元、3500元，办结率100%，百分之九十，信息1,200条，培训三次。"
    assert quantities(text) == [
        (Decimal(17), "件"),
        (Decimal(12), "件"),
        (Decimal("0.35"), "万元"),
        (Decimal(3500), "元"),
        (Decimal(100), "%"),
        (Decimal(90), "%"),
        (Decimal(1200), "条"),
        (Decimal(3), "次"),
    ]


def test_kinds_of_numbers_that_are_not_quantities():
    text = (
        "依据《条例》第五十条第（四）项和国办公开办函〔2021〕30号，统计期限为2023年1月1日至十二月三十一日。"
        "一是加强领导；二是完善制度。（一）主动公开 1.专栏建设 进一步推进“三安全一稳定”、一网通办、12345热线、5G。"
    )
    found = numbers_in_prose(text)
    kinds = {(n.kind, n.text) for n in found}
    assert ("article", "五十") in kinds and ("article", "四") in kinds
    assert ("citation", "〔2021〕30号") in kinds
    assert ("year", "2023") in kinds
    assert ("date", "1月1日") in kinds and ("date", "十二月三十一日") in kinds
    assert [n for n in found if n.kind == "quantity"] == []
    everything = numbers_in_prose(text, include_all=True)
    assert {"ordinal", "idiom"} <= {n.kind for n in everything}


def test_idioms_do_not_hide_real_counts():
    assert quantities("共收到申请110件，拨打12345次") == [(Decimal(110), "件"), (Decimal(12345), "次")]
    assert quantities("一些问题，统一标准，十分重要，一次性告知") == []
    assert quantities("公开一件事，开展一次培训") == []  # a lone 一 before 次/个 is wording, not a count
    assert quantities("收到一件申请") == [(Decimal(1), "件")]


def _report_95() -> Report:
    r = Report(agency="某某区自然资源局", level=AgencyLevel.COUNTY_DEPT, report_year=2023)
    cells = {
        spec.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for spec in r.fmt.input_cells() if spec.table == "table3"
    }
    cells["t3.received.natural_person"] = CellFact(status=CellStatus.VALUE, value=Decimal(95))
    cells["t3.disclosed.natural_person"] = CellFact(status=CellStatus.VALUE, value=Decimal(95))
    return r.model_copy(update={"cells": cells})


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=100_000))
def test_planted_received_count_is_caught_unless_it_matches(n):
    report = _report_95()
    problems = check_prose_numbers(report, f"全年共收到政府信息公开申请{n}件。")
    assert (problems == []) == (n == 95)


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("0123456789０１２.,%万元件年月日第条号〔〕（）一二两十百千零是、。；申请收到结转 ")
        ),
        max_size=60,
    )
)
def test_parser_never_crashes(text):
    for n in numbers_in_prose(text, include_all=True):
        assert 0 <= n.start < n.end <= len(text)
    assert isinstance(check_prose_numbers(_report_95(), text), list)


def test_instruction_parsing():
    assert parse_instruction("压缩到300字").limit == 300
    assert parse_instruction("不超过三百字").limit == 300
    assert parse_instruction("控制在200字以内").limit == 200
    assert parse_instruction("500字左右").limit == 500
    i = parse_instruction("补充政务新媒体情况，压缩到300字")
    assert (i.limit, i.supplement, i.unsupported) == (300, "政务新媒体", None)
    assert parse_instruction("补充一下关于培训的内容").supplement == "培训"
    formal = parse_instruction("语气更正式")
    assert formal.formal and formal.unsupported is None
    assert parse_instruction("加一段诗歌").unsupported == "加一段诗歌"
    mixed = parse_instruction("更简洁，突出便民服务，加一段诗歌")
    assert (mixed.concise, mixed.emphasis, mixed.unsupported) == (True, "便民服务", "加一段诗歌")
    assert parse_instruction(None).limit is None


def test_clerk_items_and_item_lists():
    items = clerk_items("1、我们镇今年开通了微信公众号；2、更新公开栏。另外，还建了政务公开专区", "我镇")
    assert items == ["本年度开通了微信公众号", "更新公开栏", "还建了政务公开专区"]
    assert str(ItemList(items[:2])) == "一是本年度开通了微信公众号；二是更新公开栏。"
    assert str(ItemList(items[:2], style=1)) == "一是本年度开通了微信公众号。二是更新公开栏。"
    assert str(ItemList(items[:1])) == "本年度开通了微信公众号。"
    lst = ItemList(items)
    assert lst.shrink() and lst.shrink() and not lst.shrink()
    assert split_parallel(["拓展公开内容，丰富解读形式，加强业务培训"]) == [
        "拓展公开内容",
        "丰富解读形式",
        "加强业务培训",
    ]
    assert split_parallel(["已整改，建立了每周更新制度"]) == ["已整改，建立了每周更新制度"]


def test_topic_matching():
    assert topic_matches("政务新媒体", "运营政务新媒体账号2个")
    assert topic_matches("培训", "组织业务培训2次")
    assert not topic_matches("疫情防控信息公开", "全年主动公开政府信息356条")
