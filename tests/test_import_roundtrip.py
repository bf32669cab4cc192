"""Round trips: the engine's own renderers (Markdown, text, HTML, .docx) → import → the same facts."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.facts import AgencyLevel, CellFact, CellStatus, Report
from assistant.formats import ValueKind, get_format
from assistant.importing import import_report
from assistant.interchange import load_report, to_label_json
from assistant.render import render_docx, render_html, render_html_document, render_markdown, render_text

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.json"))
RENDERERS = {
    "md": (render_markdown, "报告.md"),
    "txt": (render_text, "报告.txt"),
    "html-fragment": (render_html, "报告.html"),
    "html": (render_html_document, "报告.html"),
    "docx": (render_docx, "报告.docx"),
}


def _norm_sections(sections: dict[str, str]) -> dict[str, list[str]]:
    return {h: [line.strip() for line in t.split("\n") if line.strip()] for h, t in sections.items()}


def _assert_same_facts(want: Report, got: Report) -> None:
    a, b = to_label_json(want), to_label_json(got)
    for key in ("agency", "report_year", "format", "table2", "table3", "table4"):
        assert a[key] == b[key], key
    assert _norm_sections(a["sections"]) == _norm_sections(b["sections"])
    # the level is not printed in a report; it is only inferred when the agency name makes it unambiguous
    assert got.level in (None, want.level)


def _round_trip(report: Report, how: str):
    render, filename = RENDERERS[how]
    out = render(report)
    return import_report(out, filename=filename)


def test_samples_exist():
    formats = {load_report(p).fmt.id for p in SAMPLES}
    assert {"2019", "2021"} <= formats


@pytest.mark.parametrize("how", list(RENDERERS))
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_round_trip(sample: Path, how: str):
    report = load_report(sample)
    result = _round_trip(report, how)
    assert result.kind == "report"
    _assert_same_facts(report, result.report)
    # what the samples print completely comes back without an "unread" note
    if report.cells:
        assert not [u for u in result.unread if "无法" in u or "未导入" in u], result.unread


def _random_report(format_id: str, seed: int) -> Report:
    """A report with random numbers, 不适用 cells and unknown cells, for one format."""
    rng = random.Random(seed)
    fmt = get_format(format_id)
    year = {"2019": 2020, "2021": 2024, "2021-23": 2022}[format_id]
    cells: dict[str, CellFact] = {}
    for spec in fmt.input_cells():
        r = rng.random()
        if r < 0.1:
            continue  # unknown
        if r < 0.15:
            cells[spec.key] = CellFact(status=CellStatus.NOT_APPLICABLE)
            continue
        if spec.kind == ValueKind.AMOUNT:
            value = Decimal(rng.randrange(0, 100000)) / 100
        elif spec.kind == ValueKind.SIGNED:
            value = Decimal(rng.randrange(-9, 10))
        else:
            value = Decimal(rng.choice([0, 0, 0, 1, 2, 3, 12, 140]))
        cells[spec.key] = CellFact(status=CellStatus.VALUE, value=value)
    sections = {
        "s1": f"本年度，我镇认真落实条例要求。\n（一）主动公开\n全年主动公开信息{rng.randrange(10, 500)}条。",
        "s5": "一是公开内容不够全面。\n二是培训不足。",
        "s6": "本年度未收取信息处理费。",
    }
    return Report(
        agency="清溪县东山镇人民政府",
        level=AgencyLevel.TOWNSHIP,
        report_year=year,
        format_id=format_id,
        cells=cells,
        sections=sections,
    )


@pytest.mark.parametrize("how", list(RENDERERS))
@pytest.mark.parametrize("format_id", ["2019", "2021", "2021-23"])
@pytest.mark.parametrize("seed", [1, 2])
def test_random_report_round_trip(format_id: str, how: str, seed: int):
    report = _random_report(format_id, seed)
    result = _round_trip(report, how)
    _assert_same_facts(report, result.report)
    assert result.report.level == AgencyLevel.TOWNSHIP
    got = result.report
    for key, fact in report.cells.items():  # status as well as value: 不适用 stays 不适用, unknown stays unknown
        assert got.cell(key).status == fact.status, key
    for spec in report.fmt.input_cells():
        if spec.key not in report.cells:
            assert not got.cell(spec.key).known, spec.key
