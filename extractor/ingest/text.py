"""Small text helpers shared by both ingest backends."""
from __future__ import annotations

import re
from typing import Any

from extractor.strings import ws

# A bullet: an unmapped glyph "(cid:127)", a bullet symbol (space optional), or a dash/o/* followed by a space.
BULLET_RE = re.compile(r"^\s*(?:\(cid:\d+\)\s*"
                       r"|[\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2219\u00b7\uf0b7\uf0a7\u25a0\u25a1\u27a2\u2713]\s*"
                       r"|[\u2013\u2014\-*o\u00a7\u00d8]\s+)")


def clean_paragraph(text: str) -> str:
    """Drop a leading bullet glyph and collapse whitespace."""
    return ws(BULLET_RE.sub("", text))


def color_to_hex(colour: Any) -> str:
    """pdfplumber colour (gray, RGB or CMYK tuple, 0-1 floats) -> 'RRGGBB'; '' for none/white/patterns."""
    if colour is None or isinstance(colour, str):
        return ""
    try:
        values = [float(v) for v in (colour if isinstance(colour, (list, tuple)) else [colour])]
    except (TypeError, ValueError):
        return ""
    if len(values) == 1:
        r = g = b = values[0]
    elif len(values) == 3:
        r, g, b = values
    elif len(values) == 4:
        c, m, y, k = values
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        return ""
    rgb = [max(0, min(255, round(v * 255))) for v in (r, g, b)]
    if min(rgb) >= 250:
        return ""  # white is no fill
    return "".join(f"{v:02X}" for v in rgb)


_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u00ad]$")  # hyphen, Unicode hyphen, soft hyphen
FOOTNOTE_MARK = re.compile(r"^(?:\d{1,3}|[*\u2020\u2021\u00a7\u00b9\u00b2\u00b3\u2070-\u2079]+|[a-z])$")
ORDINAL_SUFFIX = re.compile(r"^(?:st|nd|rd|th)$", re.I)


def join_lines(lines: list[str]) -> str:
    """Lines of one paragraph joined with spaces, a word broken at a line-end hyphen rejoined without one
    ("self-" + "assessment" -> "self-assessment"; the hyphen is kept: it may be a real one; a soft hyphen,
    which only ever marks a break, is dropped). A dash standing alone ("costs rose –") stays apart."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and _LINE_END_HYPHEN.search(out) and line[:1].isalpha() and line[:1].islower():
            out = (out[:-1] if out.endswith("\u00ad") else out) + line
        else:
            out = f"{out} {line}" if out else line
    return out


def encodable(text: str) -> str:
    """`text` with every character UTF-8 cannot encode (a lone UTF-16 surrogate: a PDF font can map a glyph to
    half a pair, a file name can hold bytes that are not UTF-8) replaced by U+FFFD; surrogate pairs that stand
    for one character are joined into it. Fast on the usual (ASCII or valid) text."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
