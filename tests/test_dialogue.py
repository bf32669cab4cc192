"""The dialogue policy: what to echo, what to ask next (pure functions of the state)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.checks import Finding
from assistant.dialogue import (
    DECLINED,
    MAX_QUESTIONS,
    cell_short,
    describe_changes,
    next_questions,
    required_narrative_keys,
    row_short,
    tables_complete,
)
from assistant.facts import AgencyLevel, CellFact, CellStatus, Change, Report
from assistant.formats import get_format
from assistant.prompts import PROMPTS_DIR

ZERO = CellFact(status=CellStatus.CONFIRMED_ZERO)


def val(n) -> CellFact:
    return CellFact(status=CellStatus.VALUE, value=Decimal(str(n)))


def report(year=2023, level=AgencyLevel.COUNTY_DEPT, **cells) -> Report:
    r = Report(agency="测试局", level=level, report_year=year)
    return r.model_copy(update={"cells": {k.replace("__", "."): v for k, v in cells.items()}})


def with_cells(r: Report, cells: dict[str, CellFact]) -> Report:
    return r.model_copy(update={"cells": {**r.cells, **cells}})


def all_inputs(r: Report, table: str, fact: CellFact = ZERO) -> dict[str, CellFact]:
    return {s.key: fact for s in r.fmt.input_cells() if s.table == table}


# ---- labels ----------------------------------------------------------------------------------------


def test_short_labels_are_compact_and_readable():
    fmt = get_format("2021")
    assert row_short(fmt.cell("t3.received.natural_person")) == "本年新收"
    assert row_short(fmt.cell("t3.partly_disclosed.business")) == "部分公开"
    assert row_short(fmt.cell("t3.not_processed_2.total")) == "不予处理·重复申请"
    assert row_short(fmt.cell("t3.other_handling_1.other")) == "其他处理·申请人无正当理由逾期不补正"
    assert row_short(fmt.cell("t3.carried_out.other")) == "结转下年度"
    assert cell_short(fmt.cell("t2.normative.in_force")) == "行政规范性文件 现行有效"
    assert cell_short(fmt.cell("t2.licensing.decisions")) == "行政许可 处理决定"
    assert cell_short(get_format("2019").cell("t2.licensing.change")) == "行政许可 本年增/减"


# ---- echo --------------------------------------------------------------------------------------------


def test_echo_lists_values_per_row_with_row_total():
    before = report()
    after = with_cells(before, {"t3.received.natural_person": val(10), "t3.received.business": val(2)})
    changes = [Change(cell=k, before=CellFact(), after=after.cell(k)) for k in
               ("t3.received.natural_person", "t3.received.business")]
    echo = describe_changes(before, after, changes)
    assert echo["recorded"] == ["本年新收 自然人10件、商业企业2件"]
    full = with_cells(after, {f"t3.received.{c}": ZERO for c in ("research", "public_interest", "legal_service",
                                                                   "other")})
    echo = describe_changes(before, full, changes)
    assert echo["recorded"] == ["本年新收 自然人10件、商业企业2件（合计12件）"]


def test_echo_shows_corrections_old_to_new():
    before = report(t3__received__natural_person=val(5))
    after = with_cells(before, {"t3.received.natural_person": val(7)})
    echo = describe_changes(before, after, [Change(cell="t3.received.natural_person", before=val(5), after=val(7))])
    assert echo["corrected"] == ["本年新收 自然人 5件→7件"]
    assert echo["recorded"] == []


def test_echo_collapses_zeroed_rows_and_groups():
    before = report()
    zeros = {f"t3.{r}.{c.id}": ZERO for r in ("withheld_1", "withheld_2", "withheld_3", "withheld_4", "withheld_5",
                                               "withheld_6", "withheld_7", "withheld_8", "carried_out")
             for c in before.fmt.applicant_part_columns}
    after = with_cells(before, zeros)
    echo = describe_changes(before, after, [Change(cell=k, before=CellFact(), after=v) for k, v in zeros.items()])
    assert echo["zeroed"] == ["表三 不予公开各项、结转下年度"]


# ---- questions ---------------------------------------------------------------------------------------


def test_identity_first_then_nothing_else_until_the_year_is_known():
    qs = next_questions(Report(), [], [])
    assert len(qs) == 1 and qs[0].kind == "meta" and "报告年度" in qs[0].text
    qs = next_questions(Report(agency="某某镇", level=AgencyLevel.TOWNSHIP), [], [])
    assert [q.meta_field for q in qs] == ["report_year"]


def test_township_first_questions_use_fast_paths_in_section_order():
    qs = next_questions(report(level=AgencyLevel.TOWNSHIP), [], [])
    assert [q.template for q in qs] == ["t3_received_none", "t3_carried_in_zero", "t4_none"]
    assert qs[0].text.startswith("本年新收的政府信息公开申请是否为0件？")
    assert qs[1].text.startswith("上年结转是否为0？")
    assert qs[2].text.startswith("今年的行政复议和行政诉讼是否都为0件？")
    assert all(q.kind == "confirm_zero" for q in qs)
    assert len(qs[2].cells) == 12  # every input cell of table 四, none of its totals


def test_bigger_agency_is_asked_for_numbers_not_for_zero():
    qs = next_questions(report(level=AgencyLevel.CITY_GOV), [], [])
    assert qs[0].template == "t3_received" and qs[0].kind == "cells"


def test_rules_row_is_one_question_for_agencies_without_rulemaking_power():
    r = report(level=AgencyLevel.TOWNSHIP)
    r = with_cells(r, {**all_inputs(r, "table3"), **all_inputs(r, "table4")})
    qs = next_questions(r, [], [])
    assert qs[0].template == "t2_rules_none"
    assert "乡镇（街道）" in qs[0].text and "规章" in qs[0].text
    assert sorted(qs[0].cells) == ["t2.rules.in_force", "t2.rules.issued", "t2.rules.repealed"]
    assert qs[1].template == "t2_others_zero"
    city = with_cells(report(level=AgencyLevel.CITY_GOV), {**all_inputs(r, "table3"), **all_inputs(r, "table4")})
    assert next_questions(city, [], [])[0].template == "t2_rules"


def test_total_without_parts_leads_to_a_breakdown_question():
    r = report(t3__received__total=val(12))
    q = next_questions(r, [], [])[0]
    assert q.template == "t3_row_breakdown" and "12件" in q.text
    assert all(not r.fmt.cell(c).derived for c in q.cells)


def test_some_applicant_types_known_asks_whether_the_others_are_none():
    r = report(t3__received__natural_person=val(10))
    q = next_questions(r, [], [])[0]
    assert q.template == "t3_other_applicants_none" and "其他类型的申请人是否都为0？" in q.text
    assert "t3.received.natural_person" not in q.cells and len(q.cells) == 5


def test_contradictions_come_first_and_quote_the_finding():
    f = Finding(rule="T3-3", severity="error", cells=["t3.received.total"], message="新收15件+上年结转1件=16件，但办理结果合计14件")
    qs = next_questions(report(), [f, Finding(rule="X", severity="warning", message="w")], [])
    assert qs[0].kind == "contradiction" and "16件" in qs[0].text
    assert len(qs) == MAX_QUESTIONS


def test_results_questions_wait_for_applicants_and_skip_inactive_columns():
    r = report()
    r = with_cells(r, {f"t3.{row}.{c.id}": ZERO for row in ("received", "carried_in")
                       for c in r.fmt.applicant_part_columns})
    r = with_cells(r, {"t3.received.natural_person": val(5), "t3.received.business": val(1)})
    # derivation (engine) zeroes the inactive columns; emulate it here
    r = with_cells(r, {f"t3.{row.id}.{c}": ZERO for row in r.fmt.table3_result_rows
                       for c in ("research", "public_interest", "legal_service", "other")})
    r = with_cells(r, {f"t3.carried_out.{c}": ZERO for c in ("research", "public_interest", "legal_service", "other")})
    qs = next_questions(r, [], [])
    assert [q.template for q in qs] == ["t3_results_main", "t3_results_other_zero", "t3_carried_out"]
    assert "自然人、商业企业" in qs[0].text
    assert all(c.endswith((".natural_person", ".business")) for q in qs for c in q.cells if c != "t3.carried_out.total")


def test_rest_zero_fast_path_then_explicit_list_once_declined():
    r = report()
    r = with_cells(r, {**all_inputs(r, "table3"), **all_inputs(r, "table4")})
    r = with_cells(r, {"t2.rules.issued": ZERO, "t2.rules.repealed": ZERO, "t2.rules.in_force": ZERO,
                       "t2.licensing.decisions": val(30)})
    qs = next_questions(r, [], [])
    assert [q.template for q in qs] == ["t2_normative", "t2_fee", "t2_rest_zero"]
    assert qs[2].text.startswith("本表（表二）其余项目是否都为0？")
    assert sorted(qs[2].cells) == ["t2.enforcement.decisions", "t2.penalty.decisions"]
    qs = next_questions(r, [], [f"{DECLINED}t2_rest_zero"])
    assert qs[2].template == "t2_remaining" and "行政处罚 处理决定" in qs[2].text


def test_ignored_questions_are_asked_again_not_turned_into_zero():
    r = report()
    r = with_cells(r, {f"t3.{row}.{c.id}": ZERO for row in ("received", "carried_in")
                       for c in r.fmt.applicant_part_columns})
    r = with_cells(r, {"t3.received.natural_person": val(3)})
    r = with_cells(r, {f"t3.{row.id}.{c}": ZERO for row in r.fmt.table3_result_rows
                       for c in ("business", "research", "public_interest", "legal_service", "other")})
    r = with_cells(r, {f"t3.carried_out.{c}": ZERO for c in ("business", "research", "public_interest",
                                                            "legal_service", "other")})
    asked = ["t3_results_main", "t3_results_other_zero", "t3_carried_out"] * 3
    assert [q.template for q in next_questions(r, [], asked)] == ["t3_results_main", "t3_results_other_zero",
                                                                 "t3_carried_out"]
    r = with_cells(r, {"t3.disclosed.natural_person": val(2)})
    qs = next_questions(r, [], asked)
    assert [q.template for q in qs] == ["t3_results_other_zero", "t3_carried_out", "t3_rest_zero"]
    assert qs[2].cells == ["t3.partly_disclosed.natural_person"]


def test_2019_format_asks_for_signed_changes_and_procurement():
    r = report(year=2020)
    r = with_cells(r, {**all_inputs(r, "table3"), **all_inputs(r, "table4"),
                       "t2.rules.made": ZERO, "t2.rules.published": ZERO, "t2.rules.public_total": ZERO})
    templates = [q.template for q in next_questions(r, [], [])]
    assert templates == ["t2_normative", "t2_2019_items", "t2_2019_procurement"]


def test_narrative_one_question_at_a_time_after_the_tables():
    r = report()
    r = with_cells(r, {**all_inputs(r, "table2"), **all_inputs(r, "table3"), **all_inputs(r, "table4")})
    qs = next_questions(r, [], [])
    assert len(qs) == 1 and qs[0].kind == "narrative" and qs[0].narrative_key == "proactive"
    assert tables_complete(r, [])
    assert "applications" not in required_narrative_keys(r)  # nothing received: nothing to explain
    assert "fee" not in required_narrative_keys(report(year=2020))


def test_every_question_template_is_a_file():
    names = {p.stem for p in (PROMPTS_DIR / "questions").glob("*.txt")}
    for needed in ("t3_received_none", "t3_carried_in_zero", "t3_results_other_zero", "t3_rest_zero", "t4_none",
                   "t2_rules_none", "t2_rest_zero", "meta_identity", "narrative_fee"):
        assert needed in names


# ---- property: never ask for what is known or derivable; never more than three ------------------------

FMT_CELLS = {fid: [s.key for s in get_format(fid).input_cells()] for fid in ("2019", "2021")}
LEVELS = [None, *AgencyLevel]


@st.composite
def partial_reports(draw):
    year = draw(st.sampled_from([2020, 2022]))
    fid = "2019" if year == 2020 else "2021"
    keys = draw(st.lists(st.sampled_from(FMT_CELLS[fid]), max_size=60, unique=True))
    cells = {}
    for k in keys:
        cells[k] = ZERO if draw(st.booleans()) else val(draw(st.integers(0, 50)))
    totals = draw(st.lists(st.sampled_from(["t3.received.total", "t3.disclosed.total", "t4.review.total"]),
                           max_size=2, unique=True))
    for t in totals:
        cells[t] = val(draw(st.integers(0, 40)))
    r = Report(agency="某单位", level=draw(st.sampled_from(LEVELS)), report_year=year, cells=cells)
    asked = draw(st.lists(st.sampled_from(["t3_results_main", "t3_results_other_zero", "t3_carried_out",
                                           "t2_normative", "t2_decisions", "t2_fee", "declined:t3_rest_zero",
                                           "declined:t4_none", "declined:t3_received_none"]), max_size=5))
    return r, asked


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_reports())
def test_questions_only_about_unknown_input_cells(data):
    r, asked = data
    qs = next_questions(r, [], asked)
    assert len(qs) <= MAX_QUESTIONS
    for q in qs:
        for c in q.cells:
            assert not r.cell(c).known, (q.template, c)
            if r.fmt.cell(c).derived:  # only a row total, asked with its parts ("本年共收到多少件？")
                assert c.endswith(".total") and any(not r.fmt.cell(o).derived for o in q.cells), (q.template, c)
    if r.unknown_input_cells():
        assert qs, "cells are missing but nothing is asked"


@pytest.mark.parametrize("fid,year", [("2019", 2020), ("2021", 2023)])
def test_complete_tables_ask_no_table_question(fid, year):
    r = report(year=year)
    r = with_cells(r, {s.key: ZERO for s in r.fmt.input_cells()})
    assert all(q.kind == "narrative" for q in next_questions(r, [], []))
