"""What identifies a file and a pipeline: its doc_id, its content hash, the pipeline version.

Kept apart from extractor.pipeline so that the batch parent (cache look-ups, ids) does not load the
pipeline and spaCy when every file comes from the cache."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from typing import Iterable

PIPELINE_VERSION = "2"  # bump when outputs for the same input change (invalidates caches)


def _slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by "-" (accents dropped: "Équipe" -> "equipe")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")


def doc_id_for(path: str) -> str:
    """A readable id from the file itself: its stem and format (the PDF and DOCX of one plan differ).
    Not unique on its own: assign_doc_ids() makes a run's ids unique."""
    p = Path(path)
    return f"{_slug(p.stem) or 'document'}-{_slug(p.suffix) or 'file'}"


def _loses_letters(path: str) -> bool:
    """Whether the readable id drops letters or digits of the name (a name in a non-Latin script)."""
    return any(ch.isalnum() and not _slug(ch) for ch in Path(path).stem)


def assign_doc_ids(paths: Iterable[str]) -> dict[str, str]:
    """doc_id per path: unique within the run and stable across runs.

    The readable id (doc_id_for) where it is unique in the run; where two files' ids collide (the same stem in
    two folders, names differing only in case or punctuation) or the name has letters the id cannot keep
    (non-Latin scripts), the id gets a short hash of the file's path relative to the folder holding the
    colliding files: the same files give the same ids wherever the folder is and whatever else is in it."""
    unique_paths = list(dict.fromkeys(os.fspath(p) for p in paths))
    base = {p: doc_id_for(p) for p in unique_paths}
    groups: dict[str, list[str]] = {}
    for p in unique_paths:
        groups.setdefault(base[p], []).append(p)
    ids: dict[str, str] = {}
    for doc_id, members in groups.items():
        if len(members) == 1 and not _loses_letters(members[0]):
            ids[members[0]] = doc_id
            continue
        root = _common_folder(members)
        for p in members:
            ids[p] = f"{doc_id}-{_path_hash(os.path.relpath(os.path.abspath(p), root))[:8]}"
    return _deduplicate(ids)


def _common_folder(paths: list[str]) -> str:
    folders = [os.path.dirname(os.path.abspath(p)) for p in paths]
    try:
        return os.path.commonpath(folders)
    except ValueError:  # different drives (Windows): hash the whole path
        return ""


def _path_hash(relative: str) -> str:
    parts = relative.replace(os.sep, "/").encode("utf-8", "surrogateescape")
    return hashlib.sha256(parts).hexdigest()


def _deduplicate(ids: dict[str, str]) -> dict[str, str]:
    """A hashed id that happens to equal another file's id (vanishingly rare) gets a counter."""
    seen: dict[str, int] = {}
    out = {}
    for p, doc_id in ids.items():
        n = seen.get(doc_id, 0)
        seen[doc_id] = n + 1
        out[p] = doc_id if n == 0 else f"{doc_id}-{n + 1}"
    return out


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
