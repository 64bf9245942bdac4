"""extractor.ingest.docx: DOCX -> layout model. Fixtures are built in tmp_path with python-docx plus raw XML."""
from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Optional

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml

import extractor.ingest.docx as docx_ingest
from extractor.ingest.docx import DocxReadError, read_docx
from extractor.model import Block, Table
from tests.paths import SAMPLE_DOCS, absent

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# a two-level list like bexley's: "1)" then "a)" restarting under each number; a second list "%1.%2."
NUMBERING = f"""
<w:numbering xmlns:w="{W_NS}">
  <w:abstractNum w:abstractNumId="10">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="11">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#8226;"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="12">
    <w:lvl w:ilvl="0"><w:start w:val="2"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/>
      <w:lvlRestart w:val="0"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="11"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="12"/></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="10"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
</w:numbering>
"""


def make_docx(tmp_path: Path, body: str, name: str = "t.docx", numbering: Optional[str] = NUMBERING,
              final_sect: Optional[str] = None, setup=None) -> str:
    """A .docx whose body is `body` (WordprocessingML fragments, w: prefix) before the final sectPr."""
    doc = Document()
    if setup:
        setup(doc)
    body_el = doc.element.body
    sect = body_el.find(f"{{{W_NS}}}sectPr")
    for child in list(body_el):
        if child is not sect:
            body_el.remove(child)
    for child in parse_xml(f'<w:body xmlns:w="{W_NS}">{body}</w:body>'):
        sect.addprevious(child)
    if final_sect is not None:
        body_el.replace(sect, parse_xml(f'<w:sectPr xmlns:w="{W_NS}">{final_sect}</w:sectPr>'))
    if numbering is not None:
        part = doc.part.part_related_by(RT.NUMBERING)
        part._element = parse_xml(numbering)
    path = tmp_path / name
    doc.save(str(path))
    return str(path)


def p(text: str, style: str = "", num: Optional[tuple[int, int]] = None, ppr: str = "", rpr: str = "",
      pre: str = "") -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + \
            (f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else "") + ppr
    run = (f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}{pre}<w:t xml:space="preserve">{text}</w:t></w:r>'
           if text or pre else "")
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{run}</w:p>"


def tc(*paras: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paras) or '<w:p/>'}</w:tc>"


def tbl(rows: list[str], cols: int, tblpr: str = '<w:tblStyle w:val="TableGrid"/>') -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(cols))
    return f"<w:tbl><w:tblPr>{tblpr}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def tr(*cells: str, trpr: str = "") -> str:
    return f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{''.join(cells)}</w:tr>"


# --------------------------------------------------------------------------- tables

def test_grid_span_vmerge_and_grid_before(tmp_path):
    body = tbl([
        tr(tc(p("Goal")), tc(p("Action")), tc(p("Owner")), trpr='<w:tblHeader w:val="true"/>'),
        tr(tc(p("Group row"), props='<w:gridSpan w:val="3"/>')),
        tr(tc(p("Goal A"), props='<w:vMerge w:val="restart"/>'), tc(p("act 1")), tc(p("AO"))),
        tr(tc(p(""), props="<w:vMerge/>"), tc(p("act 2")), tc(p("CFO"))),
        tr(tc(p(""), props='<w:vMerge w:val="continue"/>'), tc(p("act 3")), tc(p("DSP"))),
        tr(tc(p("Goal B")), tc(p("act 4")), tc(p("AO"))),
        tr(tc(p("shifted")), trpr='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
    ], 3)
    doc = read_docx(make_docx(tmp_path, body))
    (table,) = doc.tables
    assert table.n_cols == 3 and table.index == 0 and table.ruled
    assert [r.index for r in table.rows] == list(range(7))
    group = table.rows[1].cells
    assert len(group) == 1 and group[0].colspan == 3 and group[0].text == "Group row"
    goal = table.rows[2].cells[0]
    assert goal.rowspan == 3 and not goal.covered and goal.text == "Goal A"
    for r in (3, 4):
        first = table.rows[r].cells[0]
        assert first.covered and first.text == "" and first.col == 0
        assert table.rows[r].cell_at(1).text == f"act {r - 1}"
    assert table.rows[5].cells[0].rowspan == 1 and table.rows[5].cells[0].text == "Goal B"
    shifted = table.rows[6].cells
    assert [(c.col, c.text) for c in shifted] == [(1, "shifted")]


def test_vmerge_continue_without_restart_is_a_plain_cell(tmp_path):
    body = tbl([tr(tc(p("a")), tc(p("b"))), tr(tc(p("orphan"), props="<w:vMerge/>"), tc(p("c")))], 2)
    (table,) = read_docx(make_docx(tmp_path, body)).tables
    assert table.rows[1].cells[0].text == "orphan" and not table.rows[1].cells[0].covered
    assert table.rows[0].cells[0].rowspan == 1


def test_shading_fill_normalised(tmp_path):
    fills = [
        '<w:shd w:val="clear" w:color="auto" w:fill="00b050"/>',  # lower case -> upper
        '<w:shd w:val="clear" w:color="auto" w:fill="auto"/>',
        '<w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/>',
        "",
        '<w:shd w:val="solid" w:color="FFC000" w:fill="auto"/>',  # solid pattern: the colour shows
        '<w:shd w:val="clear" w:color="auto" w:fill="#0070C0"/>',
        '<w:shd w:val="clear" w:color="auto" w:fill="red"/>',  # not hex: ignored
    ]
    body = tbl([tr(*[tc(p(str(i)), props=f) for i, f in enumerate(fills)])], len(fills))
    (table,) = read_docx(make_docx(tmp_path, body)).tables
    assert [c.fill for c in table.rows[0].cells] == ["00B050", "", "", "", "FFC000", "0070C0", ""]


def test_table_header_rows(tmp_path):
    body = tbl([
        tr(tc(p("H1")), trpr="<w:tblHeader/>"),
        tr(tc(p("H2")), trpr='<w:tblHeader w:val="1"/>'),
        tr(tc(p("body")), trpr='<w:tblHeader w:val="false"/>'),
        tr(tc(p("body2"))),
    ], 1)
    (table,) = read_docx(make_docx(tmp_path, body)).tables
    assert [r.is_header for r in table.rows] == [True, True, False, False]


def test_bullets_in_cells_stripped_and_numbering_prefixed(tmp_path):
    body = tbl([tr(tc(
        p("Review strategy"),
        p("auto bullet", num=(2, 0)),
        p("• typed bullet"),
        p("- dash item"),
        p("\uf0b7 symbol bullet"),
        p(""),  # empty paragraphs are dropped
        p("first point", num=(1, 1)),
        p("second point", num=(1, 1)),
        p("line one", pre="<w:t>soft</w:t><w:br/>"),
    ))], 1)
    (table,) = read_docx(make_docx(tmp_path, body)).tables
    cell = table.rows[0].cells[0]
    assert cell.paragraphs == ["Review strategy", "auto bullet", "typed bullet", "dash item", "symbol bullet",
                               "a) first point", "b) second point", "soft", "line one"]
    assert cell.text == "\n".join(cell.paragraphs)


def test_nested_table_text_goes_into_parent_cell(tmp_path):
    inner = tbl([tr(tc(p("inner 1")), tc(p("inner 2")))], 2)
    body = tbl([tr(tc(p("outer"), inner, p("after")), tc(p("x")))], 2) + p("tail")
    doc = read_docx(make_docx(tmp_path, body))
    assert len(doc.tables) == 1
    assert doc.tables[0].rows[0].cells[0].paragraphs == ["outer", "inner 1", "inner 2", "after"]
    assert [b.text for b in doc.blocks] == ["tail"]


def test_unbordered_table_is_not_ruled(tmp_path):
    plain = tbl([tr(tc(p("a")), tc(p("b")))], 2, tblpr="")
    nil = tbl([tr(tc(p("a")), tc(p("b")))], 2, tblpr='<w:tblStyle w:val="TableGrid"/><w:tblBorders>'
              + "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
              + "</w:tblBorders>")
    boxed = tbl([tr(tc(p("a")), tc(p("b")))], 2, tblpr='<w:tblBorders><w:top w:val="single" w:sz="4"/></w:tblBorders>')
    doc = read_docx(make_docx(tmp_path, plain + p("x") + nil + p("y") + boxed))
    assert [t.ruled for t in doc.tables] == [False, False, True]
    assert [t.index for t in doc.tables] == [0, 1, 2]


def test_one_bad_table_is_skipped_with_a_warning(tmp_path, monkeypatch):
    real = docx_ingest._fill

    def flaky(tcpr):
        if tcpr is not None and tcpr.find(f"{{{W_NS}}}noWrap") is not None:
            raise RuntimeError("boom")
        return real(tcpr)

    monkeypatch.setattr(docx_ingest, "_fill", flaky)
    body = tbl([tr(tc(p("bad"), props="<w:noWrap/>"))], 1) + p("between") + tbl([tr(tc(p("good")))], 1)
    doc = read_docx(make_docx(tmp_path, body))
    assert [t.rows[0].cells[0].text for t in doc.tables] == ["good"]
    assert doc.tables[0].index == 0  # indices number the tables emitted
    assert len(doc.warnings) == 1 and "boom" in doc.warnings[0]


# --------------------------------------------------------------------------- blocks and lists

def test_auto_numbering_labels_and_restarts(tmp_path):
    body = "".join([
        p("Clinical leads", num=(1, 0)),
        p("workshops", num=(1, 1)),
        p("systems thinking", num=(1, 1)),
        p("Primary care", num=(1, 0)),
        p("GP events", num=(1, 0)),
        p("two-way", num=(1, 1)),  # restarts at a)
        p("Plain text between"),
        p("continues", num=(1, 0)),  # same numId: the list continues
        p("restarted list", num=(4, 0)),  # startOverride 7
        p("legal", num=(3, 0)),
        p("legal sub", num=(3, 1)),
        p("legal sub 2", num=(3, 1)),
        p("roman", num=(3, 2)),
        p("legal top", num=(3, 0)),
        p("roman kept", num=(3, 2)),  # lvlRestart 0: never restarts
        p("bullet", num=(2, 0)),
        p("sub bullet", num=(2, 1)),
        p("", num=(1, 0)),  # empty numbered paragraph: no block, but it still counts
        p("after empty", num=(1, 0)),
    ])
    blocks = read_docx(make_docx(tmp_path, body)).blocks
    got = [(b.list_label, b.level, b.text) for b in blocks if b.kind == "list_item"]
    assert got == [
        ("1)", 0, "Clinical leads"), ("a)", 1, "workshops"), ("b)", 1, "systems thinking"),
        ("2)", 0, "Primary care"), ("3)", 0, "GP events"), ("a)", 1, "two-way"),
        ("4)", 0, "continues"), ("7)", 0, "restarted list"),
        ("2.", 0, "legal"), ("2.1.", 1, "legal sub"), ("2.2.", 1, "legal sub 2"), ("(i)", 2, "roman"),
        ("3.", 0, "legal top"), ("(ii)", 2, "roman kept"),
        ("•", 0, "bullet"), ("•", 1, "sub bullet"),
        ("6)", 0, "after empty"),
    ]
    assert [b.kind for b in blocks if b.text == "Plain text between"] == ["paragraph"]


def test_numbering_via_paragraph_style(tmp_path):
    def setup(doc):
        style = doc.styles["List Number"]
        ppr = style.element.get_or_add_pPr()
        for old in ppr.findall(f"{{{W_NS}}}numPr"):
            ppr.remove(old)
        ppr.insert(0, parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:numId w:val="1"/></w:numPr>'))
    body = p("one", style="ListNumber") + p("two", style="ListNumber") + \
        p("sub", style="ListNumber", ppr='<w:numPr><w:ilvl w:val="1"/></w:numPr>') + \
        p("not numbered", style="ListNumber", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>')
    blocks = read_docx(make_docx(tmp_path, body, setup=setup)).blocks
    assert [(b.kind, b.list_label, b.style) for b in blocks] == [
        ("list_item", "1)", "List Number"), ("list_item", "2)", "List Number"), ("list_item", "a)", "List Number"),
        ("paragraph", "", "List Number")]


def test_headings_levels_and_typed_bullets(tmp_path):
    body = "".join([
        p("Plan title", style="Title"),
        p("Introduction", style="Heading1"),
        p("Context", style="Heading2"),
        p("Detail", style="Heading3"),
        p("Outline heading", ppr='<w:outlineLvl w:val="1"/>'),
        p("Body outline", style="Heading1", ppr='<w:outlineLvl w:val="9"/>'),
        p("Normal text"),
        p("• typed bullet item"),
    ])
    blocks = read_docx(make_docx(tmp_path, body)).blocks
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("heading", 1, "Plan title"), ("heading", 1, "Introduction"), ("heading", 2, "Context"),
        ("heading", 3, "Detail"), ("heading", 2, "Outline heading"), ("heading", 1, "Body outline"),
        ("paragraph", 0, "Normal text"), ("list_item", 0, "typed bullet item")]
    assert blocks[1].style == "Heading 1" and blocks[6].style == "Normal"
    assert blocks[7].list_label == "•"


def test_bold_and_font_size(tmp_path):
    body = "".join([
        p("All bold", rpr='<w:b/><w:sz w:val="28"/>'),
        '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>half </w:t></w:r><w:r><w:t>plain</w:t></w:r></w:p>',
        '<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>bold</w:t></w:r><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>',
        p("Style bold", style="Heading1"),
        p("not bold", rpr='<w:b w:val="0"/>', style="Heading1"),
    ])
    blocks = read_docx(make_docx(tmp_path, body)).blocks
    assert [b.bold for b in blocks] == [True, False, True, True, False]
    assert blocks[0].font_size == 14.0
    assert blocks[3].font_size > 0


def test_hidden_deleted_and_header_footer_text_excluded(tmp_path):
    def setup(doc):
        doc.sections[0].header.paragraphs[0].text = "RUNNING HEADER"
        doc.sections[0].footer.paragraphs[0].text = "Page 1 of 9"
    body = ('<w:p><w:r><w:t xml:space="preserve">kept </w:t></w:r>'
            '<w:del w:id="1" w:author="x"><w:r><w:delText>deleted</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="x"><w:r><w:t>inserted</w:t></w:r></w:ins>'
            '<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r>'
            '<w:hyperlink><w:r><w:t xml:space="preserve"> link</w:t></w:r></w:hyperlink></w:p>')
    doc = read_docx(make_docx(tmp_path, body, setup=setup))
    assert [b.text for b in doc.blocks] == ["kept inserted link"]
    assert all("RUNNING" not in line and "Page 1" not in line for line in doc.first_page_lines)


def test_reading_order_with_content_controls(tmp_path):
    body = "".join([
        p("Intro"),
        tbl([tr(tc(p("t0")))], 1),
        f'<w:sdt><w:sdtPr/><w:sdtContent>{p("inside control")}{tbl([tr(tc(p("t1")))], 1)}</w:sdtContent></w:sdt>',
        p("Outro"),
    ])
    items = read_docx(make_docx(tmp_path, body)).items
    desc = [i.text if isinstance(i, Block) else f"T{i.index}:{i.rows[0].cells[0].text}" for i in items]
    assert desc == ["Intro", "T0:t0", "inside control", "T1:t1", "Outro"]


# --------------------------------------------------------------------------- pages

PORTRAIT = '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"/>'
LANDSCAPE = ('<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
             '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"/>')


def test_landscape_section_page_size(tmp_path):
    body = (p("portrait text") + p("", ppr=f"<w:sectPr>{PORTRAIT}</w:sectPr>")
            + p("landscape heading", style="Heading1") + tbl([tr(tc(p("row")))], 1))
    doc = read_docx(make_docx(tmp_path, body, final_sect=LANDSCAPE))
    assert [(pg.number, pg.width, pg.height, pg.landscape) for pg in doc.pages] == [
        (1, 595.3, 841.9, False), (2, 841.9, 595.3, True)]
    assert [b.page for b in doc.blocks] == [1, 2]
    assert (doc.tables[0].page_first, doc.tables[0].page_last, doc.tables[0].rows[0].page) == (2, 2, 2)
    assert doc.tables[0].rows[0].cells[0].page == 2


def test_continuous_section_does_not_break_the_page(tmp_path):
    body = p("a") + p("", ppr=f"<w:sectPr>{PORTRAIT}</w:sectPr>") + p("b")
    doc = read_docx(make_docx(tmp_path, body, final_sect='<w:type w:val="continuous"/>' + PORTRAIT))
    assert [b.page for b in doc.blocks] == [1, 1] and len(doc.pages) == 1


def test_page_break_counting(tmp_path):
    brk = '<w:r><w:br w:type="page"/></w:r>'
    body = "".join([
        p("cover"),
        f"<w:p>{brk}</w:p>",  # page 2
        p("page two"),
        f'<w:p><w:r><w:t>end of two</w:t></w:r>{brk}<w:r><w:t>start of three</w:t></w:r></w:p>',  # page 3
        p("before-break", ppr="<w:pageBreakBefore/>"),  # page 4
        f"<w:p>{brk}</w:p>",  # page 5
        p("after break", ppr="<w:pageBreakBefore/>"),  # still page 5: nothing on it yet
    ])
    doc = read_docx(make_docx(tmp_path, body))
    assert [(b.text, b.page) for b in doc.blocks] == [
        ("cover", 1), ("page two", 2), ("end of two start of three", 2), ("before-break", 4), ("after break", 5)]
    assert len(doc.pages) == 5
    assert doc.first_page_lines == ["cover"]


def test_last_rendered_page_breaks_counted_once(tmp_path):
    lrpb = "<w:lastRenderedPageBreak/>"
    body = "".join([
        p("one"),
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        p("two", pre=lrpb),  # Word's marker after a hard break: same boundary
        p("still two"),
        p("three", pre=lrpb),  # overflow Word recorded
        tbl([tr(tc(p("row on three"))), tr(tc(p("row on four", pre=lrpb)))], 1),
    ])
    doc = read_docx(make_docx(tmp_path, body))
    assert [(b.text, b.page) for b in doc.blocks] == [("one", 1), ("two", 2), ("still two", 2), ("three", 3)]
    table = doc.tables[0]
    assert [r.page for r in table.rows] == [3, 4] and (table.page_first, table.page_last) == (3, 4)
    assert len(doc.pages) == 4


def test_long_text_overflows_to_estimated_pages(tmp_path):
    para = "word " * 120
    doc = read_docx(make_docx(tmp_path, "".join(p(f"{i} {para}") for i in range(40))))
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and 5 <= pages[-1] <= 20
    assert len(doc.pages) == pages[-1]
    assert read_docx(make_docx(tmp_path, "".join(p(f"{i} {para}") for i in range(40)), name="b.docx"),
                     estimate_pages=False).blocks[-1].page == 1


# --------------------------------------------------------------------------- document level

def test_metadata_and_first_page_lines(tmp_path):
    def setup(doc):
        cp = doc.core_properties
        cp.title, cp.author, cp.subject, cp.keywords, cp.category = "OD Plan", "AD of Assurance", "", "OD", ""
    cover = tbl([tr(tc(p("Version:")), tc(p("4.0"))), tr(tc(p("Date:")), tc(p("Jan"), p("2020")))], 2)
    body = p("NHS Example CCG") + cover + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' + p("Introduction")
    doc = read_docx(make_docx(tmp_path, body, setup=setup))
    assert doc.format == "docx" and doc.path.endswith("t.docx")
    assert doc.metadata["title"] == "OD Plan" and doc.metadata["author"] == "AD of Assurance"
    assert "subject" not in doc.metadata and "category" not in doc.metadata
    assert doc.first_page_lines == ["NHS Example CCG", "Version: | 4.0", "Date: | Jan 2020"]


def test_not_a_docx_raises(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 definitely not a zip")
    with pytest.raises(DocxReadError):
        read_docx(str(bad))
    ole = tmp_path / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(docx_ingest.DocxEncrypted):
        read_docx(str(ole))
    assert issubclass(DocxReadError, ValueError)


def test_fifty_pages_ingest_quickly(tmp_path):
    rows = [tr(tc(p(f"{i}.1"), props='<w:vMerge w:val="restart"/>' if i % 3 == 0 else "<w:vMerge/>"),
               tc(p(f"Action {i} " + "text " * 20), p("bullet", num=(2, 0))), tc(p("Dec 2018")))
            for i in range(300)]
    body = "".join(p(f"Paragraph {i} " + "lorem ipsum " * 30) for i in range(400)) + tbl(rows, 3)
    path = make_docx(tmp_path, body)
    start = time.perf_counter()
    doc = read_docx(path)
    elapsed = time.perf_counter() - start
    assert len(doc.pages) >= 40 and len(doc.tables[0].rows) == 300
    assert elapsed < 1.0, elapsed


# --------------------------------------------------------------------------- real samples

def _sample(name: str) -> str:
    path = SAMPLE_DOCS / name
    if not path.is_file():
        pytest.skip(absent(path))
    return str(path)


def test_bexley_automatic_numbering(layout_of):
    doc = layout_of(_sample("bexley-gb-od-plan-2014.docx"))
    assert not doc.warnings
    labels = [b.list_label for b in doc.blocks if b.kind == "list_item" and b.list_label != "•"]
    top = [l for l in labels if l[0].isdigit()]
    assert top == [f"{i})" for i in range(1, 19)]
    assert labels[:4] == ["1)", "a)", "b)", "c)"] and labels.count("a)") == 4 and len(labels) == 36
    first = next(b for b in doc.blocks if b.list_label == "1)")
    assert first.text.startswith("Clinical Leads development programme") and first.level == 0
    assert first.page > 1
    # per-domain tables: vertically merged OD Objective cell over the five training-event rows
    domain1 = next(t for t in doc.tables if t.rows[0].cells[0].text == "OD Objective")
    assert domain1.rows[0].is_header and domain1.rows[1].cells[0].rowspan == 5
    assert [r.cell_at(2).text for r in domain1.rows[1:]] == ["Training events"] * 5
    assert doc.first_page_lines[:3] == ["NHS Bexley Clinical Commissioning Group", "Governing Body (public) meeting",
                                        "DATE: 27 March 2014"]


@pytest.mark.parametrize("name", ["castlepoint-od-strategy-v4.docx", "castlepoint-od-strategy-v3.docx"])
def test_castlepoint_action_tables(layout_of, name):
    doc = layout_of(_sample(name))
    assert not doc.warnings
    actions = [t for t in doc.tables if "Action to deliver" in t.rows[0].texts]
    assert len(actions) == 4 and all(t.rows[0].is_header and t.n_cols == 8 for t in actions)
    assert any(c.rowspan > 1 for t in actions for r in t.rows for c in r.cells)
    fills = Counter(r.cells[-1].fill for t in actions for r in t.rows if len(r.cells) == 8 and not r.is_header)
    assert {"0070C0", "00B050", "FFC000"} <= set(fills)
    group = actions[0].rows[1]
    assert len(group.cells) == 1 and group.cells[0].colspan == 8 and group.cells[0].text == "Governing Body"
    assert all(pg.landscape for pg in doc.pages if pg.number >= actions[0].page_first)
    assert not doc.pages[0].landscape
    assert any(line.startswith("Version: | ") for line in doc.first_page_lines)


def test_castlepoint_v4_rag_counts_match_gold(layout_of):
    doc = layout_of(_sample("castlepoint-od-strategy-v4.docx"))
    rag = Counter(c.fill for t in doc.tables if "RAG" in t.rows[0].texts
                  for r in t.rows if not r.is_header and len(r.cells) == 8 for c in r.cells[-1:])
    assert (rag["0070C0"], rag["00B050"], rag["FFC000"]) == (25, 22, 15)  # README: blue 25, green 22, amber 15


def test_rotherham_appendix_table_and_objectives(layout_of):
    doc = layout_of(_sample("rotherham-od-strategy-2015.docx"))
    assert not doc.warnings
    plan = next(t for t in doc.tables if t.rows[0].texts == ["Ref", "Action", "Timescale"])
    groups = [r for r in plan.rows if len(r.cells) == 1 and r.cells[0].colspan == 3]
    assert len(groups) == 6 and groups[0].cells[0].text.startswith("Leadership & Empowerment")
    l1 = next(r for r in plan.rows if r.cells[0].text == "L1.")
    action = l1.cells[1]
    assert len(action.paragraphs) > 1 and not any(s.startswith(("•", "-")) for s in action.paragraphs)
    narrative = [b for b in doc.blocks if b.text.startswith("L1.")]
    assert narrative and narrative[0].kind == "paragraph"
    assert plan.page_first > 1 and any(pg.landscape for pg in doc.pages)


def test_all_samples_ingest_quickly():
    names = ["bexley-gb-od-plan-2014.docx", "castlepoint-od-strategy-v3.docx",
             "castlepoint-od-strategy-v4.docx", "rotherham-od-strategy-2015.docx"]
    for name in names:
        path = _sample(name)
        start = time.perf_counter()
        doc = read_docx(path)
        assert time.perf_counter() - start < 1.0
        assert doc.pages and all(isinstance(i, (Block, Table)) for i in doc.items)
        assert all(1 <= b.page <= len(doc.pages) for b in doc.blocks)
        assert all(1 <= t.page_first <= t.page_last <= len(doc.pages) for t in doc.tables)
        assert all(len(p_.strip()) > 0 for t in doc.tables for r in t.rows for c in r.cells for p_ in c.paragraphs)


def test_text_box_read_once_after_its_anchor(tmp_path):
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = (f'<mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:drawing><wps:txbx xmlns:wps="{wps}">'
           f'<w:txbxContent>{p("Boxed title")}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>'
           f'<mc:Fallback><w:pict><w:txbxContent>{p("Boxed title")}</w:txbxContent></w:pict></mc:Fallback>'
           "</mc:AlternateContent>")
    body = f'<w:p><w:r><w:t>Anchor</w:t></w:r><w:r>{box}</w:r></w:p>' + p("Next")
    doc = read_docx(make_docx(tmp_path, body))
    assert [b.text for b in doc.blocks] == ["Anchor", "Boxed title", "Next"]
    assert doc.first_page_lines == ["Anchor", "Boxed title", "Next"]
