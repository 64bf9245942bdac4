"""The hand-drawn PDF table (reportlab canvas): splits inside rows at page breaks, repeats its header or not,
draws merged cells without inner rules, RAG fills as cell rectangles, grid / horizontal-only / no rules."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

from tests.synth.model import HYPHEN_BREAK, ActionTable, Doc, GroupRow, Para, cell_content, clean, merge_plan


@dataclass
class PdfStats:
    pages: int = 0
    split_rows: int = 0  # rows broken over a page boundary
    split_multi_column: int = 0  # ... whose continuation holds text in two or more columns
    merged_over_page: int = 0
    continued_tables: int = 0  # table parts drawn on a later page than the table's first part
    continued_without_header: int = 0  # ... with no header row on top
    rotated_pages: int = 0
    notes: list[str] = field(default_factory=list)


def fonts(doc: Doc) -> tuple[str, str]:
    if doc.font == "Times":
        return "Times-Roman", "Times-Bold"
    if doc.font == "DejaVu":
        from tests.synth.fonts import register_dejavu

        return register_dejavu()
    return "Helvetica", "Helvetica-Bold"


@dataclass
class DCell:
    lines: list[str]
    bold: bool = False
    fill: Optional[str] = None
    center: bool = False
    merge_up: bool = False  # continues a vertical merge from the row above (no rule above it)
    merge_down: bool = False  # the merge continues into the row below


@dataclass
class DRow:
    cells: list[DCell]  # one per column, or a single cell for a full-width group row
    group: bool = False
    cont: bool = False  # the second part of a row broken over a page boundary
    cap: int = 0  # line capacity from the unmerged cells (merged text is distributed over it)

    @property
    def n_lines(self) -> int:
        return max([len(c.lines) for c in self.cells] + [1])


@dataclass(frozen=True)
class DStyle:
    font: str
    bold_font: str
    size: float
    leading: float
    pad: float
    rules: str  # grid | none | horizontal
    header_fill: Optional[str]
    group_fill: Optional[str]
    repeat_header: bool = True


def wrap_paras(paras: Sequence[Para], font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking; a HYPHEN_BREAK in the text forces a line break right there."""
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for p in paras:
        parts = p.text.split(HYPHEN_BREAK)
        for k, part in enumerate(parts):
            text = clean(part)
            if k == 0 and p.bullet:
                text = "\u2022 " + text
            lines += simpleSplit(text, font, size, width) or [""]
    return lines


def drawn_action_table(doc: Doc, t: ActionTable, width: float, stats: PdfStats) -> Any:
    regular, bold = fonts(doc)
    st = DStyle(regular, bold, t.font_size, round(t.font_size * 1.22, 2), 4.0 if t.rules == "none" else 3.0,
                t.rules, t.header_fill, t.group_fill, t.repeat_header)
    tot = sum(c.width for c in t.columns)
    widths = [width * c.width / tot for c in t.columns]
    inner = [w - 2 * st.pad for w in widths]
    header = DRow([DCell(wrap_paras([Para(c.title)], bold, st.size, inner[i]), bold=True, fill=st.header_fill)
                   for i, c in enumerate(t.columns)]) if t.header else None
    plan = merge_plan(t)
    rows: list[DRow] = []
    for ri, item in enumerate(t.rows):
        if isinstance(item, GroupRow):
            rows.append(DRow([DCell(wrap_paras([Para(item.text)], bold, st.size + 0.5, width - 2 * st.pad),
                                    bold=True, fill=st.group_fill)], group=True))
            continue
        cells = []
        for ci, col in enumerate(t.columns):
            state = plan.get((ri, ci))
            paras, fill = cell_content(item, col, t)
            lines = [] if state == "cont" else wrap_paras(paras, regular, st.size, inner[ci])
            cells.append(DCell(lines, fill=fill, center=col.role == "rag", merge_up=state == "cont",
                               merge_down=plan.get((ri + 1, ci)) == "cont"))
        row = DRow(cells)
        row.cap = max([len(c.lines) for ci, c in enumerate(cells) if (ri, ci) not in plan] + [1])
        rows.append(row)
    _distribute_merged(rows)
    return _drawn_table_cls()(widths, header, rows, st, stats)


def _distribute_merged(rows: list[DRow]) -> None:
    """Move the lines of each vertically merged cell down over the rows it spans."""
    for ri, row in enumerate(rows):
        if row.group:
            continue
        for ci, cell in enumerate(row.cells):
            if cell.merge_up or not cell.merge_down:
                continue
            span = [ri]
            while span[-1] + 1 < len(rows) and not rows[span[-1] + 1].group \
                    and rows[span[-1] + 1].cells[ci].merge_up:
                span.append(span[-1] + 1)
            lines = cell.lines
            for k, rj in enumerate(span):
                take = len(lines) if k == len(span) - 1 else rows[rj].cap
                rows[rj].cells[ci].lines = lines[:take]
                lines = lines[take:]


@functools.cache
def _drawn_table_cls() -> type:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Flowable

    class DrawnTable(Flowable):
        """A table drawn line by line on the canvas; splits inside rows at page breaks."""

        def __init__(self, widths: list[float], header: Optional[DRow], rows: list[DRow], style: DStyle,
                     stats: PdfStats, first: bool = True) -> None:
            super().__init__()
            self.widths, self.header, self.rows, self.st, self.stats = widths, header, rows, style, stats
            self.first = first

        @property
        def head(self) -> Optional[DRow]:
            """The header row on top of this part: always on the first part, on later ones if repeated."""
            return self.header if (self.first or self.st.repeat_header) else None

        def _h(self, row: Optional[DRow]) -> float:
            return 0.0 if row is None else row.n_lines * self.st.leading + 2 * self.st.pad

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width = sum(self.widths)
            self.height = self._h(self.head) + sum(self._h(r) for r in self.rows)
            return self.width, self.height

        def split(self, aw: float, ah: float) -> list[Any]:
            avail = ah - self._h(self.head)
            taken: list[DRow] = []
            rest = list(self.rows)
            while rest:
                row = rest[0]
                h = self._h(row)
                if h <= avail:
                    taken.append(rest.pop(0))
                    avail -= h
                    continue
                k = int((avail - 2 * self.st.pad) // self.st.leading)
                if not row.group and k >= 1 and row.n_lines - k >= 1:
                    a = DRow([DCell(c.lines[:k], c.bold, c.fill, c.center, c.merge_up, c.merge_down)
                              for c in row.cells], cont=row.cont)
                    b = DRow([DCell(c.lines[k:], c.bold, c.fill, c.center, c.merge_up, c.merge_down)
                              for c in row.cells], cont=True)
                    taken.append(a)
                    rest[0] = b
                break
            while taken and taken[-1].group:  # keep a group row with the row after it
                rest.insert(0, taken.pop())
            if not taken:
                return []
            cls = type(self)
            return [cls(self.widths, self.header, taken, self.st, self.stats, self.first),
                    cls(self.widths, self.header, rest, self.st, self.stats, False)] if rest else [self]

        def draw(self) -> None:
            c = self.canv
            st = self.st
            head = self.head
            hdr = 1 if head is not None else 0
            rows = ([head] if head is not None else []) + self.rows
            if self.rows and self.rows[0].cont:
                self.stats.split_rows += 1
                self.stats.split_multi_column += sum(1 for x in self.rows[0].cells if x.lines) >= 2
            if not self.first:
                self.stats.continued_tables += 1
                self.stats.continued_without_header += head is None
            first = self.rows[0] if self.rows else None
            if first and not first.group and any(x.merge_up or (first.cont and x.merge_down) for x in first.cells):
                self.stats.merged_over_page += 1
            y = self.height
            xs = [0.0]
            for w in self.widths:
                xs.append(xs[-1] + w)
            c.setLineWidth(0.5)
            for ri, row in enumerate(rows):
                h = self._h(row)
                bottom = y - h
                cells = row.cells
                spans = [(0.0, xs[-1])] if row.group else list(zip(xs[:-1], xs[1:]))
                for cell, (x0, x1) in zip(cells, spans):
                    if cell.fill:
                        c.setFillColor(HexColor("#" + cell.fill))
                        c.rect(x0, bottom, x1 - x0, h, stroke=0, fill=1)
                    c.setFillColorRGB(0, 0, 0)
                    font = st.bold_font if (cell.bold or (hdr and ri == 0)) else st.font
                    size = st.size + (0.5 if row.group else 0)
                    c.setFont(font, size)
                    for li, line in enumerate(cell.lines):
                        base = y - st.pad - li * st.leading - size * 0.9
                        if cell.center:
                            c.drawCentredString((x0 + x1) / 2, base, line)
                        else:
                            c.drawString(x0 + st.pad, base, line)
                if st.rules == "grid":
                    for ci, (x0, x1) in enumerate(spans):
                        if ri <= hdr or not cells[ci].merge_up:
                            c.line(x0, y, x1, y)
                    for x in ([xs[0], xs[-1]] if row.group else xs):
                        c.line(x, y, x, bottom)
                elif st.rules == "horizontal":
                    c.setLineWidth(1.0 if ri <= hdr else 0.4)
                    c.line(0, y, xs[-1], y)
                    c.setLineWidth(0.5)
                y = bottom
            if st.rules in ("grid", "horizontal"):
                c.line(0, y, xs[-1], y)

    return DrawnTable
