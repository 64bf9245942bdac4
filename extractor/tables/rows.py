"""Rows of a plan table -> raw action rows (cell texts by canonical field, with provenance).

Decides, per row: header repeat, blank/placeholder, full-width group row (-> section), continuation of a row a
page break split (-> merged into the row above), or an action. A vertically merged cell in any column (goal,
due, owner, status...) belongs to every row it spans, also across a page break where the merged cell is redrawn
empty. Key-value tables give one row per table; status grids one row per row label.
"""
from __future__ import annotations

import re
from typing import Optional

from extractor.fields import refs
from extractor.fields.lexicon import lexicon, words
from extractor.fields.schemes import grid_columns
from extractor.model import Cell, RawRow, Row
from extractor.tables.detect import full_width, is_header_repeat, texts_of
from extractor.tables.evidence import cell_evidence, heading_lead, squash, ticked_options
from extractor.tables.keyvalue import key_value_rows
from extractor.tables.narrative import narrative_row
from extractor.tables.stitch import Segmented, merge_split_row

PLACEHOLDER_RE = re.compile(r"^[\s\-–—_.…/?]*$|^(n/?a|tbc|tba|none|nil|\[.*\]|<.*>|insert.*|add .*here)$", re.I)
CARRIED = ("goal", "due", "owner", "lead", "status", "rag", "start")  # merged cells of these carry down
ANCHOR_FIELDS = ("owner", "lead", "due", "status", "rag")


def rows_of(seg: Segmented) -> list[RawRow]:
    v = seg.verdict
    if v.kind == "key_value":
        rows = key_value_rows(v.table, seg.context.section, seg.context.goal, seg.context.goal_ref)
        return [_with_context(row, seg) for row in rows]
    if v.kind == "status_grid":
        return _grid_rows(seg)
    if v.kind == "narrative":
        return [narrative_row(v.narrative, seg.context.section, v.narrative.position)]
    return _plan_rows(seg)


def _with_context(record: RawRow, seg: Segmented) -> RawRow:
    if seg.context.owner and not record.fields.get("owner"):
        record.fields["owner"] = seg.context.owner
        record.fills.setdefault("owner", "")
    if seg.context.goal and not record.goal:
        record.goal = seg.context.goal
    return record


def _plan_rows(seg: Segmented) -> list[RawRow]:
    v = seg.verdict
    table, cols = v.table, v.columns
    text_col = v.col("text")
    out: list[RawRow] = []
    pending: list[tuple[Row, RawRow]] = []  # (row, record) so split rows can merge into the record's row
    section = seg.context.section
    carried: dict[str, str] = {}
    merged_ref = ""  # the ref of a ref cell merged over a parent row and its sub-items
    anchored: Optional[bool] = None  # most rows fill an owner / date / status cell (computed when needed)
    start = v.n_header_rows
    for r_index, row in enumerate(table.rows):
        texts = texts_of(row)
        if r_index < start:
            if full_width(row, table.n_cols):  # a group row above the header
                section = _group_title(next(iter(texts.values())))
            continue
        if row.is_header or (v.header is not None and is_header_repeat(row, v.header)):
            continue
        at_segment_top = r_index in seg.segment_starts
        if at_segment_top and pending and _is_continuation(row, texts, pending[-1][1], v):
            prev_row, record = pending[-1]
            merge_split_row(prev_row, row)
            _refresh(record, prev_row, cols, row.page, {})
            continue
        _carry(row, cols, carried, at_segment_top)
        if not texts:
            continue
        if table.n_cols == 1 and text_col == 0:
            section = _box_rows(row, seg, section, carried, out)
            continue
        if full_width(row, table.n_cols) and (text_col is None or _only_cell_col(row) != text_col or
                                              len(texts) == 1 and table.n_cols > 1):
            only = next(iter(texts.values()))
            if cell_evidence(only).dated and "due" not in cols.values():
                carried["due"] = only  # a group row that is a date ("Q1 April - June 2021"): the rows' due date
            else:
                section = _group_title(only)
            continue
        if anchored is None:
            anchored = _anchored(table.rows[start:], cols)
        if anchored and _lone_label(row, texts, cols):
            section = _group_title(next(iter(texts.values())))  # a group row drawn as one filled cell
            continue
        action_text = texts.get(text_col, "") if text_col is not None else ""
        parent = "" if action_text else _parent_item(row, texts, v)
        if not (action_text or parent) or PLACEHOLDER_RE.match(action_text or parent):
            continue
        record = RawRow(fields={}, fills={}, goal=carried.get("goal", seg.context.goal), section=section,
                        page_first=row.page, page_last=row.page, table_index=table.index, row_index=r_index)
        _refresh(record, row, cols, row.page, carried)
        if parent:  # the item itself: its goal cell is its text, and the goal of the sub-tasks below it
            record.fields["text"], record.goal = parent, seg.context.goal
        merged_ref = _sub_item_ref(record, row, v.col("ref"), merged_ref)
        if "due" in carried and "due" not in cols.values():
            record.fields["due"] = carried["due"]
        record.extra = {(v.header.texts[c.col] if v.header and c.col < len(v.header.texts) else ""): c.text
                        for c in row.cells if c.col not in cols and not c.covered and c.text.strip()
                        and v.header and c.col < len(v.header.texts) and v.header.texts[c.col]}
        record.grid = _completion_grid(v.header.texts if v.header else [], texts)
        record.confidence = _confidence(v.confidence, action_text)
        out.append(_with_context(record, seg))
        pending.append((row, record))
    return out


def _sub_item_ref(record: RawRow, row: Row, ref_col: Optional[int], merged_ref: str) -> str:
    """Under a ref cell merged over a parent row and its sub-items ("A" over three rows), a sub-item's ref is
    printed at the start of its action text ("Ai. ...", "A.2 ...", "(A)(iii) ..."): the parent's ref followed
    by a sub-item number. Returns the merged ref in force for the rows below."""
    if ref_col is None:
        return ""
    cell = row.cell_at(ref_col)
    if cell is None:
        return merged_ref
    if not cell.covered:
        return refs.clean_ref(cell.text.strip()).strip("()") if cell.rowspan > 1 else ""
    text = record.fields.get("text", "")
    if merged_ref and not record.fields.get("ref"):
        ref, rest = refs.sub_item_ref(text, merged_ref)
        if ref:
            record.fields["ref"], record.fields["text"] = ref, rest
    return merged_ref


def _confidence(table_confidence: float, text: str) -> float:
    """How sure we are that a row is an action: the table's verdict and how much the row reads as one."""
    return round(0.5 * table_confidence + 0.5 * max(cell_evidence(text).action, 0.3), 2)


def _anchored(rows: list[Row], cols: dict[int, str]) -> bool:
    """Most rows with two or more filled cells fill an owner, date, status or RAG cell: rows of actions."""
    anchors = [c for c, name in cols.items() if name in ANCHOR_FIELDS]
    full = [r for r in rows if len(texts_of(r)) >= 2]
    if not anchors or len(full) < 2:
        return False
    return sum(1 for r in full if any(texts_of(r).get(c) for c in anchors)) >= 0.7 * len(full)


def _lone_label(row: Row, texts: dict[int, str], cols: dict[int, str]) -> bool:
    """A group row drawn as one filled cell of an ordinary row ("Governance" under the issue or action column,
    every other cell empty and none merged from above): a short title-like label, not a statement of something
    to do, and not in a column of refs, owners, dates or statuses."""
    if len(texts) != 1 or any(c.covered for c in row.cells):
        return False
    col, text = next(iter(texts.items()))
    if cols.get(col) in ("ref",) + ANCHOR_FIELDS or "\n" in text.strip():
        return False
    ev = cell_evidence(text)
    return _is_label(text) and not ev.short_value and not ev.lead_ref and ev.action < 0.5


def _only_cell_col(row: Row) -> Optional[int]:
    cells = [c for c in row.cells if not c.covered and c.text.strip()]
    return cells[0].col if len(cells) == 1 else None


def _group_title(text: str) -> str:
    """A group row's title: its first paragraph when the cell goes on with prose."""
    return squash(text.strip().split("\n")[0])


def _is_label(paragraph: str) -> bool:
    """A short heading-like paragraph ("Governance", "Outpatients/integrated pathways"), not a statement."""
    t = paragraph.strip()
    return 0 < len(t.split()) <= 6 and not t.endswith((".", ";", ":")) and cell_evidence(t).action < 0.6


SHORT_LINE = 0.6  # a printed line shorter than this share of the cell's longest ended its paragraph


def _line_items(cell: Cell, paragraphs: list[str]) -> list[str]:
    """PDF: a paragraph cut where a printed line opens with a capital after a line that stopped well short of
    the others (lines wrap only when full), or opens with a verb after a line that ended a sentence: milestones
    printed one per line without a gap between them. A paragraph that leads in to a list keeps its lines."""
    if not cell.lines or len(cell.lines) < 2:
        return paragraphs  # Word has no lines
    full = max(len(line.strip()) for line in cell.lines)
    out: list[str] = []
    lines = [line.strip() for line in cell.lines if line.strip()]
    for para in paragraphs:
        own, lines = _lines_of(para, lines)
        if len(own) < 2 or _lead_in(para) or _introduces_list(para):
            out.append(para)
            continue
        current: list[str] = []
        for k, line in enumerate(own):
            prev = own[k - 1] if k else ""
            first = words(line)[:1]
            capital = bool(first) and first[0][:1].isupper()
            starts = capital and (lexicon().is_verb(first[0]) or len(prev) < SHORT_LINE * full)
            if current and starts and not _runs_on(prev):
                out.append(" ".join(current))
                current = []
            current.append(line)
        out.append(" ".join(current))
    label = paragraphs[0] if paragraphs and _is_label(paragraphs[0]) else ""
    if label and out and out[0] != label and out[0].startswith(label):
        out[0] = out[0][len(label):].strip()  # the label was taken as the section already
    return [o for o in out if o]


def _lines_of(paragraph: str, lines: list[str]) -> tuple[list[str], list[str]]:
    """(the printed lines that make up `paragraph`, the lines after them); ([], lines) when they do not match."""
    target = squash(paragraph).replace(" ", "")
    taken: list[str] = []
    so_far = ""
    for k, line in enumerate(lines):
        so_far += line.replace(" ", "")
        taken.append(line)
        if so_far == target:
            return taken, lines[k + 1:]
        if not target.startswith(so_far):
            break
    return [], lines


_RUNS_ON = re.compile(r"(?:[,;:\-\u2013\u2014(/&]|\b(?:and|or|the|a|an|of|to|for|with|in|on|by|from|at|as))\s*$", re.I)


def _runs_on(line: str) -> bool:
    """A line that stops mid-phrase ("... with", "... and,"): the next line continues it."""
    return bool(_RUNS_ON.search(line.rstrip()))


_FOOTNOTE_TAIL = re.compile(r"(?<=\w)[*\u2020\u2021\u00a7]+(?=\s*$)", re.M)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _statements(paragraph: str) -> list[str]:
    """A paragraph of a milestone box cut where a new sentence opens with a verb ("... each quarter. Evaluate the
    ..."): milestones printed one per line, without a gap, read as one paragraph."""
    out: list[str] = []
    for sentence in _SENTENCE.split(paragraph):
        first = words(sentence)[:1]
        if out and not (first and lexicon().is_verb(first[0]) and cell_evidence(sentence).action >= 0.6):
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    return out


def _introduces_list(paragraph: str) -> bool:
    return paragraph.rstrip().endswith(":")


def _lead_in(paragraph: str) -> bool:
    """A paragraph that opens with a short lead-in and a colon ("To include as a minimum: ...")."""
    head = paragraph.split(":", 1)[0]
    return ":" in paragraph and len(head.split()) <= 6


def _box_rows(row: Row, seg: Segmented, section: str, carried: dict[str, str], out: list[RawRow]) -> str:
    """A one-column plan (boxes of milestones): a cell that is only a date gives the due date of the boxes below;
    a short label opening a cell is their theme (section); every other paragraph is one action, except items
    of a list that a paragraph ending in ":" introduces, which stay with it."""
    cell = row.cell_at(0)
    if cell is None or cell.covered:
        return section
    paragraphs = [p for p in (cell.paragraphs or [cell.text]) if p.strip()]
    if len(paragraphs) == 1 and cell_evidence(paragraphs[0]).dated:
        carried["due"] = paragraphs[0]
        return section
    if paragraphs and _is_label(paragraphs[0]) and (len(paragraphs) > 1 or cell.fill
                                                    or cell_evidence(paragraphs[0]).action < 0.5):
        section = squash(paragraphs.pop(0))  # a theme label opening the cell, or a shaded label row of its own
    items: list[list[str]] = []
    for para in (sentence for p in _line_items(cell, paragraphs)
                 for sentence in ([p] if _lead_in(p) else _statements(p))):
        if items and (_introduces_list(items[-1][-1]) or _lead_in(para) or
                      (_introduces_list(items[-1][0]) and len(para.split()) <= 12 and not para.endswith("."))):
            items[-1].append(para)  # a list that belongs to the item above
        else:
            items.append([para])
    for item in items:
        text = " ".join(squash(p) for p in item)
        if PLACEHOLDER_RE.match(text):
            continue
        fields = {"text": text}
        if carried.get("due"):
            fields["due"] = carried["due"]
        record = RawRow(fields=fields, fills={k: "" for k in fields}, goal=seg.context.goal, section=section,
                        page_first=row.page, page_last=row.page, table_index=seg.table.index, row_index=row.index,
                        confidence=_confidence(seg.verdict.confidence, text))
        out.append(_with_context(record, seg))
    return section


def _carry(row: Row, cols: dict[int, str], carried: dict[str, str], at_segment_top: bool) -> None:
    """Values of vertically merged cells, for the rows they cover."""
    for col, name in cols.items():
        if name not in CARRIED:
            continue
        cell: Optional[Cell] = row.cell_at(col)
        if cell is None:
            continue
        if cell.covered:
            continue  # merged from above: the carried value stands
        text = cell.text.strip()
        if not text and at_segment_top and name in carried:
            continue  # a merged cell that continues over a page break is redrawn empty
        if cell.rowspan > 1 or name == "goal":
            carried[name] = text
            carried[name + "#fill"] = cell.fill
        else:
            carried.pop(name, None)
            carried.pop(name + "#fill", None)


def _refresh(record: RawRow, row: Row, cols: dict[int, str], page: int, carried: dict[str, str]) -> None:
    status_word = ""
    for col, name in cols.items():
        if name == "goal":
            continue
        cell = row.cell_at(col)
        if cell is None or cell.covered or (not cell.text.strip() and name in carried):
            if name in carried:
                record.fields[name] = carried[name]
                record.fills[name] = carried.get(name + "#fill", "")
            else:
                record.fields.setdefault(name, "")
                record.fills.setdefault(name, "")
            continue
        record.fields[name] = _value(name, cell.text)
        record.fills[name] = cell.fill
        if name == "due":
            due, word = _status_under_date(cell)
            if word:
                record.fields["due"] = due
                status_word = word
        elif name == "status" and "due" not in cols.values():
            due, word = _status_under_date(cell)  # "Finish & status": the date above the status word
            if word and cell_evidence(due).dated:
                record.fields["status"], record.fields["due"] = word, due
                record.fills.setdefault("due", "")
    if status_word and not record.fields.get("status", "").strip():
        record.fields["status"] = status_word
        record.fills.setdefault("status", "")
    record.page_last = max(record.page_last, page)


def _status_under_date(cell: Cell) -> tuple[str, str]:
    """(date, status word) of a due cell whose last line is a status word on its own under the date ("Autumn
    2020" / "CLOSED"); ("", "") otherwise."""
    lines = [ln.strip() for ln in (cell.lines or cell.text.split("\n")) if ln.strip()]
    if len(lines) < 2:
        return "", ""
    last = cell_evidence(lines[-1])
    rest = "\n".join(lines[:-1])
    if not last.status or last.n_words > 3 or cell_evidence(rest).status:
        return "", ""
    return _FOOTNOTE_TAIL.sub("", rest), lines[-1]


def _value(name: str, text: str) -> str:
    """A cell's value for its field: a ref without the label printed before it ("Activity 3.3.1" -> "3.3.1"); a
    checkbox list's ticked options ("☐ Done ☒ In progress" -> "In progress")."""
    if name == "ref":
        return cell_evidence(text).ref or text
    if name in ("owner", "lead", "due", "start"):
        return _FOOTNOTE_TAIL.sub("", text)  # "Board*", "June 2024†": a footnote marker glued to the value
    if name == "status" and cell_evidence(text).checkbox:
        return "; ".join(ticked_options(text)) or text
    return text


def _is_continuation(row: Row, filled: dict[int, str], prev: RawRow, v) -> bool:
    """The first row of a page continues the last row of the page before when it has no ref of its own
    and its action text is missing, starts mid-sentence, or stands without the owner/date/status cells
    that the row above has (a row split between two paragraphs of its action cell)."""
    if not filled:
        return False
    ref_col, text_col = v.col("ref"), v.col("text")
    if ref_col is not None and filled.get(ref_col):
        return _number_fell_over(filled, prev, v)
    action = filled.get(text_col, "") if text_col is not None else ""
    if not action:
        return True
    if ref_col is not None and prev.fields.get("ref"):
        return True  # numbered rows, and this one has no number: the rest of the row above
    if cell_evidence(action).lead_ref:
        return False
    first = action.lstrip("•-–* ")[:1]
    if first.islower() or first in ",;:)":
        return True
    return _without_the_anchors_above(filled, prev, v)


def _anchor_cols(v) -> list[int]:
    """The table's owner / lead / due / status / RAG columns."""
    return [c for c in (v.col(f) for f in ANCHOR_FIELDS) if c is not None]


def _without_the_anchors_above(filled: dict[int, str], prev: RawRow, v) -> bool:
    """The row above filled an owner, date, status or RAG cell, and this row fills none."""
    anchors = _anchor_cols(v)
    return bool(anchors) and any(prev.fields.get(f) for f in ANCHOR_FIELDS) and not any(filled.get(c) for c in anchors)


def _parent_item(row: Row, texts: dict[int, str], v) -> str:
    """An item with sub-tasks ("(A) Open data paper" over "Ai ...", "Aii ..."): its own row has an empty
    action cell, but its goal cell starts here (not merged from above) and the row has its own owner, date or
    status. The goal cell's text is then the item's action."""
    goal_col = v.col("goal")
    if goal_col is None or not texts.get(goal_col):
        return ""
    cell = row.cell_at(goal_col)
    if cell is None or cell.covered or cell.col != goal_col:
        return ""
    return texts[goal_col] if any(texts.get(c) for c in _anchor_cols(v)) else ""


def _number_fell_over(filled: dict[int, str], prev: RawRow, v) -> bool:
    """A row whose ref was printed at the top of the next page: the row above has something in its ref cell but
    no ref ("Dataset", a label over the number), and this one has a ref and text but none of the owner / date /
    status cells the row above has."""
    before = prev.fields.get("ref", "").strip()
    if not before or cell_evidence(before).ref or cell_evidence(before).lead_ref:
        return False
    if not cell_evidence(filled[v.col("ref")]).ref:
        return False
    return _without_the_anchors_above(filled, prev, v)


def _grid_rows(seg: Segmented) -> list[RawRow]:
    """A status grid: one row per row label; its status summarises the row's status cells."""
    from extractor.fields import status as status_mod

    v = seg.verdict
    out = []
    header = v.header.texts if v.header else []
    for r_index, row in enumerate(v.table.rows):
        if r_index < v.n_header_rows or not texts_of(row) or full_width(row, v.table.n_cols):
            continue
        label = row.cell_at(0).text.strip() if row.cell_at(0) is not None else ""
        if not label:
            continue
        states = []
        for c in row.cells:
            if c.col == 0 or c.covered:
                continue
            st = status_mod.status_from_text(c.text) if c.text.strip() else None
            if st:
                name = header[c.col] if c.col < len(header) and header[c.col] else f"column {c.col + 1}"
                states.append((name, c.text.strip(), st))
        if not states:
            continue
        kinds = {st for _, _, st in states}
        summary = "; ".join(f"{name}: {text}" for name, text, _ in states)
        overall = ("completed" if kinds == {"completed"} else "not_started" if "completed" not in kinds and
                   kinds <= {"not_started", "delayed"} and len(kinds) == 1 and "not_started" in kinds else
                   "in_progress" if "completed" in kinds else next(iter(kinds)) if len(kinds) == 1 else "in_progress")
        record = RawRow(fields={"text": label, "status": _status_word(overall), "progress": summary},
                        fills={"text": "", "status": "", "progress": ""}, goal=seg.context.goal,
                        section=seg.context.section, page_first=row.page, page_last=row.page,
                        table_index=v.table.index, row_index=r_index, confidence=v.confidence)
        out.append(_with_context(record, seg))
    return out


def _completion_grid(headers: list[str], texts: dict[int, str]) -> dict[str, str]:
    """The row's marks under a completion grid's columns (Not started | Limited | Substantial | Completed):
    header -> the cell's text ("" unmarked); fields/schemes.py reads the status from the column a mark is under."""
    return {headers[c]: texts.get(c, "") for c in grid_columns(headers)}


def _status_word(status: str) -> str:
    return {"completed": "Completed", "in_progress": "In progress", "delayed": "Delayed",
            "not_started": "Not started"}.get(status, "")


def owner_from_heading(text: str) -> str:
    return heading_lead(text)[1]
