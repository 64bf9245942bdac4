"""Tables that run over pages: join segments, drop repeated headers, rejoin rows a page break split."""
from __future__ import annotations

from dataclasses import dataclass, field

from extractor.model import Block, Row, Table
from extractor.settings import current
from extractor.tables.detect import ActionTable, find_header, header_signature, is_header_repeat


@dataclass
class Segmented:
    """A stitched action table plus the row index where each continuation segment starts."""
    action: ActionTable
    segment_starts: set[int] = field(default_factory=set)  # indexes into action.table.rows
    heading: str = ""  # nearest heading before the table


def stitch(items: list) -> list[Segmented]:
    """Walk items in reading order; return action tables with their continuations merged in."""
    out: list[Segmented] = []
    last: Segmented | None = None
    last_heading = ""
    blocks_since = 0
    for item in items:
        if isinstance(item, Block):
            if item.kind == "heading":
                last_heading = item.text
            blocks_since += 1
            continue
        if not isinstance(item, Table):
            continue
        if last is not None and blocks_since == 0 and _continues(last.action, item):
            _append(last, item)
            continue
        found = find_header(item)
        if found is None:
            last = None
        else:
            hmap, n = found
            last = Segmented(ActionTable(item, hmap, n), heading=last_heading)
            out.append(last)
        blocks_since = 0
    return out


def _continues(prev: ActionTable, table: Table) -> bool:
    """A table continues the previous action table when nothing stands between them and it either repeats
    the header or has no header of its own and the same columns. With page geometry (PDF) it must start
    on the next page; without (DOCX page numbers are estimates) adjacency is enough."""
    if table.bbox is not None and prev.table.bbox is not None and table.page_first != prev.table.page_last + 1:
        return False
    if table.rows and is_header_repeat(table.rows[0], prev.signature):
        return True
    found = find_header(table)
    if found is not None:
        return header_signature(found[0].texts) == prev.signature
    return table.n_cols == prev.table.n_cols and _columns_align(prev.table, table)


def _columns_align(a: Table, b: Table) -> bool:
    if not (a.bbox and b.bbox):
        return True  # no geometry (DOCX): same column count is all we can check
    tol = current().tables.column_tolerance
    return abs(a.bbox[0] - b.bbox[0]) <= tol and abs(a.bbox[2] - b.bbox[2]) <= tol


def _append(seg: Segmented, table: Table) -> None:
    rows = list(table.rows)
    while rows and (rows[0].is_header or is_header_repeat(rows[0], seg.action.signature)):
        rows.pop(0)
    target = seg.action.table
    start = len(target.rows)
    for row in rows:
        row.index = len(target.rows)
        target.rows.append(row)
    if rows:
        seg.segment_starts.add(start)
    target.page_last = max(target.page_last, table.page_last)
    table.continues = True


def merge_split_row(prev: Row, cont: Row) -> None:
    """Append a continuation row's cell texts to the row a page break split."""
    for cell in cont.cells:
        if cell.covered or not cell.text.strip():
            continue
        target = prev.cell_at(cell.col)
        if target is None or target.covered:
            continue
        target.text = f"{target.text}\n{cell.text}" if target.text else cell.text
        target.paragraphs = target.paragraphs + cell.paragraphs
        if not target.fill:
            target.fill = cell.fill
