"""Links with last year's report: X-0 (is it last year's file), X-1 (carry-over), X-4 (copied text)."""

from __future__ import annotations

import re

from ..narrative_claims import LAST_YEAR_WORDS
from ..textnorm import normalize_text
from .core import Checker, heading, last_year_comparable, num, section_text


def check_last_year_file(c: Checker) -> bool:
    """X-0: the last-year file must be the year before. Returns whether cross-year checks may run."""
    ly = c.report.last_year
    if ly is None:
        return False
    if not last_year_comparable(c):
        c.emit(
            "X-0",
            "warning",
            "x_0",
            [],
            year=c.report.report_year,
            last_year=ly.report_year,
            expected=(c.report.report_year or 1) - 1,
        )
        return False
    return True


def check_carry_link(c: Checker) -> None:
    """X-1: this year's 二、上年结转 = last year's 四、结转下年度继续办理, per column."""
    ly = c.report.last_year
    assert ly is not None
    diffs, unsure = [], []
    for col in c.fmt.table3_columns:
        k_in, k_out = f"t3.carried_in.{col.id}", f"t3.carried_out.{col.id}"
        last = ly.value(k_out)
        if last is None:
            continue
        now = c.value(k_in)
        if now is None:
            unsure.append((col, last))
        elif now != last:
            diffs.append((col, now, last))
    if diffs:
        c.emit(
            "X-1",
            "warning",
            "x_1",
            [f"t3.carried_in.{col.id}" for col, _, _ in diffs],
            last_year=ly.report_year or "上",
            items="；".join(f"{col.label}：今年填{num(now)}件，上年报告为{num(last)}件" for col, now, last in diffs),
        )
    elif unsure:
        c.uncertain(
            "X-1",
            "上年报告「四、结转下年度继续办理」" + "、".join(f"{col.label}{num(last)}件" for col, last in unsure[:3]),
            [f"t3.carried_in.{col.id}" for col, _ in unsure],
        )


def _shingles(text: str, n: int = 6) -> set[str]:
    """Overlapping n-character pieces of the text without spaces and punctuation."""
    s = re.sub(r"[\s\W_]+", "", text)
    return {s[i : i + n] for i in range(max(0, len(s) - n + 1))}


_PLACEHOLDER = re.compile(r"【待补充[^】]*】")


def check_repetition(c: Checker) -> None:
    """X-4: section 五 reports on last year's problems and is not copied; 一/六 are not copied either.

    A section that still holds a 【待补充…】 placeholder is an unfinished draft and is not judged yet.
    """
    ly = c.report.last_year
    assert ly is not None
    for sid in ("s1", "s5", "s6"):
        now = section_text(c, sid)
        last = _PLACEHOLDER.sub("", normalize_text(ly.sections.get(sid) or ""))
        if len(now) < 40 or not last or _PLACEHOLDER.search(now):
            continue
        sh_now, sh_last = _shingles(now), _shingles(last)
        if not sh_now:
            continue
        share = len(sh_now & sh_last) / len(sh_now)
        if share >= 0.8:
            c.emit("X-4", "warning", "x_4_copied", [], [sid], section=heading(sid), pct=round(share * 100))
    now5, last5 = section_text(c, "s5"), ly.sections.get("s5") or ""
    if now5 and last5.strip() and not _PLACEHOLDER.search(now5) and not LAST_YEAR_WORDS.search(now5):
        c.emit("X-4", "warning", "x_4_followup", [], ["s5"], section=heading("s5"))
