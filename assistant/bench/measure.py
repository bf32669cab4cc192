"""The measurements: offline turn latency, questions per report, prompt tokens, rendering, the app, concurrency."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from typing import Any

from ..checks import run_checks
from ..conversation import ConversationState
from ..engine import ConversationEngine
from ..facts import Report
from ..render import render_docx, render_html, render_markdown
from .appserver import CHROMIUM_ARGS, ROOT, AppDidNotStart, running_app
from .scenarios import Dialogue, long_conversation
from .timing import ms_since, percentile, summarize

META_QUESTIONS = 3  # agency, level, report year: a form asks for these too


def _flagged(report: Report) -> set[str]:
    return {c for f in run_checks(report) if f.severity in ("error", "warning") for c in f.cells}


def timed_turn(
    engine: ConversationEngine,
    state: ConversationState,
    message: str,
    ref: str,
    split: list[tuple[float, float]] | None = None,
) -> tuple[Any, float]:
    """One offline turn as the app sees it: engine turn, then the highlighted HTML preview of the report."""
    t0 = time.perf_counter()
    result = engine.turn(state, message, message_id=ref)
    t1 = time.perf_counter()
    highlight = {c for f in result.findings if f.severity in ("error", "warning") for c in f.cells}
    render_html(result.state.report, highlight=highlight)
    if split is not None:
        split.append(((t1 - t0) * 1000, ms_since(t1)))
    return result, ms_since(t0)


# ---- 1. offline turn latency ---------------------------------------------------------------------------
def turn_latency(dialogues: Sequence[Dialogue], repeats: int = 1, warmup: bool = True) -> dict[str, Any]:
    """Every turn of every sample dialogue, ``repeats`` times (a first pass warms the caches, not counted)."""
    engine = ConversationEngine()
    latencies: list[float] = []
    split: list[tuple[float, float]] = []
    for rep in range(0 if warmup else 1, repeats + 1):
        for d in dialogues:
            state = engine.start().state
            for i, m in enumerate(d.messages, 1):
                result, ms = timed_turn(engine, state, m, f"m{i}", split if rep else None)
                state = result.state
                if rep:
                    latencies.append(ms)
    out: dict[str, Any] = summarize(latencies)
    out["engine_p50"] = round(percentile([a for a, _ in split], 0.5), 2)
    out["preview_p50"] = round(percentile([b for _, b in split], 0.5), 2)
    return out


def length_growth(turns: int = 50, repeats: int = 3, warmup: bool = True) -> dict[str, Any]:
    """Latency at each position of a ``turns``-turn conversation (median over repeats): turn 1 vs the last."""
    engine = ConversationEngine()
    messages = long_conversation(turns)
    per_turn: list[list[float]] = [[] for _ in messages]
    for rep in range(0 if warmup else 1, repeats + 1):
        state = engine.start().state
        for i, m in enumerate(messages):
            result, ms = timed_turn(engine, state, m, f"m{i + 1}")
            state = result.state
            if rep:
                per_turn[i].append(ms)
    medians = [percentile(v, 0.5) for v in per_turn]
    first5 = sum(medians[:5]) / 5
    last5 = sum(medians[-5:]) / 5
    return {
        "turns": turns,
        "turn1_ms": round(medians[0], 2),
        "turn_last_ms": round(medians[-1], 2),
        "first5_mean_ms": round(first5, 2),
        "last5_mean_ms": round(last5, 2),
        "growth_ratio": round(last5 / first5, 2) if first5 else 0.0,
        "p95_ms": round(percentile([x for v in per_turn for x in v], 0.95), 2),
        "per_turn_median_ms": [round(x, 2) for x in medians],
    }


# ---- 2. questions and clerk turns per completed report -----------------------------------------------
def questions_per_report(dialogues: Sequence[Dialogue]) -> list[dict[str, Any]]:
    """Clerk turns and questions asked per dialogue vs a form that asks one input cell per question."""
    engine = ConversationEngine()
    rows = []
    for d in dialogues:
        result = engine.start()
        state = result.state
        for i, m in enumerate(d.messages, 1):
            result = engine.turn(state, m, message_id=f"m{i}")
            state = result.state
        report = state.report
        inputs = len(report.fmt.input_cells())
        rows.append(
            {
                "name": d.name,
                "clerk_turns": len(d.messages),
                "questions": state.questions_asked,
                "complete": bool(result.tables_complete),
                "unknown_cells": len(report.unknown_input_cells()),
                "form_questions": inputs + META_QUESTIONS,
            }
        )
    return rows


# ---- 3. model-path prompt tokens ---------------------------------------------------------------------
def _prompt_token_ids(messages: Sequence[dict[str, Any]]) -> list[int]:
    from ..tokens import get_encoding

    enc = get_encoding()
    text = "".join(f"<|{m['role']}|>{m.get('content') or ''}<|end|>" for m in messages)
    return list(enc.encode(text, disallowed_special=()))


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def prompt_tokens(at_turns: Sequence[int] = (2, 10, 20, 50)) -> dict[str, Any]:
    """Compact extraction prompt vs the naive whole-history prompt at given turns of the long conversation.

    The conversation is driven by the offline engine (the state a model path would see). ``stable_prefix`` is
    the share of each prompt's tokens equal to the previous turn's prompt from the start: what provider prompt
    caching can reuse.
    """
    from ..llm.prompting import build_extraction_messages, naive_extraction_messages
    from ..tokens import count_message_tokens

    last = max(at_turns)
    messages = long_conversation(last)
    engine = ConversationEngine()
    result = engine.start()
    state = result.state
    history: list[tuple[str, str]] = [("assistant", result.reply)]
    clerk: list[str] = []
    prev_compact: list[int] = []
    prev_naive: list[int] = []
    rows = []
    for n, message in enumerate(messages, 1):
        compact = build_extraction_messages(state.report, message, state.pending, recent=clerk)
        naive = naive_extraction_messages(state.report, history, message, state.pending)
        c_ids, n_ids = _prompt_token_ids(compact), _prompt_token_ids(naive)
        if n in at_turns:
            c_tok, n_tok = count_message_tokens(compact), count_message_tokens(naive)
            rows.append(
                {
                    "turn": n,
                    "compact_tokens": c_tok,
                    "naive_tokens": n_tok,
                    "ratio": round(n_tok / c_tok, 2) if c_tok else 0.0,
                    "compact_stable_prefix": round(_common_prefix(c_ids, prev_compact) / len(c_ids), 3),
                    "naive_stable_prefix": round(_common_prefix(n_ids, prev_naive) / len(n_ids), 3),
                    "system_tokens": count_message_tokens(compact[:1]),
                }
            )
        prev_compact, prev_naive = c_ids, n_ids
        result = engine.turn(state, message, message_id=f"m{n}")
        state = result.state
        clerk.append(message)
        history += [("clerk", message), ("assistant", result.reply)]
    return {"turns": rows}


# ---- 4. rendering ----------------------------------------------------------------------------------------
def render_times(report: Report, repeats: int = 5) -> dict[str, Any]:
    """Markdown, HTML and .docx of one complete report (first call excluded as warm-up)."""
    out: dict[str, Any] = {}
    for name, fn in (("markdown", render_markdown), ("html", render_html), ("docx", render_docx)):
        fn(report)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn(report)
            times.append(ms_since(t0))
        out[name] = summarize(times)
    return out


def complete_report(dialogue: Dialogue) -> Report:
    engine = ConversationEngine()
    state = engine.start().state
    for i, m in enumerate(dialogue.messages, 1):
        state = engine.turn(state, m, message_id=f"m{i}").state
    return state.report


# ---- 5. concurrency ------------------------------------------------------------------------------------
def concurrent_sessions(sessions: int, dialogue: Dialogue, data_dir: str | None = None) -> dict[str, Any]:
    """``sessions`` threads, each a different owner with its own draft, sending ``dialogue`` through the
    app's service layer (engine + SQLite store): turns per second and latency per turn."""
    from ..service import DraftService
    from ..store import open_store

    tmp = tempfile.mkdtemp(prefix="nb-bench-") if data_dir is None else data_dir
    store = open_store(tmp)
    engine = ConversationEngine()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    services = [DraftService(store, f"bench-user-{i}", engine=engine) for i in range(sessions)]
    drafts = [s.create(agency="").id for s in services]
    barrier = threading.Barrier(sessions)

    ok: list[set[str]] = [set() for _ in range(sessions)]

    def run(i: int) -> None:
        local: list[float] = []
        barrier.wait(timeout=60)
        for k, m in enumerate(dialogue.messages):
            t0 = time.perf_counter()
            try:
                out = services[i].send(drafts[i], m, uid=f"{i}-{k}")
            except Exception as e:  # noqa: BLE001 - an explicit refusal: counted, the session goes on
                with lock:
                    errors.append(f"{type(e).__name__}: {e}")
                continue
            local.append(ms_since(t0))
            if not out.errors:
                ok[i].add(m)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(sessions)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lost = unprocessed = 0
    for i, (svc, d) in enumerate(zip(services, drafts, strict=True)):
        users = [m for m in svc.messages(d) if m.role == "user"]
        processed = {m.content for m in users if m.processed}
        lost += len(ok[i] - processed)  # reported as done but not in the store: must be 0
        unprocessed += sum(1 for m in users if not m.processed)
    store.close()
    if data_dir is None:
        shutil.rmtree(tmp, ignore_errors=True)
    stats = summarize(latencies)
    return {
        "sessions": sessions,
        "turns": len(latencies),
        "wall_s": round(wall, 2),
        "turns_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": stats["p50"],
        "p95_ms": stats["p95"],
        "errors": errors[:5],
        "error_count": len(errors),
        "lost_messages": lost,
        "unprocessed_messages": unprocessed,
    }


# ---- 6. the app ------------------------------------------------------------------------------------------
def app_cold_start() -> dict[str, Any]:
    """``streamlit run app.py`` to first paint of the sidebar form in Debian chromium (Playwright)."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        return {"skipped": "chromium 或 playwright 未安装"}
    tmp = tempfile.mkdtemp(prefix="nb-bench-app-")
    t0 = time.perf_counter()
    try:
        with running_app(tmp) as base:
            server_ms = ms_since(t0)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_context(locale="zh-CN").new_page()
                t1 = time.perf_counter()
                page.goto(base)
                page.locator(".st-key-new_agency input").wait_for(timeout=60_000)
                paint_ms = ms_since(t1)
                t2 = time.perf_counter()
                page.reload()
                page.locator(".st-key-new_agency input").wait_for(timeout=60_000)
                warm_ms = ms_since(t2)
                browser.close()
    except AppDidNotStart:
        return {"skipped": "streamlit 未能启动"}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "server_ready_ms": round(server_ms, 1),
        "first_paint_ms": round(paint_ms, 1),
        "total_ms": round(server_ms + paint_ms, 1),
        "warm_reload_ms": round(warm_ms, 1),
    }


def app_rerun(turns: int = 50, reruns: int = 5) -> dict[str, Any]:
    """Streamlit rerun time (AppTest) of the app with an open draft after a ``turns``-turn conversation."""
    from streamlit.testing.v1 import AppTest

    from ..service import DraftService
    from ..store import open_store
    from ..ui.identity import LOCAL_OWNER

    tmp = tempfile.mkdtemp(prefix="nb-bench-apptest-")
    old = os.environ.get("ASSISTANT_DATA_DIR")
    os.environ["ASSISTANT_DATA_DIR"] = tmp
    try:
        store = open_store(tmp)
        service = DraftService(store, LOCAL_OWNER, engine=ConversationEngine())
        draft = service.create(agency="")
        for k, m in enumerate(long_conversation(turns)):
            service.send(draft.id, m, uid=f"b{k}")
        messages = len(service.messages(draft.id))
        store.close()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["draft"] = draft.id
        t0 = time.perf_counter()
        at.run()
        first = ms_since(t0)
        if at.exception:
            return {"skipped": f"AppTest 异常：{str(at.exception[0].value)[:120]}"}
        times = []
        for _ in range(reruns):
            t0 = time.perf_counter()
            at.run()
            times.append(ms_since(t0))
        return {
            "messages": messages,
            "first_run_ms": round(first, 1),
            **{f"rerun_{k}": v for k, v in summarize(times).items()},
        }
    finally:
        if old is None:
            os.environ.pop("ASSISTANT_DATA_DIR", None)
        else:
            os.environ["ASSISTANT_DATA_DIR"] = old
        shutil.rmtree(tmp, ignore_errors=True)
