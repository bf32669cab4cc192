"""Starting by chatting (assistant.service.intake): the identity read from first-screen messages, with the real
offline engine; messages are kept in order, nothing else is recorded before a draft exists."""

from __future__ import annotations

import pytest

from assistant.engine import ConversationEngine
from assistant.facts import AgencyLevel
from assistant.service.intake import Intake, question, read_message


@pytest.fixture(scope="module")
def engine():
    return ConversationEngine()


def test_the_issue_message_names_agency_and_year(engine):
    text = "要起草2023年度…，单位全称是平阳县萧江镇人民政府"
    got = read_message(Intake(), text, engine)
    assert (got.agency, got.level, got.report_year) == ("平阳县萧江镇人民政府", AgencyLevel.TOWNSHIP, 2023)
    assert got.ready and got.messages == [text]


def test_missing_year_is_asked_and_a_bare_answer_is_read_as_the_year(engine):
    got = read_message(Intake(), "我是平阳县市场监督管理局的，今年收到申请15件", engine)
    assert got.missing == ("report_year",)
    assert "哪一年度" in question(got) and "平阳县市场监督管理局" in question(got)
    got = read_message(got, "2024", engine)
    assert got.ready and got.report_year == 2024 and got.level == AgencyLevel.COUNTY_DEPT
    assert got.messages == ["我是平阳县市场监督管理局的，今年收到申请15件", "2024"]


def test_missing_agency_is_asked_and_a_bare_name_is_read_as_the_agency(engine):
    got = read_message(Intake(), "写2023年度的年报", engine)
    assert got.missing == ("agency",) and "单位全称" in question(got)
    got = read_message(got, "萧江镇人民政府", engine)
    assert got.ready and got.agency == "萧江镇人民政府"


def test_a_greeting_is_kept_and_both_are_asked(engine):
    got = read_message(Intake(), "你好", engine)
    assert got.missing == ("agency", "report_year") and got.messages == ["你好"]
    assert "单位全称" in question(got) and "报告年度" in question(got)


def test_a_year_without_an_official_format_is_refused_with_the_reason(engine):
    got = read_message(Intake(), "我是萧江镇的，写2015年度的年报", engine)
    assert got.report_year is None and got.agency == "萧江镇"
    assert "2015年度" in question(got) and "哪一年度" in question(got)
    assert read_message(got, "2023", engine).notes == []
