"""Family documents whose action tables differ in what their columns are called, or in whether they have a
header at all: the action column's many names, blank header cells, header-less group tables, key-value
tables, merged cells, numbered headings, checkbox status lists and completion grids."""
from __future__ import annotations

import random

from tests.synth.fam_common import Ctx, Row
from tests.synth.model import (
    NO_DUE,
    Action,
    ActionTable,
    Column,
    Doc,
    GroupRow,
    Heading,
    KeyValueTable,
    Para,
    Text,
)

OWNER_TITLES = ["Lead", "Owner", "Responsible", "Lead officer", "Accountable lead", "Responsible officer"]
US_OWNER_TITLES = ["Lead office", "Responsible official", "Owner", "Lead agency"]
DUE_TITLES = ["Due", "Target date", "Deadline", "By when", "Completion date", "Timescale"]
STATUS_TITLES = ["Status", "Progress status", "Current status", "Position"]
PROGRESS_TITLES = ["Update", "Progress update", "Comments", "Commentary"]


def owner_titles(ctx: Ctx) -> list[str]:
    return US_OWNER_TITLES if ctx.org.us else OWNER_TITLES


def ref_of(style: str, k: int, n: int) -> str:
    """The printed ref of row n in group k: n '3' | dotted '2.3' | letter 'B3' | paren '3)' | none ''."""
    return {"n": str(n), "dotted": f"{k}.{n}", "letter": f"{'ABCDEFGH'[k - 1]}{n}", "paren": f"{n})",
            "none": ""}[style]


# =========================================================================== the action column's many names

ACTION_WORDS: dict[str, tuple[list[str], list[str]]] = {  # variant -> (header wordings, organisation kinds)
    "milestone": (["Milestone", "Key milestone", "Milestones"], ["trust", "icb", "university"]),
    "commitment": (["Commitment", "Our commitment", "Commitments"], ["gov", "council", "us_agency"]),
    "activity": (["Activity", "Activities", "Key activity"], ["charity", "council", "housing"]),
    "deliverable": (["Deliverable", "Key deliverable", "Deliverables"], ["us_agency", "us_city", "icb"]),
    "recommendation": (["Recommendation", "Audit recommendation", "Recommendations"], ["police", "fire", "council"]),
    "task": (["Task", "Tasks", "Task description"], ["housing", "university", "us_city"]),
    # wordings that a header vocabulary is unlikely to hold: the column must be recognised by its content
    "unusual": (["How we will get there", "Planned improvement", "Our promise", "What needs to happen",
                 "Work to be done", "Improvement to be made"], None),
}


def build_action_word(variant: str):  # type: ignore[no-untyped-def]
    words, kinds = ACTION_WORDS[variant]

    def build(rng: random.Random) -> Doc:
        ctx = Ctx(rng, kinds=kinds)
        word = rng.choice(words)
        doc = ctx.doc(f"action-header-{variant}", f"{variant}-plan",
                      rng.choice(["Delivery Plan", "Improvement Plan", "Action Plan", "Implementation Plan"])
                      + f" {ctx.when.year}")
        ctx.intro(doc, "the actions we have agreed")
        ref_style = rng.choice(["n", "dotted", "letter", "none"])
        cols = ([ctx.col(["Ref", "No.", "#"], 0.45, "ref")] if ref_style != "none" else []) + [
            ctx.col(word, 2.6, "text"), ctx.col(owner_titles(ctx), 1.2, "owner"), ctx.col(DUE_TITLES, 0.9, "due"),
            ctx.col(STATUS_TITLES, 0.8, "status")]
        with_progress = rng.random() < 0.5
        if with_progress:
            cols.append(ctx.col(PROGRESS_TITLES, 1.8, "progress"))
        owner_style = rng.choice(["post", "post", "name", "department"] if ctx.org.kind in ("gov", "us_agency")
                                 else ["post", "post", "name"])
        groups = rng.choice([1, 2, 3])
        names = rng.sample(["Leadership", "People", "Partnerships", "Data and digital", "Finance", "Communities",
                            "Quality", "Infrastructure"], groups)
        numbered = rng.random() < 0.5
        rows: list[Row] = []
        for k in range(1, groups + 1):
            section = ""
            if groups > 1:
                section = f"{k}. {names[k - 1]}" if numbered else names[k - 1]
                rows.append(GroupRow(section))
            for n in range(1, rng.randint(3, 6) + 1):
                rows.append(ctx.action(ref_of(ref_style, k, n), section or "Action plan", owner_style=owner_style,
                                       with_progress=with_progress))
        doc.add(Heading("Action plan"), ActionTable(cols, rows, rules="grid", font_size=rng.choice([8.0, 8.5, 9.0]),
                                                    engine=rng.choice(["platypus", "drawn"]),
                                                    header_fill=rng.choice(["D9D9D9", "DEEAF6", None])))
        doc.notes.append(f"The action column is headed '{word}'; every body row is an action.")
        return doc

    return build


# =========================================================================== blank header cells

def build_blank_header(variant: str):  # type: ignore[no-untyped-def]
    def build(rng: random.Random) -> Doc:
        ctx = Ctx(rng)
        doc = ctx.doc(f"blank-header-{variant}", f"action-plan-blank-{variant}",
                      rng.choice(["Action Plan", "Recovery Plan", "Service Plan"]) + f" {ctx.when.year}")
        ctx.intro(doc, "our action plan")
        ref_col = Column("" if variant == "ref" else rng.choice(["Ref", "No."]), ctx.width(0.45), "ref")
        text_col = Column("" if variant == "action" else rng.choice(["Action", "Actions"]), ctx.width(2.6), "text")
        cols = [ref_col, text_col, ctx.col(owner_titles(ctx), 1.2, "owner"), ctx.col(DUE_TITLES, 0.9, "due"),
                ctx.col(STATUS_TITLES, 0.8, "status")]
        with_progress = variant == "action" and rng.random() < 0.5
        if with_progress:
            cols.append(ctx.col(PROGRESS_TITLES, 1.6, "progress"))
        ref_style = rng.choice(["n", "dotted", "paren"])
        rows: list[Row] = [ctx.action(ref_of(ref_style, 1, n), "Action plan", with_progress=with_progress)
                           for n in range(1, rng.randint(7, 11) + 1)]
        doc.add(Heading("Action plan"), ActionTable(cols, rows, rules="grid", font_size=8.5,
                                                    engine=rng.choice(["platypus", "drawn"])))
        doc.notes.append(f"The {'ref' if variant == 'ref' else 'action'} column's header cell is empty.")
        return doc

    return build


# =========================================================================== header-less tables under group headings

LOG_STATUS = {"New": ("not_started", True), "Ongoing": ("in_progress", False),
              "Carried forward": ("delayed", False), "Completed": ("completed", False)}
LOG_GROUPS = ["Secretariat", "Communications Workstream", "General", "Data quality", "Licensing", "KPIs and Risk",
              "Other", "Engagement with users", "Website"]
TOPICS_UK = ["National Address Dataset", "Road traffic counts", "Land ownership register", "Charity register",
             "School performance tables", "Weather observations", "Bus timetable data", "Planning decisions",
             "River level readings", "Business rates list", "Company accounts", "Hospital waiting times"]
TOPICS_US = ["Broadband affordability data", "Disaster loan data", "Rental assistance program", "Language access",
             "Grant reporting portal", "Summer meals program", "Tribal consultation", "Small business lending",
             "Environmental justice screening", "Housing stability data"]


def build_headerless(variant: str):  # type: ignore[no-untyped-def]
    """Action logs: one small ruled table per group heading, no header row; 'Action | Status' (2col) or
    'Action | initials | Status' (3col); the heading may name the lead ('... – Lead HS/BB')."""

    def build(rng: random.Random) -> Doc:
        ctx = Ctx(rng, kinds=["gov", "council", "charity", "us_agency"])
        doc = ctx.doc(f"headerless-groups-{variant}", f"action-log-{variant}",
                      rng.choice(["Action Log", "Actions Log", "Log of Actions"]), cover_page=False, version="")
        doc.add(Text(rng.choice(["All actions are for the next meeting unless otherwise stated.",
                                 "Actions agreed at previous meetings and their current position."])))
        topics = TOPICS_US if ctx.org.us else TOPICS_UK
        names = rng.sample(LOG_GROUPS, 3) + rng.sample(topics, rng.randint(5, 6))
        rng.shuffle(names)
        with_lead = set(rng.sample(range(len(names)), len(names) // 2 + 1))
        long_at = set(rng.sample(range(2, len(names)), 2))
        words = list(LOG_STATUS)
        dash = rng.choice([" \u2013 ", " - "])
        w_text, w_status = ctx.width(4.0), ctx.width(1.1)
        for gi, name in enumerate(names):
            lead = ctx.people.ini(rng.choice([1, 1, 2])) if gi in with_lead and name not in LOG_GROUPS else ""
            heading = name + (f"{dash}{rng.choice(['Lead ', 'Lead ', ''])}{lead}" if lead else "")
            n = rng.randint(7, 10) if gi in long_at else rng.randint(1, 4)
            rows: list[Row] = []
            for _ in range(n):
                word = rng.choices(words, weights=[3, 1, 4, 2])[0]
                status, is_new = LOG_STATUS[word]
                a = Action(ref="", text=[Para(ctx.text(0.15))], section=heading, owner=lead, status=status,
                           status_text=word, new=is_new)
                if variant == "3col":
                    own = ctx.people.ini(rng.choice([1, 1, 2])) if rng.random() < 0.7 else ""
                    a.extra["who"] = own
                    a.owner = own or lead
                rows.append(a)
            cols = [Column("", w_text, "text")]
            if variant == "3col":
                cols.append(Column("", 0.7, "extra:who"))
            cols.append(Column("", w_status, "status"))
            doc.add(Heading(heading, 2, keep=40.0),
                    ActionTable(cols, rows, rules="grid", engine="drawn", header=False, font_size=9.0,
                                header_fill=None, group_fill=None))
        doc.notes += ["Tables have no header row; every row is an action.",
                      "owner: the initials cell (3col), else the lead named in the heading, else ''.",
                      "Status words: New -> not_started with is_new true; Ongoing -> in_progress; "
                      "Carried forward -> delayed; Completed -> completed.",
                      "One group (the longest) runs on to the next page without its heading repeated."]
        return doc

    return build


# =========================================================================== key-value tables

KV_KEYS = {
    "owner": ["Lead organisation", "Lead government actors", "Lead agency", "Responsible body",
              "Lead implementing agency"],
    "extra:others": ["Other actors involved", "Supporting organisations", "Partners"],
    "extra:start": ["Start date", "Start"],
    "due": ["End date", "Completion date", "Deadline"],
    "goal": ["Main objective", "Objective", "Aim of the commitment"],
    "extra:problem": ["Status quo or problem addressed", "Problem to be addressed", "Background"],
    "text": ["Brief description", "Description of commitment", "What will be done", "Commitment description"],
    "status": ["Completion level", "Level of completion", "Progress"],
}
COMPLETION = {"Not started": "not_started", "Limited": "in_progress", "Substantial": "in_progress",
              "Completed": "completed"}


def build_key_value(rng: random.Random) -> Doc:
    """One 2-column table per commitment under a numbered heading ('Commitment 3: ...')."""
    ctx = Ctx(rng, kinds=["gov", "us_agency", "council"])
    doc = ctx.doc("key-value", "national-action-plan-commitments",
                  rng.choice(["National Action Plan", "Open Government Action Plan", "Transparency Commitments"])
                  + f" {ctx.when.year}\u2013{(ctx.when.year + 2) % 100:02d}")
    ctx.intro(doc, "the commitments of this action plan")
    order = ["owner", "extra:others", "extra:start", "due", "goal", "extra:problem", "text", "status"]
    if rng.random() < 0.5:
        order = ["extra:start", "due", "owner", "extra:others", "extra:problem", "goal", "text", "status"]
    keys = [(rng.choice(KV_KEYS[r]), r) for r in order]
    label = rng.choice(["Commitment {n}: ", "Commitment {n} \u2013 ", "Commitment {n}. "])
    for n in range(1, rng.randint(5, 7) + 1):
        title = ctx.tm.fill(rng.choice(["Open data on {us_topic}", "Opening up {dataset}", "Data on {us_topic}",
                                        "Better access to {dataset}"])) if ctx.org.kind != "council" else \
            ctx.tm.fill(rng.choice(["Open data on {topic}", "Transparency in {topic}"]))
        title = title[0].upper() + title[1:]
        heading = label.format(n=n) + title
        status_word = rng.choice(list(COMPLETION))
        start = ctx.due(["month:Month YYYY"] if not ctx.org.us else ["month"])
        objective = (ctx.tm.fill("To improve {us_topic}.") if ctx.org.us
                     else ctx.tm.fill("To make {dataset} easier to find and use."))
        a = Action(ref=str(n), text=[Para(ctx.text(0.3) + ".")], goal=title, shown={"goal": objective},
                   section=heading, owner=ctx.people.department() if ctx.org.kind != "council" else ctx.people.post(),
                   due=ctx.due(), status=COMPLETION[status_word], status_text=status_word,
                   extra={"others": ", ".join(rng.sample(ctx.people.departments, 2)), "start": start.raw,
                          "problem": ctx.tm.fill("Users find it hard to reuse {dataset}.")})
        doc.add(Heading(heading, 2), KeyValueTable(a, keys, widths=(ctx.width(1.0), ctx.width(2.6)),
                                                   key_fill=rng.choice(["DEEAF6", "F2F2F2", None])))
    doc.notes += ["One action per key-value table: ref = the number of the 'Commitment N' heading; text = the "
                  "description key's value; goal = the heading's title without its number (the objective key's value "
                  "is printed in the table only); owner = the lead key's value; due = "
                  "the end date; status from the completion level (Not started -> not_started, Limited / "
                  "Substantial -> in_progress, Completed -> completed); section = the heading as printed."]
    return doc


# =========================================================================== vertically merged cells

def build_merged(rng: random.Random) -> Doc:
    """Goal, owner, due and status cells merged over runs of rows: a short ruled platypus table (SPAN) and a
    longer hand-drawn one whose merges continue over a page break."""
    ctx = Ctx(rng, country="UK")
    doc = ctx.doc("merged-cells", "delivery-plan-merged", "Strategy Delivery Plan " + str(ctx.when.year))
    ctx.intro(doc, "how the strategy will be delivered")

    def runs(n: int, goal: str, section: str, ref_prefix: str) -> list[Row]:
        rows: list[Row] = []
        owner, due, status = ctx.people.post(), ctx.due(), ctx.status()
        for i in range(1, n + 1):
            if i > 1 and rng.random() < 0.45:
                owner = ctx.people.post()
            if i > 1 and rng.random() < 0.5:
                due = ctx.due()
            if i > 1 and rng.random() < 0.5:
                status = ctx.status()
            rows.append(Action(ref=f"{ref_prefix}{i}" if ref_prefix else "", text=[Para(ctx.text())], goal=goal,
                               section=section, owner=owner, due=due, status=status,
                               status_text=ctx.voice.word(status)))
        return rows

    goals = ctx.goals(5)
    sec_a = "Part A: Priorities for this year"
    rows_a = runs(3, goals[0], sec_a, "") + runs(rng.randint(2, 3), goals[1], sec_a, "")
    doc.add(Heading(sec_a), ActionTable(
        [ctx.col(["Goal", "Objective", "Aim"], 1.3, "goal"), ctx.col(["Action", "Actions"], 2.4, "text"),
         ctx.col(owner_titles(ctx), 1.1, "owner"), ctx.col(DUE_TITLES, 0.9, "due"),
         ctx.col(["Status", "Current status"], 0.8, "status")],
        rows_a, rules="grid", engine="platypus", merge=("goal", "owner", "due", "status"), font_size=8.0))
    sec_b = "Part B: Longer-term actions"
    rows_b: list[Row] = []
    for gi, goal in enumerate(goals[2:], 1):
        rows_b += runs(rng.randint(4, 6), goal, sec_b, f"{gi}.")
    for r in rows_b:
        if isinstance(r, Action):
            r.progress = ctx.progress(r.status)
    doc.add(Heading(sec_b), ActionTable(
        [Column("Ref", 0.45, "ref"), ctx.col(["Goal", "Strategic aim"], 1.3, "goal"), Column("Action", 2.2, "text"),
         ctx.col(owner_titles(ctx), 1.0, "owner"), ctx.col(DUE_TITLES, 0.85, "due"),
         Column("Status", 0.75, "status"), ctx.col(PROGRESS_TITLES, 2.0, "progress")],
        rows_b, rules="grid", engine="drawn", merge=("goal", "owner", "due", "status"), font_size=8.0))
    doc.notes.append("A vertically merged goal / owner / due / status cell belongs to every row it spans.")
    return doc


# =========================================================================== numbered headings as goals

def build_numbered_headings(rng: random.Random) -> Doc:
    ctx = Ctx(rng)
    doc = ctx.doc("numbered-headings", "priorities-plan", rng.choice(["Corporate Plan", "Business Plan",
                                                                       "Annual Plan"]) + f" {ctx.when.year}")
    ctx.intro(doc, "our priorities and the actions under each")
    label = rng.choice(["Priority {n}: ", "Objective {n}: ", "Commitment {n} \u2013 ", "Goal {n}. ", "Ambition {n}: "])
    ref_style = rng.choice(["dotted", "n", "none"])
    cols = ([Column("Ref", 0.45, "ref")] if ref_style != "none" else []) + [
        ctx.col(["Action", "Actions", "What we will do"], 2.6, "text"), ctx.col(owner_titles(ctx), 1.2, "owner"),
        ctx.col(DUE_TITLES, 0.9, "due"), ctx.col(STATUS_TITLES, 0.8, "status")]
    goals = ctx.goals(5)
    for k in range(1, rng.randint(3, 5) + 1):
        heading = label.format(n=k) + goals[k - 1]
        rows: list[Row] = [ctx.action(ref_of(ref_style, k, n), heading, goal=goals[k - 1])
                           for n in range(1, rng.randint(3, 5) + 1)]
        doc.add(Heading(heading, 2), ActionTable(cols, rows, rules="grid", font_size=8.5,
                                                 engine=rng.choice(["platypus", "drawn"])))
    doc.notes.append("section = the numbered heading right above the table, as printed; goal = its title "
                     "without the number label.")
    return doc


# =========================================================================== checkbox lists and completion grids

CHECKBOX_OPTIONS = [("Already implemented", "completed"), ("Implementation underway", "in_progress"),
                    ("Planned", "not_started"), ("Not yet started", "not_started")]


def build_checkbox(rng: random.Random) -> Doc:
    ctx = Ctx(rng, country="US")
    doc = ctx.doc("checkbox-status", "implementation-status-checklist",
                  rng.choice(["Implementation Status Report", "Equity Action Plan Progress"]), font="DejaVu")
    ctx.intro(doc, "the status of each action")
    options = tuple(o for o, _ in CHECKBOX_OPTIONS)
    rows: list[Row] = []
    for n in range(1, rng.randint(6, 9) + 1):
        opt, status = rng.choice(CHECKBOX_OPTIONS) if n != 3 else ("", "unknown")  # row 3: nothing ticked
        a = ctx.action(str(n), "Actions", owner_style="department", status="completed")
        a.status, a.status_text = status, opt
        rows.append(a)
    doc.add(Heading("Actions"), ActionTable(
        [Column("No.", 0.4, "ref"), ctx.col(["Action", "Agreed action", "Proposed action"], 2.4, "text"),
         ctx.col(US_OWNER_TITLES, 1.2, "owner"), ctx.col(["Target date", "Timeline"], 0.9, "due"),
         ctx.col(["Implementation status", "Status of implementation"], 1.5, "checkbox")],
        rows, rules="grid", engine="platypus", font_size=8.0, options=options))
    doc.notes.append("status from the ticked box (U+2612): Already implemented -> completed, Implementation "
                     "underway -> in_progress, Planned / Not yet started -> not_started; no box ticked -> unknown.")
    return doc


GRID_LEVELS = ["Not started", "Limited", "Substantial", "Completed"]


def build_completion_grid(rng: random.Random) -> Doc:
    ctx = Ctx(rng, kinds=["gov", "us_agency", "council"])
    doc = ctx.doc("completion-grid", "self-assessment-completion",
                  rng.choice(["Self-Assessment Report", "End-of-Term Self-Assessment"]) + f" {ctx.when.year}")
    ctx.intro(doc, "how far each commitment has been completed")
    tick = rng.choice(["X", "x", "Yes"])
    cols = [Column("No.", 0.4, "ref"), ctx.col(["Action", "Agreed action", "Actions"], 2.6, "text"),
            ctx.col(owner_titles(ctx), 1.2, "owner")] + [Column(w, 0.75, f"tick:{w}") for w in GRID_LEVELS]
    rows: list[Row] = []
    for n in range(1, rng.randint(7, 10) + 1):
        level = rng.choice(GRID_LEVELS)
        a = ctx.action(str(n), "Commitments", owner_style="department" if ctx.org.kind != "council" else "post",
                       due=NO_DUE, status=COMPLETION[level])
        a.status_text = level
        rows.append(a)
    doc.add(Heading("Commitments"), ActionTable(cols, rows, rules="grid", engine="platypus", font_size=8.0,
                                                tick=tick))
    doc.notes.append(f"status from the column holding the mark '{tick}': Not started -> not_started, Limited / "
                     "Substantial -> in_progress, Completed -> completed.")
    return doc

