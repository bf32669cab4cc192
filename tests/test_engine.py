"""The conversation engine with a scripted extractor: turn processing, fast paths, derivations, echo, drafting."""

from decimal import Decimal

import pytest

import assistant.engine as engine_mod
from assistant.checks import Finding
from assistant.conversation import ConversationState
from assistant.engine import MAX_MESSAGE_CHARS, ConversationEngine, derive, infer_level
from assistant.extract.base import ExtractionResult, MetaUpdate
from assistant.facts import AgencyLevel, CellFact, CellStatus, FactUpdate, LastYear, Report


class ScriptedExtractor:
    """Returns a prepared result per message (a callable gets the context); unknown messages → nothing."""

    name = "rules"

    def __init__(self, script=None):
        self.script = script or {}
        self.contexts = []

    def extract(self, message, context):
        self.contexts.append(context)
        r = self.script.get(message)
        if callable(r):
            r = r(context)
        return (r or ExtractionResult()).model_copy(deep=True)


class FailingExtractor:
    name = "llm"

    def extract(self, message, context):
        raise RuntimeError("provider down")


def zero(key, evidence="x"):
    return FactUpdate(cell=key, status=CellStatus.CONFIRMED_ZERO, evidence=evidence)


def num(key, n, evidence="x", **kw):
    return FactUpdate(cell=key, value=Decimal(str(n)), evidence=evidence, **kw)


def inputs(report, prefix):
    return [s.key for s in report.fmt.input_cells() if s.key.startswith(prefix)]


def drafter(report, section_id, **kw):
    return f"【{section_id}草稿】" + "；".join(f"{k}:{v}" for k, v in sorted(report.narrative_facts.items()))


def make_engine(script=None, **kw):
    kw.setdefault("drafter", drafter)
    return ConversationEngine(extractor=ScriptedExtractor(script), **kw)


def county(year=2023, **cells):
    return Report(agency="某县某局", level=AgencyLevel.COUNTY_DEPT, report_year=year, cells=cells)


def state_for(report, pending=None):
    return ConversationState(report=report, pending=pending or [])


def run(engine, messages, start=None):
    res = engine.start(start)
    results = [res]
    for i, m in enumerate(messages, 1):
        res = engine.turn(res.state, m, message_id=f"m{i}")
        results.append(res)
    return results


# ---- the township with nothing to report ----------------------------------------------------------------


TOWNSHIP_SCRIPT = {
    "我是马屿镇党政办的，写2023年度年报": ExtractionResult(meta=MetaUpdate(agency="马屿镇", report_year=2023)),
    "今年没有收到依申请公开，也没有复议诉讼": lambda ctx: ExtractionResult(
        updates=[zero(k) for k in inputs(ctx.report, "t3.received.") + inputs(ctx.report, "t4.")]),
    "对，其余都是0": ExtractionResult(answer="yes"),
}


def test_township_with_nothing_finishes_in_three_messages():
    results = run(make_engine(TOWNSHIP_SCRIPT), list(TOWNSHIP_SCRIPT))
    first, last = results[0], results[-1]
    assert "单位全称" in first.reply and first.state.pending[0].kind == "meta"
    assert "层级按“乡镇（街道）”" in results[1].reply
    # a township given by its place name: the official name is asked once, alone (its "是" answers nothing else)
    assert [q.template for q in results[1].questions] == ["meta_agency_confirm"]
    assert "马屿镇人民政府" in results[1].questions[0].text
    assert last.tables_complete
    report = last.state.report
    assert report.unknown_input_cells() == []
    assert all(report.value(s.key) == 0 for s in report.fmt.cells().values())
    assert "因本年新收和上年结转均为0" in last.reply
    assert "三张统计表已全部填写" in last.reply
    assert last.questions and last.questions[0].kind == "narrative"
    assert last.state.turn == 3
    for r in results[1:]:
        assert len(r.questions) <= 3


def test_bare_yes_confirms_with_confirmation_provenance():
    last = run(make_engine(TOWNSHIP_SCRIPT), list(TOWNSHIP_SCRIPT))[-1]
    fact = last.state.report.cell("t3.carried_in.natural_person")
    assert fact.status == CellStatus.CONFIRMED_ZERO and fact.provenance.source == "confirmation"
    assert fact.provenance.ref == "m3"
    derived = last.state.report.cell("t3.disclosed.business")
    assert derived.provenance.note.startswith("推算")


def test_yes_inside_a_longer_message_does_not_confirm_other_questions():
    """"今年没有收到…也没有复议诉讼" answers two questions; 上年结转 was not mentioned and stays unknown."""
    results = run(make_engine(TOWNSHIP_SCRIPT), list(TOWNSHIP_SCRIPT)[:2])
    report = results[-1].state.report
    assert not report.cell("t3.carried_in.natural_person").known
    assert results[-1].questions[0].template == "t3_carried_in_zero"


def test_declined_fast_path_is_followed_by_the_specific_question():
    results = run(make_engine(TOWNSHIP_SCRIPT), list(TOWNSHIP_SCRIPT)[:2] + ["不是"])
    assert results[-1].questions[0].template == "t3_carried_in"
    assert "declined:t3_carried_in_zero" in results[-1].state.asked_keys
    assert not results[-1].state.report.cell("t3.carried_in.natural_person").known


# ---- echo, corrections, rejections ------------------------------------------------------------------


def test_echo_and_correction_old_to_new():
    script = {
        "a": ExtractionResult(updates=[num("t3.received.natural_person", 5), num("t3.received.business", 2)]),
        "b": ExtractionResult(updates=[num("t3.received.natural_person", 7, is_correction=True)]),
    }
    results = run(make_engine(script), ["a", "b"], start=county())
    assert "**已记录**：本年新收 自然人5件、商业企业2件" in results[1].reply
    assert "**已更正**：本年新收 自然人 5件→7件" in results[2].reply
    assert results[2].changes[0].before.value == 5 and results[2].changes[0].after.value == 7


def test_rejected_values_are_reported_and_not_recorded():
    script = {"x": ExtractionResult(updates=[num("t3.received.natural_person", -3),
                                             num("t3.received.business", 999999999),
                                             num("t3.received.research", "2.5")])}
    res = run(make_engine(script), ["x"], start=county())[-1]
    assert res.reply.count("**未记录**") == 2
    assert "不能为负数" in res.reply and "整数" in res.reply
    # no hard cap: an unusual size is recorded and the clerk is asked to confirm it (checks P-1)
    assert set(res.state.report.cells) == {"t3.received.business"}
    assert "999999999" in res.reply and "核对过了" in res.reply


def test_nothing_understood_says_so_and_asks_again():
    res = run(make_engine({}), ["🙂🙂🙂"], start=county())[-1]
    assert "没有找到可以记录的数字或情况" in res.reply
    assert res.state.report.cells == {}
    assert res.questions


def test_not_understood_fragments_are_quoted():
    script = {"m": ExtractionResult(not_understood=["大概有三十多件"])}
    res = run(make_engine(script), ["m"], start=county())[-1]
    assert "**没有看懂**：“大概有三十多件”没有对应的表格项目" in res.reply


def test_too_long_message_applies_nothing_and_keeps_pending():
    eng = make_engine({})
    start = eng.start(county(**{"t3.received.natural_person": CellFact(status=CellStatus.VALUE, value=3)}))
    res = eng.turn(start.state, "一" * (MAX_MESSAGE_CHARS + 1))
    assert "超过了单条消息20000字的上限" in res.reply and "导入" in res.reply
    assert res.state.report == start.state.report
    assert res.state.pending == start.state.pending
    assert eng.extractor.contexts == []  # never even read


def test_empty_message():
    eng = make_engine({})
    res = eng.turn(eng.start(county()).state, "   ")
    assert "没有收到内容" in res.reply and res.state.report.cells == {}


# ---- derivations ------------------------------------------------------------------------------------


def _single_column_report():
    r = county()
    cells = {k: CellFact(status=CellStatus.CONFIRMED_ZERO) for k in inputs(r, "t3.received.") + inputs(r, "t3.carried_in.")}
    cells["t3.received.natural_person"] = CellFact(status=CellStatus.VALUE, value=5)
    return r.model_copy(update={"cells": cells})


def test_all_natural_persons_result_totals_fill_that_column():
    script = {"m": ExtractionResult(updates=[num("t3.disclosed.total", 3), num("t3.not_processed_2.total", 2)])}
    res = run(make_engine(script), ["m"], start=_single_column_report())[-1]
    report = res.state.report
    assert report.value("t3.disclosed.natural_person") == 3
    assert report.value("t3.not_processed_2.natural_person") == 2
    assert report.cell("t3.disclosed.business").status == CellStatus.CONFIRMED_ZERO
    assert "因申请人均为自然人，予以公开3件、不予处理·重复申请2件记入自然人列" in res.reply
    assert "其他类型申请人的办理结果和结转下年度均记为0" in res.reply


def test_derived_cells_follow_a_corrected_total():
    script = {"a": ExtractionResult(updates=[num("t3.disclosed.total", 3)]),
              "b": ExtractionResult(updates=[num("t3.disclosed.total", 4, is_correction=True)])}
    res = run(make_engine(script), ["a", "b"], start=_single_column_report())[-1]
    assert res.state.report.value("t3.disclosed.natural_person") == 4


def test_derived_zeros_are_withdrawn_when_a_column_becomes_active():
    script = {"a": ExtractionResult(updates=[num("t3.received.business", 1, is_correction=True)])}
    base, _, _ = derive(_single_column_report())
    assert base.cell("t3.disclosed.business").known
    res = run(make_engine(script), ["a"], start=base)[-1]
    assert not res.state.report.cell("t3.disclosed.business").known
    assert "之前推算的商业企业列办理结果和结转下年度（22项）与新的数字不再相符，已撤销" in res.reply


def test_stated_zero_total_zeroes_its_parts_and_last_part_is_filled():
    r = county(**{"t4.review.total": CellFact(status=CellStatus.VALUE, value=0)})
    r2, changes, lines = derive(r)
    assert all(r2.cell(f"t4.review.{c}").status == CellStatus.CONFIRMED_ZERO
               for c in ("upheld", "corrected", "other_result", "pending"))
    r = county(**{"t4.review.total": CellFact(status=CellStatus.VALUE, value=3),
                  "t4.review.upheld": CellFact(status=CellStatus.VALUE, value=2),
                  "t4.review.corrected": CellFact(status=CellStatus.CONFIRMED_ZERO),
                  "t4.review.other_result": CellFact(status=CellStatus.CONFIRMED_ZERO)})
    r2, changes, lines = derive(r)
    assert r2.value("t4.review.pending") == 1 and lines


def test_derivation_never_fills_a_negative_remainder():
    r = county(**{"t4.review.total": CellFact(status=CellStatus.VALUE, value=1),
                  "t4.review.upheld": CellFact(status=CellStatus.VALUE, value=2),
                  "t4.review.corrected": CellFact(status=CellStatus.CONFIRMED_ZERO),
                  "t4.review.other_result": CellFact(status=CellStatus.CONFIRMED_ZERO)})
    r2, changes, _ = derive(r)
    assert changes == [] and not r2.cell("t4.review.pending").known


# ---- meta: year and format --------------------------------------------------------------------------------


def test_changing_the_year_keeps_shared_cells_and_says_what_was_dropped():
    r = county(2021, **{"t3.received.natural_person": CellFact(status=CellStatus.VALUE, value=4),
                        "t2.normative.issued": CellFact(status=CellStatus.VALUE, value=2),
                        "t2.licensing.decisions": CellFact(status=CellStatus.VALUE, value=30),
                        "t3.other_handling_3.natural_person": CellFact(status=CellStatus.VALUE, value=1)})
    script = {"不好意思，应该是2020年度的": ExtractionResult(meta=MetaUpdate(report_year=2020))}
    res = run(make_engine(script), ["不好意思，应该是2020年度的"], start=r)[-1]
    report = res.state.report
    assert report.report_year == 2020 and report.fmt.id == "2019"
    assert report.value("t3.received.natural_person") == 4
    assert report.value("t2.licensing.decisions") == 30  # same key, same meaning in both formats
    assert "t2.normative.issued" not in report.cells and "t3.other_handling_3.natural_person" not in report.cells
    assert "报告年度改为2020年度" in res.reply
    assert "原记录已移除：其他处理·其他 自然人1件；行政规范性文件 本年制发2件。" in res.reply


def test_year_before_2019_is_refused():
    script = {"更正：2015年度": ExtractionResult(meta=MetaUpdate(report_year=2015))}
    res = run(make_engine(script), ["更正：2015年度"], start=county())[-1]
    assert res.state.report.report_year == 2023 and "**未记录**" in res.reply


def test_bare_year_answers_the_year_question():
    eng = make_engine({"我是某某镇的": ExtractionResult(meta=MetaUpdate(agency="某某镇"))})
    res = run(eng, ["我是某某镇的", "2023年度"])[-1]
    assert res.state.report.report_year == 2023 and res.state.report.level == AgencyLevel.TOWNSHIP


def test_identity_mentioned_in_passing_does_not_change_the_draft():
    script = {"m": ExtractionResult(meta=MetaUpdate(agency="主要通过镇政府", report_year=2022),
                                    narrative={"proactive": "主要通过镇政府网站公开；去年（2022年）的问题已整改"})}
    res = run(make_engine(script), ["m"], start=county())[-1]
    assert res.state.report.agency == "某县某局" and res.state.report.report_year == 2023
    script = {"单位名称改为某县某某局": ExtractionResult(meta=MetaUpdate(agency="某县某某局"))}
    res = run(make_engine(script), ["单位名称改为某县某某局"], start=county())[-1]
    assert res.state.report.agency == "某县某某局"


@pytest.mark.parametrize("name,level", [("新桥乡人民政府", AgencyLevel.TOWNSHIP), ("城关街道办事处", AgencyLevel.TOWNSHIP),
                                        ("平阳县市场监督管理局", AgencyLevel.COUNTY_DEPT),
                                        ("温州市人民政府办公室", AgencyLevel.CITY_GOV), ("某某单位", None)])
def test_infer_level(name, level):
    assert infer_level(name) == level


# ---- contradictions, last year, narrative, drafting -----------------------------------------------------------


def test_error_findings_are_asked_first(monkeypatch):
    finding = Finding(rule="T3-1", severity="error", cells=["t3.received.total"],
                      message="本年新收总计15件，但各类申请人合计14件，差1件，请核对")
    monkeypatch.setattr(engine_mod, "run_checks", lambda r: [finding])
    res = run(make_engine({}), ["？"], start=county())[-1]
    assert res.questions[0].kind == "contradiction" and "差1件" in res.questions[0].text
    assert not res.tables_complete


def test_warnings_are_shown_once(monkeypatch):
    w = Finding(rule="T2-6", severity="warning", cells=["t2.admin_fee.fee_amount"], message="收费金额像是按元填写的")
    monkeypatch.setattr(engine_mod, "run_checks", lambda r: [w])
    results = run(make_engine({}), ["a", "b"], start=county())
    assert "**提示**：收费金额像是按元填写的" in results[0].reply
    assert all("收费金额像是按元填写的" not in r.reply for r in results[1:])


def test_last_year_carry_over_is_proposed_and_confirmed():
    ly = LastYear(report_year=2022, cells={f"t3.carried_out.{c}": CellFact(status=CellStatus.VALUE, value=v)
                                           for c, v in (("natural_person", 2), ("business", 1), ("research", 0),
                                                        ("public_interest", 0), ("legal_service", 0), ("other", 0))})
    r = county().model_copy(update={"last_year": ly})
    eng = make_engine({})
    start = eng.start(r)
    q = next(q for q in start.questions if q.template == "t3_carried_in_last_year")
    assert q.kind == "confirm_value" and "自然人2件、商业企业1件" in q.text
    res = eng.turn(start.state, "对")
    assert res.state.report.value("t3.carried_in.natural_person") == 2
    assert res.state.report.value("t3.carried_in.business") == 1


def _complete_tables(report):
    return report.model_copy(update={"cells": {s.key: CellFact(status=CellStatus.CONFIRMED_ZERO)
                                               for s in report.fmt.input_cells()}})


def test_narrative_answers_are_stored_and_sections_drafted_without_overwriting():
    r = _complete_tables(county())
    r = r.model_copy(update={"sections": {"s5": "承办人自己写的第五部分"}})
    eng = make_engine({})
    res = eng.start(r)
    keys = []
    while res.questions and res.questions[0].kind == "narrative" and len(keys) < 20:
        keys.append(res.questions[0].narrative_key)
        answer = "跳过" if res.questions[0].narrative_key == "other_matters" else f"关于{keys[-1]}的情况"
        res = eng.turn(res.state, answer)
    report = res.state.report
    assert keys == ["proactive", "info_management", "platform", "supervision", "problems", "measures", "fee",
                    "other_matters"]
    assert report.narrative_facts["proactive"] == "关于proactive的情况"
    assert "other_matters" not in report.narrative_facts
    assert report.sections["s1"].startswith("【s1草稿】")
    assert report.sections["s5"] == "承办人自己写的第五部分"
    assert report.sections["s6"].startswith("【s6草稿】")
    assert "已根据您提供的情况起草了" in res.reply or "起草" in res.reply
    assert res.questions == [] and "都已齐全" in res.reply


def test_own_draft_is_redrafted_when_facts_change_but_edited_text_is_kept():
    r = _complete_tables(county())
    r = r.model_copy(update={"narrative_facts": {k: "有" for k in ("proactive", "info_management", "platform",
                                                                     "supervision", "problems", "measures", "fee",
                                                                     "other_matters")}})
    eng = make_engine({"改": ExtractionResult(narrative={"proactive": "新增：开通了公众号"})})
    res = eng.start(r)
    first = res.state.report.sections["s1"]
    res = eng.turn(res.state, "改")
    assert res.state.report.sections["s1"] != first and "开通了公众号" in res.state.report.sections["s1"]
    assert "重新起草" in res.reply
    state = res.state
    state.report = state.report.model_copy(update={"sections": {**state.report.sections, "s1": "审核人改过的"}})
    eng.extractor.script["再改"] = ExtractionResult(narrative={"proactive": "再补充一点"})
    res = eng.turn(state, "再改")
    assert res.state.report.sections["s1"] == "审核人改过的"


def test_narrative_never_overwrites_earlier_words():
    r = county().model_copy(update={"narrative_facts": {"problems": "人员少"}})
    eng = make_engine({"m": ExtractionResult(narrative={"problems": "培训不足"})})
    res = eng.turn(eng.start(r).state, "m")
    assert res.state.report.narrative_facts["problems"] == "人员少\n培训不足"


# ---- robustness ---------------------------------------------------------------------------------------------


def test_model_failure_falls_back_to_rules_with_a_notice(monkeypatch):
    monkeypatch.setattr(engine_mod, "_default_extractor", lambda: ScriptedExtractor(
        {"x": ExtractionResult(updates=[num("t3.received.natural_person", 3)])}))
    eng = ConversationEngine(extractor=FailingExtractor(), drafter=drafter)
    res = eng.turn(eng.start(county()).state, "x")
    assert res.notices == ["模型暂时不可用，本轮已使用离线引擎处理"]
    assert res.state.report.value("t3.received.natural_person") == 3


def test_model_proposals_do_not_silently_overwrite_stated_cells():
    class Model(ScriptedExtractor):
        name = "llm"

    r = county(**{"t3.received.natural_person": CellFact(status=CellStatus.VALUE, value=5)})
    eng = ConversationEngine(extractor=Model({"m": ExtractionResult(updates=[num("t3.received.natural_person", 9)])}),
                             drafter=drafter)
    res = eng.turn(eng.start(r).state, "m")
    assert res.state.report.value("t3.received.natural_person") == 5
    assert "**未改动**" in res.reply


def test_turns_are_deterministic_and_do_not_mutate_the_input_state():
    eng = make_engine(TOWNSHIP_SCRIPT)
    a = run(eng, list(TOWNSHIP_SCRIPT))
    b = run(make_engine(TOWNSHIP_SCRIPT), list(TOWNSHIP_SCRIPT))
    assert [r.reply for r in a] == [r.reply for r in b]
    before = a[1].state.model_copy(deep=True)
    eng.turn(a[1].state, "今年没有收到依申请公开，也没有复议诉讼")
    assert a[1].state == before


def test_extractor_gets_the_pending_questions_as_context():
    eng = make_engine(TOWNSHIP_SCRIPT)
    results = run(eng, list(TOWNSHIP_SCRIPT))
    ctx = eng.extractor.contexts[-1]
    assert [q.template for q in ctx.pending] == [q.template for q in results[-2].questions]
    assert "t3_carried_in_zero" in [q.template for q in ctx.pending]
    assert ctx.message_id == "m3"


def test_a_correction_while_a_narrative_question_is_open_goes_to_the_tables():
    def extract(ctx):
        if any(q.kind == "narrative" for q in ctx.pending):
            return ExtractionResult(narrative={"proactive": "行政处罚刚才说错了，是18件"})
        return ExtractionResult(updates=[num("t2.penalty.decisions", 18, is_correction=True)])

    r = _complete_tables(county())
    r.cells["t2.penalty.decisions"] = CellFact(status=CellStatus.VALUE, value=15)
    eng = make_engine({"行政处罚刚才说错了，是18件": extract, "我们主要通过网站公开": extract})
    start = eng.start(r)
    assert start.questions[0].kind == "narrative"
    res = eng.turn(start.state, "行政处罚刚才说错了，是18件")
    assert res.state.report.value("t2.penalty.decisions") == 18
    assert "proactive" not in res.state.report.narrative_facts
    assert "**已更正**：行政处罚 处理决定 15件→18件" in res.reply
    res = eng.turn(res.state, "我们主要通过网站公开")
    assert "proactive" not in res.state.report.narrative_facts  # a correction is talk: never a narrative fact
