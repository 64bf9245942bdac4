"""The dask executor: the batch's per-file task on a dask.distributed cluster.

    extractor batch papers/ --out out/ --executor dask --scheduler tcp://10.0.0.5:8786

Each file is one task (`run_file`). On the dask worker the file runs under the same time and memory limits as
locally: in a persistent isolated child process per worker thread (extractor.run.workers.IsolatedPool started with
the 'subprocess' method, since dask's worker processes are daemonic and may not fork multiprocessing
children). Results are gathered back here, in input order, into the same outputs as the local executor.

Requirements: extractor installed on every dask worker, and the input paths readable there (a shared
filesystem, or a scheduler on this machine). Without a scheduler address a LocalCluster with `workers`
single-threaded worker processes is started for the batch.
"""
from __future__ import annotations

import logging
import threading
import uuid
from typing import Callable, Optional

from extractor import errors
from extractor.model import DocumentResult
from extractor.run.jobs import failed_result
from extractor.run.options import BatchOptions
from extractor.run.workers import IsolatedPool, Job, Task, run_here

_local = threading.local()


class SchedulerUnreachable(RuntimeError):
    """The --scheduler address did not answer."""


def _pool(timeout_s: float, memory_mb: int, log_path: Optional[str], task: Optional[Task]) -> IsolatedPool:
    """This dask worker thread's pool of one isolated child (kept between tasks: started once)."""
    key = (timeout_s, memory_mb, log_path, task)
    pool = getattr(_local, "pool", None)
    if pool is None or getattr(_local, "key", None) != key:
        if pool is not None:
            pool.close()
        pool = IsolatedPool(1, timeout_s, memory_mb, "subprocess", log_path, task)
        _local.pool, _local.key = pool, key
    return pool


def run_file(job: Job, timeout_s: float, memory_mb: int, isolate: bool = True, log_path: Optional[str] = None,
             task: Optional[Task] = None) -> tuple[DocumentResult, str]:
    """The dask task: (result, details for the log) of one file."""
    if not isolate:
        return run_here(job, task)
    out: list[tuple[DocumentResult, str]] = []
    _pool(timeout_s, memory_mb, log_path, task).map([job], lambda j, r, d: out.append((r, d)))
    return out[0] if out else (failed_result(job, errors.RunFailure("worker error: no result")), "")


def run_dask(jobs: list[Job], options: BatchOptions, on_result: Callable[[Job, DocumentResult, str], None],
             task: Optional[Task] = None, log_path: Optional[str] = None) -> None:
    """Run every job on the cluster at options.scheduler (a LocalCluster when None); on_result(job, result,
    details) is called here as each task finishes. A task the cluster loses (its worker killed again and
    again) is a failed result, never an exception."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the dask executor needs dask.distributed: pip install 'extractor[dask]'") from exc

    cluster = None
    if options.scheduler:
        try:
            client = Client(options.scheduler, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(f"cannot reach the dask scheduler at {options.scheduler}: {exc}") from exc
    else:
        cluster = LocalCluster(n_workers=max(1, options.workers), threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster, set_as_default=False)
    try:
        run_id = uuid.uuid4().hex[:8]
        futures = {}
        for job in jobs:
            fut = client.submit(run_file, job, options.timeout_s, options.memory_mb, options.isolate, log_path, task,
                                key=f"extractor-file-{run_id}-{job.index}", pure=False, retries=0)
            futures[fut] = job
        for fut in as_completed(list(futures), loop=client.loop):
            job = futures[fut]
            try:
                result, details = fut.result()
            except Exception as exc:  # KilledWorker, lost connection, ...: the file's result says so
                failure = errors.RunFailure(f"dask task failed: {type(exc).__name__}: {errors.one_line(exc)}")
                result, details = failed_result(job, failure), ""
            on_result(job, result, details)
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
