"""The clerk confirms an unusual value ("核对过了，照这个填"): kept as it is, recorded in the cell's provenance.

Only plausibility warnings (P-1 unusual size, T2-6 a 万元 amount that looks like yuan) can be confirmed: they
flag values that may well be right. Arithmetic errors cannot be confirmed away.
"""

from __future__ import annotations

import re

from ..facts import Report, confirm_cells
from ..prompts import render_prompt
from ..textnorm import normalize_text

CONFIRMABLE_RULES = frozenset({"P-1", "T2-6"})
CONFIRM_WORDS = re.compile(
    r"核对过|核实过|已核对|已核实|已经核对|已经核实|核对无误|核实无误|确认无误|确认过|没有错|没错|无误|照这个填|按这个填|"
    r"就按这个|就是这个数|数字是对的|数据是对的|是准确的|属实|确实是|确实有"
)
_DENIAL = re.compile(r"不对|错了|写错|填错|说错|多写|少写|有误|更正|改为|改成|应该是|应为")


def is_confirmation(text: str) -> bool:
    """The message confirms what was flagged (and does not say something was wrong)."""
    t = normalize_text(text)
    return bool(CONFIRM_WORDS.search(t)) and not _DENIAL.search(re.sub(r"无误|没有错|没错", "", t))


def confirm_flagged(report: Report, text: str) -> tuple[Report, list[str]]:
    """When ``text`` confirms, mark every value a plausibility warning flags as checked by the clerk.

    Returns the report and the lines to tell the clerk (empty when nothing was confirmed).
    """
    if not is_confirmation(text):
        return report, []
    from . import run_checks

    keys = [k for f in run_checks(report) if f.rule in CONFIRMABLE_RULES and f.severity == "warning" for k in f.cells]
    report, done = confirm_cells(report, list(dict.fromkeys(keys)), normalize_text(text).strip())
    if not done:
        return report, []
    fmt = report.fmt
    items = "；".join(f"{fmt.cell(k).display_label} {report.cell(k).describe()}" for k in done)
    return report, [render_prompt("checks/confirmed", items=items)]
