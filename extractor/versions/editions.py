"""What a document's title and file name say about which plan it is and which edition of it.

  norm_title("Draft Open Data Strategy 2013-15 (v0.3, October 2013)") -> "open data strategy"
  plan_period("... Strategy 2013-15 ...") -> (2013, 2015): the years a plan covers (a year range)
  edition_of("Draft ...") -> "draft"; "... (revised April 2013)" -> "revised"; "Final ..." -> "final"
  version_key("3.16") > version_key("3.2")

The plan's name is its title without its edition: version labels, dates, years, months, ordinals and the
edition words of rules/versions.yaml (draft, final, revised, Q2, ...). Vocabulary: extractor/versions/vocab.py.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from typing import Optional

from extractor.strings import ws
from extractor.versions.vocab import vocabulary

EDITION_RANK = {"draft": 0, "": 1, "final": 1, "revised": 2}  # order of editions of one version

_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*[-\u2013\u2014/_]\s*((?:19|20)\d{2}|\d{2}))?(?!\d)")
_ISO_DATEISH = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])(?:[-_.]?([0-3]\d))?(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")
_DAY_NUMBER = re.compile(r"(?<![a-z0-9.])\d{1,2}(?:st|nd|rd|th)?(?![a-z0-9.])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).casefold()
    return s.replace("&", " and ").replace("\u2019", "").replace("'", "")


def _words(s: str) -> str:
    return ws(_NON_WORD.sub(" ", s))


def norm_org(value: object) -> str:
    return _words(fold(value))


def _strip_editions(s: str) -> str:
    voc = vocabulary()
    s = voc.version_token.sub(" ", s)
    s = _NUMERIC_DATE.sub(" ", s)
    s = _ISO_DATEISH.sub(" ", s)
    s = _YEAR_RANGE.sub(" ", s)
    had_month = bool(voc.month.search(s))
    s = voc.month.sub(" ", s)
    s = voc.ordinal.sub(" ", s)
    s = voc.edition.sub(" ", s)
    if had_month:  # "12 March" without its month: the day number goes too
        s = _DAY_NUMBER.sub(" ", s)
    return s


_DANGLING = re.compile(r"(?:[\s\-\u2013\u2014:,;/(\[]+(?:as(?:\s+(?:at|of))?|at|of|on|dated|from|for)?)+$|"
                       r"^[\s\-\u2013\u2014:,;/)\]]+", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


def plan_name(title: str) -> str:
    """The printed title without its edition, for page titles: 'Transparency Board Action Log as 17th January
    2012' -> 'Transparency Board Action Log'; 'DRAFT Open Data Strategy 2013-15 (v0.3)' -> 'Open Data
    Strategy 2013-15' (a plan period stays: it names the plan)."""
    voc = vocabulary()
    s = unicodedata.normalize("NFKC", title or "")
    for pattern in (voc.version_token, _NUMERIC_DATE, voc.date_phrase, voc.edition):
        s = pattern.sub(" ", s)
    s = _EMPTY_BRACKETS.sub(" ", s)
    s = ws(s)
    previous = None
    while previous != s:
        previous, s = s, _DANGLING.sub("", s).strip()
    return s or ws(title)


def norm_title(value: object) -> str:
    """The plan's name without its edition: version / date / year / edition words removed."""
    return _words(_strip_editions(fold(value)))


def _stem_text(path: str) -> str:
    return fold(PurePath(path).stem).replace("_", " ")


def norm_stem(path: str) -> str:
    """File stem without its edition: 'castlepoint-od-strategy-v3' -> 'castlepoint od strategy'."""
    return _words(vocabulary().file_word.sub(" ", _strip_editions(_stem_text(path))))


def stem_version(path: str) -> str:
    """'plan-v3.1' -> '3.1'; 'Plan Version 4' -> '4'; '' when the stem has none."""
    m = vocabulary().version_token.search(_stem_text(path))
    return m.group(1).replace("_", ".") if m else ""


def stem_date(path: str) -> str:
    """'plan_2019-06' -> '2019-06'; '' when the stem has none."""
    m = _ISO_DATEISH.search(fold(PurePath(path).stem))
    if not m:
        return ""
    return "-".join(x for x in m.groups() if x)


def edition_of(*texts: str) -> str:
    """'draft', 'revised', 'final' or '' from a title or file name (the first text that says wins)."""
    voc = vocabulary()
    for text in texts:
        s = fold(text).replace("_", " ")
        if voc.draft.search(s):
            return "draft"
        if voc.revision.search(s):
            return "revised"
        if voc.final.search(s):
            return "final"
    return ""


def plan_period(text: str) -> Optional[tuple[int, int]]:
    """The years a plan covers, from a year range in its title ('2018-21', '2013/14', '2022 - 2024');
    None when the text names no range (a single year is as often an edition date as a period)."""
    for m in _YEAR_RANGE.finditer(fold(text)):
        if not m.group(2):
            continue
        start = int(m.group(1))
        end_text = m.group(2)
        end = int(end_text) if len(end_text) == 4 else start - start % 100 + int(end_text)
        if end < start:
            end += 100
        if 0 < end - start <= 10:
            return start, end
    return None


def version_key(value: object) -> tuple:
    """Numeric-aware: '3.2' < '3.16' < '4.0' == '4' == 'V4'; letters after numbers ('2a') sort after them.
    () for no version."""
    s = fold(value).strip()
    s = re.sub(r"^(?:version|ver\.?|v)\s*", "", s)
    parts: list[tuple[int, object]] = []
    for tok in re.findall(r"\d+|[a-z]+", s):
        parts.append((0, int(tok)) if tok.isdigit() else (1, tok))
    while parts and parts[-1] == (0, 0) and len(parts) > 1:
        parts.pop()  # 4.0 == 4
    return tuple(parts)
