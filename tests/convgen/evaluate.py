"""Runs generated conversations through the engine the UI uses and scores every cell right / wrong / missing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from assistant.engine import ConversationEngine
from assistant.interchange import to_label_json

from .families import ALL
from .truth import SCALES, Truth, draw_truth, expected_tables

TABLES = ("table2", "table3", "table4")


@dataclass
class Score:
    """Cells right / wrong / missing over a set of conversations, plus the wrong ones for inspection."""

    conversations: int = 0
    exact: int = 0
    right: int = 0
    wrong: int = 0
    missing: int = 0
    meta_wrong: int = 0
    crashes: int = 0
    wrong_cells: list[dict[str, Any]] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return self.right + self.wrong + self.missing

    def add(self, other: Score) -> None:
        for name in ("conversations", "exact", "right", "wrong", "missing", "meta_wrong", "crashes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wrong_cells += other.wrong_cells

    def row(self) -> dict[str, Any]:
        pct = lambda n: round(100 * n / self.cells, 2) if self.cells else 0.0  # noqa: E731
        return {"conversations": self.conversations, "exact": self.exact, "cells": self.cells,
                "right": self.right, "wrong": self.wrong, "missing": self.missing,
                "right_pct": pct(self.right), "wrong_pct": pct(self.wrong), "missing_pct": pct(self.missing),
                "meta_wrong": self.meta_wrong, "crashes": self.crashes}


def conversations(family: str, n: int, seed: int) -> list[tuple[Truth, list[str]]]:
    """``n`` conversations of one family, scales cycling from township to city, reproducible from ``seed``."""
    out = []
    scales = list(SCALES)
    phrase = ALL[family]
    for i in range(n):
        rng = random.Random(f"{family}:{seed}:{i}")
        truth = draw_truth(rng, scales[i % len(scales)])
        out.append((truth, phrase(truth, rng)))
    return out


def score_one(engine: ConversationEngine, truth: Truth, messages: list[str]) -> Score:
    """One conversation, scored cell by cell against the truth's tables."""
    score = Score(conversations=1)
    try:
        state = engine.start().state
        for i, m in enumerate(messages, 1):
            state = engine.turn(state, m, message_id=f"m{i}").state
    except Exception as exc:  # a crash is a result here, not a test error: count it and keep going
        score.crashes = 1
        score.wrong_cells.append({"crash": repr(exc), "messages": messages})
        expected = expected_tables(truth)
        score.missing = sum(len(cols) for t in TABLES for cols in expected[t].values())
        return score
    actual = to_label_json(state.report)
    expected = expected_tables(truth)
    for table in TABLES:
        for row, cols in expected[table].items():
            for col, want in cols.items():
                got = actual.get(table, {}).get(row, {}).get(col)
                if got is None or isinstance(got, str):
                    score.missing += 1
                elif got == want:
                    score.right += 1
                else:
                    score.wrong += 1
                    score.wrong_cells.append({"table": table, "row": row, "col": col, "want": want, "got": got})
    if state.report.report_year != truth.year or (state.report.agency or "") != truth.agency:
        score.meta_wrong = 1
    score.exact = int(score.wrong == 0 and score.missing == 0)
    return score


def run_family(family: str, n: int, seed: int = 0, engine: ConversationEngine | None = None) -> Score:
    engine = engine or ConversationEngine()
    total = Score()
    for truth, messages in conversations(family, n, seed):
        s = score_one(engine, truth, messages)
        for w in s.wrong_cells:
            w.setdefault("agency", truth.agency)
            w.setdefault("messages", messages)
        total.add(s)
    return total
