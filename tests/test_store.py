"""The SQLite store: WAL, messages saved before processing, optimistic concurrency, events, versions, owners."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import text

from assistant.conversation import ConversationState
from assistant.errors import StoreError
from assistant.facts import FactUpdate, Report, apply_updates
from assistant.store import (
    DB_FILENAME,
    DraftNotFound,
    NewMessage,
    NewSectionVersion,
    SectionLocked,
    SQLStore,
    VersionConflict,
    open_store,
)


@pytest.fixture
def store(db_url):
    """The contract suite runs on both backends (SQLite and PostgreSQL, see tests/pg_fixtures.py)."""
    s = SQLStore(db_url)
    yield s
    s.close()


def _state(agency: str = "测试镇人民政府", year: int = 2024) -> ConversationState:
    return ConversationState(report=Report(agency=agency, report_year=year))


def test_wal_mode_and_data_dir_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "nested" / "data"))
    s = open_store()
    try:
        assert s.journal_mode() == "wal"
        assert s.path == tmp_path / "nested" / "data" / DB_FILENAME
        assert s.path.exists()
    finally:
        s.close()


def test_draft_ids_are_unguessable_and_unique(store):
    ids = {store.create_draft("u", "t", _state()).id for _ in range(20)}
    assert len(ids) == 20
    assert all(len(i) >= 24 and i.replace("-", "").replace("_", "").isalnum() for i in ids)


def test_message_is_persisted_before_processing_and_visible_when_unprocessed(store, tmp_path):
    d = store.create_draft("u", "t", _state())
    msg = store.add_message("u", d.id, "user", "本年新收申请15件")
    # a crash here: another process opening the same file sees the message, unprocessed
    other = SQLStore(store.url)
    try:
        pending = other.unprocessed_messages("u", d.id)
        assert [m.content for m in pending] == ["本年新收申请15件"]
        assert pending[0].processed is False
    finally:
        other.close()
    store.save_state(
        "u",
        d.id,
        d.state,
        expected_version=d.version,
        processed_message_id=msg.id,
        messages=[NewMessage("assistant", "已记录", reply_to=msg.id)],
    )
    assert store.unprocessed_messages("u", d.id) == []
    roles = [(m.role, m.processed, m.reply_to) for m in store.list_messages("u", d.id)]
    assert roles == [("user", True, None), ("assistant", True, msg.id)]


def test_same_uid_is_stored_once(store):
    d = store.create_draft("u", "t", _state())
    a = store.add_message("u", d.id, "user", "第一次", uid="abc")
    b = store.add_message("u", d.id, "user", "第一次", uid="abc")
    assert a.id == b.id
    assert len(store.list_messages("u", d.id)) == 1


def test_stale_version_is_detected_and_nothing_is_written(store):
    d = store.create_draft("u", "t", _state())
    first = store.save_state("u", d.id, _state("甲镇"), expected_version=d.version)
    assert first.version == d.version + 1
    with pytest.raises(VersionConflict) as e:
        store.save_state(
            "u", d.id, _state("乙镇"), expected_version=d.version, messages=[NewMessage("assistant", "不应写入")]
        )
    assert e.value.current == first.version
    again = store.get_draft("u", d.id)
    assert again.state.report.agency == "甲镇"
    assert again.version == first.version
    assert [m.content for m in store.list_messages("u", d.id)] == []


def test_concurrent_writers_one_wins_per_version(store):
    d = store.create_draft("u", "t", _state())
    results: list[str] = []

    def write(name: str) -> None:
        try:
            store.save_state("u", d.id, _state(name), expected_version=d.version)
            results.append("ok")
        except VersionConflict:
            results.append("conflict")

    threads = [threading.Thread(target=write, args=(f"镇{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * 5 + ["ok"]
    assert store.get_draft("u", d.id).version == d.version + 1


def test_fact_events_record_before_after_and_provenance(store):
    d = store.create_draft("u", "t", _state())
    res = apply_updates(
        d.state.report,
        [FactUpdate(cell="t3.received.natural_person", value=12, evidence="自然人12件")],
        source="message",
        ref="7",
    )
    store.save_state(
        "u",
        d.id,
        d.state.model_copy(update={"report": res.report}),
        expected_version=d.version,
        changes=res.changes,
        message_id=7,
        author_role="clerk",
    )
    res2 = apply_updates(
        res.report, [FactUpdate(cell="t3.received.natural_person", value=13, evidence="手工")], source="manual"
    )
    d2 = store.get_draft("u", d.id)
    store.save_state(
        "u",
        d.id,
        d2.state.model_copy(update={"report": res2.report}),
        expected_version=d2.version,
        changes=res2.changes,
        change_source="manual",
        author_role="reviewer",
    )
    events = store.list_fact_events("u", d.id, "t3.received.natural_person")
    assert [(e.before.value, e.after.value, e.source, e.message_id, e.author_role) for e in events] == [
        (None, Decimal(12), "message", 7, "clerk"),
        (Decimal(12), Decimal(13), "manual", None, "reviewer"),
    ]
    assert events[0].after.provenance.evidence == "自然人12件"
    assert store.get_draft("u", d.id).state.report.value("t3.received.natural_person") == 13


def test_section_versions_and_lock(store):
    d = store.create_draft("u", "t", _state())
    d = store.save_state(
        "u",
        d.id,
        d.state,
        expected_version=d.version,
        section_versions=[NewSectionVersion("s1", "第一版", "clerk", "offline")],
    )
    d = store.save_state(
        "u",
        d.id,
        d.state,
        expected_version=d.version,
        section_versions=[NewSectionVersion("s1", "第二版", "reviewer", "offline", "压缩到300字")],
    )
    versions = store.list_section_versions("u", d.id, "s1")
    assert [(v.version_no, v.text, v.author_role, v.instruction, v.locked) for v in versions] == [
        (1, "第一版", "clerk", None, False),
        (2, "第二版", "reviewer", "压缩到300字", False),
    ]
    locked = store.set_section_lock("u", d.id, "s1", True)
    assert locked.version_no == 2 and locked.locked
    assert store.is_section_locked("u", d.id, "s1")
    with pytest.raises(SectionLocked):
        store.save_state(
            "u",
            d.id,
            d.state,
            expected_version=store.get_draft("u", d.id).version,
            section_versions=[NewSectionVersion("s1", "第三版", "clerk", "offline")],
        )
    assert len(store.list_section_versions("u", d.id, "s1")) == 2  # the refused write left nothing
    store.set_section_lock("u", d.id, "s1", False)
    d = store.get_draft("u", d.id)
    store.save_state(
        "u",
        d.id,
        d.state,
        expected_version=d.version,
        section_versions=[NewSectionVersion("s1", "第三版", "clerk", "manual")],
    )
    assert [v.version_no for v in store.list_section_versions("u", d.id, "s1")] == [1, 2, 3]


def test_reopen_after_close_finds_everything(db_url):
    s = SQLStore(db_url)
    d = s.create_draft("u", "我的年报", _state(), messages=[NewMessage("assistant", "您好")])
    s.add_message("u", d.id, "user", "自然人12件")
    s.close()
    with pytest.raises(StoreError):
        s.list_drafts("u")
    s2 = SQLStore(db_url)
    try:
        again = s2.get_draft("u", d.id)
        assert again.title == "我的年报"
        assert again.state.report.agency == "测试镇人民政府"
        assert [m.content for m in s2.list_messages("u", d.id)] == ["您好", "自然人12件"]
    finally:
        s2.close()


def test_owners_are_isolated(store):
    mine = store.create_draft("alice", "甲", _state())
    theirs = store.create_draft("bob", "乙", _state())
    assert [d.id for d in store.list_drafts("alice")] == [mine.id]
    for call in (
        lambda: store.get_draft("alice", theirs.id),
        lambda: store.list_messages("alice", theirs.id),
        lambda: store.add_message("alice", theirs.id, "user", "x"),
        lambda: store.save_state("alice", theirs.id, _state(), expected_version=theirs.version),
        lambda: store.rename_draft("alice", theirs.id, "偷改"),
        lambda: store.delete_draft("alice", theirs.id),
        lambda: store.list_fact_events("alice", theirs.id),
        lambda: store.list_section_versions("alice", theirs.id),
        lambda: store.set_section_lock("alice", theirs.id, "s1", True),
    ):
        with pytest.raises(DraftNotFound):
            call()
    assert store.get_draft("bob", theirs.id).title == "乙"
    assert store.list_messages("bob", theirs.id) == []
    with pytest.raises(DraftNotFound):
        store.get_draft("", theirs.id)


def test_rename_delete_and_list_order(store):
    a = store.create_draft("u", "  第一份\n草稿  ", _state())
    b = store.create_draft("u", "", _state())
    assert store.get_draft("u", a.id).title == "第一份 草稿"
    assert store.get_draft("u", b.id).title == "未命名草稿"
    store.add_message("u", a.id, "user", "更新")
    store.rename_draft("u", a.id, "改名")
    assert store.list_drafts("u")[0].id == a.id
    store.delete_draft("u", a.id)
    assert [d.id for d in store.list_drafts("u")] == [b.id]
    with pytest.raises(DraftNotFound):
        store.list_messages("u", a.id)
    with store.engine.connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM messages WHERE draft_id = :d"), {"d": a.id}).scalar() == 0


def test_corrupt_state_gives_a_chinese_error(store):
    d = store.create_draft("u", "坏草稿", _state())
    with store.engine.begin() as con:
        con.execute(text("UPDATE drafts SET state_json = :s WHERE id = :d"), {"s": '{"report": {"report_year": 1}}', "d": d.id})
    with pytest.raises(StoreError, match="已损坏"):
        store.get_draft("u", d.id)
