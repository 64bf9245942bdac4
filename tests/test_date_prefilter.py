"""The cheap tests run before the expensive regexes (extractor/fields/date_rules.py): each must never turn away
a text the full regex matches, so that they change no result, only the time taken.

- the date pre-filter (may_hold_date) before the mention regex of rules/dates.yaml;
- the vocabulary phrase patterns (rules.phrase_pattern) and the convention cue patterns (fields/context.py),
  written with one look-behind for all their words, against the patterns with a look-behind per word."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields import context, date_rules, dates
from extractor.fields.date_rules import compiled, may_hold_date
from extractor.rules import phrase_pattern


def _vocabulary() -> list[str]:
    """Every word and phrase of rules/dates.yaml, as printed and in capitals: the pieces a date is made of."""
    r = compiled()["rules"]
    words: list[str] = []
    for key in ("months", "seasons", "year_parts", "named_days", "named_periods"):
        words += list(r[key])
    for key in ("quarter_words", "half_year_words", "fy_prefixes", "year_end_phrases", "revision_cues",
                "original_cues", "no_date_words", "capitalised_only_months"):
        words += r[key]
    return sorted({v for w in words for v in (w, w.upper(), w.title(), w.replace(" ", "-"))})


PIECES = st.one_of(
    st.sampled_from(_vocabulary()),
    st.from_regex(r"\d{1,4}", fullmatch=True),
    st.sampled_from(["19", "20", "2019", "2020/21", "19/20", "Q", "H", "FY", "'", "\u2019", "st", "nd", "th", "of"]),
    st.sampled_from([" ", "  ", "-", "\u2013", "/", ".", ",", ":", "(", ")", "\n", "\u00a3", "$", "%"]),
    st.text(min_size=1, max_size=4),  # any characters: letters of other scripts, other digits, case foldings
)
TEXTS = st.lists(PIECES, max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_prefilter_never_rejects_a_text_the_mention_regex_matches(text):
    if compiled()["mention"].search(text):
        assert may_hold_date(text), text


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_prefilter_changes_no_parse(text):
    fast = dates.parse_due(text, 2019)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(dates, "may_hold_date", lambda _text: True)
        full = dates.parse_due(text, 2019)
    assert fast == full, text


def test_prefilter_turns_away_figures_and_keeps_dates():
    for text in ("804 , 006", "11 14 31 20 3 , 832 , 753", "e t s h w r", "12 %", ""):
        assert not may_hold_date(text), text
    for text in ("Dec 2018", "31/03/2019", "Q3", "Q3 19/20", "H1 2020", "FY19", "end of year", "Christmas",
                 "spring term", "Autumn", "2019", "3.4.19", "june"):
        assert may_hold_date(text), text


def _cue_reference(cues: list[str]) -> re.Pattern:
    """The cue pattern as first written: a look-behind in front of every cue."""
    alts = sorted({c.lower() for c in cues}, key=len, reverse=True)
    return re.compile("|".join(rf"(?<![a-z0-9]){re.escape(c)}(?![a-z0-9])" if c[:1].isalnum() else re.escape(c)
                               for c in alts))


CUE_TEXTS = st.lists(st.one_of(
    st.sampled_from(sorted({c.lower() for cues in date_rules.compiled()["rules"]["convention_cues"].values()
                            for c in cues})),
    st.sampled_from([" ", "-", ".", "x", "s", "1", "$", "\u00a3", "u.s.", "a"]),
    st.text(max_size=3)), max_size=10).map(lambda parts: "".join(parts).lower())


@settings(max_examples=400, deadline=None)
@given(CUE_TEXTS)
def test_convention_cue_patterns_find_what_one_look_behind_per_cue_finds(text):
    rules = date_rules.compiled()["rules"]["convention_cues"]
    for name, pattern in context._cue_patterns().items():
        expected = [(m.start(), m.group(0)) for m in _cue_reference(rules[name]).finditer(text)]
        assert [(m.start(), m.group(0)) for m in pattern.finditer(text)] == expected, (name, text)


def _phrase_reference(phrases: list[str], gap: str = r"[\s\-\u2013\u2014]+") -> str:
    """rules.phrase_pattern as first written: a look-behind in front of every phrase."""
    parts = []
    for phrase in sorted({p.strip().lower() for p in phrases if p and p.strip()}, key=len, reverse=True):
        words = re.split(r"[\s\-\u2013\u2014]+", phrase)
        body = gap.join(re.escape(w) for w in words if w) or re.escape(phrase)
        lead = r"(?<![A-Za-z0-9])" if phrase[0].isalnum() else ""
        tail = r"(?![A-Za-z0-9])" if phrase[-1].isalnum() else ""
        parts.append(lead + body + tail)
    return "(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"


PHRASE_ATOMS = st.sampled_from(["on", "going", "on going", "not yet", "started", "a", "-", "&", "n/a", "tbc", "£",
                                "q", "1", "due", "x-1", " ", "-on", "go-", "é"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PHRASE_ATOMS, max_size=6),
       st.lists(st.one_of(PHRASE_ATOMS, st.sampled_from(["O", "N", "x", ".", "\u2013", "_"]), st.text(max_size=2)),
                max_size=10).map("".join))
def test_phrase_pattern_finds_what_one_look_behind_per_phrase_finds(phrases, text):
    fast, reference = re.compile(phrase_pattern(phrases), re.I), re.compile(_phrase_reference(phrases), re.I)
    assert [(m.start(), m.group(0)) for m in fast.finditer(text)] == \
        [(m.start(), m.group(0)) for m in reference.finditer(text)], (phrases, text)
