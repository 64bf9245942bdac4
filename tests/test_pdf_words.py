"""PDF words (ingest/words.py) are exactly pdfplumber's extract_words(extra_attrs=["fontname", "size"],
x_tolerance_ratio=...): on random characters and on every page of the real PDFs."""
from __future__ import annotations

import json

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.ingest.words import extract_words
from tests.paths import REALWORLD, ROOT, SAMPLE_DOCS, absent

GAP_EM = 0.2


def plumbers(chars: list[dict], gap_em: float) -> list[tuple]:
    words = pdfplumber.utils.extract_words(chars, extra_attrs=["fontname", "size"], use_text_flow=False,
                                           keep_blank_chars=False, x_tolerance_ratio=gap_em)
    return [(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["fontname"], w["size"]) for w in words]


# positions on a coarse lattice (ties, exact tolerances, overlaps), texts with blanks, empty texts and ligatures
position = st.integers(0, 60).map(lambda v: v * 0.75)
width = st.sampled_from([0.0, 0.75, 1.5, 3.0, 6.0])


@st.composite
def chars(draw):
    x0, top, w, h = draw(position), draw(position), draw(width), draw(st.sampled_from([3.0, 6.0, 9.0]))
    return {"text": draw(st.sampled_from(["a", "b", "1", " ", "\xa0", "", "ﬁ", "ﬀ", "."])),
            "x0": x0, "x1": x0 + w, "top": top, "bottom": top + h, "doctop": top + 800.0,
            "upright": draw(st.booleans()), "fontname": draw(st.sampled_from(["F1", "F2-Bold"])),
            "size": draw(st.sampled_from([6.0, 10.0, 12.0])), "height": h, "width": w}


@settings(max_examples=500, deadline=None)
@given(st.lists(chars(), max_size=40), st.sampled_from([0.0, 0.1, 0.2, 0.5]))
def test_words_are_pdfplumbers(page_chars, gap_em):
    assert extract_words(page_chars, gap_em) == plumbers(page_chars, gap_em)


def test_a_font_change_a_gap_and_a_blank_end_words():
    def char(text, x0, font="F1", top=10.0):
        return {"text": text, "x0": x0, "x1": x0 + 5.0, "top": top, "bottom": top + 10.0, "doctop": top,
                "upright": True, "fontname": font, "size": 10.0}

    line = [char("A", 0), char("b", 5), char("c", 10, "F2"), char("d", 18), char(" ", 23), char("e", 28),
            char("f", 33, top=20.0)]
    assert [w[0] for w in extract_words(line, GAP_EM)] == ["Ab", "c", "d", "e", "f"]
    assert extract_words(line, GAP_EM) == plumbers(line, GAP_EM)


def test_every_page_of_the_real_pdfs():
    folders = [SAMPLE_DOCS, REALWORLD / "action-plans" / "docs", REALWORLD / "pdfplumber-tests"]
    if not any(f.is_dir() for f in folders):
        pytest.skip(absent(REALWORLD))
    heldout = set(json.loads((ROOT / "tests" / "realworld_gold" / "split.json").read_text())["heldout"])
    pages = 0
    for path in (p for f in folders if f.is_dir() for p in sorted(f.glob("*.pdf")) if p.stem not in heldout):
        try:
            pdf = pdfplumber.open(path)
            numbered = pdf.pages
        except Exception:  # unreadable and encrypted files have no pages to compare
            continue
        with pdf:
            for page in numbered:
                try:
                    page_chars = page.chars
                except Exception:
                    continue
                assert extract_words(page_chars, GAP_EM) == plumbers(page_chars, GAP_EM), (path.name, page.page_number)
                pages += 1
    assert pages > 100
