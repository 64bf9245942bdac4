"""reconcile(): crosswalk and changes on hand-built plans, one re-issue pattern per test."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor.model import Action, DocumentResult
from extractor.output import schema
from extractor.output.diffs import write_diff
from extractor.versions.reconcile import field_changes, reconcile
from extractor.versions.similarity import norm_text, split_ref

# a pool of distinct, realistic action texts
TEXTS = [
    "Commission external OD resource to develop a robust training programme for the executive team",
    "Induction programme in place for all new Governing Body members",
    "Personal development plan in place for each Governing Body member",
    "Ensure all Governing Body members have an annual appraisal and objectives set",
    "Review of GP portfolios to focus on delivery of the commissioning priorities",
    "Develop clinical leaders in primary care through a leadership network",
    "Chief Nurse to represent the CCG at the monthly clinical quality review meeting",
    "Ensure that all staff are aware of the vision, values and strategic objectives",
    "Recruitment tracker monitored on a weekly basis by the HR business partner",
    "Agreed set of core line management skills identified and training commissioned",
    "Refresh organisational values, describing the behaviours expected of staff",
    "Review standing orders and standing financial instructions and provide training",
    "Provide budget holder training in line with the budgetary control policy",
    "Training plan developed for the finance team following the skills review",
    "Rolling staff training programme covering information governance and fraud",
    "Review the risk management strategy and training provided to risk leads",
    "Conduct a series of workshops to review the demand and capacity plan",
    "Ensure robust succession planning processes are in place for senior roles",
]


def act(doc: str, k: int, text: str, ref: str = "", **kw) -> Action:
    kw.setdefault("page_first", 1 + k // 4)
    kw.setdefault("page_last", kw["page_first"])
    return Action(doc_id=doc, action_id=f"{doc}-a{k:04d}", ref=ref, ref_norm=ref.rstrip("."), text=text, **kw)


def plan(doc: str, rows: list[dict]) -> list[Action]:
    return [act(doc, k + 1, **r) for k, r in enumerate(rows)]


def xw(diff) -> set[tuple[str, str, str]]:
    return {(r.old_action_id, r.new_action_id, r.match) for r in diff.crosswalk}


def changes(diff) -> list[tuple]:
    return sorted((c.old_action_id, c.new_action_id, c.field, c.old_value, c.new_value, c.slip_days)
                  for c in diff.changes)


def o(k: int) -> str:
    return f"old-a{k:04d}"


def n(k: int) -> str:
    return f"new-a{k:04d}"


# --------------------------------------------------------------------------- helpers

def test_norm_text_and_split_ref():
    assert norm_text("  Ensure  monthly 1-1s (NEW) are held.") == "ensure monthly 1 1s are held"
    assert norm_text("Staff's  survey!") == norm_text("staffs survey")
    assert split_ref("6.26") == ("6.", 26, "")
    assert split_ref("l7") == ("l", 7, "")
    assert split_ref("x") == ("x", None, "")


# --------------------------------------------------------------------------- re-issue patterns

def test_renumbered_sections_with_an_insert():
    """All 5.x became 6.x and 6.x became 7.x; a new 6.3 shifts every later number in its section.
    The same generic text sits in both sections: the learned section mapping and the goal decide."""
    generic = "Review progress against the plan at the quarterly board meeting"
    old_rows = [dict(ref=f"5.{k + 1}", text=t, goal="Leadership", section="Governing Body")
                for k, t in enumerate(TEXTS[:5])]
    old_rows.append(dict(ref="5.6", text=generic, goal="Leadership", section="Governing Body"))
    old_rows += [dict(ref=f"6.{k + 1}", text=t, goal="Finance skills", section="Finance")
                 for k, t in enumerate(TEXTS[10:13])]
    old_rows.append(dict(ref="6.4", text=generic, goal="Finance skills", section="Finance"))
    old = plan("old", old_rows)

    new_rows = [dict(ref="6.1", text=TEXTS[0]), dict(ref="6.2", text=TEXTS[1]),
                dict(ref="6.3", text="Appoint ten Speak Up Champions across the organisation"),
                dict(ref="6.4", text=TEXTS[2]), dict(ref="6.5", text=TEXTS[3]), dict(ref="6.6", text=TEXTS[4]),
                dict(ref="6.7", text=generic)]
    for r in new_rows:
        r.update(goal="Leadership", section="Governing Body")
    fin = [dict(ref=f"7.{k + 1}", text=t) for k, t in enumerate(TEXTS[10:13])] + [dict(ref="7.4", text=generic)]
    for r in fin:
        r.update(goal="Finance skills", section="Finance")
    new = plan("new", new_rows + fin)

    d = reconcile(old, new)
    expect = {(o(1), n(1), "matched"), (o(2), n(2), "matched"), ("", n(3), "added"), (o(3), n(4), "matched"),
              (o(4), n(5), "matched"), (o(5), n(6), "matched"), (o(6), n(7), "matched"),
              (o(7), n(8), "matched"), (o(8), n(9), "matched"), (o(9), n(10), "matched"), (o(10), n(11), "matched")}
    assert xw(d) == expect
    assert d.section_map["5."] == "6." and d.section_map["6."] == "7."
    refs = {(c.old_value, c.new_value) for c in d.changes if c.field == "ref"}
    assert refs == {("5.1", "6.1"), ("5.2", "6.2"), ("5.3", "6.4"), ("5.4", "6.5"), ("5.5", "6.6"),
                    ("5.6", "6.7"), ("6.1", "7.1"), ("6.2", "7.2"), ("6.3", "7.3"), ("6.4", "7.4")}
    assert {c.field for c in d.changes} == {"ref"}
    assert [r.match for r in d.crosswalk].count("added") == 1


def test_ref_is_a_prior_not_the_truth():
    """Rows kept their numbers but the texts moved: the text wins, the ref change is reported."""
    old = plan("old", [dict(ref=str(k + 1), text=t) for k, t in enumerate(TEXTS[:6])])
    order = [0, 1, 4, 2, 3, 5]
    new = plan("new", [dict(ref=str(k + 1), text=TEXTS[t]) for k, t in enumerate(order)])
    d = reconcile(old, new)
    assert xw(d) == {(o(t + 1), n(k + 1), "matched") for k, t in enumerate(order)}
    assert changes(d) == sorted([(o(3), n(4), "ref", "3", "4", None), (o(4), n(5), "ref", "4", "5", None),
                                 (o(5), n(3), "ref", "5", "3", None)])


def test_no_refs_at_all_with_rewording_drop_and_add():
    old = plan("old", [dict(text=t, owner="AO", due_date="2019-03-31") for t in TEXTS[:8]])
    new_texts = list(TEXTS[:8])
    new_texts[2] = "Personal development plans in place for every Governing Body member"  # reworded
    del new_texts[5]  # dropped: "Develop clinical leaders ..."
    new_texts.insert(3, "Arrange an away day for all staff")  # added
    new = plan("new", [dict(text=t, owner="AO", due_date="2019-03-31") for t in new_texts])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), n(1), "matched"), (o(2), n(2), "matched"), (o(3), n(3), "matched"),
                     ("", n(4), "added"), (o(4), n(5), "matched"), (o(5), n(6), "matched"),
                     (o(6), "", "removed"), (o(7), n(7), "matched"), (o(8), n(8), "matched")}
    assert changes(d) == [(o(3), n(3), "text", TEXTS[2], new_texts[2], None)]


def test_reordered_table():
    rows = [dict(ref=f"L{k + 1}", text=t, owner=f"Owner {k}") for k, t in enumerate(TEXTS[:10])]
    old = plan("old", rows)
    perm = [7, 2, 9, 0, 5, 1, 8, 3, 6, 4]
    new = plan("new", [rows[p] for p in perm])
    d = reconcile(old, new)
    assert xw(d) == {(o(p + 1), n(k + 1), "matched") for k, p in enumerate(perm)}
    assert d.changes == []
    # the same table renumbered by position after the reorder: every ref moved, nothing else did
    new2 = plan("new", [dict(rows[p], ref=f"L{k + 1}") for k, p in enumerate(perm)])
    d2 = reconcile(old, new2)
    assert xw(d2) == xw(d)
    assert {c.field for c in d2.changes} == {"ref"}
    assert len(d2.changes) == sum(1 for k, p in enumerate(perm) if k != p)


def test_only_rag_status_and_progress_moved():
    base = [dict(ref=f"{k + 1}", text=t, status="in_progress", rag="amber", progress="Underway")
            for k, t in enumerate(TEXTS[:6])]
    old = plan("old", base)
    upd = [dict(r) for r in base]
    upd[1].update(status="completed", rag="blue", progress="Completed March")
    upd[3].update(rag="green", progress="Completed and ongoing")  # status the same
    upd[4].update(progress="Workshop held, report due")  # only the note moved: no change row
    upd[5].update(status="unknown", rag="")
    new = plan("new", upd)
    d = reconcile(old, new)
    assert xw(d) == {(o(k), n(k), "matched") for k in range(1, 7)}
    assert changes(d) == sorted([
        (o(2), n(2), "status", "in_progress", "completed", None), (o(2), n(2), "rag", "amber", "blue", None),
        (o(4), n(4), "rag", "amber", "green", None),
        (o(6), n(6), "status", "in_progress", "unknown", None), (o(6), n(6), "rag", "amber", "", None)])


def test_reworded_actions_and_field_changes():
    old = plan("old", [
        dict(ref="5.14", text="Ensure monthly 1-1s are held for all staff.", owner="AO", due_date="2019-03-31"),
        dict(ref="5.22", text="Effective two way communication with staff, seeking staff views on a regular basis.",
             owner="AO/DSP", due_date="2018-12-31"),
        dict(ref="5.23", text="Provide budget holder training in line with the CCG's Budgetary Control Policy.",
             owner="CFO", due_date="2019-06-30"),
        dict(ref="5.24", text="Review the CCG's demand and capacity plan - quarterly", owner="CFO"),
    ])
    new = plan("new", [
        dict(ref="6.14", text="Ensure monthly 1-1s for all staff.", owner="AO", due_date="2019-05-31",
             section="Workforce"),
        dict(ref="6.22",
             text="Effective two way communication with staff and views of staff sought on a regular basis.",
             owner="AO", due_date="2018-12-31", due_revised="2019-02-28", section="Workforce"),
        dict(ref="6.23", text="Provide budget holder training in line with CCG Budgetary Control Policy", owner="cfo ",
             due_date="2019-06-30", section="Finance"),
        dict(ref="6.24", text="Review  the CCG\u2019s demand and capacity plan \u2013 quarterly ", owner="CFO"),
    ])
    d = reconcile(old, new)
    assert xw(d) == {(o(k), n(k), "matched") for k in range(1, 5)}
    got = changes(d)
    assert (o(1), n(1), "due_date", "2019-03-31", "2019-05-31", 61) in got
    assert (o(1), n(1), "text", old[0].text, new[0].text, None) in got
    assert (o(2), n(2), "owner", "AO/DSP", "AO", None) in got
    assert (o(2), n(2), "due_revised", "", "2019-02-28", None) in got
    assert (o(2), n(2), "text", old[1].text, new[1].text, None) in got
    assert (o(3), n(3), "text", old[2].text, new[2].text, None) in got  # "the CCG's" dropped: a real change
    assert not [c for c in got if c[0] == o(3) and c[2] == "owner"]  # "cfo " == "CFO" after normalising
    # spacing, curly quotes and dashes are typography, not wording (punctuation and case are wording: the
    # real-world gold counts "this." -> "this" and "Team" -> "team" as text changes)
    assert not [c for c in got if c[0] == o(4) and c[2] == "text"]
    assert len([c for c in got if c[2] == "ref"]) == 4
    assert len(got) == 10
    by_field = {(c.old_action_id, c.field): c for c in d.changes}
    assert by_field[(o(1), "due_date")].section == "Workforce"


def test_split_and_merged_actions():
    whole = "Provide mindfulness training for managers and arrange an annual away day for all staff"
    part_a = "Provide mindfulness training for managers"
    part_b = "Arrange an annual away day for all staff"
    m1 = "Review the equality and diversity strategy"
    m2 = "Publish the workforce race equality standard report"
    merged = "Review the equality and diversity strategy and publish the workforce race equality standard report"
    old = plan("old", [dict(text=TEXTS[0]), dict(text=whole), dict(text=TEXTS[1]), dict(text=m1), dict(text=m2),
                       dict(text=TEXTS[2])])
    new = plan("new", [dict(text=TEXTS[0]), dict(text=part_a), dict(text=part_b), dict(text=TEXTS[1]),
                       dict(text=merged), dict(text=TEXTS[2])])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), n(1), "matched"), (o(2), n(2), "split"), (o(2), n(3), "split"),
                     (o(3), n(4), "matched"), (o(4), n(5), "merged"), (o(5), n(5), "merged"),
                     (o(6), n(6), "matched")}
    assert d.counts() == {"matched": 3, "added": 0, "removed": 0, "split": 1, "merged": 1}
    assert d.changes == []


def test_a_longer_rewrite_is_not_a_split():
    """One new row that carries the whole old text plus more, beside an unrelated new row: a match."""
    old = plan("old", [dict(text="Develop a talent mapping framework for senior staff")])
    new = plan("new", [dict(text="Develop and implement a talent mapping framework for senior staff across both CCGs"),
                       dict(text="Present the updated talent map to senior staff")])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), n(1), "matched"), ("", n(2), "added")}


def test_repeated_texts_paired_by_date():
    """Five rows all 'Training events' differing only by date: the first event has passed and gone,
    a new one is added at the end, one is rescheduled by a fortnight."""
    common = dict(text="Training events", goal="Developing Clinical Leadership", owner="Nikki Kanani")
    old_dates = ["2014-03-20", "2014-05-08", "2014-07-24", "2014-08-21", "2014-10-09"]
    new_dates = ["2014-05-08", "2014-08-07", "2014-08-21", "2014-10-09", "2014-12-11"]
    old = plan("old", [dict(common, due_date=x) for x in old_dates] + [dict(text=TEXTS[5])])
    new = plan("new", [dict(common, due_date=x) for x in new_dates] + [dict(text=TEXTS[5])])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), "", "removed"), (o(2), n(1), "matched"), (o(3), n(2), "matched"),
                     (o(4), n(3), "matched"), (o(5), n(4), "matched"), ("", n(5), "added"), (o(6), n(6), "matched")}
    assert changes(d) == [(o(3), n(2), "due_date", "2014-07-24", "2014-08-07", 14)]


def test_repeated_texts_without_dates_follow_order():
    old = plan("old", [dict(text=TEXTS[0])] + [dict(text="Training events", due_raw=f"session {k}")
                                               for k in range(4)] + [dict(text=TEXTS[1])])
    new = plan("new", [dict(text=TEXTS[0])] + [dict(text="Training events", due_raw=f"session {k}")
                                               for k in range(4)] + [dict(text=TEXTS[1])])
    d = reconcile(old, new)
    assert xw(d) == {(o(k), n(k), "matched") for k in range(1, 7)}
    assert d.changes == []


def test_added_and_dropped_only():
    old = plan("old", [dict(ref=f"{k + 1}", text=t) for k, t in enumerate(TEXTS[:4])])
    new = plan("new", [dict(ref="1", text=TEXTS[0]), dict(ref="2", text=TEXTS[1]), dict(ref="3", text=TEXTS[3]),
                       dict(ref="4", text=TEXTS[17])])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), n(1), "matched"), (o(2), n(2), "matched"), (o(3), "", "removed"),
                     (o(4), n(3), "matched"), ("", n(4), "added")}
    assert changes(d) == [(o(4), n(3), "ref", "4", "3", None)]


def test_empty_sides():
    a = plan("old", [dict(text=TEXTS[0])])
    assert xw(reconcile(a, [])) == {(o(1), "", "removed")}
    assert xw(reconcile([], plan("new", [dict(text=TEXTS[0])]))) == {("", n(1), "added")}
    assert reconcile([], []).crosswalk == []


def test_field_changes_values_and_slip():
    a = act("old", 1, "Do the thing", ref="5.1", status="in_progress", rag="amber", due_date="2019-03-31", owner="AO")
    b = act("new", 1, "Do the thing.", ref="6.1", status="completed", rag="green", due_date="2019-02-28", owner="AO",
            section="Workforce")
    rows = field_changes(a, b)
    assert [(r.field, r.old_value, r.new_value, r.slip_days) for r in rows] == [
        ("status", "in_progress", "completed", None), ("rag", "amber", "green", None),
        ("due_date", "2019-03-31", "2019-02-28", -31), ("text", "Do the thing", "Do the thing.", None),
        ("ref", "5.1", "6.1", None)]
    assert all(r.section == "Workforce" for r in rows)


def test_write_diff_outputs(tmp_path: Path):
    old = plan("old", [dict(ref="5.1", text=TEXTS[0], status="in_progress"), dict(ref="5.2", text=TEXTS[1])])
    new = plan("new", [dict(ref="6.1", text=TEXTS[0], status="completed"), dict(ref="6.2", text=TEXTS[2])])
    d = reconcile(old, new)
    out = tmp_path / "nested" / "diff"
    write_diff(d, DocumentResult(doc_id="old", path="old.pdf", actions=old),
               DocumentResult(doc_id="new", path="new.pdf", actions=new), out)
    assert sorted(p.name for p in out.iterdir()) == ["changes.csv", "crosswalk.csv", "report.html"]  # no temp files
    with open(out / "crosswalk.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0].keys()) == schema.columns("crosswalk")
    assert [(r["old_action_id"], r["new_action_id"], r["match"]) for r in rows] == [
        (o(1), n(1), "matched"), (o(2), "", "removed"), ("", n(2), "added")]
    assert float(rows[0]["score"]) > 80 and rows[1]["score"] == ""
    with open(out / "changes.csv", newline="", encoding="utf-8") as fh:
        ch = list(csv.DictReader(fh))
    assert list(ch[0].keys()) == schema.table("changes").contract
    assert [(r["field"], r["from"], r["to"], r["slip_days"]) for r in ch] == [
        ("status", "in_progress", "completed", ""), ("ref", "5.1", "6.1", "")]
    assert ch[0]["old_text"] == TEXTS[0]


@pytest.mark.parametrize("size", [300])
def test_large_plan_is_fast(size: int):
    import random
    import time

    rng = random.Random(7)
    words = ("review develop ensure provide staff training plan board quality finance risk governance "
             "leadership workforce strategy report audit patient safety digital estates").split()
    texts = [" ".join(rng.choice(words) for _ in range(9)) + f" item {k}" for k in range(size)]
    old = plan("old", [dict(ref=f"{k // 20 + 1}.{k % 20 + 1}", text=t) for k, t in enumerate(texts)])
    new = plan("new", [dict(ref=f"{k // 20 + 2}.{k % 20 + 1}", text=t) for k, t in enumerate(texts)])
    t0 = time.perf_counter()
    d = reconcile(old, new)
    assert time.perf_counter() - t0 < 5
    assert sum(1 for r in d.crosswalk if r.match == "matched") >= size * 0.95


def test_heavy_rewording_needs_support_from_slot_owner_and_date():
    """A rewrite sharing few characters in order pairs when ref slot, owner and date agree; a different
    action put in the same slot, with its own owner and date, does not."""
    old = plan("old", [dict(ref="5.1", text=TEXTS[0]),
                       dict(ref="5.2", text="Recruitment tracker monitored on a weekly basis.", owner="HRBP",
                            due_date="2019-03-31"),
                       dict(ref="5.3", text="Induction programme in place for all new Governing Body members",
                            owner="AO", due_date="2019-06-30"),
                       dict(ref="5.4", text=TEXTS[3])])
    new = plan("new", [dict(ref="6.1", text=TEXTS[0]),
                       dict(ref="6.2", text="Weekly monitoring of the recruitment tracker", owner="HRBP",
                            due_date="2019-03-31"),
                       dict(ref="6.3", text="Personal development plan in place for each Governing Body member",
                            owner="CFO", due_date="2020-03-31"),
                       dict(ref="6.4", text=TEXTS[3])])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), n(1), "matched"), (o(2), n(2), "matched"), (o(3), "", "removed"),
                     ("", n(3), "added"), (o(4), n(4), "matched")}


def test_repeated_texts_in_a_scrambled_table_follow_dates():
    dates = ["2014-03-20", "2014-05-08", "2014-07-24", "2014-08-21", "2014-10-09"]
    old = plan("old", [dict(text="Training events", due_date=x) for x in dates])
    perm = [3, 0, 4, 2, 1]
    new = plan("new", [dict(text="Training events", due_date=dates[p]) for p in perm])
    d = reconcile(old, new)
    assert xw(d) == {(o(p + 1), n(k + 1), "matched") for k, p in enumerate(perm)}
    assert d.changes == []


def test_repeated_meeting_dates_in_the_ref_column_identify_nothing():
    """An action log whose only number column holds the date of the meeting that raised each action: the
    dates repeat, so they must not pair two different actions raised the same day (here the recruitment
    action was dropped, and a new one of the same meeting, worded alike, was appended)."""
    old = plan("old", [dict(ref="19/05/2011", text=TEXTS[0]), dict(ref="19/05/2011", text=TEXTS[8]),
                       dict(ref="19/05/2011", text=TEXTS[2]), dict(ref="08/06/2011", text=TEXTS[3]),
                       dict(ref="08/06/2011", text=TEXTS[4])])
    new = plan("new", [dict(ref="19/05/2011", text=TEXTS[0]), dict(ref="19/05/2011", text=TEXTS[2]),
                       dict(ref="08/06/2011", text=TEXTS[3]), dict(ref="08/06/2011", text=TEXTS[4]),
                       dict(ref="19/05/2011", text="Recruitment plan reviewed on a weekly basis by the HR director")])
    d = reconcile(old, new)
    assert xw(d) == {(o(1), n(1), "matched"), (o(2), "", "removed"), (o(3), n(2), "matched"),
                     (o(4), n(3), "matched"), (o(5), n(4), "matched"), ("", n(5), "added")}
    assert d.changes == []
