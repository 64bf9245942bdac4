"""Output formats: each one reads back equal to what was written (CSV, Parquet, JSON Lines, Excel, DuckDB),
the CSV contract is unchanged, formula-like cells are neutralised where asked, and writes are atomic."""
from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from extractor.model import Action, DocumentResult, Objective
from extractor.output import emit, schema

CONTRACT = {
    "documents": ["doc_id", "path", "sha256", "format", "pages", "title", "organisation", "version", "doc_date",
                  "status", "error", "n_actions", "n_objectives"],
    "actions": ["doc_id", "action_id", "ref", "ref_norm", "parent_ref", "section", "goal", "text", "owner", "lead",
                "due_raw", "due_date", "due_revised", "status_raw", "status", "rag", "progress", "measure", "is_new",
                "page_first", "page_last", "table_index", "row_index"],
    "objectives": ["doc_id", "objective_id", "ref", "parent_ref", "section", "kind", "text", "page"],
}


def make_results() -> list[DocumentResult]:
    """Four documents covering every status path and the awkward values: formula-like text, quotes,
    commas, newlines, non-ASCII, HTML, lists, empty and present dates, every RAG."""
    a = "plan-a-pdf"
    acts = [
        Action(doc_id=a, action_id=f"{a}-a0001", ref="1.1", ref_norm="1.1", section="1. Leadership", goal="Lead well",
               text="=HYPERLINK(\"http://evil\",\"click\")", owner="DoW, CEO", lead="Jo Bloggs",
               owners=["Director of Workforce", "Chief Executive"], owner_expanded="Director of Workforce; CEO",
               due_raw="Q3 2019/20", due_date="2019-12-31", due_start="2019-10-01", status_raw="Complete",
               status="completed", rag_raw="00B050", rag="green", progress="Done, \"signed off\"\nby the board",
               measure="+5% staff survey", is_new=False, objective_id=f"{a}-o0001", page_first=2, page_last=3,
               table_index=0, row_index=1, source="papers/plan-a.pdf"),
        Action(doc_id=a, action_id=f"{a}-a0002", ref="1.2", ref_norm="1.2", section="1. Leadership",
               text="-bullet: develop <b>leaders</b> & managers — ‘café’ network", owner="@team",
               due_raw="March 2020 revised June 2020", due_date="2020-03-31", due_revised="2020-06-30",
               status="delayed", rag="red", is_new=True, page_first=3, page_last=3, table_index=0, row_index=2),
        Action(doc_id=a, action_id=f"{a}-a0003", ref="2.1", text="Plain action", status="in_progress", rag="amber",
               page_first=4, page_last=4, table_index=1, row_index=0),
        Action(doc_id=a, action_id=f"{a}-a0004", ref="2.2", text="Blue action", status="completed", rag="blue",
               page_first=4, page_last=4, table_index=1, row_index=1),
        Action(doc_id=a, action_id=f"{a}-a0005", text="No rating", page_first=5, page_last=5, table_index=1,
               row_index=2),
    ]
    objs = [Objective(doc_id=a, objective_id=f"{a}-o0001", ref="1", section="Aims", kind="numbered",
                      text="Great leadership at every level", page=1),
            Objective(doc_id=a, objective_id=f"{a}-o0002", kind="we_will", text="=1+1 we will", page=2)]
    r1 = DocumentResult(doc_id=a, path="papers/plan-a.pdf", sha256="a" * 64, format="pdf", pages=6,
                        title="Plan A <script>alert(1)</script>", organisation="NHS Example", version="4.0",
                        doc_date="2020-01-31", status="ok", actions=acts, objectives=objs, seconds=1.25)
    b = "plan-b-docx"
    r2 = DocumentResult(doc_id=b, path="papers/plan-b.docx", sha256="b" * 64, format="docx", pages=2,
                        title="Plan B", status="partial", error="1 table could not be read",
                        warnings=["table 3: no header", "page 2: odd layout"],
                        actions=[Action(doc_id=b, action_id=f"{b}-a0001", ref="A1", text="One action",
                                        status="not_started", page_first=1, page_last=2, row_index=3)],
                        seconds=0.5)
    r3 = DocumentResult(doc_id="broken-pdf", path="papers/broken.pdf", status="failed",
                        error="PDFSyntaxError: no /Root object")
    r4 = DocumentResult(doc_id="locked-pdf", path="papers/locked.pdf", sha256="c" * 64, format="pdf",
                        status="encrypted", error="password required")
    return [r1, r2, r3, r4]


def typed(table: str, results=None) -> list[dict]:
    return emit.typed_rows(table, emit.batch_rows(results or make_results())[table])


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("formats")
    emit.write_batch(out, make_results(), formats=emit.FORMATS)
    return out


# --------------------------------------------------------------------------- formats option

def test_parse_formats():
    assert emit.parse_formats(None) == ["csv", "parquet", "duckdb"]
    assert emit.parse_formats([]) == list(emit.DEFAULT_FORMATS)
    assert emit.parse_formats(["xlsx,CSV", "jsonl"]) == ["csv", "jsonl", "xlsx"]
    assert emit.parse_formats(["duckdb", "duckdb"]) == ["duckdb"]
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        emit.parse_formats(["csv,xml"])


def test_only_chosen_formats_are_written(tmp_path):
    paths = emit.write_batch(tmp_path, make_results(), formats=["jsonl"])
    assert sorted(p.name for p in paths) == ["actions.jsonl", "documents.jsonl", "mentions.jsonl", "objectives.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["actions.jsonl", "documents.jsonl", "mentions.jsonl",
                                                            "objectives.jsonl"]


def test_every_format_file_is_written(written):
    names = {p.name for p in written.iterdir()}
    for t in ("documents", "actions", "objectives"):
        assert {f"{t}.csv", f"{t}.parquet", f"{t}.jsonl"} <= names
    assert {"datapackage.json", "extract.xlsx", "extract.duckdb"} <= names
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp") or n.endswith(".wal")]


# --------------------------------------------------------------------------- CSV

def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("table", ["documents", "actions", "objectives"])
def test_csv_keeps_the_contract(written, table):
    with open(written / f"{table}.csv", newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[: len(CONTRACT[table])] == CONTRACT[table]
    assert header == schema.columns(table)


def test_csv_round_trip_values(written):
    rows = _read_csv(written / "actions.csv")
    raw = emit.batch_rows(make_results())["actions"]
    assert len(rows) == len(raw)
    for got, want in zip(rows, raw):
        assert got == {k: emit.cell(want[k]) for k in schema.columns("actions")}
    first = rows[0]
    assert first["text"] == "=HYPERLINK(\"http://evil\",\"click\")"  # not neutralised by default
    assert first["is_new"] == "false" and rows[1]["is_new"] == "true"
    assert first["owners"] == "Director of Workforce; Chief Executive"
    assert first["progress"] == "Done, \"signed off\"\nby the board"
    docs = _read_csv(written / "documents.csv")
    assert [d["status"] for d in docs] == ["ok", "partial", "failed", "encrypted"]
    assert docs[0]["n_actions"] == "5" and docs[2]["sha256"] == ""
    assert docs[1]["warnings"] == "table 3: no header; page 2: odd layout"


def test_csv_exact_bytes_for_a_simple_document(tmp_path):
    r = DocumentResult(doc_id="x-pdf", path="x.pdf", sha256="f" * 64, format="pdf", pages=1, status="ok",
                       actions=[Action(doc_id="x-pdf", action_id="x-pdf-a0001", ref="1", text="Do it",
                                       page_first=1, page_last=1)])
    emit.write_batch(tmp_path, [r], formats=["csv"])
    assert (tmp_path / "actions.csv").read_bytes().decode() == (
        ",".join(schema.columns("actions")) + "\n"
        "x-pdf,x-pdf-a0001,1,,,,,Do it,,,,,,,unknown,,,,false,1,1,0,0,,,,,,,1.0,none,\n")
    assert (tmp_path / "documents.csv").read_text().splitlines()[1] == \
        f"x-pdf,x.pdf,{'f' * 64},pdf,1,,,,,ok,,1,0,0,,0.0,none,"  # duplicate_of empty: the first of its plan


def test_csv_excel_safe_neutralises_formula_cells(tmp_path):
    emit.write_batch(tmp_path, make_results(), formats=["csv"], excel_safe=True)
    rows = _read_csv(tmp_path / "actions.csv")
    assert rows[0]["text"].startswith("'=HYPERLINK(")
    assert rows[0]["measure"] == "'+5% staff survey"
    assert rows[1]["text"].startswith("'-bullet") and rows[1]["owner"] == "'@team"
    assert rows[2]["text"] == "Plain action" and rows[0]["page_first"] == "2"  # others untouched
    objs = _read_csv(tmp_path / "objectives.csv")
    assert objs[1]["text"] == "'=1+1 we will"


@pytest.mark.parametrize("value,expected", [("=1+2", "'=1+2"), ("+44 20", "'+44 20"), ("-x", "'-x"), ("@sum", "'@sum"),
                                            ("\tx", "'\tx"), ("a=b", "a=b"), ("", ""), ("'=x", "'=x")])
def test_neutralise(value, expected):
    assert emit.neutralise(value) == expected


# --------------------------------------------------------------------------- Parquet

@pytest.mark.parametrize("table", ["documents", "actions", "objectives"])
def test_parquet_round_trip(written, table):
    import pyarrow as pa
    import pyarrow.parquet as pq

    got = pq.read_table(written / f"{table}.parquet")
    assert got.schema.names == schema.columns(table)
    assert got.to_pylist() == typed(table)
    kinds = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32(), "list": pa.list_(pa.string())}
    for c in schema.table(table).columns:
        assert got.schema.field(c.name).type == kinds[c.type], c.name


def test_parquet_types_of_actions(written):
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pq.read_table(written / "actions.parquet")
    assert t.schema.field("due_date").type == pa.date32()
    assert t.schema.field("is_new").type == pa.bool_()
    assert t.schema.field("page_first").type == pa.int64()
    assert t.schema.field("owners").type == pa.list_(pa.string())
    rows = t.to_pylist()
    assert rows[0]["due_date"] == date(2019, 12, 31) and rows[2]["due_date"] is None
    assert rows[0]["owners"] == ["Director of Workforce", "Chief Executive"] and rows[2]["owners"] == []
    assert rows[1]["is_new"] is True
    # pandas reads it too
    df = pq.read_table(written / "documents.parquet").to_pandas()
    assert list(df["status"]) == ["ok", "partial", "failed", "encrypted"]


# --------------------------------------------------------------------------- JSON Lines

@pytest.mark.parametrize("table", ["documents", "actions", "objectives"])
def test_jsonl_round_trip(written, table):
    lines = (written / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    got = [json.loads(line) for line in lines]
    want = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in typed(table)]
    assert got == want
    assert all(list(g) == schema.columns(table) for g in got)


def test_jsonl_is_typed(written):
    first = json.loads((written / "actions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["is_new"] is False and first["page_first"] == 2 and first["due_date"] == "2019-12-31"
    assert first["due_revised"] is None and first["owners"] == ["Director of Workforce", "Chief Executive"]
    assert "‘café’" in (written / "actions.jsonl").read_text(encoding="utf-8")  # UTF-8, not \\u escapes


# --------------------------------------------------------------------------- Excel

def _xlsx_expected(table: str) -> list[list]:
    spec = schema.table(table)
    return [[emit.xlsx_value(c, r.get(c.name)) for c in spec.columns] for r in emit.batch_rows(make_results())[table]]


def _norm_xlsx(v):
    return v.date() if isinstance(v, datetime) else v


@pytest.mark.parametrize("table", ["documents", "actions", "objectives"])
def test_xlsx_round_trip(written, table):
    from openpyxl import load_workbook

    wb = load_workbook(written / "extract.xlsx")
    assert wb.sheetnames == ["documents", "actions", "objectives", "mentions", "changes", "families",
                             "action_history"]
    ws = wb[table]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == schema.columns(table)
    assert [[_norm_xlsx(v) for v in r] for r in rows[1:]] == _xlsx_expected(table)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(rows[0])).column_letter}{len(rows)}"
    assert all(c.font.bold for c in ws[1])


def test_xlsx_neutralises_and_colours(written):
    from openpyxl import load_workbook

    wb = load_workbook(written / "extract.xlsx")
    ws = wb["actions"]
    cols = schema.columns("actions")
    text_col = cols.index("text") + 1
    rag_col = cols.index("rag") + 1
    assert ws.cell(row=2, column=text_col).value.startswith("'=HYPERLINK(")
    assert ws.cell(row=2, column=text_col).data_type == "s"  # text, never a formula
    assert ws.cell(row=3, column=text_col).value.startswith("'-bullet")
    assert ws.cell(row=3, column=cols.index("owner") + 1).value == "'@team"
    hues = {}
    for r in range(2, ws.max_row + 1):
        c = ws.cell(row=r, column=rag_col)
        hues[c.value] = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
    assert hues["green"].endswith("00B050") and hues["red"].endswith("FF0000")
    assert hues["amber"].endswith("FFC000") and hues["blue"].endswith("0070C0")
    assert hues[None] is None  # no rating, no colour
    due = ws.cell(row=2, column=cols.index("due_date") + 1)
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=cols.index("owners") + 1).value == "Director of Workforce; Chief Executive"
    assert wb["objectives"].cell(row=3, column=schema.columns("objectives").index("text") + 1).value == "'=1+1 we will"


def test_xlsx_has_empty_families_and_changes_sheets_with_headers(written):
    from openpyxl import load_workbook

    wb = load_workbook(written / "extract.xlsx")
    for t in ("changes", "families", "action_history"):
        rows = list(wb[t].iter_rows(values_only=True))
        assert rows == [tuple(schema.columns(t))]


def test_only_duckdb(tmp_path):
    paths = emit.write_batch(tmp_path, make_results(), formats=["duckdb"])
    assert [p.name for p in paths] == ["extract.duckdb"] and [p.name for p in tmp_path.iterdir()] == ["extract.duckdb"]
    assert emit.write_batch(tmp_path / "none", make_results(), formats=[]) == []


def test_xlsx_strips_characters_xml_forbids(tmp_path):
    from openpyxl import load_workbook

    r = DocumentResult(doc_id="x-pdf", path="x.pdf", title="bad\x00 \x07char\x1f", status="ok")
    emit.write_xlsx(tmp_path / "x.xlsx", {"documents": emit.batch_rows([r])["documents"]})
    ws = load_workbook(tmp_path / "x.xlsx")["documents"]
    assert ws.cell(row=2, column=schema.columns("documents").index("title") + 1).value == "bad char"


# --------------------------------------------------------------------------- DuckDB

@pytest.mark.parametrize("table", ["documents", "actions", "objectives"])
def test_duckdb_round_trip(written, table):
    import duckdb

    con = duckdb.connect(str(written / "extract.duckdb"), read_only=True)
    try:
        cur = con.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cur.description]
        got = [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()
    assert names == schema.columns(table)
    assert got == typed(table)


def test_duckdb_has_every_table_with_types_and_comments(written):
    import duckdb

    con = duckdb.connect(str(written / "extract.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert tables == set(schema.DATABASE_TABLES)
        for t in ("changes", "families", "action_history"):  # no families in this batch: empty, right columns
            assert con.execute(f'SELECT count(*) FROM "{t}"').fetchone() == (0,)
            assert [r[0] for r in con.execute(f'DESCRIBE "{t}"').fetchall()] == schema.columns(t)
        types = dict((r[0], r[1]) for r in con.execute('DESCRIBE actions').fetchall())
        assert types["due_date"] == "DATE" and types["is_new"] == "BOOLEAN" and types["page_first"] == "BIGINT"
        assert types["owners"] == "VARCHAR[]"
        assert con.execute("SELECT count(*) FROM actions a JOIN documents d USING (doc_id)").fetchone() == (6,)
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name='actions' "
                              "AND column_name='due_date'").fetchone()[0]
        assert comment == schema.table("actions").column("due_date").description
    finally:
        con.close()


def test_duckdb_families_and_changes(tmp_path):
    import duckdb

    fam = [{"family_id": "plan", "doc_id": "plan-a-pdf", "path": "papers/plan-a.pdf", "title": "Plan A",
            "organisation": "", "version": "4.0", "doc_date": "2020-01-31", "position": 1, "n_actions": 5,
            "diff": "diffs/plan/x__plan-a-pdf"}]
    ch = [{"old_action_id": "x-a0001", "new_action_id": "plan-a-pdf-a0001", "old_ref": "1", "new_ref": "1.1",
           "old_text": "t", "new_text": "t", "field": "due_date", "from": "2019-06-30", "to": "2019-12-31",
           "slip_days": "184", "section": "", "diff": "diffs/plan/x__plan-a-pdf"}]
    path = emit.write_duckdb(tmp_path / "x.duckdb", {"families": fam, "changes": ch})
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute('SELECT family_id, position, doc_date FROM families').fetchall() == [
            ("plan", 1, date(2020, 1, 31))]
        assert con.execute('SELECT field, "from", "to", slip_days, diff FROM changes').fetchall() == [
            ("due_date", "2019-06-30", "2019-12-31", 184, "diffs/plan/x__plan-a-pdf")]
    finally:
        con.close()


def test_duckdb_is_replaced_atomically(tmp_path):
    import duckdb

    path = tmp_path / "extract.duckdb"
    emit.write_duckdb(path, {"documents": emit.batch_rows(make_results())["documents"]})
    bad = [{"doc_id": "x", "path": "x", "pages": "not a number"}]
    with pytest.raises(ValueError):
        emit.write_duckdb(path, {"documents": bad})
    con = duckdb.connect(str(path), read_only=True)  # the old database is intact
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (4,)
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extract.duckdb"]
    emit.write_duckdb(path, {"documents": []})  # and a good write replaces it
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    finally:
        con.close()


def test_atomic_open_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "a.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with emit.atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_outputs_are_readable_by_others(written):
    import stat

    mode = stat.S_IMODE((written / "actions.csv").stat().st_mode)
    assert mode & stat.S_IRUSR and mode & stat.S_IWUSR and mode != 0o600


# --------------------------------------------------------------------------- typed values

def test_typed_values():
    c = schema.table("actions").column
    assert emit.typed_value(c("due_date"), "2020-02-29") == date(2020, 2, 29)
    assert emit.typed_value(c("due_date"), "") is None and emit.typed_value(c("due_date"), "not a date") is None
    assert emit.typed_value(c("owners"), "A; B") == ["A", "B"] and emit.typed_value(c("owners"), None) == []
    assert emit.typed_value(c("is_new"), "true") is True and emit.typed_value(c("is_new"), 0) is False
    assert emit.typed_value(c("page_first"), "3") == 3 and emit.typed_value(c("text"), None) == ""
