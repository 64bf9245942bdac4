"""Family documents that pair a real plan with a table that is NOT a plan (it must give no actions), and a
plan followed by reports that restate its actions (they must give no new actions: gold "mentions")."""
from __future__ import annotations

import random
from typing import Callable

from tests.synth.fam_common import Ctx, Row
from tests.synth.fam_tables import DUE_TITLES, STATUS_TITLES, owner_titles
from tests.synth.model import RAG_HEX, Action, ActionTable, Column, Doc, Grid, Heading, Text, add_months

# =========================================================================== the real plan next to them


def plan_table(ctx: Ctx, n: int, section: str = "Action plan", rag: bool = False) -> ActionTable:
    """An ordinary plan: Ref | Action | owner | due | status (| RAG)."""
    rows: list[Row] = []
    for i in range(1, n + 1):
        a = ctx.action(str(i), section)
        if rag:
            a.rag = {"completed": "blue", "in_progress": ctx.rng.choice(["green", "amber"]), "delayed": "red",
                     "not_started": None}[a.status]
        rows.append(a)
    cols = [Column("Ref", 0.4, "ref"), ctx.col(["Action", "Actions"], 2.6, "text"),
            ctx.col(owner_titles(ctx), 1.2, "owner"), ctx.col(DUE_TITLES, 0.9, "due"),
            ctx.col(STATUS_TITLES, 0.8, "status")] + ([Column("RAG", 0.4, "rag")] if rag else [])
    return ActionTable(cols, rows, rules="grid", engine=ctx.rng.choice(["platypus", "drawn"]), font_size=8.5,
                       rag_style="letter")


# =========================================================================== tables that are not plans

def roles(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    duties = ["Accountable for delivery of the plan and reports progress to the {body}",
              "Leads the workstream and makes sure that actions are completed on time",
              "Provides independent assurance that the plan is being delivered",
              "Chairs the programme board and resolves escalated risks",
              "Maintains the action log and prepares the monthly highlight report",
              "Supports action owners to gather evidence of completion",
              "Reviews progress each quarter and challenges slippage"]
    rows = [[p, d.replace("{body}", ctx.org.body)] for p, d in zip(rng.sample(ctx.people.posts, 5),
                                                                     rng.sample(duties, 5))]
    header = rng.choice([["Role", "Responsibilities"], ["Who", "Responsibility"], ["Post", "Role in the plan"]])
    return "Roles and responsibilities", Grid(header, rows, [1.2, 3.0])


def legend(ctx: Ctx) -> tuple[str, Grid]:
    rows = [["Blue", "Complete"], ["Green", "On track to deliver by the due date"],
            ["Amber", "At risk: mitigating action in place"], ["Red", "Off track or not started"]]
    fills = {(i, 0): RAG_HEX[r[0].lower()] for i, r in enumerate(rows)}
    header = ctx.rng.choice([["Rating", "Meaning"], ["RAG", "Definition"], []])
    return ctx.rng.choice(["Key", "RAG rating key", "Status key"]), Grid(header, rows, [1.0, 3.0], fills=fills)


def glossary(ctx: Ctx) -> tuple[str, Grid]:
    terms = ([["CDO", "Chief Data Officer"], ["FOIA", "Freedom of Information Act"], ["FY", "Fiscal year"],
              ["OMB", "Office of Management and Budget"], ["KPI", "Key performance indicator"],
              ["CX", "Customer experience"]] if ctx.org.us else
             [["CQC", "Care Quality Commission"], ["ICS", "Integrated care system"], ["KPI", "Key performance "
              "indicator"], ["SRO", "Senior responsible owner"], ["OGL", "Open Government Licence"],
              ["RAG", "Red, amber, green rating"], ["TOR", "Terms of reference"]])
    rows = ctx.rng.sample(terms, 5)
    return ctx.rng.choice(["Glossary", "Abbreviations", "Glossary of terms"]), \
        Grid(ctx.rng.choice([["Abbreviation", "Meaning"], ["Term", "Definition"]]), rows, [1.0, 3.0])


def version_history(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    y, m = ctx.when.year, ctx.when.month
    changes = ["First draft", "Comments from the executive team added", "Actions updated after the workshop",
               "Owners and dates confirmed", "Final version for approval", "Status updates for the quarter"]
    rows = []
    for i, ch in enumerate(changes[:rng.randint(4, 6)]):
        yy, mm = add_months(y, m, i - 6)
        rows.append([f"0.{i + 1}" if i < 4 else f"{i - 3}.0", f"{rng.randint(1, 28):02d}/{mm:02d}/{yy}",
                     ctx.people.name(), ch])
    return "Version history", Grid(["Version", "Date", "Author", "Summary of changes"], rows, [0.7, 1.0, 1.5, 2.6])


def contents(ctx: Ctx) -> tuple[str, Grid]:
    rows = [[str(i), t, str(p)] for i, (t, p) in enumerate(
        [("Introduction", 2), ("Background", 2), ("Action plan", 3), ("Monitoring", 4), ("Appendices", 5)], 1)]
    return "Contents", Grid(ctx.rng.choice([["Section", "Title", "Page"], []]), rows, [0.6, 4.0, 0.6])


def statistics(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    y = ctx.when.year
    years = [f"{y - 3 + i}/{(y - 2 + i) % 100:02d}" for i in range(3)]
    inds = rng.sample(["Complaints received", "Staff turnover (%)", "Sickness absence (%)",
                       "Requests answered within 20 days (%)", "Datasets published", "Incidents reported",
                       "Volunteer hours"], 5)
    rows = [[i] + [f"{rng.randint(20, 900)}" if "%" not in i else f"{rng.uniform(2, 20):.1f}" for _ in years]
            + [rng.choice(["Increase", "Reduce", "Maintain"])] for i in inds]
    return rng.choice(["Performance statistics", "Key figures"]), Grid(["Indicator"] + years + ["Target"], rows,
                                                                          [2.2, 0.8, 0.8, 0.8, 0.9])


def tick_matrix(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    forums = rng.sample(["Board", "Audit Committee", "Quality Committee", "Executive Team", "People Committee",
                         "Finance Committee"], 4)
    items = rng.sample(["Risk register", "Quarterly performance report", "Annual accounts", "Staff survey results",
                        "Complaints report", "Data protection report", "Action plan progress"], 5)
    mark = rng.choice(["X", "\u2022", "Yes"])
    rows = [[it] + [mark if rng.random() < 0.45 else "" for _ in forums] for it in items]
    return rng.choice(["Reporting schedule", "Where each report goes"]), Grid(["Report"] + forums, rows,
                                                                               [2.0, 1, 1, 1, 1])


def contacts(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    dom = ctx.org.slug.replace("-", "") + (".gov" if ctx.org.us else ".org.uk")
    rows = []
    for name in rng.sample(ctx.people.names, 5):
        first, last = name.split(" ", 1)
        phone = f"({rng.randint(200, 989)}) 555-{rng.randint(1000, 9999)}" if ctx.org.us else \
            f"01{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        rows.append([name, ctx.people.post(), f"{first.lower()}.{last.lower()}@{dom}", phone])
    return "Contacts", Grid(["Name", "Role", "Email", "Telephone"], rows, [1.3, 1.8, 2.2, 1.1])


def logs(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    y, m = ctx.when.year, ctx.when.month
    incidents = ["Server outage affecting the booking system", "Fire alarm activation at the main office",
                 "Data breach reported by a partner", "Flooding in the basement archive",
                 "Lift failure at the customer service centre"]
    done = ["Systems restored within four hours", "Building evacuated and alarm reset",
            "Reported to the regulator within 72 hours", "Records moved to secure storage",
            "Engineer called and lift repaired"]
    rows = []
    for i, k in enumerate(rng.sample(range(5), 4)):
        yy, mm = add_months(y, m, -i - 1)
        rows.append([f"{rng.randint(1, 28):02d}/{mm:02d}/{yy}", incidents[k], done[k], ctx.people.post()])
    return "Incident log", Grid(["Date", "Incident", "Action taken", "Reported by"], rows, [0.9, 2.2, 2.2, 1.3])


def achievements(ctx: Ctx) -> tuple[str, Grid]:
    rng = ctx.rng
    wins = ["Launched the new online booking service", "Won a national award for partnership working",
            "Published our first annual equality report", "Opened the refurbished community hub",
            "Recruited twenty new volunteers", "Cut average waiting times by a fifth"]
    rows = [[f"Q{q}", w] for q, w in zip(range(1, 5), rng.sample(wins, 4))]
    return "Achievements this year", Grid(["Quarter", "Achievement"], rows, [0.8, 4.0])


def empty_template(ctx: Ctx) -> tuple[str, Grid]:
    header = ctx.rng.choice([["Action", "Owner", "Due date", "Status"], ["Ref", "Action", "Lead", "Deadline",
                                                                        "Progress"]])
    rows = [["" for _ in header] for _ in range(ctx.rng.randint(4, 6))]
    return ctx.rng.choice(["Appendix: action plan template", "Template for team action plans"]), \
        Grid(header, rows, [1.0] + [2.5 if h == "Action" else 1.0 for h in header[1:]])


NEGATIVES: dict[str, list[Callable[[Ctx], tuple[str, Grid]]]] = {
    "roles": [roles], "legend": [legend], "glossary": [glossary], "version-history": [version_history],
    "contents": [contents], "statistics": [statistics], "tick-matrix": [tick_matrix], "contacts": [contacts],
    "log": [logs, achievements], "empty-template": [empty_template],
}


def build_negative(kind: str):  # type: ignore[no-untyped-def]
    def build(rng: random.Random) -> Doc:
        ctx = Ctx(rng)
        doc = ctx.doc(f"not-plan-{kind}", f"plan-with-{kind}",
                      rng.choice(["Action Plan", "Improvement Plan", "Delivery Plan"]) + f" {ctx.when.year}")
        ctx.intro(doc, "the action plan")
        others = [make(ctx) for make in NEGATIVES[kind]]
        before = rng.random() < 0.5
        if before:
            for heading, grid in others:
                doc.add(Heading(heading), grid)
        doc.add(Heading("Action plan"), plan_table(ctx, rng.randint(5, 8)))
        if not before:
            for heading, grid in others:
                doc.add(Heading(heading), grid)
        doc.notes.append(f"The {', '.join(h for h, _ in others)} table(s) hold no actions.")
        return doc

    return build


# =========================================================================== reports that restate actions

def shorten(text: str) -> str:
    """How a report restates an action: verbatim, or its first clause."""
    for cut in (" and ", " with ", ", "):
        if cut in text[12:]:
            return text[:text.index(cut, 12)]
    return text


def build_exception(rng: random.Random) -> Doc:
    """A plan with refs, then an exception report on its red / delayed actions and a list of actions closed
    since the last report: both restate earlier actions (gold: mentions, never actions)."""
    ctx = Ctx(rng, country="UK")
    doc = ctx.doc("exception-report", "plan-and-exception-report",
                  rng.choice(["Improvement Plan Progress Report", "Action Plan Update"]) + f" {ctx.when.year}")
    ctx.intro(doc, "progress against the action plan")
    table = plan_table(ctx, rng.randint(12, 16), rag=True)
    acts: list[Action] = table.actions()
    late = [a for a in acts if a.status in ("delayed", "not_started")]
    while len(late) < 3:  # an exception report needs exceptions
        a = rng.choice([x for x in acts if x not in late])
        a.status, a.status_text, a.rag = "delayed", ctx.voice.word("delayed"), "red"
        late.append(a)
    doc.add(Heading("Action plan"), table)
    concerns = ["Dependent on recruitment to the vacant post", "Supplier has not delivered the agreed system",
                "Funding has not yet been confirmed", "Competing operational pressures over winter",
                "Awaiting national guidance"]
    remedies = ["Interim cover agreed; revised plan to the next meeting", "Escalated to the contract manager",
                "Bid submitted to the transformation fund", "Work re-phased into the next quarter",
                "Draft prepared so that work can start when the guidance is published"]
    rows = []
    for a in rng.sample(late, 3):
        text = a.gold_text if rng.random() < 0.5 else shorten(a.gold_text)
        i = rng.randrange(len(concerns))
        y, m = ctx.when.year, ctx.when.month
        raised = f"{rng.randint(1, 28):02d}/{add_months(y, m, -1)[1]:02d}/{add_months(y, m, -1)[0]}"
        rows.append([a.ref, text, concerns[i], remedies[i], raised])
        doc.mentions.append({"kind": "exception", "ref": a.ref, "text": text, "action_text": a.gold_text,
                             "concern": concerns[i], "remedial": remedies[i], "date_raised": raised})
    doc.add(Heading(rng.choice(["Exception report", "Exception report: actions off track"])),
            Text("The actions below are rated red or have missed their due date."),
            Grid(["Ref", "Action", "Reason for exception", "Remedial action", "Date raised"], rows,
                 [0.45, 2.2, 1.6, 1.8, 0.8]))
    closed = [a for a in acts if a.status == "completed"][:3]
    if closed:
        crow = []
        for a in closed:
            crow.append([a.ref, a.gold_text, rng.choice(["Evidence reviewed by the lead", "Closed at the last "
                                                          "meeting", "Confirmed complete"])])
            doc.mentions.append({"kind": "closed", "ref": a.ref, "text": a.gold_text, "action_text": a.gold_text,
                                 "concern": "", "remedial": "", "date_raised": ""})
        doc.add(Heading("Actions closed since the last report"),
                Grid(["Ref", "Action", "Evidence of completion"], crow, [0.45, 3.0, 1.8]))
    doc.notes.append("The exception report and the list of closed actions restate actions of the plan: they add "
                     "no actions; each row is a mention of the action with the same ref (gold 'mentions').")
    return doc

