"""OCR of PDF pages without a text layer (--ocr): the page image through Tesseract, words with their boxes.

The pytesseract route: Tesseract's TSV output gives every word with its pixel box and confidence, which become
Words in PDF points, the same as a text layer's, so the table stage works on them unchanged. Tesseract is run
as a program (what pytesseract does underneath), one page at a time, in its own process group with a time
limit, single-threaded (the batch already runs one worker per core). The page is rendered by pdfplumber
(pdfium); rulings and fills come from the same image (ingest/scan.py).
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any, Optional

from extractor import errors
from extractor.ingest.child import run_child
from extractor.model import Word
from extractor.settings import current

TESSERACT_ENV = "EXTRACTOR_TESSERACT"  # the tesseract program to use (default: on PATH)
INSTALL_HINT = "install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr; macOS: brew install tesseract)"
MAX_PIXELS = 40_000_000  # a page image is never bigger than this (an A4 page at 300 dpi is 8.7 million)
MIN_CONFIDENCE = 30.0  # words Tesseract is less sure of than this (0-100) are mostly specks and smudges


class OcrUnavailable(errors.NeedsOcr):
    """Tesseract (or the language asked for) is not installed."""


class OcrFailed(errors.Unreadable):
    """Tesseract failed or timed out on a page."""


@dataclass
class OcrPage:
    words: list[Word]
    horizontal: list[dict] = field(default_factory=list)  # rulings as pdfplumber line objects (points)
    vertical: list[dict] = field(default_factory=list)
    confidence: float = 0.0  # mean word confidence (0-100)
    image: Any = None  # RGB pixels (numpy array), for cell fills
    scale: float = 1.0  # points per pixel

    def fill(self, bbox: tuple[float, float, float, float]) -> str:
        """The fill colour of a cell given in points."""
        if self.image is None:
            return ""
        from extractor.ingest import scan

        x0, top, x1, bottom = (int(round(v / self.scale)) for v in bbox)
        return scan.cell_fill(self.image, (x0, top, x1, bottom))


def tesseract_program() -> Optional[str]:
    configured = os.environ.get(TESSERACT_ENV)
    if configured is not None:
        return shutil.which(configured) if configured else None
    return shutil.which("tesseract")


_CHECKED: dict[tuple[str, str], str] = {}  # (program, language) -> "" when usable, else what is wrong


def check_available(language: str = "eng") -> str:
    """The tesseract program, or OcrUnavailable saying what to install (checked once per process)."""
    program = tesseract_program()
    if program is not None and (program, language) in _CHECKED:
        if _CHECKED[(program, language)]:
            raise OcrUnavailable(_CHECKED[(program, language)])
        return program
    try:
        _check(program, language)
    except OcrUnavailable as exc:
        if program is not None:
            _CHECKED[(program, language)] = str(exc)
        raise
    _CHECKED[(program, language)] = ""
    return program


def _check(program: Optional[str], language: str) -> None:
    if program is None:
        raise OcrUnavailable(f"--ocr needs Tesseract, which is not installed: {INSTALL_HINT}")
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"Tesseract at {program} does not run ({type(exc).__name__}: {exc})") from None
    installed = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()[1:]}
    missing = [lang for lang in language.split("+") if lang not in installed]
    if missing:
        raise OcrUnavailable(f"Tesseract has no '{'+'.join(missing)}' language data: install it "
                             f"(Debian/Ubuntu: apt-get install tesseract-ocr-{missing[0]})")


def needs_ocr(page) -> bool:
    """A page without a text layer: no characters, or a few (a scanner's stamp) over a page-sized image."""
    chars = page.chars
    if not chars:
        return True
    if len(chars) >= 10:
        return False
    area = float(page.width) * float(page.height) or 1.0
    covered = sum(max(0.0, float(i["x1"]) - float(i["x0"])) * max(0.0, float(i["bottom"]) - float(i["top"]))
                  for i in page.images)
    return covered >= 0.5 * area


def read_page(page) -> OcrPage:
    """A pdfplumber page -> its words (from Tesseract), rulings and image."""
    import numpy as np

    from extractor.ingest import scan

    settings = current().ocr
    inches = max(float(page.width) * float(page.height) / 72 / 72, 1e-6)
    dpi = max(72, min(settings.dpi, int((MAX_PIXELS / inches) ** 0.5)))  # a poster-sized page renders coarser
    rgb = np.asarray(page.to_image(resolution=dpi, antialias=True).original.convert("RGB"))
    scale = float(page.width) / rgb.shape[1]  # points per pixel (the render covers the whole page)
    brightest = scan.brightest_channel(rgb)
    if not scan.ink_mask(brightest).any():  # a blank page: nothing to read
        return OcrPage(words=[], image=rgb, scale=scale)
    horizontal, vertical = scan.find_rulings(brightest, dpi)
    cleaned = scan.erase(scan.invert_dark_cells(scan.luminance(rgb), horizontal, vertical, dpi), horizontal + vertical)
    rows = _tesseract(cleaned, dpi, settings.language, settings.psm, settings.page_timeout_s)
    words, confidences = _words(rows, scale)

    def crossed(x: float, top: int, bottom: int) -> bool:  # pixels in, words in points
        """A word runs across x (by more than the slack of Tesseract's boxes, a quarter of its size each side)."""
        x, top, bottom = x * scale, top * scale, bottom * scale
        return any(w.x0 + w.size / 4 < x < w.x1 - w.size / 4 and top < (w.top + w.bottom) / 2 < bottom for w in words)

    vertical = scan.split_dark_rows(vertical, horizontal, rgb, crossed, dpi)
    return OcrPage(words=words, horizontal=[_line(s, scale) for s in horizontal],
                   vertical=[_line(s, scale) for s in vertical],
                   confidence=statistics.fmean(confidences) if confidences else 0.0, image=rgb, scale=scale)


def _line(s, scale: float) -> dict:
    """A ruling as a pdfplumber line object (points), through its centre line."""
    if s.x1 - s.x0 >= s.y1 - s.y0:  # horizontal
        y = (s.y0 + s.y1 + 1) / 2 * scale
        x0, x1, top, bottom = s.x0 * scale, (s.x1 + 1) * scale, y, y
    else:
        x = (s.x0 + s.x1 + 1) / 2 * scale
        x0, x1, top, bottom = x, x, s.y0 * scale, (s.y1 + 1) * scale
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top}


def _tesseract(gray, dpi: int, language: str, psm: int, timeout_s: float) -> list[dict]:
    """Tesseract's TSV rows for one image."""
    from PIL import Image

    program = check_available(language)
    with tempfile.TemporaryDirectory(prefix="extractor-ocr-") as tmp:
        image_path = os.path.join(tmp, "page.pgm")  # uncompressed: no time spent on PNG compression
        Image.fromarray(gray).save(image_path)
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        argv = [program, image_path, "stdout", "-l", language, "--dpi", str(dpi), "--psm", str(psm), "tsv"]
        try:
            code, out, err = run_child(argv, timeout_s, env=env)
        except subprocess.TimeoutExpired:
            raise OcrFailed(f"Tesseract timed out after {timeout_s:g} s") from None
    if code != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"Tesseract failed ({message[-1] if message else f'exit code {code}'})")
    reader = csv.DictReader(io.StringIO(out.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE)
    return list(reader)


_ASCENDING = set("bdfhklt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ()[]{}/|&%$#@!?'\"")
_DESCENDING = set("gjpqy()[]{}|;,")


def _em_height(text: str) -> float:
    """How tall a word's ink is in font sizes (Arial-like proportions): x-height 0.52, cap/ascender height 0.72,
    descenders 0.21 below the baseline."""
    top = 0.72 if any(c in _ASCENDING for c in text) else 0.52
    return top + (0.21 if any(c in _DESCENDING for c in text) else 0.0)


def _words(rows: list[dict], scale: float) -> tuple[list[Word], list[float]]:
    """TSV rows -> Words in points. Tesseract gives no font sizes: a word's size is estimated from its ink height
    and the letters it has (x-height, ascenders, descenders), as the median over its text line so that words of one
    line agree, in half points; bold is not known."""
    found: list[tuple[tuple[str, str, str], str, float, float, float, float, float]] = []
    for r in rows:
        text = (r.get("text") or "").strip()
        if r.get("level") != "5" or not text:
            continue
        try:
            conf = float(r["conf"])
            x0, top, w, h = (float(r[k]) * scale for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if conf < MIN_CONFIDENCE and not any(c.isalnum() for c in text):
            continue  # specks, smudges and ruling remnants read as punctuation
        found.append(((r["block_num"], r["par_num"], r["line_num"]), text, conf, x0, top, w, h))
    sizes: dict[tuple[str, str, str], list[float]] = {}
    for line, text, _conf, _x0, _top, _w, h in found:
        if any(c.isalnum() for c in text):
            sizes.setdefault(line, []).append(h / _em_height(text))
    words: list[Word] = []
    confidences: list[float] = []
    for line, text, conf, x0, top, w, h in found:
        estimate = statistics.median(sizes[line]) if line in sizes else h / _em_height(text)
        words.append(Word(text, x0, x0 + w, top, top + h, False, round(estimate * 2) / 2))
        confidences.append(conf)
    return words, confidences
