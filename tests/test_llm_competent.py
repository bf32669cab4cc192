"""The model path helps (issue 10, item 6): a *competent* fake model — a local OpenAI-compatible server driven by the
real ``openai`` client over HTTP on 127.0.0.1, scripted with the correct extraction of each clerk message — turns
rule gaps and rule misreadings into correct cells. Disagreements record neither reading and offer both as choices.

The truths below are written by hand from the clerk's words. Where the point is "the rules got this wrong", a
scripted rule extractor plays the misreading (deterministic, whatever the rule extractor learns later); the
end-to-end conversation runs over the real rule extractor and only checks the final cells against the truth.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from dialogue_support import talk
from fake_openai import FakeOpenAI, competent_model
from llm_support import answer, make_settings, proposal

from assistant.engine import ConversationEngine
from assistant.extract.base import ExtractionResult
from assistant.facts import AgencyLevel, CellStatus, FactUpdate, Report
from assistant.llm.client import LLMClient
from assistant.llm.extractor import LLMExtractor


class Rules:
    """A rule extractor with a known reading per message (a gap or a misreading); anything else: nothing."""

    name = "rules"

    def __init__(self, script: dict[str, ExtractionResult]) -> None:
        self.script = script

    def extract(self, message, context):  # noqa: ANN001, ANN201
        return self.script.get(message, ExtractionResult()).model_copy(deep=True)


def county() -> Report:
    return Report(agency="某县民政局", level=AgencyLevel.COUNTY_DEPT, report_year=2024)


def converse(messages: list[str], model_script: dict[str, dict], rules=None, report: Report | None = None):  # noqa: ANN001, ANN201
    with FakeOpenAI(handler=competent_model(model_script)) as fake:
        client = LLMClient(make_settings(fake.url), sleep=lambda s: None)
        engine = ConversationEngine(extractor=LLMExtractor(client, rules=rules), drafter=None)
        state = engine.start(report or county()).state
        results = []
        for i, m in enumerate(messages, 1):
            res = engine.turn(state, m, message_id=f"m{i}")
            state = res.state
            results.append(res)
        assert fake.chat_requests(), "the model was never asked"
    return state, results


# ---- a gap of the rules: the model's evidence-checked reading fills it ------------------------------------------

GAP = "其他处理：逾期不补正的自然人1件，其他自然人1件"
GAP_TRUTH = {"t3.other_handling_1.natural_person": 1, "t3.other_handling_3.natural_person": 1}
GAP_MODEL = answer(proposal("t3.other_handling_1.natural_person", 1, "逾期不补正的自然人1件"),
                   proposal("t3.other_handling_3.natural_person", 1, "其他自然人1件"))


def test_the_model_fills_what_the_rules_could_not_read():
    rules = Rules({GAP: ExtractionResult(not_understood=["“其他自然人1件”：无法确定这个数字属于哪一项"])})
    offline, _ = converse_offline([GAP], rules)
    assert not any(offline.report.cell(k).known for k in GAP_TRUTH)  # the rules alone: a gap

    state, [res] = converse([GAP], {GAP: GAP_MODEL}, rules=rules)
    for key, value in GAP_TRUTH.items():
        assert state.report.value(key) == value, key
        assert state.report.cell(key).provenance.source == "model"
    assert "没有看懂" not in res.reply


def converse_offline(messages: list[str], rules) -> tuple:  # noqa: ANN001
    return talk(messages, county(), rules)


# ---- a misreading of the rules: neither reading recorded, both offered, the clerk's choice recorded -----------

MISREAD = "今年新增公开规章1件，本年制发规章1件，另外制作政策解读21个"
MISREAD_RULES = ExtractionResult(updates=[FactUpdate(cell="t2.rules.issued", value=21, evidence="政策解读21个")])
MISREAD_MODEL = answer(proposal("t2.rules.issued", 1, "本年制发规章1件"))


def test_a_disagreement_records_neither_reading_and_offers_both_as_choices():
    rules = Rules({MISREAD: MISREAD_RULES})
    offline, _ = converse_offline([MISREAD], rules)
    assert offline.report.value("t2.rules.issued") == 21  # the rules alone: a wrong number

    state, [res] = converse([MISREAD], {MISREAD: MISREAD_MODEL}, rules=rules,
                            report=county().model_copy(update={"level": AgencyLevel.CITY_GOV}))
    assert not state.report.cell("t2.rules.issued").known  # neither reading recorded
    q = res.questions[0]
    assert q.template == "ambiguity" and q.readings == [{"t2.rules.issued": Decimal(21)},
                                                          {"t2.rules.issued": Decimal(1)}]
    assert len(q.choices) == 2 and "21" in q.text and "第二种" in q.text


@pytest.mark.parametrize("choice,value", [("第二种", 1), ("后者", 1), ("1件", 1), ("第一种", 21)])
def test_the_clerks_choice_is_recorded(choice, value):
    rules = Rules({MISREAD: MISREAD_RULES})
    state, results = converse([MISREAD, choice], {MISREAD: MISREAD_MODEL}, rules=rules,
                              report=county().model_copy(update={"level": AgencyLevel.CITY_GOV}))
    assert state.report.value("t2.rules.issued") == value
    assert not any(q.template == "ambiguity" for q in results[-1].questions)


# ---- end to end over the real rule extractor: the model path ends with the right cells -------------------------

T4 = "复议后起诉的：结果维持3件，尚未审结1件，其余为0"
T4_TRUTH = {"t4.suit_after_review.upheld": 3, "t4.suit_after_review.pending": 1,
            "t4.suit_after_review.corrected": 0, "t4.suit_after_review.other_result": 0}
T4_MODEL = answer(
    proposal("t4.suit_after_review.upheld", 3, "结果维持3件"),
    proposal("t4.suit_after_review.pending", 1, "尚未审结1件"),
    proposal("t4.suit_after_review.corrected", 0, T4, status="confirmed_zero"),
    proposal("t4.suit_after_review.other_result", 0, T4, status="confirmed_zero"),
)


T4_MODEL_REST = answer(
    proposal("t4.suit_after_review.upheld", 3, "结果维持3件"),
    proposal("t4.suit_after_review.pending", 1, "尚未审结1件"),
    proposal("t4.suit_after_review.corrected", 0, "其余为0", status="confirmed_zero"),
    proposal("t4.suit_after_review.other_result", 0, "其余为0", status="confirmed_zero"),
)
@pytest.mark.parametrize("message,truth,model", [(T4, T4_TRUTH, T4_MODEL), (T4, T4_TRUTH, T4_MODEL_REST)])
def test_with_the_real_rules_the_model_path_ends_with_the_true_cells(message, truth, model):
    # where the rules read otherwise, the clerk is asked and picks the second reading (the model's); where they
    # agree, nothing is asked and "第二种" changes nothing
    state, results = converse([message, "第二种"], {message: model})
    for key, value in truth.items():
        assert state.report.value(key) == value, key
    assert not results[0].rejected


def test_a_competent_model_changes_nothing_the_clerk_did_not_say():
    # the model's correct extraction of a message with no numbers: nothing recorded, nothing asked about cells
    msg = "我们今年的工作主要是网站栏目调整"
    state, [res] = converse([msg], {msg: answer()})
    assert not any(f.known for f in state.report.cells.values())
    assert all(c.after.status != CellStatus.VALUE for c in res.changes)
