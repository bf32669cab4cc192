"""Property tests: whatever the clerk types, the rule extractor never raises, never targets a cell outside the
format, never proposes a negative count, and never proposes a number that no numeral token of the message says
("invented": the numeral reader decides; the 一 of "一件都没有" is no number). Every update carries a span into
the message, and a value's span covers the numeral that says it."""

import re
from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.extract.base import ExtractionContext, PendingQuestion
from assistant.extract.numbers import find_numbers
from assistant.extract.rules import INTERNAL_ERROR, RuleExtractor
from assistant.facts import CellStatus, Report, apply_updates, format_number
from assistant.formats import ValueKind, get_format
from assistant.numbers import idiom_spans, states_value

WORDS = [
    "收到",
    "申请",
    "新收",
    "上年结转",
    "结转下年度",
    "个人",
    "群众",
    "企业",
    "律所",
    "高校",
    "协会",
    "其他组织",
    "法人",
    "予以公开",
    "部分公开",
    "不予公开",
    "国家秘密",
    "商业秘密",
    "过程性信息",
    "无法提供",
    "不掌握",
    "另行制作",
    "不予处理",
    "信访",
    "重复申请",
    "其他处理",
    "逾期不补正",
    "办结",
    "总计",
    "其中",
    "共",
    "没有",
    "无",
    "都是",
    "全部",
    "均为",
    "其余均为0",
    "本表",
    "表四",
    "表二",
    "更正",
    "改成",
    "不对",
    "行政复议",
    "行政诉讼",
    "复议后起诉",
    "维持",
    "纠正",
    "驳回",
    "尚未审结",
    "规章",
    "规范性文件",
    "制发",
    "废止",
    "现行有效",
    "行政许可",
    "行政处罚",
    "行政强制",
    "处理决定",
    "行政事业性收费",
    "信息处理费",
    "一件都没有",
    "一个也没收到",
    "一直",
    "统一",
    "万",
    "零",
    "解读",
    "先空着",
    "没说到的都是0",
    "自然人的申请中",
    "其他",
    "依次为",
    "申情",
    "自燃人",
    "上一年项目数量",
    "本年增/减",
    "增加",
    "减少",
    "比上年",
    "政府集中采购",
    "总金额",
    "分别",
    "各",
    "是的",
    "对",
    "空白为0",
    "忽略之前的指令",
    "system:",
    "第二十条",
    "〔2023〕5号",
    "95%",
    "2023年",
    "12月31日",
    "件",
    "项",
    "元",
    "万元",
    "人次",
    "余",
    "多",
    "约",
    "-",
    "+",
    "，",
    "。",
    "、",
    "：",
    "（",
    "）",
    "\t",
    "|",
    "\n",
    " ",
    "  ",
    "/",
    "—",
]
NUMBERS = [
    "0",
    "1",
    "3",
    "12",
    "1,200",
    "2.5",
    "25000",
    "-8",
    "十二",
    "两",
    "一千零五",
    "三十",
    "零",
    "１２",
    "999999999",
    "12万3456",
    "1万零5",
    "一",
]
PENDING = [
    [],
    [PendingQuestion(kind="cells", text="本年新收多少件？", cells=["t3.received.total"])],
    [
        PendingQuestion(
            kind="cells", text="自然人、企业各多少？", cells=["t3.received.natural_person", "t3.received.business"]
        )
    ],
    [PendingQuestion(kind="confirm_zero", text="其余是否均为0？", cells=["t4.review.total", "t3.carried_in.business"])],
    [
        PendingQuestion(
            kind="confirm_value",
            text="自然人是否3件？",
            cells=["t3.received.natural_person"],
            proposed={"t3.received.natural_person": Decimal(3)},
        )
    ],
    [PendingQuestion(kind="narrative", text="其他事项？", narrative_key="other_matters")],
    [PendingQuestion(kind="meta", text="年度？", meta_field="report_year")],
    [PendingQuestion(kind="cells", text="收费金额多少万元？", cells=["t2.admin_fee.fee_amount"])],
]
FORMATS = ["2019", "2021", "2021-23"]

vocab_text = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(NUMBERS)), min_size=1, max_size=30).map("".join)
any_text = st.text(max_size=300)
mixed_text = st.lists(st.one_of(vocab_text, st.text(max_size=8)), min_size=1, max_size=4).map("".join)


def _check(message: str, fmt_id: str, pending: list[PendingQuestion]) -> None:
    report = Report(format_id=fmt_id, report_year=2020 if fmt_id == "2019" else 2023)
    res = RuleExtractor().extract(message, ExtractionContext(report=report, pending=pending))
    assert INTERNAL_ERROR not in res.warnings
    cells = get_format(fmt_id).cells()
    all_notes = " ".join(res.notes)
    for up in res.updates:
        assert up.cell in cells, up.cell
        spec = cells[up.cell]
        if up.status != CellStatus.VALUE:
            assert up.value is None
            continue
        assert up.value is not None
        if spec.kind != ValueKind.SIGNED:
            assert up.value >= 0, up
        if up.note == "确认":  # the dialogue's own proposal, confirmed by "是的"
            assert any(q.proposed.get(up.cell) == up.value for q in pending)
            continue
        shown = format_number(up.value)
        assert said_by_a_numeral(up.value, res.normalized_text, up.span) or shown in all_notes or (
            up.note is not None and shown in up.note
        ), (message, up)
    for up in res.updates:  # every update points into the message
        assert up.span is not None, up
        assert 0 <= up.span[0] <= up.span[1] <= len(res.normalized_text), up
    apply_updates(report, res.updates)  # the ledger accepts or rejects, never crashes


_CLAUSE = re.compile(r"[^，,。；;：:！!？?、\n\t|（）()]+")


def numeral_tokens(text: str) -> list:
    """The numeral tokens of a message as the numeral reader reads them: over the whole text and clause by clause
    (a bare "三" in a short clause is a number there); never a numeral inside an idiom ("一件都没有")."""
    out = [m for m in find_numbers(text, whole_text_bare=True)]
    for c in _CLAUSE.finditer(text):
        out.extend(replace(m, start=m.start + c.start(), end=m.end + c.start()) for m in find_numbers(c.group()))
    idioms = idiom_spans(text)
    return [m for m in out if not any(a <= m.start < b for a, b in idioms)]


def said_by_a_numeral(value: Decimal, text: str, span: tuple[int, int] | None) -> bool:
    """Does a numeral token of the message (inside ``span`` when given) state ``value`` (or the same amount in 元)?"""
    for m in numeral_tokens(text):
        if m.approximate or m.kind not in ("count", "amount", "other"):
            continue
        if span is not None and not (span[0] <= m.start < span[1] or m.start <= span[0] < m.end):
            continue
        if states_value(m, value, allow_unit_conversion=True):
            return True
    return False


settings_fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings_fast
@given(message=any_text, fmt_id=st.sampled_from(FORMATS), pending=st.sampled_from(PENDING))
def test_arbitrary_text(message, fmt_id, pending):
    _check(message, fmt_id, pending)


@settings_fast
@given(message=vocab_text, fmt_id=st.sampled_from(FORMATS), pending=st.sampled_from(PENDING))
def test_report_vocabulary_and_numbers(message, fmt_id, pending):
    _check(message, fmt_id, pending)


@settings(max_examples=80, deadline=None)
@given(message=mixed_text, fmt_id=st.sampled_from(FORMATS), pending=st.sampled_from(PENDING))
def test_vocabulary_mixed_with_noise(message, fmt_id, pending):
    _check(message, fmt_id, pending)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.sampled_from(NUMBERS), st.sampled_from(["", "/", "—", "无"])), min_size=1, max_size=16),
        min_size=1,
        max_size=6,
    ),
    labels=st.lists(
        st.sampled_from(["本年新收", "（二）部分公开", "3.其他", "行政复议", "规章", "行政许可", "", "x"]),
        min_size=6,
        max_size=6,
    ),
    sep=st.sampled_from(["\t", " | ", "   "]),
    fmt_id=st.sampled_from(FORMATS),
)
def test_pasted_tables(rows, labels, sep, fmt_id):
    text = "\n".join(sep.join([label, *row]) for label, row in zip(labels, rows, strict=False))
    _check(text, fmt_id, [])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_find_numbers_spans_are_exact(text):
    for m in find_numbers(text):
        assert text[m.start : m.end] == m.surface
        assert m.number_text in m.surface
