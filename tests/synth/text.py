"""Text pools and the seeded filler that writes actions, progress notes and objectives."""
from __future__ import annotations

import random
import re
from typing import Optional, Sequence

from tests.synth.model import MONTHS, rand_month

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
