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

Only the standard library, extractor.model (the records and their allowed values) and the versions
stage's enums (extractor/versions/terms.py) here: `import
extractor.output.schema` stays cheap.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Optional

from extractor.model import DOC_DATE_SOURCES, RAGS, STATUS_SOURCES, STATUSES
from extractor.versions.terms import CHANGE_FIELDS, EDITIONS, MATCHES, PRESENCE

TYPES = ("string", "integer", "number", "boolean", "date", "list")
LIST_SEPARATOR = "; "

DOC_STATUSES = ("ok", "partial", "failed", "needs_ocr", "encrypted", "unsupported")
FORMATS = ("pdf", "docx", "doc", "odt", "rtf", "other")
ACTION_STATUSES = STATUSES
OBJECTIVE_KINDS = ("referenced", "numbered", "lettered", "aim", "priority", "we_will")


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
        C("doc_date", D, "Date of the document: the printed page first (cover label, cover line, version "
                         "table), the file properties last (see doc_date_source)."),
        C("status", S, "What happened: `ok`; `partial` (some content unreadable, see error); `failed`; "
                       "`needs_ocr` (scanned, no text layer); `encrypted` (password needed); `unsupported` "
                       "(not a PDF or DOCX).", required=True, enum=DOC_STATUSES),
        C("error", S, "One-line reason when status is not ok."),
        C("n_actions", I, "Number of rows this document has in actions.csv.", required=True),
        C("n_objectives", I, "Number of rows this document has in objectives.csv.", required=True),
        C("n_warnings", I, "Number of warnings raised while reading the document.", contract=False),
        C("warnings", L, "The first 20 warnings.", contract=False),
        C("seconds", N, "Processing time in seconds.", contract=False),
        C("doc_date_source", S, "Where doc_date comes from: a labelled date on the first pages (`cover_label`), a "
                                "bare date line there (`cover_text`), the file's properties (`file_metadata`, "
                                "a last resort: never used to give a year to year-less due dates), or `none`.",
          enum=DOC_DATE_SOURCES, contract=False),
        C("duplicate_of", S, "The doc_id of an earlier document of the run (in path order) holding the same content "
                             "(the same file twice) or the same plan (its PDF and its DOCX: the same actions, refs "
                             "and texts, in the same order); empty for the first. Count each plan once with "
                             "`where duplicate_of = ''`; duplicates are left out of version families.",
          contract=False),
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
        C("status_raw", S, "Status cell as read (empty when the table has no status column)."),
        C("status", S, "Normalised status (see status_source for what decided it).", required=True,
          enum=ACTION_STATUSES),
        C("rag", S, "RAG rating from a letter, word or the cell's colour; empty when none.", enum=RAGS),
        C("progress", S, "Progress/update notes."),
        C("measure", S, "Measure of success / outcome / evidence."),
        C("is_new", B, "The action is marked as new (e.g. `(NEW)`).", required=True),
        C("page_first", I, "Page where the action's row starts (1-based).", required=True),
        C("page_last", I, "Page where the action's row ends.", required=True),
        C("table_index", I, "Index of the table in the document (0-based, reading order).", required=True),
        C("row_index", I, "Index of the row in its table (0-based).", required=True),
        C("owners", L, "The holders of the owner cell, one item each (`KK/HS`, `Director of Finance and Chief "
                       "Nurse`, `COO / CFO` give two); initials and post abbreviations resolved through the "
                       "document's own glossary when it has one (`DoF (JS)` -> `Director of Finance (JS)`), "
                       "kept as printed otherwise.", contract=False),
        C("owner_expanded", S, "Owner with abbreviations expanded (e.g. `DoW` -> `Director of Workforce`).",
          contract=False),
        C("due_start", D, "Start of the stated period when the cell gives a range.", contract=False),
        C("rag_raw", S, "The RAG as found: the letter or word as printed, else the fill colour as `#RRGGBB`.",
          contract=False),
        C("objective_id", S, "The objective the action delivers, when one could be linked.", contract=False),
        C("source", S, "Path of the file the action was read from.", contract=False),
        C("confidence", N, "How sure the table stage is that this row is an action (0-1): the verdict on its "
                           "table and how much the row reads as something to do. Review the low ones first; "
                           "`extractor inspect` shows the evidence.", contract=False),
        C("status_source", S, "What decided status: the status cell's words (`status_column`), the RAG through "
                              "the document's own key (`rag_key`) or through the usual convention "
                              "(`rag_convention`), the progress narrative (`progress_text`), a ticked option "
                              "(`checkbox`), a tick or letter under a completion-grid column (`grid_position`), "
                              "or nothing (`none`, status unknown).", required=True, enum=STATUS_SOURCES,
          contract=False),
        C("status_evidence", S, "The words, option, column or colour that decided status (e.g. `has been "
                                "published`, `☒ Already implemented`, `amber #FFC000 (key)`).",
          contract=False),
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
        C("evidence", S, "What made the statement an objective: its label, the list it belongs to, the words "
                         "that commit (e.g. `labelled 'Aim:'`, `item of a list of 6, 5 of which read as "
                         "commitments; opens with the verb 'Refresh'`).", contract=False),
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
    "Documents recognised as versions of the same plan (same organisation; the same name or most actions "
    "carried over), one row per member, oldest version first; the renderings of one version (its PDF and "
    "DOCX) share a position. `extractor batch --families FILE` overrides the grouping.",
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
        C("edition", S, "What the title or file name says of this edition: `draft`, `final`, `revised`, or empty.",
          enum=EDITIONS),
        C("score", N, "Strength 0-1 of the member's strongest link to another version of the family (name, "
                      "organisation and the share of actions carried over; 1 for renderings of one version and "
                      "for the mapping file)."),
        C("evidence", S, "Why the member is in the family, in words: title / organisation / file-name similarity "
                         "(0-100), the share of actions carried over, plan periods, editions, and the document it "
                         "was compared with; `mapping file` when the user's mapping put it there."),
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

ACTION_HISTORY = TableSpec(
    "action_history", "action_history.csv",
    "Each version family as a series: one row per action per version (oldest first), the action followed "
    "through the consecutive diffs (renumbered, reworded, moved between tables) - present or absent, its "
    "status, RAG, due date and owner in that version, the first and last version it was seen in and its "
    "status path.",
    (
        C("family_id", S, "The version family (families.family_id).", required=True),
        C("thread_id", S, "Stable id of the action across the family's versions: `<family_id>-t<NNNN>`, "
                          "numbered in order of first appearance.", required=True),
        C("position", I, "The version's position in the family (0 = oldest).", required=True),
        C("doc_id", S, "The document that stands for this version (the rendering that was diffed).",
          required=True),
        C("version", S, "The version's label as printed, else its document date; empty when it states neither."),
        C("presence", S, "`present`; `absent` (not in this version: not yet added, or removed); `split` / "
                         "`merged` (carried on as part of a split, or merged into another action).",
          required=True, enum=PRESENCE),
        C("action_id", S, "The action in this version (actions.action_id); empty when absent."),
        C("ref", S, "The action's reference in this version."),
        C("text", S, "The action's text in this version."),
        C("section", S, "The group row or heading it sits under in this version."),
        C("status", S, "Status in this version; empty when absent.", enum=ACTION_STATUSES),
        C("rag", S, "RAG rating in this version.", enum=RAGS),
        C("due_date", D, "Due date in this version."),
        C("owner", S, "Owner in this version."),
        C("slip_days", I, "Days the due date moved since the previous version that had the action and a date "
                          "(positive = later); empty when either date is missing."),
        C("first_seen", S, "doc_id of the first version the action appears in.", required=True),
        C("last_seen", S, "doc_id of the last version the action appears in.", required=True),
        C("status_path", S, "The action's statuses across the versions it appears in, repeats collapsed "
                            "(`not_started → in_progress → completed`).", required=True),
    ),
    primary_key=("thread_id", "position"),
    foreign_keys=(ForeignKey("doc_id", "documents", "doc_id"), ForeignKey("action_id", "actions", "action_id")),
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

TABLES: dict[str, TableSpec] = {t.name: t for t in (DOCUMENTS, ACTIONS, OBJECTIVES, MENTIONS, FAMILIES,
                                                    ACTION_HISTORY, CHANGES, CROSSWALK)}
BATCH_TABLES = ("documents", "actions", "objectives", "mentions")  # the CSVs a batch always writes
DATABASE_TABLES = ("documents", "actions", "objectives", "mentions", "changes", "families",
                   "action_history")  # extract.duckdb
FAMILY_TABLES = ("families", "action_history")  # written by the families step as CSV, described when present

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
             "holds `changes`, `families` and `action_history`), as chosen with `--format`. The version families "
             "step adds `DIR/families.csv` and `DIR/action_history.csv` (and `action_history.parquet` with "
             "parquet), and a diff (`extractor diff`, or each family's `DIR/diffs/...`) writes `crosswalk.csv` and "
             "`changes.csv`.", "",
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
