"""Answers to the clerk's own questions: what a row means, where a case goes, what is still missing.

The meanings come from ``prompts/glossary/terms.toml`` (written from the official format specification); the
place in the table (table, row label, row number) is computed from the report's format, so the answer is right
for the 2019 (试行) and the 2021 format alike. Pure functions of the report; wording lives in ``prompts/``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .extract.acts import is_missing_question
from .facts import Report
from .formats import ReportFormat
from .prompts import PROMPTS_DIR, render_prompt

MAX_TERMS_PER_ANSWER = 2
MAX_ROWS_LISTED = 12
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
TABLE_ORDER = ("table3", "table4", "table2")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    text: str
    cell: str | None = None
    cell_2019: str | None = None


@lru_cache(maxsize=1)
def glossary() -> tuple[Term, ...]:
    """The glossary entries, as written in prompts/glossary/terms.toml."""
    with open(PROMPTS_DIR / "glossary" / "terms.toml", "rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    return tuple(Term(words=tuple(t["words"]), text=t["text"], cell=t.get("cell"), cell_2019=t.get("cell_2019"))
                 for t in data.get("term", []))


def find_terms(question: str) -> list[Term]:
    """Glossary entries named in a question, longest words first, without overlaps; specific rows before groups."""
    hits: list[tuple[int, int, Term]] = []
    words = sorted(((w, t) for t in glossary() for w in t.words), key=lambda wt: -len(wt[0]))
    taken: list[tuple[int, int]] = []
    for word, term in words:
        start = question.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                if all(t is not term for _, _, t in hits):
                    hits.append((start, end, term))
                break
            start = question.find(word, start + 1)
    hits.sort(key=lambda h: h[0])
    specific = [t for _, _, t in hits if t.cell and not t.cell.startswith("t3group:")]
    rows = [t.cell.partition(":")[2] for t in specific if t.cell and t.cell.startswith("t3:")]
    general = [t for _, _, t in hits if t not in specific
               and not (t.cell and t.cell.startswith("t3group:") and any(r.startswith(t.cell[8:]) for r in rows))]
    return (specific + general)[:MAX_TERMS_PER_ANSWER]


def location(term: Term, fmt: ReportFormat) -> str:
    """Where a glossary entry sits in this format: "表三第16至20行（（五）不予处理：1.…）"."""
    ref = term.cell_2019 if fmt.id == "2019" and term.cell_2019 else term.cell
    if not ref:
        return ""
    kind, _, ident = ref.partition(":")
    if kind in ("t3", "t3group"):
        rows = list(fmt.table3_rows)
        chosen = [(i, r) for i, r in enumerate(rows, 1) if (r.id == ident if kind == "t3" else r.id.startswith(ident))]
        if not chosen:
            return ""
        if len(chosen) == 1:
            i, r = chosen[0]
            group = f"“{r.group}”下的" if r.group else ""
            return render_prompt("replies/answer_row", table="表三", number=i, label=f"{group}“{r.label}”")
        first, last = chosen[0][0], chosen[-1][0]
        labels = "、".join(r.label for _, r in chosen[:MAX_ROWS_LISTED])
        group = chosen[0][1].group or ""
        return render_prompt("replies/answer_rows", table="表三", first=first, last=last, group=group,
                             count=len(chosen), labels=labels)
    if kind == "t4":
        group4 = next((g for g in fmt.table4_groups if g.id == ident), None)
        if group4 is None:
            return ""
        label = f"{group4.parent}·{group4.label}" if group4.parent else group4.label
        cols = "、".join(c.label for c in fmt.table4_part_columns)
        return render_prompt("replies/answer_t4", label=label, cols=cols)
    if kind == "t2":
        specs = [s for s in fmt.table_cells("table2") if s.row_id == ident]
        if not specs:
            return ""
        cols = "、".join(f"{s.col_label}（{s.unit}）" for s in specs)
        return render_prompt("replies/answer_t2", label=specs[0].row_label, cols=cols)
    return ""


def answer_question(question: str, report: Report) -> str:
    """One answer: the missing cells, or the meaning and place of the rows the question names."""
    if is_missing_question(question):
        return missing_summary(report)
    terms = find_terms(question)
    if not terms:
        return render_prompt("replies/answer_unknown", question=question[:60])
    parts = []
    for term in terms:
        where = location(term, report.fmt)
        parts.append(term.text + (f"（{where}）" if where else ""))
    return render_prompt("replies/answer", text="\n\n".join(parts))


def answer_questions(questions: list[str], report: Report) -> list[str]:
    """Answers for the clerk's questions of one message (the same answer is given once)."""
    out: list[str] = []
    for q in questions:
        a = answer_question(q, report)
        if a not in out:
            out.append(a)
    return out


def missing_summary(report: Report) -> str:
    """「还缺哪些」: the unknown cells grouped by table, one example sentence per group; pending cells apart."""
    from .dialogue import row_short

    blocks: list[str] = []
    pending_rows: list[str] = []
    for table in TABLE_ORDER:
        specs = report.unknown_input_cells(table)
        rows: list[str] = []
        for s in specs:
            name = row_short(s)
            target = pending_rows if report.cell(s.key).pending else rows
            if name not in target:
                target.append(name)
        if not rows:
            continue
        more = f"等{len(rows)}行" if len(rows) > MAX_ROWS_LISTED else ""
        blocks.append(render_prompt(f"replies/missing_{table}", table=TABLE_NAMES[table],
                                    rows="、".join(rows[:MAX_ROWS_LISTED]) + more,
                                    count=sum(1 for s in specs if not report.cell(s.key).pending)))
    if pending_rows:
        blocks.append(render_prompt("replies/missing_pending", rows="、".join(pending_rows[:MAX_ROWS_LISTED])))
    if not blocks:
        return render_prompt("replies/missing_none")
    return render_prompt("replies/missing", blocks="\n".join(f"- {b}" for b in blocks))
