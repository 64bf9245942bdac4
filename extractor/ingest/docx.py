"""DOCX -> layout model (LayoutDocument), the same model the PDF backend produces.

python-docx opens the package and gives the core properties and the parts; everything else is read
straight from the WordprocessingML with lxml (one pass over w:body, memoised style lookups), because
python-docx's table API is quadratic and it knows nothing of merged-cell grids, list labels or pages.

What DOCX cannot tell us and we estimate:
- list labels: Word renders them at layout time; rebuilt here from numbering.xml (counters per numId);
- pages: a DOCX holds no pages. Hard breaks (w:br page, pageBreakBefore, section breaks) always count;
  w:lastRenderedPageBreak markers (written by Word when it saved) count when present, and then the
  text-flow estimate is switched off; otherwise pages also overflow by a rough text-height estimate.

Styles and list numbering are resolved in docx_styles.py, sections and the page estimate in docx_pages.py.

Errors: a file that is not a readable docx raises DocxReadError (a ValueError); an OLE-wrapped
(password-protected) package raises DocxEncrypted (a DocxReadError). A table or paragraph that fails is
skipped with a message in LayoutDocument.warnings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import PartFactory
from docx.oxml.ns import qn
from docx.package import Package
from docx.parts.document import DocumentPart
from lxml import etree

from extractor import errors
from extractor.ingest import safety
from extractor.ingest.docx_pages import _Pages, _Section, _section, _text_height
from extractor.ingest.docx_styles import (
    _HEADING_RE,
    _HEX6_RE,
    _INLINE_CONTAINERS,
    _SOFT_BREAK,
    M_OMATH,
    M_OMATH_PARA,
    M_T,
    MC_ALT,
    MC_CHOICE,
    W_BR,
    W_CR,
    W_CUSTOM_XML,
    W_LRPB,
    W_P,
    W_PPR,
    W_R,
    W_RPR,
    W_SDT,
    W_SDT_CONTENT,
    W_T,
    W_TAB,
    W_TBL,
    W_TBLPR,
    W_TC,
    W_TCPR,
    W_TR,
    W_TRPR,
    W_TXBX,
    W_VAL,
    _borders,
    _int,
    _Numbering,
    _on,
    _Style,
    _Styles,
    _twips,
)
from extractor.ingest.text import BULLET_RE, FOOTNOTE_MARK
from extractor.model import Block, Cell, LayoutDocument, Page, Row, Table
from extractor.settings import current
from extractor.strings import ws


class DocxReadError(errors.Unreadable, ValueError):
    """The file is not a readable Word document (the caller maps it to a per-file status)."""


class DocxEncrypted(errors.Encrypted, DocxReadError):
    """A password-protected Word file (OOXML inside an OLE container)."""


# --------------------------------------------------------------------------- paragraphs

@dataclass
class _Para:
    """One w:p read: text segments split at page breaks, plus what a Block needs."""
    segments: list[str]  # text between page-break tokens (soft breaks kept as "\n")
    breaks: list[str]  # "page" | "rendered", between segments (len = len(segments) - 1)
    bold: bool
    font_size: float
    style: _Style
    style_name: str
    numbered: bool = False  # w:numPr (direct or from the style) resolved to a list level
    label: str = ""
    bullet: bool = False
    ilvl: int = 0
    heading: int = 0  # heading level, 0 = not a heading
    boxes: list[etree._Element] = field(default_factory=list)  # w:txbxContent anchored here

    @property
    def text(self) -> str:
        """A hard page break separates like a line break; Word's rendered-break marker sits at a line start."""
        out = self.segments[0]
        for brk, seg in zip(self.breaks, self.segments[1:]):
            out += (_SOFT_BREAK if brk == "page" else "") + seg
        return out


class _Reader:
    def __init__(self, doc, estimate: bool):
        self.styles = _Styles(_part_root(doc, RT.STYLES))
        self.numbering = _Numbering(_part_root(doc, RT.NUMBERING), self.styles)
        body = doc.element.body
        self.body = body
        self.has_rendered = next(body.iter(W_LRPB), None) is not None
        sections = [_section(s) for s in body.iter(qn("w:sectPr")) if s.getparent().tag in (W_PPR, body.tag)]
        self.pages = _Pages(sections or [_Section()], estimate and not self.has_rendered)
        self.items: list[Block | Table] = []
        self.first_page: list[str] = []
        self.warnings: list[str] = []
        self.n_tables = 0

    # ---- body walk ----------------------------------------------------------------------------

    def walk(self, parent: etree._Element, depth: int = 0) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == W_P:
                try:
                    self.paragraph(child, depth)
                except Exception as exc:  # one odd paragraph must not cost the document ...
                    safety.raise_if_out_of_memory(exc)  # ... but running out of memory fails the file
                    self.warnings.append(f"paragraph skipped ({type(exc).__name__}: {exc})")
            elif tag == W_TBL:
                try:
                    self.table(child)
                except Exception as exc:
                    safety.raise_if_out_of_memory(exc)
                    self.warnings.append(f"table #{self.n_tables} skipped ({type(exc).__name__}: {exc})")
            elif tag == W_SDT:
                content = child.find(W_SDT_CONTENT)
                if content is not None:
                    self.walk(content, depth)
            elif tag == W_CUSTOM_XML:
                self.walk(child, depth)
            elif tag == qn("w:altChunk"):
                self.warnings.append("embedded alternative-format chunk (w:altChunk) not read")

    def paragraph(self, p: etree._Element, depth: int) -> None:
        para = self.read_para(p)
        ppr = p.find(W_PPR)
        if ppr is not None and _on(ppr.find(qn("w:pageBreakBefore"))):
            self.pages.break_before()
        page = 0
        size = para.font_size or self.styles.defaults.size or current().docx.default_font_size
        for i, seg in enumerate(para.segments):
            if i:
                (self.pages.new_page if para.breaks[i - 1] == "page" else self.pages.rendered_break)()
            visible = bool(seg.strip())
            if not visible and (i or len(para.segments) > 1):
                continue  # the empty remainder around a page break takes no room worth counting
            height, first = _text_height(seg.split(_SOFT_BREAK), size, self.pages.current.text_width,
                                         para.style.line, para.style.line_pt)
            spacing = (para.style.before or 0.0) + (para.style.after or 0.0)
            start = self.pages.place(height + spacing, first + (para.style.before or 0.0), visible)
            if visible and not page:
                page = start
        block = self._block(para, page or self.pages.page)
        if block is not None:
            self.items.append(block)
            if block.page == 1:
                self.first_page.append(block.text)
        for box in para.boxes:  # text boxes: floating, read after their anchor paragraph
            if depth < 3:
                self.walk(box, depth + 1)
        if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
            self.pages.end_section()

    def _block(self, para: _Para, page: int) -> Optional[Block]:
        text = ws(para.text)
        label, listed = para.label, para.numbered
        if not listed and not para.heading:
            m = BULLET_RE.match(text)
            if m and m.group(0).strip() in "•▪●◦\uf0b7\uf0a7■":  # a typed bullet glyph: a list item too
                text, label, listed = text[m.end():].strip(), "•", True
        if not text:
            return None
        if para.heading:
            kind, level = "heading", para.heading
        elif listed:
            kind, level = "list_item", para.ilvl
        else:
            kind, level = "paragraph", 0
        return Block(kind=kind, text=text, page=page, level=level, style=para.style_name, list_label=label,
                     bold=para.bold, font_size=para.font_size)

    def read_para(self, p: etree._Element) -> _Para:
        ppr = p.find(W_PPR)
        style_id = None
        direct_outline = None
        num_id, ilvl = None, None
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            style_id = ps.get(W_VAL) if ps is not None else None
            ol = ppr.find(qn("w:outlineLvl"))
            direct_outline = _int(ol.get(W_VAL), 9) if ol is not None else None
            num = ppr.find(qn("w:numPr"))
            if num is not None:
                nid, lvl = num.find(qn("w:numId")), num.find(qn("w:ilvl"))
                num_id = nid.get(W_VAL) if nid is not None else None
                ilvl = _int(lvl.get(W_VAL)) if lvl is not None else None
        style = self.styles.para(style_id)
        segments, breaks, boxes = [""], [], []
        runs: list[tuple[etree._Element, str]] = []
        for kind, value, run in _tokens(p):
            if kind == "text":
                segments[-1] += value
                if run is not None and value.strip():
                    runs.append((run, value))
            elif kind == "box":
                boxes.append(run)
            else:
                breaks.append(kind)
                segments.append("")
        bold, font_size = self._run_summary(runs, style)
        para = _Para(segments, breaks, bold, font_size, style, style.name, boxes=boxes)
        para.heading = _heading_level(style, direct_outline)
        num_id = num_id if num_id is not None else style.num_id
        ilvl = ilvl if ilvl is not None else (style.ilvl or 0)
        if num_id not in (None, "0"):
            got = self.numbering.label(num_id, ilvl)
            if got is not None:
                para.label, para.bullet = got
                para.numbered, para.ilvl = True, ilvl
        return para

    def _run_summary(self, runs: list[tuple[etree._Element, str]], style: _Style) -> tuple[bool, float]:
        """All visible runs bold? and the font size carrying most characters."""
        if not runs:
            return bool(style.bold), style.size or 0.0
        sizes: dict[float, int] = {}
        all_bold = True
        for run, text in runs:
            bold, size = self._run_props_of(run, style)
            all_bold = all_bold and bold
            sizes[size] = sizes.get(size, 0) + len(text)
        return all_bold, max(sizes, key=sizes.get)

    def _run_props_of(self, run: etree._Element, style: _Style) -> tuple[bool, float]:
        """(bold, size) of one run: direct formatting, then its character style, then the paragraph style."""
        rpr = run.find(W_RPR)
        bold: Optional[bool] = None
        size: Optional[float] = None
        if rpr is not None:
            bold = _on(rpr.find(qn("w:b")))
            sz = rpr.find(qn("w:sz"))
            size = _int(sz.get(W_VAL)) / 2.0 if sz is not None and sz.get(W_VAL) else None
            rs = rpr.find(qn("w:rStyle"))
            cs = self.styles.get(rs.get(W_VAL)) if rs is not None else None
            if cs is not None:  # a character style's inherited doc-default size is not its own: skip it
                bold = bold if bold is not None else cs.bold
                size = size if size is not None else (cs.size if cs.size != self.styles.defaults.size else None)
        bold = bold if bold is not None else bool(style.bold)
        size = size if size is not None else (style.size or 0.0)
        return bold, size

    # ---- tables -------------------------------------------------------------------------------

    def table(self, tbl: etree._Element) -> None:
        self.n_tables += 1  # counts tables met, for warnings; Table.index is set once all are read
        grid = [(_twips(g.get(qn("w:w"))) or 0.0) for g in tbl.iterchildren(qn("w:tblGrid"))
                for g in g.iterchildren(qn("w:gridCol"))]
        rows: list[Row] = []
        open_merge: dict[int, Cell] = {}  # grid column -> the cell a vertical merge started at
        widest = len(grid)
        cell_borders = False
        for r_index, tr in enumerate(_children(tbl, W_TR)):
            trpr = tr.find(W_TRPR)
            col = _int(_child_val(trpr, "w:gridBefore"))
            after = _int(_child_val(trpr, "w:gridAfter"))
            header = _on(trpr.find(qn("w:tblHeader"))) if trpr is not None else None
            cant_split = _on(trpr.find(qn("w:cantSplit"))) if trpr is not None else None
            cells: list[Cell] = []
            heights: list[float] = []
            rendered_before = rendered_inside = False
            for tc in _children(tr, W_TC):
                tcpr = tc.find(W_TCPR)
                span = max(1, _int(_child_val(tcpr, "w:gridSpan"), 1))
                vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
                hmerge = tcpr.find(qn("w:hMerge")) if tcpr is not None else None
                if tcpr is not None and any(_borders(tcpr.find(qn("w:tcBorders"))).values()):
                    cell_borders = True
                if hmerge is not None and hmerge.get(W_VAL, "continue") == "continue" and cells:
                    cells[-1].colspan += span  # legacy horizontal merge: widen the cell on the left
                    col += span
                    continue
                if vmerge is not None and vmerge.get(W_VAL, "continue") == "continue" and col in open_merge:
                    top = open_merge[col]
                    top.rowspan += 1
                    cells.append(Cell(text="", col=col, colspan=span, covered=True))
                    col += span
                    continue
                paras, before, inside, lines = self.cell_paragraphs(tc)
                rendered_before |= before
                rendered_inside |= inside
                cell = Cell(text="\n".join(paras), col=col, colspan=span, fill=_fill(tcpr), paragraphs=paras)
                width = sum(grid[col:col + span]) if col + span <= len(grid) else 0.0
                heights.append(self._cell_height(lines, width or self.pages.current.text_width / max(len(grid), 1)))
                for c in range(col, col + span):
                    open_merge.pop(c, None)
                if vmerge is not None and vmerge.get(W_VAL) == "restart":
                    open_merge[col] = cell
                cells.append(cell)
                col += span
            for c in [c for c in open_merge if c >= col]:  # a short row ends merges it does not reach
                open_merge.pop(c)
            widest = max(widest, col + after)
            if rendered_before:
                self.pages.rendered_break()
            height = max(heights, default=0.0) + 2.0
            trh = _twips(_child_attr(trpr, "w:trHeight", "w:val"))
            page = self.pages.place(max(height, trh or 0.0), min(height, 14.0),
                                    visible=any(c.text for c in cells), can_split=not cant_split)
            if rendered_inside:
                self.pages.new_page()  # the row ran over onto the next page
            for c in cells:
                c.page = page
            rows.append(Row(cells=cells, page=page, index=r_index, is_header=bool(header)))
        if not rows:
            return
        tblpr = tbl.find(W_TBLPR)
        ruled = self._ruled(tblpr) or cell_borders
        table = Table(rows=rows, n_cols=widest or max((len(r.cells) for r in rows), default=0),
                      page_first=rows[0].page, page_last=rows[-1].page, ruled=ruled)
        self.items.append(table)
        for row in rows:
            if row.page == 1:
                texts = [ws(c.text) for c in row.cells if c.text.strip()]
                if texts:
                    self.first_page.append(" | ".join(texts))

    def _ruled(self, tblpr: Optional[etree._Element]) -> bool:
        if tblpr is None:
            return False
        ts = tblpr.find(qn("w:tblStyle"))
        style = self.styles.get(ts.get(W_VAL)) if ts is not None else None
        borders = dict(style.borders) if style is not None else {}
        borders.update(_borders(tblpr.find(qn("w:tblBorders"))))
        return any(borders.values())

    def _cell_height(self, lines: list[tuple[str, float]], width: float) -> float:
        total = 0.0
        for text, size in lines:
            total += _text_height([text], size or current().docx.default_font_size, max(width - 11.0, 20.0),
                                  None, None)[0]
        return total

    def cell_paragraphs(self, tc: etree._Element) -> tuple[list[str], bool, bool, list[tuple[str, float]]]:
        """A cell's paragraph strings (bullets stripped, numbered labels put back), whether a
        lastRenderedPageBreak came before any text (row starts a page) or after (row splits),
        and (text, size) lines for the height estimate."""
        out: list[str] = []
        lines: list[tuple[str, float]] = []
        seen_text = before = inside = False
        for p in _cell_paras(tc):
            para = self.read_para(p)
            for brk, seg in zip([None, *para.breaks], para.segments):
                if brk == "rendered":
                    before, inside = before or not seen_text, inside or seen_text
                if seg.strip():
                    seen_text = True
            pieces = [BULLET_RE.sub("", ws(t)) for t in para.text.split(_SOFT_BREAK)]
            pieces = [t.strip() for t in pieces if t.strip()]
            if pieces and para.label and not para.bullet:
                pieces[0] = f"{para.label} {pieces[0]}"
            out.extend(pieces)
            lines.extend((t, para.font_size) for t in (pieces or [""]))
            for box in para.boxes:
                out.extend(ws("".join(v for k, v, _ in _tokens(bp) if k == "text"))
                           for bp in box.iter(W_P))
        return [t for t in out if t], before, inside, lines


# --------------------------------------------------------------------------- XML helpers

def _tokens(p: etree._Element) -> Iterator[tuple[str, str, Optional[etree._Element]]]:
    """A paragraph's content in order: ("text", s, run), ("page"|"rendered", "", None), ("box", "", txbxContent)."""
    for el in p.iterchildren():
        tag = el.tag
        if tag == W_R:
            yield from _run_tokens(el)
        elif tag in _INLINE_CONTAINERS:
            yield from _tokens(el)
        elif tag == W_SDT:
            content = el.find(W_SDT_CONTENT)
            if content is not None:
                yield from _tokens(content)
        elif tag in (M_OMATH, M_OMATH_PARA):
            yield "text", "".join(t.text or "" for t in el.iter(M_T)), None


def _run_tokens(r: etree._Element) -> Iterator[tuple[str, str, Optional[etree._Element]]]:
    rpr = r.find(W_RPR)
    hidden = rpr is not None and _on(rpr.find(qn("w:vanish")))
    align = rpr.find(qn("w:vertAlign")) if rpr is not None else None
    raised = align is not None and align.get(W_VAL) == "superscript"
    for c in r.iterchildren():
        tag = c.tag
        if hidden and tag in (W_T, W_TAB, qn("w:noBreakHyphen")):
            continue  # w:vanish: not printed
        mark = (c.text or "").strip() if raised and tag == W_T else ""
        if mark and FOOTNOTE_MARK.match(mark) and not mark.isalpha():
            continue  # a footnote marker typed as superscript ("Committee¹²"): not part of the value
        if tag == W_T:
            yield "text", c.text or "", r
        elif tag == W_TAB:
            yield "text", "\t", r
        elif tag == W_BR:
            kind = c.get(qn("w:type"), "textWrapping")
            if kind == "page":
                yield "page", "", None
            elif kind == "column":
                yield "text", " ", r
            else:
                yield "text", _SOFT_BREAK, r
        elif tag == W_CR:
            yield "text", _SOFT_BREAK, r
        elif tag == W_LRPB:
            yield "rendered", "", None
        elif tag == qn("w:noBreakHyphen"):
            yield "text", "-", r
        elif tag in (qn("w:drawing"), qn("w:pict"), MC_ALT):
            scope = c.find(MC_CHOICE) if tag == MC_ALT else c  # the Fallback repeats the Choice
            box = next(scope.iter(W_TXBX), None) if scope is not None else None
            if box is not None:  # the outermost text box body; boxes nested in it are walked from it
                yield "box", "", box


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with `tag`, looking through content controls / custom XML wrappers."""
    for c in parent.iterchildren():
        if c.tag == tag:
            yield c
        elif c.tag == W_SDT:
            content = c.find(W_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif c.tag == W_CUSTOM_XML:
            yield from _children(c, tag)


def _cell_paras(tc: etree._Element) -> Iterator[etree._Element]:
    """A cell's paragraphs in reading order, nested tables' paragraphs included."""
    for c in tc.iterchildren():
        if c.tag == W_P:
            yield c
        elif c.tag == W_TBL:
            for tr in _children(c, W_TR):
                for inner in _children(tr, W_TC):
                    yield from _cell_paras(inner)
        elif c.tag in (W_SDT, W_CUSTOM_XML):
            yield from _cell_paras(c)
        elif c.tag == W_SDT_CONTENT:
            yield from _cell_paras(c)


def _child_val(parent: Optional[etree._Element], tag: str) -> Optional[str]:
    return _child_attr(parent, tag, "w:val")


def _child_attr(parent: Optional[etree._Element], tag: str, attr: str) -> Optional[str]:
    if parent is None:
        return None
    child = parent.find(qn(tag))
    return child.get(qn(attr)) if child is not None else None


def _fill(tcpr: Optional[etree._Element]) -> str:
    """Cell shading as 'RRGGBB'; '' for none/auto/white. A solid pattern shows w:color over w:fill."""
    shd = tcpr.find(qn("w:shd")) if tcpr is not None else None
    if shd is None:
        return ""
    fill = _hex(shd.get(qn("w:fill")))
    if shd.get(W_VAL) == "solid" and _hex(shd.get(qn("w:color"))):
        fill = _hex(shd.get(qn("w:color")))
    return "" if fill == "FFFFFF" else fill


def _hex(value: Optional[str]) -> str:
    v = (value or "").strip().lstrip("#").upper()
    return v if _HEX6_RE.match(v) else ""


def _heading_level(style: _Style, direct_outline: Optional[int]) -> int:
    if direct_outline is not None and direct_outline < 9:
        return direct_outline + 1
    m = _HEADING_RE.match(style.name)
    if m:
        return int(m.group(1))
    if style.name.lower() == "title":
        return 1
    if direct_outline is None and style.outline is not None and style.outline < 9:
        return style.outline + 1
    return 0


def _part_root(doc, reltype: str) -> Optional[etree._Element]:
    """The XML root of a part related to the main document part, or None (no auto-created parts)."""
    try:
        part = doc.part.part_related_by(reltype)
    except (KeyError, ValueError):
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    try:
        return etree.fromstring(part.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None


def _metadata(doc) -> dict[str, str]:
    cp = doc.core_properties
    out: dict[str, str] = {}
    for key, attr in (("title", "title"), ("author", "author"), ("subject", "subject"), ("created", "created"),
                      ("modified", "modified"), ("last_modified_by", "last_modified_by"),
                      ("keywords", "keywords"), ("category", "category")):
        try:
            value = getattr(cp, attr)
        except Exception:  # a malformed property must not cost the document
            continue
        if hasattr(value, "date") and hasattr(value, "isoformat"):
            value = value.date().isoformat()
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def _open(path: str):
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocxEncrypted("encrypted or legacy Word file (OLE container): a password or .doc conversion is needed")
    try:
        part = Package.open(path).main_document_part
    except Exception as exc:  # zipfile, KeyError, lxml and python-docx errors alike: not a usable docx
        raise DocxReadError(f"not a readable docx ({type(exc).__name__}: {exc})".strip()) from exc
    if not isinstance(part, DocumentPart):
        raise DocxReadError(f"not a readable docx (its main part is {part.content_type})")
    return part.document


# .docm, .dotx and .dotm hold the same WordprocessingML as .docx under another content type: python-docx reads
# them as documents once it knows these types (its Document() refuses anything but .docx's type)
for _type in ("application/vnd.ms-word.document.macroEnabled.main+xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
              "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"):
    PartFactory.part_type_for.setdefault(_type, DocumentPart)


# --------------------------------------------------------------------------- entry point

def read_docx(path: str, estimate_pages: bool = True) -> LayoutDocument:
    """Read a .docx into the layout model. estimate_pages=False counts only explicit breaks
    (hard page breaks, section breaks, Word's lastRenderedPageBreak markers)."""
    doc = _open(path)
    reader = _Reader(doc, estimate_pages)
    reader.walk(reader.body)
    if reader.numbering.labels_cut:
        reader.warnings.append(f"{reader.numbering.labels_cut} list label(s) longer than "
                               f"{current().docx.max_label_chars} characters cut (numbering.xml)")
    for i, table in enumerate(t for t in reader.items if isinstance(t, Table)):
        table.index = i  # reading order among the tables emitted (as the PDF backend numbers them)
    pages = []
    sections = reader.pages.sections
    last_section = 0
    for number in range(1, reader.pages.page + 1):
        last_section = reader.pages.page_section.get(number, last_section)
        s = sections[min(last_section, len(sections) - 1)]
        pages.append(Page(number=number, width=round(s.width, 1), height=round(s.height, 1)))
    return LayoutDocument(path=path, format="docx", pages=pages, items=reader.items, metadata=_metadata(doc),
                          first_page_lines=reader.first_page, warnings=reader.warnings)
