"""What every family document shares: a writer context (organisation, people, dates, status words, seeded
text) and the document frame (cover or title block, introduction)."""
from __future__ import annotations

import random
from datetime import date
from typing import Optional, Sequence, Union

from tests.synth.model import (
    Action,
    Break,
    Column,
    Doc,
    Due,
    GroupRow,
    Para,
    Text,
    add_months,
    weighted,
)
from tests.synth.text import TEMPLATES, TextMaker
from tests.synth.vocab import Org, People, StatusVoice, doc_date_text, pick_org, rand_due_for

Row = Union[Action, GroupRow]
FALLBACK_DOMAINS = ("governance", "customer", "od", "digital", "workforce")

GOALS = ["Improve outcomes for the people we serve", "Develop our people and leaders", "Strengthen partnerships",
         "Make better use of data and technology", "Deliver value for money", "Reduce inequalities",
         "Improve the experience of residents and service users", "Be a well-governed organisation",
         "Respond to the climate emergency", "Modernise our services", "Improve safety and quality",
         "Build a positive and inclusive culture"]


class Ctx:
    """One document's writer: its organisation, people, dates window, status wording and text maker."""

    def __init__(self, rng: random.Random, org: Optional[Org] = None, kinds: Optional[Sequence[str]] = None,
                 country: Optional[str] = None) -> None:
        self.rng = rng
        self.org = org or pick_org(rng, kinds, country)
        year = rng.randint(2019, 2025)
        self.when = date(year, rng.randint(1, 12), rng.randint(1, 28))  # the document's own date
        y, m = self.when.year, self.when.month
        self.tm = TextMaker(rng, (add_months(y, m, -14), add_months(y, m, -1)), (add_months(y, m, 1),
                                                                                  add_months(y, m, 15)))
        self.people = People(rng, self.org)
        self.voice = StatusVoice(rng, self.org)
        self.window = (add_months(y, m, -6), add_months(y, m, 18))

    # ------------------------------------------------------------------ content

    def text(self, qualify: float = 0.2, domain: Optional[str] = None) -> str:
        """A new action sentence from the organisation's own pools; a long plan that exhausts them borrows
        from the general ones."""
        first = domain or self.rng.choice(self.org.domains)
        order = [first, *self.org.domains, *FALLBACK_DOMAINS]
        fresh = [d for d in order if any(t not in self.tm.used for t in TEMPLATES[d])]
        for d in fresh[:1] + order:  # a sentence stem not used yet in this document, if any is left
            try:
                return self.tm.action(d, qualify, self.org.register)
            except RuntimeError:  # that pool has no unused template left
                continue
        raise RuntimeError(f"{self.org.name}: every template pool is exhausted")

    def due(self, kinds: Optional[Sequence[str]] = None) -> Due:
        return rand_due_for(self.org, self.rng, *self.window, kinds=kinds)

    def status(self) -> str:
        return weighted(self.rng, [("completed", 3), ("in_progress", 4), ("delayed", 1.5), ("not_started", 1.5)])

    def goals(self, n: int) -> list[str]:
        return self.rng.sample(GOALS, n)

    def progress(self, status: str) -> list[Para]:
        text = self.tm.progress(status)
        return [Para(text)] if text else []

    def width(self, w: float) -> float:
        """A column's relative width, jittered so that no two documents share a grid."""
        return round(w * self.rng.uniform(0.8, 1.25), 2)

    def col(self, titles: Union[str, Sequence[str]], width: float, role: str) -> Column:
        title = titles if isinstance(titles, str) else self.rng.choice(list(titles))
        return Column(title, self.width(width), role)

    def action(self, ref: str = "", section: str = "", goal: str = "", owner_style: str = "post",
               with_progress: bool = False, status: Optional[str] = None, due: Optional[Due] = None) -> Action:
        """A plain action row: text, owner, due date, status word (and progress)."""
        status = status or self.status()
        return Action(ref=ref, text=[Para(self.text())], goal=goal, section=section,
                      owner=self.people.owner(owner_style), due=due or self.due(), status=status,
                      status_text=self.voice.word(status),
                      progress=self.progress(status) if with_progress else [])

    # ------------------------------------------------------------------ frame

    def doc(self, family: str, slug: str, title: str, cover_page: Optional[bool] = None,
            version: Optional[str] = None, font: Optional[str] = None) -> Doc:
        """A document with a cover page (or a title block on page 1); metadata as printed on it."""
        rng, org = self.rng, self.org
        if version is None:
            version = rng.choice(["", f"{rng.randint(1, 4)}.{rng.randint(0, 9)}", str(rng.randint(1, 6))])
        doc = Doc(f"{org.slug}-{slug}", title, org.name, version, self.when.isoformat(),
                  rng.choice([f"{org.name} \u2013 {title}", f"{org.body} | {title}", org.name]),
                  font=font or rng.choice(["Helvetica", "Helvetica", "Times"]),
                  body_size=rng.choice([9.5, 10.0, 10.0, 10.5, 11.0]), family=family, country=org.country)
        date_line = doc_date_text(org, self.when)
        lines = [(org.name, 18.0, True), (title, 16.0, True)]
        if version:
            lines.append((f"Version {version}", 11.0, False))
        lines.append((rng.choice(["Date: ", "Meeting date: ", "Issued: "]) + date_line, 11.0, False))
        if cover_page if cover_page is not None else rng.random() < 0.5:
            for text, size, bold in lines:
                doc.add(Text(text, size=size + 2, bold=bold, align="center", space_after=14))
            doc.add(Break())
        else:
            for text, size, bold in lines:
                doc.add(Text(text, size=size, bold=bold, space_after=4))
        return doc

    def intro(self, doc: Doc, what: str) -> None:
        """An unnumbered introduction paragraph (no objectives: nothing numbered in running text)."""
        doc.add(Text(f"This paper sets out {what} for the {self.org.body}. "
                     + self.rng.choice(["Progress is reviewed at each meeting and the plan is updated quarterly.",
                                        "Each action has a named lead and a target date.",
                                        "The plan is refreshed after each review and published on our website."])))
