"""Real-world PDFs written elsewhere (pdfplumber's own regression suite): one batch through the CLI finishes,
lists every file once with a truthful status, prints no traceback, and stays within the per-file limits.

Runtime: about 35 s on 2 cores (the two largest files take ~16 s each); the per-file time limit is 60 s.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import REALWORLD, absent
from tests.test_reliability import STATUSES, read_csv, run_cli

FOLDER = REALWORLD / "pdfplumber-tests"
TIMEOUT_S = 60

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not FOLDER.is_dir() or not any(FOLDER.glob("*.pdf")),
                                 reason=absent(FOLDER))]

# what each special file is, as far as its content tells (the others are ordinary text PDFs)
EXPECTED = {
    "password-example.pdf": {"encrypted"},
    "empty.pdf": {"failed"},  # 0 bytes
    "issue-203-decimalize.pdf": {"needs_ocr"},  # 3 pages of images, no text layer
    "issue-297-example.pdf": {"failed"},  # a page tree pdfminer cannot follow: no page found
}
NOT_PAPERS = {"LICENSE.txt"}  # found in the folder, plainly not a paper: skipped and counted, no row


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("realworld-out")
    proc = run_cli("batch", FOLDER, "--out", out, "--workers", "2", "--timeout", str(TIMEOUT_S),
                   "--memory-limit", "2048", "--format", "csv", timeout=600)
    return proc, out


def test_batch_finishes_without_a_traceback(batch):
    proc, out = batch
    assert proc.returncode == 3, proc.stderr[-2000:]  # some files are not ok, truthfully
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (out / "documents.csv").is_file() and (out / "extractor.log").is_file()


def test_every_file_listed_once_with_a_truthful_status(batch):
    proc, out = batch
    rows = read_csv(out / "documents.csv")
    names = [Path(r["path"]).name for r in rows]
    on_disk = sorted(p.name for p in FOLDER.iterdir() if p.is_file() and not p.name.startswith("."))
    skipped = NOT_PAPERS & set(on_disk)
    assert sorted(names) == sorted(set(on_disk) - skipped) and len(set(names)) == len(names)
    if skipped:
        assert "not papers" in proc.stdout + proc.stderr  # counted once in the summary
    by = {Path(r["path"]).name: r for r in rows}
    for name, allowed in EXPECTED.items():
        if name in by:
            assert by[name]["status"] in allowed, (name, by[name]["status"], by[name]["error"])
    for r in rows:
        assert r["status"] in STATUSES
        assert "\n" not in r["error"]
        if r["status"] != "ok":
            assert r["error"]
            assert r["path"] in proc.stderr  # each problem listed
        if r["status"] == "ok" and r["format"] == "pdf":
            assert int(r["pages"]) > 0
    assert sum(r["status"] == "ok" for r in rows) >= len(rows) * 0.8


def test_files_stay_within_the_limits(batch):
    _, out = batch
    for r in read_csv(out / "documents.csv"):
        assert float(r["seconds"] or 0) <= TIMEOUT_S + 1
        assert not r["error"].startswith(("worker crashed", "memory limit")), (r["path"], r["error"])
