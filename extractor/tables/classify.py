"""Is a table a plan? Decided from its rows as well as its header.

A plan table has a column whose cells read as things to do, and at least one of: a column that reads as refs,
owners, dates, statuses or RAG ratings; a header that names plan columns; a heading above it that says it is a
plan ("Action log", "Key milestones"); or a sibling table of the same shape that is one. Left alone, with the
reason: empty templates, tables whose header or first column names another kind (glossary, version history,
contents, roles and responsibilities, contacts, key/legend, statistics, attendance, risk register, incident
log), tick matrices and tables of numbers. Two other shapes are plans too: key-value tables (one commitment per
2-column table) and status grids (a row label and a status per column).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extractor.model import Row, Table
from extractor.tables.columns import ColumnRole, Profile, assign_roles, profile
from extractor.tables.detect import Header, find_header, full_width, is_header_repeat, texts_of
from extractor.tables.evidence import cell_evidence, decisive_kind, non_plan_kind, plan_context, vocabulary
from extractor.tables.grid import logical_columns
from extractor.tables.header import field_of
from extractor.tables.keyvalue import is_key_value

SUPPORT_ROLES = ("ref", "owner", "due", "status", "rag", "progress")
VALUE_ROLES = frozenset({"ref", "due", "status", "rag"})  # read from values that prose seldom looks like


@dataclass
class Verdict:
    table: Table  # on its logical columns
    header: Optional[Header]
    roles: list[ColumnRole] = field(default_factory=list)
    kind: str = ""  # "plan" | "key_value" | "status_grid" | "narrative" | "" (not a plan)
    confidence: float = 0.0
    reason: str = ""
    narrative: Optional[object] = None  # kind "narrative": the tables.narrative.NarrativeAction (no table)

    @property
    def taken(self) -> bool:
        return bool(self.kind)

    def col(self, role: str) -> Optional[int]:
        return next((r.col for r in self.roles if r.role == role), None)

    @property
    def columns(self) -> dict[int, str]:
        return {r.col: r.role for r in self.roles if r.role}

    @property
    def n_header_rows(self) -> int:
        return self.header.end if self.header else 0


def body_rows(table: Table, header: Optional[Header]) -> list[Row]:
    """Rows below the header that hold text, without group rows and header repeats."""
    start = header.end if header else 0
    out = []
    for row in table.rows[start:]:
        if not texts_of(row) or full_width(row, table.n_cols):
            continue
        if header is not None and is_header_repeat(row, header):
            continue
        out.append(row)
    return out


def classify(raw: Table, context: str = "", sibling_plan: bool = False,
             inherited: Optional[Header] = None, sibling_roles: Optional[dict[int, str]] = None) -> Verdict:
    """The verdict on one table. `context` is the heading or caption above it; `sibling_plan` says that a table
    of the same shape earlier in the document was taken as a plan, whose header (`inherited`) stands in for a
    header this table does not have."""
    table = logical_columns(raw)
    if is_key_value(table):  # read on its own grid: a completion sub-grid's marks sit under their level columns
        own_grid = raw if raw is not table and is_key_value(raw) else table
        return Verdict(table=own_grid, header=None, kind="key_value", confidence=0.8,
                       reason="a key-value table: labels in the first column, values in the second")
    header = find_header(table)
    v = Verdict(table=table, header=header)
    body = body_rows(table, header)
    if not body:
        v.reason = "no rows with text below the header (an empty template?)"
        return v
    labels = [t for t in (header.texts if header else []) if t.strip()]
    kind = non_plan_kind(labels)
    if kind and (not _names_plan_columns(labels) or decisive_kind(labels)):
        v.reason = f"its header names another kind of table ({kind.replace('_', ' ')}): {', '.join(labels)[:80]}"
        return v
    prior = header or inherited
    v.roles = assign_roles(body, table.n_cols, prior.texts if prior and len(prior.texts) == table.n_cols else None,
                           sibling_roles)
    profiles = {c: profile(c, body) for c in range(table.n_cols)}
    grid = _status_grid(profiles, v.roles)
    if grid:
        v.kind, v.confidence, v.reason = "status_grid", 0.7, grid
        v.roles = [r if r.col != 0 else ColumnRole(0, "text", r.header, "content", 1.0, "row labels of a status grid")
                   for r in v.roles]
        return v
    form = _label_column(body)
    if form:
        v.reason = form
        v.roles = []
        return v
    figures = _table_of_figures(profiles, v.roles)
    if figures:
        v.reason = figures
        v.roles = []
        return v
    text_col = v.col("text")
    if text_col is None:
        v.reason = "no column reads as actions" + _best_action(profiles)
        return v
    if _lines_of_running_text(body, text_col):
        v.reason = (f"the cells of column {text_col + 1} are the lines of running text (each row goes on with the "
                    f"sentence the row above broke off): a boxed paragraph, not rows of actions")
        v.roles = []
        return v
    text_profile = profiles[text_col]
    action_share = text_profile.shares.get("actions", 0.0)
    # the header names plan columns, and the cells under at least two of them agree
    header_plan = bool(header) and _names_plan_columns(labels) and sum(
        1 for r in v.roles if r.role and r.source in ("header", "both")) >= 2
    if not header_plan and len(body) >= 4 and text_profile.coverage + text_profile.merged < 0.34:
        v.reason = (f"column {text_col + 1}, the best candidate for actions, is empty in "
                    f"{1 - text_profile.coverage - text_profile.merged:.0%} of the rows (and no header names it)")
        v.roles = []
        return v
    # a header that names the action column and other plan columns vouches for terse actions ("Training events")
    named = header_plan and v.roles[text_col].source != "content"
    strong = named and field_of(labels_by_col(header, text_col))[1] == 2 and _plan_fields(labels) >= 3
    if sibling_plan and not header:
        named = True  # the same columns as a plan above: its evidence carries over
    needed = vocabulary().min_action_share * (0.0 if strong else 0.3 if named else 1.0)
    if action_share < needed:
        v.reason = (f"column {text_col + 1} is the best candidate for actions but only {action_share:.0%} of its "
                    f"cells read as something to do")
        v.roles = []
        return v
    first_col = [r.cell_at(0).text for r in body if r.cell_at(0) is not None and r.cell_at(0).text.strip()]
    kind = non_plan_kind(first_col) if text_col != 0 else ""
    if kind:
        v.reason = f"its first column names another kind of table ({kind.replace('_', ' ')})"
        v.roles = []
        return v
    support = [r for r in v.roles if r.role in SUPPORT_ROLES and r.source in ("content", "both")]
    context_plan = plan_context(context) or (bool(header) and plan_context(" ".join(labels)))
    evidence = []
    if support:
        evidence.append("columns read as " + ", ".join(sorted({r.role for r in support})))
    if header_plan:
        evidence.append("the header names plan columns")
    if context_plan:
        evidence.append(f"the heading says it is a plan ({context.strip()[:40]!r})" if plan_context(context)
                        else "the header says it is a plan")
    if sibling_plan:
        evidence.append("a table of the same shape next to it is a plan")
    if not evidence:
        v.reason = (f"column {text_col + 1} reads as actions, but nothing else says this is a plan (no refs, owners, "
                    f"dates or statuses)")
        v.roles = []
        return v
    beside = {r.role for r in support}
    if len(body) < vocabulary().min_rows_alone and not (header_plan or sibling_plan or context_plan) and not (
            beside & VALUE_ROLES or len(beside) >= 2):
        # one row: a status, date, ref or RAG beside the text, or two kinds of support; a name-like cell alone
        # is too easy to find in anything
        v.reason = "too few rows to tell: one row, and no ref, date, status or RAG beside the text"
        v.roles = []
        return v
    v.kind = "plan"
    v.confidence = round(min(1.0, 0.35 * action_share + 0.25 * min(1.0, len(support) / 2)
                             + 0.2 * header_plan + 0.2 * (context_plan or sibling_plan)), 3)
    v.reason = f"column {text_col + 1} reads as actions ({action_share:.0%}); " + "; ".join(evidence)
    return v


def _table_of_figures(profiles: dict[int, Profile], roles: list[ColumnRole]) -> str:
    """Most filled columns hold figures (amounts, rates, counts): statistics, not a plan. A ref column of
    numbers that count up does not count."""
    filled = [p for p in profiles.values() if p.filled]
    ref_col = next((r.col for r in roles if r.role == "ref"), None)
    numeric = [p for p in filled if p.shares.get("figures", 0.0) >= 0.6 and p.col != ref_col]
    if len(numeric) >= 2 and len(numeric) >= 0.5 * len(filled):
        return f"a table of figures: {len(numeric)} of its {len(filled)} filled columns hold numbers"
    return ""


def _lines_of_running_text(body: list[Row], col: int) -> bool:
    """Rows that are the printed lines of one text (a paragraph in a ruled box, each line a "row"): single
    lines about as long as each other, most of them going on with a sentence the row above broke off (no
    sentence end above, a lower-case start below)."""
    texts = [c.text.strip() for r in body if (c := r.cell_at(col)) is not None and c.text.strip()]
    if len(texts) < 3 or any("\n" in t for t in texts):
        return False
    inner = texts[1:-1] if len(texts) >= 4 else texts[:-1]  # a title line may open it, the last line is short
    longest = max(len(t) for t in inner)
    if sum(len(t) >= 0.75 * longest for t in inner) < 0.75 * len(inner):
        return False
    goes_on = sum(1 for a, b in zip(texts, texts[1:]) if not a.endswith((".", "!", "?", ":", ";")) and b[:1].islower())
    return goes_on >= 0.5 * (len(texts) - 1)


def _label_column(body: list[Row]) -> str:
    """A form, not a plan: the first column holds shaded labels ("Title", "Author", "Review date:") and the
    rest of each row their values."""
    labelled = counted = 0
    for row in body:
        first = row.cell_at(0)
        others = [c for c in row.cells if c.col > 0 and not c.covered]
        if first is None or first.covered or not first.text.strip() or not others:
            continue
        counted += 1
        if first.fill and all(c.fill != first.fill for c in others) and len(first.text.split()) <= 10:
            labelled += 1
    if counted and labelled >= 0.7 * counted:
        return "a form: shaded labels in the first column, their values beside them"
    return ""


def _names_plan_columns(labels: list[str]) -> bool:
    """The header names an action column and another plan column (the old, header-only test)."""
    fields = {field_of(t)[0] for t in labels if field_of(t)[1] >= 1}
    return bool(fields & {"text", "goal"}) and len(fields - {None}) >= 2


def _plan_fields(labels: list[str]) -> int:
    return len({field_of(t)[0] for t in labels if field_of(t)[1] >= 1} - {None})


def labels_by_col(header: Optional[Header], col: int) -> str:
    return header.texts[col] if header and col < len(header.texts) else ""


def _status_grid(profiles: dict[int, Profile], roles: list[ColumnRole]) -> str:
    """Row labels in the first column and a status (Met / Not met, RAG words or fills) in three or more
    others: a compliance or status grid, each row one commitment. Ticks alone make a tick matrix, not this."""
    status_cols = [c for c, p in profiles.items() if c > 0 and p.filled and
                   max(p.shares.get("status", 0.0), p.shares.get("rag", 0.0)) >= 0.7]
    if len(status_cols) < 3 or len(status_cols) < 0.6 * (len(profiles) - 1):
        return ""
    labels = profiles.get(0)
    if labels is None or not labels.filled or labels.shares.get("values", 1.0) > 0.3:
        return ""
    return f"a status grid: row labels, and a status in {len(status_cols)} columns"


def _best_action(profiles: dict[int, Profile]) -> str:
    best = max(profiles.values(), key=lambda p: p.shares.get("actions", 0.0) if p.filled else -1)
    if not best.filled:
        return ""
    return f" (best: column {best.col + 1}, {best.shares.get('actions', 0):.0%} of its cells read as actions)"


def cell_kinds(text: str) -> str:
    """A short description of one cell's evidence, for inspect."""
    e = cell_evidence(text)
    kinds = [k for k in ("ref", "lead_ref", "date", "status", "rag", "checkbox", "tick", "yes_no", "number")
             if getattr(e, k)]
    if e.action >= 0.5:
        kinds.append("action")
    if e.owner >= 0.5:
        kinds.append("owner")
    return ",".join(kinds) or "text"
