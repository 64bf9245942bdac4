"""The pipeline for one file, top to bottom: ingest -> tables -> objectives -> normalise -> result.

Every failure becomes a status on the DocumentResult (Docling-style), never an exception to the caller.
"""
from __future__ import annotations

import time
from typing import Optional

from extractor import ingest
from extractor.fileid import doc_id_for, sha256_of
from extractor.actions import DocContext, build_actions
from extractor.context import document_context
from extractor.metadata import document_metadata
from extractor.model import DocumentResult
from extractor.links import link_actions
from extractor.objectives import extract_objectives
from extractor.tables.rows import rows_of
from extractor.tables.stitch import stitch

def process_file(path: str, doc_id: Optional[str] = None, password: Optional[str] = None) -> DocumentResult:
    started = time.perf_counter()
    result = DocumentResult(doc_id=doc_id or doc_id_for(path), path=str(path))
    try:
        result.sha256 = sha256_of(path)
        result.format = ingest.sniff(path)
        _run(result, password)
    except ingest.UnsupportedFormat as exc:
        result.status, result.error = "unsupported", str(exc)
    except Exception as exc:  # the file's problem, told in one line; the batch goes on
        result.status, result.error = ingest.classify_error(exc)
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _run(result: DocumentResult, password: Optional[str]) -> None:
    layout = ingest.read(result.path, result.format, password=password)
    result.pages = len(layout.pages)
    result.warnings.extend(layout.warnings)
    ingest.check_text_layer(layout)

    meta = document_metadata(layout)
    result.title, result.organisation = meta.get("title", ""), meta.get("organisation", "")
    result.version, result.doc_date = meta.get("version", ""), meta.get("doc_date", "")

    segments = stitch(layout.items)
    raw_rows = [row for seg in segments for row in rows_of(seg)]
    ctx: DocContext = document_context(layout, result)
    result.actions = build_actions(raw_rows, ctx, result.warnings)

    result.objectives = extract_objectives(layout, result.doc_id)
    link_actions(result.actions, result.objectives, layout)

    if layout.warnings and result.status == "ok":
        result.status = "partial"
        result.error = "; ".join(layout.warnings)[:500]
