"""Fault suite, forwarded or quoted documents: someone else's figures are asked about, never recorded."""

from __future__ import annotations

import pytest

from assistant.engine import ConversationEngine
from assistant.extract.forwarded import find_forwarded
from assistant.extract.rules import extract
from assistant.facts import AgencyLevel, CellStatus, Report

ENGINE = ConversationEngine()
QUESTION = "是否是本单位的数字"


def _after_15():
    state = ENGINE.start(Report(agency="平阳县某局", level=AgencyLevel.COUNTY_DEPT, report_year=2023)).state
    res = ENGINE.turn(state, "今年共收到政府信息公开申请15件")
    assert res.state.report.cell("t3.received.total").value == 15
    return res.state


def test_the_issue_case_keeps_15_and_asks_about_3200():
    state = _after_15()
    res = ENGINE.turn(state, "【转发】关于年报填报的通知…附：全市共收到申请3200件")
    assert res.state.report.cell("t3.received.total").value == 15
    assert "3200" not in res.reply.split("提示")[0]  # no echo of 3200 as recorded/corrected
    assert "已更正" not in res.reply and "已记录" not in res.reply
    assert "“全市共收到申请3200件”" in res.reply and QUESTION in res.reply


@pytest.mark.parametrize(
    "message",
    [
        "转发：市政务公开办通知，全市共收到申请3200件，请各单位核对。",
        "这段转发的材料里有“全市共收到申请3200件”",
        "附件1：各单位统计表汇总，收到申请3200件",
        "全省合计收到政府信息公开申请3200件。",
        "其他单位的共收到申请3200件",
        "以下是上级的通知：今年共收到申请3200件，予以公开3000件",
    ],
)
def test_forwarded_figures_are_not_recorded(message):
    res = extract(message, Report(agency="平阳县某局", report_year=2023))
    assert not [u for u in res.updates if u.value == 3200 or u.value == 3000]
    assert any(QUESTION in w for w in res.warnings)
    assert res.ambiguities and res.ambiguities[0].question
    # the reading is kept for the dialogue to offer, not applied
    assert any(3200 in r.values() for r in res.ambiguities[0].readings) or "全省" in message


def test_own_figures_next_to_forwarded_material_are_recorded():
    res = extract(
        "我们今年自然人申请12件，商业企业3件。\n【转发】关于年报填报的通知：全市共收到申请3200件\n我们结转下年度0件",
        Report(agency="平阳县某局", report_year=2023),
    )
    values = {u.cell: u.value for u in res.updates if u.value is not None}
    assert values.get("t3.received.natural_person") == 12 and values.get("t3.received.business") == 3
    assert 3200 not in values.values()
    assert any(QUESTION in w for w in res.warnings)


@pytest.mark.parametrize(
    "message",
    ["今年共收到申请15件，其中自然人12件", "全年共收到申请15件", "我局各部门共收到申请5件", "“放管服”改革信息12条"],
)
def test_ordinary_messages_are_not_taken_for_forwarded(message):
    assert find_forwarded(message, "平阳县某局") == []


def test_a_township_governments_own_whole_town_figures_are_its_own():
    assert find_forwarded("全镇共收到申请3件", "某某镇人民政府") == []
    assert find_forwarded("全县共收到申请300件", "某某镇人民政府") != []


def test_nothing_recorded_from_forwarded_text_even_as_zero():
    res = extract("【转发】通知：全市行政复议0件，行政诉讼0件", Report(agency="平阳县某局", report_year=2023))
    assert not [u for u in res.updates if u.status == CellStatus.CONFIRMED_ZERO]
