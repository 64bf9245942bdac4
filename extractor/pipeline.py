"""The pipeline for one file, top to bottom: ingest -> tables -> fields -> text -> result.

Every failure becomes a status on the DocumentResult (Docling-style), never an exception to the caller.
"""
from __future__ import annotations

import time
from typing import Optional

from extractor import errors, ingest
from extractor.fields.actions import build_actions, build_mentions
from extractor.fields.context import document_context
from extractor.fileid import doc_id_for, sha256_of
from extractor.model import Block, Cell, DocumentResult, LayoutDocument, Page, Row, Table
from extractor.tables import borderless
from extractor.tables.restate import mark_restatements
from extractor.tables.rows import rows_of
from extractor.tables.stitch import find_plans
from extractor.text.links import link_actions
from extractor.text.metadata import document_metadata
from extractor.text.objectives import extract_objectives


def process_file(path: str, doc_id: Optional[str] = None, password: Optional[str] = None,
                 raise_run_failures: bool = False, sha256: str = "") -> DocumentResult:
    """Every failure of the file becomes its result's status. A failure of the run (running out of memory) is
    one too, unless raise_run_failures: then it is raised (errors.RunFailure) for the worker to act on.
    `sha256`: the content hash when the caller has just taken it."""
    started = time.perf_counter()
    result = DocumentResult(doc_id=doc_id or doc_id_for(path), path=str(path))
    try:
        result.sha256 = sha256 or sha256_of(path)
        result.format = ingest.sniff(path)
        layout = read_layout(result.path, result.format, password)
        extract_layout(result, layout)
    except Exception as exc:  # the file's problem, told in one line; the batch goes on
        failure = ingest.failure_of(exc)
        if failure.transient and raise_run_failures:
            raise failure from exc
        errors.record(result, failure)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def read_layout(path: str, fmt: str, password: Optional[str] = None) -> LayoutDocument:
    """1. The file as a layout model, with tables drawn without rules found among its text lines."""
    return ingest.read(path, fmt, password=password, line_tables=borderless.ContinuingFinder())


def extract_layout(result: DocumentResult, layout: LayoutDocument) -> None:
    """2-6. Every stage after ingest, filling `result` in place."""
    result.pages = len(layout.pages)
    result.warnings.extend(layout.warnings + layout.notes)
    if layout.ocr_pages:  # said, but not a fault: the document stays ok
        result.warnings.append(ingest.ocr_note(layout))
    ingest.check_text_layer(layout)

    meta = document_metadata(layout)
    result.title, result.organisation = meta.get("title", ""), meta.get("organisation", "")
    result.version, result.doc_date = meta.get("version", ""), meta.get("doc_date", "")
    result.doc_date_source = meta.get("doc_date_source", "none")

    scan = find_plans(layout.items)
    plans = scan.plans
    raw_rows = mark_restatements([rows_of(plan) for plan in plans], [plan.shape for plan in plans])
    ctx = document_context(layout, result)
    result.actions = build_actions(raw_rows, ctx, result.warnings)
    result.mentions = build_mentions(raw_rows, result.actions, ctx)

    result.objectives = extract_objectives(layout, result.doc_id, has_action_plan=bool(result.actions),
                                           not_objectives=scan.goal_headings)
    link_actions(result.actions, result.objectives, layout)

    if layout.warnings and result.status == "ok":
        result.status = "partial"
        result.error = "; ".join(layout.warnings)[:500]


def warm_up() -> None:
    """Load what the pipeline loads lazily (format readers, rules, spaCy) by running every stage after ingest on
    a tiny plan, so that workers forked afterwards start ready."""
    from extractor.ingest import docx, pdf  # noqa: F401  (loaded for their libraries)

    def row(texts: tuple[str, ...], header: bool = False) -> Row:
        return Row(cells=[Cell(text=t, col=i, paragraphs=[t]) for i, t in enumerate(texts)], page=1, is_header=header)

    table = Table(rows=[row(("Ref", "Action", "Lead", "Due date", "Status"), header=True),
                        row(("1.1", "Review the plan", "Director of Nursing", "March 2025", "In progress"))],
                  n_cols=5, page_first=1, page_last=1)
    items = [Block(kind="heading", text="Action plan 2024", page=1, level=1),
             Block(kind="list_item", text="1) We will improve the quality of care.", page=1), table]
    extract_layout(DocumentResult(doc_id="warm-up", path="warm-up.docx"),
                   LayoutDocument(path="warm-up.docx", format="docx", pages=[Page(1)], items=items))
