"""Two groupings every PDF table reader here needs: coordinates merged into grid lines, and words into the
printed lines they sit on."""
from __future__ import annotations

from typing import Iterable

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
