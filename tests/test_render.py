"""Rendering: exact labels, the published merges, missing cells never shown as 0, escaping, docx structure."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from io import BytesIO

import docx
import pytest
from bs4 import BeautifulSoup
from docx.oxml.ns import qn

from assistant.errors import InputError
from assistant.facts import CellFact, CellStatus, Report
from assistant.formats import FORMAT_2019, FORMAT_2021, FORMAT_2021_23, ReportFormat
from assistant.render import (
    build_document,
    render,
    render_docx,
    render_html,
    render_markdown,
    render_text,
    suggested_filename,
)
from assistant.render.text import table_tsv

FORMATS = [FORMAT_2019, FORMAT_2021, FORMAT_2021_23]
YEAR = {"2019": 2020, "2021": 2023, "2021-23": 2022}


def _report(fmt: ReportFormat, **kw) -> Report:
    return Report(agency="示例镇人民政府", report_year=YEAR[fmt.id], format_id=fmt.id, **kw)


def _all_zero(fmt: ReportFormat, except_keys: set[str] = frozenset()) -> Report:
    cells = {c.key: CellFact(status=CellStatus.CONFIRMED_ZERO) for c in fmt.input_cells() if c.key not in except_keys}
    return _report(fmt, cells=cells)


def _table_labels(fmt: ReportFormat) -> set[str]:
    labels = {fmt.table3_note, fmt.table3_result_group, fmt.table3_applicant_group, fmt.table3_org_group}
    for block in fmt.table2_blocks:
        labels |= {block.caption, block.header_first}
        labels |= {c.label for c in block.columns} | {r.label for r in block.rows}
    for row in fmt.table3_rows:
        labels.add(row.label)
        if row.group:
            labels.add(row.group)
    labels |= {c.label for c in fmt.table3_columns}
    for g in fmt.table4_groups:
        labels.add(g.label)
        if g.parent:
            labels.add(g.parent)
    labels |= {c.label for c in fmt.table4_columns}
    return labels


def _docx(report: Report) -> docx.document.Document:
    """The Word file with 表三 kept as one table (the split at a page break is tested in test_render_publish)."""
    return docx.Document(BytesIO(render_docx(report, split=False)))


def _docx_texts(d) -> tuple[set[str], set[str]]:
    paragraphs = {p.text.replace("\n", "") for p in d.paragraphs}  # the title is broken into lines
    cells = {cell.text for t in d.tables for row in t.rows for cell in row.cells}
    return paragraphs, cells


def _soup(report: Report, **kw) -> BeautifulSoup:
    return BeautifulSoup(render_html(report, **kw), "html.parser")


# ---- labels ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_every_label_appears_exactly(fmt):
    report = _report(fmt)
    labels = _table_labels(fmt)
    headings = {s.heading for s in fmt.sections}

    soup = _soup(report)
    html_texts = {el.get_text() for el in soup.find_all(["th", "td", "h1", "h2"])}
    assert labels <= html_texts, labels - html_texts
    assert headings <= html_texts

    md = render_markdown(report)
    md_lines = md.splitlines()
    for label in labels:
        assert label in md, label
    for heading in headings:
        assert f"## {heading}" in md_lines

    paragraphs, cells = _docx_texts(_docx(report))
    assert labels <= cells, labels - cells
    assert headings <= paragraphs
    assert "示例镇人民政府" + str(YEAR[fmt.id]) + "年政府信息公开工作年度报告" in paragraphs


def test_table3_has_no_subtotal_rows_and_right_row_counts():
    for fmt, n_rows, results in ((FORMAT_2021, 25, 22), (FORMAT_2019, 23, 20), (FORMAT_2021_23, 23, 20)):
        t3 = build_document(_report(fmt)).tables()["table3"]
        assert t3.n_rows == 3 + n_rows and t3.n_cols == 10
        labels = [c.text for c in t3.cells if c.role == "label"]
        assert not any("合计" in t or "小计" in t for t in labels)
        group = next(c for c in t3.cells if c.text == "三、本年度办理结果")
        assert (group.rowspan, group.col, group.colspan) == (results, 0, 1)


# ---- HTML structure ----------------------------------------------------------------------------------


def _effective_widths(table) -> list[int]:
    """Grid width of every <tr>, honouring rowspans carried down from rows above (gaps count as errors)."""
    occupied: dict[int, set[int]] = {}
    widths = []
    for r, tr in enumerate(table.find_all("tr")):
        taken = occupied.setdefault(r, set())
        col = 0
        for cell in tr.find_all(["td", "th"]):
            while col in taken:
                col += 1
            rs, cs = _span(cell)
            for dr in range(rs):
                for dc in range(cs):
                    occupied.setdefault(r + dr, set()).add(col + dc)
            col += cs
        widths.append(len(taken) if max(taken) + 1 == len(taken) else -1)
    return widths


def _span(el) -> tuple[int, int]:
    return int(el.get("rowspan", 1)), int(el.get("colspan", 1))


@pytest.mark.parametrize("fmt", [FORMAT_2019, FORMAT_2021], ids=lambda f: f.id)
def test_html_table3_merges_like_the_published_table(fmt):
    soup = _soup(_report(fmt))
    t3 = soup.find("table", attrs={"data-table": "table3"})
    first = t3.find("tr").find(["th", "td"])
    assert first.get_text() == fmt.table3_note and _span(first) == (3, 3)
    by_text = {el.get_text(): el for el in t3.find_all(["th", "td"]) if not el.get("data-cell")}
    assert _span(by_text["申请人情况"]) == (1, 7)
    assert _span(by_text["自然人"]) == (2, 1)
    assert _span(by_text["法人或其他组织"]) == (1, 5)
    assert _span(by_text["总计"]) == (2, 1)
    assert _span(by_text["一、本年新收政府信息公开申请数量"]) == (1, 3)
    assert _span(by_text["四、结转下年度继续办理"]) == (1, 3)
    assert _span(by_text["（一）予以公开"]) == (1, 2)
    assert _span(by_text["（七）总计"]) == (1, 2)
    assert _span(by_text["三、本年度办理结果"]) == (22 if fmt.id == "2021" else 20, 1)
    assert _span(by_text["（三）不予公开"]) == (8, 1)
    assert _span(by_text["（四）无法提供"]) == (3, 1)
    assert _span(by_text["（五）不予处理"]) == (5, 1)
    if fmt.id == "2021":
        assert _span(by_text["（六）其他处理"]) == (3, 1)
    else:
        assert _span(by_text["（六）其他处理"]) == (1, 2)  # one data row, no sub-items
    values = t3.find_all("td", attrs={"data-cell": True})
    assert len(values) == len(fmt.table_cells("table3"))
    assert {v["data-cell"] for v in values} == {c.key for c in fmt.table_cells("table3")}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_html_every_row_is_full_width(fmt):
    soup = _soup(_report(fmt))
    expected = {"table2": 4, "table3": 10, "table4": 15}
    for table in soup.find_all("table"):
        widths = _effective_widths(table)
        assert set(widths) == {expected[table["data-table"]]}, (table["data-table"], widths)


def test_html_table4_layout():
    soup = _soup(_report(FORMAT_2021))
    t4 = soup.find("table", attrs={"data-table": "table4"})
    rows = t4.find_all("tr")
    assert [(c.get_text(), _span(c)) for c in rows[0].find_all("th")] == [("行政复议", (1, 5)), ("行政诉讼", (1, 10))]
    second = [(c.get_text(), _span(c)) for c in rows[1].find_all("th")]
    assert second[:5] == [(x, (2, 1)) for x in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    assert second[5:] == [("未经复议直接起诉", (1, 5)), ("复议后起诉", (1, 5))]
    assert [c.get_text() for c in rows[2].find_all("th")] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ] * 2
    data = rows[3].find_all("td")
    assert len(data) == 15
    assert [d["data-cell"] for d in data[:5]] == [
        f"t4.review.{c}" for c in ("upheld", "corrected", "other_result", "pending", "total")
    ]
    assert data[5]["data-cell"] == "t4.suit_direct.upheld" and data[10]["data-cell"] == "t4.suit_after_review.upheld"


def test_html_table2_blocks():
    soup = _soup(_report(FORMAT_2021))
    t2 = soup.find("table", attrs={"data-table": "table2"})
    captions = [th.get_text() for th in t2.find_all("th", class_="caption")]
    assert captions == ["第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert all(_span(th) == (1, 4) for th in t2.find_all("th", class_="caption"))
    assert len(t2.find_all("td", attrs={"data-cell": True})) == 10
    soup19 = _soup(_report(FORMAT_2019))
    t2_19 = soup19.find("table", attrs={"data-table": "table2"})
    assert len(t2_19.find_all("th", class_="caption")) == 5
    assert len(t2_19.find_all("td", attrs={"data-cell": True})) == 22


def test_html_escapes_agency_and_sections():
    evil = "<script>alert(1)</script>"
    report = _report(FORMAT_2021, sections={"s1": f"正文{evil}&amp;", "s3": "<img src=x onerror=alert(1)>"})
    report = report.model_copy(update={"agency": f"{evil}镇"})
    html = render_html(report)
    assert "<script>" not in html and "<img" not in html
    assert escape(evil) in html
    assert "&amp;amp;" in html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert soup.find("h1").get_text() == f"{evil}镇2023年政府信息公开工作年度报告"
    md = render_markdown(report)
    assert "<script>" not in md and "\\<script\\>" in md
    doc = render(report, "html")
    assert doc.startswith("<!DOCTYPE html>") and "<script>" not in doc
    assert "<link" not in doc and "src=" not in doc.replace(escape("<img src=x"), "")  # self-contained


def test_html_highlight_and_classes():
    report = _all_zero(FORMAT_2021, {"t3.received.business"})
    report.cells["t2.rules.issued"] = CellFact(status=CellStatus.NOT_APPLICABLE)
    soup = _soup(report, highlight={"t3.result_total.total", "t4.review.total", "no.such.cell"})
    flagged = {td["data-cell"] for td in soup.select("td.cell-flagged")}
    assert flagged == {"t3.result_total.total", "t4.review.total"}
    na = soup.find("td", attrs={"data-cell": "t2.rules.issued"})
    assert na.get_text() == "不适用" and "cell-na" in na["class"]
    total = soup.find("td", attrs={"data-cell": "t3.result_total.total"})
    assert "cell-derived" in total["class"] and total.get_text() == "0"


# ---- unknown cells render as missing, never 0 -----------------------------------------------------


def test_one_unknown_cell_renders_missing_everywhere():
    fmt = FORMAT_2021
    missing_key = "t3.disclosed.business"
    report = _all_zero(fmt, {missing_key})
    # the unknown cell and exactly the totals that depend on it
    expected = {missing_key, "t3.disclosed.total", "t3.result_total.business", "t3.result_total.total"}
    unknown = {c.key for c in build_document(report).tables()["table3"].value_cells() if c.missing}
    assert unknown == expected

    soup = _soup(report)
    shown = {td["data-cell"]: td for td in soup.find_all("td", attrs={"data-cell": True})}
    for key in expected:
        assert shown[key].get_text() == "未填" and "cell-unknown" in shown[key]["class"]
    assert all(td.get_text() == "0" for key, td in shown.items() if key not in expected)

    md = BeautifulSoup(render_markdown(report), "html.parser")  # 表三 is a raw HTML block in the Markdown
    md_row = next(
        tr
        for tr in md.find("table", attrs={"data-table": "table3"}).find_all("tr")
        if "（一）予以公开" in tr.get_text()
    )
    assert [td.get_text() for td in md_row.find_all("td")][-7:] == ["0", "（未填）", "0", "0", "0", "0", "（未填）"]

    txt_row = next(line for line in render_text(report).splitlines() if "\t（一）予以公开\t" in line)
    assert txt_row.split("\t")[3:] == ["0", "（未填）", "0", "0", "0", "0", "（未填）"]

    d = _docx(report)
    t3 = d.tables[1]
    row = 3 + 2  # 3 header rows, 一, 二, then （一）予以公开
    assert t3.cell(row, 1).text == "（一）予以公开"
    assert t3.cell(row, 4).text == "未填" and t3.cell(row, 3).text == "0"
    shd = t3.cell(row, 4)._tc.tcPr.find(qn("w:shd"))
    assert shd is not None and shd.get(qn("w:fill"))
    assert t3.cell(row, 3)._tc.tcPr.find(qn("w:shd")) is None


def test_stated_total_is_shown_when_parts_unknown():
    report = _report(FORMAT_2021, cells={"t3.received.total": CellFact(status=CellStatus.VALUE, value=15)})
    t3 = build_document(report).tables()["table3"]
    assert t3.cell_for("t3.received.total").text == "15"
    assert t3.cell_for("t3.received.natural_person").missing


def test_amounts_keep_decimals_and_units():
    report = _report(
        FORMAT_2021, cells={"t2.admin_fee.fee_amount": CellFact(status=CellStatus.VALUE, value=Decimal("12.35"))}
    )
    assert "| 行政事业性收费 | 12.35 |" in render_markdown(report)
    r19 = _report(
        FORMAT_2019,
        cells={
            "t2.procurement.proc_amount": CellFact(status=CellStatus.VALUE, value=Decimal("23456.78")),
            "t2.licensing.change": CellFact(status=CellStatus.VALUE, value=-8),
        },
    )
    soup = _soup(r19)
    assert soup.find("td", attrs={"data-cell": "t2.procurement.proc_amount"}).get_text() == "23456.78万元"
    assert soup.find("td", attrs={"data-cell": "t2.licensing.change"}).get_text() == "-8"


# ---- plain text --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.id)
def test_text_tables_are_tab_separated_grids(fmt):
    report = _all_zero(fmt)
    doc = build_document(report)
    text = render_text(report)
    for table in doc.tables().values():
        tsv = table_tsv(table)
        lines = tsv.split("\n")
        assert len(lines) == table.n_rows
        assert all(len(line.split("\t")) <= table.n_cols and not line.endswith("\t") for line in lines)
        assert tsv in text
    t4_lines = table_tsv(doc.tables()["table4"]).split("\n")
    assert t4_lines[0].split("\t")[0] == "行政复议" and t4_lines[0].split("\t")[5] == "行政诉讼"
    assert t4_lines[3].split("\t") == ["0"] * 15
    # paragraphs and headings have no tabs
    assert all("\t" not in h.text for h in doc.blocks if not hasattr(h, "cells"))


# ---- docx ----------------------------------------------------------------------------------------------


def test_docx_merges_page_and_fonts():
    d = _docx(_all_zero(FORMAT_2021, {"t4.review.upheld"}))
    assert len(d.tables) == 3
    t2, t3, t4 = d.tables
    c = t3.cell
    assert c(0, 0)._tc is c(2, 2)._tc and c(0, 0).text == FORMAT_2021.table3_note
    assert c(0, 3)._tc is c(0, 9)._tc and c(0, 3).text == "申请人情况"
    assert c(1, 3)._tc is c(2, 3)._tc and c(1, 3).text == "自然人"
    assert c(1, 4)._tc is c(1, 8)._tc and c(1, 4).text == "法人或其他组织"
    assert c(1, 9)._tc is c(2, 9)._tc and c(1, 9).text == "总计"
    assert [c(2, i).text for i in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert c(5, 0)._tc is c(26, 0)._tc and c(5, 0).text == "三、本年度办理结果"
    assert c(7, 1)._tc is c(14, 1)._tc and c(7, 1).text == "（三）不予公开"
    assert c(3, 0)._tc is c(3, 2)._tc and c(27, 0)._tc is c(27, 2)._tc
    assert c(7, 2)._tc is not c(8, 2)._tc
    x = t4.cell
    assert x(0, 0)._tc is x(0, 4)._tc and x(0, 0).text == "行政复议"
    assert x(0, 5)._tc is x(0, 14)._tc and x(0, 5).text == "行政诉讼"
    assert x(1, 5)._tc is x(1, 9)._tc and x(1, 5).text == "未经复议直接起诉"
    assert x(1, 10)._tc is x(1, 14)._tc and x(1, 10).text == "复议后起诉"
    assert x(1, 0)._tc is x(2, 0)._tc and x(1, 0).text == "结果维持"
    assert x(3, 0).text == "未填" and x(3, 1).text == "0"
    assert t2.cell(0, 0)._tc is t2.cell(0, 3)._tc and t2.cell(0, 0).text == "第二十条第（一）项"
    xml = t3._tbl.xml + t4._tbl.xml
    assert 'w:gridSpan w:val="7"' in xml and 'w:gridSpan w:val="10"' in xml and "w:vMerge" in xml

    section = d.sections[0]
    assert abs(section.page_width.cm - 21) < 0.01 and abs(section.page_height.cm - 29.7) < 0.01
    assert section.left_margin.cm > 2.5 and section.top_margin.cm > 3

    def east_asia(run):
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert east_asia(title.runs[0]) in ("方正小标宋简体", "宋体")
    heading = next(p for p in d.paragraphs if p.text == "一、总体情况")
    assert east_asia(heading.runs[0]) == "黑体"
    body = next(p for p in d.paragraphs if p.text == "（本部分尚未填写）")
    assert east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16
    cell_run = t3.cell(0, 3).paragraphs[0].runs[0]
    assert east_asia(cell_run) == "宋体"
    normal = d.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_docx_2019_single_other_handling_row():
    d = _docx(_report(FORMAT_2019))
    t3 = d.tables[1]
    assert len(t3.rows) == 3 + 23
    row = next(i for i in range(len(t3.rows)) if t3.cell(i, 1).text == "（六）其他处理")
    assert t3.cell(row, 1)._tc is t3.cell(row, 2)._tc
    assert t3.cell(row + 1, 1).text == "（七）总计"


# ---- misc -------------------------------------------------------------------------------------------------


def test_document_order_and_narrative_paragraphs():
    report = _report(
        FORMAT_2021, sections={"s1": "总述。\n（一）主动公开\n公开了信息。", "s6": "本年度未收取信息处理费。"}
    )
    doc = build_document(report)
    headings = [b.text for b in doc.blocks if type(b).__name__ == "Heading"]
    assert headings == [s.heading for s in FORMAT_2021.sections]
    kinds = [(type(b).__name__, getattr(b, "id", getattr(b, "role", None))) for b in doc.blocks]
    assert ("Paragraph", "subheading") in kinds
    order = [getattr(b, "id", None) for b in doc.blocks if type(b).__name__ == "Table"]
    assert order == ["table2", "table3", "table4"]
    md = render_markdown(report)
    assert "### （一）主动公开" in md and "*（本部分尚未填写）*" in md  # empty s5 is visibly missing


def test_render_dispatch_and_errors():
    report = _report(FORMAT_2021)
    assert isinstance(render(report, "docx"), bytes)
    assert render(report, "markdown") == render_markdown(report)
    assert render(report, "TXT") == render_text(report)
    with pytest.raises(InputError, match="不支持的输出格式"):
        render(report, "pdf")
    assert suggested_filename(report, "docx") == "示例镇人民政府2023年政府信息公开工作年度报告.docx"


def test_missing_identity_is_visible_in_title():
    report = Report()
    assert build_document(report).title == "（单位名称未填）____年政府信息公开工作年度报告"


def test_repeated_heading_in_section_text_is_not_printed_twice():
    report = _report(
        FORMAT_2021, sections={"s5": "五、存在的主要问题及改进情况\n一是公开不够及时。", "s3": "该部分以表格形式报告。"}
    )
    md = render_markdown(report)
    assert md.count("五、存在的主要问题及改进情况") == 1 and "一是公开不够及时。" in md
    assert '## 三、收到和处理政府信息公开申请情况\n\n该部分以表格形式报告。\n\n<table data-table="table3">' in md
