"""A table given cell by cell (tests/synth/variations.py): any spans, fills, bold cells and rule style, and the
actions it holds for the gold. The other table blocks of tests/synth/model.py each draw one layout; this one
draws whatever a variation builder lays out, in PDF (reportlab platypus) and DOCX (python-docx)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from tests.synth.model import Action, Para


@dataclass
class Cell:
    paras: list[Para]
    fill: Optional[str] = None
    bold: bool = False
    across: int = 1  # columns spanned to the right
    down: int = 1  # rows spanned downwards (a vertically merged cell)
    center: bool = False


def cell(*texts: str, **kw: Any) -> Cell:
    return Cell([Para(t) for t in texts if t], **kw)


@dataclass
class CellTable:
    widths: list[float]
    rows: list[list[Optional[Cell]]]  # None: a position covered by a span
    header_rows: int = 0
    rules: str = "grid"  # grid | hrules (a rule under every row) | header (a rule under the header only) | none
    font_size: float = 9.0
    repeat_header: bool = True
    acts: list[Action] = field(default_factory=list)
    # how a fill is drawn in the PDF: "cell" (one rectangle) or "pieces" (as Word's PDF export draws it: a strip
    # of cell padding each side and one rectangle per printed line between them)
    shading: str = "cell"

    def actions(self) -> list[Action]:
        return self.acts


# --------------------------------------------------------------------------- PDF

def pdf_cell_table(doc: Any, t: CellTable, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    from tests.synth.render_pdf import _cell_flowables

    tot = sum(t.widths)
    data: list[list[Any]] = []
    cmds: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    black = colors.black
    if t.rules == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, black))
    elif t.rules == "hrules":
        cmds += [("LINEABOVE", (0, 0), (-1, 0), 0.8, black), ("LINEBELOW", (0, 0), (-1, -1), 0.4, black)]
    elif t.rules == "header" and t.header_rows:
        cmds.append(("LINEBELOW", (0, t.header_rows - 1), (-1, t.header_rows - 1), 0.8, black))
    for ri, row in enumerate(t.rows):
        out: list[Any] = []
        for ci, c in enumerate(row):
            if c is None:
                out.append("")
                continue
            out.append(_cell_flowables(doc, c.paras, t.font_size, c.bold, center=c.center))
            if c.across > 1 or c.down > 1:
                cmds.append(("SPAN", (ci, ri), (ci + c.across - 1, ri + c.down - 1)))
            if c.fill:
                colour = colors.HexColor("#" + c.fill)
                cmds.append(("BACKGROUND", (ci, ri), (ci + c.across - 1, ri + c.down - 1),
                             _in_pieces(colour, t.font_size) if t.shading == "pieces" else colour))
        data.append(out)
    return Table(data, colWidths=[width * w / tot for w in t.widths],
                 repeatRows=t.header_rows if t.repeat_header else 0, style=TableStyle(cmds), hAlign="LEFT")


def _in_pieces(colour: Any, font_size: float) -> Any:
    """A cell fill drawn the way Word's PDF export draws it: padding strips left and right, and the space between
    cut into one rectangle per line of text (reportlab calls a callable BACKGROUND with the cell's box)."""
    pad, line = 3.0, font_size * 1.2

    def draw(_table: Any, canv: Any, x0: float, y0: float, w: float, h: float) -> None:
        canv.saveState()
        canv.setFillColor(colour)
        canv.rect(x0, y0, pad, h, stroke=0, fill=1)
        canv.rect(x0 + w - pad, y0, pad, h, stroke=0, fill=1)
        top, bottom = max(y0, y0 + h), min(y0, y0 + h)
        y = top
        while y > bottom:
            step = min(line, y - bottom)
            canv.rect(x0 + pad, y - step, w - 2 * pad, step, stroke=0, fill=1)
            y -= step
        canv.restoreState()
    return draw


# --------------------------------------------------------------------------- DOCX

def docx_cell_table(d: Any, t: CellTable) -> None:
    from docx.oxml import OxmlElement

    from tests.synth.render_docx import _docx_cell, _docx_row_cells, _docx_table

    rules = {"grid": "grid", "hrules": "horizontal"}.get(t.rules, "none")
    table, emu = _docx_table(d, t.widths, rules)
    down_left: dict[int, int] = {}  # column -> rows a merge above still covers
    for ri, row in enumerate(t.rows):
        tr = table.add_row()
        if ri < t.header_rows and t.repeat_header:
            tr._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        tcs = _docx_row_cells(table, tr)
        ci, k = 0, 0  # grid column, w:tc index
        drop: list[Any] = []
        while ci < len(t.widths):
            c = row[ci]
            tc = tcs[k]
            if c is None and down_left.get(ci, 0) > 0:  # under a vertical merge: a continuing cell
                span = _span_above(t, ri, ci)
                down_left[ci] -= 1
                if span > 1:
                    tc._tc.get_or_add_tcPr().grid_span = span
                    drop += [tcs[k + j] for j in range(1, span)]
                tc._tc.get_or_add_tcPr().vMerge_val = "continue"
                tc.width = sum(emu[ci:ci + span])
                ci, k = ci + span, k + span
                continue
            c = c or Cell([])
            _docx_cell(tc, c.paras, sum(emu[ci:ci + c.across]), t.font_size, bold=c.bold, fill=c.fill,
                       align="center" if c.center else "left")
            if c.across > 1:
                tc._tc.get_or_add_tcPr().grid_span = c.across
                drop += [tcs[k + j] for j in range(1, c.across)]
            if c.down > 1:
                tc._tc.get_or_add_tcPr().vMerge_val = "restart"
                down_left[ci] = c.down - 1
            ci, k = ci + c.across, k + c.across
        for tc in drop:
            tr._tr.remove(tc._tc)
    d.add_paragraph()


def _span_above(t: CellTable, ri: int, ci: int) -> int:
    """The column span of the merged cell that covers (ri, ci) from above."""
    for r in range(ri - 1, -1, -1):
        c = t.rows[r][ci]
        if c is not None:
            return c.across
    return 1
