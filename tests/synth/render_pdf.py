"""PDF rendering with reportlab: platypus tables, the hand-drawn table (render_drawn), rotated pages."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, BinaryIO, Optional, Sequence, Union

from tests.synth.cells import CellTable, pdf_cell_table
from tests.synth.model import (
    ActionTable,
    Block,
    Box,
    Break,
    Column,
    Doc,
    Grid,
    GroupRow,
    Heading,
    Item,
    KeyValueTable,
    NarrativeAction,
    Orientation,
    Para,
    Rotated,
    Text,
    cell_content,
    merge_plan,
    segments,
)
from tests.synth.render_drawn import PdfStats, drawn_action_table
from tests.synth.render_drawn import fonts as _fonts

# =========================================================================== PDF rendering


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup(text: str) -> str:
    """Printed text as reportlab paragraph markup: footnote digits and ordinal suffixes raised, forced breaks."""
    out = []
    for kind, t in segments(text):
        if kind == "plain":
            out.append(_esc(t))
        elif kind == "break":
            out.append("<br/>")
        elif kind == "sup" or t.isdigit():
            out.append(f"<super>{_esc(t)}</super>")
        else:
            out.append(_esc(t))
    return "".join(out)


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
                w, h = self._pagesize
                self.setFont(self.footer_font, 8)
                self.setFillColorRGB(0.3, 0.3, 0.3)
                if self._pageRotation == 90:  # w x h is the displayed size: draw at the displayed foot
                    self.saveState()
                    self.translate(h, 0)
                    self.rotate(90)
                    self.drawCentredString(w / 2, 22, f"Page {self._pageNumber} of {total}")
                    self.restoreState()
                else:
                    self.drawCentredString(w / 2, 22, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf(doc: Doc, path: Union[Path, BinaryIO]) -> PdfStats:
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

    def on_rotated_page(canv: Any, tmpl: Any) -> None:
        """A portrait page shown landscape (/Rotate 90): the running header drawn upright for the reader."""
        dw, dh = canv._pagesize  # the displayed (landscape) size; the media box is dh wide, dw tall
        canv.saveState()
        canv.translate(dh, 0)
        canv.rotate(90)
        on_page_at(canv, dw, dh)
        canv.restoreState()

    def on_page_at(canv: Any, w: float, h: float) -> None:
        canv.setFont(regular, 8)
        canv.setFillColorRGB(0.3, 0.3, 0.3)
        canv.drawString(margin, h - 26, doc.running_header)
        canv.setLineWidth(0.4)
        canv.line(margin, h - 30, w - margin, h - 30)

    def template(name: str, size: tuple[float, float], rotated: bool = False) -> Any:
        frame = Frame(margin, 40, size[0] - 2 * margin, size[1] - 40 - 40, id=name, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        pt = PageTemplate(id=name, frames=[frame], onPage=on_rotated_page if rotated else on_page,
                          pagesize=size)
        if rotated:
            pt.rotation = 90  # reportlab writes it as the page's /Rotate
        return pt

    tpl = BaseDocTemplate(str(path) if isinstance(path, Path) else path, pagesize=A4, invariant=1, title=doc.title,
                          author=doc.organisation, subject=doc.running_header, creator="tests.synth",
                          leftMargin=margin, rightMargin=margin)
    tpl.addPageTemplates([template("portrait", A4), template("landscape", landscape(A4)),
                          template("rotated", landscape(A4), rotated=True)])
    width = {"portrait": A4[0] - 2 * margin, "landscape": landscape(A4)[0] - 2 * margin}
    story: list[Any] = []
    orient = "portrait"
    for i, b in enumerate(doc.blocks):
        if isinstance(b, Orientation):
            orient = "landscape" if b.landscape else "portrait"
            story += [NextPageTemplate(orient), PageBreak()]
        elif isinstance(b, Break):
            story.append(PageBreak())
        elif isinstance(b, Rotated):
            inner = [f for x in b.blocks for f in _pdf_block(doc, x, A4[1] - 2 * margin, stats)]
            story += [NextPageTemplate("rotated"), PageBreak(), _rotated_cls()(inner, A4, margin, stats),
                      NextPageTemplate(orient)]
            if i + 1 < len(doc.blocks):
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
        return [CondPageBreak(b.keep), Paragraph(_esc(b.text), _pstyle(doc, f"h{b.level}", size, True,
                                                                      spaceBefore=10, spaceAfter=5))]
    if isinstance(b, Text):
        _, bold = _fonts(doc)
        st = _pstyle(doc, "t", b.size or body, b.bold, spaceAfter=b.space_after,
                     alignment=TA_CENTER if b.align == "center" else 0)
        label = f"<font name='{bold}'>{_esc(b.label)}</font> " if b.label else ""
        return [Paragraph(label + _markup(b.text), st)]
    if isinstance(b, NarrativeAction):
        return _pdf_narrative(doc, b)
    if isinstance(b, KeyValueTable):
        return [_pdf_key_value(doc, b, width), Spacer(1, 10)]
    if isinstance(b, Box):
        return [_pdf_box(doc, b, width), Spacer(1, 8)]
    if isinstance(b, Item):
        indent = 18 + 18 * b.level
        st = _pstyle(doc, "li", body, leftIndent=indent + 4, bulletIndent=indent - 14, spaceAfter=3)
        return [Paragraph(_esc(b.text), st, bulletText=b.label or "\u2022")]
    if isinstance(b, Grid):
        return [_pdf_grid(doc, b, width), Spacer(1, 10)]
    if isinstance(b, CellTable):
        return [pdf_cell_table(doc, b, width), Spacer(1, 10)]
    if isinstance(b, ActionTable):
        if b.engine == "drawn":
            return [drawn_action_table(doc, b, width, stats), Spacer(1, 10)]
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
            out.append(Paragraph(_markup(p.text), st, bulletText="\u2022"))
        else:
            out.append(Paragraph(_markup(p.text), _pstyle(doc, "c", size, bold, **extra)))
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
    off = 1 if t.header else 0
    data: list[list[Any]] = [[_cell_flowables(doc, [Para(c.title)], t.font_size, True,
                                              "FFFFFF" if dark else None) for c in t.columns]] if t.header else []
    cmds: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if t.rules == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif t.rules == "horizontal":
        cmds += [("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black), ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black)]
    if t.header_fill and t.header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + t.header_fill)))
    plan = merge_plan(t)
    for ri, item in enumerate(t.rows, off):
        if isinstance(item, GroupRow):
            data.append([_cell_flowables(doc, [Para(item.text)], t.font_size + 0.5, True)] + [""] * (n - 1))
            cmds.append(("SPAN", (0, ri), (-1, ri)))
            if t.group_fill:
                cmds.append(("BACKGROUND", (0, ri), (-1, ri), colors.HexColor("#" + t.group_fill)))
            continue
        row: list[Any] = []
        for ci, col in enumerate(t.columns):
            state = plan.get((ri - off, ci))
            if state == "cont":
                row.append("")
                continue
            if state == "start":
                end = ri - off
                while plan.get((end + 1, ci)) == "cont":
                    end += 1
                cmds.append(("SPAN", (ci, ri), (ci, end + off)))
            paras, fill = cell_content(item, col, t)
            row.append(_cell_flowables(doc, paras, t.font_size, center=col.role == "rag"))
            if fill:
                cmds.append(("BACKGROUND", (ci, ri), (ci, ri), colors.HexColor("#" + fill)))
        data.append(row)
    return Table(data, colWidths=widths, repeatRows=1 if t.header and t.repeat_header else 0,
                 style=TableStyle(cmds), hAlign="LEFT")


# --------------------------------------------------------------------------- the other action layouts

def _pdf_narrative(doc: Doc, b: NarrativeAction) -> list[Any]:
    """'Objective 3: title' (heading or bold paragraph), then one 'Lead: value' paragraph per line."""
    from reportlab.platypus import CondPageBreak, Paragraph

    _, bold = _fonts(doc)
    body = doc.body_size
    title = _esc(b.label + " ") + _markup(b.action.text[0].text)
    head = _pstyle(doc, "nh", body + (2 if b.as_heading else 0), True, spaceBefore=10 if b.as_heading else 6,
                   spaceAfter=4)
    out: list[Any] = [CondPageBreak(90), Paragraph(title, head)]
    for p in b.action.text[1:]:
        out.append(Paragraph(_markup(p.text), _pstyle(doc, "nb", body, spaceAfter=3)))
    for label, value in b.lines:
        out.append(Paragraph(f"<font name='{bold}'>{_esc(label)}</font> {_markup(value)}",
                             _pstyle(doc, "nl", body, spaceAfter=2)))
    return out


def kv_value(a: Any, role: str) -> list[Para]:
    """The printed value of one key of a key-value table."""
    paras, _ = cell_content(a, Column("", 1.0, role), ActionTable([], []))
    return paras


def _pdf_key_value(doc: Doc, b: KeyValueTable, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    size = b.font_size
    data = [[_cell_flowables(doc, [Para(k)], size, True), _cell_flowables(doc, kv_value(b.action, role), size)]
            for k, role in b.rows]
    cmds: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if b.key_fill:
        cmds.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#" + b.key_fill)))
    tot = sum(b.widths)
    return Table(data, colWidths=[width * w / tot for w in b.widths], style=TableStyle(cmds), hAlign="LEFT")


def _pdf_box(doc: Doc, b: Box, width: float) -> Any:
    """A quarter box: title row, then per theme a title row and one cell of milestone paragraphs."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    size = b.font_size
    dark = b.title_fill is not None
    data: list[list[Any]] = [[_cell_flowables(doc, [Para(b.title)], size + 1, True, "FFFFFF" if dark else None)]]
    cmds: list[Any] = [("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.black)]
    if b.title_fill:
        cmds.append(("BACKGROUND", (0, 0), (0, 0), colors.HexColor("#" + b.title_fill)))
    for theme, acts in b.groups:
        data.append([_cell_flowables(doc, [Para(theme)], size, True)])
        if b.group_fill:
            cmds.append(("BACKGROUND", (0, len(data) - 1), (0, len(data) - 1), colors.HexColor("#" + b.group_fill)))
        st = _pstyle(doc, "ms", size, spaceAfter=size * 0.9)
        data.append([[Paragraph(_markup(p.text), st) for a in acts for p in a.text]])
    return Table(data, colWidths=[width], style=TableStyle(cmds), hAlign="LEFT", splitInRow=1)


@functools.cache
def _rotated_cls() -> type:
    from reportlab.platypus import CondPageBreak, Flowable

    class RotatedPage(Flowable):
        """Fills a portrait frame; draws its flowables landscape, turned so that /Rotate 90 shows them upright."""

        def __init__(self, inner: list[Any], page: tuple[float, float], margin: float, stats: PdfStats) -> None:
            super().__init__()
            self.inner = [f for f in inner if not isinstance(f, CondPageBreak)]
            self.page, self.margin, self.stats = page, margin, stats

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width, self.height = aw, ah
            return aw, ah

        def draw(self) -> None:
            c = self.canv
            w, h = self.page  # portrait media box; the reader sees it h wide and w tall
            self.stats.rotated_pages += 1
            c.saveState()
            c.translate(w - self.margin, -40)  # this flowable's origin is the frame's corner (margin, 40)
            c.rotate(90)
            avail_w, top = h - 2 * self.margin, w - 40
            y = top
            for f in self.inner:
                _, fh = f.wrapOn(c, avail_w, y - 40)
                y -= f.getSpaceBefore() + fh
                if y < 40:
                    raise ValueError("the content of a rotated page does not fit on one page")
                f.drawOn(c, self.margin, y)
                y -= f.getSpaceAfter()
            c.restoreState()

    return RotatedPage
