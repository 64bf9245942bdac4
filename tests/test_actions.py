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


def test_status_authority_column_then_key_then_progress_then_rag():
    acts = build([raw("A", status="Delayed", rag="G"), raw("B", progress="Completed and ongoing", rag_fill="00B050"),
                  raw("C", rag="R"), raw("D")])
    assert [a.status for a in acts] == ["delayed", "completed", "not_started", "unknown"]
    assert [a.rag for a in acts] == ["green", "green", "red", ""]
    keyed = build([raw("E", rag="R", progress="in progress")], rag_key={"red": "delayed"})[0]
    assert keyed.status == "delayed"


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
