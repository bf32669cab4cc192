""".docx via python-docx, in the official register (GB/T 9704): A4 with 公文 margins (上37 下35 左28 右26 mm),
title 方正小标宋简体 二号 broken at a word boundary into balanced lines, section headings 黑体 三号, sub-headings
楷体_GB2312 三号, body 仿宋_GB2312 三号 on an exact 28 pt line pitch with a two-character first-line indent, the
signature block (agency, date) right-aligned at the end, page numbers 「— 1 —」 in 宋体 4号 (odd pages right, even
pages left, one character in from the edge).

Tables are real Word tables with the published merges (text set after merging), one font size (宋体 小五) on an
exact line pitch, borders, header rows repeated across pages. Only header rows (and table 二's caption and
header rows) keep with the next row, so a table flows into the space left on a page. Where 表三 would break
across pages (estimated from character widths, see :mod:`.layout`), it is split into two tables at that row:
the second repeats the header rows and the group labels (（五）不予处理, 三、本年度办理结果), so no row ever sits
under a blank merged cell.

A draft carries 「征求意见稿（草稿）」 as its first line and in the page header. Core properties are clean:
the title, the agency as author, the current date, our application name; no template leftovers or thumbnail.
An unknown value is a shaded cell reading "未填", never 0; a stated total that disagrees with its parts is
printed as stated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from html import escape
from io import BytesIO

from docx import Document as new_document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from ..facts import Report
from .layout import PageFlow, break_title, line_count
from .status import draft_line, draft_marker
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text

APP_NAME = "年报助手"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
PAGE_NUMBER_FONT = "宋体"
SIZE_ERHAO = Pt(22)  # 二号
SIZE_SANHAO = Pt(16)  # 三号
SIZE_SIHAO = Pt(14)  # 四号
SIZE_XIAOWU = Pt(9)  # 小五: every table
LINE_PITCH = Pt(28)
TITLE_PITCH = Pt(36)
TABLE_PITCH = Pt(12)
ROW_MIN = Pt(16)
CELL_PAD_PT = 1.0  # top and bottom cell margin
CELL_SIDE_CM = 0.1  # left and right cell margin
SPACER_PITCH = Pt(14)  # the paragraph after a table
UNKNOWN_FILL = "FFF2CC"
CONFLICT_FILL = "FDE7E9"
A4 = (Cm(21), Cm(29.7))
MARGINS = {"top": Cm(3.7), "bottom": Cm(3.5), "left": Cm(2.8), "right": Cm(2.6)}
TEXT_WIDTH_CM = 21 - 2.8 - 2.6
TEXT_WIDTH_PT = Cm(TEXT_WIDTH_CM).pt
TEXT_HEIGHT_PT = Cm(29.7 - 3.7 - 3.5).pt
# A forced break of 表三 leaves this much room unused, so Word, WPS and LibreOffice (whose fonts differ a little
# from the estimate) all still fit the first part on its page.
BREAK_SAFETY_PT = 40.0

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


def _exact(paragraph, pitch: Pt, *, indent: bool = False) -> None:  # type: ignore[no-untyped-def]
    pf = paragraph.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = pitch
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = Pt(32) if indent else Pt(0)  # two characters of 三号


def _setup(doc) -> None:  # type: ignore[no-untyped-def]
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(2.3)  # the dashes sit about 7 mm below the text area (GB/T 9704 7.5)
    _style_fonts(doc.styles["Normal"], BODY_FONT, SIZE_SANHAO)
    _style_fonts(doc.styles["Heading 1"], HEADING_FONT, SIZE_SANHAO)
    _style_fonts(doc.styles["Heading 2"], SUBHEADING_FONT, SIZE_SANHAO)
    _style_fonts(doc.styles["Title"], TITLE_FONT, SIZE_ERHAO)
    # widow control off: lines flow exactly as counted, so the page estimate holds in every word processor
    doc.styles["Normal"].paragraph_format.widow_control = False
    for name in ("Heading 1", "Heading 2", "Title"):
        pf = doc.styles[name].paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
    title_style = doc.styles["Title"].element.get_or_add_pPr()
    for border in title_style.findall(qn("w:pBdr")):  # the default Title has a bottom rule
        title_style.remove(border)
    _clean_settings(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer.paragraphs[0], odd=True)
    _page_number_footer(section.even_page_footer.paragraphs[0], odd=False)


def _clean_settings(doc) -> None:  # type: ignore[no-untyped-def]
    """No preview picture, Chinese as the East Asian theme language."""
    settings = doc.settings.element
    for el in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(el)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _field_run(paragraph, kind: str, text: str = "") -> None:  # type: ignore[no-untyped-def]
    """One run of a complex field (begin / instrText / separate / result / end), in the page-number font."""
    run = _run(paragraph, "", PAGE_NUMBER_FONT, SIZE_SIHAO)
    if kind == "instr":
        el = OxmlElement("w:instrText")
        el.set(qn("xml:space"), "preserve")
        el.text = text
    elif kind == "result":
        el = OxmlElement("w:t")
        el.text = text
    else:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _page_number_footer(p, *, odd: bool) -> None:  # type: ignore[no-untyped-def]
    """「— 1 —」 in 宋体 4号, digits and dashes alike; odd pages right, even pages left, one character in."""
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    if odd:
        pf.right_indent = SIZE_SIHAO
    else:
        pf.left_indent = SIZE_SIHAO
    pf.line_spacing = 1.0
    _run(p, "— ", PAGE_NUMBER_FONT, SIZE_SIHAO)
    _field_run(p, "begin")
    _field_run(p, "instr", " PAGE ")
    _field_run(p, "separate")
    _field_run(p, "result", "1")
    _field_run(p, "end")
    _run(p, " —", PAGE_NUMBER_FONT, SIZE_SIHAO)


def _draft_header(section) -> None:  # type: ignore[no-untyped-def]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = _run(p, draft_marker(), HEADING_FONT, SIZE_SIHAO)
        run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _row_props(row, *, header: bool, min_height: Pt) -> None:  # type: ignore[no-untyped-def]
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        flag = OxmlElement("w:tblHeader")
        flag.set(qn("w:val"), "true")
        trpr.append(flag)
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(min_height.twips)))
    height.set(qn("w:hRule"), "atLeast")
    trpr.append(height)


def _cell_margins(t) -> None:  # type: ignore[no-untyped-def]
    tblpr = t._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("top", Pt(CELL_PAD_PT)), ("bottom", Pt(CELL_PAD_PT))):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(value.twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(Cm(CELL_SIDE_CM).twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _cell_text(cell: TableCell) -> str:
    return unknown_text() if cell.missing else cell.text


def table_widths(table: Table) -> list[float]:
    """Grid column widths in cm."""
    widths = _WIDTHS.get(table.id)
    if widths is None:  # table 二: a wide label column, the value columns share the rest
        rest = (TEXT_WIDTH_CM - 4.2) / (table.n_cols - 1)
        widths = [4.2] + [rest] * (table.n_cols - 1)
    return widths


def _header_like(table: Table, row: list[TableCell]) -> bool:
    """Rows that must stay with the row below: the header rows, and table 二's caption and 信息内容 rows."""
    return (bool(row) and row[0].row < table.header_rows) or any(c.role in ("caption", "header") for c in row)


def row_heights(table: Table) -> list[float]:
    """Estimated height (pt) of every grid row: the tallest single-row cell, at least the minimum height."""
    widths = table_widths(table)
    heights = [ROW_MIN.pt] * table.n_rows
    for cell in table.cells:
        if cell.rowspan > 1:
            continue
        width = Cm(sum(widths[cell.col : cell.col + cell.colspan]) - 2 * CELL_SIDE_CM).pt
        lines = line_count(_cell_text(cell), width, SIZE_XIAOWU.pt)
        heights[cell.row] = max(heights[cell.row], lines * TABLE_PITCH.pt + 2 * CELL_PAD_PT)
    # a merged cell taller than its rows stretches the last of them
    for cell in table.cells:
        if cell.rowspan > 1:
            width = Cm(sum(widths[cell.col : cell.col + cell.colspan]) - 2 * CELL_SIDE_CM).pt
            need = line_count(_cell_text(cell), width, SIZE_XIAOWU.pt) * TABLE_PITCH.pt + 2 * CELL_PAD_PT
            have = sum(heights[cell.row : cell.row + cell.rowspan])
            if need > have:
                heights[cell.row + cell.rowspan - 1] += need - have
    return heights


def _add_table(doc, table: Table) -> None:  # type: ignore[no-untyped-def]
    t = doc.add_table(rows=table.n_rows, cols=table.n_cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _cell_margins(t)
    widths = table_widths(table)
    # One pass over the fresh grid (Table.cell() rescans the whole table on every call); merge regions never
    # overlap, so the cell objects of positions not yet merged stay valid while merging.
    grid = [[_Cell(tc, t) for tc in tr.tc_lst] for tr in t._tbl.tr_lst]
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
        for row in grid:
            row[i].width = Cm(w)
    rows = table.rows()
    keep = [_header_like(table, rows[r]) for r in range(table.n_rows)]
    for r, row in enumerate(t.rows):
        _row_props(row, header=r < table.header_rows, min_height=ROW_MIN)
    for cell in table.cells:
        target = grid[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(grid[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1])
            target.width = Cm(sum(widths[cell.col : cell.col + cell.colspan]))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = target.paragraphs[0]
        centred = cell.role != "label" or cell.rowspan > 1  # row labels read left, merged group labels centred
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
        _exact(p, TABLE_PITCH)
        # only header rows keep with the next row; data rows flow into whatever space is left on the page
        p.paragraph_format.keep_with_next = keep[cell.row + cell.rowspan - 1]
        _run(p, _cell_text(cell), TABLE_FONT, SIZE_XIAOWU)
        if cell.missing:
            _shade(target, UNKNOWN_FILL)
        elif cell.conflict:
            _shade(target, CONFLICT_FILL)


def split_table(table: Table, at: int) -> tuple[Table, Table]:
    """``table`` cut before grid row ``at``: both parts keep the header rows; a merged label that spans the cut
    is split in two, and the second part repeats its text (the group label on the continuation page)."""
    h = table.header_rows
    first: list[TableCell] = []
    second: list[TableCell] = []
    for cell in table.cells:
        end = cell.row + cell.rowspan
        if cell.row < h:
            first.append(cell)
            second.append(cell)
        elif end <= at:
            first.append(cell)
        elif cell.row >= at:
            second.append(replace(cell, row=cell.row - at + h))
        else:  # spans the cut
            first.append(replace(cell, rowspan=at - cell.row))
            second.append(replace(cell, row=h, rowspan=end - at))
    n2 = table.n_rows - at + h
    return replace(table, n_rows=at, cells=tuple(first)), replace(table, n_rows=n2, cells=tuple(second))


class _Writer:
    """Adds blocks to the Word document while estimating where each lands on the pages."""

    def __init__(self, d, *, split: bool = True) -> None:  # type: ignore[no-untyped-def]
        self.d = d
        self.split = split
        self.flow = PageFlow(TEXT_HEIGHT_PT)
        self.kept = 0.0  # height of the keep-with-next paragraphs just added (a heading moves with its table)

    def paragraph(self, text: str, *, style: str | None, font: str, indent: bool, keep: bool = False):  # type: ignore[no-untyped-def]
        p = self.d.add_paragraph(style=style) if style else self.d.add_paragraph()
        _exact(p, LINE_PITCH, indent=indent)
        p.paragraph_format.keep_with_next = keep or None
        run = _run(p, text, font, SIZE_SANHAO)
        n = line_count(text, TEXT_WIDTH_PT, SIZE_SANHAO.pt, first_indent_em=2 if indent else 0)
        if keep:
            if self.flow.remaining < (n + 1) * LINE_PITCH.pt:
                self.flow.new_page()
            self.flow.add_lines(n, LINE_PITCH.pt)
            self.kept += n * LINE_PITCH.pt
        else:
            self.flow.add_lines(n, LINE_PITCH.pt)
            self.kept = 0.0
        return run

    def spacer(self, pitch: Pt) -> None:
        p = self.d.add_paragraph()
        _exact(p, pitch)
        self.flow.add_lines(1, pitch.pt)

    def page_break(self) -> None:
        """A 1 pt paragraph holding a page break: ends one part of a split table, starts the next page."""
        p = self.d.add_paragraph()
        _exact(p, Pt(1))
        p.add_run().add_break(WD_BREAK.PAGE)
        self.flow.new_page()

    def table(self, table: Table) -> None:
        heights = row_heights(table)
        head = sum(heights[: table.header_rows])
        first_data = table.header_rows if table.header_rows else 0
        # the table's first rows (and a heading kept with it) move to the next page together when they don't fit
        lead = head + sum(heights[first_data : first_data + 2])
        if self.flow.y > self.kept and self.flow.remaining < lead:
            self.flow.new_page()
            if self.kept:
                self.flow.add_block(self.kept)  # the heading kept with the table moves along
        self.kept = 0.0
        if self.split and table.id == "table3" and table.header_rows:
            at = self._break_row(table, heights)
            if at is not None:
                first, rest = split_table(table, at)
                _add_table(self.d, first)
                self.page_break()
                self.table(rest)
                return
        _add_table(self.d, table)
        for r, height in enumerate(heights):
            if table.header_rows and r >= table.header_rows and self.flow.y + height > TEXT_HEIGHT_PT:
                self.flow.new_page()
                self.flow.add_block(head)
            self.flow.add_block(height)
        self.spacer(SPACER_PITCH)

    def _break_row(self, table: Table, heights: list[float]) -> int | None:
        """The first data row that would not fit on the current page (with a safety margin), or None."""
        y = self.flow.y + sum(heights[: table.header_rows])
        limit = TEXT_HEIGHT_PT - BREAK_SAFETY_PT
        if self.flow.y + sum(heights) <= TEXT_HEIGHT_PT:
            return None  # the whole table fits
        for r in range(table.header_rows, table.n_rows):
            if y + heights[r] > limit:
                return r if r > table.header_rows else None
            y += heights[r]
        return None


def _core_properties(d, doc: Document) -> None:  # type: ignore[no-untyped-def]
    """Title, agency as author, now as the dates, our application name; nothing left from the template."""
    now = datetime.now(UTC).replace(microsecond=0)
    cp = d.core_properties
    cp.title = doc.title
    cp.author = doc.agency
    cp.last_modified_by = APP_NAME
    cp.created = now
    cp.modified = now
    cp.comments = ""
    cp.subject = "政府信息公开工作年度报告"
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    cp.language = "zh-CN"
    package = d.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _app_xml().encode("utf-8")


def _app_xml() -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{escape(APP_NAME)}</Application><DocSecurity>0</DocSecurity>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc></Properties>"
    )


def _title(w: _Writer, doc: Document) -> None:
    lines = break_title(doc.title, TEXT_WIDTH_PT / SIZE_ERHAO.pt)
    p = w.d.add_paragraph(style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(p, TITLE_PITCH)
    p.paragraph_format.space_after = LINE_PITCH
    for i, line in enumerate(lines):
        run = _run(p, line, TITLE_FONT, SIZE_ERHAO)
        if i < len(lines) - 1:
            run.add_break()
    w.flow.add_lines(len(lines), TITLE_PITCH.pt)
    w.flow.add_lines(1, LINE_PITCH.pt)


def _signature(w: _Writer, doc: Document) -> None:
    """Agency and date, right-aligned (four characters in from the right edge), after one blank line."""
    w.spacer(LINE_PITCH)
    for i, text in enumerate((doc.agency, doc.date_text)):
        p = w.d.add_paragraph()
        _exact(p, LINE_PITCH)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(64) if i else Pt(32)
        p.paragraph_format.keep_with_next = i == 0 or None
        p.paragraph_format.keep_together = True
        _run(p, text, BODY_FONT, SIZE_SANHAO)
        w.flow.add_lines(1, LINE_PITCH.pt)


def document_docx(doc: Document, *, split: bool = True) -> bytes:
    """The Word file; ``split=False`` keeps 表三 one table wherever it breaks (for structure tests)."""
    d = new_document()
    _setup(d)
    _core_properties(d, doc)
    w = _Writer(d, split=split)
    if doc.is_draft:
        _draft_header(d.sections[0])
        run = w.paragraph(draft_line(), style=None, font=HEADING_FONT, indent=False)
        run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
        d.paragraphs[-1].paragraph_format.keep_with_next = True
    _title(w, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            w.paragraph(block.text, style="Heading 1", font=HEADING_FONT, indent=True, keep=True)
        elif isinstance(block, Paragraph):
            if block.role == "subheading":
                w.paragraph(block.text, style="Heading 2", font=SUBHEADING_FONT, indent=True, keep=True)
            else:
                run = w.paragraph(block.text, style=None, font=BODY_FONT, indent=True)
                if block.role == "missing":
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            w.table(block)
    if doc.agency:
        _signature(w, doc)
    buf = BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_docx(report: Report, *, split: bool = True) -> bytes:
    """The report as a Word document (.docx bytes)."""
    return document_docx(build_document(report), split=split)
