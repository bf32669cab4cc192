"""Scores the held-out hand-written conversations (samples/dialogues/heldout/): right / wrong / missing cells.

Usage: ``python -m tests.convgen.handwritten`` — prints one line per conversation and the total, never the
cells themselves (whoever fixes the engine must not tune to them).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from assistant.commands.chat import read_script
from assistant.engine import ConversationEngine
from assistant.formats import get_format
from assistant.interchange import to_label_json

from .evaluate import TABLES, Score

HELDOUT_DIR = Path(__file__).resolve().parents[2] / "samples" / "dialogues" / "heldout"


def expected_from_truth(truth: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Full label-keyed tables from a compact hand-written truth (unlisted input cells 0, 总计 summed)."""
    fmt = get_format(truth["format"])
    stated = truth.get("cells", {})
    unknown = {tuple(u) for u in truth.get("unknown", [])}
    values: dict[str, Decimal | None] = {}
    by_label = {(s.table, s.row_json_key, s.col_json_key): s for s in fmt.cells().values()}
    for (table, row, col), spec in by_label.items():
        if spec.derived:
            continue
        if (table, row, col) in unknown:
            values[spec.key] = None
        else:
            values[spec.key] = Decimal(str(stated.get(table, {}).get(row, {}).get(col, 0)))
    for table, rows in stated.items():
        for row, cols in rows.items():
            for col in cols:
                if (table, row, col) not in by_label:
                    raise KeyError(f"truth names a cell the format lacks: {table} / {row} / {col}")

    def value_of(key: str) -> Decimal | None:
        if key in values:
            return values[key]
        parts = [value_of(k) for k in fmt.parts_of(key)]
        return None if any(p is None for p in parts) else sum((p for p in parts if p is not None), Decimal(0))

    out: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in TABLES}
    for (table, row, col), spec in by_label.items():
        v = value_of(spec.key)
        out[table].setdefault(row, {})[col] = None if v is None else (int(v) if v == v.to_integral_value() else float(v))
    return out


def score_file(engine: ConversationEngine, script: Path) -> Score:
    truth = json.loads(script.with_name(script.stem + ".truth.json").read_text(encoding="utf-8"))
    expected = expected_from_truth(truth)
    score = Score(conversations=1)
    state = engine.start().state
    for i, m in enumerate(read_script(str(script)), 1):
        state = engine.turn(state, m, message_id=f"m{i}").state
    actual = to_label_json(state.report)
    for table in TABLES:
        for row, cols in expected[table].items():
            for col, want in cols.items():
                got = actual.get(table, {}).get(row, {}).get(col)
                got = None if isinstance(got, str) else got
                if want is None:
                    if got is None:
                        score.right += 1  # a pending cell that stayed unknown
                    else:
                        score.wrong += 1
                elif got is None:
                    score.missing += 1
                elif got == want:
                    score.right += 1
                else:
                    score.wrong += 1
    if state.report.report_year != truth["report_year"] or (state.report.agency or "") != truth["agency"]:
        score.meta_wrong = 1
    score.exact = int(score.wrong == 0 and score.missing == 0)
    return score


def run_all(engine: ConversationEngine | None = None) -> tuple[Score, dict[str, Score]]:
    engine = engine or ConversationEngine()
    per = {p.stem: score_file(engine, p) for p in sorted(HELDOUT_DIR.glob("*.txt"))}
    total = Score()
    for s in per.values():
        total.add(s)
    return total, per


def main() -> int:
    total, per = run_all()
    for name, s in per.items():
        r = s.row()
        print(f"{name:<36} right {r['right']:>4}  wrong {r['wrong']:>3}  missing {r['missing']:>4}  meta✗ {r['meta_wrong']}")
    r = total.row()
    print(f"{'TOTAL':<36} right {r['right']:>4} ({r['right_pct']}%)  wrong {r['wrong']:>3}  missing {r['missing']:>4}"
          f"  exact {r['exact']}/{r['conversations']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
