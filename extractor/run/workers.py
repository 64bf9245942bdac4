"""Workers: each file runs in a worker process, one at a time, under a time and a memory limit.

The child side sets a worker up (output to the log, no Ctrl-C, RLIMIT_AS) and loops over jobs; the parent
side (IsolatedPool) hands out jobs, watches time and resident memory, and replaces a worker that hangs,
blows its memory or crashes, turning that file into a one-line "failed" result. Workers are reused across
files and start warm (forked from a parent that has loaded the pipeline), so the per-file overhead is a
pipe round trip.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
import time
import traceback
import weakref
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Union

from extractor import errors
from extractor.model import DocumentResult
from extractor.run.jobs import Job, Task, failed_result, file_status, memory_failure, process_job  # noqa: F401

PathLike = Union[str, os.PathLike]

START_METHODS = ("auto", "fork", "forkserver", "spawn", "subprocess")
_RSS_POLL_S = 0.25
STARTUP_TIMEOUT_S = 120.0  # a worker that is not ready (imported, warmed up) by then is replaced
MAX_FAILED_STARTS = 3  # workers failing to start in a row before the remaining files are given up


# --------------------------------------------------------------------------- the worker (child side)

# This process's ends of its workers' pipes. A worker started by fork inherits them all, its own pipe's too:
# while any copy stays open, a worker never sees end-of-file when the parent dies, and lives on.
_PARENT_ENDS: "weakref.WeakSet" = weakref.WeakSet()  # Connection objects: closed or collected ones drop out


def _open_parent_ends() -> tuple[int, ...]:
    return tuple(sorted(c.fileno() for c in list(_PARENT_ENDS) if not c.closed))
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent_pid: Optional[int]) -> None:
    """On Linux, ask the kernel to kill this worker when its parent dies, however it dies (kill -9 included), even
    mid-file; then make sure the parent did not die before the request was made. (A worker started by the
    forkserver has the forkserver as its parent, which exits when the batch does.)"""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError, ValueError):  # no prctl: end-of-file on the pipe still ends an idle worker
            pass
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(0)


def _drop_inherited(fds: tuple[int, ...]) -> None:
    """In a worker started by fork: point the inherited parent ends of every worker pipe at /dev/null (closing
    them outright would free fd numbers that the inherited Connection objects close again later)."""
    if not fds:
        return
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for fd in fds:
            try:
                os.dup2(devnull, fd)
            except OSError:
                pass
    finally:
        os.close(devnull)


def _child_setup(memory_mb: int, log_path: Optional[str]) -> None:
    """In a fresh worker: no terminal output (stdout/stderr to the log), no Ctrl-C (the parent decides), the
    memory limit, no core dumps."""
    import logging
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    target = log_path or os.devnull
    try:
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", buffering=1, closefd=False)
    root = logging.getLogger()
    for lg in (root, logging.getLogger("extractor")):
        for h in list(lg.handlers):
            lg.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"worker {os.getpid()}: %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("extractor").propagate = True
    try:  # a crash's Python stack goes to the log (an inherited handler would write to the terminal)
        import faulthandler

        faulthandler.disable()
        faulthandler.enable(file=sys.stderr)
    except (ImportError, ValueError, OSError, RuntimeError):
        pass
    for noisy in ("pdfminer", "pdfplumber", "PIL"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    _set_memory_limit(memory_mb)


def _set_memory_limit(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the RSS watch in the parent still applies
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    if memory_mb <= 0:
        return
    # the address space a process starts with (shared libraries, arenas) is not the file's doing: the limit
    # is memory_mb, but never less than what the worker already maps plus a margin
    limit = address_space_limit(memory_mb, _vm_bytes(os.getpid()))
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def address_space_limit(memory_mb: int, start_vm: int) -> int:
    """The RLIMIT_AS a worker gets: memory_mb, but never less than what it maps at start plus a margin, and high
    enough that the start sits below 85% of it (ingest.safety.near_memory_limit must not call every page error
    of a worker forked from a big parent, a test runner that loaded DuckDB, "out of memory")."""
    return max(memory_mb << 20, start_vm + (256 << 20), int(start_vm / 0.85))


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _statm(pid: int) -> tuple[int, int]:
    """(virtual, resident) bytes of a process, (0, 0) when unknown (not Linux, process gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            size, resident = fh.read().split()[:2]
        return int(size) * _PAGE, int(resident) * _PAGE
    except (OSError, ValueError):
        return 0, 0


def _vm_bytes(pid: int) -> int:
    return _statm(pid)[0]


def _peak_rss_bytes() -> int:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KB on Linux
    except (ImportError, OSError):
        return 0


def run_here(job: Job, task: Optional[Task] = None) -> tuple[DocumentResult, str]:
    """(result, details for the log) of one job run in this process, without limits (debugging, dask with
    isolate=False): what a worker would report."""
    result, details, _ = _run_one(job, task or process_job, 0, in_worker=False)
    return result, details


def _run_one(job: Job, task: Task, memory_mb: int, in_worker: bool = True,
             base_rss: int = 0) -> tuple[DocumentResult, str, bool]:
    """(result, details for the log, whether this worker should retire) for one job, in the worker (or in
    this process, where Ctrl-C must still stop the run)."""
    from extractor import ingest

    ingest.last_details()  # forget anything left from an earlier file
    retire = False
    try:
        result = task(job)
        details = ingest.last_details()
    except (MemoryError, errors.OutOfMemory):  # the file reached the memory limit: the worker retires
        result, details, retire = failed_result(job, memory_failure(memory_mb)), ingest.last_details(), True
    except BaseException as exc:  # the task's own guard failed: still one line, details to the log
        if not in_worker and not isinstance(exc, Exception):  # Ctrl-C, SIGTERM, exit: stop the run
            raise
        result = failed_result(job, errors.RunFailure(f"worker error: {type(exc).__name__}: {errors.one_line(exc)}"))
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    gc.collect()  # the file's cyclic garbage goes now, before the memory check and the next file
    rss = _statm(os.getpid())[1]
    # what an earlier file left behind must not fail the next: retire when the worker grew by 60% of its limit
    # since it was ready (a worker forked from a big parent starts with that parent's resident pages)
    if memory_mb > 0 and rss - base_rss > (memory_mb << 20) * 0.6:
        retire = True
    return result, details, retire


def _worker_loop(conn, memory_mb: int, log_path: Optional[str], task: Optional[Task],
                 parent_pid: Optional[int] = None, inherited: tuple[int, ...] = ()) -> None:
    _die_with_parent(parent_pid)
    _drop_inherited(inherited)
    _child_setup(memory_mb, log_path)
    warm_up()  # (a no-op in a worker forked from a warmed parent) so no file's time limit pays for start-up
    gc.freeze()  # the loaded pipeline (spaCy, rules) lives as long as the worker: never traverse it again
    task = task or process_job
    base_rss = _statm(os.getpid())[1]
    try:
        conn.send("ready")
    except (OSError, EOFError):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        result, details, retire = _run_one(job, task, memory_mb, base_rss=base_rss)
        message = (job.index, result, details, _peak_rss_bytes(), retire)
        try:
            conn.send(message)
        except MemoryError:
            conn.send((job.index, failed_result(job, memory_failure(memory_mb)), "", 0, True))
            retire = True
        except (OSError, EOFError):
            break
        except Exception as exc:  # an unpicklable result: the file fails, the worker goes on
            failure = errors.RunFailure(f"worker error: result not transferable ({type(exc).__name__})")
            conn.send((job.index, failed_result(job, failure), details, _peak_rss_bytes(), retire))
        if retire:
            break
    try:
        conn.close()
    except OSError:
        pass


def _subprocess_main() -> None:
    """Entry point of a worker started with the 'subprocess' method: argv = [fd, memory_mb, log_path, task,
    parent pid]."""
    from multiprocessing.connection import Connection

    fd, memory_mb, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] or None
    task = None
    if len(sys.argv) > 4 and sys.argv[4]:
        import importlib

        module, _, name = sys.argv[4].partition(":")
        task = getattr(importlib.import_module(module), name)
    parent_pid = int(sys.argv[5]) if len(sys.argv) > 5 else None
    _worker_loop(Connection(fd), memory_mb, log_path, task, parent_pid)


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


_WARMED = False


def warm_up() -> None:
    """Load the pipeline and everything it loads lazily (rules, spaCy) in this process, once, by running it
    on a tiny document: forked workers then start ready. Never fails."""
    global _WARMED
    if _WARMED:
        return
    _WARMED = True
    try:
        from extractor.pipeline import warm_up as run_tiny_plan

        run_tiny_plan()
    except Exception:  # warm-up is an optimisation only
        pass


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
            _PARENT_ENDS.add(parent_conn)
            # a forked worker drops the inherited parent ends (fd numbers mean nothing to a fresh interpreter), and
            # checks that its parent is this process (a forkserver's worker is the forkserver's child)
            inherited = _open_parent_ends() if method == "fork" else ()
            parent_pid = os.getpid() if method in ("fork", "spawn") else None
            self.proc = ctx.Process(target=_worker_loop, name="extractor-worker", daemon=True,
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
        code = "from extractor.run.workers import _subprocess_main; _subprocess_main()"
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
                            worker.base_vm = _vm_bytes(worker.pid)
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
                    vm, rss = _statm(worker.pid)
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
