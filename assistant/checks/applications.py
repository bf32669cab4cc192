"""Table 三 (收到和处理政府信息公开申请情况): T3-1, T3-2, T3-3, T3-5, T3-6, T3-7."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from ..errors import InputError
from ..facts import Report
from ..formats import ReportFormat
from ..textnorm import normalize_text
from .core import ZERO, Checker, Finding, drop_explained_total, num, row_short, section_text, sum_check


def check_row_totals(c: Checker) -> None:
    """T3-1: every row's stated 总计 equals the sum of the six applicant columns."""
    for row in c.fmt.table3_rows:
        if row.id == "result_total":
            continue  # checked with T3-2 (column direction first)
        key = f"t3.{row.id}.total"
        sum_check(c, "T3-1", key, c.fmt.parts_of(key), where=c.spec(key).display_label, parts_name="各类申请人")


def check_result_totals(c: Checker) -> None:
    """T3-2: （七）总计 per column equals the sum of （一）…（六）."""
    diffs: dict[str, tuple[str, Decimal]] = {}
    for col in c.fmt.table3_columns:
        key = f"t3.result_total.{col.id}"
        where = f"表三「（七）总计」{col.label}列"
        status, diff = sum_check(
            c,
            "T3-2",
            key,
            c.fmt.parts_of(key),
            where=where,
            parts_name="（一）至（六）各项",
            name=row_short,
            record_unsure=col.id != "total",
        )
        if col.id == "total" and status == "unsure":
            # the row direction may still decide it: （七）总计 = Σ （七） per applicant column
            parts = [f"t3.result_total.{p.id}" for p in c.fmt.applicant_part_columns]
            status, diff = sum_check(
                c, "T3-1", key, parts, where=c.spec(key).display_label, parts_name="各类申请人", record_unsure=False
            )
            if status == "unsure":
                c.uncertain("T3-2", where, c.leaves(key) or c.sum_of(c.fmt.parts_of(key))[1])
        diffs[col.id] = (status, diff)
    drop_explained_total(c, "T3-2", diffs, "t3.result_total.total")


def check_balance(c: Checker) -> None:
    """T3-3: per column, 一 + 二 = （七）总计 + 四 (effective values)."""
    diffs: dict[str, tuple[str, Decimal]] = {}
    for col in c.fmt.table3_columns:
        keys = [f"t3.{r}.{col.id}" for r in ("received", "carried_in", "result_total", "carried_out")]
        vals = [c.value(k) for k in keys]
        if all(v is None for v in vals):
            diffs[col.id] = ("absent", ZERO)
            continue
        received, carried_in, results, carried_out = (v for v in vals)
        if received is None or carried_in is None or results is None or carried_out is None:
            c.uncertain("T3-3", f"{col.label}列", [leaf for k in keys for leaf in c.leaves(k)])
            diffs[col.id] = ("unsure", ZERO)
            continue
        lhs, rhs = received + carried_in, results + carried_out
        # the balance as printed: a stated total that differs from its parts is T3-1/T3-2's finding; when the
        # printed totals balance (一+二 = （七）+四 as printed), the 勾稽 relation itself holds
        effective = [received, carried_in, results, carried_out]
        printed = [s if (s := c.stated(k)) is not None else v for k, v in zip(keys, effective, strict=True)]
        if lhs == rhs or (printed != effective and printed[0] + printed[1] == printed[2] + printed[3]):
            diffs[col.id] = ("ok", ZERO)
            continue
        diffs[col.id] = ("error", lhs - rhs)
        c.emit(
            "T3-3",
            "error",
            "t3_3",
            keys,
            col=col.label,
            received=num(received),
            carried_in=num(carried_in),
            lhs=num(lhs),
            results=num(results),
            carried_out=num(carried_out),
            rhs=num(rhs),
            diff=num(abs(lhs - rhs)),
            more_less="少" if lhs > rhs else "多",
        )
    drop_explained_total(c, "T3-3", diffs, "t3.received.total")


def _subrows(fmt: ReportFormat, group: str) -> list[str]:
    """Row ids under a merged label of table 三: "withheld" / "（三）不予公开" / "不予公开" → its sub-rows."""
    g = normalize_text(group).strip()
    out = []
    for row in fmt.table3_rows:
        label = row.group or (row.label if row.in_results and row.label.startswith("（六）") else None)
        if label is None:
            continue
        prefix = row.id.rsplit("_", 1)[0] if row.id[-1].isdigit() else row.id
        if g in (label, prefix) or (len(g) >= 2 and label.endswith(g)):
            out.append(row.id)
    return out


def check_subtotals(report: Report, subtotals: Mapping[str, Mapping[str, Decimal | int]]) -> list[Finding]:
    """T3-5: subtotal lines an importer found ("（三）不予公开 合计") against the sum of their sub-rows.

    ``subtotals`` maps a group ("withheld", "（三）不予公开", "不予公开", …) to {column id or label: value}.
    Subtotals are never stored as cells: the official table has no such row.
    """
    c = Checker(report, report.fmt)
    cols = {col.id: col for col in c.fmt.table3_columns} | {col.label: col for col in c.fmt.table3_columns}
    for group, by_col in subtotals.items():
        rows = _subrows(c.fmt, group)
        if not rows:
            raise InputError(f"表三中没有“{group}”这一组，无法核对其小计")
        group_label = c.spec(f"t3.{rows[0]}.total").group or c.spec(f"t3.{rows[0]}.total").row_label
        for col_name, raw in by_col.items():
            col = cols.get(str(col_name).strip())
            if col is None:
                raise InputError(f"表三没有“{col_name}”这一列，无法核对“{group}”的小计")
            stated = Decimal(raw)
            keys = [f"t3.{r}.{col.id}" for r in rows]
            total, missing = c.sum_of(keys)
            where = f"表三「{group_label}」{col.label}"
            if total is None:
                c.uncertain("T3-5", f"{where}小计{num(stated)}件", missing)
            elif total != stated:
                c.emit(
                    "T3-5",
                    "error",
                    "t3_5",
                    keys,
                    where=where,
                    stated=num(stated),
                    computed=num(total),
                    diff=num(abs(stated - total)),
                    parts=c.parts_text(keys, lambda s: s.row_label),
                )
    c.flush_uncertain()
    return c.findings


_FEE_PLACEHOLDER = re.compile(r"【待补充[^】]*处理费[^】]*】")


def fee_text(c: Checker) -> tuple[str, bool]:
    """The text that should discuss 信息处理费: section 六 (unless its fee part is still a 【待补充…】
    placeholder), else the clerk's fee notes. Returns (text, is_section)."""
    s6 = section_text(c, "s6")
    extra = [normalize_text(t) for t in c.report.extra_sections.values() if FEE_WORDS.search(normalize_text(t))]
    if extra:  # a report that adds 「五、信息处理费收取情况」 says it there
        return "\n".join([s6, *extra]).strip(), True
    if s6 and not _FEE_PLACEHOLDER.search(s6):
        return s6, True
    facts = c.report.narrative_facts
    return normalize_text(" ".join(facts.get(k, "") for k in ("fee", "other_matters"))).strip(), False


FEE_WORDS = re.compile(r"信息处理费|收费通知|处理费")


def check_fee_notice(c: Checker) -> bool:
    """T3-6: （六）2 > 0 means 收费通知 were issued; section 六 should discuss 信息处理费. True when it fired."""
    key = "t3.other_handling_2.total"
    if key not in c.fmt.cells():
        return False
    v = c.value(key)
    if not v:
        return False
    text, is_section = fee_text(c)
    if not text:
        c.emit("T3-6", "uncertain", "t3_6_unwritten", [key], ["s6"], where=c.spec(key).display_label, value=num(v))
        return True
    if not FEE_WORDS.search(text):
        c.emit(
            "T3-6",
            "warning",
            "t3_6",
            [key],
            ["s6"] if is_section else [],
            where=c.spec(key).display_label,
            value=num(v),
        )
        return True
    return False


def check_carry_over(c: Checker) -> None:
    """T3-7 (heuristic): the carry-over should be what arrived in the last ~2 months of the year.

    The longest answer period is 20 working days plus a 20-working-day extension (条例第三十三条), so the
    carry-over normally stays below about a quarter of the year's intake. We warn when it holds at least 3
    applications and more than a quarter of the intake, or when anything is carried over with no intake.
    """
    out_v = c.value("t3.carried_out.total")
    rec_v = c.value("t3.received.total")
    if out_v is None or rec_v is None or out_v == 0:
        return
    if (rec_v == 0) or (out_v >= 3 and out_v * 4 > rec_v):
        share = f"{(out_v / rec_v * 100).quantize(Decimal(1))}%" if rec_v else "—"
        c.emit(
            "T3-7",
            "warning",
            "t3_7",
            ["t3.carried_out.total", "t3.received.total"],
            carried_out=num(out_v),
            received=num(rec_v),
            share=share,
            expected=num((rec_v / 6).quantize(Decimal(1))),
        )
