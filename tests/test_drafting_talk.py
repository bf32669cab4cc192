"""Talk never becomes prose: corrections, questions, complaints, apologies, 「说过了」, 「先空着」 and instructions are
recognised as talk (corpus in tests/corpora/), never stored as a narrative fact and never drafted; the clerk's words
reach the prose in the official register; one answer fills several slots; a restated slot is replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.commands.chat import read_script, run_conversation
from assistant.drafting import (
    NARRATIVE_BY_KEY,
    draft_all,
    draft_section,
    is_talk,
    merge_narrative,
    restatement,
    strip_talk,
)
from assistant.drafting.composition import clerk_items
from assistant.drafting.intake import route
from assistant.drafting.register import RegisterContext, approximations, formalize
from assistant.drafting.talk import talk_kind
from assistant.engine import ConversationEngine
from assistant.facts import AgencyLevel, Report

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpora"
DIALOGUES = ROOT / "samples" / "dialogues"  # the top level only: heldout/ is never opened here


def _lines(name: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    group = ""
    for line in (CORPORA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            group = line[3:].strip()
        elif line.strip() and not line.startswith("#"):
            out.append((group, line.strip()))
    return out


TALK = _lines("talk_messages.txt")
CONTENT = [text for _, text in _lines("content_sentences.txt")]
ISSUE_EXAMPLES = [text for group, text in TALK if group == "issue 12"]


def test_the_corpora_are_substantial():
    assert len(TALK) >= 80 and len({g for g, _ in TALK}) >= 8
    assert len(CONTENT) >= 15


@pytest.mark.parametrize(("group", "message"), TALK, ids=[f"{g}:{m[:12]}" for g, m in TALK])
def test_every_talk_message_is_talk(group, message):
    if group == "issue 12":  # the issue's examples mix talk with content ("…无结转…的申请。不好意思…")
        assert all(part not in strip_talk(message) for part in ("说过了", "不好意思", "说错", "为什么", "还不知道"))
    else:
        assert is_talk(message), (message, strip_talk(message))
        if group not in ("filler",):
            assert talk_kind(message) is not None


@pytest.mark.parametrize("sentence", CONTENT)
def test_report_content_is_never_taken_for_talk(sentence):
    assert strip_talk(sentence) == sentence


def test_talk_is_cut_out_of_a_sentence_that_also_has_content():
    assert strip_talk("没有 说过了") == "没有。"
    assert strip_talk("无结转下年度继续办理的申请。不好意思，刚才处罚说错了，是37件不是35件。") == (
        "无结转下年度继续办理的申请。"
    )
    assert strip_talk("一是刚才说了啊；二是改进就是多参加培训") == "二是改进就是多参加培训。"
    assert strip_talk("等一下，收费我说的是还不知道，不是0，你为什么填了0。") == ""


# ---- the register ---------------------------------------------------------------------------------------


def test_first_person_year_words_and_colloquial_words_become_formal():
    ctx = RegisterContext("我镇", 2023)
    assert formalize("明年找个专人负责", ctx) == "2024年明确专人负责"
    assert formalize("我们今年搞了两次培训", ctx) == "我镇2023年开展了两次培训"
    assert formalize("去年的问题我已经整改了", ctx) == "2022年的问题我镇已经整改了"
    assert formalize("今年的事", RegisterContext("我局", None)) == "本年度的事"
    assert formalize("我局开通了微信公众号", ctx) == "我局开通了微信公众号"  # formal already: unchanged


def test_approximations_become_yu_or_jin_never_zuoyou():
    assert approximations("主动公开信息86条左右") == "主动公开信息86余条"
    assert approximations("大概86条") == "86余条"
    assert approximations("发布解读80多篇") == "发布解读80余篇"
    assert approximations("将近90期") == "近90期"
    assert approximations("主动公开信息86条") == "主动公开信息86条"  # an exact figure stays exact


def test_clerk_items_drop_talk_and_use_the_register():
    items = clerk_items("一是刚才说了啊；二是改进就是多参加培训；三是明年找个专人", "我镇", 2023)
    assert items == ["积极参加业务培训", "2024年明确专人"]


# ---- slots from chat --------------------------------------------------------------------------------------


def test_one_answer_covering_several_topics_fills_several_slots():
    answer = (
        "镇党政办一名同志兼职负责，参加了县里组织的培训1次，政务公开纳入了年度考核。"
        "存在的问题是公开内容还不够全面及时。下一步明年找个专人负责；去年提出的公开栏更新慢的问题已经整改。"
        "信息处理费没有收取。"
    )
    parts = route(answer, "supervision")
    assert set(parts) == {"supervision", "problems", "measures", "fee"}
    assert "考核" in parts["supervision"] and "下一步" not in parts["supervision"]
    assert "整改" in parts["measures"] and "下一步" in parts["measures"]


def test_a_plain_answer_stays_with_the_question_asked():
    assert route("主要通过网站公开", "proactive") == {"proactive": "主要通过网站公开"}
    assert route("没有", "other_matters") == {"other_matters": "没有"}


def test_talk_is_never_stored_and_a_restated_slot_is_replaced():
    facts, changed = merge_narrative({}, {"fee": "等一下，收费我说的是还不知道，不是0，你为什么填了0。"})
    assert facts == {} and changed == []
    facts, _ = merge_narrative({"proactive": "主要通过网站公开"}, {"proactive": "全年主动公开政府信息86条"})
    assert facts["proactive"] == "主要通过网站公开\n全年主动公开政府信息86条"
    key, body = restatement("主动公开方面重新说一下：全年主动公开政府信息90条，发布解读3篇")
    assert key == "proactive" and body.startswith("全年")
    facts, changed = merge_narrative(facts, {key: body}, replace=[key])
    assert facts["proactive"] == body and changed == ["proactive"]
    assert restatement("问题部分改成：人员力量不足") == ("problems", "人员力量不足")
    assert restatement("主动公开86条") is None


def _township(**facts: str) -> Report:
    return Report(agency="清水镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2023, narrative_facts=facts)


def test_the_issue_examples_never_reach_a_drafted_section():
    report = _township(
        measures="一是刚才说了啊；二是改进就是多参加培训",
        fee="没有 说过了",
        proactive="等一下，收费我说的是还不知道，不是0，你为什么填了0。",
        applications="不好意思，刚才处罚说错了，是37件不是35件。",
    )
    text = "\n".join(draft_all(report).values())
    for talk in ("刚才说了", "说过了", "不好意思", "说错", "你为什么", "还不知道", "改进就是"):
        assert talk not in text
    assert "积极参加业务培训" in draft_section(report, "s5")
    assert "未收取信息处理费" in draft_section(report, "s6")
    assert "【待补充：主动公开情况" in draft_section(report, "s1")  # all talk: the slot is still open


# ---- sample conversations --------------------------------------------------------------------------------

SAMPLES = sorted(DIALOGUES.glob("*.txt"))


@pytest.fixture(scope="module")
def drafted() -> dict[str, Report]:
    return {p.stem: run_conversation(ConversationEngine(), read_script(str(p)), out=lambda _s: None) for p in SAMPLES}


def _talk_needles() -> list[str]:
    """Each talk message and each of its talk clauses long enough to be recognisable in prose."""
    needles = set()
    for _, message in TALK:
        for clause in message.replace("，", "。").replace("；", "。").split("。"):
            clause = clause.strip(" ，。？?！!")
            if len(clause) >= 4 and talk_kind(clause):
                needles.add(clause)
    return sorted(needles)


def test_no_talk_in_any_drafted_section_of_any_sample_conversation(drafted):
    needles = _talk_needles()
    assert len(needles) >= 40
    for name, report in drafted.items():
        for sid, text in report.sections.items():
            leaked = [n for n in needles if n in text]
            assert not leaked, (name, sid, leaked)
            for sentence in (s for s in text.replace("；", "。").split("。") if s.strip()):
                assert not is_talk(sentence), (name, sid, sentence)


def test_the_talkative_township_gets_clean_complete_sections(drafted):
    report = drafted["township_narrative_talk"]
    text = "\n".join(report.sections.get(s, "") for s in ("s1", "s5", "s6"))
    assert "【待补充" not in text  # every slot was answered
    assert "主动公开政府信息86条，更新村务公开栏48期" in report.sections["s1"]  # the restatement replaced it
    assert "86条左右" not in text and "86余条" not in text
    assert "2024年明确专人负责" in report.sections["s5"]
    assert "我们" not in text and "明年" not in text and "今年" not in text
    assert report.value("t2.penalty.decisions") == 4


def test_no_placeholder_remains_for_a_slot_the_clerk_answered(drafted):
    for name, report in drafted.items():
        for key, said in report.narrative_facts.items():
            if not strip_talk(said):
                continue
            label = NARRATIVE_BY_KEY[key].label
            for sid, text in report.sections.items():
                assert f"【待补充：{label}】" not in text, (name, sid, key)


def test_numbering_of_item_lists_is_continuous(drafted):
    for name, report in drafted.items():
        for sid, text in report.sections.items():
            for para in text.split("\n"):
                marks = re.findall(r"([一二三四五六七八九十])是", para)
                if marks:
                    assert "".join(marks) == "一二三四五六七八九十"[: len(marks)], (name, sid, para)


def test_a_several_topic_answer_is_not_asked_again():
    """The supervision answer of the talkative township also covers problems and measures: neither is asked next."""
    messages = read_script(str(DIALOGUES / "township_narrative_talk.txt"))
    multi = next(i for i, m in enumerate(messages) if m.startswith("镇党政办一名同志兼职负责"))
    engine = ConversationEngine()
    res = engine.start(Report())
    for message in messages[: multi + 1]:
        res = engine.turn(res.state, message)
    facts = res.state.report.narrative_facts
    assert {"supervision", "problems", "measures"} <= set(facts)
    assert not {q.narrative_key for q in res.questions} & {"supervision", "problems", "measures"}
