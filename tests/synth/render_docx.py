"""DOCX rendering with python-docx (plus the XML it does not cover): deterministic bytes."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, Optional, Sequence

from tests.synth.cells import CellTable, docx_cell_table
from tests.synth.model import (
    ActionTable,
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

# =========================================================================== DOCX rendering

FIXED_TIME = datetime(2020, 1, 1, 9, 0, 0)
EMU_PER_PT = 12700


def render_docx(doc: Doc, path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    d = Document()
    cp = d.core_properties
    cp.title, cp.author, cp.last_modified_by = doc.title, doc.organisation, doc.organisation
    cp.created = cp.modified = cp.last_printed = FIXED_TIME
    cp.revision = 1
    normal = d.styles["Normal"]
    normal.font.name = {"Times": "Times New Roman", "DejaVu": "DejaVu Sans"}.get(doc.font, "Arial")
    normal.font.size = Pt(doc.body_size)
    sec = d.sections[0]
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Pt(50)
    _docx_header_footer(sec, doc.running_header)
    landscape = False
    for i, b in enumerate(doc.blocks):
        if isinstance(b, Orientation):
            landscape = b.landscape
        if isinstance(b, Rotated):  # a landscape section in Word; the PDF turns the page instead
            _docx_section(d, True)
            for x in b.blocks:
                _docx_block(d, x)
            if i + 1 < len(doc.blocks):
                _docx_section(d, landscape)
        else:
            _docx_block(d, b)
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))


def _docx_section(d: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    new = d.add_section()
    w, h = new.page_width, new.page_height
    new.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if (w < h) == landscape:
        new.page_width, new.page_height = h, w
    new.left_margin = new.right_margin = Pt(36)


def _docx_block(d: Any, b: Any) -> None:
    if isinstance(b, Heading):
        d.add_heading(b.text, level=b.level)
    elif isinstance(b, Text):
        _docx_text(d, b)
    elif isinstance(b, Item):
        _docx_item(d, b)
    elif isinstance(b, Grid):
        _docx_grid(d, b)
    elif isinstance(b, ActionTable):
        _docx_action_table(d, b)
    elif isinstance(b, Break):
        d.add_page_break()
    elif isinstance(b, Orientation):
        _docx_section(d, b.landscape)
    elif isinstance(b, NarrativeAction):
        _docx_narrative(d, b)
    elif isinstance(b, KeyValueTable):
        _docx_key_value(d, b)
    elif isinstance(b, Box):
        _docx_box(d, b)
    elif isinstance(b, CellTable):
        docx_cell_table(d, b)
    else:
        raise TypeError(b)


def _stable_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps and entry order so that the bytes depend only on content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _docx_header_footer(sec: Any, running: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    hp = sec.header.paragraphs[0]
    hp.text = running
    hp.runs[0].font.size = Pt(8)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("Page ")
    _docx_field(fp, "PAGE")
    fp.add_run(" of ")
    _docx_field(fp, "NUMPAGES")


def _docx_field(par: Any, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    par._p.append(fld)


def _docx_text(d: Any, b: Text) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = d.add_paragraph()
    if b.align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(b.space_after)
    if b.label:
        p.add_run(b.label + " ").bold = True
    for run in _docx_runs(p, b.text):
        run.bold = b.bold or None
        if b.size:
            run.font.size = Pt(b.size)


def _docx_runs(p: Any, text: str) -> list[Any]:
    """Runs for printed text: footnote digits and ordinal suffixes as superscript runs (Word reads them glued
    to the word: "Committee12", "2nd"), forced PDF line breaks dropped (Word breaks lines itself)."""
    runs = []
    for kind, t in segments(text):
        if kind == "break":
            continue
        r = p.add_run(t)
        if kind == "sup" or (kind == "footnote" and t.isdigit()):
            r.font.superscript = True
        runs.append(r)
    return runs


NUM_ID = 90


def _docx_item(d: Any, b: Item) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not b.label:
        d.add_paragraph(b.text, style="List Bullet")
        return
    _docx_numbering(d)
    p = d.add_paragraph(b.text, style="List Paragraph")
    ppr = p._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(b.level))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), str(NUM_ID))
    num_pr.append(ilvl)
    num_pr.append(num_id)
    ppr.insert_element_before(num_pr, "w:spacing", "w:ind", "w:jc", "w:rPr")


def _docx_numbering(d: Any) -> None:
    """Add (once) a Word numbering definition: level 0 '1)', level 1 'a)'."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = d.part.numbering_part.element
    if numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{NUM_ID}']") is not None:
        return
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1})"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i, fmt in enumerate(["decimal", "lowerLetter"]))
    absn = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}">'
                     f'<w:multiLevelType w:val="hybridMultilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>'))


def _docx_table(d: Any, widths: Sequence[float], rules: str) -> tuple[Any, list[int]]:
    """An empty fixed-layout table whose column widths (EMU) follow the relative widths."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sec = d.sections[-1]
    avail = sec.page_width - sec.left_margin - sec.right_margin
    tot = sum(widths)
    emu = [int(avail * w / tot) for w in widths]
    t = d.add_table(rows=0, cols=len(widths))
    if rules == "grid":
        t.style = d.styles["Table Grid"]
    t.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    for i, w in enumerate(emu):
        t.columns[i].width = w
    tbl_pr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"]:
        el = OxmlElement(f"w:{side}")
        on = rules == "grid" or (rules == "horizontal" and side in ("top", "bottom", "insideH"))
        el.set(qn("w:val"), "single" if on else "none")
        el.set(qn("w:sz"), "4" if on else "0")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "auto" if on else "FFFFFF")
        borders.append(el)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription")
    return t, emu


def _docx_cell(cell: Any, paras: Sequence[Para], width: int, size: float, bold: bool = False,
               fill: Optional[str] = None, color: Optional[str] = None, align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    cell.width = width
    first = True
    for para in paras or [Para("")]:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if para.bullet:
            p.style = "List Bullet"
        p.paragraph_format.space_after = Pt(1)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in _docx_runs(p, para.text):
            r.font.size = Pt(size)
            r.bold = bold or None
            if color:
                r.font.color.rgb = RGBColor.from_string(color)
    if fill:
        _docx_shade(cell, fill)


def _docx_shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shd, "w:noWrap", "w:tcMar", "w:textDirection",
                                                      "w:tcFitText", "w:vAlign", "w:hideMark")


def _docx_header_row(t: Any, titles: Sequence[str], emu: Sequence[int], size: float,
                     fill: Optional[str], repeat: bool = True) -> None:
    from docx.oxml import OxmlElement

    row = t.add_row()
    if repeat:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    dark = fill is not None and fill in ("1F3864",)
    row_cells = _docx_row_cells(t, row)
    for i, title in enumerate(titles):
        _docx_cell(row_cells[i], [Para(title)], emu[i], size, bold=True, fill=fill,
                   color="FFFFFF" if dark else None)


def _docx_span_row(t: Any, text: str, emu: Sequence[int], size: float, fill: Optional[str]) -> None:
    row = t.add_row()
    tcs = row._tr.tc_lst
    for tc in tcs[1:]:
        row._tr.remove(tc)
    tcs[0].get_or_add_tcPr().grid_span = len(emu)
    _docx_cell(_docx_row_cells(t, row)[0], [Para(text)], sum(emu), size, bold=True, fill=fill)


def _docx_row_cells(table: Any, row: Any) -> list[Any]:
    """The row's own cells, one per w:tc (python-docx's row.cells re-walks the whole table each call)."""
    from docx.table import _Cell

    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _docx_grid(d: Any, g: Grid) -> None:
    t, emu = _docx_table(d, g.widths, "grid")
    size = 9.0
    if g.header:
        _docx_header_row(t, g.header, emu, size, "D9D9D9")
    for ri, cells in enumerate(g.rows):
        row = t.add_row()
        row_cells = _docx_row_cells(t, row)
        for ci, text in enumerate(cells):
            _docx_cell(row_cells[ci], [Para(text)], emu[ci], size, bold=g.first_col_bold and ci == 0,
                       fill=g.fills.get((ri, ci)))
    d.add_paragraph()


def _docx_action_table(d: Any, t: ActionTable) -> None:
    table, emu = _docx_table(d, [c.width for c in t.columns], t.rules)
    if t.header:
        _docx_header_row(table, [c.title for c in t.columns], emu, t.font_size, t.header_fill, t.repeat_header)
    plan = merge_plan(t)
    for ri, item in enumerate(t.rows):
        if isinstance(item, GroupRow):
            _docx_span_row(table, item.text, emu, t.font_size + 0.5, t.group_fill)
            continue
        row = table.add_row()
        row_cells = _docx_row_cells(table, row)
        for ci, col in enumerate(t.columns):
            cell = row_cells[ci]
            state = plan.get((ri, ci))
            if state == "cont":
                cell.width = emu[ci]
                cell._tc.get_or_add_tcPr().vMerge_val = "continue"
                continue
            paras, fill = cell_content(item, col, t)
            _docx_cell(cell, paras, emu[ci], t.font_size, fill=fill, align="center" if col.role == "rag" else "left")
            if state == "start":
                cell._tc.get_or_add_tcPr().vMerge_val = "restart"
    d.add_paragraph()


# --------------------------------------------------------------------------- the other action layouts

def _docx_narrative(d: Any, b: NarrativeAction) -> None:
    from docx.shared import Pt

    title = b.action.text[0].text
    if b.as_heading:
        h = d.add_heading(b.label + " ", level=2)
        _docx_runs(h, title)
    else:
        p = d.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.add_run(b.label + " ").bold = True
        for r in _docx_runs(p, title):
            r.bold = True
    for para in b.action.text[1:]:
        _docx_runs(d.add_paragraph(), para.text)
    for label, value in b.lines:
        p = d.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        p.add_run(label + " ").bold = True
        _docx_runs(p, value)


def _docx_key_value(d: Any, b: KeyValueTable) -> None:
    table, emu = _docx_table(d, list(b.widths), "grid")
    for key, role in b.rows:
        row = table.add_row()
        cells = _docx_row_cells(table, row)
        paras, _ = cell_content(b.action, Column("", 1.0, role), ActionTable([], []))
        _docx_cell(cells[0], [Para(key)], emu[0], b.font_size, bold=True, fill=b.key_fill)
        _docx_cell(cells[1], paras, emu[1], b.font_size)
    d.add_paragraph()


def _docx_box(d: Any, b: Box) -> None:
    table, emu = _docx_table(d, [1.0], "grid")
    dark = b.title_fill is not None
    _docx_cell(_docx_row_cells(table, table.add_row())[0], [Para(b.title)], emu[0], b.font_size + 1, bold=True,
               fill=b.title_fill, color="FFFFFF" if dark else None)
    for theme, acts in b.groups:
        _docx_cell(_docx_row_cells(table, table.add_row())[0], [Para(theme)], emu[0], b.font_size, bold=True,
                   fill=b.group_fill)
        _docx_cell(_docx_row_cells(table, table.add_row())[0], [p for a in acts for p in a.text], emu[0],
                   b.font_size)
    d.add_paragraph()
