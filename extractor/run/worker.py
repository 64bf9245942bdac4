"""The worker: the child side of run/workers.py's pool. One process that sets itself up (output to the log,
no Ctrl-C, RLIMIT_AS, death with its parent) and loops over jobs sent down its pipe, one file at a time,
answering with the file's result, details for the log, its peak memory and whether it retires.
"""
from __future__ import annotations

import gc
import os
import sys
import traceback
import weakref
from typing import Optional

from extractor import errors
from extractor.model import DocumentResult
from extractor.run.jobs import Job, Task, failed_result, memory_failure, process_job

# This process's ends of its workers' pipes. A worker started by fork inherits them all, its own pipe's too:
# while any copy stays open, a worker never sees end-of-file when the parent dies, and lives on.
PARENT_ENDS: "weakref.WeakSet" = weakref.WeakSet()  # Connection objects: closed or collected ones drop out


def open_parent_ends() -> tuple[int, ...]:
    return tuple(sorted(c.fileno() for c in list(PARENT_ENDS) if not c.closed))
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
    limit = address_space_limit(memory_mb, vm_bytes(os.getpid()))
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


def statm(pid: int) -> tuple[int, int]:
    """(virtual, resident) bytes of a process, (0, 0) when unknown (not Linux, process gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            size, resident = fh.read().split()[:2]
        return int(size) * _PAGE, int(resident) * _PAGE
    except (OSError, ValueError):
        return 0, 0


def vm_bytes(pid: int) -> int:
    return statm(pid)[0]


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
    rss = statm(os.getpid())[1]
    # what an earlier file left behind must not fail the next: retire when the worker grew by 60% of its limit
    # since it was ready (a worker forked from a big parent starts with that parent's resident pages)
    if memory_mb > 0 and rss - base_rss > (memory_mb << 20) * 0.6:
        retire = True
    return result, details, retire


def worker_loop(conn, memory_mb: int, log_path: Optional[str], task: Optional[Task],
                 parent_pid: Optional[int] = None, inherited: tuple[int, ...] = ()) -> None:
    _die_with_parent(parent_pid)
    _drop_inherited(inherited)
    _child_setup(memory_mb, log_path)
    warm_up()  # (a no-op in a worker forked from a warmed parent) so no file's time limit pays for start-up
    gc.freeze()  # the loaded pipeline (spaCy, rules) lives as long as the worker: never traverse it again
    task = task or process_job
    base_rss = statm(os.getpid())[1]
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


def subprocess_main() -> None:
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
    worker_loop(Connection(fd), memory_mb, log_path, task, parent_pid)


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
