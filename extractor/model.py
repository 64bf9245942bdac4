"""Typed records shared by every stage.

Layout model (what ingest produces, format-blind): LayoutDocument -> Page, Block, Table -> Row -> Cell.
Record model (what the pipeline emits): Action, Objective, DocumentResult.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Optional, Union

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points, origin top-left


# --------------------------------------------------------------------------- vocabularies of the records
# The one source of the allowed values: the normalisers, the output schema (extractor/output/schema.py) and
# the reports all derive from these. Records hold the plain string values (`Status.COMPLETED.value`).

class Status(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DELAYED = "delayed"
    COMPLETED = "completed"
    UNKNOWN = "unknown"  # the absence of a status, never a word's meaning


class Rag(str, Enum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    BLUE = "blue"


class StatusSource(str, Enum):
    """What decided an action's status (Action.status_source)."""
    STATUS_COLUMN = "status_column"  # the words of a status cell
    RAG_KEY = "rag_key"  # the RAG rating read through the document's own key
    RAG_CONVENTION = "rag_convention"  # the RAG rating read through the usual convention (rules/status.yaml)
    PROGRESS_TEXT = "progress_text"  # the progress / update / notes narrative
    CHECKBOX = "checkbox"  # a ticked option of a checkbox list
    GRID_POSITION = "grid_position"  # a tick or letter under a column of a completion grid
    NONE = "none"


class DocDateSource(str, Enum):
    """Where DocumentResult.doc_date comes from (the printed page first, file properties last)."""
    COVER_LABEL = "cover_label"  # a labelled date on the first pages ("Date: 27 March 2014")
    COVER_TEXT = "cover_text"  # a bare date line on the first pages ("October 2015")
    FILE_METADATA = "file_metadata"  # the file's creation / modification date
    NONE = "none"


STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
REAL_STATUSES: tuple[str, ...] = tuple(s.value for s in Status if s is not Status.UNKNOWN)  # what words can mean
RAGS: tuple[str, ...] = tuple(r.value for r in Rag)
STATUS_SOURCES: tuple[str, ...] = tuple(s.value for s in StatusSource)
DOC_DATE_SOURCES: tuple[str, ...] = tuple(s.value for s in DocDateSource)


# --------------------------------------------------------------------------- layout model

@dataclass
class Page:
    number: int  # 1-based
    width: float = 0.0
    height: float = 0.0

    @property
    def landscape(self) -> bool:
        return self.width > self.height


@dataclass
class Block:
    """A run of body text outside tables: a heading, a paragraph or a list item."""
    kind: str  # "heading" | "paragraph" | "list_item"
    text: str
    page: int
    level: int = 0  # heading level (1 = top) or list level (0 = top)
    style: str = ""  # DOCX style name, or "" for PDF
    list_label: str = ""  # rebuilt automatic list label, e.g. "1)", "a)", "•" ("" when none)
    bold: bool = False
    font_size: float = 0.0
    bbox: Optional[BBox] = None


@dataclass
class Cell:
    text: str  # paragraphs / bullet items joined with "\n"
    col: int  # grid column where the cell starts
    colspan: int = 1
    rowspan: int = 1  # > 1 for a vertically merged cell (it sits in its first row only)
    fill: str = ""  # background fill as 6-digit upper-case hex ("" = none / white)
    bbox: Optional[BBox] = None
    page: int = 0
    paragraphs: list[str] = field(default_factory=list)  # the cell's paragraphs/bullet items, glyphs removed
    lines: list[str] = field(default_factory=list)  # PDF: the cell's printed lines (Word: empty; it has no lines)
    covered: bool = False  # a placeholder for a position covered by a merge from above (text is "")


@dataclass
class Row:
    cells: list[Cell]  # one per grid position that starts a cell (covered placeholders included)
    page: int
    index: int = 0  # row index within its Table
    is_header: bool = False  # the format says so (DOCX w:tblHeader); tables/ decides for PDF
    bbox: Optional[BBox] = None

    def cell_at(self, col: int) -> Optional[Cell]:
        """The cell that occupies grid column `col` in this row (spanning cells included)."""
        for c in self.cells:
            if c.col <= col < c.col + c.colspan:
                return c
        return None

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass
class Table:
    rows: list[Row]
    n_cols: int
    page_first: int
    page_last: int
    index: int = 0  # table index within the document, in reading order (0-based)
    bbox: Optional[BBox] = None  # on page_first
    ruled: bool = True  # False when columns were inferred from word alignment
    continues: bool = False  # PDF: this table continues one on the previous page (set by tables/stitch)


Item = Union[Block, Table]


@dataclass
class Word:
    """A word on a PDF page with its position and font."""
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool
    size: float


@dataclass
class Line:
    """A line of text on a PDF page (words left to right), outside ruled tables. Its words are final once it is
    made: its text and box are worked out then, once (the table and block stages read them many times)."""
    words: list[Word]
    page: int

    def __post_init__(self) -> None:
        words = self.words
        self.text: str = " ".join(w.text for w in words)
        self.bold: bool = all(w.bold for w in words)
        if not words:
            return  # (no box)
        first = words[0]
        top, bottom, x0, x1 = first.top, first.bottom, first.x0, first.x1
        for w in words[1:]:  # (min and max, as they compare)
            if w.top < top:
                top = w.top
            if w.bottom > bottom:
                bottom = w.bottom
            if w.x0 < x0:
                x0 = w.x0
            if w.x1 > x1:
                x1 = w.x1
        self.top: float = top
        self.bottom: float = bottom
        self.x0: float = x0
        self.x1: float = x1

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)


# finds tables drawn without rules among one page's lines: (table, ids of the lines it used)
LineTableFinder = Callable[[list[Line], Page, float], list[tuple[Table, set[int]]]]


@dataclass
class LayoutDocument:
    path: str
    format: str  # "pdf" | "docx"
    pages: list[Page]
    items: list[Item]  # blocks and tables in reading order
    metadata: dict[str, str] = field(default_factory=dict)  # title/author/created... from file properties
    first_page_lines: list[str] = field(default_factory=list)  # cover text in reading order (header/footer removed)
    warnings: list[str] = field(default_factory=list)  # content lost (a page, a table): the result is partial
    notes: list[str] = field(default_factory=list)  # worth a warning, but nothing lost: the status stays
    ocr_pages: list[int] = field(default_factory=list)  # pages read from their image by OCR (--ocr)

    @property
    def tables(self) -> list[Table]:
        return [i for i in self.items if isinstance(i, Table)]

    @property
    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]


# --------------------------------------------------------------------------- between stages

@dataclass
class RawRow:
    """One action row of a plan table, its cells by canonical field, before normalisation (tables -> fields)."""
    fields: dict[str, str]  # canonical field -> cell text ("" when the column is absent/empty)
    fills: dict[str, str]  # canonical field -> cell fill hex
    goal: str
    section: str
    page_first: int
    page_last: int
    table_index: int
    row_index: int
    extra: dict[str, str] = field(default_factory=dict)  # unmapped columns: header text -> cell text
    confidence: float = 1.0  # how sure the table stage is that this row is an action (0..1)
    restates: int = -1  # index (into the document's raw rows) of the action this row restates; -1: none
    # the columns of a completion grid (Not started | Limited | Substantial | Completed): header -> the cell's
    # mark ("✓", "X", "" when unmarked); fields/schemes.py reads the status from it (status_source grid_position)
    grid: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- record model

@dataclass
class Action:
    doc_id: str
    action_id: str
    ref: str = ""
    ref_norm: str = ""
    parent_ref: str = ""
    section: str = ""
    goal: str = ""
    text: str = ""
    owner: str = ""
    lead: str = ""
    owners: list[str] = field(default_factory=list)  # holders, through the document's glossary where it has one
    owner_expanded: str = ""
    due_raw: str = ""
    due_date: str = ""
    due_revised: str = ""
    due_start: str = ""
    status_raw: str = ""  # the status cell as read
    status: str = Status.UNKNOWN.value
    status_source: str = StatusSource.NONE.value
    status_evidence: str = ""  # the words, option, tick or colour that decided the status
    rag_raw: str = ""  # the RAG letter/word as printed, else the fill colour as found ("#FFC000")
    rag: str = ""
    progress: str = ""
    measure: str = ""
    is_new: bool = False
    objective_id: str = ""
    page_first: int = 0
    page_last: int = 0
    table_index: int = 0
    row_index: int = 0
    source: str = ""  # path of the file
    confidence: float = 1.0  # the table stage's confidence that this row is an action (0..1)


@dataclass
class Objective:
    doc_id: str
    objective_id: str
    ref: str = ""
    parent_ref: str = ""
    section: str = ""
    kind: str = ""  # "numbered" | "lettered" | "aim" | "priority" | "we_will"
    text: str = ""
    page: int = 0
    evidence: str = ""  # what made it an objective ("labelled 'Aim:'", "opens with the verb 'Refresh'; ...")


@dataclass
class Mention:
    """A row of a table that restates an action listed earlier in the same document (an exception report, a
    list of red or closed actions): linked to that action, with what the row adds."""
    doc_id: str
    mention_id: str
    action_id: str  # the action restated
    ref: str = ""
    text: str = ""  # the restating row's action text as printed
    details: str = ""  # the row's other cells: "Header: value; ..." (concern, remedial action, date raised)
    page: int = 0
    table_index: int = 0
    row_index: int = 0


@dataclass
class DocumentResult:
    doc_id: str
    path: str
    sha256: str = ""
    format: str = ""
    pages: int = 0
    title: str = ""
    organisation: str = ""
    version: str = ""
    doc_date: str = ""
    doc_date_source: str = DocDateSource.NONE.value
    status: str = "ok"  # ok | partial | failed | needs_ocr | encrypted | unsupported
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    seconds: float = 0.0
    transient: bool = False  # a failure of the run (time/memory limit, crashed worker), not of the file: not cached
    cached: bool = False  # taken from the result cache of an earlier run (not parsed again)
    duplicate_of: str = ""  # doc_id of the first document of the batch with the same content or plan (run/triage.py)

    @property
    def n_actions(self) -> int:
        return len(self.actions)

    @property
    def n_objectives(self) -> int:
        return len(self.objectives)
