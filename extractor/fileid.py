"""What identifies a file and a pipeline: its doc_id, its content hash, the pipeline version.

Kept apart from extractor.pipeline so that the batch parent (cache look-ups, ids) does not load the
pipeline and spaCy when every file comes from the cache."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

PIPELINE_VERSION = "2"  # bump when outputs for the same input change (invalidates caches)


def doc_id_for(path: str) -> str:
    """A stable id from the file itself: its stem and format (the PDF and DOCX of one plan differ)."""
    p = Path(path)
    stem = re.sub(r"[^a-z0-9]+", "-", p.stem.casefold()).strip("-") or "document"
    ext = p.suffix.lower().lstrip(".") or "file"
    return f"{stem}-{ext}"


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
