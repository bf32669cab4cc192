"""The app's draft service over the store: messages before processing, crash → re-run, conflicts resolved
explicitly, locked sections never regenerated, manual edits as "manual", import merge, next-year duplicate."""

from __future__ import annotations

import pytest

from assistant.conversation import ConversationState, TurnResult
from assistant.errors import AssistantError
from assistant.facts import CellStatus, FactUpdate, Report, apply_updates
from assistant.service import ROLE_CLERK, ROLE_REVIEWER, DraftService
from assistant.store import SectionLocked, open_store


class ScriptedEngine:
    """Deterministic stand-in for the conversation engine: "key=value" messages set cells; "s1:text" drafts s1;
    "boom" raises; an optional hook runs before the turn returns (to simulate a second tab writing)."""

    name = "scripted"

    def __init__(self) -> None:
        self.before_return = None
        self.calls = 0

    def start(self, report: Report | None = None) -> TurnResult:
        return TurnResult(state=ConversationState(report=report or Report()), reply="您好，请告诉我今年的数字。")

    def turn(self, state: ConversationState, message: str, message_id: str | None = None) -> TurnResult:
        self.calls += 1
        if message == "boom":
            raise RuntimeError("engine bug")
        state = state.model_copy(deep=True)
        state.turn += 1
        report = state.report
        changes = []
        if message.startswith("s1:"):
            report = report.model_copy(update={"sections": {**report.sections, "s1": message[3:]}})
        else:
            key, value = message.split("=")
            res = apply_updates(report, [FactUpdate(cell=key, value=int(value), evidence=message)], ref=message_id)
            report, changes = res.report, res.changes
        state.report = report
        if self.before_return:
            hook, self.before_return = self.before_return, None
            hook()
        return TurnResult(state=state, reply=f"已记录：{message}", changes=changes)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path)
    yield s
    s.close()


@pytest.fixture
def engine():
    return ScriptedEngine()


def _svc(store, engine, owner="local", role=ROLE_CLERK):
    return DraftService(store, owner, engine=engine, role=role)


def test_create_writes_greeting_and_title(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="  测试镇\n人民政府 ", report_year=2024)
    assert d.title == "测试镇 人民政府2024年度年报"
    assert [(m.role, m.content) for m in svc.messages(d.id)] == [("assistant", "您好，请告诉我今年的数字。")]


def test_year_before_2019_is_refused_in_chinese(store, engine):
    with pytest.raises(AssistantError, match="2019"):
        _svc(store, engine).create(agency="x", report_year=2015)


def test_turn_records_message_reply_and_fact_event(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="甲镇", report_year=2024)
    out = svc.send(d.id, "t3.received.natural_person=12")
    assert out.reply == "已记录：t3.received.natural_person=12"
    assert out.draft.state.report.value("t3.received.natural_person") == 12
    msgs = svc.messages(d.id)
    assert [(m.role, m.processed) for m in msgs] == [("assistant", True), ("user", True), ("assistant", True)]
    ev = store.list_fact_events("local", d.id)
    assert [(e.cell, e.message_id, e.source) for e in ev] == [("t3.received.natural_person", msgs[1].id, "message")]


def test_crash_mid_turn_leaves_message_saved_and_rerunnable(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="甲镇", report_year=2024)
    out = svc.send(d.id, "boom")
    assert out.errors and "已保存" in out.errors[0]
    pending = svc.unprocessed(d.id)
    assert [m.content for m in pending] == ["boom"]
    # after a fix (here: edit the stored text's meaning by swapping the engine), the message is re-run
    store_msg = pending[0]
    engine.turn = lambda state, message, message_id=None: ScriptedEngine.turn(engine, state, "t4.review.upheld=1")
    out = svc.reprocess(d.id, store_msg.id)
    assert out.draft.state.report.value("t4.review.upheld") == 1
    assert svc.unprocessed(d.id) == []


def test_second_tab_write_during_turn_is_not_lost(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="甲镇", report_year=2024)
    other_tab = _svc(store, ScriptedEngine())

    engine.before_return = lambda: other_tab.send(d.id, "t3.received.business=3")
    out = svc.send(d.id, "t3.received.natural_person=12")
    assert out.conflict_resolved
    report = svc.open(d.id).state.report
    assert report.value("t3.received.business") == 3  # the other tab's number survived
    assert report.value("t3.received.natural_person") == 12  # and ours was re-applied on top
    assert engine.calls == 2
    assert svc.unprocessed(d.id) == []


def test_manual_edit_conflict_is_reported_not_overwritten(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="甲镇", report_year=2024)
    seen = {"t3.received.natural_person": d.state.report.cell("t3.received.natural_person")}
    svc.send(d.id, "t3.received.natural_person=12")  # changed elsewhere after the grid was shown
    out = svc.apply_manual(
        d.id,
        [
            FactUpdate(cell="t3.received.natural_person", value=5, evidence="grid", is_correction=True),
            FactUpdate(cell="t3.received.business", value=2, evidence="grid", is_correction=True),
        ],
        seen={**seen, "t3.received.business": d.state.report.cell("t3.received.business")},
    )
    report = out.draft.state.report
    assert report.value("t3.received.natural_person") == 12
    assert report.value("t3.received.business") == 2
    assert report.cell("t3.received.business").provenance.source == "manual"
    assert any("未覆盖" in n for n in out.notices)


def test_locked_section_is_never_regenerated_or_overwritten(store, engine, monkeypatch):
    reviewer = _svc(store, engine, role=ROLE_REVIEWER)
    clerk = _svc(store, engine, role=ROLE_CLERK)
    d = reviewer.create(agency="甲镇", report_year=2024)
    monkeypatch.setattr(
        "assistant.service.integrations.draft_offline_with_notes",
        lambda report, sid, variant, instruction: (f"第{variant}稿（{instruction or '无要求'}）", []),
    )
    reviewer.regenerate_offline(d.id, "s1", instruction="压缩到300字")
    assert reviewer.open(d.id).state.report.sections["s1"] == "第0稿（压缩到300字）"
    with pytest.raises(AssistantError, match="审核人"):
        clerk.set_locked(d.id, "s1", True)
    reviewer.set_locked(d.id, "s1", True)
    with pytest.raises(SectionLocked):
        clerk.regenerate_offline(d.id, "s1")
    with pytest.raises(SectionLocked):
        clerk.save_section(d.id, "s1", "改写", origin="manual")
    # the engine drafting s1 in a turn does not overwrite the locked text either
    clerk.send(d.id, "s1:引擎想要覆盖")
    assert clerk.open(d.id).state.report.sections["s1"] == "第0稿（压缩到300字）"
    assert [v.text for v in clerk.section_versions(d.id, "s1")] == ["第0稿（压缩到300字）"]
    reviewer.set_locked(d.id, "s1", False)
    reviewer.regenerate_offline(d.id, "s1")
    assert [v.version_no for v in reviewer.section_versions(d.id, "s1")] == [1, 2]


def test_restore_creates_a_new_version(store, engine):
    svc = _svc(store, engine, role=ROLE_REVIEWER)
    d = svc.create(agency="甲镇", report_year=2024)
    svc.save_section(d.id, "s5", "旧的", origin="manual")
    svc.save_section(d.id, "s5", "新的", origin="manual", instruction="改写")
    svc.restore(d.id, "s5", 1)
    versions = svc.section_versions(d.id, "s5")
    assert [(v.version_no, v.text, v.origin) for v in versions] == [
        (1, "旧的", "manual"),
        (2, "新的", "manual"),
        (3, "旧的", "restore"),
    ]
    assert svc.open(d.id).state.report.sections["s5"] == "旧的"
    with pytest.raises(AssistantError):
        svc.save_section(d.id, "s3", "表格不能写文字", origin="manual")


def test_import_merge_keeps_stated_cells(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="甲镇", report_year=2024)
    svc.send(d.id, "t3.received.natural_person=12")
    imported = apply_updates(
        Report(report_year=2024),
        [
            FactUpdate(cell="t3.received.natural_person", value=10, evidence="台账"),
            FactUpdate(cell="t3.received.business", value=1, evidence="台账"),
        ],
    ).report
    out = svc.merge_import(d.id, imported, ref="台账.xlsx")
    report = out.draft.state.report
    assert report.value("t3.received.natural_person") == 12
    assert report.value("t3.received.business") == 1
    assert report.cell("t3.received.business").provenance.source == "import"
    assert out.notices and "保留了原值" in out.notices[0]
    with pytest.raises(AssistantError, match="年度"):
        svc.merge_import(d.id, Report(report_year=2023, cells=imported.cells), ref="x")


def test_duplicate_as_next_year(store, engine):
    svc = _svc(store, engine)
    d = svc.create(agency="甲镇", report_year=2023)
    svc.send(d.id, "t3.carried_out.natural_person=2")
    new = svc.duplicate_next_year(d.id)
    assert new.id != d.id
    r = new.state.report
    assert r.report_year == 2024 and r.agency == "甲镇"
    assert r.last_year is not None and r.last_year.report_year == 2023
    assert r.cell("t3.received.natural_person").status == CellStatus.UNKNOWN  # this year's numbers not invented
    assert {x.id for x in svc.list_drafts()} == {d.id, new.id}


def test_other_owner_cannot_touch_a_draft(store, engine):
    mine = _svc(store, engine, owner="alice").create(agency="甲镇", report_year=2024)
    bob = _svc(store, engine, owner="bob")
    assert bob.list_drafts() == []
    with pytest.raises(AssistantError):
        bob.send(mine.id, "t3.received.natural_person=1")
    assert _svc(store, engine, owner="alice").messages(mine.id)[-1].role == "assistant"
