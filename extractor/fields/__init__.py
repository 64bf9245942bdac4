"""Field normalisers: pure functions turning printed cell text into canonical values.

refs     - action references ("6.26", "L7", "13)") and NEW markers
dates    - due dates, UK conventions (day-first, financial year April-March)
owners   - action holders and abbreviation glossaries
status   - status words, RAG ratings (text and cell fill) and RAG keys

Vocabulary lives in rules/{refs,dates,owners,status}.yaml, read through the settings in force
(extractor.settings), compiled once per settings object.
"""
from __future__ import annotations

from extractor.fields.dates import DueDate, parse_due
from extractor.fields.owners import (
    expand_owner,
    glossary_from_rows,
    is_glossary_header,
    parse_holder,
    split_owners,
)
from extractor.fields.refs import (
    clean_ref,
    normalise_ref,
    parent_ref,
    split_leading_ref,
    strip_new_marker,
)
from extractor.fields.status import (
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
]
