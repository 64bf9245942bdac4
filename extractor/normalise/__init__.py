"""Field normalisers: pure functions turning printed cell text into canonical values.

refs     - action references ("6.26", "L7", "13)") and NEW markers
dates    - due dates, UK conventions (day-first, financial year April-March)
owners   - action holders and abbreviation glossaries
status   - status words, RAG ratings (text and cell fill) and RAG keys

Vocabulary lives in rules/{refs,dates,owners,status}.yaml; each module loads its file once, on first
use. `reload_rules()` forgets the cached rules (tests, or after editing a rules file in a session).
"""
from __future__ import annotations

import re
from collections.abc import Iterable


_GAP = r"[\s\-\u2013\u2014]+"


def phrase_pattern(phrases: Iterable[str], gap: str = _GAP) -> str:
    """One regex alternation for a list of vocabulary phrases, longest first so "not yet started" beats
    "started". Between the words of a phrase any run of spaces/dashes matches ("on going" == "on-going";
    `gap` widens that). A phrase must not sit inside a longer word; edges are checked only where the
    phrase itself begins/ends with a letter or digit, so "-" or "&" still work."""
    parts = []
    for phrase in sorted({p.strip().lower() for p in phrases if p and p.strip()}, key=len, reverse=True):
        words = re.split(r"[\s\-\u2013\u2014]+", phrase)
        body = gap.join(re.escape(w) for w in words if w) or re.escape(phrase)
        lead = r"(?<![A-Za-z0-9])" if phrase[0].isalnum() else ""
        tail = r"(?![A-Za-z0-9])" if phrase[-1].isalnum() else ""
        parts.append(lead + body + tail)
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"  # empty list: a pattern matching nothing


def reload_rules() -> None:
    """Forget every cached rules file and compiled pattern (the next call re-reads rules/)."""
    from extractor import rules
    from extractor.normalise import dates, owners, refs, status

    rules._read.cache_clear()
    for module in (refs, dates, owners, status):
        module.clear_cache()


from extractor.normalise.dates import DueDate, parse_due  # noqa: E402  (re-exports; helper above first)
from extractor.normalise.owners import (  # noqa: E402
    expand_owner,
    glossary_from_rows,
    is_glossary_header,
    parse_holder,
    split_owners,
)
from extractor.normalise.refs import (  # noqa: E402
    clean_ref,
    normalise_ref,
    parent_ref,
    split_leading_ref,
    strip_new_marker,
)
from extractor.normalise.status import (  # noqa: E402
    RAGS,
    STATUSES,
    decide_status,
    rag_from_fill,
    rag_from_text,
    rag_key_from_rows,
    rag_key_from_text,
    status_from_rag,
    status_from_text,
)

__all__ = [
    "DueDate", "parse_due",
    "expand_owner", "glossary_from_rows", "is_glossary_header", "parse_holder", "split_owners",
    "clean_ref", "normalise_ref", "parent_ref", "split_leading_ref", "strip_new_marker",
    "RAGS", "STATUSES", "decide_status", "rag_from_fill", "rag_from_text", "rag_key_from_rows",
    "rag_key_from_text", "status_from_rag", "status_from_text",
    "phrase_pattern", "reload_rules",
]
