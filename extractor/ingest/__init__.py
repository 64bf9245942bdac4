"""Ingest: one backend per format, one layout model out. Formats are recognised by content."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

from extractor import errors
from extractor.errors import NeedsOcr
from extractor.model import LayoutDocument, LineTableFinder

DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
PDF_SUFFIXES = (".pdf",)
CONVERTED_SUFFIXES = (".doc", ".dot", ".odt", ".ott", ".rtf")  # read through LibreOffice (ingest/convert.py)
# names that say "not a paper" (text, data, code, images, media): such a file whose content is no document either is
# skipped in a folder, not listed (run/triage.py); a .pdf or .docx that is not one is still reported
NOT_PAPER_SUFFIXES = frozenset((
    ".md", ".markdown", ".rst", ".txt", ".text", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".yaml", ".yml",
    ".toml", ".ini", ".cfg", ".conf", ".log", ".db", ".sqlite", ".parquet", ".duckdb", ".html", ".htm", ".css", ".js",
    ".py", ".ipynb", ".r", ".sql", ".sh", ".bat", ".ps1", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff",
    ".svg", ".webp", ".ico", ".heic", ".mp3", ".mp4", ".m4a", ".wav", ".mov", ".avi", ".lnk", ".url"))
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc, or an encrypted (OLE-wrapped) .docx
ODF_TEXT_MIMETYPES = (b"application/vnd.oasis.opendocument.text", b"application/vnd.oasis.opendocument.text-template")
# an OLE2 directory entry naming the stream "WordDocument" (UTF-16LE, 64-byte name field, then its length: 26)
_WORD_STREAM_ENTRY = "WordDocument".encode("utf-16-le") + b"\x00" * 40 + b"\x1a\x00\x02"


class UnsupportedFormat(errors.Unsupported):
    """Not a PDF or DOCX by extension nor by content: listed, never opened."""


class WrongPassword(errors.Encrypted):
    """An encrypted PDF the password given does not open."""
    default = "encrypted: wrong password (the password given does not open this PDF)"


class NotWhatItClaims(errors.Unreadable, ValueError):
    """The extension says PDF/DOCX, the content says otherwise (a failed file, not an unsupported one)."""


def sniff(path: str) -> str:
    """'pdf', 'docx', 'doc' (Word 97-2003), 'odt', 'rtf' or 'other' from the file's content (extensions lie)."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if _zip_has_word(path):  # a Word package, whatever its first entries hold (even "%PDF-")
            return "docx"
        if _odf_text(path):
            return "odt"
        if b"%PDF-" in head:
            return "pdf"
        return "docx" if Path(path).suffix.lower() in DOCX_SUFFIXES else "other"
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(OLE_MAGIC) and _ole_has_word_stream(path):
        return "doc"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    return "other"


def _odf_text(path: str) -> bool:
    """An OpenDocument text: its `mimetype` entry (first in the zip, stored) names the text type."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("mimetype")
            if info.file_size > 200:
                return False
            return zf.read(info).strip() in ODF_TEXT_MIMETYPES
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return False


def _ole_has_word_stream(path: str, max_bytes: int = 64 << 20) -> bool:
    """An OLE2 compound file with a WordDocument stream (a .doc, not an .xls or an encrypted .docx). Directory
    entries are 128-byte records at 128-byte offsets; the name, its length and the type 'stream' are matched
    there without walking the allocation tables (Word writes the directory near the end: the file is scanned)."""
    with open(path, "rb") as fh:
        data = fh.read(max_bytes)
    start = data.find(_WORD_STREAM_ENTRY)
    while start != -1:
        if start % 128 == 0:
            return True
        start = data.find(_WORD_STREAM_ENTRY, start + 1)
    return False


def _zip_has_word(path: str) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _describe(path: str) -> str:
    """What the content looks like, for the one-line error of a file whose extension lies."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    if not head:
        return "the file is empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "the content is a zip archive without word/document.xml"
    if head.startswith(b"PK"):
        return "the content is a damaged zip archive"
    if head.startswith(OLE_MAGIC):
        return ("the content is an OLE file without a Word document in it "
                "(.xls? .ppt? an encrypted .docx? a damaged .doc?)")
    if head.lstrip().startswith((b"<html", b"<!DOCTYPE html", b"<!doctype html", b"<HTML")):
        return "the content is HTML"
    try:
        head.decode("utf-8")
        return "the content is plain text"
    except UnicodeDecodeError:
        return "the content is not a known document format"


def read(path: str, fmt: str, password: Optional[str] = None,
         line_tables: Optional[LineTableFinder] = None) -> LayoutDocument:
    suffix = Path(path).suffix.lower()
    if fmt in ("doc", "odt", "rtf"):
        return _read_converted(path, fmt)
    if fmt == "pdf":
        from extractor.ingest.pdf import read_pdf

        try:
            return read_pdf(path, password=password, line_tables=line_tables)
        except errors.Encrypted as exc:
            if password:  # one was given and it did not open the file: not "a password is needed"
                raise WrongPassword() from exc
            raise
    if fmt == "docx" or (fmt == "other" and suffix in DOCX_SUFFIXES and _is_ole(path)):
        from extractor.ingest.docx import read_docx
        from extractor.ingest.safety import check_docx

        if not _is_ole(path):  # an OLE container: read_docx says "encrypted or legacy Word file"
            check_docx(path)  # refuse broken, bomb-like or DTD-carrying packages before python-docx opens them
        return read_docx(path)
    if suffix in DOCX_SUFFIXES or suffix in PDF_SUFFIXES or suffix in CONVERTED_SUFFIXES:
        kind = {".pdf": "PDF"}.get(suffix, "Word" if suffix in CONVERTED_SUFFIXES else "DOCX")
        raise NotWhatItClaims(f"not a {kind} file despite its extension: {_describe(path)}")
    raise UnsupportedFormat(f"unsupported file type ({suffix or 'no extension'})")


def _read_converted(path: str, fmt: str) -> LayoutDocument:
    """A .doc/.odt/.rtf through LibreOffice to DOCX, then the DOCX reader; the layout keeps the original path."""
    from extractor.ingest import convert
    from extractor.ingest.docx import read_docx
    from extractor.ingest.safety import check_docx

    try:
        with convert.as_docx(path, fmt) as converted:
            check_docx(converted)
            layout = read_docx(converted)
    except convert.ConverterMissing as exc:
        raise UnsupportedFormat(str(exc)) from None
    layout.path = path
    return layout


def _is_ole(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(8) == OLE_MAGIC


class NoPages(errors.Unreadable, ValueError):
    """A PDF in which no page could be found (an empty or damaged page tree)."""


def check_text_layer(layout: LayoutDocument) -> None:
    """A PDF whose pages carry no text at all needs OCR first; one with no pages at all is not readable."""
    if layout.format != "pdf":
        return
    if not layout.pages:
        raise NoPages("no pages found in the PDF (empty or damaged page tree)")
    if not any(getattr(i, "text", "") or getattr(i, "rows", None) for i in layout.items):
        if layout.ocr_pages:
            raise NeedsOcr(f"no text layer, and OCR found no text on {_page_list(layout.ocr_pages)}")
        raise NeedsOcr(f"no text layer on any of {len(layout.pages)} page(s): scanned? run with --ocr "
                       "(needs Tesseract)")


def _page_list(pages: list[int]) -> str:
    """[1, 2, 3, 5] -> 'pages 1-3, 5'."""
    spans: list[list[int]] = []
    for p in sorted(pages):
        if spans and p == spans[-1][1] + 1:
            spans[-1][1] = p
        else:
            spans.append([p, p])
    text = ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans)
    return ("pages " if len(pages) > 1 else "page ") + text


def ocr_note(layout: LayoutDocument) -> str:
    """What the document's statuses say about OCR: which pages were read from their image."""
    if not layout.ocr_pages:
        return ""
    return f"OCR (Tesseract) read {_page_list(layout.ocr_pages)} from the page image"


def failure_of(exc: BaseException) -> errors.DocumentError:
    """The typed failure (extractor.errors) an exception raised while reading a file stands for, decided by
    its type alone. The full traceback is kept for the batch log (last_details())."""
    _remember(exc)
    return errors.as_failure(exc)


def classify_error(exc: BaseException) -> tuple[str, str]:
    """(status, one-line message) of failure_of(exc)."""
    failure = failure_of(exc)
    return failure.status, failure.message


# --------------------------------------------------------------------------- details for the batch log

_details = threading.local()


def _remember(exc: BaseException) -> None:
    import traceback

    try:
        report = traceback.TracebackException(type(exc), exc, exc.__traceback__)
        _without_carets(report)
        _details.text = "".join(report.format())
    except Exception:  # formatting a traceback must never fail the file
        _details.text = f"{type(exc).__name__}: {exc!r}"


def _without_carets(report) -> None:
    """No '^^^^' under the failing expressions: Python 3.11 compiles each frame's source line to place them
    (~0.1 ms of every failed file); the log needs files, lines and code, not carets."""
    pending = [report]
    while pending:
        part = pending.pop()
        for frame in part.stack:
            frame.colno = None
        pending += [p for p in (part.__cause__, part.__context__) if p is not None] + list(
            getattr(part, "exceptions", None) or [])


def last_details(clear: bool = True) -> str:
    """The traceback of the last exception classify_error saw in this thread ("" when none)."""
    text = getattr(_details, "text", "")
    if clear:
        _details.text = ""
    return text
