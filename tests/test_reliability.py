"""Issue 8: bad files never cost good data.

Isolation (time, memory, crashes; workers reused and replaced), truthful statuses for broken, encrypted,
scanned and disguised files, hostile DOCX packages (zip bombs, XML external entities, external
relationships), the batch log, and the done-when batch run through the CLI.

Builders of the test files live here (other reliability tests import them).
"""
from __future__ import annotations

import csv
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Optional

import pytest

from extractor import ingest
from extractor.ingest import safety
from extractor.model import DocumentResult
from extractor.run.batch import BatchOptions, run_batch
from extractor.run.workers import IsolatedPool, Job, process_job
from tests.paths import CORPUS, ROOT
from tests.paths import SAMPLE_DOCS as SHARED_DOCS
from tests.paths import SAMPLE_GOLD as SHARED_GOLD

STATUSES = {"ok", "partial", "failed", "needs_ocr", "encrypted", "unsupported"}


# --------------------------------------------------------------------------- builders

def good_docx() -> Optional[Path]:
    """A real board paper as DOCX (fast to read): a shared sample, else a corpus document."""
    for p in (SHARED_DOCS / "castlepoint-od-strategy-v4.docx", *sorted(CORPUS.glob("*.docx"))):
        if p.is_file():
            return p
    return None


def good_pdf() -> Optional[Path]:
    """A small real PDF (the corpus PDFs are small; the shared samples take seconds each)."""
    for p in (*sorted(CORPUS.glob("*.pdf"), key=lambda p: p.stat().st_size),
              *sorted(SHARED_DOCS.glob("*.pdf"), key=lambda p: p.stat().st_size)):
        if p.is_file():
            return p
    return None


def gold_count(path: Path) -> Optional[int]:
    import json

    gold = SHARED_GOLD / f"{path.stem}.json"
    if path.parent == SHARED_DOCS and gold.is_file():
        return len(json.loads(gold.read_text(encoding="utf-8"))["actions"])
    return None


def make_scanned_pdf(path: Path, pages: int = 1) -> Path:
    """An image-only PDF: what a scanner produces (no text layer)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(img)
    for y in range(40, 760, 28):
        draw.text((40, y), f"Action {y}: review the staffing plan - Director of Nursing - March 2025", fill="black")
    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.drawImage(ImageReader(img), 0, 0, 595, 842)
        c.showPage()
    c.save()
    return path


def make_text_pdf(path: Path, pages: int = 1, encrypt: Optional[str] = None, lines: int = 40) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt=encrypt)
    for p in range(pages):
        for i in range(lines):
            c.drawString(72, 780 - i * 18, f"Page {p + 1} line {i + 1}: the board will review the plan.")
        c.showPage()
    c.save()
    return path


def rewrite_zip(src: Path, dst: Path, replace: Optional[dict] = None, drop: tuple = (), add: Optional[dict] = None,
                order: Optional[list] = None, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A copy of the zip package `src` with entries replaced (name -> bytes), dropped, added, or reordered."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist() if i.filename not in drop]
    entries = [(n, replace.get(n, data)) for n, data in entries] + list(add.items())
    if order is not None:
        entries = [entries[i] for i in order]
    with zipfile.ZipFile(dst, "w", compression) as zout:
        for name, data in entries:
            zout.writestr(name, data)
    return dst


def docx_part(src: Path, name: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(src) as zf:
        return zf.read(name)


def make_xxe_docx(src: Path, dst: Path, target: str = "file:///etc/passwd") -> Path:
    """document.xml declares an external entity and uses it in the first text run."""
    xml = docx_part(src).decode("utf-8")
    xml = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
    xml = re.sub(r"(<w:t(?: [^>]*)?>)", r"\1&xxe;", xml, count=1)
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
           f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>\n' + xml)
    return rewrite_zip(src, dst, replace={"word/document.xml": xml.encode("utf-8")})


def make_external_rel_docx(src: Path, dst: Path, url: str) -> Path:
    """A hyperlink and a linked image whose relationships point outside the package (TargetMode="External")."""
    rels = docx_part(src, "word/_rels/document.xml.rels").decode("utf-8")
    extra = (f'<Relationship Id="rIdExt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             f'relationships/hyperlink" Target="{url}/link" TargetMode="External"/>'
             f'<Relationship Id="rIdExt2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
             f'relationships/image" Target="{url}/image.png" TargetMode="External"/>')
    rels = rels.replace("</Relationships>", extra + "</Relationships>")
    xml = docx_part(src).decode("utf-8")
    link = ('<w:p><w:hyperlink r:id="rIdExt1"><w:r><w:t>See the linked paper</w:t></w:r></w:hyperlink></w:p>')
    xml = xml.replace("<w:body>", "<w:body>" + link, 1)
    return rewrite_zip(src, dst, replace={"word/_rels/document.xml.rels": rels.encode("utf-8"),
                                          "word/document.xml": xml.encode("utf-8")})


def make_corrupt_docx(src: Path, dst: Path) -> Path:
    """A valid zip whose document.xml is cut off mid-element (what a failed save leaves)."""
    xml = docx_part(src)
    return rewrite_zip(src, dst, replace={"word/document.xml": xml[: len(xml) // 2]})


def make_zip_bomb_docx(src: Path, dst: Path, mb: int = 210) -> Path:
    """A real DOCX with one extra media entry of `mb` MB of zeros (a few hundred KB compressed)."""
    dst.write_bytes(src.read_bytes())
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/media/image1.bin", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(mb):
                fh.write(block)
    return dst


def make_done_when_folder(folder: Path, good: Path) -> dict[str, str]:
    """The seven files of the issue's done-when check -> expected status per file name."""
    folder.mkdir(parents=True, exist_ok=True)
    make_scanned_pdf(folder / "scanned.pdf")
    make_text_pdf(folder / "locked.pdf", encrypt="s3cret")
    pdf = good_pdf()
    data = pdf.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "notes.docx").write_text("Minutes of the meeting, typed in a text editor.\n", encoding="utf-8")
    make_corrupt_docx(good_docx(), folder / "corrupt.docx")
    (folder / f"good{good.suffix}").write_bytes(good.read_bytes())
    return {"scanned.pdf": "needs_ocr", "locked.pdf": "encrypted", "truncated.pdf": "failed", "zero.pdf": "failed",
            "notes.docx": "failed", "corrupt.docx": "failed", f"good{good.suffix}": "ok"}


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


needs_docs = pytest.mark.skipif(good_docx() is None or good_pdf() is None,
                                reason="no sample documents (../shared/corpus-samples or corpus/)")


# --------------------------------------------------------------------------- tasks run in workers (module level)

def hook_task(job: Job) -> DocumentResult:
    """Misbehaves according to the file name; otherwise the real pipeline."""
    name = Path(job.path).name
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("exit"):
        os._exit(7)
    if name.startswith("hog"):
        hog = [bytearray(16 << 20) for _ in range(200)]  # 3.2 GB, touched page by page
        for block in hog:
            block[::4096] = b"x" * len(block[::4096])
    if name.startswith("noisy"):
        print("NOISE-ON-STDOUT", flush=True)
        print("NOISE-ON-STDERR", file=sys.stderr, flush=True)
        os.write(2, b"NOISE-ON-FD2\n")
    if name.startswith("raise"):
        raise RuntimeError("boom outside the pipeline")
    if name.startswith("pid"):
        return DocumentResult(doc_id=job.doc_id, path=job.path, status="ok", title=str(os.getpid()))
    return process_job(job)


def _dummy(folder: Path, names: list[str]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for n in names:
        (folder / n).write_bytes(b"%PDF-1.4 placeholder\n")
        out.append(str(folder / n))
    return out


# --------------------------------------------------------------------------- isolation

def test_a_hanging_file_times_out_and_the_batch_goes_on_with_one_worker(tmp_path):
    files = _dummy(tmp_path / "in", ["pid-a.pdf", "hang.pdf", "pid-b.pdf"])
    stats: dict = {}
    started = time.monotonic()
    results = run_batch(files, BatchOptions(workers=1, timeout_s=1.5, out_dir=tmp_path / "out", use_cache=False),
                        task=hook_task, stats=stats)
    assert time.monotonic() - started < 20
    assert [r.path for r in results] == files  # input order
    assert [r.status for r in results] == ["ok", "failed", "ok"]
    assert results[1].error == "timed out after 1.5 s"
    assert results[0].title != str(os.getpid())  # the files ran in another process
    assert stats["timeouts"] == 1 and stats["workers_replaced"] == 1


def test_crashes_are_one_line_and_workers_are_replaced(tmp_path, capfd):
    names = ["pid-1.pdf", "segv.pdf", "pid-2.pdf", "exit.pdf", "pid-3.pdf", "raise.pdf", "pid-4.pdf"]
    files = _dummy(tmp_path / "in", names)
    stats: dict = {}
    results = run_batch(files, BatchOptions(workers=2, timeout_s=30, out_dir=tmp_path / "out", use_cache=False),
                        task=hook_task, stats=stats)
    by = {Path(r.path).name: r for r in results}
    assert by["segv.pdf"].status == "failed" and by["segv.pdf"].error == "worker crashed (signal 11)"
    assert by["exit.pdf"].error == "worker crashed (exit code 7)"
    assert by["raise.pdf"].error == "worker error: RuntimeError: boom outside the pipeline"
    assert all(by[n].status == "ok" for n in names if n.startswith("pid"))
    assert stats["crashes"] == 2 and stats["workers_started"] == 4
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    log = (tmp_path / "out" / "extractor.log").read_text()
    assert "RuntimeError: boom outside the pipeline" in log and "Traceback" in log  # details go to the log


def test_memory_hog_is_stopped_at_the_limit(tmp_path):
    files = _dummy(tmp_path / "in", ["hog.pdf", "pid-after.pdf"])
    results = run_batch(files, BatchOptions(workers=1, timeout_s=60, memory_mb=400, out_dir=tmp_path / "out",
                                            use_cache=False), task=hook_task)
    assert results[0].status == "failed" and results[0].error == "memory limit 400 MB exceeded"
    assert results[1].status == "ok"


def test_worker_output_goes_to_the_log_not_the_terminal(tmp_path, capfd):
    files = _dummy(tmp_path / "in", ["noisy.pdf"])
    run_batch(files, BatchOptions(out_dir=tmp_path / "out", use_cache=False), task=hook_task)
    out, err = capfd.readouterr()
    assert "NOISE" not in out + err
    log = (tmp_path / "out" / "extractor.log").read_text()
    assert "NOISE-ON-STDOUT" in log and "NOISE-ON-STDERR" in log and "NOISE-ON-FD2" in log


def test_workers_are_reused_across_files(tmp_path):
    files = _dummy(tmp_path / "in", [f"pid-{i}.pdf" for i in range(8)])
    stats: dict = {}
    results = run_batch(files, BatchOptions(workers=2, use_cache=False), task=hook_task, stats=stats)
    assert stats["workers_started"] == 2
    assert len({r.title for r in results}) <= 2


@pytest.mark.parametrize("method", ["forkserver", "subprocess"])
def test_other_start_methods_isolate_too(tmp_path, method):
    files = _dummy(tmp_path / "in", ["pid-1.pdf", "segv.pdf", "pid-2.pdf"])
    results = run_batch(files, BatchOptions(workers=1, start_method=method, use_cache=False), task=hook_task)
    assert [r.status for r in results] == ["ok", "failed", "ok"]
    assert results[1].error == "worker crashed (signal 11)"


def test_pool_runs_real_documents_like_the_pipeline(tmp_path):
    doc = good_docx()
    if doc is None:
        pytest.skip("no sample documents")
    from extractor.pipeline import process_file

    direct = process_file(str(doc), doc_id="x")
    got: list = []
    with IsolatedPool(1, 60, 2048) as pool:
        pool.map([Job(0, str(doc), "x", None)], lambda j, r, d: got.append(r))
    assert got[0].status == direct.status and got[0].n_actions == direct.n_actions


# --------------------------------------------------------------------------- real hostile files

def test_a_huge_pdf_stays_within_the_time_limit(tmp_path):
    (tmp_path / "in").mkdir()
    big = make_text_pdf(tmp_path / "in" / "huge.pdf", pages=600)
    small = make_text_pdf(tmp_path / "in" / "small.pdf", pages=1)
    started = time.monotonic()
    results = run_batch([str(big), str(small)], BatchOptions(workers=1, timeout_s=2, use_cache=False))
    assert time.monotonic() - started < 30
    assert results[0].status == "failed" and results[0].error == "timed out after 2 s"
    assert results[1].status == "ok"


def _text_bomb_pdf(path: Path, mb: int = 40) -> Path:
    """85 KB on disk: one page whose compressed content stream shows ~40 MB of characters (millions of char
    objects once parsed): a decompression bomb for a PDF parser."""
    import zlib

    op = b"BT /F1 1 Tf 10 10 Td (" + b"A" * 200 + b") Tj ET\n"
    co = zlib.compressobj(9)
    chunk = op * 5000
    parts = [co.compress(chunk) for _ in range(max(1, (mb << 20) // len(chunk)))] + [co.flush()]
    data = b"".join(parts)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(pdf_bytes(objs))
    return path


def pdf_bytes(objs: list[bytes]) -> bytes:
    """A PDF from its objects (1 0 obj = the catalog), with a correct xref table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def make_partial_pdf(path: Path) -> Path:
    """Two pages: the first reads, the second's content stream is undecodable."""
    good = b"BT /F1 12 Tf 72 720 Td (Action plan page one) Tj ET"
    bad = b"\x01\x02\x03 not ascii85 ~>"
    font = b"/Resources << /Font << /F1 7 0 R >> >> >>"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R " + font,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R " + font,
            b"<< /Length %d >>\nstream\n" % len(good) + good + b"\nendstream",
            b"<< /Length %d /Filter /ASCII85Decode >>\nstream\n" % len(bad) + bad + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(pdf_bytes(objs))
    return path


def test_a_pdf_decompression_bomb_hits_the_memory_limit(tmp_path):
    (tmp_path / "in").mkdir()
    bomb = _text_bomb_pdf(tmp_path / "in" / "bomb.pdf")
    assert bomb.stat().st_size < 500_000
    small = make_text_pdf(tmp_path / "in" / "small.pdf", pages=1)
    results = run_batch([str(bomb), str(small)], BatchOptions(workers=1, timeout_s=60, memory_mb=500,
                                                              use_cache=False))
    assert results[0].status == "failed"
    assert results[0].error in ("memory limit 500 MB exceeded", "timed out after 60 s")
    assert results[1].status == "ok"


# --------------------------------------------------------------------------- statuses by content

@needs_docs
def test_statuses_are_recognised_by_content(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    docx, pdf = good_docx(), good_pdf()
    (d / "pdf-named.docx").write_bytes(pdf.read_bytes())  # a PDF with the wrong extension is read as a PDF
    (d / "docx-named.pdf").write_bytes(docx.read_bytes())
    (d / "noext").write_bytes(docx.read_bytes())
    (d / "notes.txt").write_text("plain text")
    (d / "sheet.xlsx").write_bytes(b"PK\x03\x04 not really")
    (d / "html.pdf").write_text("<html><body>error page</body></html>")
    rewrite_zip(docx, d / "nodoc.docx", drop=("word/document.xml",))
    (d / "ole.docx").write_bytes(ingest.OLE_MAGIC + b"\0" * 2000)
    (d / "trunc.docx").write_bytes(docx.read_bytes()[:3000])
    (d / "trunc.pdf").write_bytes(pdf.read_bytes()[:3000])
    results = {Path(r.path).name: r for r in run_batch(sorted(str(p) for p in d.iterdir()),
                                                         BatchOptions(workers=2, use_cache=False))}
    assert results["pdf-named.docx"].status == "ok" and results["pdf-named.docx"].format == "pdf"
    assert results["docx-named.pdf"].status == "ok" and results["docx-named.pdf"].format == "docx"
    assert results["noext"].status == "ok" and results["noext"].format == "docx"
    assert results["notes.txt"].status == "unsupported"
    assert results["sheet.xlsx"].status == "unsupported"
    assert (results["html.pdf"].status, results["html.pdf"].error) == (
        "failed", "not a PDF file despite its extension: the content is HTML")
    assert (results["nodoc.docx"].status, results["nodoc.docx"].error) == (
        "failed", "not a Word document: the package has no word/document.xml")
    assert results["ole.docx"].status == "encrypted"
    assert results["trunc.docx"].status == "failed" and "not a valid DOCX" in results["trunc.docx"].error
    # the parser's own words, not the name of the class pdfplumber wraps pdfminer's errors in
    assert results["trunc.pdf"].status == "failed" and results["trunc.pdf"].error.startswith("not a readable PDF (")
    assert "Exception" not in results["trunc.pdf"].error
    for r in results.values():
        assert r.status in STATUSES and "\n" not in r.error


def test_password_opens_an_encrypted_pdf(tmp_path):
    pdf = make_text_pdf(tmp_path / "locked.pdf", encrypt="s3cret")
    without = run_batch([str(pdf)], BatchOptions(use_cache=False))[0]
    with_pw = run_batch([str(pdf)], BatchOptions(password="s3cret", use_cache=False))[0]
    wrong = run_batch([str(pdf)], BatchOptions(password="nope", use_cache=False))[0]
    assert without.status == "encrypted" and "a password is needed" in without.error
    assert with_pw.status == "ok" and with_pw.pages == 1
    assert wrong.status == "encrypted" and "wrong password" in wrong.error and "is needed" not in wrong.error


def test_a_pdf_with_an_unreadable_page_is_partial_and_says_which(tmp_path):
    r = run_batch([str(make_partial_pdf(tmp_path / "half.pdf"))], BatchOptions(use_cache=False))[0]
    assert r.status == "partial" and r.pages == 2
    assert r.error.startswith("page 2: could not be read")


def test_scanned_pdf_needs_ocr(tmp_path):
    pdf = make_scanned_pdf(tmp_path / "scan.pdf", pages=2)
    r = run_batch([str(pdf)], BatchOptions(use_cache=False))[0]
    assert r.status == "needs_ocr" and "2 page(s)" in r.error


def test_a_wrapped_password_error_is_encrypted_by_its_type(tmp_path, monkeypatch):
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect in its own PdfminerException: still "encrypted"."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    from extractor.pipeline import process_file

    def wrapped(*args, **kwargs):
        try:
            raise PDFPasswordIncorrect()
        except PDFPasswordIncorrect as inner:
            raise PdfminerException(inner)  # noqa: B904 (wrapped as pdfplumber wraps it)

    monkeypatch.setattr(pdfplumber, "open", wrapped)
    result = process_file(str(make_text_pdf(tmp_path / "x.pdf")))
    assert result.status == "encrypted" and "password" in result.error
    assert ingest.classify_error(MemoryError())[1] == "out of memory"
    assert "Traceback" in ingest.last_details() or ingest.last_details() == ""


def test_failure_details_keep_every_exception_of_the_chain_without_carets():
    from extractor import ingest

    def inner_step():
        return {}["missing"]

    try:
        try:
            inner_step()
        except KeyError as exc:
            raise ValueError("outer failure") from exc
    except ValueError as exc:
        ingest.failure_of(exc)
    details = ingest.last_details()
    assert details.count("Traceback (most recent call last)") == 2
    assert "KeyError: 'missing'" in details and "ValueError: outer failure" in details
    assert "in inner_step" in details and 'return {}["missing"]' in details  # where, and the code
    assert "^^^" not in details
    assert ingest.last_details() == ""  # read once


# --------------------------------------------------------------------------- hostile DOCX

@needs_docs
def test_zip_bomb_is_refused_before_extraction(tmp_path):
    bomb = make_zip_bomb_docx(good_docx(), tmp_path / "bomb.docx", mb=210)
    assert bomb.stat().st_size < 2_000_000
    started = time.monotonic()
    with pytest.raises(safety.UnsafeDocument, match="expand to 2.. MB"):
        safety.check_docx(str(bomb))
    assert time.monotonic() - started < 1.0  # only the directory was read
    r = run_batch([str(bomb)], BatchOptions(use_cache=False))[0]
    assert r.status == "failed" and r.error.startswith("refused:") and "zip bomb" in r.error


@needs_docs
def test_zip_limits_ratio_and_entry_count(tmp_path):
    src = good_docx()
    ratio = make_zip_bomb_docx(src, tmp_path / "ratio.docx", mb=3)
    with pytest.raises(safety.UnsafeDocument, match=r"image1.bin is compressed \d+:1"):
        safety.check_docx(str(ratio))
    many = rewrite_zip(src, tmp_path / "many.docx", add={f"word/media/x{i}.txt": b"x" for i in range(2100)})
    with pytest.raises(safety.UnsafeDocument, match="entries"):
        safety.check_docx(str(many))
    safety.check_docx(str(src))  # a real document passes


@needs_docs
def test_xml_external_entity_is_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER-7731")
    files = [make_xxe_docx(good_docx(), tmp_path / "xxe-passwd.docx"),
             make_xxe_docx(good_docx(), tmp_path / "xxe-file.docx", target=secret.as_uri())]
    out = tmp_path / "out"
    results = run_batch([str(f) for f in files], BatchOptions(out_dir=out, use_cache=False))
    for r in results:
        assert r.status == "failed" and r.error.startswith("refused:") and "DTD" in r.error
    from extractor.output.emit import write_batch

    write_batch(out, results, ["csv"])
    everything = "".join(p.read_text(errors="replace") for p in out.iterdir() if p.is_file())
    assert "TOP-SECRET-MARKER" not in everything and "root:x:0" not in everything
    # below the safety check, the DOCX backend's parsers do not resolve entities either
    from extractor.ingest.docx import read_docx

    for f in files:
        try:
            layout = read_docx(str(f))
        except Exception:
            continue
        text = " ".join(getattr(i, "text", "") or " ".join(r_.texts[0] for r_ in getattr(i, "rows", []))
                        for i in layout.items)
        assert "TOP-SECRET-MARKER" not in text and "root:x:0" not in text


class _Listener:
    """A local TCP port that counts connection attempts (an external relationship fetched would show)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.hits = 0
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.hits += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


@needs_docs
def test_external_relationships_are_not_fetched(tmp_path):
    listener = _Listener()
    try:
        doc = make_external_rel_docx(good_docx(), tmp_path / "ext.docx", listener.url)
        marker = tmp_path / "linked.txt"
        marker.write_text("LINKED-FILE-MARKER-4410")
        doc2 = make_external_rel_docx(good_docx(), tmp_path / "ext-file.docx", marker.as_uri())
        results = run_batch([str(doc), str(doc2)], BatchOptions(use_cache=False))
        time.sleep(0.3)
        assert listener.hits == 0
    finally:
        listener.close()
    for r in results:
        assert r.status in ("ok", "partial"), r.error
        assert r.n_actions > 0
        assert not any("LINKED-FILE-MARKER" in a.text for a in r.actions)


# --------------------------------------------------------------------------- the log

@needs_docs
def test_log_holds_tracebacks_of_failed_files(tmp_path):
    bad = make_corrupt_docx(good_docx(), tmp_path / "bad.docx")
    out = tmp_path / "out"
    r = run_batch([str(bad)], BatchOptions(out_dir=out, use_cache=False))[0]
    assert r.status == "failed" and "\n" not in r.error
    log = (out / "extractor.log").read_text()
    assert f"failed: {bad}" in log and "Traceback (most recent call last)" in log


# --------------------------------------------------------------------------- done when

@needs_docs
def test_done_when_seven_files_through_the_cli(tmp_path):
    good = good_docx()
    expected = make_done_when_folder(tmp_path / "in", good)
    from extractor.pipeline import process_file

    clean = process_file(str(good))
    assert clean.status == "ok" and clean.n_actions > 0
    out = tmp_path / "out"
    proc = run_cli("batch", tmp_path / "in", "--out", out, "--workers", "2", "--format", "csv")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    docs = read_csv(out / "documents.csv")
    assert sorted(Path(d["path"]).name for d in docs) == sorted(expected)  # all seven, each once
    for d in docs:
        assert d["status"] == expected[Path(d["path"]).name], (d["path"], d["status"], d["error"])
        assert "\n" not in d["error"]
        if d["status"] != "ok":
            assert d["error"]
    good_row = next(d for d in docs if d["status"] == "ok")
    actions = [a for a in read_csv(out / "actions.csv") if a["doc_id"] == good_row["doc_id"]]
    assert int(good_row["n_actions"]) == len(actions) == clean.n_actions
    gold = gold_count(good)
    if gold is not None:
        assert len(actions) == gold
    for name in expected:
        if expected[name] != "ok":
            assert name in proc.stderr  # each problem listed
    assert (out / "extractor.log").is_file()


def test_a_crash_is_called_a_memory_kill_only_when_the_worker_grew_to_its_limit():
    from extractor.run.workers import died_at_memory_limit

    mb = 1 << 20
    assert died_at_memory_limit(1900 * mb, 300 * mb, 2048)  # grew from 300 MB to near 2 GB
    assert not died_at_memory_limit(1750 * mb, 1700 * mb, 2048)  # started big (forked from a big parent), crashed
    assert not died_at_memory_limit(500 * mb, 300 * mb, 2048)  # far from the limit
    assert died_at_memory_limit(2300 * mb, 1900 * mb, 2048)  # limit raised to start + 256 MB, and reached
    assert not died_at_memory_limit(1900 * mb, 300 * mb, 0)  # no limit set


def test_running_out_of_memory_on_a_page_fails_the_file_instead_of_skipping_the_page(tmp_path, monkeypatch):
    # a per-page guard that swallowed MemoryError made a decompression bomb look like a scan (needs_ocr)
    from extractor.ingest import pdf as pdf_ingest
    from extractor.pipeline import process_file

    def exhausted(page, number):
        raise MemoryError()

    monkeypatch.setattr(pdf_ingest, "_parse_page", exhausted)
    result = process_file(str(make_text_pdf(tmp_path / "two.pdf", pages=2)))
    assert result.status == "failed" and result.error == "out of memory"


def test_memory_exhaustion_reported_by_zlib_also_fails_the_file(tmp_path, monkeypatch):
    import zlib

    from extractor.ingest import pdf as pdf_ingest
    from extractor.pipeline import process_file

    def zlib_out_of_memory(page, number):
        raise zlib.error("Error -4 while decompressing data: insufficient memory")

    monkeypatch.setattr(pdf_ingest, "_parse_page", zlib_out_of_memory)
    result = process_file(str(make_text_pdf(tmp_path / "one.pdf", pages=1)))
    assert result.status == "failed" and result.error == "out of memory"


def test_a_pdf_whose_every_page_fails_is_failed_not_a_scan(tmp_path, monkeypatch):
    from extractor.ingest import pdf as pdf_ingest
    from extractor.pipeline import process_file

    def broken(page, number):
        raise ValueError("bad content stream")

    monkeypatch.setattr(pdf_ingest, "_parse_page", broken)
    result = process_file(str(make_text_pdf(tmp_path / "two.pdf", pages=2)))
    assert result.status == "failed" and "no page could be read" in result.error and "bad content" in result.error


def test_near_memory_limit_reads_the_peak_against_the_address_space_limit():
    import resource

    from extractor.ingest.safety import near_memory_limit

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        pytest.skip("this process already runs under an address-space limit")
    assert near_memory_limit() is False  # no limit set: never "near" it
    code = ("import resource; from extractor.ingest.safety import near_memory_limit\n"
            "peak = int([l for l in open('/proc/self/status') if l.startswith('VmPeak:')][0].split()[1]) * 1024\n"
            "resource.setrlimit(resource.RLIMIT_AS, (int(peak * 1.05), resource.RLIM_INFINITY))\n"
            "a = near_memory_limit(0.9); resource.setrlimit(resource.RLIMIT_AS, (peak * 4, resource.RLIM_INFINITY))\n"
            "print(a, near_memory_limit(0.9))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["True", "False"], out.stderr
