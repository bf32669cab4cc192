"""Importing an application register (one row per application) into table 三."""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from register_gen import Application, generate, to_csv, to_rows, to_xlsx  # noqa: E402

from assistant.errors import ImportFailed  # noqa: E402
from assistant.formats import format_for_year  # noqa: E402
from assistant.importing import import_report  # noqa: E402
from assistant.importing.register import classify_applicant, classify_result, parse_date  # noqa: E402

YEAR = 2025
COLS = ["natural_person", "business", "research", "public_interest", "legal_service", "other"]


def _expected(apps: list[Application], year: int) -> Counter[tuple[str, str]]:
    """Table 三 counted straight from the definitions, one row at a time (independent of the importer)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    exp: Counter[tuple[str, str]] = Counter()
    for col in COLS:
        mine = [a for a in apps if a.applicant == col]
        exp["received", col] = sum(1 for a in mine if start <= a.received <= end)
        exp["carried_in", col] = sum(
            1 for a in mine if a.received < start and (a.answered is None or a.answered >= start)
        )
        exp["carried_out", col] = sum(1 for a in mine if a.received <= end and (a.answered is None or a.answered > end))
        for a in mine:
            if a.answered is not None and start <= a.answered <= end and a.row:
                exp[a.row, col] += 1
    return exp


def _check_table(report, exp: Counter[tuple[str, str]]) -> None:
    fmt = report.fmt
    for row in fmt.table3_rows:
        if row.id == "result_total":
            continue
        for col in COLS:
            assert report.value(f"t3.{row.id}.{col}") == exp[row.id, col], (row.id, col)
    for col in [*COLS, "total"]:  # 一 + 二 = （七） + 四 holds
        assert report.value(f"t3.received.{col}") + report.value(f"t3.carried_in.{col}") == report.value(
            f"t3.result_total.{col}"
        ) + report.value(f"t3.carried_out.{col}")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_register_counts_match_independent_counting(encoding: str):
    apps = generate(400, YEAR, seed=11)
    header, body = to_rows(apps, seed=11)
    data = to_csv(header, body).encode(encoding)
    res = import_report(data, filename="登记表.csv", report_year=YEAR)
    assert res.kind == "register" and res.source == "csv"
    assert res.unread == [] and res.report.report_year == YEAR and res.report.format_id == "2021"
    exp = _expected(apps, YEAR)
    _check_table(res.report, exp)
    assert sum(exp[r, c] for r in ("received",) for c in COLS) > 50  # the data really exercises the year
    assert res.stats["rows_read"] == 400


def test_xlsx_register_same_result_and_progress():
    apps = generate(300, YEAR, seed=5)
    header, body = to_rows(apps, seed=5)
    calls: list[tuple[int, int | None]] = []
    res = import_report(
        to_xlsx(header, body), filename="register.xlsx", report_year=YEAR, progress=lambda d, t: calls.append((d, t))
    )
    assert res.source == "xlsx"
    _check_table(res.report, _expected(apps, YEAR))
    assert calls[-1] == (300, 300)


def test_openpyxl_written_register_with_real_dates():
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["收到日期", "申请人性质", "答复结果", "办结日期", "申请内容"])
    ws.append([date(2025, 3, 1), "个人", "同意公开", date(2025, 3, 20), "x"])
    ws.append([date(2024, 12, 20), "律师事务所", "不予公开（属于国家秘密）", date(2025, 1, 10), "y"])
    ws.append([date(2025, 12, 28), "企业", "办理中", None, "z"])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_report(buf.getvalue(), filename="a.xlsx", report_year=2025)
    r = res.report
    assert r.value("t3.received.natural_person") == 1 and r.value("t3.received.business") == 1
    assert r.value("t3.carried_in.legal_service") == 1 and r.value("t3.withheld_1.legal_service") == 1
    assert r.value("t3.disclosed.natural_person") == 1 and r.value("t3.carried_out.business") == 1


def test_many_rows_with_progress():
    apps = generate(12_000, YEAR, seed=3)
    header, body = to_rows(apps, seed=3)
    calls: list[tuple[int, int | None]] = []
    res = import_report(to_csv(header, body), report_year=YEAR, progress=lambda d, t: calls.append((d, t)))
    assert [d for d, _ in calls] == [5000, 10000, 12000]
    _check_table(res.report, _expected(apps, YEAR))


def test_unknown_words_and_bad_dates_are_listed_not_counted():
    rows = [
        ["申请日期", "申请人类型", "办理结果", "答复日期"],
        ["2025-02-01", "自然人", "予以公开", "2025-02-10"],
        ["2025-02-02", "自然人", "已电话告知", "2025-02-11"],  # unknown result word
        ["2025-02-03", "外星人", "予以公开", "2025-02-12"],  # unknown applicant type
        ["2025-13-40", "自然人", "予以公开", "2025-02-12"],  # impossible date
        ["2025-02-05", "自然人", "不予公开", "2025-02-14"],  # 不予公开 without the reason (8 sub-rows)
        ["2025-02-06", "企业", "部分公开", ""],  # final result without an answer date
        ["2025-02-07", "自然人", "已电话告知", "2025-02-15"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    res = import_report(buf.getvalue(), report_year=2025)
    r = res.report
    assert r.value("t3.received.natural_person") == 1 and r.value("t3.received.business") == 0
    assert r.value("t3.disclosed.natural_person") == 1
    text = "\n".join(res.unread)
    assert "“已电话告知”无法识别（第3、8行）" in text
    assert "“外星人”" in text and "第4行" in text
    assert "第5行" in text and "2025-13-40" in text
    assert "“不予公开”没有写明具体情形（第6行）" in text
    assert "没有答复日期（第7行）" in text
    assert any("6件申请" in w for w in res.warnings)
    assert res.stats["applications_counted"] == 1 and res.stats["applications_excluded"] == 6


def test_2019_format_year_maps_other_handling_to_one_row():
    rows = [
        ["受理日期", "申请人身份", "处理结果", "办理完成日期"],
        ["2020/3/1", "公民", "逾期未补正", "2020/4/1"],
        ["2020/3/2", "公民", "申请人撤回", "2020/4/2"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    res = import_report(buf.getvalue(), report_year=2020)
    assert res.report.format_id == "2019"
    assert res.report.value("t3.other_handling.natural_person") == 2


def test_year_inferred_when_not_given():
    apps = generate(200, YEAR, seed=9)
    header, body = to_rows(apps, seed=9)
    res = import_report(to_csv(header, body))
    assert res.report.report_year == Counter(a.received.year for a in apps).most_common(1)[0][0]
    assert any("没有指定报告年度" in w for w in res.warnings)


def test_register_missing_columns_is_a_clear_error():
    with pytest.raises(ImportFailed, match="办理结果"):
        import_report("申请日期,申请人类型\n2025-01-01,自然人\n", report_year=2025)


@pytest.mark.parametrize(
    ("word", "row"),
    [
        ("予以公开", "disclosed"),
        ("部分公开", "partly_disclosed"),
        ("不予公开-国家秘密", "withheld_1"),
        ("涉及商业秘密", "withheld_4"),
        ("不予公开（属于四类过程性信息）", "withheld_6"),
        ("信息不存在", "unavailable_1"),
        ("补正后申请内容仍不明确", "unavailable_3"),
        ("重复申请", "not_processed_2"),
        ("要求提供公开出版物", "not_processed_3"),
        ("逾期未补正", "other_handling_1"),
        ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_handling_2"),
        ("其他处理-其他", "other_handling_3"),
    ],
)
def test_result_words(word: str, row: str):
    out = classify_result(word, format_for_year(2025))
    assert (out.kind, out.row) == ("row", row)


def test_result_words_that_are_not_guessed():
    fmt = format_for_year(2025)
    assert classify_result("办理中", fmt).kind == "pending"
    assert classify_result("", fmt).kind == "pending"
    for word in ("不予公开", "无法提供", "不予处理", "已处理", "不予公开-信息不存在"):
        assert classify_result(word, fmt).kind == "unclear", word


def test_applicant_types_and_dates():
    assert classify_applicant("个人") == "natural_person"
    assert classify_applicant("律师事务所") == "legal_service"
    assert classify_applicant("法人或其他组织") is None
    assert parse_date("2025年3月1日") == date(2025, 3, 1)
    assert parse_date("２０２５．３．１") == date(2025, 3, 1)
    assert parse_date(45717) == date(2025, 3, 1)  # Excel serial number
    assert parse_date("") is None
    assert parse_date("三月一日") not in (None,) and not isinstance(parse_date("三月一日"), date)


def test_xlsx_cell_parsing_edge_cases():
    from assistant.importing.xlsx import _CELL, _cell_value

    body = (
        b'<x:c t="s" r="B2" s="3"><x:v>1</x:v></x:c><c r="C2"/>'
        b'<c r="D2" t="inlineStr"><is><r><t>a&amp;b</t></r><rPh><t>PH</t></rPh></is></c>'
        b'<c r="E2" s="2"><v>45717</v></c><c r="F2" t="b"><v>1</v></c>'
    )
    got = [(m[0], _cell_value(m[1], m[2], ["x", "y"])) for m in _CELL.findall(body)]
    assert got == [(b"B", "y"), (b"C", None), (b"D", "a&b"), (b"E", 45717), (b"F", True)]
