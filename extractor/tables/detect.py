"""Decide which tables are action tables, and where their header rows end."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from extractor.model import Row, Table
from extractor.settings import current
from extractor.tables.header import HeaderMap, match_header, norm_header


@dataclass
class ActionTable:
    table: Table
    header: HeaderMap
    n_header_rows: int  # leading rows of table.rows that form the header

    @property
    def signature(self) -> tuple[str, ...]:
        return header_signature(self.header.texts)


def header_signature(texts: list[str]) -> tuple[str, ...]:
    return tuple(norm_header(t) for t in texts)


def row_cells(row: Row) -> list[tuple[int, str]]:
    return [(c.col, c.text) for c in row.cells if not c.covered]


def find_header(table: Table) -> Optional[tuple[HeaderMap, int]]:
    """The first 1..3 rows as a header: a single row, or two rows merged column-wise (two-level headers)."""
    rows = table.rows
    for start in range(min(current().tables.max_header_rows, len(rows))):
        hmap = match_header(row_cells(rows[start]))
        if hmap is not None:
            n = start + 1
            if n < len(rows):  # a second header row refining the first (e.g. "Progress" over "Q1 | Q2")
                merged = _merge_rows(rows[start], rows[n])
                two = match_header(merged)
                if two is not None and len(two.columns) > len(hmap.columns) and _looks_like_header(rows[n]):
                    return two, n + 1
            return hmap, n
        if start + 1 < len(rows):
            two = match_header(_merge_rows(rows[start], rows[start + 1]))
            if two is not None and _looks_like_header(rows[start + 1]):
                return two, start + 2
    return None


def _merge_rows(a: Row, b: Row) -> list[tuple[int, str]]:
    cols: dict[int, str] = {}
    for col, text in row_cells(a) + row_cells(b):
        cols[col] = (cols.get(col, "") + " " + text).strip()
    return sorted(cols.items())


def _looks_like_header(row: Row) -> bool:
    """A header row is short labels, or flagged as a repeated header by the format."""
    if row.is_header:
        return True
    texts = [c.text for c in row.cells if c.text.strip()]
    return bool(texts) and all(len(t) <= 40 for t in texts)


def is_header_repeat(row: Row, signature: tuple[str, ...]) -> bool:
    """A row that repeats the table's header (page-top repeats in PDFs, tblHeader rows in DOCX)."""
    texts = {c.col: norm_header(c.text) for c in row.cells if not c.covered and c.text.strip()}
    if not texts:
        return False
    same = sum(1 for col, t in texts.items() if col < len(signature) and signature[col] == t)
    return same >= max(2, int(0.6 * len(texts)))


def explain_no_header(table: Table) -> str:
    """Why a table was not taken as an action table: what its first rows matched."""
    from extractor.tables.header import field_of, is_rejected

    parts = []
    for i, row in enumerate(table.rows[:current().tables.max_header_rows]):
        fields = [f"{text.strip()[:20]!r}->{field_of(text)[0]}" for _, text in row_cells(row) if text.strip()]
        rejected = [t.strip()[:20] for _, t in row_cells(row) if t.strip() and is_rejected(t)]
        parts.append(f"row {i}: " + (", ".join(fields) or "empty")
                     + (f" (rejected words: {rejected})" if rejected else ""))
    return "no header row names an action column and another action-plan column; " + "; ".join(parts)
