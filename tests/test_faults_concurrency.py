"""Concurrent writers on one draft and on many drafts (threads and processes on one database, SQLite or PostgreSQL).

A stale write never overwrites a newer one: the store's version check raises VersionConflict, and the service
resolves it explicitly by re-running the operation on the latest state (or reports that it could not).
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from decimal import Decimal

import pytest

from assistant.conversation import ConversationState
from assistant.engine import ConversationEngine
from assistant.errors import StoreError
from assistant.facts import CellStatus, FactUpdate, Report
from assistant.service import DraftService
from assistant.store import SQLStore, VersionConflict

OWNER = "writer"
T2_CELLS = [
    "t2.rules.issued",
    "t2.rules.repealed",
    "t2.rules.in_force",
    "t2.normative.issued",
    "t2.normative.repealed",
    "t2.normative.in_force",
    "t2.licensing.decisions",
    "t2.penalty.decisions",
]


def _state(agency: str = "并发测试局", year: int = 2023) -> ConversationState:
    return ConversationState(report=Report(agency=agency, report_year=year))


def test_stale_version_is_a_conflict_not_a_lost_update(db_url):
    store = SQLStore(db_url)
    draft = store.create_draft(OWNER, "t", _state())
    a = draft.state.model_copy(update={"turn": 1})
    b = draft.state.model_copy(update={"turn": 2})
    store.save_state(OWNER, draft.id, a, expected_version=draft.version)
    with pytest.raises(VersionConflict) as e:
        store.save_state(OWNER, draft.id, b, expected_version=draft.version)
    assert "第" in str(e.value) and e.value.current == draft.version + 1
    assert store.get_draft(OWNER, draft.id).state.turn == 1  # the first write survived
    store.close()


def test_racing_threads_on_one_version_exactly_one_wins(db_url):
    store = SQLStore(db_url)
    draft = store.create_draft(OWNER, "t", _state())
    wins, conflicts = [], []
    barrier = threading.Barrier(8)

    def write(i: int) -> None:
        barrier.wait()
        try:
            store.save_state(
                OWNER, draft.id, draft.state.model_copy(update={"turn": i}), expected_version=draft.version
            )
            wins.append(i)
        except VersionConflict:
            conflicts.append(i)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1 and len(conflicts) == 7
    assert store.get_draft(OWNER, draft.id).state.turn == wins[0]
    store.close()


def test_many_threads_chatting_into_one_draft_lose_no_message(db_url):
    store = SQLStore(db_url)
    engine = ConversationEngine()
    draft = DraftService(store, OWNER, engine=engine).create(agency="城关镇人民政府", report_year=2023)
    messages = [f"行政处罚{n}件" for n in range(10, 22)]
    errors: list[str] = []

    def send(i: int) -> None:
        try:
            DraftService(store, OWNER, engine=engine).send(draft.id, messages[i], uid=f"t{i}")
        except StoreError as e:  # an explicit "try again" is allowed, a silent loss is not
            errors.append(str(e))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(messages))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    service = DraftService(store, OWNER, engine=engine)
    final = service.open(draft.id)
    users = [m for m in service.messages(draft.id) if m.role == "user"]
    processed = [m for m in users if m.processed]
    assert len(users) == len(messages)  # every message saved
    assert final.state.turn == len(processed)  # each processed message applied exactly once
    assert len(processed) + len(errors) >= len(messages) - len(service.unprocessed(draft.id))
    for m in service.unprocessed(draft.id):  # anything left is visible and re-runnable
        assert not service.reprocess(draft.id, m.id).errors
    final = service.open(draft.id)
    assert final.state.turn == len(messages)
    # the last processed value is the one in the ledger, and the history has one event per change
    events = service.store.list_fact_events(OWNER, draft.id, "t2.penalty.decisions")
    assert events and events[-1].after == final.state.report.cell("t2.penalty.decisions")
    store.close()


def _edit_cells(location: str, draft_id: str, cells: list[str], value: int, out: mp.Queue) -> None:
    store = SQLStore(location)
    service = DraftService(store, OWNER, engine=ConversationEngine())
    done, failed = [], []
    for cell in cells:
        seen = service.open(draft_id).state.report.cell(cell)
        try:
            outcome = service.apply_manual(draft_id, [FactUpdate(cell=cell, value=Decimal(value))], seen={cell: seen})
            assert not outcome.rejected, outcome.rejected
            done.append(cell)
        except StoreError:
            failed.append(cell)
    # many drafts: each process also keeps its own draft
    mine = store.create_draft(f"{OWNER}-{value}", "own", _state(f"单位{value}"))
    for k in range(5):
        d = store.get_draft(f"{OWNER}-{value}", mine.id)
        store.save_state(
            f"{OWNER}-{value}", mine.id, d.state.model_copy(update={"turn": k + 1}), expected_version=d.version
        )
    out.put((value, done, failed, mine.id))
    store.close()


@pytest.mark.slow
def test_processes_editing_different_cells_of_one_draft_and_their_own_drafts(db_url):
    store = SQLStore(db_url)
    draft = DraftService(store, OWNER, engine=ConversationEngine()).create(agency="并发测试局", report_year=2023)
    path = db_url
    store.close()
    ctx = mp.get_context("spawn")
    out: mp.Queue = ctx.Queue()
    groups = [T2_CELLS[i::3] for i in range(3)]
    procs = [
        ctx.Process(target=_edit_cells, args=(path, draft.id, cells, 100 + i, out)) for i, cells in enumerate(groups)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    store = SQLStore(path)
    report = store.get_draft(OWNER, draft.id).state.report
    for value, done, failed, own in results:
        for cell in done:  # every reported success is in the final state: no lost update
            assert report.cell(cell).status == CellStatus.VALUE and report.cell(cell).value == value, cell
        for cell in failed:  # a failure was explicit and left the cell as it was
            assert not report.cell(cell).known
        assert store.get_draft(f"{OWNER}-{value}", own).state.turn == 5
        assert [d.id for d in store.list_drafts(f"{OWNER}-{value}")] == [own]
    assert sum(len(r[1]) for r in results) >= len(T2_CELLS) - 2  # retries resolve nearly all conflicts
    store.close()
