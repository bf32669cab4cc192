"""What the SQL store adds for several app servers: cheap turns, replayed extraction on conflicts, migrations
and the schema version check. Runs on SQLite and PostgreSQL (``db_url``, see tests/pg_fixtures.py)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from assistant.engine import ConversationEngine
from assistant.service import DraftService
from assistant.storage.instrument import count_statements
from assistant.store import DatabaseTooNew, NewSectionVersion, SQLiteStore, SQLStore, head_revision

SIX_NUMBERS = "今年收到申请15件，其中自然人12件，商业企业3件；予以公开10件，部分公开2件，结转下年度3件"


def test_a_turn_costs_three_statements_beyond_the_stated_facts_events(db_url):
    store = SQLStore(db_url)
    service = DraftService(store, "u", engine=ConversationEngine())
    draft = service.create(agency="城关镇人民政府", report_year=2024)
    with count_statements(store.engine) as log:
        out = service.send(draft.id, SIX_NUMBERS)
    assert not out.errors
    stated = [c for c in out.changes if not (c.after.provenance and (c.after.provenance.note or "").startswith("推算"))]
    assert log.fact_events == 1  # one batched insert of the stated cells' events
    events = store.list_fact_events("u", draft.id)
    assert len(events) == len(stated) >= 6
    # saving the message (1), reading the draft (1), the versioned state update (1), the reply (1)
    assert log.beyond_fact_events <= 4, log.data
    store.close()


def test_a_conflict_reapplies_the_extraction_instead_of_extracting_again(db_url):
    store = SQLStore(db_url)
    engine = ConversationEngine()
    service = DraftService(store, "u", engine=engine)
    draft = service.create(agency="城关镇人民政府", report_year=2024)
    other = DraftService(SQLStore(db_url), "u", engine=ConversationEngine())
    inner = engine.extractor
    calls = []

    class OtherServerWritesMeanwhile:
        name = "rules"

        def extract(self, message, context):
            calls.append(message)
            if len(calls) == 1:  # another server saves the draft while this one is extracting
                other.send(draft.id, "行政处罚21件")
            return inner.extract(message, context)

    engine.extractor = OtherServerWritesMeanwhile()
    out = service.send(draft.id, "行政许可300件")
    assert out.conflict_resolved and not out.errors
    assert len(calls) == 1  # the extractor (with a model: a paid call) ran once for this message
    report = service.open(draft.id).state.report
    assert report.value("t2.licensing.decisions") == 300 and report.value("t2.penalty.decisions") == 21
    other.store.close()
    store.close()


def test_locked_sections_are_read_with_the_draft(db_url):
    store = SQLStore(db_url)
    service = DraftService(store, "u", engine=ConversationEngine())
    draft = service.create(agency="城关镇人民政府", report_year=2024)
    store.save_state("u", draft.id, draft.state, expected_version=draft.version,
                     section_versions=[NewSectionVersion("s5", "问题与改进……", "reviewer", "manual")])
    store.set_section_lock("u", draft.id, "s5", True)
    assert store.get_draft("u", draft.id).locked_sections == {"s5"}
    store.set_section_lock("u", draft.id, "s5", False)
    assert store.get_draft("u", draft.id).locked_sections == frozenset()
    store.close()


def test_a_database_newer_than_the_program_is_refused_in_chinese(db_url):
    store = SQLStore(db_url)
    with store.engine.begin() as con:
        con.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(DatabaseTooNew, match="比当前程序.*新"):
        SQLStore(db_url)


# The schema the first version's SQLite store created (before migrations existed).
V01_SCHEMA = """
CREATE TABLE drafts (id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, version INTEGER NOT NULL, state_json TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0);
CREATE INDEX drafts_owner ON drafts(owner, seq);
CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL REFERENCES drafts(id)
    ON DELETE CASCADE, uid TEXT, role TEXT NOT NULL, content TEXT NOT NULL, created_at TEXT NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0, reply_to INTEGER, meta_json TEXT NOT NULL DEFAULT '{}');
CREATE INDEX messages_draft ON messages(draft_id, id);
CREATE UNIQUE INDEX messages_uid ON messages(draft_id, uid) WHERE uid IS NOT NULL;
CREATE TABLE fact_events (id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL REFERENCES drafts(id)
    ON DELETE CASCADE, message_id INTEGER, cell TEXT NOT NULL, before_json TEXT NOT NULL, after_json TEXT NOT NULL,
    source TEXT NOT NULL, author_role TEXT, created_at TEXT NOT NULL);
CREATE INDEX fact_events_draft ON fact_events(draft_id, cell, id);
CREATE TABLE section_versions (id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL REFERENCES drafts(id)
    ON DELETE CASCADE, section_id TEXT NOT NULL, version_no INTEGER NOT NULL, text TEXT NOT NULL,
    author_role TEXT NOT NULL, instruction TEXT, origin TEXT NOT NULL, created_at TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0, UNIQUE (draft_id, section_id, version_no));
PRAGMA user_version=1;
"""


def test_a_first_version_sqlite_file_is_migrated_and_keeps_everything(tmp_path):
    path = tmp_path / "assistant.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(V01_SCHEMA)
    state = '{"report": {"agency": "旧镇人民政府", "report_year": 2023}}'
    con.execute("INSERT INTO drafts VALUES ('d1', 'u', '旧草稿', 't', 't', 3, ?, 1)", (state,))
    con.execute("INSERT INTO messages (draft_id, role, content, created_at, processed) VALUES ('d1','user','你好','t',1)")
    con.execute("INSERT INTO section_versions (draft_id, section_id, version_no, text, author_role, origin, created_at,"
                " locked) VALUES ('d1', 's1', 1, '总体情况……', 'reviewer', 'manual', 't', 1)")
    con.commit()
    con.close()
    store = SQLiteStore(path)
    draft = store.get_draft("u", "d1")
    assert draft.state.report.agency == "旧镇人民政府" and draft.version == 3
    assert draft.locked_sections == {"s1"}  # backfilled by migration 0002
    assert [m.content for m in store.list_messages("u", "d1")] == ["你好"]
    assert store.schema_revision == head_revision()
    store.close()
