"""Objectives decided from evidence (extractor/text/objectives.py, reading.py, candidates.py): what is NOT an
objective (the numbered paragraphs, decisions, options, resolutions, principles, questions and footnotes of an
ordinary report), the statement under a bare "Commitment 3", the paper type, the evidence each objective carries;
then a negative control (a synthetic committee report), the PDF and the DOCX of one document giving the same
objectives, and the real documents of the developed part (skipped without ../shared)."""
from __future__ import annotations

import functools
import json
import random
import re
from pathlib import Path

import pytest

from extractor.ingest import read
from extractor.model import Block, LayoutDocument, Page
from extractor.pipeline import process_file, read_layout
from extractor.text.objectives import explain, extract_objectives, judge_objectives
from tests.conftest import load_gold
from tests.paths import CORPUS, REALWORLD, ROOT, SAMPLE_DOCS, absent
from tests.scoring import f1, match


def B(text: str, kind: str = "paragraph", label: str = "", level: int = 0, size: float = 11.0, page: int = 1,
      bbox=None) -> Block:
    return Block(kind=kind, text=text, page=page, level=level, list_label=label, font_size=size, bbox=bbox)


def H(text: str, level: int = 1, page: int = 1) -> Block:
    return Block(kind="heading", text=text, page=page, level=level, bold=True, font_size=14.0)


def doc(*items, fmt: str = "docx") -> LayoutDocument:
    return LayoutDocument(path=f"x.{fmt}", format=fmt, pages=[Page(n, 595, 842) for n in (1, 2, 3)], items=list(items))


def judged(*items, plan: bool = True, fmt: str = "docx"):
    return judge_objectives(doc(*items, fmt=fmt), "d", has_action_plan=plan)


def texts(judgement) -> list[str]:
    return [o.text for o in judgement.objectives]


def why(judgement, start: str) -> str:
    return next(c.reason for c in judgement.candidates if c.text.startswith(start))


# --------------------------------------------------------------------------- what an ordinary report holds

def test_numbered_paragraphs_of_a_report_are_not_objectives():
    j = judged(H("1. Purpose of the report"),
               B("1.1 To present the Committee with the annual review of the risk framework."),
               B("1.2 To update members on the work of internal audit."),
               H("3. Background"),
               B("3.2 To consider the options, officers met every directorate."),
               H("4. Options appraisal"),
               B("4.1 Option 1: Retain the current framework. This is not recommended."),
               B("4.2 Option 2: Adopt the revised policy."))
    assert texts(j) == []
    assert "decision" in why(j, "To present") and "Option 1" in why(j, "Option 1")


def test_recommendations_and_resolutions_are_not_objectives():
    j = judged(H("2. Recommendations"), B("2.1 The Committee is asked to:"),
               B("note the annual review;", "list_item", label="(a)"),
               B("approve the revised policy at Appendix A;", "list_item", label="(b)"),
               B("consider whether further assurance is needed.", "list_item", label="(c)"),
               H("8. Resolution"), B("RESOLVED:"),
               B("(a) that the report be received;", "list_item"),
               B("(b) that the revised policy be approved.", "list_item"))
    assert texts(j) == []
    assert "asked to" in why(j, "consider whether")
    assert "that the report be received" in why(j, "that the report")


def test_a_report_of_what_was_done_is_not_a_list_of_objectives():
    """Numbered paragraphs of a progress report: a commitment in a later sentence does not make them objectives."""
    j = judged(H("Departmental progress"),
               B("1. DCMS published statistics from the survey. It will publish more next year.", "list_item"),
               B("2. DECC has met all of its commitments and will continue to monitor progress.", "list_item"),
               B("3. HMRC reported that its data were released on time. Two more datasets follow.", "list_item"),
               B("4. The Home Office continues to work with the Institute on the immersion programme.",
                 "list_item"))
    assert texts(j) == []
    assert "report what was done" in why(j, "DCMS")


@pytest.mark.parametrize("heading, intro", [
    ("Annex A: Public Data Principles", ""),
    ("Consultation", "We would welcome your views on the following:"),
    ("Eligibility criteria", ""),
])
def test_lists_named_as_something_else_are_not_objectives(heading, intro):
    items = [H(heading)] + ([B(intro)] if intro else []) + [
        B("1. Public data will be published in reusable, machine-readable form.", "list_item"),
        B("2. Public data will be released under the same open licence.", "list_item"),
        B("3. Release data quickly, and then work to make sure that it is open.", "list_item")]
    j = judged(*items)
    assert texts(j) == []
    assert "other than objectives" in why(j, "Public data will be published")


def test_a_short_outcome_statement_is_not_a_report():
    j = judged(H("Our ambitions"), B("1. Staff engaged, valued and well led.", "list_item"),
               B("2. Services integrated around the patient.", "list_item"),
               B("3. Deliver a balanced budget every year.", "list_item"))
    assert not any(c.reading.narrates for c in j.candidates)


def test_a_label_repeated_as_a_running_head_names_one_statement():
    j = judged(H("Commitment 3"), B("The Council will publish its spending data every month."),
               B("Context and background of the commitment."),
               H("Commitment 3", page=2), B("The Council will also report on the data it holds.", page=2))
    assert texts(j) == ["The Council will publish its spending data every month."]


def test_questions_and_footnotes_are_not_objectives():
    j = judged(H("Our plan"),
               B("1. Will the new service improve access for rural patients?", "list_item"),
               B("2. How will we measure success?", "list_item"),
               B("Improve access to services for everyone.", "list_item", label="3)", size=11),
               B("4) See the Board paper of 14 March 2023, which will be published online.", "list_item", size=7.5),
               B("The plan will be reviewed annually. It sets out how the Trust will improve care for patients and "
                 "their families over the next three years, with partners across the county."))
    assert why(j, "Will the new service") == "a question"
    assert why(j, "See the Board paper") == "a footnote (small type)"


def test_a_modal_without_a_subject_commits_nothing():
    j = judged(B("(1) Will not affect intrastate aviation in Alaska", "list_item"),
               B("(2) Will not have a significant effect on small entities", "list_item"), plan=False)
    assert texts(j) == []


# --------------------------------------------------------------------------- named statements

def test_statement_under_a_bare_commitment_label():
    j = judged(H("Open data"), H("Commitment 1", level=2),
               B("The UK government will continue to develop an inventory of all the datasets it owns."),
               B("Supporting civil society organisations"), B("Open Knowledge Foundation"),
               H("Commitment 2", level=2),
               B("The UK government will:"),
               B("publish all new legislation on legislation.gov.uk", "list_item", label="•"),
               B("make legislative data available in an open format", "list_item", label="•"),
               B("Vision and impact"),
               H("Commitment 3", level=2), B("Background to the commitment and its context in the wider world."),
               plan=False)
    assert [(o.ref, o.kind, o.text) for o in j.objectives] == [
        ("Commitment 1", "priority", "The UK government will continue to develop an inventory of all the datasets "
                                     "it owns."),
        ("Commitment 2", "priority", "The UK government will: publish all new legislation on legislation.gov.uk "
                                     "make legislative data available in an open format")]
    assert j.objectives[0].section == "Open data"
    assert j.objectives[0].evidence == "the statement under the label 'Commitment 1'; commits: 'will'"
    assert "does not read as a commitment" in why(j, "Background to the commitment")
    assert not j.paper.strict  # a named objective makes an objectives section


def test_paragraph_numbered_statements_under_the_papers_aims():
    """A plan that numbers its aims as paragraphs: "3.1 A workforce that ..." under "3. Our aims"."""
    j = judged(H("3. Our aims"), B("3.1 High quality services for every resident, wherever they live."),
               B("3.2 A workforce that is skilled, valued and sustainable."),
               H("4. Recommendations"), B("4.1 The Board notes the progress made since the last report."),
               plan=False)
    assert texts(j) == ["High quality services for every resident, wherever they live.",
                        "A workforce that is skilled, valued and sustainable."]
    assert "names the paper's objectives" in j.objectives[0].evidence
    assert why(j, "The Board notes") == "a numbered paragraph that does not open with a verb"


def test_numbered_blocks_with_lead_and_date_lines_are_actions_not_objectives():
    """A plan written without tables: "Objective 1: ..." with its own Responsible: / By when: lines is an action
    (the table stage takes it); an "Aim:" with a Lead: line only is still an objective."""
    j = judged(H("Delivery commitments"),
               B("Objective 1: Agree a data sharing protocol with the emergency services"),
               B("Responsible: Head of Data"), B("By when: June 2021"),
               B("Objective 2: Publish an inventory of the datasets held by every agency"),
               B("Responsible: Chief Data Officer"), B("By when: March 2022"),
               H("Finance"), B("Aim: Develop a clearly defined financial recovery plan."),
               B("Lead: Chief Finance Officer"))
    assert texts(j) == ["Develop a clearly defined financial recovery plan."]
    assert "own lead / date lines" in why(j, "Agree a data sharing protocol")


# --------------------------------------------------------------------------- paper type

def test_paper_without_plan_or_objectives_section_keeps_only_strong_evidence():
    items = [H("Workforce"), B("6.3 Develop a workforce plan with partners."),
             B("1) Develop the patient council", "list_item"), B("2) GP survey", "list_item"),
             B("3) Review the constitution", "list_item")]
    assert texts(judged(*items, plan=True)) == ["Develop a workforce plan with partners.",
                                                "Develop the patient council", "GP survey", "Review the constitution"]
    j = judged(*items, plan=False)
    assert j.paper.strict and texts(j) == []
    assert "not strong evidence" in why(j, "Develop the patient council")
    strong = judged(H("Workforce"), B("1) Develop the patient council", "list_item"),
                    B("2) Review the constitution", "list_item"), plan=False)
    assert texts(strong) == ["Develop the patient council", "Review the constitution"]


def test_a_heading_that_names_objectives_is_an_objectives_section():
    j = judged(H("Our objectives"), B("1) Develop the patient council", "list_item"), B("2) GP survey", "list_item"),
               B("3) Review the constitution", "list_item"), plan=False)
    assert j.paper.objectives_section == "Our objectives" and len(j.objectives) == 3


def test_has_action_plan_is_found_from_the_layout_when_not_given():
    from tests.layout_builders import row, table

    plan = table([row(["Ref", "Action", "Lead", "Due date", "Status"], is_header=True),
                  row(["1.1", "Review the plan", "Director of Nursing", "March 2025", "In progress"])])
    items = [B("1) Develop the patient council", "list_item"), B("2) GP survey", "list_item"),
             B("3) Review the constitution", "list_item")]
    assert judge_objectives(doc(*items, plan), "d").paper.has_action_plan
    assert not judge_objectives(doc(*items), "d").paper.has_action_plan


# --------------------------------------------------------------------------- evidence

def test_every_objective_carries_its_evidence_and_every_rejection_a_reason():
    j = judged(H("Development plan"), B("The plan has the following elements:"),
               B("Leadership development for the senior team", "list_item", label="1)"),
               B("Individual coaching for directors", "list_item", label="a)", level=1),
               B("Refresh the commissioning strategy", "list_item", label="2)"),
               B("Aim: To reset the leadership and culture."), B("Objective 1: To keep staff well."),
               H("Contents"), B("1. Introduction 3", "list_item"))
    assert all(o.evidence for o in j.objectives)
    by_text = {o.text: o.evidence for o in j.objectives}
    assert by_text["Individual coaching for directors"] == "sub-item of 1)"
    assert by_text["Refresh the commissioning strategy"].endswith("opens with the verb 'Refresh'")
    assert by_text["To reset the leadership and culture."] == "labelled 'Aim:'"
    assert by_text["To keep staff well."] == "labelled 'Objective 1'"
    assert all(c.reason for c in j.candidates if not c.accepted)
    report = explain(j)
    assert report["rejected"] == [{"page": 1, "ref": "1", "kind": "numbered", "text": "Introduction 3",
                                   "why": "a contents line"}]
    assert len(report["objectives"]) == len(j.objectives)


# --------------------------------------------------------------------------- negative control (synthetic)

@functools.cache
def committee_report(folder: str) -> tuple[Path, Path]:
    from tests.synth.render_docx import render_docx
    from tests.synth.render_pdf import render_pdf
    from tests.synth.reports import build_committee_report

    report = build_committee_report(random.Random(7))
    out = Path(folder)
    render_docx(report, out / "report.docx")
    render_pdf(report, out / "report.pdf")
    return out / "report.docx", out / "report.pdf"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_committee_report_without_objectives_gives_none(tmp_path_factory, fmt):
    pytest.importorskip("reportlab")
    docx_path, pdf_path = committee_report(str(tmp_path_factory.getbasetemp()))
    result = process_file(str(docx_path if fmt == "docx" else pdf_path))
    assert result.status == "ok", result.error
    assert result.objectives == [] and result.actions == []
    candidates = judge_objectives(read(str(docx_path if fmt == "docx" else pdf_path), fmt), "d").candidates
    assert len(candidates) >= 15  # the report is full of near misses, each rejected with a reason
    assert all(c.reason for c in candidates)


# --------------------------------------------------------------------------- PDF and DOCX of one document

def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _pairs() -> list[Path]:
    stems = [p.with_suffix("") for p in sorted(SAMPLE_DOCS.glob("*.pdf"))]
    stems += [p.with_suffix("") for p in sorted(CORPUS.glob("*.pdf"))]
    return [s for s in stems if s.with_suffix(".docx").is_file()]


@pytest.mark.parametrize("stem", _pairs(), ids=lambda p: p.name)
def test_pdf_and_docx_give_the_same_objectives(stem):
    found = {}
    for fmt in ("pdf", "docx"):
        path = str(stem.with_suffix(f".{fmt}"))
        found[fmt] = [(o.ref, o.kind, _norm(o.text)) for o in extract_objectives(read_layout(path, fmt), "d")]
    assert found["pdf"] == found["docx"]


# --------------------------------------------------------------------------- real documents (developed part)

REAL = REALWORLD / "action-plans" / "docs"
GOLD = ROOT / "tests" / "realworld_gold"


def _dev(stem: str) -> dict:
    if stem not in json.loads((GOLD / "split.json").read_text(encoding="utf-8"))["dev"]:
        raise AssertionError(f"{stem} is not in the developed part")  # never score the held-out part here
    return load_gold(GOLD / "gold" / f"{stem}.json")


@pytest.mark.slow
def test_real_national_action_plan_commitments():
    path = REAL / "uk-ogp-national-action-plan-2013-15.pdf"
    if not path.is_file():
        pytest.skip(absent(REALWORLD))
    gold = [o["text"] for o in _dev("uk-ogp-national-action-plan-2013-15")["objectives"]]
    result = process_file(str(path))
    found = [o.text for o in result.objectives]
    assert f1(len(match(gold, found)), len(found), len(gold)) >= 0.9


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_real_progress_report_has_no_objectives(fmt):
    """A quarterly report: 46 numbered paragraphs of progress and an annex of principles, no objectives."""
    path = REAL / f"uk-open-data-qwms-2013-14-q2-EDGE.{fmt}"
    if not path.is_file():
        pytest.skip(absent(REALWORLD))
    assert _dev("uk-open-data-qwms-2013-14-q2-EDGE")["objectives"] == []
    assert process_file(str(path)).objectives == []
