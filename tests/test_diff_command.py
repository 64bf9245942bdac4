"""`extractor diff` as a command people use: progress on stderr, the batch cache reused (a file read before is
not parsed again), a file that holds no action plan refused with exit 2, a file diffed with itself answered
at once. The plans are small DOCX files made with the synthetic generator."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractor.api as api
from extractor import cli
from tests.synth.model import Action, ActionTable, Column, Doc, Due, GroupRow, Heading, Para, Text, cover
from tests.synth.render_docx import render_docx

runner = CliRunner()

TEXTS = ["Publish the board assurance framework every quarter",
         "Appoint a Freedom to Speak Up guardian for the trust",
         "Review the committee structure of the board and its terms of reference",
         "Agree the quality improvement priorities with the council of governors"]


def invoke(*args):
    return runner.invoke(cli.app, [str(a) for a in args], prog_name="extractor")


def _plan(path: Path, statuses: list[str], with_table: bool = True) -> Path:
    doc = Doc(path.stem, "Well-led Improvement Plan", "Brackenford Trust", "", "2021-06-30", "Brackenford Trust")
    cover(doc, [("Brackenford Trust", 20, True), ("Well-led Improvement Plan", 18, True)])
    doc.add(Heading("Our actions"), Text("What we will do, who leads it and by when."))
    if with_table:
        rows = [GroupRow("Governance")] + [
            Action(ref=f"1.{k + 1}", text=[Para(t)], section="Governance", owner="Trust Secretary",
                   due=Due(("March 2022",), "2022-03-31"), status=st, status_text=st.replace("_", " ").capitalize())
            for k, (t, st) in enumerate(zip(TEXTS, statuses))]
        doc.add(ActionTable([Column("Ref", 0.5, "ref"), Column("Action", 3.0, "text"), Column("Lead", 1.2, "owner"),
                             Column("Due", 0.9, "due"), Column("Status", 1.0, "status")], rows))
    else:
        doc.add(Text("The board noted the report. There are no actions arising."))
    render_docx(doc, path)
    return path


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("plans")
    return {"v1": _plan(d / "plan-v1.docx", ["not_started", "in_progress", "in_progress", "not_started"]),
            "v2": _plan(d / "plan-v2.docx", ["in_progress", "completed", "in_progress", "not_started"]),
            "minutes": _plan(d / "minutes.docx", [], with_table=False)}


def _no_parsing(monkeypatch):
    """Parsing fails from now on (also in the forked workers that read the files): a parsed file comes back
    failed, so the test's expectations of an ok, cached result fail."""
    import extractor.pipeline

    def refuse(*args, **kwargs):
        raise AssertionError("a file was parsed")
    monkeypatch.setattr(extractor.pipeline, "process_file", refuse)


def test_progress_then_the_cache_answers_the_second_time(plans, tmp_path, monkeypatch):
    out = tmp_path / "diff"
    res = invoke("diff", plans["v1"], plans["v2"], "--out", out)
    assert res.exit_code == 0, res.output
    assert "reading plan-v1.docx ..." in res.stderr and "read plan-v2.docx: 4 actions in" in res.stderr
    assert "4 matched, 0 added, 0 removed" in res.stdout and "changes by field: status 2" in res.stdout
    first = (out / "changes.csv").read_text(encoding="utf-8")

    _no_parsing(monkeypatch)  # the second time, nothing is parsed: both come from --out/.cache
    res = invoke("diff", plans["v1"], plans["v2"], "--out", out)
    assert res.exit_code == 0, res.output
    assert res.stderr.count("(cached, not parsed again)") == 2 and "reading" not in res.stderr
    assert (out / "changes.csv").read_text(encoding="utf-8") == first


def test_a_batch_output_folder_serves_as_the_cache(plans, tmp_path, monkeypatch):
    batch_out = tmp_path / "batch"
    res = invoke("batch", plans["v1"], plans["v2"], "--out", batch_out, "-q")
    assert res.exit_code == 0, res.output
    _no_parsing(monkeypatch)
    res = invoke("diff", plans["v1"], plans["v2"], "--out", tmp_path / "diff", "--cache", batch_out)
    assert res.exit_code == 0, res.output
    assert res.stderr.count("(cached, not parsed again)") == 2
    # the cached results carry the diff's own ids, as a fresh parse would
    with open(tmp_path / "diff" / "crosswalk.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["old_action_id"].startswith("plan-v1-docx-a") and rows[0]["new_action_id"].startswith("plan-v2")


def test_no_cache_parses_again(plans, tmp_path):
    out = tmp_path / "diff"
    assert invoke("diff", plans["v1"], plans["v2"], "--out", out, "-q").exit_code == 0
    res = invoke("diff", plans["v1"], plans["v2"], "--out", out, "--no-cache")
    assert res.exit_code == 0 and res.stderr.count("reading ") == 2


def test_a_file_with_no_actions_is_refused(plans, tmp_path):
    out = tmp_path / "diff"
    res = invoke("diff", plans["minutes"], plans["v2"], "--out", out)
    assert res.exit_code == 2, res.output
    assert f"extractor: {plans['minutes']}: no action plan found (0 actions): nothing to compare" in res.stderr
    assert not any((out / name).exists() for name in ("crosswalk.csv", "changes.csv", "report.html"))
    assert "Traceback" not in res.output


def test_a_file_with_itself_answers_at_once(plans, tmp_path, monkeypatch):
    _no_parsing(monkeypatch)
    out = tmp_path / "diff"
    res = invoke("diff", plans["v1"], plans["v1"], "--out", out)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("no changes: plan-v1.docx and plan-v1.docx have the same content")
    assert (out / "changes.csv").read_text(encoding="utf-8").count("\n") == 1  # the header only
    assert "same content" in (out / "report.html").read_text(encoding="utf-8")


def test_a_copy_under_another_name_with_a_warm_cache_gives_the_full_crosswalk(plans, tmp_path, monkeypatch):
    copy = tmp_path / "copy-of-v1.docx"
    copy.write_bytes(plans["v1"].read_bytes())
    out = tmp_path / "diff"
    assert invoke("batch", plans["v1"], "--out", out, "-q").exit_code == 0
    _no_parsing(monkeypatch)
    res = invoke("diff", plans["v1"], copy, "--out", out)
    assert res.exit_code == 0 and res.stdout.startswith("no changes")
    with open(out / "crosswalk.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and {r["match"] for r in rows} == {"matched"}
    assert rows[0]["new_action_id"].startswith("copy-of-v1-docx-a")


def test_api_diff_uses_the_cache_too(plans, tmp_path, monkeypatch):
    d = api.diff(plans["v1"], plans["v2"], cache_dir=tmp_path)
    assert d.cached == (False, False) and d.counts()["matched"] == 4
    _no_parsing(monkeypatch)
    events = []
    d2 = api.diff(plans["v1"], plans["v2"], cache_dir=tmp_path, on_progress=lambda ev, p, r: events.append(ev))
    assert d2.cached == (True, True) and events == ["cached", "cached"]
    assert [c.as_row() for c in d2.change_records] == [c.as_row() for c in d.change_records]
