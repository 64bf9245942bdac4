"""OCR of PDF pages without a text layer (--ocr; extractor/ingest/ocr.py and scan.py).

Unit tests on images drawn here (rulings, fills, dark header rows) and on Tesseract's TSV; end to end on a
scanned rendering of a shared sample plan, made on the fly (tests/scans.py), scored against the sample's gold;
failures with stand-in Tesseract programs (missing, failing, hanging). Real-Tesseract cases skip without it."""
from __future__ import annotations

import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from extractor.ingest import ocr, scan
from extractor.pipeline import process_file
from extractor.settings import Settings, use
from tests.conftest import load_gold
from tests.scans import make_scanned_pdf
from tests.scoring import f1, match

TESSERACT = ocr.tesseract_program()
needs_tesseract = pytest.mark.skipif(TESSERACT is None, reason="Tesseract (tesseract-ocr) is not installed")
OCR_ON = Settings.load(ocr={"enabled": True})


# --------------------------------------------------------------------------- the image

def page(h: int = 600, w: int = 800) -> np.ndarray:
    return np.full((h, w, 3), 255, dtype=np.uint8)


def test_rulings_are_long_thin_dark_runs_and_text_is_not():
    img = page()
    img[100:102, 50:750] = 0  # two horizontal rulings
    img[300:303, 50:750] = 30
    img[100:303, 50:52] = 0  # three vertical ones
    img[100:303, 400:402] = 0
    img[100:303, 748:750] = 0
    img[150:160, 100:108] = 0  # "letters": short strokes
    img[150:160, 112:140] = 0
    img[400:402, 300:330] = 0  # a short dash (0.3 inch at 100 dpi): not a ruling
    horizontal, vertical = scan.find_rulings(scan.brightest_channel(img), 100)
    assert sorted((s.y0 // 2, s.x0 // 4, s.x1 // 4) for s in horizontal) == [(50, 12, 187), (150, 12, 187)]
    assert sorted(s.x0 // 2 for s in vertical) == [25, 200, 374]
    assert all(s.y0 <= 101 and s.y1 >= 300 for s in vertical)


def test_coloured_fills_are_not_rulings_but_are_cell_colours():
    img = page()
    img[100:200, 100:300] = (0, 176, 80)  # a green RAG cell
    img[100:200, 300:500] = (255, 192, 0)  # amber
    img[140:150, 320:330] = 0  # a little text in the amber cell
    horizontal, vertical = scan.find_rulings(scan.brightest_channel(img), 100)
    assert horizontal == [] and vertical == []
    assert scan.cell_fill(img, (100, 100, 300, 200)) == "00B050"
    assert scan.cell_fill(img, (300, 100, 500, 200)) == "FFC000"
    assert scan.cell_fill(img, (500, 100, 700, 200)) == ""  # white: no fill


def test_dark_header_cells_are_inverted_for_tesseract_and_get_their_column_rulings():
    img = page()
    for y in (100, 130, 200):
        img[y:y + 2, 50:750] = 0
    img[130:202, 400:402] = 0  # the body's column ruling stops at the dark header row
    for x in (50, 748):
        img[100:202, x:x + 2] = 0
    img[102:130, 52:748] = (5, 99, 193)  # a blue header row
    img[110:120, 60:90] = 255  # white header text
    gray = scan.luminance(img)
    horizontal, vertical = scan.find_rulings(scan.brightest_channel(img), 100)
    inverted = scan.invert_dark_cells(gray, horizontal, vertical, 100)
    assert inverted[115, 70] < 60 and inverted[105, 300] > 150  # dark text on a light ground now
    assert inverted[160, 300] == gray[160, 300]  # the body is untouched
    with_header = scan.split_dark_rows(vertical, horizontal, img, lambda x, a, b: False, 100)
    assert any(s.x0 // 2 == 200 and s.y0 <= 102 and s.y1 >= 129 for s in with_header)
    spanning = scan.split_dark_rows(vertical, horizontal, img, lambda x, a, b: True, 100)  # text runs across
    assert len(spanning) == len(vertical)


TSV = """level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t
4\t1\t1\t1\t1\t0\t300\t300\t900\t60\t-1\t
5\t1\t1\t1\t1\t1\t300\t300\t200\t42\t96.1\tAction
5\t1\t1\t1\t1\t2\t520\t312\t100\t30\t95.0\tsum
5\t1\t1\t1\t1\t3\t640\t300\t220\t54\t91.0\tplanning
5\t1\t1\t1\t1\t4\t900\t300\t8\t60\t12.0\t|
"""


def test_tesseract_words_become_words_in_points_with_a_size_per_line():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(TSV), delimiter="\t"))
    words, confidences = ocr._words(rows, scale=72 / 300)
    assert [w.text for w in words] == ["Action", "sum", "planning"]  # the low-confidence bar is a ruling remnant
    assert words[0].x0 == pytest.approx(72.0) and words[0].bottom == pytest.approx(342 * 72 / 300)
    assert len({w.size for w in words}) == 1 and 13 <= words[0].size <= 15  # 42 px of cap height at 300 dpi
    assert confidences == [96.1, 95.0, 91.0]


def test_a_page_needs_ocr_when_it_has_no_text_layer():
    class P:
        width, height = 600.0, 800.0

        def __init__(self, chars, images):
            self.chars, self.images = chars, images

    full = [{"x0": 0, "x1": 600, "top": 0, "bottom": 800}]
    assert ocr.needs_ocr(P([], []))
    assert ocr.needs_ocr(P([{}] * 5, full))  # a scanner's stamp over a page image
    assert not ocr.needs_ocr(P([{}] * 5, []))
    assert not ocr.needs_ocr(P([{}] * 400, full))


def test_ocr_settings_change_the_cache_key():
    assert Settings().fingerprint() != OCR_ON.fingerprint()


# --------------------------------------------------------------------------- stand-in Tesseract programs

def fake_tesseract(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-tesseract"
    script.write_text("#!/bin/sh\n"
                      "if [ \"$1\" = --list-langs ]; then\n"
                      "  echo 'List of available languages (1):'; echo eng; exit 0\n"
                      "fi\n"
                      + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.fixture(scope="module")
def scanned_one_page(tmp_path_factory) -> Path:
    from tests.test_reliability import make_text_pdf

    folder = tmp_path_factory.mktemp("scan1")
    return make_scanned_pdf(make_text_pdf(folder / "text.pdf", pages=1), folder / "scan.pdf", dpi=100)


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory) -> Path:
    """Page 1 with a text layer, page 2 only the image of a typed page."""
    import pdfplumber
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from tests.test_reliability import make_text_pdf

    folder = tmp_path_factory.mktemp("mixed")
    text = make_text_pdf(folder / "text.pdf", pages=1, lines=10)
    with pdfplumber.open(str(text)) as pdf:
        image = pdf.pages[0].to_image(resolution=150).original.convert("RGB")
        width, height = float(pdf.pages[0].width), float(pdf.pages[0].height)
    path = folder / "mixed.pdf"
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.drawString(72, height - 72, "Minutes of the board meeting held in public")
    c.showPage()
    c.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    c.showPage()
    c.save()
    return path


def test_without_ocr_a_scan_is_needs_ocr_and_says_how(scanned_one_page):
    r = process_file(str(scanned_one_page))
    assert r.status == "needs_ocr" and "--ocr" in r.error


def test_a_failing_tesseract_fails_the_page_in_one_line(tmp_path, monkeypatch, scanned_one_page):
    monkeypatch.setenv(ocr.TESSERACT_ENV, str(fake_tesseract(tmp_path, "echo 'Error: cannot read image' >&2; exit 1")))
    with use(OCR_ON):
        r = process_file(str(scanned_one_page))
    assert r.status == "failed" and "\n" not in r.error
    assert "could not be OCR'd" in r.error and "Tesseract failed (Error: cannot read image)" in r.error


def test_a_hanging_tesseract_is_killed_at_its_page_time_limit(tmp_path, monkeypatch, scanned_one_page):
    pid_file = tmp_path / "pid"
    monkeypatch.setenv(ocr.TESSERACT_ENV, str(fake_tesseract(tmp_path, f"echo $$ > {pid_file}; exec sleep 60")))
    started = time.monotonic()
    with use(Settings.load(ocr={"enabled": True, "page_timeout_s": 1.0})):
        r = process_file(str(scanned_one_page))
    assert time.monotonic() - started < 15
    assert r.status == "failed" and "Tesseract timed out after 1 s" in r.error
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists() or Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] == "Z"


def test_ocr_asked_for_without_tesseract_leaves_the_scan_needs_ocr(monkeypatch, scanned_one_page):
    monkeypatch.setenv(ocr.TESSERACT_ENV, "")
    with use(OCR_ON):
        r = process_file(str(scanned_one_page))
    assert r.status == "needs_ocr" and "apt-get install tesseract-ocr" in r.error


def test_cli_ocr_without_tesseract_is_a_usage_error(tmp_path, scanned_one_page):
    import os

    env = dict(os.environ, **{ocr.TESSERACT_ENV: ""})
    proc = subprocess.run([sys.executable, "-m", "extractor", "batch", str(scanned_one_page), "--out",
                           str(tmp_path / "out"), "--ocr"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2, proc.stderr
    assert "Tesseract" in proc.stderr and "apt-get install tesseract-ocr" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out" / "documents.csv").exists()


# --------------------------------------------------------------------------- real Tesseract

@needs_tesseract
def test_a_scanned_page_is_read_and_the_status_says_which_pages(scanned_one_page):
    with use(OCR_ON):
        r = process_file(str(scanned_one_page))
    assert r.status == "ok", r.error
    assert "OCR (Tesseract) read page 1 from the page image" in r.warnings


@needs_tesseract
def test_only_the_pages_without_text_are_ocrd(mixed_pdf):
    with use(OCR_ON):
        r = process_file(str(mixed_pdf))
    assert r.status == "ok", r.error
    assert "OCR (Tesseract) read page 2 from the page image" in r.warnings


@needs_tesseract
def test_a_scanned_sample_plan_matches_its_gold(samples, tmp_path):
    """Castle Point v3 (9 pages, RAG as cell colour only) rendered at 150 dpi into an image-only PDF."""
    name = "castlepoint-od-strategy-v3"
    scan_pdf = make_scanned_pdf(samples / "docs" / f"{name}.pdf", tmp_path / f"{name}.pdf", dpi=150)
    with use(OCR_ON):
        r = process_file(str(scan_pdf))
    assert r.status == "ok", r.error
    gold = load_gold(samples / "gold" / f"{name}.json")["actions"]
    pairs = match([a["text"] for a in gold], [a.text for a in r.actions])
    assert f1(len(pairs), len(r.actions), len(gold)) >= 0.85
    rag_right = sum(1 for i, j in pairs if (gold[i]["rag"] or "") == r.actions[j].rag)
    assert rag_right / len(pairs) >= 0.7  # the RAG colours were read from the page image
    assert all(a.page_first >= 1 for a in r.actions)
