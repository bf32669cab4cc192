"""Consistency checks (format_spec.md §8) → findings with rule id, severity, cells and a Chinese message.

One implementation per rule, driven by the format definition, so it covers the 2019, 2021 and 2021-23 formats.

Severities: ``error`` (arithmetically wrong, or a wrong year/citation), ``warning`` (plausibility, needs an
explanation), ``uncertain`` (a rule that cannot be decided because input cells are unknown; one finding per rule
that lists them) and ``missing`` (compact summary of unknown cells per table / unwritten sections).

Rule ids (format_spec.md §8) and where they live:

- table 三 ``applications``: T3-1 row totals, T3-2 （七）总计, T3-3 一+二=（七）+四 per column, T3-5 subtotal lines,
  T3-6 （六）2 vs 信息处理费 in 六, T3-7 large carry-over (heuristic); table 四 ``review_litigation``: T4-1, T4-3;
  table 二 ``proactive``: T2-2…T2-6, X-2, X-3; T3-4/T4-2/T2-1 (value types) in ``core.check_integers``.
- ``cross_year`` (only with ``report.last_year``): X-0 wrong last-year file, X-1 carry-over link, X-4 copied text.
- ``narrative``: N-1/N-2 counts in the text (combined categories, 一 or 一+二 for 收到, scope words → warning),
  N-3 fees in 六, N-4 year / statistical period / format citation, N-5 现行有效 figures vs 表二 (warning),
  N-6 enumeration slips 一是…三是…三是 (warning), N-7 percentages vs the table (warning).
- reading (``interchange.read_label_json`` and ``commands/check``): R-1 unknown rows/columns, R-2 cells that are
  not numbers, R-3 sections added to the six, R-5 unreadable agency data, L-1 labels with typos; U-1 an amount
  printed in another unit than its header.
- ``sanity``: F-1 format does not fit the year, F-2 cells not in the format, P-1 absurd but accepted values.
- ``missing``: M-T2/M-T3/M-T4 unknown cells per table, M-S unwritten sections.

Messages are templates in ``prompts/checks/`` (rule titles in ``prompts/checks/rules.txt``).

Subtotal lines (T3-5): the official table 三 has no subtotal row for （三）（四）（五）（六）. An importer that reads
a table which does print such a line passes it to :func:`check_subtotals` (or ``run_checks(report,
subtotals=…)``) instead of storing it as a cell; the subtotal is then checked against the sum of its sub-rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..facts import Report
from . import applications, cross_year, missing, narrative, proactive, review_litigation, sanity
from .applications import check_subtotals
from .core import SEVERITY_ORDER, Checker, Finding, Severity, check_integers, rule_titles


def run_checks(report: Report, *, subtotals: Mapping[str, Mapping[str, Decimal | int]] | None = None) -> list[Finding]:
    """Every check on the report (cross-year ones when report.last_year is set), sorted by severity.

    ``subtotals``: subtotal lines an importer read (see :func:`check_subtotals`), checked as T3-5.
    """
    c = Checker(report, report.fmt)
    sanity.check_format(c)
    # table 三
    check_integers(c, "table3", "T3-4")
    applications.check_row_totals(c)
    applications.check_result_totals(c)
    applications.check_balance(c)
    fee_notice_reported = applications.check_fee_notice(c)
    applications.check_carry_over(c)
    # table 四
    check_integers(c, "table4", "T4-2")
    review_litigation.check_group_totals(c)
    # table 二
    check_integers(c, "table2", "T2-1")
    proactive.check_published(c)
    proactive.check_items(c)
    proactive.check_yuan(c)
    sanity.check_plausible(c)
    # cross-year
    if cross_year.check_last_year_file(c):
        cross_year.check_carry_link(c)
        proactive.check_in_force(c)
        review_litigation.check_cases_without_applications(c)
        cross_year.check_repetition(c)
    # narrative
    narrative.check_numbers(c)
    narrative.check_in_force(c)
    narrative.check_numbering(c)
    narrative.check_fee_text(c, fee_notice_reported)
    narrative.check_year_period_citation(c)
    c.flush_uncertain()
    findings = c.findings
    if subtotals:
        findings += check_subtotals(report, subtotals)
    m = Checker(report, report.fmt)
    missing.check_missing(m)
    findings += m.findings
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


__all__ = ["SEVERITY_ORDER", "Finding", "Severity", "check_subtotals", "has_errors", "rule_titles", "run_checks"]
