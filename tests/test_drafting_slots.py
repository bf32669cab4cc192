"""（一）主动公开 from typed slots: channels, counts, focus areas and 解读 in the register of published reports
(the sentences below are written by hand after the 2023 reports quoted in issue 12)."""

from __future__ import annotations

from assistant.drafting import draft_section
from assistant.drafting.proactive import proactive_items, read_proactive
from assistant.facts import AgencyLevel, Report


def test_the_slots_of_a_full_answer():
    s = read_proactive(
        "全年通过镇政府网站信息公开专栏主动公开政府信息86条，更新村务公开栏48期，"
        "重点公开惠农补贴、低保救助、乡村振兴项目等信息，发布图文解读3篇"
    )
    assert (s.channels, s.count, s.board, s.board_issues) == ("镇政府网站信息公开专栏", "86", "村务公开栏", "48")
    assert (s.focus, s.interpretation, s.interpretations) == ("惠农补贴、低保救助、乡村振兴项目", "图文解读", "3")
    assert s.rest == []


def test_spoken_answers_come_out_in_one_formal_sentence():
    assert proactive_items(
        ["通过乡政府网站的信息公开专栏和“新桥发布”微信公众号公开，全年主动公开各类信息86条，"
         "重点是惠农补贴、低保救助和项目建设方面的信息"]
    ) == [
        "全年通过乡政府网站的信息公开专栏和“新桥发布”微信公众号主动公开政府信息86条，"
        "重点公开惠农补贴、低保救助、项目建设等信息"
    ]
    assert proactive_items(["主动公开信息120条，其中政策文件15条", "开设了政策解读专栏"]) == [
        "全年主动公开政府信息120条，其中政策文件15条",
        "开设了政策解读专栏",
    ]
    assert proactive_items(["在网站发布信息356条"]) == ["全年通过网站主动公开政府信息356条"]


def test_without_a_count_the_clerk_items_are_kept_as_they_are():
    assert proactive_items(["主要通过网站公开", "重点公开惠农补贴信息"]) == ["主要通过网站公开", "重点公开惠农补贴信息"]


def test_the_drafted_subsection_reads_like_a_published_report():
    report = Report(
        agency="清水镇人民政府",
        level=AgencyLevel.TOWNSHIP,
        report_year=2023,
        narrative_facts={
            "proactive": "我们镇主要通过镇政府网站信息公开专栏和公众号公开，今年主动公开政府信息86条左右，"
            "村务公开栏更新了48期，重点是惠农补贴、低保救助、乡村振兴项目这些信息，发布图文解读3篇。"
        },
    )
    s1 = draft_section(report, "s1")
    assert (
        "全年通过镇政府网站信息公开专栏和微信公众号主动公开政府信息86余条，更新村务公开栏48期，"
        "重点公开惠农补贴、低保救助、乡村振兴项目等信息，发布图文解读3篇。" in s1
    ), s1
