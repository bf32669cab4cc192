"""Consistency checks on the tables, cross-year links, format and missing cells (format_spec.md §8)."""

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.checks import Finding, check_subtotals, has_errors, run_checks
from assistant.errors import InputError
from assistant.facts import AgencyLevel, CellFact, CellStatus, Report
from assistant.interchange import last_year_from_report, load_report

FIX = Path(__file__).parent / "fixtures" / "checks"


def load(name: str) -> Report:
    return load_report(FIX / name)


def inputs_only(report: Report) -> Report:
    """Drop the stated totals the fixture carries, so a changed input is only checked by the balance rules."""
    fmt = report.fmt
    cells = {k: v for k, v in report.cells.items() if not fmt.cell(k).derived}
    return report.model_copy(update={"cells": cells})


def with_cells(report: Report, **values) -> Report:
    """Set cells (key with "__" for "."): a number → value, None → unknown."""
    cells = dict(report.cells)
    for key, v in values.items():
        key = key.replace("__", ".")
        if v is None:
            cells.pop(key, None)
        else:
            cells[key] = CellFact(status=CellStatus.VALUE, value=Decimal(str(v)))
    return report.model_copy(update={"cells": cells})


def with_last_year(report: Report, last: Report) -> Report:
    return report.model_copy(update={"last_year": last_year_from_report(last)})


def no_text(report: Report) -> Report:
    return report.model_copy(update={"sections": {}})


def of(findings: list[Finding], rule: str, severity: str | None = None) -> list[Finding]:
    return [f for f in findings if f.rule == rule and (severity is None or f.severity == severity)]


def serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in ("error", "warning")]


# ---- consistent reports: nothing to report --------------------------------------------------------------


@pytest.mark.parametrize(
    "name,last",
    [
        ("consistent_2023.json", None),
        ("consistent_2023.json", "last_year_2022.json"),
        ("consistent_2020.json", None),
        ("consistent_2020.json", "last_year_2019.json"),
        ("consistent_2022_23rows.json", None),
        ("last_year_2022.json", None),
    ],
)
def test_consistent_report_has_no_error_or_warning(name, last):
    report = load(name)
    if last:
        report = with_last_year(report, load(last))
    findings = run_checks(report)
    assert findings == [], [f.message for f in findings]
    assert not has_errors(findings)


def test_consistent_report_without_stated_totals_is_still_clean():
    assert serious(run_checks(inputs_only(load("consistent_2023.json")))) == []


# ---- table 三 -----------------------------------------------------------------------------------------


def test_t3_1_stated_row_total_differs_from_applicants():
    report = with_cells(load("consistent_2023.json"), t3__received__total=15)
    [f] = of(run_checks(report), "T3-1", "error")
    assert f.cells[0] == "t3.received.total"
    assert "表三「一、本年新收政府信息公开申请数量」总计填写为15件" in f.message
    assert "相加为14件" in f.message and "差1件" in f.message
    assert "自然人10件、商业企业3件、法律服务机构1件，其余为0" in f.message


def test_t3_1_known_parts_exceed_total_even_with_unknown_parts():
    report = with_cells(load("consistent_2023.json"), t3__received__research=None, t3__received__total=10)
    [f] = of(run_checks(report), "T3-1", "error")
    assert "已达14件" in f.message and "超过了填写的合计10件" in f.message


def test_t3_1_uncertain_when_a_part_is_unknown():
    report = with_cells(load("consistent_2023.json"), t3__received__research=None)
    findings = run_checks(report)
    assert not of(findings, "T3-1", "error")
    [f] = of(findings, "T3-1", "uncertain")
    assert "t3.received.research" in f.cells
    assert "科研机构" in f.message and "暂无法核对" in f.message


def test_t3_2_result_total_differs_from_result_rows():
    report = with_cells(load("consistent_2023.json"), t3__result_total__natural_person=11)
    errors = of(run_checks(report), "T3-2", "error")
    assert len(errors) == 1  # the 总计 column error is explained by the 自然人 column: reported once
    assert "表三「（七）总计」自然人列填写为11件" in errors[0].message
    assert "相加为10件" in errors[0].message
    assert "（一）予以公开6件" in errors[0].message


def test_t3_2_on_2019_format_uses_single_other_handling_row():
    report = with_cells(load("consistent_2020.json"), t3__result_total__natural_person=7)
    [f] = of(run_checks(report), "T3-2", "error")
    assert "t3.other_handling.natural_person" in f.cells
    assert "（六）其他处理1件" in f.message


def test_t3_2_on_2021_23_variant():
    report = with_cells(load("consistent_2022_23rows.json"), t3__other_handling__natural_person=2)
    findings = run_checks(report)
    assert of(findings, "T3-2", "error") and of(findings, "T3-1", "error")


def test_t3_3_balance_per_column_with_clerk_message():
    report = with_cells(inputs_only(load("consistent_2023.json")), t3__disclosed__natural_person=5)
    report = no_text(report)
    errors = of(run_checks(report), "T3-3", "error")
    assert len(errors) == 1  # 自然人 column; the 总计 column differs by the same amount and is not repeated
    assert errors[0].message.startswith(
        "表三自然人列：新收10件+上年结转1件=11件，但办理结果合计9件、结转下年度1件，共10件，差1件"
    )


def test_t3_3_totals_only_as_the_clerk_said_them():
    report = Report(
        report_year=2023,
        cells={
            "t3.received.total": CellFact(status=CellStatus.VALUE, value=15),
            "t3.carried_in.total": CellFact(status=CellStatus.VALUE, value=1),
            "t3.result_total.total": CellFact(status=CellStatus.VALUE, value=14),
            "t3.carried_out.total": CellFact(status=CellStatus.VALUE, value=1),
        },
    )
    findings = run_checks(report)
    [f] = of(findings, "T3-3", "error")
    assert "新收15件+上年结转1件=16件，但办理结果合计14件、结转下年度1件，共15件，差1件" in f.message
    assert f.cells == ["t3.received.total", "t3.carried_in.total", "t3.result_total.total", "t3.carried_out.total"]
    assert of(findings, "T3-1", "uncertain")  # stated totals without their parts


def test_t3_3_uncertain_names_missing_cells():
    report = no_text(with_cells(inputs_only(load("consistent_2023.json")), t3__carried_out__natural_person=None))
    findings = run_checks(report)
    assert not of(findings, "T3-3", "error")
    [f] = of(findings, "T3-3", "uncertain")
    assert f.cells == ["t3.carried_out.natural_person"]
    assert "自然人列" in f.message and "「四、结转下年度继续办理」自然人" in f.message


def test_t3_4_negative_and_fractional_counts():
    report = with_cells(inputs_only(load("consistent_2023.json")), t3__received__research=-1, t3__received__other="1.5")
    errors = of(run_checks(no_text(report)), "T3-4", "error")
    assert {f.cells[0] for f in errors} == {"t3.received.research", "t3.received.other"}
    assert any("不能为负数" in f.message for f in errors) and any("整数" in f.message for f in errors)


def test_t3_5_subtotal_lines_checked_against_subrows():
    report = load("consistent_2023.json")
    assert check_subtotals(report, {"withheld": {"natural_person": 1}, "（四）无法提供": {"总计": 2}}) == []
    [f] = check_subtotals(report, {"（三）不予公开": {"自然人": 2}})
    assert f.rule == "T3-5" and f.severity == "error"
    assert "表三「（三）不予公开」自然人的小计填写为2件" in f.message and "相加为1件" in f.message
    assert "t3.withheld_4.natural_person" in f.cells
    findings = run_checks(report, subtotals={"不予处理": {"total": 3}})
    assert of(findings, "T3-5", "error")


def test_t3_5_unknown_subrow_is_uncertain_and_bad_group_is_an_input_error():
    report = with_cells(load("consistent_2023.json"), t3__withheld_1__business=None)
    [f] = check_subtotals(report, {"（三）不予公开": {"商业企业": 0}})
    assert f.severity == "uncertain"
    with pytest.raises(InputError, match="没有“（九）合计”"):
        check_subtotals(report, {"（九）合计": {"自然人": 1}})
    with pytest.raises(InputError, match="没有“小计列”"):
        check_subtotals(report, {"withheld": {"小计列": 1}})
    # 2019 format: （六）其他处理 is one row; its "subtotal" is that row
    assert check_subtotals(load("consistent_2020.json"), {"（六）其他处理": {"自然人": 1}}) == []


def _fee_notice_report(s6: str | None) -> Report:
    report = inputs_only(load("consistent_2023.json"))
    report = with_cells(report, t3__disclosed__natural_person=5, t3__other_handling_2__natural_person=1)
    sections = dict(report.sections)
    sections.pop("s6")
    sections["s1"] = ""
    if s6 is not None:
        sections["s6"] = s6
    return report.model_copy(update={"sections": sections})


def test_t3_6_fee_notice_without_fee_text():
    findings = run_checks(_fee_notice_report("无其他需要报告的事项。"))
    [f] = of(findings, "T3-6", "warning")
    assert "t3.other_handling_2.total" in f.cells and "信息处理费" in f.message
    assert not of(findings, "N-3")  # one message about the same omission
    assert not of(run_checks(_fee_notice_report("本年度发出收费通知1份，申请人逾期未缴费，未收取信息处理费。")), "T3-6")
    [u] = of(run_checks(_fee_notice_report(None)), "T3-6")
    assert u.severity == "uncertain"


def test_t3_6_does_not_apply_to_2019_format():
    assert not of(run_checks(load("consistent_2020.json")), "T3-6")


def zero_filled(report: Report, **values) -> Report:
    """Every input cell of table 三 confirmed 0, then the given values."""
    zeros = {s.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for s in report.fmt.input_cells() if s.table == "table3"}
    return with_cells(report.model_copy(update={"cells": zeros}), **values)


def test_t3_7_large_carry_over():
    report = zero_filled(
        Report(report_year=2023),
        t3__received__natural_person=8,
        t3__disclosed__natural_person=4,
        t3__carried_out__natural_person=4,
    )
    findings = run_checks(report)
    assert not of(findings, "T3-3", "error")
    [f] = of(findings, "T3-7", "warning")
    assert "总计为4件" in f.message and "本年新收8件" in f.message and "50%" in f.message
    small = with_cells(
        report, t3__received__natural_person=2, t3__disclosed__natural_person=1, t3__carried_out__natural_person=1
    )
    assert not of(run_checks(small), "T3-7")


# ---- table 四 -----------------------------------------------------------------------------------------


def test_t4_1_group_total():
    report = with_cells(load("consistent_2023.json"), t4__review__total=2)
    [f] = of(run_checks(report), "T4-1", "error")
    assert "表四「行政复议」总计填写为2件" in f.message and "相加为1件" in f.message and "结果维持1件" in f.message


def test_t4_2_negative_case_count():
    report = with_cells(inputs_only(load("consistent_2023.json")), t4__suit_direct__pending=-1)
    [f] = of(run_checks(no_text(report)), "T4-2", "error")
    assert f.cells == ["t4.suit_direct.pending"] and "-1" in f.message


def _no_applications(report: Report) -> Report:
    fmt = report.fmt
    cells = {s.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for s in fmt.input_cells() if s.table == "table3"}
    return no_text(inputs_only(report).model_copy(update={"cells": {**inputs_only(report).cells, **cells}}))


def test_t4_3_cases_without_any_applications_in_two_years():
    this = _no_applications(load("consistent_2023.json"))  # keeps 行政复议 1 件
    last = _no_applications(load("last_year_2022.json"))
    [f] = of(run_checks(with_last_year(this, last)), "T4-3", "warning")
    assert "行政复议1件" in f.message
    # not when last year had applications, nor without last year's data
    assert not of(run_checks(with_last_year(this, load("last_year_2022.json"))), "T4-3")
    assert not of(run_checks(this), "T4-3")


# ---- table 二 -----------------------------------------------------------------------------------------


def test_t2_1_values_in_table_2():
    report = with_cells(load("consistent_2023.json"), t2__normative__issued="2.5", t2__admin_fee__fee_amount=-3)
    errors = of(run_checks(report), "T2-1", "error")
    assert {f.cells[0] for f in errors} == {"t2.normative.issued", "t2.admin_fee.fee_amount"}
    # 2019 本年增/减 is signed: −2 is fine
    assert not of(run_checks(load("consistent_2020.json")), "T2-1")


def test_t2_2_in_force_does_not_follow_from_last_year():
    report = with_last_year(
        with_cells(load("consistent_2023.json"), t2__normative__in_force=15), load("last_year_2022.json")
    )
    [f] = of(run_checks(report), "T2-2", "warning")
    assert "现行有效件数为15件" in f.message and "上年现行有效10件+本年制发3件−本年废止1件" in f.message
    assert "应约为12件" in f.message


def test_t2_3_more_repealed_than_existed():
    report = with_last_year(
        with_cells(load("consistent_2023.json"), t2__normative__repealed=20, t2__normative__in_force=0),
        load("last_year_2022.json"),
    )
    findings = run_checks(report)
    [f] = of(findings, "T2-3", "warning")
    assert "本年废止20件" in f.message and not of(findings, "T2-2")


def test_x_3_in_force_copied_from_last_year():
    report = with_last_year(
        with_cells(load("consistent_2023.json"), t2__normative__in_force=10), load("last_year_2022.json")
    )
    findings = run_checks(report)
    [f] = of(findings, "X-3", "warning")
    assert "与上年报告相同" in f.message and "应为12件" in f.message
    assert not of(findings, "T2-2")


def test_table_2_not_compared_across_the_2020_2021_switch():
    this = no_text(with_cells(load("consistent_2023.json"), t2__normative__in_force=99))
    last = load("consistent_2020.json").model_copy(update={"report_year": 2022})  # 2019 format as "last year"
    findings = run_checks(this.model_copy(update={"last_year": last_year_from_report(last)}))
    assert not [f for f in findings if f.rule in ("T2-2", "T2-3", "X-3")]


def test_t2_4_published_exceeds_total_and_cumulative():
    report = with_cells(load("consistent_2020.json"), t2__normative__published=20)
    [f] = of(run_checks(report), "T2-4", "warning")
    assert "本年新公开数量20件大于对外公开总数量15件" in f.message
    cumulative = with_last_year(
        with_cells(load("consistent_2020.json"), t2__normative__public_total=17), load("last_year_2019.json")
    )
    [g] = of(run_checks(cumulative), "T2-4", "warning")
    assert "上年报告的对外公开总数量13件+本年新公开2件=15件" in g.message


def test_t2_5_item_count_cannot_go_negative():
    report = with_cells(load("consistent_2020.json"), t2__licensing__change=-13)
    [f] = of(run_checks(report), "T2-5", "error")
    assert "上一年项目数量12项" in f.message and "本年增/减-13项" in f.message and "-1项" in f.message
    partial = with_cells(load("consistent_2020.json"), t2__penalty__change=None)
    assert of(run_checks(partial), "T2-5", "uncertain")


def test_t2_6_yuan_entered_as_wan_yuan_depends_on_level():
    report = with_cells(load("consistent_2023.json"), t2__admin_fee__fee_amount=12500)
    [f] = of(run_checks(report), "T2-6", "warning")
    assert "12500万元" in f.message and "1.25万元" in f.message and "乡镇" in f.message
    county = report.model_copy(update={"level": AgencyLevel.COUNTY_DEPT})
    assert not of(run_checks(county), "T2-6")
    assert not of(run_checks(with_cells(report, t2__admin_fee__fee_amount="12500.5")), "T2-6")


def test_p_1_absurd_values_for_a_town():
    report = Report(
        report_year=2023,
        level=AgencyLevel.TOWNSHIP,
        cells={"t3.received.natural_person": CellFact(status=CellStatus.VALUE, value=6000)},
    )
    [f] = of(run_checks(report), "P-1", "warning")
    assert "6000件" in f.message and "乡镇（街道）" in f.message
    province = report.model_copy(update={"level": AgencyLevel.PROVINCE_GOV})
    assert not of(run_checks(province), "P-1")


# ---- cross-year ---------------------------------------------------------------------------------------


def test_x_1_carried_in_differs_from_last_years_carry_over():
    this = no_text(
        with_cells(
            inputs_only(load("consistent_2023.json")), t3__carried_in__natural_person=2, t3__received__natural_person=9
        )
    )
    findings = run_checks(with_last_year(this, load("last_year_2022.json")))
    assert not of(findings, "T3-3", "error")
    [f] = of(findings, "X-1", "warning")
    assert "自然人：今年填2件，上年报告为1件" in f.message and "2022年度" in f.message
    assert "t3.carried_in.natural_person" in f.cells


def test_x_1_across_the_format_switch():
    this = load("consistent_2023.json")  # carried_in 1
    last = load("consistent_2020.json").model_copy(update={"report_year": 2022})  # 2019 format, carried_out 0
    findings = run_checks(this.model_copy(update={"last_year": last_year_from_report(last)}))
    [f] = of(findings, "X-1", "warning")
    assert "今年填1件，上年报告为0件" in f.message


def test_x_1_uncertain_when_this_year_unknown():
    this = no_text(with_cells(inputs_only(load("consistent_2023.json")), t3__carried_in__natural_person=None))
    [f] = of(run_checks(with_last_year(this, load("last_year_2022.json"))), "X-1", "uncertain")
    assert "自然人1件" in f.message


def test_x_0_wrong_last_year_file_skips_cross_year_checks():
    last = load("last_year_2022.json").model_copy(update={"report_year": 2021})
    this = with_cells(load("consistent_2023.json"), t3__carried_in__natural_person=5)
    findings = run_checks(with_last_year(this, last))
    [f] = of(findings, "X-0", "warning")
    assert "2021年度" in f.message and "2022年度" in f.message
    assert not of(findings, "X-1")


def test_x_2_previous_item_count_does_not_follow_from_last_year():
    report = with_last_year(
        with_cells(load("consistent_2020.json"), t2__licensing__prev_items=11), load("last_year_2019.json")
    )
    findings = run_checks(report)
    [f] = of(findings, "X-2", "warning")
    assert "上一年项目数量填的是11项" in f.message and "应为12项" in f.message


def test_x_4_copied_section_and_missing_follow_up():
    last = load("last_year_2022.json")
    copied = load("consistent_2023.json")
    copied = copied.model_copy(update={"sections": {**copied.sections, "s5": last.sections["s5"]}})
    findings = run_checks(with_last_year(copied, last))
    kinds = [f.message for f in of(findings, "X-4", "warning")]
    assert any("100%的内容与上年报告相同" in m for m in kinds)
    assert any("整改" in m for m in kinds)
    assert all(f.sections == ["s5"] for f in of(findings, "X-4"))


# ---- format, unknown cells, missing --------------------------------------------------------------------


def test_f_1_format_does_not_fit_year():
    report = Report(report_year=2023, format_id="2019")
    [f] = of(run_checks(report), "F-1", "error")
    assert "2023年度的年报应使用国办公开办函〔2021〕30号" in f.message


def test_f_2_cell_not_in_format():
    report = load("consistent_2020.json")
    cells = {**report.cells, "t3.other_handling_2.natural_person": CellFact(status=CellStatus.VALUE, value=1)}
    [f] = of(run_checks(report.model_copy(update={"cells": cells})), "F-2", "error")
    assert "t3.other_handling_2.natural_person" in f.message


def test_missing_is_one_compact_finding_per_table():
    report = with_cells(
        load("consistent_2023.json"), t3__received__research=None, t3__carried_in__other=None, t4__review__pending=None
    )
    missing = [f for f in run_checks(report) if f.severity == "missing"]
    assert [f.rule for f in missing] == ["M-T3", "M-T4"]
    t3 = missing[0]
    assert t3.cells == ["t3.received.research", "t3.carried_in.other"]
    assert "表三还有2个单元格未填" in t3.message and "「一、本年新收」科研机构" in t3.message


def test_missing_on_an_empty_report():
    findings = run_checks(Report(report_year=2023))
    missing = {f.rule: f for f in findings if f.severity == "missing"}
    assert set(missing) == {"M-T2", "M-T3", "M-T4", "M-S"}
    assert missing["M-T3"].message == "表三尚未填写（144个单元格）。"  # 24 input rows × 6 applicant columns
    assert len(missing["M-T3"].cells) == 144
    assert [f for f in findings if f.severity != "missing"] == []  # nothing known: nothing to conclude


def test_findings_sorted_by_severity():
    report = with_cells(
        load("consistent_2023.json"),
        t3__received__total=15,
        t3__received__research=None,
        t2__admin_fee__fee_amount=20000,
    )
    order = [f.severity for f in run_checks(report)]
    rank = {"error": 0, "warning": 1, "uncertain": 2, "missing": 3}
    assert order == sorted(order, key=rank.__getitem__)
    assert set(order) == {"error", "warning", "uncertain", "missing"}


def test_x_4_waits_for_unfinished_drafts():
    last = load("last_year_2022.json")
    text = "对照《条例》要求，我镇政府信息公开工作仍有需要改进的地方。【待补充：存在的主要问题】下一步将继续改进。"
    this = load("consistent_2023.json")
    this = this.model_copy(update={"sections": {**this.sections, "s5": text}})
    last = last.model_copy(update={"sections": {**last.sections, "s5": text}})
    assert not of(run_checks(with_last_year(this, last)), "X-4")


def test_t3_6_fee_placeholder_counts_as_not_yet_written():
    report = _fee_notice_report("【待补充：信息处理费收取情况】无其他需要报告的事项。")
    [f] = of(run_checks(report), "T3-6")
    assert f.severity == "uncertain" and "还没有写明信息处理费" in f.message
    noted = report.model_copy(update={"narrative_facts": {"fee": "发出收费通知1份，申请人未缴费，未收取信息处理费"}})
    assert not of(run_checks(noted), "T3-6")
