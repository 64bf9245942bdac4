"""The result cache (OUT/.cache/<sha256>-<version>.json): re-runs resume, ids follow the file's path."""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from extractor.model import Action, DocumentResult, Objective
from extractor.output.emit import write_batch
from extractor.run import cache as cache_mod
from extractor.run.batch import BatchOptions, run_batch
from extractor.run.cache import ResultCache, restamp
from tests.test_reliability import CORPUS, SHARED_DOCS, hook_task, make_text_pdf

SOURCES = [p for p in (*[p for p in sorted(CORPUS.glob("*")) if p.suffix in (".pdf", ".docx")][:4],
                       *sorted(SHARED_DOCS.glob("*.docx"))[:2]) if p.is_file()]
needs_docs = pytest.mark.skipif(len(SOURCES) < 2, reason="no sample documents")


def _copy_inputs(folder: Path) -> list[str]:
    folder.mkdir(parents=True)
    for p in SOURCES:
        shutil.copy(p, folder / p.name)
    return sorted(str(p) for p in folder.iterdir())


def _strip(r: DocumentResult) -> dict:
    d = asdict(r)
    d.pop("seconds")
    d.pop("cached")  # where the result came from, not what it says
    return d


@needs_docs
def test_unchanged_rerun_comes_from_the_cache_20x_faster_with_identical_outputs(tmp_path):
    files = _copy_inputs(tmp_path / "in")
    out = tmp_path / "out"
    opts = BatchOptions(workers=1, out_dir=out)
    t0 = time.perf_counter()
    first = run_batch(files, opts)
    t_first = time.perf_counter() - t0
    write_batch(out / "a", first, ["csv"])
    stats: dict = {}
    t0 = time.perf_counter()
    second = run_batch(files, opts, stats=stats)
    t_second = time.perf_counter() - t0
    write_batch(out / "b", second, ["csv"])
    assert stats["cache_hits"] == len(files) and stats["jobs"] == 0
    assert t_first / t_second >= 20, (t_first, t_second)
    for name in ("documents.csv", "actions.csv", "objectives.csv"):
        assert (out / "a" / name).read_bytes() == (out / "b" / name).read_bytes()
    assert len(list((out / ".cache").glob("*.json"))) == len({r.sha256 for r in first})


@needs_docs
def test_a_copied_file_hits_the_cache_with_its_own_ids(tmp_path):
    src = next(p for p in SOURCES if p.suffix == ".docx")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    original = tmp_path / "a" / src.name
    copy = tmp_path / "b" / "renamed-copy.docx"
    shutil.copy(src, original)
    shutil.copy(src, copy)
    out = tmp_path / "out"
    run_batch([str(original)], BatchOptions(out_dir=out))
    stats: dict = {}
    cached = run_batch([str(copy)], BatchOptions(out_dir=out), stats=stats)[0]
    fresh = run_batch([str(copy)], BatchOptions(use_cache=False))[0]
    assert stats["cache_hits"] == 1
    assert cached.doc_id == "renamed-copy-docx" and cached.path == str(copy)
    assert cached.actions and cached.actions[0].action_id == "renamed-copy-docx-a0001"
    assert all(a.source == str(copy) and a.doc_id == cached.doc_id for a in cached.actions)
    assert _strip(cached) == _strip(fresh)


@needs_docs
def test_a_new_pipeline_version_or_a_broken_entry_is_a_miss(tmp_path, monkeypatch):
    files = _copy_inputs(tmp_path / "in")[:2]
    out = tmp_path / "out"
    run_batch(files, BatchOptions(out_dir=out))
    entries = sorted((out / ".cache").glob("*.json"))
    entries[0].write_text("{not json")
    stats: dict = {}
    run_batch(files, BatchOptions(out_dir=out), stats=stats)
    assert stats["cache_hits"] == 1 and stats["jobs"] == 1  # the broken entry was recomputed ...
    json.loads(entries[0].read_text())  # ... and rewritten
    import extractor.fileid as fileid

    monkeypatch.setattr(fileid, "PIPELINE_VERSION", "999-test")
    stats = {}
    run_batch(files, BatchOptions(out_dir=out), stats=stats)
    assert stats["cache_hits"] == 0 and stats["jobs"] == 2
    assert len(list((out / ".cache").glob("*-999-test-*.json"))) == 2


def test_run_failures_and_encrypted_files_are_not_cached(tmp_path):
    (tmp_path / "in").mkdir()
    hang = tmp_path / "in" / "hang.pdf"
    make_text_pdf(hang)
    locked = make_text_pdf(tmp_path / "in" / "locked.pdf", encrypt="pw")
    ok = make_text_pdf(tmp_path / "in" / "fine.pdf")
    out = tmp_path / "out"
    res = run_batch([str(hang), str(locked), str(ok)], BatchOptions(out_dir=out, timeout_s=1), task=hook_task)
    assert [r.status for r in res] == ["failed", "encrypted", "ok"]
    entries = list((out / ".cache").glob("*.json"))
    assert len(entries) == 1
    stats: dict = {}
    res = run_batch([str(locked)], BatchOptions(out_dir=out, password="pw"), stats=stats)
    assert stats["jobs"] == 1 and res[0].status == "ok"  # the password is used, not a cached "encrypted"


def test_no_cache_when_disabled_or_without_an_output_folder(tmp_path):
    pdf = make_text_pdf(tmp_path / "x.pdf")
    run_batch([str(pdf)], BatchOptions(out_dir=tmp_path / "out", use_cache=False))
    assert not (tmp_path / "out" / ".cache").exists()
    stats: dict = {}
    run_batch([str(pdf)], BatchOptions(), stats=stats)
    assert stats["cache_hits"] == 0


def test_restamp_rewrites_every_path_dependent_id():
    r = DocumentResult(doc_id="plan-pdf", path="/a/plan.pdf", sha256="ab", status="ok",
                       actions=[Action(doc_id="plan-pdf", action_id="plan-pdf-a0001", objective_id="plan-pdf-o0002",
                                       source="/a/plan.pdf")],
                       objectives=[Objective(doc_id="plan-pdf", objective_id="plan-pdf-o0002")])
    restamp(r, doc_id="plan-pdf-b", path="/b/plan.pdf")
    a, o = r.actions[0], r.objectives[0]
    assert (r.doc_id, r.path) == ("plan-pdf-b", "/b/plan.pdf")
    assert (a.doc_id, a.action_id, a.objective_id, a.source) == ("plan-pdf-b", "plan-pdf-b-a0001", "plan-pdf-b-o0002",
                                                                 "/b/plan.pdf")
    assert (o.doc_id, o.objective_id) == ("plan-pdf-b", "plan-pdf-b-o0002")


def test_cache_round_trip_keeps_every_field(tmp_path):
    r = DocumentResult(doc_id="d-docx", path="d.docx", sha256="f" * 64, format="docx", pages=3, title="T",
                       status="partial", error="page 2: could not be read", warnings=["w1"], seconds=1.5,
                       actions=[Action(doc_id="d-docx", action_id="d-docx-a0001", owners=["A", "B"], is_new=True,
                                       page_first=2)],
                       objectives=[Objective(doc_id="d-docx", objective_id="d-docx-o0001", text="x")])
    c = ResultCache(tmp_path, version="7")
    assert c.put(r)
    got = c.get("f" * 64, "d.docx", "d-docx")
    assert got.cached and asdict(got) == dict(asdict(r), cached=True)
    assert c.path_for("f" * 64).name == "f" * 64 + "-7.json"
    assert not cache_mod.cacheable(DocumentResult(doc_id="x", path="x", sha256="1", status="encrypted"))


def test_cache_version_changes_with_the_rules_and_the_spacy_model(tmp_path, monkeypatch):
    import shutil

    from extractor import rules as rules_mod
    from extractor.run.cache import pipeline_version
    from extractor.settings import Settings

    base = pipeline_version()
    copy = tmp_path / "rules"
    shutil.copytree(rules_mod.packaged_rules_dir(), copy)
    monkeypatch.setenv("EXTRACTOR_RULES_DIR", str(copy))
    assert pipeline_version(Settings()) == base  # same files, same version
    with open(copy / "headers.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# a user's edit\n")
    edited = pipeline_version(Settings())
    assert edited != base
    assert pipeline_version(Settings(spacy_model="some_model")) not in (base, edited)
    assert pipeline_version(Settings.load(tables={"column_tolerance": 9.0})) not in (base, edited)


def test_cache_version_changes_with_the_code(tmp_path):
    """An upgraded or edited extractor never serves what an earlier one cached, even when nobody bumped
    PIPELINE_VERSION: the version carries a fingerprint of the package's sources."""
    import shutil

    from extractor.run import cache

    package = Path(cache.__file__).resolve().parents[1]
    assert cache.code_fingerprint()[:8] in cache.pipeline_version()
    copy = tmp_path / "extractor"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert cache.sources_fingerprint(copy) == cache.code_fingerprint()
    with open(copy / "tables" / "detect.py", "a", encoding="utf-8") as fh:
        fh.write("\n# an edit\n")
    assert cache.sources_fingerprint(copy) != cache.code_fingerprint()
