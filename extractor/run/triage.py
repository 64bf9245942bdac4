"""What a batch makes of its results as a whole, in the main process, after every file came back:

- files plainly not papers (a README.md, .json, .txt, images found in a folder) are skipped: counted once, never
  a documents row. Plainly means both: the content is no document format the tool reads (the worker sniffed it:
  format "other", status unsupported) AND the name says not-a-paper (its extension, an Office lock file
  "~$plan.docx"). A file named .pdf/.docx that is not one keeps its row (failed), and so does any file named on
  the command line: the user asked for it.
- same-content duplicates (the same file twice; the same plan as PDF and DOCX) get `duplicate_of`, the doc_id of
  the first in input order, so totals count each plan once.
- a file read fine but holding no action plan gets a warning saying so (a folder of the wrong documents shows).
Nothing here is cached: it depends on the batch, not on one file.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from extractor.ingest import NOT_PAPER_SUFFIXES
from extractor.model import DocumentResult

SKIPPED = "skipped"  # a status that never reaches the outputs: the file is counted, not listed
NO_ACTION_PLAN = "no action plan found (0 actions)"
READ = ("ok", "partial")
MIN_SHARED_ACTIONS = 3  # a plan in two formats: at least this many actions, all alike and in the same order


def explicit_files(given: Iterable[str]) -> frozenset[str]:
    """The real paths of the files named on the command line (not found by walking a folder)."""
    return frozenset(os.path.realpath(p) for p in given if not os.path.isdir(p))


def plainly_not_a_paper(result: DocumentResult) -> bool:
    """The worker found no document format in the content, and the file's name says it is not a paper."""
    if result.status != "unsupported" or result.format != "other":
        return False
    name = Path(result.path).name
    return Path(name).suffix.lower() in NOT_PAPER_SUFFIXES or name.startswith("~$")


def mark_skipped(result: DocumentResult, explicit: frozenset[str]) -> DocumentResult:
    """Status `skipped` for a plainly-not-a-paper file found in a folder (see the module docstring)."""
    if plainly_not_a_paper(result) and os.path.realpath(result.path) not in explicit:
        result.status = SKIPPED
    return result


def skipped_summary(skipped: list[DocumentResult]) -> str:
    """'6 files that are not papers (.json 5, .md 1)'."""
    kinds = Counter(Path(r.path).suffix.lower() or Path(r.path).name[:2] for r in skipped)
    detail = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} that {'are' if len(skipped) != 1 else 'is'} " \
           f"not papers ({detail})"


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _plan_key(r: DocumentResult) -> tuple:
    """The plan a document holds, format aside: every action's ref, text, owner, dates, status, RAG and progress
    in order. The same plan read from its PDF and its DOCX gives the same sequence; two versions of a plan do
    not, even when only a status moved (a version whose actions kept their wording must stay in its family,
    or the diff of its status changes is lost)."""
    return tuple((a.ref_norm, _normal(a.text), _normal(a.owner or ""), a.due_date or "", a.due_revised or "",
                  a.status, a.rag or "", _normal(a.progress or "")) for a in r.actions)


def mark_duplicates(results: list[DocumentResult]) -> None:
    """duplicate_of = the doc_id of the first result (input order) with the same content, or the same plan: the
    same sequence of at least MIN_SHARED_ACTIONS actions (every field alike). Only documents that were read."""
    by_sha: dict[str, str] = {}
    by_plan: dict[tuple, str] = {}
    for r in results:
        r.duplicate_of = ""
        if r.status not in READ:
            continue
        first = by_sha.get(r.sha256) if r.sha256 else None
        key = _plan_key(r) if r.n_actions >= MIN_SHARED_ACTIONS else None
        if first is None and key is not None:
            first = by_plan.get(key)
        if first is not None:
            r.duplicate_of = first
            continue
        if r.sha256:
            by_sha[r.sha256] = r.doc_id
        if key is not None:
            by_plan.setdefault(key, r.doc_id)


def flag_no_action_plan(results: list[DocumentResult]) -> None:
    """A warning on every document read fine (ok) in which no action was found."""
    for r in results:
        if r.status == "ok" and not r.actions and NO_ACTION_PLAN not in r.warnings:
            r.warnings.insert(0, NO_ACTION_PLAN)


def without_action_plan(results: list[DocumentResult]) -> list[DocumentResult]:
    return [r for r in results if r.status == "ok" and not r.actions]


def originals(results: list[DocumentResult]) -> list[DocumentResult]:
    """Each plan once: the results that are no duplicate of another."""
    return [r for r in results if not r.duplicate_of]


def finish(results: list[DocumentResult]) -> tuple[list[DocumentResult], list[DocumentResult]]:
    """(the results to write, the files skipped as not papers), duplicates marked, empty plans flagged."""
    kept = [r for r in results if r.status != SKIPPED]
    skipped = [r for r in results if r.status == SKIPPED]
    mark_duplicates(kept)
    flag_no_action_plan(kept)
    return kept, skipped
