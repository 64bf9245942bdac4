"""External programs (LibreOffice, Tesseract) run as children that cannot outlive their use: each in its own
process group, killed as a group on a timeout, an interruption or when it returns (whatever it left running
goes too), and on Linux killed by the kernel when the worker that started it dies."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys


def run_child(argv: list[str], timeout_s: float, *, merge_stderr: bool = False, **popen) -> tuple[int, bytes, bytes]:
    """(exit code, stdout, stderr) of argv; stderr is b"" when merged into stdout. A timeout raises
    subprocess.TimeoutExpired after the group is killed. `popen`: cwd, env and the like."""
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
                            start_new_session=True, preexec_fn=_die_with_parent(), **popen)
    try:
        out, err = proc.communicate(timeout=timeout_s)
    finally:
        _kill_group(proc)
    return proc.returncode, out or b"", err or b""


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(OSError, ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, OSError):
        proc.communicate(timeout=5)


def _die_with_parent():
    """A function for the child to run before exec (Linux): SIGKILL when the worker that started it dies.
    prctl is looked up here, in the parent, so the child only makes the call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def set_death_signal() -> None:
        prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return set_death_signal


__all__ = ["run_child"]
