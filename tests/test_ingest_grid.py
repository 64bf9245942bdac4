"""Ruled-table grids (ingest/grid.py): the indexed look-ups answer exactly what the plain definitions answer."""
from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.ingest.geometry import grid_lines
from extractor.ingest.grid import (
    FillIndex,
    PageWords,
    _cell_paragraphs,
    _index,
    fill_for,
    ruled_table,
    words_to_lines,
)
from extractor.model import Word

# coordinates on a coarse lattice, so that shared edges, exact 60% covers and ties happen often
coord = st.integers(0, 40).map(lambda v: v * 2.5)


@st.composite
def boxes(draw, min_size: float = 0.0):
    x0, y0 = draw(coord), draw(coord)
    w, h = draw(st.integers(0, 16).map(lambda v: v * 2.5)), draw(st.integers(0, 16).map(lambda v: v * 2.5))
    return (x0, y0, x0 + max(w, min_size), y0 + max(h, min_size))


@settings(max_examples=300, deadline=None)
@given(st.lists(boxes(), max_size=30), st.lists(boxes(), min_size=1, max_size=20))
def test_fill_index_answers_what_fill_for_answers(rects, cells):
    fills = sorted(((r, f"{k:06X}") for k, r in enumerate(rects)),
                   key=lambda f: (f[0][2] - f[0][0]) * (f[0][3] - f[0][1]))
    box = (min(c[0] for c in cells[1:] or cells), min(c[1] for c in cells), max(c[2] for c in cells),
           max(c[3] for c in cells[1:] or cells))  # (some cells outside the indexed box, too)
    index = FillIndex(fills, box)
    assert [index(c) for c in cells] == [fill_for(c, fills) for c in cells]


def test_fill_for_takes_the_smallest_rectangle_covering_most_of_the_cell():
    cell = (10.0, 10.0, 20.0, 20.0)
    fills = [((10.0, 10.0, 20.0, 15.0), "AAAAAA"),  # half the cell: not enough
             ((10.0, 10.0, 20.0, 16.5), "BBBBBB"),  # 65%
             ((0.0, 0.0, 100.0, 100.0), "CCCCCC")]  # the table's background
    assert fill_for(cell, fills) == FillIndex(fills, cell)(cell) == "BBBBBB"
    assert FillIndex(fills[:1], (0.0, 0.0, 100.0, 100.0))(cell) == ""


@given(st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=12), st.floats(-2e4, 2e4))
def test_index_is_the_nearest_grid_line_first_on_a_tie(values, v):
    bounds = grid_lines(values)  # grid lines as ruled_table makes them: more than 2 pt apart
    assert _index(bounds, v) == min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


@st.composite
def tables(draw):
    """A grid of cells (some spanning two columns or rows) and words scattered over and around it."""
    xs = sorted(set(draw(st.lists(st.integers(0, 60), min_size=2, max_size=7)))) or [0, 1]
    ys = sorted(set(draw(st.lists(st.integers(0, 60), min_size=2, max_size=7))))
    if len(xs) < 2 or len(ys) < 2:
        xs, ys = [0, 10], [0, 10]
    xs, ys = [x * 10.0 for x in xs], [y * 10.0 for y in ys]
    cells = []
    for r in range(len(ys) - 1):
        c = 0
        while c < len(xs) - 1:
            span = 2 if c + 2 < len(xs) and draw(st.booleans()) else 1
            cells.append((xs[c], ys[r], xs[c + span], ys[r + 1]))
            c += span
    words = [Word(f"w{k}", x, x + draw(st.integers(1, 30)), y, y + 8.0, draw(st.booleans()), 8.0)
             for k, (x, y) in enumerate(draw(st.lists(st.tuples(st.integers(-20, 620).map(float),
                                                                  st.integers(-20, 620).map(float)), max_size=60)))]
    return cells, words


@settings(max_examples=200, deadline=None)
@given(tables())
def test_each_cell_holds_exactly_the_words_whose_centre_it_contains(table):
    cells, words = table
    found = SimpleNamespace(cells=cells, bbox=(cells[0][0], cells[0][1], cells[-1][2], cells[-1][3]))
    built = ruled_table(found, PageWords(words), [], page_no=1)
    got = {c.bbox: c.lines for row in built.rows for c in row.cells if not c.covered}
    for bbox in cells:
        inside = [w for w in words if bbox[0] <= (w.x0 + w.x1) / 2 <= bbox[2] and bbox[1] <= (w.top + w.bottom) / 2
                  <= bbox[3]]
        lines = words_to_lines(inside, 1)
        assert got[bbox] == [line.text for line in lines]
        assert _cell_paragraphs(lines) == next(c.paragraphs for row in built.rows for c in row.cells
                                               if c.bbox == bbox)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_a_line_knows_its_text_and_box_from_its_words(table):
    _, words = table
    for line in words_to_lines(words, 1):
        assert line.text == " ".join(w.text for w in line.words)
        ws_ = line.words
        assert (line.x0, line.top, line.x1, line.bottom) == (min(w.x0 for w in ws_), min(w.top for w in ws_),
                                                             max(w.x1 for w in ws_), max(w.bottom for w in ws_))
        assert line.bold == all(w.bold for w in line.words)
        assert [w.x0 for w in line.words] == sorted(w.x0 for w in line.words)
