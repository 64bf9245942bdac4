"""Tables that restate actions already listed in the same document - an exception report of red actions,
"actions closed since the last report", an annex listing the commitments again - create no new actions.
A plan whose rows mostly match rows of plans earlier in the document (by text, or by a label or ref cell that
matches an earlier action's text) is a restatement: its matched rows are linked to the originals (mentions),
keeping what they add; rows that match nothing stay actions."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Hashable

from rapidfuzz import fuzz

from extractor.model import RawRow

SAME_TEXT = 90.0  # token-set similarity (0-100) of two texts that state the same action
MIN_SHARE = 0.6  # share of a plan's rows that must restate earlier rows for the plan to be a restatement
_NON_WORD = re.compile(r"[^\w]+")


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()


def _keys(row: RawRow) -> list[str]:
    """The texts a row can be recognised by: its action text, and a goal / label cell."""
    out = [_norm(row.fields.get("text", ""))]
    for name in ("goal",):
        if row.fields.get(name):
            out.append(_norm(row.fields[name]))
    if row.goal:
        out.append(_norm(row.goal))
    return [k for k in out if len(k) >= 4]


def _best(keys: list[str], seen: list[tuple[str, int]]) -> tuple[float, int]:
    """The earlier row a row restates: the best match among earlier texts that occur once (a text printed in
    several groups, "Develop benefits case", names nothing in particular)."""
    counts = Counter(text for text, _ in seen)
    best, where = 0.0, -1
    for key in keys:
        for text, index in seen:
            if counts[text] > 1:
                continue
            short = min(len(key), len(text)) < 12  # short labels must be equal
            score = (100.0 if key == text else 0.0) if short else fuzz.token_set_ratio(key, text)
            if score > best:
                best, where = score, index
    return best, where


def mark_restatements(plans: list[list[RawRow]], shapes: list[Hashable] | None = None) -> list[RawRow]:
    """All rows in order, rows of restating plans carrying `restates` = the index of the row they restate.
    `shapes` (one per plan: its columns and their roles) keep the groups of one plan apart from a restatement:
    a table of the same shape as the rows it repeats is another group of the same plan."""
    rows: list[RawRow] = []
    seen: list[tuple[str, int]] = []
    shape_of_row: list[Hashable] = []
    shapes = shapes or [None] * len(plans)
    for plan, shape in zip(plans, shapes):
        matches = [_best(_keys(r), seen) for r in plan] if seen else []
        hits = [m for m in matches if m[0] >= SAME_TEXT and (shape is None or shape_of_row[m[1]] != shape)]
        restating = bool(plan) and bool(seen) and len(hits) >= max(1, MIN_SHARE * len(plan)) and len(plan) >= 2
        for k, row in enumerate(plan):
            if restating and matches[k][0] >= SAME_TEXT:
                row.restates = matches[k][1]
            rows.append(row)
            shape_of_row.append(shape)
        for k, row in enumerate(plan):
            if row.restates < 0:
                seen.append((_norm(row.fields.get("text", "")), len(rows) - len(plan) + k))
    return rows
