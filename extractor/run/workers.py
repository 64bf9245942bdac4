"""Workers: each file runs in a worker process, one at a time, under a time and a memory limit.

The child side (run/worker.py) sets a worker up (output to the log, no Ctrl-C, RLIMIT_AS) and loops over
jobs; the parent
side (IsolatedPool) hands out jobs, watches time and resident memory, and replaces a worker that hangs,
blows its memory or crashes, turning that file into a one-line "failed" result. Workers are reused across
files and start warm (forked from a parent that has loaded the pipeline), so the per-file overhead is a
pipe round trip.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from extractor import errors
from extractor.model import DocumentResult
from extractor.run.jobs import Job, Task, failed_result, file_status, memory_failure, process_job  # noqa: F401
from extractor.run.worker import (  # noqa: F401 (run_here, warm_up: the runners' entry points)
    PARENT_ENDS,
    address_space_limit,
    open_parent_ends,
    run_here,
    statm,
    vm_bytes,
    warm_up,
    worker_loop,
)

PathLike = Union[str, os.PathLike]

START_METHODS = ("auto", "fork", "forkserver", "spawn", "subprocess")
_RSS_POLL_S = 0.25
STARTUP_TIMEOUT_S = 120.0  # a worker that is not ready (imported, warmed up) by then is replaced
MAX_FAILED_STARTS = 3  # workers failing to start in a row before the remaining files are given up


# --------------------------------------------------------------------------- the pool (parent side)

def _is_daemon() -> bool:
    import multiprocessing

    return bool(multiprocessing.current_process().daemon)


def resolve_start_method(method: str = "auto") -> str:
    """auto: 'fork' from a single-threaded process (fastest: workers inherit the loaded pipeline), else
    'forkserver' (fork() from a threaded process is unsafe), and 'subprocess' inside a daemonic process
    (a dask worker), which multiprocessing forbids to have children."""
    import multiprocessing

    if method not in START_METHODS:
        raise ValueError(f"unknown start method {method!r}; choose from {', '.join(START_METHODS)}")
    available = multiprocessing.get_all_start_methods()
    if _is_daemon() and method != "subprocess":
        return "subprocess"
    if method == "auto":
        if "fork" in available and threading.active_count() == 1:
            return "fork"
        return "forkserver" if "forkserver" in available else "spawn"
    if method != "subprocess" and method not in available:
        return "spawn"
    return method


def _task_name(task: Optional[Task]) -> str:
    """'module:name' of a module-level task function (how a 'subprocess' worker finds it), "" for the default."""
    if task is None or task is process_job:
        return ""
    module, name = getattr(task, "__module__", ""), getattr(task, "__qualname__", "")
    if not module or not name or "<" in name or "." in name:
        raise ValueError("a task for subprocess workers must be a module-level function")
    return f"{module}:{name}"


class _Worker:
    """One worker process and its end of the pipe."""

    def __init__(self, method: str, memory_mb: int, log_path: Optional[str], task: Optional[Task]):
        self.method = method
        self.job: Optional[Job] = None
        self.started = 0.0
        self.peak_vm = 0
        self.base_vm = 0  # address space when it became ready: its memory limit is set above that
        self.proc: Any = None
        self.popen: Any = None
        if method == "subprocess":
            self._start_subprocess(memory_mb, log_path, task)
        else:
            import multiprocessing

            ctx = multiprocessing.get_context(method)
            if method == "forkserver":
                ctx.set_forkserver_preload(["extractor.run.workers", "extractor.pipeline"])
            parent_conn, child_conn = ctx.Pipe(duplex=True)
            PARENT_ENDS.add(parent_conn)
            # a forked worker drops the inherited parent ends (fd numbers mean nothing to a fresh interpreter), and
            # checks that its parent is this process (a forkserver's worker is the forkserver's child)
            inherited = open_parent_ends() if method == "fork" else ()
            parent_pid = os.getpid() if method in ("fork", "spawn") else None
            self.proc = ctx.Process(target=worker_loop, name="extractor-worker", daemon=True,
                                    args=(child_conn, memory_mb, log_path, task, parent_pid, inherited))
            try:
                self.proc.start()
            except BaseException:
                parent_conn.close()
                raise
            finally:
                child_conn.close()
            self.conn = parent_conn
        self.pid = self.proc.pid if self.proc is not None else self.popen.pid

    def _start_subprocess(self, memory_mb: int, log_path: Optional[str], task: Optional[Task]) -> None:
        import socket
        import subprocess
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the extractor package
        env["PYTHONPATH"] = os.pathsep.join([root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, "1")
        code = "from extractor.run.worker import subprocess_main; subprocess_main()"
        try:
            self.popen = subprocess.Popen([sys.executable, "-c", code, str(theirs.fileno()), str(memory_mb),
                                           log_path or "", _task_name(task), str(os.getpid())],
                                          pass_fds=(theirs.fileno(),), env=env,
                                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL, close_fds=True)
        finally:
            theirs.close()
        self.conn = Connection(os.dup(ours.fileno()))
        ours.close()

    def exit_description(self) -> str:
        code = self._wait(2.0)
        if code is None:
            return "worker crashed"
        if code < 0:
            return f"worker crashed (signal {-code})"
        return f"worker crashed (exit code {code})" if code else "worker exited unexpectedly"

    def _wait(self, timeout: float) -> Optional[int]:
        if self.proc is not None:
            self.proc.join(timeout)
            return self.proc.exitcode
        import subprocess

        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        try:
            if self.proc is not None:
                self.proc.kill()
            else:
                self.popen.kill()
        except (OSError, ValueError, AttributeError):
            pass
        self._wait(5.0)
        self.close_conn()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        if self._wait(2.0) is None:
            self.kill()
        self.close_conn()

    def close_conn(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass


@dataclass
class PoolStats:
    started: int = 0  # worker processes started
    replaced: int = 0  # ... of which replaced a dead, killed or retired one
    timeouts: int = 0
    memory_kills: int = 0
    crashes: int = 0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # pid -> peak RSS as the worker reported it


def died_at_memory_limit(peak_vm: int, base_vm: int, memory_mb: int) -> bool:
    """Whether a worker that died was near its address-space limit (set by _set_memory_limit: memory_mb, or
    what the worker mapped at start plus a margin) and had grown towards it: a worker forked from a parent
    that already maps a lot (a test runner, a notebook) must not have every crash called a memory kill."""
    if memory_mb <= 0:
        return False
    limit = address_space_limit(memory_mb, base_vm)
    return peak_vm > limit * 0.8 and peak_vm > base_vm + (64 << 20)


class IsolatedPool:
    """A small pool of worker processes, each running one file at a time under a time and memory limit.

    map(jobs, on_result) sends each job to a free worker and calls on_result(job, result, details) as results
    come in (details: a traceback for the log, or ""). A worker that times out, exceeds its memory or dies is
    killed and replaced; its file gets a failed result."""

    def __init__(self, size: int = 1, timeout_s: float = 120.0, memory_mb: int = 2048, start_method: str = "auto",
                 log_path: Optional[PathLike] = None, task: Optional[Task] = None):
        self.size = max(1, int(size))
        self.timeout_s = float(timeout_s) if timeout_s and timeout_s > 0 else float("inf")
        self.memory_mb = int(memory_mb or 0)
        self.method = resolve_start_method(start_method)
        self.log_path = os.fspath(log_path) if log_path else None
        self.task = task
        self.idle: list[_Worker] = []
        self.stats = PoolStats()

    def __enter__(self) -> "IsolatedPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _new_worker(self) -> _Worker:
        if self.method == "fork":
            warm_up()
        worker = _Worker(self.method, self.memory_mb, self.log_path, self.task)
        self.stats.started += 1
        if self.stats.started > self.size:
            self.stats.replaced += 1
        return worker

    def _limit_text(self) -> str:
        return f"{self.timeout_s:g}"

    def map(self, jobs: Iterable[Job], on_result: Callable[[Job, DocumentResult, str], None]) -> None:
        from multiprocessing.connection import wait

        pending = deque(jobs)
        busy: dict[Any, _Worker] = {}  # conn -> worker running a job
        starting: dict[Any, _Worker] = {}  # conn -> worker not ready yet (imports, warm-up): no clock running
        failed_starts = 0
        try:
            while pending or busy:
                while pending and self.idle:
                    worker = self.idle.pop()
                    try:
                        worker.conn.send(pending[0])
                    except (OSError, ValueError):  # an idle worker that died: replace it
                        worker.kill()
                        continue
                    worker.job, worker.started, worker.peak_vm = pending.popleft(), time.monotonic(), 0
                    busy[worker.conn] = worker
                while pending and len(busy) + len(starting) + len(self.idle) < self.size:
                    worker = self._new_worker()
                    worker.started = time.monotonic()
                    starting[worker.conn] = worker
                if not busy and not starting:
                    if pending and not self.idle:  # cannot happen; never spin
                        raise RuntimeError("worker pool stalled")
                    continue
                now = time.monotonic()
                deadlines = [w.started + self.timeout_s for w in busy.values()]
                deadlines += [w.started + STARTUP_TIMEOUT_S for w in starting.values()]
                wait_s = max(0.0, min(min(deadlines) - now, _RSS_POLL_S if self.memory_mb > 0 else 3600.0))
                for conn in wait(list(busy) + list(starting), timeout=wait_s):
                    if conn in starting:
                        worker = starting.pop(conn)
                        try:
                            ready = conn.recv() == "ready"
                        except Exception:
                            ready = False
                        if ready:
                            failed_starts = 0
                            worker.base_vm = vm_bytes(worker.pid)
                            self.idle.append(worker)
                        else:
                            failed_starts += 1
                            self._startfailed_result(worker, pending, failed_starts, on_result)
                        continue
                    worker = busy.pop(conn)
                    job = worker.job
                    try:
                        index, result, details, peak_rss, retire = conn.recv()
                    except Exception:  # EOF: the worker died mid-file (or mid-message)
                        self._died(worker, job, on_result)
                        continue
                    if peak_rss:
                        self.stats.peak_rss_mb[worker.pid] = round(peak_rss / 2 ** 20, 1)
                    worker.job = None
                    if retire:
                        worker.stop()
                    else:
                        self.idle.append(worker)
                    on_result(job, result, details)
                now = time.monotonic()
                for conn, worker in list(starting.items()):
                    if now - worker.started >= STARTUP_TIMEOUT_S:
                        del starting[conn]
                        failed_starts += 1
                        self._startfailed_result(worker, pending, failed_starts, on_result)
                for conn, worker in list(busy.items()):
                    vm, rss = statm(worker.pid)
                    worker.peak_vm = max(worker.peak_vm, vm)
                    if now - worker.started >= self.timeout_s:
                        del busy[conn]
                        worker.kill()
                        self.stats.timeouts += 1
                        timed_out = errors.TimedOut(f"timed out after {self._limit_text()} s")
                        on_result(worker.job, failed_result(worker.job, timed_out), "")
                    elif self.memory_mb > 0 and rss > self.memory_mb << 20:
                        del busy[conn]
                        worker.kill()
                        self.stats.memory_kills += 1
                        on_result(worker.job, failed_result(worker.job, memory_failure(self.memory_mb)),
                                  f"resident memory {rss / 2 ** 20:.0f} MB > {self.memory_mb} MB: worker killed")
        except BaseException:  # Ctrl-C or a failing callback: no worker outlives the batch
            for worker in list(busy.values()) + list(starting.values()) + self.idle:
                worker.kill()
            self.idle.clear()
            raise

    def _startfailed_result(self, worker: _Worker, pending: deque, failures: int, on_result) -> None:
        """A worker that died or hung before it was ready. After a few in a row, the files left fail (one line
        each) rather than the batch looping on a broken environment."""
        reason = worker.exit_description() if worker.proc is not None or worker.popen is not None else "no reply"
        worker.kill()
        self.stats.crashes += 1
        if failures >= MAX_FAILED_STARTS:
            while pending:
                job = pending.popleft()
                crashed = errors.WorkerCrashed(f"worker crashed (could not start: {reason})")
                on_result(job, failed_result(job, crashed), "")

    def _died(self, worker: _Worker, job: Job, on_result) -> None:
        reason = worker.exit_description()
        worker.kill()
        details = f"{reason}; address space peaked at {worker.peak_vm / 2 ** 20:.0f} MB (as last sampled)"
        failure: errors.DocumentError = errors.WorkerCrashed(reason)
        if died_at_memory_limit(worker.peak_vm, worker.base_vm, self.memory_mb):
            self.stats.memory_kills += 1
            failure = memory_failure(self.memory_mb)
        else:
            self.stats.crashes += 1
        on_result(job, failed_result(job, failure), details)

    def close(self) -> None:
        for worker in self.idle:
            worker.stop()
        self.idle.clear()
