"""Shortcuts taken for speed answer what the plain definitions answer: the borderless header split gives up early on
words that cannot be cut into known labels, and metadata labels are looked up by their first character."""
from __future__ import annotations

from typing import Optional

from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.model import Word
from extractor.strings import ws
from extractor.tables import borderless
from extractor.tables.header import field_of
from extractor.text import metadata

# header wordings, their pieces, and prose
TOKENS = ["Ref", "Action", "Lead", "Responsible", "officer", "Target", "date", "Due", "Progress", "update", "RAG",
          "Status", "Owner", "Timescale", "Key", "milestones", "the", "council", "will", "review", "by", "March",
          "2021", "Comments", "&", "/", "Date", "of", "next", "Version", "Prepared", "Author", "Title:"]


def _plain_segmentation(words: list[Word]) -> list[list[Word]]:
    """borderless._segment_by_vocabulary without the early give-up (the definition)."""
    n = len(words)
    if n <= 1:
        return [words]
    best: list[tuple[float, list[int]]] = [(0.0, [])] + [(-1e9, [])] * n
    for j in range(1, n + 1):
        for i in range(max(0, j - 6), j):
            _, strength = field_of(" ".join(w.text for w in words[i:j]))
            score = (j - i) * {2: 1.0, 1: 0.6}.get(strength, -1.0)
            if i > 0:
                narrow = words[i].x0 - words[i - 1].x1 <= words[i].size * 0.6
                score -= 0.8 if narrow else 0.3
            if best[i][0] + score > best[j][0]:
                best[j] = (best[i][0] + score, best[i][1] + [i])
    cuts = best[n][1] + [n]
    segments = [words[a:b] for a, b in zip(cuts, cuts[1:])]
    if len(segments) < 2 or any(field_of(" ".join(w.text for w in seg))[0] is None for seg in segments):
        return [words]
    return segments


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.integers(1, 12)), max_size=14))
def test_header_split_gives_up_only_where_the_full_search_would(tokens):
    words, x = [], 0.0
    for text, gap in tokens:
        words.append(Word(text, x, x + 6.0 * len(text), 0.0, 10.0, True, 10.0))
        x += 6.0 * len(text) + gap
    got = borderless._segment_by_vocabulary(words)
    assert [[w.text for w in seg] for seg in got] == [[w.text for w in seg] for seg in _plain_segmentation(words)]


def test_header_split_still_cuts_a_run_of_known_labels():
    texts = ["Responsible", "officer", "Target", "date"]
    words = [Word(t, 10.0 * i, 10.0 * i + 8.0, 0.0, 10.0, True, 10.0) for i, t in enumerate(texts)]
    assert [[w.text for w in seg] for seg in borderless._segment_by_vocabulary(words)] == [
        ["Responsible", "officer"], ["Target", "date"]]


def _plain_match_label(text: str, whole: bool) -> Optional[tuple[str, int, str]]:
    """metadata.match_label as a scan of every label, longest first (the definition)."""
    t = metadata._norm(text)
    if not t:
        return None
    for label, family, rank in metadata.compiled().labels:
        if whole:
            if t == label:
                return family, rank, ""
            continue
        if t.startswith(label):
            tail = ws(text)[len(label):] if ws(text).casefold().startswith(label) else None
            if tail is None:
                continue
            if not tail or tail[0] in ":-\u2013.":
                return family, rank, tail.lstrip(" :-\u2013.").strip()
            if tail[0] == " " and family in ("date", "version", "not_date"):
                return family, rank, tail.strip()
    return None


LABEL_TEXTS = [label for label, _, _ in metadata.compiled().labels]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(LABEL_TEXTS), st.text(max_size=12)),
       st.sampled_from(["", ":", " ", ": 3 March 2021", " 2.1", ".", " of the plan", "s"]),
       st.booleans(), st.booleans())
def test_metadata_labels_found_by_first_character_as_by_a_full_scan(label, tail, upper, whole):
    text = (label.upper() if upper else label.title()) + tail
    assert metadata.match_label(text, whole) == _plain_match_label(text, whole)
    assert metadata.match_label(text, whole) == _plain_match_label(text, whole)  # the memo's answer too
