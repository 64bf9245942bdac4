"""Checks on a file before any parser sees it: hostile or broken packages are refused with one clear line.

DOCX (a zip package): refused when it is not a zip, lacks word/document.xml, would expand past the size or
entry-count limits, has an entry compressed suspiciously well (a zip bomb), or declares a DTD in one of its
XML parts (Word never writes one; a DTD is how external entities and entity-expansion bombs get in). Only the
zip's central directory and the first bytes of each XML part are read; nothing is extracted to disk.

External relationships (TargetMode="External": linked images, templates, hyperlinks) are never fetched:
python-docx records their target as a string and the DOCX backend never follows them.
"""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from typing import Optional

from extractor import errors

MB = 1 << 20


class UnsafeDocument(errors.Refused, ValueError):
    """The file was refused before extraction (its message says why, in one line)."""


class NotADocx(errors.Unreadable, ValueError):
    """The file claims to be a Word document but is not a readable one."""


@dataclass(frozen=True)
class ZipLimits:
    max_total_bytes: int = 200 * MB  # uncompressed size of all entries together
    max_entries: int = 2000
    max_ratio: float = 100.0  # uncompressed : compressed, for entries bigger than ratio_min_bytes
    ratio_min_bytes: int = 1 * MB
    prolog_bytes: int = 1 * MB  # an XML part whose prolog (all before the root element) is longer is refused


DEFAULT_LIMITS = ZipLimits()
_XML_SUFFIXES = (".xml", ".rels")


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def check_docx(path: str, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Raise NotADocx or UnsafeDocument when the package at `path` must not be opened."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise NotADocx(f"not a valid DOCX: not a zip package (corrupt or truncated?): {exc}") from exc
    except (OSError, ValueError, EOFError) as exc:  # unreadable central directory
        raise NotADocx(f"not a valid DOCX: zip directory unreadable ({type(exc).__name__}: {exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise UnsafeDocument(f"refused: the package has {len(infos)} entries (limit {limits.max_entries})")
        total = sum(max(i.file_size, 0) for i in infos)
        if total > limits.max_total_bytes:
            raise UnsafeDocument(f"refused: the package would expand to {_size(total)} "
                                 f"(limit {_size(limits.max_total_bytes)}): zip bomb?")
        names = set()
        for info in infos:
            names.add(info.filename)
            if info.file_size > limits.ratio_min_bytes:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise UnsafeDocument(f"refused: {info.filename} is compressed {ratio:.0f}:1 "
                                         f"(limit {limits.max_ratio:.0f}:1): zip bomb?")
        if "word/document.xml" not in names:
            raise NotADocx("not a Word document: the package has no word/document.xml")
        for info in infos:
            if info.filename.lower().endswith(_XML_SUFFIXES) and not info.is_dir():
                _check_prolog(zf, info, limits.prolog_bytes)


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> None:
    """An XML part may not declare a DTD (<!DOCTYPE ...> / <!ENTITY ...>): refused, never parsed. A DTD can only
    stand in the prolog, before the root element, so the whole prolog is scanned (past comments and processing
    instructions of any length), in 4 KB steps: a prolog longer than `limit` is refused as well."""
    buf = b""
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(4096)
                buf += chunk.replace(b"\x00", b"")  # UTF-16 parts: drop the zero bytes
                verdict = _prolog_verdict(buf, final=not chunk)
                if verdict is not None:
                    break
                if len(buf) > limit:
                    raise UnsafeDocument(f"refused: {info.filename} has more than {_size(limit)} before its root "
                                         f"element")
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        if isinstance(exc, UnsafeDocument):
            raise
        raise NotADocx(f"not a valid DOCX: {info.filename} cannot be read "
                       f"(corrupt or truncated?: {type(exc).__name__}: {exc})") from exc
    if verdict == "dtd":
        raise UnsafeDocument(f"refused: {info.filename} declares a DTD or entities "
                             f"(never allowed in Word files; external entities are not resolved)")


def _prolog_verdict(buf: bytes, final: bool) -> Optional[str]:
    """'dtd' when the prolog in `buf` holds a declaration (<!DOCTYPE, <!ENTITY, ...), 'clean' when the root
    element starts first (or the part ends), None when more bytes are needed to tell."""
    pos = 0
    while True:
        i = buf.find(b"<", pos)
        if i < 0 or i + 4 > len(buf):
            return "clean" if final else None
        if buf.startswith(b"<?", i):
            end, skip = buf.find(b"?>", i + 2), 2
        elif buf.startswith(b"<!--", i):
            end, skip = buf.find(b"-->", i + 4), 3
        elif buf.startswith(b"<!", i):
            return "dtd"
        else:
            return "clean"  # the root element: no DTD can follow
        if end < 0:
            return "clean" if final else None
        pos = end + skip


def raise_if_out_of_memory(exc: BaseException) -> None:
    """For the guards that skip one bad page, paragraph or table: memory exhaustion is never skipped. It is
    raised as MemoryError (the file then fails at its memory limit) whether it came as one, as ENOMEM, as
    zlib's "insufficient memory" (Z_MEM_ERROR), or as any error while this process is near its limit."""
    if isinstance(exc, MemoryError):
        raise exc
    text = str(exc).lower()
    if ((isinstance(exc, OSError) and exc.errno == 12) or "insufficient memory" in text
            or "cannot allocate memory" in text or near_memory_limit()):
        raise MemoryError(str(exc)) from exc


def near_memory_limit(fraction: float = 0.9) -> bool:
    """Whether this process's address space has peaked near its RLIMIT_AS (the worker's memory limit).
    Under that limit a failed allocation surfaces as whatever the parser was doing (a zlib error, a
    pdfminer syntax error...): near the limit, such an error means "out of memory", not "bad page"."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or soft <= 0:
            return False
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024 >= soft * fraction
    except (ImportError, OSError, ValueError):
        pass
    return False
