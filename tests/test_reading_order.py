"""PDF reading order (extractor/ingest/reading_order.py): columns read column by column, paragraphs a page or
column break cut in two joined again, hyphenated line ends rejoined. Small PDFs drawn with reportlab."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.ingest.text import join_lines
from extractor.model import Block

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from extractor.ingest.pdf import read_pdf  # noqa: E402

LOREM = ("The council will publish its spending data every month so that residents can see how their money "
         "is used. Officers will work with partners across the borough to share what they learn and to improve "
         "the services that matter most to local people. ")


def _text(c, x: float, y: float, width: float, text: str, font: str = "Helvetica", size: float = 10,
          leading: float = 12.5) -> float:
    """Draw `text` wrapped to `width` from the top-left (x, y); return the y below it."""
    c.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        c.drawString(x, y, line)
        y -= leading
    return y


def _blocks(path: Path) -> list[Block]:
    return [b for b in read_pdf(str(path)).items if isinstance(b, Block)]


def _two_column_pdf(path: Path) -> None:
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(50, height - 60, "Open data: our approach")
    y = _text(c, 50, height - 90, 495, "This opening paragraph runs across the whole page before the columns "
              "begin, and it says what the section is about.")
    top = y - 14
    left_y = _text(c, 50, top, 230, "LEFT ONE. " + LOREM * 2)
    _text(c, 50, left_y - 8, 230, "LEFT TWO. " + LOREM + "This last paragraph of the left column carries on")
    right_y = _text(c, 310, top, 235, "at the top of the right column, where it ends. " + LOREM)
    bottom = _text(c, 310, right_y - 8, 235, "RIGHT TWO. " + LOREM)
    _text(c, 50, min(bottom, left_y - 140) - 20, 495, "CLOSING. A closing paragraph across the full width of "
          "the page again, after both columns.")
    c.save()


def test_two_columns_are_read_column_by_column(tmp_path):
    path = tmp_path / "columns.pdf"
    _two_column_pdf(path)
    texts = [b.text for b in _blocks(path)]
    order = [next(i for i, t in enumerate(texts) if t.startswith(key)) for key in
             ("Open data", "This opening", "LEFT ONE", "LEFT TWO", "RIGHT TWO", "CLOSING")]
    assert order == sorted(order), texts
    left_two = next(t for t in texts if t.startswith("LEFT TWO"))
    assert left_two.endswith("carries on at the top of the right column, where it ends. " + LOREM.strip())
    assert not any(t.startswith("at the top of the right column") for t in texts)


def test_labels_beside_values_are_not_columns(tmp_path):
    """A key-value layout (short labels, long values) keeps each label with its value."""
    path = tmp_path / "cover.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    y = A4[1] - 80
    for label, value in [("Author", "Head of Corporate Affairs and Governance Services"),
                         ("Presented by", "Director of Corporate Services for the Governing Body"),
                         ("Purpose", "For approval by the Governing Body at its meeting in public"),
                         ("Date", "September 2021, second meeting of the autumn cycle of meetings")]:
        c.setFont("Helvetica", 10)
        c.drawString(50, y, label)
        c.drawString(200, y, value)
        y -= 16
    c.save()
    texts = " | ".join(b.text for b in _blocks(path))
    assert "Author Head of Corporate Affairs" in texts and "Date September 2021" in texts


def test_paragraph_cut_by_a_page_break_is_one_block(tmp_path):
    path = tmp_path / "pages.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _text(c, 50, 80, 495, "1) Develop a training programme for senior leaders of the organisation, built on")
    c.showPage()
    _text(c, 50, A4[1] - 60, 495, "what staff told us in the survey, by March 2025.")
    _text(c, 50, A4[1] - 90, 495, "A new paragraph starts here.")
    c.save()
    texts = [b.text for b in _blocks(path)]
    assert texts[0] == ("1) Develop a training programme for senior leaders of the organisation, built on what "
                        "staff told us in the survey, by March 2025.")
    assert texts[1] == "A new paragraph starts here."


def test_a_paragraph_that_ends_before_the_break_stays_apart(tmp_path):
    path = tmp_path / "pages.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    _text(c, 50, 80, 495, "The plan was agreed by the Board in March.")
    c.showPage()
    _text(c, 50, A4[1] - 60, 495, "progress is reported every quarter.")
    c.save()
    assert len(_blocks(path)) == 2


def test_bold_bullet_item_with_a_regular_glyph_is_one_block(tmp_path):
    path = tmp_path / "bullet.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(50, 700, "\u2022")
    _text(c, 68, 700, 300, "working with others in government and civil society to identify suitable projects "
          "for the initiative in the UK", font="Helvetica-Bold")
    c.save()
    blocks = _blocks(path)
    assert len(blocks) == 1 and blocks[0].kind == "list_item"
    assert blocks[0].text.endswith("suitable projects for the initiative in the UK")


def test_hyphenated_line_end_is_rejoined_in_a_pdf(tmp_path):
    path = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    for i, line in enumerate(["Each team completes an annual self-", "assessment and a cross-", "government review "
                              "– then reports."]):
        c.drawString(50, 700 - 12.5 * i, line)
    c.save()
    assert _blocks(path)[0].text == ("Each team completes an annual self-assessment and a cross-government "
                                     "review – then reports.")


@pytest.mark.parametrize("lines, joined", [
    (["an annual self-", "assessment"], "an annual self-assessment"),
    (["develop\u00ad", "ment of staff"], "development of staff"),
    (["costs rose –", "sharply"], "costs rose – sharply"),
    (["see page 4-", "5 of the plan"], "see page 4- 5 of the plan"),
    (["NHS-", "England"], "NHS- England"),
    (["", "  one  ", "two"], "one two"),
])
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="ab -\u00adC.", max_size=12), max_size=6))
def test_join_lines_keeps_every_visible_character(lines):
    out = join_lines(lines)
    visible = lambda s: re.sub(r"[\s\u00ad]", "", s)  # noqa: E731
    assert visible(out) == visible("".join(lines))
    assert out == out.strip()
