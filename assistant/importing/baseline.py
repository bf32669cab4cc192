"""Start this year's draft from last year's published report: baselines become proposals, never silent facts."""

from __future__ import annotations

from decimal import Decimal

from ..errors import InputError
from ..extract.base import PendingQuestion
from ..facts import Report, format_number
from ..formats import format_for_year
from ..interchange import last_year_from_report
from ..prompts import render_prompt

_PROBLEMS_MAX_CHARS = 300


def _carried_in_question(last: Report, new: Report) -> PendingQuestion | None:
    """Last year's 结转下年度继续办理 per column → proposed 上年结转 (the clerk confirms)."""
    proposed: dict[str, Decimal] = {}
    parts: list[str] = []
    for col in new.fmt.applicant_part_columns:
        v = last.value(f"t3.carried_out.{col.id}")
        if v is None:
            continue
        proposed[f"t3.carried_in.{col.id}"] = v
        parts.append(f"{col.label}{format_number(v)}件")
    if not proposed:
        return None
    total = last.value("t3.carried_out.total")
    if total is not None:
        parts.append(f"总计{format_number(total)}件")
    return PendingQuestion(
        kind="confirm_value",
        text=render_prompt("import/carried_in", last_year=last.report_year, values="、".join(parts)),
        cells=list(proposed),
        proposed=proposed,
        template="import/carried_in",
    )


def _in_force_question(last: Report, new: Report) -> PendingQuestion | None:
    """Last year's 现行有效件数 (2021 format) → ask this year's issued/repealed/in force (check T2-2 uses it)."""
    if last.fmt.table2_blocks[0].columns[-1].id != "in_force" or new.fmt.table2_blocks[0].columns[-1].id != "in_force":
        return None  # 2019 对外公开总数量 is not 现行有效件数: no link across the format change
    items: list[str] = []
    cells: list[str] = []
    for row in new.fmt.table2_blocks[0].rows:
        v = last.value(f"t2.{row.id}.in_force")
        if v is None:
            continue
        items.append(f"{row.label}{format_number(v)}件")
        cells += [f"t2.{row.id}.{c.id}" for c in new.fmt.table2_blocks[0].columns]
    if not items:
        return None
    return PendingQuestion(
        kind="cells",
        text=render_prompt("import/in_force", last_year=last.report_year, items="、".join(items)),
        cells=cells,
        template="import/in_force",
    )


def _problems_question(last: Report) -> PendingQuestion | None:
    text = (last.sections.get("s5") or "").strip()
    if not text:
        return None
    shown = " ".join(text.split())
    if len(shown) > _PROBLEMS_MAX_CHARS:
        shown = shown[:_PROBLEMS_MAX_CHARS] + "……"
    return PendingQuestion(
        kind="narrative",
        text=render_prompt("import/last_problems", last_year=last.report_year or "上一", problems=shown),
        narrative_key="measures",
        template="import/last_problems",
    )


def start_from_last_year(
    last: Report, new_year: int, *, agency: str | None = None
) -> tuple[Report, list[PendingQuestion]]:
    """A new, empty draft for ``new_year`` with ``last_year`` set, plus questions proposing last year's
    baselines (上年结转 from 结转下年度; 现行有效件数 as the start of table 二; section 五's problems)."""
    if last.report_year is not None and new_year <= last.report_year:
        raise InputError(f"新年报的年度（{new_year}年）应晚于去年年报的年度（{last.report_year}年）")
    fmt = format_for_year(new_year)
    new = Report(
        agency=(agency if agency is not None else last.agency) or "",
        level=last.level,
        report_year=new_year,
        format_id=fmt.id,
        last_year=last_year_from_report(last),
    )
    questions: list[PendingQuestion] = []
    consecutive = last.report_year is None or last.report_year == new_year - 1
    if consecutive:
        for q in (_carried_in_question(last, new), _in_force_question(last, new)):
            if q is not None:
                questions.append(q)
    q = _problems_question(last)
    if q is not None:
        questions.append(q)
    return new, questions
