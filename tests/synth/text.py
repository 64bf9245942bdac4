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
    # slots of the family documents (tests.synth.families)
    "dataset": ["the land ownership register", "road traffic counts", "the register of charities",
                "school performance tables", "hourly weather observations", "bus timetable data",
                "the national address gazetteer", "planning application decisions", "river level readings",
                "company accounts filings", "hospital waiting times", "the business rates list"],
    "unit_gov": ["each directorate", "the arm's-length bodies", "the statistics division",
                 "the regional offices", "every executive agency"],
    "threshold": ["500", "25,000", "10,000"],
    "partner_gov": ["the devolved administrations", "local authorities", "the national statistics office",
                    "the emergency services"],
    "us_topic": ["environmental justice", "language access", "broadband affordability", "rural health",
                 "small business lending", "disaster recovery assistance", "tribal consultation",
                 "housing stability"],
    "us_community": ["tribal nations", "rural communities", "limited English proficient residents",
                     "underserved communities", "people with disabilities", "veterans"],
    "us_program": ["the Community Development Block Grant program", "the disaster loan program",
                   "the rental assistance program", "the broadband subsidy program", "the small grants portal",
                   "the summer meals program"],
    "estate": ["the Longmead estate", "Harrow Court", "the Fairfield blocks", "Ashgrove Gardens",
               "the Canal Street flats"],
    "tenant_group": ["older tenants", "leaseholders", "tenants with disabilities", "new tenants",
                     "shared owners"],
    "building": ["the high-rise blocks", "sheltered housing schemes", "the Mill Lane offices",
                 "the older street properties"],
    "beat": ["the city centre", "the Northgate neighbourhood", "rural wards", "the Westfield estate",
             "the night-time economy area"],
    "police_team": ["response officers", "neighbourhood teams", "control room staff", "detectives",
                    "special constables"],
    "crime_type": ["domestic abuse", "rural crime", "anti-social behaviour", "fraud", "knife crime",
                   "violence against women and girls"],
    "fire_group": ["older people living alone", "households without working smoke alarms",
                   "vulnerable residents referred by partners"],
    "premises": ["care homes", "high-rise residential buildings", "hospitals", "student accommodation"],
    "station": ["Eastbrook fire station", "the retained stations", "Central fire station"],
    "fire_staff": ["crew managers", "on-call firefighters", "station managers", "control operators"],
    "street_miles": ["40", "55", "62", "75"],
    "district": ["Council District 2", "the downtown core", "the east side", "the riverfront district"],
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
    "open_data": [
        "Publish an inventory of the datasets held by {unit_gov}",
        "Release {dataset} as open data under an open licence",
        "Set up a user panel to prioritise the release of {dataset}",
        "Agree data quality standards for {dataset}",
        "Publish monthly spending data for transactions over {threshold} pounds",
        "Develop an application programming interface for {dataset}",
        "Review the charging policy for {dataset}",
        "Appoint a data steward for {dataset}",
        "Consult users on the format and frequency of {dataset}",
        "Agree a data sharing protocol with {partner_gov}",
        "Remove licensing restrictions on {dataset}",
        "Link {dataset} to the national reference data",
    ],
    "us_agency": [
        "Establish an interagency working group on {us_topic}",
        "Publish a public dashboard on {us_topic}",
        "Issue guidance to grantees on {us_topic}",
        "Conduct listening sessions with {us_community} on {us_topic}",
        "Complete an equity assessment of {us_program}",
        "Modernize the application process for {us_program}",
        "Expand language access services for {us_program}",
        "Launch a pilot to reduce administrative burden in {us_program}",
        "Release disaggregated data on {us_topic}",
        "Train program staff on {us_topic}",
        "Evaluate the customer experience of {us_program}",
        "Update outreach materials for {us_community} applying to {us_program}",
    ],
    "us_city": [
        "Repave {street_miles} miles of streets in {district}",
        "Launch a 311 mobile application for residents of {district}",
        "Adopt a vision zero action plan for {district}",
        "Open a small business resource center in {district}",
        "Complete the citywide tree canopy assessment",
        "Publish permit processing times on the open data portal",
        "Replace lead service lines in {district}",
        "Expand the summer youth employment program",
    ],
    "housing": [
        "Complete stock condition surveys for {estate}",
        "Reduce the time taken to re-let empty homes on {estate}",
        "Introduce a damp and mould response service for {tenant_group}",
        "Review the tenant engagement strategy with {tenant_group}",
        "Install fire safety improvements in {building}",
        "Publish tenant satisfaction measures for {estate}",
        "Agree a decarbonisation programme for {building}",
        "Improve the repairs appointment system for {tenant_group}",
    ],
    "policing": [
        "Increase neighbourhood patrols in {beat}",
        "Issue body-worn video to {police_team}",
        "Improve the timeliness of responses to reports of {crime_type}",
        "Train {police_team} in trauma-informed practice",
        "Review the force's approach to {crime_type}",
        "Launch a community problem-solving forum in {beat}",
        "Reduce repeat victimisation for {crime_type}",
        "Publish stop and search data for {beat}",
    ],
    "fire": [
        "Deliver safe and well visits to {fire_group}",
        "Complete fire safety audits of {premises}",
        "Review crewing arrangements at {station}",
        "Introduce an incident command training programme for {fire_staff}",
        "Reduce unwanted fire signals from {premises}",
        "Recruit and retain {fire_staff} through a new availability scheme",
        "Install a new mobilising system in the control room",
    ],
    "environment": [
        "Plant two thousand trees across {ward_area}",
        "Install electric vehicle charge points at {council_site}",
        "Publish a climate action plan for {ward_area}",
        "Remove single-use plastics from {council_site}",
        "Retrofit {council_site} with air source heat pumps",
        "Introduce weekly food waste collections in {ward_area}",
        "Map surface water flood risk in {ward_area}",
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
    "gov": [" and report progress to the Board", " working with data users", " across all business units",
            " in line with the published data strategy"],
    "us": [" in coordination with partner agencies", " and report progress publicly each quarter",
           " with input from community stakeholders", " consistent with applicable law"],
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
