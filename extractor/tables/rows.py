"""Rows of a stitched action table -> raw action rows (cell texts by canonical field, with provenance).

Decides, per row: header repeat, blank/placeholder, full-width group row (-> section), continuation of
a row split by a page break (-> merged into the row above), or an action. Carries vertically merged
goal cells (and goals continuing over a page break) down to every row they span.
"""
from __future__ import annotations

import re
from typing import Optional

from extractor.model import Cell, RawRow, Row
from extractor.settings import current
from extractor.tables.detect import is_header_repeat
from extractor.tables.stitch import Segmented, merge_split_row

PLACEHOLDER_RE = re.compile(r"^[\s\-–—_.…/?]*$|^(n/?a|tbc|tba|none|nil|\[.*\]|<.*>|insert.*|add .*here)$", re.I)


def rows_of(seg: Segmented) -> list[RawRow]:
    at = seg.action
    table, hmap = at.table, at.header
    field_cols = hmap.columns
    goal_col = hmap.col("goal")
    text_col = hmap.col("text")
    out: list[RawRow] = []
    pending: list[tuple[Row, RawRow]] = []  # (row, record) so split rows can merge into the record's row
    section = seg.heading
    goal = ""
    for r_index in range(at.n_header_rows, len(table.rows)):
        row = table.rows[r_index]
        if row.is_header or is_header_repeat(row, at.signature):
            continue
        texts = {c.col: c.text.strip() for c in row.cells if not c.covered}
        filled = {col: t for col, t in texts.items() if t}
        at_segment_top = r_index in seg.segment_starts
        if at_segment_top and pending and _is_continuation(row, filled, pending[-1][1], hmap):
            prev_row, record = pending[-1]
            merge_split_row(prev_row, row)
            _refresh(record, prev_row, field_cols, row.page)
            continue
        goal = _carry_goal(row, goal_col, goal, at_segment_top)
        if not filled:
            continue
        group = _group_text(row, filled, table.n_cols, text_col)
        if group is not None:
            section = group
            continue
        action_text = texts.get(text_col, "") if text_col is not None else ""
        if not action_text or PLACEHOLDER_RE.match(action_text):
            continue
        record = RawRow(fields={}, fills={}, goal=goal, section=section, page_first=row.page,
                        page_last=row.page, table_index=table.index, row_index=r_index)
        _refresh(record, row, field_cols, row.page)
        record.extra = {hmap.texts[c.col]: c.text for c in row.cells
                        if c.col not in field_cols and not c.covered and c.text.strip() and c.col < len(hmap.texts)
                        and hmap.texts[c.col]}
        out.append(record)
        pending.append((row, record))
    return out


def _refresh(record: RawRow, row: Row, field_cols: dict[int, str], page: int) -> None:
    for col, name in field_cols.items():
        if name == "goal":
            continue
        cell = row.cell_at(col)
        if cell is None or cell.covered:
            record.fields.setdefault(name, "")
            record.fills.setdefault(name, "")
            continue
        record.fields[name] = cell.text
        record.fills[name] = cell.fill
    record.page_last = max(record.page_last, page)


def _carry_goal(row: Row, goal_col: Optional[int], goal: str, at_segment_top: bool) -> str:
    if goal_col is None:
        return ""
    cell: Optional[Cell] = row.cell_at(goal_col)
    if cell is None or cell.covered:
        return goal  # vertically merged from above
    text = cell.text.strip()
    if not text and at_segment_top:
        return goal  # a merged goal cell that continues over a page break is redrawn empty
    return text


def _group_text(row: Row, filled: dict[int, str], n_cols: int, text_col: Optional[int]) -> Optional[str]:
    """A full-width row with one text: a group heading for the rows below."""
    if len(filled) != 1:
        return None
    col, text = next(iter(filled.items()))
    cell = row.cell_at(col)
    if cell is not None and cell.colspan >= max(2, round(n_cols * current().tables.group_span)):
        return re_space(text)
    return None


ANCHOR_FIELDS = ("owner", "lead", "due", "status", "rag")


def _is_continuation(row: Row, filled: dict[int, str], prev: RawRow, hmap) -> bool:
    """The first row of a page continues the last row of the page before when it has no ref of its own
    and its action text is missing, starts mid-sentence, or stands without the owner/date/status cells
    that the row above has (a row split between two paragraphs of its action cell)."""
    if not filled:
        return False
    ref_col, text_col = hmap.col("ref"), hmap.col("text")
    if ref_col is not None and filled.get(ref_col):
        return False
    action = filled.get(text_col, "") if text_col is not None else ""
    if not action:
        return True
    first = action.lstrip("•-–* ")[:1]
    if first.islower() or first in ",;:)":
        return True
    anchors = [hmap.col(f) for f in ANCHOR_FIELDS if hmap.col(f) is not None]
    had = any(prev.fields.get(f) for f in ANCHOR_FIELDS)
    return bool(anchors) and had and not any(filled.get(c) for c in anchors)


def re_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
