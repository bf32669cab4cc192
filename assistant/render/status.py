"""Whether a report is still a draft, and why: the list every output prints or shows before publishing.

A report is a draft while it has unknown input cells, 【待补充…】 placeholders in its text, narrative sections
not drafted, error findings, or no agency name / report year. Drafts may still be rendered (for review), but
every format then carries the 「征求意见稿（草稿）」 marker, the CLI lists the reasons on stderr and exits 1
(unless ``--allow-draft``), and the app's export panel shows the same list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..facts import Report
from ..formats import NARRATIVE_SECTION_IDS
from ..prompts import load_prompt, render_prompt

if TYPE_CHECKING:
    from ..checks import Finding

PLACEHOLDER = re.compile(r"【待补充[^】]*】")
TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def placeholder_counts(report: Report) -> dict[str, int]:
    """Section id → number of 【待补充…】 marks in its text (sections without any are left out)."""
    out: dict[str, int] = {}
    for section in report.fmt.sections:
        n = len(PLACEHOLDER.findall(report.sections.get(section.id) or ""))
        if n:
            out[section.id] = n
    return out


def _section_name(report: Report, section_id: str) -> str:
    """The section's official heading (a bare numeral would be ambiguous in a list of reasons)."""
    return report.fmt.section(section_id).heading


def draft_reasons(report: Report, findings: Sequence[Finding] | None = None) -> list[str]:
    """Why the report cannot be published yet, one Chinese line each (empty when it is complete).

    ``findings``: the checks already run on this report; None runs them here.
    """
    if findings is None:
        from ..checks import run_checks  # local: the checks package is heavier than rendering

        findings = run_checks(report)
    out: list[str] = []
    if not report.agency.strip():
        out.append(load_prompt("render/draft_agency_missing"))
    if not report.report_year:
        out.append(load_prompt("render/draft_year_missing"))
    unknown = report.unknown_input_cells()
    if unknown:
        per_table: dict[str, int] = {}
        for spec in unknown:
            per_table[spec.table] = per_table.get(spec.table, 0) + 1
        tables = "、".join(f"{TABLE_NAMES[t]}{n}格" for t, n in sorted(per_table.items()))
        out.append(render_prompt("render/draft_unknown_cells", tables=tables, count=len(unknown)))
    empty = [
        _section_name(report, s.id)
        for s in report.fmt.sections
        if s.id in NARRATIVE_SECTION_IDS and not (report.sections.get(s.id) or "").strip()
    ]
    if empty:
        out.append(render_prompt("render/draft_sections_empty", sections="、".join(empty)))
    marks = placeholder_counts(report)
    if marks:
        names = "、".join(_section_name(report, sid) for sid in marks)
        out.append(render_prompt("render/draft_placeholders", sections=names, count=sum(marks.values())))
    for f in findings:
        if f.severity == "error":
            out.append(render_prompt("render/draft_error_finding", rule=f.rule, message=f.message))
    return out


def draft_line() -> str:
    """The line printed at the top of a draft: 「征求意见稿（草稿）：…不得对外发布。」"""
    return load_prompt("render/draft_line")


def draft_marker() -> str:
    """The short marker 「征求意见稿（草稿）」 (docx header, HTML badge)."""
    return load_prompt("render/draft_marker")
