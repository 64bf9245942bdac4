"""Status schemes that are not prose: checkbox lists in a cell ("☒ Already implemented ☐ Already in progress")
and completion grids (a tick or letter under one of the columns Not started | Limited | Substantial |
Completed). Pure functions on cell text, for build_actions and for the table stage that finds the grids.
Glyphs are in rules/progress.yaml, grid column words in rules/status.yaml (grid_words)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from extractor.fields import progress, status_vocab
from extractor.fields.progress import Verdict
from extractor.settings import Settings, current, validator

# When several options are ticked (or several grid columns marked) the most advanced one holds: ticks
# accumulate as work advances ("☒ Already implemented ☒ Already in progress" is implemented).
ADVANCE = {"completed": 3, "in_progress": 2, "delayed": 1, "not_started": 0}


@dataclass(frozen=True)
class Option:
    ticked: bool
    label: str  # the option's words ("Already implemented")
    rest: str  # what follows the label up to the next box (a note, a link, the respondent's answer)


@dataclass(frozen=True)
class Checkboxes:
    options: tuple[Option, ...]
    lead: str  # text before the first box
    verdict: Optional[Verdict]  # from the ticked options; None when no ticked option states a status

    @property
    def free_text(self) -> str:
        """The writer's own words: text before the first box and after each ticked option's label."""
        return " ".join(t for t in [self.lead] + [o.rest for o in self.options if o.ticked] if t.strip())


def _compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = progress.progress_rules(settings)
    vocab = settings.rules("status", status_vocab.SCHEMA, status_vocab.check)
    ticked = sorted(r["checkbox_ticked"], key=len, reverse=True)
    empty = sorted(r["checkbox_empty"], key=len, reverse=True)
    glyph = "|".join(re.escape(g) for g in ticked + empty)
    return {
        "box": re.compile(f"({glyph})"),
        "ticked": set(ticked),
        "grid_words": {status_vocab.norm_phrase(w): s for s, ws in vocab["grid_words"].items() for w in ws},
    }


# An option's words end at a bracket, a colon, a spaced dash or a full stop ("☒ Other (please specify): ...").
_LABEL_END = re.compile(r"\s*(?:[(:;\[]|\s[-\u2013\u2014]\s|[-\u2013\u2014]\s|\.(?:\s|$)|https?://)")


def _split_option(segment: str) -> tuple[str, str]:
    m = _LABEL_END.search(segment)
    label = segment[:m.start()] if m else segment
    return label.strip(), segment[len(label):].strip()


def read_checkboxes(text: str) -> Optional[Checkboxes]:
    """The checkbox list in a cell, or None when the cell has fewer than two boxes (not a list) and no ticked
    one. The verdict is the most advanced status among the ticked options' labels."""
    if not text or not isinstance(text, str):
        return None
    c = _compiled()
    parts = c["box"].split(text)
    if len(parts) < 3:
        return None
    boxes = [(parts[i] in c["ticked"], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
    if len(boxes) < 2 and not any(t for t, _ in boxes):
        return None
    options = tuple(Option(ticked, *_split_option(seg)) for ticked, seg in boxes)
    best: Optional[Verdict] = None
    for o in options:
        if not o.ticked or not o.label:
            continue
        status = progress.first_meaning(o.label)
        if status and (best is None or ADVANCE[status] > ADVANCE[best.status]):
            best = Verdict(status, f"\u2612 {o.label}")
    return Checkboxes(options, parts[0].strip(), best)


def _is_mark(cell: str) -> bool:
    """A tick, cross, dot, "Yes" or a short letter code under a grid column."""
    t = (cell or "").strip()
    if not t:
        return False
    if len(t) <= 3 and not t.isdigit():
        return True
    return t.lower() in ("yes", "tick", "ticked", "done") or all(not ch.isalnum() for ch in t)


def column_meaning(header: str) -> Optional[str]:
    """The status a completion-grid column stands for: its words read as a state ("Not started",
    "Completed"), else a grid word ("Limited", "Substantial")."""
    status = progress.first_meaning(header)
    if status:
        return status
    words = status_vocab.norm_phrase(header).split()
    grid = _compiled()["grid_words"]
    for w in words:
        if w in grid:
            return grid[w]
    return None


def level_meaning(cell: str) -> Optional[str]:
    """A status cell that is one completion-level word and nothing else ("Limited", "Substantial"): the level
    a completion grid's column of that name stands for."""
    words = status_vocab.norm_phrase(cell or "").split()
    return _compiled()["grid_words"].get(words[0]) if len(words) == 1 else None


def status_from_grid(headers: list[str], cells: list[str]) -> Optional[Verdict]:
    """A row of a completion grid: the column(s) holding a mark, read through their headers; the most
    advanced marked column holds. None when no marked column has a meaning."""
    best: Optional[Verdict] = None
    for header, cell in zip(headers or [], cells or []):
        if not _is_mark(cell):
            continue
        status = column_meaning(header)
        if status and (best is None or ADVANCE[status] > ADVANCE[best.status]):
            best = Verdict(status, f"{(cell or '').strip()} under '{header.strip()}'")
    return best


def grid_columns(headers: list[str]) -> list[int]:
    """Which columns of a header row form a completion grid: two or more adjacent columns that each name
    a status. For the table stage, to tell a grid from ordinary status/progress columns."""
    named = [i for i, h in enumerate(headers or []) if h and column_meaning(h)]
    runs: list[list[int]] = []
    for i in named:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return max((r for r in runs if len(r) >= 2), key=len, default=[])
