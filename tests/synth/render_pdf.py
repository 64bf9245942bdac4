"""PDF rendering with reportlab: platypus tables and a hand-drawn table that splits rows over pages."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from tests.synth.model import (
    ActionTable,
    Block,
    Break,
    Doc,
    Grid,
    GroupRow,
    Heading,
    Item,
    Orientation,
    Para,
    Text,
    cell_content,
    merge_plan,
)

# =========================================================================== PDF rendering

def _fonts(doc: Doc) -> tuple[str, str]:
    return ("Times-Roman", "Times-Bold") if doc.font == "Times" else ("Helvetica", "Helvetica-Bold")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.cache
def _numbered_canvas() -> type:
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Defers page output so that every footer can say 'Page X of Y'."""

        footer_font = "Helvetica"

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                w = self._pagesize[0]
                self.setFont(self.footer_font, 8)
                self.setFillColorRGB(0.3, 0.3, 0.3)
                self.drawCentredString(w / 2, 22, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


@dataclass
class PdfStats:
    pages: int = 0
    split_rows: int = 0
    merged_over_page: int = 0


def render_pdf(doc: Doc, path: Path) -> PdfStats:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

    regular, bold = _fonts(doc)
    stats = PdfStats()
    margin = 42.0

    def on_page(canv: Any, tmpl: Any) -> None:
        w, h = canv._pagesize
        canv.saveState()
        canv.setFont(regular, 8)
        canv.setFillColorRGB(0.3, 0.3, 0.3)
        canv.drawString(margin, h - 26, doc.running_header)
        canv.setLineWidth(0.4)
        canv.line(margin, h - 30, w - margin, h - 30)
        canv.restoreState()

    def template(name: str, size: tuple[float, float]) -> Any:
        frame = Frame(margin, 40, size[0] - 2 * margin, size[1] - 40 - 40, id=name, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        return PageTemplate(id=name, frames=[frame], onPage=on_page, pagesize=size)

    tpl = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title=doc.title, author=doc.organisation,
                          subject=doc.running_header, creator="tests.synth", leftMargin=margin,
                          rightMargin=margin)
    tpl.addPageTemplates([template("portrait", A4), template("landscape", landscape(A4))])
    width = {"portrait": A4[0] - 2 * margin, "landscape": landscape(A4)[0] - 2 * margin}
    story: list[Any] = []
    orient = "portrait"
    for b in doc.blocks:
        if isinstance(b, Orientation):
            orient = "landscape" if b.landscape else "portrait"
            story += [NextPageTemplate(orient), PageBreak()]
        elif isinstance(b, Break):
            story.append(PageBreak())
        else:
            story += _pdf_block(doc, b, width[orient], stats)
    canvas_cls = _numbered_canvas()
    canvas_cls.footer_font = regular
    tpl.build(story, canvasmaker=canvas_cls)
    stats.pages = tpl.page
    return stats


def _pstyle(doc: Doc, name: str, size: float, bold: bool = False, **kw: Any) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    regular, bold_font = _fonts(doc)
    return ParagraphStyle(name, fontName=bold_font if bold else regular, fontSize=size,
                          leading=round(size * 1.2, 1), **kw)


def _pdf_block(doc: Doc, b: Block, width: float, stats: PdfStats) -> list[Any]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    body = doc.body_size
    if isinstance(b, Heading):  # CondPageBreak, not keepWithNext: that would push a long table to a new page
        size = {1: body + 4, 2: body + 2}.get(b.level, body + 1)
        return [CondPageBreak(120), Paragraph(_esc(b.text), _pstyle(doc, f"h{b.level}", size, True, spaceBefore=10,
                                                                   spaceAfter=5))]
    if isinstance(b, Text):
        _, bold = _fonts(doc)
        st = _pstyle(doc, "t", b.size or body, b.bold, spaceAfter=b.space_after,
                     alignment=TA_CENTER if b.align == "center" else 0)
        label = f"<font name='{bold}'>{_esc(b.label)}</font> " if b.label else ""
        return [Paragraph(label + _esc(b.text), st)]
    if isinstance(b, Item):
        indent = 18 + 18 * b.level
        st = _pstyle(doc, "li", body, leftIndent=indent + 4, bulletIndent=indent - 14, spaceAfter=3)
        return [Paragraph(_esc(b.text), st, bulletText=b.label or "\u2022")]
    if isinstance(b, Grid):
        return [_pdf_grid(doc, b, width), Spacer(1, 10)]
    if isinstance(b, ActionTable):
        if b.engine == "drawn":
            return [_drawn_action_table(doc, b, width, stats), Spacer(1, 10)]
        return [_platypus_action_table(doc, b, width), Spacer(1, 10)]
    raise TypeError(b)


def _cell_flowables(doc: Doc, paras: Sequence[Para], size: float, bold: bool = False,
                    color: Optional[str] = None, center: bool = False) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph

    out = []
    for p in paras:
        extra: dict[str, Any] = {"alignment": 1} if center else {}
        if color:
            extra["textColor"] = HexColor("#" + color)
        if p.bullet:
            st = _pstyle(doc, "cb", size, bold, leftIndent=8, bulletIndent=0, **extra)
            out.append(Paragraph(_esc(p.text), st, bulletText="\u2022"))
        else:
            out.append(Paragraph(_esc(p.text), _pstyle(doc, "c", size, bold, **extra)))
    return out or ""


def _pdf_grid(doc: Doc, g: Grid, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    size = 9.0
    data = []
    if g.header:
        data.append([_cell_flowables(doc, [Para(h)], size, True) for h in g.header])
    for row in g.rows:
        data.append([_cell_flowables(doc, [Para(c)], size, g.first_col_bold and i == 0) for i, c in enumerate(row)])
    tot = sum(g.widths)
    cmds: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    off = 1 if g.header else 0
    if g.header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")))
    for (r, c), hexv in g.fills.items():
        cmds.append(("BACKGROUND", (c, r + off), (c, r + off), colors.HexColor("#" + hexv)))
    return Table(data, colWidths=[width * w / tot for w in g.widths], repeatRows=off, style=TableStyle(cmds),
                 hAlign="LEFT")


def _platypus_action_table(doc: Doc, t: ActionTable, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    n = len(t.columns)
    tot = sum(c.width for c in t.columns)
    widths = [width * c.width / tot for c in t.columns]
    dark = t.header_fill == "1F3864"
    data: list[list[Any]] = [[_cell_flowables(doc, [Para(c.title)], t.font_size, True,
                                              "FFFFFF" if dark else None) for c in t.columns]]
    cmds: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if t.rules == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    if t.header_fill:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + t.header_fill)))
    plan = merge_plan(t)
    for ri, item in enumerate(t.rows, 1):
        if isinstance(item, GroupRow):
            data.append([_cell_flowables(doc, [Para(item.text)], t.font_size + 0.5, True)] + [""] * (n - 1))
            cmds.append(("SPAN", (0, ri), (-1, ri)))
            if t.group_fill:
                cmds.append(("BACKGROUND", (0, ri), (-1, ri), colors.HexColor("#" + t.group_fill)))
            continue
        row: list[Any] = []
        for ci, col in enumerate(t.columns):
            state = plan.get((ri - 1, ci))
            if state == "cont":
                row.append("")
                continue
            if state == "start":
                end = ri - 1
                while plan.get((end + 1, ci)) == "cont":
                    end += 1
                cmds.append(("SPAN", (ci, ri), (ci, end + 1)))
            paras, fill = cell_content(item, col, t)
            row.append(_cell_flowables(doc, paras, t.font_size, center=col.role == "rag"))
            if fill:
                cmds.append(("BACKGROUND", (ci, ri), (ci, ri), colors.HexColor("#" + fill)))
        data.append(row)
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(cmds), hAlign="LEFT")


# --------------------------------------------------------------------------- hand-drawn table

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


def _wrap(paras: Sequence[Para], font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for p in paras:
        text = ("\u2022 " + p.text) if p.bullet else p.text
        lines += simpleSplit(text, font, size, width) or [""]
    return lines


def _drawn_action_table(doc: Doc, t: ActionTable, width: float, stats: PdfStats) -> Any:
    regular, bold = _fonts(doc)
    st = DStyle(regular, bold, t.font_size, round(t.font_size * 1.22, 2), 4.0 if t.rules == "none" else 3.0,
                t.rules, t.header_fill, t.group_fill)
    tot = sum(c.width for c in t.columns)
    widths = [width * c.width / tot for c in t.columns]
    inner = [w - 2 * st.pad for w in widths]
    header = DRow([DCell(_wrap([Para(c.title)], bold, st.size, inner[i]), bold=True, fill=st.header_fill)
                   for i, c in enumerate(t.columns)])
    plan = merge_plan(t)
    rows: list[DRow] = []
    for ri, item in enumerate(t.rows):
        if isinstance(item, GroupRow):
            rows.append(DRow([DCell(_wrap([Para(item.text)], bold, st.size + 0.5, width - 2 * st.pad), bold=True,
                                    fill=st.group_fill)], group=True))
            continue
        cells = []
        for ci, col in enumerate(t.columns):
            state = plan.get((ri, ci))
            paras, fill = cell_content(item, col, t)
            lines = [] if state == "cont" else _wrap(paras, regular, st.size, inner[ci])
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

        def __init__(self, widths: list[float], header: DRow, rows: list[DRow], style: DStyle,
                     stats: PdfStats) -> None:
            super().__init__()
            self.widths, self.header, self.rows, self.st, self.stats = widths, header, rows, style, stats

        def _h(self, row: DRow) -> float:
            return row.n_lines * self.st.leading + 2 * self.st.pad

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width = sum(self.widths)
            self.height = self._h(self.header) + sum(self._h(r) for r in self.rows)
            return self.width, self.height

        def split(self, aw: float, ah: float) -> list[Any]:
            avail = ah - self._h(self.header)
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
            return [cls(self.widths, self.header, taken, self.st, self.stats),
                    cls(self.widths, self.header, rest, self.st, self.stats)] if rest else [self]

        def draw(self) -> None:
            c = self.canv
            st = self.st
            rows = [self.header] + self.rows
            if self.rows and self.rows[0].cont:
                self.stats.split_rows += 1
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
                    font = st.bold_font if (cell.bold or ri == 0) else st.font
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
                        if ri <= 1 or not cells[ci].merge_up:
                            c.line(x0, y, x1, y)
                    for x in ([xs[0], xs[-1]] if row.group else xs):
                        c.line(x, y, x, bottom)
                elif st.rules == "horizontal":
                    c.setLineWidth(1.0 if ri <= 1 else 0.4)
                    c.line(0, y, xs[-1], y)
                    c.setLineWidth(0.5)
                y = bottom
            if st.rules in ("grid", "horizontal"):
                c.line(0, y, xs[-1], y)

    return DrawnTable
