"""The spaCy pipeline shared by every stage that reads prose (progress text here, objectives in extractor/text/),
loaded ONCE per process whatever asks for it first.

By default: spacy.blank("en") + sentencizer + lookup lemmatizer (spacy-lookups-data) + a component that looks
capitalised words up again in lower case, so nothing has to be downloaded. Set EXTRACTOR_SPACY_MODEL (or
Settings.spacy_model, or pass `model=`) to use an installed pipeline instead, e.g. "en_core_web_sm"; a
sentencizer is added when it has no parser or senter.

Patterns are not here: each stage compiles its own from its rules file against this pipeline's vocab.
"""
from __future__ import annotations

import functools
from typing import Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractor.settings import current


@functools.lru_cache(maxsize=4)
def lookup_table(name: str):
    """A table of spacy-lookups-data's English lookups ("lemma_lookup", "lemma_index"), read with .get(key);
    {} when not installed."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups("en", [name]).get_table(name)
    except Exception:  # spacy-lookups-data missing: callers fall back to their rules' own words
        return {}


@functools.lru_cache(maxsize=1)
def verb_lemmas() -> frozenset[str]:
    """Every English verb lemma spacy-lookups-data knows ("publish", "take_place" as "take place")."""
    return frozenset(w.replace("_", " ") for w in lookup_table("lemma_index").get("verb", []))


@functools.lru_cache(maxsize=1)
def noun_lemmas() -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in lookup_table("lemma_index").get("noun", []))


@functools.lru_cache(maxsize=1)
def adjective_lemmas() -> frozenset[str]:
    return frozenset(w.replace("_", " ") for w in lookup_table("lemma_index").get("adj", []))


@Language.factory("extractor_case_lemmas")
def _case_lemmas(nlp: Language, name: str):
    """The lookup lemmatizer is case-sensitive: "Develops" at the start of a sentence stays "Develops".
    This component looks such tokens up again in lower case."""
    from spacy.lookups import load_lookups

    table = load_lookups(nlp.lang, ["lemma_lookup"]).get_table("lemma_lookup")

    def component(doc: Doc) -> Doc:
        for token in doc:
            if token.text != token.lower_ and (not token.lemma_ or token.lemma_ == token.text):
                token.lemma_ = table.get(token.lower_, token.lower_)
        return doc

    return component


def _blank_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("extractor_case_lemmas")
    nlp.initialize()
    return nlp


def _named_pipeline(name: str) -> Language:
    nlp = spacy.load(name)
    if not any(p in nlp.pipe_names for p in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer", first=True)
    return nlp


@functools.lru_cache(maxsize=4)
def _pipeline(model: str) -> Language:
    return _named_pipeline(model) if model else _blank_pipeline()


def pipeline(model: Optional[str] = None) -> Language:
    """The process's spaCy pipeline: `model`, else the settings' spaCy model ($EXTRACTOR_SPACY_MODEL /
    --spacy-model), else the blank English pipeline. Loaded once per process and model name."""
    name = (model if model is not None else current().spacy_model).strip()
    return _pipeline(name)
