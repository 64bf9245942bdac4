"""Action holders: split an owner cell into holders, read "role (initials)", resolve abbreviations and initials
through the document's own glossary (a table, a written list "DoF – Director of Finance", or definitions in
the text "Director of Finance (DoF)"). Vocabulary is in rules/owners.yaml."""
from __future__ import annotations

import re

from extractor.rules import phrase_pattern
from extractor.settings import Settings, current, validator

SCHEMA = {
    "joiners": ["str"],
    "known_roles": ["str"],
    "role_heads": ["str"],
    "glossary_min_words": "int",
    "glossary_max_words": "int",
    "max_code_length": "int",
    "glossary_abbreviation_headers": ["str"],
    "glossary_title_headers": ["str"],
    "glossary_person_headers": ["str"],
}

_ALWAYS = re.compile(r"\s*(?:[/,;\n\r\u2022]|\s\|\s)\s*")  # separators that always part two holders
_INITIALS = re.compile(r"[A-Z]{1,4}(?:\.[A-Z])*\.?(?:\s*[,/&]\s*[A-Z]{1,4}(?:\.[A-Z])*\.?)*")


def _key(text: str) -> str:
    """Comparison key: lower case, no dots, single spaces ("D.o.N." == "don")."""
    return re.sub(r"\s+", " ", (text or "").replace(".", "").strip().lower())


def _rules() -> dict:
    return current().rules("owners", SCHEMA)


def _compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = settings.rules("owners", SCHEMA)
    return {
        "joiner": re.compile(rf"\s+{phrase_pattern(r['joiners'])}\s+", re.I),
        "roles": {_key(x) for x in r["known_roles"]},
        "heads": {_key(x) for x in r["role_heads"]},
        "abbr_headers": {_key(x) for x in r["glossary_abbreviation_headers"]},
        "title_headers": {_key(x) for x in r["glossary_title_headers"]},
        "person_headers": {_key(x) for x in r["glossary_person_headers"]},
    }


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t-\u2013\u2014:.*")


def _is_code(part: str) -> bool:
    """A short abbreviation or initials ("CFO", "DoN", "DIP (CPR)"): one token, <= max length, with at
    least two capitals."""
    token = re.sub(r"\s*\([^()]*\)\s*$", "", part).strip()
    return (bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", token))
            and len(token) <= _rules()["max_code_length"]
            and sum(ch.isupper() for ch in token) >= 2)


def _is_role(part: str) -> bool:
    """A whole role title: a known one, or one opening with a role word ("Director of Estates")."""
    key = _key(part)
    words = key.split()
    return key in _compiled()["roles"] or (len(words) >= 2 and words[0] in _compiled()["heads"])


def _all_holders(pieces: list[str]) -> bool:
    """Every side of a joiner is a holder of the same kind: all codes ("AO and CFO"), or all role titles
    ("Director of Finance and Chief Nurse")."""
    clean = [_clean(p) for p in pieces]
    if all(_is_code(p) for p in clean):
        return True
    return all(_is_role(p) or _key(p) in _compiled()["roles"] for p in clean) and not any(_is_code(p) for p in clean)


def split_owners(raw: str) -> list[str]:
    """Individual holders of an owner cell. "/", ",", ";" and line breaks always split (outside
    brackets); "and"/"&" split only when every side is a code or a known role ("AO, DSP and CFO" -> 3,
    "Head of HR and OD" -> 1)."""
    if not raw or not isinstance(raw, str):
        return []
    shelf: list[str] = []

    def park(m: re.Match) -> str:  # hide bracketed text so "(CPR/JS)" is never split
        shelf.append(m.group(0))
        return f"\x00{len(shelf) - 1}\x00"

    text = re.sub(r"\([^()]*\)", park, raw)
    holders: list[str] = []
    for part in _ALWAYS.split(text):
        restored = re.sub(r"\x00(\d+)\x00", lambda m: shelf[int(m.group(1))], part)
        pieces = _compiled()["joiner"].split(restored)
        if len(pieces) > 1 and _all_holders(pieces):
            holders.extend(pieces)
        else:
            holders.append(restored)
    return [h for h in (_clean(x) for x in holders) if h and re.search(r"[A-Za-z0-9]", h)]


def parse_holder(holder: str) -> tuple[str, str]:
    """(role, initials): "DoN (JS)" -> ("DoN", "JS"); "AO" -> ("AO", ""). Bracketed text that is not
    initials stays part of the role ("Director (Interim)")."""
    h = re.sub(r"\s+", " ", holder or "").strip()
    m = re.fullmatch(r"(.*?)\s*\(\s*([^()]*?)\s*\)", h)
    if m and _INITIALS.fullmatch(m.group(2)):
        return m.group(1).strip(), m.group(2)
    return h, ""


def resolve_owners(raw: str, glossary: dict[str, str]) -> list[str]:
    """The holders of an owner cell, each resolved through the document's glossary (case-insensitive:
    "DoF (JS)" -> "Director of Finance (JS)", "KK" -> "Karen Kelly"); a holder the glossary does not
    know is kept as printed."""
    holders = split_owners(raw)
    lookup = {_key(k): v.strip() for k, v in (glossary or {}).items() if k and v and v.strip()}
    if not lookup:
        return holders
    out = []
    for h in holders:
        role, initials = parse_holder(h)
        title = lookup.get(_key(role))
        out.append(f"{title} ({initials})" if title and initials else title or h)
    return out


def expand_owner(raw: str, glossary: dict[str, str]) -> str:
    """Holders with their roles expanded through the document's glossary (case-insensitive), joined
    with " / "; a holder not in the glossary is kept as printed."""
    return " / ".join(resolve_owners(raw, glossary))


def _header_kind(cell: str) -> str:
    k = _key(re.sub(r"[:*]", "", cell or ""))
    c = _compiled()
    if k in c["abbr_headers"]:
        return "abbr"
    if k in c["title_headers"]:
        return "title"
    if k in c["person_headers"]:
        return "person"
    return ""


def is_glossary_header(cells: list[str]) -> bool:
    """True for a header like "Abbreviation | Title | Person" or "Initials | Name": one cell names the
    abbreviation column, another the title (or person) column, and the row is short (a glossary, not an
    action table)."""
    filled = [c for c in (cells or []) if c and str(c).strip()]
    kinds = [_header_kind(str(c)) for c in filled]
    return len(filled) <= 4 and "abbr" in kinds and ("title" in kinds or "person" in kinds)


def glossary_from_rows(rows: list[list[str]]) -> dict[str, str]:
    """{abbreviation: title} from a glossary table's rows (header row included or not; without one the
    first column is the abbreviation and the second the title)."""
    rows = [[str(c or "") for c in row] for row in (rows or [])]
    abbr_col, title_col, start = 0, 1, 0
    for i, row in enumerate(rows):
        if is_glossary_header(row):
            kinds = [_header_kind(c) for c in row]
            title_col = kinds.index("title") if "title" in kinds else kinds.index("person")
            abbr_col, start = kinds.index("abbr"), i + 1
            break
    out: dict[str, str] = {}
    for row in rows[start:]:
        if len(row) <= max(abbr_col, title_col) or is_glossary_header(row):
            continue
        abbr, title = _clean(row[abbr_col]), re.sub(r"\s+", " ", row[title_col]).strip()
        if abbr and title and len(abbr) <= 15 and _key(abbr) != _key(title):
            out[abbr] = title
    return out


# --------------------------------------------------------------------------- glossaries written as text

_LISTED = re.compile(r"^\s*(?P<abbr>[A-Za-z][A-Za-z&.]{1,9})\s*(?:[-\u2013\u2014:=]|\s{2,}|\t)\s*"
                     r"(?P<full>[A-Z].+?)\s*$")
_DEFINED = re.compile(r"(?P<full>(?:[A-Z][\w'&-]*\s+(?:(?:of|for|and|the|&)\s+)*){1,7}[A-Z][\w'&-]*)\s*"
                      r"\((?P<abbr>[A-Za-z][A-Za-z&.]{1,9})\)")
_SMALL = {"of", "for", "and", "the", "&", "in", "to"}


def _initials_fit(abbr: str, full: str) -> bool:
    """The abbreviation's letters follow the expansion's word initials, starting with the first ("DoF" ->
    Director of Finance, "DIPC" -> Director of Infection Prevention and Control)."""
    letters = [ch.lower() for ch in abbr if ch.isalpha()]
    initials = [w[0].lower() for w in re.findall(r"[A-Za-z][\w'-]*|&", full)]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    it = iter(initials)
    return all(any(ch == x for x in it) for ch in letters)


def _fits(abbr: str, full: str) -> bool:
    words = [w for w in full.split() if w.lower() not in _SMALL]
    r = _rules()
    return (sum(ch.isupper() for ch in abbr) >= 2 and r["glossary_min_words"] <= len(words) <= r["glossary_max_words"]
            and _initials_fit(abbr, full))


def glossary_from_text(lines: list[str]) -> dict[str, str]:
    """{abbreviation: expansion} from the document's own words: a list line "DoF – Director of Finance",
    or a definition "the Director of Finance (DoF)". Only where the abbreviation's letters follow the
    expansion's initials, so ordinary dashes and brackets are not taken for definitions."""
    out: dict[str, str] = {}
    for line in lines or []:
        text = re.sub(r"\s+", " ", line or "").strip()
        if not text:
            continue
        m = _LISTED.match(line or "")
        if m and _fits(m.group("abbr"), m.group("full")):
            out.setdefault(_clean(m.group("abbr")), _clean(m.group("full")))
            continue
        for d in _DEFINED.finditer(text):
            full = d.group("full")
            words = full.split()
            # keep the words the abbreviation needs, from the end ("... and the Director of Finance (DoF)")
            for k in range(len(words)):
                candidate = " ".join(words[k:])
                if words[k].lower() not in _SMALL and _fits(d.group("abbr"), candidate):
                    out.setdefault(d.group("abbr"), candidate)
                    break
    return out
