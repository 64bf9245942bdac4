"""Fuzzing: hundreds of damaged copies of the project's own documents, in ONE batch with the good ones.

Mutations: truncations, bit flips, deleted PDF objects, broken xref/trailer, garbled streams, fonts mapping
glyphs to lone surrogates, page boxes made of keywords, zip entries shuffled / dropped / stored / corrupted,
DTDs injected (also behind long comments), numbering definitions that amplify into megabytes, macro and
template content types, wrong extensions, zero bytes, junk; names repeated in sub-folders, with bytes that
are not UTF-8, control characters or upper case; a FIFO and a link to /dev/zero. The batch must finish, list
every file exactly once with a valid status, a one-line error and a unique doc_id, print nothing on the
terminal, write every format (datapackage.json valid for frictionless), and the good files must keep every
action (same count as a clean run).

Sizes: EXTRACTOR_FUZZ_FILES mutated files in the batch (default 320) and EXTRACTOR_FUZZ_EXAMPLES hypothesis
examples (default 25); `make fuzz` raises both (1,500 files across both formats, 1,000 examples). Bases:
../shared/corpus-samples/docs and corpus/ (whichever exist); the slow PDFs (large shared samples) only get
mutations that keep parse time short.
"""
from __future__ import annotations

import os
import random
import re
import shutil
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from extractor.ingest import sniff
from extractor.run.batch import BatchOptions, run_batch
from extractor.run.workers import IsolatedPool, Job
from tests.test_reliability import CORPUS, SHARED_DOCS, STATUSES, read_csv

N_FILES = int(os.environ.get("EXTRACTOR_FUZZ_FILES", "320"))
N_EXAMPLES = int(os.environ.get("EXTRACTOR_FUZZ_EXAMPLES", "25"))
FAST_PDF_BYTES = 60_000  # PDFs above this (the shared samples) take seconds each: cheap mutations only


def _bases() -> list[Path]:
    found = []
    for folder in (SHARED_DOCS, CORPUS):
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pdf", ".docx") and p.stat().st_size)
    return found


BASES = _bases()
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not BASES, reason="no documents to mutate (../shared/corpus-samples, corpus/)")]


def _fast(p: Path) -> bool:
    return p.suffix.lower() == ".docx" or p.stat().st_size <= FAST_PDF_BYTES


# --------------------------------------------------------------------------- mutations: (bytes, rng) -> (bytes, ext)

def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: int(len(data) * rng.uniform(0.02, 0.97))]


def truncate_head(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randint(8, 1500)]


def bit_flips(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def junk(data: bytes, rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 4000)))


def zero(data: bytes, rng: random.Random) -> bytes:
    return b""


def append_junk(data: bytes, rng: random.Random) -> bytes:
    return data + b"\n% trailing " + bytes(rng.randrange(32, 127) for _ in range(rng.randint(1, 200))) + b"\n"


_OBJ = re.compile(rb"\n(\d+) 0 obj\b.*?endobj", re.S)


def pdf_delete_object(data: bytes, rng: random.Random) -> bytes:
    objs = list(_OBJ.finditer(data))
    if not objs:
        return truncate(data, rng)
    m = rng.choice(objs)
    return data[: m.start()] + b"\n" + data[m.end():]


def pdf_break_xref(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(3)
    if choice == 0:
        return re.sub(rb"startxref\s+\d+", b"startxref\n" + str(rng.randrange(10 ** 6)).encode(), data)
    if choice == 1:
        return data.replace(b"xref", b"xreF").replace(b"/XRef", b"/XReF")
    return data.replace(b"trailer", b"trai1er").replace(b"%%EOF", b"")


def pdf_garble_stream(data: bytes, rng: random.Random) -> bytes:
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    if not starts:
        return bit_flips(data, rng)
    s = rng.choice(starts)
    n = rng.randint(1, 400)
    return data[:s] + bytes(rng.randrange(256) for _ in range(n)) + data[s + n:]


def _zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def _zip(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, blob in entries:
            zf.writestr(name, blob)
    return buf.getvalue()


def docx_shuffle(data: bytes, rng: random.Random) -> bytes:
    entries = _zip_entries(data)
    rng.shuffle(entries)
    return _zip(entries)


def docx_stored(data: bytes, rng: random.Random) -> bytes:
    return _zip(_zip_entries(data), zipfile.ZIP_STORED)


def docx_drop_entry(data: bytes, rng: random.Random) -> bytes:
    entries = _zip_entries(data)
    names = [n for n, _ in entries]
    vital = [n for n in ("word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                         "word/styles.xml", "word/numbering.xml") if n in names]
    victim = rng.choice(vital or names)
    return _zip([(n, b) for n, b in entries if n != victim])


def docx_corrupt_xml(data: bytes, rng: random.Random) -> bytes:
    entries = _zip_entries(data)
    xml_names = [n for n, _ in entries if n.endswith((".xml", ".rels"))]
    target = "word/document.xml" if rng.random() < 0.6 and "word/document.xml" in xml_names else rng.choice(xml_names)
    out = []
    for name, blob in entries:
        if name == target:
            how = rng.randrange(4)
            if how == 0:
                blob = blob[: int(len(blob) * rng.uniform(0.1, 0.95))]
            elif how == 1:
                blob = bit_flips(blob, rng)
            elif how == 2:
                i = rng.randrange(len(blob))
                blob = blob[:i] + b"<w:p><w:r><w:t>&bogus;</w:t>" + blob[i:]
            else:
                blob = re.sub(rb"</w:(tc|tr|tbl)>", b"", blob, count=rng.randint(1, 50))
        out.append((name, blob))
    return _zip(out)


def docx_dtd(data: bytes, rng: random.Random) -> bytes:
    entries = _zip_entries(data)
    out = []
    for name, blob in entries:
        if name == "word/document.xml":
            blob = re.sub(rb"^<\?xml[^>]*\?>", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>', blob)
        out.append((name, blob))
    return _zip(out)


def docx_flip_compressed(data: bytes, rng: random.Random) -> bytes:
    """Bit flips inside the compressed bytes of one entry: a CRC error when it is read."""
    buf = bytearray(data)
    with zipfile.ZipFile(BytesIO(data)) as zf:
        info = rng.choice([i for i in zf.infolist() if i.compress_size > 8])
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for _ in range(rng.randint(1, 8)):
        i = start + rng.randrange(info.compress_size)
        if i < len(buf):
            buf[i] ^= 1 << rng.randrange(8)
    return bytes(buf)


def pdf_surrogate_font(data: bytes, rng: random.Random) -> bytes:
    """Fonts get a ToUnicode map sending some glyphs to a lone UTF-16 surrogate (text UTF-8 cannot encode): each
    font's /Encoding entry is overwritten in place by a /ToUnicode reference of the same length (offsets kept),
    and the map is appended as an incremental update (a new xref section pointing back at the old one)."""
    old_xref = re.findall(rb"startxref\s+(\d+)", data)
    root = re.findall(rb"/Root\s+(\d+\s+\d+\s+R)", data)
    if not old_xref or not root or b"/Encoding /WinAnsiEncoding" not in data:
        return bit_flips(data, rng)
    number = 90000 + rng.randrange(9000)
    ref = b"/ToUnicode %d 0 R" % number
    data = data.replace(b"/Encoding /WinAnsiEncoding", ref.ljust(len(b"/Encoding /WinAnsiEncoding")))
    lo = rng.randrange(0x41, 0x5a)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> "
            b"endcodespacerange 1 beginbfrange <%02X> <%02X> [%d %d %d] endbfrange endcmap end end"
            % (lo, lo + 2, 0xD800, 0xDBFF, 0xDC00))
    body = b"\n%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (number, len(cmap), cmap)
    offset = len(data) + 1
    xref = len(data) + len(body)
    size = int(re.findall(rb"/Size\s+(\d+)", data)[-1]) if re.findall(rb"/Size\s+(\d+)", data) else number
    return (data + body + b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (number, offset)
            + b"trailer\n<< /Size %d /Root %s /Prev %s >>\nstartxref\n%d\n%%%%EOF\n"
            % (max(size, number + 1), root[-1], old_xref[-1], xref))


def pdf_bad_page_box(data: bytes, rng: random.Random) -> bytes:
    """One page's MediaBox made of keywords (or short): that page fails, the others must not."""
    boxes = list(re.finditer(rb"/MediaBox\s*\[[^\]]*\]", data))
    if not boxes:
        return bit_flips(data, rng)
    m = rng.choice(boxes)
    broken = rng.choice([b"/MediaBox [0 0 a b]", b"/MediaBox [0 0 612]", b"/MediaBox 9999 0 R"])
    return data[:m.start()] + broken + data[m.end():]


def _replace_entry(data: bytes, name: str, fn) -> bytes:
    entries = _zip_entries(data)
    return _zip([(n, fn(b) if n == name else b) for n, b in entries])


def docx_numbering_bomb(data: bytes, rng: random.Random) -> bytes:
    """Lists that start at millions, lettered, many counters per label: megabytes of labels from a few bytes."""
    if "word/numbering.xml" not in {n for n, _ in _zip_entries(data)}:
        return docx_dtd(data, rng)

    def bomb(xml: bytes) -> bytes:
        xml = re.sub(rb'<w:start w:val="\d+"/>', b'<w:start w:val="%d"/>' % rng.randrange(10 ** 6, 10 ** 8), xml)
        xml = re.sub(rb'<w:numFmt w:val="[a-zA-Z]+"/>', rng.choice([b'<w:numFmt w:val="lowerLetter"/>',
                                                                    b'<w:numFmt w:val="upperRoman"/>']), xml)
        return re.sub(rb'<w:lvlText w:val="[^"]*"/>', b'<w:lvlText w:val="%1%1%1%1%1%1%1%1"/>', xml)

    return _replace_entry(data, "word/numbering.xml", bomb)


def docx_late_dtd(data: bytes, rng: random.Random) -> bytes:
    """A DTD behind a comment longer than any fixed-size look at the prolog."""
    def late(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[-1]
        return (b'<?xml version="1.0"?><!--' + b"x" * rng.randint(4100, 20000) + b'-->'
                b'<!DOCTYPE w:document [<!ENTITY a "aaaa">]>' + body)

    return _replace_entry(data, "word/document.xml", late)


def docx_macro_type(data: bytes, rng: random.Random) -> bytes:
    """The content type of a macro-enabled document or a template: still WordprocessingML."""
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    other = rng.choice([b"application/vnd.ms-word.document.macroEnabled.main+xml",
                        b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"])
    return _replace_entry(data, "[Content_Types].xml", lambda xml: xml.replace(main, other))


COMMON = [truncate, bit_flips, truncate_head, zero, junk]
PDF_MUTATIONS = COMMON + [pdf_delete_object, pdf_break_xref, pdf_garble_stream, append_junk, pdf_surrogate_font,
                          pdf_bad_page_box]
DOCX_MUTATIONS = COMMON + [docx_shuffle, docx_stored, docx_drop_entry, docx_corrupt_xml, docx_dtd,
                           docx_flip_compressed, docx_numbering_bomb, docx_late_dtd, docx_macro_type]
SLOW_PDF_MUTATIONS = [truncate_head, zero, junk]
BENIGN = {docx_shuffle, docx_stored, docx_macro_type}  # a valid package afterwards: every action still there
# a wrong extension: content recognised by sniffing (pdf/docx) or, for .txt/.xlsx, not opened at all
EXTENSIONS = [None] * 8 + [".pdf", ".docx", ".txt", ".xlsx", ""]


def mutate(base: Path, k: int, rng: random.Random) -> tuple[bytes, str, object]:
    data = base.read_bytes()
    if base.suffix.lower() == ".docx":
        pool = DOCX_MUTATIONS
    else:
        pool = PDF_MUTATIONS if _fast(base) else SLOW_PDF_MUTATIONS
    fn = pool[k % len(pool)]
    out = fn(data, rng)
    ext = rng.choice(EXTENSIONS)
    if not _fast(base) and ext in (".pdf", ".docx", "") and fn is not zero:
        ext = base.suffix  # keep the slow ones cheap
    return out, base.suffix if ext is None else ext, fn


def _hostile_name(i: int, name: str) -> str:
    """Some names the way real folders have them: the same name in several sub-folders (doc_ids must not
    collide), a byte that is not UTF-8, a control character, upper case."""
    stem, ext = os.path.splitext(name)
    kind = i % 10
    if kind == 3:
        return f"sub{i % 7}/{stem.split('-', 2)[-1]}{ext}"  # e.g. sub3/castlepoint-od-strategy-v4.docx, 7 times
    if kind == 5:
        return os.fsdecode(os.fsencode(stem) + b"-\xff" + os.fsencode(ext))
    if kind == 7:
        return f"{stem}-\x1b[31m{ext}"
    if kind == 9:
        return name.upper()
    return name


def build_fuzz_folder(folder: Path, n: int, seed: int = 20240611) -> tuple[dict[str, object], dict[str, Path]]:
    """n mutated files + clean copies of the fast bases. -> (mutation per file's path relative to `folder`, base
    per good file name)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fast = [b for b in BASES if _fast(b)] or BASES
    slow = [b for b in BASES if not _fast(b)]
    kinds: dict[str, object] = {}
    for i in range(n):
        base = slow[i % len(slow)] if slow and i % 12 == 11 else fast[i % len(fast)]
        data, ext, fn = mutate(base, i // len(fast), rng)
        name = _hostile_name(i, f"m{i:04d}-{fn.__name__}-{base.stem[:24]}{ext}")
        if name in kinds:  # the same file name twice in one sub-folder: keep the plain one
            name = f"m{i:04d}-{fn.__name__}-{base.stem[:24]}{ext}"
        try:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        except (OSError, ValueError):  # a filesystem that refuses the name
            name = f"m{i:04d}-{fn.__name__}-{base.stem[:24]}{ext}"
            (folder / name).write_bytes(data)
        kinds[name] = (fn, base)
    good: dict[str, Path] = {}
    for b in fast:
        name = f"good-{b.name}"
        shutil.copy(b, folder / name)
        good[name] = b
    return kinds, good


def _special_files(folder: Path) -> dict[str, str]:
    """A FIFO and a symlink to /dev/zero (where the platform has them): listed, never read. -> name: status"""
    made = {}
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "special-fifo.pdf")
        made["special-fifo.pdf"] = "unsupported"
    if os.path.exists("/dev/zero"):
        (folder / "special-zeros.docx").symlink_to("/dev/zero")
        made["special-zeros.docx"] = "unsupported"
    return made


def test_one_batch_of_mutated_documents(tmp_path, capfd):
    from extractor.run.batch import collect_files

    kinds, good = build_fuzz_folder(tmp_path / "in", N_FILES)
    special = _special_files(tmp_path / "in")
    files = collect_files([str(tmp_path / "in")])
    assert len(files) == len(kinds) + len(good) + len(special) and len(kinds) >= 300 or N_FILES < 300
    assert {base.suffix for _, base in kinds.values()} == {b.suffix for b in BASES}  # both formats mutated

    clean = {Path(r.path).name: r for r in run_batch([str(tmp_path / "in" / n) for n in good],
                                                       BatchOptions(workers=2, use_cache=False))}
    assert all(r.status in ("ok", "partial") for r in clean.values()), [(r.path, r.error) for r in clean.values()]

    out = tmp_path / "out"
    started = time.monotonic()
    stats: dict = {}
    results = run_batch(files, BatchOptions(workers=2, timeout_s=20, memory_mb=2048, out_dir=out, use_cache=False),
                        stats=stats)
    elapsed = time.monotonic() - started

    from extractor.api import Result
    from extractor.run.sanitize import encodable

    Result(results).write(out, formats=["csv", "parquet", "jsonl", "xlsx", "duckdb"], excel_safe=True)
    rows = read_csv(out / "documents.csv")
    assert sorted(r["path"] for r in rows) == sorted(encodable(f) for f in files)  # every file, exactly once
    assert [r.path for r in results] == [encodable(f) for f in files]
    assert len({r.doc_id for r in results}) == len(results)  # unique ids, whatever the names
    from frictionless import validate

    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:5]
    for r in results:
        assert r.status in STATUSES, (r.path, r.status)
        assert "\n" not in r.error and len(r.error) <= 600, (r.path, r.error)
        if r.status != "ok":
            assert r.error, r.path
    by_name = {os.path.relpath(f, tmp_path / "in"): r for f, r in zip(files, results)}
    for name, status in special.items():
        assert by_name[name].status == status and "not a regular file" in by_name[name].error
    for name in good:  # the good files keep every action
        assert by_name[name].status == clean[name].status
        assert by_name[name].n_actions == clean[name].n_actions, name
    clean_by_base = {good[n]: clean[n] for n in good}
    for name, (fn, base) in kinds.items():
        r = by_name[name]
        if fn is zero:
            assert (r.status, r.error) == ("failed", "empty file (0 bytes)")
        elif Path(name).suffix in (".txt", ".xlsx") and sniff(str(tmp_path / "in" / name)) == "other":
            assert r.status == "unsupported", (name, r.status)  # not a document by content: not opened
        elif fn in BENIGN and base in clean_by_base and Path(name).suffix in (".docx", ".pdf", ""):
            assert r.n_actions == clean_by_base[base].n_actions, (name, r.status, r.error)
        elif fn in (docx_dtd, docx_late_dtd) and Path(name).suffix != ".txt":
            assert r.status == "failed" and "DTD" in r.error, (name, r.error)
        if fn is docx_numbering_bomb:  # a few bytes may not become megabytes of rows
            assert sum(len(a.text) + len(a.ref) for a in r.actions) < 2_000_000, name
    out_, err = capfd.readouterr()
    assert "Traceback" not in out_ + err and "NOISE" not in out_ + err
    counts = {s: sum(r.status == s for r in results) for s in sorted(STATUSES)}
    print(f"\nfuzz batch: {len(files)} files in {elapsed:.1f}s; {counts}; timeouts {stats.get('timeouts')}, "
          f"crashes {stats.get('crashes')}, memory {stats.get('memory_kills')}")


# --------------------------------------------------------------------------- hypothesis (longer under make fuzz)

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@pytest.fixture(scope="module")
def shared_pool():
    with IsolatedPool(1, timeout_s=20, memory_mb=2048) as pool:
        yield pool


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hypo")


@settings(max_examples=N_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(base=st.sampled_from([b for b in BASES if _fast(b)] or BASES or [Path("none")]),
       kind=st.integers(0, 50), seed=st.integers(0, 2 ** 32 - 1))
def test_any_mutation_gets_a_truthful_one_line_status(shared_pool, scratch, base, kind, seed):
    data, ext, fn = mutate(base, kind, random.Random(seed))
    path = scratch / f"h-{seed}{ext}"
    path.write_bytes(data)
    got: list = []
    shared_pool.map([Job(0, str(path), "h", None)], lambda j, r, d: got.append(r))
    (r,) = got
    assert r.status in STATUSES
    assert "\n" not in r.error and (r.status == "ok" or r.error)
    assert not r.error.startswith(("worker crashed", "memory limit")), (fn.__name__, r.error)
    path.unlink()
