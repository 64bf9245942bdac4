"""Field normalisers: pure functions turning printed cell text into canonical values.

refs     - action references ("6.26", "L7", "13)") and NEW markers
dates    - due dates, UK conventions (day-first, financial year April-March)
owners   - action holders and abbreviation glossaries
status   - status words, RAG ratings (text and cell fill) and RAG keys

Vocabulary lives in rules/{refs,dates,owners,status}.yaml; each module loads its file once, on first
use. `reload_rules()` forgets the cached rules (tests, or after editing a rules file in a session).
"""
from __future__ import annotations


def reload_rules() -> None:
    """Forget every cached rules file and compiled pattern (the next call re-reads rules/)."""
    from extractor import rules
    from extractor.fields import dates, owners, refs, status

    rules._read.cache_clear()
    for module in (refs, dates, owners, status):
        module.clear_cache()


from extractor.fields.dates import DueDate, parse_due  # noqa: E402  (re-exports; helper above first)
from extractor.fields.owners import (  # noqa: E402
    expand_owner,
    glossary_from_rows,
    is_glossary_header,
    parse_holder,
    split_owners,
)
from extractor.fields.refs import (  # noqa: E402
    clean_ref,
    normalise_ref,
    parent_ref,
    split_leading_ref,
    strip_new_marker,
)
from extractor.fields.status import (  # noqa: E402
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
    "reload_rules",
]
