"""What a candidate statement says, read with spaCy (extractor.text.nlp: sentencizer, lookup lemmas, the Matcher
patterns of rules/objectives.yaml): the evidence for it being an objective and the evidence against.

For: it opens with a verb in its base form ("Refresh the strategy", "To reset ..."), it commits ("we will", "the
UK aims to", "is committed to"), it states a purpose ("to ensure", "so that"). Against: it is a title (short, no
verb, title case, or styled as a heading), a contents line, a decision asked of a meeting ("to note the report",
"that the report be received", "recommended that", "Option 1:"), a report of what was done ("has improved",
"DfE reported that ..."), a question, or a footnote (small type). Only the first sentence counts for a long
paragraph: a numbered paragraph of a report that mentions a plan in its third sentence is still a report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.text import nlp as nlp_mod
from extractor.text.candidates import TERMINAL, Candidate, compiled


@dataclass
class Reading:
    sentences: list[str] = field(default_factory=list)
    verb: str = ""  # the base-form verb it opens with ("Refresh", "To reset" -> "reset")
    verb_or_adjective: bool = False  # that word may be an adjective too ("Open data on ...", "Better access")
    commit: str = ""  # the words that commit ("will", "aims to")
    outcome: str = ""  # the words that state a purpose ("to ensure", "so that")
    report: str = ""  # the words that report what was done ("has improved", "reported that")
    procedural: str = ""  # the words that ask a meeting for a decision ("to note the report")
    question: bool = False
    heading_like: bool = False
    toc: bool = False
    small: bool = False  # footnote type

    @property
    def commits(self) -> bool:
        return bool(self.verb or self.commit or self.outcome)

    @property
    def states(self) -> bool:
        """Reads as a statement beyond doubt: commits, states a purpose, or opens with a word that can only be a
        verb ("Improve the ...", not "Open data on ...")."""
        return bool(self.commit or self.outcome or (self.verb and not self.verb_or_adjective))

    @property
    def against(self) -> str:
        """Why the statement itself cannot be an objective ("" when nothing speaks against it)."""
        if self.toc:
            return "a contents line"
        if self.procedural:
            return f"a decision asked of a meeting ('{self.procedural}')"
        if self.question:
            return "a question"
        if self.small:
            return "a footnote (small type)"
        return ""

    @property
    def narrates(self) -> bool:
        """It reports what happened rather than what will be done."""
        return bool(self.report) and not self.commits

    def for_(self) -> str:
        """The evidence that it reads as an objective, in words ("" when none)."""
        if self.verb:
            return f"opens with the verb '{self.verb}'"
        if self.commit:
            return f"commits: '{self.commit}'"
        if self.outcome:
            return f"states a purpose: '{self.outcome}'"
        return ""


def read(cands: list[Candidate], reader: nlp_mod.Nlp) -> None:
    """Set `reading` on every candidate."""
    rules = compiled()
    for cand, doc in zip(cands, reader.pipe([c.text for c in cands])):
        sents = [s for s in doc.sents if s.text.strip()]
        first = sents[0] if sents else doc[:]
        scope = doc[:] if cand.named else first  # a named statement commits anywhere in its box
        found = _matches(reader, doc)
        r = Reading(sentences=[s.text.strip() for s in sents])
        r.verb = _opening_verb(doc, reader)
        r.verb_or_adjective = bool(r.verb) and reader.is_adjective(r.verb)
        r.commit = _first(found, "COMMIT", scope, subject_first=True)
        r.outcome = _first(found, "OUTCOME", scope)
        r.procedural = _first(found, "PROCEDURAL", first) or _opening(found, "PROCEDURAL_START", doc)
        if len(sents) > 1 or len(first) >= rules.report_min_words:  # short statements may be outcomes
            r.report = _first(found, "REPORT", first) or _past_verb(first, reader)  # ("Staff engaged")
        r.question = first.text.rstrip().endswith("?") or cand.text.rstrip().endswith("?")
        r.small = cand.para.small
        r.toc = cand.in_contents or any(rx.search(cand.para.text) for rx in rules.toc) or _page_number_tail(cand, r)
        r.heading_like = _heading_like(cand, r)
        cand.reading = r


def _matches(reader: nlp_mod.Nlp, doc) -> list[tuple[str, int, int]]:
    vocab = reader.nlp.vocab.strings
    found = [(vocab[m], s, e) for m, s, e in reader.matcher(doc)]
    found += [(vocab[m], s, e) for m, s, e in reader.phrases(doc)]
    return sorted(found, key=lambda f: (f[1], -f[2]))


def _first(found, label: str, span, subject_first: bool = False) -> str:
    """The text of the first match of `label` inside `span`; with `subject_first`, not at the span's very start
    (a modal needs a subject: "Will not affect ..." commits nothing)."""
    for name, start, end in found:
        if name != label or start < span.start or end > span.end:
            continue
        if subject_first and start == _content_start(span):
            continue
        return span.doc[start:end].text
    return ""


def _content_start(span) -> int:
    for token in span:
        if token.is_alpha:
            return token.i
    return span.start


def _opening(found, label: str, doc) -> str:
    """A match of `label` at the start of the statement ("To note the report", "Option 2:")."""
    start = _content_start(doc[:])
    for name, s, e in found:
        if name == label and s <= start + 1 and s >= start - 1:
            return doc[s:e].text
    return ""


def _past_verb(span, reader: nlp_mod.Nlp) -> str:
    """A verb in the past after the subject ("DCMS published statistics ..."): not the first word (an adjective
    there: "Improved access"), not after a determiner or preposition ("the published data")."""
    rules = compiled()
    words = [t for t in span if not t.is_space]
    for i, token in enumerate(words[1:12], start=1):
        text, lemma = token.lower_, token.lemma_.casefold()
        if not token.is_alpha or text == lemma or text.endswith(("s", "ing")) or not reader.is_verb(lemma):
            continue
        if not text.endswith("ed") and text not in rules.irregular_past:
            continue
        before = words[i - 1].lower_
        if before in rules.not_before_past or not words[i - 1].is_alpha:
            continue
        return f"{words[i - 1].text} {token.text}"
    return ""


def _opening_verb(doc, reader: nlp_mod.Nlp) -> str:
    """The verb in its base form the statement opens with ("Review the ...", "Proactively support ...",
    "To reset ...", "Co-design ..."), or "". Verbs that are also nouns read as nouns before "of", "&" ..."""
    rules = compiled()
    words = [t for t in doc if not t.is_space]
    i = 0
    while i < len(words) and (words[i].lower_ in rules.pre_verb or
                              (words[i].lower_.endswith("ly") and words[i].is_alpha and len(words[i]) > 4
                               and not reader.is_verb(words[i].lower_))):
        i += 1
    if i >= len(words) or not words[i].is_alpha:
        return ""
    word, shown = words[i].lower_, words[i].text
    nxt = words[i + 1].lower_ if i + 1 < len(words) else ""
    if nxt == "-" and i + 2 < len(words):  # Co-design, Re-launch
        word, shown = f"{word}-{words[i + 2].lower_}", f"{shown}-{words[i + 2].text}"
        if not reader.is_verb(word):
            word = shown = words[i + 2].lower_
        nxt = words[i + 3].lower_ if i + 3 < len(words) else ""
    if words[i].text.isupper() and len(words[i].text) > 1:  # an acronym: "GP survey"
        return ""
    if not reader.is_verb(word):
        return ""
    if reader.is_noun(word) and (nxt in rules.noun_followers or not nxt):
        return ""
    return shown


def _page_number_tail(cand: Candidate, r: Reading) -> bool:
    """"Introduction 3": a short title followed by a page number."""
    m = re.match(r"^(.*\D)\s+\d{1,3}$", cand.text)
    return bool(m) and title_case(m.group(1)) and not r.verb


def title_case(text: str) -> bool:
    rules = compiled()
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", text)]
    if not words or len(words) > rules.heading_max_words:
        return False
    content = [w for w in words if w.casefold() not in rules.small_words]
    return bool(content) and all(w[0].isupper() for w in content)


def _heading_like(cand: Candidate, r: Reading) -> bool:
    """A title rather than a statement: short, no full stop, title case, and not a commitment. (Bold is no
    evidence: Word documents bold whole list items for emphasis.)"""
    text = cand.text.strip()
    if not text:
        return True
    if cand.para.block.kind == "heading" and not cand.named:
        return True
    if text.endswith(TERMINAL) or len(text.split()) > compiled().heading_max_words:
        return False
    if r.commits:
        return False
    return title_case(text)
