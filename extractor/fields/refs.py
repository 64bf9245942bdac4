"""Action references: split a ref glued to the start of action text, clean and canonicalise it, find its
parent, and strip "(NEW)"-style markers. Shapes and words come from rules/refs.yaml."""
from __future__ import annotations

import re

from extractor.rules import phrase_pattern
from extractor.settings import Settings, current, validator

SCHEMA = {
    "ref_patterns": ["regex"],
    "not_refs": ["regex"],
    "outline_refs": ["regex"],
    "sub_item_refs": ["regex"],
    "quantity_words": ["str"],
    "new_markers": ["str"],
    "new_marker_followers": ["str"],
}

# What may sit between a ref and its text: a dash/colon (with optional spaces) or plain spaces; a ref
# ending in ")" or a number ending in "." may touch the text ("13)Develop", "1.Develop"), but "i.e."
# must not become ref "i".
_SEP = r"(?:\s*[:\-\u2013\u2014]\s*|\s+|(?<=\))|(?<=\d\.))"
# The text after a ref must start like words do: a letter, an opening bracket or a quote.
_REST = r"(?P<rest>[A-Za-z(\[\"'\u2018\u201c].*)"


def _compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = settings.rules("refs", SCHEMA)
    followers = phrase_pattern(r["new_marker_followers"])
    markers = phrase_pattern(r["new_markers"])
    # Inside brackets: the marker alone, or followed by punctuation / a follower word / text with a date.
    inner = rf"\s*{markers}\s*(?:[\-\u2013\u2014:;,.][^)\]]*|\s+{followers}[^)\]]*|\s+[^)\]]*\d[^)\]]*)?"
    return {
        "refs": [re.compile(rf"(?P<ref>{p}){_SEP}{_REST}", re.S) for p in r["ref_patterns"]],
        "not_refs": [re.compile(p, re.I) for p in r["not_refs"]],
        "outline": [re.compile(p) for p in r["outline_refs"]],
        "sub_items": r["sub_item_refs"],
        "quantity": {w.lower() for w in r["quantity_words"]},
        "marker_words": {w.casefold() for w in r["new_markers"]} | {f"{w.casefold()} action" for w in r["new_markers"]},
        "bracketed": re.compile(rf"\({inner}\)|\[{inner}\]", re.I),
        # "NEW: ..." / "New - ..." (a spaced dash, so "New-build scheme" keeps its word).
        "leading": re.compile(rf"^\s*{markers}(?:\s*:|\s+[\-\u2013\u2014])\s*", re.I),
        # An upper-case NEW standing alone at either end ("NEW Appoint ...", "... lead NEW").
        "caps": re.compile(r"^\s*NEW\b[\s:\-\u2013\u2014]*|[\s\-\u2013\u2014]*\bNEW\s*$"),
    }


def clean_ref(raw: str) -> str:
    """The ref as printed, minus trailing dots/colons/dashes/spaces; a closing bracket stays ("13)"). A
    space inside a dotted number is a line break a narrow column forced ("1.1|0") and goes."""
    ref = re.sub(r"[\s.:;,\-\u2013\u2014]+$", "", (raw or "").strip())
    if "." in ref:
        ref = re.sub(r"(?<=[\d.])\s+(?=[\d.])", "", ref)
    return ref


def counts_something(number: str, rest: str) -> bool:
    """A number followed by a unit-like word ("5 Year plan", "2.5 WTE"): a quantity, not a ref."""
    if not re.fullmatch(r"\d+(?:\.\d+)*", number):
        return False
    first = re.match(r"[A-Za-z%]+", rest)
    return bool(first) and first.group(0).lower() in _compiled()["quantity"]


def _is_quantity(ref: str, rest: str) -> bool:
    """A number followed by a unit-like word ("5 year plan", "2.5 WTE") is a quantity, not a ref."""
    if not re.fullmatch(r"\d+(?:\.\d+)*", ref):
        return False
    if counts_something(ref, rest):
        return True
    # A bare whole number ("13 ...") is only a ref when the text goes on with a capital ("13 Develop").
    return ref.isdigit() and not rest[:1].isupper()


def split_leading_ref(text: str) -> tuple[str, str]:
    """("6.26", "Appoint ...") for "6.26 Appoint ..."; ("", text) when the text starts with no ref."""
    if not text:
        return "", text or ""
    stripped = text.lstrip()
    c = _compiled()
    for rx in c["refs"]:
        m = rx.match(stripped)
        if not m:
            continue
        ref = clean_ref(m.group("ref"))
        rest = m.group("rest").strip()
        if not ref or not rest:
            continue
        if any(nr.fullmatch(ref) for nr in c["not_refs"]) or _is_quantity(ref, rest):
            return "", text
        return ref, rest
    return "", text


def outline_ref(text: str) -> tuple[str, str]:
    """(capital, sub-item) of a cell shaped like an outline ref ("A", "(B)", "Aii" -> ("A", "ii")); ("", "")
    otherwise. Only a column of them stepping through the alphabet makes them refs (tables/columns.py)."""
    for rx in _compiled()["outline"]:
        m = rx.fullmatch((text or "").strip())
        if m:
            return m.group("letter"), m.group("sub") or ""
    return "", ""


def sub_item_ref(text: str, parent: str) -> tuple[str, str]:
    """(ref, rest) when `text` opens with the parent's ref and a sub-item ("Ai. Review ..." under "A" -> ("Ai",
    "Review ...")); ("", text) otherwise."""
    for sub in _compiled()["sub_items"]:
        m = re.match(rf"\(?{re.escape(parent)}\)?\s?[.\-]?\s?{sub}\s+(?=\S)", text)
        if m:
            return parent + m.group("sub"), text[m.end():]
    return "", text


def normalise_ref(ref: str) -> str:
    """Canonical form for matching: upper case, no spaces, no wrapping/closing brackets or trailing dots,
    no leading zeros on numeric parts ("06.02" -> "6.2"; "6.20" stays: trailing zeros are meaningful)."""
    s = re.sub(r"\s+", "", ref or "").upper()
    prev = None
    while s != prev:  # peel "(a).", "13)." ... until nothing changes
        prev = s
        s = s.rstrip(".:;,-\u2013\u2014")
        if s.startswith("(") and s.endswith(")"):
            s = s[1:-1]
        s = s.rstrip(")").lstrip("(")
    return re.sub(r"(?<!\d)0+(?=\d)", "", s)


def parent_ref(ref_norm: str) -> str:
    """The ref one level up: "2.4.1" -> "2.4", "13.A" / "13A" -> "13"; "" for top-level refs ("13",
    "L7", "CF1": a letter prefix names a list, not a parent)."""
    s = normalise_ref(ref_norm)
    if "." in s:
        return s.rsplit(".", 1)[0]
    m = re.fullmatch(r"([A-Z]*\d+)[A-Z]+", s)
    return m.group(1) if m else ""


def strip_new_marker(text: str) -> tuple[str, bool]:
    """Remove "(NEW)", "[New action]", "NEW:" ... markers; (clean text, whether one was found)."""
    if not text:
        return text or "", False
    c = _compiled()
    out, n = c["bracketed"].subn(" ", text)
    out, n2 = c["leading"].subn("", out)
    out, n3 = c["caps"].subn(" ", out)
    found = bool(n + n2 + n3)
    out = re.sub(r"\s+", " ", out).strip()
    if found:  # "staff (NEW) ." -> "staff."
        out = re.sub(r"\s+([.,;:])", r"\1", out)
    return out, found


def is_new_marker(text: str) -> bool:
    """The whole text is a new-action marker ("New", "NEW", "New action"): a status cell of a log that flags
    the action as new this time."""
    t = re.sub(r"[\s\-\u2013\u2014]+", " ", (text or "").strip(" .:*()[]")).casefold()
    return bool(t) and t in _compiled()["marker_words"]
