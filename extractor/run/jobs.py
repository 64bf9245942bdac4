"""The per-file task every executor runs, in a worker process: a Job in, a DocumentResult out.

Only regular files are read (file_status: metadata only, never the content), the content hash is taken and
looked up in the result cache here, in the worker, under its time and memory limits, and every result is
sanitised (run/sanitize.py) before it travels back.
"""
from __future__ import annotations

import gc
import os
import stat
from typing import Callable, NamedTuple, Optional

from extractor import errors
from extractor.model import DocumentResult
from extractor.run.cache import CacheRef, ResultCache
from extractor.run.sanitize import sanitize
from extractor.settings import Settings, use


class Job(NamedTuple):
    index: int
    path: str
    doc_id: str
    password: Optional[str]
    settings: Optional[Settings] = None  # travels with the job to the worker (None: its default)
    cache: Optional[CacheRef] = None  # where the worker looks the file's content hash up first (None: no cache)


Task = Callable[[Job], DocumentResult]


# --------------------------------------------------------------------------- the per-file task

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def file_status(path: str) -> tuple[Optional[os.stat_result], Optional[errors.DocumentError]]:
    """(os.stat of the file, or the failure that means it is not read at all). Only regular files are read:
    a FIFO or a device (also behind a symlink) would block or never end. Never opens the file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None, errors.NotFound()
    except OSError as exc:
        return None, errors.Unreadable(f"cannot read the file: {exc.strerror or exc}")
    if stat.S_ISDIR(st.st_mode) and not _listable(path):  # collect_files lists a folder it could not read
        return st, errors.Unreadable("folder could not be read (permission denied?): its files were skipped")
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        return st, errors.Unsupported(f"not a regular file: {kind}; only regular files are read")
    if st.st_size == 0:
        return st, errors.EmptyFile()
    return st, None


def _listable(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            next(entries, None)
        return True
    except OSError:
        return False


def _missing(path: str, doc_id: str) -> Optional[DocumentResult]:
    _, failure = file_status(path)
    return errors.record(DocumentResult(doc_id=doc_id, path=path), failure) if failure else None


# pdfplumber makes a dict per character and keeps them alive for the whole page: with CPython's default
# thresholds the cyclic collector re-traverses them again and again (a quarter of a long document's time,
# measured). Young-generation collections every 100k allocations keep that cost small while still collecting.
RELAXED_GC_THRESHOLDS = (100_000, 1_000, 1_000)


def process_job(job: Job) -> DocumentResult:
    """The per-file task every executor runs (in a worker process)."""
    from extractor.pipeline import process_file

    previous = gc.get_threshold()
    gc.set_threshold(*RELAXED_GC_THRESHOLDS)
    try:
        with use(job.settings):
            result = _missing(job.path, job.doc_id)
            sha = ""
            if result is None and job.cache is not None:
                result, sha = _from_cache(job)
            if result is None:
                result = process_file(job.path, doc_id=job.doc_id, password=job.password, raise_run_failures=True,
                                      sha256=sha)
            return sanitize(result)  # encodable text, capped size: before it travels or is cached
    finally:
        gc.set_threshold(*previous)


def _from_cache(job: Job) -> tuple[Optional[DocumentResult], str]:
    """(the cached result of the file's content or None, the content hash): hashed here, in the worker, under its
    limits (the hash is handed on to the pipeline, which need not read the file twice)."""
    from extractor.fileid import sha256_of

    try:
        sha = sha256_of(job.path)
    except OSError:  # unreadable now: the pipeline says why
        return None, ""
    return ResultCache.at(job.cache).get(sha, job.path, job.doc_id), sha


def failed_result(job: Job, failure: errors.DocumentError) -> DocumentResult:
    return errors.record(DocumentResult(doc_id=job.doc_id, path=job.path), failure)


def memory_failure(memory_mb: int) -> errors.OutOfMemory:
    return errors.OutOfMemory(f"memory limit {memory_mb} MB exceeded" if memory_mb > 0 else "out of memory")
