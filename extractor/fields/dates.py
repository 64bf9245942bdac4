"""Due dates from free-text cells, read the way the document means them.

A due date is the LAST day of the stated period ("Dec 2018" -> 2018-12-31, "Q3 2019/20" -> 2019-12-31).
Numeric dates, financial years and quarters follow the document's Convention (rules/dates.yaml conventions:
UK day-first with an April financial year by default; US month-first with an October fiscal year labelled by
its end, so Q2 FY2019 ends 2019-03-31), which extractor/fields/context.py infers from the document.
How a cell is read:
  1. times are blanked ("2pm - 4pm", "12:30") so they are never taken for dates;
  2. the cell is cut at its revision cues: mentions after "revised", "moved to", "now" ... are the
     revision, mentions after "originally", "revised from" ... the original (and what precedes the first
     cue is the other one);
  3. date mentions are found left to right with one tokenising regex built from rules/dates.yaml
     (day dates, month-year, quarters, financial years, seasons, bare years ...);
  4. mentions printed without a year borrow it from a neighbour ("June - Aug 2017", "Nov 2019 - Feb",
     "Dec 2019 revised 30 June"), else from the document's own PRINTED date (the caller passes no date taken
     from file properties: a month takes the year that puts it nearest that date, a quarter or "year end" the
     financial year holding it), else from its plan period when that is one year; otherwise the date is null
     and DueDate.needs_year says why;
  5. in each part the LAST mention gives the end (ranges and lists end at their last element) and, when
     there are several, the first gives due_start;
  6. a cell with no date that states a relative or recurring timescale ("within 90 days of approval",
     "medium term", "monthly") is understood: no date, no warning.
Vocabulary (month names, cue words, no-date words ...) is in rules/dates.yaml.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from extractor.fields.date_rules import Convention, convention, may_hold_date
from extractor.fields.date_rules import compiled as _compiled
from extractor.fields.date_rules import key as _key
from extractor.rules import RulesError


@dataclass
class DueDate:
    due_date: str = ""  # ISO, last day of the (original) stated period
    due_revised: str = ""  # ISO, the replacement date when the cell revises it
    due_start: str = ""  # ISO, first day of a range/list ("Sept 19 to Dec 19" -> 2019-09-01)
    parsed: bool = True  # False: the cell had text we could not read as a date or a known no-date word
    needs_year: bool = False  # a date without a year, and the document prints no date or one-year period
    relative: bool = False  # a relative or recurring timescale ("within 90 days", "medium term"): no date


Period = tuple[date, date]
Maker = Callable[[int], Optional[Period]]  # builds a year-less mention's period from an anchor year


@dataclass
class _Mention:
    part: int  # 0 = original, 1 = revision
    period: Optional[Period] = None  # known period (year printed, or resolved)
    make: Optional[Maker] = None  # for a year-less mention
    financial: bool = False  # year-less and anchored on a financial year (quarters, "year end")


@dataclass
class _Context:
    cal_year: Optional[int]  # calendar year of the document
    fy_year: Optional[int]  # start year of the financial year containing the document date
    doc_year: Optional[int]  # the year as given, for the "June 30" two-digit guard
    cv: Convention = Convention()
    period: Optional[Period] = None  # the plan period the document prints ("Action plan 2019/20")
    day: Optional[date] = None  # the document's own printed date, when it gives a full one


# --------------------------------------------------------------------------- calendar helpers

def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _months(y: int, first: int, last: int) -> Period:
    """first..last month starting in year y; a last month before the first falls in y+1 (winter)."""
    return date(y, first, 1), _last_day(y + (1 if last < first else 0), last)


def _day(y: int, m: int, d: int) -> Optional[Period]:
    try:
        x = date(y, m, d)
    except ValueError:  # 31/02, 29 Feb in a common year: not a date
        return None
    return x, x


def _fy(y: int, cv: Convention) -> Period:
    """The financial year starting in year y."""
    m = cv.fy_start_month
    return date(y, m, 1), (_last_day(y, 12) if m == 1 else _last_day(y + 1, m - 1))


def _fy_quarter(fy_start: int, n: int, cv: Convention) -> Period:
    first = cv.fy_start_month + 3 * (n - 1)  # Q1 = the financial year's first three months
    y, m = fy_start + (first - 1) // 12, (first - 1) % 12 + 1
    return _months(y, m, (m + 1) % 12 + 1)


def _labelled_fy_start(y: int, cv: Convention) -> int:
    """Start year of the financial year a one-year label names ("FY2019"): US federal FY2019 starts in 2018."""
    return y - 1 if cv.fy_label == "end" and cv.fy_start_month != 1 else y


def _cal_quarter(y: int, n: int) -> Period:
    return date(y, 3 * n - 2, 1), _last_day(y, 3 * n)


def _year(text: str) -> int:
    """Four- or two-digit year; two digits pivot at 70 ("19" -> 2019, "98" -> 1998)."""
    digits = text.strip("'\u2019 ")
    n = int(digits)
    if len(digits) == 4:
        return n
    return 2000 + n if n < 70 else 1900 + n


def _fy_start(text: str) -> Optional[int]:
    """Start year of a printed financial year ("2019/20", "2019-2020", "19/20"); None unless the two years
    are consecutive."""
    nums = re.findall(r"\d+", text)
    if len(nums) != 2:
        return None
    a = _year(nums[0])
    b = int(nums[1]) if len(nums[1]) == 4 else (a // 100) * 100 + int(nums[1])
    if b < a:  # 1999/00
        b += 100
    return a if b == a + 1 else None


def _iso(text: Optional[str]) -> Optional[date]:
    if not text:
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- mentions

def _fixed(part: int, period: Optional[Period]) -> list[_Mention]:
    return [_Mention(part, period=period)] if period else []


def _yearless(part: int, make: Maker, financial: bool = False) -> list[_Mention]:
    return [_Mention(part, make=make, financial=financial)]


def _month_of(word: str) -> int:
    return _compiled()["months"][_key(word)]


def _in_year(fy_text: str, prefixed: bool, part: int, in_fy: Maker, in_calendar: Maker, ctx: _Context
             ) -> list[_Mention]:
    """A quarter or half-year with whatever year is printed after/before it: a financial year ("2019/20"),
    one year labelled as a financial year ("FY2019", read by the convention's fy_label), one plain year (per
    the convention's single_year_quarters) or none (borrowed later)."""
    text = (fy_text or "").strip()
    cv = ctx.cv
    if re.fullmatch(r"(?:19|20)\d{2}|\d{2}", text):
        if len(text) == 2 and not prefixed:
            return _yearless(part, in_fy, financial=True)
        y = _year(text)
        if prefixed:
            return _fixed(part, in_fy(_labelled_fy_start(y, cv)))
        if cv.single_year_quarters == "calendar":
            return _fixed(part, in_calendar(y))
        return _fixed(part, in_fy(_labelled_fy_start(y, cv)))
    start = _fy_start(text) if text else None
    if start is not None:
        return _fixed(part, in_fy(start))
    return _yearless(part, in_fy, financial=True)


def _quarter(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    n = int(m.group("q_n") or m.group("q_o"))
    prefixed = bool(m.group("q_pre1") if m.group("q_fy1") else m.group("q_pre2"))
    return _in_year(m.group("q_fy1") or m.group("q_fy2"), prefixed, part,
                    lambda y: _fy_quarter(y, n, ctx.cv), lambda y: _cal_quarter(y, n), ctx)


def _fy_half(fy_start: int, n: int, cv: Convention) -> Period:
    return _fy_quarter(fy_start, 2 * n - 1, cv)[0], _fy_quarter(fy_start, 2 * n, cv)[1]


def _half(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    n = int(m.group("h_n"))
    return _in_year(m.group("h_fy1") or m.group("h_fy2"), bool(m.group("h_pre2")), part,
                    lambda y: _fy_half(y, n, ctx.cv), lambda y: _months(y, 6 * n - 5, 6 * n), ctx)


def _year_end(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    if m.group("ye_fy"):
        start = _fy_start(m.group("ye_fy"))
        if start is not None:
            return _fixed(part, _fy(start, ctx.cv))
    if m.group("ye_y"):
        y = int(m.group("ye_y"))
        return _fixed(part, (date(y, 1, 1), date(y, 12, 31)))
    return _yearless(part, lambda y: _fy(y, ctx.cv), financial=True)


def _financial_year(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    a, b = m.group("fy_a"), m.group("fy_b")
    start = _fy_start(f"{a}/{b}")
    if start is not None:
        return _fixed(part, _fy(start, ctx.cv))
    if len(b) == 2 and m.group("fy_s") == "-" and 1 <= int(b) <= 12:  # "2019-03": a year-month
        return _fixed(part, _months(int(a), int(b), int(b)))
    # "2019-2021", "2015-18": calendar years, first to last
    last = int(b) if len(b) == 4 else (int(a) // 100) * 100 + int(b)
    years = [int(a)] + ([last] if last > int(a) else [])
    return [_Mention(part, period=(date(y, 1, 1), date(y, 12, 31))) for y in years]


def _day_and_month(a: int, b: int, cv: Convention) -> tuple[int, int]:
    """(day, month) of two numbers printed together: a number over 12 settles the order, else the
    convention does (UK 03/04 = 3 April, US 03/04 = March 4)."""
    if a > 12 >= b:
        return a, b
    if b > 12 >= a:
        return b, a
    return (a, b) if cv.day_first else (b, a)


def _short_pair(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    """"19/20" is a financial year when consecutive and not a day/month; "30/6" is a year-less day."""
    a, b = m.group("dm2_a"), m.group("dm2_b")
    if len(a) == len(b) == 2 and int(b) > 12:
        start = _fy_start(f"{a}/{b}")
        if start is not None or int(a) > 12:
            return _fixed(part, _fy(start, ctx.cv)) if start is not None else []
    d, mo = _day_and_month(int(a), int(b), ctx.cv)
    if 1 <= d <= 31 and 1 <= mo <= 12:
        return _yearless(part, lambda y: _day(y, mo, d))
    return []


def _day_month(d: int, mo: int, year_text: Optional[str], part: int) -> list[_Mention]:
    if year_text:
        return _fixed(part, _day(_year(year_text), mo, d))
    if not 1 <= d <= 31:
        return []
    return _yearless(part, lambda y: _day(y, mo, d))


def _month_year(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    mo, y_text = _month_of(m.group("my_m")), m.group("my_y")
    y = _year(y_text)
    plain_two = len(y_text) == 2
    if plain_two and ctx.doc_year and y > ctx.doc_year + _compiled()["horizon"] and int(y_text) <= 31:
        return _day_month(int(y_text), mo, None, part)  # "June 30" in a 2019 paper: a day, not 2030
    return _fixed(part, _months(y, mo, mo))


def _season(m: re.Match, part: int) -> list[_Mention]:
    first, last = _compiled()["seasons"][_key(m.group("se_n"))]
    y_text = m.group("se_y")
    if y_text:
        y = _fy_start(y_text) if "/" in y_text or len(y_text) > 4 else _year(y_text)
        return _fixed(part, _months(y, first, last)) if y is not None else []
    return _yearless(part, lambda y: _months(y, first, last))


def _month_only(m: re.Match, part: int) -> list[_Mention]:
    word = m.group("mo")
    if _key(word) in _compiled()["caps_only"] and not word[:1].isupper():
        return []  # "may", "march" as ordinary words
    mo = _month_of(word)
    return _yearless(part, lambda y: _months(y, mo, mo))


def _mention(m: re.Match, part: int, ctx: _Context) -> list[_Mention]:
    kind = m.lastgroup
    g = m.group
    if kind == "iso":
        return _fixed(part, _day(int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))))
    if kind == "num":
        d, mo = _day_and_month(int(g("num_d")), int(g("num_m")), ctx.cv)
        return _fixed(part, _day(_year(g("num_y")), mo, d))
    if kind == "q":
        return _quarter(m, part, ctx)
    if kind == "h":
        return _half(m, part, ctx)
    if kind == "ye":
        return _year_end(m, part, ctx)
    if kind == "fy":
        return _financial_year(m, part, ctx)
    if kind == "fyy":
        return _fixed(part, _fy(_labelled_fy_start(_year(g("fyy_y")), ctx.cv), ctx.cv))
    if kind == "nd":
        mo, d = _compiled()["named_days"][_key(g("nd"))]
        return _yearless(part, lambda y: _day(y, mo, d))
    if kind == "np":
        first, last = _compiled()["named_periods"][_key(g("np"))]
        return _yearless(part, lambda y: _months(y, first, last))
    if kind == "dm2":
        return _short_pair(m, part, ctx)
    if kind == "dm":
        return _day_month(int(g("dm_d")), _month_of(g("dm_m")), g("dm_y"), part)
    if kind == "md":
        return _day_month(int(g("md_d")), _month_of(g("md_m")), g("md_y") or g("md_y2"), part)
    if kind == "my":
        return _month_year(m, part, ctx)
    if kind == "se":
        return _season(m, part)
    if kind == "yp":
        first, last = _compiled()["year_parts"][_key(g("yp_w"))]
        return _fixed(part, _months(int(g("yp_y")), first, last))
    if kind == "mo":
        return _month_only(m, part)
    if kind == "yr":
        y = int(g("yr_y"))
        return _fixed(part, (date(y, 1, 1), date(y, 12, 31)))
    return []


def _find(text: str, part: int, ctx: _Context) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _compiled()["mention"].finditer(text):
        out.extend(_mention(m, part, ctx))
    return out


# --------------------------------------------------------------------------- year inheritance

def _fit_before(make: Maker, limit: date) -> Optional[Period]:
    """The latest placement of a year-less mention ending on or before `limit` ("June - Aug 2017")."""
    for y in (limit.year + 1, limit.year, limit.year - 1):
        p = make(y)
        if p and p[1] <= limit:
            return p
    return None


def _fit_after(make: Maker, limit: date) -> Optional[Period]:
    """The earliest placement ending after `limit` ("Nov 2019 - Feb", "Dec 2019 revised 30 June")."""
    for y in (limit.year - 1, limit.year, limit.year + 1):
        p = make(y)
        if p and p[1] > limit:
            return p
    return None


def _inherit(i: int, m: _Mention, anchors: list[tuple[int, Period, int]]) -> Optional[Period]:
    """Borrow a year from printed neighbours: the next one in the same part ("June - Aug 2017"), else the
    previous one in the same part ("Nov 2019 - Feb"), else the other part, where a revision falls after
    the original ("Dec 2019 revised 30 June" -> June 2020) and an original before its revision."""
    assert m.make is not None
    nxt_same = [p for j, p, part in anchors if j > i and part == m.part]
    prv_same = [p for j, p, part in anchors if j < i and part == m.part]
    other = [p for _, p, part in anchors if part != m.part]
    tries = [(nxt_same[:1], _fit_before), (prv_same[-1:], _fit_after)]
    tries.append((other[-1:], _fit_after) if m.part == 1 else (other[:1], _fit_before))
    for found, fit in tries:
        if found:
            p = fit(m.make, found[0][1])
            if p:
                return p
    return None


def _in_period(make: Maker, period: Optional[Period]) -> Optional[Period]:
    """A year-less mention placed inside the document's plan period, when that is about one year long (a
    longer period cannot say which year "Autumn" is)."""
    if period is None or (period[1] - period[0]).days > 400:
        return None
    for y in range(period[0].year - 1, period[1].year + 1):
        p = make(y)
        if p and period[0] <= p[1] <= period[1]:
            return p
    return None


def _nearest(make: Maker, day: date) -> Optional[Period]:
    """A year-less month, season or day placed in the year that puts it nearest the document's date: a log
    of 17 January 2012 means August 2011 by "August" and January 2012 by "January"."""
    placed = [p for y in (day.year - 1, day.year, day.year + 1) if (p := make(y))]
    if not placed:
        return None
    return min(placed, key=lambda p: (0 if p[0] <= day <= p[1] else min(abs((p[0] - day).days),
                                                                         abs((p[1] - day).days)), -p[1].toordinal()))


def _resolve(ms: list[_Mention], ctx: _Context) -> None:
    anchors = [(i, m.period, m.part) for i, m in enumerate(ms) if m.period]
    for i, m in enumerate(ms):
        if m.period or m.make is None:
            continue
        m.period = _inherit(i, m, anchors)
        if m.period is None and ctx.day is not None and not m.financial:
            m.period = _nearest(m.make, ctx.day)
        if m.period is None:
            y = ctx.fy_year if m.financial else ctx.cal_year
            m.period = m.make(y) if y is not None else _in_period(m.make, ctx.period)


# --------------------------------------------------------------------------- entry point

def _default_convention() -> Convention:
    return convention(None)


# Times are not dates: "2pm - 4pm", "12:30pm", "14:00", "10.30 am", "1400hrs".
_TIME = re.compile(
    r"(?<![\d.:/])\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![A-Za-z])"
    r"|(?<![\d.:/])\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
    r"|(?<![\d.:/])\d{1,2}[:.]?\d{2}\s*(?:hrs|hours)(?![A-Za-z])"
    r"|(?<![\d.:/])\d{1,2}[:.]\d{2}h(?![A-Za-z0-9])",
    re.I,
)


def _context(doc_year: int | str | None, doc_date: Optional[str], cv: Convention,
             period: Optional[tuple[str, str]]) -> _Context:
    d = _iso(doc_date)
    if isinstance(doc_year, str) and doc_year.strip().isdigit():
        doc_year = int(doc_year)
    year = doc_year if isinstance(doc_year, int) and 1900 <= doc_year <= 2100 else None
    plan = (_iso(period[0]), _iso(period[1])) if period else None
    plan_period = plan if plan and plan[0] and plan[1] and plan[0] <= plan[1] else None
    if d:
        fy_year = d.year if d.month >= cv.fy_start_month else d.year - 1
        return _Context(d.year, fy_year, year or d.year, cv, plan_period, d)  # type: ignore[arg-type]
    return _Context(year, year, year, cv, plan_period)  # type: ignore[arg-type]


def _segments(text: str) -> list[tuple[int, str]]:
    """Cut a cell at its revision cues into (part, text): part 1 after a "revised/moved to/now" cue, part 0
    after an "originally/revised from" cue; the text before the first cue is the other part of that cue."""
    cuts = list(_compiled()["cue"].finditer(text))
    if not cuts:
        return [(0, text)]
    out = [(1 if cuts[0].lastgroup == "back" else 0, text[: cuts[0].start()])]
    for i, m in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(text)
        out.append((0 if m.lastgroup == "back" else 1, text[m.end(): end]))
    return out


# A narrow table column forces a line break inside a word ("Septemb|er 2022", "31/10/20|22"); the PDF's
# cell text then has a space there. Rejoined only where the joined form is a month name or a 4-digit year.
_SPLIT_YEAR = re.compile(r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-])(19|20) (\d{2})\b")
_WORD_PAIR = re.compile(r"\b([A-Za-z]{2,}) ([a-z]{1,8})\b")


# A numeric date typed with a space for, or after, a dot ("30 10.14", "31.5. 14"): one date, when it reads as
# a day and a month (not after a word: "Phase 1 12.2020" stays as it is).
_SPACED_DATE = re.compile(r"(?<![A-Za-z] )(?<![\d.])\b(\d{1,2})(\s+|\.\s*)(\d{1,2})\.\s*(\d{4}|\d{2})\b(?![.\d])")


def _closed_date(m: re.Match) -> str:
    a, b = int(m.group(1)), int(m.group(3))
    if not (1 <= a <= 31 and 1 <= b <= 31 and min(a, b) <= 12):
        return m.group(0)
    return f"{m.group(1)}.{m.group(3)}.{m.group(4)}"


def _rejoin_broken_words(text: str) -> str:
    text = _SPLIT_YEAR.sub(r"\1\2\3", text)
    text = _SPACED_DATE.sub(_closed_date, text)
    months = _compiled()["months"]

    def glue(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        if _key(a + b) in months and _key(b) not in months:
            return a + b
        return m.group(0)

    return _WORD_PAIR.sub(glue, text)


def _parse(raw: str, doc_year: Optional[int], doc_date: Optional[str], cv: Convention,
           period: Optional[tuple[str, str]]) -> DueDate:
    text = _rejoin_broken_words(_TIME.sub(" ", str(raw or "")))
    if not re.search(r"[A-Za-z0-9]", text):
        return DueDate()  # blank, "-", "–", "?"
    c = _compiled()
    ctx = _context(doc_year, doc_date, cv, period)
    ms = [m for part, segment in _segments(text) for m in _find(segment, part, ctx)] if may_hold_date(text) else []
    _resolve(ms, ctx)
    orig = [m.period for m in ms if m.part == 0 and m.period]
    rev = [m.period for m in ms if m.part == 1 and m.period]
    if not orig and not rev:
        if not ms and not c["nodate"].search(text) and any(rx.search(text) for rx in c["relative"]):
            return DueDate(relative=True)  # "within 90 days of approval", "medium term": understood, no date
        needs_year = bool(ms) and all(m.make is not None for m in ms)
        return DueDate(parsed=not ms and bool(c["nodate"].search(text)), needs_year=needs_year)
    due = orig[-1][1] if orig else None
    start = orig[0][0] if len(orig) > 1 and due and orig[0][0] <= due else None
    return DueDate(
        due_date=due.isoformat() if due else "",
        due_revised=rev[-1][1].isoformat() if rev else "",
        due_start=start.isoformat() if start else "",
    )


def parse_due(raw: str, doc_year: int | None = None, doc_date: str | None = None,
              convention: Optional[Convention] = None, period: Optional[tuple[str, str]] = None) -> DueDate:
    """Read a due-date cell. `doc_date` / `doc_year` must be the document's PRINTED date (a year-less date
    takes its year from it; file properties never give one); `period` the plan period it prints (ISO first
    and last day); `convention` how it writes dates (default: rules/dates.yaml default_convention).
    Never raises: anything unexpected gives DueDate(parsed=False)."""
    try:
        return _parse(raw, doc_year, doc_date, convention or _default_convention(), period)
    except RulesError:
        raise  # a broken rules file must be reported, not hidden as "unparsed"
    except Exception:
        return DueDate(parsed=False)


def is_timescale_word(text: str) -> bool:
    """True when the text is (or starts with) a no-date timescale word ("Ongoing", "TBC", "Monthly")."""
    m = _compiled()["nodate"].search(text or "")
    return bool(m) and m.start() <= 2


def span_of(text: str, convention: Optional[Convention] = None) -> Optional[tuple[str, str]]:
    """(first day, last day), ISO, of every dated mention in a text together ("Strategy 2019-2021" ->
    2019-01-01 .. 2021-12-31, "Action plan 2019/20" -> 2019-04-01 .. 2020-03-31); None when it has none."""
    try:
        ctx = _context(None, None, convention or _default_convention(), None)
        periods = [m.period for m in _find(_rejoin_broken_words(str(text or "")), 0, ctx) if m.period]
    except RulesError:
        raise
    except Exception:
        return None
    if not periods:
        return None
    return min(p[0] for p in periods).isoformat(), max(p[1] for p in periods).isoformat()
