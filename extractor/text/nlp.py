"""The objectives' patterns on the process's one spaCy pipeline (extractor/fields/nlp.py loads it, once per
process, for every stage), compiled once per settings.

The Matcher / PhraseMatcher patterns, the verb lexicon adjustments and the other wording rules live in
rules/objectives.yaml; `Nlp.labels(doc)` says which pattern families a text matches.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from extractor import rules
from extractor.fields import nlp as shared
from extractor.settings import Settings, current

SCHEMA = {
    "labels": [{"__fixed__": True, "kind": "str", "scheme": "str", "level": "int", "regex": "regex"}],
    "bullets": ["str"],
    "named": ["regex"],
    "named_alone": ["regex"],
    "aim": ["regex"],
    "toc": ["regex"],
    "contents_headings": ["str"],
    "we_will_lists": "bool",
    "lead_in_max_words": "int",
    "pre_verb": ["str"],
    "extra_verbs": ["str"],
    "not_verbs": ["str"],
    "noun_followers": ["str"],
    "title_small_words": ["str"],
    "heading_max_words": "int",
    "run_min_share": "any",
    "run_max_negative_share": "any",
    "strong_run_share": "any",
    "footnote_size_drop": "any",
    "irregular_past": ["str"],
    "not_before_past": ["str"],
    "report_min_words": "int",
    "matcher": {"*": ["any"]},
    "phrases": {"*": ["str"]},
}
KINDS = ("referenced", "numbered", "lettered", "paragraph")


def objective_rules(settings: Optional[Settings] = None) -> dict:
    """rules/objectives.yaml, validated."""
    return (settings or current()).rules("objectives", SCHEMA, _check_objectives)


def _check_objectives(data: dict) -> None:
    for i, spec in enumerate(data["labels"]):
        if spec["kind"] not in KINDS:
            raise rules.RulesError(f"rules/objectives.yaml.labels[{i}].kind: unknown kind {spec['kind']!r} "
                                   f"(known: {', '.join(KINDS)})")
        if "(?P<label>" not in spec["regex"]:
            raise rules.RulesError(f"rules/objectives.yaml.labels[{i}].regex: needs a named group 'label'")
    for key in ("run_min_share", "run_max_negative_share", "strong_run_share"):
        share = data[key]
        if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 1:
            raise rules.RulesError(f"rules/objectives.yaml.{key}: expected a number between 0 and 1")
    drop = data["footnote_size_drop"]
    if not isinstance(drop, (int, float)) or isinstance(drop, bool) or drop <= 0:
        raise rules.RulesError("rules/objectives.yaml.footnote_size_drop: expected a positive number of points")
    for j, rx in enumerate(data["named_alone"]):
        if "(?P<label>" not in rx:
            raise rules.RulesError(f"rules/objectives.yaml.named_alone[{j}]: needs a named group 'label'")
    for label, patterns in data["matcher"].items():
        for j, pattern in enumerate(patterns):
            if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern) or not pattern:
                raise rules.RulesError(f"rules/objectives.yaml.matcher.{label}[{j}]: expected a list of token "
                                       f"attribute mappings")


@dataclass
class Nlp:
    """A loaded pipeline with the project's patterns attached."""
    nlp: Language
    matcher: Matcher
    phrases: PhraseMatcher
    verbs: frozenset[str]
    nouns: frozenset[str]
    adjectives: frozenset[str]
    model: str  # "" for the blank pipeline

    def __call__(self, text: str) -> Doc:
        return self.nlp(text)

    def pipe(self, texts: list[str]):
        return self.nlp.pipe(texts, batch_size=64)

    def labels(self, doc: Doc) -> set[str]:
        """The pattern families (COMMIT, OUTCOME, LEAD_IN, PAST ...) that match somewhere in `doc`."""
        vocab = self.nlp.vocab.strings
        found = {vocab[m_id] for m_id, _, _ in self.matcher(doc)}
        found |= {vocab[m_id] for m_id, _, _ in self.phrases(doc)}
        return found

    def is_verb(self, word: str) -> bool:
        return word.casefold() in self.verbs

    def is_noun(self, word: str) -> bool:
        return word.casefold() in self.nouns

    def is_adjective(self, word: str) -> bool:
        return word.casefold() in self.adjectives


def _lexicon(data: dict) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Verbs, nouns and adjectives from spacy-lookups-data's English lemma index, verbs adjusted by the rules."""
    verbs = set(shared.verb_lemmas()) | {w.casefold() for w in data["extra_verbs"]}
    verbs -= {w.casefold() for w in data["not_verbs"]}
    return frozenset(verbs), shared.noun_lemmas(), shared.adjective_lemmas()


def _build(model: str, settings: Settings) -> Nlp:
    nlp = shared.pipeline(model)
    data = objective_rules(settings)
    matcher = Matcher(nlp.vocab)
    for label, patterns in data["matcher"].items():
        try:
            matcher.add(label, patterns)
        except Exception as exc:  # spaCy says which token attribute is wrong
            raise rules.RulesError(f"rules/objectives.yaml.matcher.{label}: {exc}") from None
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, texts in data["phrases"].items():
        phrases.add(label, [nlp.make_doc(t) for t in texts])
    verbs, nouns, adjectives = _lexicon(data)
    return Nlp(nlp=nlp, matcher=matcher, phrases=phrases, verbs=verbs, nouns=nouns, adjectives=adjectives,
               model=model)


def _loaded(settings: Settings) -> dict[str, Nlp]:
    return {}


def load(model: Optional[str] = None) -> Nlp:
    """The shared pipeline with the patterns of the settings in force: `model`, else the settings' spaCy
    model ($EXTRACTOR_SPACY_MODEL / --spacy-model), else the blank English pipeline."""
    settings = current()
    name = (model if model is not None else settings.spacy_model).strip()
    loaded = settings.compiled(_loaded)
    if name not in loaded:
        loaded[name] = _build(name, settings)
    return loaded[name]
