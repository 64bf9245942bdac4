"""Sections and pages of a DOCX: a DOCX holds no pages, so they are counted from hard breaks, from Word's
lastRenderedPageBreak markers when present, and otherwise estimated from the text height."""
import math
from dataclasses import dataclass
from typing import Optional

from docx.oxml.ns import qn
from lxml import etree

from extractor.ingest.docx_styles import W_VAL, _twips
from extractor.settings import current

# --------------------------------------------------------------------------- sections and pages

@dataclass
class _Section:
    width: float = 595.3  # A4 portrait, points
    height: float = 841.9
    margin_v: float = 144.0  # top + bottom margins
    margin_h: float = 144.0
    new_page: bool = True  # how this section starts: nextPage/oddPage/evenPage (True) or continuous

    @property
    def text_width(self) -> float:
        return max(self.width - self.margin_h, 72.0)

    @property
    def text_height(self) -> float:
        return max(self.height - self.margin_v, 72.0)


def _section(sect: Optional[etree._Element]) -> _Section:
    """Page size, margins and start type of one section (w:pgSz/w:pgMar in twentieths of a point)."""
    s = _Section()
    if sect is None:
        return s
    pg = sect.find(qn("w:pgSz"))
    if pg is not None:
        w, h = _twips(pg.get(qn("w:w"))), _twips(pg.get(qn("w:h")))
        s.width, s.height = w or s.width, h or s.height
        if pg.get(qn("w:orient")) == "landscape" and s.width < s.height:
            s.width, s.height = s.height, s.width  # orient says landscape but w/h were left portrait

    def margin(key: str) -> float:
        value = _twips(mar.get(qn(f"w:{key}"))) if mar is not None else None
        return abs(value) if value is not None else 72.0

    mar = sect.find(qn("w:pgMar"))
    s.margin_v = margin("top") + margin("bottom")
    s.margin_h = margin("left") + margin("right")
    kind = sect.find(qn("w:type"))
    s.new_page = (kind.get(W_VAL, "nextPage") if kind is not None else "nextPage") != "continuous"
    return s


class _Pages:
    """Running page estimate. `pending` = nothing visible on the current page yet, so a
    w:lastRenderedPageBreak right after a hard break is the same page boundary (counted once)."""

    def __init__(self, sections: list[_Section], estimate: bool):
        self.sections = sections
        self.section = 0
        self.page = 1
        self.used = 0.0
        self.pending = True
        self.estimate = estimate
        self.page_section: dict[int, int] = {1: 0}

    @property
    def current(self) -> _Section:
        return self.sections[min(self.section, len(self.sections) - 1)]

    def new_page(self) -> None:
        self.page += 1
        self.used = 0.0
        self.pending = True
        self.page_section.setdefault(self.page, self.section)

    def rendered_break(self) -> None:
        if not self.pending:
            self.new_page()

    def break_before(self) -> None:
        """w:pageBreakBefore: no blank page when the current page is still empty."""
        if not self.pending:
            self.new_page()

    def end_section(self) -> None:
        self.section += 1
        if self.current.new_page:
            self.new_page()

    def place(self, height: float, first: float, visible: bool, can_split: bool = True) -> int:
        """Put `height` points of content on the flow; the page where it starts."""
        if self.estimate:
            cap = self.current.text_height
            if self.used > 0 and self.used + (first if can_split else height) > cap:
                self.new_page()
            start = self.page
            self.used += height
            while self.used > cap + 0.5:
                self.page += 1
                self.page_section.setdefault(self.page, self.section)
                self.used -= cap
        else:
            start = self.page
        if visible:
            self.pending = False
        return start


def _text_height(lines: list[str], size: float, width: float, line: Optional[float],
                 line_pt: Optional[float]) -> tuple[float, float]:
    """(total, first line) height in points of wrapped text: a rough, font-blind estimate."""
    per_line = line_pt or size * current().docx.line_factor * (line or 1.0)
    chars = max(width / (size * current().docx.char_width_em), 8.0)
    n = sum(max(1, math.ceil(len(l) / chars)) for l in lines) if lines else 1
    return n * per_line, per_line
