"""Narrative work items on the page: 【待补充】 marks are findings, progress shows them as missing, the preview
highlights them; a locked section whose numbers a table change contradicts raises a finding and a reviewer
notice, is never redrafted, and the reply never claims it was; offline regeneration follows instructions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.commands.chat import read_script
from assistant.drafting import draft_section_result, narrative_findings
from assistant.drafting.findings import RULE_PLACEHOLDER, RULE_STALE_LOCK, placeholders
from assistant.engine import ConversationEngine
from assistant.facts import AgencyLevel, Report
from assistant.render.html import render_html
from assistant.service import ROLE_CLERK, ROLE_REVIEWER, DraftService
from assistant.service.integrations import findings_for
from assistant.store import open_store
from assistant.ui.progress import report_progress

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "dialogues" / "all_natural_persons.txt"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


def _converse(store) -> tuple[DraftService, DraftService, str]:
    engine = ConversationEngine()
    clerk = DraftService(store, "u1", engine=engine, role=ROLE_CLERK)
    reviewer = DraftService(store, "u1", engine=engine, role=ROLE_REVIEWER)
    draft = clerk.create(agency="新桥乡人民政府", level=AgencyLevel.TOWNSHIP, report_year=2023)
    for message in read_script(str(SAMPLE)):
        clerk.send(draft.id, message)
    return clerk, reviewer, draft.id


def test_a_locked_section_that_a_table_change_contradicts_raises_a_finding_and_a_notice(store):
    clerk, reviewer, draft_id = _converse(store)
    s1 = clerk.open(draft_id).state.report.sections["s1"]
    assert "作出行政处罚决定3件" in s1
    reviewer.set_locked(draft_id, "s1", True)

    out = clerk.send(draft_id, "更正：行政处罚是4件")
    report = out.draft.state.report
    assert report.value("t2.penalty.decisions") == 4
    assert report.sections["s1"] == s1  # locked: never redrafted
    assert "重新起草第一部分" not in (out.reply or "")  # and never claimed
    stale = [n for n in out.notices if "已锁定" in n]
    assert stale and "第一部分已锁定" in stale[0] and "3件" in stale[0] and "4件" in stale[0], out.notices
    assert stale[0] in (out.reply or "")

    findings = findings_for(report, clerk.locked_sections(draft_id))
    lock_findings = [f for f in findings if f.rule == RULE_STALE_LOCK]
    assert len(lock_findings) == 1 and lock_findings[0].sections == ["s1"]
    # unlocked: the next change redrafts it as the engine's own draft again
    reviewer.set_locked(draft_id, "s1", False)
    out = clerk.send(draft_id, "更正：行政处罚是5件")
    assert "作出行政处罚决定5件" in out.draft.state.report.sections["s1"]
    assert not [f for f in findings_for(out.draft.state.report, set()) if f.rule == RULE_STALE_LOCK]


def _township_without_facts() -> Report:
    return Report(agency="清水镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2023)


def test_placeholders_are_findings_missing_progress_and_highlighted():
    report = _township_without_facts()
    report = report.model_copy(update={"sections": {"s5": draft_section_result(report, "s5").text}})
    todo = placeholders(report.sections["s5"])
    assert todo and all(t for t in todo)
    found = [f for f in narrative_findings(report) if f.rule == RULE_PLACEHOLDER]
    assert len(found) == 1 and found[0].sections == ["s5"] and "第五部分" in found[0].message
    card = next(p for p in report_progress(report, found) if p.section_id == "s5")
    assert card.todo == len(todo) and not card.filled and not card.done
    assert "待补充" in card.detail() and "已起草" not in card.detail()
    html = render_html(report)
    assert html.count('<mark class="todo">') == len(todo)


# ---- offline regeneration follows instructions ----------------------------------------------------------

FACTS = {
    "proactive": "通过镇政府网站和公众号公开信息86条。",
    "platform": "网站专栏有专人维护；便民服务中心设置了政务公开专区，方便群众查阅；各村公开栏按季度更新。",
    "info_management": "公开前均进行保密审查。",
    "supervision": "纳入年度考核，开展群众满意度测评，未发生责任追究。",
    "problems": "公开内容不够全面；工作人员均为兼职。",
    "measures": "加强培训；提升便民服务水平。",
    "fee": "没有收取",
    "other_matters": "没有",
}


def _township() -> Report:
    return _township_without_facts().model_copy(update={"narrative_facts": dict(FACTS)})


def test_more_concise_is_never_longer_and_the_emphasised_topic_comes_first():
    report = _township()
    for sid in ("s1", "s5"):
        plain = draft_section_result(report, sid)
        concise = draft_section_result(report, sid, instruction="更简洁，突出便民服务")
        assert concise.length <= plain.length, (sid, concise.text)
        assert not any("暂不能执行" in n for n in concise.notes)
    s1 = draft_section_result(report, "s1", instruction="更简洁，突出便民服务").text
    platform = s1.split("（四）")[1]
    assert platform.index("便民服务") < platform.index("网站专栏")


def test_a_length_limit_picks_the_shortest_variant_within_it():
    report = _township()
    lengths = [draft_section_result(report, "s5", variant=v).length for v in range(3)]
    limit = min(lengths) + 1
    res = draft_section_result(report, "s5", instruction=f"压缩到{limit}字")
    assert res.limit_reached and res.length <= limit


def test_the_part_of_an_instruction_not_followed_is_named():
    res = draft_section_result(_township(), "s6", instruction="更正式，加一段诗歌")
    assert any("加一段诗歌" in n for n in res.notes)
    assert not any("更正式" in n for n in res.notes)
    res = draft_section_result(_township(), "s5", instruction="突出乡村振兴")
    assert any("乡村振兴" in n and "未能突出" in n for n in res.notes)
