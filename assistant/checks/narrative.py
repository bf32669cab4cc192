"""Narrative ↔ tables: N-1/N-2 (counts in the text), N-3 (信息处理费 in 六), N-4 (year, period, citation).

Reading the text is :mod:`assistant.narrative_claims`; this module only compares and words the findings.
"""

from __future__ import annotations

from decimal import Decimal

from ..formats import SECTIONS
from ..narrative_claims import (
    CITATION,
    fee_amounts,
    find_claims,
    metrics_for,
    report_year_mentions,
    sentences,
    statistical_periods,
)
from ..textnorm import normalize_text
from .applications import FEE_WORDS, fee_text
from .core import Checker, heading, num, section_text, t3_all_zero


def check_numbers(c: Checker) -> None:
    """N-1 / N-2: counts in the text equal the table cells they describe (see :mod:`narrative_claims`)."""
    metrics = metrics_for(c.fmt)
    seen: set[tuple[tuple[str, ...], Decimal, str]] = set()
    headings = {s.id: s.heading for s in SECTIONS}
    for sid, text in narrative_texts(c):
        for claim in find_claims(text, sid, metrics, c.report.report_year):
            ids = tuple(m.id for m in claim.metrics)
            if (ids, claim.value, claim.section) in seen:
                continue
            seen.add((ids, claim.value, claim.section))
            cells = [k for m in claim.metrics for k in m.cells]
            table, missing = c.sum_of(cells)
            rule = claim.metrics[0].rule
            what = "与".join(m.what for m in claim.metrics) + ("之和" if len(claim.metrics) > 1 else "")
            said = "" if num(claim.value) in claim.quote else f"，即{num(claim.value)}件"
            if table is None:
                c.uncertain(rule, f"正文“{claim.quote}”", missing)
            elif table != claim.value:
                template = "n_scope" if claim.scoped else rule.lower().replace("-", "_")
                c.emit(
                    rule,
                    "warning" if claim.scoped else "error",
                    template,
                    cells,
                    [claim.section] if claim.section in headings else [],
                    section=headings.get(claim.section, claim.section),
                    quote=claim.quote,
                    claimed=num(claim.value),
                    said=said,
                    what=what,
                    table=num(table),
                )


def narrative_texts(c: Checker) -> list[tuple[str, str]]:
    """(section id, normalised text) of every written section, sections a report added keyed by their heading."""
    out = [(s.id, t) for s in SECTIONS if (t := section_text(c, s.id))]
    out += [(h, t) for h, raw in c.report.extra_sections.items() if (t := normalize_text(raw or "").strip())]
    return out


def check_fee_text(c: Checker, t3_6_fired: bool) -> None:
    """N-3: section 六 states the 信息处理费 (2021 format) and the amount is plausible (国办函〔2020〕109号:
    100元/件 or 10/20/40元/页, so whole tens of yuan; only from applicants; not 行政事业性收费)."""
    text, is_section = fee_text(c)
    if not text or not is_section:
        return
    if c.fmt.citation.endswith("〔2021〕30号") and not FEE_WORDS.search(text):
        if not t3_6_fired:
            c.emit("N-3", "warning", "n_3_silent", [], ["s6"], section=heading("s6"))
        return
    for amount in fee_amounts(text):
        if amount <= 0:
            continue
        if amount % 10:
            c.emit("N-3", "warning", "n_3_rate", [], ["s6"], amount=num(amount))
        if t3_all_zero(c.value):
            c.emit(
                "N-3",
                "warning",
                "n_3_no_applications",
                ["t3.received.total", "t3.carried_in.total"],
                ["s6"],
                amount=num(amount),
            )
        for spec in c.fmt.table_cells("table2"):
            v = c.amount(spec.key, "元") if spec.col_id == "fee_amount" else None
            if v and v == amount:
                c.emit(
                    "N-3",
                    "warning",
                    "n_3_confused",
                    [spec.key],
                    ["s6"],
                    amount=num(amount),
                    where=spec.display_label,
                    value=c.report.cell(spec.key).describe() + ("" if c.report.cell(spec.key).unit else spec.unit),
                )


_KNOWN_CITATIONS = {("2019", "60"), ("2021", "30")}


def check_year_period_citation(c: Checker) -> None:
    """N-4: report year, statistical period 1月1日–12月31日 and the format citation match the report."""
    year = c.report.report_year
    expected = CITATION.search(c.fmt.citation)
    for s in SECTIONS:
        text = section_text(c, s.id)
        if not text:
            continue
        for _, sent in sentences(text):
            for m in CITATION.finditer(sent):
                found = (m.group(1), m.group(2))
                if expected and found != expected.groups() and (found in _KNOWN_CITATIONS or "格式" in sent):
                    c.emit(
                        "N-4",
                        "error",
                        "n_4_citation",
                        [],
                        [s.id],
                        section=s.heading,
                        found=m.group(0),
                        expected=c.fmt.citation,
                        year=year or "本",
                    )
            if year is None:
                continue
            for period in statistical_periods(sent):
                if (period.start, period.end) != ((year, 1, 1), (year, 12, 31)):
                    c.emit(
                        "N-4",
                        "error",
                        "n_4_period",
                        [],
                        [s.id],
                        section=s.heading,
                        found=period.text,
                        year=year,
                        expected=c.report.period_text,
                    )
            for said_year, found in report_year_mentions(sent):
                if said_year != year:
                    c.emit("N-4", "error", "n_4_year", [], [s.id], section=s.heading, found=found, year=year)
