"""Outputs reused when nothing changed: a re-run over an unchanged folder publishes the previous run's tables,
families and diffs again instead of recomputing them (re-reading every result, re-running every family diff,
re-encoding Parquet and DuckDB), and writes only summary.html anew.

The key of a run's outputs is everything they are made from: every result's content (what the files hold, as
read), the formats and options, the --families mapping's content, the settings' fingerprint (rules, tuning) and
the code itself (the size and time of every module and rules file of the package, so an upgrade or an edit never
reuses stale outputs). After a publication, OUT/.extractor/reuse.json records the key, the files published with
their size, modification time and inode, and the rows of the families step. The next run with the same key hard-
links those files into its staging folder (copies them where links are not possible) only when every one is still
exactly as published; anything else (a file edited, removed or replaced) and the outputs are written afresh.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Optional

from extractor.model import DocumentResult

RECORD = "reuse.json"
FORMAT = 1
FRESH = ("summary.html",)  # written by every run: the run's own time and date


def _code_fingerprint() -> str:
    """Size and modification time of every module and rules file of the installed package."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".yaml", ".yml", ".json") and "__pycache__" not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _content(result: DocumentResult) -> dict:
    data = {k: v for k, v in vars(result).items() if k not in ("actions", "objectives", "mentions", "cached")}
    for part in ("actions", "objectives", "mentions"):
        data[part] = [vars(x) for x in getattr(result, part)]
    return data


def key_of(results: list[DocumentResult], options: dict, family_map: Optional[str] = None) -> str:
    """The key of the outputs made from these results with these options (see the module docstring)."""
    from extractor.settings import current

    h = hashlib.sha256()
    h.update(_code_fingerprint().encode())
    h.update(current().fingerprint().encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    if family_map is not None:
        h.update(Path(family_map).read_bytes())
    for r in results:
        h.update(json.dumps(_content(r), sort_keys=True, default=str, ensure_ascii=False).encode("utf-8", "replace"))
    return h.hexdigest()


def _signature(path: Path) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _encode(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return {"__date__": value.isoformat()}
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _decode(obj: dict) -> object:
    if set(obj) == {"__date__"}:
        text = obj["__date__"]
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    return obj


class Previous:
    """The previous run's outputs, when they were made with the same key and are still as published."""

    def __init__(self, out: Path, files: dict[str, list[int]], rows: dict[str, list[dict]]):
        self.out, self.files, self.rows = out, files, rows

    def link_into(self, staging: Path) -> None:
        """Every reused file into the staging folder (a hard link: no copy; a copy where links fail)."""
        for rel in self.files:
            source, target = self.out / rel, staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)


def load(out: Path, key: str) -> Optional[Previous]:
    """The previous outputs made with `key`, or None when there are none or any of them changed since."""
    try:
        data = json.loads((out / ".extractor" / RECORD).read_text(encoding="utf-8"), object_hook=_decode)
        if data.get("format") != FORMAT or data.get("key") != key:
            return None
        files = {str(rel): list(sig) for rel, sig in data["files"].items()}
        for rel, sig in files.items():
            if ".." in Path(rel).parts or Path(rel).is_absolute() or _signature(out / rel) != sig:
                return None
        return Previous(out, files, {k: list(v) for k, v in data["rows"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record(out: Path, key: str, published: Iterable[Path], rows: dict[str, list[dict]]) -> None:
    """Remember what this run published with its key (after publication: the files are in place)."""
    path = out / ".extractor" / RECORD
    try:
        files = {p.relative_to(out).as_posix(): _signature(p) for p in published if p.name not in FRESH}
        text = json.dumps({"format": FORMAT, "key": key, "files": files, "rows": rows}, default=_encode,
                          ensure_ascii=False)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, ValueError, TypeError):  # not recorded: the next run writes everything, nothing worse
        forget(out)


def forget(out: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(out / ".extractor" / RECORD)
