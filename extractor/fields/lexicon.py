"""English word classes from spacy-lookups-data (no model download): a word's lemma and whether that lemma can
be a verb or a noun. Loaded once per process (about a second); the table and text stages share it."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


@dataclass(frozen=True)
class Lexicon:
    lemmas: Any  # lower-case word -> lemma (a spaCy lookups Table, or a dict)
    verbs: frozenset[str]  # lemmas that can be verbs
    nouns: frozenset[str]  # lemmas that can be nouns

    def lemma(self, word: str) -> str:
        w = word.casefold().replace("\u2019", "'")
        return self.lemmas.get(w) or w

    def is_verb(self, word: str) -> bool:
        return self.lemma(word) in self.verbs

    def is_noun(self, word: str) -> bool:
        return self.lemma(word) in self.nouns


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    try:
        from spacy.lookups import load_lookups

        tables = load_lookups("en", ["lemma_lookup", "lemma_index"])
        lookup = tables.get_table("lemma_lookup")
        index = tables.get_table("lemma_index")
        lemmas = lookup
        verbs = frozenset(w.replace("_", " ") for w in index.get("verb", []))
        nouns = frozenset(w.replace("_", " ") for w in index.get("noun", []))
    except Exception:  # spacy-lookups-data missing: no word classes (the callers degrade to shape cues)
        lemmas, verbs, nouns = {}, frozenset(), frozenset()
    return Lexicon(lemmas=lemmas, verbs=verbs, nouns=nouns)


def words(text: str) -> list[str]:
    """The alphabetic words of a text, in order."""
    return _WORD.findall(text or "")
