"""What every result satisfies before it reaches an output, whatever its file held.

- Every text is valid Unicode, encodable as UTF-8. A PDF font can map a glyph to half of a UTF-16 pair and a
  file name can hold bytes that are not UTF-8 (Python keeps both as lone surrogates): such characters become
  U+FFFD and the file gets a warning. One file's text can then never fail the write of the others'.
- One document's text stays within settings.output.max_document_mb: a tiny file can amplify into hundreds of
  megabytes of rows (a numbering definition that renders huge labels). Beyond the cap the last records are
  dropped (actions are kept first, then objectives, then mentions), with a warning, and the file is "partial".

Run on each result in the worker (before it travels to the parent) and again in the parent for results
made there (a missing file, a cache hit re-stamped with a new path): cheap, and a no-op on a clean result.
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import fields
from typing import Optional

from extractor.ingest.text import encodable
from extractor.model import DocumentResult
from extractor.settings import current

RECORD_LISTS = ("actions", "objectives", "mentions")  # a result's lists of records (each record's text is checked)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in RECORD_LISTS)


def _clean_record(record: object) -> tuple[list[str], int]:
    """Make the record's text fields encodable in place: (names of the fields changed, characters of text)."""
    changed: list[str] = []
    size = 0
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if isinstance(value, str):
            size += len(value)
            fixed = encodable(value)
            if fixed is not value:
                setattr(record, name, fixed)
                changed.append(name)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            fixed_list = [encodable(v) if isinstance(v, str) else v for v in value]
            size += sum(len(v) for v in value if isinstance(v, str))
            if any(a is not b for a, b in zip(fixed_list, value)):
                setattr(record, name, fixed_list)
                changed.append(name)
    return changed, size


def sanitize(result: DocumentResult, max_document_mb: Optional[float] = None) -> DocumentResult:
    """Make `result` safe to write (see the module docstring), in place; returns it."""
    limit = (current().output.max_document_mb if max_document_mb is None else max_document_mb) * (1 << 20)
    changed, used = _clean_record(result)
    where = Counter(changed)
    sizes: dict[str, list[int]] = {}
    for kind in RECORD_LISTS:
        cleaned = [_clean_record(record) for record in getattr(result, kind, ())]
        sizes[kind] = [size for _, size in cleaned]
        where.update(f"{kind}.{name}" for names, _ in cleaned for name in names)
    if where:
        fixed = ", ".join(name if n == 1 else f"{name} ({n})" for name, n in where.items())
        result.warnings.append(f"text that is not valid Unicode replaced with U+FFFD in {fixed}")
    if used + sum(map(sum, sizes.values())) > limit:
        _cap(result, sizes, used, limit)
    return result


def _cap(result: DocumentResult, sizes: dict[str, list[int]], used: int, limit: float) -> None:
    """Keep actions, then objectives, in reading order while their text fits in the limit."""
    totals = {kind: len(s) for kind, s in sizes.items()}
    for kind, kind_sizes in sizes.items():  # (actions first: what the tool is for)
        keep = 0
        for size in kind_sizes:
            if used + size > limit:
                break
            used += size
            keep += 1
        setattr(result, kind, getattr(result, kind)[:keep])
        if keep < len(kind_sizes):
            used = int(limit) + 1  # nothing after the first cut
    kept = [f"{len(getattr(result, kind))} of {totals[kind]} {kind}" for kind in sizes if totals[kind]]
    message = f"output capped at {limit / (1 << 20):g} MB of text: kept " + ", ".join(kept)
    result.warnings.append(message)
    if result.status == "ok":
        result.status, result.error = "partial", message
