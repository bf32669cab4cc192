"""Deadline day: many clerks with think time, spread over several worker processes on one database.

Each worker process is what one app server does per turn (service → engine → store); its clerks are threads,
each with an own draft, sending one sample conversation with a random think time between messages until the
duration is over. Loopback only; bounded in clerks and time. Reported: turns/s, latency p50/p95, errors, and
lost updates (a turn reported done whose message or state is not in the database afterwards).
"""

from __future__ import annotations

import multiprocessing as mp
import random
import threading
import time
from typing import Any

from .scenarios import long_conversation
from .timing import ms_since, summarize


def _worker(location: str, first: int, clerks: int, duration_s: float, think_s: float, go: Any, start_at: Any,
            messages: list[str], ready: Any, out: Any) -> None:
    from ..engine import ConversationEngine
    from ..service import DraftService
    from ..store import open_store

    store = open_store(url=location)
    engine = ConversationEngine()
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    done: dict[str, int] = {}  # draft id → turns reported done
    owners: dict[str, str] = {}

    def clerk(i: int) -> None:
        rng = random.Random(i)
        service = DraftService(store, f"clerk-{i}", engine=engine)
        try:
            draft = service.create(agency="").id
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append(f"create: {type(e).__name__}: {e}")
            return
        with lock:
            done[draft] = 0
            owners[draft] = f"clerk-{i}"
        go.wait()
        time.sleep(max(0.0, start_at.value - time.time()) + rng.uniform(0, think_s))
        k = 0
        while time.time() < start_at.value + duration_s:
            t0 = time.perf_counter()
            try:
                result = service.send(draft, messages[k % len(messages)], uid=f"{i}-{k}")
                ok = not result.errors
            except Exception as e:  # noqa: BLE001 - an explicit refusal is counted, the clerk goes on
                ok = False
                with lock:
                    errors.append(f"{type(e).__name__}: {str(e)[:120]}")
            with lock:
                latencies.append(ms_since(t0))
                if ok:
                    done[draft] += 1
            k += 1
            time.sleep(rng.expovariate(1 / think_s))

    threads = [threading.Thread(target=clerk, args=(first + n,)) for n in range(clerks)]
    for t in threads:
        t.start()
    while len(done) < clerks and any(t.is_alive() for t in threads) and not go.is_set():
        time.sleep(0.1)
    ready.put(first)
    for t in threads:
        t.join()
    lost = 0
    for draft, turns in done.items():
        state = DraftService(store, owners[draft], engine=engine).open(draft).state
        lost += max(0, turns - state.turn)  # reported done but not applied in the stored state
    store.close()
    out.put({"latencies": latencies, "errors": errors, "lost": lost, "turns": sum(done.values())})


def deadline_day(location: str, *, processes: int, clerks: int, duration_s: float = 40.0, think_s: float = 4.0,
                 messages: list[str] | None = None) -> dict[str, Any]:
    """``clerks`` simulated clerks over ``processes`` worker processes on the database at ``location``."""
    messages = messages or long_conversation(20)
    ctx = mp.get_context("spawn")
    out, ready = ctx.Queue(), ctx.Queue()
    go, start_at = ctx.Event(), ctx.Value("d", 0.0)  # the window opens when every worker has its drafts
    share = [clerks // processes + (1 if n < clerks % processes else 0) for n in range(processes)]
    procs = []
    first = 0
    for n in range(processes):
        procs.append(ctx.Process(target=_worker, args=(location, first, share[n], duration_s, think_s, go, start_at,
                                                         messages, ready, out)))
        first += share[n]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=600)
    start_at.value = time.time() + 1.0
    go.set()
    results = []
    deadline = time.time() + duration_s + 300
    while len(results) < len(procs) and time.time() < deadline:
        try:
            results.append(out.get(timeout=2))
        except Exception:  # noqa: BLE001 - queue.Empty: check that the workers are still alive
            if not any(p.is_alive() for p in procs) and out.empty():
                break
    for p in procs:
        p.join(timeout=60)
    if len(results) < len(procs):
        raise RuntimeError(f"{len(procs) - len(results)} worker process(es) died; exit codes "
                           f"{[p.exitcode for p in procs]}")
    latencies = [x for r in results for x in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    stats = summarize(latencies)
    return {
        "processes": processes, "clerks": clerks, "duration_s": duration_s, "think_s": think_s,
        "turns": len(latencies), "turns_per_s": round(len(latencies) / duration_s, 1),
        "p50_ms": stats["p50"], "p95_ms": stats["p95"], "error_count": len(errors), "errors": errors[:5],
        "lost_updates": sum(r["lost"] for r in results),
    }


def deadline_rows(clerks: int = 200, duration_s: float = 40.0, think_s: float = 4.0) -> dict[str, Any]:
    """Two worker processes on a throwaway PostgreSQL cluster next to one process on SQLite."""
    import tempfile

    from .pgcluster import ClusterUnavailable, start_cluster

    rows: dict[str, Any] = {}
    tmp = tempfile.mkdtemp(prefix="nb-deadline-")
    rows["sqlite_1proc"] = deadline_day(f"sqlite:///{tmp}/assistant.sqlite3", processes=1, clerks=clerks,
                                        duration_s=duration_s, think_s=think_s)
    try:
        cluster = start_cluster(max_connections=100)
    except ClusterUnavailable as e:
        rows["postgresql_2proc"] = {"skipped": str(e)}
        return rows
    try:
        rows["postgresql_2proc"] = deadline_day(cluster.create_database(), processes=2, clerks=clerks,
                                                duration_s=duration_s, think_s=think_s)
    finally:
        cluster.stop()
    return rows
