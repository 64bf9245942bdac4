"""Field normalisers: pure functions turning printed cell text into canonical values.

refs       - action references ("6.26", "L7", "13)") and NEW markers
dates      - due dates the way the document means them (date_rules: its vocabulary and conventions)
owners     - action holders, glossaries (tables, written lists, definitions in the text)
progress   - the state a progress / update text states, read with spaCy rules (nlp: the shared pipeline)
rag        - RAG ratings from letters, words and cell fills; RAG keys
schemes    - checkbox lists and completion grids
status     - the status decision: status, source and evidence
context    - what the whole document tells the row normalisers (printed date, convention, key, glossary)
actions    - raw rows -> Action records

Vocabulary lives in rules/{refs,dates,owners,status,progress}.yaml, read through the settings in force
(extractor.settings), compiled once per settings object.
"""
from __future__ import annotations

from extractor.fields.dates import Convention, DueDate, convention, parse_due
from extractor.fields.owners import (
    expand_owner,
    glossary_from_rows,
    glossary_from_text,
    is_glossary_header,
    parse_holder,
    resolve_owners,
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
    StatusDecision,
    Verdict,
    decide,
    decide_status,
    rag_from_fill,
    rag_from_text,
    rag_key_from_rows,
    rag_key_from_swatches,
    rag_key_from_text,
    read_checkboxes,
    read_text,
    status_from_grid,
    status_from_progress,
    status_from_rag,
    status_from_text,
)

__all__ = [
    "Convention", "DueDate", "convention", "parse_due",
    "expand_owner", "glossary_from_rows", "glossary_from_text", "is_glossary_header", "parse_holder",
    "resolve_owners", "split_owners",
    "clean_ref", "normalise_ref", "parent_ref", "split_leading_ref", "strip_new_marker",
    "RAGS", "STATUSES", "StatusDecision", "Verdict", "decide", "decide_status", "rag_from_fill", "rag_from_text",
    "rag_key_from_rows", "rag_key_from_swatches", "rag_key_from_text", "read_checkboxes", "read_text",
    "status_from_grid", "status_from_progress", "status_from_rag", "status_from_text",
]
