"""Key-value tables drawn with horizontal rules only (no vertical rules, so pdfplumber finds no table, or only
the shaded key column): a stack of full-width rules of one extent, each band between two rules a row, a label
at the left of most bands and its value starting at one common x to the right. Only that shape is taken (a
plan with a header line and horizontal rules is the borderless finder's, tables/borderless.py); the table
stage decides whether the result is a key-value table at all.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from extractor.ingest.grid import _cell_paragraphs, words_to_lines
from extractor.model import Cell, Row, Table, Word

Box = tuple[float, float, float, float]
EXTENT_TOL = 2.0  # rules of one stack start and end within this many points
MIN_RULE_SHARE = 0.4  # a rule at least this share of the page width
MAX_BAND = 160.0  # a band taller than this is not a row (text between two separate tables)
GROUP_GAP_EM = 1.5  # a gap wider than this many font sizes between words starts a new column group
MIN_BANDS = 3
KEY_SHARE = 0.6  # this share of the bands must have a label at the left and a value at the common x
MAX_KEY_WORDS = 8
BAR = 30.0  # a found table no taller than this (points) is a title bar drawn apart


def hrule_tables(lines: list[dict], words: list[Word], page_width: float, page_no: int,
                 found_boxes: list[Box]) -> list[tuple[Table, Box]]:
    """Tables of label | value bands between horizontal rules, where no ruled table found covers them."""
    rules = [ln for ln in lines if abs(float(ln["top"]) - float(ln["bottom"])) < 1.0
             and float(ln["x1"]) - float(ln["x0"]) >= MIN_RULE_SHARE * page_width]
    stacks: dict[tuple[float, float], list[float]] = {}
    for ln in rules:
        if any(b[1] - EXTENT_TOL <= float(ln["top"]) <= b[3] + (-EXTENT_TOL if b[3] - b[1] <= BAR else EXTENT_TOL)
               and _wide(b, float(ln["x0"]), float(ln["x1"]), 0.9) for b in found_boxes):
            continue  # a rule of a ruled table found already (a title bar's bottom rule is the next band's top)
        key = next((k for k in stacks if abs(k[0] - float(ln["x0"])) <= EXTENT_TOL
                    and abs(k[1] - float(ln["x1"])) <= EXTENT_TOL), (float(ln["x0"]), float(ln["x1"])))
        stacks.setdefault(key, []).append(float(ln["top"]))
    out = []
    for (x0, x1), tops in stacks.items():
        for run in _runs(sorted(set(round(t, 1) for t in tops)), [b for b in found_boxes if _wide(b, x0, x1)]):
            if any(_covers(fb, (x0, run[0], x1, run[-1])) for fb in found_boxes):
                continue  # a ruled grid pdfplumber found already
            out.extend(_tables(run, x0, x1, words, page_no))
    return out


def _runs(tops: list[float], tables: list[Box]) -> list[list[float]]:
    """The rules in runs: a gap taller than a row, or a ruled table found between two rules, ends a run (a page
    header's rule above a table must not make one run with the rules below it)."""
    runs: list[list[float]] = []
    for t in tops:
        if runs and t - runs[-1][-1] <= MAX_BAND and not any(runs[-1][-1] < (b[1] + b[3]) / 2 < t for b in tables):
            runs[-1].append(t)
        else:
            runs.append([t])
    return [r for r in runs if len(r) > MIN_BANDS]


def _wide(box: Box, x0: float, x1: float, share: float = 0.5) -> bool:
    """A found table across `share` of the width from x0 to x1."""
    return min(box[2], x1) - max(box[0], x0) >= share * (x1 - x0)


def _covers(found: Box, box: Box) -> bool:
    """A found table as wide as the stack, over part of it."""
    wide = (found[2] - found[0]) >= 0.9 * (box[2] - box[0])
    return wide and found[1] < box[3] - EXTENT_TOL and found[3] > box[1] + EXTENT_TOL  # (a shared edge is no overlap)


def _groups(band: list[Word]) -> list[list[Word]]:
    """A band's words in column groups: per printed line, words split where the gap is wide."""
    groups: list[list[Word]] = []
    for line in words_to_lines(band, 0):
        current: list[Word] = []
        for w in line.words:
            size = max(w.size or (w.bottom - w.top), 5.0)
            if current and w.x0 - current[-1].x1 > GROUP_GAP_EM * size:
                groups.append(current)
                current = []
            current.append(w)
        if current:
            groups.append(current)
    return groups


def _tables(tops: list[float], x0: float, x1: float, words: list[Word], page_no: int) -> list[tuple[Table, Box]]:
    """The label | value tables of one stack of rules: runs of label-value bands (a title line may open one);
    a band of anything else (a paragraph between two tables) ends a table."""
    bands = []
    for top, bottom in zip(tops, tops[1:]):
        inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top < (w.top + w.bottom) / 2 < bottom]
        bands.append((top, bottom, inside))
    filled = [b for b in bands if b[2]]
    if len(filled) < MIN_BANDS:
        return []
    left = min(w.x0 for _, _, ws in filled for w in ws)
    seconds = Counter()
    for _, _, ws in filled:
        starts = sorted({round(g[0].x0) for g in _groups(ws)})
        seconds.update({s for s in starts if s > left + 10})
    if not seconds:
        return []
    split = seconds.most_common(1)[0][0]
    out = []
    segment: list[tuple[float, float, list[Word]]] = []
    for k, band in enumerate(bands + [(0.0, 0.0, [])]):
        ws = band[2]
        if k < len(bands) and (not ws or _keyed(ws, split) or _values_only(ws, split)):
            if ws or segment:
                segment.append(band)
            continue
        table = _table(segment, x0, x1, split, page_no)
        if table is not None:
            out.append((table, table.bbox))
        segment = [band] if _title_band(ws, split) else []
    return out


def _table(bands: list[tuple[float, float, list[Word]]], x0: float, x1: float, split: float,
           page_no: int) -> Optional[Table]:
    while bands and not bands[-1][2]:
        bands = bands[:-1]
    filled = [b for b in bands if b[2]]
    if sum(1 for _, _, ws in filled if _keyed(ws, split, plain=True)) < max(MIN_BANDS, KEY_SHARE * len(filled)):
        return None
    starts = [x0, split] + _option_starts(bands, split)
    rows = []
    for top, bottom, ws in _option_marks_apart(bands, split):
        if not ws:
            continue
        by_col: dict[int, list[Word]] = {}
        if any(w.x0 < split - 2 < w.x1 for w in ws):
            by_col[0] = ws  # a title row across the table
        else:
            for group in _groups(ws):
                by_col.setdefault(_column(starts, group), []).extend(group)
        cols = sorted(by_col)
        cells = []
        for k, col in enumerate(cols):
            span = (cols[k + 1] if k + 1 < len(cols) else len(starts)) - col
            right = starts[col + span] if col + span < len(starts) else x1
            cells.append(_cell(by_col[col], col, span, (starts[col], top, right, bottom), page_no))
        rows.append(Row(cells=cells, page=page_no, index=len(rows), bbox=(x0, top, x1, bottom)))
    return Table(rows=rows, n_cols=len(starts), page_first=page_no, page_last=page_no,
                 bbox=(x0, bands[0][0], x1, bands[-1][1]), ruled=True)


def _option_starts(bands: list[tuple[float, float, list[Word]]], split: float) -> list[float]:
    """Columns of a small grid of options inside the value column ("Not started | Limited | Substantial |
    Completed", a mark under one below): the starts of a printed line of three or more groups right of it."""
    found: list[float] = []
    for _, _, ws in bands:
        for line in words_to_lines(ws, 0):
            groups = [g for g in _groups(line.words) if g[0].x0 >= split - 2]
            if len(groups) >= 3:
                for g in groups[1:]:
                    if all(abs(g[0].x0 - f) > 3 for f in found):
                        found.append(g[0].x0)
    return sorted(found)


def _option_marks_apart(bands: list[tuple[float, float, list[Word]]], split: float):
    """Bands, with the marks printed under a line of options (no rule between them) as a band of their own."""
    for top, bottom, ws in bands:
        lines = words_to_lines(ws, 0)
        at = next((k for k, line in enumerate(lines)
                   if len([g for g in _groups(line.words) if g[0].x0 >= split - 2]) >= 3), None)
        if at is None or at == len(lines) - 1:
            yield top, bottom, ws
            continue
        cut = (lines[at].bottom + lines[at + 1].top) / 2
        yield top, cut, [w for w in ws if (w.top + w.bottom) / 2 < cut]
        yield cut, bottom, [w for w in ws if (w.top + w.bottom) / 2 >= cut]


def _column(starts: list[float], group: list[Word]) -> int:
    """The column of a word group: the one it starts at, else the one its centre is in (a centred mark)."""
    x = group[0].x0
    at = [k for k, s in enumerate(starts) if abs(s - x) <= 3]
    if not at:
        x = (group[0].x0 + group[-1].x1) / 2
    return at[0] if at else max(k for k, s in enumerate(starts) if s - 2 <= x or k == 0)


def _values_only(ws: list[Word], split: float) -> bool:
    return bool(ws) and all(w.x0 >= split - 2 for w in ws)


def _keyed(ws: list[Word], split: float, plain: bool = False) -> bool:
    """A band with a short label left of the split and a value right of it, no word across (`plain`: and no line
    of three or more options right of it)."""
    key = [w for w in ws if w.x1 <= split - 2]
    value = [w for w in ws if w.x0 >= split - 2]
    if not (key and value) or len(key) + len(value) != len(ws) or len(words_to_lines(key, 0)) > 3 \
            or len(key) > 3 * MAX_KEY_WORDS:
        return False
    for line in words_to_lines(ws, 0):  # one label and one value per line, or a line of options
        groups = _groups(line.words)
        left = sum(1 for g in groups if g[0].x0 < split - 2)
        right = len(groups) - left
        if left > 1 or right == 2 or (plain and right > 2):
            return False
    return True


def _title_band(ws: list[Word], split: float) -> bool:
    """One printed line across the split: a title row."""
    return bool(ws) and len(words_to_lines(ws, 0)) == 1 and any(w.x0 < split - 2 < w.x1 or w.x0 > split
                                                                for w in ws) and ws[0].x0 < split


def _cell(ws: list[Word], col: int, span: int, bbox: Box, page_no: int) -> Cell:
    lines = words_to_lines(ws, page_no)
    paragraphs = _cell_paragraphs(lines)
    return Cell(text="\n".join(paragraphs), col=col, colspan=span, bbox=bbox, page=page_no, paragraphs=paragraphs,
                lines=[line.text for line in lines])
