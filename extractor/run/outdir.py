"""The output folder (--out): checked before any work, one run at a time, and a run's outputs published together.

    folder = OutputFolder(out)
    folder.check()                       # OutputUnusable: a file, under a file, not writable (exit 2)
    with folder.locked():                # OutputBusy: another run holds it (exit 2); re-entrant in a process
        staging = folder.stage()         # OUT/.extractor/staging-XXXX: every output of the run goes here
        ... write into staging ...
        folder.publish(staging)          # moved into OUT together; what the last run published and this one
                                         # did not is removed; OUT/.extractor/manifest.json lists the outputs

So the folder describes exactly the latest run: no extract.xlsx, actions.jsonl or diffs/ of an earlier one
survive, and nothing the tool did not write is ever removed (extractor.log and .cache/ are the run's own
and stay). A run that fails while writing (a full disk) leaves the previous outputs untouched: only the
staging folder is written to, and it is removed. Publication is journaled (OUT/.extractor/publishing.json,
written before the first file moves): a run killed while moving files (milliseconds) is completed by the
next run that takes the lock, before it does anything else.

The lock is an exclusive flock() on OUT/.extractor/lock, released by the kernel when the process ends,
however it ends (so no stale lock). It is advisory and local: two machines writing into one network folder
are not serialised (NFS may not honour flock).
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, Iterator, Union

from extractor.output.emit import atomic_open
from extractor.output.schema import BATCH_TABLES

PathLike = Union[str, os.PathLike]

STATE_DIR = ".extractor"
MANIFEST = "manifest.json"
JOURNAL = "publishing.json"
LOCK = "lock"
STAGING_PREFIX = "staging-"
FORMAT = 1
# What earlier versions (without a manifest) wrote: removed from a folder that is plainly one of their output
# folders (it holds their extractor.log, .cache/ or datapackage.json) when a new run does not write them again.
LEGACY_NAMES = tuple(f"{t}.{ext}" for t in BATCH_TABLES for ext in ("csv", "parquet", "jsonl")) + (
    "extract.xlsx", "extract.duckdb", "datapackage.json", "families.csv", "summary.html")
LEGACY_DIFF_FILES = ("crosswalk.csv", "changes.csv", "report.html")


class OutputUnusable(ValueError):
    """The output folder cannot be used (a file, under a file, not writable): a usage error."""


class OutputBusy(RuntimeError):
    """Another run holds the output folder's lock."""


_held: dict[str, list] = {}  # realpath of OUT -> [open lock file, depth]: the lock is re-entrant in a process
_held_guard = threading.Lock()


class OutputFolder:
    def __init__(self, out: PathLike):
        self.out = Path(out)
        self.state = self.out / STATE_DIR

    # ---- before any work ---------------------------------------------------------------------------------

    def check(self) -> None:
        """Raise OutputUnusable (one line) unless the folder exists or can be created, and can be written."""
        path = self.out
        if path.exists() and not path.is_dir():
            raise OutputUnusable(f"--out {self.out} is a file, not a folder")
        probe = path
        while not probe.exists():
            if probe.parent == probe:
                break
            probe = probe.parent
        if probe.exists() and not probe.is_dir():
            raise OutputUnusable(f"--out {self.out} is under {probe}, which is a file")
        if not os.access(probe, os.W_OK | os.X_OK):
            raise OutputUnusable(f"--out {self.out}: {probe} is not writable")

    @contextlib.contextmanager
    def locked(self) -> Iterator["OutputFolder"]:
        """Hold the folder's lock (creating the folder); finish an interrupted publication first."""
        self.check()
        self.state.mkdir(parents=True, exist_ok=True)
        key = os.path.realpath(self.out)
        with _held_guard:
            held = _held.get(key)
            if held is not None:
                held[1] += 1
        if held is None:
            fh = self._acquire()
            with _held_guard:
                _held[key] = [fh, 1]
            try:
                self.recover()
            except BaseException:
                self._release(key)
                raise
        try:
            yield self
        finally:
            self._release(key)

    def _acquire(self):
        import fcntl

        fh = open(self.state / LOCK, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.seek(0)
            holder = fh.read().strip()
            fh.close()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputBusy(f"another extractor run{f' (pid {holder})' if holder else ''} is writing to "
                                 f"{self.out}; wait for it or choose another --out") from None
            raise
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        return fh

    @staticmethod
    def _release(key: str) -> None:
        with _held_guard:
            held = _held.get(key)
            if held is None:
                return
            held[1] -= 1
            if held[1] > 0:
                return
            del _held[key]
        fh = held[0]
        with contextlib.suppress(OSError):
            fh.seek(0)
            fh.truncate()
        fh.close()  # closing the file releases the flock

    # ---- staging and publication ------------------------------------------------------------------------

    def stage(self) -> Path:
        """A new, empty staging folder for this run's outputs (on OUT's filesystem: moves are renames)."""
        self.state.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.state))

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def publish(self, staging: Path) -> list[Path]:
        """Move every file of `staging` into OUT (same relative paths), remove what the previous publication
        wrote and this one did not, record the new manifest. Returns the published paths."""
        try:
            files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if not p.is_dir())
            for rel in files:  # refuse before anything moves: a folder where a file goes, a file where a folder goes
                self._check_target(rel)
            journal = {"format": FORMAT, "staging": staging.name, "files": files, "previous": self.published()}
            _write_json(self.state / JOURNAL, journal)
        except BaseException:
            self.discard(staging)
            raise
        try:
            self._complete(journal)
        except BaseException as exc:
            if isinstance(exc, Exception):  # a move that failed: the next run completes it from the journal
                raise
            self._complete(journal)  # interrupted (Ctrl-C, SIGTERM) while moving, milliseconds: finish, then stop
            raise
        return [self.out / rel for rel in files]

    def published(self) -> list[str]:
        """The files the last publication wrote (relative to OUT); for a folder written by an earlier version
        (no manifest), the outputs it plainly holds."""
        try:
            data = json.loads((self.state / MANIFEST).read_text(encoding="utf-8"))
            return [str(f) for f in data["files"]]
        except FileNotFoundError:
            return self._legacy_outputs()
        except (OSError, ValueError, KeyError, TypeError):
            return []

    def recover(self) -> None:
        """Complete a publication that was interrupted, and remove staging folders of runs that died."""
        try:
            journal = json.loads((self.state / JOURNAL).read_text(encoding="utf-8"))
        except FileNotFoundError:
            journal = None
        except (OSError, ValueError):  # a journal cut short: the publication had not started moving files
            journal = None
            with contextlib.suppress(OSError):
                os.unlink(self.state / JOURNAL)
        if journal is not None:
            self._complete(journal)
        for leftover in self.state.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)

    def _complete(self, journal: dict) -> None:
        staging = self.state / journal["staging"]
        files = list(journal["files"])
        for rel in files:
            source = staging / rel
            if source.exists():
                target = self.out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        new = set(files)
        for rel in journal.get("previous", []):
            if rel not in new:
                self._remove(rel)
        _fsync_dir(self.out)
        _write_json(self.state / MANIFEST, {"format": FORMAT, "files": files})
        os.unlink(self.state / JOURNAL)
        shutil.rmtree(staging, ignore_errors=True)

    def _check_target(self, rel: str) -> None:
        target = self.out / rel
        if target.is_dir():
            raise OutputUnusable(f"cannot write {target}: a folder is in the way")
        parts = Path(rel).parts
        for i in range(1, len(parts)):
            folder = self.out.joinpath(*parts[:i])
            if folder.exists() and not folder.is_dir():
                raise OutputUnusable(f"cannot write {target}: {folder} is a file")

    def _remove(self, rel: str) -> None:
        """Remove one file an earlier run published, then the folders it leaves empty (never OUT itself)."""
        target = self.out / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            return
        with contextlib.suppress(OSError):
            if target.is_file() or target.is_symlink():
                target.unlink()
        parent = target.parent
        while parent != self.out and self.out in parent.parents:
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break
            parent = parent.parent

    def _legacy_outputs(self) -> list[str]:
        marks = (self.out / "extractor.log", self.out / ".cache", self.out / "datapackage.json")
        if not any(m.exists() for m in marks):
            return []
        found = [n for n in LEGACY_NAMES if (self.out / n).is_file()]
        diffs = self.out / "diffs"
        if diffs.is_dir():
            found += sorted(p.relative_to(self.out).as_posix() for p in diffs.rglob("*")
                            if p.is_file() and p.name in LEGACY_DIFF_FILES)
        return found


def _write_json(path: Path, data: dict) -> None:
    with atomic_open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_staged(out: PathLike, write: Callable[[Path], object]) -> list[Path]:
    """Run write(staging_folder) and publish what it wrote into `out` together, under the folder's lock (see the
    module docstring); on any failure nothing of it reaches `out`. Returns the published paths."""
    folder = OutputFolder(out)
    with folder.locked():
        staging = folder.stage()
        try:
            write(staging)
        except BaseException:
            folder.discard(staging)
            raise
        return folder.publish(staging)  # from its journal on, a publication cut short is completed by the next run


__all__ = ["OutputFolder", "OutputUnusable", "OutputBusy", "write_staged"]
