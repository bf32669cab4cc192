"""Kill the app's worker process (SIGKILL) in the middle of turns, then restart on the same data directory.

The worker drives the same path the Streamlit app uses (DraftService → engine → store), on SQLite and on
PostgreSQL. After each kill:
no message the clerk sent is lost, no update is half-applied (the stored state equals a replay of the processed
messages), an interrupted message is visible as unprocessed and can be re-run, and the draft opens.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.engine import ConversationEngine
from assistant.service import DraftService
from assistant.store import open_store

ROOT = Path(__file__).resolve().parents[1]
OWNER = "crash-test"
MESSAGES = [
    "我是平阳县市场监督管理局办公室的，写2023年度年报",
    "今年一共收到政府信息公开申请30件，其中自然人23件，商业企业6件，法律服务机构1件。上年结转2件，都是自然人的。",
    "予以公开14件，自然人10件、商业企业4件；部分公开3件，自然人2件、商业企业1件。",
    "行政复议2件，1件结果维持、1件结果纠正。行政诉讼没有。",
    "规章没有。行政规范性文件今年制发2件，废止1件，现行有效15件。",
    "更正一下，规范性文件现行有效是16件。",
    "行政许可1286件，行政处罚347件，行政强制12件，没有行政事业性收费。",
    "对，其余都是0",
]

WORKER = textwrap.dedent(
    """
    import sys, time
    from assistant.engine import ConversationEngine
    from assistant.store import open_store
    from assistant.service import DraftService

    location, draft_id, slow, owner = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    messages = sys.stdin.read().split("\\n---\\n")

    class SlowEngine(ConversationEngine):
        def turn(self, state, message, message_id=None):
            print("turn-start", message_id, flush=True)
            time.sleep(slow)  # widen the window so the kill lands mid-turn
            return super().turn(state, message, message_id=message_id)

    service = DraftService(open_store(url=location), owner, engine=SlowEngine())
    done = {m.content for m in service.messages(draft_id) if m.role == "user"}
    for i, m in enumerate(messages):
        if m in done:
            continue
        service.send(draft_id, m, uid=f"u{i}")
        print("sent", i, flush=True)
    print("finished", flush=True)
    """
)


def _start_worker(location: str, draft_id: str, slow: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, location, draft_id, str(slow), OWNER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdin is not None
    proc.stdin.write("\n---\n".join(MESSAGES))
    proc.stdin.close()
    return proc


def _read_until(proc: subprocess.Popen, prefix: str, timeout: float = 60) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
        if line.startswith(prefix):
            return seen
    raise AssertionError(
        f"worker never printed {prefix!r}: {seen}; stderr: {proc.stderr.read() if proc.stderr else ''}"
    )


def _check_consistent(location: str, draft_id: str) -> tuple[int, int]:
    """The invariants after a crash; returns (processed, unprocessed) user messages."""
    store = open_store(url=location)
    try:
        service = DraftService(store, OWNER, engine=ConversationEngine())
        draft = service.open(draft_id)  # the draft opens
        msgs = service.messages(draft_id)
        users = [m for m in msgs if m.role == "user"]
        processed = [m for m in users if m.processed]
        unprocessed = [m for m in users if not m.processed]
        # sent messages are a prefix of the script, each once, in order
        assert [m.content for m in users] == MESSAGES[: len(users)]
        # processed messages come first; at most the last one was interrupted
        assert users[: len(processed)] == processed and len(unprocessed) <= 1
        # every processed message has exactly one reply written with it; no reply without its state
        for m in processed:
            assert sum(1 for r in msgs if r.role == "assistant" and r.reply_to == m.id) == 1
        assert not any(r.reply_to == m.id for m in unprocessed for r in msgs)
        assert draft.state.turn == len(processed)
        # no half-applied update: the state equals a replay of the processed messages
        engine = ConversationEngine()
        state = engine.start(
            draft.state.report.model_copy(
                update={
                    "cells": {},
                    "agency": "",
                    "level": None,
                    "report_year": None,
                    "format_id": None,
                    "sections": {},
                    "narrative_facts": {},
                }
            )
        ).state
        for m in processed:
            state = engine.turn(state, m.content, message_id=str(m.id)).state
        assert {k: (v.status, v.value) for k, v in state.report.cells.items()} == {
            k: (v.status, v.value) for k, v in draft.state.report.cells.items()
        }
        events = service.store.list_fact_events(OWNER, draft_id)
        assert {e.message_id for e in events} <= {m.id for m in processed}
        # an interrupted message can be re-run after the restart
        for m in unprocessed:
            out = service.reprocess(draft_id, m.id)
            assert not out.errors, out.errors
            assert service.open(draft_id).state.turn == len(processed) + 1
        return len(processed), len(unprocessed)
    finally:
        store.close()


def _new_draft(location: str) -> str:
    store = open_store(url=location)
    try:
        return DraftService(store, OWNER, engine=ConversationEngine()).create().id
    finally:
        store.close()


def test_sigkill_in_the_middle_of_a_turn_loses_nothing(db_url):
    """On both backends (db_url: SQLite file or PostgreSQL database)."""
    draft_id = _new_draft(db_url)
    proc = _start_worker(db_url, draft_id, slow=0.5)
    _read_until(proc, "sent 2")
    _read_until(proc, "turn-start")  # message 3 is saved and being processed
    time.sleep(0.1)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    processed, unprocessed = _check_consistent(db_url, draft_id)
    assert processed == 3 and unprocessed == 1  # the interrupted message was re-run by _check_consistent

    # restart the worker: it finishes the rest of the conversation on the same draft
    proc = _start_worker(db_url, draft_id, slow=0.0)
    _read_until(proc, "finished")
    proc.wait(timeout=30)
    processed, unprocessed = _check_consistent(db_url, draft_id)
    assert (processed, unprocessed) == (len(MESSAGES), 0)


@pytest.mark.slow
def test_repeated_random_kills_keep_the_draft_consistent(db_url):
    draft_id = _new_draft(db_url)
    rng = random.Random(7)
    for _ in range(3):
        proc = _start_worker(db_url, draft_id, slow=rng.choice([0.0, 0.02, 0.05]))
        try:
            _read_until(proc, "turn-start", timeout=60)
        except AssertionError:
            proc.wait(timeout=10)
            break  # finished before we could kill it
        time.sleep(rng.uniform(0.0, 0.3))  # anywhere: extraction, checks, the write transaction
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        _check_consistent(db_url, draft_id)
    proc = _start_worker(db_url, draft_id, slow=0.0)
    _read_until(proc, "finished")
    proc.wait(timeout=30)
    assert _check_consistent(db_url, draft_id) == (len(MESSAGES), 0)
