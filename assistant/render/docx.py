""".docx via python-docx, in the official register: A4 with 公文 margins (GB/T 9704: 上37 下35 左28 右26 mm),
title 方正小标宋简体 二号, section headings 黑体 三号, sub-headings 楷体_GB2312 三号, body 仿宋_GB2312 三号 with a
28 pt line pitch and a two-character first-line indent. Tables are real Word tables with the published merges
(text set after merging), 宋体 五号/小五, borders, header rows repeated across pages. Chinese fonts are set through
``w:eastAsia``. An unknown value is a shaded cell reading "未填", never 0.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document as new_document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from ..facts import Report
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
SIZE_ERHAO = Pt(22)  # 二号
SIZE_SANHAO = Pt(16)  # 三号
SIZE_WUHAO = Pt(10.5)  # 五号
SIZE_XIAOWU = Pt(9)  # 小五
LINE_PITCH = Pt(28)
UNKNOWN_FILL = "FFF2CC"
A4 = (Cm(21), Cm(29.7))
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21 - 2.8 - 2.6

# Grid column widths (cm) per table: label columns wider, value columns even.
_WIDTHS = {
    "table3": [1.1, 1.7, 4.05] + [1.25] * 7,
    "table4": [TEXT_WIDTH_CM / 15] * 15,
}


def _set_fonts(element, name: str) -> None:  # type: ignore[no-untyped-def]
    """Set ascii/hAnsi/eastAsia fonts on a run or style rPr, dropping theme fonts that would override them."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _style_fonts(style, name: str, size: Pt, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    style.font.name = name
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    _set_fonts(style.element, name)


def _run(paragraph, text: str, font: str, size: Pt, *, bold: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.font.bold = bold
    _set_fonts(run._element, font)
    return run


def _body_format(paragraph, *, indent: bool = True) -> None:  # type: ignore[no-untyped-def]
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE_PITCH
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if indent:
        pf.first_line_indent = Pt(32)  # two characters of 三号


def _setup(doc) -> None:  # type: ignore[no-untyped-def]
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    _style_fonts(doc.styles["Normal"], BODY_FONT, SIZE_SANHAO)
    _style_fonts(doc.styles["Heading 1"], HEADING_FONT, SIZE_SANHAO)
    _style_fonts(doc.styles["Heading 2"], SUBHEADING_FONT, SIZE_SANHAO)
    _style_fonts(doc.styles["Title"], TITLE_FONT, SIZE_ERHAO)
    for name in ("Heading 1", "Heading 2", "Title"):
        pf = doc.styles[name].paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
    title_style = doc.styles["Title"].element.get_or_add_pPr()
    for border in title_style.findall(qn("w:pBdr")):  # the default Title has a bottom rule
        title_style.remove(border)
    _page_number_footer(section)


def _page_number_footer(section) -> None:  # type: ignore[no-untyped-def]
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", BODY_FONT, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    _run(p, " —", BODY_FONT, Pt(14))


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _no_row_split(row) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _cell_text(cell: TableCell) -> str:
    return unknown_text() if cell.missing else cell.text


def _add_table(doc, table: Table) -> None:  # type: ignore[no-untyped-def]
    t = doc.add_table(rows=table.n_rows, cols=table.n_cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = _WIDTHS.get(table.id)
    if widths is None:  # table 二: a wide label column, the value columns share the rest
        rest = (TEXT_WIDTH_CM - 4.2) / (table.n_cols - 1)
        widths = [4.2] + [rest] * (table.n_cols - 1)
    # One pass over the fresh grid (Table.cell() rescans the whole table on every call); merge regions never
    # overlap, so the cell objects of positions not yet merged stay valid while merging.
    grid = [[_Cell(tc, t) for tc in tr.tc_lst] for tr in t._tbl.tr_lst]
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
        for row in grid:
            row[i].width = Cm(w)
    size = SIZE_WUHAO if table.id == "table2" else SIZE_XIAOWU
    for r, row in enumerate(t.rows):
        _no_row_split(row)
        if r < table.header_rows:
            _repeat_header(row)
    for cell in table.cells:
        target = grid[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(grid[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1])
            target.width = Cm(sum(widths[cell.col : cell.col + cell.colspan]))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = target.paragraphs[0]
        centred = cell.role != "label" or cell.rowspan > 1  # row labels read left, merged group labels centred
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        pf = p.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = 1.0
        pf.first_line_indent = Pt(0)
        # the small tables stay on one page; table 三 may break, its header rows repeat
        pf.keep_with_next = table.id != "table3" and cell.row + cell.rowspan < table.n_rows
        _run(p, _cell_text(cell), TABLE_FONT, size)
        if cell.missing:
            _shade(target, UNKNOWN_FILL)


def document_docx(doc: Document) -> bytes:
    d = new_document()
    _setup(d)
    d.core_properties.title = doc.title
    d.core_properties.language = "zh-CN"
    title = d.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = LINE_PITCH
    _run(title, doc.title, TITLE_FONT, SIZE_ERHAO)
    for block in doc.blocks:
        if isinstance(block, Heading):
            p = d.add_paragraph(style="Heading 1")
            _body_format(p)
            _run(p, block.text, HEADING_FONT, SIZE_SANHAO)
        elif isinstance(block, Paragraph):
            if block.role == "subheading":
                p = d.add_paragraph(style="Heading 2")
                _body_format(p)
                _run(p, block.text, SUBHEADING_FONT, SIZE_SANHAO)
            else:
                p = d.add_paragraph()
                _body_format(p)
                run = _run(p, block.text, BODY_FONT, SIZE_SANHAO)
                if block.role == "missing":
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            _add_table(d, block)
            d.add_paragraph()  # Word needs a paragraph between consecutive tables
    buf = BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_docx(report: Report) -> bytes:
    """The report as a Word document (.docx bytes)."""
    return document_docx(build_document(report))
