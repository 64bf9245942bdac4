"""Tests of the synthetic board-paper generator (tests.synth) itself.

The generator must be deterministic for a seed, every file must open, and the gold must describe exactly
what was rendered: DOCX action tables are read back cell by cell, PDF words are checked against the gold.
"""
from __future__ import annotations

import functools
import json
import re
import time
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

pytest.importorskip("reportlab")
pdfplumber = pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")

from docx.oxml.ns import qn  # noqa: E402

from tests import synth  # noqa: E402
from tests.synth import model as synth_model  # noqa: E402

STATUSES = {"not_started", "in_progress", "delayed", "completed", "unknown"}
RAGS = {"red", "amber", "green", "blue", None}
MARKER = re.compile(r"^\((?:NEW|New)[^)]*\)\s*")
HEADER_FIELDS = {
    "ref": {"No.", "Ref"}, "text": {"Action"}, "goal": {"Recommendation", "Objective", "Goal", "Finding"},
    "owner": {"Lead Officer", "SRO", "Lead", "Executive lead", "Owner", "Responsible officer"},
    "lead": {"Ops lead", "Operational lead"}, "due_raw": {"Deadline", "By when", "Timescale", "Due", "Target date"},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("synth")
    t0 = time.perf_counter()
    report = synth.generate(root / "out", root / "gold")
    elapsed = time.perf_counter() - t0
    golds = {p.stem: json.loads(p.read_text()) for p in sorted((root / "gold").glob("*.json"))}
    pairs = {p.stem: json.loads(p.read_text()) for p in sorted((root / "gold" / "pairs").glob("*.json"))}
    return {"root": root, "out": root / "out", "gold": golds, "pairs": pairs, "report": report,
            "elapsed": elapsed}


# ------------------------------------------------------------------ generator properties

def test_generation_is_fast_and_small(corpus: dict[str, Any]) -> None:
    assert corpus["elapsed"] < 10
    files = sorted(corpus["out"].iterdir())
    assert files and all(f.suffix in (".pdf", ".docx") for f in files)
    assert sum(f.stat().st_size for f in files) < 1_500_000


def test_same_seed_same_bytes(corpus: dict[str, Any], tmp_path: Path) -> None:
    synth.generate(tmp_path / "out", tmp_path / "gold")
    for f in corpus["out"].iterdir():
        assert (tmp_path / "out" / f.name).read_bytes() == f.read_bytes(), f.name
    for f in (corpus["root"] / "gold").rglob("*.json"):
        rel = f.relative_to(corpus["root"] / "gold")
        assert (tmp_path / "gold" / rel).read_text() == f.read_text(), rel


def _key(doc_id: str, family: str) -> str:
    return family or doc_id  # a family document's id names its (seed-drawn) organisation


def test_other_seed_other_content(corpus: dict[str, Any]) -> None:
    docs, _ = synth.build_all(synth.DEFAULT_SEED + 1)
    other = {_key(d.doc_id, d.family): [a.gold_text for a in d.actions()] for d in docs}
    ours = {_key(k, g.get("family", "")): [a["text"] for a in g["actions"]] for k, g in corpus["gold"].items()}
    assert set(other) == set(ours)
    assert any(other[k] != v for k, v in ours.items())
    assert all(other[k] != v for k, v in ours.items() if k in synth.CORPUS_FAMILIES)


def test_layout_families_present(corpus: dict[str, Any]) -> None:
    gold = corpus["gold"]
    assert len(gold) >= 9
    long_doc = gold["harbourside-trust-quality-plan"]
    assert 40 <= len(long_doc["actions"]) <= 60
    assert sum(a["is_new"] for a in long_doc["actions"]) >= 2
    council = gold["eastmoor-council-improvement-plan"]["actions"]
    assert any(a["ref"] == "" for a in council) and any(a["ref"].count(".") == 2 for a in council)
    assert any(a["due_revised"] for a in council)
    icb = gold["northfield-icb-delivery-plan"]["actions"]
    assert {a["section"] for a in icb} >= {"Workforce", "Digital"}
    assert all(re.fullmatch(r"[A-Z]{2}\d+", a["ref"]) for a in icb)
    ccg = gold["lowmere-ccg-workforce-od-plan"]
    refs = [o["ref"] for o in ccg["objectives"]]
    assert "Objective 1" in refs and "1)" in refs and "1) a)" in refs
    assert corpus["report"]["harbourside-trust-quality-plan"]["pages"] >= 4


# ------------------------------------------------------------------ gold schema

def _iso(v: Optional[str]) -> bool:
    if v is None:
        return True
    date.fromisoformat(v)
    return True


def test_gold_schema(corpus: dict[str, Any]) -> None:
    for doc_id, g in corpus["gold"].items():
        assert g["doc_id"] == doc_id and g["files"] == [f"{doc_id}.pdf", f"{doc_id}.docx"]
        assert g["title"] and g["organisation"]
        assert g["doc_date"] == "" or _iso(g["doc_date"])
        for f in g["files"]:
            assert (corpus["out"] / f).exists()
        for a in g["actions"]:
            assert set(a) == {"ref", "text", "goal", "section", "owner", "lead", "due_raw", "due_date",
                              "due_revised", "status", "rag", "is_new"}
            assert a["status"] in STATUSES and a["rag"] in RAGS
            assert _iso(a["due_date"]) and _iso(a["due_revised"])
            assert a["text"] and a["text"] == " ".join(a["text"].split())
            assert not MARKER.match(a["text"]) and not a["text"].startswith("- ")
            if a["due_revised"]:
                assert a["due_date"] and a["due_revised"] > a["due_date"]
        for o in g["objectives"]:
            assert set(o) == {"ref", "text"} and o["text"]


def test_due_date_rules() -> None:
    import random

    rng = random.Random(1)
    assert synth_model.due_of("quarter", 2019, 11, rng) == synth_model.Due(("Q3 2019/20",), "2019-12-31")
    assert synth_model.due_of("quarter", 2020, 2, rng).date == "2020-03-31"
    assert synth_model.due_of("fy", 2019, 5, rng) == synth_model.Due(("2019/20",), "2020-03-31")
    assert synth_model.due_of("month:Mon-YY", 2020, 3, rng) == synth_model.Due(("Mar-20",), "2020-03-31")
    assert synth_model.due_of("month:Sept YYYY", 2019, 9, rng).parts == ("Sept 2019",)
    assert synth_model.due_of("month:Mon YYYY", 2024, 2, rng).date == "2024-02-29"
    r = synth_model.revised(synth_model.due_of("dmy", 2020, 3, random.Random(0)), 2021, 6)
    assert r.raw.endswith("Revised: June 2021") and r.revised == "2021-06-30"


# ------------------------------------------------------------------ DOCX read-back

def _docx_tables(path: Path) -> Iterator[list[list[tuple[str, str, bool]]]]:
    """Each table as rows of (text, vMerge, header?) per grid column; group rows as a single cell."""
    d = docx.Document(str(path))
    for t in d.tables:
        n = len(t._tbl.tblGrid.findall(qn("w:gridCol")))
        rows = []
        for tr in t._tbl.tr_lst:
            hdr = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
            cells = []
            for tc in tr.tc_lst:
                text = " ".join(" ".join(p.xpath("string(.)") for p in tc.p_lst).split())
                vm = tc.tcPr.vMerge_val if tc.tcPr is not None and tc.tcPr.vMerge is not None else ""
                cells.append((text, vm or "", hdr))
                span = tc.grid_span
                cells += [("", "span", hdr)] * (span - 1)
            if len(tr.tc_lst) == 1 and n > 1:
                cells = [cells[0]]
            rows.append(cells)
        yield rows


def _docx_actions(path: Path) -> list[dict[str, str]]:
    out = []
    for rows in _docx_tables(path):
        titles = [c[0] for c in rows[0]]
        if "Action" not in titles or not rows[0][0][2]:
            continue
        col = {f: next((i for i, t in enumerate(titles) if t in names), None) for f, names in HEADER_FIELDS.items()}
        above: dict[int, str] = {}
        for cells in rows[1:]:
            if cells[0][2]:
                continue  # repeated header row
            if len(cells) == 1:
                continue  # group row
            rec = {}
            for f, ci in col.items():
                if ci is None:
                    rec[f] = ""
                    continue
                text, vm, _ = cells[ci]
                if vm == "continue":
                    text = above.get(ci, "")
                above[ci] = text
                rec[f] = text
            rec["text"] = MARKER.sub("", re.sub(r"^- ", "", rec["text"]))
            out.append(rec)
    return out


def _plain(corpus: dict[str, Any]) -> dict[str, Any]:
    """The gold of the documents that are not layout families (those have tests/test_synth_families.py)."""
    return {k: g for k, g in corpus["gold"].items() if "family" not in g}


def test_docx_open_and_match_gold(corpus: dict[str, Any]) -> None:
    for doc_id, g in _plain(corpus).items():
        got = _docx_actions(corpus["out"] / f"{doc_id}.docx")
        assert len(got) == len(g["actions"]), doc_id
        for rec, a in zip(got, g["actions"]):
            for f in ("ref", "text", "goal", "owner", "lead", "due_raw"):
                assert rec[f] == a[f], (doc_id, f, rec[f], a[f])


def test_docx_structures(corpus: dict[str, Any]) -> None:
    out = corpus["out"]
    icb = docx.Document(str(out / "northfield-icb-delivery-plan.docx"))
    xml = icb.element.xml
    assert 'w:vMerge w:val="restart"' in xml and "<w:tblHeader/>" in xml and 'w:gridSpan w:val="14"' in xml
    assert any(s.orientation == 1 for s in icb.sections)  # WD_ORIENT.LANDSCAPE
    assert 'w:fill="00B050"' in xml
    uni = docx.Document(str(out / "westbridge-university-education-plan.docx")).element.xml
    assert 'w:insideV w:val="none"' in uni and 'w:insideV w:val="single"' not in uni
    ccg = docx.Document(str(out / "lowmere-ccg-workforce-od-plan.docx"))
    numbered = [p for p in ccg.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) >= 10 and not any(re.match(r"^\d+\)", p.text) for p in numbered)
    assert ccg.core_properties.created.year == 2020


# ------------------------------------------------------------------ PDF read-back

@functools.cache
def _pdf_parse(path: Path) -> dict[str, Any]:
    """One pass over a PDF: body words per page (running header and footer removed), footers, rules, fills."""
    pages, footers, rules, fills = [], [], [], []
    with pdfplumber.open(str(path)) as pdf:
        for p in pdf.pages:
            words = p.extract_words()
            pages.append([w for w in words if 34 < w["top"] and w["bottom"] < p.height - 34])
            footers.append(" ".join(w["text"] for w in words if w["bottom"] >= p.height - 34))
            assert any(w["top"] <= 34 for w in words), f"{path.name}: no running header"
            rules += [(g["top"], bool(g.get("fill"))) for g in p.lines + p.rects]
            fills += [tuple(r["non_stroking_color"]) for r in p.rects
                      if r.get("fill") and r.get("non_stroking_color") and len(r["non_stroking_color"]) == 3]
    return {"pages": pages, "footers": footers, "rules": rules, "fills": fills}


def _pdf_words(path: Path) -> tuple[list[list[dict[str, Any]]], list[str]]:
    parsed = _pdf_parse(path)
    return parsed["pages"], parsed["footers"]


def _is_subsequence(needles: list[str], hay: list[str]) -> int:
    """How many needles are matched, in order, as a subsequence of hay."""
    it = iter(hay)
    n = 0
    for w in needles:
        for h in it:
            if h == w:
                n += 1
                break
        else:
            return n
    return n


def test_pdf_open_footer_and_words(corpus: dict[str, Any]) -> None:
    for doc_id, g in corpus["gold"].items():
        pages, footers = _pdf_words(corpus["out"] / f"{doc_id}.pdf")
        total = len(pages)
        assert total == corpus["report"][doc_id]["pages"]
        assert footers == [f"Page {i} of {total}" for i in range(1, total + 1)], doc_id
        if "family" in g:
            continue
        words = [w["text"] for page in pages for w in page]
        vocab = set(words)
        text_words = [w for a in g["actions"] for w in a["text"].split()]
        assert _is_subsequence(text_words, words) == len(text_words), doc_id
        refs = [a["ref"] for a in g["actions"] if a["ref"]]
        assert _is_subsequence(refs, words) == len(refs), doc_id
        for a in g["actions"]:  # no word of a field is broken over two lines
            for f in ("goal", "owner", "lead", "due_raw", "section"):
                missing = [w for w in a[f].split() if w not in vocab]
                assert not missing, (doc_id, f, a[f], missing)
        for o in g["objectives"]:
            assert _is_subsequence(o["text"].split(), words) == len(o["text"].split()), (doc_id, o)


def _first_body_line(page: list[dict[str, Any]], header_word: str) -> list[dict[str, Any]]:
    hdr = [w for w in page if w["text"] == header_word]
    if not hdr:
        return []
    below = [w for w in page if w["top"] > hdr[0]["bottom"] + 9]  # skip the 2-line header cells
    if not below:
        return []
    top = min(w["top"] for w in below)
    return [w for w in below if abs(w["top"] - top) < 2]


def test_pdf_long_table_splits_rows(corpus: dict[str, Any]) -> None:
    path = corpus["out"] / "harbourside-trust-quality-plan.pdf"
    pages, _ = _pdf_words(path)
    table_pages = [p for p in pages if any(w["text"] == "Operational" for w in p)]
    assert len(table_pages) >= 3  # header repeated on every page of the table
    continued = 0
    for p in table_pages[1:]:
        ref_x1 = next(w for w in p if w["text"] == "Ref")["x1"] + 12
        line = _first_body_line(p, "Ref")
        if line and not any(w["x0"] < ref_x1 for w in line):
            continued += 1  # the first line under the header has no ref: the rest of a broken row
    assert continued >= 2
    assert corpus["report"]["harbourside-trust-quality-plan"]["split_rows"] >= 2
    assert corpus["report"]["harbourside-trust-quality-plan"]["merged_over_page"] >= 1


def _fill_counts(path: Path) -> dict[str, int]:
    want = {k: tuple(int(v[i:i + 2], 16) / 255 for i in (0, 2, 4)) for k, v in synth_model.RAG_HEX.items()}
    counts = dict.fromkeys(want, 0)
    for col in _pdf_parse(path)["fills"]:
        for k, rgb in want.items():
            if all(abs(a - b) < 0.01 for a, b in zip(col, rgb)):
                counts[k] += 1
    return counts


def test_pdf_rag_fills(corpus: dict[str, Any]) -> None:
    for doc_id, exact in (("northfield-icb-delivery-plan", True), ("harbourside-trust-quality-plan", False)):
        gold = [a["rag"] for a in corpus["gold"][doc_id]["actions"]]
        counts = _fill_counts(corpus["out"] / f"{doc_id}.pdf")
        for k in synth_model.RAG_HEX:
            assert (counts[k] == gold.count(k)) if exact else (gold.count(k) <= counts[k] <= gold.count(k) + 6), \
                (doc_id, k, counts[k], gold.count(k))


def test_pdf_borderless_table(corpus: dict[str, Any]) -> None:
    uni = _pdf_parse(corpus["out"] / "westbridge-university-education-plan.pdf")
    assert not [top for top, _ in uni["rules"] if top > 36]  # only the running-header rule
    council = _pdf_parse(corpus["out"] / "eastmoor-council-improvement-plan.pdf")
    assert len(council["rules"]) > 50  # the ruled one is ruled


# ------------------------------------------------------------------ pairs

def test_pair_gold_consistent(corpus: dict[str, Any]) -> None:
    fields = {"status", "rag", "due_date", "due_revised", "owner", "text", "ref"}
    assert len(corpus["pairs"]) == 2
    for pid, p in corpus["pairs"].items():
        old, new = corpus["gold"][p["old"]]["actions"], corpus["gold"][p["new"]]["actions"]
        assert pid == p["pair_id"]
        assert len(p["matches"]) + len(p["removed"]) == len(old)
        assert len(p["matches"]) + len(p["added"]) == len(new)
        old_keys = {(a["ref"], a["text"]) for a in old}
        new_keys = {(a["ref"], a["text"]) for a in new}
        for m in p["matches"]:
            assert (m["old_ref"], m["old_text"]) in old_keys and (m["new_ref"], m["new_text"]) in new_keys
        for c in p["changes"]:
            assert c["field"] in fields and c["from"] != c["to"]


def test_pair_with_refs(corpus: dict[str, Any]) -> None:
    p = corpus["pairs"]["brackenford-trust-well-led-plan-v1__v2"]
    by_field: dict[str, list[dict[str, Any]]] = {}
    for c in p["changes"]:
        by_field.setdefault(c["field"], []).append(c)
    assert len(p["removed"]) == 2 and len(p["added"]) == 6  # 4 in the new section, 1 inserted, 1 split part
    assert any(c["from"].startswith("3.") and c["to"].startswith("4.") for c in by_field["ref"])
    assert len(by_field["text"]) == 4  # three rewordings and the first half of the split
    assert len(by_field["owner"]) >= 1 and len(by_field["due_date"]) >= 2 and len(by_field["due_revised"]) == 1
    assert len(by_field["status"]) >= 6 and len(by_field["rag"]) >= 6


def test_pair_without_refs(corpus: dict[str, Any]) -> None:
    p = corpus["pairs"]["millbrook-council-childrens-plan-v1__v2"]
    old = corpus["gold"][p["old"]]["actions"]
    new = corpus["gold"][p["new"]]["actions"]
    assert all(a["ref"] == "" for a in old + new)
    assert not p["added"] and not p["removed"] and len(p["matches"]) == len(old)
    assert {c["field"] for c in p["changes"]} <= {"status", "rag"} and len(p["changes"]) >= 5
    assert [a["text"] for a in old] != [a["text"] for a in new]
    assert sorted(a["text"] for a in old) == sorted(a["text"] for a in new)
    for sec in {a["section"] for a in old}:  # shuffled only within sections
        assert sorted(a["text"] for a in old if a["section"] == sec) == \
            sorted(a["text"] for a in new if a["section"] == sec)


def test_checked_in_corpus_is_current(corpus: dict[str, Any]) -> None:
    """corpus/ and tests/corpus_gold/ hold what `python -m tests.synth` makes with the default seed."""
    repo = Path(__file__).resolve().parents[1]
    gold_dir = repo / "tests" / "corpus_gold"
    if not gold_dir.exists():
        pytest.skip("corpus not generated yet")
    for doc_id, g in corpus["gold"].items():
        assert json.loads((gold_dir / f"{doc_id}.json").read_text()) == g, doc_id
        for f in g["files"]:
            assert (repo / "corpus" / f).exists(), f
    for pid, p in corpus["pairs"].items():
        assert json.loads((gold_dir / "pairs" / f"{pid}.json").read_text()) == p, pid
