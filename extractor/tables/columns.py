"""Column roles from the header and the cells together.

Each column gets a score per role: a prior from its header wording (rules/headers.yaml; none when the table has
no header or the cell is blank) plus what its cells hold (tables/evidence.py): refs, dates and timescales,
status words or checkboxes, RAG letters or fills, short names / posts / initials (owner), sentences that state
something to do (the action), long narrative (progress). One optimal assignment (each role at most once, a
second owner-like column becomes the lead) picks the roles; every choice keeps its evidence for `inspect`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean
from typing import Optional

import numpy as np
from scipy.optimize import linear_sum_assignment

from extractor.fields import refs
from extractor.fields import status as status_mod
from extractor.model import Row
from extractor.tables.evidence import CellEvidence, cell_evidence
from extractor.tables.header import field_of

ROLES = ("text", "ref", "goal", "owner", "lead", "due", "start", "progress", "status", "rag", "measure")
HEADER_WEIGHT = {2: 1.0, 1: 0.7}  # a known wording exactly / a label that starts with or contains one
MIN_SCORE = 0.45  # below this a column gets no role
NAMED_OTHERWISE = 0.8  # owner-like cells under a header that names no role we know need to be clearly owners
TEXT_CONTENT_WEIGHT = 1.4


@dataclass
class Profile:
    """What a column's body cells hold."""
    col: int
    n_rows: int  # body rows looked at
    filled: int = 0  # cells with text
    shares: dict[str, float] = field(default_factory=dict)  # kind -> share of the filled cells
    action: float = 0.0  # mean action score of the filled cells
    owner: float = 0.0  # mean owner score of the filled cells
    words: float = 0.0  # mean words per filled cell
    rag_fills: float = 0.0  # share of ALL body cells with a RAG-coloured fill
    merged: float = 0.0  # share of body rows where the cell is a vertical merge from above
    ascending: Optional[float] = None  # bare whole-number cells: share of steps up (refs count up; counts don't)
    outline: int = 0  # 2: letters stepping through the alphabet with sub-items or 3+ capitals (A, Ai, Aii, B);
    # 1: two or more capitals stepping up (A, B), refs only under a ref header; 0: neither

    @property
    def coverage(self) -> float:
        return self.filled / self.n_rows if self.n_rows else 0.0


@dataclass
class ColumnRole:
    col: int
    role: str  # one of ROLES, or "" when the column has none
    header: str  # the header text ("" when none)
    source: str  # "header" | "content" | "both" | ""
    score: float
    evidence: str  # why, in words


def profile(col: int, rows: list[Row]) -> Profile:
    p = Profile(col=col, n_rows=len(rows))
    evs: list[CellEvidence] = []
    fills = 0
    merged = 0
    for row in rows:
        cell = row.cell_at(col)
        if cell is None or cell.col != col:
            continue  # another column's spanning cell
        if cell.covered:
            merged += 1
            continue
        if cell.fill and status_mod.rag_from_fill(cell.fill):
            fills += 1
        if cell.text.strip():
            evs.append(_cell_reading(cell))
    p.filled = len(evs)
    p.rag_fills = fills / len(rows) if rows else 0.0
    p.merged = merged / len(rows) if rows else 0.0
    if not evs:
        return p
    n = len(evs)
    p.shares = {
        "ref": sum(1 for e in evs if e.ref) / n,
        "lead_ref": sum(1 for e in evs if e.lead_ref) / n,
        "date": sum(1 for e in evs if e.date) / n,
        "dated": sum(1 for e in evs if e.dated) / n,
        "status": sum(1 for e in evs if e.status) / n,
        "status_lead": sum(1 for e in evs if e.status or e.status_lead) / n,
        "rag": sum(1 for e in evs if e.rag) / n,
        "checkbox": sum(1 for e in evs if e.checkbox) / n,
        "tick": sum(1 for e in evs if e.tick) / n,
        "yes_no": sum(1 for e in evs if e.yes_no) / n,
        "number": sum(1 for e in evs if e.number) / n,
        "figures": sum(1 for e in evs if _is_figures(e)) / n,
        "values": sum(1 for e in evs if e.short_value) / n,
        # over the cells that are not short values: a "TBC" or a date heading row does not make a column less
        # of an action column
        "actions": sum(1 for e in evs if e.action >= 0.5 and not e.short_value) / max(1, sum(1 for e in evs
                                                                                            if not e.short_value)),
    }
    p.action = mean(e.action for e in evs)
    p.owner = mean(e.owner for e in evs)
    p.words = mean(e.n_words for e in evs)
    p.outline = _outline(evs)
    whole = [int(e.text) for e in evs if e.text.isdigit() and len(e.text) <= 6]
    if len(whole) >= 2:
        p.ascending = sum(b > a for a, b in zip(whole, whole[1:])) / (len(whole) - 1)
    return p


def _outline(evs: list[CellEvidence]) -> int:
    """Whether a column's cells are outline refs (A, (B), Ai, Bii) stepping through the alphabet: each capital
    the one before or the next (a skipped I or O allowed). A RAG column repeats its letters in any order."""
    found = [refs.outline_ref(e.text) for e in evs]
    if len(found) < 2 or not all(letter for letter, _ in found):
        return 0
    caps = [ord(letter) for letter, _ in found]
    if not all(0 <= b - a <= 2 for a, b in zip(caps, caps[1:])):
        return 0
    if any(b == a and not sub for a, b, (_, sub) in zip(caps, caps[1:], found[1:])):
        return 0  # the same capital again without a sub-item: ratings, not refs
    return 2 if any(sub for _, sub in found) or len(set(caps)) >= 3 else 1


def _is_figures(e: CellEvidence) -> bool:
    """A number, or several ("85.1% 17.3%", "(1,234) 56"): digits and no words, and not a ref or a date."""
    if e.number:
        return True
    return (not e.ref and not e.date and any(ch.isdigit() for ch in e.text)
            and sum(ch.isalpha() for ch in e.text) <= 1)


def _cell_reading(cell) -> CellEvidence:
    """The evidence of a cell: of its whole text, or - for a cell of several paragraphs under a short label
    ("Governance" above the milestones it heads) - of its most action-like paragraph."""
    paragraphs = [p for p in cell.paragraphs if p.strip()]
    if len(paragraphs) > 1 and len(paragraphs[0].split()) <= 6 and not paragraphs[0].rstrip().endswith((".", ":")):
        return max((cell_evidence(p) for p in paragraphs[1:]), key=lambda e: e.action)
    return cell_evidence(cell.text)


def content_scores(p: Profile) -> dict[str, float]:
    """0..1 per role from the cells alone."""
    s = p.shares
    if not p.filled:
        return {"rag": p.rag_fills} if p.rag_fills >= 0.5 else {}
    length = min(1.0, p.words / 5.0)
    counts = p.ascending is not None and p.ascending < 0.5  # whole numbers that do not count up: amounts
    out = {
        "ref": 1.0 if p.outline == 2 else s["ref"] * (0.3 if counts else 1.0),
        "due": 0.5 * s["date"] + 0.5 * s["dated"],
        "status": max(s["status"], s["checkbox"], 0.8 * s["status_lead"]),
        "rag": 0.0 if p.outline == 2 else max(s["rag"], p.rag_fills if p.words <= 3 else 0.0),
        "owner": p.owner if p.words <= 6 else 0.0,
        "text": (0.5 * p.action + 0.5 * s["actions"]) * length * (1.0 - 0.5 * s["values"]),
        "progress": min(1.0, p.words / 12.0) * (1.0 - 0.6 * s["actions"]) * (1.0 - s["values"]),
        "goal": 0.6 * p.merged if p.words >= 2 else 0.0,
    }
    return out


SIBLING_PRIOR = 0.5  # what a same-shaped plan table earlier in the document says a column is


def assign_roles(rows: list[Row], n_cols: int, header: Optional[list[str]] = None,
                 sibling: Optional[dict[int, str]] = None) -> list[ColumnRole]:
    """The role of every column of a table body (`rows`), with the header texts by column when there is one,
    and the roles of a same-shaped plan table earlier in the document (`sibling`) as a prior."""
    header = header or [""] * n_cols
    profiles = [profile(c, rows) for c in range(n_cols)]
    prior = [field_of(header[c]) if c < len(header) and header[c].strip() else (None, 0) for c in range(n_cols)]
    content = [content_scores(p) for p in profiles]
    score = np.zeros((n_cols, len(ROLES)))
    for c in range(n_cols):
        hf, strength = prior[c]
        for k, role in enumerate(ROLES):
            h = HEADER_WEIGHT.get(strength, 0.0) * _header_means(hf, role)
            if hf == "ref" and strength and profiles[c].outline and role in ("ref", "rag"):
                score[c, k] = 2.0 if role == "ref" else 0.0  # "A", "B" under "#": refs, not ratings
                continue
            if role == "ref" and _words_not_refs(profiles[c]) and profiles[c].outline < 2:
                h = 0.0  # "Item" over "Tuition", "Room and board": the cells say the header is not a ref
            v = content[c].get(role, 0.0)
            if role == "lead":
                v = content[c].get("owner", 0.0) * 0.9  # a second owner-like column
            if role in ("owner", "lead") and header[c].strip() and not strength:
                v *= NAMED_OTHERWISE  # "Category" over "Reasoning", "Prioritisation": short labels, not owners
            if role == "text":
                v *= TEXT_CONTENT_WEIGHT  # what the cells say outweighs a header wording for the action column
            if profiles[c].filled == 0 and role not in ("rag",):
                v = 0.0
                h *= 0.5  # a header over an empty column: weak
            if sibling and sibling.get(c) == role and v > 0.1:  # only where the cells do not contradict it
                h += SIBLING_PRIOR
            score[c, k] = h + v
    return _choose(score, profiles, prior, header, content)


def _words_not_refs(p: Profile) -> bool:
    """A column of words: no cell reads as a ref, a number or a date (a meeting date in a "Meeting date &
    action number" column stays that column's ref, cleaned to nothing later)."""
    s = p.shares
    return p.filled >= 2 and s.get("ref", 0.0) < 0.2 and s.get("date", 0.0) < 0.5 and s.get("number", 0.0) < 0.5


def _header_means(field_name: Optional[str], role: str) -> float:
    """How much a header wording for `field_name` speaks for `role` (1 = it names it)."""
    if field_name is None:
        return 0.0
    if field_name == role:
        return 1.0
    if field_name == "goal" and role == "text":
        return 0.6  # "Recommendation" / "Commitment" headers often hold the action itself
    return 0.0


def _choose(score: np.ndarray, profiles: list[Profile], prior, header: list[str],
            content: list[dict[str, float]]) -> list[ColumnRole]:
    n_cols = score.shape[0]
    # one column per role, one role per column; a "none" option per column at the minimum score
    padded = np.hstack([score, np.full((n_cols, n_cols), MIN_SCORE)])
    rows_idx, cols_idx = linear_sum_assignment(padded, maximize=True)
    out = []
    for c, k in zip(rows_idx, cols_idx):
        if k >= len(ROLES) or score[c, k] < MIN_SCORE:
            out.append(ColumnRole(c, "", header[c] if c < len(header) else "", "", 0.0, _describe(profiles[c])))
            continue
        role = ROLES[k]
        hf, strength = prior[c]
        by_header = _header_means(hf, role) > 0 and strength > 0
        by_content = content[c].get("owner" if role == "lead" else role, 0.0) >= 0.35
        source = "both" if by_header and by_content else "header" if by_header else "content"
        out.append(ColumnRole(c, role, header[c] if c < len(header) else "", source, round(float(score[c, k]), 3),
                              _why(role, by_header, header[c] if c < len(header) else "", profiles[c])))
    out.sort(key=lambda r: r.col)
    _owner_then_lead(out)
    return out


def _owner_then_lead(roles: list[ColumnRole]) -> None:
    """Two owner-like columns and no owner header among them: the left one is the owner."""
    owner = next((r for r in roles if r.role == "owner"), None)
    lead = next((r for r in roles if r.role == "lead"), None)
    if owner and lead and lead.col < owner.col and lead.source == "content" and owner.source == "content":
        owner.role, lead.role = "lead", "owner"


def _describe(p: Profile) -> str:
    if not p.filled:
        return "empty"
    kinds = ", ".join(f"{k} {v:.0%}" for k, v in sorted(p.shares.items(), key=lambda kv: -kv[1]) if v >= 0.2)
    return f"{p.filled} filled cells, {p.words:.1f} words on average" + (f"; {kinds}" if kinds else "")


def _why(role: str, by_header: bool, header: str, p: Profile) -> str:
    parts = []
    if by_header:
        parts.append(f"header {header.strip()[:40]!r}")
    parts.append(_describe(p))
    if role == "text":
        parts.append(f"action-like {p.shares.get('actions', 0):.0%}")
    if role == "owner" or role == "lead":
        parts.append(f"owner-like {p.owner:.2f}")
    return "; ".join(parts)
