"""Phrasings real clerks use that the offline extractor once got wrong: sentence → expected cell updates.

Each case gives the message, optionally what earlier messages already recorded, the cells the message must set
(value, or 0 for a confirmed zero) and the cells it must leave alone. Whole conversations are in samples/dialogues/.
"""

from decimal import Decimal

import pytest

from assistant.extract.base import PendingQuestion
from assistant.extract.rules import extract
from assistant.facts import CellFact, CellStatus, Provenance, Report

Z = 0  # a confirmed zero


def _report(fmt: str = "2021", year: int = 2023, known: dict[str, int] | None = None, agency: str = "") -> Report:
    cells = {}
    for key, v in (known or {}).items():
        prov = Provenance(source="message", ref="m1", evidence="earlier")
        cells[key] = (CellFact(status=CellStatus.VALUE, value=Decimal(v), provenance=prov) if v
                      else CellFact(status=CellStatus.CONFIRMED_ZERO, provenance=prov))
    return Report(format_id=fmt, report_year=year, cells=cells, agency=agency)


def _got(res) -> dict[str, Decimal | int]:
    return {u.cell: (u.value if u.status == CellStatus.VALUE else Z) for u in res.updates}


CASES = [
    # --- applicants counted, not applications ("一家律所", "两家公司") ---------------------------------------
    ("一家律所有1件", {}, {"t3.received.legal_service": 1}, ["t3.received.total"]),
    ("申请人里面自然人有25件，企业有4件，一家律所有1件", {},
     {"t3.received.natural_person": 25, "t3.received.business": 4, "t3.received.legal_service": 1},
     ["t3.received.total"]),
    ("一家环保公益组织2件", {}, {"t3.received.public_interest": 2}, []),
    ("两家公司各申请了1件", {}, {}, ["t3.received.business"]),  # the count of applications is not said
    # --- 上年结转 in plain words --------------------------------------------------------------------------
    ("上一年度没有结转过来的申请", {}, {"t3.carried_in.natural_person": Z, "t3.carried_in.other": Z}, []),
    ("上年度转过来的有3件，都是个人", {}, {"t3.carried_in.total": 3, "t3.carried_in.natural_person": 3,
                                   "t3.carried_in.business": Z}, []),
    ("去年没有剩下的", {}, {"t3.carried_in.natural_person": Z}, []),
    ("去年好像没有留下来的", {}, {"t3.carried_in.natural_person": Z}, []),
    ("今年收到过申请，一共是5件，3件是村里人申请的，2件是公司", {},
     {"t3.received.total": 5, "t3.received.natural_person": 3, "t3.received.business": 2}, []),
    ("有3件我们直接把材料给他们了", {}, {"t3.disclosed.total": 3}, []),
    ("还有1件是个人问的内容说不清楚，让他补充说明，他补充了还是说不清楚，就没法提供", {},
     {"t3.unavailable_3.total": 1, "t3.unavailable_3.natural_person": 1}, []),
    ("前面说的给材料的3件里，2件是村民的，1件是公司的", {"t3.disclosed.total": 3},
     {"t3.disclosed.natural_person": 2, "t3.disclosed.business": 1}, ["t3.received.natural_person"]),
    ("年底都办完了", {}, {"t3.carried_out.natural_person": Z}, []),
    ("收到申请共计19件（其中网上申请12件，信函申请7件），申请人均为自然人", {},
     {"t3.received.total": 19, "t3.received.natural_person": 19}, []),
    ("收到4件，自然人3、企业1；结转0", {}, {"t3.carried_in.natural_person": Z}, ["t3.carried_out.natural_person"]),
    ("对这20件申请，予以公开9件", {}, {"t3.disclosed.total": 9}, ["t3.received.total"]),
    # --- outcomes in plain words ----------------------------------------------------------------------------
    ("答复公开的有12件，个人10件、企业2件", {},
     {"t3.disclosed.total": 12, "t3.disclosed.natural_person": 10, "t3.disclosed.business": 2}, []),
    ("需要重新加工制作的1件，个人", {}, {"t3.unavailable_2.total": 1, "t3.unavailable_2.natural_person": 1}, []),
    ("申请内容补正了还是不明确的1件，个人", {}, {"t3.unavailable_3.total": 1}, []),
    ("有2件要的东西不归我们管，都是个人的", {}, {"t3.unavailable_1.total": 2, "t3.unavailable_1.natural_person": 2}, []),
    ("1件是企业要的信息我们镇里没有", {}, {"t3.unavailable_1.total": 1, "t3.unavailable_1.business": 1}, []),
    ("1件是个人重复申请", {}, {"t3.not_processed_2.total": 1, "t3.not_processed_2.natural_person": 1}, []),
    ("还有1件是申请确认以前给过的材料，不予处理", {}, {"t3.not_processed_5.total": 1}, []),
    ("律所申请的那1件属于逾期不补正", {}, {"t3.other_handling_1.legal_service": 1}, ["t3.received.legal_service"]),
    ("还有1件是公司要的材料涉及别人的隐私，没给", {}, {"t3.withheld_4.total": 1, "t3.withheld_4.business": 1}, []),
    ("因为涉及企业商业秘密不公开的1件，群众申请", {},
     {"t3.withheld_4.total": 1, "t3.withheld_4.natural_person": 1}, ["t3.withheld_4.business"]),
    # --- a number whose row is named after it -----------------------------------------------------------------
    ("有1件是信访诉求，属于不予处理，也是个人申请的，还有一件公司的申请我们要求补正，对方一直没有补正",
     {}, {"t3.not_processed_1.natural_person": 1, "t3.other_handling_1.business": 1},
     ["t3.not_processed_1.business"]),
    ("其他处理1件（法律服务机构申请后逾期不补正）", {},
     {"t3.other_handling_1.total": 1, "t3.other_handling_1.legal_service": 1}, ["t3.other_handling_3.total"]),
    ("属于行政查询事项的2件（查询企业登记档案），自然人申请", {},
     {"t3.withheld_8.total": 2, "t3.withheld_8.natural_person": 2}, ["t3.withheld_8.business"]),
    # --- group totals with "其中" and a column for the whole group --------------------------------------------
    ("不予公开3件（均为自然人，其中属于国家秘密1件、危及“三安全一稳定”1件、属于四类过程性信息1件）", {},
     {"t3.withheld_1.natural_person": 1, "t3.withheld_3.natural_person": 1, "t3.withheld_6.natural_person": 1}, []),
    ("无法提供12件（本机关不掌握相关政府信息10件，其中自然人8件、商业企业1件、法律服务机构1件；没有现成信息需要另行制作2件，均为自然人）",
     {}, {"t3.unavailable_1.total": 10, "t3.unavailable_2.total": 2, "t3.unavailable_2.natural_person": 2}, []),
    ("其他处理5件，其中申请人逾期不补正4件（自然人3件、社会公益组织1件）、申请人撤回1件（法律服务机构）", {},
     {"t3.other_handling_1.natural_person": 3, "t3.other_handling_3.legal_service": 1},
     ["t3.other_handling_1.legal_service"]),
    ("不公开的有3件，其中涉及个人隐私的2件都是个人申请，另外1件属于过程性信息，是企业申请的", {},
     {"t3.withheld_4.natural_person": 2, "t3.withheld_6.business": 1}, []),
    ("全年共办结46件，结转下年度3件（均为自然人）", {"t3.received.total": 49},
     {"t3.carried_out.natural_person": 3}, ["t3.result_total.natural_person"]),
    ("予以公开4件，个人3件企业1件，剩下2件是个人的，都是重复申请", {},
     {"t3.disclosed.natural_person": 3, "t3.not_processed_2.total": 2, "t3.not_processed_2.natural_person": 2}, []),
    ("结转下年度应为2件", {"t3.carried_out.total": 3, "t3.carried_out.natural_person": 3, "t3.carried_out.business": 0,
                      "t3.carried_out.research": 0, "t3.carried_out.public_interest": 0,
                      "t3.carried_out.legal_service": 0, "t3.carried_out.other": 0},
     {"t3.carried_out.total": 2, "t3.carried_out.natural_person": 2}, []),
    ("结转的7件是个人5件、企业1件、律所1件", {},
     {"t3.carried_out.natural_person": 5, "t3.carried_out.business": 1, "t3.carried_out.legal_service": 1}, []),
    # --- corrections and old values ---------------------------------------------------------------------------
    ("不是33件是34件，总数是39件", {"t3.received.natural_person": 33, "t3.received.total": 38},
     {"t3.received.natural_person": 34, "t3.received.total": 39}, []),
    ("行政处罚应该是3件，刚才说成0了", {"t2.penalty.decisions": 0}, {"t2.penalty.decisions": 3}, []),
    ("上年结转不是0件，是1件，也是个人的", {"t3.carried_in.total": 0},
     {"t3.carried_in.total": 1, "t3.carried_in.natural_person": 1}, []),
    # --- a second number for a cell already filled in the same message is not silently taken --------------------
    ("今年一共收到8件申请：群众来信申请的3件，网上申请的2件", {}, {"t3.received.total": 8}, []),
    ("同意公开6件，都是群众申请的；所以予以公开一共8件", {}, {"t3.disclosed.total": 8}, []),
    # --- table 四 -------------------------------------------------------------------------------------------------
    ("复议诉讼：行政复议4件，维持3件，其他结果1件（申请人撤回）", {},
     {"t4.review.upheld": 3, "t4.review.other_result": 1}, []),
    ("行政复议被申请2次，1次维持，1次复议机关责令我们重新答复", {},
     {"t4.review.upheld": 1, "t4.review.corrected": 1}, []),
    ("诉讼1件，复议后起诉的，还没判", {},
     {"t4.suit_after_review.total": 1, "t4.suit_after_review.pending": 1, "t4.suit_direct.upheld": Z}, []),
    ("诉讼5件，其中直接起诉3件（维持2件、尚未审结1件），复议后起诉2件（维持1件、纠正1件）", {},
     {"t4.suit_direct.total": 3, "t4.suit_direct.upheld": 2, "t4.suit_after_review.corrected": 1}, []),
    ("维持", {"t4.review.total": 1}, {"t4.review.upheld": 1}, []),
    ("诉讼：行政诉讼案件3起，其中一审判决驳回原告诉讼请求2起，原告撤诉1起，均为未经复议直接起诉的案件", {},
     {"t4.suit_direct.total": 3, "t4.suit_direct.other_result": 3, "t4.suit_after_review.upheld": Z}, []),
    ("行政诉讼2件，维持1件，驳回1件，都是复议后起诉的", {},
     {"t4.suit_after_review.upheld": 1, "t4.suit_after_review.other_result": 1, "t4.suit_direct.upheld": Z}, []),
    # --- table 二 --------------------------------------------------------------------------------------------------
    ("我镇没有规章制定权，规范性文件今年印发了1件，没有废止，现行有效的共6件", {},
     {"t2.rules.issued": Z, "t2.normative.issued": 1, "t2.normative.repealed": Z, "t2.normative.in_force": 6}, []),
    ("规范性文件今年制发两件、没有废止，现行有效十四件", {},
     {"t2.normative.issued": 2, "t2.normative.repealed": Z, "t2.normative.in_force": 14}, []),
    ("规范性文件今年新发了1件，现在有效的12件", {}, {"t2.normative.issued": 1, "t2.normative.in_force": 12}, []),
    ("收费金额合计43.7万元", {}, {"t2.admin_fee.fee_amount": Decimal("43.7")}, []),
    ("废止0", {"t2.normative.issued": 2}, {"t2.normative.repealed": Z}, []),
    ("有效的19件", {"t2.normative.issued": 2, "t2.normative.repealed": 0}, {"t2.normative.in_force": 19}, []),
]


@pytest.mark.parametrize(("message", "known", "expected", "untouched"), CASES, ids=[c[0][:24] for c in CASES])
def test_phrasing(message, known, expected, untouched):
    res = extract(message, _report(known=known))
    got = _got(res)
    for key, want in expected.items():
        assert key in got, (key, got, res.not_understood)
        assert got[key] == want, (key, got[key], want)
    for key in untouched:  # never given a number (a zero that follows from the words is fine)
        assert not got.get(key) or got[key] == known.get(key), (key, got.get(key))


def test_applicant_count_times_each_is_asked_not_guessed():
    res = extract("两家公司各申请了1件", _report())
    assert "t3.received.business" not in _got(res)
    assert res.not_understood


CASES_2019 = [
    ("其他对外管理服务事项上年5项，今年没变化，处理决定410件", {},
     {"t2.other_services.prev_items": 5, "t2.other_services.change": Z, "t2.other_services.decisions": 410}),
    ("行政许可事项上年有10项，今年减少了3项，处理决定132件", {},
     {"t2.licensing.prev_items": 10, "t2.licensing.change": -3, "t2.licensing.decisions": 132}),
    ("2020年收到2件，一件是村民的，一件是一家公司的。都公开了。上年没结转", {},
     {"t3.received.natural_person": 1, "t3.received.business": 1, "t3.disclosed.natural_person": 1,
      "t3.disclosed.business": 1}),
]


@pytest.mark.parametrize(("message", "known", "expected"), CASES_2019, ids=[c[0][:24] for c in CASES_2019])
def test_phrasing_2019_format(message, known, expected):
    got = _got(extract(message, _report("2019", 2020, known)))
    for key, want in expected.items():
        assert got.get(key) == want, (key, got.get(key), want)


def test_narrative_answer_keeps_table_numbers_out_but_takes_a_named_correction():
    """While a narrative question is open, "公开行政许可信息216条" is prose; "行政处罚应该是3件" corrects table 二."""
    report = _report(known={"t2.licensing.decisions": 200, "t2.penalty.decisions": 0})
    q = PendingQuestion(kind="narrative", text="主动公开情况？", narrative_key="proactive")
    res = extract("全年主动公开各类信息312条，其中公开行政许可信息216条。另外表二里行政处罚我核对了一下，应该是3件，"
                  "刚才说成0了。", report, [q])
    got = _got(res)
    assert "t2.licensing.decisions" not in got
    assert got.get("t2.penalty.decisions") == 3
    assert "proactive" in res.narrative


def test_correction_words_about_a_number_do_not_rename_the_agency():
    from assistant.engine import ConversationEngine

    engine = ConversationEngine()
    state = engine.start().state
    state = engine.turn(state, "我是瑞安市司法局办公室的，写2023年度年报").state
    state = engine.turn(state, "全年通过市政府门户网站司法局专栏公开信息312条。行政处罚应该是3件。").state
    assert state.report.agency == "瑞安市司法局"


@pytest.mark.parametrize(
    ("text", "level"),
    [("你好，我是瑞安市司法局办公室的，瑞安是县级市，我们算县级部门。写2023年度年报", "县级部门"),
     ("您好，温州市市场监督管理局办公室，我们在准备2023年度年报", "市级部门")],
)
def test_level_named_by_the_clerk_wins(text, level):
    res = extract(text, Report())
    assert res.meta.level is not None and res.meta.level.value == level
    assert res.meta.agency


@pytest.mark.parametrize(
    "message",
    [
        "去年我们收到了15件申请，今年少了一些。",  # last year's number
        "已办结的申请中，有3件在5个工作日内答复。",  # a part of a row, not the row
        "行政许可事项清单共有135项。",  # the list of matters, not the decisions
        "依申请公开办理时限平均为8个工作日，较上年缩短3天。",
        "根据温政办〔2023〕15号文件要求，清理规范性文件。",
        "全镇共有23个行政村，每个村都设置了公开栏。",
        "申请人中有3位是同一家公司的员工。",
        "公开栏更新12次，发布信息350余条。",
    ],
)
def test_numbers_that_are_no_cell_are_not_recorded(message):
    res = extract(message, _report())
    assert [u for u in res.updates if u.status == CellStatus.VALUE] == []


def test_a_hotline_number_is_not_a_count():
    res = extract("通过12345热线转来的申请有2件", _report(known={"t3.received.total": 11}))
    assert all(u.value != Decimal(12345) for u in res.updates)
