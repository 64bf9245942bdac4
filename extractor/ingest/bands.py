"""Banded tables with no rules: every other row shaded, nothing drawn between. pdfplumber finds each shaded band
as a table of its own (the fill's edges are its only lines) and the unshaded rows between them belong to none.
Bands one above the other with the same columns are one table, and the text between two of them, set in those
columns, is the row the eye sees there: its cells are cut at the bands' column boundaries. So is the text right
under the last band or right above the first, up to the first gap wider than a row's line spacing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from extractor.ingest.geometry import grid_lines, set_in_columns
from extractor.ingest.seams import VRule, drawn_down
from extractor.model import Word

Box = tuple[float, float, float, float]

EDGE_TOL = 2.0  # column boundaries of two bands within this many points are the same
MAX_GAP = 200.0  # an unshaded row taller than this (points) is not one row of the table
LINE_GAP = 0.8  # a vertical gap wider than this many line heights under a table ends its trailing row


@dataclass
class Found:
    """A table as pdfplumber's finder gives it, as far as ruled_table reads it."""
    cells: list[Box]
    bbox: Box


def join_bands(found: Sequence, words: Sequence[Word], down: Sequence[VRule]) -> list:
    """The page's found tables with banded ones joined: consecutive tables with the same column boundaries, none
    drawn (`down`: the page's vertical rules), where the text between them is set in those columns, become one
    table with a row for the text between."""
    order = sorted(found, key=lambda t: float(t.bbox[1]))
    out: list = []
    for table in order:
        prev = out[-1] if out else None
        gap = _gap_row(prev, table, words, down) if prev is not None else None
        if gap is None:
            out.append(table)
            continue
        cells = [tuple(map(float, c)) for c in prev.cells] + gap + [tuple(map(float, c)) for c in table.cells]
        box = tuple(map(float, prev.bbox))
        out[-1] = Found(cells, (box[0], box[1], max(box[2], float(table.bbox[2])), float(table.bbox[3])))
    if len(out) == len(order):
        return list(found)
    return [_with_edge_rows(t, words) if isinstance(t, Found) else t for t in out]


def _with_edge_rows(table: Found, words: Sequence[Word]) -> Found:
    """A joined banded table with the unshaded rows right under its last band and right above its first (nothing
    closes them: no rule, no band), when their text is set in the table's columns."""
    xs = _columns(table)
    x0, top, x1, bottom = table.bbox
    cells = list(table.cells)
    inside = [w for w in words if xs[0] - EDGE_TOL <= w.x0 and w.x1 <= xs[-1] + EDGE_TOL]
    under = _row_words(sorted((w for w in inside if (w.top + w.bottom) / 2 > bottom), key=lambda w: w.top),
                       bottom, down=True)
    if set_in_columns(under, xs[1:-1]):
        end = max(w.bottom for w in under) + 2.0
        cells += [(a, bottom, b, end) for a, b in zip(xs, xs[1:])]
        bottom = end
    over = _row_words(sorted((w for w in inside if (w.top + w.bottom) / 2 < top), key=lambda w: -w.bottom),
                      top, down=False)
    if set_in_columns(over, xs[1:-1]):
        start = min(w.top for w in over) - 2.0
        cells += [(a, start, b, top) for a, b in zip(xs, xs[1:])]
        top = start
    return Found(cells, (x0, top, x1, bottom)) if len(cells) > len(table.cells) else table


def _row_words(ordered: list[Word], edge: float, down: bool) -> list[Word]:
    """The words of the row against the table's edge: line after line away from it, until a gap wider than the
    lines of one row leave."""
    out: list[Word] = []
    reach = edge
    for w in ordered:
        gap = w.top - reach if down else reach - w.bottom
        if gap > LINE_GAP * max(w.bottom - w.top, 1.0):
            break
        out.append(w)
        reach = max(reach, w.bottom) if down else min(reach, w.top)
    return out if out and abs(reach - edge) <= MAX_GAP else []


def _gap_row(upper, lower, words: Sequence[Word], down: Sequence[VRule]) -> list[Box] | None:
    """The cells of the unshaded row between two bands, or None when they are not two bands of one table."""
    xs_up, xs_low = _columns(upper), _columns(lower)
    if len(xs_up) < 3 or len(xs_up) != len(xs_low) or any(abs(a - b) > EDGE_TOL for a, b in zip(xs_up, xs_low)):
        return None
    span = (float(upper.bbox[1]), float(lower.bbox[3]))
    if any(drawn_down(x, span[0], span[1], down) for x in xs_up[1:-1]):
        return None  # ruled columns: two separate ruled tables, not bands
    top, bottom = float(upper.bbox[3]), float(lower.bbox[1])
    if not 0.0 <= bottom - top <= MAX_GAP:
        return None
    between = [w for w in words if top <= (w.top + w.bottom) / 2 <= bottom]
    if not between or any(not xs_up[0] - EDGE_TOL <= (w.x0 + w.x1) / 2 <= xs_up[-1] + EDGE_TOL for w in between):
        return None  # nothing between, or text beside the table: not a row of it
    if not set_in_columns(between, xs_up[1:-1]):
        return None  # a heading or running text between two tables, not a row
    return [(a, top, b, bottom) for a, b in zip(xs_up, xs_up[1:])]


def _columns(table) -> list[float]:
    """The column boundaries every row of a found table shares (a band is one row: all its cell edges)."""
    return grid_lines((float(x) for c in table.cells for x in (c[0], c[2])), EDGE_TOL)
