"""Borderless tables: columns inferred from word alignment under a recognised header line.

A header line is a line whose word groups (words separated by wide gaps) name enough action-plan
columns (tables/header.py). Column starts are the groups' left edges; body lines below are cut at
those starts until a line whose words straddle a column start (prose again), a heading, or a wide gap.
Rows start where the ref column (or, with no ref column, a wider-than-usual line gap) says so.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Optional

from extractor.ingest.text import BULLET_RE, clean_paragraph
from extractor.model import Cell, Line, Page, Row, Table, Word
from extractor.settings import current
from extractor.tables.header import HeaderMap, field_of, match_header


def word_groups(words: list[Word]) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if groups and w.x0 - groups[-1][-1].x1 <= max(w.size, 5.0) * current().tables.borderless_column_gap:
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def find_tables(lines: list[Line], page: Page, body_size: float) -> list[tuple[Table, set[int]]]:
    """Borderless tables on one page: (table, ids of the lines it consumed). Stateless: a table that runs on to
    the next page without its header is found by a ContinuingFinder (one per document)."""
    return ContinuingFinder()(lines, page, body_size)


@dataclass
class _Open:
    """A borderless table that ran to the foot of its page: its columns, for the top of the next page."""
    starts: list[float]
    hmap: HeaderMap
    page: int


class ContinuingFinder:
    """Borderless tables page by page, remembering a table that ran to the foot of a page so that rows at the
    top of the next page in the same columns, without a repeated header, are read as its continuation."""

    FOOT = 0.8  # a table whose last line is below this share of the page height ran to the foot of the page

    def __init__(self) -> None:
        self.open: Optional[_Open] = None

    def __call__(self, lines: list[Line], page: Page, body_size: float) -> list[tuple[Table, set[int]]]:
        out: list[tuple[Table, set[int]]] = []
        i = 0
        opened, self.open = self.open, None
        if opened is not None and opened.page == page.number - 1 and lines:
            end = _body_end(lines, 0, opened.starts, body_size)
            body = lines[:end]
            if body and not _header_at(lines, 0) and _in_columns(body, opened.starts):
                out.append((_build([], body, opened.starts, opened.hmap, page), {id(line) for line in body}))
                i = end
                self._note_foot(body, opened.starts, opened.hmap, page)
        out.extend(self._find(lines, i, page, body_size))
        return out

    def _note_foot(self, body: list[Line], starts: list[float], hmap: HeaderMap, page: Page) -> None:
        if page.height and body[-1].bottom >= self.FOOT * page.height:
            self.open = _Open(starts, hmap, page.number)

    def _find(self, lines: list[Line], i: int, page: Page, body_size: float) -> list[tuple[Table, set[int]]]:
        out: list[tuple[Table, set[int]]] = []
        while i < len(lines):
            header = _header_at(lines, i)
            if header is None:
                i += 1
                continue
            starts, hmap, n_header_lines = header
            body_end = _body_end(lines, i + n_header_lines, starts, body_size)
            body = lines[i + n_header_lines:body_end]
            if body:
                table = _build(lines[i:i + n_header_lines], body, starts, hmap, page)
                out.append((table, {id(line) for line in lines[i:body_end]}))
                self._note_foot(body, starts, hmap, page)
                i = body_end
            else:
                i += n_header_lines
        return out


def _in_columns(body: list[Line], starts: list[float]) -> bool:
    """Most lines put their words at the column starts (a table's rows), not across them (prose)."""
    tol = 3 * current().tables.borderless_straddle_tol
    aligned = 0
    for line in body:
        groups = word_groups(line.words)
        if groups and all(any(abs(g[0].x0 - s) <= tol for s in starts) for g in groups):
            aligned += 1
    return aligned >= max(1, 0.6 * len(body))


def header_labels(words: list[Word]) -> list[list[Word]]:
    """Split a header line into column labels. Wide gaps always separate; within a run of closely set
    words, the header vocabulary decides ("Responsible officer Target date" -> two labels)."""
    labels: list[list[Word]] = []
    for group in word_groups(words):
        labels.extend(_segment_by_vocabulary(group))
    return labels


def _segment_by_vocabulary(words: list[Word]) -> list[list[Word]]:
    """Best split of closely set words into header labels: each word in a label scores 1 (0.6 when the
    label only starts with a known wording), each cut costs a little (more at a plain word space).
    Kept whole unless every word lands in a known label: prose never looks like that."""
    n = len(words)
    if n <= 1 or not _coverable(words):
        return [words]
    best: list[tuple[float, list[int]]] = [(0.0, [])] + [(-1e9, [])] * n
    for j in range(1, n + 1):
        for i in range(max(0, j - 6), j):
            _, strength = field_of(" ".join(w.text for w in words[i:j]))
            score = (j - i) * {2: 1.0, 1: 0.6}.get(strength, -1.0)
            if i > 0:
                narrow = words[i].x0 - words[i - 1].x1 <= words[i].size * 0.6
                score -= 0.8 if narrow else 0.3
            if best[i][0] + score > best[j][0]:
                best[j] = (best[i][0] + score, best[i][1] + [i])
    cuts = best[n][1] + [n]
    segments = [words[a:b] for a, b in zip(cuts, cuts[1:])]
    if len(segments) < 2 or any(field_of(" ".join(w.text for w in seg))[0] is None for seg in segments):
        return [words]
    return segments


def _coverable(words: list[Word]) -> bool:
    """Whether the words can be cut into known labels of up to six words at all. When not (prose: almost every
    line) the best split would be kept whole anyway; finding out tries only labels that start where a known
    label ends, so a line whose first words name nothing costs six look-ups, not six per word."""
    n = len(words)
    reached = [True] + [False] * n
    for i in range(n):
        if not reached[i]:
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            if not reached[j] and field_of(" ".join(w.text for w in words[i:j]))[0] is not None:
                reached[j] = True
    return reached[n]


def _header_at(lines: list[Line], i: int) -> Optional[tuple[list[float], HeaderMap, int]]:
    first = header_labels(lines[i].words)
    if len(first) < 3:
        return None
    found = _as_header(first)
    if i + 1 < len(lines) and lines[i + 1].top - lines[i].bottom < (lines[i].bottom - lines[i].top):
        merged = _merge_header_lines(first, header_labels(lines[i + 1].words))
        two = _as_header(merged) if merged is not None else None
        # a wrapped header ("Action to" / "deliver") only when the second line adds to the match
        if two is not None and (found is None or _strength(two[1]) > _strength(found[1])):
            return two[0], two[1], 2
    if found is not None:
        return found[0], found[1], 1
    return None


def _as_header(groups: list[list[Word]]) -> Optional[tuple[list[float], HeaderMap]]:
    labels = [(k, " ".join(w.text for w in g)) for k, g in enumerate(groups)]
    if any(text.rstrip().endswith((".", ";", ",")) and field_of(text)[1] < 2 for _, text in labels):
        return None  # a header line is labels ("No." is one), not sentences
    hmap = match_header(labels)
    if hmap is None or len(hmap.columns) < 3:
        return None
    return [min(w.x0 for w in g) for g in groups], hmap


def _strength(hmap: HeaderMap) -> int:
    return sum(field_of(hmap.texts[c])[1] for c in hmap.columns if c < len(hmap.texts))


def _merge_header_lines(top: list[list[Word]], below: list[list[Word]]) -> Optional[list[list[Word]]]:
    """A header wrapped over two lines: every group of the second line sits under one group of the first."""
    merged = [list(g) for g in top]
    for g in below:
        x0, x1 = min(w.x0 for w in g), max(w.x1 for w in g)
        hits = [k for k, t in enumerate(top) if x0 < max(w.x1 for w in t) + 2 and x1 > min(w.x0 for w in t) - 2]
        if len(hits) != 1:
            return None
        merged[hits[0]].extend(g)
    return merged


def _column(starts: list[float], x0: float) -> int:
    col = 0
    for k, s in enumerate(starts):
        if x0 >= s - current().tables.borderless_straddle_tol * 2:
            col = k
    return col


def _straddles(line: Line, starts: list[float]) -> bool:
    tol = current().tables.borderless_straddle_tol
    return any(w.x0 < s - tol * 2 and w.x1 > s + tol for w in line.words for s in starts[1:])


def _is_group_line(line: Line, starts: list[float], mostly_bold: bool) -> bool:
    """A bold phrase starting in the first column, among plain rows: a group heading (it may run on
    across column starts, as full-width group rows do)."""
    return (line.bold and not mostly_bold and len(starts) > 1
            and line.x0 < starts[1] - current().tables.borderless_straddle_tol
            and len(word_groups(line.words)) == 1)


def _body_end(lines: list[Line], j: int, starts: list[float], body_size: float) -> int:
    heights = [l.bottom - l.top for l in lines[j:j + 20]] or [body_size]
    line_h = statistics.median(heights)
    mostly_bold = sum(l.bold for l in lines[j:j + 20]) > len(lines[j:j + 20]) / 2
    k = j
    while k < len(lines):
        line = lines[k]
        if k > j and line.top - lines[k - 1].bottom > 3.0 * line_h:
            break
        if line.size > body_size + 1.5:
            break
        if _straddles(line, starts):
            nxt = lines[k + 1] if k + 1 < len(lines) else None
            group = _is_group_line(line, starts, mostly_bold) and nxt is not None and not _straddles(nxt, starts)
            if not group:
                break
        if line.x0 < starts[0] - 3 * current().tables.borderless_straddle_tol:
            break
        k += 1
    return k


def _build(header_lines: list[Line], body: list[Line], starts: list[float], hmap: HeaderMap,
           page: Page) -> Table:
    n = len(starts)
    header_texts = [""] * n
    for line in header_lines:
        for g in header_labels(line.words):
            c = _column(starts, min(w.x0 for w in g))
            header_texts[c] = (header_texts[c] + " " + " ".join(w.text for w in g)).strip()
    rows = [Row(cells=[Cell(text=t, col=c, page=page.number, paragraphs=[t] if t else [])
                       for c, t in enumerate(header_texts)],
                page=page.number, index=0, is_header=True)] if header_lines else []
    ref_col = hmap.col("ref")
    gaps = [b.top - a.bottom for a, b in zip(body, body[1:])]
    split_gap = _row_gap_threshold(gaps)
    current: Optional[list[list[str]]] = None
    bounds: list[tuple[float, float]] = []
    mostly_bold = sum(l.bold for l in body) > len(body) / 2
    for k, line in enumerate(body):
        frags: dict[int, list[Word]] = {}
        for w in line.words:
            frags.setdefault(_column(starts, w.x0), []).append(w)
        if _is_group_line(line, starts, mostly_bold):
            # a bold line alone in one column, among plain rows: a group heading spanning the table
            rows.append(Row(cells=[], page=page.number, index=len(rows)))
            rows[-1]._parts = [[line.text]] + [[] for _ in range(n - 1)]  # type: ignore[attr-defined]
            rows[-1]._group = True  # type: ignore[attr-defined]
            bounds.append((line.top, line.bottom))
            current = None
            continue
        new_row = current is None
        if not new_row:
            gap = line.top - body[k - 1].bottom
            if ref_col is not None:
                new_row = ref_col in frags
            else:
                new_row = split_gap is not None and gap > split_gap
        if new_row:
            current = [[] for _ in range(n)]
            rows.append(Row(cells=[], page=page.number, index=len(rows)))
            bounds.append((line.top, line.bottom))
            rows[-1].cells = []  # filled below
            rows[-1]._parts = current  # type: ignore[attr-defined]
        else:
            bounds[-1] = (bounds[-1][0], line.bottom)
        for c, ws in frags.items():
            text = " ".join(w.text for w in ws)
            parts = rows[-1]._parts[c]  # type: ignore[attr-defined]
            if parts and not BULLET_RE.match(text):
                parts[-1] += " " + text
            else:
                parts.append(text)
    x1 = max(line.x1 for line in body + header_lines)
    for row, (top, bottom) in zip(rows[1 if header_lines else 0:], bounds):
        parts = row._parts  # type: ignore[attr-defined]
        del row._parts  # type: ignore[attr-defined]
        row.bbox = (starts[0], top, x1, bottom)
        if getattr(row, "_group", False):
            del row._group  # type: ignore[attr-defined]
            row.cells = [Cell(text=parts[0][0], col=0, colspan=n, page=page.number, paragraphs=[parts[0][0]],
                              bbox=row.bbox)]
            continue
        for c in range(n):
            paragraphs = [p for p in (clean_paragraph(x) for x in parts[c]) if p]
            row.cells.append(Cell(text="\n".join(paragraphs), col=c, page=page.number, paragraphs=paragraphs,
                                  bbox=(starts[c], top, starts[c + 1] if c + 1 < n else x1, bottom)))
    top = min(line.top for line in header_lines or body)
    return Table(rows=rows, n_cols=n, page_first=page.number, page_last=page.number,
                 bbox=(starts[0], top, x1, max(l.bottom for l in body)), ruled=False)


def _row_gap_threshold(gaps: list[float]) -> Optional[float]:
    """Gaps between rows are wider than gaps between the lines of one cell; None when all look alike
    (then every line is its own row)."""
    if not gaps:
        return None
    lo, hi = min(gaps), max(gaps)
    if hi - lo < 1.5:
        return -1e9  # uniform spacing: one line per row
    return (lo + hi) / 2
