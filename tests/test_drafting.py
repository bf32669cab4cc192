"""Offline drafting of sections 一/五/六 (issue 3 §3): content rules, variants, instructions, number guard."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.drafting import (
    SectionDraft,
    check_prose_numbers,
    draft_all,
    draft_section,
    draft_section_result,
    missing_narrative_facts,
    missing_supervision_elements,
    numbers_in_prose,
    repeated_sentences,
    text_length,
)
from assistant.errors import AssistantError
from assistant.facts import AgencyLevel, CellFact, CellStatus, LastYear, Report
from assistant.interchange import load_report
from assistant.prompts import PROMPTS_DIR, prompt_variants

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.json"))

SECTIONS = ("s1", "s5", "s6")
SUBHEADINGS = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）政府信息公开平台建设",
    "（五）监督保障",
)


def make_report(agency, level, year, values=None, zero_tables=(), facts=None, last=None) -> Report:
    """A report whose listed cells hold values and whose ``zero_tables`` are otherwise confirmed 0."""
    r = Report(agency=agency, level=level, report_year=year)
    cells: dict[str, CellFact] = {}
    for spec in r.fmt.input_cells():
        if spec.table in zero_tables:
            cells[spec.key] = CellFact(status=CellStatus.CONFIRMED_ZERO)
    for key, v in (values or {}).items():
        cells[key] = CellFact(status=CellStatus.VALUE, value=Decimal(str(v)))
    return r.model_copy(update={"cells": cells, "narrative_facts": dict(facts or {}), "last_year": last})


BUREAU_CELLS = {
    "t3.received.natural_person": 80,
    "t3.received.business": 10,
    "t3.received.legal_service": 5,
    "t3.carried_in.natural_person": 3,
    "t3.disclosed.natural_person": 45,
    "t3.disclosed.business": 5,
    "t3.partly_disclosed.natural_person": 10,
    "t3.withheld_4.business": 3,
    "t3.unavailable_1.natural_person": 18,
    "t3.unavailable_1.legal_service": 2,
    "t3.not_processed_2.natural_person": 5,
    "t3.other_handling_1.natural_person": 2,
    "t3.carried_out.natural_person": 3,
    "t3.carried_out.business": 2,
    "t3.carried_out.legal_service": 3,
    "t4.review.upheld": 2,
    "t4.review.corrected": 1,
    "t4.suit_direct.upheld": 1,
    "t2.normative.issued": 2,
    "t2.normative.repealed": 1,
    "t2.normative.in_force": 15,
    "t2.licensing.decisions": 120,
    "t2.penalty.decisions": 35,
    "t2.enforcement.decisions": 4,
    "t2.admin_fee.fee_amount": "12.5",
}
BUREAU_FACTS = {
    "proactive": "全年在区政府门户网站发布信息356条，其中政策文件42件；开展政策解读12次，发布图解6期。"
    "重点公开了财政预决算、安全生产、行政执法等领域信息。",
    "applications": "所有申请均在法定期限内答复。申请内容主要集中在征地拆迁和房屋登记方面。",
    "info_management": "1.严格落实公文公开属性源头认定，拟文时同步明确公开属性；2.坚持先审查后公开，全年未发生泄密事件；"
    "3.对现行有效的15件行政规范性文件进行了清理。",
    "platform": "我们局在区政府网站开设了政府信息公开专栏，运营微信公众号1个，今年发布信息210条，另外在办事大厅设置了公开栏。",
    "supervision": "成立了由局长任组长的政务公开领导小组，组织业务培训2次。将政务公开纳入年度绩效考核，没有发生责任追究情况。",
    "problems": "一是主动公开的深度和广度还不够；二是政策解读形式比较单一；三是工作人员业务能力有待提高",
    "measures": "上年度提出的专栏更新不及时问题已整改，建立了每周更新制度。下一步要拓展公开内容，丰富解读形式，加强业务培训。",
    "fee": "今年没有收取信息处理费",
    "other_matters": "认真落实上级政务公开工作要点，办理人大代表建议5件、政协委员提案3件，办理结果均已公开。",
}
LAST_S5 = (
    "一是部分专栏更新不及时，信息发布存在滞后现象；二是政策解读数量偏少。"
    "下一步，我局将加强专栏维护，增加解读数量，进一步提升政府信息公开工作水平。"
)


@pytest.fixture
def township() -> Report:
    """A 2021-format township report for 2023: no applications, no cases, no narrative facts yet."""
    return make_report("青山镇人民政府", AgencyLevel.TOWNSHIP, 2023, {}, ("table3", "table4"))


@pytest.fixture
def bureau() -> Report:
    """A county bureau with a realistic mix of applications, cases and all narrative facts."""
    last = LastYear(report_year=2022, sections={"s5": LAST_S5})
    return make_report(
        "某某区自然资源局",
        AgencyLevel.COUNTY_DEPT,
        2023,
        BUREAU_CELLS,
        ("table2", "table3", "table4"),
        BUREAU_FACTS,
        last,
    )


@pytest.fixture
def report_2020() -> Report:
    """A 2020 township report: the 2019 (试行) format applies."""
    cells = {
        "t2.normative.made": 0,
        "t2.normative.public_total": 6,
        "t2.licensing.prev_items": 12,
        "t2.licensing.change": -2,
        "t2.licensing.decisions": 40,
        "t2.procurement.proc_items": 3,
        "t2.procurement.proc_amount": "45.8",
        "t3.received.natural_person": 4,
        "t3.disclosed.natural_person": 3,
        "t3.other_handling.natural_person": 1,
    }
    facts = {
        "proactive": "通过镇政府网站、政务公开栏公开惠民惠农政策、财政资金等信息。",
        "applications": "4件申请全部按时答复",
    }
    return make_report("马屿镇人民政府", AgencyLevel.TOWNSHIP, 2020, cells, ("table2", "table3", "table4"), facts)


def all_drafts(report: Report, variants=(0, 1, 2)) -> list[tuple[str, int, str]]:
    return [(sid, v, draft_section(report, sid, variant=v)) for sid in SECTIONS for v in variants]


# ---- every number in every draft is backed ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["township", "bureau", "report_2020"])
def test_every_number_in_every_draft_passes_the_guard(name, request):
    report = request.getfixturevalue(name)
    for sid, v, text in all_drafts(report):
        assert check_prose_numbers(report, text) == [], (sid, v, text)
        # the drafter checks itself too: a guard problem would show up as a note
        assert not any("请核对" in n for n in draft_section_result(report, sid, variant=v).notes)


@pytest.mark.skipif(not SAMPLES, reason="no sample drafts in samples/")
def test_sample_drafts_pass_the_guard():
    for path in SAMPLES:
        report = load_report(path)
        for sid, v, text in all_drafts(report):
            assert check_prose_numbers(report, text) == [], (path.name, sid, v)
            assert text.strip(), (path.name, sid, v)


# ---- 一、总体情况 --------------------------------------------------------------------------------------


def test_s1_preamble_2021_and_five_subparts_in_order(township):
    text = draft_section(township, "s1")
    assert text.startswith("本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）")
    assert "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）" in text
    assert "2023年1月1日至12月31日" in text
    assert not text.startswith("一、")  # body only, no section heading
    positions = [text.index("\n" + h + "\n") for h in SUBHEADINGS]
    assert positions == sorted(positions)


def test_s1_township_without_applications_says_so_and_marks_missing_facts(township):
    text = draft_section(township, "s1")
    assert "未收到政府信息公开申请" in text
    assert "未发生因政府信息公开工作被申请行政复议、提起行政诉讼" in text
    for label in ("主动公开情况", "政府信息管理", "平台建设", "监督保障"):
        assert f"【待补充：{label}" in text
    assert "法定期限" not in text  # no claim about time limits without the clerk
    # no invented numbers: the only digits are the year and the statistical period / format citation
    digits = {n.text for n in numbers_in_prose(text)}
    assert digits <= {"2023", "1月1日", "12月31日", "〔2021〕30号"}, digits
    for line in text.splitlines():
        if "【待补充" in line:
            assert not re.search(r"\d", line.replace("2023年", "")), line


def test_s1_applications_from_table3_and_table4(bureau):
    text = draft_section(bureau, "s1")
    sub = text.split("（二）依申请公开\n")[1].split("（三）")[0]
    for phrase in (
        "新收政府信息公开申请95件",
        "上年结转3件",
        "共计98件",  # 新收 + 结转, computed by the template
        "自然人申请80件，法人或其他组织申请15件",
        "予以公开50件、部分公开10件、不予公开3件、无法提供20件、不予处理5件、其他处理2件",
        "共办结90件",
        "结转下年度继续办理8件",
        "所有申请均在法定期限内予以答复",
        "申请内容主要集中在征地拆迁和房屋登记方面",
        "被申请行政复议3件（其中结果维持2件、结果纠正1件）",
        "被提起行政诉讼1件",
    ):
        assert phrase in sub, phrase


def test_s1_zero_result_categories_are_omitted():
    report = make_report(
        "青山镇人民政府",
        AgencyLevel.TOWNSHIP,
        2023,
        {"t3.received.natural_person": 2, "t3.disclosed.natural_person": 1, "t3.unavailable_1.natural_person": 1},
        ("table3", "table4"),
    )
    text = draft_section(report, "s1")
    assert "予以公开1件、无法提供1件，共办结2件" in text
    assert "部分公开" not in text and "不予公开" not in text and "其他处理" not in text
    assert "无上年结转申请" in text
    # the clerk has not said the answers were on time: a placeholder, not a claim
    assert "法定期限内予以答复" not in text
    assert "【待补充：依申请公开办理情况" in text
    assert check_prose_numbers(report, text) == []


def test_s1_proactive_uses_table2_and_keeps_decimals(bureau):
    text = draft_section(bureau, "s1")
    sub = text.split("（一）主动公开\n")[1].split("（二）")[0]
    assert "制发行政规范性文件2件" in sub and "现行有效行政规范性文件15件" in sub
    assert "作出行政许可决定120件" in sub and "收取行政事业性收费12.5万元" in sub
    # the clerk's facts in the official register
    assert (
        "一是全年通过区政府门户网站主动公开政府信息356条，其中政策文件42件，重点公开财政预决算、安全生产、"
        "行政执法等信息；二是开展政策解读12次" in sub
    ), sub


def test_s1_clerk_words_are_put_in_the_register(bureau):
    text = draft_section(bureau, "s1")
    assert "我们" not in text and "今年" not in text
    assert "2023年发布信息210条" in text  # 今年 → the report year
    assert "我局不断加强政府信息公开平台建设：在区政府网站开设了" in text  # no "我局…：我局…"


def test_s1_for_unknown_table3_has_placeholder_and_no_numbers():
    report = make_report("青山镇人民政府", AgencyLevel.TOWNSHIP, 2023)
    result = draft_section_result(report, "s1")
    sub = result.text.split("（二）依申请公开\n")[1].split("（三）")[0]
    assert "【待补充：表三" in sub
    assert not re.search(r"\d", sub)
    assert any("表三" in n for n in result.notes)


def test_government_supervision_must_cover_accountability():
    facts = {"supervision": "指定1名党政办干部负责政府信息公开工作，将信息公开纳入年度考核。"}
    report = make_report("青山镇人民政府", AgencyLevel.TOWNSHIP, 2023, {}, ("table3", "table4"), facts)
    assert missing_supervision_elements(report) == ["社会评议", "责任追究"]
    text = draft_section(report, "s1")
    assert "【待补充：社会评议、责任追究结果情况" in text
    assert "指定1名党政办干部负责政府信息公开工作" in text
    # a county bureau is not a 人民政府: no such requirement
    dept = report.model_copy(update={"agency": "某某区自然资源局", "level": AgencyLevel.COUNTY_DEPT})
    assert missing_supervision_elements(dept) == []
    assert "社会评议、责任追究" not in draft_section(dept, "s1")


def test_clerk_item_contradicting_the_table_is_left_out_with_a_note(bureau):
    facts = dict(bureau.narrative_facts, proactive="全年收到政府信息公开申请17件。在网站发布信息356条。")
    report = bureau.model_copy(update={"narrative_facts": facts})
    result = draft_section_result(report, "s1")
    assert "17件" not in result.text and "全年通过网站主动公开政府信息356条" in result.text
    assert any("17" in n for n in result.notes)
    assert check_prose_numbers(report, result.text) == []


def test_unbalanced_table3_is_drafted_as_is_with_a_note(bureau):
    cells = dict(bureau.cells)
    cells["t3.carried_out.natural_person"] = CellFact(status=CellStatus.VALUE, value=Decimal(9))
    report = bureau.model_copy(update={"cells": cells})
    result = draft_section_result(report, "s1")
    assert "结转下年度继续办理14件" in result.text
    assert any("勾稽关系不平衡" in n for n in result.notes)


# ---- 2019 format -----------------------------------------------------------------------------------------


def test_2019_format_report(report_2020):
    s1 = draft_section(report_2020, "s1")
    assert "《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）" in s1
    assert "2020年1月1日至12月31日" in s1
    assert "〔2021〕" not in s1
    assert "对外公开规范性文件总数6件" in s1 and "采购总金额45.8万元" in s1
    assert "予以公开3件、其他处理1件" in s1
    assert "所有申请均在法定期限内予以答复" in s1
    # the fee paragraph is not required in the 2019 format
    s6 = draft_section(report_2020, "s6")
    assert s6 == "无其他需要报告的事项。"
    assert "fee" not in [f.key for f in missing_narrative_facts(report_2020)]
    # but it may be stated
    stated = report_2020.model_copy(update={"narrative_facts": {**report_2020.narrative_facts, "fee": "没有收费"}})
    assert draft_section(stated, "s6").startswith("本年度未收取信息处理费。")


# ---- 五 / 六 -----------------------------------------------------------------------------------------------


def test_s5_from_problems_measures_and_last_year(bureau):
    text = draft_section(bureau, "s5")
    assert "一是主动公开的深度和广度还不够；二是政策解读形式比较单一；三是工作人员业务能力有待提高。" in text
    assert "“部分专栏更新不及时”“政策解读数量偏少”等问题" in text  # names last year's problems
    assert "建立了每周更新制度" in text  # how they were addressed (clerk's words)
    assert "一是拓展公开内容；二是丰富解读形式；三是加强业务培训。" in text
    assert "下一步要" not in text
    assert repeated_sentences(text, LAST_S5) < 0.5  # does not copy last year's sentences


def test_s5_missing_facts_get_placeholders_without_numbers(township):
    last = LastYear(report_year=2022, sections={"s5": LAST_S5})
    report = township.model_copy(update={"last_year": last})
    text = draft_section(report, "s5")
    assert "【待补充：存在的主要问题】" in text
    assert "【待补充：下一步改进措施】" in text
    assert "【待补充：上年度报告所列问题的整改情况】" in text
    assert not re.search(r"\d", text.replace("2023年", ""))


def test_s6_fee_rules(township, bureau):
    assert draft_section(bureau, "s6").startswith("本年度未收取信息处理费。")
    text = draft_section(township, "s6")
    assert "【待补充：信息处理费收取情况】" in text and text.endswith("无其他需要报告的事项。")
    paid = township.model_copy(update={"narrative_facts": {"fee": "按件收取信息处理费2笔，共计400元。"}})
    text = draft_section(paid, "s6")
    assert "信息处理费管理办法" in text and "400元" in text
    assert check_prose_numbers(paid, text) == []


def test_s6_mentions_fee_notices_from_table3(township):
    cells = dict(township.cells)
    cells["t3.received.natural_person"] = CellFact(status=CellStatus.VALUE, value=Decimal(2))
    cells["t3.other_handling_2.natural_person"] = CellFact(status=CellStatus.VALUE, value=Decimal(2))
    report = township.model_copy(update={"cells": cells})
    result = draft_section_result(report, "s6")
    assert "逾期未按收费通知要求缴纳费用" in result.text and "2件" in result.text
    assert any("收费通知" in n for n in result.notes)  # fee fact missing
    assert check_prose_numbers(report, result.text) == []


def test_s6_other_matters(bureau):
    text = draft_section(bureau, "s6")
    assert "办理人大代表建议5件、政协委员提案3件" in text
    assert "无其他需要报告的事项" not in text


# ---- variants ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["township", "bureau", "report_2020"])
def test_variants_differ(name, request):
    report = request.getfixturevalue(name)
    for sid in SECTIONS:
        texts = {draft_section(report, sid, variant=v) for v in range(3)}
        if sid == "s6" and name == "report_2020":
            assert len(texts) == 1  # "无其他需要报告的事项。" has one wording
            continue
        assert len(texts) == 3, sid


def test_at_least_three_templates_per_part():
    for prefix in (
        "s1_preamble_v",
        "s1_proactive_v",
        "s1_applications_v",
        "s1_info_management_v",
        "s1_platform_v",
        "s1_supervision_v",
        "s5_v",
        "s6_v",
    ):
        assert len(prompt_variants(f"sections/{prefix}")) >= 3, prefix
    assert (PROMPTS_DIR / "sections" / "t2_clauses.txt").exists()


def test_draft_all(bureau):
    drafts = draft_all(bureau, variant=1)
    assert set(drafts) == {"s1", "s5", "s6"}
    assert drafts["s5"] == draft_section(bureau, "s5", variant=1)


def test_unknown_section_is_a_chinese_error(bureau):
    with pytest.raises(AssistantError, match="叙述性章节"):
        draft_section(bureau, "s3")


# ---- instructions ----------------------------------------------------------------------------------------

LONG_FACTS = {
    "problems": "一是部分村（社区）政务公开栏内容更新不够及时，个别公开栏存在信息陈旧、内容不全的问题；"
    "二是政策解读形式比较单一，图解、视频等群众喜闻乐见的解读形式运用较少，解读的针对性有待加强；"
    "三是基层工作人员业务能力参差不齐，对公开属性认定和保密审查的把握还不够准确；"
    "四是依申请公开答复文书的规范性还需进一步提高。",
    "measures": "针对上年度提出的网站栏目更新不及时的问题，已明确专人负责每周更新，问题已整改到位。"
    "下一步要加强公开栏日常管理，建立定期巡查和更新台账；丰富政策解读形式，推出更多图解和短视频解读；"
    "定期组织业务培训，提高工作人员的业务能力；规范依申请公开答复文书，统一文书格式。",
    "fee": "本年度未收取信息处理费",
    "other_matters": "认真落实上级政务公开工作要点，各项任务均按期完成；人大代表建议和政协委员提案办理结果均已按要求公开；"
    "创新开展政务公开进村入户活动，在各村设立政务公开联系点，方便群众就近查询政府信息。",
}


@pytest.mark.parametrize("instruction", ["压缩到300字", "不超过300字", "请控制在三百字以内"])
def test_length_limit_for_s5_and_s6(township, instruction):
    report = township.model_copy(update={"narrative_facts": LONG_FACTS})
    for sid in ("s5", "s6"):
        full = draft_section(report, sid)
        result = draft_section_result(report, sid, instruction=instruction)
        assert text_length(full) > 300 or sid == "s6"
        assert result.length <= 300 and result.limit == 300 and result.limit_reached is True
        assert text_length(result.text) <= 300
        for line in result.text.splitlines():  # whole sentences only
            assert line.endswith(("。", "】")), line
        assert check_prose_numbers(report, result.text) == []


def test_length_limit_for_s1_shortens_down_to_a_floor(bureau):
    full = draft_section_result(bureau, "s1")
    short = draft_section_result(bureau, "s1", instruction="压缩到300字")
    assert short.length < full.length
    # the floor: legal basis, statistical period, five sub-headings, table numbers, one item per sub-part
    assert short.limit_reached is False and any("无法压缩到300字以内" in n for n in short.notes)
    assert "统计期限为2023年1月1日至12月31日" in short.text
    assert all(h in short.text for h in SUBHEADINGS)
    assert "新收政府信息公开申请95件" in short.text
    for line in short.text.splitlines():
        assert line.endswith(("。", "】")) or line in SUBHEADINGS, line
    assert check_prose_numbers(bureau, short.text) == []


def test_supplement_from_a_matching_fact(bureau):
    result = draft_section_result(bureau, "s1", instruction="补充人大代表建议办理情况")
    assert "办理人大代表建议5件" in result.text
    assert "办理人大代表建议5件" not in draft_section(bureau, "s1")
    assert any("已根据承办人提供的材料补充" in n for n in result.notes)
    assert check_prose_numbers(bureau, result.text) == []


def test_supplement_without_matching_fact_leaves_text_unchanged(bureau):
    plain = draft_section(bureau, "s1")
    result = draft_section_result(bureau, "s1", instruction="补充疫情防控信息公开情况")
    assert result.text == plain
    assert any("没有找到关于“疫情防控信息公开”的材料" in n for n in result.notes)
    already = draft_section_result(bureau, "s1", instruction="补充政策解读情况")
    assert already.text == plain and any("已包含" in n for n in already.notes)


def test_unsupported_instruction_is_reported(bureau):
    result = draft_section_result(bureau, "s5", instruction="写得更正式一些")
    assert result.text == draft_section(bureau, "s5")
    assert any("离线模式暂不能执行" in n for n in result.notes)
    assert isinstance(result, SectionDraft)


# ---- missing narrative facts ----------------------------------------------------------------------------


def test_missing_narrative_facts_depend_on_level_format_and_tables(township, bureau, report_2020):
    assert [f.key for f in missing_narrative_facts(bureau)] == []
    keys = [f.key for f in missing_narrative_facts(township)]
    assert keys == ["proactive", "info_management", "platform", "supervision", "problems", "measures", "fee"]
    assert "applications" not in keys  # no applications: nothing to say about time limits
    # a township that has described supervision but not 评议/追究 still owes it
    partly = township.model_copy(update={"narrative_facts": {"supervision": "将政务公开纳入年度考核"}})
    assert "supervision" in [f.key for f in missing_narrative_facts(partly)]
    unknown_t3 = make_report("青山镇人民政府", AgencyLevel.TOWNSHIP, 2023)
    assert "applications" in [f.key for f in missing_narrative_facts(unknown_t3)]
    assert "fee" not in [f.key for f in missing_narrative_facts(report_2020)]


# ---- the number guard on planted errors ----------------------------------------------------------------


def test_planted_wrong_number_is_caught(bureau):
    problems = check_prose_numbers(bureau, "全年共收到申请17件，均已按时办结。")
    assert len(problems) == 1 and "17" in problems[0] and "95" in problems[0]
    assert check_prose_numbers(bureau, "全年共收到政府信息公开申请95件。") == []
    assert check_prose_numbers(bureau, "全年共收到政府信息公开申请九十五件。") == []
    assert check_prose_numbers(bureau, "全年共收到政府信息公开申请９５件。") == []
    assert check_prose_numbers(bureau, "全年共收到政府信息公开申请十七件。") != []
    # a number bound to a cell by its wording must match that cell, not just any cell
    assert check_prose_numbers(bureau, "上年结转8件。") != []  # 8 is 结转下年度, not 上年结转 (3)
    assert check_prose_numbers(bureau, "结转下年度继续办理8件。") == []
    assert check_prose_numbers(bureau, "被提起行政诉讼2件。") != []
    # unbound numbers must exist somewhere: ledger, sums, or the clerk's words
    assert check_prose_numbers(bureau, "开展政策解读12次。") == []  # the clerk said 12
    assert check_prose_numbers(bureau, "组织培训17次。") != []
    assert check_prose_numbers(bureau, "收取行政事业性收费12.5万元。") == []
    assert check_prose_numbers(bureau, "按时答复率100%。") != []


def test_guard_binds_totals_unless_the_clause_names_a_detail(bureau):
    ok = (
        "全年共收到政府信息公开申请95件，其中自然人申请80件。收到商业企业申请10件。"
        "不予公开3件，其中保护第三方合法权益3件。被提起行政诉讼1件（未经复议直接起诉1件）。"
    )
    assert check_prose_numbers(bureau, ok) == []
    # 0 is the value of many detail cells, but not of the totals these phrases state
    assert check_prose_numbers(bureau, "全年共收到政府信息公开申请0件。") != []
    assert check_prose_numbers(bureau, "被申请行政复议0件。") != []
    assert check_prose_numbers(bureau, "其中结果维持2件。") == []


def test_guard_allows_fixed_references_only(bureau):
    ok = (
        "本报告依据《条例》第五十条和《格式》（国办公开办函〔2021〕30号）编制，统计期限为2023年1月1日至12月31日。"
        "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），在20个工作日内答复。2024年将继续努力。"
    )
    assert check_prose_numbers(bureau, ok) == []
    assert check_prose_numbers(bureau, "2019年以来，我局持续推进公开。") != []
    assert check_prose_numbers(bureau, "3月15日召开专题会议。") != []
    assert check_prose_numbers(bureau, "依据国办发〔2022〕5号文件。") != []


# ---- repetition -----------------------------------------------------------------------------------------


def test_repeated_sentences():
    last = "一是部分专栏更新不及时。二是政策解读数量偏少。三是业务培训开展不够。2022年，我局将继续加强培训。"
    assert repeated_sentences(last, last) == 1.0
    assert repeated_sentences("一是专题网页建设滞后。二是公开栏内容陈旧。", last) == 0.0
    # the year changed but the sentence is the same boilerplate; traditional characters and spacing normalised
    assert repeated_sentences("2023年，我局将继续加强培训。", last) == 1.0
    assert repeated_sentences("二是政策解讀數量偏少 。三是依申请公开答复文书不够规范。", last) == 0.5
    assert repeated_sentences("", last) == 0.0
    assert repeated_sentences("无。", "无。") == 0.0  # too short to count as copied wording
