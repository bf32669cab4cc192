"""Documents a reviewer would publish (issue 15): honest drafts, stated totals, Markdown tables, Word pagination
and properties, the 「粘贴到网站」 HTML and the text variants. Expected values are written by hand from the
samples and the official formats, not from the program's output."""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from markdown_it import MarkdownIt

from assistant.cli import main
from assistant.exporting import draft_export_notice, export_problems
from assistant.facts import CellFact, CellStatus, Report
from assistant.formats import FORMAT_2021
from assistant.interchange import load_report
from assistant.render import (
    build_document,
    draft_reasons,
    render,
    render_docx,
    render_html,
    render_html_paste,
    render_markdown,
    render_text,
)
from assistant.render.docx import split_table
from assistant.render.layout import break_title, line_count
from assistant.ui.preview import copy_items, preview_fragment

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
COUNTY = SAMPLES / "county_bureau_2024.json"
SEED = SAMPLES / "seed_2020_mayu.json"
DRAFT_LINE = "征求意见稿（草稿）"


def _county() -> Report:
    return load_report(COUNTY)


def _with(report: Report, **cells: object) -> Report:
    out = report.model_copy(deep=True)
    for key, value in cells.items():
        out.cells[key.replace("__", ".")] = CellFact(status=CellStatus.VALUE, value=value)
    return out


def _docx(report: Report, **kw) -> docx.document.Document:
    return docx.Document(BytesIO(render_docx(report, **kw)))


# ---- 1. honest output ------------------------------------------------------------------------------------


def test_complete_report_is_not_a_draft():
    report = _county()
    assert draft_reasons(report) == []
    assert DRAFT_LINE not in render_markdown(report) + render_text(report) + render_html(report)
    assert not any(DRAFT_LINE in p.text for p in _docx(report).paragraphs)


def test_every_kind_of_gap_is_a_reason():
    report = _county()
    report.sections["s5"] = "一是公开不够及时。【待补充：整改情况】"
    del report.sections["s6"]
    report = _with(report, t3__received__total=16)  # the columns add up to 15
    reasons = draft_reasons(report)
    assert any("六、其他需要报告的事项" in r and "尚未起草" in r for r in reasons)
    assert any("【待补充】" in r and "五、存在的主要问题及改进情况" in r and "1处" in r for r in reasons)
    assert any("T3-1" in r and "16" in r for r in reasons)
    unknown = Report(agency="示例镇人民政府", report_year=2023)
    assert any("未填" in r and "表三" in r for r in draft_reasons(unknown))
    assert any("单位名称" in r for r in draft_reasons(Report(report_year=2023)))


def test_draft_marker_in_every_format():
    report = load_report(SEED)  # table 四 and many cells still unknown
    assert render_markdown(report).splitlines()[0].startswith(f"**{DRAFT_LINE}")
    assert render_text(report).splitlines()[0].startswith(DRAFT_LINE)
    assert render_text(report, "lines").splitlines()[0].startswith(DRAFT_LINE)
    soup = BeautifulSoup(render_html(report), "html.parser")
    assert soup.find("p").get_text().startswith(DRAFT_LINE) and soup.find("p")["class"] == ["draft-marker"]
    paste = BeautifulSoup(render_html_paste(report), "html.parser")
    assert paste.find("p").get_text().startswith(DRAFT_LINE)
    d = _docx(report)
    assert d.paragraphs[0].text.startswith(DRAFT_LINE)
    assert DRAFT_LINE in d.sections[0].header.paragraphs[0].text
    assert DRAFT_LINE in d.sections[0].even_page_header.paragraphs[0].text


def test_cli_exits_1_for_a_draft_and_lists_what_is_missing(tmp_path, capsys):
    out = tmp_path / "马屿.docx"
    assert main(["render", str(SEED), "--to", "docx", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "征求意见稿" in err and "未填" in err and "表四12格" in err and "--allow-draft" in err
    assert out.exists() and docx.Document(str(out)).paragraphs[0].text.startswith(DRAFT_LINE)
    assert main(["render", str(SEED), "--to", "md", "--allow-draft"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"**{DRAFT_LINE}") and "表四12格" in captured.err
    assert main(["render", str(COUNTY), "--to", "txt"]) == 0
    assert "征求意见稿" not in capsys.readouterr().err


def test_export_panel_shows_the_same_reasons():
    report = load_report(SEED)
    reasons = draft_reasons(report)
    notice = draft_export_notice(report, [])
    assert "征求意见稿" in notice[0] and notice[1:] == draft_reasons(report, [])
    assert set(reasons) <= set(export_problems(report))
    assert draft_export_notice(_county()) == []


# ---- 2. print what was stated -----------------------------------------------------------------------------


def test_stated_total_is_printed_as_stated_and_marked():
    report = _with(_county(), t3__received__total=16)  # 自然人12 + 商业企业2 + 法律服务机构1 = 15
    cell = build_document(report).tables()["table3"].cell_for("t3.received.total")
    assert (cell.text, cell.stated, cell.computed) == ("16", True, "15")
    soup = BeautifulSoup(render_html(report), "html.parser")
    td = soup.find("td", attrs={"data-cell": "t3.received.total"})
    assert td.get_text() == "16" and "cell-conflict" in td["class"] and "15" in td["title"]
    preview = BeautifulSoup(preview_fragment(report, [], highlight=False), "html.parser")
    assert "cell-conflict" in preview.find("td", attrs={"data-cell": "t3.received.total"})["class"]
    paste = BeautifulSoup(render_html_paste(report), "html.parser")
    assert any(td.get_text() == "16" and "15" in (td.get("title") or "") for td in paste.find_all("td"))
    assert "\t15\t16" not in render_text(report) and "1\t0\t16" in render_text(report)
    assert "总计16件" in render_text(report, "lines")
    t3 = _docx(report, split=False).tables[1]
    assert t3.cell(3, 9).text == "16"


def test_unstated_total_is_the_sum_of_its_parts():
    report = _county()
    del report.cells["t3.received.total"]
    cell = build_document(report).tables()["table3"].cell_for("t3.received.total")
    assert (cell.text, cell.stated, cell.computed) == ("15", False, None)
    agreeing = build_document(_county()).tables()["table3"].cell_for("t3.received.total")
    assert (agreeing.text, agreeing.stated, agreeing.conflict) == ("15", True, False)


# ---- 3. Markdown -------------------------------------------------------------------------------------------


def test_markdown_merged_tables_are_html_blocks_that_commonmark_keeps():
    md = render_markdown(_county())
    html = MarkdownIt("commonmark").enable("table").render(md)
    soup = BeautifulSoup(html, "html.parser")
    t3 = soup.find("table", attrs={"data-table": "table3"})
    assert t3 is not None and t3.find("thead") is not None
    spans = {th.get_text(): (th.get("rowspan", "1"), th.get("colspan", "1")) for th in t3.find_all("th")}
    assert spans["申请人情况"] == ("1", "7") and spans["法人或其他组织"] == ("1", "5") and spans["自然人"] == ("2", "1")
    assert spans[FORMAT_2021.table3_note] == ("3", "3")
    group = t3.find("td", string="（三）不予公开")
    assert group["rowspan"] == "8"
    row = next(tr for tr in t3.find_all("tr") if "一、本年新收政府信息公开申请数量" in tr.get_text())
    assert [td.get_text() for td in row.find_all("td")][1:] == ["12", "2", "0", "0", "1", "0", "15"]
    assert all(td.get("align") == "center" for td in row.find_all("td")[1:])
    t4 = soup.find("table", attrs={"data-table": "table4"})
    assert [th.get_text() for th in t4.find("tr").find_all("th")] == ["行政复议", "行政诉讼"]
    assert "申请人情况-法人或其他组织" not in md


def test_markdown_simple_tables_are_pipe_tables_with_centred_numbers():
    md = render_markdown(_county())
    assert "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| :--- | :---: | :---: | :---: |" in md
    assert "| 行政规范性文件 | 2 | 1 | 9 |" in md
    html = MarkdownIt("commonmark").enable("table").render(md)
    soup = BeautifulSoup(html, "html.parser")
    cell = next(td for td in soup.find_all("td") if td.get_text() == "436")
    assert "center" in cell.get("style", "")


# ---- 4. Word -------------------------------------------------------------------------------------------------


def _keep(cell) -> bool:
    return bool(cell.paragraphs[0].paragraph_format.keep_with_next)


def test_word_keeps_only_header_rows_with_the_next_row():
    d = _docx(_county(), split=False)
    t2, t3, t4 = d.tables
    for r, row in enumerate(t3.rows):
        assert _keep(row.cells[-1]) == (r < 3), r
    for r, row in enumerate(t4.rows):
        assert _keep(row.cells[-1]) == (r < 3), r
    # table 二: each block's caption and 信息内容 rows stay with its first data row, data rows flow
    kinds = [row.cells[0].text for row in t2.rows]
    for text, row in zip(kinds, t2.rows, strict=True):
        header_like = text.startswith("第二十条") or text == "信息内容"
        assert _keep(row.cells[-1]) == header_like, text
    assert sum(1 for row in t2.rows if not _keep(row.cells[-1])) == 6  # the six data rows of 2021


def test_word_table3_split_at_a_page_break_repeats_the_group_labels():
    d = _docx(_county())
    assert len(d.tables) == 4  # 表三 continues on the next page as a second table
    first, rest = d.tables[1], d.tables[2]
    assert [rest.cell(0, 3).text, rest.cell(1, 3).text, rest.cell(2, 4).text] == ["申请人情况", "自然人", "商业企业"]
    assert rest.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # the continuation's first data row has its labels: no row sits under a blank merged cell
    assert rest.cell(3, 0).text == "三、本年度办理结果"
    assert rest.cell(3, 1).text.startswith("（")
    labels = [first.cell(r, 2).text for r in range(3, len(first.rows))] + [
        rest.cell(r, 2).text for r in range(3, len(rest.rows))
    ]
    assert len(first.rows) - 3 + len(rest.rows) - 3 == 25  # every data row printed once
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    between = first._tbl.getnext()
    assert between.tag == qn("w:p") and 'w:type="page"' in between.xml


def test_split_table_cuts_merged_labels_and_repeats_their_text():
    t3 = build_document(_county()).tables()["table3"]
    # grid rows: 0–2 header, 3 一, 4 二, 5 （一）, 6 （二）, 7–14 （三）1–8, 15–17 （四）, 18–22 （五）1–5
    first, rest = split_table(t3, 20)  # before （五）3.要求提供公开出版物
    group5 = [c for c in first.cells if c.text == "（五）不予处理"]
    assert [(c.row, c.rowspan) for c in group5] == [(18, 2)]
    again = [c for c in rest.cells if c.text == "（五）不予处理"]
    assert [(c.row, c.rowspan) for c in again] == [(3, 3)]
    results = [c for c in rest.cells if c.text == "三、本年度办理结果"]
    assert [(c.row, c.rowspan) for c in results] == [(3, rest.n_rows - 3 - 1)]
    assert first.n_rows == 20 and rest.n_rows == 3 + (t3.n_rows - 20)


def test_word_one_table_font_size():
    d = _docx(_county(), split=False)
    sizes = {
        run.font.size.pt for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for run in p.runs
    }
    assert sizes == {9.0}


def test_word_page_number_in_songti_sihao_with_full_width_dashes():
    d = _docx(_county())
    section = d.sections[0]
    assert d.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p.text.startswith("— ") and p.text.endswith(" —")  # U+2014 一字线
        assert "PAGE" in p._p.xml
        for r in p._p.findall(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            fonts = rpr.find(qn("w:rFonts"))
            assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "宋体"
            assert rpr.find(qn("w:sz")).get(qn("w:val")) == "28"  # half-points: 14 pt = 4号


def test_word_closing_signature_block():
    d = _docx(_county())
    agency, day = d.paragraphs[-2], d.paragraphs[-1]
    assert agency.text == "清溪县自然资源和规划局"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", day.text)
    assert agency.alignment == WD_ALIGN_PARAGRAPH.RIGHT and day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    fixed = build_document(_county(), today=date(2025, 1, 20))
    assert fixed.date_text == "2025年1月20日"


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        (
            "清溪县自然资源和规划局2024年政府信息公开工作年度报告",
            ["清溪县自然资源和规划局2024年", "政府信息公开工作年度报告"],
        ),
        (
            "瑞安市马屿镇人民政府2020年政府信息公开工作年度报告",
            ["瑞安市马屿镇人民政府2020年", "政府信息公开工作年度报告"],
        ),
        (
            "清溪县市场监督管理局2024年政府信息公开工作年度报告",
            ["清溪县市场监督管理局2024年", "政府信息公开工作年度报告"],
        ),
        (
            "浙江省温州市瑞安市人力资源和社会保障局2024年政府信息公开工作年度报告",
            ["浙江省温州市瑞安市人力资源和社会保障局", "2024年政府信息公开工作年度报告"],
        ),
        ("某镇2024年政府信息公开工作年度报告", ["某镇2024年政府信息公开工作年度报告"]),
    ],
)
def test_title_breaks_at_a_word_boundary_into_balanced_lines(title, lines):
    assert break_title(title, 442.2 / 22) == lines  # 二号 on a 156 mm line: 20 characters


def test_word_title_lines():
    d = _docx(_county())
    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert title.text.split("\n") == ["清溪县自然资源和规划局2024年", "政府信息公开工作年度报告"]


def test_line_count_uses_character_widths():
    assert line_count("一" * 27, 442.2, 16) == 1 and line_count("一" * 28, 442.2, 16) == 2
    assert line_count("1" * 55, 442.2, 16) == 1  # digits are half width
    assert line_count("一" * 26, 442.2, 16, first_indent_em=2) == 2


def test_word_core_properties_are_clean():
    raw = render_docx(_county())
    d = docx.Document(BytesIO(raw))
    cp = d.core_properties
    assert cp.title == "清溪县自然资源和规划局2024年政府信息公开工作年度报告"
    assert cp.author == "清溪县自然资源和规划局"
    assert cp.last_modified_by == "年报助手" and not cp.comments
    today = datetime.now(UTC).date()
    assert cp.created.date() == today and cp.created.year != 2013
    assert cp.modified.year == today.year
    with zipfile.ZipFile(BytesIO(raw)) as z:
        names = z.namelist()
        assert not any("thumbnail" in n for n in names)
        app = z.read("docProps/app.xml").decode("utf-8")
        core = z.read("docProps/core.xml").decode("utf-8")
        settings = z.read("word/settings.xml").decode("utf-8")
    assert "<Application>年报助手</Application>" in app and "Microsoft" not in app
    assert "python-docx" not in core and "2013" not in core
    assert "savePreviewPicture" not in settings


# ---- 5. 「粘贴到网站」 HTML --------------------------------------------------------------------------------


def test_paste_html_has_inline_styles_on_every_cell_and_no_style_block():
    html = render_html_paste(_county())
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("style") is None and soup.find(attrs={"class": True}) is None
    tables = soup.find_all("table")
    assert len(tables) == 3
    for table in tables:
        box = table.parent
        assert "overflow-x:auto" in box["style"] and "max-width:100%" in box["style"]
        for cell in table.find_all(["td", "th"]):
            style = cell.get("style", "")
            assert "border:1px solid #000" in style and "padding:" in style and "text-align:" in style
    assert tables[1].find("thead") is not None and len(tables[1].find("thead").find_all("tr")) == 3
    assert tables[2].find("thead") is not None
    assert all(p.get("style") for p in soup.find_all(["p", "h1", "h2", "h3"]))
    assert render(_county(), "html-paste").startswith("<!DOCTYPE html>")


def test_paste_html_escapes_text():
    report = _county()
    report.sections["s6"] = "<script>alert(1)</script>"
    soup = BeautifulSoup(render_html_paste(report), "html.parser")
    assert soup.find("script") is None and "<script>alert(1)</script>" in soup.get_text()


# ---- 6. text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_text_has_no_trailing_tabs_or_spaces(sample):
    report = load_report(sample)
    for variant in ("grid", "lines"):
        text = render_text(report, variant)
        assert not [line for line in text.splitlines() if line != line.rstrip()], variant


def test_text_lines_variant_writes_each_table_row_as_a_sentence():
    text = render_text(_county(), "lines")
    lines = text.splitlines()
    assert "\t" not in text
    assert (
        "一、本年新收政府信息公开申请数量：自然人12件，商业企业2件，科研机构0件，社会公益组织0件，法律服务机构1件，其他0件，总计15件"
        in lines
    )
    assert "（三）不予公开" in lines
    assert (
        "4.保护第三方合法权益：自然人1件，商业企业0件，科研机构0件，社会公益组织0件，法律服务机构0件，其他0件，总计1件"
        in lines
    )
    assert "行政复议：结果维持1件，结果纠正0件，其他结果0件，尚未审结0件，总计1件" in lines
    assert "行政诉讼（未经复议直接起诉）：结果维持0件，结果纠正0件，其他结果0件，尚未审结0件，总计0件" in lines
    assert "行政事业性收费：本年收费金额12.35万元" in lines
    assert "行政规范性文件：本年制发件数2件，本年废止件数1件，现行有效件数9件" in lines
    unknown = render_text(Report(agency="示例镇人民政府", report_year=2023), "lines")
    assert "一、本年新收政府信息公开申请数量：自然人未填" in unknown


def test_copy_buttons_offer_the_line_and_paste_variants():
    report = _county()
    items = {item.label: item for item in copy_items(report)}
    lines = next(i for label, i in items.items() if "表格逐行" in label)
    assert lines.text == render_text(report, "lines") and "自然人12件" in lines.text
    web = next(i for label, i in items.items() if "粘贴到网站" in label)
    assert web.html and "border:1px solid #000" in web.html and "<style" not in web.html
    assert not any("复制全文" in label for label in items if label != "复制全文")  # one "复制全文" button
