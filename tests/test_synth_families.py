"""Tests of the layout-family generator (tests/synth/families.py) itself: every family of issue #12 exists
in both formats, the generator is deterministic and varies with the seed, the gold describes what was
rendered, and each file shows the layout its family is about (read back with python-docx and pdfplumber)."""
from __future__ import annotations

import functools
import json
import random
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

pytest.importorskip("reportlab")
pdfplumber = pytest.importorskip("pdfplumber")
docx = pytest.importorskip("docx")

from docx.oxml.ns import qn  # noqa: E402

from tests.synth import fam_tables  # noqa: E402
from tests.synth.families import BY_ID, FAMILIES, generate_families, missing  # noqa: E402

ACTION_KEYS = {"ref", "text", "goal", "section", "owner", "lead", "due_raw", "due_date", "due_revised", "status",
               "rag", "is_new"}
STATUSES = {"not_started", "in_progress", "delayed", "completed", "unknown"}


# ------------------------------------------------------------------ reading the files back

def _alnum(text: str) -> str:
    """Letters and digits only, casefolded: what survives any line breaking, hyphen splitting or spacing."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


@functools.cache
def _docx_doc(path: Path) -> Any:
    return docx.Document(str(path))


def _docx_tables(path: Path) -> list[Any]:
    return list(_docx_doc(path).tables)


def _docx_body(path: Path) -> list[tuple[str, Any]]:
    """Body blocks in order: ('p', paragraph element) or ('tbl', table element)."""
    body = _docx_doc(path).element.body
    return [("p" if el.tag == qn("w:p") else "tbl", el) for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]


def _docx_text(path: Path) -> str:
    """The body's text in reading order, one space between paragraphs (also inside table cells)."""
    return " ".join(p.xpath("string(.)") for _, el in _docx_body(path) for p in el.iter(qn("w:p")))


def _row_texts(tr: Any) -> list[str]:
    return [" ".join(" ".join(p.xpath("string(.)") for p in tc.p_lst).split()) for tc in tr.tc_lst]


def _is_header_row(tr: Any) -> bool:
    return tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None


@functools.cache
def _pdf(path: Path) -> dict[str, Any]:
    """Per page: words of the body (running header and footer dropped), lines, chars, rotation, size."""
    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for p in pdf.pages:
            words = p.extract_words(use_text_flow=True)  # drawing order: a cell's lines stay together
            pages.append({"words": [w for w in words if 34 < w["top"] and w["bottom"] < p.height - 34],
                          "lines": [(ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in p.lines],
                          "chars": [(c["text"], c["size"], c["top"]) for c in p.chars], "rotation": p.rotation,
                          "width": p.width, "height": p.height})
    return {"pages": pages}


def _pdf_stream(path: Path) -> str:
    return " ".join(w["text"] for p in _pdf(path)["pages"] for w in p["words"])


def _tokens(text: str) -> list[str]:
    """Letter runs and digit runs, casefolded: 'self- assessment' and 'self-assessment' give the same tokens,
    so do '2 nd' and '2nd', 'Committee12' and 'Committee 12'."""
    return re.findall(r"[^\W\d_]+|\d+", unicodedata.normalize("NFKC", text).casefold())


def _find(needle: list[str], hay: list[str], start: int = 0, slack: int = 8) -> int:
    """Where needle ends as a subsequence of hay[start:] whose span is at most slack times its length (other
    cells of the same lines come in between), or -1."""
    k = start - 1
    while True:
        try:
            k = hay.index(needle[0], k + 1)
        except ValueError:
            return -1
        i, j = 1, k + 1
        limit = k + slack * len(needle) + 8
        while i < len(needle) and j < min(len(hay), limit):
            if hay[j] == needle[i]:
                i += 1
            j += 1
        if i == len(needle):
            return j


def _in_order(needles: list[str], hay: str) -> Optional[str]:
    """The first needle whose words are not found (after the previous needle) in hay, or None."""
    tokens, pos = _tokens(hay), 0
    for n in needles:
        end = _find(_tokens(n), tokens, pos)
        if end < 0:
            return n
        pos = end
    return None


def _page_of(path: Path, text: str) -> int:
    """The first page (0-based) on which the first words of a text are printed together, or -1."""
    head = " ".join(_tokens(text)[:6])
    for i, p in enumerate(_pdf(path)["pages"]):
        if f" {head} " in " " + " ".join(_tokens(" ".join(w["text"] for w in p["words"]))) + " ":
            return i
    return -1


def _first_line(page: dict[str, Any]) -> str:
    top = min(w["top"] for w in page["words"])
    return " ".join(w["text"] for w in page["words"] if abs(w["top"] - top) < 2)


# ------------------------------------------------------------------ generator properties

def test_every_family_is_generated(family_set: Any) -> None:
    assert len(FAMILIES) >= 34
    for f in FAMILIES:
        if missing(f):
            continue
        g = family_set.gold(f.id)
        assert len(g["actions"]) >= 3, f.id
        assert g["notes"] and g["country"] in ("UK", "US"), f.id
        for name in g["files"]:
            assert (family_set.docs / name).stat().st_size > 1000, name
    assert sum(g["country"] == "US" for g in family_set.golds.values()) >= 5
    assert sum(g["country"] == "UK" for g in family_set.golds.values()) >= 5


def _iso(v: Optional[str]) -> bool:
    if v is not None:
        date.fromisoformat(v)
    return True


def test_gold_schema(family_set: Any) -> None:
    for doc_id, g in family_set.golds.items():
        assert g["doc_id"] == doc_id and g["files"] == [f"{doc_id}.pdf", f"{doc_id}.docx"]
        assert g["title"] and g["organisation"] and _iso(g["doc_date"] or None)
        assert g["objectives"] == []  # nothing numbered in their running text
        for a in g["actions"]:
            assert set(a) == ACTION_KEYS, doc_id
            assert a["status"] in STATUSES and a["rag"] in {"red", "amber", "green", "blue", None}
            assert _iso(a["due_date"]) and _iso(a["due_revised"])
            assert a["text"] and a["text"] == " ".join(a["text"].split())
            assert not re.search(r"[\x00-\x08]", json.dumps(a))  # no generator markup in the gold
        for m in g["mentions"]:
            assert set(m) == {"kind", "ref", "text", "action_text", "concern", "remedial", "date_raised"}


def test_same_seed_same_bytes(family_set: Any, tmp_path: Path) -> None:
    ids = ["continued-borderless", "key-value", "text-hygiene", "rotated-page"]
    ids += [] if missing(BY_ID["checkbox-status"]) else ["checkbox-status"]  # an embedded TrueType subset
    generate_families(tmp_path, ids=ids)
    for f in (tmp_path / "docs").iterdir():
        assert f.read_bytes() == (family_set.docs / f.name).read_bytes(), f.name
    for f in (tmp_path / "gold").iterdir():
        assert f.read_text() == (family_set.root / "gold" / f.name).read_text(), f.name


def test_other_seeds_other_documents() -> None:
    """Nothing is shared by all documents of a family across seeds: organisation, wording, widths."""
    for f in FAMILIES:
        if missing(f):
            continue
        docs = [f.build(random.Random(f"{seed}:family:{f.id}")) for seed in range(5)]
        texts = [tuple(a.gold_text for a in d.actions()) for d in docs]
        assert len(set(texts)) == 5, f.id
        assert len({d.organisation for d in docs}) >= 2, f.id
        widths = [tuple(c.width for t in d.tables() for c in t.columns) for d in docs]
        assert not any(widths) or len(set(widths)) >= 2, f.id


# ------------------------------------------------------------------ the gold describes what was rendered

@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_gold_text_is_in_the_files(family_set: Any, fmt: str) -> None:
    for doc_id, g in family_set.golds.items():
        path = family_set.docs / f"{doc_id}.{fmt}"
        text = _docx_text(path) if fmt == "docx" else _pdf_stream(path)
        lost = _in_order([a["text"] for a in g["actions"]], text)
        assert lost is None, (doc_id, fmt, lost)
        tokens = _tokens(text)
        for a in g["actions"]:
            for field in ("owner", "due_raw", "goal", "section"):
                if a[field]:  # an owner from a group heading is printed there
                    assert _find(_tokens(a[field]), tokens) >= 0, (doc_id, fmt, field, a[field])
        for m in g["mentions"]:
            for field in ("text", "concern", "remedial", "date_raised"):
                assert not m[field] or _find(_tokens(m[field]), tokens) >= 0, (doc_id, fmt, m)


def test_docx_tables_have_the_gold_cells(family_set: Any) -> None:
    """Where a family prints one action per table row, each gold action's text is one cell of a row and
    its printed owner / due cells sit in the same row (or above it, in a merged cell)."""
    for family in ("action-header-task", "blank-header-ref", "blank-header-action", "continued-ruled",
                   "numbered-headings", "not-plan-roles", "exception-report"):
        if family not in family_set.by_family:
            continue
        g = family_set.gold(family)
        rows = [_row_texts(tr) for t in _docx_tables(family_set.path(family, "docx")) for tr in t._tbl.tr_lst]
        for a in g["actions"]:
            row = next((r for r in rows if a["text"] in r), None)
            assert row is not None, (family, a["text"])
            assert a["due_raw"] in row and a["owner"] in row, (family, a["ref"], row)
            assert not a["ref"] or a["ref"] in row


# ------------------------------------------------------------------ each file shows its family's layout

def _check_action_word(family_set: Any, family: str) -> None:
    words = fam_tables.ACTION_WORDS[family.split("-")[-1]][0]
    headers = [_row_texts(t._tbl.tr_lst[0]) for t in _docx_tables(family_set.path(family, "docx"))]
    assert any(w in h for h in headers for w in words), headers


def _check_blank_header(family_set: Any, family: str) -> None:
    header = _row_texts(_docx_tables(family_set.path(family, "docx"))[0]._tbl.tr_lst[0])
    col = 0 if family.endswith("ref") else 1
    assert header[col] == "" and all(h for i, h in enumerate(header) if i != col), header


def _check_headerless(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    path = family_set.path(family, "docx")
    tables = _docx_tables(path)
    assert len(tables) >= 6 and not any(_is_header_row(tr) for t in tables for tr in t._tbl.tr_lst)
    body = _docx_body(path)
    for i, (kind, _el) in enumerate(body):  # each table right under its heading paragraph
        if kind == "tbl":
            assert body[i - 1][0] == "p" and "Heading" in (body[i - 1][1].style or ""), i
    words = {_row_texts(tr)[-1] for t in tables for tr in t._tbl.tr_lst}
    assert words == {"New", "Ongoing", "Carried forward", "Completed"}
    sections = {a["section"] for a in g["actions"]}
    assert sum(bool(re.search(r"[A-Z]{2}[a-z]?$", s)) for s in sections) >= 2  # leads named in headings
    if family.endswith("2col"):
        assert any(a["owner"] and a["owner"] in a["section"] for a in g["actions"])
    pdf = family_set.path(family, "pdf")
    carried = []  # a page that starts with a row of a group whose heading is on an earlier page
    for i, p in enumerate(_pdf(pdf)["pages"][1:], 1):
        line = _tokens(_first_line(p)) if p["words"] else []
        carried += [a for a in g["actions"] if line and _tokens(a["text"])[:4] == line[:4]
                    and 0 <= _page_of(pdf, a["section"]) < i]
    assert carried, "no group runs on to the next page without its heading"


def _check_key_value(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    tables = _docx_tables(family_set.path(family, "docx"))
    assert len(tables) == len(g["actions"])
    for t, a in zip(tables, g["actions"]):
        rows = [_row_texts(tr) for tr in t._tbl.tr_lst]
        assert all(len(r) == 2 for r in rows) and not any(_is_header_row(tr) for tr in t._tbl.tr_lst)
        assert [a["text"]] in [r[1:] for r in rows] and [a["owner"]] in [r[1:] for r in rows]


def _check_merged(family_set: Any, family: str) -> None:
    for t in _docx_tables(family_set.path(family, "docx")):
        cols = set()
        for tr in t._tbl.tr_lst:
            for ci, tc in enumerate(tr.tc_lst):
                if tc.tcPr is not None and tc.tcPr.vMerge is not None:
                    cols.add(ci)
        assert len(cols) >= 3, cols  # goal, owner, due, status merged
    rep = family_set.report[family_set.gold(family)["doc_id"]]
    assert rep["merged_over_page"] >= 1


def _check_continued(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    path = family_set.path(family, "pdf")
    pages = _pdf(path)["pages"]
    table_pages = sorted({_page_of(path, a["text"]) for a in g["actions"]})
    assert len(table_pages) >= 2 and table_pages[0] >= 0
    first_header = [w["text"] for w in pages[table_pages[0]]["words"] if w["text"] == "Ref"]
    assert first_header
    for i in table_pages[1:]:
        assert not any(w["text"] == "Ref" for w in pages[i]["words"]), f"header repeated on page {i + 1}"
    rules = [ln for i in table_pages for ln in pages[i]["lines"] if ln[1] > 40]
    assert (len(rules) > 20) == family.endswith("ruled")
    rep = family_set.report[g["doc_id"]]
    assert rep["split_multi_column"] >= 1 and rep["continued_without_header"] >= 1
    assert not any(_is_header_row(tr) for t in _docx_tables(family_set.path(family, "docx")) for tr in t._tbl.tr_lst)


def _check_horizontal(family_set: Any, family: str) -> None:
    path = family_set.path(family, "pdf")
    g = family_set.gold(family)
    for i in {_page_of(path, a["text"]) for a in g["actions"]}:
        page = _pdf(path)["pages"][i]
        assert page["width"] > page["height"]  # landscape
        lines = [ln for ln in page["lines"] if ln[1] > 40]
        assert lines and all(abs(ln[1] - ln[3]) < 0.5 for ln in lines)  # horizontal only
    assert 'w:insideV w:val="none"' in _docx_doc(family_set.path(family, "docx")).element.xml


def _check_rotated(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    path = family_set.path(family, "pdf")
    rotated = [i for i, p in enumerate(_pdf(path)["pages"]) if p["rotation"] == 90]
    assert len(rotated) == 1
    assert {_page_of(path, a["text"]) for a in g["actions"]} == set(rotated)
    text = " ".join(w["text"] for w in _pdf(path)["pages"][rotated[0]]["words"])
    assert _in_order([a["text"] for a in g["actions"]], text) is None  # read upright, in order


def _check_numbered(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    body = _docx_body(family_set.path(family, "docx"))
    headings = [body[i - 1][1].xpath("string(.)") for i, (k, _) in enumerate(body) if k == "tbl"]
    assert headings == list(dict.fromkeys(a["section"] for a in g["actions"]))
    assert all(re.match(r"^\w+ \d+\s?[:.\u2013]", x) for x in headings), headings
    assert all(a["section"].endswith(a["goal"]) and a["goal"] != a["section"] for a in g["actions"])  # title only


def _check_narrative(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    path = family_set.path(family, "docx")
    assert not _docx_tables(path)
    paras = [el.xpath("string(.)") for k, el in _docx_body(path) if k == "p"]
    for a in g["actions"]:
        i = next(i for i, p in enumerate(paras) if p.endswith(a["text"]))
        assert re.match(rf"^\w+ {a['ref']}\W", paras[i]), paras[i]
        assert any(p.endswith(": " + a["owner"]) for p in paras[i + 1:i + 4])
        assert any(p.endswith(": " + a["due_raw"]) for p in paras[i + 1:i + 4])


def _check_boxes(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    tables = _docx_tables(family_set.path(family, "docx"))
    assert len(tables) == 4 and all(len(tr.tc_lst) == 1 for t in tables for tr in t._tbl.tr_lst)
    paras = {" ".join(p.xpath("string(.)").split()) for t in tables for tr in t._tbl.tr_lst for tc in tr.tc_lst
             for p in tc.p_lst}
    assert all(a["text"] in paras for a in g["actions"])  # one paragraph per milestone
    assert {a["due_raw"] for a in g["actions"]} <= paras


def _check_checkbox(family_set: Any, family: str) -> None:
    text = _docx_text(family_set.path(family, "docx"))
    assert "\u2612" in text and "\u2610" in text
    chars = {c[0] for p in _pdf(family_set.path(family, "pdf"))["pages"] for c in p["chars"]}
    assert {"\u2612", "\u2610"} <= chars


def _check_grid(family_set: Any, family: str) -> None:
    t = _docx_tables(family_set.path(family, "docx"))[0]
    header = _row_texts(t._tbl.tr_lst[0])
    assert header[-4:] == fam_tables.GRID_LEVELS
    for tr in t._tbl.tr_lst[1:]:
        assert sum(bool(c) for c in _row_texts(tr)[-4:]) == 1


def _check_hygiene(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    pages = _pdf(family_set.path(family, "pdf"))["pages"]
    words = [w["text"] for p in pages for w in p["words"]]
    broken = [w for w in words if re.fullmatch(r"[a-z]+-", w)]  # a line ends inside a hyphenated word
    assert len(broken) >= 4 and all(any(w in a["text"] for a in g["actions"]) for w in broken)
    raised = [c for p in pages for prev, c in zip(p["chars"], p["chars"][1:])
              if c[0].isalnum() and c[1] < 0.9 * prev[1] and c[2] < prev[2] - 1]  # superscript suffixes, markers
    assert len(raised) >= 3
    xml = _docx_doc(family_set.path(family, "docx")).element.xml
    assert xml.count('w:vertAlign w:val="superscript"') >= 3
    assert "*" in _docx_text(family_set.path(family, "docx"))


def _check_not_plan(family_set: Any, family: str) -> None:
    tables = _docx_tables(family_set.path(family, "docx"))
    assert len(tables) >= 2
    if family.endswith("empty-template"):
        assert any(all(not "".join(_row_texts(tr)) for tr in t._tbl.tr_lst[1:]) for t in tables)


def _check_exception(family_set: Any, family: str) -> None:
    g = family_set.gold(family)
    by_ref = {a["ref"]: a for a in g["actions"]}
    kinds = {m["kind"] for m in g["mentions"]}
    assert "exception" in kinds and len(g["mentions"]) >= 3
    for m in g["mentions"]:
        a = by_ref[m["ref"]]
        assert m["action_text"] == a["text"] and _alnum(m["text"]) in _alnum(a["text"])
        assert a["status"] in (("delayed", "not_started") if m["kind"] == "exception" else ("completed",))
    assert len(_docx_tables(family_set.path(family, "docx"))) >= 2


CHECKS: dict[str, Callable[[Any, str], None]] = {
    **{f.id: _check_action_word for f in FAMILIES if f.id.startswith("action-header-")},
    "blank-header-ref": _check_blank_header, "blank-header-action": _check_blank_header,
    "headerless-groups-2col": _check_headerless, "headerless-groups-3col": _check_headerless,
    "key-value": _check_key_value, "merged-cells": _check_merged,
    "continued-ruled": _check_continued, "continued-borderless": _check_continued,
    "horizontal-rules": _check_horizontal, "rotated-page": _check_rotated, "numbered-headings": _check_numbered,
    "narrative-blocks": _check_narrative, "milestone-boxes": _check_boxes, "checkbox-status": _check_checkbox,
    "completion-grid": _check_grid, "text-hygiene": _check_hygiene,
    **{f.id: _check_not_plan for f in FAMILIES if f.id.startswith("not-plan-")},
    "exception-report": _check_exception,
}


def test_every_family_has_a_layout_check() -> None:
    assert set(CHECKS) == set(BY_ID)


@pytest.mark.parametrize("family", list(BY_ID))
def test_family_layout(family_set: Any, family: str) -> None:
    family_set.gold(family)  # skips a family this machine cannot generate
    CHECKS[family](family_set, family)


def test_corpus_holds_the_same_family_documents(family_set: Any) -> None:
    """corpus/ carries a few families (CORPUS_FAMILIES) for `make run`: the same bytes as generated here."""
    from tests.synth.families import CORPUS_FAMILIES

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    for family in CORPUS_FAMILIES:
        g = family_set.gold(family)
        for name in g["files"]:
            assert (corpus / name).read_bytes() == (family_set.docs / name).read_bytes(), name
