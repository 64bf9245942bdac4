"""ingest/seams.py: a table's grid as a reader sees it. Row boundaries that are neither drawn nor a change of fill
are seams between shading pieces; cell padding strips are not columns; an unshaded row between shaded ones is
cut at the columns its words are set in. The boxes below are the shapes Word's PDF export draws."""
from extractor.ingest.grid import PageWords, ruled_table
from extractor.ingest.seams import Pieces, drop_padding_columns, mend_row_seams, pieces_fill, split_undrawn_columns
from extractor.model import Word

GREEN, WHITE = "E6EED5", ""


def _fill_at(fills):
    def at(box):
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        for (x0, top, x1, bottom), colour in fills:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                return colour
        return ""
    return at


def _w(text, x0, top, size=9.0):
    return Word(text, x0, x0 + 6.0 * len(text), top, top + size, False, size)


def test_seams_inside_shaded_rows_are_mended():
    # one row (100-160) whose text column is shaded line by line (pieces 100-120, 120-140, 140-160)
    cells = [(0, 100, 50, 160), (50, 100, 200, 120), (50, 120, 200, 140), (50, 140, 200, 160)]
    fills = [(c, GREEN) for c in cells]
    mended = mend_row_seams(cells, [100, 120, 140, 160], _fill_at(fills), rules=[(0, 100, 200), (0, 160, 200)])
    assert sorted(mended) == [(0, 100, 50, 160), (50, 100, 200, 160)]
    # the same grid with white (unfilled) boxes: a line no fill runs across came from something else, it stays
    assert mend_row_seams(cells, [100, 120, 140, 160], _fill_at([]), rules=[]) is None
    # two rows, separated by a drawn rule at 160: the seams inside the first are mended
    cells2 = cells + [(0, 160, 50, 200), (50, 160, 200, 200)]
    fills2 = [(c, GREEN) for c in cells2]
    mended2 = mend_row_seams(cells2, [100, 120, 140, 160, 200], _fill_at(fills2),
                             rules=[(0, 100, 200), (0, 160, 200), (0, 200, 200)])
    assert sorted(mended2) == [(0, 100, 50, 160), (0, 160, 50, 200), (50, 100, 200, 160), (50, 160, 200, 200)]


def test_a_change_of_fill_is_a_visible_boundary():
    cells = [(0, 100, 200, 130), (0, 130, 200, 160), (0, 160, 200, 190), (0, 190, 200, 220)]
    fills = [(cells[0], GREEN), (cells[1], "FFFFFF"), (cells[2], GREEN), (cells[3], "FFFFFF")]
    assert mend_row_seams(cells, [100, 130, 160, 190, 220], _fill_at(fills), rules=[]) is None


def test_padding_strips_join_their_cells_and_a_drawn_line_stays():
    # columns: pad 0-5 | text 5-95 | pad 95-100 | pad 100-105 | text 105-195 | pad 195-200
    xs = [0, 5, 95, 100, 105, 195, 200]
    cells = [(a, 0, b, 50) for a, b in zip(xs, xs[1:])]
    words = [_w("Ref", 10, 20), _w("Action", 110, 20)]

    def words_in(box):
        return [w for w in words if box[0] <= (w.x0 + w.x1) / 2 <= box[2]]
    assert sorted(drop_padding_columns(cells, words_in, down=[])) == [(0, 0, 100, 50), (100, 0, 200, 50)]
    # a rule drawn down the line at 95 keeps it: the strip 95-100 then joins the column on its right
    kept = drop_padding_columns(cells, words_in, down=[(0, 95, 50)])
    assert sorted(kept) == [(0, 0, 95, 50), (95, 0, 200, 50)]


def test_an_unshaded_row_is_cut_at_the_columns_only_where_its_words_sit_apart():
    cells = [(0, 0, 60, 40), (60, 0, 200, 40), (200, 0, 300, 40), (0, 40, 300, 80), (0, 80, 300, 120)]
    data_row = [_w("12", 5, 50), _w("Publish", 70, 50), _w("data", 120, 50), _w("March", 210, 50)]
    group_row = [_w("Theme", 5, 90), _w("one:", 45, 90), _w("open", 75, 90)]  # a phrase across the lines
    words = data_row + group_row

    def words_in(box):
        return [w for w in words if box[0] <= (w.x0 + w.x1) / 2 <= box[2] and box[1] <= w.top < box[3]]
    out = sorted(split_undrawn_columns(cells, words_in, down=[]), key=lambda b: (b[1], b[0]))
    assert out[3:6] == [(0, 40, 60, 80), (60, 40, 200, 80), (200, 40, 300, 80)]
    assert out[6] == (0, 80, 300, 120)
    # with the column lines drawn, a full-width cell is a real merged cell
    assert split_undrawn_columns(cells, words_in, down=[(0, 60, 120), (0, 200, 120)]) == cells


def test_pieces_fill_needs_one_colour_covering_most_of_the_cell():
    box = (0, 0, 100, 100)
    assert pieces_fill(box, Pieces([((0, 0, 100, 50), GREEN), ((0, 50, 100, 100), GREEN)])) == GREEN
    assert pieces_fill(box, Pieces([((0, 0, 100, 50), GREEN), ((0, 50, 100, 100), "FF0000")])) == ""
    assert pieces_fill(box, Pieces([((0, 0, 100, 30), GREEN)])) == ""
    assert pieces_fill(box, Pieces([((0, 0, 100, 50), GREEN), ((0, 50, 100, 100), GREEN),
                                    ((0, 100, 100, 150), "FF0000")])) == GREEN  # a piece below is no part of it


class _Found:
    def __init__(self, cells):
        self.cells = cells
        self.bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                     max(c[2] for c in cells), max(c[3] for c in cells))


def test_ruled_table_reads_a_word_export_shaded_table_as_its_rows():
    """Two body rows under a header, the first shaded in line-high pieces with padding strips, the second white:
    one grid row each, three columns."""
    pad = 5.0
    header = [(0, 0, 200, 20)]
    shaded = [(0, 22, pad, 62), (pad, 22, 40 - pad, 42), (pad, 42, 40 - pad, 62), (40 - pad, 22, 40, 62),
              (40, 22, 40 + pad, 62), (40 + pad, 22, 140 - pad, 42), (40 + pad, 42, 140 - pad, 62),
              (140 - pad, 22, 140, 62), (140, 22, 200, 62)]
    white = [(0, 64, 200, 100)]
    found = _Found(header + shaded + white)
    fills = [(c, GREEN) for c in shaded] + [((0, 0, 200, 20), "9BBB59")]
    rules = ([(0, 21, 200), (0, 63, 200), (0, 100, 200)], [])
    words = [_w("Ref", 8, 5), _w("Action", 48, 5), _w("Due", 150, 5),
             _w("1", 8, 25), _w("Publish", 48, 25), _w("the", 48, 45), _w("May", 150, 25),
             _w("2", 8, 70), _w("Review", 48, 70), _w("June", 150, 70)]
    table = ruled_table(found, PageWords(words), fills, 1, rules)
    texts = [[c.text for c in r.cells if not c.covered and c.text] for r in table.rows]
    assert texts == [["Ref", "Action", "Due"], ["1", "Publish the", "May"], ["2", "Review", "June"]]
    assert table.rows[1].cells[0].fill == GREEN


def test_a_grid_found_inside_another_tables_cell_is_part_of_that_cell():
    from extractor.ingest.pdf import _outermost
    outer, inner, beside = _Found([(0, 0, 200, 100)]), _Found([(10, 10, 80, 40)]), _Found([(0, 120, 200, 200)])
    assert _outermost([outer, inner, beside]) == [outer, beside]
    twin = _Found([(0, 0, 200, 100)])  # the same box found twice is not "inside" the other: both stay
    assert _outermost([outer, twin]) == [outer, twin]


# --------------------------------------------------------------------------- banded tables (ingest/bands.py)

def _band(top, bottom, xs=(0, 60, 200, 300)):
    return _Found([(a, top, b, bottom) for a, b in zip(xs, xs[1:])])


def test_bands_with_unshaded_rows_between_them_are_one_table():
    from extractor.ingest.bands import join_bands
    header, band1, band2 = _band(0, 20), _band(20, 50), _band(90, 120)
    header.cells += band1.cells
    header.bbox = (0, 0, 300, 50)
    between = [_w("2", 5, 60), _w("Review", 70, 60), _w("June", 210, 60)]
    under = [_w("4", 5, 125), _w("Publish", 70, 125), _w("May", 210, 125)]
    note = [_w("Source:", 5, 200), _w("the", 50, 200), _w("board", 75, 200)]  # a gap, then a note: not a row
    joined = join_bands([header, band2], between + under + note, down=[])
    assert len(joined) == 1
    rows = sorted({(c[1], c[3]) for c in joined[0].cells})
    assert rows[0] == (0, 20) and rows[2] == (50, 90) and rows[3] == (90, 120)
    assert rows[-1][0] == 120 and rows[-1][1] < 200  # the unshaded row under the last band, not the note


def test_ruled_tables_or_a_heading_between_are_not_bands():
    from extractor.ingest.bands import join_bands
    upper, lower = _band(0, 50), _band(90, 120)
    row_words = [_w("2", 5, 60), _w("Review", 70, 60), _w("June", 210, 60)]
    assert len(join_bands([upper, lower], row_words, down=[(0, 60, 120), (0, 200, 120)])) == 2  # columns drawn
    heading = [_w("Theme", 70, 60), _w("two", 110, 60)]  # one column only: a heading between two tables
    assert len(join_bands([upper, lower], heading, down=[])) == 2


# --------------------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def _shaded_grids(draw):
    """A grid of cells (rows x columns), some cells cut into line-high pieces (8 pt or more, as printed lines
    are), each cell shaded or not."""
    n_cols, n_rows = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    xs = [0.0] + sorted(draw(st.sets(st.integers(1, 99), min_size=n_cols - 1, max_size=n_cols - 1)))
    xs = [x * 5.0 for x in xs] + [500.0]
    ys = [0.0]
    for _ in range(n_rows):
        ys.append(ys[-1] + draw(st.sampled_from([24.0, 36.0, 48.0])))
    cells, fills = [], []
    for r in range(n_rows):
        for c in range(len(xs) - 1):
            colour = draw(st.sampled_from(["", "E6EED5", "DBE5F1"]))
            cuts = draw(st.integers(1, 3)) if colour else 1
            step = (ys[r + 1] - ys[r]) / cuts
            for k in range(cuts):
                box = (xs[c], ys[r] + k * step, xs[c + 1], ys[r] + (k + 1) * step)
                cells.append(box)
                if colour:
                    fills.append((box, colour))
    rules = [(0.0, y, 500.0) for y in ys if draw(st.booleans())]
    return cells, fills, rules


@settings(max_examples=200, deadline=None)
@given(_shaded_grids())
def test_mended_cells_never_overlap_and_cover_every_piece(grid):
    from extractor.ingest.geometry import grid_lines
    cells, fills, rules = grid
    ys = grid_lines([c[1] for c in cells] + [c[3] for c in cells])
    mended = mend_row_seams(cells, ys, _fill_at(fills), rules)
    if mended is None:
        return
    for i, a in enumerate(mended):
        for b in mended[i + 1:]:
            overlap_x = min(a[2], b[2]) - max(a[0], b[0])
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)
    for c in cells:  # (within the 2 pt grid tolerance)
        assert any(m[0] <= c[0] + 2 and c[2] <= m[2] + 2 and m[1] <= c[1] + 2 and c[3] <= m[3] + 2 for m in mended), c
