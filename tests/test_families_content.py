"""Families decided by content: a draft and the final of one plan belong together (and in that order), the
previous plan of the same programme does not join them, and a mapping file overrides the grouping.

The documents are made here with the synthetic generator's model and DOCX renderer (tests/synth) and read
by the real pipeline: file names that say nothing, titles that differ in their edition words, a plan period
written two ways."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor.model import Action as RecAction
from extractor.model import DocumentResult
from extractor.output.diffs import write_families
from extractor.pipeline import process_file
from extractor.versions.families import FamilyMapError, _doc, compare, find_families, load_family_map
from tests.synth.model import Action, ActionTable, Column, Doc, Due, GroupRow, Heading, Para, Text, cover
from tests.synth.render_docx import render_docx

ORG = "Department for Rural Affairs"

COMMON = [
    ("Publish an inventory of all datasets held by the department and its agencies", "Head of Data", "2014-03-31"),
    ("Release the farm payments dataset under the Open Government Licence", "Payments Director", "2013-12-31"),
    ("Set up a data user panel with representatives of farming and conservation bodies", "CIO", "2014-01-31"),
    ("Agree quality standards for published spreadsheets with each agency", "Head of Data", "2014-06-30"),
    ("Publish monthly spending over 25,000 pounds within one month of the end of each month", "Finance Director",
     "2014-03-31"),
    ("Train information asset owners in the handling of personal data before release", "SIRO", "2014-02-28"),
    ("Map the department's datasets to the national information infrastructure", "CIO", "2014-09-30"),
    ("Report progress on this strategy to the Transparency Board every six months", "Head of Data", "2014-03-31"),
]
OLD_PLAN = [
    ("Publish the organisation chart and senior salaries every six months", "HR Director", "2012-09-30"),
    ("Release the first tranche of environmental monitoring data", "Chief Scientist", "2012-12-31"),
    ("Set up the departmental transparency panel", "Head of Data", "2012-10-31"),
    ("Publish contracts over 10,000 pounds on Contracts Finder", "Commercial Director", "2013-03-31"),
    ("Publish an inventory of all datasets held by the department and its agencies", "Head of Data", "2013-03-31"),
    ("Review the charging policy for environmental datasets", "Finance Director", "2013-03-31"),
]


def _plan(doc_id: str, title: str, subtitle: str, date_text: str, iso: str, items) -> Doc:
    doc = Doc(doc_id, title, ORG, "", iso, f"{ORG} | Open data")
    cover(doc, [(ORG, 20, True), (title, 18, True), (subtitle, 13, False), (f"Date: {date_text}", 12, False)])
    doc.add(Heading("Our commitments"),
            Text("The table lists each commitment with its owner, the date it is due and its current status."))
    rows = [GroupRow("Commitments")]
    for text, owner, due in items:
        y, m, _ = due.split("-")
        rows.append(Action(ref="", text=[Para(text)], section="Commitments", owner=owner,
                           due=Due((f"{int(m):02d}/{y}",), due), status="not_started", status_text="Not started"))
    doc.add(ActionTable([Column("Commitment", 3.0, "text"), Column("Owner", 1.3, "owner"),
                         Column("Due", 0.9, "due"), Column("Status", 1.0, "status")], rows, rag_style="word"))
    return doc


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, DocumentResult]:
    folder = tmp_path_factory.mktemp("plans")
    reworded = list(COMMON)
    reworded[2] = ("Set up a data user panel with farming and conservation bodies", "CIO", "2014-01-31")
    plans = {
        # the previous plan of the programme: same organisation, same name, another period
        "ods-2012.docx": _plan("ods-2012", "Open Data Strategy 2012-14", "Version 1.0", "June 2012", "2012-06-30",
                               OLD_PLAN),
        # this year's draft: the period written another way, "draft" and "for consultation" in the title
        "consultation-copy.docx": _plan("consultation-copy", "DRAFT Open Data Strategy 2013\u20132015",
                                        "For consultation", "October 2013", "2013-10-31", COMMON[:7]),
        # and its final: one commitment reworded, one added
        "ods-final-web.docx": _plan("ods-final-web", "Open Data Strategy 2013-15", "Published December 2013",
                                    "December 2013", "2013-12-31", reworded),
    }
    out = {}
    for name, doc in plans.items():
        render_docx(doc, folder / name)
        out[name] = process_file(str(folder / name))
    return out


def test_the_pipeline_reads_the_plans(documents):
    for name, r in documents.items():
        assert r.status == "ok" and r.n_actions >= 6, (name, r.status, r.error, r.n_actions)
        assert r.organisation == ORG, (name, r.organisation)


def test_draft_and_final_are_one_family_the_previous_plan_is_not(documents, tmp_path):
    results = list(documents.values())
    fams = find_families(results)
    assert len(fams) == 1, [[d.doc_id for d in f.members] for f in fams]
    fam = fams[0]
    by_name = {Path(r.path).name: r for r in results}
    assert [v[0].doc_id for v in fam.versions] == [by_name["consultation-copy.docx"].doc_id,
                                                    by_name["ods-final-web.docx"].doc_id]
    draft = by_name["consultation-copy.docx"].doc_id
    assert fam.editions[draft] == "draft"
    link = fam.links[by_name["ods-final-web.docx"].doc_id]
    assert link.same and link.score >= 0.8 and "carried over" in link.evidence
    old = compare(_doc(by_name["ods-2012.docx"]), _doc(by_name["ods-final-web.docx"]))
    assert not old.same and "periods 2012-2014 / 2013-2015" in old.evidence, old

    write_families(results, tmp_path)
    with open(tmp_path / "families.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["doc_id"], r["position"], r["edition"]) for r in rows] == [
        (draft, "0", "draft"), (by_name["ods-final-web.docx"].doc_id, "1", "final")]  # "final" in its file name
    assert float(rows[1]["score"]) >= 0.8 and "title 100" in rows[1]["evidence"]
    diff_dir = tmp_path / rows[1]["diff"]
    with open(diff_dir / "crosswalk.csv", newline="", encoding="utf-8") as fh:
        xw = list(csv.DictReader(fh))
    assert sum(r["match"] == "matched" for r in xw) == 7 and sum(r["match"] == "added" for r in xw) == 1


def test_a_mapping_file_overrides_the_grouping(documents, tmp_path):
    results = list(documents.values())
    by_name = {Path(r.path).name: r for r in results}
    mapping = tmp_path / "families.csv"
    mapping.write_text("document,family,position\n"
                       "ods-2012.docx,open-data-strategy,0\n"
                       "ods-final-web,open-data-strategy,1\n"
                       "consultation-copy.docx,-,\n", encoding="utf-8")
    fams = find_families(results, load_family_map(str(mapping)))
    assert len(fams) == 1 and fams[0].family_id == "open-data-strategy"
    assert [v[0].doc_id for v in fams[0].versions] == [by_name["ods-2012.docx"].doc_id,
                                                        by_name["ods-final-web.docx"].doc_id]
    assert fams[0].links[by_name["ods-2012.docx"].doc_id].evidence == "mapping file"


def test_a_bad_mapping_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "map.csv"
    bad.write_text("file,group\na.pdf,x\n", encoding="utf-8")
    with pytest.raises(FamilyMapError, match="'document' and 'family'"):
        load_family_map(str(bad))
    bad.write_text("document,family,position\na.pdf,x,first\n", encoding="utf-8")
    with pytest.raises(FamilyMapError, match="line 2"):
        load_family_map(str(bad))
    with pytest.raises(FamilyMapError, match="cannot read"):
        load_family_map(str(tmp_path / "missing.csv"))


def _result(stem: str, title: str, org: str, texts: list[str], date: str = "") -> DocumentResult:
    doc_id = f"{stem}-pdf"
    acts = [RecAction(doc_id=doc_id, action_id=f"{doc_id}-a{k:04d}", text=t) for k, t in enumerate(texts, 1)]
    return DocumentResult(doc_id=doc_id, path=f"/in/{stem}.pdf", sha256=f"sha-{stem}", format="pdf", title=title,
                          organisation=org, doc_date=date, actions=acts)


def test_an_action_log_whose_items_turn_over_stays_one_family():
    """Meeting logs keep their name and organisation while most items change: names decide, not overlap."""
    a = _result("log-a", "ODUG Action Log \u2013 12th March 2013", "ODUG", [c[0] for c in COMMON[:4]], "2013-03-12")
    b = _result("log-b", "ODUG Action Log \u2013 9 April 2013", "ODUG", [c[0] for c in OLD_PLAN[:4]], "2013-04-09")
    fams = find_families([b, a])
    assert [[d.doc_id for d in v] for v in fams[0].versions] == [["log-a-pdf"], ["log-b-pdf"]]
    assert "0% of actions carried over" in fams[0].links["log-b-pdf"].evidence


def test_different_organisations_need_nearly_all_actions_to_be_one_plan():
    """Two departments' strategies of one name with a few common commitments are two plans; a cover misread
    (another organisation read off the page) does not split a plan whose actions all carry over."""
    texts = [c[0] for c in COMMON]
    dwp = _result("dwp-ods", "Open Data Strategy", "Department for Work and Pensions", texts)
    defra = _result("defra-ods", "Open Data Strategy", "Department for Environment",
                    texts[:3] + [c[0] for c in OLD_PLAN])
    link = compare(_doc(dwp), _doc(defra))
    assert not link.same and link.evidence.startswith("different organisations")
    misread = _result("dwp-ods-v2", "Open Data Strategy", "the Department for Transport to organise and", texts)
    link = compare(_doc(dwp), _doc(misread))
    assert link.same and "100% of actions carried over" in link.evidence
    unrelated = _result("dwp-other", "Digital Strategy", "Department for Environment", texts)
    assert compare(_doc(dwp), _doc(unrelated)).evidence.startswith("different organisations")


def test_one_date_on_two_covers_does_not_make_two_logs_one_version():
    """Two meetings' logs whose covers were read with one date: their action lists differ, so they are two
    versions, not two renderings of one."""
    texts = [c[0] for c in COMMON]
    may = _result("board-log-2011-05", "Board Action Log", "Transparency Board", texts[:5], "2011-07-15")
    june = _result("board-log-2011-06", "Board Action Log", "Transparency Board", texts, "2011-07-15")
    fams = find_families([june, may])
    assert [[d.doc_id for d in v] for v in fams[0].versions] == [["board-log-2011-05-pdf"], ["board-log-2011-06-pdf"]]
    pdf_and_copy = _result("board-log-2011-06-copy", "Board Action Log", "Transparency Board", texts, "2011-07-15")
    fams = find_families([june, pdf_and_copy])
    assert fams == []  # one version in two files is no family


def test_an_organisation_read_from_a_cover_without_a_title_decides_nothing():
    """Two logs whose covers gave no title and an action's words as 'organisation': the file names and the
    actions carried over decide."""
    texts = [c[0] for c in COMMON]
    march = _result("odug-action-log-2013-03", "", "Incorporate Group comments to draft response", texts[:6])
    april = _result("odug-action-log-2013-04", "", "Meet with the Environment Agency about flooding", texts[2:])
    link = compare(_doc(march), _doc(april))
    assert link.same and "organisations not compared" in link.evidence, link
    titled = _result("odug-action-log-2013-05", "ODUG Action Log", "Department for Transport", texts[:5])
    other = _result("odug-action-log-2013-06", "ODUG Action Log", "Cabinet Office", texts[2:])
    assert not compare(_doc(titled), _doc(other)).same  # both covers read: the organisations count


def test_a_log_whose_items_mostly_turn_over_is_held_by_its_name_and_a_few_carried_actions():
    """No title or organisation read, the same file name, and only a few actions carried over (most items of a
    meeting log turn over): several near-identical actions back the name; one or two (a routine item any
    committee has) do not, nor does the name alone."""
    texts = [c[0] for c in COMMON] + [c[0] for c in OLD_PLAN]
    may = _result("board-action-log-2013-05", "", "", texts[:12], "2013-05-14")
    new_items = [f"{verb} the {thing} for the {who}" for verb, thing, who in zip(
        ["Draft", "Circulate", "Commission", "Schedule", "Summarise", "Invite", "Cost", "Scope", "Test", "Brief"],
        ["terms of reference", "survey results", "user research", "launch event", "consultation replies",
         "guest speakers", "hosting options", "licensing review", "new portal", "press office"],
        ["September meeting", "members", "autumn", "ministers", "steering group", "next session", "board",
         "working group", "pilot users", "launch"])]
    july = _result("board-action-log-2013-07", "", "", texts[9:12] + new_items, "2013-07-19")
    link = compare(_doc(may), _doc(july))
    assert link.same and "3 of the shorter one's 12 actions in the other" in link.evidence, link
    fams = find_families([july, may])
    assert [[d.doc_id for d in v] for v in fams[0].versions] == [["board-action-log-2013-05-pdf"],
                                                               ["board-action-log-2013-07-pdf"]]
    two = _result("board-action-log-2013-09", "", "", texts[10:12] + new_items)
    assert not compare(_doc(may), _doc(two)).same
    other_name = _result("audit-log-2013-07", "", "", texts[9:12] + new_items)
    assert not compare(_doc(may), _doc(other_name)).same
