"""Writers: every output goes to a temporary file in the target folder and is renamed into place."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Iterable, Iterator

from extractor.model import Action, DocumentResult, Objective

DOCUMENT_COLUMNS = ["doc_id", "path", "sha256", "format", "pages", "title", "organisation", "version", "doc_date",
                    "status", "error", "n_actions", "n_objectives", "n_warnings", "warnings", "seconds"]
ACTION_COLUMNS = ["doc_id", "action_id", "ref", "ref_norm", "parent_ref", "section", "goal", "text", "owner", "lead",
                  "due_raw", "due_date", "due_revised", "status_raw", "status", "rag", "progress", "measure", "is_new",
                  "page_first", "page_last", "table_index", "row_index",
                  # extra columns (welcome by the contract)
                  "owners", "owner_expanded", "due_start", "rag_raw", "objective_id", "source"]
OBJECTIVE_COLUMNS = [f.name for f in fields(Objective)]
LIST_SEPARATOR = "; "


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", **kwargs) -> Iterator[io.IOBase]:
    """Write to a temp file beside `path`, fsync, then os.replace: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)


def write_csv(path: Path, columns: list[str], rows: Iterable[dict]) -> None:
    with atomic_open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: cell(row.get(k)) for k in columns})


def document_row(r: DocumentResult) -> dict:
    return {"doc_id": r.doc_id, "path": r.path, "sha256": r.sha256, "format": r.format, "pages": r.pages,
            "title": r.title, "organisation": r.organisation, "version": r.version, "doc_date": r.doc_date,
            "status": r.status, "error": r.error, "n_actions": r.n_actions, "n_objectives": r.n_objectives,
            "n_warnings": len(r.warnings), "warnings": r.warnings[:20], "seconds": r.seconds}


def action_row(a: Action) -> dict:
    return asdict(a)


def write_batch(out_dir: Path, results: list[DocumentResult]) -> None:
    write_csv(out_dir / "documents.csv", DOCUMENT_COLUMNS, (document_row(r) for r in results))
    write_csv(out_dir / "actions.csv", ACTION_COLUMNS, (action_row(a) for r in results for a in r.actions))
    write_csv(out_dir / "objectives.csv", OBJECTIVE_COLUMNS, (asdict(o) for r in results for o in r.objectives))


def write_json(path: Path, data: object) -> None:
    with atomic_open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, default=str)
