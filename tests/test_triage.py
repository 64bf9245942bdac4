"""A folder as users have them (issue 16, items 4-6): files that are plainly not papers are skipped and counted
once; the same plan twice (the same file, its PDF and its DOCX) is marked `duplicate_of` and counted once; a
document read fine without an action plan is flagged. Unit tests of extractor/run/triage.py, then one real batch
through the command line."""
from __future__ import annotations

import csv
import shutil

import pytest
from typer.testing import CliRunner

from extractor import cli
from extractor.model import Action, DocumentResult
from extractor.run import triage
from tests.paths import CORPUS

PLAN = "castlemere-council-action-log-3col"


def _doc(doc_id: str, sha: str = "", texts=(), status: str = "ok", fmt: str = "pdf", path: str = "") -> DocumentResult:
    actions = [Action(action_id=f"{doc_id}-a{i}", doc_id=doc_id, ref=str(i), ref_norm=str(i), text=t)
               for i, t in enumerate(texts, 1)]
    return DocumentResult(doc_id=doc_id, path=path or f"{doc_id}.{fmt}", sha256=sha, status=status, format=fmt,
                          actions=actions)


# --------------------------------------------------------------------------- units

@pytest.mark.parametrize("name, fmt, status, skipped", [
    ("README.md", "other", "unsupported", True),
    ("gold/plan.json", "other", "unsupported", True),
    ("photo.JPG", "other", "unsupported", True),
    ("~$plan.docx", "other", "unsupported", True),       # Word's lock file beside an open document
    ("plan.pdf", "other", "unsupported", False),         # named a paper: reported
    ("budget.xlsx", "other", "unsupported", False),      # not plainly not a paper: reported
    ("notes.txt", "pdf", "ok", False),                   # a PDF by content: read, whatever its name
    ("scan.txt", "other", "failed", False),
])
def test_plainly_not_a_paper(name, fmt, status, skipped):
    r = DocumentResult(doc_id="x", path=f"papers/{name}", status=status, format=fmt)
    assert (triage.mark_skipped(r, frozenset()).status == "skipped") is skipped


def test_a_file_named_on_the_command_line_is_never_skipped(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# notes")
    r = DocumentResult(doc_id="x", path=str(readme), status="unsupported", format="other")
    assert triage.mark_skipped(r, triage.explicit_files([str(readme), str(tmp_path)])).status == "unsupported"


def test_duplicates_by_content_and_by_plan():
    texts = ("Agree the workforce plan", "Recruit two nurses", "Publish the annual report")
    docs = [_doc("a-docx", "s1", texts, fmt="docx"), _doc("a-pdf", "s2", texts),  # one plan, two formats
            _doc("a-copy-pdf", "s2", texts),                                       # the same file again
            _doc("b-pdf", "s3", texts[:2] + ("Publish the annual report by May",)),  # another version
            _doc("c-pdf", "s4", texts[:2]),                                        # too few actions to tell
            _doc("c2-pdf", "s5", texts[:2]),
            _doc("bad-pdf", "s6", status="failed"), _doc("bad2-pdf", "s6", status="failed")]
    triage.mark_duplicates(docs)
    assert [d.duplicate_of for d in docs] == ["", "a-docx", "a-docx", "", "", "", "", ""]


def test_no_action_plan_flagged_once():
    docs = [_doc("empty"), _doc("plan", texts=("Do it",)), _doc("broken", status="failed")]
    triage.flag_no_action_plan(docs)
    triage.flag_no_action_plan(docs)
    assert docs[0].warnings == [triage.NO_ACTION_PLAN]
    assert docs[1].warnings == [] and docs[2].warnings == []


# --------------------------------------------------------------------------- a real folder through the CLI

@pytest.fixture(scope="module")
def messy_batch(tmp_path_factory):
    if not (CORPUS / f"{PLAN}.pdf").is_file():
        pytest.skip(f"{CORPUS} has no {PLAN}.pdf (make corpus)")
    import docx

    root = tmp_path_factory.mktemp("messy")
    papers = root / "papers"
    (papers / "gold").mkdir(parents=True)
    for suffix in (".pdf", ".docx"):
        shutil.copy(CORPUS / f"{PLAN}{suffix}", papers / f"{PLAN}{suffix}")
    shutil.copy(CORPUS / f"{PLAN}.pdf", papers / "copy-of-the-plan.pdf")
    shutil.copy(CORPUS / f"{PLAN}.pdf", papers / "plan-saved-as.txt")  # a PDF by content: read
    (papers / "README.md").write_text("# Board papers\n\nThe plans of 2024.\n")
    (papers / "gold" / "plan.json").write_text('{"actions": []}')
    (papers / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (papers / "not-really.pdf").write_text("this is no PDF")
    letter = docx.Document()
    letter.add_heading("Letter to the board", 1)
    letter.add_paragraph("Dear members, please find the minutes of the last meeting attached.")
    letter.save(papers / "letter.docx")
    out = root / "out"
    res = CliRunner().invoke(cli.app, ["batch", str(papers), "--out", str(out)], prog_name="extractor")
    rows = {r["doc_id"]: r for r in csv.DictReader((out / "documents.csv").open(encoding="utf-8"))}
    return res, rows, out


def test_not_papers_are_skipped_and_counted_once(messy_batch):
    res, rows, out = messy_batch
    assert not {"readme-md", "plan-json", "chart-png"} & set(rows)  # no documents row
    assert "README.md" not in res.stderr and "plan.json" not in res.stderr  # no red line per file
    assert "note        3 files that are not papers (.json 1, .md 1, .png 1), skipped" in res.stdout.splitlines()
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert 'data-kind="skipped" data-count="3"' in html
    # a file named .pdf that is not one is still reported, and the exit code says so
    assert rows["not-really-pdf"]["status"] == "failed" and res.exit_code == 3
    assert "extractor: failed:" in res.stderr and "not-really.pdf" in res.stderr
    log = (out / "extractor.log").read_text(encoding="utf-8")
    assert "unsupported:" not in log  # the log agrees with the summary: skipped, not a failure
    assert "skipped: " in log and "README.md: not a paper, not read" in log


def test_duplicates_marked_and_counted_once(messy_batch):
    res, rows, out = messy_batch
    first = f"{PLAN}-docx"  # input order (sorted paths): the DOCX comes first
    assert rows[first]["duplicate_of"] == ""
    assert rows[f"{PLAN}-pdf"]["duplicate_of"] == first  # the same plan as PDF
    assert rows["copy-of-the-plan-pdf"]["duplicate_of"] == first  # the same content again
    assert rows["plan-saved-as-txt"]["duplicate_of"] == first
    n_plan = int(rows[first]["n_actions"])
    assert n_plan > 3
    assert f"actions     {n_plan}" in res.stdout.splitlines()
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert f'data-kind="actions" data-count="{n_plan}"' in html
    assert 'data-kind="duplicates" data-count="3"' in html
    assert f'data-duplicate-of="{first}"' in html
    # the README's query, one plan once
    import duckdb

    con = duckdb.connect(str(out / "extract.duckdb"), read_only=True)
    n = con.execute("select count(*) from actions a join documents d using (doc_id) "
                    "where length(d.duplicate_of) = 0").fetchone()  # as in the README
    assert n[0] == n_plan
    # duplicates are no versions of each other
    assert not (out / "families.csv").is_file() or "plan-saved-as" not in (out / "families.csv").read_text()


def test_a_document_without_action_plan_is_flagged(messy_batch):
    res, rows, out = messy_batch
    assert rows["letter-docx"]["status"] == "ok" and rows["letter-docx"]["n_actions"] == "0"
    assert triage.NO_ACTION_PLAN in rows["letter-docx"]["warnings"]
    assert "extractor: no action plan found (0 actions): " in res.stderr and "letter.docx" in res.stderr
    assert "note        1 file read with no action plan found" in res.stdout.splitlines()
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert 'data-kind="no-action-plan" data-count="1"' in html
    assert 'data-doc-id="letter-docx"' in html and 'data-no-action-plan="true"' in html


def test_a_later_version_whose_wording_stayed_is_not_a_duplicate():
    # an action log re-issued with the same actions and only statuses moved is a version, not a copy: marking it
    # a duplicate would drop it from its family and lose the diff of the status changes
    texts = ("Agree the workforce plan", "Recruit two nurses", "Publish the annual report")
    v1 = _doc("log-v1", "s1", texts)
    v2 = _doc("log-v2", "s2", texts)
    v2.actions[1].status = "completed"
    triage.mark_duplicates([v1, v2])
    assert v2.duplicate_of == ""
