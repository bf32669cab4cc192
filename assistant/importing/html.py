"""Saved web pages: data tables become grids (rowspan/colspan expanded), everything else text lines."""

from __future__ import annotations

import re
import warnings

from ..errors import ImportFailed
from .classify import looks_like_data_grid, table_kind
from .document import Block, Document, GridCell
from .text import clean_markdown

_BLOCK_TAGS = (
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "header",
    "footer",
    "center",
    "form",
    "tbody",
    "thead",
    "caption",
)
_MAX_SPAN = 200
_MARK = "\ue000"
_DIGITS = re.compile(r"\d+")


def _span(value: object) -> int:
    m = _DIGITS.search(str(value or ""))
    n = int(m.group()) if m else 1
    return n if 1 <= n <= _MAX_SPAN else 1


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    return " ".join(cell.get_text(" ", strip=True).split())


def _take_carried(row: list[GridCell], col: int, carry: dict[int, tuple[int, GridCell]]) -> int:
    """Place cells spanning down from rows above at ``col`` onwards; return the next free column."""
    while col in carry:
        left, cell = carry[col]
        row.append(cell)
        if left <= 1:
            del carry[col]
        else:
            carry[col] = (left - 1, cell)
        col += 1
    return col


def expand_grid(table) -> list[list[GridCell]]:  # type: ignore[no-untyped-def]
    """The table's layout grid: a cell spanning several rows/columns appears at each position it covers."""
    grid: list[list[GridCell]] = []
    carry: dict[int, tuple[int, GridCell]] = {}  # column → (rows still covered, cell)
    ident = 0
    for tr in table.find_all("tr"):
        row: list[GridCell] = []
        col = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            col = _take_carried(row, col, carry)
            ident += 1
            cell = GridCell(_cell_text(td), ident)
            cs, rs = _span(td.get("colspan")), _span(td.get("rowspan"))
            for _ in range(cs):
                row.append(cell)
                if rs > 1:
                    carry[col] = (rs - 1, cell)
                col += 1
        while carry and col <= max(carry):
            if col in carry:
                col = _take_carried(row, col, carry)
            else:  # a hole left by a short row: keep the positions of the cells to its right
                ident += 1
                row.append(GridCell("", ident))
                col += 1
        grid.append(row)
    return grid


def read_html(html: str) -> Document:
    """Parse a saved page; leaf tables that look like the report's tables become grid blocks."""
    try:
        from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(html, "lxml")
    except Exception as e:  # noqa: BLE001 - any parser failure is a damaged file for the user
        raise ImportFailed(f"网页文件无法解析（{type(e).__name__}），请确认文件是保存的网页") from None
    for tag in soup(["script", "style", "noscript", "iframe", "svg"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.head:
        soup.head.decompose()
    grids: list[Block] = []
    for table in list(soup.find_all("table")):
        if table.find("table") is not None:
            continue  # layout table around other tables
        grid = expand_grid(table)
        texts = [[c.text for c in row] for row in grid]
        kind = table_kind(" ".join(c for r in texts for c in r))
        if kind is None or not looks_like_data_grid(texts):
            continue
        grids.append(Block("grid", rows=grid, where=f"第{len(grids) + 1}个表格"))
        table.replace_with(f"\n{_MARK}G{len(grids) - 1}{_MARK}\n")
    for img in soup.find_all("img"):
        img.replace_with(f"\n{_MARK}I{_MARK}\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    blocks: list[Block] = []
    if title:
        blocks.append(Block("text", title, where="网页标题"))
    for n, line in enumerate(text.split("\n"), 1):
        line = " ".join(line.split())
        if line.startswith(_MARK) and line.endswith(_MARK) and len(line) > 2:
            body = line.strip(_MARK)
            if body.startswith("G"):
                blocks.append(grids[int(body[1:])])
            else:
                blocks.append(Block("image", where=f"第{n}行"))
            continue
        if line:
            blocks.append(Block("text", clean_markdown(line), where=f"第{n}行"))  # Markdown with HTML tables
    return Document(blocks=blocks, source="html")
