"""Action logs drawn other ways (found by the variation stress test, tests/synth/variations.py): group rows drawn as
one filled cell of an ordinary row, the status printed under the due date in the same cell, outline refs (A, Ai,
Aii) in the ref column or at the start of the action under a merged ref cell, numbered headings without a full
stop, and key-value tables drawn with horizontal rules only in PDF."""
from __future__ import annotations

import pytest

from extractor.fields.refs import outline_ref, sub_item_ref
from extractor.ingest.hrules import hrule_tables
from extractor.model import Word
from extractor.tables.columns import assign_roles
from extractor.tables.evidence import numbered_heading
from extractor.tables.rows import rows_of
from extractor.tables.stitch import find_plans
from tests.layout_builders import row, table

HEADER = ["#", "Issue", "Action", "Owner", "Due", "Status"]


def _log(rows: list[list[str]]):
    t = table([row(HEADER, is_header=True)] + [row(r) for r in rows])
    (plan,) = find_plans([t]).plans
    return rows_of(plan)


def test_a_lone_title_in_one_cell_of_a_log_is_the_section_of_the_rows_below():
    rows = _log([["", "", "Data releases", "", "", ""],
                 ["1", "Publication of spend", "Publish monthly spending data", "KK", "June 2024", "Ongoing"],
                 ["2", "", "Agree a data sharing protocol", "HS", "July 2024", "Complete"],
                 ["", "Governance", "", "", "", ""],
                 ["3", "Review of the board", "Review the terms of reference", "Chair", "May 2024", "Open"]])
    assert [(r.fields["ref"], r.section) for r in rows] == [
        ("1", "Data releases"), ("2", "Data releases"), ("3", "Governance")]


def test_a_short_action_alone_in_its_row_stays_an_action():
    # a verb-first statement is something to do, however short and however empty its row
    rows = _log([["1", "Spend", "Publish monthly spending data", "KK", "June 2024", "Ongoing"],
                 ["", "", "Publish the minutes", "", "", ""],
                 ["2", "Board", "Review the terms of reference", "Chair", "May 2024", "Open"]])
    assert [r.fields["text"] for r in rows] == [
        "Publish monthly spending data", "Publish the minutes", "Review the terms of reference"]


def test_a_status_word_under_the_due_date_is_the_status():
    t = table([row(["Ref", "Action", "Owner", "Due date"], is_header=True),
               row(["1", "Publish monthly spending data", "KK", "Autumn 2020\nCLOSED"]),
               row(["2", "Agree a data sharing protocol", "HS", "21/05/12\nIN PROGRESS"]),
               row(["3", "Review the terms of reference", "Chair", "June 2021"])])
    rows = rows_of(find_plans([t]).plans[0])
    assert [(r.fields["due"], r.fields.get("status", "")) for r in rows] == [
        ("Autumn 2020", "CLOSED"), ("21/05/12", "IN PROGRESS"), ("June 2021", "")]


def test_outline_refs_in_a_column_are_refs_and_ratings_stay_ratings():
    body = [row([ref, f"Publish dataset number {k} on the portal", "KK", rating])
            for k, (ref, rating) in enumerate([("A", "R"), ("Ai", "A"), ("Aii", "G"), ("B", "A"), ("Bi", "R")])]
    roles = {r.col: r.role for r in assign_roles(body, 4, ["", "Action", "Owner", ""])}
    assert roles[0] == "ref" and roles[3] == "rag"


def test_two_letters_under_a_ref_header_are_refs_not_ratings():
    body = [row(["A", "Publish dataset one on the portal", "KK"]), row(["B", "Publish dataset two", "HS"])]
    assert {r.col: r.role for r in assign_roles(body, 3, ["#", "Action", "Owner"])}[0] == "ref"
    assert {r.col: r.role for r in assign_roles(body, 3, ["", "Action", "Owner"])}[0] != "ref"


@pytest.mark.parametrize("text, shape", [("A", ("A", "")), ("(B)", ("B", "")), ("Aiii", ("A", "iii")),
                                         ("Six", ("", "")), ("AB", ("", "")), ("A1", ("", ""))])
def test_outline_ref_shapes(text, shape):
    assert outline_ref(text) == shape


@pytest.mark.parametrize("text, parent, split", [
    ("Ai. Review the criteria", "A", ("Ai", "Review the criteria")),
    ("Bii Introduce a scheme", "B", ("Bii", "Introduce a scheme")),
    ("A.2 Publish the data", "A", ("A2", "Publish the data")),
    ("(A)(iii) Agree the plan", "A", ("Aiii", "Agree the plan")),
    ("An item to review", "A", ("", "An item to review")),
    ("Aim to publish", "A", ("", "Aim to publish")),
])
def test_sub_item_refs_after_the_parent_ref(text, parent, split):
    assert sub_item_ref(text, parent) == split


def test_sub_item_refs_under_a_merged_ref_cell():
    t = table([row(["#", "Action", "Owner", "Due"], is_header=True),
               row(["A", "Strengthen mortality review processes", "LF", "Autumn 2020"]),
               row(["", "Ai. Review the referral criteria for therapies", "LF", "January 2021"], covered={0}),
               row(["", "Aii. Validate the waiting list", "KK", "March 2021"], covered={0}),
               row(["B", "Expand the apprenticeship offer", "HS", "September"])])
    t.rows[1].cells[0].rowspan = 3
    rows = rows_of(find_plans([t]).plans[0])
    assert [(r.fields["ref"], r.fields["text"][:10]) for r in rows] == [
        ("A", "Strengthen"), ("Ai", "Review the"), ("Aii", "Validate t"), ("B", "Expand the")]


@pytest.mark.parametrize("text, parsed", [
    ("3 Better access to company filings", ("3", "Better access to company filings")),
    ("3. Better access", ("3", "Better access")),
    ("5 Year plan for the estate", ("", "")), ("12 Months on", ("", "")), ("2020 Strategy", ("", "")),
])
def test_numbered_headings_with_and_without_a_full_stop(text, parsed):
    assert numbered_heading(text) == parsed


def _words(text: str, x0: float, top: float) -> list[Word]:
    out, x = [], x0
    for w in text.split():
        out.append(Word(w, x, x + 5.0 * len(w), top, top + 9.0, False, 9.0))
        x += 5.0 * len(w) + 2.5
    return out


def _rule(top: float, x0: float = 40.0, x1: float = 550.0) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": top}


def test_label_value_bands_between_horizontal_rules_are_a_table():
    pairs = [("Lead organisation", "Cabinet Office"), ("Brief description", "Publish every contract over 10,000"),
             ("End date", "June 2025"), ("Status", "Substantial progress")]
    words, rules = [], [_rule(100.0)]
    for k, (key, value) in enumerate(pairs):
        top = 100.0 + 20.0 * k
        words += _words(key, 45.0, top + 5) + _words(value, 200.0, top + 5)
        rules.append(_rule(top + 20.0))
    words += _words("A paragraph of text below the table that is not part of it at all.", 45.0, 300.0)
    ((t, box),) = hrule_tables(rules, words, 595.0, 1, [])
    assert t.n_cols == 2 and [[c.text for c in r.cells] for r in t.rows] == [list(p) for p in pairs]
    assert box == (40.0, 100.0, 550.0, 180.0)
    assert hrule_tables(rules, words, 595.0, 1, [(40.0, 90.0, 550.0, 190.0)]) == []  # a ruled grid found it


def test_a_page_header_rule_above_a_ruled_table_does_not_swallow_the_bands_below_it():
    """A running header's rule, a ruled table found already, then a key-value table with horizontal rules only:
    the rules above and below the found table are two runs, and the second is read."""
    pairs = [("Lead organisation", "Cabinet Office"), ("Brief description", "Publish every contract"),
             ("End date", "June 2025"), ("Progress", "Substantial")]
    words, rules = [], [_rule(30.0), _rule(200.0)]
    for k, (key, value) in enumerate(pairs):
        top = 200.0 + 20.0 * k
        words += _words(key, 45.0, top + 5) + _words(value, 200.0, top + 5)
        rules.append(_rule(top + 20.0))
    ((t, box),) = hrule_tables(rules, words, 595.0, 1, [(40.0, 60.0, 550.0, 180.0)])
    assert [[c.text for c in r.cells] for r in t.rows] == [list(p) for p in pairs] and box[1] == 200.0


def test_a_plan_between_horizontal_rules_is_not_taken_as_label_value_bands():
    words, rules = [], [_rule(100.0)]
    for k in range(4):
        top = 100.0 + 20.0 * k
        words += (_words(str(k + 1), 45.0, top + 5) + _words("Publish the data", 80.0, top + 5)
                  + _words("KK", 300.0, top + 5) + _words("June 2025", 400.0, top + 5))
        rules.append(_rule(top + 20.0))
    assert hrule_tables(rules, words, 595.0, 1, []) == []


def test_keys_a_page_break_cut_off_join_the_rest_of_their_key_value_table():
    top = table([row(["4. Open contracting", None], spans={0: 2}), row(["Lead organisation", "Cabinet Office"]),
                 row(["Partners", "Local authorities"])], page=2, index=0, bbox=(42.0, 700.0, 553.0, 790.0))
    rest = table([row(["Brief description", "Publish every central government contract over £10,000"], page=3),
                  row(["End date", "June 2025"], page=3), row(["Status", "Substantial progress"], page=3)],
                 page=3, index=1, bbox=(42.0, 40.0, 553.0, 200.0))
    scan = find_plans([top, rest])
    assert [p.verdict.kind for p in scan.plans] == ["key_value"] and scan.joined == {1: 0}
    (r,) = rows_of(scan.plans[0])
    assert (r.fields["ref"], r.goal, r.fields["owner"], r.fields["due"]) == (
        "4", "Open contracting", "Cabinet Office", "June 2025")


def test_a_status_key_is_a_key():
    t = table([row(["Lead organisation", "Cabinet Office"]),
               row(["Planned activities", "Publish every central government contract over £10,000"]),
               row(["Progress", "Not started", "Limited", "Substantial"]),
               row(["", "", "x", ""])])
    (plan,) = find_plans([t]).plans
    assert plan.verdict.kind == "key_value"
    (r,) = rows_of(plan)
    assert r.fields["status"] == "Limited"


def test_one_long_key_value_table_continues_over_a_page_mid_commitment():
    keys = [("Lead organisation", "Cabinet Office"), ("Brief description", "Publish every contract over £10,000"),
            ("End date", "June 2025")]
    first = [row(["1. Open contracting", None], spans={0: 2})] + [row(list(kv)) for kv in keys] + \
        [row(["2. Open budgets", None], spans={0: 2}), row(["Lead organisation", "HM Treasury"])]
    rest = [row(["Brief description", "Publish the budget data each month"], page=3),
            row(["End date", "May 2026"], page=3)]
    t1 = table(first, page=2, index=0, bbox=(42.0, 400.0, 553.0, 790.0))
    for r in t1.rows:
        for c in r.cells:
            c.bbox = (42.0 if c.col == 0 else 200.0, 0.0, 553.0 if c.colspan == 2 or c.col == 1 else 200.0, 1.0)
    t2 = table(rest, page=3, index=1, bbox=(42.0, 40.0, 553.0, 100.0))
    for r in t2.rows:
        for c in r.cells:
            c.bbox = (42.0 if c.col == 0 else 200.0, 0.0, 200.0 if c.col == 0 else 553.0, 1.0)
    scan = find_plans([t1, t2])
    assert scan.joined == {1: 0}
    rows = rows_of(scan.plans[0])
    assert [(r.fields["ref"], r.fields["owner"], r.fields["due"]) for r in rows] == [
        ("1", "Cabinet Office", "June 2025"), ("2", "HM Treasury", "May 2026")]


def test_a_title_bar_found_apart_leaves_the_bands_under_it_to_the_rules():
    """A shaded one-line title bar pdfplumber found as a table (its box ends a hair below its bottom rule): that
    rule is the first band's top, and the shared edge is no overlap."""
    pairs = [("Lead organisation", "Cabinet Office"), ("Brief description", "Publish every contract"),
             ("End date", "June 2025"), ("Progress", "Substantial")]
    words, rules = _words("Commitment 2 – Open contracting", 45.0, 85.0), [_rule(80.0), _rule(100.0)]
    for k, (key, value) in enumerate(pairs):
        top = 100.0 + 20.0 * k
        words += _words(key, 45.0, top + 5) + _words(value, 200.0, top + 5)
        rules.append(_rule(top + 20.0))
    ((t, box),) = hrule_tables(rules, words, 595.0, 1, [(41.5, 80.0, 548.5, 100.00000000000006)])
    assert [[c.text for c in r.cells] for r in t.rows] == [list(p) for p in pairs]
