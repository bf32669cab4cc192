"""Issue 11 items 1–3: tolerant reading with strict findings, no hard cap on counts, amounts kept in their unit.

Every case is a shape published reports really print (format_spec.md §10b); each must be read, reported as a
finding where it is irregular, and everything else must still be checked.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.checks import run_checks
from assistant.cli import main
from assistant.engine import ConversationEngine
from assistant.facts import AgencyLevel, CellStatus, FactUpdate, Report, apply_updates, validate_value
from assistant.importing import import_report
from assistant.interchange import read_label_json, to_label_json
from assistant.render.markdown import render_markdown
from assistant.ui.grid import parse_grid_value

FIX = Path(__file__).parent / "fixtures" / "checks"


def data(name: str = "consistent_2023.json") -> dict:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


def rules(findings, severity: str | None = None) -> set[str]:
    return {f.rule for f in findings if severity is None or f.severity == severity}


def check_json(tmp_path: Path, payload: dict, capsys) -> tuple[int, list[dict]]:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--json", str(path)])
    return code, json.loads(capsys.readouterr().out)


# ---- no hard cap ---------------------------------------------------------------------------------------------

CITY_PENALTIES = 3_985_758  # 淮安市人民政府 2024, 表二 行政处罚
CITY_LICENCES = 1_808_595  # 宿迁市 2023, 表二 行政许可


def _city(year: int, level: AgencyLevel | None = AgencyLevel.CITY_GOV, agency: str = "淮安市人民政府") -> Report:
    return Report(agency=agency, level=level, report_year=year)


@pytest.mark.parametrize("key,value", [("t2.penalty.decisions", CITY_PENALTIES), ("t2.licensing.decisions", CITY_LICENCES)])
def test_city_sized_counts_are_accepted_by_the_ledger_and_the_grid(key, value):
    report = _city(2024)
    spec = report.fmt.cell(key)
    assert validate_value(spec, Decimal(value)) == value
    update = parse_grid_value(spec, f"{value:,}")
    assert isinstance(update, FactUpdate)
    res = apply_updates(report, [update], source="manual")
    assert not res.rejected and res.report.value(key) == value
    assert "P-1" not in rules(run_checks(res.report))  # normal for a city government


def test_city_sized_counts_in_chat_are_recorded_without_a_warning():
    engine = ConversationEngine()
    state = engine.start(_city(2024)).state
    res = engine.turn(state, "行政处罚3985758件，行政许可1808595件")
    assert res.state.report.value("t2.penalty.decisions") == CITY_PENALTIES
    assert res.state.report.value("t2.licensing.decisions") == CITY_LICENCES
    assert "P-1" not in rules(res.findings) and "未记录" not in res.reply


def test_city_sized_counts_pass_check_and_import(tmp_path, capsys):
    payload = data()
    payload.update(agency="淮安市人民政府", level="市级人民政府")  # the fixture text says 2023
    payload["table2"]["第二十条第（六）项 / 行政处罚"] = {"本年处理决定数量": "3,985,758"}
    payload["table2"]["第二十条第（五）项 / 行政许可"] = {"本年处理决定数量": CITY_LICENCES}
    code, findings = check_json(tmp_path, payload, capsys)
    assert code == 0 and not [f for f in findings if f["severity"] in ("error", "warning")]
    text = (
        "淮安市人民政府2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
        "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t1,808,595\n"
        "第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t3985758\n行政强制\t1204\n"
    )
    res = import_report(text)
    assert res.report.value("t2.penalty.decisions") == CITY_PENALTIES
    assert res.report.value("t2.licensing.decisions") == CITY_LICENCES
    assert not any("行政处罚" in u for u in res.unread)


def test_same_count_for_a_township_is_a_plausibility_warning_not_a_refusal():
    report = Report(agency="某镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2023)
    res = apply_updates(report, [FactUpdate(cell="t2.penalty.decisions", value=50_000)])
    assert not res.rejected
    p1 = [f for f in run_checks(res.report) if f.rule == "P-1"]
    assert p1 and p1[0].severity == "warning" and "50000" in p1[0].message
    # a county department may well issue 50,000 traffic penalties
    county = res.report.model_copy(update={"level": AgencyLevel.COUNTY_DEPT})
    assert "P-1" not in rules(run_checks(county))


def test_unknown_level_gives_no_plausibility_warning_but_a_township_name_does():
    report = Report(agency="某市某局", report_year=2023)
    report = apply_updates(report, [FactUpdate(cell="t2.penalty.decisions", value=50_000)]).report
    assert "P-1" not in rules(run_checks(report))
    town = report.model_copy(update={"agency": "某某镇人民政府"})
    assert "P-1" in rules(run_checks(town))


def test_clerk_confirms_an_unusual_value_in_chat_and_the_confirmation_is_kept():
    engine = ConversationEngine()
    state = engine.start(Report(agency="某镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2023)).state
    res = engine.turn(state, "行政处罚50000件")
    assert res.state.report.value("t2.penalty.decisions") == 50_000 and "P-1" in rules(res.findings)
    assert "核对过了" in res.reply
    res = engine.turn(res.state, "核对过了，照这个填")
    fact = res.state.report.cell("t2.penalty.decisions")
    assert fact.value == 50_000 and fact.provenance is not None
    assert fact.provenance.confirmation == "核对过了，照这个填" and fact.provenance.evidence == "行政处罚50000件"
    assert "P-1" not in rules(res.findings) and "已按您的核对保留" in res.reply


def test_a_denial_is_not_a_confirmation():
    from assistant.checks.confirm import is_confirmation

    assert is_confirmation("核对过了，照这个填") and is_confirmation("数字没错") and is_confirmation("核对无误")
    assert not is_confirmation("不对，多写了一个0") and not is_confirmation("写错了，应该是5000")


def test_what_can_never_be_right_is_still_refused():
    report = Report(agency="某县某局", level=AgencyLevel.COUNTY_DEPT, report_year=2020)
    res = apply_updates(
        report,
        [
            FactUpdate(cell="t3.received.natural_person", value=-3),
            FactUpdate(cell="t2.penalty.prev_items", value=5),
            FactUpdate(cell="t2.penalty.change", value=-8),  # 5 − 8 < 0: more removed than there were
            FactUpdate(cell="t2.licensing.prev_items", value=5),
            FactUpdate(cell="t2.licensing.change", value=-5),
        ],
    )
    reasons = {r.cell: r.reason for r in res.rejected}
    assert "不能为负数" in reasons["t3.received.natural_person"]
    assert "上一年项目数量只有5项" in reasons["t2.penalty.change"]
    assert res.report.value("t2.licensing.change") == -5 and "t2.penalty.change" not in res.report.cells


# ---- tolerant reading, strict findings -----------------------------------------------------------------------


def test_extra_section_is_a_finding_and_its_text_is_kept_and_checked(tmp_path, capsys):
    payload = data()
    s = payload["sections"]
    payload["sections"] = {
        "一、总体情况": s["一、总体情况"],
        "五、信息处理费收取情况": "本年度收取信息处理费0元。",
        "六、存在的主要问题及改进情况": s["五、存在的主要问题及改进情况"],
        "七、其他需要报告的事项": "无。",
    }
    read = read_label_json(payload)
    assert read.report.extra_sections == {"五、信息处理费收取情况": "本年度收取信息处理费0元。"}
    assert read.report.sections["s5"] == s["五、存在的主要问题及改进情况"] and read.report.sections["s6"] == "无。"
    code, findings = check_json(tmp_path, payload, capsys)
    assert code == 0
    r3 = [f for f in findings if f["rule"] == "R-3"]
    assert len(r3) == 1 and "五、信息处理费收取情况" in r3[0]["message"] and r3[0]["severity"] == "warning"
    assert not [f for f in findings if f["rule"] == "N-3"]  # the fee is stated in the added section
    # the extra section survives the label-keyed JSON round trip
    assert to_label_json(read.report)["sections"]["五、信息处理费收取情况"] == "本年度收取信息处理费0元。"


def test_heading_with_a_typo_is_a_label_finding(tmp_path, capsys):
    payload = data()
    payload["sections"]["四、政府信息公开行政法复议、行政诉讼情况"] = ""
    code, findings = check_json(tmp_path, payload, capsys)
    l1 = [f for f in findings if f["rule"] == "L-1"]
    assert code == 0 and l1 and "行政法复议" in l1[0]["message"] and "四、政府信息公开行政复议、行政诉讼情况" in l1[0]["message"]


def test_row_label_with_a_typo_is_a_finding_and_its_numbers_are_checked(tmp_path, capsys):
    payload = data()
    t3 = payload["table3"]
    t3["（三）不予公开 / 2.其他法律行政止公开"] = t3.pop("（三）不予公开 / 2.其他法律行政法规禁止公开")
    t3["（三）不予公开 / 2.其他法律行政止公开"]["自然人"] = 5  # and a planted error in the same row
    code, findings = check_json(tmp_path, payload, capsys)
    assert code == 1
    assert any(f["rule"] == "L-1" and "其他法律行政止公开" in f["message"] for f in findings)
    assert any(f["rule"] == "T3-1" and "t3.withheld_2.total" in f["cells"] for f in findings)


def test_2021_report_printed_in_the_2019_template_is_checked_as_printed(tmp_path, capsys):
    payload = data("consistent_2020.json")
    payload.update(report_year=2021)
    payload.pop("format")
    read = read_label_json(payload)
    assert read.report.fmt.id == "2019" and read.report.value("t2.licensing.prev_items") == 12
    code, findings = check_json(tmp_path, payload, capsys)
    f1 = [f for f in findings if f["rule"] == "F-1"]
    assert code == 1 and f1 and "2021年度" in f1[0]["message"]
    # the tables are still checked: a planted T3-3 error is found next to the format finding
    payload["table3"]["四、结转下年度继续办理"]["自然人"] = 7
    payload["table3"]["四、结转下年度继续办理"]["总计"] = 7
    code, findings = check_json(tmp_path, payload, capsys)
    assert {"F-1", "T3-3"} <= {f["rule"] for f in findings}


def test_one_bad_cell_does_not_stop_the_check(tmp_path, capsys):
    payload = data()
    payload["table4"]["行政复议"]["结果维持"] = -1
    payload["table3"]["二、上年结转政府信息公开申请数量"]["自然人"] = "若干"
    payload["table3"]["四、结转下年度继续办理"]["自然人"] = 3
    payload["table3"]["四、结转下年度继续办理"]["总计"] = 3
    code, findings = check_json(tmp_path, payload, capsys)
    got = {f["rule"] for f in findings if f["severity"] == "error"}
    assert code == 1 and {"T4-2", "R-2"} <= got
    assert any("若干" in f["message"] for f in findings if f["rule"] == "R-2")
    assert {"T3-3", "T4-1"} & got or any(f["rule"] == "T3-3" for f in findings)


def test_irregular_facts_json_import_lists_what_was_not_read(tmp_path):
    payload = data()
    payload["table3"]["二、上年结转政府信息公开申请数量"]["自然人"] = "若干"
    payload["table3"]["完全不存在的行"] = {"自然人": 1}
    res = import_report(json.dumps(payload, ensure_ascii=False).encode(), filename="x.json")
    assert any("若干" in u for u in res.unread) and any("完全不存在的行" in u for u in res.unread)
    assert res.report.value("t3.received.natural_person") is not None


# ---- amounts in their printed unit ---------------------------------------------------------------------------


@pytest.mark.parametrize("printed,value", [("73802895.90元", Decimal("73802895.90")), ("18703元", Decimal(18703))])
def test_2019_procurement_amount_keeps_its_printed_unit(tmp_path, capsys, printed, value):
    payload = data("consistent_2020.json")
    payload["table2"]["第二十条第（九）项 / 政府集中采购"]["采购总金额"] = printed
    read = read_label_json(payload)
    fact = read.report.cell("t2.procurement.proc_amount")
    assert fact.status == CellStatus.VALUE and fact.value == value and fact.unit == "元"
    assert not read.findings
    assert to_label_json(read.report)["table2"]["第二十条第（九）项 / 政府集中采购"]["采购总金额"] == fact.describe()
    assert fact.describe().endswith("元") and not fact.describe().endswith("万元")
    assert f"{fact.describe()}" in render_markdown(read.report)
    code, findings = check_json(tmp_path, payload, capsys)
    assert code == 0 and not [f for f in findings if f["severity"] in ("error", "warning")]


def test_procurement_amount_in_yuan_imported_from_text_keeps_its_unit():
    text = (
        "某区教育局2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
        "第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t12\t73802895.90元\n"
    )
    res = import_report(text)
    fact = res.report.cell("t2.procurement.proc_amount")
    assert fact.value == Decimal("73802895.90") and fact.unit == "元"
    assert res.report.value("t2.procurement.proc_items") == 12


def test_fee_in_yuan_under_a_wanyuan_header_is_compared_in_wanyuan():
    payload = data()
    payload["table2"]["第二十条第（八）项 / 行政事业性收费"] = {"本年收费金额（单位：万元）": "18703元"}
    read = read_label_json(payload)
    findings = run_checks(read.report)
    u1 = [f for f in findings if f.rule == "U-1"]
    assert u1 and "1.8703万元" in u1[0].message and u1[0].severity == "warning"
    assert "T2-6" not in rules(findings)  # the unit is stated: no guess that it is yuan
    # the same number without a unit under the 万元 header looks like yuan (T2-6)
    payload["table2"]["第二十条第（八）项 / 行政事业性收费"] = {"本年收费金额（单位：万元）": 18703}
    assert "T2-6" in rules(run_checks(read_label_json(payload).report))


def test_amount_unit_from_chat_or_grid_is_kept():
    report = Report(agency="某镇人民政府", level=AgencyLevel.TOWNSHIP, report_year=2020)
    res = apply_updates(report, [FactUpdate(cell="t2.procurement.proc_amount", value=18703, unit="元")])
    assert res.report.cell("t2.procurement.proc_amount").describe() == "18703元"
    res = apply_updates(report, [FactUpdate(cell="t2.procurement.proc_amount", value=2.5, unit="万元")])
    assert res.report.cell("t2.procurement.proc_amount").unit is None  # the column's own unit


# ---- import of irregular printed tables ----------------------------------------------------------------------


def test_2019_label_in_a_2021_table_two_is_read():
    text = (
        "某县发展和改革局2023年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
        "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n规范性文件\t8\t0\t18\n"
    )
    res = import_report(text)
    assert res.report.fmt.id == "2021"
    assert [res.report.value(f"t2.normative.{c}") for c in ("issued", "repealed", "in_force")] == [8, 0, 18]


def test_table_four_printed_as_three_tables_under_their_group_names():
    text = (
        "某县人民政府2025年政府信息公开工作年度报告\n## 四、政府信息公开行政复议、行政诉讼情况\n\n"
        "### 行政复议\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n| 27 | 10 | 9 | 15 | 61 |\n\n"
        "### 行政诉讼（未经复议直接起诉）\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
        "| 3 | 0 | 0 | 0 | 3 |\n\n"
        "### 行政诉讼（复议后起诉）\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n|---|---|---|---|---|\n"
        "| 8 | 0 | 1 | 1 | 10 |\n"
    )
    res = import_report(text)
    r = res.report
    assert [r.cell(f"t4.review.{c}").value for c in ("upheld", "corrected", "other_result", "pending")] == [27, 10, 9, 15]
    assert r.cell("t4.suit_direct.upheld").value == 3 and r.cell("t4.suit_after_review.total").value == 10
    assert not any("表四" in u for u in res.unread)


def test_long_labels_wrapped_around_their_numbers_in_a_pdf_layout_are_read():
    text = (
        "淮安市人民政府2024年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        "      （一）予以公开                   1288        21       0        0    50       3   1362\n\n"
        "      （二）部分公开（区分处理的，只计这一情\n"
        "                                447         7        0        0        0    0   454\n"
        "      形，不计其他情形）\n\n"
        "             1.属于国家秘密            2          0        0        0        0    0    2\n"
        "               5.要求行政机关确认或重新出\n"
        "                                        1         0        0         0        0         0    1\n"
        "               具已获取信息\n"
    )
    res = import_report(text)
    r = res.report
    assert r.value("t3.partly_disclosed.natural_person") == 447 and r.value("t3.partly_disclosed.total") == 454
    assert r.value("t3.withheld_1.natural_person") == 2
    assert r.value("t3.not_processed_5.natural_person") == 1 and r.value("t3.not_processed_5.total") == 1
