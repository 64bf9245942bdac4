"""The data dictionary (extractor/schema.py) is the single source: emit's columns, the model, the diff and
families writers, datapackage.json and docs/data-dictionary.md all agree with it, and real outputs validate
against it with Frictionless."""
from __future__ import annotations

import atexit
import csv
import functools
import json
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path

import pytest

from extractor.model import Action, DocumentResult, Mention, Objective
from extractor.output import emit, schema
from tests.paths import ROOT, SAMPLE_DOCS, absent
from tests.test_formats import CONTRACT, make_results

DOCX_SAMPLES = ("bexley-gb-od-plan-2014.docx", "castlepoint-od-strategy-v3.docx", "castlepoint-od-strategy-v4.docx",
                "rotherham-od-strategy-2015.docx")


@functools.lru_cache(maxsize=1)
def real_batch() -> tuple[int, str, str, Path]:
    """`extractor batch` (in-process) over the shared DOCX samples, every format, once per test session.
    Returns (exit code, stdout, stderr, output folder). Callers skip when the samples are absent."""
    from typer.testing import CliRunner

    from extractor.cli import app

    out = Path(tempfile.mkdtemp(prefix="extractor-real-"))
    atexit.register(shutil.rmtree, out, True)
    docs = [str(SAMPLE_DOCS / n) for n in DOCX_SAMPLES]
    res = CliRunner().invoke(app, ["batch", *docs, "--out", str(out / "out"),
                                   "--format", "csv,parquet,jsonl,xlsx,duckdb"])
    return res.exit_code, res.stdout, res.stderr, out / "out"


def need_samples() -> None:
    if not all((SAMPLE_DOCS / n).is_file() for n in DOCX_SAMPLES):
        pytest.skip(absent(SAMPLE_DOCS))


# --------------------------------------------------------------------------- agreement

@pytest.mark.parametrize("table", ["documents", "actions", "objectives"])
def test_contract_columns_come_first_in_order(table):
    spec = schema.table(table)
    assert spec.contract == CONTRACT[table]
    assert spec.names[: len(CONTRACT[table])] == CONTRACT[table]  # extras only ever appended


def test_emit_column_lists_agree_with_the_schema():
    assert emit.DOCUMENT_COLUMNS == schema.columns("documents")
    assert emit.ACTION_COLUMNS == schema.columns("actions")
    assert emit.OBJECTIVE_COLUMNS == schema.columns("objectives")
    rows = emit.batch_rows(make_results())
    for table in ("documents", "actions", "objectives"):
        for row in rows[table]:
            assert set(row) == set(schema.columns(table)), table


def test_model_fields_are_all_in_the_dictionary():
    assert {f.name for f in fields(Action)} == set(schema.columns("actions"))
    assert [f.name for f in fields(Objective)] == schema.columns("objectives")
    assert [f.name for f in fields(Mention)] == schema.columns("mentions")
    # `transient` and `cached` steer the run (what is cached, what was), they are not data about the document
    doc_fields = {f.name for f in fields(DocumentResult)} - {"actions", "objectives", "mentions", "transient", "cached"}
    assert doc_fields <= set(schema.columns("documents"))


def test_diff_and_families_records_agree_with_the_schema():
    from extractor.model import Action
    from extractor.versions.reconcile import ChangeRow, CrosswalkRow, field_changes

    a = Action(doc_id="o", action_id="o-a0001", text="x", status="in_progress")
    b = Action(doc_id="n", action_id="n-a0001", text="x", status="completed")
    assert list(field_changes(a, b)[0].as_row()) == schema.table("changes").contract
    row = CrosswalkRow("o-a0001", "n-a0001", "", "", "x", "x", "matched", 100.0)
    assert list(row.as_row()) == schema.columns("crosswalk")
    assert {f.name for f in fields(ChangeRow)} >= {"field", "old_value", "new_value"}


def test_enums_agree_with_the_normalisers_and_rules():
    import yaml

    from extractor.fields.status import RAGS, STATUSES
    from extractor.versions.reconcile import CHANGE_FIELDS, Diff

    assert schema.table("actions").column("status").enum == tuple(STATUSES)
    assert schema.table("actions").column("rag").enum == tuple(RAGS)
    assert schema.table("changes").column("field").enum == tuple(CHANGE_FIELDS)
    assert tuple(Diff().change_counts()) == tuple(CHANGE_FIELDS)  # one source: extractor/versions/terms.py
    rules = yaml.safe_load((ROOT / "rules" / "objectives.yaml").read_text(encoding="utf-8"))
    kinds = {r["kind"] for r in rules["labels"]} - {"paragraph"}  # paragraph numbering is emitted as "numbered"
    assert kinds <= set(schema.OBJECTIVE_KINDS)


def test_every_column_is_described_once():
    for t in schema.TABLES.values():
        assert len(t.names) == len(set(t.names)), t.name
        assert t.description
        for c in t.columns:
            assert c.description.strip() and c.type in schema.TYPES, (t.name, c.name)
        for fk in t.foreign_keys:
            assert fk.column in t.names and fk.ref_column in schema.columns(fk.table)


def test_foreign_keys_are_declared():
    fks = {(t.name, fk.column): (fk.table, fk.ref_column) for t in schema.TABLES.values() for fk in t.foreign_keys}
    assert fks[("actions", "doc_id")] == ("documents", "doc_id")
    assert fks[("objectives", "doc_id")] == ("documents", "doc_id")
    assert fks[("actions", "objective_id")] == ("objectives", "objective_id")


# --------------------------------------------------------------------------- datapackage + frictionless

def test_datapackage_describes_the_csvs():
    dp = schema.datapackage()
    assert [r["name"] for r in dp["resources"]] == ["documents", "actions", "objectives", "mentions"]
    actions = dp["resources"][1]
    assert actions["path"] == "actions.csv"
    assert [f["name"] for f in actions["schema"]["fields"]] == schema.columns("actions")
    assert actions["schema"]["primaryKey"] == ["action_id"]
    assert {"fields": "objective_id", "reference": {"resource": "objectives", "fields": "objective_id"}} in \
        actions["schema"]["foreignKeys"]


def _validate(folder: Path):
    from frictionless import validate

    return validate(str(folder / "datapackage.json"))


def _errors(report) -> list[tuple[str, str]]:
    return [(task.name, e.type) for task in report.tasks for e in task.errors]


def test_written_outputs_validate_with_frictionless(tmp_path):
    emit.write_batch(tmp_path, make_results(), formats=["csv"])
    report = _validate(tmp_path)
    assert report.valid, _errors(report)[:10]


def test_excel_safe_outputs_validate_too(tmp_path):
    emit.write_batch(tmp_path, make_results(), formats=["csv"], excel_safe=True)
    report = _validate(tmp_path)
    assert report.valid, _errors(report)[:10]


def _rewrite(path: Path, change) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.mark.parametrize("table,column,value,error", [
    ("actions", "status", "finished", "constraint-error"),  # not an allowed value
    ("actions", "due_date", "31/12/2019", "type-error"),  # not ISO
    ("actions", "doc_id", "nowhere-pdf", "foreign-key"),  # no such document
    ("actions", "objective_id", "nowhere-o0001", "foreign-key"),  # no such objective
    ("documents", "status", "", "constraint-error"),  # required
    ("objectives", "page", "-1", "constraint-error"),
])
def test_frictionless_catches_broken_outputs(tmp_path, table, column, value, error):
    emit.write_batch(tmp_path, make_results(), formats=["csv"])

    def change(rows):
        rows[0][column] = value

    _rewrite(tmp_path / f"{table}.csv", change)
    report = _validate(tmp_path)
    assert not report.valid
    assert (table, error) in _errors(report)


def test_real_outputs_validate_with_frictionless():
    need_samples()
    code, _, stderr, out = real_batch()
    assert code == 0, stderr
    dp = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    family_tables = tuple(t for t in schema.FAMILY_TABLES if (out / schema.table(t).filename).is_file())
    assert family_tables in ((), schema.FAMILY_TABLES)  # the families step writes both or none
    assert dp == schema.datapackage(schema.BATCH_TABLES + family_tables)
    report = _validate(out)
    assert report.valid, _errors(report)[:10]
    # and the families the batch found fit their part of the dictionary
    if (out / "families.csv").is_file():
        for t in schema.FAMILY_TABLES:
            with open(out / schema.table(t).filename, newline="", encoding="utf-8") as fh:
                assert next(csv.reader(fh)) == schema.columns(t)


# --------------------------------------------------------------------------- data dictionary document

def test_markdown_lists_every_column():
    md = schema.markdown()
    assert md.startswith("# Data dictionary")
    for t in schema.TABLES.values():
        assert f"## {t.name}" in md
        for c in t.columns:
            assert f"| `{c.name}`" in md, (t.name, c.name)
    assert "`doc_id` → `documents.doc_id`" in md and "`objective_id` → `objectives.objective_id`" in md


def test_schema_module_prints_markdown(capsys):
    assert schema.main(["--markdown"]) == 0
    assert capsys.readouterr().out.strip() == schema.markdown().strip()
    assert schema.main(["--datapackage"]) == 0
    assert json.loads(capsys.readouterr().out) == schema.datapackage()
    assert schema.main([]) == 2


def test_docs_data_dictionary_is_generated_from_the_schema():
    doc = ROOT / "docs" / "data-dictionary.md"
    assert doc.is_file(), "run: python -m extractor.output.schema --markdown > docs/data-dictionary.md"
    assert doc.read_text(encoding="utf-8").strip() == schema.markdown().strip(), \
        "docs/data-dictionary.md is stale: python -m extractor.output.schema --markdown > docs/data-dictionary.md"
