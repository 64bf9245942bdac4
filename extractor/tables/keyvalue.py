"""Key-value tables: one small table per commitment, keys in the first column ("Lead organisation", "Main
objective", "Brief description", "End date", "Completion level"), values beside them. The whole table is ONE
action: each key is mapped to a field with the header vocabulary (rules/headers.yaml), the value is the cell.
A key whose value is a small grid of options ("Not started | Limited | Substantial | Completed") with a mark
under one of them gives that option."""
from __future__ import annotations

from typing import Optional

from extractor.model import RawRow, Row, Table
from extractor.tables.detect import full_width
from extractor.tables.evidence import cell_evidence, numbered_heading, vocabulary
from extractor.tables.header import field_of

MIN_KEYS = 3
MAX_KEY_WORDS = 8
MAX_MARK_CHARS = 12  # a mark under an option: a tick, an X, sub-item letters ("a, b, c")


def _cells(row: Row) -> list[str]:
    return [c.text.strip() for c in row.cells if not c.covered]


def _key_of(row: Row) -> Optional[str]:
    cells = _cells(row)
    if not cells or not cells[0]:
        return None
    key = cells[0]
    if len(key.split()) > MAX_KEY_WORDS or (cell_evidence(key).short_value and not field_of(key)[1]):
        return None  # a value in the first column ("June 2024"), unless it is a key wording ("Progress")
    return key


def is_key_value(table: Table) -> bool:
    """Most rows are 'key | value' with a known key wording, the keys short labels and the values not."""
    rows = [r for r in table.rows if any(_cells(r)) and not _title_row(r)]  # title rows are no keys
    if len(rows) < MIN_KEYS:
        return False
    keyed = [r for r in rows if _key_of(r) and len([t for t in _cells(r) if t]) >= 1]
    describes = vocabulary().key_value_text
    known = [r for r in keyed if field_of(_key_of(r) or "")[1] >= 1 or describes.search(_key_of(r) or "")]
    two = [r for r in rows if len(_cells(r)) == 2]
    if len(known) < MIN_KEYS or len(known) < 0.5 * len(rows) or len(two) < 0.5 * len(rows):
        return False
    # an ordinary 2-column plan ("Action | Status") has sentences in its first column, not labels
    first = [_cells(r)[0] for r in rows if _cells(r) and _cells(r)[0]]
    return sum(1 for t in first if cell_evidence(t).action >= 0.6 and len(t.split()) > 4) < 0.3 * len(first)


def key_value_rows(table: Table, section: str, goal: str, ref: str) -> list[RawRow]:
    """One action per commitment: the whole table, or, when full-width title rows divide it ("Commitment 3:
    ...", one long table for several commitments, or each table titled inside itself), each titled part with
    its title as heading."""
    parts: list[tuple[str, list[Row]]] = [("", [])]
    for row in table.rows:
        if is_title(row, table.n_cols):
            parts.append((_cells(row)[0], []))
        else:
            parts[-1][1].append(row)
    out = []
    for title, rows in parts:
        if title:
            t_ref, t_goal = numbered_heading(title)
            record = key_value_row(table, title, t_goal or goal, t_ref or ref, rows)
        else:
            record = key_value_row(table, section, goal, ref, rows) if rows else None
        if record is not None:
            out.append(record)
    return out


def is_title(row: Row, n_cols: int) -> bool:
    """A title row: one cell across the table from its first column (a value running on from the page before,
    under an empty key cell, is none)."""
    if not (full_width(row, n_cols) or (n_cols == 2 and _title_row(row))):
        return False
    return next(c for c in row.cells if not c.covered and c.text.strip()).col == 0


def _title_row(row: Row) -> bool:
    """A row of one cell spanning a 2-column table (Word and ruled PDFs give it as one cell)."""
    cells = [c for c in row.cells if not c.covered]
    return len(cells) == 1 and bool(cells[0].text.strip()) and cells[0].colspan >= 2


def key_value_keys(table: Table, part: str = "all") -> set[str]:
    """The keys of a key-value table, casefolded (a table that repeats them is the next commitment); `part`
    "last": of the rows after its last title row (one long table of several commitments), "first": of the
    rows before its first."""
    rows = table.rows
    titles = [k for k, r in enumerate(rows) if is_title(r, table.n_cols)]
    if part == "last" and titles:
        rows = rows[titles[-1] + 1:]
    elif part == "first" and titles:
        rows = rows[:titles[0]]
    return {k.casefold() for k in (_key_of(r) for r in rows) if k}


def key_value_row(table: Table, section: str, goal: str, ref: str,
                  rows: Optional[list[Row]] = None) -> Optional[RawRow]:
    pairs = _pairs(table.rows if rows is None else rows)
    text_key = _text_key(pairs)
    if text_key is None:
        return None
    fields: dict[str, str] = {"text": pairs[text_key][1]}
    extra: dict[str, str] = {}
    for k, (key, value, chosen) in enumerate(pairs):
        if k == text_key:
            continue
        name = "status" if chosen and "status" not in fields else field_of(key)[0]
        if name in (None, "text", "goal", "measure") or name in fields:
            extra[key] = value  # an objective, background, partners...: kept, not mistaken for the action
        else:
            fields[name] = value
    if ref:
        fields.setdefault("ref", ref)
    return RawRow(fields=fields, fills={k: "" for k in fields}, goal=goal, section=section,
                  page_first=table.page_first, page_last=table.page_last, table_index=table.index, row_index=0,
                  extra=extra, confidence=0.8)


def _pairs(rows: list[Row]) -> list[tuple[str, str, bool]]:
    """(key, value, chosen) per row; a key whose value is a small grid of options takes the option marked in it
    (chosen: the value is such a choice of level, a status whatever the key is called)."""
    out = []
    for i, row in enumerate(rows):
        key = _key_of(row)
        if key is None:
            continue
        own = [t for t in _cells(row)[1:] if t]
        marked = _marked_option(rows, i) if not own or len(own) >= 3 else ""
        value = marked or " ".join(own)
        if value:
            out.append((key, value, bool(marked)))
    return out


def _text_key(pairs: list[tuple[str, str, bool]]) -> Optional[int]:
    """The pair that says what will be done: a key naming a description or the action, else the action column
    wording, then the value that reads most as something to do; an objective or background key never."""
    vocab = vocabulary()
    best, best_score = None, 0.0
    for k, (key, value, _chosen) in enumerate(pairs):
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
    """The option a mark sits under, in a small grid beside or below a key: a row of option labels (the key's
    own row, or the next), then a row with a mark (a tick, a letter, an X) under one or more of them."""
    own = [c for c in rows[i].cells if not c.covered and c.text.strip()]
    for j in range(i if len(own) >= 4 else i + 1, min(i + 3 if len(own) <= 1 else i + 1, len(rows))):
        labels = {c.col: c.text.strip() for c in rows[j].cells[1 if j == i else 0:]
                  if not c.covered and c.text.strip()}
        if len(labels) < 3:
            continue
        for k in range(j + 1, min(j + 3, len(rows))):
            marks = [c for c in rows[k].cells if not c.covered and c.text.strip()]
            hits = sorted({col for c in marks if len(c.text.strip()) <= MAX_MARK_CHARS
                           for col in labels if c.col <= col < c.col + c.colspan})  # a mark under its label
            if hits and len(marks) < len(labels):
                return labels[hits[0]] if len(hits) == 1 else _partly(sorted(labels), hits, labels)
    return ""


def _partly(options: list[int], hits: list[int], labels: dict[int, str]) -> str:
    """Marks under several options (sub-items "a, b" under one level, "c" under another): the commitment as a
    whole is part way, the least advanced level marked past the first (not started), or the second option."""
    past_first = [col for col in hits if col != options[0]]
    return labels[past_first[0] if past_first[0] != options[-1] else options[1]] if len(options) > 2 else \
        labels[hits[0]]
