"""Who writes the family documents: fictional organisations (UK and US), people, posts, departments, and the
date and status conventions of each country."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Optional, Sequence

from tests.synth.model import MONTHS, Due, due_of, month_end, rand_month

# =========================================================================== organisations


@dataclass(frozen=True)
class Org:
    name: str
    slug: str
    kind: str  # trust | icb | council | university | police | fire | housing | charity | gov | us_agency | us_city
    country: str  # UK | US
    body: str  # the body the paper goes to
    domains: tuple[str, ...]  # TEMPLATES pools of tests.synth.text
    register: str  # QUALIFIERS pool

    @property
    def us(self) -> bool:
        return self.country == "US"


ORGS: list[Org] = [
    Org("Kestrel Vale NHS Foundation Trust", "kestrel-vale-trust", "trust", "UK", "Trust Board",
        ("quality", "workforce", "safeguarding", "experience", "access"), "nhs"),
    Org("Ashcombe and Wendle Integrated Care Board", "ashcombe-wendle-icb", "icb", "UK", "ICB Board",
        ("workforce", "digital", "finance", "access"), "nhs"),
    Org("Fernleigh District Council", "fernleigh-council", "council", "UK", "Cabinet",
        ("governance", "council_finance", "place", "customer", "environment"), "council"),
    Org("Castlemere Borough Council", "castlemere-council", "council", "UK", "Overview and Scrutiny Committee",
        ("place", "customer", "environment", "governance"), "council"),
    Org("University of Northcliffe", "northcliffe-university", "university", "UK", "Senate",
        ("curriculum", "support", "digital_learning", "inclusion"), "university"),
    Org("Dunmoor Constabulary", "dunmoor-police", "police", "UK", "Police and Crime Panel", ("policing",), "council"),
    Org("Tarnside Fire and Rescue Service", "tarnside-fire", "fire", "UK", "Fire Authority", ("fire",), "council"),
    Org("Greystone Homes", "greystone-homes", "housing", "UK", "Board of Management", ("housing",), "council"),
    Org("Riverbank Community Trust", "riverbank-community-trust", "charity", "UK", "Board of Trustees",
        ("od", "experience"), "council"),
    Org("Office for Public Data", "office-for-public-data", "gov", "UK", "Open Data Board", ("open_data",), "gov"),
    Org("Department for Coastal Communities", "coastal-communities-dept", "gov", "UK", "Departmental Board",
        ("open_data",), "gov"),
    Org("U.S. Bureau of Community Services", "us-bureau-community-services", "us_agency", "US",
        "Equity Steering Committee", ("us_agency",), "us"),
    Org("Federal Office of Data Equity", "federal-office-data-equity", "us_agency", "US", "Executive Council",
        ("us_agency",), "us"),
    Org("City of Maple Falls", "maple-falls-city", "us_city", "US", "City Council", ("us_city", "us_agency"), "us"),
    Org("Cedar County Department of Health", "cedar-county-health", "us_agency", "US", "Board of Health",
        ("us_agency",), "us"),
]

POSTS: dict[str, list[str]] = {
    "trust": ["Chief Executive", "Chief Nurse", "Medical Director", "Director of Finance", "Director of People",
              "Chief Operating Officer", "Director of Strategy", "Head of Patient Experience",
              "Deputy Director of Nursing", "Trust Secretary", "Head of Safeguarding"],
    "icb": ["Chief Executive", "Chief Nursing Officer", "Chief Finance Officer", "Director of Primary Care",
            "Director of Strategy", "Chief People Officer", "Chief Digital Officer"],
    "council": ["Chief Executive", "Director of Place", "Director of Resources", "Head of Housing",
                "Monitoring Officer", "Head of Planning", "Assistant Director \u2013 Customer Services",
                "Head of Communications", "Head of Environmental Services"],
    "university": ["Provost", "PVC Education", "Registrar", "Dean of Students", "Director of Estates",
                   "Chief Information Officer", "Head of Student Services", "Director of Library Services"],
    "police": ["Deputy Chief Constable", "Assistant Chief Constable (Operations)",
               "Chief Superintendent \u2013 Local Policing", "Head of Corporate Services",
               "Detective Superintendent \u2013 Public Protection", "Head of Professional Standards"],
    "fire": ["Chief Fire Officer", "Deputy Chief Fire Officer", "Area Manager \u2013 Prevention",
             "Head of Protection", "Head of Finance", "Group Manager \u2013 Training"],
    "housing": ["Chief Executive", "Director of Property Services", "Head of Tenancy Services",
                "Director of Customer Experience", "Head of Asset Management", "Head of Building Safety"],
    "charity": ["Chief Executive", "Director of Services", "Head of Fundraising", "Volunteer Manager",
                "Director of Finance and Resources", "Head of Operations"],
    "gov": ["Chief Data Officer", "Director of Digital", "Head of Statistics", "Head of Information Governance",
            "Senior Information Risk Owner", "Deputy Director, Data Services"],
    "us_agency": ["Chief Data Officer", "Deputy Assistant Secretary for Policy",
                  "Director, Office of Grants Management", "Chief Information Officer",
                  "Program Manager, Community Services", "Senior Advisor for Equity",
                  "Chief Financial Officer"],
    "us_city": ["City Manager", "Director of Public Works", "Chief Innovation Officer",
                "Director of Housing and Community Development", "Budget Director", "Parks Director"],
}

DEPARTMENTS: dict[str, list[str]] = {
    "UK": ["Department for Transport Data", "Land Registry Office", "National Statistics Office",
           "Ministry of Housing Data Unit", "Environment Data Service", "Companies Registry", "Charity Regulator",
           "Met Observation Service", "Revenue and Customs Data Team", "Department for Education Analysis"],
    "US": ["Office of the Chief Information Officer", "Office of Management and Budget", "Census Bureau",
           "Department of Housing", "Small Business Office", "Office of Civil Rights", "Bureau of Statistics",
           "Department of Public Works", "Office of Grants", "Department of Agriculture Data Office"],
}

FIRST = ["Amara", "Ben", "Chloe", "Daniel", "Eleanor", "Farah", "George", "Hannah", "Imran", "Jessica", "Kwame",
         "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rachel", "Samuel", "Tomasz", "Una", "Victor", "Wendy",
         "Yusuf", "Zoe", "Gareth", "Siobhan", "Marcus", "Ifeoma", "Luis", "Mei"]
LAST = ["Okafor", "Bennett", "Carter", "Dhillon", "Evans", "Fitzgerald", "Greenwood", "Hussain", "Iqbal", "Jones",
        "Kowalczyk", "Lindqvist", "Mensah", "Nolan", "Brennan", "Patel", "Quinn", "Reyes", "Singh", "Thompson",
        "Underwood", "Vasquez", "Whitfield", "Young", "Zhang", "Abbott", "Byrne", "Chowdhury", "Delaney", "Ellis"]


def pick_org(rng: random.Random, kinds: Optional[Sequence[str]] = None, country: Optional[str] = None) -> Org:
    pool = [o for o in ORGS if (kinds is None or o.kind in kinds) and (country is None or o.country == country)]
    return rng.choice(pool)


class People:
    """Distinct people of one organisation: names, initials (disambiguated like 'JTe'), posts."""

    def __init__(self, rng: random.Random, org: Org, n: int = 12) -> None:
        self.rng = rng
        firsts, lasts = rng.sample(FIRST, n), rng.sample(LAST, n)
        self.names = [f"{f} {s}" for f, s in zip(firsts, lasts)]
        self.initials: list[str] = []
        for f, s in zip(firsts, lasts):
            ini = f[0] + s[0]
            if ini in self.initials:
                ini = f[0] + s[0] + s[1]
            self.initials.append(ini)
        self.posts = list(POSTS[org.kind])
        self.departments = list(DEPARTMENTS[org.country])

    def name(self) -> str:
        return self.rng.choice(self.names)

    def short_name(self) -> str:
        full = self.rng.choice(self.names)
        first, last = full.split(" ", 1)
        return f"{first[0]}. {last}"

    def ini(self, k: int = 1) -> str:
        return "/".join(self.rng.sample(self.initials, k))

    def post(self) -> str:
        return self.rng.choice(self.posts)

    def department(self) -> str:
        return self.rng.choice(self.departments)

    def owner(self, style: str) -> str:
        """An owner as printed: post | name | short (J. Smith) | initials | department | mixed."""
        if style == "mixed":
            style = self.rng.choice(["post", "name", "initials", "department"])
        return {"post": self.post, "name": self.name, "short": self.short_name, "initials": self.ini,
                "department": self.department}[style]()


# =========================================================================== dates

US_QUARTER_START = 10  # US federal fiscal year: October - September, FY named by the year it ends


def us_quarter_of(y: int, m: int) -> tuple[int, int]:
    fy = y + 1 if m >= US_QUARTER_START else y
    return fy, (m - US_QUARTER_START) % 12 // 3 + 1


def us_quarter_end(fy: int, q: int) -> str:
    y, m = {1: (fy - 1, 12), 2: (fy, 3), 3: (fy, 6), 4: (fy, 9)}[q]
    return month_end(y, m)


def due_us(kind: str, y: int, m: int, rng: random.Random) -> Due:
    """A US date cell: mdy 09/30/2024 | long September 30, 2024 | month September 2024 | quarter Q2 FY2024 |
    fy FY2025 | ongoing."""
    if kind == "mdy":
        d = rng.choice([1, 15, 28, 30 if m != 2 else 28])
        return Due((f"{m:02d}/{d:02d}/{y}",), date(y, m, d).isoformat())
    if kind == "long":
        d = rng.randint(1, 28)
        return Due((f"{MONTHS[m - 1]} {d}, {y}",), date(y, m, d).isoformat())
    if kind == "quarter":
        fy, q = us_quarter_of(y, m)
        label = rng.choice([f"Q{q} FY{fy}", f"FY{fy % 100:02d} Q{q}"])
        return Due((label,), us_quarter_end(fy, q))
    if kind == "fy":
        fy, _ = us_quarter_of(y, m)
        return Due((f"FY{fy}",), month_end(fy, 9))
    if kind == "ongoing":
        return Due((rng.choice(["Ongoing", "Continuous"]),), None)
    return Due((f"{MONTHS[m - 1]} {y}",), month_end(y, m))


UK_KINDS = ["quarter", "fy", "dmy", "dlong", "month:Month YYYY", "month:Mon YYYY", "month:Mon-YY"]
US_KINDS = ["mdy", "long", "month", "quarter", "fy"]


def rand_due_for(org: Org, rng: random.Random, lo: tuple[int, int], hi: tuple[int, int],
                 kinds: Optional[Sequence[str]] = None) -> Due:
    """A due date in the writing conventions of the organisation's country."""
    y, m = rand_month(rng, lo, hi)
    kind = rng.choice(list(kinds or (US_KINDS if org.us else UK_KINDS)))
    return due_us(kind, y, m, rng) if org.us else due_of(kind, y, m, rng)


def doc_date_text(org: Org, d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}" if org.us else f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def quarter_label(org: Org, fy: int, q: int, dash: str = " \u2013 ") -> tuple[str, str]:
    """A quarter box title and its last day: 'Q1 April - June 2024' (UK) or 'Q1 FY2025 (October - December
    2024)' (US)."""
    if org.us:
        y0, m0 = (fy - 1, 10) if q == 1 else (fy, 1 + 3 * (q - 2))
        m1 = m0 + 2
        return f"Q{q} FY{fy} ({MONTHS[m0 - 1]}{dash}{MONTHS[m1 - 1]} {y0})", us_quarter_end(fy, q)
    y0, m0 = (fy, 4 + 3 * (q - 1)) if q < 4 else (fy + 1, 1)
    m1 = m0 + 2
    return f"Q{q} {MONTHS[m0 - 1]}{dash}{MONTHS[m1 - 1]} {y0}", month_end(y0, m1)


# =========================================================================== status words

# printed word -> (gold status, is_new)
STATUS_WORDS: dict[str, tuple[str, bool]] = {
    "Complete": ("completed", False), "Completed": ("completed", False), "Done": ("completed", False),
    "On track": ("in_progress", False), "In progress": ("in_progress", False), "Ongoing": ("in_progress", False),
    "Underway": ("in_progress", False), "On schedule": ("in_progress", False),
    "Delayed": ("delayed", False), "Behind schedule": ("delayed", False), "Carried forward": ("delayed", False),
    "Slipped": ("delayed", False),
    "Not started": ("not_started", False), "Not yet started": ("not_started", False), "Planned": ("not_started", False),
    "New": ("not_started", True),
}
STATUS_SETS = {
    "UK": {"completed": ["Complete", "Completed"], "in_progress": ["On track", "In progress", "Ongoing"],
           "delayed": ["Delayed", "Slipped"], "not_started": ["Not started", "Not yet started", "Planned"]},
    "US": {"completed": ["Complete", "Completed"], "in_progress": ["On schedule", "In progress", "Underway"],
           "delayed": ["Behind schedule", "Delayed"], "not_started": ["Not started", "Planned"]},
}


class StatusVoice:
    """One document's status wording: one printed word per status, chosen once."""

    def __init__(self, rng: random.Random, org: Org) -> None:
        self.words = {k: rng.choice(v) for k, v in STATUS_SETS[org.country].items()}

    def word(self, status: str) -> str:
        return self.words[status]
