"""PDFs written elsewhere that hold no action plan give (almost) no actions: ICDAR 2013's EU reports (tables of
statistics of every kind) and pdfplumber's regression files (bank rates, forms, garbled fonts, boxed text).
The developed part of bench/nonplans.py; its other part is only counted there."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REALWORLD, absent

pytestmark = pytest.mark.slow

HAS_A_PLAN = {"chelsea_pdta.pdf"}  # a municipality's active-transport plan (in French): its actions are real
MAX_FALSE_ACTIONS = 3  # measured 0 on these 79 files on 2026-11-30 (30 actions in 9 of them before)


def test_documents_without_a_plan_give_no_actions(tmp_path: Path) -> None:
    folders = [REALWORLD / "pdfplumber-tests", REALWORLD / "icdar2013" / "competition-dataset-eu"]
    for folder in folders:
        if not folder.is_dir():
            pytest.skip(absent(folder))
    files = [p for f in folders for p in sorted(f.glob("*.pdf")) if p.name not in HAS_A_PLAN]
    proc = subprocess.run([sys.executable, "-m", "extractor", "batch", *map(str, files), "--out", str(tmp_path),
                           "--format", "jsonl", "--workers", "2", "-q"], capture_output=True, text=True, timeout=1800)
    assert proc.returncode in (0, 3), proc.stderr[-2000:]  # 3: pdfplumber's damaged files fail, as they should
    rows = [json.loads(line) for line in (tmp_path / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 70
    found = {Path(r["path"]).name: r["n_actions"] for r in rows if r["n_actions"]}
    assert sum(found.values()) <= MAX_FALSE_ACTIONS, found
