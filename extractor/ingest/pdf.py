"""PDF -> layout model, through pdfplumber (the only module that imports it).

Per page, once: words (position, font), ruled tables (pdfplumber's lattice finder), filled rectangles
(cell colours). Running headers/footers are found across pages and dropped. Words outside tables
become lines, then blocks (headings by weight/size, list items by a leading label or bullet).
Tables drawn without rules are found among the text lines by a finder the caller passes in
(tables/borderless.py), so ingest knows nothing of action-plan vocabulary.
"""
from __future__ import annotations

import bisect
import functools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, Optional

import pdfplumber
import pdfplumber.page
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
from pdfminer.pdftypes import dict_value, list_value

from extractor import errors
from extractor.ingest import ocr, reading_order, safety
from extractor.ingest.bands import join_bands
from extractor.ingest.geometry import within
from extractor.ingest.grid import PageWords, ruled_table, words_to_lines
from extractor.ingest.hrules import hrule_tables
from extractor.ingest.seams import drawn_rules
from extractor.ingest.text import (
    BULLET_RE,
    FOOTNOTE_MARK,
    ORDINAL_SUFFIX,
    clean_paragraph,
    color_to_hex,
    encodable,
    join_lines,
)
from extractor.ingest.words import extract_words
from extractor.model import Block, LayoutDocument, Line, LineTableFinder, Page, Table, Word
from extractor.settings import current
from extractor.strings import ws

PAGE_NUMBER_RE = re.compile(r"^\s*(page\s*)?\d+(\s*(of|/)\s*\d+)?\s*$", re.IGNORECASE)
LIST_LABEL_RE = re.compile(r"^\s*(\(?[0-9]{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)]|[A-Z]{1,3}\d{1,3}[.):]?)\s+")


class PdfReadError(errors.Unreadable):
    """The PDF could not be opened or parsed (the caller maps it to a per-file status)."""


class PdfEncrypted(errors.Encrypted, PdfReadError):
    """The PDF needs a password (or the one given is wrong)."""


@dataclass
class PageParse:
    page: Page
    words: list[Word]
    tables: list[Table]
    table_boxes: list[tuple[float, float, float, float]]
    lines: list[Line] = field(default_factory=list)  # outside tables, furniture removed
    replaced: int = 0  # words whose text had characters no valid Unicode (replaced with U+FFFD)


# --------------------------------------------------------------------------- entry point

def read_pdf(path: str, password: Optional[str] = None,
             line_tables: Optional[LineTableFinder] = None) -> LayoutDocument:
    """`line_tables` finds tables drawn without rules among a page's text lines (tables/borderless.py,
    wired in by the pipeline); without it only ruled tables are found."""
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfminer raises many types, and pdfplumber wraps them in its own
        if _caused_by(exc, PDFEncryptionError):
            raise PdfEncrypted("encrypted: a password is needed to open this PDF") from exc
        raise PdfReadError(f"not a readable PDF ({_problem(exc)})") from exc
    warnings: list[str] = []
    try:
        metadata = {encodable(str(k).lower()): encodable(str(v)) for k, v in (pdf.metadata or {}).items()
                    if isinstance(v, (str, bytes))}
        parses: list[PageParse] = []
        failed = 0
        ocr_on = current().ocr.enabled
        ocr_pages: list[int] = []
        for number, page in _each_page(pdf):
            try:
                if isinstance(page, Exception):
                    raise page
                if ocr_on and ocr.needs_ocr(page):
                    parses.append(_parse_scanned_page(page, number))
                    ocr_pages.append(number)
                else:
                    parses.append(_parse_page(page, number))
            except ocr.OcrUnavailable:
                raise
            except Exception as exc:  # one bad page must not cost the rest of the document ...
                safety.raise_if_out_of_memory(exc)  # ... but running out of memory fails the file
                failed += 1
                what = "could not be OCR'd" if isinstance(exc, ocr.OcrFailed) else "could not be read"
                warnings.append(f"page {number}: {what} ({type(exc).__name__}: {errors.one_line(exc)})")
                parses.append(PageParse(Page(number), [], [], []))
            finally:
                if not isinstance(page, Exception):
                    page.close()  # release the page's cached objects as we go
    finally:  # not pdf.close(): it builds every page again (pdf.pages), the broken ones too
        pdf.flush_cache()
        if not pdf.stream_is_external:
            pdf.stream.close()
    if parses and failed == len(parses):  # nothing read: a broken file, not a scan without text
        raise PdfReadError(f"no page could be read; {warnings[0]}"[:300])
    _drop_furniture(parses)
    items = _assemble(parses, line_tables)
    for i, table in enumerate(t for t in items if isinstance(t, Table)):
        table.index = i
    replaced = sum(pp.replaced for pp in parses)
    notes = [f"{replaced} word(s) whose characters the PDF's fonts map to no valid Unicode: replaced with U+FFFD"
             ] if replaced else []
    return LayoutDocument(path=path, format="pdf", pages=[p.page for p in parses], items=items,
                          metadata=metadata, first_page_lines=_cover_lines(parses[0]) if parses else [],
                          warnings=warnings, ocr_pages=ocr_pages, notes=notes)


def _each_page(pdf) -> Iterator[tuple[int, object]]:
    """(number, pdfplumber page) for every page of the page tree in order, each page built on its own: a page
    whose dictionary is broken (a MediaBox of keywords, a Rotate that is not a number) comes as (number,
    the exception) and the pages after it are still read. (pdfplumber's `pdf.pages` builds them all at once,
    and one such page cost the whole document.)"""
    doctop = 0.0
    for number, (objid, attrs) in enumerate(_page_dicts(pdf.doc), start=1):
        try:
            page_obj = PDFPage(pdf.doc, objid, attrs, None)  # (page labels: not used)
            page = pdfplumber.page.Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
            doctop += float(page.height)
        except Exception as exc:
            safety.raise_if_out_of_memory(exc)
            yield number, exc
            continue
        yield number, page


def _page_dicts(doc) -> Iterator[tuple[object, dict]]:
    """(object id, attributes with the inherited ones) of each page, depth first through /Pages, as pdfminer's
    PDFPage.create_pages finds them (cycles skipped); without a /Pages tree, every /Page object in the file."""
    found = False
    if "Pages" in doc.catalog:
        stack: list[tuple[object, dict]] = [(doc.catalog["Pages"], doc.catalog)]
        seen: set = set()
        while stack:
            node, parent = stack.pop()
            try:
                objid = node if isinstance(node, int) else getattr(node, "objid", None)
                attrs = dict(dict_value(doc.getobj(node) if isinstance(node, int) else node))
            except Exception as exc:  # a node that cannot be read: the pages under it are lost, the others are not
                safety.raise_if_out_of_memory(exc)
                continue
            if objid in seen:
                continue
            seen.add(objid)
            for key, value in parent.items():
                if key in PDFPage.INHERITABLE_ATTRS and key not in attrs:
                    attrs[key] = value
            kind = attrs.get("Type") or attrs.get("type")
            if kind is LITERAL_PAGES and "Kids" in attrs:
                stack.extend((kid, attrs) for kid in reversed(list_value(attrs["Kids"])))
            elif kind is LITERAL_PAGE:
                found = True
                yield objid, attrs
    if not found:
        for xref in doc.xrefs:
            for objid in xref.get_objids():
                try:
                    obj = doc.getobj(objid)
                except Exception:
                    continue
                if isinstance(obj, dict) and obj.get("Type") is LITERAL_PAGE:
                    yield objid, obj


def _caused_by(exc: Optional[BaseException], kind: type) -> bool:
    """Whether `exc` is, or wraps, an exception of type `kind`: pdfplumber wraps pdfminer's errors in a
    PdfminerException (the original as its first argument, or as the cause/context)."""
    return any(isinstance(e, kind) for e in _chain(exc))


def _chain(exc: Optional[BaseException], context: bool = True):
    """`exc` and the exceptions it wraps, outermost first: its cause, else (with `context`) the exception it was
    raised while handling, else an exception among its arguments; at most 8 deep."""
    for _ in range(8):
        if exc is None:
            return
        yield exc
        exc = exc.__cause__ or (exc.__context__ if context else None) or next(
            (a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)), None)


def _problem(exc: BaseException) -> str:
    """What the parser found wrong, in its own words: the innermost exception's first line, not the name of
    the wrapper pdfplumber puts around pdfminer's errors ("Unexpected EOF", not "PdfminerException: ...")."""
    *_, inner = _chain(exc, context=False)  # what it was raised while handling is another story
    message = errors.one_line(inner)
    return message if message and message != type(inner).__name__ else f"{type(inner).__name__}, no message"


# --------------------------------------------------------------------------- one page



def _parse_page(page, number: int) -> PageParse:
    meta = Page(number=number, width=float(page.width), height=float(page.height))
    # word gaps relative to the font size: some writers (cairo, some "print to PDF" drivers) drop the space
    # glyphs, leaving gaps of a quarter em that pdfplumber's fixed 3 pt tolerance glues together at 10-12 pt
    # (pdfplumber's page.extract_words(extra_attrs=["fontname", "size"], x_tolerance_ratio=...), done faster: words.py)
    raw_words = extract_words(page.chars, current().pdf.word_gap_em)
    words = _superscripts([Word(text, float(x0), float(x1), float(top), float(bottom), _is_bold(font),
                                float(size or 0)) for text, x0, x1, top, bottom, font, size in raw_words])
    replaced = 0
    for word in words:  # text UTF-8 cannot encode (a font mapping a glyph to half a surrogate pair) stops here
        fixed = encodable(word.text)
        if fixed is not word.text:
            word.text, replaced = fixed, replaced + 1
    fills = _filled_rects(page)
    tables: list[Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    page_words = PageWords(words)
    found_tables = _rule_tables(page, words)
    rules = drawn_rules(page.lines, page.rects) if found_tables else ([], [])
    found_tables = join_bands(found_tables, words, rules[1])
    for found in found_tables:
        table = ruled_table(found, page_words, fills, number, rules)
        if table is not None:
            tables.append(table)
            boxes.append(tuple(map(float, found.bbox)))
    whole = [b for t, b in zip(tables, boxes) if not _partial(t)]
    for table, box in hrule_tables(page.lines, words, float(page.width), number, whole):
        keep = [k for k, b in enumerate(boxes) if _overlap(b, box) < 0.5]  # a shaded key column found alone
        tables, boxes = [tables[k] for k in keep] + [table], [boxes[k] for k in keep] + [box]
    return PageParse(meta, words, tables, boxes, replaced=replaced)


def _partial(table: Table) -> bool:
    """A grid pdfplumber found from shading alone (filled key cells and title rows, no rules between the values):
    most rows have no cell at some grid position."""
    if table.n_cols < 2:
        return False
    gaps = sum(1 for r in table.rows if sum(c.colspan for c in r.cells) < table.n_cols)
    return gaps > len(table.rows) / 2


def _rule_tables(page, words: list[Word]) -> list:
    """pdfplumber's ruled tables. Some writers shade a cell with one filled rectangle per printed line, whose edges
    then cut every row into slivers (a grid of far more rows than the table has lines of text); such a table is
    found again from the rules alone, without the shading."""
    found = _outermost(page.find_tables())
    if not any(_fragmented(t, words) for t in found) or sum(1 for r in page.rects if _shading(r)) < 20:
        return found
    rules_only = page.filter(lambda obj: not _shading(obj)).find_tables()
    out = []
    for t in found:
        better = next((r for r in rules_only if _overlap(r.bbox, t.bbox) > 0.8 and len(r.rows) < len(t.rows)), None)
        out.append(better if better is not None and _fragmented(t, words) else t)
    return out


def _outermost(found: list) -> list:
    """The tables not inside another one: a grid pdfplumber also finds within one cell of a table (from the
    cell's shading pieces, or a box drawn round its text) is part of that cell, read with it."""
    boxes = [tuple(map(float, t.bbox)) for t in found]
    return [t for i, t in enumerate(found)
            if not any(j != i and within(boxes[i], b, 1.0) and not within(b, boxes[i], 1.0)
                       for j, b in enumerate(boxes))]


def _shading(obj: dict) -> bool:
    return (obj.get("object_type") == "rect" and bool(obj.get("fill")) and not obj.get("stroke")
            and min(float(obj["width"]), float(obj["height"])) > 2.0)


def _fragmented(table, words: list[Word]) -> bool:
    """Far more cells than words: the grid has been cut into slivers."""
    if len(table.rows) < 10:
        return False
    x0, top, x1, bottom = table.bbox
    inside = sum(1 for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom)
    return len(table.cells) > 2 * max(inside, 1)


def _overlap(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    area = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1.0
    return ix * iy / area


def _superscripts(words: list[Word]) -> list[Word]:
    """Raised small text attached to the word before it on its line: a footnote marker ("Board*",
    "Committee12") is dropped, an ordinal suffix ("2" + "nd") is glued back; anything else stays as it is."""
    sizes = sorted(w.size for w in words if w.size)
    if not sizes:
        return words
    small = sizes[len(sizes) // 2] * 0.85
    drop: set[int] = set()
    glue: dict[int, int] = {}  # index of the word before -> index of its raised suffix
    by_top = sorted(range(len(words)), key=lambda i: words[i].top)
    tops = [words[i].top for i in by_top]
    for i, w in enumerate(words):
        if not w.size or w.size > small or not (FOOTNOTE_MARK.match(w.text) or ORDINAL_SUFFIX.match(w.text)):
            continue
        lo = bisect.bisect_left(tops, w.top - 2 * w.size)
        hi = bisect.bisect_right(tops, w.bottom + w.size)
        for k in by_top[lo:hi]:
            base = words[k]
            if (k != i and w.size <= 0.85 * base.size and w.bottom < base.bottom - 0.15 * base.size
                    and w.top >= base.top - base.size and -0.5 <= w.x0 - base.x1 <= 0.3 * base.size):
                if ORDINAL_SUFFIX.match(w.text) and base.text[-1:].isdigit():
                    glue[k] = i
                elif FOOTNOTE_MARK.match(w.text) and not w.text.isalpha():
                    drop.add(i)
                break
    if not drop and not glue:
        return words
    suffixes = set(glue.values())
    out = []
    for i, w in enumerate(words):
        if i in drop or i in suffixes:
            continue
        if i in glue:
            s = words[glue[i]]
            w = Word(w.text + s.text, w.x0, s.x1, w.top, w.bottom, w.bold, w.size)
        out.append(w)
    return out


def _parse_scanned_page(page, number: int) -> PageParse:
    """A page without a text layer (--ocr): words from Tesseract, tables from the rulings seen in the image
    (pdfplumber's finder on them as explicit lines), cell fills from the image's pixels."""
    meta = Page(number=number, width=float(page.width), height=float(page.height))
    scanned = ocr.read_page(page)
    tables: list[Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    if scanned.horizontal and scanned.vertical:
        finder = page.find_tables({"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                                   "explicit_vertical_lines": scanned.vertical,
                                   "explicit_horizontal_lines": scanned.horizontal,
                                   "snap_tolerance": 4, "join_tolerance": 4, "intersection_tolerance": 4})
        page_words = PageWords(scanned.words)
        for found in finder:
            fills = [(tuple(map(float, c)), scanned.fill(tuple(map(float, c)))) for c in found.cells]
            table = ruled_table(found, page_words, [f for f in fills if f[1]], number)
            if table is not None:
                tables.append(table)
                boxes.append(found.bbox)
    return PageParse(meta, scanned.words, tables, boxes)


@functools.lru_cache(maxsize=1024)  # a document uses a handful of fonts, for thousands of words
def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "demi"))


def _filled_rects(page) -> list[tuple[tuple[float, float, float, float], str]]:
    """Filled rectangles with a visible colour, smallest first (a cell's own fill beats a table background)."""
    out = []
    for r in page.rects:
        if not r.get("fill"):
            continue
        hexcol = color_to_hex(r.get("non_stroking_color"))
        if not hexcol:
            continue
        out.append(((float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])), hexcol))
    out.sort(key=lambda item: (item[0][2] - item[0][0]) * (item[0][3] - item[0][1]))
    return out


# --------------------------------------------------------------------------- furniture

def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().casefold())


def _drop_furniture(parses: list[PageParse]) -> None:
    """Lines repeated in the top/bottom band of many pages, and bare page numbers, are page furniture."""
    banded: list[list[Line]] = []
    counts: Counter[str] = Counter()
    for pp in parses:
        lines = words_to_lines(pp.words, pp.page.number)
        h = pp.page.height or 842.0
        share = current().pdf.furniture_band
        band = [l for l in lines if l.bottom < h * share or l.top > h * (1 - share)]
        banded.append(lines)
        for key in {_furniture_key(l.text) for l in band}:
            counts[key] += 1
    n_pages = len(parses)
    repeated = {k for k, c in counts.items() if n_pages >= 2 and c >= max(2, n_pages * 0.4)}
    for pp, lines in zip(parses, banded):
        h = pp.page.height or 842.0
        keep_words: list[Word] = []
        kept_lines: list[Line] = []
        for l in lines:
            in_band = l.bottom < h * current().pdf.furniture_band or l.top > h * (1 - current().pdf.furniture_band)
            if in_band and (_furniture_key(l.text) in repeated or PAGE_NUMBER_RE.match(l.text)):
                continue
            keep_words.extend(l.words)
            kept_lines.append(l)
        pp.words = keep_words
        pp.lines = [l for l in kept_lines if not any(_line_in_box(l, b) for b in pp.table_boxes)]


def _line_in_box(line: Line, box) -> bool:
    cy = (line.top + line.bottom) / 2
    return box[1] - 1 <= cy <= box[3] + 1 and line.x1 > box[0] and line.x0 < box[2]


# --------------------------------------------------------------------------- blocks and order

def _assemble(parses: list[PageParse], line_tables: Optional[LineTableFinder]) -> list:
    body_size = _body_font_size(parses)
    items: list = []
    for pp in parses:
        tables = list(pp.tables)
        found = line_tables(pp.lines, pp.page, body_size) if line_tables else []
        for table, used in found:
            tables.append(table)
            pp.lines = [l for l in pp.lines if id(l) not in used]
        placed: list[tuple[tuple[float, int], object]] = [((t.bbox[1] if t.bbox else 0.0, 0), t) for t in tables]
        placed += _ordered_blocks(pp.lines, pp.page.number, body_size)
        placed.sort(key=lambda item: item[0])
        items.extend(obj for _, obj in placed)
    return reading_order.join_broken_paragraphs(items)


def _body_font_size(parses: list[PageParse]) -> float:
    sizes = Counter(round(w.size, 1) for pp in parses for l in pp.lines for w in l.words)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _ordered_blocks(lines: list[Line], page_no: int, body_size: float) -> list[tuple[tuple[float, int], Block]]:
    """The page's blocks with their place among its tables: a block by its top, the blocks of a band of
    columns by the band's top, column after column (reading_order.py decides the columns)."""
    out: list[tuple[tuple[float, int], Block]] = []
    regions = reading_order.column_regions(lines, page_no, body_size, words_to_lines)
    for region, anchor in regions:
        for block in _blocks(region, page_no, body_size):
            top = block.bbox[1] if block.bbox else 0.0
            out.append(((top, 0) if anchor is None else (anchor, len(out) + 1), block))
    return out


def _blocks(lines: list[Line], page_no: int, body_size: float) -> list[Block]:
    """Lines -> paragraphs (a new block at a gap, a change of size or weight, a list label or bullet),
    then each block classified: a short block in bold or a larger size is a heading."""
    groups: list[list[Line]] = []
    for line in lines:
        prev = groups[-1][-1] if groups else None
        if (prev is None
                or LIST_LABEL_RE.match(line.text) or BULLET_RE.match(line.text)
                or reading_order.starts_numbered_paragraph(line.text, prev.text)
                or line.top - prev.bottom > max(prev.bottom - prev.top, 1.0) * 0.9
                or abs(line.size - prev.size) > 0.6
                or reading_order.line_bold(line) != reading_order.line_bold(prev)):
            groups.append([line])
        else:
            groups[-1].append(line)
    return [b for b in (_block(g, page_no, body_size) for g in groups) if b.text]


def _block(lines: list[Line], page_no: int, body_size: float) -> Block:
    text = ws(join_lines([l.text for l in lines]))  # a word hyphenated at a line end rejoined
    first = lines[0]
    size = statistics.median(l.size for l in lines)
    bold = all(l.bold for l in lines)
    kind, level, list_label = _block_kind(text, size, bold, body_size), 0, ""
    if kind == "heading":
        level = 1 if size >= body_size + 3.5 else 2 if size >= body_size + 1.5 else 3
    elif BULLET_RE.match(text):
        kind, list_label, text = "list_item", "\u2022", clean_paragraph(text)
    elif LIST_LABEL_RE.match(text):
        kind = "list_item"
    bbox = (min(l.x0 for l in lines), first.top, max(l.x1 for l in lines), lines[-1].bottom)
    return Block(kind=kind, text=text, page=page_no, level=level, list_label=list_label, bold=bold,
                 font_size=size, bbox=bbox)


def _block_kind(text: str, size: float, bold: bool, body_size: float) -> str:
    short = len(text) <= 120
    if short and size >= body_size + 1.5:
        return "heading"
    if short and bold and not LIST_LABEL_RE.match(text) and not text.endswith(":"):
        return "heading"
    return "paragraph"


def _cover_lines(pp: PageParse) -> list[str]:
    """Page 1 as text lines (furniture removed), wide gaps shown as ' | ' so 'Version: | 4.0' stays apart."""
    out = []
    for line in words_to_lines(pp.words, pp.page.number):
        parts = [line.words[0].text]
        for a, b in zip(line.words, line.words[1:]):
            gap = b.x0 - a.x1
            parts.append((" | " if gap > max(a.size, 6.0) * 1.5 else " ") + b.text)
        out.append("".join(parts))
    return out
