"""Dialogue safety (issue 10, item 3): pending cells, clearing by chat, bulk questions that never cover unread cells,
no third asking, stated conventions, corrections that re-derive only derived cells, no "还有0件" loop.

Each scenario is a clerk's words from the issue's "What we saw" or the behaviour the issue asks for. Where the
outcome depends on what the rule extractor reads (another module's job), a scripted extractor stands in for it,
so these tests pin the dialogue policy, not the extractor's current coverage.
"""

from __future__ import annotations

from decimal import Decimal

from dialogue_support import talk as dialogue_talk

from assistant.conversation import ConversationState
from assistant.dialogue import next_questions
from assistant.engine import ConversationEngine
from assistant.extract.acts import read_acts
from assistant.extract.base import ExtractionResult
from assistant.facts import AgencyLevel, CellFact, CellStatus, FactUpdate, Provenance, Report
from assistant.formats import get_format

FMT = get_format("2021")


class Scripted:
    """Returns a prepared result per message (anything else: the real rule extractor)."""

    name = "rules"

    def __init__(self, script: dict[str, ExtractionResult]) -> None:
        from assistant.extract.rules import RuleExtractor

        self.script = script
        self.rules = RuleExtractor()
        self.contexts: list = []

    def extract(self, message, context):  # noqa: ANN001, ANN201
        self.contexts.append(context)
        if message in self.script:
            return self.script[message].model_copy(deep=True)
        return self.rules.extract(message, context)


def county(**cells: int) -> Report:
    r = Report(agency="某县民政局", level=AgencyLevel.COUNTY_DEPT, report_year=2024)
    facts = {k.replace("__", "."): CellFact(status=CellStatus.VALUE, value=Decimal(v)) if v else
             CellFact(status=CellStatus.CONFIRMED_ZERO) for k, v in cells.items()}
    return r.model_copy(update={"cells": facts})


def talk(messages: list[str], report: Report | None = None, extractor=None):  # noqa: ANN001, ANN201
    return dialogue_talk(messages, report or county(), extractor)


# ---- pending: 先空着 / 不清楚 / 待核实 / 还没回 / 继续空着 -------------------------------------------------------


def test_fee_not_back_from_finance_stays_pending_never_zero():
    state, [res] = talk(["收费财务还没回，继续空着"])
    fee = state.report.cell("t2.admin_fee.fee_amount")
    assert fee.status == CellStatus.UNKNOWN and fee.pending
    assert fee.describe() == "待核实"
    assert "待核实" in res.reply and "已确认为0" not in res.reply
    assert all("t2.admin_fee.fee_amount" not in q.cells for q in res.questions)  # not asked again


def test_pending_words_each_make_the_named_cells_pending():
    for words in ("先空着", "不清楚", "待核实", "还没回", "继续空着"):
        acts = read_acts(f"上年结转{words}", FMT)
        assert set(acts.pending_cells) == {f"t3.carried_in.{c.id}" for c in FMT.applicant_part_columns}, words


def test_a_pending_cell_is_never_zeroed_by_a_yes_to_a_bulk_question():
    state, _ = talk(["收费财务还没回，继续空着"])
    report = state.report
    qs = next_questions(report, [], state.asked_keys)
    assert all("t2.admin_fee.fee_amount" not in q.cells for q in qs)


def test_zero_recorded_earlier_can_be_made_pending_and_then_emptied_and_refilled():
    report = county(t2__admin_fee__fee_amount=0)
    state, results = talk(["收费财务还没回，继续空着", "收费那一项清空", "收费是0.35万元"], report)
    assert results[0].state.report.cell("t2.admin_fee.fee_amount").pending
    cleared = results[1].state.report.cell("t2.admin_fee.fee_amount")
    assert cleared.status == CellStatus.UNKNOWN and not cleared.pending
    assert "已清空" in results[1].reply
    assert state.report.value("t2.admin_fee.fee_amount") == Decimal("0.35")


def test_a_bare_pending_answer_applies_to_the_single_question_asked():
    state, _ = talk(["收费的先空着"])
    assert state.report.cell("t2.admin_fee.fee_amount").pending
    report = county(**{f"t3__received__{c.id}": 1 for c in FMT.applicant_part_columns})
    engine = ConversationEngine(drafter=None)
    st = engine.start(report).state
    carried_q = [q for q in st.pending if q.template == "t3_carried_in_zero"]
    assert carried_q
    st = st.model_copy(update={"pending": carried_q})
    res = engine.turn(st, "这个还不清楚，先空着")
    assert all(res.state.report.cell(f"t3.carried_in.{c.id}").pending for c in FMT.applicant_part_columns)


# ---- bulk questions never cover unread cells -------------------------------------------------------------------


T4_WORDS = "复议的情况是这样：行政复议那边维持了两起，直接起诉的判了一个纠正"


def test_rest_zero_question_never_covers_cells_named_in_unread_words():
    unread = ["t4.review.upheld", "t4.suit_direct.corrected"]
    script = {T4_WORDS: ExtractionResult(unread_cells=unread, not_understood=["“维持了两起”：没有看懂"])}
    state, [res] = talk([T4_WORDS], extractor=Scripted(script))
    assert set(unread) <= set(state.unread)
    for q in res.questions:
        if q.kind == "confirm_zero":
            assert not set(q.cells) & set(unread), q.text
    assert any(q.template == "unread_cells" and set(q.cells) == set(unread) for q in res.questions)
    # "是的" to the reply sets nothing of the unread cells
    state2, _ = talk([T4_WORDS, "是的"], extractor=Scripted(script))
    assert not any(state2.report.cell(c).known for c in unread)


def test_closing_words_never_zero_an_unread_cell():
    unread = ["t4.review.upheld"]
    closing = "其余都是0"
    script = {
        T4_WORDS: ExtractionResult(unread_cells=unread),
        closing: ExtractionResult(updates=[FactUpdate(cell=c, status=CellStatus.CONFIRMED_ZERO, evidence=closing)
                                           for c in ("t4.review.upheld", "t4.review.corrected")]),
    }
    state, _ = talk([T4_WORDS, closing], extractor=Scripted(script))
    assert not state.report.cell("t4.review.upheld").known
    assert state.report.cell("t4.review.corrected").status == CellStatus.CONFIRMED_ZERO


def test_rest_zero_question_names_every_cell_it_will_set():
    report = county(**{f"t4__review__{c}": 0 for c in ("upheld", "corrected", "other_result", "pending")})
    qs = [q for q in next_questions(report, [], []) if q.template == "t4_rest_zero"]
    assert qs and "是否都为0" in qs[0].text
    assert "未经复议直接起诉" in qs[0].text and "复议后起诉" in qs[0].text


def test_yes_no_questions_are_phrased_positively():
    from assistant.prompts import PROMPTS_DIR

    for path in (PROMPTS_DIR / "questions").glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert "是否没有" not in text and "是否都没有" not in text, path.name


# ---- the same question is never asked a third time ------------------------------------------------------------


def test_a_question_the_clerk_cannot_get_past_is_asked_twice_then_pointed_to_the_table_editor():
    state, results = talk(["嗯嗯", "嗯嗯", "嗯嗯", "嗯嗯"], report=county(
        **{f"t3__received__{c.id}": 0 for c in FMT.applicant_part_columns}))
    seen: dict[str, int] = {}
    for res in results:
        for q in res.questions:
            key = f"{q.template}:{sorted(q.cells)}"
            seen[key] = seen.get(key, 0) + 1
    assert max(seen.values()) <= 2
    assert any("表格编辑" in r.reply for r in results)


def test_no_question_about_a_zero_remainder_and_no_loop():
    # 本年新收 total 10 fully broken down; 予以公开 total 3 with parts already adding up to 3
    cells = {f"t3__received__{c.id}": 0 for c in FMT.applicant_part_columns}
    cells.update(t3__received__natural_person=8, t3__received__business=2, t3__received__total=10,
                 t3__disclosed__total=3, t3__disclosed__natural_person=2, t3__disclosed__business=1)
    report = county(**cells)
    for _ in range(3):
        qs = next_questions(report, [], [])
        assert not any("还有0件" in q.text for q in qs)
    # a stated total smaller than its parts is a contradiction, never "还有-2件"
    report2 = county(**{**cells, "t3__disclosed__total": 1})
    assert not any(q.template == "t3_row_rest" for q in next_questions(report2, [], []))


# ---- corrections change what the clerk named; only derived cells are derived again -----------------------------


def test_correction_keeps_the_clerks_own_other_and_asks_about_the_old_total():
    first = "本年新收申请共25件：自然人15件，商业企业6件，其他4件"
    fix = "刚才说错了，商业企业是9件不是6件"
    state, results = talk([first, fix])
    report = state.report
    assert report.value("t3.received.business") == 9
    other = report.cell("t3.received.other")
    assert other.value in (None, Decimal(4))  # never re-derived to 25-15-9 = 1
    total_questions = [q for q in results[1].questions if "25" in q.text and q.kind in ("contradiction", "confirm_value")]
    assert total_questions, results[1].reply  # the old total is not kept silently


def test_a_derived_part_is_not_re_derived_over_a_correction():
    # 其他 was derived from the total (25 - 15 - 6 = 4); correcting 商业企业 must not turn it into 1
    script = {
        "本年新收25件，自然人15件，商业企业6件": ExtractionResult(updates=[
            FactUpdate(cell="t3.received.total", value=25, evidence="本年新收25件"),
            FactUpdate(cell="t3.received.natural_person", value=15, evidence="自然人15件"),
            FactUpdate(cell="t3.received.business", value=6, evidence="商业企业6件"),
        ] + [FactUpdate(cell=f"t3.received.{c}", status=CellStatus.CONFIRMED_ZERO, evidence="没有")
             for c in ("research", "public_interest", "legal_service")]),
        "商业企业是9件不是6件": ExtractionResult(updates=[
            FactUpdate(cell="t3.received.business", value=9, evidence="商业企业是9件", is_correction=True)]),
    }
    state, results = talk(list(script), extractor=Scripted(script))
    assert results[0].state.report.value("t3.received.other") == 4
    assert state.report.value("t3.received.other") == 4
    assert any(q.kind in ("contradiction", "confirm_value") and "25" in q.text for q in results[1].questions)


def test_answering_the_total_recheck_with_a_new_total_settles_it():
    first = "本年新收申请共25件：自然人15件，商业企业6件，其他4件"
    state, results = talk([first, "刚才说错了，商业企业是9件不是6件", "28"])
    assert state.report.value("t3.received.total") == 28
    assert not state.recheck


# ---- conventions --------------------------------------------------------------------------------------------


def test_blank_is_zero_is_not_a_zero_itself_and_applies_to_the_table_pasted_next():
    intro = "我先把依申请公开的表格贴给你，空白的格子就是0："
    table = ("\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
             "本年新收\t5\t1\t\t\t\t\t6\n"
             "上年结转\t1\t\t\t\t\t\t1\n")
    state, results = talk([intro, table])
    first = results[0]
    assert not any(c.after.known for c in first.changes), first.reply
    assert state.conventions.get("blank") == "zero"
    report = state.report
    assert report.value("t3.received.natural_person") == 5
    assert report.cell("t3.received.research").status == CellStatus.CONFIRMED_ZERO
    assert report.cell("t3.carried_in.business").status == CellStatus.CONFIRMED_ZERO
    assert not any(q.template == "t3_other_applicants_none" for q in results[1].questions)


def test_stated_conventions_reach_every_later_extraction():
    extractor = Scripted({})
    talk(["金额单位是元，空白的就是0", "收费3000"], extractor=extractor)
    assert extractor.contexts[-1].conventions == {"unit": "元", "blank": "zero"}


# ---- 「依申请公开今年一件都没收到」 --------------------------------------------------------------------------------


def test_pending_marker_is_kept_through_a_state_round_trip():
    state, _ = talk(["收费财务还没回，继续空着"])
    again = ConversationState.model_validate_json(state.model_dump_json())
    assert again.report.cell("t2.admin_fee.fee_amount").pending


def test_pending_cell_counts_as_unknown_everywhere():
    fact = CellFact(provenance=Provenance(source="message", note="待核实"))
    assert fact.pending and not fact.known and fact.numeric is None


# ---- 「还有0件是哪类申请人？」 for six turns -------------------------------------------------------------------------


def test_the_612_conversation_never_asks_about_a_zero_rest_and_never_loops():
    messages = [
        "本年新收申请共612件：自然人548件，商业企业41件，科研机构3件，社会公益组织2件，法律服务机构15件，其他3件",
        "予以公开：自然人300件，商业企业20件，其他1件",
    ] + ["其他1件"] * 6
    state, results = talk(messages)
    seen: dict[str, int] = {}
    for res in results:
        assert "还有0件" not in res.reply
        assert "还有-" not in res.reply
        if res.changes:  # the clerk got somewhere: the question may come again (his own order is fine)
            seen = {}
        for q in res.questions:  # shown again after turns in which the clerk got nowhere: the loop of the issue
            key = f"{q.template}:{sorted(q.cells)}"
            seen[key] = seen.get(key, 0) + 1
            assert seen[key] <= 2, key
    assert any("表格编辑" in r.reply for r in results)  # the third time: pointed to the table editor
    # nothing the clerk said was turned into a 0 by a bulk question along the way
    assert not any(c.after.status == CellStatus.CONFIRMED_ZERO and c.after.provenance.source == "confirmation"
                   for r in results for c in r.changes)
