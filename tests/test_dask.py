"""The dask executor writes exactly what the local executor writes.

documents.csv has a `seconds` column (time spent per file), which differs between any two runs: it is
compared with that column removed; every other byte of documents.csv, actions.csv and objectives.csv is
compared as is (row order included).
"""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from extractor.output.emit import write_batch  # noqa: E402
from extractor.run.batch import BatchOptions, collect_files, run_batch  # noqa: E402
from tests.test_reliability import CORPUS, SHARED_DOCS, hook_task, make_text_pdf  # noqa: E402

SOURCES = [p for p in (*[p for p in sorted(CORPUS.glob("*")) if p.suffix in (".pdf", ".docx")][:6],
                       *sorted(SHARED_DOCS.glob("*.docx"))[:2]) if p.is_file()]


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as c:
        yield c


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("dask-in")
    for p in SOURCES:
        shutil.copy(p, folder / p.name)
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "notes.docx").write_text("not a docx")
    (folder / "readme.txt").write_text("unsupported")
    make_text_pdf(folder / "locked.pdf", encrypt="pw")
    return collect_files([str(folder)])


def _without_seconds(path: Path) -> str:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("seconds")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([r[:col] + r[col + 1:] for r in rows])
    return buf.getvalue()


def test_dask_outputs_equal_local_outputs_byte_for_byte(cluster, inputs, tmp_path):
    local = run_batch(inputs, BatchOptions(workers=2, use_cache=False, out_dir=tmp_path / "local"))
    done: list[str] = []
    remote = run_batch(inputs, BatchOptions(executor="dask", scheduler=cluster.scheduler_address, use_cache=False,
                                            out_dir=tmp_path / "dask"), on_done=lambda r: done.append(r.path))
    assert sorted(done) == sorted(inputs)
    assert [r.path for r in remote] == inputs
    write_batch(tmp_path / "local", local, ["csv"])
    write_batch(tmp_path / "dask", remote, ["csv"])
    for name in ("actions.csv", "objectives.csv"):
        assert (tmp_path / "local" / name).read_bytes() == (tmp_path / "dask" / name).read_bytes(), name
    local, dask = tmp_path / "local" / "documents.csv", tmp_path / "dask" / "documents.csv"
    assert _without_seconds(local) == _without_seconds(dask)
    statuses = {Path(r.path).name: r.status for r in remote}
    assert statuses["zero.pdf"] == "failed" and statuses["notes.docx"] == "failed"
    assert statuses["readme.txt"] == "unsupported" and statuses["locked.pdf"] == "encrypted"
    if SOURCES:
        assert sum(r.n_actions for r in remote) > 0


def test_dask_tasks_keep_the_time_limit(cluster, tmp_path):
    (tmp_path / "in").mkdir()
    hang = make_text_pdf(tmp_path / "in" / "hang.pdf")
    fine = make_text_pdf(tmp_path / "in" / "fine.pdf")
    res = run_batch([str(hang), str(fine)], BatchOptions(executor="dask", scheduler=cluster.scheduler_address,
                                                         timeout_s=2, use_cache=False), task=hook_task)
    assert (res[0].status, res[0].error) == ("failed", "timed out after 2 s")
    assert res[1].status == "ok"


def test_dask_without_a_scheduler_starts_a_local_cluster(tmp_path):
    pdf = make_text_pdf(tmp_path / "one.pdf")
    res = run_batch([str(pdf), str(tmp_path / "missing.pdf")],
                    BatchOptions(executor="dask", workers=1, use_cache=False))
    assert [r.status for r in res] == ["ok", "failed"]
