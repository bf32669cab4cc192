"""Narrative ↔ tables: N-1/N-2 (counts in the text), N-3 (信息处理费 in 六), N-4 (year, period, citation).

Reading the text is :mod:`assistant.narrative_claims`; this module only compares and words the findings.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..formats import SECTIONS
from ..narrative_claims import (
    CITATION,
    Claim,
    fee_amounts,
    find_claims,
    in_force_claims,
    metrics_for,
    numbering_slips,
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
            check_share(c, claim, table)
            if table is not None and table != claim.value and _fits_alternative(c, claim):
                continue  # "收到X件" counting 一+二: a usual reading, not a mismatch
            values: dict[str, object] = {"quote": claim.quote, "claimed": num(claim.value), "what": what}
            if table is None:
                floor = _at_least(c, cells)
                if floor is None or floor <= claim.value or _fits_alternative(c, claim):
                    c.uncertain(rule, f"正文“{claim.quote}”", missing)
                    continue
                template, values["floor"] = "n_at_least", num(floor)  # the known cells already exceed the text
            elif table != claim.value:
                template = "n_scope" if claim.scoped else rule.lower().replace("-", "_")
                values["table"] = num(table)
                values["said"] = "" if num(claim.value) in claim.quote else f"，即{num(claim.value)}件"
            else:
                continue
            c.emit(
                rule,
                "warning" if claim.scoped else "error",
                template,
                cells,
                [claim.section] if claim.section in headings else [],
                section=headings.get(claim.section, claim.section),
                **values,
            )


def _at_least(c: Checker, cells: list[str]) -> Decimal | None:
    """The sum of what is known of these cells (a lower bound while some parts are blank)."""
    bounds = [b for k in cells if (b := c.at_least(k)) is not None]
    return sum(bounds, Decimal(0)) if bounds else None


def _fits_alternative(c: Checker, claim: Claim) -> bool:
    """The claimed number is what the same words commonly count instead (see ``Metric.alternatives``)."""
    if len(claim.metrics) != 1 or claim.strict:
        return False
    return any(c.sum_of(alt)[0] == claim.value for alt in claim.metrics[0].alternatives)


_SHARE_BASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("办理结果总计", ("t3.result_total.total",)),
    ("本年新收", ("t3.received.total",)),
    ("新收与上年结转之和", ("t3.received.total", "t3.carried_in.total")),
)


def check_share(c: Checker, claim: Claim, table: Decimal | None) -> None:
    """N-7 (warning): "予以公开14件，占51.85%": the percentage should be the share of the stated number (or of
    the table's figure for it) in a total the table gives (办理结果总计, 本年新收, or 新收+上年结转), rounded as
    printed or cut off. Not judged while the table's figures are unknown."""
    if claim.percent is None or table is None:
        return
    places = max(0, -claim.percent.as_tuple().exponent)  # type: ignore[operator]
    quantum = Decimal(1).scaleb(-places)
    shares = []
    for name, keys in _SHARE_BASES:
        base, _ = c.sum_of(keys)
        if not base:
            continue
        shares.append((name, base, claim.value / base * 100))
        for part in {claim.value, table}:
            exact = part / base * 100
            if claim.percent in (
                exact.quantize(quantum, rounding=ROUND_HALF_UP),
                exact.quantize(quantum, rounding=ROUND_DOWN),
            ):
                return
    if not shares:
        return
    name, base, exact = shares[0]
    c.emit(
        "N-7",
        "warning",
        "n_7",
        [k for m in claim.metrics for k in m.cells] + list(_SHARE_BASES[0][1]),
        [claim.section] if claim.section.startswith("s") else [],
        section=heading(claim.section) if claim.section.startswith("s") else claim.section,
        quote=claim.quote,
        percent=claim.percent_text,
        value=num(claim.value),
        base_name=name,
        base=num(base),
        computed=num(exact.quantize(quantum, rounding=ROUND_HALF_UP)),
    )


def check_in_force(c: Checker) -> None:
    """N-5: "现行有效规范性文件X件" against 表二 现行有效件数 (a warning: a 规范性文件库 may count differently)."""
    for sid, text in narrative_texts(c):
        for claim in in_force_claims(text):
            key = f"t2.{claim.row}.in_force"
            if key not in c.fmt.cells():
                continue
            table = c.value(key)
            if table is None or table == claim.value:
                continue
            c.emit(
                "N-5",
                "warning",
                "n_5",
                [key],
                [sid] if sid.startswith("s") else [],
                section=heading(sid) if sid.startswith("s") else sid,
                quote=claim.quote,
                claimed=num(claim.value),
                where=c.spec(key).display_label,
                table=num(table),
            )


def check_numbering(c: Checker) -> None:
    """N-6: enumerations "一是…二是…" that repeat or skip a number ("一是…三是…三是")."""
    for sid, text in narrative_texts(c):
        for slip in numbering_slips(text):
            c.emit(
                "N-6",
                "warning",
                "n_6",
                [],
                [sid] if sid.startswith("s") else [],
                section=heading(sid) if sid.startswith("s") else sid,
                sequence="…".join(slip.sequence),
                quote=slip.quote,
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
