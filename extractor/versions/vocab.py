"""The versions stage's vocabulary (rules/versions.yaml, month names from rules/dates.yaml), compiled once per
settings object: stop words and ordinals for comparing action texts, edition words for comparing titles."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.fields import date_rules as dates_rules
from extractor.rules import phrase_pattern
from extractor.settings import Settings, current, validator

SCHEMA = {
    "stop_words": ["str"],
    "ordinals": ["str"],
    "version_words": ["str"],
    "draft_words": ["str"],
    "final_words": ["str"],
    "revision_words": ["str"],
    "period_words": ["regex"],
    "file_words": ["str"],
}

_NUMERIC_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"


@dataclass(frozen=True)
class Vocabulary:
    stop_words: frozenset[str]
    ordinal: re.Pattern  # one ordinal, whole word (words or 12th)
    version_token: re.Pattern  # "version 4", "v3.1": group 1 is the number
    month: re.Pattern
    date_phrase: re.Pattern  # "12th March 2013", "March 2013", "9 April": a printed date, day and year optional
    draft: re.Pattern
    final: re.Pattern
    revision: re.Pattern
    edition: re.Pattern  # every edition word (draft, final, revision, period words)
    file_word: re.Pattern


def _date_phrase(month: str) -> re.Pattern:
    """A printed date with a day or a year ("12th March 2013", "9 April", "March 2013"); a bare month name
    is not one ("May Day Plan")."""
    day, year = r"\d{1,2}(?:st|nd|rd|th)?", r"(?:19|20)\d{2}(?!\d)"
    return re.compile(rf"(?<![\d.]){day}\s*(?:of\s+)?{month}\.?(?:,?\s+{year})?"
                      rf"|{month}\.?\s+{day}(?![\d.])(?:,?\s+{year})?|{month}\.?,?\s+{year}", re.IGNORECASE)


def _words(words: list[str]) -> re.Pattern:
    return re.compile(phrase_pattern(words), re.IGNORECASE)


@validator
def _compile(settings: Settings) -> Vocabulary:
    r = settings.rules("versions", SCHEMA)
    months = dates_rules.date_rules(settings)["months"]
    version_words = sorted({w.strip().casefold() for w in r["version_words"] if w.strip()}, key=len, reverse=True)
    version = "|".join(re.escape(w) for w in version_words) or r"(?!x)x"
    periods = "|".join(f"(?:{p})" for p in r["period_words"]) or r"(?!x)x"
    edition = "|".join(p.pattern for p in (_words(r["draft_words"]), _words(r["final_words"]),
                                           _words(r["revision_words"])))
    return Vocabulary(
        stop_words=frozenset(w.casefold() for w in r["stop_words"]),
        ordinal=re.compile(rf"(?:{phrase_pattern(r['ordinals'])}|(?<![a-z0-9]){_NUMERIC_ORDINAL}(?![a-z0-9]))",
                           re.IGNORECASE),
        version_token=re.compile(rf"(?<![a-z0-9])(?:{version})[\s._-]*(\d+(?:[._]\d+)*[a-z]?)(?![0-9])",
                                 re.IGNORECASE),
        month=re.compile(phrase_pattern(list(months)), re.IGNORECASE),
        date_phrase=_date_phrase(phrase_pattern(list(months))),
        draft=_words(r["draft_words"]),
        final=_words(r["final_words"]),
        revision=_words(r["revision_words"]),
        edition=re.compile(rf"{edition}|(?<![a-z0-9])(?:{periods})(?![a-z0-9])", re.IGNORECASE),
        file_word=_words(r["file_words"]),
    )


def vocabulary() -> Vocabulary:
    return current().compiled(_compile)
