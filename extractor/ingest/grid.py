"""Ruled tables of a PDF page: pdfplumber's cells -> a grid of Cells (spans, texts, paragraphs, fills), and
words -> lines. Format-free: it works on the cells and words ingest/pdf.py hands it (and on OCR'd words).

Designed PDFs (desktop-publishing exports) draw thousands of filled rectangles per page and tables of hundreds
of cells: every cell looks only at the rectangles and the words near it, never at all of the page's.
"""
from __future__ import annotations

import bisect
import math
from typing import Optional, Sequence

from extractor.ingest.geometry import grid_lines, printed_lines
from extractor.ingest.seams import HRule, Pieces, VRule, as_seen, pieces_fill
from extractor.ingest.text import BULLET_RE, clean_paragraph, join_lines
from extractor.model import Cell, Line, Row, Table, Word

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
Fill = tuple[Box, str]  # a filled rectangle and its colour ('RRGGBB')

FILL_COVER = 0.6  # a cell takes the colour of the smallest filled rectangle covering this share of it
MAX_BINS = 32  # a table's fill index cuts its box into at most MAX_BINS x MAX_BINS bins


class PageWords:
    """A page's words, with their centres ordered top to bottom once for all the page's tables: a table looks only
    at the words in its own height."""

    def __init__(self, words: list[Word]):
        self.words = words
        self.centres: list[tuple[float, float]] = []
        self._order: list[int] = []
        self._cys: list[float] = []

    def between(self, top: float, bottom: float) -> list[int]:
        """Indices of the words whose vertical centre lies in [top, bottom] (top to bottom)."""
        if not self.centres and self.words:  # made for the page's first table (most pages have none)
            centres = self.centres = [((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2) for w in self.words]
            # (a centre that is not a number is in no cell: left out, it cannot upset the order)
            self._order = sorted((i for i, (_, cy) in enumerate(centres) if cy == cy), key=lambda i: centres[i][1])
            self._cys = [centres[i][1] for i in self._order]
        return self._order[bisect.bisect_left(self._cys, top):bisect.bisect_right(self._cys, bottom)]

    def inside(self, box: Box) -> list[Word]:
        """The words whose centre lies in the box."""
        return [self.words[i] for i in self.between(box[1], box[3]) if box[0] <= self.centres[i][0] <= box[2]]


def ruled_table(found, page_words: PageWords, fills: Sequence[Fill], page_no: int,
                rules: Optional[tuple[Sequence[HRule], Sequence[VRule]]] = None) -> Optional[Table]:
    """pdfplumber's table (`found`: its .cells and .bbox) -> a grid with spans, texts from the words inside each
    cell, and each cell's fill (`fills`: smallest first). With the page's horizontal `rules`, row boundaries
    that are neither drawn nor a change of fill are mended away (seams.py)."""
    cells = [tuple(map(float, c)) for c in found.cells]
    if not cells:
        return None
    ys = grid_lines([c[1] for c in cells] + [c[3] for c in cells])
    fill_of = FillIndex(fills, (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells),
                                max(c[3] for c in cells)))
    pieces = Pieces([])
    seen = as_seen(cells, ys, fill_of, rules, page_words.inside) if rules is not None else cells
    if seen is not cells:
        pieces, cells = Pieces([(c, fill_of(c)) for c in cells]), seen
        ys = grid_lines([c[1] for c in cells] + [c[3] for c in cells])
    xs = grid_lines([c[0] for c in cells] + [c[2] for c in cells])
    n_cols, n_rows = len(xs) - 1, len(ys) - 1
    if n_cols < 1 or n_rows < 1:
        return None
    grid: list[list[Optional[Cell]]] = [[None] * n_cols for _ in range(n_rows)]
    words = page_words.words
    by_cell = _words_by_cell(page_words, xs, ys)  # each cell looks only at the words of the grid cells it spans
    centres = page_words.centres
    for bbox in cells:
        c0, c1 = _index(xs, bbox[0]), _index(xs, bbox[2])
        r0, r1 = _index(ys, bbox[1]), _index(ys, bbox[3])
        if c1 <= c0 or r1 <= r0:
            continue
        candidates = sorted({i for r in range(r0, r1) for c in range(c0, c1) for i in by_cell.get((r, c), ())})
        x0, top, x1, bottom = bbox
        inside = [words[i] for i in candidates  # the words whose centre is in the cell, in page order
                  if x0 <= centres[i][0] <= x1 and top <= centres[i][1] <= bottom]
        lines = words_to_lines(inside, page_no)
        paragraphs = _cell_paragraphs(lines)
        cell = Cell(text="\n".join(paragraphs), col=c0, colspan=c1 - c0, rowspan=r1 - r0,
                    fill=pieces_fill(bbox, pieces) if pieces else fill_of(bbox), bbox=bbox, page=page_no,
                    paragraphs=paragraphs, lines=[line.text for line in lines])
        grid[r0][c0] = cell
        for r in range(r0 + 1, r1):
            grid[r][c0] = Cell(text="", col=c0, colspan=c1 - c0, page=page_no, covered=True)
    rows = []
    for r in range(n_rows):
        row_cells = [c for c in grid[r] if c is not None]
        if not row_cells:
            continue
        rows.append(Row(cells=row_cells, page=page_no, index=len(rows),
                        bbox=(xs[0], ys[r], xs[-1], ys[r + 1])))
    if not rows:
        return None
    return Table(rows=rows, n_cols=n_cols, page_first=page_no, page_last=page_no,
                 bbox=tuple(map(float, found.bbox)), ruled=True)


def _words_by_cell(page_words: PageWords, xs: list[float], ys: list[float],
                   margin: float = 3.0) -> dict[tuple[int, int], list[int]]:
    """Indices of words bucketed by the grid cells (row, column) their centre falls in, with a margin (cell edges
    sit up to grid_lines' tolerance away from the merged grid lines): each cell then tests only the words of the
    grid cells it spans, not every word of its rows (or of the page)."""
    buckets: dict[tuple[int, int], list[int]] = {}
    last_row, last_col = len(ys) - 2, len(xs) - 2
    left, right = xs[0] - margin, xs[-1] + margin
    near = page_words.between(ys[0] - margin, ys[-1] + margin)  # outside the grid's height: in no cell
    centres = page_words.centres
    for i in near:
        cx, cy = centres[i]
        if not left <= cx <= right:  # outside its width: in no cell either
            continue
        r_first = max(0, bisect.bisect_right(ys, cy - margin) - 1)
        r_last = min(last_row, bisect.bisect_right(ys, cy + margin) - 1)
        c_first = max(0, bisect.bisect_right(xs, cx - margin) - 1)
        c_last = min(last_col, bisect.bisect_right(xs, cx + margin) - 1)
        for r in range(r_first, r_last + 1):
            for c in range(c_first, c_last + 1):
                buckets.setdefault((r, c), []).append(i)
    return buckets


def _index(bounds: list[float], v: float) -> int:
    """The nearest of the sorted grid lines (the first on a tie)."""
    if not math.isfinite(v):
        return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))
    k = bisect.bisect_left(bounds, v)
    if k == 0:
        return 0
    if k == len(bounds) or abs(bounds[k - 1] - v) <= abs(bounds[k] - v):
        return k - 1
    return k


# --------------------------------------------------------------------------- cell fills

def fill_for(bbox: Box, fills: Sequence[Fill]) -> str:
    """The colour of the smallest filled rectangle that covers most (FILL_COVER) of the cell; '' for none.
    (The definition: FillIndex answers the same, faster.)"""
    area = max((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]), 1e-6)
    for rect, colour in fills:
        ix = max(0.0, min(rect[2], bbox[2]) - max(rect[0], bbox[0]))
        iy = max(0.0, min(rect[3], bbox[3]) - max(rect[1], bbox[1]))
        if ix * iy >= FILL_COVER * area:
            return colour
    return ""


class FillIndex:
    """fill_for over one table's cells, without testing every rectangle of the page for every cell.

    A rectangle covering more than half of a cell overlaps it by more than half its width and half its height,
    so it contains the cell's centre: each cell need only test the rectangles that reach its centre's bin (the
    table's box cut into at most MAX_BINS x MAX_BINS bins), in the same smallest-first order."""

    def __init__(self, fills: Sequence[Fill], box: Box):
        self.fills = fills
        self.box = box
        self.bins: dict[tuple[int, int], list[int]] = {}
        self.step = (0.0, 0.0)
        x0, top, x1, bottom = box
        if not fills or not all(map(math.isfinite, box)) or x1 < x0 or bottom < top:
            self.step = ()  # (a table with no finite box: every cell tests every rectangle, as fill_for does)
            return
        self.step = (max((x1 - x0) / MAX_BINS, 1.0), max((bottom - top) / MAX_BINS, 1.0))
        for k, (rect, _) in enumerate(fills):
            lo_x, lo_y, hi_x, hi_y = rect[0] - 1.0, rect[1] - 1.0, rect[2] + 1.0, rect[3] + 1.0  # (slack: rounding)
            if not (lo_x <= x1 and hi_x >= x0 and lo_y <= bottom and hi_y >= top):  # reaches no cell (or NaN)
                continue
            bx0, by0 = self._bin(max(lo_x, x0), max(lo_y, top))
            bx1, by1 = self._bin(min(hi_x, x1), min(hi_y, bottom))
            for bx in range(bx0, bx1 + 1):
                for by in range(by0, by1 + 1):
                    self.bins.setdefault((bx, by), []).append(k)

    def _bin(self, x: float, y: float) -> tuple[int, int]:
        return (min(int((x - self.box[0]) / self.step[0]), MAX_BINS),
                min(int((y - self.box[1]) / self.step[1]), MAX_BINS))

    def __call__(self, bbox: Box) -> str:
        if not self.fills:
            return ""
        if not self.step:
            return fill_for(bbox, self.fills)
        cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
        x0, top, x1, bottom = self.box
        if not (x0 <= cx <= x1 and top <= cy <= bottom):  # outside the indexed box (or not a number)
            return fill_for(bbox, self.fills)
        return fill_for(bbox, [self.fills[k] for k in self.bins.get(self._bin(cx, cy), ())])


# --------------------------------------------------------------------------- lines and paragraphs

def words_to_lines(words: list[Word], page_no: int) -> list[Line]:
    """Group words into lines by vertical overlap, left to right."""
    lines = [Line(g, page_no) for g in printed_lines(words)]  # (a Line is final once made)
    lines.sort(key=lambda l: (l.top, l.x0))
    return lines


def _cell_paragraphs(lines: list[Line]) -> list[str]:
    """A cell's lines, folded into paragraphs: a bullet glyph, a blank line's worth of space, or the end of a
    bold label line ("Governance" above plain text) starts a new paragraph."""
    pitches = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top)
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    groups: list[list[str]] = []
    for k, line in enumerate(lines):
        prev = lines[k - 1] if k else None
        new = (prev is None or BULLET_RE.match(line.text)
               or (pitch and line.top - prev.top > 1.6 * pitch)
               or (prev.bold and not line.bold))
        if new:
            groups.append([line.text])
        else:
            groups[-1].append(line.text)
    return [p for p in (clean_paragraph(join_lines(g)) for g in groups) if p]
