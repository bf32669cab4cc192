"""Findings about the narrative text itself, for the page, the progress cards and the export warnings:
every 【待补充…】 is a work item, and a locked section whose numbers no longer match the tables is flagged for the
reviewer (a locked section is never redrafted, so it can go stale)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from ..checks import Finding
from ..facts import Report, format_number
from ..formats import NARRATIVE_SECTION_IDS
from ..prompts import render_prompt
from .prose_numbers import allowed_numbers, check_numbers_with
from .sections import t2_clause_templates

PLACEHOLDER = re.compile(r"【待补充[：:]?([^】]*)】")
RULE_PLACEHOLDER = "P-1"
RULE_STALE_LOCK = "P-2"


def _warning(rule: str, section_id: str, template: str, **values: object) -> Finding:
    return Finding(
        rule=rule, severity="warning", sections=[section_id], message=render_prompt(f"narrative/{template}", **values)
    )


def placeholders(text: str | None) -> list[str]:
    """What each 【待补充：…】 in a text asks for, in order."""
    return [m.group(1).strip() or "内容" for m in PLACEHOLDER.finditer(text or "")]


def section_name(report: Report, section_id: str) -> str:
    """ "第一部分" for s1, … (the section's ordinal in the format)."""
    ids = [s.id for s in report.fmt.sections]
    n = ids.index(section_id) + 1 if section_id in ids else 0
    return f"第{'一二三四五六七八九十'[n - 1]}部分" if n else section_id


def placeholder_findings(report: Report) -> list[Finding]:
    """One warning per narrative section that still holds 【待补充…】 marks, naming what is missing."""
    out: list[Finding] = []
    for sid in NARRATIVE_SECTION_IDS:
        todo = placeholders(report.sections.get(sid))
        if todo:
            items = "；".join(dict.fromkeys(todo))
            name = section_name(report, sid)
            out.append(_warning(RULE_PLACEHOLDER, sid, "placeholder_finding", section=name, n=len(todo), items=items))
    return out


def stale_lock_findings(report: Report, locked: Iterable[str]) -> list[Finding]:
    """For each locked section: the numbers its text states that the tables (as they are now) contradict."""
    locked = [sid for sid in NARRATIVE_SECTION_IDS if sid in set(locked)]
    if not locked:
        return []
    allowed = allowed_numbers(report)
    out: list[Finding] = []
    for sid in locked:
        text = report.sections.get(sid) or ""
        for problem in stale_table_clauses(report, text) + check_numbers_with(allowed, report, text):
            problem = problem.removesuffix("，请核对").rstrip("。，")
            name = section_name(report, sid)
            out.append(_warning(RULE_STALE_LOCK, sid, "stale_lock", section=name, problem=problem))
    return out


def stale_table_clauses(report: Report, text: str) -> list[str]:
    """The table 二 clauses of our own drafts ("作出行政处罚决定37件") whose number the table no longer has."""
    out: list[str] = []
    cells = report.fmt.cells()
    for key, template in t2_clause_templates().items():
        if key not in cells or "$n" not in template:
            continue
        head, tail = template.split("$n", 1)
        if not head:
            continue
        value = report.value(key)
        for m in re.finditer(re.escape(head) + r"(\d+(?:\.\d+)?)" + re.escape(tail), text):
            if value is None or Decimal(m.group(1)) != value:
                table = f"表格{format_number(value)}{tail}" if value is not None else "表格中尚未填写"
                out.append(render_prompt("narrative/stale_clause", clause=m.group(0), table=table))
    return out


def narrative_findings(report: Report, locked: Iterable[str] = ()) -> list[Finding]:
    """Placeholders and stale locked sections (the checks of the tables are :func:`assistant.checks.run_checks`)."""
    return placeholder_findings(report) + stale_lock_findings(report, locked)
