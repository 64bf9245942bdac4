"""The data dictionary: every column of every output table, defined once.

Everything else is derived from TABLES: emit's column lists and typed writers (CSV, Parquet, JSON Lines,
Excel, DuckDB), the Frictionless `datapackage.json` written next to the CSVs, and docs/data-dictionary.md
(`python -m extractor.output.schema --markdown`).

Column types (logical; how each format stores them):
  string   text; "" when absent (never null)
  integer  whole number (CSV digits, Parquet/DuckDB int64)
  number   decimal number (Parquet/DuckDB float64)
  boolean  CSV "true"/"false"; typed formats bool
  date     ISO 8601 YYYY-MM-DD; CSV "" when absent, typed formats date32 / DATE / null
  list     list of strings; CSV and Excel join the items with "; ", typed formats list<string> / VARCHAR[]

Only the standard library here: `import extractor.output.schema` stays cheap.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Optional

TYPES = ("string", "integer", "number", "boolean", "date", "list")
LIST_SEPARATOR = "; "

DOC_STATUSES = ("ok", "partial", "failed", "needs_ocr", "encrypted", "unsupported")
FORMATS = ("pdf", "docx", "doc", "odt", "rtf", "other")
ACTION_STATUSES = ("not_started", "in_progress", "delayed", "completed", "unknown")
RAGS = ("red", "amber", "green", "blue")
OBJECTIVE_KINDS = ("referenced", "numbered", "lettered", "aim", "priority", "we_will")
MATCHES = ("matched", "added", "removed", "split", "merged")
CHANGE_FIELDS = ("status", "rag", "due_date", "due_revised", "owner", "text", "ref")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False  # never empty
    enum: tuple[str, ...] = ()  # allowed values when not empty
    unique: bool = False
    contract: bool = True  # part of the published CSV contract (False: an extra column, welcome by it)
    pattern: Optional[str] = None

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    ref_column: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    filename: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    in_datapackage: bool = True  # described as a CSV resource in datapackage.json

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def contract(self) -> list[str]:
        return [c.name for c in self.columns if c.contract]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name}.{name}")


S, I, N, B, D, L = "string", "integer", "number", "boolean", "date", "list"
C = Column

DOCUMENTS = TableSpec(
    "documents", "documents.csv",
    "One row per input file, whatever happened to it: a failed file is a row with its status and error.",
    (
        C("doc_id", S, "Id of the document, unique in the run and stable across runs: its file stem and format "
                       "(e.g. `od-strategy-v4-pdf`); where two files' ids would collide (the same stem in two "
                       "folders, names differing only in case or punctuation) or the name is in a non-Latin "
                       "script, a short hash of its path is appended (`plan-pdf-3f9a2c1b`).", required=True,
          unique=True),
        C("path", S, "The file's path as given to the batch.", required=True),
        C("sha256", S, "SHA-256 of the file's bytes (hex); empty when the file could not be read.",
          pattern="[0-9a-f]{64}"),
        C("format", S, "File format sniffed from the bytes, not the extension (`doc`, `odt` and `rtf` are read "
                         "through LibreOffice's DOCX conversion).", enum=FORMATS),
        C("pages", I, "Number of pages (0 when the file could not be opened)."),
        C("title", S, "Document title from the cover page or file properties."),
        C("organisation", S, "Publishing organisation, from the cover page or file properties."),
        C("version", S, "Version label as printed (e.g. `4.0`)."),
        C("doc_date", D, "Date of the document (cover page, version table or file properties)."),
        C("status", S, "What happened: `ok`; `partial` (some content unreadable, see error); `failed`; "
                       "`needs_ocr` (scanned, no text layer); `encrypted` (password needed); `unsupported` "
                       "(not a PDF or DOCX).", required=True, enum=DOC_STATUSES),
        C("error", S, "One-line reason when status is not ok."),
        C("n_actions", I, "Number of rows this document has in actions.csv.", required=True),
        C("n_objectives", I, "Number of rows this document has in objectives.csv.", required=True),
        C("n_warnings", I, "Number of warnings raised while reading the document.", contract=False),
        C("warnings", L, "The first 20 warnings.", contract=False),
        C("seconds", N, "Processing time in seconds.", contract=False),
    ),
    primary_key=("doc_id",),
)

ACTIONS = TableSpec(
    "actions", "actions.csv",
    "One row per action found in a document's action-plan tables, in reading order.",
    (
        C("doc_id", S, "The document the action comes from.", required=True),
        C("action_id", S, "Stable id: `<doc_id>-a<NNNN>` in reading order.", required=True, unique=True),
        C("ref", S, "The action's reference as printed (e.g. `5.1`, `L7`, `3a)`)."),
        C("ref_norm", S, "The reference normalised for comparison (case-folded, brackets and trailing dots "
                         "removed, inherited prefix applied)."),
        C("parent_ref", S, "Reference of the enclosing goal/section when the numbering nests."),
        C("section", S, "Group row or heading the action sits under."),
        C("goal", S, "Goal/objective column text (merged cells carried down)."),
        C("text", S, "The action itself.", required=True),
        C("owner", S, "Owner/lead cell as printed."),
        C("lead", S, "Lead named separately from the owner, when the table has both."),
        C("due_raw", S, "Due-date cell as printed."),
        C("due_date", D, "Due date: the last day of the stated period (`Q3 2019/20` -> 2019-12-31)."),
        C("due_revised", D, "Revised due date when the cell or a column states one."),
        C("status_raw", S, "Status/progress cell as printed."),
        C("status", S, "Normalised status.", required=True, enum=ACTION_STATUSES),
        C("rag", S, "RAG rating from a letter, word or the cell's colour; empty when none.", enum=RAGS),
        C("progress", S, "Progress/update notes."),
        C("measure", S, "Measure of success / outcome / evidence."),
        C("is_new", B, "The action is marked as new (e.g. `(NEW)`).", required=True),
        C("page_first", I, "Page where the action's row starts (1-based).", required=True),
        C("page_last", I, "Page where the action's row ends.", required=True),
        C("table_index", I, "Index of the table in the document (0-based, reading order).", required=True),
        C("row_index", I, "Index of the row in its table (0-based).", required=True),
        C("owners", L, "Individual owners split out of the owner cell.", contract=False),
        C("owner_expanded", S, "Owner with abbreviations expanded (e.g. `DoW` -> `Director of Workforce`).",
          contract=False),
        C("due_start", D, "Start of the stated period when the cell gives a range.", contract=False),
        C("rag_raw", S, "RAG cell text or fill colour as found.", contract=False),
        C("objective_id", S, "The objective the action delivers, when one could be linked.", contract=False),
        C("source", S, "Path of the file the action was read from.", contract=False),
        C("confidence", N, "How sure the table stage is that this row is an action (0-1): the verdict on its "
                           "table and how much the row reads as something to do. Review the low ones first; "
                           "`extractor inspect` shows the evidence.", contract=False),
    ),
    primary_key=("action_id",),
    foreign_keys=(ForeignKey("doc_id", "documents", "doc_id"),
                  ForeignKey("objective_id", "objectives", "objective_id")),
)

OBJECTIVES = TableSpec(
    "objectives", "objectives.csv",
    "One row per narrative objective (numbered aims, priorities, 'we will' statements) in the body text.",
    (
        C("doc_id", S, "The document the objective comes from.", required=True),
        C("objective_id", S, "Stable id: `<doc_id>-o<NNNN>` in reading order.", required=True, unique=True),
        C("ref", S, "The objective's reference as printed (e.g. `L1`, `2)`), or empty."),
        C("parent_ref", S, "Reference of the enclosing objective when they nest."),
        C("section", S, "Heading the objective sits under."),
        C("kind", S, "How the objective was recognised.", enum=OBJECTIVE_KINDS),
        C("text", S, "The objective's text.", required=True),
        C("page", I, "Page where the objective is printed (1-based).", required=True),
    ),
    primary_key=("objective_id",),
    foreign_keys=(ForeignKey("doc_id", "documents", "doc_id"),),
)

MENTIONS = TableSpec(
    "mentions", "mentions.csv",
    "Rows of tables that restate an action listed earlier in the same document (an exception report, a list "
    "of red or closed actions, an annex repeating the commitments): they are not new actions; each is linked "
    "to the action it restates and keeps what it adds.",
    (
        C("doc_id", S, "The document.", required=True),
        C("mention_id", S, "Stable id: `<doc_id>-m<NNNN>` in reading order.", required=True, unique=True),
        C("action_id", S, "The action restated (a row of actions.csv).", required=True),
        C("ref", S, "The reference printed in the restating row."),
        C("text", S, "The restating row's action text as printed."),
        C("details", S, "What the row adds: its other cells as `Header: value; ...` (concern, remedial action, "
                        "date raised...)."),
        C("page", I, "Page of the restating row (1-based).", required=True),
        C("table_index", I, "Index of the restating table in the document (0-based).", required=True),
        C("row_index", I, "Index of the row in that table (0-based).", required=True),
    ),
    primary_key=("mention_id",),
    foreign_keys=(ForeignKey("doc_id", "documents", "doc_id"), ForeignKey("action_id", "actions", "action_id")),
)

FAMILIES = TableSpec(
    "families", "families.csv",
    "Documents recognised as versions of the same plan (same organisation and title), one row per member, "
    "oldest version first; the renderings of one version (its PDF and DOCX) share a position.",
    (
        C("family_id", S, "Id of the family of versions (from the plan's title).", required=True),
        C("doc_id", S, "A member document.", required=True),
        C("path", S, "The member's file path."),
        C("title", S, "The member's title."),
        C("organisation", S, "The member's organisation."),
        C("version", S, "The member's version label."),
        C("doc_date", D, "The member's document date."),
        C("position", I, "Order of the member's version in the family (0 = oldest).", required=True),
        C("n_actions", I, "Number of actions the member has."),
        C("diff", S, "Folder (relative to the output folder, `diffs/<family_id>/<old_doc_id>__<new_doc_id>`) "
                     "of the diff from the previous version to this member; empty for the oldest version and "
                     "for renderings that were not diffed."),
    ),
    primary_key=("doc_id",),
    foreign_keys=(ForeignKey("doc_id", "documents", "doc_id"),),
    in_datapackage=False,
)

CHANGES = TableSpec(
    "changes", "changes.csv",
    "One row per field that differs between a matched old/new pair of actions (a diff's changes.csv; in "
    "the DuckDB database the changes of every family diff, labelled with the diff they come from).",
    (
        C("old_action_id", S, "The action in the older version."),
        C("new_action_id", S, "The action in the newer version."),
        C("old_ref", S, "Old reference as printed."),
        C("new_ref", S, "New reference as printed."),
        C("old_text", S, "Old action text."),
        C("new_text", S, "New action text."),
        C("field", S, "The field that changed.", required=True, enum=CHANGE_FIELDS),
        C("from", S, "Old value (normalised where the field is)."),
        C("to", S, "New value."),
        C("slip_days", I, "For date fields: new minus old, in days (positive = later)."),
        C("section", S, "Section of the newer action."),
        C("diff", S, "The diff the change belongs to: its folder relative to the output folder "
                     "(`diffs/<family_id>/<old_doc_id>__<new_doc_id>`); only in the DuckDB database.",
          contract=False),
    ),
    in_datapackage=False,
)

CROSSWALK = TableSpec(
    "crosswalk", "crosswalk.csv",
    "A diff's one-to-one mapping between the actions of two versions.",
    (
        C("old_action_id", S, "The action in the older version (empty when added)."),
        C("new_action_id", S, "The action in the newer version (empty when removed)."),
        C("old_ref", S, "Old reference as printed."),
        C("new_ref", S, "New reference as printed."),
        C("old_text", S, "Old action text."),
        C("new_text", S, "New action text."),
        C("match", S, "How the two relate.", required=True, enum=MATCHES),
        C("score", N, "Match score 0-100 (text similarity plus supporting evidence)."),
    ),
    in_datapackage=False,
)

TABLES: dict[str, TableSpec] = {t.name: t for t in (DOCUMENTS, ACTIONS, OBJECTIVES, MENTIONS, FAMILIES, CHANGES,
                                                    CROSSWALK)}
BATCH_TABLES = ("documents", "actions", "objectives", "mentions")  # the CSVs a batch always writes
DATABASE_TABLES = ("documents", "actions", "objectives", "mentions", "changes", "families")  # extract.duckdb

del S, I, N, B, D, L, C


def table(name: str) -> TableSpec:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; tables: {', '.join(TABLES)}") from None


def columns(name: str) -> list[str]:
    return table(name).names


# --------------------------------------------------------------------------- Frictionless Table Schema

_FRICTIONLESS_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
                       "date": "date", "list": "string"}


def table_schema(name: str) -> dict:
    """A Frictionless Table Schema (v1) for the CSV form of a table."""
    t = table(name)
    out_fields = []
    for c in t.columns:
        f: dict = {"name": c.name, "type": _FRICTIONLESS_TYPES[c.type], "description": c.description}
        if c.type == "boolean":
            f["trueValues"], f["falseValues"] = ["true"], ["false"]
        if c.type == "date":
            f["format"] = "%Y-%m-%d"
        if c.type == "list":
            f["description"] += f' Items joined with "{LIST_SEPARATOR}".'
        constraints: dict = {}
        if c.required:
            constraints["required"] = True
        if c.unique:
            constraints["unique"] = True
        if c.enum:
            constraints["enum"] = list(c.enum)
        if c.pattern:
            constraints["pattern"] = c.pattern
        if c.type == "integer" and c.name != "slip_days":
            constraints["minimum"] = 0
        if constraints:
            f["constraints"] = constraints
        out_fields.append(f)
    schema: dict = {"fields": out_fields, "missingValues": [""]}
    if t.primary_key:
        schema["primaryKey"] = list(t.primary_key)
    if t.foreign_keys:
        schema["foreignKeys"] = [{"fields": fk.column, "reference": {"resource": fk.table, "fields": fk.ref_column}}
                                 for fk in t.foreign_keys]
    return schema


def datapackage(tables: tuple[str, ...] = BATCH_TABLES, name: str = "extractor-output") -> dict:
    """datapackage.json describing the CSV resources of a batch output folder."""
    from extractor import __version__

    resources = []
    for n in tables:
        t = table(n)
        resources.append({"name": t.name, "path": t.filename, "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "description": t.description,
                          "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                          "schema": table_schema(n)})
    return {"profile": "tabular-data-package", "name": name, "title": "Action plans extracted from board papers",
            "description": f"Written by extractor {__version__}. Column definitions: docs/data-dictionary.md.",
            "resources": resources}


# --------------------------------------------------------------------------- markdown

def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The "Data dictionary" section (docs/data-dictionary.md)."""
    lines = ["# Data dictionary", "",
             "<!-- generated by `python -m extractor.output.schema --markdown` from extractor/output/schema.py: "
             "edit that, not this -->", "",
             "Every output table and column. A batch (`extractor batch ... --out DIR`) writes `documents`, "
             "`actions` and `objectives` as CSV (`DIR/*.csv`, described for Frictionless tools by "
             "`DIR/datapackage.json`), Parquet (`DIR/*.parquet`), JSON Lines (`DIR/*.jsonl`), an Excel workbook "
             "(`DIR/extract.xlsx`, one sheet per table) and a DuckDB database (`DIR/extract.duckdb`, which also "
             "holds `changes` and `families`), as chosen with `--format`.", "",
             "Types:", "",
             "| type | CSV / Excel | Parquet / DuckDB / JSON Lines |", "|---|---|---|",
             "| string | text, empty when absent | string, `\"\"` when absent |",
             "| integer | digits | int64 |",
             "| number | decimal | float64 |",
             "| boolean | `true` / `false` | bool |",
             "| date | `YYYY-MM-DD`, empty when absent | date32 / DATE / `\"YYYY-MM-DD\"`, null when absent |",
             f"| list | items joined with `\"{LIST_SEPARATOR}\"` | list<string> / VARCHAR[] / array |", "",
             "**required** columns are never empty; *extra* columns come after the contract columns (the "
             "contract's column order never changes; new columns are only ever appended).", ""]
    for t in TABLES.values():
        lines.append(f"## {t.name}")
        lines.append("")
        lines.append(f"`{t.filename}` — {t.description}")
        lines.append("")
        keys = []
        if t.primary_key:
            keys.append("primary key: " + ", ".join(f"`{k}`" for k in t.primary_key))
        for fk in t.foreign_keys:
            keys.append(f"`{fk.column}` → `{fk.table}.{fk.ref_column}`")
        if keys:
            lines.append("Keys: " + "; ".join(keys) + ".")
            lines.append("")
        lines.append("| column | type | required | allowed values | description |")
        lines.append("|---|---|---|---|---|")
        for c in t.columns:
            allowed = ", ".join(f"`{v}`" for v in c.enum)
            if c.enum and not c.required:
                allowed += " or empty"
            name = f"`{c.name}`" + ("" if c.contract else " *(extra)*")
            lines.append(f"| {name} | {c.type} | {'yes' if c.required else ''} | {allowed} | {_md(c.description)} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--markdown"]:
        sys.stdout.write(markdown() + "\n")
        return 0
    if argv == ["--datapackage"]:
        sys.stdout.write(json.dumps(datapackage(), indent=1) + "\n")
        return 0
    sys.stderr.write("usage: python -m extractor.output.schema --markdown | --datapackage\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
