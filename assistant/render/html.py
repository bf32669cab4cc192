"""HTML: a self-contained fragment (its own ``<style>``, no external CSS, fonts or scripts), every text escaped.

Tables use the rowspan/colspan of the published tables. Each value ``<td>`` carries ``data-cell="<cell key>"``;
an unknown value is shown as a highlighted "未填" (class ``cell-unknown``), 不适用 as "不适用" (class
``cell-na``); keys in ``highlight`` get class ``cell-flagged``; totals get class ``cell-derived``.
"""

from __future__ import annotations

import re
from html import escape

from ..facts import Report
from .tree import Document, Heading, Paragraph, Table, TableCell, build_document, unknown_text

CSS = """
.nb-report{font-family:"FangSong","FangSong_GB2312","仿宋_GB2312","仿宋","STFangsong","Songti SC","SimSun",serif;
 line-height:1.8;color:#111;max-width:60em}
.nb-report h1{font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","SimSun","宋体",serif;font-size:1.6em;
 text-align:center;font-weight:bold;margin:.6em 0 1em}
.nb-report h2{font-family:"SimHei","黑体","Heiti SC",sans-serif;font-size:1.2em;margin:1.2em 0 .5em}
.nb-report h3{font-family:"KaiTi","楷体_GB2312","楷体",serif;font-size:1.05em;margin:.8em 0 .3em}
.nb-report p{text-indent:2em;margin:.3em 0}
.nb-report p.section-missing{color:#a15c00;background:#fff3cd;text-indent:0;padding:.2em .5em}
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
"""


def _spans(cell: TableCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def _td(cell: TableCell, highlight: set[str]) -> str:
    if cell.role in ("caption", "header", "note"):
        return f'<th class="{cell.role}"{_spans(cell)}>{escape(cell.text)}</th>'
    if cell.role == "label":
        return f'<td class="lbl"{_spans(cell)}>{escape(cell.text)}</td>'
    classes = ["val"]
    text = escape(cell.text)
    if cell.missing:
        classes.append("cell-unknown")
        text = escape(unknown_text())
    elif cell.state == "not_applicable":
        classes.append("cell-na")
    if cell.derived:
        classes.append("cell-derived")
    if cell.key in highlight:
        classes.append("cell-flagged")
    key = escape(cell.key or "", quote=True)
    return f'<td class="{" ".join(classes)}" data-cell="{key}"{_spans(cell)}>{text}</td>'


def table_html(table: Table, highlight: set[str] | None = None) -> str:
    """One table with the published merges."""
    flagged = highlight or set()
    rows = []
    for r, cells in enumerate(table.rows()):
        tag = ' class="hdr"' if r < table.header_rows else ""
        rows.append(f"<tr{tag}>" + "".join(_td(c, flagged) for c in cells) + "</tr>")
    return f'<table class="nb-table nb-{table.id}" data-table="{table.id}"><tbody>' + "".join(rows) + "</tbody></table>"


_PLACEHOLDER = re.compile(r"【待补充[^】]*】")


def _mark_placeholders(escaped: str) -> str:
    """Every 【待补充…】 highlighted: it is a work item, not text to publish."""
    return _PLACEHOLDER.sub(lambda m: f'<mark class="todo">{m.group(0)}</mark>', escaped)


def document_html(doc: Document, highlight: set[str] | None = None) -> str:
    out = ['<div class="nb-report">', f"<style>{CSS}</style>", f"<h1>{escape(doc.title)}</h1>"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f'<h2 id="{block.section_id}">{escape(block.text)}</h2>')
        elif isinstance(block, Paragraph):
            if block.role == "subheading":
                out.append(f"<h3>{escape(block.text)}</h3>")
            elif block.role == "missing":
                out.append(f'<p class="section-missing">{escape(block.text)}</p>')
            else:
                out.append(f"<p>{_mark_placeholders(escape(block.text))}</p>")
        else:
            out.append(table_html(block, highlight))
    out.append("</div>")
    return "\n".join(out)


def render_html(report: Report, *, highlight: set[str] | None = None) -> str:
    """The report as a self-contained, escaped HTML fragment (for previews and pasting)."""
    return document_html(build_document(report), highlight)


def render_html_document(report: Report, *, highlight: set[str] | None = None) -> str:
    """A complete HTML page (for saving as a file)."""
    doc = build_document(report)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n</head>\n<body>\n{document_html(doc, highlight)}\n</body>\n</html>\n"
    )
