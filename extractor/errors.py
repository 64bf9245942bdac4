"""Typed failures: every reason a document does not come out "ok", as one exception hierarchy.

Each DocumentError knows the document status it stands for and whether it is transient: a failure of the
run rather than of the file (a time limit, a memory limit, a crashed worker), which is never cached and is
tried again next time. Stages raise the subclass that says what happened; the pipeline and the run turn
any exception into one with `as_failure()` and copy its verdict onto the DocumentResult (`record()`).
Nothing in the project decides a status from an exception's class name or message text.

    DocumentError                      failed (the base: anything the file itself made go wrong)
    ├── Unreadable                     failed: corrupt, truncated, not what its extension claims, no pages
    │   ├── NotFound                   failed: the file is not there (any more)
    │   └── EmptyFile                  failed: 0 bytes
    ├── Refused                        failed: refused before parsing (zip bomb, DTD, too many entries)
    ├── NeedsOcr                       needs_ocr: no text layer
    ├── Encrypted                      encrypted: a password is needed (or the one given is wrong)
    ├── Unsupported                    unsupported: listed, not opened (not a PDF/DOCX, not a regular file)
    └── RunFailure                     failed, transient: the run's limits or machinery, not the file
        ├── OutOfMemory                the memory limit was reached
        ├── TimedOut                   the time limit was reached
        └── WorkerCrashed              the worker process died or could not start
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from extractor.model import DocumentResult

MAX_MESSAGE = 300  # characters of a one-line error


class DocumentError(Exception):
    """A document could not be read as it should: `status` for its result, `transient` when the run (not
    the file) is to blame. The message is the whole one-line story shown to the user."""
    status = "failed"
    transient = False
    default = "the document could not be read"  # the message when none is given

    def __init__(self, message: str = ""):
        super().__init__(one_line(message) or self.default)

    @property
    def message(self) -> str:
        return str(self)[:MAX_MESSAGE]


class Unreadable(DocumentError):
    """The file cannot be read: corrupt, truncated, or not what its extension claims."""


class NotFound(Unreadable):
    """The file is not there (any more)."""
    default = "file not found"


class EmptyFile(Unreadable):
    """A file of 0 bytes."""
    default = "empty file (0 bytes)"


class Refused(DocumentError):
    """Refused before extraction: the package is hostile or broken (bomb, DTD, too many entries)."""


class NeedsOcr(DocumentError):
    """No usable text layer (scanned pages): run OCR first."""
    status = "needs_ocr"


class Encrypted(DocumentError):
    """A password is needed (or the one given is wrong)."""
    status = "encrypted"
    default = "encrypted: a password is needed to open this file"


class Unsupported(DocumentError):
    """Not a document this tool reads (listed, never opened)."""
    status = "unsupported"


class RunFailure(DocumentError):
    """A failure of the run rather than of the file: not cached, tried again next time."""
    transient = True


class OutOfMemory(RunFailure):
    """The memory limit was reached."""
    default = "out of memory"


class TimedOut(RunFailure):
    """The time limit was reached."""
    default = "timed out"


class WorkerCrashed(RunFailure):
    """The worker process died or could not start."""
    default = "worker crashed"


def one_line(text: object) -> str:
    """The first non-empty line of a text, stripped ("" when there is none)."""
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""


def as_failure(exc: BaseException) -> DocumentError:
    """Any exception raised while reading a file, as the DocumentError that says what it means.

    Our own failures are already typed; memory exhaustion is the run's limit; anything else is a file the
    parsers could not read, told with the exception's type and first line (for the user, not for matching)."""
    if isinstance(exc, DocumentError):
        return exc
    if isinstance(exc, MemoryError):
        return OutOfMemory()
    if isinstance(exc, RecursionError):
        return Unreadable("the file nests too deeply to be read (RecursionError)")
    return Unreadable(f"{type(exc).__name__}: {one_line(exc) or 'no message'}")


def from_result(result: "DocumentResult") -> DocumentError:
    """The failure a result that is not ok records, as an exception again (after it crossed a process
    boundary as a result: its status and transience are kept, its exact subclass is not)."""
    if result.transient:
        return RunFailure(result.error)
    kinds = {"needs_ocr": NeedsOcr, "encrypted": Encrypted, "unsupported": Unsupported}
    return kinds.get(result.status, Unreadable)(result.error)


def record(result: "DocumentResult", failure: DocumentError) -> "DocumentResult":
    """Put a failure's verdict on a result (status, one-line error, transient) and return the result."""
    result.status, result.error, result.transient = failure.status, failure.message, failure.transient
    return result
