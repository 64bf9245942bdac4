"""rules/status.yaml: the words that name a status, the RAG vocabulary and colours, validated once per settings.

Shared by progress.py (state phrases), rag.py (RAG words, fills, keys), schemes.py (grids, checkboxes) and
status.py (the decision). The allowed values (statuses, RAG colours) come from extractor.model.
"""
from __future__ import annotations

import re

from extractor.model import RAGS, REAL_STATUSES
from extractor.rules import RulesError
from extractor.settings import current

_LISTS = {"__fixed__": True, **{s: ["str"] for s in REAL_STATUSES}}
_RAG_MEANINGS = {"*": "str"}
SCHEMA = {
    "statuses": _LISTS,
    "whole_cell": _LISTS,
    "weak": ["str"],
    "negated_phrases": {"*": ["str"]},
    "grid_words": {"*": ["str"]},
    "rag_words": {"__fixed__": True, **{r: ["str"] for r in RAGS}},
    "rag_max_words": "int",
    "rag_conventions": {"__fixed__": True, "with_blue": _RAG_MEANINGS, "without_blue": _RAG_MEANINGS},
    "rag_hues": [{"__fixed__": True, "rag": "str", "hue": ["any"], "lightness": ["any"], "min_saturation": "any"}],
    "rag_fills": {"__fixed__": True, **{r: ["str"] for r in RAGS}, "none": ["str"]},
    "rag_fill_exact_distance": "int",
    "rag_key_max_rows": "int",
    "rag_key_separators": ["str"],
}
HEX = re.compile(r"#?([0-9A-Fa-f]{6})")
WHERE = "rules/status.yaml"


def _number_pair(value: object, low: float, high: float) -> bool:
    return (isinstance(value, list) and len(value) == 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and low <= x <= high for x in value))


def check(r: dict) -> None:
    """Value checks the schema language cannot express; errors name file and key like the schema check does."""
    for key in ("negated_phrases", "grid_words"):
        for name in r[key]:
            if name not in REAL_STATUSES:
                raise RulesError(f"{WHERE}.{key}.{name}: not a status ({', '.join(REAL_STATUSES)})")
    for scheme, meanings in r["rag_conventions"].items():
        for colour, status in meanings.items():
            if colour not in RAGS:
                raise RulesError(f"{WHERE}.rag_conventions.{scheme}.{colour}: unknown colour "
                                 f"(expected one of {', '.join(RAGS)})")
            if status not in REAL_STATUSES:
                raise RulesError(f"{WHERE}.rag_conventions.{scheme}.{colour}: {status!r} is not a status "
                                 f"({', '.join(REAL_STATUSES)})")
    for i, band in enumerate(r["rag_hues"]):
        where = f"{WHERE}.rag_hues[{i}]"
        if band["rag"] not in RAGS:
            raise RulesError(f"{where}.rag: {band['rag']!r} is not a RAG colour ({', '.join(RAGS)})")
        if not _number_pair(band["hue"], 0, 360):
            raise RulesError(f"{where}.hue: expected [from, to] in degrees 0-360")
        if not _number_pair(band["lightness"], 0, 1):
            raise RulesError(f"{where}.lightness: expected [min, max] between 0 and 1")
        sat = band["min_saturation"]
        if not isinstance(sat, (int, float)) or isinstance(sat, bool) or not 0 <= sat <= 1:
            raise RulesError(f"{where}.min_saturation: expected a number between 0 and 1")
    for label, colours in r["rag_fills"].items():
        for i, hx in enumerate(colours):
            if not HEX.fullmatch(hx.strip()):
                raise RulesError(f"{WHERE}.rag_fills.{label}[{i}]: {hx!r} is not a 6-digit hex colour")


def rules() -> dict:
    return current().rules("status", SCHEMA, check)


def norm_phrase(text: str) -> str:
    """Lookup key for a phrase: lower case, runs of punctuation/space -> one space, curly quotes straight."""
    return re.sub(r"[\s\-\u2013\u2014,:;/&]+", " ", text.lower().replace("\u2019", "'")).strip()
