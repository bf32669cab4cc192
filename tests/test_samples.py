"""The sample reports in samples/: they load, the complete ones are consistent, all render in every format."""

from __future__ import annotations

import json
import re
from io import BytesIO
from pathlib import Path

import docx
import pytest

from assistant.checks import run_checks
from assistant.facts import AgencyLevel, CellStatus
from assistant.interchange import from_label_json, load_report, to_label_json
from assistant.render import FORMATS, render
from assistant.textnorm import to_simplified

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
ALL = sorted(p.name for p in SAMPLES.glob("*.json"))
COMPLETE = ["township_2023_none.json", "county_bureau_2024.json", "city_2019format_2020.json"]
SEED = "seed_2020_mayu.json"


def test_expected_samples_exist():
    assert set(COMPLETE) | {SEED} <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_sample_loads_and_renders_in_every_format(name):
    report = load_report(SAMPLES / name)
    assert report.agency and report.report_year and report.level is not None
    for to in FORMATS:
        out = render(report, to)
        if to == "docx":
            d = docx.Document(BytesIO(out))
            assert len(d.tables) in (3, 4)  # 表三 may continue on the next page as a second table
            title = next(p for p in d.paragraphs if p.style.name == "Title")  # a draft starts with its marker
            assert title.text.startswith(report.agency)
        else:
            assert report.agency in out and "一、总体情况" in out


@pytest.mark.parametrize("name", ALL)
def test_label_json_roundtrip_keeps_every_value(name):
    report = load_report(SAMPLES / name)
    data = json.loads(json.dumps(to_label_json(report), ensure_ascii=False))
    again = from_label_json(data)
    assert again.fmt.id == report.fmt.id and again.sections == report.sections
    for key in report.fmt.cells():
        assert again.value(key) == report.value(key), key
        assert (again.cell(key).status == CellStatus.NOT_APPLICABLE) == (
            report.cell(key).status == CellStatus.NOT_APPLICABLE
        )


@pytest.mark.parametrize("name", COMPLETE)
def test_complete_sample_is_complete_and_consistent(name):
    report = load_report(SAMPLES / name)
    fmt = report.fmt
    assert report.unknown_input_cells() == []
    errors = [f for f in run_checks(report) if f.severity == "error"]
    assert errors == [], [f.message for f in errors]
    for col in fmt.table3_columns:  # T3-3 per column: 一 + 二 = （七）总计 + 四
        v = {
            row: report.value(f"t3.{row}.{col.id}") for row in ("received", "carried_in", "result_total", "carried_out")
        }
        assert None not in v.values()
        assert v["received"] + v["carried_in"] == v["result_total"] + v["carried_out"], col.label
    for key in fmt.cells():  # stated totals in the file agree with the sums of their parts (T3-1, T3-2, T4-1)
        if fmt.parts_of(key) and report.cell(key).known:
            assert report.cell(key).numeric == report.computed(key), key
    for s in ("s1", "s5", "s6"):
        assert report.sections.get(s), s


def _number(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    assert m, pattern
    return int(m.group(1))


@pytest.mark.parametrize("name", COMPLETE)
def test_narrative_numbers_match_tables(name):
    report = load_report(SAMPLES / name)
    s1 = report.sections["s1"]
    assert _number(r"收到政府信息公开申请(\d+)件", s1) == report.value("t3.received.total")
    assert _number(r"上年结转政府信息公开申请(\d+)件", s1) == report.value("t3.carried_in.total")
    assert _number(r"结转下年度继续办理(\d+)件", s1) == report.value("t3.carried_out.total")
    assert _number(r"行政复议(\d+)件", s1) == report.value("t4.review.total")
    assert f"{report.report_year}年1月1日至{report.report_year}年12月31日" in s1
    assert report.fmt.citation in s1


def test_2021_samples_cover_the_mandatory_narrative():
    for name in ("township_2023_none.json", "county_bureau_2024.json"):
        report = load_report(SAMPLES / name)
        s1 = report.sections["s1"]
        for sub in report.fmt.section("s1").subparts:
            assert f"\n{sub}\n" in s1, (name, sub)
        assert "信息处理费" in report.sections["s6"]
        assert "责任追究" in s1 and "考核" in s1


def test_township_2023_has_no_applications():
    report = load_report(SAMPLES / "township_2023_none.json")
    assert report.fmt.id == "2021" and report.level == AgencyLevel.TOWNSHIP
    for spec in report.fmt.table_cells("table3") + report.fmt.table_cells("table4"):
        assert report.value(spec.key) == 0, spec.key
    assert report.value("t2.normative.in_force") > 0


def test_county_bureau_2024_mix():
    report = load_report(SAMPLES / "county_bureau_2024.json")
    assert report.fmt.id == "2021" and report.level == AgencyLevel.COUNTY_DEPT
    assert report.value("t3.received.total") == 15 and report.value("t3.carried_in.total") == 1
    assert report.value("t3.carried_out.total") == 1 and report.value("t4.review.total") == 1
    assert str(report.value("t2.admin_fee.fee_amount")) == "12.35"
    used_rows = {r.id for r in report.fmt.table3_result_rows if report.value(f"t3.{r.id}.total")}
    assert len(used_rows) >= 5


def test_city_2020_uses_2019_format():
    report = load_report(SAMPLES / "city_2019format_2020.json")
    assert report.fmt.id == "2019" and report.report_year == 2020
    assert report.value("t2.licensing.change") < 0  # signed 本年增/减
    assert report.value("t2.procurement.proc_items") > 0
    assert "t3.other_handling.natural_person" in report.fmt.cells()  # single （六） row


def test_seed_sample_is_clean_simplified_chinese():
    report = load_report(SAMPLES / SEED)
    assert report.agency == "瑞安市马屿镇人民政府"
    assert report.level == AgencyLevel.TOWNSHIP and report.report_year == 2020 and report.fmt.id == "2019"
    assert set(report.sections) == {"s1", "s5", "s6"}
    assert report.sections["s6"] == "暂无其他需要说明的事项。"
    assert report.sections["s1"].startswith("根据《中华人民共和国政府信息公开条例》")
    assert "统计期限为2020年1月1日至2020年12月31日" in report.sections["s1"]
    for text in report.sections.values():
        assert to_simplified(text) == text  # no traditional characters
        assert not re.search(r"[A-Za-z?|]", text)  # no pinyin, no mojibake, no table debris
    # the website lost the tables: every cell stays unknown, nothing is invented
    assert report.cells == {}
    assert len(report.unknown_input_cells()) == len(report.fmt.input_cells())
