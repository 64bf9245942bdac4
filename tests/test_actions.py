"""Raw rows -> actions: ref splitting, sub-row parents, NEW markers, status authority, RAG sources."""
from __future__ import annotations

from extractor.fields.actions import build_actions
from extractor.fields.context import DocContext
from extractor.model import RawRow


def raw(text, ref="", status="", progress="", rag="", rag_fill="", due="", owner="", row_index=0):
    return RawRow(fields={"text": text, "ref": ref, "status": status, "progress": progress, "rag": rag,
                          "due": due, "owner": owner},
                  fills={"rag": rag_fill}, goal="", section="", page_first=1, page_last=1, table_index=0,
                  row_index=row_index)


def build(rows, **ctx):
    return build_actions(rows, DocContext(doc_id="d", path="d.pdf", **ctx), [])


def test_ref_split_from_text_and_sibling_numbering_rescues_doubtful_numbers():
    acts = build([raw("8.1 Rolling training programme"), raw("8.2 - 100% of breaches investigated"),
                  raw("8.3 Staff held to account"), raw("2.5 staff recruited to the team")])
    assert [a.ref for a in acts] == ["8.1", "8.2", "8.3", ""]
    assert acts[1].text == "100% of breaches investigated"
    assert acts[3].text == "2.5 staff recruited to the team"  # no sibling with parent 2: a quantity


def test_unnumbered_sub_rows_take_the_numbered_row_above_as_parent():
    acts = build([raw("Do the thing", ref="1.3.1"), raw("and a sub-task"), raw("Next", ref="1.4")])
    assert [(a.ref, a.parent_ref) for a in acts] == [("1.3.1", "1.3"), ("", "1.3.1"), ("1.4", "1")]


def test_new_marker_leaves_the_text():
    a = build([raw("Implement Trac recruitment (NEW)", ref="6.20")])[0]
    assert a.is_new and a.text == "Implement Trac recruitment"


def test_status_authority_words_then_key_then_convention_with_source_and_evidence():
    acts = build([raw("A", status="Delayed", rag="G"), raw("B", progress="Completed and ongoing", rag_fill="00B050"),
                  raw("C", rag="R"), raw("D")])
    assert [a.status for a in acts] == ["delayed", "completed", "not_started", "unknown"]
    assert [a.status_source for a in acts] == ["status_column", "progress_text", "rag_convention", "none"]
    assert [a.status_evidence for a in acts] == ["Delayed", "Completed and ongoing", "red R", ""]
    assert [a.rag for a in acts] == ["green", "green", "red", ""]
    assert [a.rag_raw for a in acts] == ["G", "#00B050", "R", ""]
    # the document's own words come before its colours, even a keyed colour (tests/realworld_gold/README.md)
    worded = build([raw("E", rag="R", progress="in progress")], rag_key={"red": "delayed"})[0]
    assert (worded.status, worded.status_source) == ("in_progress", "progress_text")
    keyed = build([raw("F", rag="R")], rag_key={"red": "delayed"})[0]
    assert (keyed.status, keyed.status_source, keyed.status_evidence) == ("delayed", "rag_key", "red R (key)")


def test_blue_in_use_makes_green_on_track_and_blue_complete():
    acts = build([raw("A", rag_fill="0070C0"), raw("B", rag_fill="00B050")])
    assert [(a.status, a.rag, a.status_source) for a in acts] == [
        ("completed", "blue", "rag_convention"), ("in_progress", "green", "rag_convention")]


def test_checkbox_and_grid_sources():
    boxed = build([raw("A", progress="☐ Already implemented ☒ Already in progress – pilot running")])[0]
    assert (boxed.status, boxed.status_source, boxed.status_evidence) == (
        "in_progress", "checkbox", "☒ Already in progress")
    row = raw("B")
    row.grid = {"Not started": "", "Limited": "", "Substantial": "✓", "Completed": ""}
    gridded = build([row])[0]
    assert (gridded.status, gridded.status_source, gridded.status_evidence) == (
        "in_progress", "grid_position", "✓ under 'Substantial'")


def test_owners_resolved_through_the_glossary_and_dates_by_the_printed_date():
    a = build([raw("A", owner="DoF (JS) / KK", due="Autumn")], glossary={"DoF": "Director of Finance"},
              doc_date="2019-06-30", doc_year=2019)[0]
    assert a.owners == ["Director of Finance (JS)", "KK"] and a.owner == "DoF (JS) / KK"
    assert a.due_date == "2019-11-30"
    warnings: list[str] = []
    b = build_actions([raw("B", due="Autumn")], DocContext(doc_id="d", path="d.pdf"), warnings)[0]
    assert b.due_date == "" and b.due_raw == "Autumn"
    assert warnings and "without a year" in warnings[0]


def test_dates_keep_raw_and_revision():
    a = build([raw("A", due="By Sept 2020 Revised: June 2021")])[0]
    assert (a.due_raw, a.due_date, a.due_revised) == ("By Sept 2020 Revised: June 2021", "2020-09-30", "2021-06-30")


def test_ids_are_sequential_and_stable():
    rows = [raw("A"), raw("B")]
    assert [a.action_id for a in build(rows)] == [a.action_id for a in build(rows)] == ["d-a0001", "d-a0002"]


def test_row_banding_is_not_a_rag_colour():
    banded = raw("A")
    banded.fills = {"rag": "E2EFDA", "text": "E2EFDA"}
    rated = raw("B")
    rated.fills = {"rag": "00B050", "text": ""}
    assert [a.rag for a in build([banded, rated])] == ["", "green"]


def test_year_less_deadlines_take_the_year_the_dated_ones_settle():
    rows = [raw("A", due="11.01.11"), raw("B", due="March 2011"), raw("C", due="Late January"), raw("D", due="June")]
    assert [a.due_date for a in build(rows)] == ["2011-01-11", "2011-03-31", "2011-01-31", "2011-06-30"]
    split = [raw("A", due="March 2011"), raw("B", due="March 2012"), raw("C", due="June")]
    assert build(split)[2].due_date == ""  # two years, neither settles it



def test_a_row_without_a_due_date_takes_the_target_its_notes_state():
    a, b = build([raw("Publish how requests are handled", progress="In place by March 2014"),
                     raw("Review the inventory", due="June 2014", progress="Updated by end of May 2014")],
                    doc_date="2013-09-30", doc_year=2013)
    assert a.due_date == "2014-03-31" and a.status == "unknown"
    assert b.due_date == "2014-06-30"  # its own due date stands
