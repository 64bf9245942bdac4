"""A per-output-folder cache of DocumentResults, keyed by file content: OUT/.cache/<sha256>-<version>.json.

A re-run over an unchanged folder takes every file's result from here instead of parsing it again. The
key is the content (sha256) and the pipeline version (PIPELINE_VERSION, a fingerprint of the code, one of the
settings and rules), so a copied or renamed file hits the cache too: its
path-dependent fields (doc_id, path, action/objective ids, source) are re-stamped on load.

Cached: results the file itself decided (ok, partial, failed for a reason found in the file, needs_ocr,
unsupported). Not cached: encrypted results (a password may come next time) and failures of the run rather
than the file (time-outs, memory limits, crashed workers): those files are tried again.
A broken or foreign cache entry is a miss, never an error (and is removed, so the fresh result replaces it).

The parent process never reads a file's content: a file whose size, times and inode are those recorded with its
hash last time (OUT/.cache/stat-index, as git and make trust file metadata) is looked up by that hash;
any other file goes to a worker, which hashes it under the run's time and memory limits and looks the hash up
there (CacheRef: where the cache is, which version), so a FIFO or a device can never hang the run.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import NamedTuple, Optional

from extractor.model import Action, DocumentResult, Mention, Objective
from extractor.settings import Settings, current

CACHE_DIR = ".cache"
FORMAT = 1  # layout of the cache files themselves
CACHED_STATUSES = frozenset({"ok", "partial", "failed", "needs_ocr", "unsupported"})
_RESULT_FIELDS = {f.name for f in fields(DocumentResult)} - {"actions", "objectives", "mentions"}
_ACTION_FIELDS = {f.name for f in fields(Action)}
_OBJECTIVE_FIELDS = {f.name for f in fields(Objective)}
_MENTION_FIELDS = {f.name for f in fields(Mention)}
STAT_INDEX = "stat-index"  # JSON; no .json suffix: entries are the only *.json files


class CacheRef(NamedTuple):
    """What a worker needs to look a result up: the cache folder, the pipeline version, the fingerprint."""
    dir: str
    version: str
    fingerprint: str = ""


def pipeline_version(settings: Optional[Settings] = None) -> str:
    """PIPELINE_VERSION, the code's fingerprint and the settings' fingerprint: everything that changes results,
    the code itself (an upgraded tool must not serve rows its previous version cached), the rules files in use
    (a user who adds a synonym must not get stale cached rows), the tuning and the spaCy model."""
    from extractor.fileid import PIPELINE_VERSION

    return f"{PIPELINE_VERSION}-{code_fingerprint()[:8]}-{(settings or current()).fingerprint()[:12]}"


@functools.cache
def code_fingerprint() -> str:
    """sha256 over the package's own source files (a few ms, once per process), so that a changed or upgraded
    extractor never trusts what an earlier one cached, whether or not someone remembered PIPELINE_VERSION."""
    return sources_fingerprint(Path(__file__).resolve().parents[1])


def sources_fingerprint(package: Path) -> str:
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        try:
            digest.update(source.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


class ResultCache:
    """get(sha256, path, doc_id) -> a re-stamped DocumentResult or None; put(result) stores one."""

    def __init__(self, out_dir: os.PathLike | str, version: Optional[str] = None, fingerprint: str = ""):
        self.dir = Path(out_dir) / CACHE_DIR
        self.version = version if version is not None else pipeline_version()
        self.fingerprint = fingerprint  # options that change results (e.g. a page limit); must match on load
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self._index: Optional[dict[str, list]] = None  # realpath -> [size, mtime_ns, ctime_ns, ino, dev, sha256]
        self._seen: dict[str, list] = {}

    @classmethod
    def at(cls, ref: CacheRef) -> "ResultCache":
        return cls(Path(ref.dir).parent, version=ref.version, fingerprint=ref.fingerprint)

    def ref(self) -> CacheRef:
        return CacheRef(str(self.dir), self.version, self.fingerprint)

    def path_for(self, sha256: str) -> Path:
        safe_version = "".join(c if c.isalnum() or c in ".-_" else "_" for c in self.version)
        return self.dir / f"{sha256}-{safe_version}.json"

    def get(self, sha256: str, path: str, doc_id: str) -> Optional[DocumentResult]:
        if not sha256:
            return None
        try:
            with open(self.path_for(sha256), encoding="utf-8") as fh:
                data = json.load(fh)
            if (data.get("format_version") != FORMAT or data.get("pipeline_version") != self.version
                    or data.get("fingerprint", "") != self.fingerprint or data["result"].get("sha256") != sha256):
                raise ValueError("stale entry")
            if not _same_verdict(data["result"], path):
                self.misses += 1
                return None
            result = from_dict(data["result"])
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            try:  # a broken entry goes, so the fresh result can take its place
                os.unlink(self.path_for(sha256))
            except OSError:
                pass
            return None
        self.hits += 1
        result.cached = True
        return restamp(result, doc_id=doc_id, path=path)

    def put(self, result: DocumentResult) -> bool:
        """Store a result the file decided (see the module docstring); returns whether it was stored."""
        if not cacheable(result):
            return False
        data = {"format_version": FORMAT, "pipeline_version": self.version, "fingerprint": self.fingerprint,
                "result": dict(asdict(result), cached=False, duplicate_of="")}
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=self.dir)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, self.path_for(result.sha256))  # readers see the old entry or the new one
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, TypeError, ValueError):  # a cache that cannot be written costs speed, not data
            return False
        self.stored += 1
        return True


    # ---- the stat index: a file unchanged since the last run is found without reading it ------------------

    def known_sha(self, path: str, st: os.stat_result) -> str:
        """The content hash recorded for this file when it had exactly these size, times and inode ("")."""
        if self._index is None:
            self._index = self._read_index()
        entry = self._index.get(os.path.realpath(path))
        return entry[5] if entry and entry[:5] == _signature(st) else ""

    def remember(self, path: str, st: os.stat_result, sha256: str) -> None:
        """Record a file's hash with the metadata it had before it was read (saved by save_index())."""
        if sha256:
            self._seen[os.path.realpath(path)] = _signature(st) + [sha256]

    def save_index(self) -> None:
        """The index of this run's files (their hash and metadata), replacing the last one; never fails."""
        if not self._seen:
            return
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".index.", suffix=".tmp", dir=self.dir)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"format_version": FORMAT, "files": self._seen}, fh, separators=(",", ":"))
            os.replace(tmp, self.dir / STAT_INDEX)
        except (OSError, TypeError, ValueError):
            pass

    def _read_index(self) -> dict[str, list]:
        try:
            with open(self.dir / STAT_INDEX, encoding="utf-8") as fh:
                data = json.load(fh)
            files = data["files"] if data.get("format_version") == FORMAT else {}
            return {k: v for k, v in files.items() if isinstance(v, list) and len(v) == 6}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}


def _signature(st: os.stat_result) -> list:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def cacheable(result: DocumentResult) -> bool:
    return bool(result.sha256) and result.status in CACHED_STATUSES and not result.transient


def _same_verdict(cached: dict, path: str) -> bool:
    """Whether a cached result holds for this path too. A file that was not read (unsupported, failed) may owe its
    verdict to its name ("not a PDF despite its extension", a README skipped): it holds only under the same
    extension."""
    if cached.get("status") in ("ok", "partial"):
        return True
    return Path(str(cached.get("path", ""))).suffix.lower() == Path(path).suffix.lower()


def from_dict(data: dict) -> DocumentResult:
    res = DocumentResult(**{k: v for k, v in data.items() if k in _RESULT_FIELDS})
    res.warnings = list(res.warnings or [])
    res.actions = [Action(**{k: v for k, v in a.items() if k in _ACTION_FIELDS}) for a in data.get("actions", [])]
    res.objectives = [Objective(**{k: v for k, v in o.items() if k in _OBJECTIVE_FIELDS})
                      for o in data.get("objectives", [])]
    res.mentions = [Mention(**{k: v for k, v in m.items() if k in _MENTION_FIELDS}) for m in data.get("mentions", [])]
    return res


def _swap(value: str, old: str, new: str) -> str:
    if old == new or not value:
        return value
    if value == old:
        return new
    return new + value[len(old):] if value.startswith(old + "-") else value


def restamp(result: DocumentResult, doc_id: str, path: str) -> DocumentResult:
    """The result of the same content found at another path: doc_id, path and the ids built from them
    (action_id "<doc_id>-a0001", objective_id "<doc_id>-o0001", Action.objective_id, Action.source)."""
    old, old_path = result.doc_id, result.path
    result.doc_id, result.path = doc_id, str(path)
    for a in result.actions:
        a.doc_id = doc_id
        a.action_id = _swap(a.action_id, old, doc_id)
        a.objective_id = _swap(a.objective_id, old, doc_id)
        if a.source == old_path:
            a.source = str(path)
    for o in result.objectives:
        o.doc_id = doc_id
        o.objective_id = _swap(o.objective_id, old, doc_id)
    for m in result.mentions:
        m.doc_id = doc_id
        m.mention_id = _swap(m.mention_id, old, doc_id)
        m.action_id = _swap(m.action_id, old, doc_id)
    return result
