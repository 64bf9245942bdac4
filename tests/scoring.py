"""A small scorer for tests: gold actions vs extracted actions, matched one-to-one by text."""
from __future__ import annotations

import re
import unicodedata

import numpy as np
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment


def norm(text: object) -> str:
    s = unicodedata.normalize("NFKC", str(text or "")).casefold()
    s = re.sub(r"[\(\[]\s*new\b[^\)\]]{0,80}[\)\]]", " ", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def match(gold: list[str], pred: list[str], threshold: float = 85.0) -> list[tuple[int, int]]:
    if not gold or not pred:
        return []
    g, p = [norm(x) for x in gold], [norm(x) for x in pred]
    sim = (np.asarray(process.cdist(g, p, scorer=fuzz.token_set_ratio), dtype=float)
           + np.asarray(process.cdist(g, p, scorer=fuzz.ratio), dtype=float)) / 2
    order = 0.25 * (1 - np.abs(np.arange(len(g))[:, None] / max(len(g) - 1, 1)
                               - np.arange(len(p))[None, :] / max(len(p) - 1, 1)))
    weight = np.where(sim >= threshold, sim + order, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if sim[i, j] >= threshold]


def f1(tp: int, n_pred: int, n_gold: int) -> float:
    if n_pred == 0 and n_gold == 0:
        return 1.0
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def norm_ref(value: object) -> str:
    """Refs as the shared scorer compares them: '6.26.' == '6.26', '(a)' == 'a)', casefolded."""
    s = unicodedata.normalize("NFKC", str(value or "")).casefold()
    return re.sub(r"[\s()]", "", s).rstrip(".:")


def owner_equal(a: object, b: object) -> bool:
    """Owners as the shared scorer compares them: equal after normalisation, or token_set_ratio >= 90."""
    na, nb = norm(a), norm(b)
    return na == nb or bool(na and nb and fuzz.token_set_ratio(na, nb) >= 90)


def squash(value: object) -> str:
    """Whitespace-normalised text, nothing else changed (for checks where punctuation matters)."""
    return " ".join(str(value or "").split())


def field_equal(field: str, gold: dict, action) -> bool:
    """One field of a gold action (a dict) against an extracted Action, compared as the scorer does: refs and
    owners normalised, raw dates and goal / section texts squashed, everything else as it is."""
    if field == "ref":
        return norm_ref(gold["ref"]) == norm_ref(action.ref)
    if field == "owner":
        return owner_equal(gold["owner"], action.owner)
    if field in ("due_raw", "goal", "section"):
        return norm(gold[field]) == norm(getattr(action, field))
    return (gold[field] or "") == (getattr(action, field) or "")
