"""Issue 11 item 4: narrative claims read as a careful reader would.

Table 三 of the fixture (consistent_2023.json): 新收14, 上年结转1, （一）予以公开9, （二）部分公开2, （三）不予公开1,
（四）无法提供2, （七）总计14, 结转1; 表二 行政规范性文件 现行有效12.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checks import Finding, run_checks
from assistant.interchange import load_report

FIX = Path(__file__).parent / "fixtures" / "checks"
BASE = "本报告中所列数据统计期限为2023年1月1日至12月31日。"


def findings_for(s1: str) -> list[Finding]:
    report = load_report(FIX / "consistent_2023.json")
    report = report.model_copy(update={"sections": {**report.sections, "s1": BASE + s1}})
    return [f for f in run_checks(report) if f.severity in ("error", "warning")]


def only(findings: list[Finding], *rules: str) -> list[Finding]:
    return [f for f in findings if f.rule in rules]


@pytest.mark.parametrize(
    "text",
    [
        "全年共收到政府信息公开申请14件，其中予以公开及部分公开11件，不予公开和无法提供3件。",
        "本年度办结政府信息公开申请14件，其中予以公开、部分公开分别为9件、2件。",
        "予以公开与部分公开共11件。",
        "全年共收到政府信息公开申请14件，上年结转1件。",
        "收到政府信息公开申请15件（含上年结转1件），均已按期答复。",  # 收到 counting 一+二
        "全年共收到政府信息公开申请14件。办结14件，其中予以公开9件，占64.29%；部分公开2件，占14.29%。",
        "予以公开9件，占比64.3%。",
        "予以公开9件（占60%）。",  # 9 of 新收+上年结转 15 = 60%
        "现行有效行政规范性文件12件。",
        "一是健全制度；二是强化培训；三是加强监督。",
    ],
)
def test_right_claims_raise_nothing(text):
    assert only(findings_for(text), "N-1", "N-5", "N-6", "N-7") == []


def test_combined_category_that_does_not_add_up_is_one_error_naming_the_sum():
    found = only(findings_for("其中予以公开及部分公开12件。"), "N-1")
    assert len(found) == 1 and found[0].severity == "error"
    assert "之和" in found[0].message and "11件" in found[0].message
    assert set(found[0].cells) == {"t3.disclosed.total", "t3.partly_disclosed.total"}


def test_withheld_and_unavailable_combined():
    assert only(findings_for("不予公开和无法提供共3件。"), "N-1") == []
    wrong = only(findings_for("不予公开和无法提供4件。"), "N-1")
    assert len(wrong) == 1 and "3件" in wrong[0].message


def test_respective_numbers_are_matched_in_order():
    found = only(findings_for("予以公开、部分公开分别为9件、3件。"), "N-1")
    assert len(found) == 1 and found[0].cells == ["t3.partly_disclosed.total"]


def test_received_that_is_neither_new_nor_new_plus_carried_in_is_an_error():
    found = only(findings_for("全年共收到政府信息公开申请16件。"), "N-1")
    assert len(found) == 1 and found[0].severity == "error" and "14件" in found[0].message


def test_received_plus_carried_in_is_not_accepted_when_the_sentence_states_the_carry_over_itself():
    found = only(findings_for("全年共收到政府信息公开申请15件，上年结转1件。"), "N-1")
    assert len(found) == 1 and found[0].severity == "error"


def test_percentage_that_no_total_gives_is_a_warning():
    found = only(findings_for("全年共收到政府信息公开申请14件，其中予以公开9件，占51.85%。"), "N-7")
    assert len(found) == 1 and found[0].severity == "warning"
    assert "51.85%" in found[0].message and "64.29%" in found[0].message


def test_in_force_figure_that_differs_from_table_two_is_a_warning_with_both_numbers():
    found = only(findings_for("目前现行有效的行政规范性文件20件。"), "N-5")
    assert len(found) == 1 and found[0].severity == "warning"
    assert "20件" in found[0].message and "12件" in found[0].message


def test_numbering_slip_is_caught():
    found = only(findings_for("（三）政府信息管理。一是健全制度；三是强化培训；三是加强监督。"), "N-6")
    assert len(found) == 1 and "一是…三是…三是" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "全区共收到政府信息公开申请120件。",  # the region, while the table is the office's own
        "区政府办代表区政府受理政府信息公开申请17件。",
    ],
)
def test_scope_difference_is_a_warning_quoting_both_numbers(text):
    found = only(findings_for(text), "N-1")
    assert found and all(f.severity == "warning" for f in found)
    assert any(n in found[0].message for n in ("120", "17")) and "14件" in found[0].message
