"""rules/progress.yaml (how a progress narrative is read) with the state words of rules/status.yaml, validated
once per settings and compiled into a spaCy Matcher and word sets on the process's pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from spacy.matcher import Matcher

from extractor.fields import nlp as shared
from extractor.fields import status_vocab
from extractor.model import REAL_STATUSES
from extractor.rules import RulesError
from extractor.settings import Settings, current, validator

_STATE_MAP = {"*": "str"}
SCHEMA = {
    "patterns": {"*": ["any"]},
    "event_verbs": ["str"],
    "occurrence_verbs": ["str"],
    "progressive_auxiliaries": ["str"],
    "ongoing_adverbs": ["str"],
    "ing_followers": ["str"],
    "perfect_auxiliaries": ["str"],
    "passive_auxiliaries": ["str"],
    "skip_adverbs": ["str"],
    "participle_openers": ["str"],
    "reporting_verbs": ["str"],
    "not_verbs": ["str"],
    "future_cues": ["str"],
    "future": _STATE_MAP,
    "future_event": "str",
    "infinitive_future": ["str"],
    "negations": ["str"],
    "negation_window": "int",
    "negated": _STATE_MAP,
    "nothing_negations": ["str"],
    "nothing_negated": _STATE_MAP,
    "deadline_cues": ["str"],
    "target_cues": ["str"],
    "history_cues": ["str"],
    "update_cues": ["str"],
    "condition_cues": ["str"],
    "clause_breaks": ["str"],
    "label_extra_words": "int",
    "plan_words": ["str"],
    "event_nouns": ["str"],
    "continuation_words": ["str"],
    "revision_phrases": ["str"],
    "blocker_phrases": ["str"],
    "checkbox_ticked": ["str"],
    "checkbox_empty": ["str"],
    "typo_min_length": "int",
}
WHERE = "rules/progress.yaml"


def _check(r: dict) -> None:
    for key in ("future", "negated", "nothing_negated"):
        for name, value in r[key].items():
            if name not in REAL_STATUSES:
                raise RulesError(f"{WHERE}.{key}.{name}: not a status ({', '.join(REAL_STATUSES)})")
            if value and value not in REAL_STATUSES:
                raise RulesError(f"{WHERE}.{key}.{name}: {value!r} is not a status ({', '.join(REAL_STATUSES)})")
    for key in ("patterns",):
        for name in r[key]:
            if name not in REAL_STATUSES:
                raise RulesError(f"{WHERE}.{key}.{name}: not a status ({', '.join(REAL_STATUSES)})")
    if r["future_event"] not in REAL_STATUSES:
        raise RulesError(f"{WHERE}.future_event: {r['future_event']!r} is not a status")
    for name, patterns in r["patterns"].items():
        for j, pattern in enumerate(patterns):
            if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
                raise RulesError(f"{WHERE}.patterns.{name}[{j}]: expected a list of token attribute mappings")


def progress_rules(settings: Optional[Settings] = None) -> dict:
    return (settings or current()).rules("progress", SCHEMA, _check)


# --------------------------------------------------------------------------- compiled rules

@dataclass
class Rules:
    nlp: object
    matcher: Matcher
    weak: frozenset[str]
    whole_cell: dict[str, str]  # words that state a status only as a whole cell or its opening segment
    events: frozenset[str]
    occurrences: frozenset[str]
    multiword: dict[str, list[tuple[str, ...]]]  # first lemma -> particle sequences (lemma + particles)
    verbs: frozenset[str]
    cues: dict[str, list[tuple[str, ...]]]  # cue family -> token sequences
    words: dict[str, frozenset[str]]  # single-word families
    maps: dict[str, dict[str, str]]
    r: dict
    cache: dict = field(default_factory=dict)


def _tokens(nlp, phrase: str) -> tuple[str, ...]:
    return tuple(t.lower_ for t in nlp.make_doc(phrase.replace("\u2019", "'")) if not t.is_punct or t.lower_ == "'s")


def _phrase_pattern(toks: tuple[str, ...]) -> list[dict]:
    pattern: list[dict] = []
    for i, tok in enumerate(toks):
        if i:
            pattern.append({"IS_PUNCT": True, "OP": "*"})
        pattern.append({"LOWER": tok})
    return pattern


def compiled() -> Rules:
    """The rules compiled on the settings' spaCy pipeline (loaded on first use)."""
    return current().compiled(_compile)


@validator
def _validate(settings: Settings) -> None:
    """Settings.load() checks the rules on the blank pipeline, so that a bad rules file is reported as such
    (and a spaCy model that cannot load is reported by whoever loads it, not here)."""
    _build(settings, shared.pipeline(""))


def _compile(settings: Settings) -> Rules:
    return _build(settings, shared.pipeline(settings.spacy_model))


def _build(settings: Settings, nlp) -> Rules:
    r = progress_rules(settings)
    vocab = settings.rules("status", status_vocab.SCHEMA, status_vocab.check)
    matcher = Matcher(nlp.vocab)
    for status in REAL_STATUSES:
        phrases = {_tokens(nlp, p) for p in vocab["statuses"][status]} - {()}
        matcher.add(f"STATE_{status}", [_phrase_pattern(t) for t in sorted(phrases)])
    for status, words in vocab["negated_phrases"].items():
        matcher.add(f"NEGATED_{status}", [_phrase_pattern(_tokens(nlp, w)) for w in words])
    for status, patterns in r["patterns"].items():
        try:
            matcher.add(f"STATE_{status}", patterns)
        except Exception as exc:  # spaCy says which token attribute is wrong
            raise RulesError(f"{WHERE}.patterns.{status}: {exc}") from None
    matcher.add("BLOCKER", [_phrase_pattern(_tokens(nlp, p)) for p in r["blocker_phrases"]])
    matcher.add("REVISION", [_phrase_pattern(_tokens(nlp, p)) for p in r["revision_phrases"]])
    multiword: dict[str, list[tuple[str, ...]]] = {}
    for verb in r["event_verbs"] + r["occurrence_verbs"]:
        parts = tuple(verb.lower().split())
        if len(parts) > 1:
            multiword.setdefault(parts[0], []).append(parts)
    cue_keys = ("future_cues", "infinitive_future", "negations", "nothing_negations", "deadline_cues", "target_cues",
                "history_cues", "update_cues", "continuation_words", "condition_cues")
    word_keys = ("progressive_auxiliaries", "ongoing_adverbs", "ing_followers", "perfect_auxiliaries",
                 "passive_auxiliaries", "skip_adverbs", "reporting_verbs", "clause_breaks", "plan_words",
                 "event_nouns", "participle_openers", "not_verbs")
    return Rules(
        nlp=nlp, matcher=matcher,
        weak=frozenset(status_vocab.norm_phrase(w) for w in vocab["weak"]),
        whole_cell={status_vocab.norm_phrase(w): s for s, ws in vocab["whole_cell"].items() for w in ws},
        events=frozenset(v.lower() for v in r["event_verbs"]),
        occurrences=frozenset(v.lower() for v in r["occurrence_verbs"]),
        multiword=multiword,
        verbs=shared.verb_lemmas() | frozenset(v.lower() for v in r["event_verbs"] + r["occurrence_verbs"]),
        cues={k: sorted({_tokens(nlp, c) for c in r[k]} - {()}, key=len, reverse=True) for k in cue_keys},
        words={k: frozenset(w.lower() for w in r[k]) for k in word_keys},
        maps={k: r[k] for k in ("future", "negated", "nothing_negated")},
        r=r,
    )
