"""A PDF page's characters -> words, as pdfplumber's `page.extract_words(extra_attrs=["fontname", "size"],
x_tolerance_ratio=gap_em)` makes them (every other argument at its default), without its per-group overhead.

Why not pdfplumber's own: with `extra_attrs` it starts a group at every change of font or size and runs its
whole line clustering (sets, dicts, sorts, generators) and a dict per word on each; pages that switch fonts every
few characters (rotated labels, mixed-font tables) cost 2-3x its plain extract_words, the largest part of some
files' time. This module does the same steps in the same order on plain tuples, with shortcuts where a group has
one character or one line. tests/test_pdf_words.py compares it with pdfplumber's on random characters (including
rotated text, blanks, empty texts, ligatures, shared and near positions) and on every page of the real PDFs.
"""
from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import Iterable

# pdfplumber's defaults (utils/text.py: DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE, LIGATURES with expand_ligatures)
X_TOLERANCE = 3
Y_TOLERANCE = 3
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

RawWord = tuple  # (text, x0, x1, top, bottom, fontname, size): what ingest/pdf.py reads of pdfplumber's word dict

_group_key = itemgetter("upright", "fontname", "size")


def _upright_order(c: dict) -> tuple:  # pdfplumber's char sort keys: "ltr" for upright text ...
    return (c["x0"], c["x0"])


def _rotated_order(c: dict) -> tuple:  # ... "ttb" for rotated text (its char_dir_rotated is line_dir)
    return (c["top"], c["bottom"])


def extract_words(chars: Iterable[dict], gap_em: float) -> list[RawWord]:
    """Words of `chars` (pdfplumber char dicts, in the page's order): a word ends at a blank, where the next
    character starts left of the previous one's start or further right than `gap_em` x its size past its end, or
    moves off its line by more than 3 pt; chars of another orientation, font or size start another word."""
    out: list[RawWord] = []
    for (upright, _font, _size), group in groupby(chars, _group_key):
        group = list(group)
        if len(group) == 1:
            _words_of_line(group, upright, gap_em, out)
            continue
        for line in _lines(group, "top" if upright else "x0"):
            if len(line) > 1:
                line = sorted(line, key=_upright_order if upright else _rotated_order)
            _words_of_line(line, upright, gap_em, out)
    return out


def _lines(chars: list[dict], key: str) -> list[list[dict]]:
    """pdfplumber's cluster_objects(chars, key, 3): the distinct values sorted and chained while each is within 3 of
    the one before; the chars grouped by their value's cluster, clusters in order, chars in their order."""
    values = sorted(set(c[key] for c in chars))
    index, last = 0, values[0]
    cluster_of = {last: 0}
    for value in values[1:]:
        if not value <= last + X_TOLERANCE:  # (written as pdfplumber's test, so that a NaN goes where it goes there)
            index += 1
        cluster_of[value] = index
        last = value
    if index == 0:
        return [chars]
    ordered = sorted(((cluster_of.get(c[key]), n) for n, c in enumerate(chars)))
    lines: list[list[dict]] = []
    current = None
    for cluster, n in ordered:
        if cluster != current:
            lines.append([])
            current = cluster
        lines[-1].append(chars[n])
    return lines


def _words_of_line(line: list[dict], upright, gap_em: float, out: list[RawWord]) -> None:
    """pdfplumber's iter_chars_to_words + merge_chars on one sorted line (direction ltr if upright, else ttb)."""
    word: list[dict] = []
    for char in line:
        text = char["text"]
        if text.isspace():
            if word:
                out.append(_merge(word))
            word = []
        elif text == "":  # (pdfplumber: `text in split_at_punctuation`, and "" is in every string)
            if word:
                out.append(_merge(word))
            out.append(_merge([char]))
            word = []
        elif word and _begins_new_word(word[-1], char, upright, gap_em * word[-1]["size"]):
            out.append(_merge(word))
            word = [char]
        else:
            word.append(char)
    if word:
        out.append(_merge(word))


def _begins_new_word(prev: dict, curr: dict, upright, gap: float) -> bool:
    if upright:  # ltr: along x with the gap, across by the line tolerance
        ax, bx, cx, ay, cy, along, across = (prev["x0"], prev["x1"], curr["x0"], prev["top"], curr["top"], gap,
                                             Y_TOLERANCE)
    else:  # ttb: pdfplumber swaps the tolerances for vertical text
        ax, bx, cx, ay, cy, along, across = (prev["top"], prev["bottom"], curr["top"], prev["x0"], curr["x0"],
                                             Y_TOLERANCE, gap)
    return bool(cx < ax or cx > bx + along or abs(cy - ay) > across)


def _merge(chars: list[dict]) -> RawWord:
    first = chars[0]
    if len(chars) == 1:
        text = first["text"]
        return (LIGATURES.get(text, text or ""), first["x0"], first["x1"], first["top"], first["bottom"],
                first["fontname"], first["size"])
    return ("".join([LIGATURES.get(c["text"], c["text"] or "") for c in chars]),
            min(c["x0"] for c in chars), max(c["x1"] for c in chars), min(c["top"] for c in chars),
            max(c["bottom"] for c in chars), first["fontname"], first["size"])
