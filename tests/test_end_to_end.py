"""End to end on the shared real samples (skipped without ../shared): actions, fields, provenance."""
from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.pipeline import process_file
from tests.conftest import load_gold
from tests.paths import CORPUS, CORPUS_GOLD, SAMPLE_GOLD, absent
from tests.scoring import f1, match, norm

GOLDS = sorted(SAMPLE_GOLD.glob("*.json")) if SAMPLE_GOLD.is_dir() else []
CASES = [(g, f) for g in GOLDS for f in load_gold(g)["files"]]
# the corpus documents that are layout families are scored by tests/test_families_e2e.py (same files)
CORPUS_CASES = [(g, f) for g in sorted(CORPUS_GOLD.glob("*.json")) if "family" not in load_gold(g)
                for f in load_gold(g)["files"]]


def _field(action, name):
    value = getattr(action, name)
    return value if value != "" else None


@pytest.mark.parametrize("gold_path,name", CASES or [pytest.param(None, None, marks=pytest.mark.skip(
    reason=absent(SAMPLE_GOLD)))], ids=[f for _, f in CASES] or None)
def test_sample_actions_and_fields(samples, parsed, gold_path, name):
    _check_against_gold(load_gold(gold_path), samples / "docs" / name, parse=parsed)


@pytest.mark.parametrize("gold_path,name", CORPUS_CASES, ids=[f for _, f in CORPUS_CASES])
def test_own_corpus_actions_fields_and_objectives(parsed, gold_path, name):
    """The project's generated plans: other tools, borderless and 14-column tables, split rows, RAG letters."""
    gold = load_gold(gold_path)
    result = _check_against_gold(gold, CORPUS / name, parse=parsed)
    pairs = match([o["text"] for o in gold["objectives"]], [o.text for o in result.objectives])
    assert f1(len(pairs), len(result.objectives), len(gold["objectives"])) >= 0.9
    for key in ("title", "organisation", "version", "doc_date"):
        assert norm(getattr(result, key)) == norm(gold[key]), key


def _check_against_gold(gold: dict, path: Path, parse=process_file):
    result = parse(str(path))
    assert result.status == "ok", result.error
    pairs = match([a["text"] for a in gold["actions"]], [a.text for a in result.actions])
    assert f1(len(pairs), len(result.actions), len(gold["actions"])) >= 0.95
    for field in ("due_date", "due_revised", "status", "rag"):
        right = sum(1 for i, j in pairs if (gold["actions"][i][field] or None) == _field(result.actions[j], field))
        assert right / max(len(pairs), 1) >= 0.9, field
    right = sum(1 for i, j in pairs if norm(gold["actions"][i]["ref"]) == norm(result.actions[j].ref))
    assert right / max(len(pairs), 1) >= 0.9
    for a in result.actions:  # provenance on every action
        assert a.page_first >= 1 and a.page_last >= a.page_first and a.row_index >= 0
        assert a.action_id.startswith(result.doc_id)
    return result


def test_batch_cli_writes_the_contract(samples, tmp_path):
    out = tmp_path / "out"
    docs = [str(samples / "docs" / n) for n in ("castlepoint-od-strategy-v4.pdf", "castlepoint-od-strategy-v4.docx")]
    proc = subprocess.run([sys.executable, "-m", "extractor", "batch", *docs, "--out", str(out), "--workers", "2"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    with open(out / "documents.csv", newline="", encoding="utf-8") as fh:
        documents = list(csv.DictReader(fh))
    assert [Path(d["path"]).name for d in documents] == [Path(d).name for d in docs]
    assert len({d["doc_id"] for d in documents}) == 2
    with open(out / "actions.csv", newline="", encoding="utf-8") as fh:
        actions = list(csv.DictReader(fh))
    for col in ("doc_id", "action_id", "ref", "ref_norm", "parent_ref", "section", "goal", "text", "owner", "lead",
                "due_raw", "due_date", "due_revised", "status_raw", "status", "rag", "progress", "measure", "is_new",
                "page_first", "page_last", "table_index", "row_index"):
        assert col in actions[0]
    assert {a["status"] for a in actions} <= {"not_started", "in_progress", "delayed", "completed", "unknown"}
    assert {a["rag"] for a in actions} <= {"red", "amber", "green", "blue", ""}
    assert (out / "objectives.csv").is_file()
    # stable ids: a second run gives the same ids
    out2 = tmp_path / "out2"
    subprocess.run([sys.executable, "-m", "extractor", "batch", docs[0], "--out", str(out2)],
                   capture_output=True, text=True, timeout=300)
    with open(out2 / "actions.csv", newline="", encoding="utf-8") as fh:
        again = [a["action_id"] for a in csv.DictReader(fh)]
    assert again == [a["action_id"] for a in actions if a["doc_id"] == documents[0]["doc_id"]]
