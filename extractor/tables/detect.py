"""Where a table's header is, decided from evidence: a row of short labels that name columns (header vocabulary),
or that is styled apart from the body (a fill the body rows do not have, Word's repeat-header flag), possibly
over several rows; title and group rows may stand above it. A table may have no header at all."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Row, Table
from extractor.settings import current
from extractor.tables.evidence import cell_evidence, non_plan_kind
from extractor.tables.header import field_of, norm_header

MAX_LABEL_WORDS = 12
STYLED = "it is styled apart from the rows below"
LABEL_EXPLAINED = re.compile(r"\s[–—-]\s|:\s|\n")  # "Label – explanation", "Label: ...", label over its line


@dataclass
class Header:
    start: int  # first header row (rows above it are title or group rows)
    end: int  # first body row
    texts: list[str]  # header text per column ("" where none), the header rows merged column-wise
    how: str  # why these rows are the header

    @property
    def signature(self) -> tuple[str, ...]:
        return tuple(norm_header(t) for t in self.texts)


def texts_of(row: Row) -> dict[int, str]:
    return {c.col: c.text.strip() for c in row.cells if not c.covered and c.text.strip()}


def full_width(row: Row, n_cols: int) -> bool:
    """One cell with text that spans (nearly) the whole row: a title or group row."""
    cells = [c for c in row.cells if not c.covered and c.text.strip()]
    return n_cols > 1 and len(cells) == 1 and cells[0].colspan >= max(2, round(n_cols * current().tables.group_span))


def find_header(table: Table) -> Header | None:
    rows = table.rows
    limit = min(len(rows), current().tables.max_header_rows + 2)
    first = True
    for start in range(limit):
        row = rows[start]
        if not texts_of(row) or full_width(row, table.n_cols):
            continue  # spacer, title or group row above the header
        if not first and not _title_like(rows[start - 1], table.n_cols, row):
            return None  # the header can only follow title rows, not rows of values
        strength = _label_strength(row)
        styled = _styled_apart(rows, start)
        if (row.is_header or strength >= 2 or (strength >= 1 and (len(texts_of(row)) <= 2 or _all_labels(row)))
                or (first and styled) or (len(texts_of(row)) >= 2 and non_plan_kind(list(texts_of(row).values())))):
            end = _header_end(rows, start, styled)
            how = ("the format marks it as a header" if row.is_header else
                   "its labels are header wordings" if strength >= 1 else STYLED)
            return Header(start, end, _merged_texts(rows[start:end], table.n_cols), how)
        first = False
    return None


def _title_like(above: Row, n_cols: int, candidate: Row) -> bool:
    """A row that can stand above a header: fewer filled cells than the header has, and no values."""
    cells = texts_of(above)
    return len(cells) < max(2, len(texts_of(candidate))) and len(cells) <= max(1, n_cols // 2)


def _all_labels(row: Row) -> bool:
    """Three or more short labels (no values, no sentences): a header with one known wording is still one."""
    texts = list(texts_of(row).values())
    return len(texts) >= 3 and all(len(t.split()) <= 6 and not t.rstrip().endswith(".") for t in texts)


def _label_strength(row: Row) -> float:
    """How much a row reads as column labels: known header wordings count, values (refs, dates, statuses)
    and sentences disqualify."""
    texts = list(texts_of(row).values())
    if not texts or any(len(t.split()) > MAX_LABEL_WORDS for t in texts):
        return 0.0
    evs = [cell_evidence(t) for t in texts]
    if sum(1 for e in evs if e.short_value) >= max(1, len(evs) / 2):
        return 0.0
    strengths = [field_of(t)[1] for t in texts]
    return sum(1.0 if s == 2 else 0.5 if s == 1 else 0.0 for s in strengths)


def _fill_of(row: Row) -> str:
    fills = [c.fill for c in row.cells if not c.covered]
    common = max(fills, key=fills.count) if fills else ""  # a tie goes to the leftmost: never to set order
    return common if common and fills.count(common) >= max(1, len(fills) / 2) else ""


def _styled_apart(rows: list[Row], start: int) -> bool:
    """The row has a fill that a later row with text does not have, and only short labels."""
    fill = _fill_of(rows[start])
    texts = list(texts_of(rows[start]).values())
    if not fill or any(len(_label_part(t).split()) > MAX_LABEL_WORDS for t in texts):
        return False
    if any(cell_evidence(t).short_value for t in texts):
        return False
    return any(texts_of(r) and _fill_of(r) != fill for r in rows[start + 1:start + 14])


def _label_part(text: str) -> str:
    """A column label before the explanation a form adds to it ("Obstacles – Are there obstacles ...?")."""
    return LABEL_EXPLAINED.split(text, maxsplit=1)[0]


def _header_end(rows: list[Row], start: int, styled: bool) -> int:
    """The header runs on over rows in the same fill (a header split over several grid rows), or over one row of
    labels that refines it ("Progress" over "Q1 | Q2")."""
    end = start + 1
    fill = _fill_of(rows[start]) if styled else ""
    limit = current().tables.max_header_rows + (6 if fill else 0)
    while end < len(rows) and end - start < limit:
        row = rows[end]
        texts = list(texts_of(row).values())
        if fill and _fill_of(row) == fill and not any(cell_evidence(t).short_value for t in texts):
            end += 1
            continue
        if row.is_header or (texts and _label_strength(row) >= 1 and all(len(t.split()) <= 4 for t in texts)
                             and len(texts) >= 2):
            end += 1
            continue
        break
    return end


def _merged_texts(rows: list[Row], n_cols: int) -> list[str]:
    out = [""] * n_cols
    for row in rows:
        for c in row.cells:
            if c.covered or not c.text.strip() or c.col >= n_cols:
                continue
            out[c.col] = f"{out[c.col]} {c.text.strip()}".strip()
    return out


def is_header_repeat(row: Row, header: Header) -> bool:
    """A row that repeats the table's header (page-top repeats in PDFs, tblHeader rows in DOCX)."""
    texts = {col: norm_header(t) for col, t in texts_of(row).items()}
    if not texts:
        return False
    sig = header.signature
    same = sum(1 for col, t in texts.items() if col < len(sig) and sig[col] and
               (sig[col] == t or sig[col].startswith(t) or t.startswith(sig[col])))
    return same >= max(1 if len(texts) <= 2 else 2, int(0.6 * len(texts)))
