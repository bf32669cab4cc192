"""Pasted tables: Excel/WPS tab copies with merged label cells, Markdown pipes, space-aligned text, one cell per line."""

from decimal import Decimal

import pytest

from assistant.extract.base import ExtractionContext
from assistant.extract.rules import RuleExtractor
from assistant.extract.tables import declares_blank_zero, parse_tables, split_cells
from assistant.facts import CellStatus, Report
from assistant.formats import get_format

Z = "0"


def run(message, fmt="2021"):
    rep = Report(format_id=fmt, report_year=2020 if fmt == "2019" else 2023)
    return RuleExtractor().extract(message, ExtractionContext(report=rep))


def proposed(res):
    return {u.cell: (Z if u.status == CellStatus.CONFIRMED_ZERO else u.value) for u in res.updates}


def excel_table3(fmt_id, values):
    """Table 三 as Excel copies it: 3 label columns (merged cells become empty), then 7 numbers."""
    fmt = get_format(fmt_id)
    lines = [
        "三、收到和处理政府信息公开申请情况",
        f"{fmt.table3_note}\t\t\t申请人情况",
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    ]
    last_group = None
    first_result = True
    for row in fmt.table3_rows:
        nums = "\t".join(str(v) for v in values(row.id))
        if not row.in_results:
            lines.append(f"{row.label}\t\t\t{nums}")
            continue
        head = fmt.table3_result_group if first_result else ""
        first_result = False
        if row.group:
            g = row.group if row.group != last_group else ""
            last_group = row.group
            lines.append(f"{head}\t{g}\t{row.label}\t{nums}")
        else:
            last_group = None
            lines.append(f"{head}\t{row.label}\t\t{nums}")
    return "\n".join(lines)


def _row_values(row_id):
    base = {
        "received": [10, 2, 0, 0, 1, 0, 13],
        "carried_in": [1, 0, 0, 0, 0, 0, 1],
        "disclosed": [6, 1, 0, 0, 0, 0, 7],
        "withheld_4": [1, 0, 0, 0, 0, 0, 1],
        "unavailable_1": [2, 0, 0, 0, 1, 0, 3],
        "result_total": [10, 1, 0, 0, 1, 0, 12],
        "carried_out": [1, 1, 0, 0, 0, 0, 2],
    }
    return base.get(row_id, [0] * 7)


@pytest.mark.parametrize("fmt_id", ["2021", "2019", "2021-23"])
def test_excel_copy_of_table_three(fmt_id):
    res = run(excel_table3(fmt_id, _row_values), fmt_id)
    got = proposed(res)
    fmt = get_format(fmt_id)
    assert len(got) == len(fmt.table_cells("table3"))  # every cell, totals as stated totals
    assert got["t3.received.natural_person"] == 10
    assert got["t3.received.legal_service"] == 1
    assert got["t3.received.total"] == 13
    assert got["t3.withheld_4.natural_person"] == 1
    assert got["t3.unavailable_1.legal_service"] == 1
    assert got["t3.withheld_2.other"] == Z
    assert got["t3.carried_out.business"] == 1
    assert res.not_understood == []
    last = "t3.other_handling_3.other" if fmt_id == "2021" else "t3.other_handling.other"
    assert got[last] == Z


def test_markdown_table_with_header_without_total_column():
    text = (
        "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 本年新收 | 3 | 1 | 0 | 0 | 0 | 0 |\n"
        "| 上年结转 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
        "| 予以公开 | 2 | 1 | 0 | 0 | 0 | 0 |\n"
    )
    got = proposed(run(text))
    assert got["t3.received.natural_person"] == 3
    assert got["t3.received.business"] == 1
    assert got["t3.carried_in.other"] == Z
    assert got["t3.disclosed.natural_person"] == 2
    assert "t3.received.total" not in got


def test_space_aligned_rows_by_position():
    text = "本年新收政府信息公开申请数量   5   0   0   0   0   0   5\n（二）部分公开   1   0   0   0   0   0   1"
    got = proposed(run(text))
    assert got["t3.received.natural_person"] == 5
    assert got["t3.received.total"] == 5
    assert got["t3.partly_disclosed.natural_person"] == 1


def test_blank_cells_are_unknown_unless_declared():
    row = "一、本年新收政府信息公开申请数量\t\t\t3\t\t\t\t\t\t3"
    res = run(row)
    got = proposed(res)
    assert got == {"t3.received.natural_person": Decimal(3), "t3.received.total": Decimal(3)}
    assert any("5个空白单元格未记录" in n for n in res.notes)
    res = run(row + "\n表中空白为0")
    got = proposed(res)
    assert got["t3.received.business"] == Z and got["t3.received.other"] == Z
    assert not any("空白单元格" in n for n in res.notes)


def test_slash_cells_are_unknown_unless_declared():
    row = "（三）不予公开\t1.属于国家秘密\t/\t/\t/\t/\t/\t/\t/"
    res = run(row)
    assert proposed(res) == {}
    assert any("“/”或“—”" in n for n in res.notes)
    got = proposed(run(row + "\n斜杠表示0"))
    assert got["t3.withheld_1.natural_person"] == Z


def test_label_variants_printed_by_real_reports():
    text = "\n".join(
        [
            "本年新收政府信息公開申請數量\t4\t0\t0\t0\t0\t0\t4",  # traditional characters
            "2.其他法律行政止公开\t0\t0\t0\t0\t0\t0\t0",  # a typo in a published report
            "(二)部分公开\t1\t0\t0\t0\t0\t0\t1",  # half-width brackets, label cut short
            "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
        ]
    )
    got = proposed(run(text))
    assert got["t3.received.natural_person"] == 4
    assert got["t3.withheld_2.natural_person"] == Z
    assert got["t3.partly_disclosed.natural_person"] == 1
    assert got["t3.carried_out.total"] == Z


def test_table_four_one_row_of_fifteen():
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议\t\t\t\t\t行政诉讼\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\n"
        "1\t0\t0\t0\t1\t0\t0\t0\t1\t1\t0\t0\t0\t0\t0"
    )
    got = proposed(run(text))
    assert got["t4.review.upheld"] == 1
    assert got["t4.review.total"] == 1
    assert got["t4.suit_direct.pending"] == 1
    assert got["t4.suit_after_review.upheld"] == Z
    assert len(got) == 15


def test_table_four_group_rows():
    text = "行政复议\t0\t1\t0\t0\t1\n复议后起诉\t0\t0\t0\t0"
    got = proposed(run(text))
    assert got["t4.review.corrected"] == 1
    assert got["t4.review.total"] == 1
    assert got["t4.suit_after_review.pending"] == Z
    assert "t4.suit_after_review.total" not in got


def test_table_two_2021_blocks():
    text = "\n".join(
        [
            "第二十条第（一）项",
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
            "规章\t0\t0\t0",
            "行政规范性文件\t3\t1\t25",
            "第二十条第（五）项",
            "信息内容\t本年处理决定数量",
            "行政许可\t356",
            "第二十条第（八）项",
            "信息内容\t本年收费金额（单位：万元）",
            "行政事业性收费\t2.35",
        ]
    )
    got = proposed(run(text))
    assert got["t2.rules.issued"] == Z
    assert got["t2.normative.in_force"] == 25
    assert got["t2.licensing.decisions"] == 356
    assert got["t2.admin_fee.fee_amount"] == Decimal("2.35")


def test_table_two_2019_with_signed_change_and_yuan():
    text = "\n".join(
        [
            "行政许可\t58\t-3\t1200",
            "其他对外管理服务事项\t12\t+2\t300",
            "行政事业性收费\t4\t0",
            "政府集中采购\t5\t251000元",
        ]
    )
    res = run(text, "2019")
    got = proposed(res)
    assert got["t2.licensing.change"] == -3
    assert got["t2.other_services.change"] == 2
    assert got["t2.admin_fee.change"] == Z
    assert got["t2.procurement.proc_amount"] == Decimal("25.1")
    assert "251000元已换算为25.1万元" in res.notes


def test_one_cell_per_line_copy():
    text = "本年新收政府信息公开申请数量\n2\n0\n0\n0\n0\n0\n2\n上年结转政府信息公开申请数量\n0\n0\n0\n0\n0\n0\n0"
    got = proposed(run(text))
    assert got["t3.received.natural_person"] == 2
    assert got["t3.received.total"] == 2
    assert got["t3.carried_in.legal_service"] == Z


def test_table_and_text_in_one_message():
    text = "表三如下：\n本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2\n另外，没有行政复议和行政诉讼。"
    got = proposed(run(text))
    assert got["t3.received.natural_person"] == 2
    assert got["t4.review.upheld"] == Z


def test_unknown_row_and_wrong_count_are_reported():
    res = run("来访登记\t3\t4\t5")
    assert proposed(res) == {}
    assert any("来访登记" in n for n in res.not_understood)
    res = run("本年新收政府信息公开申请数量\t3\t0\t0")
    assert proposed(res) == {}
    assert any("数字个数" in n for n in res.not_understood)


def test_split_cells_and_declarations():
    assert split_cells("a\tb\t3") == ["a", "b", "3"]
    assert split_cells("| a | 3 |") == ["a", "3"]
    assert split_cells("普通的一句话") is None
    assert declares_blank_zero("空白的都是0")
    assert declares_blank_zero("空格表示0")
    assert not declares_blank_zero("不要把空白当作未知")


def test_parse_tables_reports_consumed_lines():
    fmt = get_format("2021")
    out = parse_tables("说明文字\n规章\t0\t0\t0\n结尾", fmt)
    assert out.consumed == {1}
    assert out.tables == ["table2"]
