"""HTML in two variants, both escaped and self-contained (no external CSS, fonts or scripts):

- :func:`document_html` (preview, saved page): its own ``<style>`` block and classes. Each value ``<td>``
  carries ``data-cell="<cell key>"``; an unknown value is a highlighted "未填" (``cell-unknown``), 不适用 is
  "不适用" (``cell-na``); keys in ``highlight`` get ``cell-flagged``; totals get ``cell-derived``; a stated total
  that disagrees with its parts is printed as stated and marked ``cell-conflict`` with the sum in its title.
- :func:`document_html_paste` (「粘贴到网站」): for portal editors (CMS) and WeChat, which strip ``<style>``
  blocks and classes. Every element carries inline styles (borders, padding, alignment on every cell), tables
  have a ``<thead>`` (printed header rows repeat) and sit in their own horizontally scrolling box, so a phone
  (390 px) never scrolls the whole page sideways.

Both print the 「征求意见稿（草稿）」 line first when the report is a draft, and close with the signature block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from ..facts import Report
from ..prompts import render_prompt
from .status import draft_line
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text

CSS = """
.nb-report{font-family:"FangSong","FangSong_GB2312","仿宋_GB2312","仿宋","STFangsong","Songti SC","SimSun",serif;
 line-height:1.8;color:#111;max-width:60em}
.nb-report h1{font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","SimSun","宋体",serif;font-size:1.6em;
 text-align:center;font-weight:bold;margin:.6em 0 1em}
.nb-report h2{font-family:"SimHei","黑体","Heiti SC",sans-serif;font-size:1.2em;margin:1.2em 0 .5em}
.nb-report h3{font-family:"KaiTi","楷体_GB2312","楷体",serif;font-size:1.05em;margin:.8em 0 .3em}
.nb-report p{text-indent:2em;margin:.3em 0}
.nb-report p.draft-marker{text-indent:0;font-family:"SimHei","黑体",sans-serif;color:#b3261e;
 border:1px solid #b3261e;padding:.2em .6em}
.nb-report p.section-missing{color:#a15c00;background:#fff3cd;text-indent:0;padding:.2em .5em}
.nb-report p.signature{text-indent:0;text-align:right;margin:0}
.nb-report div.nb-scroll{overflow-x:auto;max-width:100%}
.nb-report table{border-collapse:collapse;width:100%;margin:.6em 0 1em;font-family:"SimSun","宋体",serif;font-size:.85em;
 line-height:1.4}
.nb-report th,.nb-report td{border:1px solid #000;padding:.25em .4em;text-align:center;vertical-align:middle}
.nb-report th{font-weight:normal}
.nb-report td.lbl{text-align:left}
.nb-report td.val{min-width:2.6em}
.nb-report td.cell-unknown{background:#fff3cd;color:#a15c00}
.nb-report td.cell-na{color:#555}
.nb-report mark.todo{background:#fff3cd;color:#a15c00;outline:1px dashed #a15c00}
.nb-report td.cell-flagged{background:#fde7e9;outline:2px solid #d93025;outline-offset:-2px}
.nb-report td.cell-conflict{background:#fde7e9;outline:2px dashed #d93025;outline-offset:-2px}
"""


def _spans(cell: TableCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def conflict_note(cell: TableCell) -> str:
    """ "所填总计为16，各项相加为15" for a stated total that disagrees with its parts."""
    return render_prompt("render/conflict_note", stated=cell.text, computed=cell.computed or "")


def _td(cell: TableCell, highlight: set[str]) -> str:
    if cell.role in ("caption", "header", "note"):
        return f'<th class="{cell.role}"{_spans(cell)}>{escape(cell.text)}</th>'
    if cell.role == "label":
        return f'<td class="lbl"{_spans(cell)}>{escape(cell.text)}</td>'
    classes = ["val"]
    text = escape(cell.text)
    title = ""
    if cell.missing:
        classes.append("cell-unknown")
        text = escape(unknown_text())
    elif cell.state == "not_applicable":
        classes.append("cell-na")
    if cell.derived:
        classes.append("cell-derived")
    if cell.conflict:
        classes.append("cell-conflict")
        title = f' title="{escape(conflict_note(cell), quote=True)}"'
    if cell.key in highlight:
        classes.append("cell-flagged")
    key = escape(cell.key or "", quote=True)
    return f'<td class="{" ".join(classes)}" data-cell="{key}"{title}{_spans(cell)}>{text}</td>'


def table_html(table: Table, highlight: set[str] | None = None) -> str:
    """One table with the published merges, header rows in ``<thead>``, in its own scrolling box."""
    flagged = highlight or set()
    head: list[str] = []
    body: list[str] = []
    for r, cells in enumerate(table.rows()):
        tag = ' class="hdr"' if r < table.header_rows else ""
        (head if r < table.header_rows else body).append(
            f"<tr{tag}>" + "".join(_td(c, flagged) for c in cells) + "</tr>"
        )
    thead = "<thead>" + "".join(head) + "</thead>" if head else ""
    return (
        f'<div class="nb-scroll"><table class="nb-table nb-{table.id}" data-table="{table.id}">'
        f"{thead}<tbody>" + "".join(body) + "</tbody></table></div>"
    )


_PLACEHOLDER = re.compile(r"【待补充[^】]*】")


def _mark_placeholders(escaped: str) -> str:
    """Every 【待补充…】 highlighted: it is a work item, not text to publish."""
    return _PLACEHOLDER.sub(lambda m: f'<mark class="todo">{m.group(0)}</mark>', escaped)


_CLASSES = {
    "root": ' class="nb-report"',
    "draft": ' class="draft-marker" data-draft="1"',
    "missing": ' class="section-missing"',
    "signature": ' class="signature"',
}


def _document(doc: Document, attrs: Callable[[str], str], table: Callable[[Table], str], head: str = "") -> str:
    """The block walk both variants share; ``attrs(kind)`` gives each element's attributes."""
    out = [f"<div{attrs('root')}>"] + ([head] if head else [])
    if doc.is_draft:
        out.append(f"<p{attrs('draft')}>{escape(draft_line())}</p>")
    out.append(f"<h1{attrs('h1')}>{escape(doc.title)}</h1>")
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f'<h2 id="{block.section_id}"{attrs("h2")}>{escape(block.text)}</h2>')
        elif isinstance(block, Paragraph):
            if block.role == "subheading":
                out.append(f"<h3{attrs('h3')}>{escape(block.text)}</h3>")
            else:
                kind = "missing" if block.role == "missing" else "p"
                out.append(f"<p{attrs(kind)}>{_mark_placeholders(escape(block.text))}</p>")
        else:
            out.append(table(block))
    if doc.agency:
        out += [f"<p{attrs('signature')}>{escape(line)}</p>" for line in (doc.agency, doc.date_text)]
    out.append("</div>")
    return "\n".join(out)


def document_html(doc: Document, highlight: set[str] | None = None) -> str:
    """The preview / saved-page fragment: classes and one ``<style>`` block."""
    return _document(
        doc, lambda kind: _CLASSES.get(kind, ""), lambda t: table_html(t, highlight), f"<style>{CSS}</style>"
    )


# ---- 「粘贴到网站」: inline styles only ----------------------------------------------------------------

_SERIF = "FangSong,仿宋_GB2312,仿宋,STFangsong,SimSun,serif"
_TABLE_FONT = "SimSun,宋体,serif"
_S = {
    "root": f"font-family:{_SERIF};font-size:16px;line-height:1.8;color:#111;max-width:100%;box-sizing:border-box",
    "draft": "margin:0 0 12px;padding:4px 8px;border:1px solid #b3261e;color:#b3261e;font-weight:bold",
    "h1": "margin:8px 0 16px;font-size:22px;line-height:1.5;text-align:center;font-weight:bold",
    "h2": "margin:18px 0 8px;font-size:17px;font-weight:bold",
    "h3": "margin:12px 0 6px;font-size:16px;font-weight:bold",
    "p": "margin:6px 0;text-indent:2em;text-align:justify",
    "missing": "margin:6px 0;padding:2px 8px;background:#fff3cd;color:#a15c00",
    "signature": "margin:0;text-align:right",
    "scroll": "max-width:100%;overflow-x:auto;-webkit-overflow-scrolling:touch;margin:8px 0 16px",
    "table": f"border-collapse:collapse;border:1px solid #000;font-family:{_TABLE_FONT};font-size:13px;"
    "line-height:1.4;margin:0",
    "cell": "border:1px solid #000;padding:4px 6px;vertical-align:middle;font-weight:normal",
}
# the widest tables need room for their labels: they scroll inside their box instead of squeezing
_MIN_WIDTH = {"table2": "100%", "table3": "640px", "table4": "640px"}


def _paste_cell(cell: TableCell, tag: str) -> str:
    align = "left" if cell.role == "label" and cell.rowspan == 1 else "center"
    style = f"{_S['cell']};text-align:{align}"
    text = cell.text
    title = ""
    if cell.role == "value":
        style += ";white-space:nowrap"
        if cell.missing:
            text = unknown_text()
            style += ";background:#fff3cd;color:#a15c00"
        if cell.conflict:
            style += ";background:#fde7e9;color:#b3261e;font-weight:bold"
            title = f' title="{escape(conflict_note(cell), quote=True)}"'
    return f'<{tag} style="{style}"{title}{_spans(cell)}>{escape(text)}</{tag}>'


def table_html_paste(table: Table) -> str:
    """One table with inline styles on every cell, ``<thead>`` for its header rows, in a scrolling box."""
    rows = table.rows()
    head = [r for r in range(table.n_rows) if r < table.header_rows]
    parts = [
        f'<div style="{_S["scroll"]}">',
        f'<table style="{_S["table"]};width:100%;min-width:{_MIN_WIDTH.get(table.id, "100%")}" '
        f'border="1" cellspacing="0" cellpadding="4">',
    ]
    if head:
        parts.append(
            "<thead>" + "".join("<tr>" + "".join(_paste_cell(c, "th") for c in rows[r]) + "</tr>" for r in head)
        )
        parts.append("</thead>")
    parts.append("<tbody>")
    for r in range(table.header_rows, table.n_rows):
        parts.append("<tr>" + "".join(_paste_cell(c, "th" if c.role == "caption" else "td") for c in rows[r]) + "</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def document_html_paste(doc: Document) -> str:
    """The 「粘贴到网站」 fragment: inline styles on every element, nothing a portal editor strips."""
    return _document(doc, lambda kind: f' style="{_S[kind]}"', table_html_paste)


def render_html(report: Report, *, highlight: set[str] | None = None) -> str:
    """The report as a self-contained, escaped HTML fragment (for previews)."""
    return document_html(build_document(report), highlight)


def render_html_paste(report: Report) -> str:
    """The 「粘贴到网站」 HTML fragment (inline styles only)."""
    return document_html_paste(build_document(report))


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_html_document(report: Report, *, highlight: set[str] | None = None) -> str:
    """A complete HTML page (for saving as a file)."""
    doc = build_document(report)
    return _page(doc.title, document_html(doc, highlight))


def render_html_paste_document(report: Report) -> str:
    """A complete page around the 「粘贴到网站」 fragment (open it, select all, copy, paste into the portal)."""
    doc = build_document(report)
    return _page(doc.title, document_html_paste(doc))
