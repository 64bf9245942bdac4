"""The status reader of progress text (extractor/fields/progress.py, spaCy rules from rules/progress.yaml),
checkbox lists and completion grids (schemes.py), and its score on the labelled progress texts."""
from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields import nlp as shared
from extractor.fields import progress, schemes, status
from extractor.model import REAL_STATUSES
from extractor.rules import PACKAGE_RULES, RulesError
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def read(text: str, doc_date: str | None = None, action: str = "") -> str | None:
    return status.status_from_progress(text, doc_date, action)


# --------------------------------------------------------------------------- families of wording

@pytest.mark.parametrize("text", [
    "The framework has been published.", "Approved by the Quality Committee on 3 May.", "Guidance issued to all GPs.",
    "Terms of reference agreed and the group established.", "The new rota was introduced in January.",
    "Contract signed.", "Audit carried out in the spring.", "Staff have now attended the sessions.",
    "The system went live in March.", "Met", "Done.", "Completed with minor caveats.",
])
def test_finished_events_and_words_are_completed(text):
    assert read(text) == "completed"


@pytest.mark.parametrize("text", [
    "Work continues with partners.", "The toolkit is being developed.", "Interviews are taking place.",
    "Currently recruiting to both posts.", "Working with the ICB on the specification.", "In hand.",
    "Commenced in April.", "Plan in place", "Partially met", "Awaiting approval from the Executive.",
])
def test_ongoing_work_is_in_progress(text):
    assert read(text) == "in_progress"


@pytest.mark.parametrize("text", [
    "Delayed due to sickness.", "Carried forward", "Deferred to next year.", "Timescale revised to June 2021.",
    "Pushed back to the autumn.", "Not delivered by the deadline.", "The target was missed.",
    "Put on hold until the restructure; restart expected next quarter.",
    "Unable to progress because of problems with the supplier.",
])
def test_slips_are_delayed(text):
    assert read(text) == "delayed"


@pytest.mark.parametrize("text", [
    "Not yet.", "No action taken yet.", "The policy will be drafted next year.", "We plan to start in May.",
    "New", "Scheduled to begin in the autumn.", "No work undertaken to date.", "Nothing done yet.",
    "Currently being considered.", "Cannot be considered at this time.",
    "Once complete the policy will be published",  # "will be": planned, not yet done
])
def test_plans_are_not_started(text):
    assert read(text) == "not_started"


@pytest.mark.parametrize("text, expected", [
    ("Originally postponed, later completed in May.", "completed"),
    ("Delayed in the spring; subsequently approved in July.", "completed"),
    ("Paused, now back on track.", "in_progress"),
    ("On track until March but has now slipped.", "delayed"),
    ("Completed after a short delay.", "completed"),
    ("Finished despite early delays.", "completed"),
    ("In progress – draft circulated for comment.", "in_progress"),  # an opening label holds
    ("Delayed owing to vacancies. Update from the Board: draft circulated for comment.", "delayed"),
    ("Consultation closed; the policy is now being drafted.", "in_progress"),
])
def test_the_latest_state_wins_over_history(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Not yet complete.", "in_progress"), ("Has not been signed off yet.", "in_progress"),
    ("Not started.", "not_started"), ("Hasn't begun.", "not_started"), ("No delays expected.", "in_progress"),
    ("Not behind schedule.", "in_progress"), ("Not completed in time for winter.", "delayed"),
])
def test_negation(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text", [
    "", "N/A", "See narrative.", "Meeting held with partners.", "The team met to discuss the options.",
    "Update to follow.", "Owner to confirm.", "The data contained a few errors.", "Due to complete in March",
])
def test_no_state_is_said(text):
    assert read(text) is None


def test_a_happening_is_the_action_done_only_when_it_is_the_action():
    assert read("Workshops took place in June.", action="Run workshops for ward managers") == "completed"
    assert read("Workshops took place in June.", action="Review the estates strategy") is None


@pytest.mark.parametrize("text, doc_date, expected", [
    ("Board development session on 14 March 2019.", "2019-06-30", "completed"),
    ("Board development session on 14 March 2019.", "2019-01-31", "not_started"),
    ("Workshop booked for 5 February 2020.", "2020-03-31", "completed"),
    ("Workshop booked for 5 February 2020.", "2019-12-31", "not_started"),
    ("Workshop booked for 5 February 2020.", None, "not_started"),  # no printed date: the plan word stands
])
def test_a_dated_event_is_judged_against_the_document_date(text, doc_date, expected):
    assert read(text, doc_date) == expected


def test_evidence_names_the_words_that_decided():
    assert progress.read("The policy has now been published.").evidence == "has now been published"
    assert progress.read("Delayed; now complete.").evidence == "complete"
    assert progress.read("Not yet complete").evidence == "not yet complete"


# --------------------------------------------------------------------------- checkboxes and grids

def test_checkbox_lists():
    boxes = schemes.read_checkboxes("☐ Already implemented ☒ Already in progress (share links: ) pilot live "
                                    "☐ Currently being considered ☐ Other (please specify)")
    assert boxes is not None and [o.ticked for o in boxes.options] == [False, True, False, False]
    assert boxes.verdict == progress.Verdict("in_progress", "☒ Already in progress")
    both = schemes.read_checkboxes("☒ Already implemented ☒ Already in progress ☐ Not started")
    assert both.verdict.status == "completed"  # the most advanced ticked option
    other = schemes.read_checkboxes("☐ Done ☐ Under way ☒ Other (please specify): see the attached note")
    assert other.verdict is None and "see the attached note" in other.free_text
    assert schemes.read_checkboxes("A sentence with one ☐ box") is None
    assert schemes.read_checkboxes("No boxes at all") is None


def test_checkbox_status_and_source_through_decide():
    d = status.decide("", None, "☐ Done ☐ Under way ☒ Not yet started – awaiting funding")
    assert (d.status, d.source) == ("not_started", "checkbox")
    free = status.decide("", None, "☐ Done ☐ Under way ☒ Other (please specify): work is now underway")
    assert (free.status, free.source) == ("in_progress", "progress_text")
    assert status.decide("", None, "☐ Done ☐ Under way ☒ Other: see appendix").status == "unknown"


def test_completion_grid():
    headers = ["Not started", "Limited progress", "Substantial progress", "Completed"]
    assert schemes.status_from_grid(headers, ["", "", "✓", ""]) == progress.Verdict(
        "in_progress", "✓ under 'Substantial progress'")
    assert schemes.status_from_grid(headers, ["X", "", "", ""]).status == "not_started"
    assert schemes.status_from_grid(headers, ["", "", "", "Yes"]).status == "completed"
    assert schemes.status_from_grid(headers, ["", "", "", ""]) is None
    assert schemes.grid_columns(["Ref", "Action", "Lead"] + headers + ["Comments"]) == [3, 4, 5, 6]
    assert schemes.grid_columns(["Ref", "Action", "Status"]) == []


# --------------------------------------------------------------------------- robustness

@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_read_never_raises(text):
    verdict = progress.read(text)
    assert verdict is None or verdict.status in REAL_STATUSES
    boxes = schemes.read_checkboxes(text)
    assert boxes is None or boxes.verdict is None or boxes.verdict.status in REAL_STATUSES


_words = st.lists(st.sampled_from([
    "complete", "not", "yet", "delayed", "ongoing", "on track", "paused", "now", "but", "due to", "published",
    "has been", "will be", "being", "developed", "no", "work", "undertaken", "originally", "later", ";", ",",
    "☒", "☐", "In progress", "Workshop", "on 3 May 2019", "scheduled for", "carried forward", "Met",
]), max_size=14).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_words, st.sampled_from([None, "2019-06-30"]))
def test_word_soup_gives_a_valid_decision(text, doc_date):
    d = status.decide("", None, text, doc_date=doc_date)
    assert d.status in (*REAL_STATUSES, "unknown")
    assert (d.source == "none") == (d.status == "unknown")


def test_one_spacy_pipeline_per_process():
    from extractor.text import nlp as text_nlp

    assert progress.compiled().nlp is shared.pipeline() is text_nlp.load().nlp


def test_a_broken_progress_rules_file_names_file_and_key(tmp_path):
    shutil.copytree(PACKAGE_RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "progress.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("future_event: not_started", "future_event: later"),
                    encoding="utf-8")
    with pytest.raises(RulesError, match=r"progress\.yaml\.future_event"):
        Settings.load(rules_dir=tmp_path / "rules")
    bad = tmp_path / "rules" / "progress.yaml"
    bad.write_text((PACKAGE_RULES / "progress.yaml").read_text(encoding="utf-8").replace(
        "{LOWER: progress}, {LOWER: {IN: [made", "{LOWERR: progress}, {LOWER: {IN: [made"), encoding="utf-8")
    with pytest.raises(RulesError, match=r"progress\.yaml\.patterns\.in_progress"):
        Settings.load(rules_dir=tmp_path / "rules")


# --------------------------------------------------------------------------- the labelled sets

def _bench():
    spec = importlib.util.spec_from_file_location("progress_bench", ROOT / "bench" / "progress.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name, floor", [("real-dev", 0.98), ("samples", 1.0), ("written-dev", 0.98),
                                         ("written-check", 0.90)])
def test_labelled_progress_texts(name, floor):
    bench = _bench()
    result = bench.score(bench.load(name))
    assert result["n"] >= 100
    assert result["accuracy"] >= floor, result["misses"]
    for cls, pc in result["per_class"].items():
        if pc["n"] >= 10:
            assert pc["recall"] >= 0.8 and pc["precision"] >= 0.8, (cls, pc)


def test_at_least_400_labelled_texts_outside_the_untouched_part():
    bench = _bench()
    assert sum(len(bench.load(n)) for n in bench.DEVELOPED) >= 400


def test_a_cell_that_is_a_status_names_it_in_words():
    # the table stage's evidence: milestones and deliverables are not status cells
    for milestone in ("Contract awarded", "Baseline agreed", "Business case approved",
                      "Procured through the framework"):
        assert status.status_from_text(milestone) is None
        assert status.status_from_progress(milestone) == "completed"
    assert status.status_from_text("Complete") == "completed"
    assert status.status_from_text("Delayed; now complete") == "completed"
    assert status.status_from_text("☐ Done ☒ Under way") == "in_progress"


def test_named_states_then_colours_then_what_a_narrative_implies():
    # a colour decides before a narrative that names no state (tests/realworld_gold/README.md: words, else colour)
    blue = status.decide("", "blue", "FA emailed the Board on 16 December", doc_date="2012-01-17")
    assert (blue.status, blue.source) == ("completed", "rag_convention")
    assert status.decide("", "green", "The policy has been published").source == "rag_convention"
    implied = status.decide("", None, "The policy has been published")
    assert (implied.status, implied.source, implied.evidence) == ("completed", "progress_text", "has been published")
    # a commentary status cell that names no state gives way to the progress word
    worded = status.decide("3 Nov: details forwarded; Ed will make contact", None, "Plan in place")
    assert (worded.status, worded.source) == ("in_progress", "progress_text")
    assert status.decide("Complete", "red", "").status == "completed"  # named words before any colour


@pytest.mark.parametrize("text", [
    "Postponed until April 2022 while the new student record system is procured.",
    "Deferred to 2023 whilst the contract is signed off.",
    "Put back a term pending the new system being procured.",
])
def test_what_happens_meanwhile_is_a_condition_not_the_state(text):
    # the passive 'is procured' in a 'while' clause is what the delay waits for, not a finished event
    assert read(text) == "delayed"


@pytest.mark.parametrize("cell,expected", [("Limited", "in_progress"), ("Substantial", "in_progress"),
                                           ("Full", "completed")])
def test_a_completion_level_alone_in_the_status_cell(cell, expected):
    found = status.decide(cell, None, "")
    assert (found.status, found.source, found.evidence) == (expected, "status_column", cell)
    assert schemes.level_meaning(f"{cell} progress this year") is None  # one word alone, not in a sentence


# --------------------------------------------------------------------------- targets

@pytest.mark.parametrize("text, doc_date, expected", [
    ("In place by March 2014", "2013-09-30", "unknown"),  # a strategy's target, not a state reached
    ("In place by March 2014", "2014-06-30", "completed"),  # the same words after the date: done
    ("Complete no later than June 2015", "2015-01-15", "unknown"),
    ("Completed by the team", "2013-09-30", "completed"),  # "by" without a date is no target
])
def test_a_state_with_a_later_target_date_is_planned(text, doc_date, expected):
    assert status.decide("", None, text, doc_date=doc_date).status == expected


def test_a_progress_note_states_its_target():
    assert progress.stated_target("In place by March 2014") == "by March 2014"
    assert progress.stated_target("Initial action by December, updated quarterly", "2013-09-30") == "by December"
    assert progress.stated_target("We will do this continually but starting October 2013") == ""
    assert progress.stated_target("Report written by the secretariat") == ""


@pytest.mark.parametrize("cell, expected", [("Substantial", "in_progress"), ("Limited", "in_progress")])
def test_a_completion_level_alone_in_a_status_or_progress_cell_is_its_status(cell, expected):
    assert status.decide(cell, None, "").status == expected
    assert status.decide("", None, cell).status == expected  # a key-value table's "Progress: Substantial"
    assert status.decide("", None, f"{cell} numbers of users").status != expected  # not alone: not a level
