"""Importing saved web pages (rowspan/colspan tables) and Word files (merged cells)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
from docx.shared import Pt  # noqa: F401 - python-docx must be importable

from assistant.formats import FORMAT_2021
from assistant.importing import import_report
from assistant.importing.html import expand_grid

FIXTURES = Path(__file__).parent / "fixtures" / "import"
COLS = ["natural_person", "business", "research", "public_interest", "legal_service", "other"]


def test_html_2019_page_with_rowspan_colspan_and_layout_table():
    data = (FIXTURES / "page_2019_rowspan.html").read_bytes()
    res = import_report(data, filename="page.html")
    rep = res.report
    assert res.kind == "report" and res.source == "html"
    assert (rep.agency, rep.report_year, rep.format_id) == ("柳林镇", 2020, "2019")
    assert res.unread == []
    assert [rep.value(f"t3.received.{c}") for c in COLS] == [5, 2, 0, 0, 1, 0]
    assert rep.value("t3.unavailable_1.legal_service") == 1
    assert rep.value("t3.other_handling.total") == 0  # 2019: one （六） row
    assert rep.value("t3.carried_out.natural_person") == 1
    # table 二, 2019 columns, signed 本年增/减, colspan'd value cell, blank cell kept unknown
    assert rep.value("t2.licensing.change") == -2 and rep.value("t2.penalty.change") == 1
    assert rep.value("t2.admin_fee.change") == 0 and rep.value("t2.admin_fee.prev_items") == 2
    assert rep.value("t2.procurement.proc_amount") == Decimal("25.1")
    assert not rep.cell("t2.other_services.decisions").known
    assert rep.value("t4.review.upheld") == 1 and rep.value("t4.suit_direct.pending") == 1
    # script text never leaks into the report; narrative from <p>/<br>
    assert rep.sections["s1"] == "2020年，柳林镇政府信息公开工作稳步推进。\n（一）主动公开\n全年公开信息88条。"
    assert rep.sections["s5"] == "一是公开不够及时。\n二是栏目维护不到位。"
    assert rep.sections["s6"] == "无。"


def test_html_tables_as_images_are_reported_and_text_imported():
    res = import_report((FIXTURES / "page_2022_table_images.html").read_bytes(), filename="p.htm")
    assert res.report.cells == {}
    assert res.unread == [f"表{n}：网页中的表格为图片，无法读取，已导入正文" for n in "二三四"]
    assert res.report.sections["s6"] == "本年度未收取信息处理费。"


def test_expand_grid_rowspan_colspan():
    from bs4 import BeautifulSoup

    html = (
        "<table><tr><td rowspan='2' colspan='2'>A</td><td>B</td></tr>"
        "<tr><td>C</td></tr><tr><td>D</td><td>E</td><td>F</td></tr></table>"
    )
    grid = expand_grid(BeautifulSoup(html, "lxml").table)
    assert [[c.text for c in row] for row in grid] == [["A", "A", "B"], ["A", "A", "C"], ["D", "E", "F"]]
    assert grid[0][0].ident == grid[1][1].ident  # one merged cell


def _docx_report(split_other: bool = True) -> bytes:
    """A Word report as clerks build it: merged label cells (gridSpan and vMerge), a heading per section."""
    d = docx.Document()
    d.add_paragraph("云岭镇2024年度政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    d.add_paragraph("2024年，云岭镇扎实推进政务公开。")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    rows = [r for r in FORMAT_2021.table3_rows]
    t = d.add_table(rows=3 + len(rows), cols=10)
    t.cell(0, 0).merge(t.cell(2, 2)).text = FORMAT_2021.table3_note
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for i, lab in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
        t.cell(2, 4 + i).text = lab
    results = [r for r in rows if r.in_results]
    first_result = 3 + rows.index(results[0])
    t.cell(first_result, 0).merge(t.cell(first_result + len(results) - 1, 0)).text = "三、本年度办理结果"
    groups: dict[str, list[int]] = {}
    for n, r in enumerate(rows):
        ri = 3 + n
        if r.group:
            groups.setdefault(r.group, []).append(ri)
    for g, idx in groups.items():
        t.cell(idx[0], 1).merge(t.cell(idx[-1], 1)).text = g
    for n, r in enumerate(rows):
        ri = 3 + n
        if r.id in ("received", "carried_in", "carried_out"):
            t.cell(ri, 0).merge(t.cell(ri, 2)).text = r.label
        elif r.group:
            t.cell(ri, 2).text = r.label
        else:
            t.cell(ri, 1).merge(t.cell(ri, 2)).text = r.label
        vals = [n % 3, 1 if r.id == "received" else 0, 0, 0, 0, 0]
        for k, v in enumerate(vals):
            t.cell(ri, 3 + k).text = str(v)
        t.cell(ri, 9).text = str(sum(vals))
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph("一是宣传不够。")
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("本年度未收取信息处理费。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_with_merged_cells():
    res = import_report(_docx_report(), filename="报告.docx")
    rep = res.report
    assert res.source == "docx" and (rep.agency, rep.report_year, rep.format_id) == ("云岭镇", 2024, "2021")
    for n, r in enumerate(FORMAT_2021.table3_rows):
        # the cells as printed (the （七）总计 row of this hand-made table does not add up: stated, not summed)
        assert rep.cell(f"t3.{r.id}.natural_person").value == n % 3, r.id
        assert rep.cell(f"t3.{r.id}.business").value == (1 if r.id == "received" else 0), r.id
    assert any("（七）总计" in w and "各项之和" in w for w in res.warnings)
    assert rep.sections == {
        "s1": "2024年，云岭镇扎实推进政务公开。",
        "s5": "一是宣传不够。",
        "s6": "本年度未收取信息处理费。",
    }
    assert [u[:3] for u in res.unread] == ["表二：", "表四："]


def test_docx_layout_table_wrapping_the_report_is_read_as_text():
    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "某乡2023年政府信息公开工作年度报告"
    cell.add_paragraph("一、总体情况")
    cell.add_paragraph("工作有序。")
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    inner2 = cell.add_table(rows=3, cols=15)
    for g, group in enumerate(["行政复议", "未经复议直接起诉", "复议后起诉"]):
        inner2.cell(0, g * 5).merge(inner2.cell(0, g * 5 + 4)).text = group
        for k, lab in enumerate(labels):
            inner2.cell(1, g * 5 + k).text = lab
    for k in range(15):
        inner2.cell(2, k).text = str(1 if k in (0, 4) else 0)
    cell.add_paragraph("五、存在的主要问题及改进情况")
    cell.add_paragraph("无。")
    buf = io.BytesIO()
    d.save(buf)
    res = import_report(buf.getvalue(), filename="x.docx")
    rep = res.report
    assert rep.sections["s1"] == "工作有序。"
    assert rep.value("t4.review.upheld") == 1 and rep.value("t4.review.total") == 1
    assert rep.value("t4.suit_after_review.total") == 0
