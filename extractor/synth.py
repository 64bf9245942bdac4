"""Synthetic board papers (DOCX + PDF) with exact ground truth.

    python -m extractor.synth OUT_DIR --gold GOLD_DIR [--seed N]

Writes ``<doc_id>.docx`` and ``<doc_id>.pdf`` for every document into OUT_DIR, one gold file
``GOLD_DIR/<doc_id>.json`` per document and ``GOLD_DIR/pairs/<pair_id>.json`` per version pair, in the
schema and conventions of the shared corpus samples (see corpus-samples/README.md).

The organisations, people and plans are fictional. Text comes from templates filled by a seeded
``random.Random``; the same seed gives byte-identical files (fixed DOCX core properties and zip
timestamps, reportlab ``invariant=1``).

The PDFs are drawn with reportlab, not rendered from the DOCX: platypus tables for some documents
and a hand-drawn table flowable (``DrawnTable``) for others. The hand-drawn table repeats its header
on every page, can break one row over a page boundary (part of each cell's lines at the foot of page
N, the rest under the repeated header on page N+1), draws RAG ratings as filled cell rectangles, and
can be drawn without any ruling lines. Every PDF page carries a running header and a "Page X of Y"
footer that are not content.

Documents (layout families):
  eastmoor-council-improvement-plan   portrait ruled platypus table, refs 1.1 / 1.3.1 / unnumbered "- "
                                      sub-rows, RAG letters, RAG key table, mixed date formats, "Revised:"
  northfield-icb-delivery-plan        landscape 14-column table, group rows, merged Theme + Objective,
                                      status words, RAG as fill colour only, refs WF1 / DG2 ...
  westbridge-university-education-plan  borderless table (no rules in PDF, borders none in DOCX), refs A1,
                                      "Sept 2019 to Dec 2019" ranges, progress stories, "Aim:" objectives
  harbourside-trust-quality-plan      long drawn table over many pages: repeated header, rows split across
                                      page boundaries, merged Goal continuing over pages, (NEW) markers
  lowmere-ccg-workforce-od-plan       narrative objectives (Objective 1:, Word-numbered 1) a)), "We will:"
                                      bullets, small action table, five non-action tables
  brackenford-trust-well-led-plan-v1/-v2   version pair with refs (section inserted, renumbering, ...)
  millbrook-council-childrens-plan-v1/-v2  version pair without refs (rows shuffled, RAG/progress moved)

Gold decisions beyond the shared README:
  - northfield: the table has Theme AND Objective columns; ``goal`` is the Objective cell.
  - a split action (pairs) is matched to its first part (a text change); the second part is "added".
  - "We will:" is followed by a plain bullet list, which is not an objective (README: plain bullets).
  - "Objective 1: ..." paragraphs have ref "Objective 1".
"""
from __future__ import annotations

import argparse
import calendar
import copy
import functools
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

DEFAULT_SEED = 2024

RAG_HEX = {"red": "FF0000", "amber": "FFC000", "green": "00B050", "blue": "0070C0"}
RAG_LETTER = {"red": "R", "amber": "A", "green": "G", "blue": "B"}
RAG_WORD = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue"}
MONTHS = list(calendar.month_name)[1:]
MON3 = list(calendar.month_abbr)[1:]


# =========================================================================== dates

@dataclass(frozen=True)
class Due:
    """A date cell: printed lines plus its gold values."""
    parts: tuple[str, ...]
    date: Optional[str]
    revised: Optional[str] = None

    @property
    def raw(self) -> str:
        return " ".join(p for p in self.parts if p)


NO_DUE = Due(("",), None)


def month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def fmt_month(y: int, m: int, style: str) -> str:
    """Month as printed. Styles: 'Mon YYYY', 'Mon-YY', 'Month YYYY', 'Sept YYYY'."""
    if style == "Mon-YY":
        return f"{MON3[m - 1]}-{y % 100:02d}"
    if style == "Month YYYY":
        return f"{MONTHS[m - 1]} {y}"
    if style == "Sept YYYY":
        return f"{'Sept' if m == 9 else MON3[m - 1]} {y}"
    return f"{MON3[m - 1]} {y}"


def fy_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


def quarter_of(y: int, m: int) -> tuple[int, int]:
    """UK financial (fy start year, quarter) of a calendar month."""
    fy = y if m >= 4 else y - 1
    return fy, (m - 4) % 12 // 3 + 1


def quarter_end(fy: int, q: int) -> str:
    y, m = {1: (fy, 6), 2: (fy, 9), 3: (fy, 12), 4: (fy + 1, 3)}[q]
    return month_end(y, m)


def due_of(kind: str, y: int, m: int, rng: random.Random) -> Due:
    """One due date of a given printed kind for the calendar month (y, m)."""
    if kind == "quarter":
        fy, q = quarter_of(y, m)
        return Due((f"Q{q} {fy_label(fy)}",), quarter_end(fy, q))
    if kind == "fy":
        fy, _ = quarter_of(y, m)
        return Due((fy_label(fy),), month_end(fy + 1, 3))
    if kind == "dmy":
        d = calendar.monthrange(y, m)[1] if rng.random() < 0.7 else rng.choice([1, 15, 30 if m != 2 else 28])
        return Due((f"{d:02d}/{m:02d}/{y}",), date(y, m, d).isoformat())
    if kind == "dlong":
        d = rng.randint(1, 28)
        return Due((f"{d} {MONTHS[m - 1]} {y}",), date(y, m, d).isoformat())
    if kind == "ongoing":
        return Due((rng.choice(["Ongoing", "On-going"]),), None)
    if kind.startswith("range"):
        span = rng.randint(2, 6)
        sy, sm = divmod(y * 12 + m - 1 - span, 12)
        sm += 1
        style = "Sept YYYY" if kind == "range" else "Month YYYY"
        sep = " to " if kind == "range" else " - "
        first = fmt_month(sy, sm, style) if (sy != y or kind == "range") else MONTHS[sm - 1]
        return Due((f"{first}{sep}{fmt_month(y, m, style)}",), month_end(y, m))
    style = kind.split(":", 1)[1] if ":" in kind else "Mon YYYY"
    return Due((fmt_month(y, m, style),), month_end(y, m))


def revised(due: Due, y: int, m: int, label: str = "Revised:") -> Due:
    """The same due date with a printed replacement date on a second line."""
    return Due(due.parts + (f"{label} {MONTHS[m - 1]} {y}",), due.date, month_end(y, m))


def rand_month(rng: random.Random, lo: tuple[int, int], hi: tuple[int, int]) -> tuple[int, int]:
    a, b = lo[0] * 12 + lo[1] - 1, hi[0] * 12 + hi[1] - 1
    y, m0 = divmod(rng.randint(a, b), 12)
    return y, m0 + 1


def rand_due(rng: random.Random, lo: tuple[int, int], hi: tuple[int, int], kinds: Sequence[str]) -> Due:
    y, m = rand_month(rng, lo, hi)
    return due_of(rng.choice(list(kinds)), y, m, rng)


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    yy, mm = divmod(y * 12 + m - 1 + k, 12)
    return yy, mm + 1


# =========================================================================== text pools

SLOTS: dict[str, list[str]] = {
    "staff": ["registered nurses", "healthcare support workers", "allied health professionals",
              "community nursing teams", "resident doctors", "pharmacy staff", "administrative staff",
              "theatre staff", "newly qualified nurses", "therapy assistants"],
    "area": ["all inpatient wards", "the community hospitals", "adult community services",
             "the children's service", "the mental health inpatient units", "the east locality",
             "the urgent treatment centre", "district nursing teams", "the west locality",
             "outpatient services"],
    "site": ["Harbourside Hospital", "St Aldhelm's Community Hospital", "the Eastgate Health Centre",
             "Millfield Clinic", "the Old Quay site", "Northgate House", "the Riverside Centre"],
    "committee": ["the Quality Committee", "the People Committee", "the Audit Committee",
                  "the Finance and Performance Committee", "the Executive Team", "the Board"],
    "programme": ["leadership development programme", "coaching and mentoring scheme",
                  "talent management approach", "reverse mentoring scheme", "management essentials course"],
    "managers": ["band 7 ward managers", "new line managers", "clinical team leaders",
                 "aspiring directors", "service managers"],
    "report": ["Workforce Race Equality Standard report", "Gender Pay Gap report",
               "Workforce Disability Equality Standard report", "annual Guardian of Safe Working report"],
    "legacy": ["the legacy pathology system", "the paper-based referral process", "the old intranet",
               "the on-site email servers", "the community rostering tool"],
    "device": ["tablet devices", "laptops with secure remote access", "smartphones with the clinical app"],
    "partners": ["the local authority and voluntary sector", "primary care networks",
                 "the public library service", "patient representatives"],
    "system": ["the finance ledger", "the clinical data warehouse", "the document management system",
               "the telephony platform"],
    "scheme": ["a new day surgery unit", "the expansion of the emergency department",
               "a community diagnostic centre", "the replacement of the main boiler house",
               "a new mental health crisis hub"],
    "ward": ["Willow Ward", "Beech Ward", "the Maple Unit", "Kestrel Ward", "the Birch Suite"],
    "service": ["musculoskeletal services", "the stroke pathway", "children's therapies",
                "the memory assessment service", "community dental services", "podiatry"],
    "asset": ["lifts and hoists", "ventilation plant", "fire doors", "medical gas pipelines"],
    "year": ["2023/24", "2024/25", "2025/26"],
    "cyear": ["2020/21", "2021/22"],
    "cip": ["4.2", "5.1", "6.8", "7.5", "3.9"],
    "item": ["year-end balances", "aged debt", "non-recurrent funding allocations", "intra-NHS invoices"],
    "spend": ["agency and bank spend", "non-pay expenditure", "overtime payments", "consultancy spend"],
    "bench": ["the national cost collection", "peer organisations", "the model hospital dashboard"],
    "unit": ["clinical division", "care group", "service line", "budget holder"],
    "lever": ["monthly audit and feedback", "the SSKIN bundle", "a dedicated practice educator",
              "weekly safety huddles", "structured judgement reviews"],
    "pct": ["80", "85", "90", "95"],
    "guidance": ["the latest statutory guidance", "learning from local reviews",
                 "the revised multi-agency procedures"],
    "topic": ["the budget process", "planning and licensing", "corporate parenting",
              "treasury management", "the new scrutiny arrangements", "climate change"],
    "council_site": ["the Town Hall", "the Civic Centre", "Eastmoor Leisure Centre", "the Market Hall",
                     "the Westfield depot"],
    "ward_area": ["the town centre", "Northbrook ward", "the Riverside estate", "Hollins Green",
                  "the Canal Quarter"],
    "school": ["the Business School", "the School of Health Sciences", "the Faculty of Arts",
               "the School of Engineering", "the Law School"],
    "student_group": ["first-year students", "commuter students", "mature students",
                      "care-experienced students", "postgraduate taught students",
                      "students with disabilities"],
    "child_group": ["care leavers", "children in need", "children on child protection plans",
                    "disabled children", "young carers", "children missing education"],
}

TEMPLATES: dict[str, list[str]] = {
    "workforce": [
        "Develop a recruitment and retention plan for {staff}",
        "Launch a {programme} for {managers}",
        "Review the appraisal process so that all {staff} have a personal development plan",
        "Reduce reliance on agency {staff} through a targeted bank incentive scheme",
        "Implement e-rostering for {area}",
        "Refresh the staff health and wellbeing offer for {staff}",
        "Introduce stay conversations for {staff} in their first year of employment",
        "Expand the apprenticeship offer for {staff}",
        "Publish the {report} and agree actions with staff networks",
        "Agree a workforce plan for {service} aligned to the financial plan",
        "Recruit additional Freedom to Speak Up champions in {area}",
        "Analyse exit interview themes for {staff} and report them to {committee}",
    ],
    "digital": [
        "Deploy the electronic patient record to {area}",
        "Replace {legacy} with a cloud-hosted solution",
        "Roll out digital dictation to {area}",
        "Implement electronic prescribing and medicines administration on {area}",
        "Provide {device} to {staff} working in the community",
        "Develop a digital inclusion plan with {partners}",
        "Migrate {system} to the shared data centre",
        "Introduce single sign-on for {staff}",
        "Launch a patient portal for {service} appointments",
        "Run a cyber security awareness campaign for {staff}",
    ],
    "estates": [
        "Complete a condition survey of {site}",
        "Agree the business case for {scheme}",
        "Reduce the backlog maintenance liability at {site}",
        "Install LED lighting throughout {site}",
        "Refurbish {ward} to meet current infection prevention standards",
        "Relocate {service} to {site}",
        "Review car parking arrangements at {site}",
        "Implement a planned preventative maintenance programme for {asset}",
        "Publish a green plan with carbon reduction targets for {year}",
    ],
    "finance": [
        "Deliver the {year} efficiency programme of \u00a3{cip}m",
        "Establish a monthly finance review with each {unit}",
        "Reconcile {item} with system partners before month 9",
        "Strengthen controls over {spend}",
        "Produce a medium-term financial plan covering {year} onwards",
        "Benchmark corporate service costs against {bench}",
        "Agree service line reporting for {service}",
        "Implement a no purchase order, no pay policy for {spend}",
    ],
    "quality": [
        "Embed the patient safety incident response framework across {area}",
        "Reduce pressure ulcers in {area} through {lever}",
        "Audit compliance with the falls prevention bundle on {area}",
        "Respond to {pct}% of complaints within the agreed timescale",
        "Introduce a ward accreditation scheme for {area}",
        "Implement the deteriorating patient pathway in {area}",
        "Strengthen mortality review processes through {lever}",
        "Improve hand hygiene compliance on {area} through {lever}",
        "Involve patients and carers in the redesign of {service}",
        "Review medicines reconciliation practice in {area}",
        "Standardise clinical handover in {area}",
        "Share learning from incidents in {area} through {lever}",
    ],
    "safeguarding": [
        "Deliver level 3 safeguarding training to {staff}",
        "Audit the quality of safeguarding referrals from {area}",
        "Review the safeguarding supervision model for {staff}",
        "Embed the think family approach in {service}",
        "Strengthen information sharing with the multi-agency safeguarding hub for {area}",
        "Update the safeguarding adults policy to reflect {guidance}",
        "Introduce routine enquiry about domestic abuse in {service}",
    ],
    "experience": [
        "Recruit volunteers to support mealtimes on {area}",
        "Introduce a carers' passport in {area}",
        "Act on the findings of the inpatient survey for {area}",
        "Improve access to interpreting services in {service}",
        "Provide accessible information for patients using {service}",
        "Extend visiting hours on {area}",
    ],
    "access": [
        "Reduce waits over 18 weeks in {service}",
        "Open an additional clinic for {service} at {site}",
        "Validate the waiting list for {service}",
        "Introduce patient-initiated follow-up in {service}",
        "Improve discharge before midday on {area}",
        "Review the referral criteria for {service}",
    ],
    "governance": [
        "Review the constitution and scheme of delegation",
        "Introduce a forward plan of key decisions for Cabinet",
        "Deliver member development sessions on {topic}",
        "Strengthen the role of the Audit and Governance Committee in {topic}",
        "Publish the corporate risk register and review it quarterly",
        "Refresh the code of conduct for members and officers",
        "Establish a cross-party working group on {topic}",
        "Improve the quality of committee reports on {topic}",
        "Review the overview and scrutiny work programme",
        "Agree a protocol for member and officer relations",
    ],
    "council_finance": [
        "Set a balanced budget with a clear savings plan for {cyear}",
        "Review fees and charges at {council_site}",
        "Develop an asset review covering {council_site}",
        "Strengthen budget monitoring reports to Cabinet",
        "Refresh the capital strategy and treasury management strategy",
        "Prepare a business case for the future of {council_site}",
        "Reduce the use of earmarked reserves to support revenue spending",
        "Introduce a commercial income strategy for {council_site}",
        "Review the council tax reduction scheme for {cyear}",
        "Train budget managers in the new financial system",
        "Procure a new insurance contract covering {council_site}",
    ],
    "place": [
        "Adopt a regeneration framework for {ward_area}",
        "Agree a delivery plan for affordable homes in {ward_area}",
        "Consult residents on the future of {council_site}",
        "Launch a town centre events programme for {ward_area}",
        "Complete the local plan evidence base for {ward_area}",
        "Bid for external funding to improve public spaces in {ward_area}",
    ],
    "customer": [
        "Introduce online payments for garden waste and bulky collections",
        "Review the customer contact strategy",
        "Set service standards for responding to member enquiries",
        "Move high-volume transactions to self-service",
        "Publish quarterly customer satisfaction results",
        "Train front-line staff in handling complex enquiries",
        "Redesign the council website around the top tasks of residents in {ward_area}",
        "Open a customer service point at {council_site}",
        "Introduce a single complaints process for all services",
    ],
    "curriculum": [
        "Review assessment loads across programmes in {school}",
        "Embed employability skills in the curriculum of {school}",
        "Introduce a consistent approach to feedback on assessed work in {school}",
        "Pilot programme-level assessment in {school}",
        "Revise the academic regulations on extenuating circumstances",
        "Develop an inclusive curriculum framework with {school}",
    ],
    "support": [
        "Extend the personal tutoring scheme to {student_group}",
        "Introduce a wellbeing check-in for {student_group}",
        "Review the support offered to {student_group}",
        "Launch a peer mentoring scheme for {student_group}",
        "Expand the hardship fund for {student_group}",
        "Improve transition support for {student_group}",
    ],
    "digital_learning": [
        "Implement lecture capture in all teaching rooms used by {school}",
        "Replace the virtual learning environment",
        "Provide digital skills training for {student_group}",
        "Establish minimum standards for online module pages in {school}",
        "Introduce an online submission and marking workflow for {school}",
    ],
    "inclusion": [
        "Close the awarding gap for {student_group} in {school}",
        "Analyse continuation rates for {student_group}",
        "Deliver outreach activity in local schools for {student_group}",
        "Review the contextual admissions policy",
        "Publish an annual access and participation monitoring report",
    ],
    "od": [
        "Hold quarterly all-staff briefings led by the Accountable Officer",
        "Refresh the staff induction programme",
        "Agree a hybrid working policy with staff representatives",
        "Commission team development sessions for the commissioning directorate",
        "Complete mandatory training compliance reporting each month",
        "Introduce a staff recognition scheme",
        "Review job descriptions following the management restructure",
        "Run a staff survey action planning workshop",
        "Provide mental health first aid training for line managers",
        "Set up a staff equality and inclusion network",
    ],
    "children": [
        "Review thresholds at the front door with partners for {child_group}",
        "Audit the quality of assessments for {child_group}",
        "Reduce caseloads for social workers supporting {child_group}",
        "Strengthen management oversight of plans for {child_group}",
        "Improve the timeliness of reviews for {child_group}",
        "Develop a sufficiency strategy for {child_group}",
        "Launch a participation forum for {child_group}",
        "Improve the quality of pathway plans for {child_group}",
        "Embed a practice framework for work with {child_group}",
        "Strengthen return home interviews for {child_group}",
    ],
}

QUALIFIERS: dict[str, list[str]] = {
    "nhs": [" across all directorates", ", reporting progress to {committee}", " with staff side colleagues",
            " and evaluate the impact after six months", " in partnership with system partners",
            " using feedback from staff and patients"],
    "council": [" and report progress to Cabinet", " in consultation with ward members",
                " with partners in the voluntary sector", " and evaluate the impact after six months",
                " using feedback from residents"],
    "university": [" with the Students' Union", " and report to the Education Committee",
                   " in partnership with academic schools", " and evaluate the impact after one year"],
}

PROGRESS: dict[str, list[str]] = {
    "completed": ["Completed. {evidence}.", "Complete \u2013 {evidence}.", "Completed in {past}; {evidence}.",
                  "Action completed and signed off by {committee} in {past}."],
    "in_progress": ["In progress \u2013 {detail}.", "Work underway; {detail}.",
                    "{Detail}; on track for the agreed deadline.", "Ongoing: {detail}."],
    "delayed": ["Delayed due to {reason}; now expected {future}.",
                "Slipped owing to {reason}; a new timeline will go to {committee}.",
                "Postponed pending {reason}."],
    "not_started": ["Not yet started; scheduled to begin in {future}.", "Planned for {future}.",
                    "Not started \u2013 dependent on {dependency}."],
    "unknown": [""],
}
PROGRESS_SLOTS: dict[str, list[str]] = {
    "uni_detail": ["two faculties have adopted the new approach", "feedback from student reps is positive",
                   "staff guidance published on the intranet",
                   "an evaluation with the Students' Union is due in the summer",
                   "the data dashboard is available to all programme leaders"],
    "evidence": ["policy approved by {committee}", "report received by {committee}",
                 "new process in place and working well", "all planned sessions delivered",
                 "evaluation shared with staff", "outcome reported to {committee}"],
    "detail": ["draft circulated for comment", "project group meeting monthly",
               "scoping work with system partners", "procurement exercise launched",
               "pilot running in two teams", "baseline data collected and analysed",
               "first cohort enrolled", "options paper being prepared for {committee}",
               "engagement sessions held with staff", "business case in development"],
    "reason": ["vacancies in the project team", "the national guidance review",
               "system-wide operational pressures", "a change of supplier",
               "limited clinical capacity over winter", "the restructure of the directorate"],
    "dependency": ["the outcome of the estates review", "the new staffing model",
                   "funding confirmation", "the system procurement"],
}
UNI_PROGRESS: dict[str, list[str]] = {
    "completed": ["Paused during the pandemic; resumed and completed in {past}.",
                  "Completed in {past} after a short delay; {uni_detail}.",
                  "Initially delayed by the move to online teaching; completed in {past}.",
                  "Completed in {past}. The new arrangements were approved by Senate.",
                  "Complete. Evaluation report received by the Education Committee in {past}."],
    "in_progress": ["Underway. A pilot is running in two schools with evaluation due in {future}.",
                    "In progress: working group established and meeting monthly.",
                    "Ongoing. First phase live since {past}; second phase being scoped.",
                    "In progress. Consultation with the Students' Union closed in {past}; proposals go to "
                    "Senate in {future}.",
                    "Underway: {uni_detail}.",
                    "Moved online during the pandemic and now running in a blended format; {uni_detail}."],
    "delayed": ["Delayed: the external review was moved to {future} because of the pandemic.",
                "Postponed until {future} while the new student record system is procured.",
                "Slipped because of staff shortages in Student Services; now expected {future}."],
    "not_started": ["Not yet started \u2013 dependent on the new timetabling system.",
                    "Planned to begin in {future}.",
                    "No progress this year; to be reconsidered by the Education Committee in {future}."],
    "unknown": [""],
}


class TextMaker:
    """Seeded, de-duplicating filler for the templates above."""

    def __init__(self, rng: random.Random, past: tuple[tuple[int, int], tuple[int, int]],
                 future: tuple[tuple[int, int], tuple[int, int]]) -> None:
        self.rng = rng
        self.past = past
        self.future = future
        self.used: set[str] = set()

    def fill(self, tpl: str, extra: Optional[dict[str, list[str]]] = None) -> str:
        pools = {**SLOTS, **PROGRESS_SLOTS, **(extra or {})}

        def one(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in ("past", "future"):
                y, mo = rand_month(self.rng, *(self.past if name == "past" else self.future))
                return f"{MONTHS[mo - 1]} {y}"
            if name[0].isupper():
                v = self.fill("{" + name.lower() + "}", extra)
                return v[0].upper() + v[1:]
            return self.fill(self.rng.choice(pools[name]), extra)

        return re.sub(r"\{(\w+)\}", one, tpl)

    def action(self, domain: str, qualify: float = 0.35, register: str = "nhs") -> str:
        """A new action sentence; unused templates first, never the same filled template twice."""
        pool = TEMPLATES[domain]
        fresh = [t for t in pool if t not in self.used]
        for _ in range(200):
            tpl = self.rng.choice(fresh or pool)
            base = self.fill(tpl)
            text = base
            if self.rng.random() < qualify:
                text += self.fill(self.rng.choice(QUALIFIERS[register]))
            if base not in self.used:  # no two actions differ only by a qualifier
                self.used.update({base, tpl})
                return text
        raise RuntimeError(f"template pool for {domain!r} exhausted")

    def progress(self, status: str, table: Optional[dict[str, list[str]]] = None) -> str:
        return self.fill(self.rng.choice((table or PROGRESS)[status]))

    def pick(self, pool: Sequence[str]) -> str:
        return self.rng.choice(list(pool))


# =========================================================================== document model

@dataclass
class Para:
    text: str
    bullet: bool = False


@dataclass
class Action:
    ref: str
    text: list[Para]
    goal: str = ""
    section: str = ""
    owner: str = ""
    lead: str = ""
    due: Due = NO_DUE
    status: str = "unknown"
    rag: Optional[str] = None
    marker: str = ""  # printed "(NEW)"-style marker before the text
    dash: bool = False  # printed "- " before the text
    status_text: str = ""  # the Status column as printed
    progress: list[Para] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    key: str = ""  # identity across versions (pairs only)

    @property
    def gold_text(self) -> str:
        return " ".join(p.text for p in self.text if p.text)

    def gold(self) -> dict[str, Any]:
        return {"ref": self.ref, "text": self.gold_text, "goal": self.goal, "section": self.section,
                "owner": self.owner, "lead": self.lead, "due_raw": self.due.raw,
                "due_date": self.due.date, "due_revised": self.due.revised, "status": self.status,
                "rag": self.rag, "is_new": bool(self.marker)}


@dataclass
class GroupRow:
    text: str


@dataclass
class Column:
    title: str
    width: float  # relative weight
    role: str  # ref|goal|text|owner|lead|due|status|progress|rag|extra:<name>


@dataclass
class ActionTable:
    columns: list[Column]
    rows: list[Union[Action, GroupRow]]
    rag_style: str = "fill"  # fill | letter | word | fill_letter
    rules: str = "grid"  # grid | none | horizontal
    engine: str = "platypus"  # PDF: platypus | drawn
    merge: tuple[str, ...] = ()  # roles merged vertically over equal consecutive values
    font_size: float = 8.0
    header_fill: Optional[str] = "D9D9D9"
    group_fill: Optional[str] = "EDEDED"


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Text:
    text: str
    label: str = ""  # printed before the text (bold), e.g. "Aim:" / "Objective 1:" / "SO1."
    size: float = 0.0  # 0 = body size
    bold: bool = False
    align: str = "left"  # left | center
    space_after: float = 6.0


@dataclass
class Item:
    """A list item: Word automatic numbering in the DOCX (label not in the text), printed label in PDF."""
    text: str
    label: str  # "1)", "a)" or "" for a bullet
    level: int = 0


@dataclass
class Grid:
    """A table that holds no actions (cover sheet, version history, key, glossary, contents, counts)."""
    header: list[str]  # [] for a key-value table without header row
    rows: list[list[str]]
    widths: list[float]
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) of body rows -> hex
    first_col_bold: bool = False


@dataclass
class Break:
    pass


@dataclass
class Orientation:
    landscape: bool


Block = Union[Heading, Text, Item, Grid, ActionTable, Break, Orientation]


@dataclass
class Doc:
    doc_id: str
    title: str
    organisation: str
    version: str
    doc_date: str
    running_header: str
    blocks: list[Block] = field(default_factory=list)
    objectives: list[dict[str, str]] = field(default_factory=list)
    font: str = "Helvetica"  # Helvetica | Times
    body_size: float = 10.0

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def objective(self, ref: str, text: str, block: Block) -> None:
        self.blocks.append(block)
        self.objectives.append({"ref": ref, "text": text})

    def tables(self) -> list[ActionTable]:
        return [b for b in self.blocks if isinstance(b, ActionTable)]

    def actions(self) -> list[Action]:
        return [r for t in self.tables() for r in t.rows if isinstance(r, Action)]

    def gold(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "files": [f"{self.doc_id}.pdf", f"{self.doc_id}.docx"],
                "title": self.title, "organisation": self.organisation, "version": self.version,
                "doc_date": self.doc_date, "actions": [a.gold() for a in self.actions()],
                "objectives": list(self.objectives)}


def cover(doc: Doc, lines: Sequence[tuple[str, float, bool]]) -> None:
    """Cover page: (text, size, bold) lines, then a page break."""
    for text, size, bold in lines:
        doc.add(Text(text, size=size, bold=bold, align="center", space_after=14))
    doc.add(Break())


# =========================================================================== cell content

def cell_content(a: Action, col: Column, t: ActionTable) -> tuple[list[Para], Optional[str]]:
    """The paragraphs printed in one cell of an action row and the cell's fill colour."""
    role = col.role
    if role == "text":
        paras = [Para(p.text, p.bullet) for p in a.text]
        prefix = ("- " if a.dash else "") + (a.marker + " " if a.marker else "")
        if prefix and paras:
            paras[0] = Para(prefix + paras[0].text, paras[0].bullet)
        return paras, None
    if role == "rag":
        fill = RAG_HEX[a.rag] if a.rag and t.rag_style in ("fill", "fill_letter") else None
        if not a.rag or t.rag_style == "fill":
            return [], fill
        word = RAG_WORD[a.rag] if t.rag_style == "word" else RAG_LETTER[a.rag]
        return [Para(word)], fill
    if role == "due":
        return [Para(p) for p in a.due.parts if p], None
    if role == "progress":
        return list(a.progress), None
    if role.startswith("extra:"):
        v = a.extra.get(role[6:], "")
        return ([Para(v)] if v else []), None
    value = {"ref": a.ref, "goal": a.goal, "owner": a.owner, "lead": a.lead,
             "status": a.status_text}[role]
    return ([Para(value)] if value else []), None


def role_value(a: Action, role: str) -> str:
    """The gold/printed value of a merge-able role ("goal", "extra:Theme", ...)."""
    return a.extra.get(role[6:], "") if role.startswith("extra:") else str(getattr(a, role))


def merge_plan(t: ActionTable) -> dict[tuple[int, int], str]:
    """(row index, col index) -> 'start' | 'cont' for vertically merged cells; spans of one row omitted."""
    plan: dict[tuple[int, int], str] = {}
    for ci, col in enumerate(t.columns):
        if col.role not in t.merge:
            continue
        run: list[int] = []
        prev = ""
        for ri, row in enumerate(t.rows + [GroupRow("")]):
            val = role_value(row, col.role) if isinstance(row, Action) else ""
            if val and val == prev:
                run.append(ri)
                continue
            if len(run) > 1:
                plan[(run[0], ci)] = "start"
                plan.update({(r, ci): "cont" for r in run[1:]})
            run, prev = ([ri] if val else []), val
    return plan


# =========================================================================== builders: helpers

def status_from_rag(rag: Optional[str]) -> str:
    return {"blue": "completed", "green": "in_progress", "amber": "in_progress",
            "red": "not_started", None: "unknown"}[rag]


def weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    vals, weights = zip(*table)
    return rng.choices(list(vals), weights=list(weights))[0]


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
    ident: Callable[[Action], str] = lambda a: a.key or a.gold_text
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


# =========================================================================== DOCX rendering

FIXED_TIME = datetime(2020, 1, 1, 9, 0, 0)
EMU_PER_PT = 12700


def render_docx(doc: Doc, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    d = Document()
    cp = d.core_properties
    cp.title, cp.author, cp.last_modified_by = doc.title, doc.organisation, doc.organisation
    cp.created = cp.modified = cp.last_printed = FIXED_TIME
    cp.revision = 1
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman" if doc.font == "Times" else "Arial"
    normal.font.size = Pt(doc.body_size)
    sec = d.sections[0]
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Pt(50)
    _docx_header_footer(sec, doc.running_header)
    for b in doc.blocks:
        if isinstance(b, Heading):
            d.add_heading(b.text, level=b.level)
        elif isinstance(b, Text):
            _docx_text(d, b)
        elif isinstance(b, Item):
            _docx_item(d, b)
        elif isinstance(b, Grid):
            _docx_grid(d, b)
        elif isinstance(b, ActionTable):
            _docx_action_table(d, b)
        elif isinstance(b, Break):
            d.add_page_break()
        elif isinstance(b, Orientation):
            new = d.add_section()
            w, h = new.page_width, new.page_height
            new.orientation = WD_ORIENT.LANDSCAPE if b.landscape else WD_ORIENT.PORTRAIT
            if (w < h) == b.landscape:
                new.page_width, new.page_height = h, w
            new.left_margin = new.right_margin = Pt(36)
    buf = io.BytesIO()
    d.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps and entry order so that the bytes depend only on content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def _docx_header_footer(sec: Any, running: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    hp = sec.header.paragraphs[0]
    hp.text = running
    hp.runs[0].font.size = Pt(8)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("Page ")
    _docx_field(fp, "PAGE")
    fp.add_run(" of ")
    _docx_field(fp, "NUMPAGES")


def _docx_field(par: Any, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instr} ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    par._p.append(fld)


def _docx_text(d: Any, b: Text) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = d.add_paragraph()
    if b.align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(b.space_after)
    if b.label:
        p.add_run(b.label + " ").bold = True
    run = p.add_run(b.text)
    run.bold = b.bold or None
    if b.size:
        run.font.size = Pt(b.size)


NUM_ID = 90


def _docx_item(d: Any, b: Item) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not b.label:
        d.add_paragraph(b.text, style="List Bullet")
        return
    _docx_numbering(d)
    p = d.add_paragraph(b.text, style="List Paragraph")
    ppr = p._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(b.level))
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), str(NUM_ID))
    num_pr.append(ilvl)
    num_pr.append(num_id)
    ppr.insert_element_before(num_pr, "w:spacing", "w:ind", "w:jc", "w:rPr")


def _docx_numbering(d: Any) -> None:
    """Add (once) a Word numbering definition: level 0 '1)', level 1 'a)'."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    numbering = d.part.numbering_part.element
    if numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{NUM_ID}']") is not None:
        return
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1})"/>'
        f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i, fmt in enumerate(["decimal", "lowerLetter"]))
    absn = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}">'
                     f'<w:multiLevelType w:val="hybridMultilevel"/>{lvls}</w:abstractNum>')
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>'))


def _docx_table(d: Any, widths: Sequence[float], rules: str) -> tuple[Any, list[int]]:
    """An empty fixed-layout table whose column widths (EMU) follow the relative widths."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sec = d.sections[-1]
    avail = sec.page_width - sec.left_margin - sec.right_margin
    tot = sum(widths)
    emu = [int(avail * w / tot) for w in widths]
    t = d.add_table(rows=0, cols=len(widths))
    if rules == "grid":
        t.style = d.styles["Table Grid"]
    t.autofit = False  # writes <w:tblLayout w:type="fixed"/>
    for i, w in enumerate(emu):
        t.columns[i].width = w
    tbl_pr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"]:
        el = OxmlElement(f"w:{side}")
        on = rules == "grid" or (rules == "horizontal" and side in ("top", "bottom", "insideH"))
        el.set(qn("w:val"), "single" if on else "none")
        el.set(qn("w:sz"), "4" if on else "0")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "auto" if on else "FFFFFF")
        borders.append(el)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                 "w:tblCaption", "w:tblDescription")
    return t, emu


def _docx_cell(cell: Any, paras: Sequence[Para], width: int, size: float, bold: bool = False,
               fill: Optional[str] = None, color: Optional[str] = None, align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    cell.width = width
    first = True
    for para in paras or [Para("")]:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if para.bullet:
            p.style = "List Bullet"
        p.paragraph_format.space_after = Pt(1)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if para.text:
            r = p.add_run(para.text)
            r.font.size = Pt(size)
            r.bold = bold or None
            if color:
                r.font.color.rgb = RGBColor.from_string(color)
    if fill:
        _docx_shade(cell, fill)


def _docx_shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shd, "w:noWrap", "w:tcMar", "w:textDirection",
                                                      "w:tcFitText", "w:vAlign", "w:hideMark")


def _docx_header_row(t: Any, titles: Sequence[str], emu: Sequence[int], size: float,
                     fill: Optional[str]) -> None:
    from docx.oxml import OxmlElement

    row = t.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    dark = fill is not None and fill in ("1F3864",)
    row_cells = _docx_row_cells(t, row)
    for i, title in enumerate(titles):
        _docx_cell(row_cells[i], [Para(title)], emu[i], size, bold=True, fill=fill,
                   color="FFFFFF" if dark else None)


def _docx_span_row(t: Any, text: str, emu: Sequence[int], size: float, fill: Optional[str]) -> None:
    row = t.add_row()
    tcs = row._tr.tc_lst
    for tc in tcs[1:]:
        row._tr.remove(tc)
    tcs[0].get_or_add_tcPr().grid_span = len(emu)
    _docx_cell(_docx_row_cells(t, row)[0], [Para(text)], sum(emu), size, bold=True, fill=fill)


def _docx_row_cells(table: Any, row: Any) -> list[Any]:
    """The row's own cells, one per w:tc (python-docx's row.cells re-walks the whole table each call)."""
    from docx.table import _Cell

    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _docx_grid(d: Any, g: Grid) -> None:
    t, emu = _docx_table(d, g.widths, "grid")
    size = 9.0
    if g.header:
        _docx_header_row(t, g.header, emu, size, "D9D9D9")
    for ri, cells in enumerate(g.rows):
        row = t.add_row()
        row_cells = _docx_row_cells(t, row)
        for ci, text in enumerate(cells):
            _docx_cell(row_cells[ci], [Para(text)], emu[ci], size, bold=g.first_col_bold and ci == 0,
                       fill=g.fills.get((ri, ci)))
    d.add_paragraph()


def _docx_action_table(d: Any, t: ActionTable) -> None:
    table, emu = _docx_table(d, [c.width for c in t.columns], t.rules)
    _docx_header_row(table, [c.title for c in t.columns], emu, t.font_size, t.header_fill)
    plan = merge_plan(t)
    for ri, item in enumerate(t.rows):
        if isinstance(item, GroupRow):
            _docx_span_row(table, item.text, emu, t.font_size + 0.5, t.group_fill)
            continue
        row = table.add_row()
        row_cells = _docx_row_cells(table, row)
        for ci, col in enumerate(t.columns):
            cell = row_cells[ci]
            state = plan.get((ri, ci))
            if state == "cont":
                cell.width = emu[ci]
                cell._tc.get_or_add_tcPr().vMerge_val = "continue"
                continue
            paras, fill = cell_content(item, col, t)
            _docx_cell(cell, paras, emu[ci], t.font_size, fill=fill, align="center" if col.role == "rag" else "left")
            if state == "start":
                cell._tc.get_or_add_tcPr().vMerge_val = "restart"
    d.add_paragraph()


# =========================================================================== PDF rendering

def _fonts(doc: Doc) -> tuple[str, str]:
    return ("Times-Roman", "Times-Bold") if doc.font == "Times" else ("Helvetica", "Helvetica-Bold")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.lru_cache(maxsize=None)
def _numbered_canvas() -> type:
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Defers page output so that every footer can say 'Page X of Y'."""

        footer_font = "Helvetica"

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                w = self._pagesize[0]
                self.setFont(self.footer_font, 8)
                self.setFillColorRGB(0.3, 0.3, 0.3)
                self.drawCentredString(w / 2, 22, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


@dataclass
class PdfStats:
    pages: int = 0
    split_rows: int = 0
    merged_over_page: int = 0


def render_pdf(doc: Doc, path: Path) -> PdfStats:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

    regular, bold = _fonts(doc)
    stats = PdfStats()
    margin = 42.0

    def on_page(canv: Any, tmpl: Any) -> None:
        w, h = canv._pagesize
        canv.saveState()
        canv.setFont(regular, 8)
        canv.setFillColorRGB(0.3, 0.3, 0.3)
        canv.drawString(margin, h - 26, doc.running_header)
        canv.setLineWidth(0.4)
        canv.line(margin, h - 30, w - margin, h - 30)
        canv.restoreState()

    def template(name: str, size: tuple[float, float]) -> Any:
        frame = Frame(margin, 40, size[0] - 2 * margin, size[1] - 40 - 40, id=name, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)
        return PageTemplate(id=name, frames=[frame], onPage=on_page, pagesize=size)

    tpl = BaseDocTemplate(str(path), pagesize=A4, invariant=1, title=doc.title, author=doc.organisation,
                          subject=doc.running_header, creator="extractor.synth", leftMargin=margin,
                          rightMargin=margin)
    tpl.addPageTemplates([template("portrait", A4), template("landscape", landscape(A4))])
    width = {"portrait": A4[0] - 2 * margin, "landscape": landscape(A4)[0] - 2 * margin}
    story: list[Any] = []
    orient = "portrait"
    for b in doc.blocks:
        if isinstance(b, Orientation):
            orient = "landscape" if b.landscape else "portrait"
            story += [NextPageTemplate(orient), PageBreak()]
        elif isinstance(b, Break):
            story.append(PageBreak())
        else:
            story += _pdf_block(doc, b, width[orient], stats)
    canvas_cls = _numbered_canvas()
    canvas_cls.footer_font = regular
    tpl.build(story, canvasmaker=canvas_cls)
    stats.pages = tpl.page
    return stats


def _pstyle(doc: Doc, name: str, size: float, bold: bool = False, **kw: Any) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    regular, bold_font = _fonts(doc)
    return ParagraphStyle(name, fontName=bold_font if bold else regular, fontSize=size,
                          leading=round(size * 1.2, 1), **kw)


def _pdf_block(doc: Doc, b: Block, width: float, stats: PdfStats) -> list[Any]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer

    body = doc.body_size
    if isinstance(b, Heading):  # CondPageBreak, not keepWithNext: that would push a long table to a new page
        size = {1: body + 4, 2: body + 2}.get(b.level, body + 1)
        return [CondPageBreak(120), Paragraph(_esc(b.text), _pstyle(doc, f"h{b.level}", size, True, spaceBefore=10,
                                                                   spaceAfter=5))]
    if isinstance(b, Text):
        _, bold = _fonts(doc)
        st = _pstyle(doc, "t", b.size or body, b.bold, spaceAfter=b.space_after,
                     alignment=TA_CENTER if b.align == "center" else 0)
        label = f"<font name='{bold}'>{_esc(b.label)}</font> " if b.label else ""
        return [Paragraph(label + _esc(b.text), st)]
    if isinstance(b, Item):
        indent = 18 + 18 * b.level
        st = _pstyle(doc, "li", body, leftIndent=indent + 4, bulletIndent=indent - 14, spaceAfter=3)
        return [Paragraph(_esc(b.text), st, bulletText=b.label or "\u2022")]
    if isinstance(b, Grid):
        return [_pdf_grid(doc, b, width), Spacer(1, 10)]
    if isinstance(b, ActionTable):
        if b.engine == "drawn":
            return [_drawn_action_table(doc, b, width, stats), Spacer(1, 10)]
        return [_platypus_action_table(doc, b, width), Spacer(1, 10)]
    raise TypeError(b)


def _cell_flowables(doc: Doc, paras: Sequence[Para], size: float, bold: bool = False,
                    color: Optional[str] = None, center: bool = False) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph

    out = []
    for p in paras:
        extra: dict[str, Any] = {"alignment": 1} if center else {}
        if color:
            extra["textColor"] = HexColor("#" + color)
        if p.bullet:
            st = _pstyle(doc, "cb", size, bold, leftIndent=8, bulletIndent=0, **extra)
            out.append(Paragraph(_esc(p.text), st, bulletText="\u2022"))
        else:
            out.append(Paragraph(_esc(p.text), _pstyle(doc, "c", size, bold, **extra)))
    return out or ""


def _pdf_grid(doc: Doc, g: Grid, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    size = 9.0
    data = []
    if g.header:
        data.append([_cell_flowables(doc, [Para(h)], size, True) for h in g.header])
    for row in g.rows:
        data.append([_cell_flowables(doc, [Para(c)], size, g.first_col_bold and i == 0) for i, c in enumerate(row)])
    tot = sum(g.widths)
    cmds: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    off = 1 if g.header else 0
    if g.header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")))
    for (r, c), hexv in g.fills.items():
        cmds.append(("BACKGROUND", (c, r + off), (c, r + off), colors.HexColor("#" + hexv)))
    return Table(data, colWidths=[width * w / tot for w in g.widths], repeatRows=off, style=TableStyle(cmds),
                 hAlign="LEFT")


def _platypus_action_table(doc: Doc, t: ActionTable, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    n = len(t.columns)
    tot = sum(c.width for c in t.columns)
    widths = [width * c.width / tot for c in t.columns]
    dark = t.header_fill == "1F3864"
    data: list[list[Any]] = [[_cell_flowables(doc, [Para(c.title)], t.font_size, True,
                                              "FFFFFF" if dark else None) for c in t.columns]]
    cmds: list[Any] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if t.rules == "grid":
        cmds.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    if t.header_fill:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + t.header_fill)))
    plan = merge_plan(t)
    for ri, item in enumerate(t.rows, 1):
        if isinstance(item, GroupRow):
            data.append([_cell_flowables(doc, [Para(item.text)], t.font_size + 0.5, True)] + [""] * (n - 1))
            cmds.append(("SPAN", (0, ri), (-1, ri)))
            if t.group_fill:
                cmds.append(("BACKGROUND", (0, ri), (-1, ri), colors.HexColor("#" + t.group_fill)))
            continue
        row: list[Any] = []
        for ci, col in enumerate(t.columns):
            state = plan.get((ri - 1, ci))
            if state == "cont":
                row.append("")
                continue
            if state == "start":
                end = ri - 1
                while plan.get((end + 1, ci)) == "cont":
                    end += 1
                cmds.append(("SPAN", (ci, ri), (ci, end + 1)))
            paras, fill = cell_content(item, col, t)
            row.append(_cell_flowables(doc, paras, t.font_size, center=col.role == "rag"))
            if fill:
                cmds.append(("BACKGROUND", (ci, ri), (ci, ri), colors.HexColor("#" + fill)))
        data.append(row)
    return Table(data, colWidths=widths, repeatRows=1, style=TableStyle(cmds), hAlign="LEFT")


# --------------------------------------------------------------------------- hand-drawn table

@dataclass
class DCell:
    lines: list[str]
    bold: bool = False
    fill: Optional[str] = None
    center: bool = False
    merge_up: bool = False  # continues a vertical merge from the row above (no rule above it)
    merge_down: bool = False  # the merge continues into the row below


@dataclass
class DRow:
    cells: list[DCell]  # one per column, or a single cell for a full-width group row
    group: bool = False
    cont: bool = False  # the second part of a row broken over a page boundary
    cap: int = 0  # line capacity from the unmerged cells (merged text is distributed over it)

    @property
    def n_lines(self) -> int:
        return max([len(c.lines) for c in self.cells] + [1])


@dataclass(frozen=True)
class DStyle:
    font: str
    bold_font: str
    size: float
    leading: float
    pad: float
    rules: str  # grid | none | horizontal
    header_fill: Optional[str]
    group_fill: Optional[str]


def _wrap(paras: Sequence[Para], font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = []
    for p in paras:
        text = ("\u2022 " + p.text) if p.bullet else p.text
        lines += simpleSplit(text, font, size, width) or [""]
    return lines


def _drawn_action_table(doc: Doc, t: ActionTable, width: float, stats: PdfStats) -> Any:
    regular, bold = _fonts(doc)
    st = DStyle(regular, bold, t.font_size, round(t.font_size * 1.22, 2), 4.0 if t.rules == "none" else 3.0,
                t.rules, t.header_fill, t.group_fill)
    tot = sum(c.width for c in t.columns)
    widths = [width * c.width / tot for c in t.columns]
    inner = [w - 2 * st.pad for w in widths]
    header = DRow([DCell(_wrap([Para(c.title)], bold, st.size, inner[i]), bold=True, fill=st.header_fill)
                   for i, c in enumerate(t.columns)])
    plan = merge_plan(t)
    rows: list[DRow] = []
    for ri, item in enumerate(t.rows):
        if isinstance(item, GroupRow):
            rows.append(DRow([DCell(_wrap([Para(item.text)], bold, st.size + 0.5, width - 2 * st.pad), bold=True,
                                    fill=st.group_fill)], group=True))
            continue
        cells = []
        for ci, col in enumerate(t.columns):
            state = plan.get((ri, ci))
            paras, fill = cell_content(item, col, t)
            lines = [] if state == "cont" else _wrap(paras, regular, st.size, inner[ci])
            cells.append(DCell(lines, fill=fill, center=col.role == "rag", merge_up=state == "cont",
                               merge_down=plan.get((ri + 1, ci)) == "cont"))
        row = DRow(cells)
        row.cap = max([len(c.lines) for ci, c in enumerate(cells) if (ri, ci) not in plan] + [1])
        rows.append(row)
    _distribute_merged(rows)
    return _drawn_table_cls()(widths, header, rows, st, stats)


def _distribute_merged(rows: list[DRow]) -> None:
    """Move the lines of each vertically merged cell down over the rows it spans."""
    for ri, row in enumerate(rows):
        if row.group:
            continue
        for ci, cell in enumerate(row.cells):
            if cell.merge_up or not cell.merge_down:
                continue
            span = [ri]
            while span[-1] + 1 < len(rows) and not rows[span[-1] + 1].group \
                    and rows[span[-1] + 1].cells[ci].merge_up:
                span.append(span[-1] + 1)
            lines = cell.lines
            for k, rj in enumerate(span):
                take = len(lines) if k == len(span) - 1 else rows[rj].cap
                rows[rj].cells[ci].lines = lines[:take]
                lines = lines[take:]


@functools.lru_cache(maxsize=None)
def _drawn_table_cls() -> type:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Flowable

    class DrawnTable(Flowable):
        """A table drawn line by line on the canvas; splits inside rows at page breaks."""

        def __init__(self, widths: list[float], header: DRow, rows: list[DRow], style: DStyle,
                     stats: PdfStats) -> None:
            super().__init__()
            self.widths, self.header, self.rows, self.st, self.stats = widths, header, rows, style, stats

        def _h(self, row: DRow) -> float:
            return row.n_lines * self.st.leading + 2 * self.st.pad

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            self.width = sum(self.widths)
            self.height = self._h(self.header) + sum(self._h(r) for r in self.rows)
            return self.width, self.height

        def split(self, aw: float, ah: float) -> list[Any]:
            avail = ah - self._h(self.header)
            taken: list[DRow] = []
            rest = list(self.rows)
            while rest:
                row = rest[0]
                h = self._h(row)
                if h <= avail:
                    taken.append(rest.pop(0))
                    avail -= h
                    continue
                k = int((avail - 2 * self.st.pad) // self.st.leading)
                if not row.group and k >= 1 and row.n_lines - k >= 1:
                    a = DRow([DCell(c.lines[:k], c.bold, c.fill, c.center, c.merge_up, c.merge_down)
                              for c in row.cells], cont=row.cont)
                    b = DRow([DCell(c.lines[k:], c.bold, c.fill, c.center, c.merge_up, c.merge_down)
                              for c in row.cells], cont=True)
                    taken.append(a)
                    rest[0] = b
                break
            while taken and taken[-1].group:  # keep a group row with the row after it
                rest.insert(0, taken.pop())
            if not taken:
                return []
            cls = type(self)
            return [cls(self.widths, self.header, taken, self.st, self.stats),
                    cls(self.widths, self.header, rest, self.st, self.stats)] if rest else [self]

        def draw(self) -> None:
            c = self.canv
            st = self.st
            rows = [self.header] + self.rows
            if self.rows and self.rows[0].cont:
                self.stats.split_rows += 1
            first = self.rows[0] if self.rows else None
            if first and not first.group and any(x.merge_up or (first.cont and x.merge_down) for x in first.cells):
                self.stats.merged_over_page += 1
            y = self.height
            xs = [0.0]
            for w in self.widths:
                xs.append(xs[-1] + w)
            c.setLineWidth(0.5)
            for ri, row in enumerate(rows):
                h = self._h(row)
                bottom = y - h
                cells = row.cells
                spans = [(0.0, xs[-1])] if row.group else list(zip(xs[:-1], xs[1:]))
                for cell, (x0, x1) in zip(cells, spans):
                    if cell.fill:
                        c.setFillColor(HexColor("#" + cell.fill))
                        c.rect(x0, bottom, x1 - x0, h, stroke=0, fill=1)
                    c.setFillColorRGB(0, 0, 0)
                    font = st.bold_font if (cell.bold or ri == 0) else st.font
                    size = st.size + (0.5 if row.group else 0)
                    c.setFont(font, size)
                    for li, line in enumerate(cell.lines):
                        base = y - st.pad - li * st.leading - size * 0.9
                        if cell.center:
                            c.drawCentredString((x0 + x1) / 2, base, line)
                        else:
                            c.drawString(x0 + st.pad, base, line)
                if st.rules == "grid":
                    for ci, (x0, x1) in enumerate(spans):
                        if ri <= 1 or not cells[ci].merge_up:
                            c.line(x0, y, x1, y)
                    for x in ([xs[0], xs[-1]] if row.group else xs):
                        c.line(x, y, x, bottom)
                elif st.rules == "horizontal":
                    c.setLineWidth(1.0 if ri <= 1 else 0.4)
                    c.line(0, y, xs[-1], y)
                    c.setLineWidth(0.5)
                y = bottom
            if st.rules in ("grid", "horizontal"):
                c.line(0, y, xs[-1], y)

    return DrawnTable


# =========================================================================== driver

Builder = Callable[[random.Random], Union[Doc, tuple[Doc, Doc, dict[str, Any]]]]
BUILDERS: list[tuple[str, Builder]] = [
    ("council", build_council), ("icb", build_icb), ("university", build_university), ("trust", build_trust),
    ("ccg", build_ccg), ("well_led_pair", build_well_led_pair), ("childrens_pair", build_childrens_pair),
]


def build_all(seed: int = DEFAULT_SEED) -> tuple[list[Doc], list[dict[str, Any]]]:
    """All documents and pair golds; each builder gets its own RNG so documents vary independently."""
    docs: list[Doc] = []
    pairs: list[dict[str, Any]] = []
    for name, builder in BUILDERS:
        rng = random.Random(f"{seed}:{name}")
        out = builder(rng)
        if isinstance(out, Doc):
            docs.append(out)
        else:
            docs += [out[0], out[1]]
            pairs.append(out[2])
    return docs, pairs


def generate(out_dir: Path, gold_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, dict[str, Any]]:
    """Write every document (.docx + .pdf) and its gold; return per-document statistics."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (gold_dir / "pairs").mkdir(parents=True, exist_ok=True)
    docs, pairs = build_all(seed)
    report: dict[str, dict[str, Any]] = {}
    for doc in docs:
        render_docx(doc, out_dir / f"{doc.doc_id}.docx")
        st = render_pdf(doc, out_dir / f"{doc.doc_id}.pdf")
        _write_json(gold_dir / f"{doc.doc_id}.json", doc.gold())
        report[doc.doc_id] = {"pages": st.pages, "actions": len(doc.actions()), "objectives": len(doc.objectives),
                              "split_rows": st.split_rows, "merged_over_page": st.merged_over_page}
    for p in pairs:
        _write_json(gold_dir / "pairs" / f"{p['pair_id']}.json", p)
    return report


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extractor.synth", description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--gold", type=Path, required=True, help="directory for gold JSON")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    report = generate(args.out_dir, args.gold, args.seed)
    for doc_id, r in report.items():
        print(f"{doc_id}: {r['pages']} pages, {r['actions']} actions, {r['objectives']} objectives, "
              f"{r['split_rows']} split rows, {r['merged_over_page']} merges over a page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
