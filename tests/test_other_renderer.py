"""The same plans rendered to PDF by another tool: LibreOffice's PDF export of the project's own DOCX files
(a different layout engine from the reportlab PDFs in corpus/: other line breaks, cell padding and fills,
and words broken inside narrow columns). Skipped when LibreOffice (soffice) is not installed."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import load_gold
from tests.test_end_to_end import _check_against_gold

ROOT = Path(__file__).resolve().parents[1]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# plans with a RAG column, dates in narrow columns, group rows and a long table over pages
NAMES = ["brackenford-trust-well-led-plan-v1", "eastmoor-council-improvement-plan", "harbourside-trust-quality-plan",
         "northfield-icb-delivery-plan"]

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
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
