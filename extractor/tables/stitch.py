"""Plans in a document: every table gets a verdict (tables/classify.py); plan tables that run on - over pages,
with or without a repeated header, ruled or borderless - are joined by their column positions; each plan takes
its context from the heading right above it (its section; the lead a group heading names; the goal a numbered
heading states)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Optional

from extractor.model import Block, Row, Table
from extractor.settings import current
from extractor.tables.classify import Verdict, classify
from extractor.tables.detect import STYLED, find_header, is_header_repeat, texts_of
from extractor.tables.evidence import heading_lead, numbered_heading
from extractor.tables.grid import logical_columns
from extractor.tables.keyvalue import is_key_value, is_title, key_value_keys
from extractor.tables.narrative import NarrativeAction, find_narrative

MAX_CONTEXT_WORDS = 20  # a paragraph longer than this above a table is prose, not its heading
_PAGE_MARK = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)


@dataclass
class Context:
    """What the blocks above a table say about its rows."""
    section: str = ""  # the heading as printed
    owner: str = ""  # the lead the heading names ("... – Lead HS/BB")
    goal: str = ""  # the title of a numbered heading ("Priority 3: ...")
    goal_ref: str = ""
    block: Optional[Block] = None  # the heading block itself


@dataclass
class Segmented:
    """A plan table (its continuations appended) and where each continuation starts."""
    verdict: Verdict
    context: Context
    segment_starts: set[int] = field(default_factory=set)  # indexes into verdict.table.rows
    sources: list[int] = field(default_factory=list)  # Table.index of every source table joined in

    @property
    def table(self) -> Table:
        return self.verdict.table

    @property
    def heading(self) -> str:
        return self.context.section

    @property
    def shape(self) -> tuple:
        """What kind of plan table this is: its kind, column count and column roles."""
        v = self.verdict
        return v.kind, v.table.n_cols, tuple(sorted(v.columns.items()))


@dataclass
class Scan:
    plans: list[Segmented]
    verdicts: dict[int, Verdict]  # Table.index -> verdict (continuations: the plan's verdict)
    joined: dict[int, int] = field(default_factory=dict)  # Table.index of a continuation -> first table's index

    @property
    def goal_headings(self) -> list[Block]:
        """Numbered headings that title the plan table right below them ("Priority 3: ..."): the plan's goals,
        not narrative objectives."""
        return [p.context.block for p in self.plans if p.context.goal_ref and p.context.block is not None]


def find_plans(items: list) -> Scan:
    scan = Scan(plans=[], verdicts={})
    last: Optional[Segmented] = None
    left: Optional[Table] = None  # the table before, left as not a plan
    between: list[Block] = []
    context = Context()
    narrative = find_narrative(items)
    skip_to = -1
    for position, item in enumerate(items):
        if position <= skip_to:
            continue
        if position in narrative:  # a plan written as numbered blocks with "Lead:" / "By when:" lines
            action = narrative[position]
            context = _context(between, context)
            scan.plans.append(Segmented(verdict=_narrative_verdict(action), context=context))
            skip_to, last, left, between = action.last, None, None, []
            continue
        if isinstance(item, Block):
            between.append(item)
            continue
        if not isinstance(item, Table):
            continue
        if last is not None and _continues(last, item, between):
            _append(last, item)
            scan.verdicts[item.index] = last.verdict
            scan.joined[item.index] = last.sources[0]
            between = []
            continue
        joined = _key_value_rest(left, item, between) if last is None and left is not None else None
        if joined is not None:  # the keys a page break cut off from the rest of their table
            scan.joined[item.index] = left.index
            item.continues = True
            continuation, item = item, joined
        context = _context(between, context) if joined is None else context
        sibling = next((p for p in reversed(scan.plans) if _same_shape(p.table, item)), None)
        verdict = classify(item, context.section, sibling_plan=sibling is not None,
                           inherited=sibling.verdict.header if sibling is not None else None,
                           sibling_roles=sibling.verdict.columns if sibling is not None else None)
        scan.verdicts[item.index] = verdict
        if joined is not None:
            scan.verdicts[continuation.index] = verdict
        if verdict.taken:
            last = Segmented(verdict=verdict, context=context, sources=[item.index])
            if joined is not None:
                last.sources.append(continuation.index)
            scan.plans.append(last)
            left = None
        else:
            last, left = None, item
        between = []
    return scan


def _key_value_rest(prev: Table, table: Table, between: list[Block]) -> Optional[Table]:
    """A key-value table a page break cut in two before its first part could be told one (a title and two
    keys at the foot of a page, left as not a plan), or whose title bar was found as a table of its own: the two
    parts joined, when the second starts the next page (or right under the title bar) with nothing between, its
    first column where the first's is, no title row and none of the first's keys, and the whole reads as a
    key-value table."""
    if any(b.text.strip() and not _PAGE_MARK.match(b.text) for b in between):
        return None
    if prev.bbox is None or table.bbox is None or not table.rows:
        return None
    if table.page_first != prev.page_last + 1 and not _title_bar_over(prev, table):
        return None
    if abs(prev.bbox[0] - table.bbox[0]) > current().tables.column_tolerance or \
            _titled(table) or key_value_keys(prev) & key_value_keys(table):
        return None
    n_cols = max(prev.n_cols, table.n_cols)
    rows = [Row(cells=[replace(c, colspan=n_cols) if c.colspan == part.n_cols else c for c in r.cells],
                page=r.page, index=k, is_header=r.is_header, bbox=r.bbox)  # a title across stays across
            for part in (prev, table) for k, r in enumerate(part.rows)]
    for k, r in enumerate(rows):
        r.index = k
    joined = Table(rows=rows, n_cols=n_cols, page_first=prev.page_first,
                   page_last=table.page_last, index=prev.index, bbox=prev.bbox, ruled=prev.ruled)
    return joined if is_key_value(joined) else None


def _title_bar_over(prev: Table, table: Table) -> bool:
    """A title bar drawn apart (a shaded one-line band pdfplumber finds as a table of its own) right above the
    table on the same page."""
    texts = [c.text for r in prev.rows for c in r.cells if not c.covered and c.text.strip()]
    return (table.page_first == prev.page_last and len(texts) == 1 and "\n" not in texts[0].strip()
            and -1.0 <= table.bbox[1] - prev.bbox[3] <= current().tables.column_tolerance * 3)


def _key_value_goes_on(prev: Table, table: Table) -> bool:
    """The rest of a key-value table on the next page, whatever its grid (a completion sub-grid adds columns):
    its first column where the table's is, no title row, none of the keys of the table's last part, and keys of
    its own."""
    if prev.bbox is None or table.bbox is None or abs(prev.bbox[0] - table.bbox[0]) > current().tables.column_tolerance:
        return False
    if _titled(table):
        return False
    own = key_value_keys(table, "first")
    return bool(own) and not key_value_keys(prev, "last") & own


def _titled(table: Table) -> bool:
    return bool(table.rows) and is_title(table.rows[0], table.n_cols)


def _narrative_verdict(action: NarrativeAction) -> Verdict:
    page = action.title.page
    v = Verdict(table=Table(rows=[], n_cols=0, page_first=page, page_last=page, index=-1), header=None,
                kind="narrative", confidence=0.7,
                reason="a numbered title followed by labelled lines (" + ", ".join(action.fields) + ")")
    v.narrative = action
    return v


def _context(blocks: list[Block], previous: Context) -> Context:
    """The heading nearest above a table: a heading block, or a short line that is not a sentence. With no
    block between two tables the previous table's context holds."""
    for block in reversed(blocks):
        text = block.text.strip()
        if not text or _PAGE_MARK.match(text):
            continue
        if block.kind == "heading" or (len(text.split()) <= MAX_CONTEXT_WORDS and not text.endswith((".", ";"))):
            head, lead = heading_lead(text)
            ref, title = numbered_heading(text)
            return Context(section=text, owner=lead, goal=title, goal_ref=ref, block=block)
        return Context()  # prose right above the table: no heading of its own
    return previous if not blocks else Context()


def _same_shape(a: Table, b: Table) -> bool:
    """The same logical columns at the same positions (PDF), or the same number of columns of 3 or more (Word)."""
    candidate = logical_columns(b)
    if candidate.n_cols != a.n_cols:
        return False
    if _edges(a) is None or _edges(candidate) is None:
        return a.n_cols >= 3
    return _columns_align(a, candidate, share=0.05)  # the same design; widths may differ a little by page


def _continues(seg: Segmented, table: Table, between: list[Block]) -> bool:
    """A table continues the plan above it when nothing but page marks stands between them, it starts on the
    next page (PDF; Word has no reliable pages, adjacency is enough), its columns line up with the plan's,
    and it either repeats the plan's header or has no header of its own."""
    if any(b.text.strip() and not _PAGE_MARK.match(b.text) for b in between):
        return False
    prev = seg.table if seg.verdict.kind != "key_value" else logical_columns(seg.table)
    if table.bbox is not None and prev.bbox is not None and table.page_first != prev.page_last + 1:
        return False
    if seg.verdict.kind == "key_value" and _key_value_goes_on(prev, table):
        return True
    candidate = logical_columns(table)
    if candidate.n_cols != prev.n_cols or not _columns_align(prev, candidate):
        return False
    if seg.verdict.kind == "key_value" and (key_value_keys(prev, "last") & key_value_keys(candidate, "first")
                                             or _titled(candidate)):
        return False  # the same keys again, or a title row: the next commitment, not the rest of this one
    header = seg.verdict.header
    if header is not None and candidate.rows and is_header_repeat(candidate.rows[0], header):
        return True
    own = find_header(candidate)
    if own is None or (header is None and own.how == STYLED):
        return True  # no header of its own (a shaded first row of a header-less plan is one of its rows)
    return header is not None and own.signature == header.signature


def _columns_align(a: Table, b: Table, share: float = 0.02) -> bool:
    """Column edges within the tolerance, or `share` of the table width (PDF); Word gives only the count."""
    xa, xb = _edges(a), _edges(b)
    if xa is None or xb is None:
        return True
    tol = current().tables.column_tolerance
    width = max(xa[-1] - xa[0], 1.0)
    return len(xa) == len(xb) and all(abs(p - q) <= max(tol, share * width) for p, q in zip(xa, xb))


def _edges(table: Table) -> Optional[list[float]]:
    """Left edges of the logical columns and the right edge, from the widest-split row with cell boxes."""
    best: Optional[Row] = None
    for row in table.rows:
        cells = [c for c in row.cells if not c.covered and c.bbox is not None]
        if len(cells) == table.n_cols and (best is None):
            best = row
    if best is None:
        return None
    cells = sorted((c for c in best.cells if not c.covered), key=lambda c: c.col)
    return [c.bbox[0] for c in cells] + [cells[-1].bbox[2]]


def _append(seg: Segmented, table: Table) -> None:
    # (a key-value table is read on its own grid: a completion sub-grid's marks sit under their level columns)
    candidate = table if seg.verdict.kind == "key_value" else logical_columns(table)
    rows = list(candidate.rows)
    header = seg.verdict.header
    while rows and (rows[0].is_header or (header is not None and is_header_repeat(rows[0], header))
                    or not texts_of(rows[0]) and rows[0].is_header):
        rows.pop(0)
    target = seg.table
    start = len(target.rows)
    for row in rows:
        row.index = len(target.rows)
        target.rows.append(row)
    if rows:
        seg.segment_starts.add(start)
    target.page_last = max(target.page_last, table.page_last)
    seg.sources.append(table.index)
    table.continues = True


def merge_split_row(prev: Row, cont: Row) -> None:
    """Append a continuation row's cell texts to the row a page break split."""
    for cell in cont.cells:
        if cell.covered or not cell.text.strip():
            continue
        target = prev.cell_at(cell.col)
        if target is None or target.covered:
            continue
        target.text = f"{target.text}\n{cell.text}" if target.text else cell.text
        target.paragraphs = target.paragraphs + cell.paragraphs
        if not target.fill:
            target.fill = cell.fill
