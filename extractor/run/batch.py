"""Batch: find the files, run the pipeline on each in an isolated worker, keep every file's result.

Bad files never cost good data:
- each file runs in a worker process with a time limit (timeout_s) and a memory limit (memory_mb: RLIMIT_AS in
  the worker, and its RSS watched from here). A file that hangs, blows memory or crashes its worker becomes a
  "failed" result with one line ("timed out after 120 s", "memory limit 2048 MB exceeded", "worker crashed
  (signal 11)"); its worker is replaced and the batch goes on. Workers are reused across files, so the
  per-file overhead is a pipe round trip; with workers=1 the file still runs in a separate process.
- tracebacks and anything a worker prints go to OUT/extractor.log, never to the terminal.
- results come back in input order; on_done(result) is called as each file finishes.
- a re-run resumes: results are cached by content in OUT/.cache/ (see extractor/cache.py).

Executors: "local" (this machine's worker pool, extractor/workers.py) or "dask" (extractor/distributed.py: the same
per-file task on a dask.distributed cluster).
"""
from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from extractor import errors
from extractor.fileid import assign_doc_ids
from extractor.model import DocumentResult
from extractor.run.options import BatchOptions, PathLike
from extractor.run.sanitize import sanitize
from extractor.run.workers import IsolatedPool, Job, PoolStats, Task, file_status, run_here
from extractor.settings import use

LOG_NAME = "extractor.log"


# --------------------------------------------------------------------------- files and ids

def collect_files(paths: Iterable[str], exclude: Iterable[PathLike] = ()) -> list[str]:
    """Files as given, folders walked recursively; sorted, de-duplicated. Skipped: hidden files and folders,
    the folders in `exclude` (the run's own --out, when it lies inside an input folder) and any other output
    folder of this tool (it holds .extractor/manifest.json). A sub-folder that cannot be read is listed itself,
    so that it gets a row saying so (file_status) instead of vanishing silently."""
    skip = {os.path.realpath(os.fspath(e)) for e in exclude}
    found: list[str] = []
    for p in paths:
        path = Path(p)
        if not path.is_dir():
            found.append(str(path))
            continue
        unreadable: list[str] = []
        for root, dirs, files in os.walk(path, onerror=lambda exc, into=unreadable: into.append(str(exc.filename))):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _is_output(Path(root) / d, skip))
            found.extend(str(Path(root) / f) for f in sorted(files) if not f.startswith("."))
        found.extend(unreadable)
    seen: set[str] = set()
    unique = []
    for f in found:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _is_output(folder: Path, skip: set[str]) -> bool:
    from extractor.run.outdir import MANIFEST, STATE_DIR

    return os.path.realpath(folder) in skip or (folder / STATE_DIR / MANIFEST).is_file()


# --------------------------------------------------------------------------- the log

class BatchLog:
    """OUT/extractor.log: one block per batch; per file that is not ok its status, error and traceback."""

    def __init__(self, out_dir: Optional[PathLike]):
        self.path: Optional[str] = None
        self._fh = None
        if out_dir is None:
            return
        try:
            Path(out_dir).mkdir(parents=True, exist_ok=True)
            self.path = os.path.join(os.fspath(out_dir), LOG_NAME)
            self._fh = open(self.path, "a", encoding="utf-8", buffering=1)
        except OSError:
            self.path, self._fh = None, None

    def write(self, text: str) -> None:
        if self._fh is not None:
            try:
                self._fh.write(text if text.endswith("\n") else text + "\n")
            except (OSError, ValueError):
                pass

    def result(self, result: DocumentResult, details: str = "", cached: bool = False) -> None:
        if result.status == "ok" and not details:
            return
        error = f"not a paper, not read ({result.error})" if result.status == "skipped" else result.error
        line = f"{result.status}: {result.path}" + (f": {error}" if error else "")
        self.write(line + (" (cached)" if cached else ""))
        if details and result.status in ("failed", "partial"):  # a traceback says nothing about a scan
            self.write("    " + details.rstrip().replace("\n", "\n    "))

    def close(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None


# --------------------------------------------------------------------------- the batch

def run_batch(files: list[str], options: BatchOptions,
              on_done: Callable[[DocumentResult], None] = lambda r: None, *,
              task: Optional[Task] = None, stats: Optional[dict] = None) -> list[DocumentResult]:
    """One DocumentResult per file, in input order. `task` replaces the per-file function (tests);
    `stats`, when given, is filled with counters (cache hits, workers started, peak RSS per worker...)."""
    from extractor.run.cache import ResultCache, pipeline_version

    started = time.perf_counter()
    ids = assign_doc_ids(files)
    results: list[Optional[DocumentResult]] = [None] * len(files)
    log = BatchLog(options.out_dir)
    log.write(f"=== {datetime.now().isoformat(timespec='seconds')} batch of {len(files)} file(s): "
              f"executor={options.executor} workers={options.workers} timeout={options.timeout_s:g}s "
              f"memory={options.memory_mb}MB cache={'on' if options.use_cache and options.out_dir else 'off'}")
    cache = (ResultCache(options.out_dir, version=pipeline_version(options.settings))
             if options.use_cache and options.out_dir is not None else None)
    jobs: list[Job] = []
    stats_of: dict[int, os.stat_result] = {}  # job index -> the file's metadata before any worker read it
    sizes: dict[int, int] = {}
    for i, path in enumerate(files):
        doc_id = ids[path]
        st, failure = file_status(path)  # metadata only: this process never reads a file's content
        early = errors.record(DocumentResult(doc_id=doc_id, path=path), failure) if failure else None
        if early is None and cache is not None:
            sha = cache.known_sha(path, st)
            early = cache.get(sha, path, doc_id) if sha else None
            if early is not None:
                cache.remember(path, st, sha)
        if early is not None:
            with use(options.settings):
                results[i] = sanitize(early)
            on_done(early)  # first: it may mark the file skipped (run/triage.py), which the log then says
            log.result(early, cached=early.cached)
        else:
            jobs.append(Job(i, path, doc_id, options.password, options.settings, cache.ref() if cache else None))
            stats_of[i], sizes[i] = st, st.st_size

    def finished(job: Job, result: DocumentResult, details: str) -> None:
        with use(options.settings):
            sanitize(result)  # whatever the task or executor returned: safe to cache, log and write
        if cache is not None:
            if result.cached:  # the worker found the content in the cache
                cache.hits += 1
            elif not result.transient:  # a failure of the run is tried again next time
                cache.put(result)
            cache.remember(job.path, stats_of[job.index], result.sha256)
        results[job.index] = result
        on_done(result)  # first: it may mark the file skipped (run/triage.py), which the log then says
        log.result(result, details, cached=result.cached)

    jobs.sort(key=lambda j: (-sizes[j.index], j.index))  # long files first: less waiting on a straggler at the end
    pool_stats: Optional[PoolStats] = None
    try:
        if not jobs:
            pass
        elif options.executor == "dask":
            from extractor.run.distributed import run_dask

            run_dask(jobs, options, finished, task=task, log_path=log.path)
        elif options.executor != "local":
            raise ValueError(f"unknown executor {options.executor!r}; choose local or dask")
        elif not options.isolate:
            run_in_process(jobs, finished, task)
        else:
            with IsolatedPool(min(max(1, options.workers), len(jobs)), options.timeout_s, options.memory_mb,
                              options.start_method, log.path, task) as pool:
                pool_stats = pool.stats
                log.write(f"{len(jobs)} file(s) to process: {pool.size} worker(s), started by {pool.method}")
                pool.map(jobs, finished)
    finally:
        elapsed = time.perf_counter() - started
        done = sum(r is not None for r in results)
        if cache is not None:
            cache.save_index()
        log.write(f"=== {done}/{len(files)} file(s) in {elapsed:.1f}s"
                  + (f"; cache: {cache.hits} hit(s), {cache.stored} stored" if cache is not None else ""))
        log.close()
        if stats is not None:
            stats.update({"files": len(files), "jobs": len(jobs), "seconds": round(elapsed, 3),
                          "cache_hits": cache.hits if cache else 0, "cache_stored": cache.stored if cache else 0})
            if pool_stats is not None:
                stats.update({"workers_started": pool_stats.started, "workers_replaced": pool_stats.replaced,
                              "timeouts": pool_stats.timeouts, "memory_kills": pool_stats.memory_kills,
                              "crashes": pool_stats.crashes, "peak_rss_mb": dict(pool_stats.peak_rss_mb),
                              "start_method": pool.method})
    missing = [files[i] for i, r in enumerate(results) if r is None]
    if missing:  # cannot happen unless an executor lost a file; never return a short list
        for i, r in enumerate(results):
            if r is None:
                results[i] = errors.record(DocumentResult(doc_id=ids[files[i]], path=files[i]),
                                           errors.RunFailure("no result from the executor"))
    return results  # type: ignore[return-value]


def run_in_process(jobs: list[Job], on_result: Callable[[Job, DocumentResult, str], None],
                   task: Optional[Task] = None) -> None:
    """Each job in this process, one after the other (no limits: for debugging)."""
    for job in jobs:
        on_result(job, *run_here(job, task))


def run_isolated(job: Job, options: BatchOptions, task: Task) -> tuple[Any, str]:
    """(what task(job) returned, details for a log) with the file in a worker under options' time and memory
    limits, as in a batch: for commands that look at one file another way (inspect). A time-out, the memory
    limit or a crash comes back as a failed DocumentResult."""
    if not options.isolate:
        return run_here(job, task)
    got: list[tuple[Any, str]] = []
    with IsolatedPool(1, options.timeout_s, options.memory_mb, options.start_method, None, task) as pool:
        pool.map([job], lambda j, result, details: got.append((result, details)))
    return got[0]


def exit_code(results: list[DocumentResult]) -> int:
    return 0 if all(r.status == "ok" for r in results) else 3
