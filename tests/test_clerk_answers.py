"""Answers to the clerk's questions (issue 10, item 4): a glossary that follows the official format, the place of a
row in the report's own format, 「还缺哪些」 grouped by table with an example sentence, and a question is never met
with 「没有找到可以记录的数字」."""

from __future__ import annotations

import tomllib

import pytest
from dialogue_support import talk as dialogue_talk

from assistant.clerk_answers import answer_question, find_terms, glossary, missing_summary
from assistant.facts import AgencyLevel, CellFact, CellStatus, Provenance, Report
from assistant.formats import get_format
from assistant.prompts import PROMPTS_DIR

NOTHING = "没有找到可以记录的数字"


def county(year: int = 2024) -> Report:
    return Report(agency="某县民政局", level=AgencyLevel.COUNTY_DEPT, report_year=year)


def talk(messages: list[str], report: Report | None = None):  # noqa: ANN201
    return dialogue_talk(messages, report or county())


@pytest.mark.parametrize("question,must", [
    ("上年结转是什么意思？", ["上一年度", "表三第2行"]),
    ("信访类的算不予处理吗？", ["不予处理", "信访举报投诉类申请", "表三第16行"]),
    ("表三第几行填不予处理？", ["表三第16至20行", "重复申请"]),
    ("重复申请的放哪？", ["2.重复申请"]),
    ("逾期不补正的算哪一项？", ["其他处理", "逾期不补正"]),
    ("咨询电话要算申请吗？", ["不是政府信息公开申请"]),
    ("律师事务所申请的算哪一列？", ["法律服务机构"]),
    ("结果纠正是什么意思？", ["撤销"]),
])
def test_questions_get_real_answers_in_the_conversation(question, must):
    state, [res] = talk([question])
    assert NOTHING not in res.reply
    assert "答复" in res.reply
    for word in must:
        assert word in res.reply, word
    assert not any(f.known for f in state.report.cells.values())  # a question records nothing


def test_a_question_asked_twice_is_answered_twice():
    _, results = talk(["信访类的算不予处理吗？", "信访类的算不予处理吗？"])
    assert all("信访举报投诉类申请" in r.reply for r in results)


def test_row_places_follow_the_reports_format():
    t2021 = find_terms("逾期不补正的放哪？")
    assert answer_question("逾期不补正的放哪？", county(2024)).count("第21行") == 1
    assert "第21行" in answer_question("逾期不补正的放哪？", county(2020))  # 2019 format: （六） is one row
    assert t2021 and "其他处理" in t2021[0].text


def test_glossary_rows_exist_in_both_formats():
    data = tomllib.loads((PROMPTS_DIR / "glossary" / "terms.toml").read_text(encoding="utf-8"))
    assert len(data["term"]) == len(glossary()) >= 40
    for fid in ("2019", "2021"):
        fmt = get_format(fid)
        t3 = {r.id for r in fmt.table3_rows}
        t2 = {s.row_id for s in fmt.table_cells("table2")}
        t4 = {g.id for g in fmt.table4_groups}
        for term in glossary():
            ref = term.cell_2019 if fid == "2019" and term.cell_2019 else term.cell
            if not ref:
                continue
            kind, _, ident = ref.partition(":")
            known = {"t3": t3, "t2": t2, "t4": t4, "t3group": {r.split("_")[0] for r in t3} | {
                r.rsplit("_", 1)[0] for r in t3}}[kind]
            assert ident in known or kind == "t2" and fid == "2019" and ident == "normative", (fid, ref)


def test_what_is_missing_is_grouped_by_table_with_one_example_each():
    cells = {s.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for s in get_format("2021").input_cells()
             if s.table == "table3"}
    cells["t2.admin_fee.fee_amount"] = CellFact(provenance=Provenance(source="message", note="待核实"))
    report = county().model_copy(update={"cells": cells})
    text = missing_summary(report)
    assert "表三" not in text  # complete
    assert "表四" in text and "表二" in text
    assert text.count("可以这样说") == 2
    assert "待核实" in text and "行政事业性收费" in text
    _, [res] = talk(["还缺哪些？"], report)
    assert "表四" in res.reply and NOTHING not in res.reply


def test_an_unanswerable_question_still_gets_an_answer_not_nothing_recorded():
    _, [res] = talk(["这个报告要盖章吗？"])
    assert NOTHING not in res.reply and "答复" in res.reply


def test_a_question_is_not_taken_as_a_narrative_answer():
    report = county()
    full = {s.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for s in report.fmt.input_cells()}
    state, results = talk(["好的", "信访类的算不予处理吗？"], report.model_copy(update={"cells": full}))
    assert not any("信访" in v for v in state.report.narrative_facts.values())
