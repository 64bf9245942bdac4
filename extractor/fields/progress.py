"""The current state of an action from its progress / update / notes text, read with spaCy rules.

The text goes through the process's one spaCy pipeline (extractor/fields/nlp.py: blank English, sentencizer,
lookup lemmas). Evidence is collected clause by clause:
  - state phrases (rules/status.yaml statuses, rules/progress.yaml patterns), longest match first;
  - event verbs by their tense: "has been published" / "guidance issued" done, "is being developed" /
    "are taking place" ongoing, "will be published" / "plan to launch" not started;
  - obstacles ("unable to provide") delayed; dated events judged against the document's own date.
Each piece of evidence is then modified by its clause: negation ("not yet complete"), futurity ("due to
complete"), history ("originally postponed"), update ("now complete"), a missed deadline ("not delivered in
time"). The decision (`decide`) lets an opening label ("In progress – ...") stand unless an update overrides
it; otherwise an update wins, else the latest state named in words, else the latest event by its tense
(history only when nothing else is said), else weak evidence ("ongoing", plans). Every word list is in
rules/progress.yaml and rules/status.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from extractor.fields import dates, status_vocab
from extractor.fields import nlp as shared
from extractor.fields.progress_rules import Rules, compiled, progress_rules  # noqa: F401  (progress_rules re-exported)
from extractor.model import REAL_STATUSES

STRONG, EVENT, WEAK = 3, 2, 1  # evidence tiers: a state phrase, a verb's tense / date / obstacle, a plan or weak word
_CUE_REACH = 3  # history and update cues reach this many words back

# --------------------------------------------------------------------------- evidence

@dataclass
class Evidence:
    status: str
    tier: int
    start: int  # token span in the doc
    end: int
    text: str
    clause: int
    kind: str = "phrase"  # phrase | event | date | blocker | revision | label
    anchor: int = -1  # the token negation and future cues are read before (the verb of an event); -1: start
    update: bool = False
    history: bool = False
    future: bool = False
    happening: bool = False  # an occurrence verb ("met", "held"): negated, nothing has happened yet


@dataclass(frozen=True)
class Verdict:
    """A status read from words, with the words that decided it."""
    status: str
    evidence: str
    named: bool = True  # a state named in words ("Complete", "on hold"); False: read from a narrative's tense,
    # a dated event or an obstacle ("has been published", "workshop on 3 May 2019", "unable to provide")


def _clauses(doc: Doc, rules: Rules) -> list[int]:
    """Clause number of every token: a new clause at each sentence, at ; : , ( ) and spaced dashes, and at
    a clause-break word."""
    out: list[int] = []
    n = 0
    for i, t in enumerate(doc):
        prev_space = i > 0 and bool(doc[i - 1].whitespace_)
        cut = (t.is_sent_start and i > 0) or t.text in (";", ":", ",", "(", ")", "!", "?", "/", "\u2013", "\u2014") \
            or (t.text == "-" and prev_space and t.whitespace_) or t.lower_ in rules.words["clause_breaks"]
        if cut and i > 0:
            n += 1
        out.append(n)
    return out


def _clause_numbers(doc: Doc, rules: Rules) -> list[int]:
    """_clauses of a parsed text, worked out once per Doc (a Doc is reused for a repeated text)."""
    memo = rules.cache.setdefault("clauses", {})
    key = id(doc)
    if key not in memo or memo[key][0] is not doc:
        if len(memo) > 2_000:
            memo.clear()
        memo[key] = (doc, _clauses(doc, rules))
    return memo[key][1]


def _before(doc: Doc, clause_of: list[int], start: int, rules: Rules, reach: int) -> list[str]:
    """Up to `reach` words before token `start` in its clause (punctuation left out), in order."""
    words: list[str] = []
    i = start - 1
    while i >= 0 and clause_of[i] == clause_of[start] and len(words) < reach:
        if not doc[i].is_punct or doc[i].lower_ == "'s":
            words.insert(0, doc[i].lower_)
        i -= 1
    return words


def _window(before: list[str], size: int, skip: frozenset[str]) -> list[str]:
    """The last `size` words before a cue target, not counting adverbs ("yet to be FULLY embedded")."""
    out: list[str] = []
    counted = 0
    for w in reversed(before):
        if counted >= size:
            break
        out.insert(0, w)
        counted += w not in skip or w in ("not", "n't", "never")
    return out


def _has_cue(words: list[str], cues: list[tuple[str, ...]]) -> bool:
    n = len(words)
    return any(words[k:k + len(c)] == list(c) for c in cues for k in range(n - len(c) + 1))


def _ends_with_cue(words: list[str], cues: list[tuple[str, ...]], skip: frozenset[str]) -> bool:
    """The words end with a cue, maybe followed by skippable adverbs ("will now be", "due to be fully")."""
    tail = list(words)
    while True:
        if any(len(c) <= len(tail) and tuple(tail[-len(c):]) == c for c in cues):
            return True
        if tail and tail[-1] in skip:
            tail.pop()
            continue
        return False


def _sentence_text(doc: Doc, start: int) -> str:
    return doc[start].sent.text.lower()


def _modify(ev: Evidence, doc: Doc, clause_of: list[int], rules: Rules) -> Optional[Evidence]:
    """Negation, futurity, history and update cues of the evidence's clause; None when nothing is left."""
    r = rules.r
    at = ev.anchor if ev.anchor >= 0 else ev.start
    before = _before(doc, clause_of, at, rules, 12)
    if _has_cue(before, rules.cues["condition_cues"]):
        return None  # "once funding is agreed", "when complete": a condition, not a state
    window = _window(before, r["negation_window"], rules.words["skip_adverbs"])
    sentence = _sentence_text(doc, at)
    deadline = any(" ".join(c) in sentence for c in rules.cues["deadline_cues"])
    status = ev.status
    negated = ""
    if _has_cue(window, rules.cues["negations"]):
        # "has not yet met": a happening that has not happened is not started, not under way
        negated = rules.maps["nothing_negated" if ev.happening else "negated"].get(status, "")
    elif _has_cue(window, rules.cues["nothing_negations"]):
        negated = rules.maps["nothing_negated"].get(status, "")
    if negated or _has_cue(window, rules.cues["negations"] + rules.cues["nothing_negations"]):
        if status == "completed" and deadline:
            negated = "delayed"  # "not completed by the deadline": missed
        if not negated:
            return None
        ev.status = negated
        if ev.kind == "phrase":
            ev.text = " ".join(window + [ev.text])
        return _flags(ev, before, rules)
    planned = rules.cues["future_cues"] + (rules.cues["infinitive_future"] if ev.kind == "phrase" else [])
    if _ends_with_cue(before, planned, rules.words["skip_adverbs"]):
        future = rules.maps["future"].get(status, "")
        if not future:
            return None
        ev.status, ev.tier, ev.future = future, WEAK, True
    return _flags(ev, before, rules)


def _flags(ev: Evidence, before: list[str], rules: Rules) -> Evidence:
    near = before[-_CUE_REACH:]
    ev.update = _has_cue(near, rules.cues["update_cues"])
    ev.history = not ev.update and _has_cue(near, rules.cues["history_cues"])
    return ev


def _phrase_evidence(doc: Doc, clause_of: list[int], rules: Rules) -> tuple[list[Evidence], set[int]]:
    vocab = doc.vocab.strings
    spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in rules.matcher(doc)])
    found: list[Evidence] = []
    used: set[int] = set()
    for span in spans:
        label = vocab[span.label]
        used.update(range(span.start, span.end))
        if label in ("BLOCKER", "REVISION"):
            ev = Evidence("delayed", EVENT, span.start, span.end, span.text, clause_of[span.start],
                          kind=label.lower())
        elif label.startswith("NEGATED_"):
            status = rules.maps["negated"].get(label[len("NEGATED_"):], "")
            if not status:
                continue
            ev = Evidence(status, STRONG, span.start, span.end, span.text, clause_of[span.start])
            found.append(_flags(ev, _before(doc, clause_of, span.start, rules, _CUE_REACH), rules))
            continue
        else:
            status = label[len("STATE_"):]
            tier = WEAK if status_vocab.norm_phrase(span.text) in rules.weak else STRONG
            ev = Evidence(status, tier, span.start, span.end, span.text, clause_of[span.start])
        kept = _modify(ev, doc, clause_of, rules)
        if kept is not None:
            found.append(kept)
    return found, used


def _verb_at(doc: Doc, i: int, rules: Rules) -> tuple[str, int]:
    """(lemma, end) of the event or occurrence verb starting at token i ("carried out" -> "carry out"),
    ("", i) when there is none."""
    t = doc[i]
    lemma = _lemma(t)
    for parts in rules.multiword.get(lemma, []):
        rest = [w.lower_ for w in doc[i + 1: i + len(parts)]]
        if rest == list(parts[1:]) or [_lemma(doc[i + 1 + k]) for k in range(len(rest))] == list(parts[1:]):
            return " ".join(parts), i + len(parts)
    if lemma in rules.events or lemma in rules.occurrences:
        return lemma, i + 1
    return "", i


def _aux_chain(doc: Doc, clause_of: list[int], i: int, rules: Rules) -> list[str]:
    """The words before token i in its clause, as far back as auxiliaries and adverbs go (nearest last)."""
    chain: list[str] = []
    k = i - 1
    aux = rules.words["perfect_auxiliaries"] | rules.words["passive_auxiliaries"] | \
        rules.words["progressive_auxiliaries"] | rules.words["skip_adverbs"] | rules.words["ongoing_adverbs"]
    while k >= 0 and clause_of[k] == clause_of[i] and doc[k].lower_ in aux:
        chain.insert(0, doc[k].lower_)
        k -= 1
    return chain


def _adjectival(doc: Doc, i: int, end: int, rules: Rules) -> bool:
    """"current or refreshed data", "the revised framework": a participle between an opener and a noun."""
    if i == 0 or doc[i - 1].lower_ not in rules.words["participle_openers"] or end >= len(doc):
        return False
    nxt = doc[end]
    return nxt.is_alpha and nxt.lower_ not in rules.words["ing_followers"] and nxt.lower_ not in \
        rules.words["skip_adverbs"] and nxt.lower_ not in ("by", "and", "or", "from", "as", "but")


def _lemma(t: Token) -> str:
    """The token's lemma in lower case; looked up when the pipeline has no lemmatizer (a user's model)."""
    if t.lemma_:
        return t.lemma_.lower()
    table = shared.lookup_table("lemma_lookup")
    return table.get(t.lower_, t.lower_) if table else t.lower_


def _form(t: Token) -> str:
    """"ing", "base", "present" (third person "publishes", or a plural noun "maps") or "past"."""
    low, lemma = t.lower_, _lemma(t)
    if low.endswith("ing") and low != lemma:
        return "ing"
    if low == lemma:
        return "base"
    return "present" if low.endswith("s") and not lemma.endswith("s") else "past"


def _in_action(doc: Doc, clause_of: list[int], i: int, action: str, rules: Rules) -> bool:
    """A noun of the verb's clause is in the action's own text ("Workshops took place" for "Hold workshops")."""
    if not action:
        return False
    action_lemmas = _lemmas(action, rules)
    return any(_lemma(t) in action_lemmas for t in doc if clause_of[t.i] == clause_of[i] and t.i != i
               and t.is_alpha and len(t) > 3)


def _event_evidence(doc: Doc, clause_of: list[int], used: set[int], rules: Rules,
                    action: str) -> list[Evidence]:
    found: list[Evidence] = []
    for t in doc:
        i = t.i
        if i in used or not t.is_alpha or t.lower_ in rules.words["not_verbs"]:
            continue
        lemma, end = _verb_at(doc, i, rules)
        generic = not lemma and _lemma(t) in rules.verbs and _lemma(t) not in ("be", "have", "do")
        if not lemma and not generic:
            continue
        if _lemma(t) in rules.words["reporting_verbs"]:
            continue
        ev = _tense(doc, clause_of, i, end if lemma else i + 1, lemma, rules, action)
        if ev is None:
            continue
        kept = _modify(ev, doc, clause_of, rules) if not ev.future else _flags(
            ev, _before(doc, clause_of, i, rules, _CUE_REACH), rules)
        if kept is not None:
            found.append(kept)
            used.update(range(i, end if lemma else i + 1))
    return found


def _tense(doc: Doc, clause_of: list[int], i: int, end: int, lemma: str, rules: Rules,
           action: str) -> Optional[Evidence]:
    """What the verb at i says by its form and auxiliaries; `lemma` is "" for a verb outside the event lists
    (then only its progressive and future forms count)."""
    t = doc[i]
    form = _form(t)
    chain = _aux_chain(doc, clause_of, i, rules)
    before = _before(doc, clause_of, i, rules, 8)
    text = " ".join(chain + [doc[i:end].text])
    skip = rules.words["skip_adverbs"]
    is_future = _ends_with_cue(before, rules.cues["future_cues"], skip | {"be", "been"})
    to_future = bool(lemma) and _ends_with_cue(before, rules.cues["infinitive_future"], skip | {"be"})

    def ev(status: str, tier: int, future: bool = False) -> Evidence:
        return Evidence(status, tier, i - len(chain), end, text, clause_of[i], kind="event", future=future,
                        anchor=i)

    if form == "ing":
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        if nxt == "to" and t.lower_ in {c[-2] for c in rules.cues["future_cues"] if len(c) > 1}:
            return None  # "planning to", "going to": a future cue, not an activity
        ongoing = rules.words["progressive_auxiliaries"] | rules.words["ongoing_adverbs"]
        words_before = sum(1 for k in range(i) if clause_of[k] == clause_of[i] and not doc[k].is_punct)
        # "is developing", "currently recruiting"; telegraphic "Working with partners", "Pilot running on ..."
        if any(w in ongoing for w in chain) or (words_before <= 1 and nxt in rules.words["ing_followers"]):
            return ev("in_progress", EVENT)
        return None
    if form == "past" and chain and chain[-1] == "being":
        return ev("in_progress", EVENT)  # "being developed"
    if is_future or to_future or form in ("base", "present"):
        if (is_future or to_future) and form != "present":
            return ev(rules.r["future_event"], WEAK, future=True)
        return None
    if not lemma:
        return None  # a past form of a verb outside the event lists: no state
    if not chain and _adjectival(doc, i, end, rules):
        return None
    perfect = any(w in rules.words["perfect_auxiliaries"] for w in chain)
    if lemma in rules.occurrences and not perfect and not _in_action(doc, clause_of, i, action, rules):
        return None  # "Meeting held with partners": activity, not the action done
    done = ev("completed", EVENT)
    done.happening = lemma in rules.occurrences
    return done


# --------------------------------------------------------------------------- dated events

def _dated_evidence(doc: Doc, found: list[Evidence], rules: Rules, doc_date: Optional[date]) -> list[Evidence]:
    """A sentence that schedules an event ("workshop booked for 2 May 2018") or names one with a date
    ("Board development session on 14 March 2019") and says nothing else: done when the date is before the
    document's own date, not started otherwise."""
    if doc_date is None:
        return []
    out: list[Evidence] = []
    for sent in doc.sents:
        plan = any(t.lower_ in rules.words["plan_words"] for t in sent)
        event = any(_lemma(t) in rules.words["event_nouns"] or t.lower_ in rules.words["event_nouns"]
                    for t in sent)
        if not (plan or event):
            continue
        here = [e for e in found if sent.start <= e.start < sent.end]
        if any(not e.future and status_vocab.norm_phrase(e.text) not in rules.weak for e in here):
            continue  # the sentence states its own tense
        due = dates.parse_due(sent.text, doc_date=doc_date.isoformat()).due_date
        if not due:
            continue
        status = "completed" if date.fromisoformat(due) < doc_date else "not_started"
        for e in here:
            found.remove(e)
        out.append(Evidence(status, EVENT, sent.start, sent.end, sent.text.strip(" ."), 0, kind="date"))
    return out


# --------------------------------------------------------------------------- reading a text

def _doc(text: str, rules: Rules) -> Doc:
    """The parsed text, kept for the texts a document repeats ("Completed", "On track") beside many actions."""
    docs = rules.cache.setdefault("docs", {})
    if text not in docs:
        if len(docs) > 2_000:
            docs.clear()
        docs[text] = rules.nlp(text.replace("\u2019", "'").replace("\u2018", "'"))
    return docs[text]


def _lemmas(text: str, rules: Rules) -> frozenset[str]:
    """The lemmas of an action's own text (only read when a happening needs it)."""
    if not text:
        return frozenset()
    return frozenset(_lemma(t) for t in _doc(text, rules) if t.is_alpha and len(t) > 3)


def evidence(text: str, doc_date: Optional[str] = None, action: str = "",
             words_only: bool = False) -> tuple[Doc, list[Evidence]]:
    """Every piece of evidence in `text`, in reading order, with the parsed Doc. `words_only`: only the
    states the text names in words (no tense of event verbs, no obstacles, no dated events)."""
    rules = compiled()
    doc = _doc(text, rules)
    clause_of = _clause_numbers(doc, rules)
    found, used = _phrase_evidence(doc, clause_of, rules)
    if words_only:
        return doc, [e for e in found if e.kind not in ("blocker", "revision")]
    found += _event_evidence(doc, clause_of, used, rules, action or "")
    found += _dated_evidence(doc, found, rules, _iso(doc_date))
    _planned_by_target(doc, found, rules, _iso(doc_date))
    found.sort(key=lambda e: e.start)
    return doc, found


# --------------------------------------------------------------------------- targets

TARGET_WORDS = 6  # a target's date is read from at most this many words after its cue


def _target_at(doc: Doc, i: int, rules: Rules, doc_date: Optional[date]) -> tuple[str, Optional[str]]:
    """(the words, the due date) of a target cue and its date starting at token i ("by March 2014")."""
    for cue in rules.cues["target_cues"]:
        if tuple(t.lower_ for t in doc[i:i + len(cue)]) != cue:
            continue
        end = i + len(cue)
        while end < min(len(doc), i + len(cue) + TARGET_WORDS) and not doc[end].is_punct or \
                end < len(doc) and doc[end].text in ("/", "-"):
            end += 1
        words = doc[i:end].text
        due = dates.parse_due(doc[i + len(cue):end].text, doc_date=doc_date.isoformat() if doc_date else None)
        if due.due_date:
            return words, due.due_date
    return "", None


def _planned_by_target(doc: Doc, found: list[Evidence], rules: Rules, doc_date: Optional[date]) -> None:
    """A state followed by a target date after the document's own date is planned, not reached ("In place by
    March 2014" in a strategy of September 2013): read as under a future cue."""
    if doc_date is None:
        return
    for e in list(found):
        if e.kind != "phrase" or e.future or e.status not in ("completed", "in_progress"):
            continue
        _, due = _target_at(doc, e.end, rules, doc_date)
        if due is None or date.fromisoformat(due) <= doc_date:
            continue
        future = rules.maps["future"].get(e.status, "")
        if future:
            e.status, e.tier, e.future = future, WEAK, True
        else:
            found.remove(e)


def stated_target(text: str, doc_date: Optional[str] = None) -> str:
    """The first target a progress note states, cue and date ("by March 2014"); '' when it states none."""
    if not text:
        return ""
    rules = compiled()
    doc = _doc(text, rules)
    for i in range(len(doc)):
        words, due = _target_at(doc, i, rules, _iso(doc_date))
        if due:
            return words
    return ""


def _iso(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _label(doc: Doc, found: list[Evidence], rules: Rules) -> Optional[Evidence]:
    """Evidence that makes up the whole opening segment of the text ("In progress. ...", "Met – ...")."""
    words = [t for t in doc if not t.is_punct]
    if not words:
        return None
    first = _clause_numbers(doc, rules)
    opening = [t for t in words if first[t.i] == first[words[0].i]]
    seg = status_vocab.norm_phrase(" ".join(t.text for t in opening))
    bracketed = opening[0].i > 0 and doc[opening[0].i - 1].text in "([{"  # "(New) Extend ...": a marker
    after = opening[-1].i + 1
    alternative = after < len(doc) and doc[after].text == "/"  # "New / revision / consultation": a list
    if seg in rules.whole_cell and not bracketed and not alternative:
        return Evidence(rules.whole_cell[seg], STRONG, opening[0].i, opening[-1].i + 1,
                        " ".join(t.text for t in opening),
                        first[opening[0].i], kind="label")
    inside = [e for e in found if opening[0].i <= e.start < opening[-1].i + 1]
    if len(inside) != 1 or inside[0].future:
        return None
    e = inside[0]
    negators = {w for c in rules.cues["negations"] + rules.cues["nothing_negations"] for w in c}
    extra = sum(1 for t in opening if not e.start <= t.i < e.end and t.lower_ not in negators)
    return e if extra <= rules.r["label_extra_words"] else None


def decide(doc: Doc, found: list[Evidence]) -> Optional[Evidence]:
    """The evidence that states the current state; None when the text states none."""
    rules = compiled()
    label = _label(doc, found, rules)
    later = [e for e in found if e.tier >= EVENT and (label is None or e.start >= label.end)]
    updates = [e for e in later if e.update]
    if label is not None:
        return updates[-1] if updates else label
    if updates:
        return updates[-1]
    strong = [e for e in found if e.tier >= EVENT]
    current_ = [e for e in strong if not e.history] or strong
    # a state named in words outranks the tense of a detail ("Delayed ... Update: draft circulated")
    named = [e for e in current_ if e.tier == STRONG]
    if named:
        return named[-1]
    if current_:
        chosen = current_[-1]
        return _continuation(chosen, found, doc, rules) or chosen
    weak = [e for e in found if e.tier == WEAK]
    return weak[-1] if weak else None


def _continuation(chosen: Evidence, found: list[Evidence], doc: Doc, rules: Rules) -> Optional[Evidence]:
    """A done EVENT followed by a plan for more of it ("two sessions held; further sessions planned"): in
    progress."""
    if chosen.status != "completed" or chosen.kind not in ("event", "date"):
        return None
    for e in found:
        if e.start > chosen.start and e.status == "not_started" and e.tier == WEAK:
            sentence = [w.lower_ for w in doc[e.start].sent]
            if _has_cue(sentence, rules.cues["continuation_words"]):
                return Evidence("in_progress", EVENT, chosen.start, e.end, doc[chosen.start:e.end].text,
                                chosen.clause, kind="event")
    return None


def read(text: str, doc_date: Optional[str] = None, action: str = "", words_only: bool = False) -> Optional[Verdict]:
    """The state a progress / status text states, with the words that decided it; None when it states none.
    `words_only`: only states named in words ("Complete", "not yet started"), as a cell that IS a status
    reads; a milestone such as "Contract awarded" then states none."""
    if not text or not isinstance(text, str) or not any(ch.isalpha() for ch in text):
        return None
    rules = compiled()
    key = (text, doc_date or "", action or "", words_only)
    if key in rules.cache:
        return rules.cache[key]
    doc, found = evidence(text, doc_date, action, words_only)
    chosen = decide(doc, found)
    verdict = (Verdict(chosen.status, chosen.text, chosen.kind in ("phrase", "label")) if chosen
               else _typo(text, rules))
    if len(rules.cache) > 20_000:
        rules.cache.clear()
    rules.cache[key] = verdict
    return verdict


def first_meaning(text: str) -> Optional[str]:
    """The status a short label gives FIRST ("Not started/Off track" -> not_started): for RAG keys, grid
    headers and checkbox options, where the opening words carry the meaning."""
    if not text or not isinstance(text, str):
        return None
    _, found = evidence(text)
    found = [e for e in found if not e.future] or found
    return found[0].status if found else None


def _typo(text: str, rules: Rules) -> Optional[Verdict]:
    """A whole cell of one word that lacks or adds one letter of a one-word state phrase ("Compete"); a
    changed letter is another word ("Supersedes"), and a word with a colon is a label."""
    word = text.strip().rstrip(".").lower()
    if " " in word or len(word) < rules.r["typo_min_length"] - 1 or not word.isalpha():
        return None
    vocab = status_vocab.rules()["statuses"]
    for status in REAL_STATUSES:
        for phrase in vocab[status]:
            if " " not in phrase and len(phrase) >= rules.r["typo_min_length"] and _one_edit(word, phrase):
                return Verdict(status, text.strip())
    return None


def _one_edit(a: str, b: str) -> bool:
    """One letter missing or added (not changed)."""
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1:] == short for k in range(len(long_)))
