"""Status and RAG: status words in free text, RAG ratings from text or cell fill, a document's own RAG key,
and the final status decision. Vocabulary and reference colours are in rules/status.yaml."""
from __future__ import annotations

import math
import re

from extractor.rules import RulesError, phrase_pattern
from extractor.settings import Settings, current, validator

STATUSES = ("not_started", "in_progress", "delayed", "completed", "unknown")
RAGS = ("red", "amber", "green", "blue")
_REAL = STATUSES[:-1]  # statuses a word can mean ("unknown" is the absence of one)

_LISTS = {"__fixed__": True, **{s: ["str"] for s in _REAL}}
SCHEMA = {
    "statuses": _LISTS,
    "whole_cell": _LISTS,
    "weak": ["str"],
    "negations": ["str"],
    "negation_window": "int",
    "negated": {"*": "str"},
    "negated_phrases": {"*": ["str"]},
    "future_cues": ["str"],
    "future": {"*": "str"},
    "clause_breaks": ["str"],
    "background_cues": ["str"],
    "update_cues": ["str"],
    "label_extra_words": "int",
    "rag_words": {"__fixed__": True, **{r: ["str"] for r in RAGS}},
    "rag_max_words": "int",
    "rag_default": {"*": "str"},
    "rag_fills": {"__fixed__": True, **{r: ["str"] for r in RAGS}, "none": ["str"]},
    "rag_fill_max_distance": "int",
    "rag_key_max_rows": "int",
    "rag_key_separators": ["str"],
}

# Between the words of a status phrase any punctuation may appear ("complete - ongoing", "complete/ongoing").
_STATUS_GAP = r"[\s\-\u2013\u2014,:;/&]+"
_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")


# --------------------------------------------------------------------------- rules

def _check_rules(r: dict) -> None:
    """Value checks the schema language cannot express; errors name file and key like the schema check does."""
    where = "rules/status.yaml"
    for key in ("negated", "future", "rag_default"):
        for name, value in r[key].items():
            allowed = RAGS if key == "rag_default" else _REAL
            if name not in allowed:
                raise RulesError(f"{where}.{key}.{name}: unknown key (expected one of {', '.join(allowed)})")
            if value and value not in _REAL:
                raise RulesError(f"{where}.{key}.{name}: {value!r} is not a status ({', '.join(_REAL)})")
    for name in r["negated_phrases"]:
        if name not in _REAL:
            raise RulesError(f"{where}.negated_phrases.{name}: not a status ({', '.join(_REAL)})")
    for label, colours in r["rag_fills"].items():
        for i, hx in enumerate(colours):
            if not _HEX.fullmatch(hx.strip()):
                raise RulesError(f"{where}.rag_fills.{label}[{i}]: {hx!r} is not a 6-digit hex colour")


def _rules() -> dict:
    return current().rules("status", SCHEMA, _check_rules)


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _norm(text: str) -> str:
    """Lookup key for a matched phrase: lower case, punctuation runs -> one space, curly quotes straight."""
    return re.sub(_STATUS_GAP, " ", text.lower().replace("\u2019", "'")).strip()


def _compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = settings.rules("status", SCHEMA, _check_rules)
    meaning: dict[str, str] = {}  # phrase -> status as printed
    negated: dict[str, str] = {}  # already-negated word -> the status it negates
    for status in _REAL:
        for p in r["statuses"][status]:
            meaning[_norm(p)] = status
    for status, words in r["negated_phrases"].items():
        for p in words:
            negated[_norm(p)] = status
    window = r["negation_window"]
    breaks = phrase_pattern(r["clause_breaks"])
    words = [w for ws in r["rag_words"].values() for w in ws]
    letters = {w.upper(): rag for rag, ws in r["rag_words"].items() for w in ws if len(w) == 1}
    colour_words = {w.lower(): rag for rag, ws in r["rag_words"].items() for w in ws if len(w) > 1}
    return {
        "phrase": re.compile(phrase_pattern(list(meaning) + list(negated), gap=_STATUS_GAP), re.I),
        "meaning": meaning,
        "negated_words": negated,
        "weak": {_norm(p) for p in r["weak"]},
        "whole_cell": {_norm(p): st for st in _REAL for p in r["whole_cell"][st]},
        # A negation up to `window` words before the phrase, or a future cue right before it (one adverb
        # allowed: "to be fully completed"). Both are searched in the clause the phrase sits in.
        "negation": re.compile(rf"{phrase_pattern(r['negations'])}(?:[\s\-]+[A-Za-z']+){{0,{window}}}[\s\-]*$", re.I),
        "background": re.compile(rf"{phrase_pattern(r['background_cues'])}(?:[\s\-]+[A-Za-z']+){{0,3}}[\s\-]*$", re.I),
        "label_extra": r["label_extra_words"],
        # an update cue up to three words before the phrase ("now complete", "has since been completed")
        "update": re.compile(rf"{phrase_pattern(r['update_cues'])}(?:[\s\-]+[A-Za-z']+){{0,3}}[\s\-]*$", re.I),
        "future": re.compile(rf"{phrase_pattern(r['future_cues'])}(?:[\s\-]+[A-Za-z']+)?[\s\-]*$", re.I),
        "clause": re.compile(rf"[.;:!?\n,()\u2013\u2014]|\s-\s|{breaks}", re.I),
        "negated_to": r["negated"],
        "future_to": r["future"],
        "colour_word": re.compile(rf"(?<![A-Za-z])({_alternation(colour_words)})(?![A-Za-z])", re.I),
        "colour_words": colour_words,
        "letters": letters,
        "any_colour": {w.lower() for w in words},
        "anchors": [(label, _lab(hx)) for label, hs in r["rag_fills"].items() for hx in hs],
        "key_sep": phrase_pattern(r["rag_key_separators"]),
    }


# --------------------------------------------------------------------------- status words

def _clause_before(text: str, start: int) -> str:
    """The text from the start of the clause holding position `start` up to it."""
    before = text[:start]
    cuts = list(_compiled()["clause"].finditer(before))
    return before[cuts[-1].end():] if cuts else before


def _effective(text: str, m: re.Match) -> str:
    """What one matched phrase says once negation ("not yet completed") and futurity ("due to complete")
    are taken into account; "" when it says nothing."""
    c = _compiled()
    key = _norm(m.group(0))
    prefix = _clause_before(text.replace("\u2019", "'"), m.start())
    if key in c["negated_words"]:
        return c["negated_to"].get(c["negated_words"][key], "")
    status = c["meaning"][key]
    if c["negation"].search(prefix):
        return c["negated_to"].get(status, "")
    if c["future"].search(prefix):
        return c["future_to"].get(status, "")
    if c["background"].search(prefix):
        return ""  # "completed after a short delay": the delay is history, not the state
    return status


def key_meaning(text: str) -> str | None:
    """The status a RAG key gives a colour: its FIRST meaning ("Not started/Off track" -> not_started)."""
    c = _compiled()
    for m in c["phrase"].finditer(text or ""):
        status = _effective(text, m)
        if status:
            return status
    return None


def _opening_label(text: str) -> str | None:
    """The status of an opening segment that is just a status phrase ("In progress. ...", "Completed -")."""
    c = _compiled()
    first = re.split(r"[.;:!?\n(]|\s[-\u2013\u2014]\s|,", text.strip(), maxsplit=1)[0].strip()
    matches = list(c["phrase"].finditer(first))
    if len(matches) != 1:
        return None
    m = matches[0]
    extra = len(re.findall(r"[A-Za-z']+", first[:m.start()] + " " + first[m.end():]))
    if extra > c["label_extra"]:
        return None
    return _effective(first, m) or None


def status_from_text(text: str) -> str | None:
    """The status a text states; when it tells a story the last-stated status wins. Weak words
    ("ongoing") only count when nothing stronger is said. None when no status word is found."""
    if not text or not isinstance(text, str):
        return None
    c = _compiled()
    whole = c["whole_cell"].get(_norm(text.strip(" .;:!*")))
    if whole:
        return whole
    strong: list[str] = []
    weak: list[str] = []
    updates: list[str] = []  # statuses introduced by "now", "since", "finally" ...: the story's latest word
    for m in c["phrase"].finditer(text):
        status = _effective(text, m)
        if status:
            (weak if _norm(m.group(0)) in c["weak"] else strong).append(status)
            if c["update"].search(text[max(0, m.start() - 60):m.start()]):
                updates.append(status)
    label = _opening_label(text)
    if label:
        return updates[-1] if updates else label
    if strong:
        return strong[-1]
    return weak[-1] if weak else None


# --------------------------------------------------------------------------- RAG from text

def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)


def _leading_letter(text: str) -> str | None:
    """A RAG letter opening a cell: the whole cell ("g"), or an upper-case first token followed by
    punctuation or the end ("A - in progress", "R/A", "G:")."""
    c = _compiled()
    if len(text) == 1:
        return c["letters"].get(text.upper())
    m = re.match(r"([A-Z])(?:\s*[/\-\u2013\u2014:=(),]|\s*$)", text)
    return c["letters"].get(m.group(1)) if m else None


def _first_colour(text: str) -> str | None:
    """The first colour named anywhere in a short text: a colour word or a bracketed letter ("(G)")."""
    c = _compiled()
    hits = [(m.start(), c["colour_words"][m.group(1).lower()]) for m in c["colour_word"].finditer(text)]
    hits += [(m.start(), c["letters"][m.group(1)]) for m in re.finditer(r"\(([A-Z])\)", text)
             if m.group(1) in c["letters"]]
    return min(hits)[1] if hits else None


def rag_from_text(text: str) -> str | None:
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
    return _first_colour(t) if len(words) <= _rules()["rag_max_words"] else None


# --------------------------------------------------------------------------- RAG from cell fill

def _lab(hex6: str) -> tuple[float, float, float]:
    """sRGB hex -> CIELAB (D65): distances there track how different two fills look."""
    h = _HEX.fullmatch(hex6.strip()).group(1)  # type: ignore[union-attr]
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [((v + 0.055) / 1.055) ** 2.4 if v > 0.04045 else v / 12.92 for v in rgb]
    x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047
    y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def rag_from_fill(fill_hex: str) -> str | None:
    """The RAG colour of a cell fill: the label of the nearest reference colour in rules/status.yaml
    (whites, greys and pale header tints are references too, labelled "none")."""
    if not fill_hex or not isinstance(fill_hex, str) or not _HEX.fullmatch(fill_hex.strip()):
        return None
    c = _compiled()
    lab = _lab(fill_hex)
    label, dist = min(((lbl, math.dist(lab, ref)) for lbl, ref in c["anchors"]), key=lambda x: x[1])
    if label == "none" or dist > _rules()["rag_fill_max_distance"]:
        return None
    return label


# --------------------------------------------------------------------------- RAG -> status

def _as_rag(rag: str | None) -> str | None:
    if not rag:
        return None
    r = rag.strip().lower()
    return r if r in RAGS else rag_from_text(rag)


def status_from_rag(rag: str | None, key: dict[str, str] | None = None) -> str | None:
    """What a RAG rating means: through the document's own key when it has this colour, else the
    default mapping in rules/status.yaml."""
    r = _as_rag(rag)
    if r is None:
        return None
    if key and key.get(r):
        return key[r]
    return _rules()["rag_default"].get(r) or None


def _key_regex() -> re.Pattern:
    c = _compiled()
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
        status = key_meaning(meaning)
        if rag and status:
            pairs.append((rag, status))
    return pairs


def _merge(pairs: list[tuple[str, str]]) -> dict[str, str] | None:
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


def _pure_colour(text: str) -> str | None:
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
        status = key_meaning(meaning) if meaning else None
        if status is None and not _pure_colour(cell):
            status = key_meaning(cell)
        if status:
            pairs.append((rag, status))
    filled = sum(bool(c.strip()) for c in cells)
    # A key row is colours and meanings (plus perhaps a "Key" label); a row with much else beside one
    # colour is an action row that happens to carry a RAG.
    return pairs if filled <= 2 * len(pairs) + 1 else []


def rag_key_from_rows(rows: list[list[str]], fills: list[list[str]] | None = None) -> dict[str, str]:
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
    if not out or len(out) < 2 or mapped_rows > _rules()["rag_key_max_rows"]:
        return {}
    return out


# --------------------------------------------------------------------------- decision

def decide_status(status_cell: str, rag: str | None, progress: str, rag_key: dict | None) -> str:
    """Authority in order:
      1. the status column's own words (a status cell holding only a RAG colour/letter is a RAG rating);
      2. the RAG rating read through the document's own key, when it has one;
      3. the progress/update text ("Completed and ongoing" beside a green cell is completed);
      4. the RAG rating through the default mapping (a lone RAG still decides);
      5. "unknown"."""
    cell = (status_cell or "").strip()
    rag = _as_rag(rag)
    if cell:
        stated = status_from_text(cell)
        if stated:
            return stated
        rag = rag or rag_from_text(cell)
    if rag and rag_key and rag_key.get(rag):
        return rag_key[rag]
    told = status_from_text(progress or "")
    if told:
        return told
    return status_from_rag(rag) or "unknown"
