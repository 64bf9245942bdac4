"""The plan model the generator fills and the renderers draw: dates, blocks, action tables, gold."""
from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional, Sequence, Union

DEFAULT_SEED = 2024

RAG_HEX = {"red": "FF0000", "amber": "FFC000", "green": "00B050", "blue": "0070C0"}
RAG_LETTER = {"red": "R", "amber": "A", "green": "G", "blue": "B"}
RAG_WORD = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue"}
MONTHS = list(calendar.month_name)[1:]
MON3 = list(calendar.month_abbr)[1:]

# Inline markup inside printed text (never in gold values): a footnote marker glued to a value ("Board*",
# "Committee" + superscript "12"), a superscript that belongs to the value (the "nd" of "2nd", which a PDF
# reader may return as "2 nd") and a line break the PDF must make right after a hyphen ("self-|assessment").
FN_OPEN, FN_CLOSE = "\u0001", "\u0002"
SUP_OPEN, SUP_CLOSE = "\u0003", "\u0004"
HYPHEN_BREAK = "\u0005"
_MARKUP = re.compile("(\u0001[^\u0002]*\u0002|\u0003[^\u0004]*\u0004|\u0005)")


def footnote(marker: str) -> str:
    return FN_OPEN + marker + FN_CLOSE


def superscript(text: str) -> str:
    return SUP_OPEN + text + SUP_CLOSE


def segments(text: str) -> list[tuple[str, str]]:
    """Printed text as (kind, text) pieces: plain | footnote | sup | break."""
    out: list[tuple[str, str]] = []
    for piece in _MARKUP.split(text):
        if not piece:
            continue
        if piece[0] == FN_OPEN:
            out.append(("footnote", piece[1:-1]))
        elif piece[0] == SUP_OPEN:
            out.append(("sup", piece[1:-1]))
        elif piece == HYPHEN_BREAK:
            out.append(("break", ""))
        else:
            out.append(("plain", piece))
    return out


def clean(text: str) -> str:
    """The gold value of printed text: footnote markers dropped, superscripts and hyphen breaks joined."""
    return "".join(t for k, t in segments(text) if k in ("plain", "sup"))


# =========================================================================== dates

@dataclass(frozen=True)
class Due:
    """A date cell: printed lines plus its gold values."""
    parts: tuple[str, ...]
    date: Optional[str]
    revised: Optional[str] = None

    @property
    def raw(self) -> str:
        return " ".join(p for p in self.parts if p)


NO_DUE = Due(("",), None)


def month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def fmt_month(y: int, m: int, style: str) -> str:
    """Month as printed. Styles: 'Mon YYYY', 'Mon-YY', 'Month YYYY', 'Sept YYYY'."""
    if style == "Mon-YY":
        return f"{MON3[m - 1]}-{y % 100:02d}"
    if style == "Month YYYY":
        return f"{MONTHS[m - 1]} {y}"
    if style == "Sept YYYY":
        return f"{'Sept' if m == 9 else MON3[m - 1]} {y}"
    return f"{MON3[m - 1]} {y}"


def fy_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


def quarter_of(y: int, m: int) -> tuple[int, int]:
    """UK financial (fy start year, quarter) of a calendar month."""
    fy = y if m >= 4 else y - 1
    return fy, (m - 4) % 12 // 3 + 1


def quarter_end(fy: int, q: int) -> str:
    y, m = {1: (fy, 6), 2: (fy, 9), 3: (fy, 12), 4: (fy + 1, 3)}[q]
    return month_end(y, m)


def due_of(kind: str, y: int, m: int, rng: random.Random) -> Due:
    """One due date of a given printed kind for the calendar month (y, m)."""
    if kind == "quarter":
        fy, q = quarter_of(y, m)
        return Due((f"Q{q} {fy_label(fy)}",), quarter_end(fy, q))
    if kind == "fy":
        fy, _ = quarter_of(y, m)
        return Due((fy_label(fy),), month_end(fy + 1, 3))
    if kind == "dmy":
        d = calendar.monthrange(y, m)[1] if rng.random() < 0.7 else rng.choice([1, 15, 30 if m != 2 else 28])
        return Due((f"{d:02d}/{m:02d}/{y}",), date(y, m, d).isoformat())
    if kind == "dlong":
        d = rng.randint(1, 28)
        return Due((f"{d} {MONTHS[m - 1]} {y}",), date(y, m, d).isoformat())
    if kind == "ongoing":
        return Due((rng.choice(["Ongoing", "On-going"]),), None)
    if kind.startswith("range"):
        span = rng.randint(2, 6)
        sy, sm = divmod(y * 12 + m - 1 - span, 12)
        sm += 1
        style = "Sept YYYY" if kind == "range" else "Month YYYY"
        sep = " to " if kind == "range" else " - "
        first = fmt_month(sy, sm, style) if (sy != y or kind == "range") else MONTHS[sm - 1]
        return Due((f"{first}{sep}{fmt_month(y, m, style)}",), month_end(y, m))
    style = kind.split(":", 1)[1] if ":" in kind else "Mon YYYY"
    return Due((fmt_month(y, m, style),), month_end(y, m))


def revised(due: Due, y: int, m: int, label: str = "Revised:") -> Due:
    """The same due date with a printed replacement date on a second line."""
    return Due(due.parts + (f"{label} {MONTHS[m - 1]} {y}",), due.date, month_end(y, m))


def rand_month(rng: random.Random, lo: tuple[int, int], hi: tuple[int, int]) -> tuple[int, int]:
    a, b = lo[0] * 12 + lo[1] - 1, hi[0] * 12 + hi[1] - 1
    y, m0 = divmod(rng.randint(a, b), 12)
    return y, m0 + 1


def rand_due(rng: random.Random, lo: tuple[int, int], hi: tuple[int, int], kinds: Sequence[str]) -> Due:
    y, m = rand_month(rng, lo, hi)
    return due_of(rng.choice(list(kinds)), y, m, rng)


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    yy, mm = divmod(y * 12 + m - 1 + k, 12)
    return yy, mm + 1


# =========================================================================== document model

@dataclass
class Para:
    text: str
    bullet: bool = False


@dataclass
class Action:
    ref: str
    text: list[Para]
    goal: str = ""
    section: str = ""
    owner: str = ""
    lead: str = ""
    due: Due = NO_DUE
    status: str = "unknown"
    rag: Optional[str] = None
    marker: str = ""  # printed "(NEW)"-style marker before the text
    dash: bool = False  # printed "- " before the text
    status_text: str = ""  # the Status column as printed
    progress: list[Para] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    key: str = ""  # identity across versions (pairs only)
    new: bool = False  # a new action without a printed marker (a status cell reading "New")
    shown: dict[str, str] = field(default_factory=dict)  # role -> printed value when it differs from the gold

    @property
    def gold_text(self) -> str:
        return " ".join(clean(p.text) for p in self.text if p.text)

    def gold(self) -> dict[str, Any]:
        return {"ref": self.ref, "text": self.gold_text, "goal": self.goal, "section": self.section,
                "owner": self.owner, "lead": self.lead, "due_raw": self.due.raw,
                "due_date": self.due.date, "due_revised": self.due.revised, "status": self.status,
                "rag": self.rag, "is_new": bool(self.marker) or self.new}


@dataclass
class GroupRow:
    text: str


@dataclass
class Column:
    title: str
    width: float  # relative weight
    role: str  # ref|goal|text|owner|lead|due|status|progress|rag|extra:<name>


@dataclass
class ActionTable:
    columns: list[Column]
    rows: list[Union[Action, GroupRow]]
    rag_style: str = "fill"  # fill | letter | word | fill_letter
    rules: str = "grid"  # grid | none | horizontal
    engine: str = "platypus"  # PDF: platypus | drawn
    merge: tuple[str, ...] = ()  # roles merged vertically over equal consecutive values
    font_size: float = 8.0
    header_fill: Optional[str] = "D9D9D9"
    group_fill: Optional[str] = "EDEDED"
    header: bool = True  # False: no header row at all
    repeat_header: bool = True  # False: the header row is printed once, not on each page
    options: tuple[str, ...] = ()  # the printed choices of a "checkbox" column
    tick: str = "X"  # the mark in a "tick:<label>" column

    def actions(self) -> list[Action]:
        return [r for r in self.rows if isinstance(r, Action)]


@dataclass
class Heading:
    text: str
    level: int = 1
    keep: float = 120.0  # PDF: start a new page unless this much room is left below the heading


@dataclass
class Text:
    text: str
    label: str = ""  # printed before the text (bold), e.g. "Aim:" / "Objective 1:" / "SO1."
    size: float = 0.0  # 0 = body size
    bold: bool = False
    align: str = "left"  # left | center
    space_after: float = 6.0


@dataclass
class Item:
    """A list item: Word automatic numbering in the DOCX (label not in the text), printed label in PDF."""
    text: str
    label: str  # "1)", "a)" or "" for a bullet
    level: int = 0


@dataclass
class Grid:
    """A table that holds no actions (cover sheet, version history, key, glossary, contents, counts)."""
    header: list[str]  # [] for a key-value table without header row
    rows: list[list[str]]
    widths: list[float]
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) of body rows -> hex
    first_col_bold: bool = False


@dataclass
class Break:
    pass


@dataclass
class Orientation:
    landscape: bool


@dataclass
class KeyValueTable:
    """One commitment as a 2-column table without header: printed key | value, one row per field."""
    action: Action
    rows: list[tuple[str, str]]  # (key as printed, role of the value: text|goal|owner|lead|due|status|extra:<k>)
    widths: tuple[float, float] = (1.0, 2.6)
    key_fill: Optional[str] = "DEEAF6"
    font_size: float = 9.0

    def actions(self) -> list[Action]:
        return [self.action]


@dataclass
class Box:
    """A one-column table: a shaded title row (a quarter), then per theme a title row and one cell whose
    paragraphs are separate milestones."""
    title: str
    groups: list[tuple[str, list[Action]]]
    title_fill: Optional[str] = "1F4E79"
    group_fill: Optional[str] = "DDEBF7"
    font_size: float = 9.0

    def actions(self) -> list[Action]:
        return [a for _, acts in self.groups for a in acts]


@dataclass
class NarrativeAction:
    """An action written as text: a labelled title ("Objective 3: ...") then "Lead: ..." style lines."""
    action: Action
    label: str  # printed before the title, e.g. "Objective 3:"
    lines: list[tuple[str, str]]  # (label, value) lines under the title
    as_heading: bool = False  # the title is a Word heading (else a bold paragraph)

    def actions(self) -> list[Action]:
        return [self.action]


@dataclass
class Rotated:
    """Blocks on a page of their own, drawn landscape on a portrait page turned by /Rotate 90 (PDF);
    a landscape section in the DOCX."""
    blocks: list[Any]


Block = Union[Heading, Text, Item, Grid, ActionTable, Break, Orientation, KeyValueTable, Box, NarrativeAction,
              Rotated]


@dataclass
class Doc:
    doc_id: str
    title: str
    organisation: str
    version: str
    doc_date: str
    running_header: str
    blocks: list[Block] = field(default_factory=list)
    objectives: list[dict[str, str]] = field(default_factory=list)
    font: str = "Helvetica"  # Helvetica | Times | DejaVu (a TrueType font with checkbox glyphs)
    body_size: float = 10.0
    family: str = ""  # the layout family of a generated family document (tests.synth.families)
    country: str = ""  # UK | US: the date conventions the document follows (family documents)
    notes: list[str] = field(default_factory=list)  # judgement calls written into the gold
    mentions: list[dict[str, str]] = field(default_factory=list)  # rows that restate earlier actions

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def objective(self, ref: str, text: str, block: Block) -> None:
        self.blocks.append(block)
        self.objectives.append({"ref": ref, "text": text})

    def tables(self) -> list[ActionTable]:
        return [b for b in _flat(self.blocks) if isinstance(b, ActionTable)]

    def actions(self) -> list[Action]:
        return [a for b in _flat(self.blocks) if hasattr(b, "actions") for a in b.actions()]

    def gold(self) -> dict[str, Any]:
        out = {"doc_id": self.doc_id, "files": [f"{self.doc_id}.pdf", f"{self.doc_id}.docx"],
               "title": self.title, "organisation": self.organisation, "version": self.version,
               "doc_date": self.doc_date, "actions": [a.gold() for a in self.actions()],
               "objectives": list(self.objectives)}
        if self.family:
            out["family"] = self.family
            out["country"] = self.country
            out["mentions"] = list(self.mentions)
            out["notes"] = list(self.notes)
        return out


def _flat(blocks: Sequence[Any]) -> list[Any]:
    """Blocks in reading order, the blocks of a rotated page in place."""
    out: list[Any] = []
    for b in blocks:
        out += _flat(b.blocks) if isinstance(b, Rotated) else [b]
    return out


def cover(doc: Doc, lines: Sequence[tuple[str, float, bool]]) -> None:
    """Cover page: (text, size, bold) lines, then a page break."""
    for text, size, bold in lines:
        doc.add(Text(text, size=size, bold=bold, align="center", space_after=14))
    doc.add(Break())


# =========================================================================== cell content

def cell_content(a: Action, col: Column, t: ActionTable) -> tuple[list[Para], Optional[str]]:
    """The paragraphs printed in one cell of an action row and the cell's fill colour."""
    role = col.role
    if role == "text":
        paras = [Para(p.text, p.bullet) for p in a.text]
        prefix = ("- " if a.dash else "") + (a.marker + " " if a.marker else "")
        if prefix and paras:
            paras[0] = Para(prefix + paras[0].text, paras[0].bullet)
        return paras, None
    if role == "rag":
        fill = RAG_HEX[a.rag] if a.rag and t.rag_style in ("fill", "fill_letter") else None
        if not a.rag or t.rag_style == "fill":
            return [], fill
        word = RAG_WORD[a.rag] if t.rag_style == "word" else RAG_LETTER[a.rag]
        return [Para(word)], fill
    if role in a.shown:
        return ([Para(a.shown[role])] if a.shown[role] else []), None
    if role == "due":
        return [Para(p) for p in a.due.parts if p], None
    if role == "progress":
        return list(a.progress), None
    if role == "checkbox":
        return [Para(("\u2612 " if opt == a.status_text else "\u2610 ") + opt) for opt in t.options], None
    if role.startswith("tick:"):
        return ([Para(t.tick)] if a.status_text == role[5:] else []), None
    if role.startswith("extra:"):
        v = a.extra.get(role[6:], "")
        return ([Para(v)] if v else []), None
    value = {"ref": a.ref, "goal": a.shown.get("goal", a.goal), "owner": a.owner, "lead": a.lead,
             "status": a.status_text}[role]
    return ([Para(value)] if value else []), None


def role_value(a: Action, role: str) -> str:
    """The printed value of a merge-able role ("goal", "owner", "due", "status", "extra:Theme", ...)."""
    if role.startswith("extra:"):
        return a.extra.get(role[6:], "")
    if role in a.shown:
        return a.shown[role]
    if role == "due":
        return a.due.raw
    if role == "status":
        return a.status_text
    return str(getattr(a, role))


def merge_plan(t: ActionTable) -> dict[tuple[int, int], str]:
    """(row index, col index) -> 'start' | 'cont' for vertically merged cells; spans of one row omitted."""
    plan: dict[tuple[int, int], str] = {}
    for ci, col in enumerate(t.columns):
        if col.role not in t.merge:
            continue
        run: list[int] = []
        prev = ""
        for ri, row in enumerate(t.rows + [GroupRow("")]):
            val = role_value(row, col.role) if isinstance(row, Action) else ""
            if val and val == prev:
                run.append(ri)
                continue
            if len(run) > 1:
                plan[(run[0], ci)] = "start"
                plan.update({(r, ci): "cont" for r in run[1:]})
            run, prev = ([ri] if val else []), val
    return plan


# =========================================================================== builders: helpers

def status_from_rag(rag: Optional[str]) -> str:
    return {"blue": "completed", "green": "in_progress", "amber": "in_progress",
            "red": "not_started", None: "unknown"}[rag]


def weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    vals, weights = zip(*table)
    return rng.choices(list(vals), weights=list(weights))[0]
