"""The command line: help with examples and exit codes, --version, quiet/verbose, progress and summary
(plain when not a terminal, rich on one), options passed through, exit codes 0/1/2/3, never a traceback."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractor
from extractor import cli
from tests.paths import ROOT, SAMPLE_DOCS, absent
from tests.test_formats import make_results
from tests.test_schema import need_samples, real_batch

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(cli.app, [str(a) for a in args], prog_name="extractor")


@pytest.fixture
def fake_batch(monkeypatch):
    """The batch runner returns make_results() (1 ok, 1 partial, 1 failed, 1 encrypted) without parsing."""
    import extractor.run.batch as batch

    seen = {"results": make_results}

    def run_batch(files, options, on_done=lambda r: None):
        seen["files"], seen["options"] = files, options
        results = seen["results"]()
        for r in results:
            on_done(r)
        return results

    monkeypatch.setattr(batch, "run_batch", run_batch)
    return seen


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    for name in ("a.pdf", "b.docx", "c.pdf", "d.pdf"):  # as many files as make_results() has results
        (folder / name).write_bytes(b"%PDF-1.4 fake")
    return folder


# --------------------------------------------------------------------------- help and version

@pytest.mark.parametrize("command", [[], ["batch"], ["diff"], ["inspect"]])
def test_help_has_examples_and_exit_codes(command):
    res = invoke(*command, "--help")
    assert res.exit_code == 0
    text = res.stdout
    assert "Example" in text and "extractor " in text.split("Example", 1)[1]
    assert "Exit codes" in text and "0 " in text and "2 " in text and "1 " in text
    if command in ([], ["batch"]):
        assert "3  some files not ok" in text
    assert invoke(*command, "-h").stdout == text


def test_batch_help_lists_every_option():
    text = invoke("batch", "--help").stdout
    for opt in ("--out", "--workers", "--password", "--timeout", "--memory-limit", "--executor", "--scheduler",
                "--no-cache", "--format", "--excel-safe", "--quiet", "--verbose"):
        assert opt in text, opt
    assert "csv, parquet, jsonl, xlsx, duckdb" in " ".join(text.split())


def test_inspect_help_mentions_json():
    assert "--json" in invoke("inspect", "--help").stdout


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    res = invoke(flag)
    assert res.exit_code == 0 and res.stdout.strip() == f"extractor {extractor.__version__}"


# --------------------------------------------------------------------------- usage errors: exit 2

@pytest.mark.parametrize("args", [
    ["batch", "{in}", "--out", "{out}", "--format", "csv,xml"],
    ["batch", "{in}", "--out", "{out}", "--executor", "spark"],
    ["batch", "{in}", "--out", "{out}", "--scheduler", "tcp://x:8786"],
    ["batch", "{in}", "--out", "{out}", "--workers", "0"],
    ["batch", "{in}", "--out", "{out}", "--quiet", "--verbose"],
    ["batch", "{in}"],
    ["batch", "{in}", "--out", "{out}", "--bogus"],
    ["diff", "{in}/nope.pdf", "{in}/a.pdf", "--out", "{out}"],
    ["inspect", "{in}/nope.pdf"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(args, inputs, tmp_path, fake_batch):
    res = invoke(*[a.format(**{"in": inputs, "out": tmp_path / "out"}) for a in args])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_no_files_found_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    res = invoke("batch", tmp_path / "empty", "--out", tmp_path / "out")
    assert res.exit_code == 2 and "no files found" in res.stderr


# --------------------------------------------------------------------------- batch

def test_batch_exit_3_plain_progress_and_summary(inputs, tmp_path, fake_batch):
    out = tmp_path / "out"
    res = invoke("batch", inputs, "--out", out)
    assert res.exit_code == 3
    err = res.stderr.splitlines()
    assert "[1/4] ok          a.pdf: 5 actions" not in err  # names come from the results, not the inputs
    assert err[0] == "[1/4] ok          plan-a.pdf: 5 actions"
    assert "[3/4] failed      broken.pdf: 0 actions (PDFSyntaxError: no /Root object)" in err
    # every file not ok is listed with its status
    assert "extractor: partial: papers/plan-b.docx: 1 table could not be read" in err
    assert "extractor: failed: papers/broken.pdf: PDFSyntaxError: no /Root object" in err
    assert "extractor: encrypted: papers/locked.pdf: password required" in err
    lines = res.stdout.splitlines()
    assert lines[0] == "files       4"
    assert {"  ok        1", "  partial   1", "  failed    1", "  encrypted 1", "actions     6",
            "objectives  2"} <= set(lines)
    assert any(line.startswith("time        ") for line in lines) and lines[-1] == f"outputs     {out}"
    names = {p.name for p in out.iterdir()}
    assert {"documents.csv", "actions.csv", "objectives.csv", "datapackage.json", "documents.parquet",
            "actions.parquet", "objectives.parquet", "extract.duckdb", "summary.html"} <= names
    assert "extract.xlsx" not in names and "actions.jsonl" not in names
    assert "Traceback" not in res.output


def test_batch_all_ok_exits_0(inputs, tmp_path, fake_batch):
    fake_batch["results"] = lambda: make_results()[:1]
    res = invoke("batch", inputs / "a.pdf", "--out", tmp_path / "out", "--format", "jsonl")
    assert res.exit_code == 0, res.output
    # (hidden: .extractor/, the folder's lock and manifest; families.csv and action_history.csv: the families step's)
    names = {p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")} - {"families.csv",
                                                                                         "action_history.csv"}
    assert sorted(names) == ["actions.jsonl", "documents.jsonl", "mentions.jsonl", "objectives.jsonl", "summary.html"]


def test_batch_quiet(inputs, tmp_path, fake_batch):
    res = invoke("batch", inputs, "--out", tmp_path / "out", "-q")
    assert res.exit_code == 3
    assert len(res.stdout.splitlines()) == 1
    assert res.stdout.startswith("4 file(s): encrypted 1, failed 1, ok 1, partial 1; 6 actions, 2 objectives in ")
    assert all(line.startswith("extractor: ") for line in res.stderr.splitlines())  # problems only, no progress
    assert len(res.stderr.splitlines()) == 3
    assert invoke("-q", "batch", inputs, "--out", tmp_path / "out2").stdout.count("\n") == 1  # global flag too


def test_batch_verbose(inputs, tmp_path, fake_batch):
    res = invoke("batch", inputs, "--out", tmp_path / "out", "--verbose", "--format", "csv")
    assert res.exit_code == 3
    assert "    warning: table 3: no header" in res.stderr
    assert f"extractor: wrote {tmp_path / 'out' / 'actions.csv'}" in res.stderr
    assert f"extractor: wrote {tmp_path / 'out' / 'summary.html'}" in res.stderr


def test_batch_formats_and_excel_safe(inputs, tmp_path, fake_batch):
    out = tmp_path / "out"
    res = invoke("batch", inputs, "--out", out, "--format", "csv", "-f", "xlsx", "--excel-safe", "-q")
    assert res.exit_code == 3
    names = {p.name for p in out.iterdir()}
    assert {"actions.csv", "extract.xlsx", "summary.html"} <= names
    assert "actions.parquet" not in names and "extract.duckdb" not in names
    with open(out / "actions.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["text"].startswith("'=HYPERLINK")


def test_batch_options_reach_the_runner(inputs, tmp_path, fake_batch, monkeypatch):
    from dataclasses import fields

    from extractor.run.batch import BatchOptions

    monkeypatch.delenv("EXTRACTOR_PASSWORD", raising=False)
    res = invoke("batch", inputs, "--out", tmp_path / "out", "--workers", "3", "--password", "s3cret",
                 "--timeout", "30", "--memory-limit", "512", "--executor", "dask", "--scheduler", "tcp://h:8786",
                 "--no-cache", "-f", "jsonl", "-q")
    assert res.exit_code == 3, res.output
    opts = fake_batch["options"]
    assert opts.workers == 3 and opts.password == "s3cret"
    expected = {"timeout_s": 30.0, "memory_mb": 512, "executor": "dask", "scheduler": "tcp://h:8786",
                "use_cache": False, "out_dir": tmp_path / "out"}
    for f in fields(BatchOptions):
        if f.name in expected:
            assert getattr(opts, f.name) == expected[f.name], f.name
    assert fake_batch["files"] == [str(inputs / n) for n in ("a.pdf", "b.docx", "c.pdf", "d.pdf")]


def test_password_from_the_environment(inputs, tmp_path, fake_batch, monkeypatch):
    monkeypatch.setenv("EXTRACTOR_PASSWORD", "from-env")
    invoke("batch", inputs, "--out", tmp_path / "out", "-f", "jsonl", "-q")
    assert fake_batch["options"].password == "from-env"


def test_rich_progress_and_table_on_a_terminal(inputs, tmp_path, fake_batch, monkeypatch):
    from extractor import terminal

    monkeypatch.setattr(terminal, "is_terminal", lambda stream: True)
    res = invoke("batch", inputs, "--out", tmp_path / "out", "-f", "jsonl")
    assert res.exit_code == 3
    assert "┃" in res.stdout or "│" in res.stdout  # a rich table
    assert "extractor batch" in res.stdout and "objectives" in res.stdout
    assert "failed" in res.stderr and "[1/4]" not in res.stderr  # rich lines, not the plain ones


@pytest.mark.parametrize("command", ["batch", "diff"])
@pytest.mark.parametrize("where", ["file", "under a file"])
def test_an_output_that_is_or_is_under_a_file_is_a_usage_error_before_any_work(inputs, tmp_path, fake_batch,
                                                                                 command, where, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = blocker if where == "file" else blocker / "out"
    import extractor.api as api

    monkeypatch.setattr(api, "diff", lambda *a, **k: pytest.fail("the files were read before --out was checked"))
    args = [inputs] if command == "batch" else [inputs / "a.pdf", inputs / "c.pdf"]
    res = invoke(command, *args, "--out", out, *(["-f", "jsonl"] if command == "batch" else []))
    assert res.exit_code == 2, res.output
    assert "files" not in fake_batch  # nothing processed
    message = f"extractor: --out {out} is a file, not a folder" if where == "file" else \
        f"extractor: --out {out} is under {blocker}, which is a file"
    assert res.stderr.splitlines() == [message] and "Traceback" not in res.output
    assert blocker.read_text() == "not a folder"


def test_a_path_that_does_not_exist_is_a_usage_error(inputs, tmp_path, fake_batch):
    res = invoke("batch", inputs, tmp_path / "nonexistent", "--out", tmp_path / "out")
    assert res.exit_code == 2
    assert res.stderr.splitlines() == [f"extractor: no such file or folder: {tmp_path / 'nonexistent'}"]
    assert "files" not in fake_batch and not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- real processes

def _run(*args: str, code: str | None = None, **kw) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-m", "extractor", *args]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120, env=env, **kw)


def test_process_exit_codes_and_no_traceback(tmp_path):
    res = _run("batch", "--bogus")
    assert res.returncode == 2 and "Traceback" not in res.stderr + res.stdout
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    res = _run("batch", str(empty), "--out", str(tmp_path / "out"))
    assert res.returncode == 3, res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert "[1/1] failed      empty.pdf: 0 actions (empty file (0 bytes))" in res.stderr.splitlines()
    assert res.stdout.splitlines()[0] == "files       1"
    with open(tmp_path / "out" / "documents.csv", newline="", encoding="utf-8") as fh:
        assert next(csv.DictReader(fh))["status"] == "failed"


def test_internal_error_is_one_line_exit_1(tmp_path):
    code = textwrap.dedent(f"""
        import extractor.api
        def boom(*a, **k):
            raise RuntimeError("kaboom")
        extractor.api.extract = boom
        from extractor.cli import main
        main(["batch", {str(ROOT / 'README.md')!r}, "--out", {str(tmp_path / 'out')!r}])
    """)
    res = _run(code=code)
    assert res.returncode == 1
    assert "Traceback" not in res.stderr + res.stdout
    line = res.stderr.strip().splitlines()[-1]
    assert line.startswith("extractor: internal error: RuntimeError: kaboom (details: ")
    log = Path(line.rsplit("(details: ", 1)[1].rstrip(")"))
    assert "Traceback" in log.read_text(encoding="utf-8") and "kaboom" in log.read_text(encoding="utf-8")
    log.unlink()


def test_rich_output_in_a_real_terminal(tmp_path):
    pty = pytest.importorskip("pty")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "extractor", "batch", str(empty), "--out", str(tmp_path / "o")],
                                stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, cwd=ROOT,
                                env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=120) == 3
    finally:
        os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert "Traceback" not in text
    assert "extractor batch" in text and ("┃" in text or "│" in text or "|" in text)
    assert "[1/1]" not in text  # not the plain lines


# --------------------------------------------------------------------------- end to end on the shared samples

def test_batch_end_to_end_on_samples():
    need_samples()
    code, stdout, stderr, out = real_batch()
    assert code == 0, stderr
    assert "Traceback" not in stdout + stderr
    assert "files       4" in stdout and "  ok        4" in stdout
    for name in ("documents", "actions", "objectives"):
        for ext in ("csv", "parquet", "jsonl"):
            assert (out / f"{name}.{ext}").is_file()
    assert (out / "extract.xlsx").is_file() and (out / "extract.duckdb").is_file()
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert html.count('class="document"') == 4
    import duckdb

    con = duckdb.connect(str(out / "extract.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM actions").fetchone()[0] == 161
        n_changes = con.execute("SELECT count(*) FROM changes").fetchone()[0]
        n_families = con.execute("SELECT count(DISTINCT family_id) FROM families").fetchone()[0]
    finally:
        con.close()
    if (out / "families.csv").is_file():  # the families step ran: castlepoint v3 -> v4
        assert n_families == 1 and n_changes > 0
        assert 'href="diffs/castlepoint-od-strategy/' in html
        assert list((out / "diffs").rglob("report.html"))


def test_diff_and_inspect_on_samples(tmp_path):
    docs = SAMPLE_DOCS
    v3, v4 = docs / "castlepoint-od-strategy-v3.docx", docs / "castlepoint-od-strategy-v4.docx"
    if not (v3.is_file() and v4.is_file()):
        pytest.skip(absent(SAMPLE_DOCS))
    res = invoke("diff", v3, v4, "--out", tmp_path / "diff")
    assert res.exit_code == 0, res.output
    assert "matched" in res.stdout and "changes by field" in res.stdout
    assert {p.name for p in (tmp_path / "diff").iterdir()} >= {"crosswalk.csv", "changes.csv", "report.html"}
    res = invoke("inspect", v4, "--json")
    assert res.exit_code == 0
    report = json.loads(res.stdout)
    assert report["format"] == "docx" and any(t["verdict"] == "action table" for t in report["tables"])
    assert "action table" in invoke("inspect", v4).stdout


def test_inspect_unreadable_file_exits_3(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    res = invoke("inspect", bad)
    assert res.exit_code == 3
    assert res.stderr.startswith("extractor: ") and "Traceback" not in res.output


def test_inspect_json_answers_for_an_unreadable_file(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    res = invoke("inspect", bad, "--json")
    assert res.exit_code == 3
    report = json.loads(res.stdout)
    assert report["path"] == str(bad) and report["status"] == "failed" and report["error"]


# --------------------------------------------------------------------------- small surprises (issue 16, item 7)

@pytest.mark.parametrize("command", [["batch"], ["diff"], ["inspect"]])
def test_help_shows_no_python_types(command):
    text = invoke(*command, "--help").stdout
    assert "<list[" not in text and "<file>" not in text and "<path>" not in text.lower()


def test_plain_summary_keeps_a_space_after_a_long_status(inputs, tmp_path, fake_batch):
    def results():
        rs = make_results()
        for r in rs[2:]:
            r.status, r.error, r.format = "unsupported", "unsupported file type (.xyz)", "other"
        return rs

    fake_batch["results"] = results
    res = invoke("batch", inputs, "--out", tmp_path / "out")
    assert "  unsupported 2" in res.stdout.splitlines() and "unsupported2" not in res.stdout


def test_terminal_and_summary_page_agree_on_the_run_time(inputs, tmp_path, fake_batch):
    import re

    out = tmp_path / "out"
    res = invoke("batch", inputs, "--out", out)
    shown = next(line for line in res.stdout.splitlines() if line.startswith("time "))
    page = re.search(r'data-kind="seconds" data-count="([0-9.]+)"', (out / "summary.html").read_text()).group(1)
    assert shown.split()[-1] == f"{page}s"
