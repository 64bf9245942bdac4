"""Legacy Word .doc, OpenDocument .odt and .rtf through headless LibreOffice (extractor/ingest/convert.py).

Recognition by content is tested on files made here; the real conversions on the shared sample DOCX files
saved by LibreOffice as .doc/.odt/.rtf (scored against the samples' gold) and on the real legacy logs of
../shared/realworld (the developed part only); failures (LibreOffice missing, failing, hanging, a worker killed
mid-conversion, a corrupt file) with stand-in converters. Real-LibreOffice cases skip when it is not installed."""
from __future__ import annotations

import json
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from extractor import ingest
from extractor.ingest import convert
from extractor.pipeline import process_file
from extractor.run.batch import run_batch
from extractor.run.options import BatchOptions
from extractor.settings import Settings, use
from tests.conftest import load_gold
from tests.paths import ROOT, SHARED
from tests.scoring import f1, match

SOFFICE = convert.find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
LEGACY = SHARED / "realworld" / "action-plans-legacy" / "docs"
SPLIT = json.loads((ROOT / "tests" / "realworld_gold" / "split.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test converts into its own cache folder (never the user's ~/.cache)."""
    monkeypatch.setenv(convert.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


# --------------------------------------------------------------------------- recognising the formats

def make_odt(path: Path, mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # stored, first, as ODF requires
        zf.writestr("content.xml", "<office:document-content/>")
        zf.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return path


def make_ole(path: Path, stream: str) -> Path:
    """An OLE2 header and one directory entry naming `stream` at a 128-byte boundary (what sniffing looks at)."""
    entry = stream.encode("utf-16-le") + b"\0\0"
    entry = entry.ljust(64, b"\0") + len(entry).to_bytes(2, "little") + b"\x02" + b"\0" * 61
    path.write_bytes(ingest.OLE_MAGIC + b"\0" * 504 + b"\0" * 128 * 3 + entry + b"\0" * 1024)
    return path


def test_formats_are_recognised_by_content_not_extension(tmp_path):
    assert ingest.sniff(str(make_odt(tmp_path / "minutes.docx"))) == "odt"
    assert ingest.sniff(str(make_odt(tmp_path / "a.ott", b"application/vnd.oasis.opendocument.text-template"))) == "odt"
    sheet = make_odt(tmp_path / "sheet.odt", b"application/vnd.oasis.opendocument.spreadsheet")
    assert ingest.sniff(str(sheet)) == "other"
    assert ingest.sniff(str(make_ole(tmp_path / "plan.pdf", "WordDocument"))) == "doc"
    assert ingest.sniff(str(make_ole(tmp_path / "book.doc", "Workbook"))) == "other"  # an .xls named .doc
    assert ingest.sniff(str(make_ole(tmp_path / "locked.docx", "EncryptedPackage"))) == "other"
    (tmp_path / "notes.txt").write_bytes(b"{\\rtf1\\ansi Hello}")
    assert ingest.sniff(str(tmp_path / "notes.txt")) == "rtf"
    (tmp_path / "bom.rtf").write_bytes(b"\xef\xbb\xbf\r\n{\\rtf1 x}")
    assert ingest.sniff(str(tmp_path / "bom.rtf")) == "rtf"
    (tmp_path / "fake.rtf").write_text("just text that mentions {\\rtf later", encoding="utf-8")
    assert ingest.sniff(str(tmp_path / "fake.rtf")) == "other"


def test_an_xls_named_doc_is_a_failed_word_file_not_a_conversion(tmp_path):
    r = process_file(str(make_ole(tmp_path / "budget.doc", "Workbook")))
    assert r.status == "failed" and "not a Word file despite its extension" in r.error and "OLE" in r.error


@pytest.mark.parametrize("ext, content_type", [
    ("docm", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    ("dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
    ("dotm", "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")])
def test_macro_and_template_documents_are_read_directly(tmp_path, monkeypatch, ext, content_type):
    """.docm/.dotx/.dotm are WordprocessingML under another content type: no LibreOffice needed."""
    from tests.test_reliability import docx_part, rewrite_zip

    monkeypatch.setenv(convert.SOFFICE_ENV, "")  # would make any conversion 'unsupported'
    src = ROOT / "corpus" / "eastmoor-council-improvement-plan.docx"
    main_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = docx_part(src, "[Content_Types].xml").replace(main_type.encode(), content_type.encode())
    path = rewrite_zip(src, tmp_path / f"plan.{ext}", replace={"[Content_Types].xml": types})
    r, reference = process_file(str(path)), process_file(str(src))
    assert r.status == "ok" and r.format == "docx", r.error
    assert [a.text for a in r.actions] == [a.text for a in reference.actions] and r.n_actions > 0


# --------------------------------------------------------------------------- stand-in converters

def fake_soffice(tmp_path: Path, body: str) -> Path:
    """A script standing in for soffice: `body` runs with $OUTDIR and $SRC set from the arguments."""
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n"
                      "OUTDIR=''; SRC=''; PROFILE=''\n"
                      "while [ $# -gt 0 ]; do case \"$1\" in --outdir) OUTDIR=\"$2\"; shift;; "
                      "-env:UserInstallation=*) PROFILE=\"${1#*=}\";; *) SRC=\"$1\";; esac; shift; done\n"
                      + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def rtf_file(path: Path) -> Path:
    path.write_bytes(b"{\\rtf1\\ansi Action plan}")
    return path


def test_without_libreoffice_the_file_is_unsupported_and_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(convert.SOFFICE_ENV, "")
    r = process_file(str(rtf_file(tmp_path / "plan.rtf")))
    assert r.status == "unsupported" and r.format == "rtf"
    assert "LibreOffice" in r.error and "apt-get install libreoffice-writer-nogui" in r.error


def test_a_failing_conversion_is_failed_in_one_line(tmp_path, monkeypatch):
    failing = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")
    monkeypatch.setenv(convert.SOFFICE_ENV, str(failing))
    r = process_file(str(rtf_file(tmp_path / "plan.rtf")))
    assert r.status == "failed" and "\n" not in r.error
    assert r.error == "LibreOffice could not convert the .rtf file: Error: source file could not be loaded"


def test_a_conversion_that_writes_nothing_is_failed(tmp_path, monkeypatch):
    monkeypatch.setenv(convert.SOFFICE_ENV, str(fake_soffice(tmp_path, "exit 0")))
    r = process_file(str(rtf_file(tmp_path / "plan.rtf")))
    assert r.status == "failed" and "no output" in r.error


def test_a_hanging_conversion_is_killed_at_its_time_limit(tmp_path, monkeypatch):
    pid_file = tmp_path / "pid"
    monkeypatch.setenv(convert.SOFFICE_ENV, str(fake_soffice(tmp_path, f"echo $$ > {pid_file}; exec sleep 60")))
    started = time.monotonic()
    with use(Settings.load(convert={"timeout_s": 1.0})):
        r = process_file(str(rtf_file(tmp_path / "plan.rtf")))
    assert time.monotonic() - started < 10
    assert r.status == "failed" and r.error == "timed out converting with LibreOffice (limit 1 s)"
    assert not _alive(int(pid_file.read_text()))


def test_a_worker_killed_mid_conversion_takes_libreoffice_with_it(tmp_path, monkeypatch):
    """The batch's own time limit replaces the worker; the converter it started must not outlive it."""
    pid_file = tmp_path / "pid"
    monkeypatch.setenv(convert.SOFFICE_ENV, str(fake_soffice(tmp_path, f"echo $$ > {pid_file}; exec sleep 120")))
    good = tmp_path / "good.docx"
    good.write_bytes((ROOT / "corpus" / "eastmoor-council-improvement-plan.docx").read_bytes())
    results = run_batch([str(rtf_file(tmp_path / "plan.rtf")), str(good)],
                        BatchOptions(workers=2, timeout_s=3, start_method="subprocess"))
    assert results[0].status == "failed" and results[0].error.startswith("timed out after 3")
    assert results[1].status == "ok" and results[1].n_actions > 0  # the other file is unaffected
    deadline = time.monotonic() + 5
    while _alive(int(pid_file.read_text())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(int(pid_file.read_text()))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"  # a zombie is dead, only not yet reaped
    except (FileNotFoundError, IndexError):
        return False


def test_conversions_are_cached_by_content_and_use_a_private_profile_each(tmp_path, monkeypatch, private_cache):
    log = tmp_path / "calls"
    docx = ROOT / "corpus" / "eastmoor-council-improvement-plan.docx"
    monkeypatch.setenv(convert.SOFFICE_ENV, str(fake_soffice(
        tmp_path, f'echo "$PROFILE" >> {log}; mkdir -p "$OUTDIR"; cp {docx} "$OUTDIR/source.docx"')))
    first = process_file(str(rtf_file(tmp_path / "a.rtf")))
    assert first.status == "ok" and first.format == "rtf" and first.n_actions > 0
    assert first.actions[0].source == str(tmp_path / "a.rtf")  # provenance: the original file
    (tmp_path / "b.rtf").write_bytes((tmp_path / "a.rtf").read_bytes())  # same content, other name
    second = process_file(str(tmp_path / "b.rtf"))
    assert second.n_actions == first.n_actions
    assert len(log.read_text().split()) == 1  # the second came from the cache
    assert len(list(private_cache.glob("converted/*.docx"))) == 1
    (tmp_path / "c.rtf").write_bytes(b"{\\rtf1\\ansi Another plan}")
    process_file(str(tmp_path / "c.rtf"))
    profiles = log.read_text().split()
    assert len(profiles) == 2 and profiles[0] != profiles[1]  # one profile per conversion
    assert all(not Path(p.removeprefix("file://")).exists() for p in profiles)  # and removed after it


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    log = tmp_path / "calls"
    docx = ROOT / "corpus" / "eastmoor-council-improvement-plan.docx"
    monkeypatch.setenv(convert.SOFFICE_ENV, str(fake_soffice(
        tmp_path, f'echo x >> {log}; mkdir -p "$OUTDIR"; cp {docx} "$OUTDIR/source.docx"')))
    monkeypatch.setenv(convert.CACHE_ENV, "")
    for _ in range(2):
        assert process_file(str(rtf_file(tmp_path / "a.rtf"))).status == "ok"
    assert len(log.read_text().split()) == 2


# --------------------------------------------------------------------------- real LibreOffice

SAMPLE_FORMATS = {"doc": "MS Word 97", "odt": "writer8", "rtf": "Rich Text Format"}


@pytest.fixture(scope="module")
def legacy_samples(tmp_path_factory, samples) -> Path:
    """The shared sample DOCX files saved by LibreOffice as .doc, .odt and .rtf."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("legacy")
    profile = tmp_path_factory.mktemp("lo-profile")
    docs = sorted(str(p) for p in (samples / "docs").glob("*.docx"))
    for ext, filter_name in SAMPLE_FORMATS.items():
        for _ in range(2):  # a fresh profile makes the first run exit to restart
            proc = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                                   f"{ext}:{filter_name}", "--outdir", str(out), *docs],
                                  capture_output=True, timeout=300)
            if proc.returncode != convert.RESTART_EXIT_CODE:
                break
    return out


@needs_soffice
@pytest.mark.parametrize("ext", sorted(SAMPLE_FORMATS))
def test_sample_plans_saved_as_legacy_formats_match_the_gold(legacy_samples, samples, ext):
    for gold_path in sorted((samples / "gold").glob("*.json")):
        gold = load_gold(gold_path)
        path = legacy_samples / f"{gold_path.stem}.{ext}"
        assert path.is_file(), f"LibreOffice did not write {path.name}"
        r = process_file(str(path))
        assert r.status == "ok" and r.format == ext, (path.name, r.status, r.error)
        pairs = match([a["text"] for a in gold["actions"]], [a.text for a in r.actions])
        assert f1(len(pairs), len(r.actions), len(gold["actions"])) >= 0.95, path.name


@needs_soffice
def test_a_corrupt_doc_is_failed_and_the_others_are_read(tmp_path):
    corrupt = make_ole(tmp_path / "broken.doc", "WordDocument")  # a directory entry and nothing else
    good = tmp_path / "good.docx"
    good.write_bytes((ROOT / "corpus" / "eastmoor-council-improvement-plan.docx").read_bytes())
    results = run_batch([str(corrupt), str(good)], BatchOptions(workers=2, timeout_s=120, start_method="subprocess"))
    assert results[0].status == "failed" and results[0].format == "doc" and "\n" not in results[0].error
    assert results[1].status == "ok"


@needs_soffice
def test_concurrent_conversions_in_two_workers(tmp_path, legacy_samples):
    files = [str(legacy_samples / f"castlepoint-od-strategy-v4.{ext}") for ext in SAMPLE_FORMATS]
    files += [str(legacy_samples / f"rotherham-od-strategy-2015.{ext}") for ext in SAMPLE_FORMATS]
    results = run_batch(files, BatchOptions(workers=2, timeout_s=120, start_method="subprocess"))
    assert [r.status for r in results] == ["ok"] * len(files)
    assert len({r.n_actions for r in results[:3]}) == 1 and len({r.n_actions for r in results[3:]}) == 1


@needs_soffice
@pytest.mark.skipif(not LEGACY.is_dir(), reason="../shared/realworld/action-plans-legacy is not present")
def test_real_legacy_logs_are_read():
    """The real legacy logs (.doc and .odt saved by Word, all in the developed part): every one read, its
    action count within 10% of the hand count of ../shared/realworld/action-plans-legacy/SOURCES.md."""
    files = sorted(p for p in LEGACY.iterdir() if p.stem in SPLIT["dev"])
    assert {p.name for p in files} == set(LEGACY_HAND_COUNTS)
    results = run_batch([str(p) for p in files], BatchOptions(workers=2, timeout_s=120, start_method="subprocess"))
    for path, r in zip(files, results):
        assert r.status == "ok", (path.name, r.status, r.error)
        assert r.format == path.suffix.lstrip(".") and r.pages >= 1
        hand = LEGACY_HAND_COUNTS[path.name]
        assert abs(r.n_actions - hand) <= 0.1 * hand, (path.name, r.n_actions, hand)


LEGACY_HAND_COUNTS = {  # SOURCES.md of the legacy folder, "hand count" column
    "uk-transparency-board-action-log-2011-10.doc": 22, "uk-transparency-board-action-log-2012-01.doc": 23,
    "lpdp-actions-report-2012-03.doc": 13, "lpdp-actions-report-2012-03.odt": 13,
    "lpdp-actions-report-2012-05.odt": 12, "lpdp-actions-report-2012-07.doc": 16,
    "odug-action-log-2013-03.odt": 46, "odug-action-log-2013-04.odt": 47}
