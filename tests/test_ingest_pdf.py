"""PDF ingest on small PDFs drawn with reportlab: ruled cells and fills, borderless columns, furniture."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from extractor.ingest.pdf import read_pdf  # noqa: E402
from extractor.model import Block, Table  # noqa: E402
from extractor.tables.borderless import find_tables  # noqa: E402
from extractor.tables.rows import rows_of  # noqa: E402
from extractor.tables.stitch import find_plans  # noqa: E402


def _furniture(c, page: int, total: int, width: float, height: float) -> None:
    c.setFont("Helvetica", 8)
    c.drawString(40, height - 25, "Eastmoor Borough Council | Improvement Plan 2021")
    c.drawString(width - 100, 20, f"Page {page} of {total}")


def _ruled_pdf(path: Path) -> None:
    width, height = landscape(A4)
    c = canvas.Canvas(str(path), pagesize=(width, height), invariant=1)
    cols = [40, 90, 400, 500, 600, 700, 780]
    header = ["No.", "Action", "Lead", "Deadline", "Update", "RAG"]
    rows = [["1.1", "Publish the workforce plan", "HR Director", "Mar-21", "Complete", "B", "0070C0"],
            ["1.2", "Recruit two data analysts", "CIO", "Q3 2020/21", "Slipped to Q4", "R", "FF0000"]]
    _furniture(c, 1, 1, width, height)
    top = height - 80
    c.setFont("Helvetica-Bold", 9)
    for x, text in zip(cols, header):
        c.drawString(x + 3, top - 12, text)
    c.setFont("Helvetica", 9)
    for r, row in enumerate(rows):
        y = top - 20 * (r + 1)
        c.setFillColor(f"#{row[6]}")
        c.rect(cols[5], y - 20, cols[6] - cols[5], 20, stroke=0, fill=1)
        c.setFillColor("black")
        for x, text in zip(cols, row[:6]):
            c.drawString(x + 3, y - 12, text)
    bottom = top - 20 * (len(rows) + 1)
    for y in [top - 20 * i for i in range(len(rows) + 2)]:
        c.line(cols[0], y, cols[-1], y)
    for x in cols:
        c.line(x, top, x, bottom)
    c.save()


def _borderless_pdf(path: Path) -> None:
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in (1, 2):
        _furniture(c, page, 2, width, height)
        y = height - 70
        if page == 1:
            c.setFont("Helvetica-Bold", 14)
            c.drawString(40, y, "Progress against the plan")
            y -= 30
        c.setFont("Helvetica-Bold", 8.5)
        for x, label in [(40, "Ref"), (70, "Action"), (260, "Responsible officer"), (343, "Target date"),
                         (420, "Progress")]:
            c.drawString(x, y, label)
        y -= 16
        body = ([("bold", "Front door and early help"),
                 ("A1", "Develop a sufficiency strategy", "Head of Service", "Q4 2021/22", "Underway"),
                 ("", "for disabled children", "", "", ""),
                 ("A2", "Review thresholds", "Principal Social", "Dec 2021", "Not started")]
                if page == 1 else
                [("bold", "Quality of practice"),
                 ("B1", "Reduce caseloads", "Head of Service", "January 2022", "Completed")])
        for row in body:
            if row[0] == "bold":
                c.setFont("Helvetica-Bold", 9)
                c.drawString(40, y, row[1])
            else:
                c.setFont("Helvetica", 8.5)
                for x, text in zip((40, 70, 260, 343, 420), row):
                    if text:
                        c.drawString(x, y, text)
            y -= 12 if row[0] == "" or row[0] == "bold" else 14
        c.showPage()
    c.save()


def test_ruled_table_cells_fills_and_furniture(tmp_path):
    path = tmp_path / "ruled.pdf"
    _ruled_pdf(path)
    doc = read_pdf(str(path), line_tables=find_tables)
    assert len(doc.tables) == 1
    rows = rows_of(find_plans(doc.items).plans[0])
    assert [r.fields["text"] for r in rows] == ["Publish the workforce plan", "Recruit two data analysts"]
    assert [r.fills["rag"] for r in rows] == ["0070C0", "FF0000"]
    texts = " ".join(b.text for b in doc.items if isinstance(b, Block))
    assert "Page 1 of 1" not in texts


def test_borderless_table_columns_group_rows_and_page_continuation(tmp_path):
    path = tmp_path / "borderless.pdf"
    _borderless_pdf(path)
    doc = read_pdf(str(path), line_tables=find_tables)
    tables = [t for t in doc.items if isinstance(t, Table)]
    assert tables and all(not t.ruled for t in tables)
    segs = find_plans(doc.items).plans
    assert len(segs) == 1  # the page-2 segment repeats the header: stitched
    v = segs[0].verdict
    assert {v.header.texts[c]: f for c, f in v.columns.items()} == {
        "Ref": "ref", "Action": "text", "Responsible officer": "owner", "Target date": "due", "Progress": "progress"}
    rows = rows_of(segs[0])
    assert [(r.fields["ref"], r.section) for r in rows] == [
        ("A1", "Front door and early help"), ("A2", "Front door and early help"), ("B1", "Quality of practice")]
    assert rows[0].fields["text"].replace("\n", " ") == "Develop a sufficiency strategy for disabled children"
    assert rows[2].page_first == 2
    headings = [b.text for b in doc.items if isinstance(b, Block) and b.kind == "heading"]
    assert headings == ["Progress against the plan"]


def _words_without_space_glyphs(path: Path, words: list[str], size: float, gap_em: float) -> None:
    """Words placed one by one with a gap and no space characters (as cairo and some print drivers write)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    x = 72.0
    for w in words:
        c.setFont("Helvetica", size)
        c.drawString(x, 700, w)
        x += c.stringWidth(w, "Helvetica", size) + gap_em * size
    c.save()


@pytest.mark.parametrize("size", [8.5, 10.5, 12.0])
def test_words_are_split_at_gaps_relative_to_the_font_size(tmp_path, size):
    words = ["Enrich", "the", "locality", "model", "to", "further", "support", "practices"]
    path = tmp_path / "nospaces.pdf"
    _words_without_space_glyphs(path, words, size, gap_em=0.27)  # about a space's width
    doc = read_pdf(str(path), line_tables=find_tables)
    text = " ".join(b.text for b in doc.items if isinstance(b, Block))
    assert text.split() == words


def test_letters_of_one_word_stay_together(tmp_path):
    path = tmp_path / "tight.pdf"
    _words_without_space_glyphs(path, list("Strategy"), 10.5, gap_em=0.05)  # tight letter spacing
    doc = read_pdf(str(path), line_tables=find_tables)
    assert [b.text for b in doc.items if isinstance(b, Block)] == ["Strategy"]


def test_a_header_label_with_a_full_stop_is_still_a_label():
    """"No." heads a ref column; a header line whose labels end in full stops because they are sentences is
    not a header."""
    from extractor.model import Word
    from extractor.tables.borderless import _as_header

    def groups(*labels):
        out, x = [], 40.0
        for label in labels:
            ws = []
            for t in label.split():
                ws.append(Word(t, x, x + 6 * len(t), 100, 109, True, 9))
                x += 6 * len(t) + 3
            out.append(ws)
            x += 40
        return out
    assert _as_header(groups("No.", "By whom", "Activity", "Due")) is not None
    assert _as_header(groups("We met.", "Owner agreed.", "Action taken.", "Due soon.")) is None
