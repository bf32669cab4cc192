"""Run every scripted conversation in samples/dialogues/ through the engine and print a table:
cell accuracy against the expected tables, clerk turns, questions asked, turn latency p50/p95.

Usage: python scripts/measure_dialogues.py [--offline] [DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from assistant.commands.chat import choose_extractor, read_script
from assistant.engine import ConversationEngine
from assistant.interchange import to_label_json

TABLES = ("table2", "table3", "table4")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(path: Path, engine: ConversationEngine) -> dict[str, object]:
    messages = read_script(str(path))
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    result = engine.start()
    start_ms = (time.perf_counter() - t0) * 1000
    latencies: list[float] = []
    state = result.state
    for i, m in enumerate(messages, 1):
        t0 = time.perf_counter()
        result = engine.turn(state, m, message_id=f"m{i}")
        latencies.append((time.perf_counter() - t0) * 1000)
        state = result.state
    actual = to_label_json(state.report)
    total = correct = 0
    for table in TABLES:
        for row, cols in expected[table].items():
            for col, want in cols.items():
                total += 1
                correct += actual[table].get(row, {}).get(col) == want
    return {
        "name": path.stem,
        "accuracy": correct / total if total else 0.0,
        "cells": total,
        "turns": len(messages),
        "questions": state.questions_asked,
        "unknown": len(state.report.unknown_input_cells()),
        "errors": sum(f.severity == "error" for f in result.findings),
        "complete": result.tables_complete,
        "start_ms": start_ms,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "latencies": latencies,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", default=str(Path(__file__).resolve().parent.parent / "samples" / "dialogues"))
    parser.add_argument("--offline", action="store_true", help="force the offline rule extractor")
    args = parser.parse_args(argv)
    extractor, line = choose_extractor(args.offline)
    print(line)
    engine = ConversationEngine(extractor=extractor)
    rows = [measure(p, engine) for p in sorted(Path(args.dir).glob("*.txt"))]
    head = f"{'conversation':<28} {'accuracy':>9} {'cells':>5} {'turns':>5} {'questions':>9} {'unknown':>7} {'errors':>6} " \
           f"{'p50 ms':>7} {'p95 ms':>7}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['name']:<28} {r['accuracy']:>9.1%} {r['cells']:>5} {r['turns']:>5} {r['questions']:>9} "
              f"{r['unknown']:>7} {r['errors']:>6} {r['p50']:>7.1f} {r['p95']:>7.1f}")
    all_lat = [x for r in rows for x in r["latencies"]]  # type: ignore[union-attr]
    cells = sum(r["cells"] for r in rows)  # type: ignore[misc]
    right = sum(r["accuracy"] * r["cells"] for r in rows)  # type: ignore[operator]
    print("-" * len(head))
    print(f"{'ALL':<28} {right / cells if cells else 0:>9.1%} {cells:>5} {sum(r['turns'] for r in rows):>5} "  # type: ignore[misc]
          f"{sum(r['questions'] for r in rows):>9} {sum(r['unknown'] for r in rows):>7} "  # type: ignore[misc]
          f"{sum(r['errors'] for r in rows):>6} {percentile(all_lat, 0.5):>7.1f} {percentile(all_lat, 0.95):>7.1f}")
    return 0 if all(r["accuracy"] == 1 and r["unknown"] == 0 and r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
