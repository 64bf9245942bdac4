"""A per-output-folder cache of DocumentResults, keyed by file content: OUT/.cache/<sha256>-<version>.json.

A re-run over an unchanged folder takes every file's result from here instead of parsing it again. The
key is the content (sha256) and PIPELINE_VERSION, so a copied or renamed file hits the cache too: its
path-dependent fields (doc_id, path, action/objective ids, source) are re-stamped on load.

Cached: results the file itself decided (ok, partial, failed for a reason found in the file, needs_ocr,
unsupported). Not cached: encrypted results (a password may come next time) and failures of the run rather
than the file (time-outs, memory limits, crashed workers): those files are tried again.
A broken or foreign cache entry is a miss, never an error.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path
from typing import Optional

from extractor.model import Action, DocumentResult, Mention, Objective
from extractor.settings import Settings, current

CACHE_DIR = ".cache"
FORMAT = 1  # layout of the cache files themselves
CACHED_STATUSES = frozenset({"ok", "partial", "failed", "needs_ocr", "unsupported"})
_RESULT_FIELDS = {f.name for f in fields(DocumentResult)} - {"actions", "objectives", "mentions"}
_ACTION_FIELDS = {f.name for f in fields(Action)}
_OBJECTIVE_FIELDS = {f.name for f in fields(Objective)}
_MENTION_FIELDS = {f.name for f in fields(Mention)}


def pipeline_version(settings: Optional[Settings] = None) -> str:
    """PIPELINE_VERSION plus the settings' fingerprint: everything else that changes results, the rules files
    in use (a user who adds a synonym must not get stale cached rows), the tuning and the spaCy model."""
    from extractor.fileid import PIPELINE_VERSION

    return f"{PIPELINE_VERSION}-{(settings or current()).fingerprint()[:12]}"


class ResultCache:
    """get(sha256, path, doc_id) -> a re-stamped DocumentResult or None; put(result) stores one."""

    def __init__(self, out_dir: os.PathLike | str, version: Optional[str] = None, fingerprint: str = ""):
        self.dir = Path(out_dir) / CACHE_DIR
        self.version = version if version is not None else pipeline_version()
        self.fingerprint = fingerprint  # options that change results (e.g. a page limit); must match on load
        self.hits = 0
        self.misses = 0
        self.stored = 0

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
            result = from_dict(data["result"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return restamp(result, doc_id=doc_id, path=path)

    def put(self, result: DocumentResult) -> bool:
        """Store a result the file decided (see the module docstring); returns whether it was stored."""
        if not cacheable(result):
            return False
        data = {"format_version": FORMAT, "pipeline_version": self.version, "fingerprint": self.fingerprint,
                "result": asdict(result)}
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


def cacheable(result: DocumentResult) -> bool:
    return bool(result.sha256) and result.status in CACHED_STATUSES and not result.transient


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
