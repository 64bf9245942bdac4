"""The Python API: `from extractor import extract, diff` -> typed DataFrames and records; import stays cheap."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from datetime import date

import pytest

import extractor
from extractor import api
from extractor.model import Action, DocumentResult
from extractor.output import schema
from tests.paths import ROOT, SAMPLE_DOCS, absent
from tests.test_formats import make_results


@pytest.fixture
def fake_batch(monkeypatch):
    """extract() over fake files: run_batch returns make_results() (and records what it was given)."""
    import extractor.run.batch as batch

    seen = {}

    def run_batch(files, options, on_done=lambda r: None):
        seen["files"], seen["options"] = files, options
        results = make_results()
        for r in results:
            on_done(r)
        return results

    monkeypatch.setattr(batch, "run_batch", run_batch)
    return seen


def test_import_is_cheap_and_versioned():
    code = ("import sys, extractor; print(extractor.__version__); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'openpyxl', 'spacy', 'pdfplumber', "
            "'extractor.pipeline', 'extractor.api') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    version, loaded = out.stdout.splitlines()
    assert version == extractor.__version__ and loaded == "[]"


def test_public_names():
    from extractor import DiffResult, Result, diff, extract

    assert extract is api.extract and diff is api.diff and Result is api.Result and DiffResult is api.DiffResult
    assert {"extract", "diff", "__version__"} <= set(extractor.__all__)
    with pytest.raises(AttributeError):
        extractor.no_such_thing  # noqa: B018


def test_extract_returns_typed_frames_and_records(tmp_path, fake_batch):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    done = []
    res = api.extract(tmp_path, workers=3, on_done=done.append, password="pw")
    assert fake_batch["files"] == [str(tmp_path / "a.pdf")]
    assert fake_batch["options"].workers == 3 and fake_batch["options"].password == "pw"
    assert len(done) == 4 and res.results == make_results()
    assert all(isinstance(r, DocumentResult) for r in res.results)
    docs, acts, objs = res.documents, res.actions, res.objectives
    assert list(docs.columns) == schema.columns("documents")
    assert list(acts.columns) == schema.columns("actions")
    assert list(objs.columns) == schema.columns("objectives")
    assert len(docs) == 4 and len(acts) == 6 and len(objs) == 2
    assert list(docs["status"]) == ["ok", "partial", "failed", "encrypted"]
    assert str(acts["page_first"].dtype) == "int64" and acts["is_new"].dtype == bool
    assert str(acts["due_date"].dtype).startswith("datetime64")
    assert acts["due_date"].iloc[0].date() == date(2019, 12, 31) and acts["due_date"].isna().sum() == 4
    assert acts["owners"].iloc[0] == ["Director of Workforce", "Chief Executive"] and acts["owners"].iloc[2] == []
    assert acts.groupby("status").size().to_dict() == {"completed": 2, "delayed": 1, "in_progress": 1,
                                                       "not_started": 1, "unknown": 1}
    assert not res.ok and res.exit_code == 3
    assert res.counts()["by_status"] == {"ok": 1, "partial": 1, "failed": 1, "encrypted": 1}


def test_frames_are_typed_even_when_empty():
    res = api.Result(results=[DocumentResult(doc_id="x-pdf", path="x.pdf", status="ok")])
    assert res.ok and res.exit_code == 0
    assert res.actions.empty and list(res.actions.columns) == schema.columns("actions")
    assert res.objectives.empty and list(res.objectives.columns) == schema.columns("objectives")


def test_extract_without_files_raises(tmp_path):
    with pytest.raises(api.NoFilesError):
        api.extract(tmp_path)  # an empty folder


def test_options_pass_through_and_unknown_ones_fail(fake_batch, tmp_path):
    from extractor.run.batch import BatchOptions

    (tmp_path / "a.docx").write_bytes(b"PK")
    known = {f.name for f in fields(BatchOptions)}
    api.extract(tmp_path, timeout_s=5.0, memory_mb=512, executor="local", scheduler=None, use_cache=False,
                out_dir=tmp_path / "out")
    opts = fake_batch["options"]
    for name, value in (("timeout_s", 5.0), ("memory_mb", 512), ("use_cache", False)):
        if name in known:  # planned options are passed once BatchOptions has them
            assert getattr(opts, name) == value
    with pytest.raises(TypeError, match="unknown option"):
        api.extract(tmp_path, colour="blue")


def test_result_write_all_formats_and_summary(tmp_path, fake_batch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.pdf").write_bytes(b"%PDF")
    res = api.extract(tmp_path / "in")
    report = res.write(tmp_path / "out", formats=["csv", "xlsx", "duckdb"])
    names = {p.name for p in report.paths}
    assert {"documents.csv", "actions.csv", "objectives.csv", "datapackage.json", "extract.xlsx", "extract.duckdb",
            "summary.html"} <= names
    assert not (tmp_path / "out" / "actions.parquet").exists()
    assert (tmp_path / "out" / "summary.html").is_file()
    only = res.write(tmp_path / "only", formats=["duckdb"])
    assert {p.name for p in only.paths} == {"extract.duckdb", "families.csv", "action_history.csv", "summary.html"}
    assert not (tmp_path / "only" / "actions.csv").exists()


def _pair() -> tuple[DocumentResult, DocumentResult]:
    old = DocumentResult(doc_id="plan-v1-docx", path="plan-v1.docx", status="ok", actions=[
        Action(doc_id="plan-v1-docx", action_id="plan-v1-docx-a0001", ref="1.1",
               text="Publish the workforce strategy to all staff", status="in_progress", due_date="2019-06-30"),
        Action(doc_id="plan-v1-docx", action_id="plan-v1-docx-a0002", ref="1.2",
               text="Run a leadership programme for band 7 managers", status="not_started"),
        Action(doc_id="plan-v1-docx", action_id="plan-v1-docx-a0003", ref="1.3",
               text="Close the legacy appraisal system", status="not_started")])
    new = DocumentResult(doc_id="plan-v2-docx", path="plan-v2.docx", status="partial", actions=[
        Action(doc_id="plan-v2-docx", action_id="plan-v2-docx-a0001", ref="2.1",
               text="Publish the workforce strategy to all staff", status="completed", due_date="2019-09-30"),
        Action(doc_id="plan-v2-docx", action_id="plan-v2-docx-a0002", ref="2.2",
               text="Run a leadership programme for band 7 managers", status="in_progress"),
        Action(doc_id="plan-v2-docx", action_id="plan-v2-docx-a0003", ref="2.3",
               text="Introduce a staff wellbeing survey every quarter", status="not_started")])
    return old, new


def test_diff_of_document_results(tmp_path):
    from extractor.versions.reconcile import ChangeRow, CrosswalkRow

    old, new = _pair()
    d = api.diff(old, new)
    assert isinstance(d, api.DiffResult) and d.old is old and d.new is new
    assert all(isinstance(r, CrosswalkRow) for r in d.crosswalk_records)
    assert all(isinstance(c, ChangeRow) for c in d.change_records)
    cw = d.crosswalk
    assert list(cw.columns) == schema.columns("crosswalk")
    assert sorted(cw["match"]) == ["added", "matched", "matched", "removed"]
    assert cw["score"].dtype == "float64"
    ch = d.changes
    assert list(ch.columns) == schema.table("changes").contract
    due = ch[ch["field"] == "due_date"].iloc[0]
    assert (due["from"], due["to"], due["slip_days"]) == ("2019-06-30", "2019-09-30", 92)
    assert set(ch["field"]) == {"status", "due_date", "ref"}
    assert d.counts()["matched"] == 2 and d.counts()["changes"] == len(ch)
    assert d.exit_code == 3  # the new version is only partial
    paths = d.write(tmp_path / "diff")
    assert [p.name for p in paths] == ["crosswalk.csv", "changes.csv", "report.html"]
    assert all(p.is_file() for p in paths)


def test_diff_of_missing_files_is_a_status(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    d = api.diff(tmp_path / "nope.pdf", empty)
    assert (d.old.status, d.old.error) == ("failed", "file not found")
    assert (d.new.status, d.new.error) == ("failed", "empty file (0 bytes)")
    assert d.crosswalk.empty and d.exit_code == 3


def test_extract_and_diff_real_samples():
    docs = SAMPLE_DOCS
    v3, v4 = docs / "castlepoint-od-strategy-v3.docx", docs / "castlepoint-od-strategy-v4.docx"
    if not (v3.is_file() and v4.is_file()):
        pytest.skip(absent(SAMPLE_DOCS))
    res = extractor.extract([v3, v4])
    assert res.ok and list(res.documents["doc_id"]) == ["castlepoint-od-strategy-v3-docx",
                                                        "castlepoint-od-strategy-v4-docx"]
    assert res.actions.groupby("doc_id").size().to_dict() == {"castlepoint-od-strategy-v3-docx": 46,
                                                              "castlepoint-od-strategy-v4-docx": 64}
    d = extractor.diff(res.results[0], res.results[1])
    counts = d.counts()
    assert counts["matched"] >= 40 and counts["added"] >= 15
    assert len(d.changes) == len(d.change_records) > 0
