"""How alike two actions of two versions are: the scores reconcile.py assigns pairs from.

Text similarity (rapidfuzz on normalised text, lifted by a stemmed content-word similarity), the ref model
learnt from confident anchors (section mapping and number offsets), order relative to the anchor backbone,
goal/section context, owner and dates; each a matrix over (old, new) actions; the rules that rule a pair out
(recurring-task ordinals, repeated texts in different places). The weights are settings.versions.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from datetime import date
from typing import Optional

import numpy as np
from rapidfuzz import fuzz, process

from extractor.model import Action
from extractor.settings import current
from extractor.strings import ws
from extractor.versions.vocab import vocabulary

# --------------------------------------------------------------------------- normalisation

_NEW_MARK = re.compile(r"[\(\[\{]\s*new\b[^\)\]\}]{0,80}[\)\]\}]|^\s*new\s*[:\-\u2013\u2014]\s+", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_DIGITS = re.compile(r"\d+")


def _junk(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "PSZ" or cat in ("Cc", "Cf", "Co", "Cn", "Cs")


class _JunkToSpace(dict):
    """str.translate table: punctuation, symbols, separators and control characters -> " ", the rest kept;
    each character is classified once per process."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = out = " " if _junk(ch) else ch
        return out


_JUNK_TO_SPACE = _JunkToSpace()


def norm_text(value: object) -> str:
    """casefold, "(NEW)" markers, punctuation and symbols dropped, whitespace collapsed."""
    if not value:
        return ""
    s = unicodedata.normalize("NFKC", str(value))
    s = _NEW_MARK.sub(" ", s)
    s = _APOSTROPHES.sub("", s)
    s = s.translate(_JUNK_TO_SPACE)
    return ws(s.casefold())


_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u2010": "-", "\u2011": "-"})


def surface_text(value: object) -> str:
    """The wording as printed, for "did the wording change": curly quotes and dashes made plain, whitespace
    collapsed; case and punctuation kept (a board reads "Team" -> "team" as an edit)."""
    return ws(unicodedata.normalize("NFKC", str(value or "")).translate(_PLAIN))


def norm_ref(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).casefold()
    s = re.sub(r"[\s()]", "", s)
    return s.rstrip(".:")


def ref_of(a: Action) -> str:
    return norm_ref(a.ref_norm or a.ref)


_REF_PARTS = re.compile(r"^(.*?)(\d+)([a-z]?)$")


def split_ref(ref: str) -> tuple[str, Optional[int], str]:
    """'6.26' -> ('6.', 26, ''); 'l7' -> ('l', 7, ''); '3a' -> ('', 3, 'a'); 'x' -> ('x', None, '')."""
    m = _REF_PARTS.match(ref)
    if not m:
        return ref, None, ""
    return m.group(1), int(m.group(2)), m.group(3)


def _major(prefix: str) -> Optional[str]:
    m = re.match(r"^(\D*)(\d+)", prefix)
    return m.group(2) if m else None


def _stem(tok: str) -> str:
    if len(tok) > 4:
        for suf in ("ing", "ed", "es", "s"):
            if tok.endswith(suf) and len(tok) - len(suf) >= 3:
                return tok[: -len(suf)]
    return tok


def content_tokens(ntext: str) -> frozenset[str]:
    stop = vocabulary().stop_words
    return frozenset(_stem(t) for t in ntext.split() if t not in stop and len(t) > 1)


def parse_date(value: str) -> Optional[date]:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _ctx(value: str) -> str:
    return _DIGITS.sub(" ", norm_text(value)).strip()


# --------------------------------------------------------------------------- similarity

def _mean_of_scorers(a: list[str], b: list[str], scorers) -> np.ndarray:
    """Mean of rapidfuzz scorers over all pairs; an empty text is similar to nothing."""
    if not a or not b:
        return np.zeros((len(a), len(b)))
    sim = sum(np.asarray(process.cdist(a, b, scorer=s), dtype=float) for s in scorers) / len(scorers)
    sim[np.array([not x for x in a])[:, None] | np.array([not x for x in b])[None, :]] = 0.0
    return sim


def text_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """mean(token_set_ratio, ratio) of already normalised texts."""
    return _mean_of_scorers(a, b, (fuzz.token_set_ratio, fuzz.ratio))


def stemmed_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """Word-order-free similarity of the stemmed content words: mean(token_set_ratio, token_sort_ratio)."""
    sa = [" ".join(sorted(content_tokens(x))) for x in a]
    sb = [" ".join(sorted(content_tokens(x))) for x in b]
    return _mean_of_scorers(sa, sb, (fuzz.token_set_ratio, fuzz.token_sort_ratio))


def match_similarity(a: list[str], b: list[str]) -> np.ndarray:
    """text_similarity, lifted half-way towards the stemmed similarity when that is higher
    ("tracker monitored weekly" ~ "weekly monitoring of the tracker")."""
    t = text_similarity(a, b)
    s = stemmed_similarity(a, b)
    return np.maximum(t, (t + s) / 2.0)


def longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing in both i and j (pairs sorted by i, distinct i and j)."""
    pairs = sorted(pairs)
    tails: list[int] = []  # j values
    tail_idx: list[int] = []
    prev = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_idx.append(k)
        else:
            tails[pos] = j
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(pairs[k])
        k = prev[k]
    return out[::-1]


def find_anchors(T: np.ndarray) -> list[tuple[int, int]]:
    n, m = T.shape
    if n == 0 or m == 0:
        return []
    out = []
    best_j = T.argmax(axis=1)
    best_i = T.argmax(axis=0)
    for i in range(n):
        j = int(best_j[i])
        v = T[i, j]
        if v < current().versions.anchor_text or int(best_i[j]) != i:
            continue
        row = np.delete(T[i], j)
        col = np.delete(T[:, j], i)
        margin = current().versions.anchor_margin
        if (row.size and row.max() > v - margin) or (col.size and col.max() > v - margin):
            continue
        out.append((i, j))
    return out


class RefModel:
    """Old ref -> expected new refs, learned from the anchors."""

    def __init__(self, old_refs: list[str], new_refs: list[str], anchors: list[tuple[int, int]]):
        self.old = [split_ref(r) if r else ("", None, "") for r in old_refs]
        self.new = [split_ref(r) if r else ("", None, "") for r in new_refs]
        self.raw_old, self.raw_new = old_refs, new_refs
        votes: dict[str, Counter] = defaultdict(Counter)
        major_votes: dict[str, Counter] = defaultdict(Counter)
        self.offsets: dict[str, list[tuple[int, int]]] = defaultdict(list)  # old prefix -> [(old num, offset)]
        for i, j in anchors:
            (po, no, _), (pn, nn, _) = self.old[i], self.new[j]
            if not old_refs[i] or not new_refs[j] or no is None or nn is None:
                continue
            votes[po][pn] += 1
            mo, mn = _major(po), _major(pn)
            if mo is not None and mn is not None:
                major_votes[mo][mn] += 1
        self.prefix_map = {p: c.most_common(1)[0][0] for p, c in votes.items()}
        self.major_map = {p: c.most_common(1)[0][0] for p, c in major_votes.items()}
        for i, j in anchors:
            (po, no, _), (pn, nn, _) = self.old[i], self.new[j]
            if no is not None and nn is not None and self.prefix_map.get(po) == pn:
                self.offsets[po].append((no, nn - no))
        for v in self.offsets.values():
            v.sort()

    def mapped_prefix(self, prefix: str) -> str:
        if prefix in self.prefix_map:
            return self.prefix_map[prefix]
        mo = _major(prefix)
        if mo is not None and mo in self.major_map:
            return re.sub(r"\d+", self.major_map[mo], prefix, count=1)
        return prefix

    def expected_numbers(self, prefix: str, num: int) -> set[int]:
        offs = self.offsets.get(prefix)
        if not offs:
            return {num}
        nums = [o[0] for o in offs]
        k = bisect_left(nums, num)
        out = set()
        if k < len(offs):
            out.add(num + offs[k][1])
        if k > 0:
            out.add(num + offs[k - 1][1])
        return out

    def score(self, n: int, m: int) -> np.ndarray:
        R = np.zeros((n, m))
        new_index: dict[str, list[int]] = defaultdict(list)
        new_by_prefix: dict[str, list[int]] = defaultdict(list)
        for j, (pn, nn, _) in enumerate(self.new):
            if self.raw_new[j]:
                new_index[self.raw_new[j]].append(j)
                if nn is not None:
                    new_by_prefix[pn].append(j)
        for i, (po, no, so) in enumerate(self.old):
            if not self.raw_old[i]:
                continue
            if no is None:
                for j in new_index.get(self.raw_old[i], []):
                    R[i, j] = current().versions.w_ref_section + current().versions.w_ref_exact
                continue
            q = self.mapped_prefix(po)
            expected = self.expected_numbers(po, no)
            for j in new_by_prefix.get(q, []):
                R[i, j] = current().versions.w_ref_section
                pn, nn, sn = self.new[j]
                if nn in expected and sn == so:
                    R[i, j] += current().versions.w_ref_exact
        return R


def order_score(n: int, m: int, backbone: list[tuple[int, int]]) -> np.ndarray:
    """High where j sits between the new positions of the anchors around i, highest near the interpolation."""
    O = np.zeros((n, m))
    pts = [(-1, -1)] + sorted(backbone) + [(n, m)]
    anchor_of = dict(backbone)
    js = np.arange(m)
    for i in range(n):
        k = bisect_left(pts, (i, -2))
        lo = pts[k - 1]
        hi = pts[k + 1] if k < len(pts) and pts[k][0] == i else pts[k]
        if i in anchor_of:
            O[i, anchor_of[i]] = current().versions.w_order_gap + current().versions.w_order_near
        ia, ja = lo
        ib, jb = hi
        expect = ja + (i - ia) * (jb - ja) / max(ib - ia, 1)
        span = max(jb - ja, 2)
        in_gap = (js > ja) & (js < jb)
        near = np.clip(1.0 - np.abs(js - expect) / span, 0.0, 1.0)
        row = current().versions.w_order_gap * in_gap + current().versions.w_order_near * near
        O[i] = np.maximum(O[i], row)
    return O


def context_similarity(old: list[Action], new: list[Action]) -> tuple[np.ndarray, np.ndarray]:
    """(similarity 0-1 of goal/section, where both sides have one; mask of the pairs where they do)."""
    n, m = len(old), len(new)
    parts = []
    for attr in ("goal", "section"):
        a = [_ctx(getattr(x, attr)) for x in old]
        b = [_ctx(getattr(x, attr)) for x in new]
        if not any(a) or not any(b):
            continue
        s = np.asarray(process.cdist(a, b, scorer=fuzz.token_set_ratio), dtype=float) / 100.0
        valid = np.array([bool(x) for x in a])[:, None] & np.array([bool(x) for x in b])[None, :]
        parts.append((np.where(valid, s, 0.0), valid.astype(float)))
    if not parts:
        return np.zeros((n, m)), np.zeros((n, m), dtype=bool)
    num = sum(p[0] for p in parts)
    den = sum(p[1] for p in parts)
    return np.divide(num, den, out=np.zeros((n, m)), where=den > 0), den > 0


def context_score(sim: np.ndarray) -> np.ndarray:
    return current().versions.w_context * sim


def context_overlap(old: list[Action], new: list[Action]) -> tuple[np.ndarray, np.ndarray]:
    """(share 0-1 of the shorter goal/section's content words found in the other's; mask where both have one).
    Stricter than context_similarity: "VAT Register" shares one word of three with "Charity Commission
    Register - Lead AM" (0.5), while "DVLA Bulk data" is all inside "DVLA Bulk data - Lead PM" (1.0)."""
    n, m = len(old), len(new)
    best = np.zeros((n, m))
    has = np.zeros((n, m), dtype=bool)
    for attr in ("goal", "section"):
        a = [content_tokens(_ctx(getattr(x, attr))) for x in old]
        b = [content_tokens(_ctx(getattr(x, attr))) for x in new]
        if not any(a) or not any(b):
            continue
        for i, ta in enumerate(a):
            if not ta:
                continue
            for j, tb in enumerate(b):
                if tb:
                    share = len(ta & tb) / min(len(ta), len(tb))
                    best[i, j] = share if not has[i, j] else min(best[i, j], share)
                    has[i, j] = True
    return best, has


def context_conflicts(overlap: np.ndarray, has: np.ndarray, amb: np.ndarray) -> np.ndarray:
    """Repeated texts ("Develop benefits case" under five headings) are told apart by where they sit: such a
    pair whose goal/section differ is two actions, not one."""
    return amb & has & (overlap < current().versions.repeat_context)


def _ordinals(text: str) -> frozenset[str]:
    return frozenset(ws(m.group(0).casefold().replace("-", " "))
                     for m in vocabulary().ordinal.finditer(text))


def ordinal_conflicts(old_texts: list[str], new_texts: list[str]) -> np.ndarray:
    """Pairs whose texts name different ordinals and no common one ("minutes of the eleventh meeting" /
    "... twelfth meeting"): occurrences of a recurring task, never one action reworded."""
    mask = np.zeros((len(old_texts), len(new_texts)), dtype=bool)
    oo = [_ordinals(t) for t in old_texts]
    nn = [(j, _ordinals(t)) for j, t in enumerate(new_texts)]
    nn = [(j, o) for j, o in nn if o]
    for i, a in enumerate(oo):
        if a:
            for j, b in nn:
                mask[i, j] = not (a & b)
    return mask


def field_scores(old: list[Action], new: list[Action]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner bonus, date bonus, date agreement in -1..1 for repeated texts)."""
    n, m = len(old), len(new)
    own = np.zeros((n, m))
    dat = np.zeros((n, m))
    agree = np.zeros((n, m))
    oo = [norm_text(a.owner) for a in old]
    no = [norm_text(a.owner) for a in new]
    od = [parse_date(a.due_date) for a in old]
    nd = [parse_date(a.due_date) for a in new]
    orw = [norm_text(a.due_raw) for a in old]
    nrw = [norm_text(a.due_raw) for a in new]
    for i in range(n):
        for j in range(m):
            if oo[i] and oo[i] == no[j]:
                own[i, j] = current().versions.w_owner
            a, b = od[i], nd[j]
            if a and b:
                days = abs((b - a).days)
                if days == 0:
                    dat[i, j] = current().versions.w_date_equal
                    agree[i, j] = 1.0
                else:
                    if days <= 92:
                        dat[i, j] = current().versions.w_date_near
                    agree[i, j] = -min(1.0, days / 60.0)
            elif orw[i] and orw[i] == nrw[j]:
                dat[i, j] = current().versions.w_date_equal
                agree[i, j] = 1.0
            elif bool(a) != bool(b):
                agree[i, j] = -0.5
    return own, dat, agree


def owners_differ(old: list[Action], new: list[Action]) -> np.ndarray:
    """Both name an owner and the owners differ (after normalising)."""
    oo = np.array([norm_text(a.owner) for a in old], dtype=object)
    no = np.array([norm_text(a.owner) for a in new], dtype=object)
    return (oo[:, None] != "") & (no[None, :] != "") & (oo[:, None] != no[None, :])


def ambiguous_mask(T: np.ndarray) -> np.ndarray:
    """Pairs whose text does not single them out: another candidate in the row or column is as good."""
    n, m = T.shape
    amb = np.zeros((n, m), dtype=bool)
    if n == 0 or m == 0:
        return amb
    strong = T >= 85.0
    row_cnt = (T >= (T.max(axis=1, keepdims=True) - current().versions.ambiguous_band)) & strong
    col_cnt = (T >= (T.max(axis=0, keepdims=True) - current().versions.ambiguous_band)) & strong
    row_multi = row_cnt.sum(axis=1, keepdims=True) > 1
    col_multi = col_cnt.sum(axis=0, keepdims=True) > 1
    amb = strong & ((row_multi & row_cnt) | (col_multi & col_cnt))
    return amb
