"""Due dates: every family of UK date wording, ranges, financial periods, revisions, no-date words,
plus hypothesis properties (never raises, renders round-trip, ranges end at their last element)."""
from __future__ import annotations

import calendar
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields.dates import DueDate, parse_due
from extractor.rules import PACKAGE_RULES, RulesError
from extractor.settings import reload as reload_rules

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def due(raw: str, doc_year: int | None = None, doc_date: str | None = None) -> str:
    return parse_due(raw, doc_year, doc_date).due_date


# --------------------------------------------------------------------------- single dates

@pytest.mark.parametrize("raw, expected", [
    ("Dec 2018", "2018-12-31"),
    ("December 2018", "2018-12-31"),
    ("Sept-19", "2019-09-30"),
    ("Sep 19", "2019-09-30"),
    ("Sept 2018", "2018-09-30"),
    ("March 2016", "2016-03-31"),
    ("Mar-18", "2018-03-31"),
    ("Dec '18", "2018-12-31"),
    ("Dec18", "2018-12-31"),
    ("dec 2018", "2018-12-31"),
    ("DECEMBER 2018", "2018-12-31"),
    ("Feb. 2020", "2020-02-29"),
    ("end of March 2019", "2019-03-31"),
    ("by end June 2019", "2019-06-30"),
    ("By end of Sept 2020", "2020-09-30"),
    ("February 2016", "2016-02-29"),
    ("February 2019", "2019-02-28"),
    ("31st March 2020", "2020-03-31"),
    ("1st April 2019", "2019-04-01"),
    ("31 March 2020", "2020-03-31"),
    ("31-Mar-20", "2020-03-31"),
    ("2nd of May 2019", "2019-05-02"),
    ("31.01.20", "2020-01-31"),
    ("14/02/2019", "2019-02-14"),
    ("1/2/19", "2019-02-01"),
    ("02/03/2019", "2019-03-02"),
    ("2019-03-31", "2019-03-31"),
    ("June 30, 2019", "2019-06-30"),
    ("Wednesday 3 June 2015 (workshop) 2pm – 4pm", "2015-06-03"),
    ("Thursday 20 March 2014 (clinical lead catch up) from 12:30pm to 1:30pm", "2014-03-20"),
    ("Monday 4th November 2019 10.00am", "2019-11-04"),
    ("w/c 3 June 2019", "2019-06-03"),
    ("Spring 2019", "2019-05-31"),
    ("Summer 2019", "2019-08-31"),
    ("Autumn 2018", "2018-11-30"),
    ("Winter 2019", "2020-02-29"),
    ("Winter 2019/20", "2020-02-29"),
    ("2019", "2019-12-31"),
    ("By 2020", "2020-12-31"),
    ("mid 2019", "2019-06-30"),
    ("early 2020", "2020-03-31"),
    ("end of 2019", "2019-12-31"),
    ("late 2019", "2019-12-31"),
])
def test_single_dates(raw: str, expected: str) -> None:
    assert due(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2019", "30 February 2019", "29/02/2019", "32/01/2019"])
def test_impossible_calendar_dates_are_skipped(raw: str) -> None:
    assert parse_due(raw) == DueDate(parsed=False)


# --------------------------------------------------------------------------- ranges and lists

@pytest.mark.parametrize("raw, expected, start", [
    ("Sept 19 to Dec 19", "2019-12-31", "2019-09-01"),
    ("June - Aug 2017", "2017-08-31", "2017-06-01"),
    ("April - June 2018", "2018-06-30", "2018-04-01"),
    ("Oct/Nov 2019", "2019-11-30", "2019-10-01"),
    ("Mar/April 2018", "2018-04-30", "2018-03-01"),
    ("Jun 17  Sep 17", "2017-09-30", "2017-06-01"),
    ("Jun 17\nSep 17", "2017-09-30", "2017-06-01"),
    ("Nov 2019 - Feb", "2020-02-29", "2019-11-01"),
    ("Nov - Feb 2020", "2020-02-29", "2019-11-01"),
    ("Dec 2018 - Mar 2019", "2019-03-31", "2018-12-01"),
    ("1 June - 31 July 2019", "2019-07-31", "2019-06-01"),
    ("between June and August 2019", "2019-08-31", "2019-06-01"),
    ("Q2 2016/17 - Q4 2017/18", "2018-03-31", "2016-07-01"),
    ("Q3 - Q4 2019/20", "2020-03-31", "2019-10-01"),
    ("2019-2021", "2021-12-31", "2019-01-01"),
    ("March, June, September and December 2019", "2019-12-31", "2019-03-01"),
])
def test_ranges_end_at_the_last_element(raw: str, expected: str, start: str) -> None:
    d = parse_due(raw)
    assert (d.due_date, d.due_start) == (expected, start)


@pytest.mark.parametrize("raw, expected", [
    ("from May 2017 onwards", "2017-05-31"),
    ("June 2019 +", "2019-06-30"),
    ("Dec 2018 and quarterly thereafter", "2018-12-31"),
    ("Dec 2018 then ongoing", "2018-12-31"),
    ("Ongoing from April 2019", "2019-04-30"),
    ("Mar 2019 (then annually)", "2019-03-31"),
])
def test_open_ended_periods_end_at_the_stated_date(raw: str, expected: str) -> None:
    d = parse_due(raw)
    assert (d.due_date, d.due_start, d.parsed) == (expected, "", True)


# --------------------------------------------------------------------------- financial periods

@pytest.mark.parametrize("raw, expected", [
    ("Q3 2019/20", "2019-12-31"),
    ("Q4 2019/20", "2020-03-31"),
    ("Q1 2018/19", "2018-06-30"),
    ("Q2 2018/19", "2018-09-30"),
    ("Q3 19/20", "2019-12-31"),
    ("Q4 2019-20", "2020-03-31"),
    ("Q4 2019/2020", "2020-03-31"),
    ("Quarter 3 2019/20", "2019-12-31"),
    ("Qtr 1 2020/21", "2020-06-30"),
    ("2019/20 Q3", "2019-12-31"),
    ("1st Quarter 2019/20", "2019-06-30"),
    ("end of Q4 2019/20", "2020-03-31"),
    ("Q1 2020", "2020-06-30"),  # one plain year: the financial year starting then (rules: single_year_quarters)
    ("2020/21", "2021-03-31"),
    ("2019-20", "2020-03-31"),
    ("2019/2020", "2020-03-31"),
    ("FY 2019/20", "2020-03-31"),
    ("Financial year 2019-20", "2020-03-31"),
    ("by 19/20", "2020-03-31"),
    ("1999/00", "2000-03-31"),
    ("Year end 2019/20", "2020-03-31"),
    ("H1 2020/21", "2020-09-30"),
    ("H2 2019/20", "2020-03-31"),
])
def test_financial_periods(raw: str, expected: str) -> None:
    assert due(raw) == expected


@pytest.mark.parametrize("raw, doc_year, doc_date, expected", [
    ("Q2", 2019, None, "2019-09-30"),
    ("Q4", 2019, None, "2020-03-31"),
    ("H2", 2019, None, "2020-03-31"),
    ("Q2", None, "2020-02-10", "2019-09-30"),  # Feb 2020 is in financial year 2019/20
    ("Q2", None, "2020-05-10", "2020-09-30"),
    ("end of Q2", 2019, None, "2019-09-30"),
    ("year end", None, "2019-11-01", "2020-03-31"),
    ("year end", None, "2020-02-01", "2020-03-31"),
    ("Year-end", 2019, None, "2020-03-31"),
    ("end of year", 2018, None, "2019-03-31"),
    ("By end of financial year", None, "2019-05-20", "2020-03-31"),
    ("30 June", 2019, None, "2019-06-30"),
    ("June", 2019, None, "2019-06-30"),
    ("30/6", 2019, None, "2019-06-30"),
    ("June 30", 2019, None, "2019-06-30"),  # two digits after a month that would be 2030: a day
])
def test_periods_anchored_on_the_document(raw: str, doc_year, doc_date, expected: str) -> None:
    assert due(raw, doc_year, doc_date) == expected


@pytest.mark.parametrize("raw", ["Q2", "year end", "end of year", "30 June", "June", "Autumn", "before Christmas",
                                 "by spring half-term"])
def test_document_anchored_periods_without_a_document_year(raw: str) -> None:
    # no printed date to take the year from: null, flagged so that the caller warns
    assert parse_due(raw) == DueDate(parsed=False, needs_year=True)


# --------------------------------------------------------------------------- revisions

@pytest.mark.parametrize("raw, original, revised", [
    ("By June 2019 (revised: Dec 2019)", "2019-06-30", "2019-12-31"),
    ("Oct 2018 – now Jan 2019", "2018-10-31", "2019-01-31"),
    ("March 2020, moved to September 2020", "2020-03-31", "2020-09-30"),
    ("Dec 2019 Revised: June 2020", "2019-12-31", "2020-06-30"),
    ("By Sept 2020 Revised: June 2021", "2020-09-30", "2021-06-30"),
    ("Sept 2018 date changed to March 2019", "2018-09-30", "2019-03-31"),
    ("Dec 18 (extended to Mar 19)", "2018-12-31", "2019-03-31"),
    ("Dec 2019 revised 30 June", "2019-12-31", "2020-06-30"),
    ("March 2020 revised 30 June", "2020-03-31", "2020-06-30"),
    ("30 June revised to 30 Sept 2019", "2019-06-30", "2019-09-30"),
    ("Q3 2019/20 deferred to Q1 2020/21", "2019-12-31", "2020-06-30"),
    ("31/03/2019\nRevised date: 30/09/2019", "2019-03-31", "2019-09-30"),
    ("Dec 2019 revised June 2020 revised Sept 2020", "2019-12-31", "2020-09-30"),
    ("Sept 19 to Dec 19, rescheduled to Mar 20", "2019-12-31", "2020-03-31"),
    ("June 2020 (revised)", "2020-06-30", ""),
    # the original printed after the current date
    ("31 March 2020 (revised from 31 Dec 2019)", "2019-12-31", "2020-03-31"),
    ("March 2020 (originally Dec 2019)", "2019-12-31", "2020-03-31"),
    ("Was due Dec 2019, now March 2020", "2019-12-31", "2020-03-31"),
    ("Original date Dec 2019; revised date March 2020", "2019-12-31", "2020-03-31"),
    ("30 June (originally March 2020)", "2020-03-31", "2020-06-30"),
])
def test_revisions_keep_the_original(raw: str, original: str, revised: str) -> None:
    d = parse_due(raw)
    assert (d.due_date, d.due_revised, d.parsed) == (original, revised, True)


def test_revision_alone_has_no_original() -> None:
    assert parse_due("Revised 30th June", 2019) == DueDate(due_revised="2019-06-30")
    assert parse_due("New date: March 2021") == DueDate(due_revised="2021-03-31")


# --------------------------------------------------------------------------- no date

@pytest.mark.parametrize("raw", [
    "On-going", "Ongoing", "on going", "TBC", "TBA", "tbc", "n/a", "N/A", "-", "–", "", "   ", "Complete",
    "As required", "Annually", "Quarterly", "Monthly", "Ongoing - reviewed monthly", "To be confirmed",
    "Immediate", "BAU", "?",
])
def test_no_date_words(raw: str) -> None:
    assert parse_due(raw) == DueDate()


def test_none_like_input() -> None:
    assert parse_due(None) == DueDate()  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["See above", "Staff may attend", "Board approval"])
def test_unreadable_text_is_flagged(raw: str) -> None:
    assert parse_due(raw, 2019) == DueDate(parsed=False)


# --------------------------------------------------------------------------- properties

MONTHS = [calendar.month_name[i] for i in range(1, 13)]
ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2049, 12, 31))


def _ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _renderings(d: date) -> list[str]:
    m, mon, yy = MONTHS[d.month - 1], ABBR[d.month - 1], f"{d.year % 100:02d}"
    return [
        f"{d.day} {m} {d.year}",
        f"{d.day}{_ordinal(d.day)} {mon} {d.year}",
        f"{d.day:02d}/{d.month:02d}/{d.year}",
        f"{d.day}/{d.month}/{yy}",
        f"{d.day:02d}.{d.month:02d}.{yy}",
        d.isoformat(),
        f"{calendar.day_name[d.weekday()]} {d.day} {m} {d.year}",
        f"{d.day}-{mon}-{yy}",
        f"{m} {d.day}, {d.year}",
        f"{d.day} {m} {d.year} 2pm - 4pm",
        f"by {d.day} {m.upper()} {d.year}",
    ]


@settings(max_examples=150, deadline=None)
@given(_days)
def test_any_day_in_any_format_parses_to_that_day(d: date) -> None:
    for text in _renderings(d):
        assert parse_due(text) == DueDate(due_date=d.isoformat()), text


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 12), st.integers(2000, 2049),
       st.sampled_from(["{mon} {y}", "{month} {y}", "{mon}-{yy}", "end of {month} {y}"]))
def test_any_month_parses_to_its_last_day(month: int, year: int, fmt: str) -> None:
    text = fmt.format(mon=ABBR[month - 1], month=MONTHS[month - 1], y=year, yy=f"{year % 100:02d}")
    last = date(year, month, calendar.monthrange(year, month)[1])
    assert parse_due(text) == DueDate(due_date=last.isoformat()), text


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.integers(2000, 2048),
       st.sampled_from(["Q{n} {y}/{y2}", "Q{n} {y}/{y4}", "Q{n} {y}-{y2}", "Quarter {n} FY {y}/{y2}"]))
def test_financial_quarters(n: int, year: int, fmt: str) -> None:
    text = fmt.format(n=n, y=year, y2=f"{(year + 1) % 100:02d}", y4=year + 1)
    end_month = {1: 6, 2: 9, 3: 12, 4: 3}[n]
    end_year = year + 1 if n == 4 else year
    expected = date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    assert parse_due(text).due_date == expected.isoformat(), text


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80), st.one_of(st.none(), st.integers(1990, 2030)))
def test_never_raises_and_outputs_are_iso(text: str, doc_year: int | None) -> None:
    d = parse_due(text, doc_year)
    for value in (d.due_date, d.due_revised, d.due_start):
        assert value == "" or ISO.match(value)
    if d.due_start and d.due_date:
        assert d.due_start <= d.due_date


_datey = st.lists(st.sampled_from(
    list("0123456789/-.,: ") + ["Q", "Dec ", "June ", "Sept ", "2019", "19/20", "revised ", "to ", "now ", "end of ",
                                "year end", "Spring ", "th", "FY", "mid ", "Feb", "29", "30", "31"]),
    max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(_datey, st.one_of(st.none(), st.integers(1990, 2030)),
       st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(date.isoformat)))
def test_never_raises_on_date_like_noise(text: str, doc_year: int | None, doc_date: str | None) -> None:
    d = parse_due(text, doc_year, doc_date)
    for value in (d.due_date, d.due_revised, d.due_start):
        assert value == "" or ISO.match(value)
    if d.due_start and d.due_date:
        assert d.due_start <= d.due_date


_month_years = st.tuples(st.integers(1, 12), st.integers(2000, 2049))


def _month_text(my: tuple[int, int]) -> str:
    return f"{ABBR[my[0] - 1]} {my[1]}"


@settings(max_examples=150, deadline=None)
@given(st.lists(_month_years, min_size=2, max_size=4), st.sampled_from([" - ", " to ", "/", ", ", " and ", "  "]))
def test_range_due_date_is_the_parse_of_its_last_element(items: list[tuple[int, int]], sep: str) -> None:
    text = sep.join(_month_text(x) for x in items)
    d = parse_due(text)
    assert d.due_date == parse_due(_month_text(items[-1])).due_date
    first = date(items[0][1], items[0][0], 1).isoformat()
    assert d.due_start == (first if first <= d.due_date else "")


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(2000, 2048))
def test_first_month_of_a_range_borrows_the_year(m1: int, m2: int, year: int) -> None:
    d = parse_due(f"{MONTHS[m1 - 1]} - {MONTHS[m2 - 1]} {year}")
    start_year = year if m1 <= m2 else year - 1
    assert d.due_date == date(year, m2, calendar.monthrange(year, m2)[1]).isoformat()
    assert d.due_start == date(start_year, m1, 1).isoformat()


@settings(max_examples=100, deadline=None)
@given(_days, st.integers(1, 400), st.sampled_from(["revised to", "moved to", "now", "extended to", "Revised:"]))
def test_revision_property(d: date, shift: int, cue: str) -> None:
    later = d + timedelta(days=shift)
    if later.year > 2049:
        return
    text = f"{d.day} {MONTHS[d.month - 1]} {d.year} {cue} {later.day} {MONTHS[later.month - 1]} {later.year}"
    assert parse_due(text) == DueDate(due_date=d.isoformat(), due_revised=later.isoformat())


# --------------------------------------------------------------------------- rules

def test_broken_dates_rules_name_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PACKAGE_RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "dates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  sept: 9", "  sept: 13"), encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_RULES_DIR", str(tmp_path / "rules"))
    reload_rules()
    try:
        with pytest.raises(RulesError, match=r"dates\.yaml.*months\.sept"):
            parse_due("Dec 2018")
    finally:
        monkeypatch.delenv("EXTRACTOR_RULES_DIR")
        reload_rules()
    assert due("Dec 2018") == "2018-12-31"


def test_schema_error_names_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PACKAGE_RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "dates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("two_digit_day_horizon: 10", "two_digit_day_horizon: ten"),
                    encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_RULES_DIR", str(tmp_path / "rules"))
    reload_rules()
    try:
        with pytest.raises(RulesError, match=r"dates\.yaml.*two_digit_day_horizon"):
            parse_due("Dec 2018")
    finally:
        monkeypatch.delenv("EXTRACTOR_RULES_DIR")
        reload_rules()


def test_rules_are_loaded_once(monkeypatch) -> None:
    from extractor import rules

    reads = []
    real = rules.read
    monkeypatch.setattr(rules, "read", lambda path, name, schema: reads.append(name) or real(path, name, schema))
    reload_rules()
    for raw in ("Dec 2018", "Q3 2019/20", "Ongoing"):
        parse_due(raw)
    assert reads.count("dates") == 1


# --------------------------------------------------------------------------- words a narrow column broke

@pytest.mark.parametrize("raw, expected", [
    ("31/10/20 22", "2022-10-31"),  # "31/10/20|22": the year broken over two lines
    ("15.03.20 23", "2023-03-15"),
    ("Septemb er 2022", "2022-09-30"),
    ("Dece mber 2021", "2021-12-31"),
    ("By Febr uary 2020", "2020-02-29"),
])
def test_a_word_broken_by_a_narrow_column_is_rejoined(raw: str, expected: str) -> None:
    assert parse_due(raw).due_date == expected


@pytest.mark.parametrize("raw, expected", [
    ("31/10/20", "2020-10-31"),  # nothing broken: unchanged
    ("Sept 19 to Dec 19", "2019-12-31"),
    ("in 2022", "2022-12-31"),
])
def test_rejoining_leaves_whole_words_alone(raw: str, expected: str) -> None:
    assert parse_due(raw).due_date == expected


@settings(max_examples=200, deadline=None)
@given(month=st.integers(1, 12), year=st.integers(2000, 2039), cut=st.integers(2, 8))
def test_a_month_name_broken_anywhere_reads_as_the_whole_word(month: int, year: int, cut: int) -> None:
    name = calendar.month_name[month]
    cut = min(cut, len(name) - 1)
    broken = f"{name[:cut]} {name[cut:]} {year}"
    assert parse_due(broken).due_date == parse_due(f"{name} {year}").due_date


# --------------------------------------------------------------------------- conventions, years, timescales

from extractor.fields.dates import convention, span_of  # noqa: E402


@pytest.mark.parametrize("raw, expected", [
    ("Q2 FY2019", "2019-03-31"),  # US federal FY2019 = Oct 2018 - Sep 2019
    ("Q2 FY19", "2019-03-31"),
    ("FY2019 Q4", "2019-09-30"),
    ("FY2019", "2019-09-30"),
    ("FY 2019/20", "2020-09-30"),
    ("8/19/22", "2022-08-19"),  # month first
    ("03/04/2019", "2019-03-04"),
    ("25/12/2019", "2019-12-25"),  # a number over 12 settles the order either way
    ("Q2 2019", "2019-06-30"),  # a plain year: calendar quarters
    ("September 30, 2019", "2019-09-30"),
])
def test_us_federal_convention(raw, expected):
    assert parse_due(raw, convention=convention("us")).due_date == expected


def test_us_year_end_is_the_end_of_september():
    assert parse_due("year end", doc_date="2019-11-01", convention=convention("us")).due_date == "2020-09-30"


def test_a_stated_financial_year_start():
    july = convention("uk", fy_start_month=7)
    assert parse_due("Q1 2019/20", convention=july).due_date == "2019-09-30"
    assert parse_due("2019/20", convention=july).due_date == "2020-06-30"


@pytest.mark.parametrize("raw, expected", [
    ("before Christmas", "2019-12-25"), ("by spring half-term", "2019-02-28"), ("Autumn", "2019-11-30"),
    ("summer term", "2019-07-31"),
])
def test_named_times_take_the_printed_year(raw, expected):
    assert parse_due(raw, doc_date="2019-06-30").due_date == expected


def test_a_one_year_plan_period_places_year_less_dates():
    period = span_of("Action plan 2019/20")
    assert period == ("2019-04-01", "2020-03-31")
    assert parse_due("Autumn", period=period).due_date == "2019-11-30"
    assert parse_due("February", period=period).due_date == "2020-02-29"
    long_plan = span_of("Strategy 2019-2022")
    assert long_plan == ("2019-01-01", "2022-12-31")
    assert parse_due("Autumn", period=long_plan) == DueDate(parsed=False, needs_year=True)


@pytest.mark.parametrize("raw", [
    "within 90 days of approval", "medium term (6–12 months)", "Following board approval", "Next meeting",
    "Within 3 months", "6-9 months", "Long-term", "Once funding is agreed",
])
def test_relative_timescales_are_understood_without_a_date(raw):
    assert parse_due(raw, 2019) == DueDate(relative=True)


@pytest.mark.parametrize("raw", ["Monthly", "reviewed annually", "Quarterly reporting"])
def test_recurring_timescales_have_no_date(raw):
    d = parse_due(raw, 2019)
    assert (d.due_date, d.parsed) == ("", True)


@pytest.mark.parametrize("raw, expected", [
    ("August", "2011-08-31"), ("December", "2011-12-31"), ("January", "2012-01-31"), ("June", "2012-06-30"),
])
def test_a_year_less_month_takes_the_year_nearest_the_printed_date(raw, expected):
    # a log dated 17 January 2012: its "August" deadline is the August just gone, its "January" this one
    assert parse_due(raw, doc_date="2012-01-17").due_date == expected


@pytest.mark.parametrize("raw,expected", [("30 10.14", "2014-10-30"), ("31.5. 14", "2014-05-31"),
                                          ("30 9.2013", "2013-09-30"), ("31.5.14", "2014-05-31"),
                                          ("Phase 1 12.2020", ""), ("version 2 10.14", ""), ("3 10.5", "")])
def test_a_numeric_date_typed_with_a_space_is_one_date(raw, expected):
    assert parse_due(raw).due_date == expected
