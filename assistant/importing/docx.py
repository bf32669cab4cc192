"""Word .docx files: paragraphs in order, data tables as grids (merged cells appear at every position they
cover but count once), layout tables read as paragraphs."""

from __future__ import annotations

import io
import zipfile

from ..errors import ImportFailed
from .classify import looks_like_data_grid, table_kind
from .document import Block, Document, GridCell
from .limits import check_docx

MAX_UNZIPPED_BYTES = 300 * 1024 * 1024


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _para_text(p) -> str:  # type: ignore[no-untyped-def]
    from docx.text.paragraph import Paragraph

    return str(Paragraph(p, None).text)


def _cells_of(tr):  # type: ignore[no-untyped-def]
    return tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc")


def _tc_props(tc) -> tuple[int, str | None]:  # type: ignore[no-untyped-def]
    span, vmerge = 1, None
    tcpr = tc.find(_qn("w:tcPr"))
    if tcpr is not None:
        gs = tcpr.find(_qn("w:gridSpan"))
        if gs is not None:
            try:
                span = max(1, min(200, int(gs.get(_qn("w:val")))))
            except (TypeError, ValueError):
                span = 1
        vm = tcpr.find(_qn("w:vMerge"))
        if vm is not None:
            vmerge = vm.get(_qn("w:val")) or "continue"
    return span, vmerge


def _grid(tbl) -> list[list[GridCell]]:  # type: ignore[no-untyped-def]
    rows: list[list[GridCell]] = []
    above: dict[int, GridCell] = {}
    ident = 0
    for tr in tbl.iterchildren(_qn("w:tr")):
        row: list[GridCell] = []
        col = 0
        trpr = tr.find(_qn("w:trPr"))
        if trpr is not None:
            gb = trpr.find(_qn("w:gridBefore"))
            if gb is not None:
                try:
                    for _ in range(min(50, int(gb.get(_qn("w:val"))))):
                        row.append(GridCell("", -1 - col))
                        col += 1
                except (TypeError, ValueError):
                    pass
        for tc in _cells_of(tr):
            span, vmerge = _tc_props(tc)
            if vmerge == "continue" and col in above:
                cell = above[col]
            else:
                text = " ".join(_para_text(p) for p in tc.iter(_qn("w:p")))
                ident += 1
                cell = GridCell(" ".join(text.split()), ident)
            for _ in range(span):
                row.append(cell)
                above[col] = cell
                col += 1
        rows.append(row)
    return rows


def _has_nested_table(tbl) -> bool:  # type: ignore[no-untyped-def]
    return any(True for _ in tbl.iterdescendants(_qn("w:tbl")))


def _walk(element, blocks: list[Block], counter: list[int]) -> None:  # type: ignore[no-untyped-def]
    for child in element.iterchildren():
        tag = child.tag
        if tag == _qn("w:p"):
            text = _para_text(child)
            for line in text.split("\n"):
                blocks.append(Block("text", line, where=f"第{counter[0]}段"))
            counter[0] += 1
            if child.xpath(".//w:drawing | .//w:pict") and not text.strip():
                blocks.append(Block("image", where=f"第{counter[0]}段"))
        elif tag == _qn("w:tbl"):
            if _has_nested_table(child):
                for tr in child.iterchildren(_qn("w:tr")):
                    for tc in _cells_of(tr):
                        _walk(tc, blocks, counter)
                continue
            grid = _grid(child)
            texts = [[c.text for c in row] for row in grid]
            kind = table_kind(" ".join(c for r in texts for c in r))
            if kind is not None and looks_like_data_grid(texts):
                counter[1] += 1
                blocks.append(Block("grid", rows=grid, where=f"第{counter[1]}个表格"))
            else:
                for tr in child.iterchildren(_qn("w:tr")):
                    for tc in _cells_of(tr):
                        _walk(tc, blocks, counter)
        elif tag in (_qn("w:sdt"), _qn("w:sdtContent"), _qn("w:customXml"), _qn("w:smartTag")):
            _walk(child, blocks, counter)


def read_docx(data: bytes) -> Document:
    """Read a .docx (already known to be a zip with word/document.xml)."""
    check_docx(data)  # bounded before python-docx inflates and parses every part
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED_BYTES:
                raise ImportFailed("Word文件解压后过大，可能已损坏，无法导入")
        import docx

        document = docx.Document(io.BytesIO(data))
    except ImportFailed:
        raise
    except Exception as e:  # noqa: BLE001 - python-docx raises many types for damaged files
        raise ImportFailed(
            f"Word文件已损坏或不是有效的.docx文件（{type(e).__name__}），请在Word或WPS中另存为.docx后重试"
        ) from None
    blocks: list[Block] = []
    _walk(document.element.body, blocks, [1, 0])
    return Document(blocks=blocks, source="docx")
