"""The two version pairs and their expected crosswalks and changes."""
from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from tests.synth.model import (
    Action,
    ActionTable,
    Column,
    Doc,
    Due,
    GroupRow,
    Heading,
    Para,
    Text,
    add_months,
    cover,
    due_of,
    rand_due,
    revised,
    weighted,
)
from tests.synth.text import TextMaker

# =========================================================================== pair 1: with refs

PAIR_STATUS = {"in_progress": "In progress", "completed": "Completed", "delayed": "Delayed",
               "not_started": "Not started"}


@dataclass
class PlanItem:
    """One action of a versioned plan, before rendering (key = identity across versions)."""
    key: str
    text: str
    finding: str
    owner: str
    due: Due
    status: str
    rag: Optional[str] = None
    progress: str = ""


def pair_rag(rng: random.Random, status: str) -> Optional[str]:
    return {"completed": "blue", "delayed": "red", "not_started": None,
            "in_progress": weighted(rng, [("green", 3), ("amber", 1)])}[status]


def build_well_led_pair(rng: random.Random) -> tuple[Doc, Doc, dict[str, Any]]:
    """v2 inserts a section (old 3.x -> 4.x), inserts an action (2.3 on shift), drops two, splits one,
    rewords three and moves statuses/RAG, due dates, one revised date and two owners."""
    tm = TextMaker(rng, ((2021, 10), (2022, 2)), ((2022, 4), (2023, 3)))
    execs = ["Chief Executive", "Chair", "Director of Governance", "Chief Nurse", "Medical Director",
             "Director of People", "Chief Operating Officer", "Director of Strategy"]
    sections = [("Strategy and leadership", "governance",
                 ["The Board has not yet agreed a clear long-term strategy",
                  "Leadership capacity below Board level is stretched"]),
                ("Governance and risk", "finance",
                 ["The Board Assurance Framework is not used to drive agendas",
                  "Committee reporting lacks analysis of trends"]),
                ("Culture and engagement", "workforce",
                 ["Staff survey results show low confidence in raising concerns",
                  "Staff networks are not yet well established"]),
                ("Quality improvement", "quality",
                 ["There is no consistent quality improvement method",
                  "Learning from incidents is not shared widely"])]
    v1: list[tuple[str, list[PlanItem]]] = []
    k = 0
    for name, domain, findings in sections:
        items = []
        for finding in findings:
            for _ in range(rng.randint(2, 4)):
                k += 1
                status = weighted(rng, [("in_progress", 5), ("not_started", 2), ("completed", 2), ("delayed", 1)])
                items.append(PlanItem(f"k{k}", tm.action(domain, 0.2), finding, tm.pick(execs),
                                      rand_due(rng, (2022, 4), (2023, 3), ["month:Mon YYYY"]), status,
                                      pair_rag(rng, status)))
        v1.append((name, items))
    v2 = copy.deepcopy(v1)
    touched: set[str] = set()

    def pick(sec: int) -> PlanItem:
        it = rng.choice([x for x in v2[sec][1] if x.key not in touched])
        touched.add(it.key)
        return it

    v2[0][1].remove(pick(0))
    v2[3][1].remove(pick(3))
    sp = pick(2)
    sp.text, part_b = split_text(sp.text)
    v2[2][1].insert(v2[2][1].index(sp) + 1, PlanItem("split-b", part_b, sp.finding, sp.owner,
                                                      due_of("month:Mon YYYY", 2023, 3, rng), "not_started"))
    for sec in (0, 1, 3):
        it = pick(sec)
        it.text = reword(it.text)
    old_items = [it for _, items in v2 for it in items if it.key.startswith("k")]
    for it in rng.sample([x for x in old_items if x.status != "completed"], 8):
        it.status = {"not_started": "in_progress", "delayed": "in_progress",
                     "in_progress": weighted(rng, [("completed", 3), ("delayed", 1)])}[it.status]
        it.rag = pair_rag(rng, it.status)
    for it in rng.sample(old_items, 3):
        y, m = int(it.due.date[:4]), int(it.due.date[5:7])  # type: ignore[index]
        it.due = due_of("month:Mon YYYY", *add_months(y, m, 3), rng)
    rev = rng.choice([x for x in old_items if x.status != "completed" and not x.due.revised])
    rev.due = revised(rev.due, *add_months(int(rev.due.date[:4]), int(rev.due.date[5:7]), 4))  # type: ignore[index]
    for it in rng.sample(old_items, 2):
        it.owner = rng.choice([e for e in execs if e != it.owner])
    v2[1][1].insert(2, PlanItem("new-2", tm.action("finance", 0.2), v2[1][1][2].finding, tm.pick(execs),
                                due_of("month:Mon YYYY", 2022, 12, rng), "in_progress", "green"))
    v2.insert(2, ("Digital and data", [PlanItem(f"new-d{i}", tm.action("digital", 0.2),
                                                "Board reports do not make enough use of data", tm.pick(execs),
                                                rand_due(rng, (2022, 10), (2023, 6), ["month:Mon YYYY"]),
                                                "not_started") for i in range(4)]))

    def render(version: str, secs: list[tuple[str, list[PlanItem]]], vlabel: str, date_str: str,
               iso: str) -> Doc:
        doc = Doc(f"brackenford-trust-well-led-plan-{version}", "Well-Led Review: Action Plan",
                  "Brackenford Healthcare NHS Foundation Trust", vlabel, iso,
                  f"Brackenford Healthcare NHS FT \u2013 Well-Led action plan ({version})")
        cover(doc, [("Brackenford Healthcare NHS Foundation Trust", 20, True),
                    ("Well-Led Review: Action Plan", 18, True), (f"Version {vlabel}", 12, False),
                    (f"Issued: {date_str}", 12, False)])
        doc.add(Heading("Background"),
                Text("An independent well-led review reported to the Board in January 2022. This plan sets "
                     "out the Trust's response to each finding. Status is reported in the Status column and "
                     "the RAG rating is shown by colour and letter."))
        rows: list[Union[Action, GroupRow]] = []
        for si, (name, items) in enumerate(secs, 1):
            section = f"{si}. {name}"
            rows.append(GroupRow(section))
            for ii, it in enumerate(items, 1):
                rows.append(Action(ref=f"{si}.{ii}", text=[Para(it.text)], goal=it.finding, section=section,
                                   owner=it.owner, due=it.due, status=it.status, rag=it.rag,
                                   status_text=PAIR_STATUS[it.status], key=it.key))
        doc.add(Heading("Action plan"),
                ActionTable([Column("Ref", 0.5, "ref"), Column("Finding", 1.7, "goal"),
                             Column("Action", 2.6, "text"), Column("Executive lead", 1.2, "owner"),
                             Column("By when", 1.0, "due"), Column("Status", 0.9, "status"),
                             Column("RAG", 0.45, "rag")], rows, rag_style="fill_letter", rules="grid",
                            engine="platypus", merge=("goal",), font_size=8, header_fill="C5E0B3",
                            group_fill="E2EFD9"))
        return doc

    d_v1 = render("v1", v1, "1.0", "10 March 2022", "2022-03-10")
    d_v2 = render("v2", v2, "2.0", "8 September 2022", "2022-09-08")
    return d_v1, d_v2, pair_gold(d_v1, d_v2, {"split-b"})


def split_text(text: str) -> tuple[str, str]:
    """One action split into two phases; the first keeps the identity of the original."""
    base = text.rstrip(".")
    return f"{base} \u2013 phase 1: design and pilot", f"{base} \u2013 phase 2: roll-out and evaluation"


REWORDS = [(r"^Review\b", "Undertake a review of"), (r"^Develop\b", "Co-produce"), (r"^Improve\b", "Further improve"),
           (r"^Introduce\b", "Implement"), (r"^Strengthen\b", "Further strengthen"), (r"^Agree\b", "Finalise"),
           (r"^Establish\b", "Set up"), (r"^Publish\b", "Produce and publish")]


def reword(text: str) -> str:
    """A slight rewording: a different opening verb, else a short addition."""
    for pat, rep in REWORDS:
        if re.search(pat, text):
            return re.sub(pat, rep, text, count=1)
    return text.rstrip(".") + " across the Trust"


def pair_gold(old: Doc, new: Doc, unmatched_new: set[str]) -> dict[str, Any]:
    """Diff by action identity (key, or text when keys are absent)."""
    olds = old.actions()
    news = new.actions()

    def ident(a: Action) -> str:
        return a.key or a.gold_text

    new_by = {ident(a): a for a in news if ident(a) not in unmatched_new}
    matches, changes, removed = [], [], []
    matched_new: set[str] = set()
    for o in olds:
        n = new_by.get(ident(o))
        if n is None:
            removed.append({"ref": o.ref, "text": o.gold_text})
            continue
        matched_new.add(ident(n))
        matches.append({"old_ref": o.ref, "old_text": o.gold_text, "new_ref": n.ref, "new_text": n.gold_text})
        og, ng = o.gold(), n.gold()
        for fld in ["ref", "status", "rag", "due_date", "due_revised", "owner", "text"]:
            if og[fld] != ng[fld]:
                changes.append({"old_ref": o.ref, "new_ref": n.ref, "new_text": n.gold_text, "field": fld,
                                "from": og[fld], "to": ng[fld]})
    added = [{"ref": a.ref, "text": a.gold_text} for a in news if ident(a) not in matched_new]
    return {"pair_id": f"{old.doc_id}__{new.doc_id.rsplit('-', 1)[1]}", "old": old.doc_id, "new": new.doc_id,
            "matches": matches, "added": added, "removed": removed, "changes": changes}


# =========================================================================== pair 2: no refs

def build_childrens_pair(rng: random.Random) -> tuple[Doc, Doc, dict[str, Any]]:
    """No refs at all; v2 shuffles rows within each section and moves RAG ratings and progress notes."""
    tm = TextMaker(rng, ((2021, 1), (2021, 6)), ((2021, 10), (2022, 6)))
    officers = ["Director of Children's Services", "Head of Early Help", "Principal Social Worker",
                "Head of Safeguarding and QA", "Service Manager \u2013 Children in Care",
                "Workforce Development Manager", "Head of Commissioning"]
    rag_of = {"completed": "blue", "delayed": "red", "not_started": None}
    v1: list[tuple[str, list[PlanItem]]] = []
    for si, name in enumerate(["Front door and early help", "Quality of practice",
                               "Children in care and care leavers", "Workforce and leadership"]):
        items = []
        for i in range(rng.randint(4, 5)):
            status = weighted(rng, [("in_progress", 5), ("not_started", 2), ("completed", 1), ("delayed", 1.5)])
            items.append(PlanItem(f"s{si}i{i}", tm.action("children", 0.15, "council"), "", tm.pick(officers),
                                  rand_due(rng, (2021, 9), (2022, 6), ["month:Month YYYY", "dmy", "quarter"]),
                                  status, rag_of.get(status, rng.choice(["green", "amber"])), tm.progress(status)))
        v1.append((name, items))
    v2 = copy.deepcopy(v1)
    for it in rng.sample([x for _, items in v2 for x in items], 8):
        if it.status == "in_progress" and rng.random() < 0.4:  # same status, new note, RAG moves
            it.rag = "amber" if it.rag == "green" else "green"
        else:
            it.status = {"not_started": "in_progress", "delayed": rng.choice(["in_progress", "completed"]),
                         "in_progress": rng.choice(["completed", "delayed"]), "completed": "completed"}[it.status]
            it.rag = rag_of.get(it.status, rng.choice(["green", "amber"]))
        note = tm.progress(it.status)
        while note == it.progress:
            note = tm.progress(it.status)
        it.progress = note
    for _, items in v2:
        order = items[:]
        while order == items:
            rng.shuffle(order)
        items[:] = order

    def render(version: str, secs: list[tuple[str, list[PlanItem]]], date_str: str, iso: str) -> Doc:
        doc = Doc(f"millbrook-council-childrens-plan-{version}", "Children's Services Improvement Plan",
                  "Millbrook Borough Council", "", iso, "Millbrook Borough Council | Children's Services")
        cover(doc, [("Millbrook Borough Council", 20, True), ("Children's Services Improvement Plan", 18, True),
                    ("Progress report to the Improvement Board", 13, False), (f"Report date: {date_str}", 12, False)])
        doc.add(Heading("Progress against the plan"),
                Text("The table sets out each action with the responsible officer, the target date, the latest "
                     "progress note and a RAG rating."))
        rows: list[Union[Action, GroupRow]] = []
        for name, items in secs:
            rows.append(GroupRow(name))
            for it in items:
                rows.append(Action(ref="", text=[Para(it.text)], section=name, owner=it.owner, due=it.due,
                                   status=it.status, rag=it.rag, progress=[Para(it.progress)] if it.progress else [],
                                   key=it.key))
        doc.add(ActionTable([Column("Action", 2.6, "text"), Column("Responsible officer", 1.4, "owner"),
                             Column("Target date", 0.9, "due"), Column("Progress", 2.6, "progress"),
                             Column("RAG", 0.6, "rag")], rows, rag_style="word", rules="horizontal",
                            engine="drawn", font_size=8.5, header_fill=None, group_fill="F2F2F2"))
        return doc

    d1 = render("v1", v1, "5 July 2021", "2021-07-05")
    d2 = render("v2", v2, "4 October 2021", "2021-10-04")
    return d1, d2, pair_gold(d1, d2, set())
