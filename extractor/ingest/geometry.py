"""What every PDF table reader here needs of plain geometry: coordinates merged into grid lines, words grouped
into the printed lines they sit on, a box inside another, words set in columns."""
from __future__ import annotations

import bisect
from typing import Iterable, Sequence

from extractor.model import Word


def grid_lines(values: Iterable[float], tol: float = 2.0) -> list[float]:
    """The distinct grid lines of some cell edges: each value lies within `tol` of the line it is merged into."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def printed_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped into the lines they are printed on (vertical overlap), each line left to right."""
    groups: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if groups and abs(w.top - groups[-1][0].top) <= max(w.bottom - w.top, 1.0) * 0.45:
            groups[-1].append(w)
        else:
            groups.append([w])
    return [sorted(g, key=lambda w: w.x0) for g in groups]


def within(inner: Sequence[float], outer: Sequence[float], slack: float) -> bool:
    """The box (x0, top, x1, bottom) `inner` lies inside `outer`, give or take `slack` points."""
    return (outer[0] - slack <= inner[0] and inner[2] <= outer[2] + slack
            and outer[1] - slack <= inner[1] and inner[3] <= outer[3] + slack)


def column_of(word: Word, cuts: Sequence[float]) -> int:
    """The column band between the sorted inner column boundaries `cuts` that the word's centre falls in."""
    return bisect.bisect_left(cuts, (word.x0 + word.x1) / 2)


def set_in_columns(words: Sequence[Word], cuts: Sequence[float]) -> bool:
    """Words in at least two of the columns the inner boundaries `cuts` make, none of them across a boundary."""
    if not words or any(w.x0 < x - 1.0 and w.x1 > x + 1.0 for w in words for x in cuts):
        return False
    return len({column_of(w, cuts) for w in words}) >= 2
