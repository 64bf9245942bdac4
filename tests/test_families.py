"""Version families in a batch: grouping, ordering, one rendering per version, the diffs and families.csv."""
from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from extractor.model import Action, DocumentResult
from extractor.output import schema
from extractor.output.diffs import write_families
from extractor.versions.families import (
    _doc,
    compare,
    find_families,
    norm_stem,
    norm_title,
    pick_renderings,
    stem_version,
    version_key,
)
from tests.paths import SAMPLE_DOCS, absent

FAMILY_COLUMNS = schema.columns("families")

CP_ORG = "NHS Castle Point and Rochford CCG"
CP_TITLE = "Organisational Development Strategy and Action Plan 2018-21"
MB_ORG = "Millbrook Borough Council"
MB_TITLE = "Children's Services Improvement Plan"

TEXTS = [
    "Induction programme in place for all new Governing Body members",
    "Personal development plan in place for each Governing Body member",
    "Review of GP portfolios to focus on delivery of the commissioning priorities",
    "Recruitment tracker monitored on a weekly basis by the HR business partner",
    "Refresh organisational values, describing the behaviours expected of staff",
]


def actions(doc_id: str, statuses: list[str], texts: list[str] = TEXTS) -> list[Action]:
    return [Action(doc_id=doc_id, action_id=f"{doc_id}-a{k + 1:04d}", ref=f"{k + 1}", ref_norm=f"{k + 1}",
                   text=t, status=s) for k, (t, s) in enumerate(zip(texts, statuses))]


# another plan's actions (different plans do not share their action lists)
OTHER_TEXTS = [
    "Publish the corporate peer challenge report and the response to it on the council website",
    "Hold quarterly member briefings on the progress of the medium term financial strategy",
    "Commission an independent review of the scrutiny function and its terms of reference",
    "Introduce a single customer contact centre for revenues, benefits and housing enquiries",
    "Agree a new performance management framework with the cabinet and the senior leadership team",
]


def doc(stem: str, fmt: str = "pdf", title: str = CP_TITLE, org: str = CP_ORG, version: str = "", date: str = "",
        status: str = "ok", statuses: tuple[str, ...] = ("in_progress",) * 5,
        texts: list[str] = TEXTS) -> DocumentResult:
    doc_id = f"{stem}-{fmt}"
    return DocumentResult(doc_id=doc_id, path=f"/in/{stem}.{fmt}", sha256=f"sha-{doc_id}", format=fmt, title=title,
                          organisation=org, version=version, doc_date=date, status=status,
                          actions=actions(doc_id, list(statuses), texts))


def batch() -> list[DocumentResult]:
    return [
        # castlepoint: three versions, 4.0 as a PDF and a DOCX; numeric-aware order 3.2 < 3.16 < 4.0
        doc("cp-plan-v4", "pdf", version="4.0", date="2020-01-31",
            statuses=("completed", "completed", "completed", "in_progress", "in_progress")),
        doc("cp-plan-v4", "docx", version="4.0", date="2020-01-31",
            statuses=("completed", "completed", "completed", "in_progress", "in_progress")),
        doc("cp-plan-3-2", "pdf", title="Organisational Development Strategy and Action Plan 2018-21 Version 3.2",
            version="3.2", date="2019-03-31", statuses=("in_progress",) * 5),
        doc("cp-plan-3-16", "pdf", title="ORGANISATIONAL DEVELOPMENT STRATEGY & ACTION PLAN (June 2019)",
            version="3.16", date="2019-06-30", statuses=("completed",) + ("in_progress",) * 4),
        # same plan name, another organisation: not in castlepoint's family, and alone
        doc("other-od-plan", "pdf", org="NHS Southend CCG", version="2.0", texts=OTHER_TEXTS),
        # millbrook: no version labels, the date orders them; given newest first
        doc("mb-plan-oct", "pdf", title=MB_TITLE, org=MB_ORG, date="2021-10-04"),
        doc("mb-plan-jul", "pdf", title=MB_TITLE, org=MB_ORG, date="2021-07-05"),
        # millbrook's other plan, one version as PDF and DOCX: no family
        doc("mb-peer", "pdf", title="Corporate Peer Challenge Improvement Plan", org=MB_ORG, version="2.1",
            texts=OTHER_TEXTS),
        doc("mb-peer", "docx", title="Corporate Peer Challenge Improvement Plan", org=MB_ORG, version="2.1",
            texts=OTHER_TEXTS),
        # a failed file of the castlepoint plan takes no part
        doc("cp-plan-v5", "pdf", version="5.0", status="failed"),
        # unrelated single document
        doc("lowmere-workforce", "docx", title="Workforce and OD Plan 2021/22", org="NHS Lowmere CCG", version="0.7"),
    ]


def read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- helpers


def test_version_key_is_numeric_aware():
    assert version_key("4.0") > version_key("3.16") > version_key("3.2")
    assert version_key("3.16") == ((0, 3), (0, 16))
    assert version_key("4") == version_key("4.0") == version_key("V4") == version_key("Version 4.0")
    assert version_key("10") > version_key("9.9")
    assert version_key("2a") > version_key("2")
    assert version_key("") == ()
    versions = ["4.0", "3.2", "10", "3.16", "0.4", "3.2.1"]
    assert sorted(versions, key=version_key) == ["0.4", "3.2", "3.2.1", "3.16", "4.0", "10"]


def test_title_and_stem_lose_their_edition():
    assert norm_title("Organisational Development Strategy and Action Plan 2018-21") == \
        norm_title("Organisational Development Strategy & Action Plan – Version 4.0 (January 2020)")
    assert norm_title("Quality Improvement Plan 2022–2024 (draft)") == "quality improvement plan"
    assert norm_stem("castlepoint-od-strategy-v3") == norm_stem("castlepoint-od-strategy-v4.docx") == \
        "castlepoint od strategy"
    assert norm_stem("Plan_2019-06.pdf") == norm_stem("Plan Version 4.docx") == norm_stem("plan-v3.1.pdf") == "plan"
    assert norm_stem("covid-19 recovery plan.pdf") == "covid 19 recovery plan"
    assert stem_version("plan-v3.1.pdf") == "3.1" and stem_version("Plan Version 4.docx") == "4"
    assert stem_version("covid-19 recovery plan.pdf") == ""


def same_plan(a, b) -> bool:
    return compare(a, b).same


def test_same_plan_falls_back_to_the_stem_when_metadata_is_missing():
    a = _doc(doc("harbour-quality-plan-v1", title="", org=""))
    b = _doc(doc("harbour-quality-plan-v2", title="", org=""))
    c = _doc(doc("eastmoor-improvement-plan-v2", title="", org=""))
    assert same_plan(a, b) and not same_plan(a, c)
    # a generic title with no organisation is not enough: the stems must agree too
    d = _doc(doc("alpha-trust-plan", title="Action Plan", org=""))
    e = _doc(doc("beta-council-plan", title="Action Plan", org="", texts=OTHER_TEXTS))
    assert not same_plan(d, e)
    # one side without an organisation: the stem decides that half
    f = _doc(doc("cp-plan-v2", org=""))
    g = _doc(doc("cp-plan-v3"))
    assert same_plan(f, g)


# --------------------------------------------------------------------------- families


def test_families_grouped_and_ordered():
    results = batch()
    random.Random(7).shuffle(results)
    fams = find_families(results)
    by_first = {f.versions[0][0].doc_id: f for f in fams}
    assert len(fams) == 2, [[d.doc_id for d in f.members] for f in fams]

    cp = by_first["cp-plan-3-2-pdf"]
    assert [[d.doc_id for d in v] for v in cp.versions] == [
        ["cp-plan-3-2-pdf"], ["cp-plan-3-16-pdf"], ["cp-plan-v4-docx", "cp-plan-v4-pdf"]]
    assert cp.position("cp-plan-v4-pdf") == cp.position("cp-plan-v4-docx") == 2
    assert cp.organisation == CP_ORG

    mb = by_first["mb-plan-jul-pdf"]
    assert [[d.doc_id for d in v] for v in mb.versions] == [["mb-plan-jul-pdf"], ["mb-plan-oct-pdf"]]

    in_family = {d.doc_id for f in fams for d in f.members}
    for single in ("other-od-plan-pdf", "mb-peer-pdf", "mb-peer-docx", "lowmere-workforce-docx", "cp-plan-v5-pdf"):
        assert single not in in_family
    assert len({f.family_id for f in fams}) == 2


def test_partial_documents_take_part_failed_ones_do_not():
    a = doc("cp-plan-v1", version="1.0", status="partial")
    b = doc("cp-plan-v2", version="2.0")
    c = doc("cp-plan-v3", version="3.0", status="needs_ocr")
    fams = find_families([a, b, c])
    assert [[d.doc_id for d in v] for v in fams[0].versions] == [["cp-plan-v1-pdf"], ["cp-plan-v2-pdf"]]


def test_order_falls_back_to_stem_version_then_date_then_name():
    # no labels on the cover: the stem's v-number orders them (v10 after v9)
    fams = find_families([doc("plan-v10", title="", org=""), doc("plan-v9", title="", org=""),
                          doc("plan-v2", title="", org="")])
    assert [v[0].doc_id for v in fams[0].versions] == ["plan-v2-pdf", "plan-v9-pdf", "plan-v10-pdf"]
    # equal versions but different dates are two versions, ordered by date
    fams = find_families([doc("cp-b", version="3.0", date="2019-09-30"), doc("cp-a", version="3.0", date="2019-06-30")])
    assert [v[0].doc_id for v in fams[0].versions] == ["cp-a-pdf", "cp-b-pdf"]


def test_one_rendering_per_side_same_format_preferred():
    old_pdf, old_docx = doc("p-v1", "pdf", version="1"), doc("p-v1", "docx", version="1")
    new_pdf, new_docx = doc("p-v2", "pdf", version="2"), doc("p-v2", "docx", version="2")
    assert pick_renderings([old_pdf], [new_docx, new_pdf]) == (old_pdf, new_pdf)
    assert pick_renderings([old_docx, old_pdf], [new_pdf]) == (old_pdf, new_pdf)
    assert pick_renderings([old_pdf, old_docx], [new_pdf, new_docx]) == (old_docx, new_docx)
    # a rendering that yielded no actions is not diffed when the other one did
    empty_docx = doc("p-v2", "docx", version="2")
    empty_docx.actions = []
    assert pick_renderings([old_pdf, old_docx], [empty_docx, new_pdf]) == (old_pdf, new_pdf)
    assert pick_renderings([old_docx], [empty_docx, new_pdf]) == (old_docx, new_pdf)
    # different formats only when nothing else exists
    assert pick_renderings([old_docx], [new_pdf]) == (old_docx, new_pdf)


def test_write_families_writes_csv_and_consecutive_diffs(tmp_path):
    fams = write_families(batch(), tmp_path)
    rows = read_csv(tmp_path / "families.csv")
    assert list(rows[0]) == FAMILY_COLUMNS
    cp_id = next(f.family_id for f in fams if f.organisation == CP_ORG)
    cp_rows = [r for r in rows if r["family_id"] == cp_id]
    assert [(r["doc_id"], r["position"]) for r in cp_rows] == [
        ("cp-plan-3-2-pdf", "0"), ("cp-plan-3-16-pdf", "1"), ("cp-plan-v4-docx", "2"), ("cp-plan-v4-pdf", "2")]
    assert cp_rows[2]["version"] == "4.0" and cp_rows[2]["doc_date"] == "2020-01-31"
    assert cp_rows[2]["n_actions"] == "5" and cp_rows[2]["path"] == "/in/cp-plan-v4.docx"
    assert cp_rows[0]["organisation"] == CP_ORG and cp_rows[0]["title"].startswith("Organisational")
    assert {r["doc_id"] for r in rows} == {d.doc_id for f in fams for d in f.members}
    assert len(rows) == 6  # four castlepoint renderings, two millbrook versions

    # consecutive versions only, one rendering each: 3.16 (pdf only) -> 4.0 pdf (same format)
    cp = next(f for f in fams if f.family_id == cp_id)
    assert [(d.old.doc_id, d.new.doc_id) for d in cp.diffs] == [
        ("cp-plan-3-2-pdf", "cp-plan-3-16-pdf"), ("cp-plan-3-16-pdf", "cp-plan-v4-pdf")]
    diffs_dir = tmp_path / "diffs" / cp_id
    assert sorted(p.name for p in diffs_dir.iterdir()) == ["cp-plan-3-16-pdf__cp-plan-v4-pdf",
                                                           "cp-plan-3-2-pdf__cp-plan-3-16-pdf", "timeline.html"]
    for d in cp.diffs:
        assert cp_rows[[r["doc_id"] for r in cp_rows].index(d.new.doc_id)]["diff"] == d.folder
        assert {p.name for p in (tmp_path / d.folder).iterdir()} == {"crosswalk.csv", "changes.csv", "report.html"}
    assert cp_rows[0]["diff"] == "" and cp_rows[2]["diff"] == ""  # the docx of 4.0 was not diffed

    second = tmp_path / cp.diffs[1].folder
    xw = read_csv(second / "crosswalk.csv")
    assert len(xw) == 5 and {r["match"] for r in xw} == {"matched"}
    changes = read_csv(second / "changes.csv")
    assert sorted((c["old_ref"], c["field"], c["from"], c["to"]) for c in changes) == [
        ("2", "status", "in_progress", "completed"), ("3", "status", "in_progress", "completed")]
    assert "3.16" in (second / "report.html").read_text(encoding="utf-8")

    mb = next(f for f in fams if f.organisation == MB_ORG)
    assert [(d.old.doc_id, d.new.doc_id) for d in mb.diffs] == [("mb-plan-jul-pdf", "mb-plan-oct-pdf")]
    assert not (tmp_path / "diffs" / "other-od-plan").exists()
    assert not list(tmp_path.glob("**/*.tmp"))


def test_no_family_for_single_documents(tmp_path):
    singles = [doc("a-plan", title="Alpha Plan", org="Alpha Trust"), doc("b-plan", title="Beta Plan", org="Beta Trust"),
               doc("c-plan", "pdf", title="Gamma Plan", org="Gamma Trust", version="1"),
               doc("c-plan", "docx", title="Gamma Plan", org="Gamma Trust", version="1")]
    assert write_families(singles, tmp_path) == []
    assert (tmp_path / "families.csv").read_text(encoding="utf-8") == ",".join(FAMILY_COLUMNS) + "\n"
    assert not (tmp_path / "diffs").exists()
    assert write_families([], tmp_path / "empty") == []


def test_a_failing_diff_leaves_the_others(tmp_path, monkeypatch, caplog):
    import extractor.output.diffs as families

    real = families.reconcile

    def flaky(old, new):
        if old and old[0].doc_id == "cp-plan-3-2-pdf":
            raise ValueError("boom")
        return real(old, new)

    monkeypatch.setattr(families, "reconcile", flaky)
    fams = write_families(batch(), tmp_path)
    cp = next(f for f in fams if f.organisation == CP_ORG)
    assert [(d.old.doc_id, d.new.doc_id) for d in cp.diffs] == [("cp-plan-3-16-pdf", "cp-plan-v4-pdf")]
    assert "boom" in caplog.text
    rows = {r["doc_id"]: r for r in read_csv(tmp_path / "families.csv")}
    assert rows["cp-plan-3-16-pdf"]["diff"] == "" and rows["cp-plan-v4-pdf"]["diff"] == cp.diffs[0].folder
    assert not (tmp_path / "diffs" / cp.family_id / "cp-plan-3-2-pdf__cp-plan-3-16-pdf").exists()


# --------------------------------------------------------------------------- shared samples


def test_castlepoint_v3_v4_pdf_form_one_family(tmp_path, parsed):
    names = ["castlepoint-od-strategy-v4.pdf", "castlepoint-od-strategy-v3.pdf"]
    if not all((SAMPLE_DOCS / n).is_file() for n in names):
        pytest.skip(absent(SAMPLE_DOCS))
    results = [parsed(SAMPLE_DOCS / n) for n in names]  # parsed once per session (test_end_to_end reads them too)
    assert all(r.status in ("ok", "partial") for r in results), [(r.status, r.error) for r in results]
    fams = write_families(results, tmp_path)
    assert len(fams) == 1
    fam = fams[0]
    assert [[d.doc_id for d in v] for v in fam.versions] == [["castlepoint-od-strategy-v3-pdf"],
                                                             ["castlepoint-od-strategy-v4-pdf"]]
    rows = read_csv(tmp_path / "families.csv")
    assert [(r["doc_id"], r["position"]) for r in rows] == [("castlepoint-od-strategy-v3-pdf", "0"),
                                                           ("castlepoint-od-strategy-v4-pdf", "1")]
    folder = tmp_path / "diffs" / fam.family_id / "castlepoint-od-strategy-v3-pdf__castlepoint-od-strategy-v4-pdf"
    assert rows[1]["diff"] == folder.relative_to(tmp_path).as_posix()
    xw = read_csv(folder / "crosswalk.csv")
    counts = {k: sum(1 for r in xw if r["match"] == k) for k in ("matched", "added", "removed")}
    # gold: 44 matched, 20 added, 2 removed; allow a little slack for extraction
    assert abs(counts["matched"] - 44) <= 2 and abs(counts["added"] - 20) <= 2 and abs(counts["removed"] - 2) <= 2
    assert (folder / "report.html").is_file() and (folder / "changes.csv").is_file()
