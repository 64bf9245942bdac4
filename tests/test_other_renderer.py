"""The same plans written by other tools: LibreOffice's PDF export of the project's own DOCX files (a
different layout engine from the reportlab PDFs in corpus/: other line breaks, cell padding and fills, words
broken inside narrow columns), and the corpus PDFs re-written by pdftocairo and ghostscript (other fonts,
content streams, no space glyphs). Each case is skipped when its tool is not installed."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import load_gold
from tests.test_end_to_end import _check_against_gold

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # a LibreOffice conversion, then four plans per writer through the pipeline
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# plans with a RAG column, dates in narrow columns, group rows and a long table over pages
NAMES = ["brackenford-trust-well-led-plan-v1", "eastmoor-council-improvement-plan", "harbourside-trust-quality-plan",
         "northfield-icb-delivery-plan"]

@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    docs = [str(ROOT / "corpus" / f"{n}.docx") for n in NAMES]
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *docs], check=True, capture_output=True, timeout=300)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_rendered_pdf_matches_the_gold(rendered, name):
    pdf = rendered / f"{name}.pdf"
    assert pdf.is_file(), f"LibreOffice did not write {pdf.name}"
    _check_against_gold(load_gold(ROOT / "tests" / "corpus_gold" / f"{name}.json"), pdf)


# --------------------------------------------------------------------------- other PDF writers

REWRITERS = {
    # cairo redraws every page (and drops the space glyphs: words are only separated by gaps)
    "pdftocairo": lambda src, dst: ["pdftocairo", "-pdf", str(src), str(dst)],
    # ghostscript re-distils the PDF (new fonts, content streams and object layout)
    "gs": lambda src, dst: ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                            f"-sOutputFile={dst}", str(src)],
}


@pytest.mark.parametrize("tool", sorted(REWRITERS))
@pytest.mark.parametrize("name", NAMES)
def test_pdf_rewritten_by_another_writer_matches_the_gold(tmp_path, tool, name):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    src, dst = ROOT / "corpus" / f"{name}.pdf", tmp_path / f"{name}.pdf"
    subprocess.run(REWRITERS[tool](src, dst), check=True, capture_output=True, timeout=300)
    _check_against_gold(load_gold(ROOT / "tests" / "corpus_gold" / f"{name}.json"), dst)
