"""--spacy-model: a user's installed pipeline (here: one saved to disk) drives the objectives stage."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "corpus" / "lowmere-ccg-workforce-od-plan.docx"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "extractor", *args], capture_output=True, text=True, timeout=300)


def test_a_saved_pipeline_is_used_and_objectives_still_come_out(tmp_path):
    model = tmp_path / "my_model"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(model)
    out = tmp_path / "out"
    proc = _run("--spacy-model", str(model), "batch", str(DOC), "--out", str(out), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    with open(out / "objectives.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) >= 10


def test_a_model_that_cannot_load_is_a_usage_error(tmp_path):
    proc = _run("--spacy-model", "no_such_model_xyz", "batch", str(DOC), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "cannot load spaCy model" in proc.stderr and "Traceback" not in proc.stderr
