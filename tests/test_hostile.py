"""Issue 17: hostile inputs and interrupted runs. No file, name or signal may cost the batch its data.

One test (or more) per finding: text that cannot be encoded, FIFOs and devices, colliding doc_ids, orphan
workers, concurrent runs and full disks, --excel-safe everywhere, limits for diff and inspect, and the smaller
ones (sniffing, one bad page, DTDs past 4 KB, numbering amplification, .docm/.dotx, unreadable folders, --out
inside the input, control characters in names)."""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor import cli, errors
from extractor.output.schema import BATCH_TABLES
from tests.hostile import non_utf8_name, plan_pdf, surrogate_pdf
from tests.test_reliability import CORPUS, good_docx, needs_docs, read_csv, run_cli
from tests.test_reliability import SHARED_DOCS as SHARED

runner = CliRunner()


def invoke(*args):
    return runner.invoke(cli.app, [str(a) for a in args], prog_name="extractor")


def rows_by_name(out: Path, table: str = "documents") -> dict[str, list[dict]]:
    docs = {r["doc_id"]: Path(r["path"]).name for r in read_csv(out / "documents.csv")}
    found: dict[str, list[dict]] = {}
    for row in read_csv(out / f"{table}.csv"):
        found.setdefault(docs[row["doc_id"]], []).append(row)
    return found


# --------------------------------------------------------------------------- 1. text that cannot be encoded

ALL_FORMATS = "csv,parquet,jsonl,xlsx,duckdb"


@needs_docs
def test_a_font_mapping_a_glyph_to_half_a_surrogate_pair_costs_no_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    surrogate_pdf(folder / "odd-font.pdf")
    shutil.copy(good_docx(), folder / "good.docx")
    out = tmp_path / "out"
    res = invoke("batch", folder, "--out", out, "-f", ALL_FORMATS)
    assert res.exit_code == 0, res.output
    docs = {Path(r["path"]).name: r for r in read_csv(out / "documents.csv")}
    assert docs["odd-font.pdf"]["status"] == "ok" and "U+FFFD" in docs["odd-font.pdf"]["warnings"]
    actions = rows_by_name(out, "actions")
    assert any("\ufffd" in a["text"] for a in actions["odd-font.pdf"])  # "Review the \ufffd plan"
    assert len(actions["good.docx"]) == int(docs["good.docx"]["n_actions"]) > 0  # the other file keeps its rows
    for name in ("actions.parquet", "actions.jsonl", "extract.xlsx", "extract.duckdb", "summary.html"):
        assert (out / name).is_file(), name
    assert len(list((out / ".cache").glob("*.json"))) == 2  # both results cached: a re-run does not crash either
    first = (out / "actions.csv").read_bytes()
    again = invoke("batch", folder, "--out", out, "-f", ALL_FORMATS)
    assert again.exit_code == 0 and (out / "actions.csv").read_bytes() == first


def test_diff_of_a_file_with_unencodable_text(tmp_path):
    odd = surrogate_pdf(tmp_path / "odd-font.pdf")
    plain = plan_pdf(tmp_path / "plain.pdf")  # the same plan in a font without the odd map: both are read
    res = invoke("diff", plain, odd, "--out", tmp_path / "diff")
    assert res.exit_code == 0, res.output
    assert "\ufffd" in (tmp_path / "diff" / "crosswalk.csv").read_text(encoding="utf-8")


@needs_docs
def test_a_file_name_that_is_not_utf8_costs_no_output(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    odd = non_utf8_name(folder)
    if odd is None:
        pytest.skip("this filesystem refuses file names that are not UTF-8")
    shutil.copy(good_docx(), odd)
    shutil.copy(good_docx(), folder / "good.docx")
    out = tmp_path / "out"
    res = invoke("batch", folder, "--out", out, "-f", ALL_FORMATS)
    assert res.exit_code == 0, res.output
    docs = read_csv(out / "documents.csv")
    assert len(docs) == 2 and len({d["doc_id"] for d in docs}) == 2
    odd_row = next(d for d in docs if "\ufffd" in d["path"])
    assert odd_row["status"] == "ok" and "path" in odd_row["warnings"]
    assert (out / "extract.duckdb").is_file() and (out / "summary.html").is_file()


# --------------------------------------------------------------------------- 7. limits for diff and inspect

def test_diff_reads_its_files_under_the_time_limit(tmp_path):
    from tests.test_reliability import make_text_pdf

    huge = make_text_pdf(tmp_path / "huge.pdf", pages=600)  # a minute of parsing
    small = make_text_pdf(tmp_path / "small.pdf", pages=1)
    started = time.monotonic()
    res = invoke("diff", huge, small, "--out", tmp_path / "diff", "--timeout", "2")
    assert time.monotonic() - started < 30
    assert res.exit_code == 3, res.output
    assert f"extractor: failed: {huge}: timed out after 2 s" in res.stderr
    assert (tmp_path / "diff" / "report.html").is_file()  # the diff is still written


def test_inspect_reads_its_file_under_the_memory_limit(tmp_path):
    from tests.test_reliability import _text_bomb_pdf

    bomb = _text_bomb_pdf(tmp_path / "bomb.pdf")  # 85 KB that parse into gigabytes
    started = time.monotonic()
    res = invoke("inspect", bomb, "--memory-limit", "400", "--timeout", "60")
    assert time.monotonic() - started < 90
    assert res.exit_code == 3, res.output
    assert res.stderr.startswith(f"extractor: failed: {bomb}: ")
    assert "memory limit 400 MB exceeded" in res.stderr or "timed out after 60 s" in res.stderr


def test_inspect_in_a_worker_reports_the_same_as_in_process(tmp_path):
    from extractor.inspect import inspect_file
    from tests.test_reliability import make_text_pdf

    pdf = surrogate_pdf(tmp_path / "plan.pdf")
    assert inspect_file(str(pdf)) == inspect_file(str(pdf), isolate=False)
    with pytest.raises(errors.Encrypted):
        inspect_file(str(make_text_pdf(tmp_path / "locked.pdf", encrypt="pw")))
    with pytest.raises(errors.Unreadable):
        inspect_file(str(make_text_pdf(tmp_path / "ok.pdf")) + ".missing")


# --------------------------------------------------------------------------- 3. doc_id unique and stable

def _colliding_names(folder: Path) -> list[Path]:
    """Eight plans whose readable ids collide: one stem in two folders of the same name, names differing only
    in case or punctuation, names in non-Latin scripts."""
    names = ["a/x/plan.pdf", "b/x/plan.pdf", "Plan.pdf", "plan.pdf", "plan!.pdf", "計画.pdf", "報告.pdf", "Équipe.pdf"]
    made = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            plan_pdf(path)
        except OSError:  # a filesystem that refuses a name
            continue
        made.append(path)
    return made


def test_doc_ids_are_unique_within_a_run_and_stable_across_runs(tmp_path):
    folder = tmp_path / "in"
    made = _colliding_names(folder)
    if len(list(folder.rglob("*.pdf"))) < 8:
        pytest.skip("this filesystem folds some of the test's names together")
    out = tmp_path / "out"
    res = invoke("batch", folder, "--out", out, "-f", "csv,duckdb")
    assert res.exit_code == 0, res.output
    docs = read_csv(out / "documents.csv")
    assert len(docs) == len(made) and len({d["doc_id"] for d in docs}) == len(made)
    ids = {Path(d["path"]).relative_to(folder).as_posix(): d["doc_id"] for d in docs}
    assert ids["Équipe.pdf"] == "equipe-pdf"  # unique and readable: kept as it is
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids.values())
    actions = read_csv(out / "actions.csv")
    assert len(actions) == 2 * len(made) and len({a["action_id"] for a in actions}) == len(actions)
    import duckdb

    con = duckdb.connect(str(out / "extract.duckdb"), read_only=True)
    try:  # the README's join: one row per action, not multiplied
        joined = con.execute("select count(*) from actions a join documents d using (doc_id)").fetchone()[0]
    finally:
        con.close()
    assert joined == len(actions)
    from frictionless import validate

    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    # stable: the same files, moved elsewhere and run again with another file beside them, keep their ids
    moved = tmp_path / "elsewhere" / "papers"
    shutil.copytree(folder, moved)
    plan_pdf(moved / "new-one.pdf")
    res = invoke("batch", moved, "--out", tmp_path / "out2", "-f", "csv")
    again = {Path(d["path"]).relative_to(moved).as_posix(): d["doc_id"]
             for d in read_csv(tmp_path / "out2" / "documents.csv")}
    assert {k: v for k, v in again.items() if k != "new-one.pdf"} == ids


def test_assign_doc_ids_rules():
    from extractor.fileid import assign_doc_ids

    ids = assign_doc_ids(["p/a/plan.pdf", "q/a/plan.pdf", "p/plan.docx", "p/other.pdf", "p/a/plan.pdf"])
    assert ids["p/plan.docx"] == "plan-docx" and ids["p/other.pdf"] == "other-pdf"
    assert ids["p/a/plan.pdf"] != ids["q/a/plan.pdf"] and ids["p/a/plan.pdf"].startswith("plan-pdf-")
    assert len(ids) == 4  # a path given twice is one file
    # the hash is of the path below the folder holding the colliding files: moving the folder keeps it
    assert assign_doc_ids(["/x/p/a/plan.pdf", "/x/q/a/plan.pdf"])["/x/p/a/plan.pdf"] == \
        assign_doc_ids(["/y/z/p/a/plan.pdf", "/y/z/q/a/plan.pdf"])["/y/z/p/a/plan.pdf"]
    assert assign_doc_ids(["/x/計画.pdf"])["/x/計画.pdf"] == assign_doc_ids(["/y/計画.pdf"])["/y/計画.pdf"]


# --------------------------------------------------------------------------- 2. FIFOs and devices

@needs_docs
def test_fifos_and_devices_in_the_input_folder_are_listed_not_read(tmp_path):
    if not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"):
        pytest.skip("no FIFOs or /dev/zero on this platform")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(good_docx(), folder / "good.docx")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "zeros.pdf").symlink_to("/dev/zero")
    out = tmp_path / "out"
    started = time.monotonic()
    proc = run_cli("batch", folder, "--out", out, "--timeout", "10", timeout=240)  # the old main process hung here
    assert time.monotonic() - started < 200
    assert proc.returncode == 3, proc.stderr
    docs = {Path(r["path"]).name: r for r in read_csv(out / "documents.csv")}
    assert (docs["pipe.pdf"]["status"], docs["pipe.pdf"]["error"]) == (
        "unsupported", "not a regular file: a FIFO (named pipe); only regular files are read")
    assert docs["zeros.pdf"]["status"] == "unsupported" and "a character device" in docs["zeros.pdf"]["error"]
    assert docs["good.docx"]["status"] == "ok"


@needs_docs
def test_the_main_process_never_reads_an_input_file(tmp_path, monkeypatch):
    """Content hashes (for the cache) are taken in the workers, under the time limit, never in the parent: an
    unchanged file is recognised by its metadata, any other one is hashed by the worker that parses it."""
    import extractor.fileid as fileid
    from extractor.run.batch import BatchOptions, run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    files = [str(shutil.copy(good_docx(), folder / name)) for name in ("a.docx", "b.docx")]

    def no_reading(path):
        raise AssertionError(f"the main process read {path}")

    monkeypatch.setattr(fileid, "sha256_of", no_reading)  # workers started by forkserver do not inherit this
    opts = BatchOptions(workers=1, out_dir=tmp_path / "out", start_method="forkserver")
    stats: dict = {}
    first = run_batch(files, opts, stats=stats)
    assert [r.status for r in first] == ["ok", "ok"] and stats["jobs"] == 2 and stats["cache_hits"] == 1  # same content
    second = run_batch(files, opts, stats=stats)
    assert stats["jobs"] == 0 and stats["cache_hits"] == 2
    assert [r.n_actions for r in second] == [r.n_actions for r in first]
    os.utime(files[0], ns=(1, 1))  # changed metadata: the worker hashes it and finds the content cached
    run_batch(files, opts, stats=stats)
    assert stats["jobs"] == 1 and stats["cache_hits"] == 2


# ------------------------------------------------------------------ 5. one run at a time, outputs published together

def _outputs(out: Path) -> dict[str, bytes]:
    """Every output file (not the run's own state: .extractor/, .cache/, extractor.log) and its bytes."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith((".", "extractor.log"))}


FAMILY = [CORPUS / "brackenford-trust-well-led-plan-v1.docx", CORPUS / "brackenford-trust-well-led-plan-v2.docx"]
needs_family = pytest.mark.skipif(not all(p.is_file() for p in FAMILY), reason="corpus/ is not present")


@needs_family
def test_an_output_folder_describes_exactly_the_latest_run(tmp_path):
    out = tmp_path / "out"
    res = invoke("batch", *FAMILY, "--out", out, "-f", "csv,jsonl,xlsx")
    assert res.exit_code == 0, res.output
    first = _outputs(out)
    assert "extract.xlsx" in first and "actions.jsonl" in first and any(k.startswith("diffs/") for k in first)
    (out / "my-notes.txt").write_text("mine")  # not the tool's: must survive
    res = invoke("batch", FAMILY[0], "--out", out, "-f", "csv")
    assert res.exit_code == 0, res.output
    second = _outputs(out)
    assert set(second) == {f"{t}.csv" for t in BATCH_TABLES} | {"datapackage.json", "families.csv", "summary.html",
                                                                 "action_history.csv", "my-notes.txt"}
    assert not (out / "diffs").exists()  # emptied folders go too
    assert "diffs/" not in (out / "summary.html").read_text(encoding="utf-8")
    assert (out / "extractor.log").is_file() and (out / ".cache").is_dir()
    manifest = json.loads((out / ".extractor" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(set(second) - {"my-notes.txt"})


@needs_family
def test_a_folder_written_by_an_earlier_version_is_cleaned_of_its_old_outputs_only(tmp_path):
    out = tmp_path / "out"
    res = invoke("batch", *FAMILY, "--out", out, "-f", "csv,jsonl,xlsx")
    assert res.exit_code == 0
    shutil.rmtree(out / ".extractor")  # what a version without a manifest left
    (out / "my-notes.txt").write_text("mine")
    (out / "diffs" / "README.txt").write_text("mine too")
    res = invoke("batch", FAMILY[0], "--out", out, "-f", "csv")
    assert res.exit_code == 0
    left = _outputs(out)
    assert "extract.xlsx" not in left and "actions.jsonl" not in left
    assert not list((out / "diffs").rglob("*.csv")) and left["diffs/README.txt"] == b"mine too"
    assert left["my-notes.txt"] == b"mine"


@needs_docs
def test_a_second_run_into_the_same_output_folder_is_refused_at_once(tmp_path):
    from extractor.run.outdir import OutputFolder

    out = tmp_path / "out"
    with OutputFolder(out).locked():  # a first run holds the folder
        started = time.monotonic()
        proc = run_cli("batch", good_docx(), "--out", out, timeout=120)
        assert time.monotonic() - started < 60
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [f"extractor: another extractor run (pid {os.getpid()}) is writing to "
                                                f"{out}; wait for it or choose another --out"]
    assert not (out / "documents.csv").exists()
    assert run_cli("batch", good_docx(), "--out", out, timeout=120).returncode == 0  # released


def test_a_publication_cut_short_is_completed_by_the_next_run(tmp_path):
    import subprocess
    import sys
    import textwrap

    from extractor.run import outdir

    out = tmp_path / "out"
    code = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from extractor.run import outdir

        def writer(text, names):
            def write(staging):
                for name in names:
                    (staging / name).parent.mkdir(parents=True, exist_ok=True)
                    (staging / name).write_text(text)
            return write

        out = Path({str(out)!r})
        outdir.write_staged(out, writer("old", ("a.csv", "b.csv", "old-only.csv")))
        moved, real_replace = [], os.replace

        def dying_replace(src, dst):  # the process is killed after moving two files of the new set
            if "staging-" in str(src):
                if len(moved) == 2:
                    os._exit(9)
                moved.append(dst)
            real_replace(src, dst)

        outdir.os.replace = dying_replace
        outdir.write_staged(out, writer("new", ("a.csv", "b.csv", "c.csv", "d/e.csv")))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 9, proc.stderr
    assert (out / ".extractor" / "publishing.json").is_file()  # the journal survived the kill
    assert sorted(p.name for p in out.glob("*.csv")) == ["a.csv", "b.csv", "old-only.csv"]  # a mix, for now
    with outdir.OutputFolder(out).locked():  # the next run's first act
        pass
    names = ("a.csv", "b.csv", "c.csv", "d/e.csv")
    assert {p: (out / p).read_text() for p in names} == dict.fromkeys(names, "new")
    assert not (out / "old-only.csv").exists()
    assert not (out / ".extractor" / "publishing.json").exists()
    assert not list((out / ".extractor").glob("staging-*"))


@needs_docs
@pytest.mark.parametrize("where", ["csv", "duckdb", "summary"])
def test_a_write_that_fails_leaves_the_previous_outputs_intact(tmp_path, monkeypatch, where):
    import errno

    import duckdb

    from extractor.output import emit, summary

    out = tmp_path / "out"
    assert invoke("batch", good_docx(), "--out", out, "-f", "csv,duckdb").exit_code == 0
    before = _outputs(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def duckdb_full(*args, **kwargs):
        raise duckdb.IOException('Could not write file "x.duckdb": No space left on device')

    target = {"csv": (emit, "write_csv", full), "duckdb": (duckdb, "connect", duckdb_full),
              "summary": (summary, "render_summary", full)}[where]
    monkeypatch.setattr(*target)
    res = invoke("batch", good_docx(), "--out", out, "-f", "csv,duckdb", "-q", "--no-cache")  # not reused: written
    assert res.exit_code == 1, res.output
    (line,) = res.stderr.strip().splitlines()
    assert line.startswith(f"extractor: cannot write the outputs to {out}: ") and "No space left on device" in line
    assert "Traceback" not in res.output and "internal error" not in line
    assert _outputs(out) == before
    assert not list((out / ".extractor").glob("staging-*"))


UNSHARE = shutil.which("unshare")


@needs_docs
@pytest.mark.skipif(UNSHARE is None, reason="needs unshare(1) to mount a small tmpfs")
def test_a_real_full_disk_is_one_line_and_keeps_the_previous_outputs(tmp_path):
    """On a 700 KB tmpfs (a user and mount namespace: no root needed where the kernel allows it)."""
    import subprocess
    import sys

    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "out"
    extractor = f"{sys.executable} -m extractor"
    outputs = f"find {out} -type f -not -path '*/.*' -not -name extractor.log | sort | xargs sha256sum"
    script = (f"mount -t tmpfs -o size=700k tmpfs {disk} || exit 99\n"
              f"{extractor} batch {good_docx()} --out {out} -f csv -q || exit 98\n"
              f"{outputs} > {tmp_path}/before\n"
              f"{extractor} batch {good_docx()} --out {out} -f csv,parquet,jsonl,xlsx,duckdb -q 2> {tmp_path}/err\n"
              f"echo $? > {tmp_path}/code\n"
              f"{outputs} > {tmp_path}/after\n"
              f"ls {out}/.extractor > {tmp_path}/state\n")
    proc = subprocess.run([UNSHARE, "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).resolve().parents[1])
    if proc.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()[:200]}")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "code").read_text().strip() == "1"
    (line,) = (tmp_path / "err").read_text().strip().splitlines()
    assert line.startswith(f"extractor: cannot write the outputs to {out}: ") and "No space left on device" in line
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()
    assert "staging" not in (tmp_path / "state").read_text()


# --------------------------------------------------------------------------- 6. --excel-safe on every CSV

def _formula_family() -> list:
    """Two versions of one plan whose texts, owners and title start like spreadsheet formulas, and whose due date
    slips back (slip_days negative: a number, which must stay one)."""
    from extractor.model import Action, DocumentResult

    def version(n: int, due: str, status: str) -> DocumentResult:
        doc_id = f"plan-v{n}-pdf"
        acts = [Action(doc_id=doc_id, action_id=f"{doc_id}-a0001", ref="1.1", ref_norm="1.1",
                       text='=HYPERLINK("http://x.example/","click") review the plan', owner="+44 20 7946 0000",
                       status=status, due_date=due, section="@risk"),
                Action(doc_id=doc_id, action_id=f"{doc_id}-a0002", ref="1.2", ref_norm="1.2",
                       text="-1 vacancies filled by the workforce team", status="in_progress")]
        return DocumentResult(doc_id=doc_id, path=f"/in/plan-v{n}.pdf", sha256=f"{n}" * 64, format="pdf",
                              title="=Workforce Plan", organisation="@NHS Trust", version=f"{n}.0", actions=acts)

    return [version(1, "2025-03-31", "in_progress"), version(2, "2025-01-31", "completed")]


def _cells(path: Path) -> list[str]:
    """Every cell of a CSV below its header."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        return [cell for row in list(csv.reader(fh))[1:] for cell in row]


def test_excel_safe_covers_every_csv_of_a_batch(tmp_path):
    from extractor.api import Result

    Result(_formula_family()).write(tmp_path / "out", formats=["csv"], excel_safe=True)
    csvs = sorted((tmp_path / "out").rglob("*.csv"))
    names = {p.name for p in csvs}
    assert {"families.csv", "changes.csv", "crosswalk.csv", "actions.csv", "documents.csv"} <= names
    for path in csvs:
        risky = [c for c in _cells(path)
                 if c.startswith(("=", "+", "@")) or (c.startswith("-") and not c[1:].isdigit())]
        assert not risky, (path.name, risky)
    families = read_csv(tmp_path / "out" / "families.csv")
    assert families[0]["title"] == "'=Workforce Plan"
    changes = read_csv(next(p for p in csvs if p.name == "changes.csv"))
    due = next(c for c in changes if c["field"] == "due_date")
    assert due["slip_days"] == "-59"  # a number stays a number


def test_diff_has_excel_safe(tmp_path):
    from extractor.api import diff

    old, new = _formula_family()
    diff(old, new).write(tmp_path / "plain")
    diff(old, new).write(tmp_path / "safe", excel_safe=True)
    assert any(c.startswith("=HYPERLINK") for c in _cells(tmp_path / "plain" / "crosswalk.csv"))  # as extracted
    for name in ("crosswalk.csv", "changes.csv"):
        assert not [c for c in _cells(tmp_path / "safe" / name) if c.startswith(("=", "+", "@"))], name
    res = invoke("diff", "--help")
    assert "--excel-safe" in res.stdout


# --------------------------------------------------------------------------- 4. no orphan workers

def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _kill_and_expect_gone(proc, workers: list[int]) -> None:
    """SIGKILL the parent (no clean-up runs in it) and expect every worker to end within 15 s."""
    import signal

    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert _wait_for(lambda: not any(_alive(w) for w in workers), 15), [w for w in workers if _alive(w)]


needs_proc = pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"),
                                reason="needs Linux /proc to list a process's children")


def _python(code: str, *args: str):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@needs_proc
def test_workers_die_with_their_parent_even_in_the_middle_of_a_file(tmp_path):
    import signal

    files = [tmp_path / "hang-1.pdf", tmp_path / "hang-2.pdf"]  # tests.test_reliability.hook_task hangs on these
    for f in files:
        f.write_bytes(b"%PDF-1.4 placeholder\n")
    code = ("import sys\nfrom extractor.run.batch import BatchOptions, run_batch\n"
            "from tests.test_reliability import hook_task\n"
            "run_batch(sys.argv[1:], BatchOptions(workers=2, timeout_s=600, use_cache=False), task=hook_task)\n")
    proc = _python(code, *map(str, files))
    try:
        assert _wait_for(lambda: len(_children(proc.pid)) == 2, 120), proc.stderr.read() if proc.poll() else ""
        workers = _children(proc.pid)
        time.sleep(1.0)  # both are inside their (hanging) file now
        _kill_and_expect_gone(proc, workers)
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in _children(proc.pid):
            os.kill(w, signal.SIGKILL)


@needs_proc
def test_idle_workers_see_their_parent_go_without_the_death_signal(tmp_path):
    """Without PR_SET_PDEATHSIG (not Linux), a worker waiting for its next file ends when its pipe reaches
    end-of-file: no worker may hold another's (or its own) parent end of a pipe."""

    code = ("import time\nfrom extractor.run import worker, workers\n"
            "worker._die_with_parent = lambda parent_pid: None  # the pipes alone must tell them\n"
            "from tests.test_reliability import hook_task\n"
            "pool = workers.IsolatedPool(3, 60, 2048, 'fork', None, hook_task)\n"
            "jobs = [workers.Job(i, f'pid-{i}.pdf', str(i), None) for i in range(6)]\n"
            "for _ in range(30):  # until at least two workers are idle (under load one may start slowly)\n"
            "    pool.map(jobs, lambda job, result, details: None)\n"
            "    if len(pool.idle) >= 2:\n"
            "        break\n"
            "print(' '.join(str(w.pid) for w in pool.idle), flush=True)\n"
            "time.sleep(600)\n")
    proc = _python(code)
    try:
        workers = [int(p) for p in proc.stdout.readline().split()]
        # (a worker still starting when the jobs ran out is not idle yet: at least two are, one forked after the other)
        assert len(workers) >= 2 and all(_alive(w) for w in workers), proc.stderr.read() if proc.poll() else ""
        _kill_and_expect_gone(proc, workers)
    finally:
        if proc.poll() is None:
            proc.kill()


@needs_docs
@needs_proc
def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    import signal

    from tests.test_reliability import make_text_pdf

    out = tmp_path / "out"
    assert run_cli("batch", good_docx(), "--out", out, "-q", timeout=300).returncode == 0
    before = _outputs(out)
    huge = make_text_pdf(tmp_path / "huge.pdf", pages=600)
    code = "from extractor.cli import main; main()"
    proc = _python(code, "batch", str(huge), "--out", str(out), "--timeout", "600", "-q")
    try:
        assert _wait_for(lambda: len(_children(proc.pid)) >= 1, 120)
        workers = _children(proc.pid)
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert err.strip().splitlines() == ["extractor: terminated"]
    assert _wait_for(lambda: not any(_alive(w) for w in workers), 15)
    assert _outputs(out) == before and not list((out / ".extractor").glob("staging-*"))


# --------------------------------------------------------------------------- 8. the smaller ones

@needs_docs
def test_a_docx_with_pdf_magic_in_its_first_kilobyte_is_read_as_docx(tmp_path):
    """Zip wins when the file is a valid zip with a Word part, whatever its first entry holds."""
    import zipfile

    from extractor.pipeline import process_file
    from tests.test_reliability import gold_count

    src = good_docx()
    dst = tmp_path / "plan.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        zout.writestr(zipfile.ZipInfo("notes.txt"), b"%PDF-1.7 is mentioned here")  # stored, first in the file
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
    assert b"%PDF-" in dst.read_bytes()[:1024]
    result = process_file(str(dst))
    assert (result.format, result.status) == ("docx", "ok")
    assert result.n_actions == (gold_count(src) or process_file(str(src)).n_actions)


def test_one_bad_page_costs_only_that_page(tmp_path):
    from extractor.pipeline import process_file
    from tests.hostile import pdf_with_a_bad_page

    for bad in ("/MediaBox [0 0 a b]", "/MediaBox [0 0 612]", "/Rotate /X /MediaBox [0 0 612 792]"):
        result = process_file(str(pdf_with_a_bad_page(tmp_path / "three.pdf", bad_page=bad)))
        assert result.status == "partial", (bad, result.error)
        assert result.error.startswith("page 2: could not be read") and result.pages == 3
        assert [a.page_first for a in result.actions] == [1, 1, 3, 3]  # pages 1 and 3 keep their actions


@needs_docs
def test_a_dtd_after_a_long_comment_is_still_refused(tmp_path):
    from extractor.pipeline import process_file
    from tests.test_reliability import docx_part, rewrite_zip

    src = good_docx()
    xml = docx_part(src).decode("utf-8")
    body = xml.split("?>", 1)[1]
    padded = ('<?xml version="1.0" encoding="UTF-8"?>\n<!--' + "x" * 6000 + '-->\n'
              '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + body)
    bad = rewrite_zip(src, tmp_path / "late-dtd.docx", replace={"word/document.xml": padded.encode("utf-8")})
    result = process_file(str(bad))
    assert result.status == "failed" and "declares a DTD" in result.error, result.error
    # a comment that only mentions a DOCTYPE is not one
    mention = '<?xml version="1.0"?>\n<!-- <!DOCTYPE is not allowed here -->' + body
    fine = rewrite_zip(src, tmp_path / "fine.docx", replace={"word/document.xml": mention.encode("utf-8")})
    assert process_file(str(fine)).status == "ok"


def _amplifying_numbering(src: Path, dst: Path) -> Path:
    """A tiny change to numbering.xml: lists start at 10 million, lettered, nine counters per label."""
    from tests.test_reliability import docx_part, rewrite_zip

    num = docx_part(src, "word/numbering.xml").decode("utf-8")
    num = re.sub(r'<w:start w:val="\d+"/>', '<w:start w:val="10000000"/>', num)
    num = re.sub(r'<w:numFmt w:val="[a-zA-Z]+"/>', '<w:numFmt w:val="lowerLetter"/>', num)
    num = re.sub(r'<w:lvlText w:val="[^"]*"/>', '<w:lvlText w:val="%1%1%1%1%1%1%1%1%1"/>', num)
    return rewrite_zip(src, dst, replace={"word/numbering.xml": num.encode("utf-8")})


def test_a_numbering_definition_cannot_amplify_into_megabytes(tmp_path):
    from extractor.pipeline import process_file

    src = next((p for p in (SHARED / "rotherham-od-strategy-2015.docx", CORPUS / "harbourside-trust-quality-plan.docx")
                if p.is_file()), None)
    if src is None:
        pytest.skip("no sample with numbered lists (../shared/corpus-samples, corpus/)")
    clean = process_file(str(src))
    started = time.monotonic()
    result = process_file(str(_amplifying_numbering(src, tmp_path / "amplified.docx")))
    assert time.monotonic() - started < 30  # 405 MB of labels took 70 s before
    text = sum(len(v) for r in result.actions + result.objectives for v in vars(r).values() if isinstance(v, str))
    assert text < 3 * sum(len(v) for r in clean.actions + clean.objectives for v in vars(r).values()
                          if isinstance(v, str))
    assert result.status == "partial" and "list label(s) longer than 40 characters cut" in result.error
    assert (result.n_actions, result.n_objectives) == (clean.n_actions, clean.n_objectives)


def test_one_documents_output_is_capped_with_a_warning():
    from extractor.model import Action, DocumentResult, Objective
    from extractor.run.sanitize import sanitize

    big = DocumentResult(doc_id="d", path="d.pdf", actions=[Action(doc_id="d", action_id=f"d-a{i}", text="x" * 10_000)
                                                             for i in range(200)],
                         objectives=[Objective(doc_id="d", objective_id="d-o1", text="y")])
    sanitize(big, max_document_mb=1.0)
    assert 100 <= big.n_actions < 110 and big.n_objectives == 0
    assert big.status == "partial" and big.error.startswith("output capped at 1 MB of text: ")
    assert big.error.endswith("of 200 actions, 0 of 1 objectives") and big.warnings == [big.error]
    small = DocumentResult(doc_id="s", path="s.pdf", actions=[Action(doc_id="s", action_id="s-a1", text="z")])
    assert sanitize(small, max_document_mb=1.0).status == "ok" and not small.warnings


@needs_docs
@pytest.mark.parametrize("suffix,content_type", [
    (".docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    (".dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
    (".dotm", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
])
def test_macro_documents_and_templates_are_read(tmp_path, suffix, content_type):
    from extractor.pipeline import process_file
    from tests.test_reliability import docx_part, rewrite_zip

    src = good_docx()
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = docx_part(src, "[Content_Types].xml").decode("utf-8").replace(main, content_type)
    doc = rewrite_zip(src, tmp_path / f"plan{suffix}", replace={"[Content_Types].xml": types.encode("utf-8")})
    result = process_file(str(doc))
    assert result.status == "ok", result.error
    assert result.n_actions == process_file(str(src)).n_actions


def test_a_folder_that_cannot_be_read_gets_a_row(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    plan_pdf(folder / "plan.pdf")
    plan_pdf(folder / "locked" / "hidden-from-us.pdf")
    real_scandir = os.scandir

    def scandir(path="."):  # what a folder without read permission does (root can read anything: simulated)
        if not isinstance(path, int) and Path(os.fsdecode(path)).name == "locked":
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = invoke("batch", folder, "--out", tmp_path / "out", "-f", "csv", "--no-cache")
    assert res.exit_code == 3, res.output
    docs = {Path(r["path"]).name: r for r in read_csv(tmp_path / "out" / "documents.csv")}
    assert set(docs) == {"plan.pdf", "locked"}
    assert docs["locked"]["status"] == "failed" and "folder could not be read" in docs["locked"]["error"]
    assert docs["plan.pdf"]["status"] == "ok"


def test_an_output_folder_inside_the_input_folder_is_not_read_as_input(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    plan_pdf(folder / "plan.pdf")
    for out in (folder / "out", folder / "out"):  # twice: the second run finds the first run's outputs
        res = invoke("batch", folder, "--out", out, "-f", "csv,jsonl,xlsx")
        assert res.exit_code == 0, res.output
    assert [Path(r["path"]).name for r in read_csv(folder / "out" / "documents.csv")] == ["plan.pdf"]
    other = folder / "older-run"  # an output folder of an earlier run, elsewhere in the input
    assert invoke("batch", folder / "plan.pdf", "--out", other, "-f", "csv").exit_code == 0
    res = invoke("batch", folder, "--out", tmp_path / "outside", "-f", "csv")
    assert [Path(r["path"]).name for r in read_csv(tmp_path / "outside" / "documents.csv")] == ["plan.pdf"]


def test_control_characters_in_file_names_never_reach_the_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = folder / "plan\x1b[2J\x1b]0;owned\x07.pdf"
    try:
        evil.write_bytes(b"%PDF-1.4 not really")
    except OSError:
        pytest.skip("this filesystem refuses control characters in names")
    for args in (["batch", folder, "--out", tmp_path / "out"], ["batch", folder, "--out", tmp_path / "out2", "-q"],
                 ["inspect", evil]):
        res = invoke(*args)
        assert res.exit_code == 3, res.output
        assert "\x1b" not in res.output and "\x07" not in res.output, res.output
        assert "plan\\x1b[2J\\x1b]0;owned\\x07.pdf" in res.stderr


def _many_actions(n_docs: int, per_doc: int) -> list:
    from extractor.model import Action, DocumentResult

    results = []
    for d in range(n_docs):
        doc_id = f"doc-{d:04d}-pdf"
        acts = [Action(doc_id=doc_id, action_id=f"{doc_id}-a{i:04d}", ref=f"{i}", text=f"Review the plan, step {i}",
                       owner="Director", due_date="2025-03-31", status="in_progress", rag="amber")
                for i in range(per_doc)]
        results.append(DocumentResult(doc_id=doc_id, path=f"/p/{doc_id}.pdf", sha256="a" * 64, actions=acts))
    return results


def test_writers_hold_a_chunk_of_rows_not_the_batch(tmp_path, monkeypatch):
    """The main process's memory must not grow with the batch in the writers: rows are made from the results as
    they are written and converted to Arrow (Parquet, DuckDB) CHUNK_ROWS at a time."""
    from extractor.output import emit

    monkeypatch.setattr(emit, "CHUNK_ROWS", 100)
    seen: list[int] = []
    real = emit.arrow_table

    def spy(table, rows):
        rows = list(rows)
        seen.append(len(rows))
        return real(table, rows)

    monkeypatch.setattr(emit, "arrow_table", spy)
    results = _many_actions(10, 100)  # 1,000 actions
    emit.write_batch(tmp_path, results, ["parquet", "duckdb"])
    assert seen and max(seen) <= 100
    import duckdb
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "actions.parquet").num_rows == 1000
    con = duckdb.connect(str(tmp_path / "extract.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from actions").fetchone()[0] == 1000
    finally:
        con.close()


def test_excel_output_of_a_large_batch_takes_linear_time(tmp_path):
    from openpyxl import load_workbook

    from extractor.output import emit

    results = _many_actions(25, 200)  # 5,000 actions: minutes with the normal mode's per-row max_row scan
    started = time.monotonic()
    emit.write_batch(tmp_path, results, ["xlsx"])
    assert time.monotonic() - started < 60
    ws = load_workbook(tmp_path / "extract.xlsx", read_only=True)["actions"]
    assert sum(1 for _ in ws.iter_rows(values_only=True)) == 5001
