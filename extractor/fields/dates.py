"""Due dates from free-text cells, UK conventions (day before month; financial year April-March).

A due date is the LAST day of the stated period ("Dec 2018" -> 2018-12-31, "Q3 2019/20" -> 2019-12-31).
How a cell is read:
  1. times are blanked ("2pm - 4pm", "12:30") so they are never taken for dates;
  2. the cell is cut at its revision cues: mentions after "revised", "moved to", "now" ... are the
     revision, mentions after "originally", "revised from" ... the original (and what precedes the first
     cue is the other one);
  3. date mentions are found left to right with one tokenising regex built from rules/dates.yaml
     (day dates, month-year, quarters, financial years, seasons, bare years ...);
  4. mentions printed without a year borrow it from a neighbour ("June - Aug 2017", "Nov 2019 - Feb",
     "Dec 2019 revised 30 June") or else from the document's own date;
  5. in each part the LAST mention gives the end (ranges and lists end at their last element) and, when
     there are several, the first gives due_start.
Vocabulary (month names, cue words, no-date words ...) is in rules/dates.yaml.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from extractor.rules import RulesError, phrase_pattern
from extractor.settings import Settings, current, validator

SCHEMA = {
    "months": {"*": "int"},
    "capitalised_only_months": ["str"],
    "seasons": {"*": ["int"]},
    "year_parts": {"*": ["int"]},
    "quarter_words": ["str"],
    "half_year_words": ["str"],
    "single_year_quarters": "str",
    "fy_prefixes": ["str"],
    "year_end_phrases": ["str"],
    "revision_cues": ["str"],
    "original_cues": ["str"],
    "no_date_words": ["str"],
    "two_digit_day_horizon": "int",
}


@dataclass
class DueDate:
    due_date: str = ""  # ISO, last day of the (original) stated period
    due_revised: str = ""  # ISO, the replacement date when the cell revises it
    due_start: str = ""  # ISO, first day of a range/list ("Sept 19 to Dec 19" -> 2019-09-01)
    parsed: bool = True  # False: the cell had text we could not read as a date or a known no-date word


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


# --------------------------------------------------------------------------- rules

def _bad(key: str, msg: str) -> RulesError:
    return RulesError(f"rules/dates.yaml.{key}: {msg}")


def _check_dates(r: dict) -> None:
    for name, num in r["months"].items():
        if not 1 <= num <= 12:
            raise _bad(f"months.{name}", f"month number must be 1-12, got {num}")
    for key in ("seasons", "year_parts"):
        for name, pair in r[key].items():
            if len(pair) != 2 or not all(1 <= x <= 12 for x in pair):
                raise _bad(f"{key}.{name}", f"expected [first month, last month] (1-12), got {pair}")
    if r["single_year_quarters"] not in ("financial", "calendar"):
        raise _bad("single_year_quarters", f"expected financial or calendar, got {r['single_year_quarters']!r}")


def _key(text: str) -> str:
    """Lookup key for a matched vocabulary word: lower case, single spaces, no trailing dot."""
    return re.sub(r"[\s\-\u2013\u2014]+", " ", text.strip().lower()).rstrip(".")


def _prefix_words(words: list[str]) -> str:
    """Words written right before a number ("Q3", "Qtr 3", "H1"): not inside a longer word."""
    alts = "|".join(re.escape(_key(w)) for w in sorted(words, key=len, reverse=True))
    return rf"(?<![A-Za-z])(?:{alts})\.?"


def _compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = settings.rules("dates", SCHEMA, _check_dates)
    names = sorted({_key(k) for k in r["months"]}, key=len, reverse=True)
    # A month name may touch digits ("Dec18", "3June") but not letters ("decision", "Marketing").
    mon = r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])\.?"
    y4 = r"(?:19|20)\d{2}"
    qw = _prefix_words(r["quarter_words"])
    hw = _prefix_words(r["half_year_words"])
    fypre = phrase_pattern(r["fy_prefixes"])
    fy = rf"(?:{y4}\s*[/\-\u2013]\s*(?:{y4}|\d{{2}})(?![\d/\-])|(?<![\d/])\d{{2}}/\d{{2}}(?![\d/]))"
    sep = r"[\s\-.,/'\u2019]*"
    alts = [
        rf"(?P<iso>(?<!\d)(?P<iso_y>{y4})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})(?!\d))",
        rf"(?P<num>(?<![\d/.\-])(?P<num_d>\d{{1,2}})(?P<num_s>[./\-])(?P<num_m>\d{{1,2}})(?P=num_s)"
        rf"(?P<num_y>{y4}|\d{{2}})(?!\d))",
        rf"(?P<q>(?:(?P<q_fy1>{fy})\s*[,:\-\u2013]?\s*)?"
        rf"(?:{qw}\s*(?P<q_n>[1-4])(?!\d)|(?P<q_o>[1-4])(?:st|nd|rd|th)\s+{qw})"
        rf"(?:\s*[,:\-\u2013]?\s*(?:of\s+)?(?:{fypre}\s*)?(?P<q_fy2>{fy}|{y4}(?![\d/\-])))?)",
        rf"(?P<h>(?:(?P<h_fy1>{fy})\s*[,:\-\u2013]?\s*)?{hw}\s*(?P<h_n>[12])(?!\d)"
        rf"(?:\s*[,:\-\u2013]?\s*(?:of\s+)?(?:{fypre}\s*)?(?P<h_fy2>{fy}|{y4}(?![\d/\-])))?)",
        rf"(?P<ye>{phrase_pattern(r['year_end_phrases'])}(?:[\s,\-]*(?:{fypre}\s*)?(?P<ye_fy>{fy})"
        rf"|[\s,\-]*(?P<ye_y>{y4})(?![\d/\-]))?)",
        rf"(?P<fy>(?:{fypre}\s*)?(?<![\d/.\-])(?P<fy_a>{y4})\s*(?P<fy_s>[/\-\u2013])\s*"
        rf"(?P<fy_b>{y4}|\d{{2}})(?![\d/\-]))",
        rf"(?P<dm2>(?:{fypre}\s*)?(?<![\d/.\-])(?P<dm2_a>\d{{1,2}})/(?P<dm2_b>\d{{1,2}})(?![\d/]))",
        rf"(?P<dm>(?<![\d.,/])(?P<dm_d>\d{{1,2}})\s*(?:st|nd|rd|th)?(?:\s+of)?[\s\-.]*(?P<dm_m>{mon})"
        rf"(?:{sep}(?P<dm_y>{y4}|\d{{2}}(?!\s*(?:st|nd|rd|th)?\s*(?:of\s+)?{mon}))(?!\d))?)",
        rf"(?P<md>(?P<md_m>{mon})\s*(?P<md_d>\d{{1,2}})(?:(?:st|nd|rd|th)(?:\s*,?\s*(?P<md_y>{y4}))?"
        rf"|\s*,?\s+(?P<md_y2>{y4}))(?![\d/]))",
        rf"(?P<my>(?P<my_m>{mon}){sep}(?P<my_y>{y4}|['\u2019]?\d{{2}})(?![\d:]|/\d))",
        rf"(?P<se>(?P<se_n>{phrase_pattern(r['seasons'])})(?:{sep}(?:of\s+)?(?P<se_y>{fy}|{y4}|\d{{2}})(?![\d/]))?)",
        rf"(?P<yp>(?P<yp_w>{phrase_pattern(r['year_parts'])})[\s\-]*(?:the\s+)?(?P<yp_y>{y4})(?![\d/\-]))",
        rf"(?P<mo>{mon})",
        rf"(?P<yr>(?<![\d/.\-\u00a3$])(?P<yr_y>{y4})(?![\d%/]|\s*%|-\d))",
    ]
    return {
        "mention": re.compile("|".join(alts), re.I),
        # Original cues first: "revised from" must win over "revised" at the same position.
        "cue": re.compile(rf"(?P<back>{phrase_pattern(r['original_cues'])})"
                          rf"|(?P<fwd>{phrase_pattern(r['revision_cues'])})", re.I),
        "nodate": re.compile(phrase_pattern(r["no_date_words"]), re.I),
        "months": {_key(k): v for k, v in r["months"].items()},
        "caps_only": {_key(k) for k in r["capitalised_only_months"]},
        "seasons": {_key(k): v for k, v in r["seasons"].items()},
        "year_parts": {_key(k): v for k, v in r["year_parts"].items()},
        "calendar_quarters": r["single_year_quarters"] == "calendar",
        "horizon": r["two_digit_day_horizon"],
    }


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


def _fy(y: int) -> Period:
    return date(y, 4, 1), date(y + 1, 3, 31)


def _fy_quarter(fy_start: int, n: int) -> Period:
    first = 4 + 3 * (n - 1)  # Q1 = April
    y, m = fy_start + (first - 1) // 12, (first - 1) % 12 + 1
    return date(y, m, 1), _last_day(y, m + 2)


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


def _in_year(fy_text: str, part: int, in_fy: Maker, in_calendar: Maker) -> list[_Mention]:
    """A quarter or half-year with whatever year is printed after/before it: a financial year ("2019/20"),
    one plain year (read per rules: single_year_quarters) or none (borrowed later)."""
    text = (fy_text or "").strip()
    if re.fullmatch(r"(?:19|20)\d{2}", text):
        y = int(text)
        return _fixed(part, in_calendar(y) if _compiled()["calendar_quarters"] else in_fy(y))
    start = _fy_start(text) if text else None
    if start is not None:
        return _fixed(part, in_fy(start))
    return _yearless(part, in_fy, financial=True)


def _quarter(m: re.Match, part: int) -> list[_Mention]:
    n = int(m.group("q_n") or m.group("q_o"))
    return _in_year(m.group("q_fy1") or m.group("q_fy2"), part,
                    lambda y: _fy_quarter(y, n), lambda y: _cal_quarter(y, n))


def _fy_half(fy_start: int, n: int) -> Period:
    return _fy_quarter(fy_start, 2 * n - 1)[0], _fy_quarter(fy_start, 2 * n)[1]


def _half(m: re.Match, part: int) -> list[_Mention]:
    n = int(m.group("h_n"))
    return _in_year(m.group("h_fy1") or m.group("h_fy2"), part,
                    lambda y: _fy_half(y, n), lambda y: _months(y, 6 * n - 5, 6 * n))


def _year_end(m: re.Match, part: int) -> list[_Mention]:
    if m.group("ye_fy"):
        start = _fy_start(m.group("ye_fy"))
        if start is not None:
            return _fixed(part, _fy(start))
    if m.group("ye_y"):
        y = int(m.group("ye_y"))
        return _fixed(part, (date(y, 1, 1), date(y, 12, 31)))
    return _yearless(part, _fy, financial=True)


def _financial_year(m: re.Match, part: int) -> list[_Mention]:
    a, b = m.group("fy_a"), m.group("fy_b")
    start = _fy_start(f"{a}/{b}")
    if start is not None:
        return _fixed(part, _fy(start))
    if len(b) == 2 and m.group("fy_s") == "-" and 1 <= int(b) <= 12:  # "2019-03": a year-month
        return _fixed(part, _months(int(a), int(b), int(b)))
    years = [int(a)] + ([int(b)] if len(b) == 4 else [])  # "2019-2021": two calendar years
    return [_Mention(part, period=(date(y, 1, 1), date(y, 12, 31))) for y in years]


def _short_pair(m: re.Match, part: int) -> list[_Mention]:
    """"19/20" is a financial year when consecutive and not a day/month; "30/6" is a year-less day."""
    a, b = m.group("dm2_a"), m.group("dm2_b")
    if len(a) == len(b) == 2 and int(b) > 12:
        start = _fy_start(f"{a}/{b}")
        return _fixed(part, _fy(start)) if start is not None else []
    d, mo = int(a), int(b)
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
        return _fixed(part, _day(_year(g("num_y")), int(g("num_m")), int(g("num_d"))))
    if kind == "q":
        return _quarter(m, part)
    if kind == "h":
        return _half(m, part)
    if kind == "ye":
        return _year_end(m, part)
    if kind == "fy":
        return _financial_year(m, part)
    if kind == "dm2":
        return _short_pair(m, part)
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


def _resolve(ms: list[_Mention], ctx: _Context) -> None:
    anchors = [(i, m.period, m.part) for i, m in enumerate(ms) if m.period]
    for i, m in enumerate(ms):
        if m.period or m.make is None:
            continue
        m.period = _inherit(i, m, anchors)
        if m.period is None:
            y = ctx.fy_year if m.financial else ctx.cal_year
            m.period = m.make(y) if y is not None else None


# --------------------------------------------------------------------------- entry point

# Times are not dates: "2pm - 4pm", "12:30pm", "14:00", "10.30 am", "1400hrs".
_TIME = re.compile(
    r"(?<![\d.:/])\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?![A-Za-z])"
    r"|(?<![\d.:/])\d{1,2}:\d{2}(?::\d{2})?(?!\d)"
    r"|(?<![\d.:/])\d{1,2}[:.]?\d{2}\s*(?:hrs|hours)(?![A-Za-z])"
    r"|(?<![\d.:/])\d{1,2}[:.]\d{2}h(?![A-Za-z0-9])",
    re.I,
)


def _context(doc_year: int | str | None, doc_date: Optional[str]) -> _Context:
    d = _iso(doc_date)
    if isinstance(doc_year, str) and doc_year.strip().isdigit():
        doc_year = int(doc_year)
    year = doc_year if isinstance(doc_year, int) and 1900 <= doc_year <= 2100 else None
    if d:
        return _Context(d.year, d.year if d.month >= 4 else d.year - 1, year or d.year)
    return _Context(year, year, year)


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


def _rejoin_broken_words(text: str) -> str:
    text = _SPLIT_YEAR.sub(r"\1\2\3", text)
    months = _compiled()["months"]

    def glue(m: re.Match) -> str:
        a, b = m.group(1), m.group(2)
        if _key(a + b) in months and _key(b) not in months:
            return a + b
        return m.group(0)

    return _WORD_PAIR.sub(glue, text)


def _parse(raw: str, doc_year: Optional[int], doc_date: Optional[str]) -> DueDate:
    text = _rejoin_broken_words(_TIME.sub(" ", str(raw or "")))
    if not re.search(r"[A-Za-z0-9]", text):
        return DueDate()  # blank, "-", "–", "?"
    c = _compiled()
    ctx = _context(doc_year, doc_date)
    ms = [m for part, segment in _segments(text) for m in _find(segment, part, ctx)]
    _resolve(ms, ctx)
    orig = [m.period for m in ms if m.part == 0 and m.period]
    rev = [m.period for m in ms if m.part == 1 and m.period]
    if not orig and not rev:
        return DueDate(parsed=not ms and bool(c["nodate"].search(text)))
    due = orig[-1][1] if orig else None
    start = orig[0][0] if len(orig) > 1 and due and orig[0][0] <= due else None
    return DueDate(
        due_date=due.isoformat() if due else "",
        due_revised=rev[-1][1].isoformat() if rev else "",
        due_start=start.isoformat() if start else "",
    )


def parse_due(raw: str, doc_year: int | None = None, doc_date: str | None = None) -> DueDate:
    """Read a due-date cell. Never raises: anything unexpected gives DueDate(parsed=False)."""
    try:
        return _parse(raw, doc_year, doc_date)
    except RulesError:
        raise  # a broken rules file must be reported, not hidden as "unparsed"
    except Exception:
        return DueDate(parsed=False)


def is_timescale_word(text: str) -> bool:
    """True when the text is (or starts with) a no-date timescale word ("Ongoing", "TBC", "Monthly")."""
    m = _compiled()["nodate"].search(text or "")
    return bool(m) and m.start() <= 2
