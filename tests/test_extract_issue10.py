"""Issue 10, "What we saw": every extraction example as a test, plus the phrasing classes it names.

Each case states the cells that must be proposed and, where the failure was a wrong number, the cells that must
NOT be proposed. Precision over recall: a cell the engine cannot read must stay unrecorded (and be reported),
never guessed.
"""

from decimal import Decimal

import pytest
from test_extract_rules import Z, check
from test_extract_rules import proposed as got

from assistant.extract.base import ExtractionContext
from assistant.extract.rules import INTERNAL_ERROR, RuleExtractor
from assistant.facts import CellStatus, Report


def run(message, fmt="2021", report=None, conventions=None):
    rep = report or Report(format_id=fmt, report_year=2020 if fmt == "2019" else 2023)
    ctx = ExtractionContext(report=rep, conventions=conventions or {})
    res = RuleExtractor().extract(message, ctx)
    assert INTERNAL_ERROR not in res.warnings
    return res


COLS = ("natural_person", "business", "research", "public_interest", "legal_service", "other")


# ---- numeral reader -----------------------------------------------------------------------------------------


def test_none_received_is_zero_never_one():
    res = run("依申请公开今年一件都没收到，上年也没有结转的")
    check(res, {f"t3.received.{c}": Z for c in COLS} | {f"t3.carried_in.{c}": Z for c in COLS})
    assert all(u.value != 1 for u in res.updates)


@pytest.mark.parametrize(
    ("message", "cell", "value"),
    [
        ("行政许可12万3456件", "t2.licensing.decisions", 123456),
        ("行政处罚1万零5件", "t2.penalty.decisions", 10005),
        ("行政许可398万5758件", "t2.licensing.decisions", 3985758),
    ],
)
def test_composite_numerals(message, cell, value):
    check(run(message), {cell: value})


# ---- 其他 by context ----------------------------------------------------------------------------------------


def test_other_in_an_applicant_list_is_the_other_column():
    res = run("本年新收申请共612件：自然人548件，商业企业41件，科研机构3件，社会公益组织2件，法律服务机构15件，其他3件")
    check(res, {"t3.received.total": 612, "t3.received.other": 3, "t3.received.legal_service": 15})


def test_other_in_a_result_list_is_the_other_column_not_the_row_total():
    res = run("予以公开：自然人300件，商业企业20件，其他1件")
    check(res, {"t3.disclosed.other": 1, "t3.disclosed.natural_person": 300}, absent=("t3.disclosed.total",))


def test_other_under_other_handling_is_row_3():
    res = run("其他处理：逾期不补正自然人2件，其他自然人1件")
    check(res, {"t3.other_handling_1.natural_person": 2, "t3.other_handling_3.natural_person": 1})


def test_rest_after_a_table4_group_closes_that_group_only():
    res = run("复议后起诉的：结果维持3件，尚未审结1件，其余为0")
    check(
        res,
        {
            "t4.suit_after_review.upheld": 3,
            "t4.suit_after_review.pending": 1,
            "t4.suit_after_review.corrected": Z,
            "t4.suit_after_review.other_result": Z,
        },
        absent=("t4.review.upheld", "t4.suit_direct.upheld"),
    )


# ---- category totals with sub-rows ---------------------------------------------------------------------------


def test_group_total_never_lands_in_its_first_sub_row():
    res = run("不予公开7件：危及“三安全一稳定”1件（自然人），保护第三方合法权益6件（自然人4件、商业企业2件）")
    check(
        res,
        {
            "t3.withheld_3.total": 1,
            "t3.withheld_3.natural_person": 1,
            "t3.withheld_4.natural_person": 4,
            "t3.withheld_4.business": 2,
        },
    )


def test_group_total_with_colon_then_sub_rows():
    res = run("无法提供29件：本机关不掌握相关政府信息23件，没有现成信息需要另行制作6件")
    check(res, {"t3.unavailable_1.total": 23, "t3.unavailable_2.total": 6})


def test_group_total_with_qizhong_and_applicant_breakdowns():
    res = run("无法提供19件，其中本机关不掌握18件（自然人16件、商业企业2件），补正后申请内容仍不明确1件（自然人）")
    check(
        res,
        {
            "t3.unavailable_1.natural_person": 16,
            "t3.unavailable_1.business": 2,
            "t3.unavailable_1.other": Z,
            "t3.unavailable_3.natural_person": 1,
        },
        absent=("t3.unavailable_2.total",),
    )


# ---- 分别/依次 lists --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expect"),
    [
        (
            "自然人、商业企业、科研机构分别为10件、3件、1件",
            {"t3.received.natural_person": 10, "t3.received.research": 1},
        ),
        ("规章、规范性文件本年制发分别为1件、5件", {"t2.rules.issued": 1, "t2.normative.issued": 5}),
        ("行政处罚、行政强制依次为15件、2件", {"t2.penalty.decisions": 15, "t2.enforcement.decisions": 2}),
    ],
)
def test_respectively_lists(message, expect):
    check(run(message), expect)


def test_respectively_with_mismatched_counts_records_nothing():
    res = run("自然人、商业企业、科研机构分别为10件、3件")
    assert not [u for u in res.updates if u.status == CellStatus.VALUE]
    assert res.not_understood


# ---- results per applicant type ------------------------------------------------------------------------------


def test_results_under_an_applicant_heading():
    res = run("自然人的申请中，予以公开30件；部分公开5件；不予公开中属于国家秘密1件。商业企业申请的：予以公开4件")
    check(
        res,
        {
            "t3.disclosed.natural_person": 30,
            "t3.partly_disclosed.natural_person": 5,
            "t3.withheld_1.natural_person": 1,
            "t3.disclosed.business": 4,
        },
        absent=("t3.disclosed.total", "t3.partly_disclosed.total"),
    )


def test_applicant_heading_with_colon():
    res = run("自然人：予以公开30件，部分公开5件")
    check(
        res,
        {"t3.disclosed.natural_person": 30, "t3.partly_disclosed.natural_person": 5},
        absent=("t3.partly_disclosed.total",),
    )


def test_applicant_remark_in_brackets_is_no_heading():
    res = run("上年结转1件（自然人）。予以公开6件")
    check(res, {"t3.carried_in.natural_person": 1, "t3.disclosed.total": 6}, absent=("t3.disclosed.natural_person",))


# ---- unrelated counts, this year's documents, typos, pending words --------------------------------------------------


def test_unrelated_count_never_lands_in_a_cell():
    res = run("新增公开市政府规章1件，制作政策解读21个")
    assert all(u.value != 21 for u in res.updates)
    assert "t2.rules.issued" not in got(res) or got(res)["t2.rules.issued"] == Decimal(1)


def test_this_years_rules_zero_leaves_repealed_and_in_force():
    res = run("按照上级命令，本年主动公开规章0件")
    check(res, {"t2.rules.issued": Z}, absent=("t2.rules.repealed", "t2.rules.in_force"))


def test_typos_are_read_as_the_words_meant():
    res = run("申情收了六个 自燃人五个 企业一件")
    check(res, {"t3.received.total": 6, "t3.received.natural_person": 5, "t3.received.business": 1})


def test_not_yet_known_is_never_zero():
    res = run("收费财务还没回，继续空着")
    assert not res.updates
    assert "t2.admin_fee.fee_amount" in res.unread_cells


# ---- zero rules and unread cells ----------------------------------------------------------------------------------


def test_rest_zero_never_covers_cells_named_but_not_read():
    res = run("自然人的申请中，予以公开30件，部分公开5件，无法提供2件，剩下的都是0")
    g = got(res)
    assert g["t3.disclosed.natural_person"] == 30
    for key in (
        "t3.unavailable_1.natural_person",
        "t3.unavailable_2.natural_person",
        "t3.unavailable_3.natural_person",
    ):
        assert key not in g
        assert key in res.unread_cells


def test_unmentioned_cells_zero_rule():
    res = run("予以公开5件，都是自然人。没说到的都是0")
    g = got(res)
    assert g["t3.disclosed.natural_person"] == 5
    assert g["t3.withheld_1.natural_person"] == Z
    assert g["t3.carried_out.business"] == Z


# ---- corrections ---------------------------------------------------------------------------------------------------


def _report_with(values):
    from assistant.facts import FactUpdate, apply_updates

    rep = Report(format_id="2021", report_year=2023)
    ups = [FactUpdate(cell=c, value=Decimal(v), evidence="x") for c, v in values.items()]
    return apply_updates(rep, ups).report


def test_correction_names_the_cell_holding_the_old_value():
    rep = _report_with({"t3.received.business": 6, "t3.received.other": 4, "t3.disclosed.business": 5})
    res = run("刚才说错了，商业企业是9件不是6件", report=rep)
    assert [(u.cell, u.value, u.is_correction) for u in res.updates] == [("t3.received.business", Decimal(9), True)]


def test_correction_of_a_column_in_two_rows_is_asked():
    rep = _report_with({"t3.received.business": 6, "t3.disclosed.business": 5})
    res = run("更正：商业企业应为9件", report=rep)
    assert not res.updates
    assert res.not_understood


# ---- evidence spans ------------------------------------------------------------------------------------------------


def test_every_update_carries_the_span_of_its_numeral():
    res = run("你好。今年收到申请12件，其中个人10件，企业2件。上年没有结转。")
    text = res.normalized_text
    spans = {u.cell: text[u.span[0] : u.span[1]] for u in res.updates}
    assert spans["t3.received.total"] == "12件"
    assert spans["t3.received.natural_person"] == "10件"
    assert spans["t3.received.business"] == "2件"
    assert "上年没有结转" in spans["t3.carried_in.natural_person"]
    assert all(u.span is not None for u in res.updates)


def test_table_cells_carry_the_span_of_their_row():
    res = run("先贴表：\n本年新收政府信息公开申请数量\t10\t2\t0\t0\t1\t0\t13")
    text = res.normalized_text
    for u in res.updates:
        assert text[u.span[0] : u.span[1]].startswith("本年新收")


# ---- pasted tables: space-aligned columns, blank rules ------------------------------------------------------------

HEADER = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
ROWS = [
    ["一、本年新收政府信息公开申请数量", "10", "", "2", "", "", "", "12"],
    ["二、上年结转政府信息公开申请数量", "", "", "", "", "", "", ""],
    ["（一）予以公开", "8", "", "1", "", "", "", "9"],
]


def _spaced(lines):
    width = [max(len(line[i]) for line in lines) + 2 for i in range(8)]
    return "\n".join("".join(c.ljust(width[i]) for i, c in enumerate(line)).rstrip() for line in lines)


def test_space_aligned_table_with_blank_rule_before_it():
    res = run("我先把依申请公开的表格贴给你，空白的格子就是0：\n" + _spaced([HEADER, *ROWS]))
    check(
        res,
        {
            "t3.received.natural_person": 10,
            "t3.received.business": Z,
            "t3.received.research": 2,
            "t3.carried_in.natural_person": Z,
            "t3.disclosed.research": 1,
            "t3.disclosed.other": Z,
        },
    )
    assert not res.not_understood


def test_space_aligned_table_without_blank_rule_leaves_blanks_unknown():
    res = run("表格如下：\n" + _spaced([HEADER, *ROWS]))
    check(res, {"t3.received.natural_person": 10, "t3.received.research": 2}, absent=("t3.received.business",))


def test_blank_rule_stated_in_an_earlier_message_is_honoured():
    table = "\n".join("\t".join(r) for r in [HEADER, *ROWS])
    res = run(table, conventions={"blank": "zero"})
    check(res, {"t3.received.business": Z, "t3.carried_in.other": Z})
    res = run(table)
    assert "t3.received.business" not in got(res)


# ---- 其他 as an applicant heading, 其他情形, a corrected 其他 column -------------------------------------------------


def test_other_applicants_heading():
    res = run("其他的申请中，本年新收申请76件，予以公开35件，其他处理中的其他情形2件。")
    check(
        res,
        {"t3.received.other": 76, "t3.disclosed.other": 35, "t3.other_handling_3.other": 2},
        absent=("t3.received.total", "t3.disclosed.total"),
    )


def test_corrected_other_column_of_a_named_row():
    res = run("更正一下：本机关不掌握相关政府信息其他应为20件。")
    check(res, {"t3.unavailable_1.other": 20}, absent=("t3.unavailable_1.total",))


# ---- the lexicon is generated from the format definitions ------------------------------------------------------


@pytest.mark.parametrize("fmt_id", ["2019", "2021"])
def test_every_official_row_label_is_a_term(fmt_id):
    from assistant.extract.vocabulary import _label_forms, terms
    from assistant.formats import get_format

    table = terms()
    for spec in get_format(fmt_id).input_cells():
        forms = _label_forms(spec.row_label)
        if spec.row_id in ("other_handling", "other_handling_3"):
            continue  # 其他处理 / 3.其他 are read by context
        assert any(f in table for f in forms), (spec.key, spec.row_label)


# ---- ambiguity is asked about, never guessed -----------------------------------------------------------------------


def test_numeral_with_two_readings_becomes_a_question_and_nothing_is_recorded():
    res = run("收到申请12万34件，其余为0")
    assert not res.updates  # neither reading, and no 0 for the parts of that total
    [amb] = res.ambiguities
    assert amb.readings == [{"t3.received.total": Decimal(120034)}, {"t3.received.total": Decimal(123400)}]
    assert "120034" in amb.question and "123400" in amb.question
    assert "t3.received.natural_person" in res.unread_cells


# ---- 除…外 --------------------------------------------------------------------------------------------------------


def test_except_keeps_what_it_names_out_of_the_rest_zero():
    res = run("本年新收申请10件，除自然人外，其他申请人都没有")
    check(res, {"t3.received.business": Z, "t3.received.other": Z}, absent=("t3.received.natural_person",))


def test_except_with_a_number_never_gives_the_total_to_the_rest():
    res = run("本年新收申请10件，除自然人8件外，其余都是商业企业")
    check(res, {"t3.received.natural_person": 8}, absent=("t3.received.business",))


def test_apart_from_this_still_closes_the_rest():
    res = run("予以公开5件，除此之外办理结果都是0")
    check(res, {"t3.partly_disclosed.natural_person": Z, "t3.withheld_1.other": Z})


def test_qizhong_after_one_applicant_types_intake_scopes_that_type():
    res = run("自然人申请12件，其中予以公开10件，不予公开中国家秘密2件")
    check(
        res,
        {"t3.received.natural_person": 12, "t3.disclosed.natural_person": 10, "t3.withheld_1.natural_person": 2},
        absent=("t3.disclosed.total",),
    )
