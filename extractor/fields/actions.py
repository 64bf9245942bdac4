"""Raw table rows -> Action records: every field normalised, the raw value kept beside it."""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from extractor.fields import dates, owners, refs, status
from extractor.fields import progress as progress_mod
from extractor.fields.context import DocContext
from extractor.model import Action, Mention, RawRow


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


DOTTED_LEAD_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\s*[-–—:.]?\s+(\S.*)$", re.S)


def build_actions(rows: list[RawRow], ctx: DocContext, warnings: list[str]) -> list[Action]:
    """Actions from the raw rows, in order; rows that restate an earlier action are not actions (see
    build_mentions)."""
    rows = [r for r in rows if r.restates < 0]
    ratings = [_rag(row, ws(row.fields.get("rag", "")), ws(row.fields.get("status", ""))) for row in rows]
    # a document that rates anything blue uses the four-colour scheme: blue is complete, green on track
    ctx.uses_blue = ctx.uses_blue or any(r == "blue" for r, _ in ratings) or "blue" in ctx.rag_key
    if ctx.doc_year is None and ctx.plan_period is None:
        ctx.doc_year = deadline_year(rows, ctx)
    actions = [_action(row, ctx, n, warnings, rating) for n, (row, rating) in enumerate(zip(rows, ratings), start=1)]
    _refs_from_siblings(actions)
    last_numbered = ""
    for a in actions:
        if a.ref_norm:
            last_numbered = a.ref_norm
            a.parent_ref = refs.parent_ref(a.ref_norm)
        elif last_numbered:
            a.parent_ref = last_numbered  # an unnumbered sub-row belongs to the numbered row above
    return actions


def deadline_year(rows: list[RawRow], ctx: DocContext) -> Optional[int]:
    """The year the document's own dated deadlines settle, for its year-less ones ("June", "Late January")
    when it prints no date and no plan period of its own: the year of the dated deadlines, when it holds
    most of them."""
    years = Counter()
    for row in rows:
        due = dates.parse_due(ws(row.fields.get("due", "")), convention=ctx.convention).due_date
        if due:
            years[int(due[:4])] += 1
    if not years:
        return None
    year, n = years.most_common(1)[0]
    return year if 2 * n > sum(years.values()) else None


def _refs_from_siblings(actions: list[Action]) -> None:
    """A leading number the ref splitter doubted ("8.3 Staff held…" reads like "2.5 staff") is a ref
    after all when a neighbouring row's ref has the same parent: it continues the numbering."""
    for i, a in enumerate(actions):
        if a.ref:
            continue
        m = DOTTED_LEAD_RE.match(a.text)
        if not m:
            continue
        parent = refs.parent_ref(refs.normalise_ref(m.group(1)))
        neighbours = [actions[k] for k in (i - 1, i + 1) if 0 <= k < len(actions) and actions[k].ref_norm]
        if parent and any(refs.parent_ref(n.ref_norm) == parent for n in neighbours):
            a.ref, a.text = m.group(1), m.group(2).strip()
            a.ref_norm = refs.normalise_ref(a.ref)


def _action(row: RawRow, ctx: DocContext, n: int, warnings: list[str],
            rating: tuple[Optional[str], str]) -> Action:
    f = row.fields
    text = ws(f.get("text", ""))
    text, is_new = refs.strip_new_marker(text)
    ref = refs.clean_ref(ws(f.get("ref", "")))
    if ref:
        _, rest = refs.split_leading_ref(text)
        if rest and _same_ref(refs.split_leading_ref(text)[0], ref):
            text = rest  # the ref printed twice: in its column and at the start of the text
    else:
        lead_ref, rest = refs.split_leading_ref(text)
        if lead_ref:
            ref, text = refs.clean_ref(lead_ref), rest
    if not is_new:
        ref_marked, is_new = _ref_new_marker(ref)
        ref = ref_marked
    if not is_new and refs.is_new_marker(f.get("status", "")):
        is_new = True  # a log's status cell that reads "New"
    text = re.sub(r"^[-–—:]\s+", "", text)
    owner_raw, lead_raw = ws(f.get("owner", "")), ws(f.get("lead", ""))
    progress = ws(f.get("progress", ""))
    due_raw = ws(f.get("due", "")) or progress_mod.stated_target(progress, ctx.doc_date)
    due = dates.parse_due(due_raw, doc_year=ctx.doc_year, doc_date=ctx.doc_date, convention=ctx.convention,
                          period=ctx.plan_period)
    where = f"(table {row.table_index}, row {row.row_index})"
    if due_raw and due.needs_year:
        warnings.append(f"date without a year {due_raw!r} {where}: the document prints no date of its own")
    elif due_raw and not due.parsed:
        warnings.append(f"unparsed date {due_raw!r} {where}")
    start = (dates.parse_due(ws(f.get("start", "")), doc_year=ctx.doc_year, doc_date=ctx.doc_date,
                             convention=ctx.convention, period=ctx.plan_period) if f.get("start") else None)
    status_raw = ws(f.get("status", ""))
    rag, rag_raw = rating
    decided = status.decide(status_raw, rag, progress, ctx.rag_key or None, doc_date=ctx.doc_date, action=text,
                            rag_raw=rag_raw, grid=_grid(row), uses_blue=ctx.uses_blue)
    holders = owners.resolve_owners(owner_raw, ctx.glossary)
    return Action(
        doc_id=ctx.doc_id,
        action_id=f"{ctx.doc_id}-a{n:04d}",
        ref=ref,
        ref_norm=refs.normalise_ref(ref) if ref else "",
        section=ws(row.section),
        goal=ws(row.goal),
        text=text,
        owner=owner_raw,
        lead=lead_raw,
        owners=holders,
        owner_expanded=owners.expand_owner(owner_raw, ctx.glossary) if ctx.glossary else "",
        due_raw=due_raw,
        due_date=due.due_date,
        due_revised=due.due_revised,
        due_start=(start.due_date if start and start.due_date else due.due_start),
        status_raw=status_raw,
        status=decided.status,
        status_source=decided.source,
        status_evidence=decided.evidence,
        rag_raw=rag_raw,
        rag=rag or "",
        progress=progress,
        measure=ws(f.get("measure", "")),
        is_new=is_new,
        page_first=row.page_first,
        page_last=row.page_last,
        table_index=row.table_index,
        row_index=row.row_index,
        source=ctx.path,
        confidence=row.confidence,
    )


def build_mentions(rows: list[RawRow], actions: list[Action], ctx: DocContext) -> list[Mention]:
    """Rows that restate an action listed earlier in the document, linked to that action's id."""
    action_of: dict[int, Action] = {}
    kept = iter(actions)
    for i, row in enumerate(rows):
        if row.restates < 0:
            action_of[i] = next(kept)
    out = []
    for row in rows:
        original = action_of.get(row.restates)
        if original is None:
            continue
        details = "; ".join(f"{k}: {ws(v)}" for k, v in {**{f: v for f, v in row.fields.items()
                                                               if f not in ("text", "ref") and v}, **row.extra}.items())
        out.append(Mention(doc_id=ctx.doc_id, mention_id=f"{ctx.doc_id}-m{len(out) + 1:04d}",
                           action_id=original.action_id, ref=ws(row.fields.get("ref", "")),
                           text=ws(row.fields.get("text", "")), details=details[:2000], page=row.page_first,
                           table_index=row.table_index, row_index=row.row_index))
    return out


def _same_ref(a: str, b: str) -> bool:
    return bool(a) and refs.normalise_ref(refs.clean_ref(a)) == refs.normalise_ref(b)


def _ref_new_marker(ref: str) -> tuple[str, bool]:
    clean, is_new = refs.strip_new_marker(ref)
    return (refs.clean_ref(clean), is_new) if is_new else (ref, False)


def _grid(row: RawRow) -> Optional[tuple[list[str], list[str]]]:
    """The completion-grid columns of a row (header -> mark), when the table stage found a grid."""
    return (list(row.grid), list(row.grid.values())) if row.grid else None


def _rag(row: RawRow, rag_cell: str, status_raw: str) -> tuple[Optional[str], str]:
    """(RAG colour, rag_raw): from the RAG cell's letter/word (kept as printed), else its fill (kept as
    "#RRGGBB"), else a coloured status or progress cell, else a colour word opening the status cell."""
    if rag_cell:
        found = status.rag_from_text(rag_cell)
        if found:
            return found, rag_cell
    banding = row.fills.get("text", "")  # a fill shared with the action cell is row shading, not a rating
    for name in ("rag", "status", "progress"):
        fill = row.fills.get(name, "")
        if fill and fill != banding:
            found = status.rag_from_fill(fill)
            if found:
                return found, status.fill_evidence(fill)
    if status_raw:
        found = status.rag_from_text(status_raw)
        if found:
            return found, status_raw
    return None, rag_cell
