"""The five single documents, one builder per layout family (see extractor/synth/__init__.py)."""
from __future__ import annotations

import random
from typing import Sequence, Union

from tests.synth.model import (
    RAG_HEX,
    Action,
    ActionTable,
    Break,
    Column,
    Doc,
    Due,
    Grid,
    GroupRow,
    Heading,
    Item,
    Orientation,
    Para,
    Text,
    add_months,
    cover,
    fmt_month,
    month_end,
    rand_due,
    rand_month,
    revised,
    status_from_rag,
    weighted,
)
from tests.synth.text import UNI_PROGRESS, TextMaker

# =========================================================================== doc 1: council

def build_council(rng: random.Random) -> Doc:
    tm = TextMaker(rng, ((2019, 7), (2020, 4)), ((2020, 6), (2021, 3)))
    doc = Doc("eastmoor-council-improvement-plan", "Corporate Peer Challenge Improvement Plan",
              "Eastmoor Borough Council", "2.1", "2020-05-14",
              "Eastmoor Borough Council \u2013 Corporate Peer Challenge Improvement Plan")
    cover(doc, [("Eastmoor Borough Council", 22, True), ("Corporate Peer Challenge Improvement Plan", 18, True),
                ("Version 2.1", 12, False), ("Date: 14 May 2020", 12, False)])
    doc.add(Heading("1. Introduction"),
            Text("The Local Government Association corporate peer challenge team visited the Council in "
                 "September 2019. This plan sets out how the Council will respond to each of the "
                 "recommendations in the feedback report and is monitored by the Audit and Governance "
                 "Committee each quarter."),
            Heading("2. RAG key"),
            Text("Each action is given a RAG rating that states its progress:"),
            Grid(["Rating", "Meaning"], [["Blue", "Complete"], ["Green", "On track"], ["Amber", "At risk"],
                                         ["Red", "Not started/Off track"]], [1, 3],
                 fills={(0, 0): RAG_HEX["blue"], (1, 0): RAG_HEX["green"], (2, 0): RAG_HEX["amber"],
                        (3, 0): RAG_HEX["red"]}),
            Heading("3. Improvement plan"))
    themes = [("Leadership and Governance", "governance",
               ["Develop a shared vision for the borough that is owned by members and officers",
                "Strengthen the Council's decision-making arrangements so that they are clear and timely",
                "Invest in member development to support effective scrutiny"]),
              ("Financial Sustainability", "council_finance",
               ["Close the medium-term budget gap through a planned savings programme",
                "Make better use of the Council's land and property assets"]),
              ("Place and Regeneration", "place",
               ["Set out a clear ambition for growth and regeneration in the borough",
                "Work with partners to deliver more affordable homes"]),
              ("Customer Focus", "customer",
               ["Put residents at the heart of service design",
                "Modernise the way residents contact the Council"])]
    owners = ["Chief Executive", "Director of Resources", "Monitoring Officer", "Head of HR and OD",
              "Director of Place", "Head of Communications", "Section 151 Officer", "Head of Housing",
              "Assistant Director \u2013 Customer Services", "Head of Legal and Democratic Services"]
    kinds = ["quarter", "dmy", "month:Mon-YY", "quarter", "dmy", "month:Mon-YY", "fy", "month:Month YYYY"]
    cols = [Column("No.", 0.55, "ref"), Column("Recommendation", 1.6, "goal"), Column("Action", 2.4, "text"),
            Column("Lead Officer", 1.3, "owner"), Column("Deadline", 0.95, "due"), Column("RAG", 0.45, "rag"),
            Column("Update", 2.0, "progress")]
    for ti, (theme, domain, recs) in enumerate(themes, 1):
        section = f"Theme {ti}: {theme}"
        doc.add(Heading(section, 2))
        rows: list[Union[Action, GroupRow]] = []
        n = 0
        for rec in rng.sample(recs, min(len(recs), rng.choice([2, 2, 3]))):
            for _ in range(rng.randint(2, 3)):
                n += 1
                rows.append(council_action(tm, rng, f"{ti}.{n}", rec, section, domain, owners, kinds))
            if ti <= 2 or rng.random() < 0.5:  # hierarchical children and an unnumbered sub-row
                parent = rows[-1]
                assert isinstance(parent, Action)
                for k in range(1, rng.randint(2, 3)):
                    rows.append(council_action(tm, rng, f"{parent.ref}.{k}", rec, section, domain,
                                                owners, kinds))
                sub = council_action(tm, rng, "", rec, section, domain, owners, kinds)
                sub.dash = True
                rows.append(sub)
        doc.add(ActionTable(cols, rows, rag_style="letter", rules="grid", engine="platypus",
                            merge=("goal",), font_size=7.5, header_fill="BDD7EE"))
    late = [a for a in doc.actions() if a.rag in ("amber", "red") and a.due.date and not a.due.revised]
    for a in late[:max(0, 3 - sum(bool(x.due.revised) for x in doc.actions()))]:  # at least three revisions
        a.due = revised(a.due, *add_months(int(a.due.date[:4]), int(a.due.date[5:7]), 6))  # type: ignore[index]
    return doc


def council_action(tm: TextMaker, rng: random.Random, ref: str, rec: str, section: str, domain: str,
                   owners: Sequence[str], kinds: Sequence[str]) -> Action:
    rag = weighted(rng, [("blue", 3), ("green", 4), ("amber", 2), ("red", 1.5), (None, 0.3)])
    due = rand_due(rng, (2019, 10), (2021, 3), kinds)
    if rag in ("amber", "red") and due.date and rng.random() < 0.45:
        y, m = add_months(int(due.date[:4]), int(due.date[5:7]), rng.choice([3, 6, 9]))
        due = revised(due, y, m)
    status = status_from_rag(rag)
    if rag == "amber":
        progress = "At risk \u2013 " + tm.fill("{detail}") + "; mitigation agreed with the lead officer."
    elif rag is None:
        progress = ""
    else:
        progress = tm.progress(status)
    return Action(ref=ref, text=[Para(tm.action(domain, 0.25, "council"))], goal=rec, section=section,
                  owner=tm.pick(owners), due=due, status=status, rag=rag,
                  progress=[Para(progress)] if progress else [])


# =========================================================================== doc 2: ICB landscape

ICB_STATUS = {"in_progress": "On track", "delayed": "Delayed", "completed": "Complete",
              "not_started": "Not started"}


def build_icb(rng: random.Random) -> Doc:
    tm = TextMaker(rng, ((2023, 4), (2023, 12)), ((2024, 3), (2024, 12)))
    doc = Doc("northfield-icb-delivery-plan", "Joint Forward Plan 2023/24: Delivery Action Plan",
              "NHS Northfield Integrated Care Board", "3", "2024-01-31",
              "NHS Northfield ICB | Joint Forward Plan delivery tracker")
    cover(doc, [("NHS Northfield Integrated Care Board", 20, True),
                ("Joint Forward Plan 2023/24: Delivery Action Plan", 18, True),
                ("V3", 12, False), ("As at 31 January 2024", 12, False)])
    doc.add(Heading("Purpose"),
            Text("This tracker reports progress against the delivery actions agreed in the Joint Forward "
                 "Plan. Each action has a senior responsible owner (SRO) and an operational lead. The RAG "
                 "column is shaded: blue for complete, green for on track, amber or red where delivery "
                 "is delayed, and unshaded where work has not started."),
            Orientation(True))
    groups = [("Workforce", "WF", "workforce",
               {"Recruitment": ["Grow our own workforce pipeline", "Attract staff into hard-to-fill roles"],
                "Retention": ["Keep the staff we have", "Make the ICS a great place to work"]}),
              ("Digital", "DG", "digital",
               {"Shared care record": ["Give clinicians one view of the patient"],
                "Infrastructure": ["Modernise core systems", "Keep systems safe and secure"]}),
              ("Children and Families", "CF", "safeguarding",
               {"Safeguarding": ["Protect children at risk of harm", "Learn from local reviews"]}),
              ("Finance", "FN", "finance",
               {"Financial recovery": ["Deliver the system financial plan", "Reduce unwarranted variation"]}),
              ("Estates", "ES", "estates",
               {"Estates strategy": ["Make best use of the public estate"],
                "Net zero": ["Reduce the carbon footprint of the NHS estate"]})]
    sros = {"Workforce": "Chief People Officer", "Digital": "Chief Digital Officer",
            "Children and Families": "Chief Nursing Officer", "Finance": "Chief Finance Officer",
            "Estates": "Director of Strategy and Estates"}
    ops = ["R. Adeyemi", "L. Thornton", "K. Marsh", "P. Sandhu", "J. Whitlock", "E. Kowalski", "M. Hart",
           "S. Obi", "D. Fenwick"]
    milestones = ["Business case approved", "Go-live on first site", "Recruitment complete",
                  "Policy published", "Pilot evaluated", "Contract awarded", "Board sign-off",
                  "Baseline agreed"]
    measures = ["Vacancy rate below 8%", "90% of staff trained", "10% reduction in agency spend",
                "All sites live", "Audit shows full compliance", "Carbon emissions down 5%",
                "Waiting list reduced by 15%", "Positive feedback from 80% of users"]
    details = ["Targeted campaign with system partners", "Joint post hosted by the lead provider",
               "Phased roll-out by place", "Funded from the system transformation budget",
               "Delivered through the provider collaborative", "Supported by the national programme",
               "Procured through the regional framework"]
    cols = [Column("Ref", 0.5, "ref"), Column("Theme", 0.9, "extra:Theme"), Column("Objective", 1.2, "goal"),
            Column("Action", 1.5, "text"), Column("Intervention detail", 1.3, "extra:Detail"),
            Column("SRO", 0.85, "owner"), Column("Ops lead", 0.8, "lead"), Column("Start", 0.65, "extra:Start"),
            Column("By when", 0.8, "due"), Column("Milestone", 1.0, "extra:Milestone"),
            Column("Measure of success", 1.05, "extra:Measure"), Column("Progress update", 1.6, "progress"),
            Column("Status", 0.7, "status"), Column("RAG", 0.45, "rag")]
    rows: list[Union[Action, GroupRow]] = []
    kinds = ["quarter", "month:Mon-YY", "dmy", "quarter", "fy", "month:Mon YYYY"]
    revised_done = False
    for gname, prefix, domain, themes in groups:
        rows.append(GroupRow(gname))
        n = 0
        for theme, objectives in themes.items():
            for obj in objectives:
                for _ in range(rng.randint(1, 3)):
                    n += 1
                    status = weighted(rng, [("in_progress", 5), ("completed", 3), ("delayed", 2),
                                            ("not_started", 1.5)])
                    rag = {"in_progress": "green", "completed": "blue", "not_started": None,
                           "delayed": rng.choice(["amber", "amber", "red"])}[status]
                    sy, sm = rand_month(rng, (2023, 4), (2023, 10))
                    due = rand_due(rng, (2023, 9), (2024, 12), kinds)
                    if status == "delayed" and not revised_done and due.date:
                        y, m = add_months(int(due.date[:4]), int(due.date[5:7]), 6)
                        due = Due(due.parts + (f"date changed to {fmt_month(y, m, 'Month YYYY')}",),
                                  due.date, month_end(y, m))
                        revised_done = True
                    rows.append(Action(
                        ref=f"{prefix}{n}", text=[Para(tm.action(domain, 0.2))], goal=obj, section=gname,
                        owner=sros[gname], lead=tm.pick(ops), due=due, status=status, rag=rag,
                        status_text=ICB_STATUS[status], progress=[Para(tm.progress(status))],
                        extra={"Theme": theme, "Detail": tm.pick(details), "Start": fmt_month(sy, sm, "Mon-YY"),
                               "Milestone": tm.pick(milestones), "Measure": tm.pick(measures)}))
    doc.add(ActionTable(cols, rows, rag_style="fill", rules="grid", engine="platypus",
                        merge=("extra:Theme", "goal"), font_size=6.2, header_fill="1F3864",
                        group_fill="D9E2F3"))
    return doc


# =========================================================================== doc 3: university, borderless

def build_university(rng: random.Random) -> Doc:
    tm = TextMaker(rng, ((2020, 1), (2021, 5)), ((2021, 9), (2022, 7)))
    doc = Doc("westbridge-university-education-plan",
              "Education and Student Experience Strategy: Implementation Plan 2019\u20132022",
              "University of Westbridge", "1.4", "2021-06-23",
              "University of Westbridge \u2013 Senate \u2013 Education Strategy implementation", font="Times",
              body_size=11)
    cover(doc, [("University of Westbridge", 22, True), ("Senate", 14, False),
                ("Education and Student Experience Strategy: Implementation Plan 2019\u20132022", 16, True),
                ("Version 1.4", 12, False), ("Meeting date: 23 June 2021", 12, False)])
    doc.add(Heading("Introduction"),
            Text("This paper reports progress on the implementation plan agreed by Senate in July 2019. "
                 "Progress is described for each action; the plan is organised under the four themes of "
                 "the strategy."))
    themes = [("A", "Curriculum and Assessment", "curriculum",
               "Every programme offers a coherent, inclusive curriculum with manageable, authentic assessment."),
              ("B", "Student Support and Wellbeing", "support",
               "All students can find the support they need, when they need it, wherever they study."),
              ("C", "Digital Learning", "digital_learning",
               "Digital tools enhance learning and teaching for every student and member of staff."),
              ("D", "Access and Inclusion", "inclusion",
               "Students from every background can access, succeed in and progress from their studies.")]
    leads = ["PVC Education / Registrar", "PVC Education", "Dean of Students", "Director of Student Services",
             "Academic Registrar", "Director of Digital Services", "Head of Library Services", "Deans of Faculty",
             "Director of Estates / PVC Education", "Head of Careers and Employability"]
    cols = [Column("Ref", 0.45, "ref"), Column("Action", 2.6, "text"), Column("Lead", 1.3, "owner"),
            Column("Timescale", 1.2, "due"), Column("Progress", 2.6, "progress")]
    kinds = ["range", "range", "range", "month:Sept YYYY", "month:Month YYYY", "ongoing"]
    for letter, name, domain, aim in themes:
        section = f"Theme {letter}: {name}"
        doc.add(Heading(section))
        doc.objective("", aim, Text(aim, label="Aim:"))
        rows: list[Union[Action, GroupRow]] = []
        for i in range(1, rng.randint(5, 7) + 1):
            status = weighted(rng, [("completed", 4), ("in_progress", 3), ("delayed", 1.5),
                                    ("not_started", 1), ("unknown", 0.5)])
            due = rand_due(rng, (2019, 12), (2022, 7), kinds)
            paras = [Para(tm.progress(status, UNI_PROGRESS))] if status != "unknown" else []
            if status in ("completed", "in_progress") and rng.random() < 0.3:
                paras.append(Para("Further detail is available in the annual quality report."))
            rows.append(Action(ref=f"{letter}{i}", text=[Para(tm.action(domain, 0.2, "university"))], section=section,
                               owner=tm.pick(leads), due=due, status=status, progress=paras))
        doc.add(ActionTable(cols, rows, rules="none", engine="drawn", font_size=9, header_fill=None,
                            group_fill=None))
    return doc


# =========================================================================== doc 4: long trust plan

def build_trust(rng: random.Random) -> Doc:
    tm = TextMaker(rng, ((2021, 10), (2022, 8)), ((2022, 11), (2023, 12)))
    doc = Doc("harbourside-trust-quality-plan", "Quality Improvement Plan 2022\u20132024",
              "Harbourside Community Health NHS Trust", "5.0", "2022-10-06",
              "Harbourside Community Health NHS Trust \u00b7 Quality Improvement Plan")
    cover(doc, [("Harbourside Community Health NHS Trust", 20, True), ("Trust Board (Part 1)", 13, False),
                ("Quality Improvement Plan 2022\u20132024", 18, True), ("Version 5.0", 12, False),
                ("Date of meeting: Thursday 6 October 2022", 12, False)])
    doc.add(Heading("1. Our strategic objectives"),
            Text("The plan supports the four strategic objectives agreed by the Board in April 2022:"))
    for i, so in enumerate(["Deliver safe, harm-free care in every setting.",
                            "Give people timely access to effective community services.",
                            "Make the Trust a great place to work and learn.",
                            "Use our resources wisely and sustainably."], 1):
        doc.objective(f"SO{i}", so, Text(so, label=f"SO{i}."))
    doc.add(Text("The action plan below is grouped by the five key questions. Actions marked (NEW) were "
                  "added at this review. The RAG column is shaded to show progress: blue complete, green on "
                  "track, amber at risk, red delayed; unshaded where work has not started."),
            Heading("2. Action plan"))
    domains = [("Safe", ["quality", "safeguarding"],
                ["Reduce avoidable harm to patients in our care",
                 "Protect adults and children at risk of abuse or neglect",
                 "Ensure staff follow safe medicines practice"]),
               ("Effective", ["quality", "access"],
                ["Deliver care in line with best practice and national guidance",
                 "Improve outcomes through clinical audit and research"]),
               ("Caring", ["experience"],
                ["Treat people with kindness, dignity and respect",
                 "Involve patients and carers in decisions about their care"]),
               ("Responsive", ["access", "digital"],
                ["Reduce waiting times for community services",
                 "Make services easier to reach for all communities"]),
               ("Well-led", ["workforce", "finance"],
                ["Develop compassionate and inclusive leaders at every level",
                 "Strengthen governance, risk management and use of data"])]
    execs = ["Chief Nurse", "Medical Director", "Director of Operations", "Director of People",
             "Director of Finance", "Chief Executive", "Trust Secretary"]
    leads = ["Deputy Chief Nurse", "Head of Patient Safety", "Clinical Director \u2013 Adults",
             "Head of Quality Governance", "Matron \u2013 Community Hospitals", "Head of Patient Experience",
             "Infection Prevention Lead", "Head of Safeguarding", "Associate Director of Operations",
             "Chief Pharmacist", "Head of Digital Services"]
    markers = ["(NEW)", "(NEW)", "(New)", "(NEW \u2013 added July 2022)"]
    cols = [Column("Ref", 0.45, "ref"), Column("Goal", 1.35, "goal"), Column("Action", 2.1, "text"),
            Column("Executive lead", 0.95, "owner"), Column("Operational lead", 1.0, "lead"),
            Column("Due", 0.75, "due"), Column("Progress", 2.2, "progress"), Column("RAG", 0.4, "rag")]
    kinds = ["month:Mon YYYY", "month:Mon YYYY", "quarter", "dmy", "month:Month YYYY", "range-", "ongoing"]
    rows: list[Union[Action, GroupRow]] = []
    new_left = 6
    for di, (dname, doms, goals) in enumerate(domains, 1):
        rows.append(GroupRow(dname))
        n = 0
        for goal in goals:
            for _ in range(rng.randint(3, 6)):
                n += 1
                status = weighted(rng, [("completed", 3), ("in_progress", 5), ("delayed", 1.5),
                                        ("not_started", 1), ("unknown", 0.3)])
                rag = {"completed": "blue", "in_progress": rng.choice(["green", "green", "amber"]),
                       "delayed": "red", "not_started": None, "unknown": None}[status]
                text = [Para(tm.action(rng.choice(doms), 0.3))]
                if rng.random() < 0.12:
                    text[0] = Para(text[0].text.rstrip(".") + ", including:")
                    text += [Para(tm.fill("a baseline audit of {area}"), True),
                             Para(tm.fill("training for {staff}"), True)]
                prog = [Para(tm.progress(status))] if status != "unknown" else []
                if prog and rng.random() < 0.45:
                    prog.append(Para(tm.fill("Update from {committee}: ") + tm.fill("{detail}") + "."))
                if prog and rng.random() < 0.25:
                    prog.append(Para("Evidence of progress is held in the quality improvement register and "
                                     "will be reviewed at the next quarterly assurance meeting."))
                is_new = new_left > 0 and rng.random() < 0.16
                new_left -= is_new
                rows.append(Action(ref=f"{di}.{n}", text=text, goal=goal, section=dname,
                                   owner=tm.pick(execs), lead=tm.pick(leads),
                                   due=rand_due(rng, (2022, 6), (2024, 3), kinds), status=status, rag=rag,
                                   marker=tm.pick(markers) if is_new else "", progress=prog))
    doc.add(ActionTable(cols, rows, rag_style="fill", rules="grid", engine="drawn", merge=("goal",),
                        font_size=7.5, header_fill="DEEAF6", group_fill="F2F2F2"))
    doc.add(Heading("3. Monitoring"),
            Text("Progress will be reported to the Quality Committee every two months and to the Board "
                 "each quarter."))
    return doc


# =========================================================================== doc 5: narrative + non-action tables

OD_STATUS = {"completed": "Complete", "in_progress": "In progress", "not_started": "Not started",
             "delayed": "Delayed"}


def build_ccg(rng: random.Random) -> Doc:
    tm = TextMaker(rng, ((2021, 4), (2021, 8)), ((2021, 11), (2022, 6)))
    doc = Doc("lowmere-ccg-workforce-od-plan", "Workforce and Organisational Development Plan 2021/22",
              "NHS Lowmere Clinical Commissioning Group", "0.7", "2021-09-30",
              "NHS Lowmere CCG Governing Body \u2013 Part 1")
    doc.add(Text("NHS Lowmere Clinical Commissioning Group", size=16, bold=True),
            Text("Governing Body Meeting in Public", size=12),
            Grid([], [["Title of paper", "Workforce and Organisational Development Plan 2021/22"],
                      ["Author", "Head of Corporate Affairs"],
                      ["Presented by", "Director of Corporate Services"],
                      ["Version", "0.7"], ["Date", "September 2021"],
                      ["Purpose", "For approval"],
                      ["Recommendation", "The Governing Body is asked to approve the plan."]],
                 [1.2, 3.5], first_col_bold=True),
            Heading("Version history"),
            Grid(["Version", "Date", "Author", "Changes"],
                 [["0.1", "12/05/2021", "Head of Corporate Affairs", "First draft"],
                  ["0.4", "29/06/2021", "HR Business Partner", "Comments from staff side added"],
                  ["0.6", "02/08/2021", "Head of Corporate Affairs", "Action plan updated"],
                  ["0.7", "06/09/2021", "Director of Corporate Services", "Final review"]],
                 [0.7, 1.0, 1.8, 2.5]),
            Heading("Contents"),
            Grid(["Section", "Title", "Page"],
                 [["1", "Introduction", "2"], ["2", "Our objectives", "2"], ["3", "Development plan", "2"],
                  ["4", "Our commitments", "3"], ["5", "Action plan", "3"], ["6", "Glossary", "4"]],
                 [0.7, 4, 0.7]),
            Break(),
            Heading("1. Introduction"),
            Text("This plan describes how the CCG will support its staff through the transition to the "
                 "integrated care system while continuing to deliver its statutory duties."),
            Heading("2. Our objectives"))
    objectives = ["To support every member of staff through the transition with clear and timely information.",
                  "To develop leaders who can work across organisational boundaries.",
                  "To keep staff healthy, well and able to work flexibly.",
                  "To retain the skills and knowledge the new organisation will need."]
    for i, o in enumerate(rng.sample(objectives, len(objectives)), 1):
        doc.objective(f"Objective {i}", o, Text(o, label=f"Objective {i}:"))
    doc.add(Heading("3. Development plan"),
            Text("The development plan has the following elements:"))
    plan = [("Leadership development for the senior team", ["Individual coaching for directors",
                                                            "A facilitated board development programme",
                                                            "360-degree feedback for all senior managers"]),
            ("Health and wellbeing", []),
            ("Skills for the future", ["A training needs analysis for every team",
                                       "Protected learning time each month"]),
            ("Staff engagement", []),
            ("Equality, diversity and inclusion", ["An inclusive recruitment toolkit",
                                                   "Reverse mentoring for the executive team"]),
            ("Workforce information", [])]
    for i, (head, subs) in enumerate(plan, 1):
        doc.objective(f"{i})", head, Item(head, f"{i})", 0))
        for j, sub in enumerate(subs):
            lab = "abcdefgh"[j] + ")"
            doc.objective(f"{i}) {lab}", sub, Item(sub, lab, 1))
    doc.add(Heading("4. Our commitments"), Text("We will:"))
    for b in ["listen to staff and act on what they tell us", "share information as early as we can",
              "treat everyone fairly and consistently", "work in partnership with staff side"]:
        doc.add(Item(b, ""))
    doc.add(Heading("5. Action plan"))
    owners = ["Director of Corporate Services", "Head of Corporate Affairs", "HR Business Partner",
              "Accountable Officer", "Chief Finance Officer", "Head of Communications"]
    rows: list[Union[Action, GroupRow]] = []
    statuses = ["completed", "completed", "in_progress", "in_progress", "in_progress", "not_started",
                "delayed", rng.choice(["completed", "in_progress"])]
    rng.shuffle(statuses)
    for status in statuses:
        due = rand_due(rng, (2021, 6), (2022, 3), ["quarter", "month:Month YYYY", "month:Mon-YY"])
        rows.append(Action(ref="", text=[Para(tm.action("od", 0.15))], section="5. Action plan",
                           owner=tm.pick(owners), due=due, status=status, status_text=OD_STATUS[status]))
    doc.add(ActionTable([Column("Action", 3, "text"), Column("Owner", 1.4, "owner"),
                         Column("Timescale", 1, "due"), Column("Status", 0.9, "status")], rows,
                        rules="grid", engine="platypus", font_size=9))
    counts = [[OD_STATUS[s], str(statuses.count(s))] for s in ["completed", "in_progress", "not_started", "delayed"]]
    doc.add(Text("Summary of progress:"),
            Grid(["Status", "Number of actions"], counts + [["Total", str(len(statuses))]], [2, 1.2]),
            Heading("6. Glossary"),
            Grid(["Abbreviation", "Title", "Person"],
                 [["AO", "Accountable Officer", "Dr Helen Marsh"], ["DCS", "Director of Corporate Services",
                                                                    "Tom Achebe"],
                  ["CFO", "Chief Finance Officer", "Priya Lal"], ["HCA", "Head of Corporate Affairs", "Anna Reid"],
                  ["ICS", "Integrated care system", "\u2013"]], [1, 2.5, 1.6]))
    return doc
