"""Importing reports pasted as plain text, in the shapes real government websites produce."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import zhconv

from assistant.checks import run_checks
from assistant.facts import AgencyLevel, CellStatus
from assistant.importing import import_report
from assistant.importing.cellvalue import read_cell
from assistant.interchange import to_label_json

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_1c0b09d9852f506c.txt"
if not SEED.exists():  # the seed lives outside the repository on the team machine
    SEED = Path("/work/shared/seeds/000_1c0b09d9852f506c.txt")

COLS = ["natural_person", "business", "research", "public_interest", "legal_service", "other"]
# the table 三 numbers typed into the hand-made fixtures (rows not listed are all 0)
T3 = {
    "received": [5, 2, 0, 0, 1, 0],
    "carried_in": [1, 0, 0, 0, 0, 0],
    "disclosed": [3, 1, 0, 0, 0, 0],
    "partly_disclosed": [1, 0, 0, 0, 0, 0],
    "withheld_4": [0, 1, 0, 0, 0, 0],
    "unavailable_1": [1, 0, 0, 0, 1, 0],
    "carried_out": [1, 0, 0, 0, 0, 0],
}


def _imp(name: str, **kw):
    return import_report((FIXTURES / name).read_bytes(), filename=name, **kw)


def _row(report, row_id: str) -> list:
    return [report.value(f"t3.{row_id}.{c}") for c in COLS]


def _assert_t3(report, skip: tuple[str, ...] = ()) -> None:
    for row in report.fmt.table3_rows:
        if row.id == "result_total" or row.id in skip:
            continue
        assert _row(report, row.id) == [Decimal(v) for v in T3.get(row.id, [0] * 6)], row.id
        assert report.value(f"t3.{row.id}.total") == sum(T3.get(row.id, [0] * 6))


def test_one_cell_per_line_with_split_labels_and_fullwidth_digits():
    res = _imp("paste_2021_one_per_line.txt")
    rep = res.report
    assert (rep.agency, rep.report_year, rep.format_id, rep.level) == ("青山镇", 2023, "2021", AgencyLevel.TOWNSHIP)
    assert res.unread == []
    _assert_t3(rep)  # incl. the （六）2 label split over two lines and the full-width 本年新收 row
    assert rep.value("t3.result_total.total") == 8
    assert rep.value("t2.normative.in_force") == 15
    assert rep.value("t2.admin_fee.fee_amount") == Decimal("1.5")
    assert rep.value("t4.review.upheld") == 1 and rep.value("t4.suit_direct.pending") == 1
    assert rep.value("t4.suit_after_review.total") == 0
    assert rep.sections["s1"].startswith("2023年，我镇认真贯彻落实")
    assert "（一）主动公开" in rep.sections["s1"]
    assert rep.sections["s6"] == "本年度未收取信息处理费。"


def test_tab_rows_23_row_table_blank_and_slash_cells():
    res = _imp("paste_2021_23rows_tabs.txt")
    rep = res.report
    assert rep.format_id == "2021-23" and rep.report_year == 2023
    assert any("23行" in w for w in res.warnings)
    _assert_t3(rep, skip=("withheld_8", "not_processed_5"))
    # a blank row stays unknown (never 0) and is reported
    assert all(not rep.cell(f"t3.withheld_8.{c}").known for c in COLS)
    assert any("8.属于行政查询事项" in w and "未知" in w for w in res.warnings)
    # one blank cell in an otherwise filled row
    assert not rep.cell("t3.not_processed_5.research").known
    assert rep.value("t3.not_processed_5.natural_person") == 0
    assert rep.value("t3.other_handling.total") == 0  # the undivided （六）其他处理 row
    # "/" cells are not applicable, consistently with the JSON interchange
    assert rep.cell("t2.rules.issued").status == CellStatus.NOT_APPLICABLE
    assert to_label_json(rep)["table2"]["第二十条第（一）项 / 规章"]["本年制发件数"] == "不适用"
    assert not rep.cell("t2.enforcement.decisions").known  # "行政强制\t" blank
    assert rep.value("t4.suit_direct.total") == 1


def test_subtotal_row_wrong_count_row_and_traditional_pinyin_text():
    res = _imp("paste_2021_subtotal_spaces.txt")
    rep = res.report
    assert rep.agency == "绿水镇" and rep.report_year == 2023
    # the "（三）不予公开 合计" row is not a cell; its wrong sum is reported
    assert set(rep.cells) <= set(rep.fmt.cells())
    assert rep.value("t3.withheld_4.business") == 1
    assert res.subtotals == {"（三）不予公开": {c: (2 if c in ("business", "total") else 0) for c in [*COLS, "total"]}}
    assert any("小计" in w and "2件" in w and "1件" in w for w in res.warnings)
    # a row with 6 numbers is not guessed: unknown + unread entry
    assert all(not rep.cell(f"t3.not_processed_2.{c}").known for c in [*COLS, "total"])
    assert any("2.重复申请" in u and "6个数字" in u for u in res.unread)
    _assert_t3(rep, skip=("not_processed_2",))
    # text normalised: simplified characters, no pinyin
    assert rep.sections["s1"] == "2023年,我镇认真贯彻落实《条例》。"
    assert rep.sections["s5"] == "一是培训不足。"
    assert rep.sections["s6"] == "无。"
    assert any(u.startswith("表二") for u in res.unread)
    assert all(rep.value(f"t4.{g}.total") == 0 for g in ("review", "suit_direct", "suit_after_review"))


def test_all_labels_first_then_all_numbers():
    res = _imp("paste_2021_labels_then_numbers.txt")
    _assert_t3(res.report)
    assert not any(u.startswith("表三") for u in res.unread)
    assert res.report.sections == {"s5": "无。"}


def test_seed_report_imports_cleanly():
    res = import_report(SEED.read_bytes(), filename=SEED.name)
    rep = res.report
    assert (rep.agency, rep.report_year, rep.format_id) == ("马屿镇", 2020, "2019")
    assert set(rep.sections) == {"s1", "s5", "s6"}
    assert rep.sections["s6"] == "暂无其他需要说明的事项。"
    text = "\n".join(rep.sections.values())
    assert zhconv.convert(text, "zh-cn") == text  # Simplified Chinese only
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)  # no pinyin annotations
    assert "|" not in text and "您现在的位置" not in text
    assert rep.sections["s1"].startswith("2020年,在市委、市政府的正确领导下")
    assert rep.sections["s5"].endswith("充分保障其知情权、参与权和监督权。")
    assert "一是加强组织领导" in rep.sections["s1"]
    # the tables were not in the page: every table reported as unread, no cell guessed
    assert rep.cells == {}
    assert [u[:3] for u in res.unread] == ["表二：", "表三：", "表四："]
    assert any("第六部分" in w for w in res.warnings)


def test_headings_with_wording_variants_and_inline():
    text = (
        "某县某局2024年度政府信息公开工作年度报告\n"
        "一、总体情况 全年工作平稳。 二、主动公开政府信息的情况\n"
        "三、收到和处理政府信息公开申请的情况\n"
        "四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况\n"
        "五、政府信息公开工作存在的主要问题和改进情况\n问题一。\n六、其他需要说明的事项\n无。\n"
    )
    res = import_report(text)
    assert res.report.sections == {"s1": "全年工作平稳。", "s5": "问题一。", "s6": "无。"}
    assert res.report.report_year == 2024 and res.report.format_id == "2021"


def test_year_from_statistics_period_and_parameter():
    body = "一、总体情况\n本报告中所列数据统计期限为2022年1月1日至2022年12月31日。\n五、存在的主要问题及改进情况\n无\n"
    assert import_report(body).report.report_year == 2022
    no_year = "一、总体情况\n工作平稳。\n五、存在的主要问题及改进情况\n无\n"
    res = import_report(no_year, report_year=2020)
    assert (res.report.report_year, res.report.format_id) == (2020, "2019")
    res = import_report(no_year)
    assert res.report.report_year is None and any("报告年度" in w for w in res.warnings)
    # the year printed in the report wins over a different one given by the caller, with a warning
    res = import_report(body, report_year=2025)
    assert res.report.report_year == 2022 and any("2025" in w for w in res.warnings)


def test_old_template_in_a_new_year_is_imported_as_printed_and_checked_with_the_format_finding():
    text = (
        "某镇2022年度政府信息公开工作年度报告\n一、总体情况\n好。\n二、主动公开政府信息情况\n"
        "第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n规范性文件\t1\t1\t9\n"
    )
    res = import_report(text)
    assert res.report.format_id == "2019" and res.report.report_year == 2022
    assert res.report.value("t2.normative.public_total") == 9 and res.report.value("t2.normative.made") == 1
    assert any("国办公开办函〔2019〕60号" in w and "已按刊印的格式导入" in w for w in res.warnings)
    findings = run_checks(res.report)
    assert any(f.rule == "F-1" and f.severity == "error" for f in findings)


def test_stated_total_that_differs_from_the_sum_is_flagged():
    text = "某镇2023年度政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 1 0 0 0 0 5\n"
    res = import_report(text)
    assert res.report.cell("t3.received.total").value == 5  # kept as printed
    assert any("原文为5" in w and "之和为2" in w for w in res.warnings)


def test_row_label_typo_tolerated_and_values_validated():
    text = (
        "某镇2023年度政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
        "（三）不予公开 2.其他法律行政止公开 0 1 0 0 0 0 1\n"
        "（一）予以公开 1.5 0 0 0 0 0 1.5\n"
    )
    res = import_report(text)
    assert res.report.value("t3.withheld_2.business") == 1
    # a printed mistake is imported as printed, said at import, and reported by the checks
    assert res.report.cell("t3.disclosed.natural_person").value == Decimal("1.5")
    assert any("应为整数" in w and "已按原文导入" in w for w in res.warnings)
    assert any(f.rule == "T3-4" and "t3.disclosed.natural_person" in f.cells for f in run_checks(res.report))


@pytest.mark.parametrize(
    ("raw", "status", "value"),
    [
        ("12", CellStatus.VALUE, Decimal(12)),
        ("1,234", CellStatus.VALUE, Decimal(1234)),
        ("-8", CellStatus.VALUE, Decimal(-8)),
        ("3件", CellStatus.VALUE, Decimal(3)),
        ("", CellStatus.UNKNOWN, None),
        ("未填", CellStatus.UNKNOWN, None),
        ("（未填）", CellStatus.UNKNOWN, None),
        ("/", CellStatus.NOT_APPLICABLE, None),
        ("—", CellStatus.NOT_APPLICABLE, None),
        ("不适用", CellStatus.NOT_APPLICABLE, None),
        ("无", CellStatus.CONFIRMED_ZERO, None),
    ],
)
def test_cell_convention(raw, status, value):
    cell = read_cell(raw)
    assert cell is not None and cell.status == status and cell.value == value


def test_labels_are_not_values():
    assert read_cell("1.属于国家秘密") is None
    assert read_cell("本年增/减") is None


def test_table_copied_from_a_browser_merged_cells_appear_once():
    """Copying an HTML table gives tab-separated rows in which a rowspan cell appears only on its first row."""
    from assistant.formats import FORMAT_2021

    lines = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
        "自然人\t法人或其他组织\t总计",
        "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
    ]
    groups: set[str] = set()
    first = True
    expected: dict[str, list[int]] = {}
    for n, r in enumerate(FORMAT_2021.table3_rows):
        vals = [(n + k) % 4 for k in range(6)]
        expected[r.id] = vals
        cells = []
        if r.in_results and first:
            cells.append("三、本年度办理结果")
            first = False
        if r.group and r.group not in groups:
            cells.append(r.group)
            groups.add(r.group)
        lines.append("\t".join([*cells, r.label, *map(str, vals), str(sum(vals))]))
    res = import_report("\n".join(lines), report_year=2024)
    rep = res.report
    for row_id, vals in expected.items():
        assert [rep.cell(f"t3.{row_id}.{c}").value for c in COLS] == vals, row_id
    assert any("只导入了表格" in w for w in res.warnings)
    assert not any("总体情况" in u for u in res.unread)
