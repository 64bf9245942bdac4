"""Batch: find the files, run the pipeline on each (in a process pool), keep every file's result."""
from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from extractor.model import DocumentResult
from extractor.pipeline import doc_id_for, process_file


@dataclass
class BatchOptions:
    workers: int = 1
    password: Optional[str] = None


def collect_files(paths: Iterable[str]) -> list[str]:
    """Files as given, folders walked recursively; hidden files and folders skipped; sorted, de-duplicated."""
    found: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(str(Path(root) / f) for f in sorted(files) if not f.startswith("."))
        else:
            found.append(str(path))
    seen: set[str] = set()
    unique = []
    for f in found:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def assign_doc_ids(files: list[str]) -> dict[str, str]:
    """doc_id per file; two files with the same stem and format (in different folders) get a path suffix."""
    base = {f: doc_id_for(f) for f in files}
    clashes = Counter(base.values())
    out = {}
    for f, d in base.items():
        if clashes[d] > 1:
            parent = Path(f).resolve().parent.name or "root"
            d = f"{d}-{doc_id_for(parent + '.x')[:-2]}"
        out[f] = d
    return out


def _missing(path: str, doc_id: str) -> Optional[DocumentResult]:
    if not os.path.exists(path):
        return DocumentResult(doc_id=doc_id, path=path, status="failed", error="file not found")
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        return DocumentResult(doc_id=doc_id, path=path, status="failed", error="empty file (0 bytes)")
    return None


def _work(args: tuple[str, str, Optional[str]]) -> DocumentResult:
    path, doc_id, password = args
    return _missing(path, doc_id) or process_file(path, doc_id=doc_id, password=password)


def run_batch(files: list[str], options: BatchOptions,
              on_done: Callable[[DocumentResult], None] = lambda r: None) -> list[DocumentResult]:
    ids = assign_doc_ids(files)
    jobs = [(f, ids[f], options.password) for f in files]
    results: dict[str, DocumentResult] = {}
    if options.workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            results[job[0]] = _work(job)
            on_done(results[job[0]])
    else:
        with ProcessPoolExecutor(max_workers=options.workers) as pool:
            futures = {pool.submit(_work, job): job for job in jobs}
            for fut in as_completed(futures):
                path, doc_id, _ = futures[fut]
                try:
                    results[path] = fut.result()
                except Exception as exc:  # a worker that died takes only its own file down
                    results[path] = DocumentResult(doc_id=doc_id, path=path, status="failed",
                                                   error=f"worker crashed: {type(exc).__name__}: {exc}"[:300])
                on_done(results[path])
    return [results[f] for f in files]


def exit_code(results: list[DocumentResult]) -> int:
    return 0 if all(r.status == "ok" for r in results) else 3
