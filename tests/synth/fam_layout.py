"""Family documents that differ in how the plan is drawn or laid out: tables continued on the next page
without a repeated header (ruled and borderless) with rows broken over the page boundary, horizontal rules
only, a page turned by /Rotate 90, plans written without tables, quarter boxes of milestones, and the text
hygiene cases (line-end hyphens, footnote markers, split ordinals)."""
from __future__ import annotations

import random

from tests.synth.fam_common import Ctx, Row
from tests.synth.fam_tables import DUE_TITLES, PROGRESS_TITLES, STATUS_TITLES, owner_titles
from tests.synth.model import (
    HYPHEN_BREAK,
    MONTHS,
    Action,
    ActionTable,
    Box,
    Column,
    Doc,
    Due,
    Heading,
    NarrativeAction,
    Orientation,
    Para,
    Rotated,
    Text,
    add_months,
    footnote,
    revised,
    superscript,
)
from tests.synth.vocab import quarter_label, us_quarter_of

# =========================================================================== continued without a repeated header

def build_continued(rules: str):  # type: ignore[no-untyped-def]
    """A long plan (ruled or borderless) over 2-3 pages: header printed once, rows broken over page
    boundaries with text in several columns."""
    family = "continued-ruled" if rules == "grid" else "continued-borderless"

    def build(rng: random.Random) -> Doc:
        ctx = Ctx(rng)
        doc = ctx.doc(family, f"improvement-plan-{'ruled' if rules == 'grid' else 'open'}",
                      rng.choice(["Improvement Plan", "Inspection Action Plan", "Recovery Action Plan"]))
        ctx.intro(doc, "the full improvement plan and the progress made on each action")
        rows: list[Row] = []
        for n in range(1, rng.randint(22, 26) + 1):  # 3 pages; long cells in several columns, so that
            status = ctx.status()                      # a row broken at a page foot continues in several
            text = ctx.text(0.6)
            if rng.random() < 0.8:
                text += ". " + ctx.tm.fill(rng.choice(["This includes {detail}.", "Builds on {evidence}.",
                                                       "Links to the work of {committee}."]))
            owner = ctx.people.post()
            if rng.random() < 0.7:
                owner += " / " + ctx.people.post()
            due = ctx.due()
            if status == "delayed" and due.date and not ctx.org.us:
                due = revised(due, *add_months(int(due.date[:4]), int(due.date[5:7]), rng.choice([3, 6])))
            prog = ctx.progress(status)
            if prog and rng.random() < 0.8:  # a second paragraph that agrees with the status
                prog.append(Para(ctx.tm.fill("Update from {committee}: {detail}." if status in ("in_progress",
                                                                                                  "delayed")
                                             else "Reported to {committee}.")))
            rows.append(Action(ref=str(n), text=[Para(text)], section="Action plan", owner=owner, due=due,
                               status=status, status_text=ctx.voice.word(status), progress=prog))
        cols = [Column("Ref", 0.4, "ref"), ctx.col(["Action", "Actions"], 2.3, "text"),
                ctx.col(owner_titles(ctx), 1.1, "owner"), ctx.col(DUE_TITLES, 0.8, "due"),
                ctx.col(PROGRESS_TITLES, 2.2, "progress"), ctx.col(STATUS_TITLES, 0.75, "status")]
        doc.add(Heading("Action plan"),
                ActionTable(cols, rows, rules=rules, engine="drawn", repeat_header=False,
                            font_size=rng.choice([8.0, 8.5, 9.0]),
                            header_fill=("DEEAF6" if rules == "grid" else None), group_fill=None))
        doc.notes += ["The header row is printed on the first page only; the table continues on the next "
                      "page(s) without it.", "A row broken over a page boundary is one action; its "
                      "continuation has text in several columns."]
        return doc

    return build


# =========================================================================== horizontal rules, landscape

def build_horizontal(rng: random.Random) -> Doc:
    ctx = Ctx(rng)
    doc = ctx.doc("horizontal-rules", "delivery-tracker-landscape",
                  rng.choice(["Delivery Tracker", "Programme Tracker"]) + f" {ctx.when.year}")
    ctx.intro(doc, "the programme tracker")
    doc.add(Orientation(True), Heading("Tracker"))
    rows: list[Row] = []
    goals = ctx.goals(3)
    for k, goal in enumerate(goals, 1):
        for n in range(1, rng.randint(3, 6) + 1):
            a = ctx.action(f"{k}.{n}", "Tracker", goal=goal, with_progress=True)
            a.rag = {"completed": "blue", "in_progress": rng.choice(["green", "amber"]), "delayed": "red",
                     "not_started": None}[a.status]
            y, m = ctx.window[0]
            a.extra["start"] = f"{MONTHS[m - 1][:3]} {y}"
            rows.append(a)
    cols = [Column("Ref", 0.45, "ref"), ctx.col(["Objective", "Goal"], 1.3, "goal"), Column("Action", 2.2, "text"),
            ctx.col(owner_titles(ctx), 1.1, "owner"), Column("Start", 0.6, "extra:start"),
            ctx.col(DUE_TITLES, 0.8, "due"), ctx.col(PROGRESS_TITLES, 2.0, "progress"),
            Column("Status", 0.75, "status"), Column("RAG", 0.4, "rag")]
    doc.add(ActionTable(cols, rows, rules="horizontal", engine=rng.choice(["drawn", "platypus"]), rag_style="letter",
                        font_size=8.0, header_fill=None, group_fill=None))
    doc.notes.append("Ruled with horizontal lines only; RAG letters; landscape pages.")
    return doc


# =========================================================================== a page turned by /Rotate 90

def build_rotated(rng: random.Random) -> Doc:
    ctx = Ctx(rng, kinds=["gov", "us_agency", "council", "icb"])
    doc = ctx.doc("rotated-page", "annex-commitments-rotated",
                  rng.choice(["National Action Plan", "Strategy Refresh", "Annual Delivery Report"]))
    ctx.intro(doc, "the plan; the commitments are listed in the annex")
    doc.add(Heading("Background"), Text(ctx.tm.fill("The plan was developed with {partners} and {partners}.")))
    rows: list[Row] = []
    for n in range(1, rng.randint(6, 8) + 1):
        a = ctx.action(str(n), "Annex A: Commitments overview", owner_style="department")
        a.extra["support"] = ", ".join(rng.sample(ctx.people.departments, 2))
        rows.append(a)
    table = ActionTable([Column("No.", 0.4, "ref"), ctx.col(["Commitment", "Action"], 2.8, "text"),
                         ctx.col(["Lead department", "Lead"], 1.3, "owner"),
                         Column("Supporting organisations", 1.5, "extra:support"),
                         ctx.col(DUE_TITLES, 0.9, "due"), Column("Status", 0.8, "status")],
                        rows, rules="grid", engine="platypus", font_size=8.0)
    doc.add(Rotated([Heading("Annex A: Commitments overview"), table]),
            Heading("Next steps"), Text("The plan will be reviewed in twelve months."))
    doc.notes.append("The annex is a portrait page turned by /Rotate 90 in the PDF (a landscape section in the "
                     "DOCX); its table is read in the reader's orientation.")
    return doc


# =========================================================================== plans written without tables

def build_narrative(rng: random.Random) -> Doc:
    ctx = Ctx(rng)
    doc = ctx.doc("narrative-blocks", "priorities-without-tables",
                  rng.choice(["Business Plan", "Annual Delivery Plan", "Operating Plan"]) + f" {ctx.when.year}")
    ctx.intro(doc, "what we will do this year")
    section = rng.choice(["Our objectives for the year", "What we will deliver", "Delivery commitments"])
    doc.add(Heading(section))
    word = rng.choice(["Objective", "Objective", "Action", "Priority"])
    sep = rng.choice([":", ":", " \u2013", "."])
    lead_label = rng.choice(["Lead:", "Lead officer:", "Responsible:", "Owner:"])
    due_label = rng.choice(["By when:", "Timescale:", "Target date:", "Deadline:"])
    as_heading = rng.random() < 0.5
    with_status = rng.random() < 0.6
    for n in range(1, rng.randint(5, 8) + 1):
        a = ctx.action(str(n), section, owner_style=rng.choice(["post", "name"]))
        lines = [(lead_label, a.owner), (due_label, a.due.raw)]
        if with_status:
            lines.append(("Status:", a.status_text))
        else:
            a.status = "unknown"
        doc.add(NarrativeAction(a, f"{word} {n}{sep}", lines, as_heading=as_heading))
    doc.notes.append(f"Each '{word} N{sep} title' block with its {lead_label} / {due_label} lines is one action "
                     "(ref N, text = the title); such blocks are actions, not objectives.")
    return doc


# =========================================================================== quarter boxes of milestones

def build_boxes(rng: random.Random) -> Doc:
    ctx = Ctx(rng, kinds=["trust", "icb", "us_agency", "us_city"])
    doc = ctx.doc("milestone-boxes", "key-milestones",
                  rng.choice(["Key Milestones", "Programme Milestones", "Transformation Milestones"])
                  + f" {ctx.when.year}")
    ctx.intro(doc, "the milestones expected in each quarter")
    doc.add(Heading(rng.choice(["Key milestones \u2013 expected timelines for change", "Milestones by quarter"])))
    y, m = ctx.when.year, ctx.when.month
    if ctx.org.us:
        fy, _ = us_quarter_of(y, m)
    else:
        fy = y if m >= 4 else y - 1
    themes = rng.sample(["Program operations", "Community engagement", "Data and reporting", "Workforce",
                         "Technology", "Grants management"] if ctx.org.us else
                        ["Governance", "Workforce", "Digital", "Outpatients", "Elective care", "Community",
                         "Data and reporting"], 3)
    fill = rng.choice(["1F4E79", "005EB8", "404040"])
    dash = rng.choice([" \u2013 ", " - ", "\u2013"])
    for q in range(1, 5):
        title, end = quarter_label(ctx.org, fy, q, dash)
        groups = []
        for theme in rng.sample(themes, rng.randint(2, 3)):
            acts = []
            for _ in range(rng.randint(1, 4)):
                text = ctx.text(0.3)
                if rng.random() < 0.6:
                    text += "."
                acts.append(Action(ref="", text=[Para(text)], section=theme, due=Due((title,), end)))
            groups.append((theme, acts))
        doc.add(Box(title, groups, title_fill=fill))
    doc.notes.append("Each paragraph of a theme's box is one milestone (action); section = the theme; due_raw = "
                     "the quarter box title, due_date = the quarter's last day.")
    return doc


# =========================================================================== text hygiene

COMPOUNDS = ["self-assessment", "co-production", "cross-boundary", "follow-up", "sign-off", "long-term",
             "well-being", "e-learning", "decision-making", "short-term", "evidence-based", "multi-agency"]
HYGIENE_TEMPLATES = ["Complete the annual {c} review and report the findings to {committee}",
                     "Agree the {c} approach with {partners} before the next review",
                     "Introduce the {c} checklist for {managers} and publish it on the intranet",
                     "Develop the {c} framework for {area} with the support of {committee}"]


def build_hygiene(rng: random.Random) -> Doc:
    """Line-end hyphens (PDF: 'self-' ends a line), footnote markers glued to owners ('Board*',
    'Committee' + superscript '12'), ordinals with a superscript suffix ('2nd' read as '2 nd')."""
    ctx = Ctx(rng, country="UK")
    doc = ctx.doc("text-hygiene", "assurance-action-plan", "Assurance Action Plan " + str(ctx.when.year))
    ctx.intro(doc, "the actions agreed after the annual assurance review")
    rows: list[Row] = []
    compounds = rng.sample(COMPOUNDS, 4)
    number = rng.randint(1, 19)
    committees = rng.sample(["Audit Committee", "Quality Committee", "Board", "Executive Committee",
                             "People Committee"], 2)
    for n in range(1, rng.randint(9, 11) + 1):
        a = ctx.action(str(n), "Action plan")
        if n <= 4:  # a hyphenated word broken at the end of a line in the PDF
            c = compounds[n - 1]
            left, right = c.split("-", 1)
            tpl = rng.choice(HYGIENE_TEMPLATES)
            head, tail = tpl.split("{c}")
            filled_head = ctx.tm.fill(head)
            a.text = [Para(filled_head + left + "-" + HYPHEN_BREAK + right + ctx.tm.fill(tail))]
        if n in (5, 6):  # a footnote marker glued to the owner
            a.owner = committees[n - 5]
            a.shown["owner"] = a.owner + footnote("*" if n == 5 else str(number))
        if n == 7:  # an ordinal with a superscript suffix in the text
            k = rng.choice([(2, "nd"), (3, "rd"), (4, "th")])
            a.text = [Para(ctx.tm.fill("Hold the ") + f"{k[0]}" + superscript(k[1])
                           + ctx.tm.fill(" annual review of {service} with {partners}"))]
        if n == 8:  # ... and in the date cell
            y, m = add_months(*ctx.window[0], rng.randint(6, 14))
            d = rng.choice([(1, "st"), (2, "nd"), (3, "rd"), (21, "st"), (30, "th") if m != 2 else (28, "th")])
            a.due = Due((f"{d[0]}{d[1]} {MONTHS[m - 1]} {y}",), f"{y}-{m:02d}-{d[0]:02d}")
            a.shown["due"] = f"{d[0]}" + superscript(d[1]) + f" {MONTHS[m - 1]} {y}"
        rows.append(a)
    doc.add(Heading("Action plan"), ActionTable(
        [Column("Ref", 0.4, "ref"), Column("Action", 2.4, "text"), ctx.col(owner_titles(ctx), 1.2, "owner"),
         ctx.col(DUE_TITLES, 1.0, "due"), ctx.col(STATUS_TITLES, 0.9, "status")],
        rows, rules="grid", engine="platypus", font_size=9.0),
        Text("* Reports through the Executive Management Team.", size=7.5),
        Text(f"{number} The committee's terms of reference are under review.", size=7.5))
    doc.notes += ["text: a hyphenated word broken at a line end is rejoined without a space ('self-assessment').",
                  "owner: footnote markers glued to the owner ('Board*', 'Committee' + superscript '12') are "
                  "not part of it.", "Ordinals printed with a superscript suffix are one word ('2nd')."]
    return doc
