"""The column search of PDF reading order (ingest/reading_order.py: _bands, _trim_tail, _columns_of_text) answers
what its plain definitions answer (each line's words looked at one by one for every candidate gutter), on random
pages of lines in one, two or three columns, with numbers, ties and coordinates that are no number."""
from __future__ import annotations

from typing import Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.ingest import reading_order as ro
from extractor.model import Line, Word

BODY = 10.0


# --------------------------------------------------------------------------- the plain definitions

def plain_two_sided(slab, gutter) -> bool:
    return any(w.x1 <= gutter[0] + 0.5 for w in slab.words) and any(w.x0 >= gutter[1] - 0.5 for w in slab.words)


def plain_trim_tail(slabs, start, last, gutter, body_size) -> int:
    last_both = max(j for j in range(start, last + 1) if plain_two_sided(slabs[j], gutter)) if last > start else start
    for j in range(last_both + 1, last + 1):
        if max(line.size for line in slabs[j].lines) > body_size + 1.0:
            return j - 1
    return last


def plain_columns_of_text(slabs, gutter, left, right, body_size) -> bool:
    cfg = ro.current().pdf
    both = 0
    sides: tuple[list, list] = ([], [])
    for slab in slabs:
        for line in slab.lines:
            lw = [w for w in line.words if w.x1 <= gutter[0] + 0.5]
            rw = [w for w in line.words if w.x0 >= gutter[1] - 0.5]
            both += bool(lw and rw)
            if lw:
                sides[0].append(lw)
            if rw:
                sides[1].append(rw)
    if both < cfg.column_min_lines:
        return False
    for side, (lo, hi) in zip(sides, ((left, gutter[0]), (gutter[1], right))):
        if hi - lo < cfg.column_min_width_em * body_size:
            return False
        if sum(sum(ro._is_word(w) for w in ws) for ws in side) / len(side) < cfg.column_min_words:
            return False
    filled = sum(max(w.x1 for w in ws) >= gutter[0] - 0.3 * (gutter[0] - left) for ws in sides[0])
    return filled >= 0.5 * len(sides[0])


def plain_grow(slabs, free, start, gap, min_gap, left, right, body_size) -> Optional[tuple]:
    gutter, last = gap, start
    for j in range(start + 1, len(slabs)):
        nxt = next((g for g in (ro._overlap(gutter, f) for f in free[j]) if g[1] - g[0] >= min_gap), None)
        if nxt is None:
            break
        gutter, last = nxt, j
    last = plain_trim_tail(slabs, start, last, gutter, body_size)
    if not plain_columns_of_text(slabs[start:last + 1], gutter, left, right, body_size):
        return None
    return start, last, gutter


def plain_bands(slabs, body_size) -> list:
    cfg = ro.current().pdf
    words = [w for s in slabs for w in s.words]
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    min_gap = cfg.column_gutter_em * body_size
    free = [ro._free(s, left, right, min_gap) for s in slabs]
    bands, i = [], 0
    while i < len(slabs):
        found = None
        for gap in free[i]:
            if gap[0] <= left or gap[1] >= right:
                continue
            found = plain_grow(slabs, free, i, gap, min_gap, left, right, body_size)
            if found:
                break
        if found:
            bands.append(found)
            i = found[1] + 1
        else:
            i += 1
    return bands


# --------------------------------------------------------------------------- random pages

TEXTS = ["the", "council", "will", "publish", "data", "of", "open", "plan", "a", "12", "3.5", "(b)"]
SLOTS = [[(0, 180)], [(0, 180), (220, 400)], [(0, 120), (140, 260), (280, 400)], [(220, 400)], [(0, 400)],
         [(0, 60), (100, 400)]]
edge = st.integers(0, 100).map(lambda v: v * 4.0)


@st.composite
def lines(draw, top: float, slots: list[tuple[int, int]]):
    """A line of words in its column slots, sometimes a word with a NaN edge."""
    words = []
    size = draw(st.sampled_from([10.0, 10.0, 10.0, 10.0, 14.0]))  # (14: a heading, which can end a band)
    for lo, hi in slots:
        x = float(lo + draw(st.integers(0, 4)) * 4)
        for _ in range(draw(st.sampled_from([2, 12, 12]))):  # (12: on to the slot's end)
            width = draw(st.integers(3, 8)) * 4.0
            if x + width > hi:
                break
            x1 = float("nan") if draw(st.integers(0, 80)) == 0 else x + width
            words.append(Word(draw(st.sampled_from(TEXTS)), x, x1, top, top + 10.0, False, size))
            x += width + draw(st.sampled_from([2.0, 4.0, 8.0, 12.0]))
    return Line(words=words, page=1)


@st.composite
def pages(draw):
    """Stretches of lines sharing a layout (one column, two or three columns, a label beside values)."""
    out, top = [], 0.0
    for _ in range(draw(st.integers(1, 4))):
        slots = draw(st.sampled_from(SLOTS))
        for _ in range(draw(st.integers(1, 8))):
            line = draw(lines(top, slots))
            if line.words:
                out.append(line)
            top += draw(st.sampled_from([5.0, 12.0, 12.0, 14.0]))  # (5: lines overlapping into one slab)
    return out


@settings(max_examples=400, deadline=None)
@given(pages())
def test_bands_are_the_plain_definitions(page_lines):
    if not page_lines:
        return
    slabs = ro._slabs(page_lines)
    assert ro._bands(slabs, BODY) == plain_bands(slabs, BODY)


@settings(max_examples=300, deadline=None)
@given(pages(), st.tuples(edge, st.integers(1, 20).map(lambda v: v * 4.0)), st.integers(0, 5))
def test_band_tests_are_the_plain_definitions(page_lines, gap, start):
    if not page_lines:
        return
    slabs = ro._slabs(page_lines)
    gutter = (gap[0], gap[0] + gap[1])
    start = min(start, len(slabs) - 1)
    last = len(slabs) - 1
    left, right = 0.0, 400.0
    edges: dict = {}
    assert [ro._two_sided(s, gutter, edges) for s in slabs] == [plain_two_sided(s, gutter) for s in slabs]
    assert (outcome(ro._trim_tail, slabs, start, last, gutter, BODY, edges)
            == outcome(plain_trim_tail, slabs, start, last, gutter, BODY))
    assert (outcome(ro._columns_of_text, slabs[start:], gutter, left, right, BODY, edges)
            == outcome(plain_columns_of_text, slabs[start:], gutter, left, right, BODY))


def outcome(fn, *args):
    """The answer, or the error (an arbitrary gutter can leave no slab with words on both sides, where the band
    search never asks)."""
    try:
        return fn(*args)
    except (ValueError, ZeroDivisionError) as exc:
        return type(exc).__name__


def test_two_columns_of_running_text_make_a_band():
    def line(top: float, left: str, right: str) -> Line:
        words, x = [], 0.0
        for text in left.split():
            words.append(Word(text, x, x + 30.0, top, top + 10.0, False, 10.0))
            x += 34.0
        x = 220.0
        for text in right.split():
            words.append(Word(text, x, x + 30.0, top, top + 10.0, False, 10.0))
            x += 34.0
        return Line(words=words, page=1)

    page_lines = [line(12.0 * k, "the council will publish", "officers will work with") for k in range(5)]
    bands = ro._bands(ro._slabs(page_lines), BODY)
    assert [(first, last) for first, last, _ in bands] == [(0, 4)]
    assert bands == plain_bands(ro._slabs(page_lines), BODY)
