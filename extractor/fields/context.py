"""Document-wide facts the row normalisers need, all read from the document itself: its printed date, plan
period and date convention (jurisdiction, financial year), its RAG key and colour scheme, its glossary of
role abbreviations and initials."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional

from extractor.fields import date_rules, dates, owners, rag
from extractor.model import Block, DocDateSource, DocumentResult, LayoutDocument, Table
from extractor.settings import Settings, current

PRINTED = (DocDateSource.COVER_LABEL.value, DocDateSource.COVER_TEXT.value)
_TEXT_CAP = 200_000  # characters of a document read for its date convention: enough, and bounded


@dataclass
class DocContext:
    """What the whole document tells the row normalisers."""
    doc_id: str
    path: str
    doc_year: Optional[int] = None  # year of the PRINTED document date (never from file properties)
    doc_date: Optional[str] = None  # the PRINTED document date (ISO), for year-less dates and dated events
    rag_key: dict[str, str] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    convention: Optional[dates.Convention] = None  # how it writes dates (None: the rules' default)
    plan_period: Optional[tuple[str, str]] = None  # the period its title names ("Action plan 2019/20")
    uses_blue: bool = False  # it rates things blue: four colours, blue complete and green on track


def document_context(layout: LayoutDocument, result: DocumentResult) -> DocContext:
    ctx = DocContext(doc_id=result.doc_id, path=result.path)
    if result.doc_date and result.doc_date_source in PRINTED:
        ctx.doc_date = result.doc_date
        ctx.doc_year = int(result.doc_date[:4]) if result.doc_date[:4].isdigit() else None
    ctx.convention = infer_convention(_texts(layout))
    ctx.plan_period = plan_period(result.title, ctx.convention)
    written: list[str] = []
    for item in layout.items:
        if isinstance(item, Table):
            rows = [[c.text for c in r.cells if not c.covered] for r in item.rows]
            fills = [[c.fill for c in r.cells if not c.covered] for r in item.rows]
            if rows and owners.is_glossary_header(rows[0]):
                ctx.glossary.update(owners.glossary_from_rows(rows))
                continue
            key = rag.rag_key_from_rows(rows, fills)
            if key and not ctx.rag_key:
                ctx.rag_key = key
        elif isinstance(item, Block):
            written.append(item.text)
            if not ctx.rag_key:
                ctx.rag_key = rag.rag_key_from_text(item.text)
    for abbr, full in owners.glossary_from_text(written).items():
        ctx.glossary.setdefault(abbr, full)  # a glossary table, where there is one, has the last word
    ctx.uses_blue = "blue" in ctx.rag_key
    return ctx


def _texts(layout: LayoutDocument) -> Iterator[str]:
    for item in layout.items:
        if isinstance(item, Block):
            yield item.text
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if cell.text:
                        yield cell.text


def infer_convention(texts) -> dates.Convention:
    """The date convention the document's own words point to (rules/dates.yaml convention_cues, and the
    numeric and written date shapes only one order can read); its own statement of its financial year
    ("financial year runs from 1 July") sets the first month. The default convention when nothing tells."""
    r = date_rules.compiled()["rules"]
    text, size = [], 0
    for t in texts:
        text.append(t)
        size += len(t)
        if size > _TEXT_CAP:
            break
    body = " ".join(text)
    low = body.lower()
    scores = {name: 0 for name in r["conventions"]}
    for name, pattern in _cue_patterns().items():
        scores[name] += len({m.group(0) for m in pattern.finditer(low)})
    day_first, month_first = _date_shapes(body)
    for name, spec in r["conventions"].items():
        scores[name] += day_first if spec["day_first"] else month_first
    best = max(scores.values())
    leaders = [n for n, s in scores.items() if s == best]
    name = r["default_convention"] if best == 0 or r["default_convention"] in leaders else leaders[0]
    return dates.convention(name, _stated_fy_month(body, r))


def _cue_patterns() -> dict[str, re.Pattern]:
    return current().compiled(_compile_cues)


def _compile_cues(settings: Settings) -> dict[str, re.Pattern]:
    """One pattern per convention matching any of its cues (words whole; a symbol such as "£" anywhere):
    the number of DISTINCT cues found is the convention's score. One look-behind in front of all the words, not
    one per word: the same matches, ten times faster over a document's text."""
    r = date_rules.compiled()["rules"]
    out = {}
    for name, cues in r["convention_cues"].items():
        alts = sorted({c.lower() for c in cues}, key=len, reverse=True)
        words = "|".join(re.escape(c) for c in alts if c[:1].isalnum())
        symbols = [re.escape(c) for c in alts if not c[:1].isalnum()]
        body = "|".join(([rf"(?<![a-z0-9])(?:{words})(?![a-z0-9])"] if words else []) + symbols)
        out[name] = re.compile(body or r"(?!x)x")
    return out


_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"


def _date_shapes(body: str) -> tuple[int, int]:
    """(day-first, month-first) evidence: 31/03/2019 or "31 March 2019" vs 8/19/22 or "March 31, 2019";
    each kind counts once."""
    day_first = month_first = 0
    for a, b in re.findall(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])", body):
        day_first |= int(a) > 12 >= int(b)
        month_first |= int(b) > 12 >= int(a)
    day_first += bool(re.search(rf"(?i)\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+(?:19|20)\d{{2}}\b", body))
    month_first += bool(re.search(rf"(?i)\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,\s+(?:19|20)\d{{2}}\b", body))
    return int(day_first), int(month_first)


def _stated_fy_month(body: str, r: dict) -> Optional[int]:
    months = date_rules.compiled()["months"]
    for pattern in r["fiscal_year_statements"]:
        m = re.search(pattern, body)
        if m:
            month = months.get(date_rules.key(m.group("month")))
            if month:
                return month
    return None


def plan_period(title: str, convention: Optional[dates.Convention] = None) -> Optional[tuple[str, str]]:
    """The period a title names ("Action Plan 2019/20", "Strategy 2019-2021", "Delivery plan 2020"): (first
    day, last day) ISO, or None."""
    if not title or not re.search(r"(?:19|20)\d{2}", title):
        return None
    return dates.span_of(title, convention)
