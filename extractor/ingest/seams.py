"""A PDF table's grid as a reader sees it. Word and other writers export a shaded table cell as several filled
rectangles (one per printed line, plus padding strips), so pdfplumber's grid cuts one row of the table into a row
per line of its longest cell and adds narrow empty columns.

Rows: a grid line is visible when a rule is drawn along it, the fill changes across it, or it cuts across every
column; one that is none of these, with a fill running on across it, is a seam between rectangles of one colour,
and the cells on either side of it are one. Columns: a narrow column no word fits in, with no rule drawn down
it, is a cell's padding strip, given back to its cell. A row with no fill of its own (the white band between
shaded ones) is one cell across a mended table: when no column boundary is drawn anywhere and its words sit
apart at the other rows' column boundaries, it is cut there like the others.
"""
from __future__ import annotations

import bisect
from typing import Callable, Optional, Sequence

from extractor.ingest.geometry import column_of, grid_lines, printed_lines, set_in_columns, within
from extractor.model import Word

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
HRule = tuple[float, float, float]  # x0, y, x1: a horizontal rule drawn on the page
VRule = tuple[float, float, float]  # top, x, bottom: a vertical rule

RULE_TOL = 1.5  # a rule within this many points of a grid line is drawn along it
RULE_SHARE = 0.25  # rules covering this share of the table's width make its grid line visible
FILL_SHARE = 0.6  # a mended cell takes its pieces' one colour when they cover this share of it
PADDING_WIDTH = 8.0  # a column this narrow (points) with no word in it is a cell's padding strip
PROBE = (1.0, 2.5)  # the fill is read this far (points) above and below a grid line


def drawn_rules(lines: Sequence[dict], rects: Sequence[dict]) -> tuple[list[HRule], list[VRule]]:
    """The page's drawn rules, horizontal and vertical: lines, thin rectangles (filled or stroked) and stroked
    boxes' edges."""
    across: list[HRule] = []
    down: list[VRule] = []
    for ln in lines:
        x0, top, x1, bottom = float(ln["x0"]), float(ln["top"]), float(ln["x1"]), float(ln["bottom"])
        if bottom - top < 1.0:
            across.append((x0, top, x1))
        elif x1 - x0 < 1.0:
            down.append((top, x0, bottom))
    for r in rects:
        x0, top, x1, bottom = float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])
        if bottom - top <= 2.0:
            across.append((x0, (top + bottom) / 2, x1))
        elif x1 - x0 <= 2.0:
            down.append((top, (x0 + x1) / 2, bottom))
        elif r.get("stroke"):
            across.extend([(x0, top, x1), (x0, bottom, x1)])
            down.extend([(top, x0, bottom), (top, x1, bottom)])
    return across, down


def as_seen(cells: list[Box], ys: list[float], fill_at: Callable[[Box], str],
            rules: tuple[Sequence[HRule], Sequence[VRule]], words: Callable[[Box], list[Word]]) -> list[Box]:
    """A found table's cells as a reader sees the grid: invisible row seams mended, padding strips given back to
    their cells, and (in a mended table) unshaded rows cut at undrawn columns; `cells` itself when nothing
    changes."""
    across, down = rules
    mended = mend_row_seams(cells, ys, fill_at, across)
    unpadded = drop_padding_columns(cells if mended is None else mended, words, down)
    return unpadded if mended is None else split_undrawn_columns(unpadded, words, down)


def mend_row_seams(cells: list[Box], ys: list[float], fill_at: Callable[[Box], str],
                   rules: Sequence[HRule], tol: float = 2.0) -> Optional[list[Box]]:
    """The cells with every invisible row boundary removed: each cell is stretched to the visible boundaries
    around it and cells that then overlap become one. None when every boundary is visible."""
    if len(ys) < 3:
        return None
    spanned = _spanned_lines(cells, ys, tol)
    if not spanned:
        return None  # every grid line cuts across every column: a plain grid (most tables), nothing to mend
    x0, x1 = min(c[0] for c in cells), max(c[2] for c in cells)
    centres = sorted({round((c[0] + c[2]) / 2, 1) for c in cells})
    visible = [ys[0]] + [y for k, y in enumerate(ys[1:-1], 1) if k not in spanned or _ruled(y, x0, x1, rules)
                         or _fill_changes(y, centres, fill_at) or not _shaded_across(y, centres, fill_at)]
    visible.append(ys[-1])
    if len(visible) == len(ys):
        return None
    return _union_overlapping([(c[0], _at_or_above(visible, c[1] + tol), c[2], _at_or_below(visible, c[3] - tol))
                               for c in cells])


class Pieces:
    """The original cells of a mended grid with their fills, ordered by top (a cell looks only at the pieces
    that start within its own height)."""

    def __init__(self, pieces: Sequence[tuple[Box, str]]):
        self.pieces = sorted(pieces, key=lambda p: p[0][1])
        self.tops = [p[0][1] for p in self.pieces]

    def __bool__(self) -> bool:
        return bool(self.pieces)

    def within(self, box: Box) -> list[tuple[Box, str]]:
        lo = bisect.bisect_left(self.tops, box[1] - 0.5)
        hi = bisect.bisect_right(self.tops, box[3] + 0.5)
        return [(p, colour) for p, colour in self.pieces[lo:hi] if within(p, box, 0.5)]


def pieces_fill(box: Box, pieces: Pieces) -> str:
    """The fill of a mended cell: the one colour of the original pieces inside it, when they cover most of it."""
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-6)
    inside = pieces.within(box)
    colours = {colour for _, colour in inside}
    covered = sum((p[2] - p[0]) * (p[3] - p[1]) for p, _ in inside)
    return colours.pop() if len(colours) == 1 and covered >= FILL_SHARE * area else ""


def drop_padding_columns(cells: list[Box], words: Callable[[Box], list[Word]],
                         down: Sequence[VRule]) -> list[Box]:
    """The grid without the cell-padding strips a writer shades apart from the cell's text: narrow columns no
    word fits in, in any row. Two strips side by side are the right padding of one cell and the left padding of
    the next, so the line between them stays (or the drawn one, where one is); a lone strip joins the column beside it
    across the line not drawn (the wider one when neither is). A drawn line always stays."""
    xs = grid_lines([c[0] for c in cells] + [c[2] for c in cells])
    top, bottom = min(c[1] for c in cells), max(c[3] for c in cells)
    # (a word fully inside: a title across the table may have a word centred over a strip)
    strip = [b - a <= PADDING_WIDTH and not any(w.x0 >= a - 1.0 and w.x1 <= b + 1.0
                                                for w in words((a, top, b, bottom)))
             for a, b in zip(xs, xs[1:])]
    drawn = [drawn_down(x, top, bottom, down) for x in xs]
    drop: set[int] = set()  # indices into xs of the lines removed
    k = 0
    while k < len(strip):
        if not strip[k]:
            k += 1
            continue
        end = k
        while end + 1 < len(strip) and strip[end + 1]:
            end += 1
        if end > k:  # a run of strips: keep its drawn lines, or its middle line when none is drawn
            run = [i for i in range(k, end + 2) if 0 < i < len(xs) - 1]
            keep = {i for i in run if drawn[i]} or {k + 1 + (end - k) // 2}
            drop.update(i for i in run if i not in keep)
        else:  # one strip: it joins the column across its undrawn line (the wider neighbour when both are)
            left = xs[k] - xs[k - 1] if k > 0 and not drawn[k] else -1.0
            right = xs[k + 2] - xs[k + 1] if k + 2 < len(xs) and not drawn[k + 1] else -1.0
            if max(left, right) > 0:
                drop.add(k if left >= right else k + 1)
        k = end + 1
    drop = {i for i in drop if not drawn[i]}
    if not drop:
        return cells
    kept = [x for i, x in enumerate(xs) if i not in drop]
    snapped = [(_at_or_above(kept, c[0] + 2.0), c[1], _at_or_below(kept, c[2] - 2.0), c[3]) for c in cells]
    return _union_overlapping(snapped)


def split_undrawn_columns(cells: list[Box], words: Callable[[Box], list[Word]],
                          down: Sequence[VRule]) -> list[Box]:
    """Cells that span several of the table's columns, cut at those columns where the cell's words sit apart,
    in a table none of whose inner column boundaries is drawn."""
    xs = grid_lines([c[0] for c in cells] + [c[2] for c in cells])
    top, bottom = min(c[1] for c in cells), max(c[3] for c in cells)
    inner = xs[1:-1]
    if not inner or any(drawn_down(x, top, bottom, down) for x in inner):
        return cells
    out: list[Box] = []
    for cell in cells:
        cuts = [x for x in inner if cell[0] + 2.0 < x < cell[2] - 2.0]
        if len(cuts) >= 2 and _sits_apart(words(cell), cuts):
            edges = [cell[0]] + cuts + [cell[2]]
            out.extend((a, cell[1], b, cell[3]) for a, b in zip(edges, edges[1:]))
        else:
            out.append(cell)
    return out


def _sits_apart(words: list[Word], cuts: list[float]) -> bool:
    """The words fall into at least two of the column bands the cuts make, none straddles a cut, and words of
    one printed line in different bands are at least an em apart (text set in columns, not a phrase across)."""
    if not set_in_columns(words, cuts):
        return False
    return not any(column_of(a, cuts) != column_of(b, cuts) and b.x0 - a.x1 < max(a.size, b.size, 5.0)
                   for line in printed_lines(words) for a, b in zip(line, line[1:]))


def drawn_down(x: float, top: float, bottom: float, down: Sequence[VRule]) -> bool:
    covered = sum(max(0.0, min(r[2], bottom) - max(r[0], top)) for r in down if abs(r[1] - x) <= RULE_TOL)
    return covered >= RULE_SHARE * (bottom - top)


def _spanned_lines(cells: list[Box], ys: list[float], tol: float) -> set[int]:
    """The inner grid lines (indices into ys) some cell runs across: no row boundary in that column (a line cut
    across every column, as rows of unfilled or white boxes give, is a row boundary even where nothing is drawn)."""
    out: set[int] = set()
    for c in cells:
        out.update(range(bisect.bisect_right(ys, c[1] + tol), bisect.bisect_left(ys, c[3] - tol)))
    out.discard(0)
    out.discard(len(ys) - 1)
    return out


def _ruled(y: float, x0: float, x1: float, rules: Sequence[HRule]) -> bool:
    covered = 0.0
    for rx0, ry, rx1 in rules:
        if abs(ry - y) <= RULE_TOL:
            covered += max(0.0, min(rx1, x1) - max(rx0, x0))
    return covered >= RULE_SHARE * (x1 - x0)


def _fill_changes(y: float, centres: Sequence[float], fill_at: Callable[[Box], str]) -> bool:
    near, far = PROBE
    return any(fill_at((x - 0.5, y - far, x + 0.5, y - near)) != fill_at((x - 0.5, y + near, x + 0.5, y + far))
               for x in centres)


def _shaded_across(y: float, centres: Sequence[float], fill_at: Callable[[Box], str]) -> bool:
    """One fill runs on across the grid line somewhere: a seam between two shading pieces (a line where no
    shading is, on either side, came from something else: boxes drawn in white, or text pdfplumber cut)."""
    near, far = PROBE
    return any(fill_at((x - 0.5, y - far, x + 0.5, y - near)) != "" for x in centres)


def _at_or_above(visible: list[float], y: float) -> float:
    return max((v for v in visible if v <= y), default=visible[0])


def _at_or_below(visible: list[float], y: float) -> float:
    return min((v for v in visible if v >= y), default=visible[-1])


def _union_overlapping(boxes: list[Box]) -> list[Box]:
    """Boxes that overlap (by area, not by touching) replaced by their union, until none overlap."""
    out = sorted(set(boxes), key=lambda b: (b[1], b[0]))
    while True:
        parent = list(range(len(out)))
        for i, a in enumerate(out):
            for j in range(i + 1, len(out)):
                b = out[j]
                if b[1] >= a[3] - 0.5:
                    break  # sorted by top: nothing later reaches up into a
                if min(a[2], b[2]) - max(a[0], b[0]) > 0.5:
                    parent[_root(parent, j)] = _root(parent, i)
        groups: dict[int, list[Box]] = {}
        for i, b in enumerate(out):
            groups.setdefault(_root(parent, i), []).append(b)
        if len(groups) == len(out):
            return out
        out = sorted((min(b[0] for b in g), min(b[1] for b in g), max(b[2] for b in g), max(b[3] for b in g))
                     for g in groups.values())
        out.sort(key=lambda b: (b[1], b[0]))


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
