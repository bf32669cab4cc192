"""Issue 10, "What we saw": every extraction example as a test, plus the phrasing classes it names.

Each case states the cells that must be proposed and, where the failure was a wrong number, the cells that must
NOT be proposed. Precision over recall: a cell the engine cannot read must stay unrecorded (and be reported),
never guessed.
"""

from decimal import Decimal

import pytest

from assistant.extract.base import ExtractionContext
from assistant.extract.rules import INTERNAL_ERROR, RuleExtractor
from assistant.facts import CellStatus, Report

Z = "0"


def run(message, fmt="2021", report=None, conventions=None):
    rep = report or Report(format_id=fmt, report_year=2020 if fmt == "2019" else 2023)
    ctx = ExtractionContext(report=rep, conventions=conventions or {})
    res = RuleExtractor().extract(message, ctx)
    assert INTERNAL_ERROR not in res.warnings
    return res


def got(res):
    return {u.cell: Z if u.status == CellStatus.CONFIRMED_ZERO else u.value for u in res.updates}


def check(res, expect, absent=()):
    g = got(res)
    for key, value in expect.items():
        assert key in g, f"{key} missing; got {g}"
        want = value if value == Z else Decimal(str(value))
        assert g[key] == want, f"{key}: {g[key]} != {want}; got {g}"
    for key in absent:
        assert key not in g, f"{key} must not be proposed; got {g[key]}"


COLS = ("natural_person", "business", "research", "public_interest", "legal_service", "other")


# ---- numeral reader -----------------------------------------------------------------------------------------


def test_none_received_is_zero_never_one():
    res = run("依申请公开今年一件都没收到，上年也没有结转的")
    check(res, {f"t3.received.{c}": Z for c in COLS} | {f"t3.carried_in.{c}": Z for c in COLS})
    assert all(u.value != 1 for u in res.updates)


@pytest.mark.parametrize(
    ("message", "cell", "value"),
    [
        ("行政许可12万3456件", "t2.licensing.decisions", 123456),
        ("行政处罚1万零5件", "t2.penalty.decisions", 10005),
        ("行政许可398万5758件", "t2.licensing.decisions", 3985758),
    ],
)
def test_composite_numerals(message, cell, value):
    check(run(message), {cell: value})
