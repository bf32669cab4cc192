"""The neutral shape every reader produces: a document as an ordered list of text lines, grids and images."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GridCell:
    """One cell of a table grid; ``ident`` is shared by the positions a merged cell covers."""

    text: str
    ident: int


@dataclass
class Block:
    """A paragraph/line of text, a table grid (rows of cells, merges expanded) or an image."""

    kind: str  # "text" | "grid" | "image"
    text: str = ""
    rows: list[list[GridCell]] = field(default_factory=list)
    where: str = ""  # for messages: "第3个表格"

    def grid_text(self) -> str:
        seen: set[int] = set()
        parts: list[str] = []
        for row in self.rows:
            for cell in row:
                if cell.ident not in seen:
                    seen.add(cell.ident)
                    parts.append(cell.text)
        return " ".join(parts)


@dataclass
class Document:
    blocks: list[Block]
    source: str  # "text" | "html" | "docx"
    notes: list[str] = field(default_factory=list)  # reader remarks (Chinese), passed on as warnings

    def all_text(self) -> str:
        return "\n".join(b.text if b.kind == "text" else b.grid_text() for b in self.blocks)
