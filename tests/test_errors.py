"""Typed failures (extractor/errors.py): a status and a transient flag decided by an exception's type, never by
its class name or message text."""
from __future__ import annotations

import pytest

from extractor import errors, ingest
from extractor.ingest import safety
from extractor.ingest.docx import DocxEncrypted, DocxReadError
from extractor.ingest.pdf import PdfEncrypted, PdfReadError
from extractor.model import DocumentResult


@pytest.mark.parametrize("exc,status,transient", [
    (errors.Unreadable("x"), "failed", False),
    (errors.EmptyFile(), "failed", False),
    (errors.NeedsOcr("x"), "needs_ocr", False),
    (errors.Encrypted(), "encrypted", False),
    (errors.Unsupported("x"), "unsupported", False),
    (errors.TimedOut("x"), "failed", True),
    (errors.OutOfMemory(), "failed", True),
    (errors.WorkerCrashed(), "failed", True),
    (PdfReadError("x"), "failed", False),
    (PdfEncrypted("x"), "encrypted", False),
    (DocxReadError("x"), "failed", False),
    (DocxEncrypted("x"), "encrypted", False),
    (safety.UnsafeDocument("x"), "failed", False),
    (safety.NotADocx("x"), "failed", False),
    (ingest.NotWhatItClaims("x"), "failed", False),
    (ingest.UnsupportedFormat("x"), "unsupported", False),
    (ingest.NoPages("x"), "failed", False),
    (ingest.NeedsOcr("x"), "needs_ocr", False),
    (MemoryError(), "failed", True),
    (RecursionError(), "failed", False),
    (KeyError("k"), "failed", False),
])
def test_every_failure_type_carries_its_status_and_transience(exc, status, transient):
    failure = errors.as_failure(exc)
    assert isinstance(failure, errors.DocumentError)
    assert (failure.status, failure.transient) == (status, transient)
    result = errors.record(DocumentResult(doc_id="d", path="p"), failure)
    assert (result.status, result.transient) == (status, transient) and result.error and "\n" not in result.error


def test_names_and_messages_decide_nothing():
    class PDFPasswordIncorrect(Exception):  # named like an encryption error, is not one
        pass

    class WorkerCrashedLookalike(Exception):
        pass

    assert ingest.classify_error(PDFPasswordIncorrect("the password is wrong"))[0] == "failed"
    assert errors.as_failure(WorkerCrashedLookalike("worker crashed")).transient is False
    assert errors.as_failure(ValueError("timed out after 120 s")).transient is False
    # an unexpected exception is told with its type, in one line, at most 300 characters
    status, message = ingest.classify_error(ValueError("first line\nsecond line " + "x" * 500))
    assert status == "failed" and message.startswith("ValueError: first line") and len(message) <= 300


def test_a_transient_result_is_never_cached(tmp_path):
    from extractor.run.cache import ResultCache

    cache = ResultCache(tmp_path)
    crashed = errors.record(DocumentResult(doc_id="d", path="p", sha256="a" * 64), errors.WorkerCrashed())
    assert crashed.status == "failed" and not cache.put(crashed)
    failed = errors.record(DocumentResult(doc_id="d", path="p", sha256="b" * 64), errors.Unreadable("corrupt"))
    assert cache.put(failed)
    # an error whose text reads like a run failure is still the file's own (cached)
    lookalike = DocumentResult(doc_id="d", path="p", sha256="c" * 64, status="failed",
                               error="timed out: the file says so")
    assert cache.put(lookalike)


def test_no_module_matches_exception_names_or_messages():
    """The old classifiers compared type(exc).__name__ and error prefixes; none may come back."""
    import re
    from pathlib import Path

    root = Path(errors.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"__name__\s+in\s", r'"[A-Z][A-Za-z]+"\s+in\s+name\b', r"\.error\.startswith\(",
                        r"TRANSIENT_ERRORS", r'error\s*==\s*"'):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(root)}: {pattern}")
    assert not offenders, offenders
