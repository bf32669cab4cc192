"""Dialogue policy: a pure function of the state decides what to echo back and what to ask next.

Like a Rasa form: the questions come from the ledger (never from a model's mood), in a fixed priority —
contradictions first, then missing cells in section order (表三, 表四, 表二), then narrative facts — at most
three per reply, using fast paths ("上年结转是否为0？", "本表其余项目是否均为0？") to keep the count low. Question
wording lives in ``prompts/questions/<template>.txt``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from .checks import Finding
from .drafting import NARRATIVE_FACTS, incomplete_narrative_keys
from .extract.base import Ambiguity, PendingQuestion
from .facts import AgencyLevel, CellFact, CellStatus, Change, Report, format_number
from .formats import CellSpec, ReportFormat
from .prompts import render_prompt

MAX_QUESTIONS = 3
MAX_LISTED_ITEMS = 8  # cells named in one "remaining" question

DECLINED = "declined:"  # asked_keys marker: the clerk answered "不是" to a fast path
SKIPPED = "skipped:"  # asked_keys marker: the clerk skipped a narrative fact
SHOWN = "shown:"  # asked_keys marker: a non-error finding already shown once
ASKED = "asked:"  # asked_keys marker: one question (template + cells) shown once more
DEFERRED = "deferred:"  # asked_keys marker: a question without cells pointed to 表格编辑 after two asks

DERIVED_NOTE = "推算"  # provenance note prefix of cells the engine derived (re-derivable)

LOW_LEVELS = (AgencyLevel.TOWNSHIP,)

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


# ---- short labels for echoes and questions ------------------------------------------------------------


def _strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", label, count=1)


def row_short(spec: CellSpec) -> str:
    """A compact row name: "本年新收", "不予处理·重复申请", "行政规范性文件", "行政复议"."""
    if spec.table == "table3":
        if spec.row_id == "result_total":
            return "办理结果总计"
        if spec.row_id == "carried_out":
            return "结转下年度"
        label = _strip_numbering(spec.row_label).split("（")[0].replace("政府信息公开申请数量", "")
        if "、" in label and len(label) > 12:
            label = label.split("、")[0]
        if spec.group:
            return f"{_strip_numbering(spec.group)}·{label}"
        return label
    if spec.table == "table4":
        return spec.row_label
    return spec.row_label


def col_short(spec: CellSpec) -> str:
    """A compact column name: "自然人", "本年制发", "处理决定", "收费金额"."""
    label = spec.col_label.split("（")[0]
    if spec.table == "table2":
        label = label.replace("总数量", "总数").removeprefix("本年处理决定").removesuffix("件数")
        label = label.removesuffix("数量") or "处理决定"
        if label == "处理决定":
            return "处理决定"
    return label


def cell_short(spec: CellSpec) -> str:
    return f"{row_short(spec)} {col_short(spec)}"


def amount_text(spec: CellSpec, value: Decimal | None) -> str:
    """"12件", "0.35万元", "-3项"."""
    return f"{format_number(value)}{spec.unit}"


def fact_text(spec: CellSpec, fact: CellFact) -> str:
    if fact.status == CellStatus.VALUE:
        return amount_text(spec, fact.value)
    return fact.describe()


# ---- echo: what was recorded or changed --------------------------------------------------------------


def _rows_in_order(fmt: ReportFormat, keys: Iterable[str]) -> list[list[CellSpec]]:
    """Group cell keys by (table, row) in print order."""
    wanted = set(keys)
    groups: dict[tuple[str, str], list[CellSpec]] = {}
    for spec in fmt.cells().values():
        if spec.key in wanted:
            groups.setdefault((spec.table, spec.row_id), []).append(spec)
    order = {"table3": 0, "table4": 1, "table2": 2}
    return [groups[k] for k in sorted(groups, key=lambda k: order[k[0]])]


def _row_text(report: Report, specs: list[CellSpec], facts: dict[str, CellFact]) -> str:
    """One row of the echo: "本年新收 自然人23件、商业企业6件，其余为0（合计29件）"."""
    first = specs[0]
    row_inputs = [s for s in report.fmt.cells().values() if s.table == first.table and s.row_id == first.row_id
                  and not s.derived]
    parts = [s for s in specs if not s.derived]
    totals = [s for s in specs if s.derived]
    zeros = [s for s in parts if facts[s.key].status == CellStatus.CONFIRMED_ZERO
             or (facts[s.key].status == CellStatus.VALUE and facts[s.key].value == 0)]
    others = [s for s in parts if s not in zeros]
    bits = [f"{col_short(s)}{fact_text(s, facts[s.key])}" for s in others]
    text = "、".join(bits)
    if zeros:
        if others and len(parts) == len(row_inputs) and len(zeros) >= 2:
            text += "，其余为0"
        else:
            text += ("，" if text else "") + "、".join(col_short(s) for s in zeros) + ("均为0" if len(zeros) > 1 else "为0")
    for t in totals:
        text += ("，" if text else "") + f"{col_short(t)}{fact_text(t, facts[t.key])}"
    if not totals and first.table == "table3" and len(others) >= 2:
        total = report.value(f"t3.{first.row_id}.total")
        if total is not None:
            text += f"（合计{format_number(total)}件）"
    return f"{row_short(first)} {text}"


def describe_cells(report: Report, keys: list[str]) -> list[str]:
    """Cells of a report as compact echo rows ("行政规范性文件 本年制发1件、现行有效4件，本年废止为0")."""
    facts = {k: report.cell(k) for k in keys}
    return [_row_text(report, specs, facts) for specs in _rows_in_order(report.fmt, keys)]


def _zero_rows_text(fmt: ReportFormat, rows: list[list[CellSpec]]) -> str:
    """Rows zeroed entirely, with table 三 groups collapsed: "不予公开各项、无法提供各项、结转下年度"."""
    names: list[str] = []
    by_group: dict[str, list[str]] = {}
    for specs in rows:
        spec = specs[0]
        if spec.table == "table3" and spec.group:
            by_group.setdefault(spec.group, []).append(spec.row_id)
    group_rows = {g: [r.id for r in fmt.table3_rows if r.group == g] for g in by_group}
    done_groups: set[str] = set()
    for specs in rows:
        spec = specs[0]
        g = spec.group if spec.table == "table3" else None
        if g and sorted(by_group[g]) == sorted(group_rows[g]):
            if g not in done_groups:
                done_groups.add(g)
                names.append(f"{_strip_numbering(g)}各项")
            continue
        names.append(row_short(spec))
    return "、".join(names)


def describe_changes(before: Report, after: Report, changes: list[Change]) -> dict[str, list[str]]:
    """Compact echo lines: {"recorded": [...], "corrected": [...], "zeroed": [...]}."""
    fmt = after.fmt
    recorded: list[str] = []
    corrected: list[str] = []
    by_key = {c.cell: c for c in changes if c.cell in fmt.cells()}
    new_keys = [k for k, c in by_key.items() if not c.before.known]
    fixed_keys = [k for k, c in by_key.items() if c.before.known]

    zero_full_rows: list[list[CellSpec]] = []
    for specs in _rows_in_order(fmt, new_keys):
        facts = {s.key: by_key[s.key].after for s in specs}
        row_inputs = [s for s in fmt.cells().values() if s.table == specs[0].table and s.row_id == specs[0].row_id
                      and not s.derived]
        row_zero = all(after.cell(s.key).known and after.cell(s.key).numeric == 0 for s in row_inputs)
        if all(f.numeric == 0 for f in facts.values()) and row_zero and any(not s.derived for s in specs):
            zero_full_rows.append(specs)
            continue
        recorded.append(_row_text(after, specs, facts))
    for specs in _rows_in_order(fmt, fixed_keys):
        for s in specs:
            c = by_key[s.key]
            corrected.append(f"{cell_short(s)} {fact_text(s, c.before)}→{fact_text(s, c.after)}")
    zeroed: list[str] = []
    if zero_full_rows:
        tables: dict[str, list[list[CellSpec]]] = {}
        for specs in zero_full_rows:
            tables.setdefault(specs[0].table, []).append(specs)
        tname = {"table2": "表二", "table3": "表三", "table4": "表四"}
        for table, rows in tables.items():
            zeroed.append(f"{tname[table]} {_zero_rows_text(fmt, rows)}")
    return {"recorded": recorded, "corrected": corrected, "zeroed": zeroed}


# ---- completeness ------------------------------------------------------------------------------------


def unknown_inputs(report: Report, table: str | None = None) -> list[CellSpec]:
    return report.unknown_input_cells(table)


def error_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def tables_complete(report: Report, findings: list[Finding]) -> bool:
    """Every input cell known and no arithmetic error."""
    return not unknown_inputs(report) and not error_findings(findings)


def required_narrative_keys(report: Report) -> list[str]:
    """Narrative facts this report needs (no 信息处理费 before the 办法 took effect; no 依申请 notes when none)."""
    keys = []
    nothing_received = report.value("t3.received.total") == 0 and report.value("t3.carried_in.total") == 0
    for f in NARRATIVE_FACTS:
        if f.key == "fee" and report.report_year is not None and report.report_year <= 2020:
            continue
        if f.key == "applications" and nothing_received:
            continue
        keys.append(f.key)
    return keys


def missing_narrative(report: Report, asked_keys: list[str]) -> list[str]:
    incomplete = incomplete_narrative_keys(report)  # answered, but the draft would keep a 【待补充】: ask once more
    return [
        k
        for k in required_narrative_keys(report)
        if (not report.narrative_facts.get(k, "").strip() or (k in incomplete and asked_keys.count(k) < 2))
        and f"{SKIPPED}{k}" not in asked_keys
    ]


def section_facts_ready(report: Report, section_id: str, asked_keys: list[str]) -> bool:
    """All narrative facts of one section are given or skipped."""
    missing = set(missing_narrative(report, asked_keys))
    return not any(f.section == section_id and f.key in missing for f in NARRATIVE_FACTS)


# ---- questions ---------------------------------------------------------------------------------------


def _q(template: str, kind: str, cells: list[str], **values: object) -> PendingQuestion:
    return PendingQuestion(
        kind=kind,  # type: ignore[arg-type]
        text=render_prompt(f"questions/{template}", **values),
        cells=cells,
        template=template,
    )


class _Ctx:
    """What the question generators need: the report, what was asked before, the format."""

    def __init__(self, report: Report, asked_keys: list[str], hold: Iterable[str] = ()) -> None:
        self.report = report
        self.fmt = report.fmt
        self.asked = Counter(asked_keys)
        # cells not asked about: pending (先空着), or pointed to the table editor after two unanswered questions
        self.hold = set(hold) | {k for k, f in report.cells.items() if f.pending}

    def known(self, key: str) -> bool:
        """Known, or held (pending/deferred): either way not a cell to ask about now."""
        return self.report.cell(key).known or key in self.hold

    def unknown(self, keys: Iterable[str]) -> list[str]:
        return [k for k in keys if not self.known(k)]

    def stated(self, key: str) -> Decimal | None:
        """A value the clerk stated for this cell (derived totals: the stated one, not the computed)."""
        fact = self.report.cell(key)
        return fact.numeric if fact.known else None

    def declined(self, template: str) -> bool:
        return self.asked[f"{DECLINED}{template}"] > 0

    def items(self, keys: list[str], limit: int = MAX_LISTED_ITEMS) -> str:
        """Cells named compactly: a row whose every open cell is listed is named once ("复议后起诉")."""
        listed = set(keys)
        names: list[str] = []
        for specs in _rows_in_order(self.fmt, keys):
            first = specs[0]
            open_cells = [s.key for s in self.fmt.cells().values() if s.table == first.table
                          and s.row_id == first.row_id and not s.derived and not self.known(s.key)]
            if len(specs) > 1 and set(open_cells) <= listed:
                names.append(row_short(first))
            elif len(specs) == 1 and first.table == "table3" and open_cells == [first.key]:
                names.append(row_short(first))
            else:
                names.extend(cell_short(s) for s in specs)
        more = f"等{len(names)}项" if len(names) > limit else ""
        return "、".join(names[:limit]) + more

    def known_text(self, keys: list[str]) -> str:
        parts = []
        for k in keys:
            spec = self.fmt.cell(k)
            fact = self.report.cell(k)
            if fact.known:
                parts.append(f"{col_short(spec)}{fact_text(spec, fact)}")
        return "、".join(parts)


def _rest_questions(ctx: _Ctx, table: str, cells: list[str]) -> list[PendingQuestion]:
    """The last resort of every table: "本表其余项目是否均为0？", or, once declined, the list of what is missing."""
    if not cells:
        return []
    prefix = {"table2": "t2", "table3": "t3", "table4": "t4"}[table]
    if not ctx.declined(f"{prefix}_rest_zero"):  # a "是" sets exactly these cells: all of them are named
        return [_q(f"{prefix}_rest_zero", "confirm_zero", cells, items=ctx.items(cells, limit=len(cells)))]
    return [_q(f"{prefix}_remaining", "cells", cells[:MAX_LISTED_ITEMS], items=ctx.items(cells))]


# table 三 ------------------------------------------------------------------------------------------------


def _t3_row_cells(fmt: ReportFormat, row_id: str) -> list[str]:
    return [f"t3.{row_id}.{c.id}" for c in fmt.applicant_part_columns]


def _t3_applicant_row(ctx: _Ctx, row_id: str, first: PendingQuestion | None) -> list[PendingQuestion]:
    """本年新收 / 上年结转: ask for the breakdown by applicant type, or a fast path."""
    cells = _t3_row_cells(ctx.fmt, row_id)
    unknown = ctx.unknown(cells)
    if not unknown:
        return []
    row = row_short(ctx.fmt.cell(cells[0]))
    total = ctx.stated(f"t3.{row_id}.total")
    if len(unknown) == len(cells):
        if total is not None and total > 0:
            cols = "、".join(c.label for c in ctx.fmt.applicant_part_columns)
            return [_q("t3_row_breakdown", "cells", cells, row=row, total=format_number(total), cols=cols)]
        if total == 0:
            return [_q("t3_other_applicants_none", "confirm_zero", unknown, row=row, known="总计0件")]
        return [first] if first else []
    known_sum = sum((ctx.report.value(k) or Decimal(0)) for k in cells if ctx.known(k))
    known = ctx.known_text(cells)
    if total is not None and total > known_sum:
        return [_q("t3_row_rest", "cells", unknown, row=row, total=format_number(total), known=known,
                   rest=format_number(total - known_sum))]
    if total is not None and total < known_sum:
        return []  # a contradiction: the checks ask about it, never "还有-2件是哪类申请人"
    if known_sum == 0 and total is None:  # only zeros so far ("都是自然人" zeroes the others): ask for the rest
        cols = "、".join(ctx.fmt.cell(k).col_label for k in unknown)
        return [_q("t3_row_columns", "cells", unknown, row=row, cols=cols)]
    return [_q("t3_other_applicants_none", "confirm_zero", unknown, row=row, known=known)]


def _carried_in_first(ctx: _Ctx) -> PendingQuestion:
    cells = _t3_row_cells(ctx.fmt, "carried_in")
    ly = ctx.report.last_year
    if ly is not None and not ctx.declined("t3_carried_in_last_year"):
        proposed = {}
        for k in cells:
            v = ly.value(k.replace("carried_in", "carried_out"))
            if v is None:
                break
            proposed[k] = v
        else:
            shown = "、".join(
                f"{col_short(ctx.fmt.cell(k))}{format_number(v)}件" for k, v in proposed.items() if v
            ) or "0件"
            q = _q("t3_carried_in_last_year", "confirm_value", cells, items=shown)
            q.proposed = proposed
            return q
    if ctx.declined("t3_carried_in_zero"):
        return _q("t3_carried_in", "cells", cells + ["t3.carried_in.total"])
    return _q("t3_carried_in_zero", "confirm_zero", cells)


def _received_first(ctx: _Ctx) -> PendingQuestion:
    cells = _t3_row_cells(ctx.fmt, "received")
    if ctx.report.level in LOW_LEVELS and not ctx.declined("t3_received_none"):
        return _q("t3_received_none", "confirm_zero", cells)
    return _q("t3_received", "cells", cells + ["t3.received.total"])


def _active_columns(ctx: _Ctx) -> list[str] | None:
    """Applicant columns with applications this year (None while 本年新收/上年结转 are incomplete)."""
    cols = []
    for c in ctx.fmt.applicant_part_columns:
        a, b = ctx.report.value(f"t3.received.{c.id}"), ctx.report.value(f"t3.carried_in.{c.id}")
        if a is None or b is None:
            return None
        if a + b > 0:
            cols.append(c.id)
    return cols


def _t3_result_row_ids(fmt: ReportFormat) -> list[str]:
    return [r.id for r in fmt.table3_result_rows] + ["carried_out"]


def table3_questions(ctx: _Ctx) -> list[PendingQuestion]:
    out = _t3_applicant_row(ctx, "received", _received_first(ctx))
    out += _t3_applicant_row(ctx, "carried_in", _carried_in_first(ctx))
    if out:
        return out
    active = _active_columns(ctx)
    if not active:
        return []
    fmt = ctx.fmt
    col_names = {c.id: c.label for c in fmt.applicant_part_columns}
    single = len(active) == 1
    row_ids = _t3_result_row_ids(fmt)
    # a result-row total given without its parts (several applicant types): ask for the breakdown
    for rid in row_ids:
        total = ctx.stated(f"t3.{rid}.total")
        cells = [f"t3.{rid}.{c}" for c in active]
        unknown = ctx.unknown(cells)
        if total is not None and total > 0 and unknown and not single:
            spec = fmt.cell(cells[0])
            if len(unknown) == len(cells):
                out.append(_q("t3_row_breakdown", "cells", cells, row=row_short(spec), total=format_number(total),
                              cols="、".join(col_names[c] for c in active)))
            else:
                known_sum = sum((ctx.report.value(k) or Decimal(0)) for k in cells if ctx.known(k))
                if total > known_sum:  # never "还有0件是哪类申请人？": a 0 rest is arithmetic, a negative one a check
                    out.append(_q("t3_row_rest", "cells", unknown, row=row_short(spec), total=format_number(total),
                                  known=ctx.known_text(cells), rest=format_number(total - known_sum)))
    if out:
        return out
    main = [f"t3.{rid}.{c}" for rid in ("disclosed", "partly_disclosed") for c in active]
    others = [f"t3.{rid}.{c}" for rid in row_ids if rid not in ("disclosed", "partly_disclosed", "carried_out")
              for c in active]
    carried_out = [f"t3.carried_out.{c}" for c in active]
    hint = "" if single else "请按申请人类型（" + "、".join(col_names[c] for c in active) + "）分别说明。"
    covered: set[str] = set()
    if ctx.unknown(main) == main and not any(ctx.known(f"t3.{r}.total") for r in ("disclosed", "partly_disclosed")):
        out.append(_q("t3_results_main", "cells", main, hint=hint))
        covered.update(main)
    if ctx.unknown(others) == others:
        if not ctx.declined("t3_results_other_zero"):
            out.append(_q("t3_results_other_zero", "confirm_zero", others))
        else:
            out.append(_q("t3_results_other", "cells", others))
        covered.update(others)
    if ctx.unknown(carried_out) == carried_out and not ctx.known("t3.carried_out.total"):
        out.append(_q("t3_carried_out", "cells", carried_out + ["t3.carried_out.total"]))
        covered.update(carried_out)
    remaining = [k for k in ctx.unknown(f"t3.{rid}.{c}" for rid in row_ids for c in active) if k not in covered]
    return out + _rest_questions(ctx, "table3", remaining)


# table 四 ------------------------------------------------------------------------------------------------


def table4_questions(ctx: _Ctx) -> list[PendingQuestion]:
    fmt = ctx.fmt
    inputs = [s.key for s in fmt.table_cells("table4") if not s.derived]
    unknown = ctx.unknown(inputs)
    if not unknown:
        return []
    totals = [f"t4.{g.id}.total" for g in fmt.table4_groups]
    if len(unknown) == len(inputs) and not any(ctx.known(t) for t in totals):
        if ctx.declined("t4_none"):
            return [_q("t4_cases", "cells", inputs)]
        return [_q("t4_none", "confirm_zero", inputs)]
    out = []
    for g in fmt.table4_groups:
        total = ctx.stated(f"t4.{g.id}.total")
        cells = [f"t4.{g.id}.{c.id}" for c in fmt.table4_part_columns]
        if total is not None and total > 0 and ctx.unknown(cells):
            label = g.label if g.parent is None else f"{g.parent}（{g.label}）"
            out.append(_q("t4_group_breakdown", "cells", ctx.unknown(cells), group=label, total=format_number(total)))
    if out:
        return out
    return _rest_questions(ctx, "table4", unknown)


# table 二 ------------------------------------------------------------------------------------------------


def _t2_row_cells(fmt: ReportFormat, row_id: str) -> list[str]:
    return [s.key for s in fmt.table_cells("table2") if s.row_id == row_id]


def table2_questions(ctx: _Ctx) -> list[PendingQuestion]:
    fmt = ctx.fmt
    inputs = [s.key for s in fmt.table_cells("table2")]
    if not ctx.unknown(inputs):
        return []
    out: list[PendingQuestion] = []
    rules = _t2_row_cells(fmt, "rules")
    rule_cols = "、".join(ctx.fmt.cell(k).col_label for k in rules)
    level = ctx.report.level
    if ctx.unknown(rules) == rules:
        if level is not None and not level.has_rulemaking_power and not ctx.declined("t2_rules_none"):
            out.append(_q("t2_rules_none", "confirm_zero", rules, level=level.value, cols=rule_cols))
        else:
            out.append(_q("t2_rules", "cells", rules, cols=rule_cols))
    others = [k for k in inputs if k not in rules]
    rows_order: list[str] = []
    for k in others:
        label = fmt.cell(k).row_label
        if label not in rows_order:
            rows_order.append(label)
    if ctx.unknown(others) == others and level in LOW_LEVELS and not ctx.declined("t2_others_zero"):
        out.append(_q("t2_others_zero", "confirm_zero", others, rows="、".join(rows_order)))
        return out
    out += _t2_specific(ctx)
    covered = {c for q in out for c in q.cells}
    return out + _rest_questions(ctx, "table2", [k for k in ctx.unknown(inputs) if k not in covered])


def _t2_specific(ctx: _Ctx) -> list[PendingQuestion]:
    """Block-by-block questions for table 二, each asked once."""
    fmt = ctx.fmt
    out: list[PendingQuestion] = []
    normative = _t2_row_cells(fmt, "normative")
    if ctx.unknown(normative) == normative:
        out.append(_q("t2_normative", "cells", normative, row=fmt.cell(normative[0]).row_label,
                      cols="、".join(fmt.cell(k).col_label for k in normative)))
    if fmt.id == "2019":
        item_rows = ["licensing", "other_services", "penalty", "enforcement", "admin_fee"]
        cells = [k for r in item_rows for k in _t2_row_cells(fmt, r)]
        if ctx.unknown(cells) == cells:
            decision_rows = [fmt.cell(k).row_label for k in cells if k.endswith(".decisions")]
            decisions = "处理决定数量（" + "、".join(decision_rows) + "）各多少件？"
            rows = "、".join(fmt.cell(_t2_row_cells(fmt, r)[0]).row_label for r in item_rows)
            out.append(_q("t2_2019_items", "cells", cells, rows=rows, decisions=decisions))
        proc = _t2_row_cells(fmt, "procurement")
        if ctx.unknown(proc) == proc:
            out.append(_q("t2_2019_procurement", "cells", proc))
        return out
    decision_cells = [k for r in ("licensing", "penalty", "enforcement") for k in _t2_row_cells(fmt, r)]
    if ctx.unknown(decision_cells) == decision_cells:
        rows = "、".join(fmt.cell(k).row_label for k in decision_cells)
        out.append(_q("t2_decisions", "cells", decision_cells, rows=rows))
    fee = _t2_row_cells(fmt, "admin_fee")
    if ctx.unknown(fee) == fee:
        out.append(_q("t2_fee", "cells", fee))
    return out


# meta, contradictions, narrative --------------------------------------------------------------------


def meta_questions(report: Report, proposed: dict[str, str] | None = None) -> list[PendingQuestion]:
    """Identity questions: what is missing, and (asked once) a name or year the clerk's words suggest."""
    confirm = []
    for field, value in (proposed or {}).items():
        if field == "agency" and report.agency:
            q = _q("meta_agency_confirm", "meta", [], agency=report.agency, full=value)
        elif field == "report_year" and report.report_year:
            q = _q("meta_year_confirm", "meta", [], year=value, draft_year=report.report_year)
        else:
            continue
        q.meta_field = field  # type: ignore[assignment]
        q.choices = [value]
        confirm.append(q)
    missing = [f for f, v in (("agency", report.agency), ("level", report.level), ("report_year", report.report_year))
               if not v]
    if len(missing) == 3:
        q = _q("meta_identity", "meta", [])
        q.meta_field = "agency"
        return [q]
    out = confirm
    for f in missing:
        q = _q({"agency": "meta_agency", "level": "meta_level", "report_year": "meta_year"}[f], "meta", [])
        q.meta_field = f  # type: ignore[assignment]
        out.append(q)
    return out


def contradiction_questions(findings: list[Finding]) -> list[PendingQuestion]:
    return [
        PendingQuestion(kind="contradiction", text=render_prompt("questions/contradiction", message=f.message),
                        cells=list(f.cells), template="contradiction")
        for f in error_findings(findings)
    ]


def narrative_question(report: Report, asked_keys: list[str]) -> PendingQuestion | None:
    missing = missing_narrative(report, asked_keys)
    if not missing:
        return None
    key = missing[0]
    q = _q(f"narrative_{key}", "narrative", [])
    q.narrative_key = key
    return q


def table_questions(report: Report, asked_keys: list[str], *, hold: Iterable[str] = (),
                    unread: Iterable[str] = ()) -> list[PendingQuestion]:
    """Missing-cell questions in section order: 表三 first (what matters most), then 表四, then 表二."""
    ctx = _Ctx(report, asked_keys, hold)
    return guard_unread(ctx, table3_questions(ctx) + table4_questions(ctx) + table2_questions(ctx), unread)


def guard_unread(ctx: _Ctx, questions: list[PendingQuestion], unread: Iterable[str]) -> list[PendingQuestion]:
    """A zero fast path never covers a cell the clerk named in words we did not understand: such a question is
    replaced by an explicit one about those cells (a "是" must not turn a misreading into 0)."""
    open_unread = [k for k in dict.fromkeys(unread) if not ctx.known(k)]
    if not open_unread:
        return questions
    out: list[PendingQuestion] = []
    asked_unread: set[str] = set()
    for q in questions:
        hit = [c for c in q.cells if c in open_unread]
        if q.kind != "confirm_zero" or not hit:
            out.append(q)
            continue
        new = [c for c in hit if c not in asked_unread]
        if new:
            asked_unread.update(new)
            out.append(_q("unread_cells", "cells", new, items=ctx.items(new, limit=len(new))))
    return out


def recheck_questions(report: Report, totals: Iterable[str], findings: list[Finding]) -> list[PendingQuestion]:
    """A stated total whose parts the clerk corrected since: still right? (never kept silently, never re-derived)."""
    in_findings = {c for f in error_findings(findings) for c in f.cells}
    out = []
    for key in totals:
        fact = report.cell(key)
        if not fact.known or key in in_findings or key not in report.fmt.cells():
            continue
        spec = report.fmt.cell(key)
        parts = report.fmt.parts_of(key)
        known = [p for p in parts if report.cell(p).known]
        known_sum = sum((report.value(p) or Decimal(0)) for p in known)
        listed = "、".join(f"{col_short(report.fmt.cell(p))}{fact_text(report.fmt.cell(p), report.cell(p))}"
                           for p in known if report.value(p))
        q = _q("total_recheck", "confirm_value", [key], row=row_short(spec), total=fact_text(spec, fact),
               known=listed or "0", known_sum=format_number(known_sum))
        q.proposed = {key: fact.numeric or Decimal(0)}
        out.append(q)
    return out


def question_key(q: PendingQuestion) -> str:
    """What makes two questions "the same question": its template (or narrative fact) and its cells."""
    return f"{q.narrative_key or q.template or q.kind}:{','.join(sorted(q.cells))}"


def _reading_text(report: Report, reading: dict[str, Decimal]) -> str:
    specs = report.fmt.cells()
    return "、".join(f"{cell_short(specs[k])} {amount_text(specs[k], v)}" for k, v in reading.items() if k in specs)


def ambiguity_questions(report: Report, ambiguities: list[Ambiguity]) -> list[PendingQuestion]:
    """A number with two readings: nothing recorded, both readings offered as choices."""
    out = []
    names = "一二三四五六"
    for a in ambiguities:
        readings = [r for r in a.readings if r][: len(names)]
        if len(readings) < 2:
            continue
        cells = list(dict.fromkeys(k for r in readings for k in r))
        choices = "；".join(f"第{names[i]}种：{_reading_text(report, r)}" for i, r in enumerate(readings))
        text = a.question or render_prompt("questions/ambiguity", evidence=a.evidence[:60], choices=choices)
        q = PendingQuestion(kind="cells", text=text, cells=cells, template="ambiguity", readings=readings,
                            choices=[_reading_text(report, r) for r in readings])
        out.append(q)
    return out


def next_questions(report: Report, findings: list[Finding], asked_keys: list[str],
                   limit: int = MAX_QUESTIONS, *, hold: Iterable[str] = (), unread: Iterable[str] = (),
                   recheck: Iterable[str] = (), proposed: dict[str, str] | None = None) -> list[PendingQuestion]:
    """At most ``limit`` grouped questions: identity, contradictions, missing cells, then one narrative fact.

    ``hold``: cells not to ask about (asked twice already); ``unread``: cells never covered by a zero fast path;
    ``recheck``: stated totals whose parts were corrected since."""
    out = meta_questions(report, proposed)
    if report.report_year is None or any(q.choices for q in out):
        return out[:limit]  # a confirmation is asked alone, so that its "是" answers nothing else
    out += contradiction_questions(findings)
    out += recheck_questions(report, recheck, findings)
    tables = table_questions(report, asked_keys, hold=hold, unread=unread)
    out += tables
    if not out:
        q = narrative_question(report, asked_keys)
        if q:
            out.append(q)
    return out[:limit]
