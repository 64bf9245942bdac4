"""Writers: CSV, Parquet, JSON Lines, Excel, DuckDB and datapackage.json, all from the data dictionary
(extractor/schema.py). Every output goes to a temporary file in the target folder and is renamed into
place: readers never see half a file.

The heavy libraries (pyarrow, openpyxl, duckdb) are imported inside the writer that needs them.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
import tempfile
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Optional

from extractor.model import Action, DocumentResult, Objective
from extractor.output import schema

DOCUMENT_COLUMNS = schema.columns("documents")
ACTION_COLUMNS = schema.columns("actions")
OBJECTIVE_COLUMNS = schema.columns("objectives")
LIST_SEPARATOR = schema.LIST_SEPARATOR

FORMATS = ("csv", "parquet", "jsonl", "xlsx", "duckdb")
DEFAULT_FORMATS = ("csv", "parquet", "duckdb")
XLSX_NAME = "extract.xlsx"
DUCKDB_NAME = "extract.duckdb"
DATAPACKAGE_NAME = "datapackage.json"

RAG_HUES = {"red": "FF0000", "amber": "FFC000", "green": "00B050", "blue": "0070C0"}
_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")
_XLSX_MAX_CELL = 32767


# --------------------------------------------------------------------------- atomic files

@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs) -> Iterator[io.IOBase]:
    """Write to a temp file beside `path`, fsync, then os.replace: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _chmod_default(tmp)
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _chmod_default(path: str) -> None:
    """mkstemp makes 0600 files; outputs get the usual permissions (0666 less the umask)."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o666 & ~_umask())


def write_json(path: Path, data: object) -> None:
    with atomic_open(Path(path), "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, default=str)


# --------------------------------------------------------------------------- formats

def parse_formats(values: Optional[Iterable[str]]) -> list[str]:
    """["csv,parquet", "xlsx"] -> ["csv", "parquet", "xlsx"] (order of FORMATS); None/empty -> the defaults.
    An unknown name raises ValueError."""
    names: list[str] = []
    for v in values or ():
        names.extend(p.strip().lower() for p in str(v).split(",") if p.strip())
    if not names:
        return list(DEFAULT_FORMATS)
    bad = [n for n in names if n not in FORMATS]
    if bad:
        raise ValueError(f"unknown format {', '.join(repr(b) for b in bad)}; choose from {', '.join(FORMATS)}")
    return [f for f in FORMATS if f in names]


# --------------------------------------------------------------------------- rows

def document_row(r: DocumentResult) -> dict:
    return {"doc_id": r.doc_id, "path": r.path, "sha256": r.sha256, "format": r.format, "pages": r.pages,
            "title": r.title, "organisation": r.organisation, "version": r.version, "doc_date": r.doc_date,
            "status": r.status, "error": r.error, "n_actions": r.n_actions, "n_objectives": r.n_objectives,
            "n_warnings": len(r.warnings), "warnings": r.warnings[:20], "seconds": r.seconds,
            "doc_date_source": r.doc_date_source, "duplicate_of": r.duplicate_of}


def _flat_row(record) -> dict:
    """A record's fields as a dict; lists copied (what asdict does for these flat records, at a tenth of the cost)."""
    return {name: list(v) if isinstance(v := getattr(record, name), list) else v for name in _field_names(type(record))}


@functools.cache
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def action_row(a: Action) -> dict:
    return _flat_row(a)


def objective_row(o: Objective) -> dict:
    return _flat_row(o)


class TableRows:
    """The rows of one batch table, made from the results each time they are iterated (never all held at once:
    every writer streams them, in chunks where the format needs a table at a time)."""

    def __init__(self, results: list[DocumentResult], table: str):
        self.results, self.table = results, table

    def __iter__(self) -> Iterator[dict]:
        if self.table == "documents":
            return (document_row(r) for r in self.results)
        if self.table == "actions":
            return (action_row(a) for r in self.results for a in r.actions)
        if self.table == "objectives":
            return (objective_row(o) for r in self.results for o in r.objectives)
        if self.table == "mentions":
            return (_flat_row(m) for r in self.results for m in r.mentions)
        raise KeyError(f"no batch table {self.table!r}")


CHUNK_ROWS = 20_000  # rows converted to Arrow at a time (Parquet row groups, DuckDB inserts)


def chunks(rows: Iterable, size: Optional[int] = None) -> Iterator[list]:
    """Lists of up to `size` (default CHUNK_ROWS) consecutive items."""
    size = size or CHUNK_ROWS
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def batch_rows(results: list[DocumentResult]) -> dict[str, list[dict]]:
    """The three batch tables as rows of model values (strings as the pipeline made them)."""
    return {"documents": [document_row(r) for r in results],
            "actions": [action_row(a) for r in results for a in r.actions],
            "objectives": [objective_row(o) for r in results for o in r.objectives],
            "mentions": [_flat_row(m) for r in results for m in r.mentions]}


def _to_date(value: object) -> Optional[date]:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def typed_value(column: schema.Column, value: object) -> object:
    """A model/CSV value as the column's logical type: str ("" when absent), int/float/date (None when
    absent), bool, list[str]."""
    t = column.type
    if t == "string":
        return "" if value is None else str(value)
    if t == "list":
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [p.strip() for p in value.split(LIST_SEPARATOR.strip()) if p.strip()]
        return [str(v) for v in value]
    if t == "date":
        return _to_date(value)
    if t == "boolean":
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)
    if value is None or value == "":
        return None
    if t == "integer":
        return int(value)
    return float(value)  # number


def typed_rows(table: str, rows: Iterable[Mapping]) -> list[dict]:
    """Rows with exactly the table's columns, each value in its logical type; extra keys dropped."""
    return list(iter_typed_rows(table, rows))


def iter_typed_rows(table: str, rows: Iterable[Mapping]) -> Iterator[dict]:
    cols = schema.table(table).columns
    return ({c.name: typed_value(c, row.get(c.name)) for c in cols} for row in rows)


def neutralise(value: str) -> str:
    """A text a spreadsheet would take for a formula (= + - @ tab CR first) gets a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_LEAD) else value


# --------------------------------------------------------------------------- CSV

def cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    return str(value)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict], excel_safe: bool = False,
              text_columns: Optional[set[str]] = None) -> None:
    """UTF-8 CSV, "\\n" line ends, header first. excel_safe: text cells that start like a formula get a
    leading apostrophe (text_columns limits that to those columns; default: every column)."""
    with atomic_open(Path(path), "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            out = {k: cell(row.get(k)) for k in columns}
            if excel_safe:
                out = {k: neutralise(v) if text_columns is None or k in text_columns else v for k, v in out.items()}
            writer.writerow(out)


def text_columns(table: str) -> set[str]:
    """The columns --excel-safe neutralises: text, never numbers (a slip of "-5" days stays a number)."""
    return {c.name for c in schema.table(table).columns if c.type in ("string", "list")}


def write_table_csv(out_dir: Path, table: str, rows: Iterable[dict], excel_safe: bool = False,
                    columns: Optional[list[str]] = None, name: Optional[str] = None) -> Path:
    """A dictionary table as CSV: every CSV the tool writes (batch tables, families, a diff's crosswalk and
    changes) goes through here, so --excel-safe covers them all. `columns`: a subset in order (default: the
    table's); `name`: the file name (default: the table's)."""
    t = schema.table(table)
    path = Path(out_dir) / (name or t.filename)
    write_csv(path, columns or t.names, rows, excel_safe=excel_safe, text_columns=text_columns(table))
    return path


# --------------------------------------------------------------------------- Parquet / Arrow

def arrow_schema(table: str):
    import pyarrow as pa

    kinds = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
             "date": pa.date32(), "list": pa.list_(pa.string())}
    t = schema.table(table)
    # text and booleans are never null (absent text is ""); numbers and dates are null when absent
    return pa.schema([pa.field(c.name, kinds[c.type], nullable=not (c.required and c.type in ("string", "boolean")),
                               metadata={"description": c.description}) for c in t.columns],
                     metadata={"description": t.description, "table": t.name})


def arrow_table(table: str, rows: Iterable[Mapping]):
    """A pyarrow Table with the dictionary's types (rows may hold model values or typed values)."""
    import pyarrow as pa

    typed = typed_rows(table, rows)
    sch = arrow_schema(table)
    return pa.Table.from_pydict({f.name: [r[f.name] for r in typed] for f in sch}, schema=sch)


def write_parquet(path: Path, table: str, rows: Iterable[Mapping]) -> Path:
    """A Parquet file with the dictionary's types, written a row group of CHUNK_ROWS at a time."""
    import pyarrow.parquet as pq

    with atomic_open(Path(path), "wb") as fh:
        with pq.ParquetWriter(fh, arrow_schema(table), compression="zstd") as writer:
            empty = True
            for chunk in chunks(rows):
                writer.write_table(arrow_table(table, chunk))
                empty = False
            if empty:
                writer.write_table(arrow_table(table, []))
    return Path(path)


# --------------------------------------------------------------------------- JSON Lines

def _json_default(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_jsonl(path: Path, table: str, rows: Iterable[Mapping]) -> Path:
    """One JSON object per line, typed: dates "YYYY-MM-DD" or null, lists as arrays, booleans, numbers."""
    with atomic_open(Path(path), "w", encoding="utf-8", newline="\n") as fh:
        for row in iter_typed_rows(table, rows):
            fh.write(json.dumps(row, ensure_ascii=False, default=_json_default))
            fh.write("\n")
    return Path(path)


# --------------------------------------------------------------------------- Excel

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_value(column: schema.Column, value: object) -> object:
    """The value written to an Excel cell: text neutralised (always) and cleaned of characters XML
    forbids, lists joined, dates as dates, absent numbers/dates as empty cells."""
    v = typed_value(column, value)
    if column.type == "list":
        v = LIST_SEPARATOR.join(v)
    if isinstance(v, str):
        v = neutralise(_ILLEGAL_XML.sub("", v))[:_XLSX_MAX_CELL]
        return v if v != "" else None
    return v


def write_xlsx(path: Path, tables: Mapping[str, Iterable[Mapping]]) -> Path:
    """One sheet per table (in the order given): bold header row, frozen and auto-filtered; RAG cells
    filled with their hue; dates formatted YYYY-MM-DD; formula-like text neutralised.

    Written in openpyxl's write-only mode, row by row: a cell object per value kept in memory (and the
    quadratic look-ups of the normal mode) made an 80,000-action batch take minutes and a gigabyte."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fills = {k: PatternFill("solid", fgColor=v) for k, v in RAG_HUES.items()}
    white = Font(color="FFFFFF")
    for name, rows in tables.items():
        spec = schema.table(name)
        ws = wb.create_sheet(title=name[:31])
        values = [[xlsx_value(c, row.get(c.name)) for c in spec.columns] for row in rows]
        widths = [len(n) for n in spec.names]  # column widths go before the rows in a write-only sheet
        for row_values in values:
            for i, v in enumerate(row_values):
                if isinstance(v, str) and len(v) > widths[i]:
                    widths[i] = min(len(v), 60)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(width + 2, 62))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.names))}{len(values) + 1}"
        header = []
        for n in spec.names:
            cell = WriteOnlyCell(ws, value=n)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        dates = [i for i, c in enumerate(spec.columns) if c.type == "date"]
        rag = spec.names.index("rag") if "rag" in spec.names else None
        for row_values in values:
            out: list = list(row_values)
            for i in dates:
                if out[i] is not None:
                    out[i] = WriteOnlyCell(ws, value=out[i])
                    out[i].number_format = "yyyy-mm-dd"
            if rag is not None and out[rag] in fills:
                cell = WriteOnlyCell(ws, value=out[rag])
                cell.fill = fills[out[rag]]
                if out[rag] != "amber":
                    cell.font = white
                out[rag] = cell
            ws.append(out)
    with atomic_open(Path(path), "wb") as fh:
        wb.save(fh)
    return Path(path)


# --------------------------------------------------------------------------- DuckDB

def _quote(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


def write_duckdb(path: Path, tables: Mapping[str, Iterable[Mapping]]) -> Path:
    """An embedded DuckDB database with one table per entry (typed as the dictionary says, columns
    commented with their descriptions), built in a temp file beside `path` and renamed into place."""
    import duckdb

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # duckdb wants to create the file itself
    try:
        try:
            _fill_duckdb(duckdb.connect(tmp, config={"threads": 1}), tables)
        except duckdb.Error as exc:  # DuckDB reports a full disk as its own error: an OSError like any other writer's
            raise OSError(f"DuckDB could not write {path.name}: {_first_line(exc)}") from exc
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, tmp + ".wal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
    return path


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _fill_duckdb(con, tables: Mapping[str, Iterable[Mapping]]) -> None:
    """One table per entry, typed as the dictionary says, columns commented with their descriptions."""
    try:
        for name, rows in tables.items():
            spec = schema.table(name)
            con.register("_incoming", arrow_table(name, []))
            con.execute(f"CREATE TABLE {_quote(name)} AS SELECT * FROM _incoming")
            con.unregister("_incoming")
            for chunk in chunks(rows):  # a chunk of rows at a time: memory stays flat however big the batch
                con.register("_incoming", arrow_table(name, chunk))
                con.execute(f"INSERT INTO {_quote(name)} SELECT * FROM _incoming")
                con.unregister("_incoming")
            con.execute(f"COMMENT ON TABLE {_quote(name)} IS {_sql_str(spec.description)}")
            for c in spec.columns:
                con.execute(f"COMMENT ON COLUMN {_quote(name)}.{_quote(c.name)} IS {_sql_str(c.description)}")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --------------------------------------------------------------------------- batch

def write_datapackage(out_dir: Path, tables: Optional[Iterable[str]] = None) -> Path:
    """datapackage.json describing the CSVs in out_dir: the batch tables, plus families.csv and
    action_history.csv when the families step wrote them."""
    out_dir = Path(out_dir)
    if tables is None:
        tables = list(schema.BATCH_TABLES) + [t for t in schema.FAMILY_TABLES
                                              if (out_dir / schema.table(t).filename).is_file()]
    path = out_dir / DATAPACKAGE_NAME
    write_json(path, schema.datapackage(tuple(tables)))
    return path


def check_formats(formats: Iterable[str]) -> list[str]:
    """The formats asked for, validated, in FORMATS order; an empty list stays empty (unlike parse_formats)."""
    names = list(formats)
    return parse_formats(names) if names else []


def write_batch(out_dir: Path, results: list[DocumentResult], formats: Iterable[str] = DEFAULT_FORMATS,
                excel_safe: bool = False, extra_tables: Optional[Mapping[str, list[dict]]] = None) -> list[Path]:
    """Write the batch tables in each chosen format into out_dir; returns the paths written.

    csv: documents.csv, actions.csv, objectives.csv (+ datapackage.json); parquet: *.parquet; jsonl: *.jsonl;
    xlsx: extract.xlsx and duckdb: extract.duckdb, which also hold `changes`, `families` and `action_history`
    (from extra_tables; empty, with the right columns, otherwise)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    chosen = check_formats(formats)
    rows = {name: TableRows(results, name) for name in schema.BATCH_TABLES}
    written: list[Path] = []
    for name in schema.BATCH_TABLES:
        if "csv" in chosen:
            written.append(write_table_csv(out_dir, name, rows[name], excel_safe=excel_safe))
        if "parquet" in chosen:
            written.append(write_parquet(out_dir / f"{name}.parquet", name, rows[name]))
        if "jsonl" in chosen:
            written.append(write_jsonl(out_dir / f"{name}.jsonl", name, rows[name]))
    if "csv" in chosen:
        written.append(write_datapackage(out_dir))
    every: dict[str, Iterable[Mapping]] = dict(rows)
    for name in schema.DATABASE_TABLES:
        every.setdefault(name, list((extra_tables or {}).get(name, [])))
    if "xlsx" in chosen:
        written.append(write_xlsx(out_dir / XLSX_NAME, every))
    if "duckdb" in chosen:
        written.append(write_duckdb(out_dir / DUCKDB_NAME, every))
    return written
