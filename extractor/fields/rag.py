"""RAG ratings: from a letter or word ("G", "Amber/Green", "Green – on track"), from a cell's fill (by hue and
lightness, so every Office theme shade of a colour reads as that colour), and a document's own RAG key
(written as text, laid out as a table, or printed as colour swatches beside their labels).
Vocabulary, hue bands and reference fills are in rules/status.yaml."""
from __future__ import annotations

import colorsys
import math
import re
from typing import Optional

from extractor.fields import progress, status_vocab
from extractor.model import RAGS
from extractor.rules import phrase_pattern
from extractor.settings import Settings, current, validator

HEX = status_vocab.HEX


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = settings.rules("status", status_vocab.SCHEMA, status_vocab.check)
    words = [w for ws in r["rag_words"].values() for w in ws]
    letters = {w.upper(): rag for rag, ws in r["rag_words"].items() for w in ws if len(w) == 1}
    colour_words = {w.lower(): rag for rag, ws in r["rag_words"].items() for w in ws if len(w) > 1}
    compiled = {
        "colour_word": re.compile(rf"(?<![A-Za-z])({_alternation(colour_words)})(?![A-Za-z])", re.I),
        "colour_words": colour_words,
        "letters": letters,
        "any_colour": {w.lower() for w in words},
        "anchors": [(label, lab(hx)) for label, hs in r["rag_fills"].items() for hx in hs],
        "bands": r["rag_hues"],
        "exact": r["rag_fill_exact_distance"],
        "max_words": r["rag_max_words"],
        "key_sep": phrase_pattern(r["rag_key_separators"]),
        "key_max_rows": r["rag_key_max_rows"],
    }
    compiled["key_regex"] = _build_key_regex(compiled)
    return compiled


# --------------------------------------------------------------------------- RAG from text

def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)


def _leading_letter(text: str) -> Optional[str]:
    """A RAG letter opening a cell: the whole cell ("g"), or an upper-case first token followed by
    punctuation or the end ("A - in progress", "R/A", "G:")."""
    c = _compiled()
    if len(text) == 1:
        return c["letters"].get(text.upper())
    m = re.match(r"([A-Z])(?:\s*[/\-\u2013\u2014:=(),]|\s*$)", text)
    return c["letters"].get(m.group(1)) if m else None


def _first_colour(text: str) -> Optional[str]:
    """The first colour named anywhere in a short text: a colour word or a bracketed letter ("(G)")."""
    c = _compiled()
    hits = [(m.start(), c["colour_words"][m.group(1).lower()]) for m in c["colour_word"].finditer(text)]
    hits += [(m.start(), c["letters"][m.group(1)]) for m in re.finditer(r"\(([A-Z])\)", text)
             if m.group(1) in c["letters"]]
    return min(hits)[1] if hits else None


def rag_from_text(text: str) -> Optional[str]:
    """A RAG colour from a RAG-like cell: "G", "Amber", "Complete (Blue)", "Red - not started",
    "Amber/Green" (the first colour mentioned wins). A long text only counts when it opens with the
    colour ("Amber - work progressing but ..."); a stray "green" inside prose is not a rating."""
    if not text or not isinstance(text, str):
        return None
    c = _compiled()
    t = text.strip()
    words = _words(t)
    if not words:
        return None
    if words[0].lower() in c["colour_words"]:
        return c["colour_words"][words[0].lower()]
    lead = _leading_letter(t)
    if lead:
        return lead
    return _first_colour(t) if len(words) <= c["max_words"] else None


def as_rag(value: Optional[str]) -> Optional[str]:
    """A RAG colour name as given ("red") or read from a letter / word ("R", "Red – delayed")."""
    if not value:
        return None
    r = value.strip().lower()
    return r if r in RAGS else rag_from_text(value)


# --------------------------------------------------------------------------- RAG from cell fill

def lab(hex6: str) -> tuple[float, float, float]:
    """sRGB hex -> CIELAB (D65): distances there track how different two fills look."""
    h = HEX.fullmatch(hex6.strip()).group(1)  # type: ignore[union-attr]
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [((v + 0.055) / 1.055) ** 2.4 if v > 0.04045 else v / 12.92 for v in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _in_hue(hue: float, band: list) -> bool:
    lo, hi = band
    return lo <= hue <= hi if lo <= hi else hue >= lo or hue <= hi  # a band may wrap past 360 (reds)


def hue_lightness_saturation(fill_hex: str) -> tuple[float, float, float]:
    h = HEX.fullmatch(fill_hex.strip()).group(1)  # type: ignore[union-attr]
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    return hue * 360, light, sat


def rag_from_fill(fill_hex: str) -> Optional[str]:
    """The RAG colour of a cell fill: a reference fill of rules/status.yaml when the fill is (nearly) one of
    them, else the first hue band whose hue, lightness and saturation ranges hold it. Greys, whites, pale
    header tints and identity colours are no rating (None)."""
    if not fill_hex or not isinstance(fill_hex, str) or not HEX.fullmatch(fill_hex.strip()):
        return None
    c = _compiled()
    here = lab(fill_hex)
    near = [(math.dist(here, ref), label) for label, ref in c["anchors"]]
    if near:
        dist, label = min(near)
        if dist <= c["exact"]:
            return None if label == "none" else label
    hue, light, sat = hue_lightness_saturation(fill_hex)
    for band in c["bands"]:
        lo, hi = band["lightness"]
        if _in_hue(hue, band["hue"]) and lo <= light <= hi and sat >= band["min_saturation"]:
            return band["rag"]
    return None


def fill_evidence(fill_hex: str) -> str:
    """How a fill is shown as evidence and kept as rag_raw: "#RRGGBB"."""
    m = HEX.fullmatch((fill_hex or "").strip())
    return f"#{m.group(1).upper()}" if m else ""


# --------------------------------------------------------------------------- RAG keys

def _key_regex() -> re.Pattern:
    return _compiled()["key_regex"]


def _build_key_regex(c: dict) -> re.Pattern:
    colours = _alternation(c["colour_words"])
    letters = "".join(re.escape(x) for x in c["letters"])
    sep = rf"\s*(?:[=:\-\u2013\u2014(]|{c['key_sep']})\s*"
    return re.compile(rf"(?<![A-Za-z])(?:(?i:({colours}))|([{letters}]))(?![A-Za-z]){sep}")


def _text_pairs(text: str) -> list[tuple[str, str]]:
    """(rag, status) for each "colour <separator> meaning" written in a text ("Red = not started")."""
    c = _compiled()
    hits = list(_key_regex().finditer(text))
    pairs: list[tuple[str, str]] = []
    for i, m in enumerate(hits):
        rag = c["colour_words"].get((m.group(1) or "").lower()) or c["letters"].get(m.group(2) or "")
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        meaning = re.split(r"[;\n)]", text[m.end():end], maxsplit=1)[0]
        status = progress.first_meaning(meaning)
        if rag and status:
            pairs.append((rag, status))
    return pairs


def _merge(pairs: list[tuple[str, str]]) -> Optional[dict[str, str]]:
    """Pairs -> mapping; None when one colour is given two different meanings (not a key)."""
    out: dict[str, str] = {}
    for rag, status in pairs:
        if out.get(rag, status) != status:
            return None
        out[rag] = status
    return out


def rag_key_from_text(text: str) -> dict[str, str]:
    """A key written as text ("Key: Red - not started; Amber - in progress; Blue = complete") ->
    {"red": "not_started", ...}. {} unless at least two colours get a meaning, consistently."""
    if not text or not isinstance(text, str):
        return {}
    out = _merge(_text_pairs(text))
    return out if out and len(out) >= 2 else {}


def _pure_colour(text: str) -> Optional[str]:
    """A cell that is only a colour name/letter ("Red", "R", "Red (R)"), not a colour plus meaning."""
    c = _compiled()
    ws = [w.lower() for w in _words(text)]
    if ws and len(ws) <= 2 and all(w in c["any_colour"] for w in ws):
        return rag_from_text(text)
    return None


def _row_pairs(cells: list[str], fills: list[str]) -> list[tuple[str, str]]:
    """(rag, status) pairs in one row of a key table. A cell may hold a whole entry ("Red = not
    started"); or a colour (word, letter or fill) is followed by the cell giving its meaning; or a
    filled cell names its own meaning."""
    pairs: list[tuple[str, str]] = []
    for i, cell in enumerate(cells):
        inline = _text_pairs(cell)
        if inline:
            pairs.extend(inline)
            continue
        rag = _pure_colour(cell) or (rag_from_fill(fills[i]) if i < len(fills) else None)
        if not rag:
            continue
        meaning = next((t for t in cells[i + 1:] if t.strip() and not _pure_colour(t)), "")
        status = progress.first_meaning(meaning) if meaning else None
        if status is None and not _pure_colour(cell):
            status = progress.first_meaning(cell)
        if status:
            pairs.append((rag, status))
    filled = sum(bool(c.strip()) for c in cells)
    # A key row is colours and meanings (plus perhaps a "Key" label); a row with much else beside one
    # colour is an action row that happens to carry a RAG.
    return pairs if filled <= 2 * len(pairs) + 1 else []


def rag_key_from_rows(rows: list[list[str]], fills: Optional[list[list[str]]] = None) -> dict[str, str]:
    """A RAG key laid out as a table (one colour per row, or colour/meaning pairs across one row), the
    colour given as a word, a letter or a cell fill -> {rag: status}. {} when the rows are not a key:
    fewer than two colours, a colour given two meanings, or too many rows (an action table)."""
    pairs: list[tuple[str, str]] = []
    mapped_rows = 0
    for r, row in enumerate(rows or []):
        cells = [str(x or "") for x in row]
        row_fills = [str(f or "") for f in ((fills[r] if fills and r < len(fills) else None) or [])]
        found = _row_pairs(cells, row_fills)
        mapped_rows += bool(found)
        pairs.extend(found)
    out = _merge(pairs)
    if not out or len(out) < 2 or mapped_rows > _compiled()["key_max_rows"]:
        return {}
    return out


def rag_key_from_swatches(swatches: list[tuple[str, str]]) -> dict[str, str]:
    """A key printed as colour swatches beside their labels (no colour named in words): [(fill hex, label
    text), ...] -> {rag: status}. For the table / layout stage, which finds the swatches (a small filled
    cell or drawn box) and the text next to each."""
    pairs = []
    for fill, label in swatches or []:
        rag = rag_from_fill(fill)
        status = progress.first_meaning(label) if rag else None
        if rag and status:
            pairs.append((rag, status))
    out = _merge(pairs)
    return out if out and len(out) >= 2 else {}
