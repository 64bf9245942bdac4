"""Word 97-2003 .doc, OpenDocument .odt and .rtf -> DOCX through headless LibreOffice, then the DOCX reader.

Runs inside the batch's worker process, so the file's time limit and memory limit (RLIMIT_AS, inherited by
LibreOffice) still hold; the conversion also has its own time limit (settings.convert.timeout_s) so that a
hung LibreOffice is killed and reported before the worker's own limit replaces the worker.

- Every conversion gets its own LibreOffice profile (-env:UserInstallation) in a private temporary folder:
  two workers converting at once never share one (a shared profile is locked by the first soffice and makes
  the second fail or hang), and nothing is left in the user's own LibreOffice profile.
- LibreOffice runs in its own process group, killed as a group on time-out, and (Linux) is killed by the
  kernel if the worker dies first (PR_SET_PDEATHSIG): a worker replaced for a time-out leaves no soffice behind.
- soffice.bin is started directly where it sits beside the `soffice` script: the script's launcher (oosplash)
  would stand between us and the process to kill. A fresh profile makes soffice.bin exit with code 81 ("restart
  me") once; oosplash's restart is done here.
- The converted DOCX is cached by the source's content hash and the LibreOffice build, in a per-user cache
  folder (see cache_dir()), not in the batch's output folder: the conversion depends on neither the output
  folder nor the rules, so a re-run after a rules change, `extractor diff`/`inspect` and API calls without an
  output folder all reuse it. The batch's own result cache (OUT/.cache) still skips unchanged files entirely.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

from extractor import errors
from extractor.ingest.child import run_child
from extractor.settings import current

CONVERTED_FORMATS = ("doc", "odt", "rtf")
SOFFICE_ENV = "EXTRACTOR_SOFFICE"  # the soffice to use (default: found on PATH or in the usual places)
CACHE_ENV = "EXTRACTOR_CACHE_DIR"  # per-user cache folder; set to "" to turn the conversion cache off
RESTART_EXIT_CODE = 81  # soffice.bin after creating a fresh profile: "start me again"
CACHE_MAX_BYTES = 512 << 20  # least recently used conversions are dropped past this
INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install "
                "--cask libreoffice) or save the file as .docx")
_USUAL_PLACES = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                 "/Applications/LibreOffice.app/Contents/MacOS/soffice")


class ConverterMissing(errors.Unsupported):
    """LibreOffice is not installed (the file is 'unsupported' here, with what to install)."""


class ConversionFailed(errors.Unreadable):
    """LibreOffice failed, crashed, produced nothing or timed out (the file is 'failed', in one line)."""


# --------------------------------------------------------------------------- finding LibreOffice

def find_soffice() -> Optional[str]:
    """The LibreOffice program to run, or None. EXTRACTOR_SOFFICE wins (and is the only candidate when set)."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured is not None:
        found = shutil.which(configured) if configured else None
        return _direct(found) if found else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return _direct(found)
    for place in _USUAL_PLACES:
        if os.access(place, os.X_OK):
            return _direct(place)
    return None


def _direct(program: str) -> str:
    """soffice.bin beside a `soffice` launcher script, else the program itself."""
    real = os.path.realpath(program)
    binary = os.path.join(os.path.dirname(real), "soffice.bin")
    if os.path.basename(real) == "soffice" and os.access(binary, os.X_OK):
        return binary
    return real


def converter_tag(program: str) -> str:
    """Identifies the LibreOffice build (a new build may convert differently): size and mtime of its binary."""
    try:
        st = os.stat(program)
    except OSError:
        return "unknown"
    return f"{st.st_size:x}{int(st.st_mtime):x}"


# --------------------------------------------------------------------------- the cache

def cache_dir() -> Optional[Path]:
    """$EXTRACTOR_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/extractor, else ~/.cache/extractor; the
    conversions live in its converted/ folder, readable by the user only."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        base = Path(configured) if configured.strip() else None
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) / "extractor" if xdg else Path.home() / ".cache" / "extractor"
    return base / "converted" if base is not None else None


def _cache_path(source: str, program: str) -> Optional[Path]:
    folder = cache_dir()
    if folder is None:
        return None
    h = hashlib.sha256()
    with open(source, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return folder / f"{h.hexdigest()}-{converter_tag(program)}.docx"


def _store(produced: Path, target: Path) -> bool:
    """Move a conversion into the cache atomically; False (no cache) when the folder is not writable."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".docx")
        os.close(fd)
        shutil.copyfile(produced, tmp)
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        return False
    _prune(target.parent, keep=target)
    return True


def _prune(folder: Path, keep: Path, max_bytes: int = CACHE_MAX_BYTES) -> None:
    """Least recently used conversions go once the folder outgrows max_bytes (a hit refreshes a file's mtime)."""
    try:
        entries = [(p.stat().st_mtime, p.stat().st_size, p) for p in folder.glob("*.docx")]
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        if path != keep:
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


# --------------------------------------------------------------------------- converting

@contextlib.contextmanager
def as_docx(path: str, fmt: str) -> Iterator[str]:
    """The file converted to DOCX, as a path valid inside the `with` block (a cached copy, or a temporary one
    when the cache is off). ConverterMissing without LibreOffice, ConversionFailed when it fails or hangs."""
    program = find_soffice()
    if program is None:
        raise ConverterMissing(f"a .{fmt} file needs LibreOffice to be read: {INSTALL_HINT}")
    cached = _cache_path(path, program)
    if cached is not None and cached.is_file():
        with contextlib.suppress(OSError):
            os.utime(cached)
        yield str(cached)
        return
    with tempfile.TemporaryDirectory(prefix="extractor-convert-") as tmp:
        produced = _convert(program, path, fmt, Path(tmp), current().convert.timeout_s)
        if cached is not None and _store(produced, cached):
            produced = cached
        yield str(produced)


def _convert(program: str, path: str, fmt: str, work: Path, timeout_s: float) -> Path:
    """One conversion in `work` (source copy, private profile, output); the DOCX produced."""
    source = work / f"source.{fmt}"  # a plain name: no odd characters or misleading extension reach soffice
    shutil.copyfile(path, source)
    out_dir = work / "out"
    argv = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
            "--nologo", "--norestore", "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(out_dir), str(source)]
    deadline = time.monotonic() + timeout_s
    for _attempt in range(3):  # a fresh profile costs one restart (exit code 81)
        code, err = _run(argv, deadline, timeout_s, work)
        if code != RESTART_EXIT_CODE:
            break
    produced = out_dir / "source.docx"
    if code == 0 and produced.is_file() and produced.stat().st_size > 0:
        return produced
    if code is not None and code < 0:
        raise ConversionFailed(f"LibreOffice crashed (signal {-code}) converting the .{fmt} file")
    reason = _last_line(err) or ("no output: LibreOffice could not read the file" if code == 0 else f"exit code {code}")
    raise ConversionFailed(f"LibreOffice could not convert the .{fmt} file: {reason}"[:300])


def _run(argv: list[str], deadline: float, timeout_s: float, work: Path) -> tuple[Optional[int], str]:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ConversionFailed(f"timed out converting with LibreOffice (limit {timeout_s:g} s)")
    env = dict(os.environ, HOME=str(work))  # nothing of the user's own profile or dotfiles is read or written
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    try:
        code, out, _ = run_child(argv, remaining, merge_stderr=True, cwd=str(work), env=env)
    except subprocess.TimeoutExpired:
        raise ConversionFailed(f"timed out converting with LibreOffice (limit {timeout_s:g} s)") from None
    return code, out.decode("utf-8", "replace")




def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("convert ")]
    return lines[-1] if lines else ""
