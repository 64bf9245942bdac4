"""A table's logical columns. Ruled PDF tables (and Word tables with a fussy grid) often have grid columns that
only one or two rows use: a vertical rule a few points off in a shaded spacer row, a header cell split in two.
Then every real column spans two grid columns in some rows and one in others, and the same table on the next
page has another grid. Here a grid boundary is kept only when enough rows put a cell edge on it; cells are
re-indexed on the kept boundaries (texts of cells that fall into one logical cell are joined)."""
from __future__ import annotations

from extractor.model import Cell, Row, Table

MIN_SHARE = 0.4  # share of the multi-cell rows that must put a cell edge on a boundary for it to stay


def logical_columns(table: Table) -> Table:
    """The table re-indexed on its logical columns (the same object when nothing changes)."""
    # rows with text in two cells or more vote; empty spacer rows (often split finer) do not
    voters = [r for r in table.rows if sum(1 for c in r.cells if not c.covered and c.text.strip()) >= 2]
    if table.n_cols <= 2 or len(voters) < 2:
        return table
    votes = [0] * (table.n_cols + 1)
    for row in voters:
        for c in row.cells:  # a covered placeholder of a vertical merge marks a column start too
            votes[c.col] += 1
    keep = [k for k in range(1, table.n_cols) if votes[k] >= MIN_SHARE * len(voters)]
    if len(keep) == table.n_cols - 1:
        return table
    bounds = [0] + keep + [table.n_cols]
    new_rows = [_remap_row(row, bounds) for row in table.rows]
    return Table(rows=new_rows, n_cols=len(bounds) - 1, page_first=table.page_first, page_last=table.page_last,
                 index=table.index, bbox=table.bbox, ruled=table.ruled, continues=table.continues)


def _logical(bounds: list[int], col: int) -> int:
    k = 0
    while k + 1 < len(bounds) - 1 and bounds[k + 1] <= col:
        k += 1
    return k


def _remap_row(row: Row, bounds: list[int]) -> Row:
    merged: dict[int, Cell] = {}
    for c in row.cells:
        # a cell belongs to the logical column under its middle (its left edge may be off the kept boundaries)
        start = _logical(bounds, c.col + (c.colspan - 1) // 2) if c.colspan > 1 else _logical(bounds, c.col)
        end = max(start, _logical(bounds, c.col + c.colspan - 1))
        if c.colspan > 1 and _logical(bounds, c.col) != start and bounds[_logical(bounds, c.col)] == c.col:
            start = _logical(bounds, c.col)  # it starts exactly on a kept boundary: keep that column
        if start in merged:
            target = merged[start]
            if c.text and not c.covered:
                target.text = f"{target.text} {c.text}".strip() if target.text else c.text
                target.paragraphs = target.paragraphs + c.paragraphs
                target.covered = False
            target.colspan = max(target.colspan, end - start + 1)
            target.fill = target.fill or c.fill
            continue
        merged[start] = Cell(text=c.text, col=start, colspan=end - start + 1, rowspan=c.rowspan, fill=c.fill,
                             bbox=c.bbox, page=c.page, paragraphs=list(c.paragraphs), covered=c.covered)
    return Row(cells=[merged[k] for k in sorted(merged)], page=row.page, index=row.index, is_header=row.is_header,
               bbox=row.bbox)
