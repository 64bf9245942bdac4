"""An action's status, where it came from, and the words or colour that decided it.

Authority, in order (a state the document names in words first, its colours next, what its narrative
implies last):
  1. a tick or letter under a completion-grid column                       -> grid_position
  2. a state the status cell names (a ticked option of a checkbox list in it -> checkbox); a status cell
     that holds only a RAG colour or letter is a RAG rating, not words     -> status_column
  3. a state the progress / update / notes text names (or a ticked option) -> progress_text / checkbox
  4. the RAG rating through the document's own key                         -> rag_key
  5. the RAG rating through the usual convention (rules/status.yaml rag_conventions: with blue in use,
     blue is complete and green on track)                                  -> rag_convention
  6. what a narrative implies without naming a state: the tense of its events ("has been published"),
     a dated event, an obstacle (status cell first, then progress)         -> status_column / progress_text
  7. nothing: unknown                                                      -> none

The readers it combines: progress.py (prose, spaCy rules), schemes.py (checkboxes, grids), rag.py (RAG
letters, words, fills and keys). Their public functions are re-exported here for the other stages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from extractor.fields import progress, schemes, status_vocab
from extractor.fields import rag as rags
from extractor.fields.progress import Verdict
from extractor.fields.rag import (  # noqa: F401  (re-exported: the RAG readers' public names)
    as_rag,
    fill_evidence,
    rag_from_fill,
    rag_from_text,
    rag_key_from_rows,
    rag_key_from_swatches,
    rag_key_from_text,
)
from extractor.fields.schemes import read_checkboxes, status_from_grid  # noqa: F401
from extractor.model import RAGS, STATUSES, Status, StatusSource

__all__ = ["RAGS", "STATUSES", "StatusDecision", "Verdict", "decide", "decide_status", "key_meaning", "read_text",
           "status_from_rag", "status_from_text", "status_from_progress", "rag_meaning", "as_rag", "fill_evidence",
           "rag_from_fill", "rag_from_text", "rag_key_from_rows", "rag_key_from_swatches", "rag_key_from_text",
           "read_checkboxes", "status_from_grid"]


@dataclass(frozen=True)
class StatusDecision:
    status: str
    source: str  # a StatusSource value
    evidence: str


def read_text(text: str, doc_date: Optional[str] = None, action: str = "",
              words_only: bool = False) -> tuple[Optional[Verdict], bool]:
    """The status a status / progress text states: (verdict, from a checkbox). A checkbox list decides by its
    ticked options; without a ticked option that states a status, the writer's own words around the boxes
    are read as prose."""
    boxes = schemes.read_checkboxes(text)
    if boxes is not None:
        if boxes.verdict is not None:
            return boxes.verdict, True
        return progress.read(boxes.free_text, doc_date, action, words_only), False
    return progress.read(text, doc_date, action, words_only), False


def status_from_text(text: str) -> Optional[str]:
    """The status a text NAMES in words ("Complete", "Delayed, now complete", "not yet started", a ticked
    box), latest state winning; None when it names none. What a cell that is a status reads as (the table
    stage's evidence): "Contract awarded" names no status. See status_from_progress for a narrative."""
    verdict, _ = read_text(text, words_only=True)
    return verdict.status if verdict else None


def status_from_progress(text: str, doc_date: Optional[str] = None, action: str = "") -> Optional[str]:
    """The state a progress / update narrative states, read fully: words, the tense of event verbs ("has
    been published"), obstacles, dated events against the document's printed date, the action's own text."""
    verdict, _ = read_text(text, doc_date, action)
    return verdict.status if verdict else None


def key_meaning(text: str) -> Optional[str]:
    """The status a RAG key gives a colour: its FIRST meaning ("Not started/Off track" -> not_started)."""
    return progress.first_meaning(text)


def rag_meaning(rag: Optional[str], key: Optional[dict[str, str]] = None,
                uses_blue: bool = False) -> tuple[Optional[str], str]:
    """(status, source) of a RAG rating: through the document's own key when it has the colour, else the
    convention for a scheme with or without blue."""
    r = as_rag(rag)
    if r is None:
        return None, StatusSource.NONE.value
    if key and key.get(r):
        return key[r], StatusSource.RAG_KEY.value
    conventions = status_vocab.rules()["rag_conventions"]
    scheme = conventions["with_blue"] if uses_blue or r == "blue" else conventions["without_blue"]
    meaning = scheme.get(r) or conventions["with_blue"].get(r)
    return meaning, (StatusSource.RAG_CONVENTION.value if meaning else StatusSource.NONE.value)


def status_from_rag(rag: Optional[str], key: Optional[dict[str, str]] = None, uses_blue: bool = False) -> Optional[str]:
    """What a RAG rating means: through the document's own key when it has this colour, else the
    convention in rules/status.yaml."""
    return rag_meaning(rag, key, uses_blue)[0]


def _words_of(cell: str) -> bool:
    """A status cell that is more than a RAG colour or letter ("Green – on track" has words; "G" has not)."""
    return bool(cell) and rags.rag_from_text(cell) is None or len(cell.split()) > 2


def decide(status_cell: str, rag: Optional[str], progress_text: str, rag_key: Optional[dict] = None, *,
           doc_date: Optional[str] = None, action: str = "", rag_raw: str = "",
           grid: Optional[tuple[list[str], list[str]]] = None, uses_blue: bool = False) -> StatusDecision:
    """The status of one action (see the module's docstring for the order of authority). `rag` is the
    colour already read from the RAG cell or fill; `rag_raw` what it was read from (letter or fill) for
    the evidence; `grid` the (headers, cells) of a completion grid's columns in this row."""
    if grid:
        found = schemes.status_from_grid(*grid)
        if found:
            return StatusDecision(found.status, StatusSource.GRID_POSITION.value, found.evidence)
    cell = (status_cell or "").strip()
    colour = as_rag(rag)
    implied: Optional[StatusDecision] = None  # what a narrative implies without naming a state
    readings = ((cell, StatusSource.STATUS_COLUMN.value), (progress_text or "", StatusSource.PROGRESS_TEXT.value))
    for text, source in readings:
        if not text.strip():
            continue
        verdict, ticked = read_text(text, doc_date, action)
        if verdict and (ticked or verdict.named):
            return StatusDecision(verdict.status, StatusSource.CHECKBOX.value if ticked else source, verdict.evidence)
        if verdict and implied is None:
            implied = StatusDecision(verdict.status, source, verdict.evidence)
        level = schemes.level_meaning(text) if not verdict else None
        if level:  # a completion level named alone ("Limited"), as a self-assessment's status or progress field reads
            return StatusDecision(level, source, text.strip())
        if not verdict:
            # no status words: a colour written at its start is a rating ("Amber – some risk to delivery")
            colour = colour or rags.rag_from_text(text)
            if colour and not rag_raw:
                rag_raw = text.split()[0].strip(" –-:;,")
    status, source = rag_meaning(colour, rag_key, uses_blue)
    if status:
        return StatusDecision(status, source, _rag_evidence(colour, rag_raw, rag_key, source))
    return implied or StatusDecision(Status.UNKNOWN.value, StatusSource.NONE.value, "")


def _rag_evidence(colour: Optional[str], raw: str, key: Optional[dict], source: str) -> str:
    shown = f"{colour} {raw}".strip() if raw and raw.lower() != (colour or "") else (colour or "")
    return f"{shown} (key)" if source == StatusSource.RAG_KEY.value else shown


def decide_status(status_cell: str, rag: Optional[str], progress_text: str, rag_key: Optional[dict] = None) -> str:
    """The status alone (see decide)."""
    return decide(status_cell, rag, progress_text, rag_key).status
