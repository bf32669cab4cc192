"""Identity from chat (issue 10, item 5): full names kept, no verb in a name, short forms asked about once, a year
stated in chat that differs from the draft's year is asked about — with the real offline engine."""

from __future__ import annotations

import pytest
from dialogue_support import talk

from assistant.engine import ConversationEngine
from assistant.extract.meta import find_agency, find_full_name, official_name
from assistant.facts import AgencyLevel, Report


def test_a_verb_is_never_taken_into_the_name():
    state, _ = talk(["起草温州市人民政府2024年政府信息公开工作年度报告"])
    assert state.report.agency == "温州市人民政府"
    assert state.report.report_year == 2024


@pytest.mark.parametrize("text,name", [
    ("帮我写萧江镇的年报", "萧江镇"),
    ("写一下平阳县市场监督管理局的年报", "平阳县市场监督管理局"),
    ("我要编制瑞安市人民政府的年度报告", "瑞安市人民政府"),
])
def test_leading_verbs_are_skipped(text, name):
    found = find_agency(text)
    assert found and found[0] == name


def test_the_full_name_the_clerk_gives_is_kept_verbatim():
    state, results = talk(["单位全称是温州市瓯海区娄桥街道办事处"], Report(agency="娄桥街道", report_year=2024))
    assert state.report.agency == "温州市瓯海区娄桥街道办事处"
    assert not any(q.template == "meta_agency_confirm" for q in results[0].questions)
    assert find_full_name("单位名称为“苍南县灵溪镇人民政府”。") == "苍南县灵溪镇人民政府"


def test_a_place_or_office_only_is_asked_about_once_as_the_official_name():
    state, results = talk(["我是七里坪镇党政办的小王"])
    assert state.report.agency == "七里坪镇"
    confirm = [q for q in results[0].questions if q.template == "meta_agency_confirm"]
    assert confirm and "七里坪镇人民政府" in confirm[0].text
    assert [q.template for q in results[0].questions if q.kind != "meta"] == []  # asked alone
    state, results = talk(["我是七里坪镇党政办的小王", "是的"])
    assert state.report.agency == "七里坪镇人民政府"
    assert not any(c.after.known for c in results[1].changes)  # "是的" confirmed nothing else


def test_declining_the_official_name_keeps_the_given_one_and_does_not_ask_again():
    state, results = talk(["我是七里坪镇党政办的小王", "不是", "2024年度"])
    assert state.report.agency == "七里坪镇"
    assert not any(q.template == "meta_agency_confirm" for r in results[1:] for q in r.questions)


@pytest.mark.parametrize("short,full", [("七里坪镇", "七里坪镇人民政府"), ("五马街道", "五马街道办事处"),
                                        ("瑞安市政府", "瑞安市人民政府"), ("平阳县市场监督管理局", None),
                                        ("萧江镇人民政府", None)])
def test_official_names_of_short_forms(short, full):
    assert official_name(short) == full


def test_a_year_in_chat_that_differs_from_the_drafts_year_is_asked_never_ignored():
    draft = Report(agency="七里坪镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2025)  # the form's default
    state, results = talk(["要起草2023年度的年报"], draft)
    q = results[0].questions[0]
    assert q.template == "meta_year_confirm" and "2023年度" in q.text and "改为2023年度" in q.text
    assert state.report.report_year == 2025  # not changed silently
    assert "没有找到可以记录的数字" not in results[0].reply
    state, _ = talk(["要起草2023年度的年报", "是"], draft)
    assert state.report.report_year == 2023
    state, results = talk(["要起草2023年度的年报", "不用，还是2025年度"], draft)
    assert state.report.report_year == 2025
    assert not any(q.template == "meta_year_confirm" for q in results[1].questions)


def test_a_past_year_in_a_narrative_is_not_asked_about():
    draft = Report(agency="七里坪镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2024)
    _, results = talk(["去年（2023年）我们也没有收到申请"], draft)
    assert not any(q.template == "meta_year_confirm" for q in results[0].questions)


def test_an_answer_about_the_tables_is_never_taken_for_the_agency():
    engine = ConversationEngine(drafter=None)
    state = engine.start(Report()).state
    state = engine.turn(state, "结转下年度继续办理没有").state
    assert state.report.agency == ""
