"""Tiny builders for layout-model objects used by the stage tests."""
from __future__ import annotations

from extractor.model import Block, Cell, Row, Table


def row(texts: list, page: int = 1, is_header: bool = False, spans: dict | None = None,
        covered: set | None = None, fills: dict | None = None) -> Row:
    """texts: one entry per grid column (None for a column covered by a span to the left)."""
    spans, covered, fills = spans or {}, covered or set(), fills or {}
    cells = []
    for col, t in enumerate(texts):
        if t is None:
            continue
        if col in covered:
            cells.append(Cell(text="", col=col, page=page, covered=True))
        else:
            cells.append(Cell(text=t, col=col, colspan=spans.get(col, 1), page=page, fill=fills.get(col, ""),
                              paragraphs=[p for p in t.split("\n") if p]))
    return Row(cells=cells, page=page, is_header=is_header)


def table(rows: list[Row], page: int = 1, index: int = 0, bbox=(50.0, 100.0, 790.0, 500.0)) -> Table:
    n_cols = max(c.col + c.colspan for r in rows for c in r.cells)
    for i, r in enumerate(rows):
        r.index = i
    return Table(rows=rows, n_cols=n_cols, page_first=page, page_last=page, index=index, bbox=bbox)


def heading(text: str, page: int = 1) -> Block:
    return Block(kind="heading", text=text, page=page, level=1)
