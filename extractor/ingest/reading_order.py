"""PDF reading order: the text lines of a page (tables already taken out) in the order a person reads them.

    column_regions     a page region printed in two or three columns is read column by column: a gutter is
                       an empty vertical strip that runs through consecutive lines with text on both sides
                       (two columns of running text, not a label beside its value)
    line_bold          bold, a bullet glyph in a regular font aside
    starts_numbered_paragraph   "3.2 The Council ..." after a finished sentence opens a new paragraph
    join_broken_paragraphs   a paragraph that a page or column break cut in two is one block again (words
                       hyphenated at a line end are rejoined by ingest/text.join_lines)

Only geometry and punctuation: no vocabulary. pdf.py builds the lines and blocks; this module orders them.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Callable, Optional

from extractor.ingest.text import join_lines
from extractor.model import Block, Line, Word
from extractor.settings import current

LinesOf = Callable[[list[Word], int], list[Line]]
GLYPH_RE = re.compile(r"^(?:\(cid:\d+\)|[^\w(]{1,2})$")  # a bullet or dash glyph standing alone
TERMINAL = (".", "!", "?", ":", ";")


# --------------------------------------------------------------------------- columns

@dataclass
class _Slab:
    """Lines that overlap vertically (two columns whose baselines differ make one slab)."""
    lines: list[Line]

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


class _Edges:
    """The words of a line or slab by their right edges and by their left edges, with running counts of words of
    running text: which words end left of a gutter or start right of it is then two bisections, not a pass over
    the words (every slab is tried against every candidate gutter of the slabs above it). Coordinates that are no
    number (NaN) compare false with everything, as they do in the plain tests, so they are left out."""
    __slots__ = ("x1s", "texts_by_x1", "x0s", "texts_by_x0")

    def __init__(self, words: list[Word]):
        by_x1 = sorted((w.x1, _is_word(w)) for w in words if w.x1 == w.x1)
        by_x0 = sorted((w.x0, _is_word(w)) for w in words if w.x0 == w.x0)
        self.x1s = [x for x, _ in by_x1]
        self.x0s = [x for x, _ in by_x0]
        self.texts_by_x1 = _running_counts(t for _, t in by_x1)  # [k]: words of text among the k first
        self.texts_by_x0 = _running_counts(t for _, t in by_x0)

    def left_of(self, edge: float) -> tuple[int, int, float]:
        """(words, words of text, largest right edge) of the words whose right edge is <= `edge`."""
        k = bisect.bisect_right(self.x1s, edge) if edge == edge else 0
        return k, self.texts_by_x1[k], self.x1s[k - 1] if k else float("nan")

    def right_of(self, edge: float) -> tuple[int, int]:
        """(words, words of text) of the words whose left edge is >= `edge`."""
        k = bisect.bisect_left(self.x0s, edge) if edge == edge else len(self.x0s)
        return len(self.x0s) - k, self.texts_by_x0[-1] - self.texts_by_x0[k]


def _running_counts(flags) -> list[int]:
    out = [0]
    for flag in flags:
        out.append(out[-1] + flag)
    return out


def column_regions(lines: list[Line], page_no: int, body_size: float,
                   lines_of: LinesOf) -> list[tuple[list[Line], Optional[float]]]:
    """The page's lines as regions in reading order: (lines, anchor). Lines outside any multi-column band stay
    as they are, one region per stretch, anchor None (each block keeps its own place); each column of a band is
    a region of its own (its lines rebuilt from its words), columns left to right, a column split again where it
    holds columns itself; all the columns of a band share one anchor, the band's top, so that they stay
    together, in order, among the page's tables."""
    if len(lines) < 2 * current().pdf.column_min_lines:
        return [(lines, None)] if lines else []
    return _regions(lines, page_no, body_size, lines_of, None, depth=0)


def _regions(lines: list[Line], page_no: int, body_size: float, lines_of: LinesOf, anchor: Optional[float],
             depth: int) -> list[tuple[list[Line], Optional[float]]]:
    slabs = _slabs(lines)
    bands = _bands(slabs, body_size) if depth < 3 else []
    if not bands:
        return [(lines, anchor)]
    out: list[tuple[list[Line], Optional[float]]] = []
    pending: list[Line] = []
    starts = {first: (last, gutter) for first, last, gutter in bands}
    i = 0
    while i < len(slabs):
        if i not in starts:
            pending.extend(slabs[i].lines)
            i += 1
            continue
        if pending:
            out.append((pending, anchor))
            pending = []
        last, gutter = starts[i]
        words = [w for s in slabs[i:last + 1] for w in s.words]
        top = anchor if anchor is not None else min(w.top for w in words)
        middle = (gutter[0] + gutter[1]) / 2
        left = [w for w in words if (w.x0 + w.x1) / 2 < middle]
        right = [w for w in words if (w.x0 + w.x1) / 2 >= middle]
        for side in (left, right):
            if side:
                out.extend(_regions(lines_of(side, page_no), page_no, body_size, lines_of, top, depth + 1))
        i = last + 1
    if pending:
        out.append((pending, anchor))
    return out


def _slabs(lines: list[Line]) -> list[_Slab]:
    out: list[_Slab] = []
    bottom = float("-inf")
    for line in sorted(lines, key=lambda l: l.top):
        if out and line.top < bottom - 0.5:
            out[-1].lines.append(line)
            bottom = max(bottom, line.bottom)
        else:
            out.append(_Slab([line]))
            bottom = line.bottom
    return out


def _free(slab: _Slab, left: float, right: float, min_gap: float) -> list[tuple[float, float]]:
    """Empty vertical strips of a slab between the page's text edges `left` and `right`."""
    spans = sorted((w.x0, w.x1) for w in slab.words)
    out: list[tuple[float, float]] = []
    edge = left
    for x0, x1 in spans:
        if x0 - edge >= min_gap:
            out.append((edge, x0))
        edge = max(edge, x1)
    if right - edge >= min_gap:
        out.append((edge, right))
    return out


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return max(a[0], b[0]), min(a[1], b[1])


def _bands(slabs: list[_Slab], body_size: float) -> list[tuple[int, int, tuple[float, float]]]:
    """(first slab, last slab, gutter) of every stretch of slabs printed in columns."""
    cfg = current().pdf
    words = [w for s in slabs for w in s.words]
    left, right = min(w.x0 for w in words), max(w.x1 for w in words)
    min_gap = cfg.column_gutter_em * body_size
    free = [_free(s, left, right, min_gap) for s in slabs]
    edges: dict[int, _Edges] = {}  # id of a slab or line -> its _Edges, made when first asked for
    bands: list[tuple[int, int, tuple[float, float]]] = []
    i = 0
    while i < len(slabs):
        found = None
        for gap in free[i]:
            if gap[0] <= left or gap[1] >= right:  # a strip at the edge separates nothing
                continue
            found = _grow(slabs, free, i, gap, min_gap, left, right, body_size, edges)
            if found:
                break
        if found:
            bands.append(found)
            i = found[1] + 1
        else:
            i += 1
    return bands


def _grow(slabs: list[_Slab], free: list[list[tuple[float, float]]], start: int, gap: tuple[float, float],
          min_gap: float, left: float, right: float, body_size: float,
          edges: Optional[dict[int, _Edges]] = None) -> Optional[tuple[int, int, tuple[float, float]]]:
    """The band around slab `start` whose every slab leaves the strip `gap` empty, if it is columns of text."""
    edges = {} if edges is None else edges
    gutter = gap
    last = start
    for j in range(start + 1, len(slabs)):
        nxt = next((g for g in (_overlap(gutter, f) for f in free[j]) if g[1] - g[0] >= min_gap), None)
        if nxt is None:
            break
        gutter, last = nxt, j
    last = _trim_tail(slabs, start, last, gutter, body_size, edges)
    if not _columns_of_text(slabs[start:last + 1], gutter, left, right, body_size, edges):
        return None
    return start, last, gutter


def _edges_of(obj, edges: dict[int, _Edges]) -> _Edges:
    found = edges.get(id(obj))
    if found is None:
        found = edges[id(obj)] = _Edges(obj.words)
    return found


def _two_sided(slab: _Slab, gutter: tuple[float, float], edges: Optional[dict[int, _Edges]] = None) -> bool:
    """Words on both sides of the gutter (any word ending left of it and any word starting right of it)."""
    slab_edges = _edges_of(slab, {} if edges is None else edges)
    return slab_edges.left_of(gutter[0] + 0.5)[0] > 0 and slab_edges.right_of(gutter[1] - 0.5)[0] > 0


def _trim_tail(slabs: list[_Slab], start: int, last: int, gutter: tuple[float, float], body_size: float,
               edges: Optional[dict[int, _Edges]] = None) -> int:
    """After both columns have ended, a heading on one side opens what follows the columns ("Commitment 6" under
    a two-column introduction): the band ends before it. Text on one side only before that is the longer column
    running on."""
    edges = {} if edges is None else edges
    last_both = (max(j for j in range(start, last + 1) if _two_sided(slabs[j], gutter, edges)) if last > start
                 else start)
    for j in range(last_both + 1, last + 1):
        if max(line.size for line in slabs[j].lines) > body_size + 1.0:
            return j - 1
    return last


def _columns_of_text(slabs: list[_Slab], gutter: tuple[float, float], left: float, right: float,
                     body_size: float, edges: Optional[dict[int, _Edges]] = None) -> bool:
    """Running text on both sides: enough lines with words on both sides, each side wide and holding lines of
    several words, and the left column filled to near the gutter (a label column beside values is not)."""
    cfg = current().pdf
    sides = ((left, gutter[0]), (gutter[1], right))
    if any(hi - lo < cfg.column_min_width_em * body_size for lo, hi in sides):  # (no pass over the lines needed)
        return False
    edges = {} if edges is None else edges
    both = 0
    lines = [0, 0]  # lines with words on the left, on the right
    texts = [0, 0]  # words of running text on each side
    filled = 0  # lines of the left column reaching near the gutter
    near_gutter = gutter[0] - 0.3 * (gutter[0] - left)
    for slab in slabs:
        for line in slab.lines:
            line_edges = _edges_of(line, edges)
            n_left, texts_left, reach = line_edges.left_of(gutter[0] + 0.5)
            n_right, texts_right = line_edges.right_of(gutter[1] - 0.5)
            both += bool(n_left and n_right)
            if n_left:
                lines[0] += 1
                texts[0] += texts_left
                filled += reach >= near_gutter
            if n_right:
                lines[1] += 1
                texts[1] += texts_right
    if both < cfg.column_min_lines:
        return False
    if any(texts[k] / lines[k] < cfg.column_min_words for k in (0, 1)):
        return False
    return filled >= 0.5 * lines[0]


def _is_word(word: Word) -> bool:
    """A word of running text (numbers, codes and amounts are table matter)."""
    return _running_text(word.text)


@functools.lru_cache(maxsize=8192)  # a page's words are judged again for every candidate band of columns
def _running_text(text: str) -> bool:
    return sum(ch.isalpha() for ch in text) >= 2


# --------------------------------------------------------------------------- lines and paragraphs

def line_bold(line: Line) -> bool:
    """Bold when every word is, a bullet or dash glyph in a regular font aside ("• **The Council will**")."""
    words = [w for w in line.words if not GLYPH_RE.match(w.text)] or line.words
    return all(w.bold for w in words)


PARAGRAPH_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+[A-Z\u2018\u201c\"'(]")


def starts_numbered_paragraph(text: str, prev_text: str) -> bool:
    """"3.2 The Council ..." after a line that ended a sentence opens a new paragraph, even at line spacing (a
    number that a sentence wrapped onto the next line, "rose by | 2.5 million", does not)."""
    return bool(PARAGRAPH_NUMBER_RE.match(text)) and prev_text.rstrip().endswith((".", ":", ";", "?", "!"))


def join_broken_paragraphs(items: list) -> list:
    """A paragraph a page or column break cut in two (the first part the last block of its page or column, ending
    mid-sentence; the second the first of the next, starting in lower case in the same type) is one block."""
    out: list = []
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, Block) and isinstance(prev, Block) and _continues_after_break(prev, item):
            joined = join_lines([prev.text, item.text])
            out[-1] = Block(kind=prev.kind, text=joined, page=prev.page, level=prev.level, style=prev.style,
                            list_label=prev.list_label, bold=prev.bold, font_size=prev.font_size, bbox=prev.bbox)
            continue
        out.append(item)
    return out


def _continues_after_break(prev: Block, block: Block) -> bool:
    if prev.bbox is None or block.bbox is None or prev.kind == "heading" or block.kind != "paragraph":
        return False
    new_page = block.page == prev.page + 1
    new_column = block.page == prev.page and block.bbox[1] < prev.bbox[1] and block.bbox[0] > prev.bbox[2] - 1
    if not (new_page or new_column):
        return False
    if abs((prev.font_size or 0) - (block.font_size or 0)) > 0.6 or prev.bold != block.bold:
        return False
    text = prev.text.rstrip()
    return bool(text) and not text.endswith(TERMINAL) and block.text[:1].islower()
