"""What one cell holds, read from its text alone: a reference, a date or timescale, a status word, a RAG
rating, a checkbox list, a tick, a yes/no, a number, an owner-like name, or a sentence that states something to
do. The column and table decisions (columns.py, classify.py) add these up; nothing here looks at headers.

Vocabulary: rules/tables.yaml (ref labels, owner words, checkbox glyphs...), rules/refs.yaml (ref shapes), and
the field normalisers (dates, status) for dates and status words.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from extractor.fields import dates, refs, status
from extractor.fields.lexicon import lexicon, words
from extractor.settings import Settings, current, validator

SCHEMA = {
    "ref_labels": ["str"], "yes_no": ["str"], "tick_marks": ["str"], "checkbox_ticked": ["str"],
    "checkbox_empty": ["str"], "org_words": ["str"], "role_words": ["str"], "action_cues": ["str"],
    "non_plan": {"*": ["str"]}, "non_plan_decisive": ["str"], "plan_context": ["str"], "group_lead": ["regex"],
    "numbered_heading": ["regex"],
    "min_action_share": "any", "min_rows_alone": "int", "key_value_text_words": ["str"],
}
_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"^[\s£$€]*[-+]?\d[\d,]*(?:\.\d+)?\s*(?:%|k|m|bn|million)?\s*$", re.I)
_INITIALS = re.compile(r"^[A-Z][A-Za-z]{0,3}\.?$")  # KK, JTe, DfE, HS, CFO (with >= 2 capitals)
_NUMERIC_DATE = re.compile(r"^\d{1,2}\s*[./]\s*\d{1,2}\s*[./]\s*(?:\d{2}|\d{4})$")
_DOTTED_GAP = re.compile(r"(?<=\d\.)\s+(?=\d)")
_SENTENCE_END = re.compile(r"[.!?]\s*$")


@dataclass(frozen=True)
class CellEvidence:
    text: str
    n_words: int
    ref: str = ""  # the cell is a reference (maybe after a label: "Activity 3.3.1"): the ref as printed
    lead_ref: str = ""  # the cell starts with a reference followed by text ("1) Use inclusive ...")
    date: bool = False  # a date or a timescale ("31.12.14", "Q1 2021/22", "Ongoing", "Monthly")
    dated: bool = False  # a date that resolves to a day ("31.12.14", "June 2014"), not only a timescale word
    status: str = ""  # the status a short status cell states ("Carried forward" -> delayed)
    status_lead: str = ""  # the status word a longer cell opens with ("Commenced. As at end of October ...")
    rag: str = ""  # a RAG letter or colour word ("G", "Amber")
    checkbox: bool = False  # a checkbox list (☐ / ☒ glyphs)
    tick: bool = False  # a lone tick or cross
    yes_no: bool = False
    number: bool = False
    owner: float = 0.0  # 0..1: reads as a person, post, team or body (short, names, initials, org words)
    action: float = 0.0  # 0..1: reads as something to do (a verb first, "X to do Y", "we will ...")

    @property
    def empty(self) -> bool:
        return not self.text

    @property
    def short_value(self) -> bool:
        """A value cell rather than prose: a ref, date, status, RAG, tick, yes/no or number."""
        return bool(self.ref or self.date or self.status or self.rag or self.tick or self.yes_no or self.number)


@dataclass
class Vocabulary:
    ref_cell: re.Pattern
    yes_no: frozenset[str]
    ticks: frozenset[str]
    ticked: tuple[str, ...]
    boxes: tuple[str, ...]
    org_words: frozenset[str]
    role_words: frozenset[str]
    action_cue: re.Pattern
    non_plan: dict[str, frozenset[str]]
    decisive: frozenset[str]
    plan_context: re.Pattern
    group_lead: tuple[re.Pattern, ...]
    numbered_heading: tuple[re.Pattern, ...]
    min_action_share: float
    min_rows_alone: int
    key_value_text: re.Pattern
    memo: dict[str, CellEvidence] = field(default_factory=dict)


def vocabulary() -> Vocabulary:
    return current().compiled(_compile)


def _words_regex(phrases: list[str]) -> str:
    alts = sorted({p.strip().casefold() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alts) or r"(?!x)x"


@validator
def _compile(settings: Settings) -> Vocabulary:
    r = settings.rules("tables", SCHEMA, _check)
    ref_shapes = settings.rules("refs", refs.SCHEMA)["ref_patterns"]
    labels = _words_regex(r["ref_labels"])
    ref_cell = re.compile(rf"^(?:(?:{labels})\s*[:#.]?\s*)?(?P<ref>{'|'.join(f'(?:{p})' for p in ref_shapes)})\s*$",
                          re.I)
    return Vocabulary(
        ref_cell=ref_cell,
        yes_no=frozenset(w.casefold() for w in r["yes_no"]),
        ticks=frozenset(w.casefold() for w in r["tick_marks"]),
        ticked=tuple(r["checkbox_ticked"]),
        boxes=tuple(r["checkbox_ticked"] + r["checkbox_empty"]),
        org_words=frozenset(w.casefold() for w in r["org_words"]),
        role_words=frozenset(w.casefold() for w in r["role_words"]),
        action_cue=re.compile(rf"(?<![\w])(?:{_words_regex(r['action_cues'])})\s+(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)",
                              re.I),
        non_plan={kind: frozenset(w.casefold() for w in ws) for kind, ws in r["non_plan"].items()},
        decisive=frozenset(w.casefold() for w in r["non_plan_decisive"]),
        plan_context=re.compile(rf"(?<![\w])(?:{_words_regex(r['plan_context'])})(?![\w])", re.I),
        group_lead=tuple(re.compile(p) for p in r["group_lead"]),
        numbered_heading=tuple(re.compile(p, re.I) for p in r["numbered_heading"]),
        min_action_share=float(r["min_action_share"]),
        min_rows_alone=int(r["min_rows_alone"]),
        key_value_text=re.compile(rf"(?<![\w])(?:{_words_regex(r['key_value_text_words'])})(?![\w])", re.I),
    )


def _check(r: dict) -> None:
    from extractor.rules import RulesError

    share = r["min_action_share"]
    if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 < share <= 1:
        raise RulesError("rules/tables.yaml.min_action_share: expected a number between 0 and 1")
    for key in ("group_lead",):
        for i, p in enumerate(r[key]):
            if "(?P<lead>" not in p:
                raise RulesError(f"rules/tables.yaml.{key}[{i}]: needs a named group 'lead'")
    for i, p in enumerate(r["numbered_heading"]):
        if "(?P<ref>" not in p or "(?P<title>" not in p:
            raise RulesError(f"rules/tables.yaml.numbered_heading[{i}]: needs named groups 'ref' and 'title'")


def squash(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def cell_evidence(text: str) -> CellEvidence:
    """The evidence of one cell's text (cached per settings)."""
    vocab = vocabulary()
    found = vocab.memo.get(text)
    if found is None:
        if len(vocab.memo) > 100_000:
            vocab.memo.clear()
        found = vocab.memo[text] = _evidence(squash(text), vocab)
    return found


def _evidence(t: str, vocab: Vocabulary) -> CellEvidence:
    if not t:
        return CellEvidence(text="", n_words=0)
    ws = words(t)
    n = len(ws)
    low = t.casefold()
    checkbox = any(g in t for g in vocab.boxes)
    if checkbox:
        return CellEvidence(text=t, n_words=n, checkbox=True)
    if low in vocab.ticks and len(t) <= 3:
        return CellEvidence(text=t, n_words=n, tick=True)
    if low in vocab.yes_no:
        return CellEvidence(text=t, n_words=n, yes_no=True)
    if _NUMERIC_DATE.match(t) and dates.parse_due(t).due_date:
        if _DOTTED_GAP.search(t):  # "4.1. 19": a ref typed with a gap, or a day ("31.5. 14"): the column decides
            return CellEvidence(text=t, n_words=n, date=True, dated=True, ref=refs.clean_ref(_DOTTED_GAP.sub("", t)))
        return CellEvidence(text=t, n_words=n, date=True, dated=True)  # a ref's shape, but a day
    m = vocab.ref_cell.match(_DOTTED_GAP.sub("", t)) if n <= 4 and len(t) <= 30 else None
    if m and not _is_not_ref(m.group("ref")):
        # "1.1", "3)", "A2", "Activity 3.3.1" are refs; a bare small integer is a ref or a count: both
        return CellEvidence(text=t, n_words=n, ref=refs.clean_ref(m.group("ref")), number=bool(_NUMBER.match(t)))
    if _NUMBER.match(t):
        return CellEvidence(text=t, n_words=n, number=True)
    lead_ref, rest = refs.split_leading_ref(t)
    short = n <= 8 and len(t) <= 80
    due = dates.parse_due(t) if n <= 12 else None
    rag = (status.rag_from_text(t) or "") if n <= 3 else ""
    stat = (status.status_from_text(t) or "") if short else ""
    dated = bool(due and due.due_date and n <= 10)
    is_date = dated or bool(due and due.parsed and n <= 4 and dates.is_timescale_word(t)) or \
        bool(due and due.needs_year and n <= 4 and _only_date_names(ws))
    stat_lead = "" if stat else _status_lead(t)
    action = _action_score(rest if lead_ref else t, words(rest) if lead_ref else ws, vocab)
    owner = 0.0 if (is_date or stat or rag or n > 10 or action >= 0.6) else _owner_score(t, ws, vocab)
    return CellEvidence(text=t, n_words=n, lead_ref=lead_ref, date=is_date and not lead_ref,
                        dated=dated and not lead_ref, status=stat, status_lead=stat_lead, rag=rag, owner=owner,
                        action=action)


def _only_date_names(ws: list[str]) -> bool:
    """A date without its year ("June", "end of June", "23 March"), which the document's own dates complete: every
    capitalised word is a month or day name itself, so that a month is never read as a first name ("June" in a
    Deadline column is a date; "June Smith" is a person)."""
    return all(dates.parse_due(w).needs_year for w in ws if w[:1].isupper())


def _is_not_ref(token: str) -> bool:
    pats = refs._compiled()["not_refs"]
    return any(p.fullmatch(token.strip(".):")) for p in pats)


def _status_lead(t: str) -> str:
    """The status word a longer cell opens with, up to its first sentence break."""
    first = re.split(r"[.;:!?\n(]|\s[-\u2013\u2014]\s", t, maxsplit=1)[0]
    if 0 < len(words(first)) <= 5:
        return status.status_from_text(first) or ""
    return ""


def _action_score(t: str, ws: list[str], vocab: Vocabulary) -> float:
    """How much a text reads as something to do: a verb first ("Develop ...", "To continue ..."), someone
    "to" / "will" do something ("DCLG to review", "The UK government will publish"), or a full sentence."""
    if len(ws) < 2:
        return 0.0
    lex = lexicon()
    score = 0.0
    first = ws[0].casefold()
    if first == "to" and len(ws) > 2 and lex.is_verb(ws[1]):
        score = 0.9
    elif lex.is_verb(ws[0]) and not ws[0].isupper():
        # "Develop benefits case" (verb only) reads as an action; "Review ..." or "Draft ..." (also nouns)
        # a little less; a title-cased noun phrase ("Spend Data") less still
        score = 0.85 if not lex.is_noun(ws[0]) else 0.65
    cue = vocab.action_cue.search(t[:200])
    if cue and lex.is_verb(cue.group("verb")):
        score = max(score, 0.8)
    if len(ws) >= 4 and score < 0.6 and _participle(ws[1:], lex):
        score = max(score, 0.6)  # an outcome to deliver: "Regional board established", "Pathway agreed"
    if len(ws) >= 8:
        score = max(score, 0.55)  # a sentence: a description of something to deliver, or prose
    if len(ws) < 3:
        score *= 0.7
    if _title_case(ws) and len(ws) <= 4:
        score *= 0.6
    return round(min(score, 1.0), 3)


def _participle(ws: list[str], lex) -> bool:
    """A past participle of a verb in the statement ("established", "agreed", "commenced")."""
    return any(w.endswith("ed") and len(w) > 4 and lex.is_verb(w) and lex.lemma(w) != w.casefold() for w in ws)


def _title_case(ws: list[str]) -> bool:
    return all(w[:1].isupper() for w in ws if len(w) > 3)


def _owner_score(t: str, ws: list[str], vocab: Vocabulary) -> float:
    """How much a short text reads as who does something: initials and abbreviations ("KK/HS", "CFO"), a
    post ("Director of Finance"), a team or body ("HM Treasury", "Transparency Team"), a person's name."""
    if not ws or len(t) > 90 or len(ws) > 6:
        return 0.0
    if sum(ch.isdigit() for ch in t) >= sum(ch.isalpha() for ch in t):
        return 0.0  # "85.1% 17.3%", "Q3 2019": figures or dates, nobody's name
    lex = lexicon()
    low = [w.casefold() for w in ws]
    if any(w in vocab.role_words or w in vocab.org_words for w in low):
        return 0.9
    tokens = re.split(r"[\s/,&;+]+|\band\b", t)
    tokens = [x for x in tokens if x]
    if tokens and all(_INITIALS.match(x) and sum(ch.isupper() for ch in x) >= 2 for x in tokens):
        return 0.9  # KK, JTe, HS/BB, DfE
    if len(ws) <= 4 and _title_case(ws) and not lex.is_verb(ws[0]):
        return 0.6  # a name ("Karen Sanderson", "Antonio")
    if len(ws) <= 4 and _title_case(ws):
        return 0.4
    return 0.0


def heading_lead(text: str) -> tuple[str, str]:
    """(heading without the lead, the lead) when a group heading names a lead ("National Address Dataset –
    Lead HS/BB" -> ("National Address Dataset", "HS/BB")); (text, "") otherwise."""
    for pattern in vocabulary().group_lead:
        m = pattern.search(text)
        if m:
            head = text[:m.start("lead")]
            head = re.sub(r"[\s\-\u2013\u2014,(:]+(?:lead(?:s|\s+officer|\s+by)?)?\s*[:\-\u2013\u2014]?\s*$", "", head,
                          flags=re.I)
            return head.strip() or text, m.group("lead").strip(" )")
    return text, ""


def numbered_heading(text: str) -> tuple[str, str]:
    """(ref, title) of a heading that numbers a goal ("Priority 3: Better care" -> ("3", "Better care"))."""
    for pattern in vocabulary().numbered_heading:
        m = pattern.match(text or "")
        if m and not refs.counts_something(m.group("ref"), m.group("title")):
            return m.group("ref"), m.group("title").strip()
    return "", ""


def non_plan_kind(texts: list[str]) -> str:
    """The kind of non-plan table a set of header (or first-column) labels names, when most of them are such
    words ("Version | Date | Author | Changes" -> version_history); "" otherwise."""
    labels = [squash(t).casefold().strip(" :*") for t in texts if squash(t)]
    if not labels:
        return ""
    vocab = vocabulary()
    best, best_hits = "", 0
    for kind, wordset in vocab.non_plan.items():
        hits = sum(1 for lab in labels if lab in wordset or _starts_with_any(lab, wordset))
        if hits > best_hits:
            best, best_hits = kind, hits
    if best_hits >= max(1, (len(labels) + 1) // 2):
        return best
    return decisive_kind(labels)


def decisive_kind(texts: list[str]) -> str:
    """The non-plan kind one header label alone names ("Incident", "Action taken"), else ""."""
    vocab = vocabulary()
    labels = [squash(t).casefold().strip(" :*") for t in texts if squash(t)]
    decisive = next((lab for lab in labels if lab in vocab.decisive), "")
    if decisive:
        return next((k for k, ws in vocab.non_plan.items() if decisive in ws), "log")
    return ""


def _starts_with_any(label: str, wordset: frozenset[str]) -> bool:
    return label.startswith(_prefixes(wordset))


@functools.lru_cache(maxsize=64)  # a handful of vocabulary sets, asked of every header label of every table
def _prefixes(wordset: frozenset[str]) -> tuple[str, ...]:
    """'word ' and 'word/' for each word of more than 3 letters: a label that opens with one starts with the word."""
    return tuple(w + sep for w in sorted(wordset) if len(w) > 3 for sep in (" ", "/"))


def plan_context(text: str) -> bool:
    return bool(vocabulary().plan_context.search(text or ""))


def ticked_options(text: str) -> list[str]:
    """The options ticked in a checkbox list ("☐ Already implemented ☒ Already in progress – From ..." ->
    ["Already in progress"]): the words after each ticked glyph, up to the next glyph or line end."""
    vocab = vocabulary()
    glyphs = sorted(vocab.boxes, key=len, reverse=True)
    pattern = "(" + "|".join(re.escape(g) for g in glyphs) + ")"
    parts = re.split(pattern, text or "")
    out = []
    for i in range(1, len(parts) - 1, 2):
        if parts[i] in vocab.ticked:
            option = re.split(r"[\n:(\u2013\u2014]|\s-\s", parts[i + 1].strip(), maxsplit=1)[0].strip()
            if option:
                out.append(squash(option))
    return out
