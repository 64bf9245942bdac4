"""Key-value tables: one small table per commitment, keys in the first column ("Lead organisation", "Main
objective", "Brief description", "End date", "Completion level"), values beside them. The whole table is ONE
action: each key is mapped to a field with the header vocabulary (rules/headers.yaml), the value is the cell.
A key whose value is a small grid of options ("Not started | Limited | Substantial | Completed") with a mark
under one of them gives that option."""
from __future__ import annotations

from typing import Optional

from extractor.model import RawRow, Row, Table
from extractor.tables.evidence import cell_evidence, vocabulary
from extractor.tables.header import field_of

MIN_KEYS = 3
MAX_KEY_WORDS = 8


def _cells(row: Row) -> list[str]:
    return [c.text.strip() for c in row.cells if not c.covered]


def _key_of(row: Row) -> Optional[str]:
    cells = _cells(row)
    if not cells or not cells[0]:
        return None
    key = cells[0]
    if len(key.split()) > MAX_KEY_WORDS or cell_evidence(key).short_value:
        return None
    return key


def is_key_value(table: Table) -> bool:
    """Most rows are 'key | value' with a known key wording, the keys short labels and the values not."""
    rows = [r for r in table.rows if any(_cells(r))]
    if len(rows) < MIN_KEYS:
        return False
    keyed = [r for r in rows if _key_of(r) and len([t for t in _cells(r) if t]) >= 1]
    known = [r for r in keyed if field_of(_key_of(r) or "")[1] >= 1]
    two = [r for r in rows if len(_cells(r)) == 2]
    if len(known) < MIN_KEYS or len(known) < 0.5 * len(rows) or len(two) < 0.5 * len(rows):
        return False
    # an ordinary 2-column plan ("Action | Status") has sentences in its first column, not labels
    first = [_cells(r)[0] for r in rows if _cells(r) and _cells(r)[0]]
    return sum(1 for t in first if cell_evidence(t).action >= 0.6 and len(t.split()) > 4) < 0.3 * len(first)


def key_value_row(table: Table, section: str, goal: str, ref: str) -> Optional[RawRow]:
    pairs = _pairs(table)
    text_key = _text_key(pairs)
    if text_key is None:
        return None
    fields: dict[str, str] = {"text": pairs[text_key][1]}
    extra: dict[str, str] = {}
    for k, (key, value) in enumerate(pairs):
        if k == text_key:
            continue
        name = field_of(key)[0]
        if name in (None, "text", "goal", "measure") or name in fields:
            extra[key] = value  # an objective, background, partners...: kept, not mistaken for the action
        else:
            fields[name] = value
    if ref:
        fields.setdefault("ref", ref)
    return RawRow(fields=fields, fills={k: "" for k in fields}, goal=goal, section=section,
                  page_first=table.page_first, page_last=table.page_last, table_index=table.index, row_index=0,
                  extra=extra, confidence=0.8)


def _pairs(table: Table) -> list[tuple[str, str]]:
    """(key, value) per row; a key with no value of its own takes the option marked in the small grid below it."""
    out = []
    for i, row in enumerate(table.rows):
        key = _key_of(row)
        if key is None:
            continue
        value = " ".join(t for t in _cells(row)[1:] if t) or _marked_option(table.rows, i)
        if value:
            out.append((key, value))
    return out


def _text_key(pairs: list[tuple[str, str]]) -> Optional[int]:
    """The pair that says what will be done: a key naming a description or the action, else the action column
    wording, then the value that reads most as something to do; an objective or background key never."""
    vocab = vocabulary()
    best, best_score = None, 0.0
    for k, (key, value) in enumerate(pairs):
        name, _ = field_of(key)
        score = cell_evidence(value).action
        if vocab.key_value_text.search(key):
            score += 1.0
        if name == "text":
            score += 0.5
        if name in ("owner", "lead", "due", "start", "status", "rag", "ref", "progress"):
            continue
        if name == "goal" and not vocab.key_value_text.search(key):
            score -= 0.5
        if score > best_score:
            best, best_score = k, score
    return best


def _marked_option(rows: list[Row], i: int) -> str:
    """The option a mark sits under, in a small grid below a key with no value of its own: a row of option
    labels, then a row with a mark (a tick, a letter, an X) under one or more of them."""
    if i + 2 >= len(rows) + 1:
        return ""
    for j in range(i + 1, min(i + 3, len(rows))):
        labels = {c.col: c.text.strip() for c in rows[j].cells if not c.covered and c.text.strip()}
        if len(labels) < 3:
            continue
        for k in range(j + 1, min(j + 3, len(rows))):
            marks = {c.col: c.text.strip() for c in rows[k].cells if not c.covered and c.text.strip()}
            hits = [labels[col] for col in marks if col in labels and len(marks[col]) <= 6]
            if hits and len(marks) < len(labels):
                return hits[-1]
    return ""
