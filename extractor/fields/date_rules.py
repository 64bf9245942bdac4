"""rules/dates.yaml, validated and compiled once per settings: the vocabulary of dates (months, seasons,
quarter and financial-year words, revision cues, no-date words), the one tokenising regex built from it, and
the date conventions of each jurisdiction (Convention). Read by dates.py (cells) and context.py (which
convention a document follows)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from extractor.rules import RulesError, phrase_literals, phrase_pattern
from extractor.settings import Settings, current, validator

SCHEMA = {
    "months": {"*": "int"},
    "capitalised_only_months": ["str"],
    "seasons": {"*": ["int"]},
    "year_parts": {"*": ["int"]},
    "quarter_words": ["str"],
    "half_year_words": ["str"],
    "conventions": {"*": {"__fixed__": True, "fy_start_month": "int", "fy_label": "str",
                          "single_year_quarters": "str", "day_first": "bool"}},
    "default_convention": "str",
    "convention_cues": {"*": ["str"]},
    "fiscal_year_statements": ["regex"],
    "named_days": {"*": ["int"]},
    "named_periods": {"*": ["int"]},
    "relative_timescales": ["regex"],
    "fy_prefixes": ["str"],
    "year_end_phrases": ["str"],
    "revision_cues": ["str"],
    "original_cues": ["str"],
    "no_date_words": ["str"],
    "two_digit_day_horizon": "int",
}


@dataclass(frozen=True)
class Convention:
    """How a document writes dates (rules/dates.yaml conventions)."""
    name: str = "uk"
    fy_start_month: int = 4  # first month of the financial year
    fy_label: str = "start"  # a one-year label ("FY2019") names the year the FY starts in, or "end"s in
    single_year_quarters: str = "financial"  # "Q1 2019": quarter of the financial year, or "calendar"
    day_first: bool = True  # 03/04/2019 = 3 April


def convention(name: Optional[str] = None, fy_start_month: Optional[int] = None) -> Convention:
    """The named convention of rules/dates.yaml (the default one when `name` is None or unknown), with the
    financial year's first month overridden when the document states it."""
    r = compiled()["rules"]
    name = name if name in r["conventions"] else r["default_convention"]
    spec = r["conventions"][name]
    return Convention(name, fy_start_month or spec["fy_start_month"], spec["fy_label"], spec["single_year_quarters"],
                      spec["day_first"])


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
    for name, spec in r["conventions"].items():
        if not 1 <= spec["fy_start_month"] <= 12:
            raise _bad(f"conventions.{name}.fy_start_month", f"month number must be 1-12, got {spec['fy_start_month']}")
        if spec["fy_label"] not in ("start", "end"):
            raise _bad(f"conventions.{name}.fy_label", f"expected start or end, got {spec['fy_label']!r}")
        if spec["single_year_quarters"] not in ("financial", "calendar"):
            raise _bad(f"conventions.{name}.single_year_quarters",
                       f"expected financial or calendar, got {spec['single_year_quarters']!r}")
    if r["default_convention"] not in r["conventions"]:
        raise _bad("default_convention", f"{r['default_convention']!r} is not one of the conventions")
    for name in r["convention_cues"]:
        if name not in r["conventions"]:
            raise _bad(f"convention_cues.{name}", "not one of the conventions")
    for name, pair in r["named_days"].items():
        if len(pair) != 2 or not 1 <= pair[0] <= 12 or not 1 <= pair[1] <= 31:
            raise _bad(f"named_days.{name}", f"expected [month, day], got {pair}")
    for name, pair in r["named_periods"].items():
        if len(pair) != 2 or not all(1 <= x <= 12 for x in pair):
            raise _bad(f"named_periods.{name}", f"expected [first month, last month] (1-12), got {pair}")
    for i, pattern in enumerate(r["fiscal_year_statements"]):
        if "(?P<month>" not in pattern:
            raise _bad(f"fiscal_year_statements[{i}]", "needs a named group 'month'")


def key(text: str) -> str:
    """Lookup key for a matched vocabulary word: lower case, single spaces, no trailing dot."""
    return re.sub(r"[\s\-\u2013\u2014]+", " ", text.strip().lower()).rstrip(".")


def _prefix_words(words: list[str]) -> str:
    """Words written right before a number ("Q3", "Qtr 3", "H1"): not inside a longer word."""
    alts = "|".join(re.escape(key(w)) for w in sorted(words, key=len, reverse=True))
    return rf"(?<![A-Za-z])(?:{alts})\.?"


def _literals(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _prefilter(r: dict, month_names: list[str], y4: str) -> dict:
    """What every match of the mention regex contains, from the same vocabulary: most table cells hold no date,
    and the mention regex costs microseconds per character on long runs of figures. Per alternative: iso, num,
    dm2 a digit beside [./-]; fy, yp, yr a year; dm, md, my, mo a month name; se, nd, np, ye a season, named
    day or period, or year-end phrase; q, h, fyy a quarter, half-year or financial-year word AND a digit.
    tests/test_date_prefilter.py checks that no text the mention regex matches is turned away."""
    alone = month_names + phrase_literals(
        list(r["seasons"]) + list(r["named_days"]) + list(r["named_periods"]) + r["year_end_phrases"])
    with_digit = [key(w) for w in r["quarter_words"] + r["half_year_words"]] + phrase_literals(r["fy_prefixes"])
    return {"hint": re.compile(rf"{y4}|\d[./\-]\d|{_literals(alone)}", re.I),
            "hint_with_digit": re.compile(_literals(with_digit), re.I)}


def may_hold_date(text: str) -> bool:
    """False only when the mention regex cannot match `text` (a cheap test run before it)."""
    c = compiled()
    return bool(c["hint"].search(text) or (_DIGIT.search(text) and c["hint_with_digit"].search(text)))


_DIGIT = re.compile(r"\d")


def date_rules(settings: Settings) -> dict:
    """rules/dates.yaml, validated."""
    return settings.rules("dates", SCHEMA, _check_dates)


def compiled() -> dict:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> dict:
    r = date_rules(settings)
    names = sorted({key(k) for k in r["months"]}, key=len, reverse=True)
    # A month name may touch digits ("Dec18", "3June") but not letters ("decision", "Marketing").
    mon = r"(?<![A-Za-z])(?:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])\.?"
    y4 = r"(?:19|20)\d{2}"
    qw = _prefix_words(r["quarter_words"])
    hw = _prefix_words(r["half_year_words"])
    # "FY2019", "FY19": a financial-year word may touch the digits of its year, not other letters
    fypre = phrase_pattern(r["fy_prefixes"]).replace("(?![A-Za-z0-9])", "(?![A-Za-z])")
    fy = rf"(?:{y4}\s*[/\-\u2013]\s*(?:{y4}|\d{{2}})(?![\d/\-])|(?<![\d/])\d{{2}}/\d{{2}}(?![\d/]))"
    sep = r"[\s\-.,/'\u2019]*"
    alts = [
        rf"(?P<iso>(?<!\d)(?P<iso_y>{y4})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})(?!\d))",
        rf"(?P<num>(?<![\d/.\-])(?P<num_d>\d{{1,2}})(?P<num_s>[./\-])(?P<num_m>\d{{1,2}})(?P=num_s)"
        rf"(?P<num_y>{y4}|\d{{2}})(?!\d))",
        rf"(?P<q>(?:(?P<q_pre1>{fypre})?\s*(?P<q_fy1>{fy}|(?:{y4}|\d{{2}})(?=\s*[,:\-\u2013]?\s*(?:{qw})\s*[1-4]))\s*[,:\-\u2013]?\s*)?"
        rf"(?:{qw}\s*(?P<q_n>[1-4])(?!\d)|(?P<q_o>[1-4])(?:st|nd|rd|th)\s+{qw})"
        rf"(?:\s*[,:\-\u2013]?\s*(?:of\s+)?(?P<q_pre2>{fypre}\s*)?(?P<q_fy2>{fy}|{y4}(?![\d/\-])|\d{{2}}(?![\d/\-])))?)",
        rf"(?P<h>(?:(?P<h_fy1>{fy})\s*[,:\-\u2013]?\s*)?{hw}\s*(?P<h_n>[12])(?!\d)"
        rf"(?:\s*[,:\-\u2013]?\s*(?:of\s+)?(?P<h_pre2>{fypre}\s*)?(?P<h_fy2>{fy}|{y4}(?![\d/\-])))?)",
        rf"(?P<ye>{phrase_pattern(r['year_end_phrases'])}(?:[\s,\-]*(?:{fypre}\s*)?(?P<ye_fy>{fy})"
        rf"|[\s,\-]*(?P<ye_y>{y4})(?![\d/\-]))?)",
        rf"(?P<fy>(?:{fypre}\s*)?(?<![\d/.\-])(?P<fy_a>{y4})\s*(?P<fy_s>[/\-\u2013])\s*"
        rf"(?P<fy_b>{y4}|\d{{2}})(?![\d/\-]))",
        rf"(?P<fyy>{fypre}\s*['\u2019]?(?P<fyy_y>{y4}|\d{{2}})(?![\d/\-]))",
        rf"(?P<nd>{phrase_pattern(r['named_days'])})",
        rf"(?P<np>{phrase_pattern(r['named_periods'])})",
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
        **_prefilter(r, names, y4),
        # Original cues first: "revised from" must win over "revised" at the same position.
        "cue": re.compile(rf"(?P<back>{phrase_pattern(r['original_cues'])})"
                          rf"|(?P<fwd>{phrase_pattern(r['revision_cues'])})", re.I),
        "nodate": re.compile(phrase_pattern(r["no_date_words"]), re.I),
        "months": {key(k): v for k, v in r["months"].items()},
        "caps_only": {key(k) for k in r["capitalised_only_months"]},
        "seasons": {key(k): v for k, v in r["seasons"].items()},
        "year_parts": {key(k): v for k, v in r["year_parts"].items()},
        "named_days": {key(k): v for k, v in r["named_days"].items()},
        "named_periods": {key(k): v for k, v in r["named_periods"].items()},
        "relative": [re.compile(x) for x in r["relative_timescales"]],
        "horizon": r["two_digit_day_horizon"],
        "rules": r,
    }
