"""Ingest: one backend per format, one layout model out. Formats are recognised by content."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from extractor.model import LayoutDocument


class UnsupportedFormat(Exception):
    pass


def sniff(path: str) -> str:
    """'pdf', 'docx', or 'other' from the file's first bytes (extensions lie)."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx" if Path(path).suffix.lower() in (".docx", ".docm", ".dotx") or _zip_has_word(path) else "other"
    return "other"


def _zip_has_word(path: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def read(path: str, fmt: str, password: Optional[str] = None) -> LayoutDocument:
    if fmt == "pdf":
        from extractor.ingest.pdf import read_pdf

        return read_pdf(path, password=password)
    if fmt == "docx":
        from extractor.ingest.docx import read_docx

        return read_docx(path)
    raise UnsupportedFormat(f"unsupported file type ({Path(path).suffix or 'no extension'})")


class NeedsOcr(Exception):
    """No usable text layer (scanned pages)."""


def check_text_layer(layout: LayoutDocument) -> None:
    """A PDF whose pages carry no text at all needs OCR first."""
    if layout.format != "pdf" or not layout.pages:
        return
    if not any(getattr(i, "text", "") or getattr(i, "rows", None) for i in layout.items):
        raise NeedsOcr(f"no text layer on any of {len(layout.pages)} page(s): scanned? run OCR first")


def classify_error(exc: Exception) -> tuple[str, str]:
    """(status, one-line message) for an exception raised while reading a file."""
    name = type(exc).__name__
    if isinstance(exc, NeedsOcr):
        return "needs_ocr", str(exc)
    if "Encrypt" in name or "Password" in name:
        return "encrypted", str(exc) or "encrypted: a password is needed"
    message = str(exc).splitlines()[0] if str(exc) else name
    return "failed", f"{name}: {message}"[:300]
