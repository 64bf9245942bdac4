"""A re-run over an unchanged folder publishes the previous outputs again instead of recomputing them
(extractor/run/reuse.py): the families step is not run, the files are the same ones, summary.html is new; any
change (a result, the formats, an output edited by hand) and everything is written afresh."""
from __future__ import annotations

import csv
import json

import pytest

from extractor.api import Result
from extractor.run import reuse
from tests.test_formats import make_results


def _inode(path) -> int:
    return path.stat().st_ino


@pytest.fixture
def families_calls(monkeypatch):
    import extractor.api as api

    calls = []
    real = api.run_families

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "run_families", counting)
    return calls


def test_unchanged_rerun_reuses_the_outputs(tmp_path, families_calls):
    out = tmp_path / "out"
    Result(make_results()).write(out)
    first = {p.name: _inode(p) for p in out.iterdir() if p.is_file()}
    summary_before = (out / "summary.html").read_text(encoding="utf-8")
    report = Result(make_results(), seconds=12.5).write(out)  # the same results, read again (e.g. from the cache)
    assert len(families_calls) == 1  # the families step ran once: the second run reused its outputs
    again = {p.name: _inode(p) for p in out.iterdir() if p.is_file()}
    assert set(again) == set(first)
    for name in first:  # the same files, not rewritten ...
        if name != "summary.html":
            assert again[name] == first[name], name
    assert again["summary.html"] != first["summary.html"]  # ... but the page is this run's
    assert (out / "summary.html").read_text(encoding="utf-8") != summary_before
    assert {p.name for p in report.paths} >= {"documents.csv", "actions.csv", "summary.html"}
    n_actions = sum(r.n_actions for r in make_results())
    assert len(list(csv.DictReader((out / "actions.csv").open(encoding="utf-8")))) == n_actions


def test_a_changed_result_is_written_afresh(tmp_path, families_calls):
    out = tmp_path / "out"
    Result(make_results()).write(out)
    changed = make_results()
    changed[0].actions[0].owner = "Chief Nurse"
    Result(changed).write(out)
    assert len(families_calls) == 2
    owners = [r["owner"] for r in csv.DictReader((out / "actions.csv").open(encoding="utf-8"))]
    assert "Chief Nurse" in owners


def test_other_formats_are_written_afresh(tmp_path, families_calls):
    out = tmp_path / "out"
    Result(make_results()).write(out, formats=["csv"])
    Result(make_results()).write(out, formats=["csv", "jsonl"])
    assert len(families_calls) == 2 and (out / "actions.jsonl").is_file()


def test_an_output_edited_by_hand_is_restored(tmp_path, families_calls):
    out = tmp_path / "out"
    Result(make_results()).write(out)
    original = (out / "actions.csv").read_bytes()
    (out / "actions.csv").write_text("edited\n", encoding="utf-8")
    Result(make_results()).write(out)
    assert len(families_calls) == 2 and (out / "actions.csv").read_bytes() == original


def test_a_broken_record_is_no_reuse(tmp_path, families_calls):
    out = tmp_path / "out"
    Result(make_results()).write(out)
    record = out / ".extractor" / reuse.RECORD
    data = json.loads(record.read_text(encoding="utf-8"))
    data["files"] = {"../outside.csv": [1, 2, 3]}
    record.write_text(json.dumps(data), encoding="utf-8")
    Result(make_results()).write(out)
    assert len(families_calls) == 2


def test_no_reuse_when_asked(tmp_path, families_calls):
    out = tmp_path / "out"
    Result(make_results()).write(out)
    Result(make_results()).write(out, reuse_unchanged=False)
    assert len(families_calls) == 2
