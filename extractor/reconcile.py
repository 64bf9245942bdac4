"""Compare two versions of a plan: a one-to-one crosswalk of their actions, then the field changes.

Algorithm (global, not greedy):
  1. text similarity T[i, j] = mean(token_set_ratio, ratio) on normalised text (0-100), lifted half-way
     towards a word-order-free similarity of stemmed content words when that is higher;
  2. anchors = confident, unambiguous text pairs (mutual best, T >= 90); their longest order-preserving
     chain is the backbone. From the anchors learn the ref mapping section by section (all "5.x" became
     "6.x") and, inside a section, the number offset (an inserted row shifts every later number);
  3. support bonus B[i, j] from: the mapped ref (a prior, never the truth) or else the order relative to
     the backbone (the two mostly say the same), goal/section similarity, owner and due dates. Where a text repeats (several near-equal candidates)
     dates and order decide, so their weight grows;
  4. scipy.optimize.linear_sum_assignment on (T + B - threshold), pairs below the threshold dropped; repeated
     texts whose pairing crosses the order of their siblings and disagrees on dates are unpaired;
  5. splits / merges: one old text carried by two or more new ones (each largely contained in it, together
     covering it, none alone) is reported as "split" (and the reverse as "merged") instead of a forced pair.
Then a change row per differing field of each matched pair; `write_diff` writes the CSVs and the report.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

import numpy as np
from rapidfuzz import fuzz, process

from extractor.model import Action, DocumentResult

# --------------------------------------------------------------------------- tunables

THRESHOLD = 85.0  # T + bonus needed for a pair (a text this similar needs no support)
MIN_TEXT = 55.0  # below this text similarity nothing pairs, whatever else agrees
ANCHOR_TEXT = 90.0  # an anchor: mutual best pair at least this similar ...
ANCHOR_MARGIN = 3.0  # ... and this much better than the next candidate in its row and column
BONUS_CAP = 25.0
AMBIGUOUS_BAND = 5.0  # candidates within this of a row's/column's best (>= 85) make the text ambiguous

W_REF_SECTION = 3.0  # mapped ref prefix equals the new prefix
W_REF_EXACT = 8.0  # mapped (and offset) ref equals the new ref
W_ORDER_GAP = 4.0  # the pair sits between its neighbouring anchors
W_ORDER_NEAR = 3.0  # and near the interpolated position
W_CONTEXT = 5.0  # goal / section similarity
W_OWNER = 2.0
W_DATE_EQUAL = 3.0
W_DATE_NEAR = 1.0
W_DUP_DATE = 15.0  # repeated text: equal dates +, different dates -

CHANGE_FIELDS = ("status", "rag", "due_date", "due_revised", "owner", "text", "ref")
CROSSWALK_COLUMNS = ["old_action_id", "new_action_id", "old_ref", "new_ref", "old_text", "new_text", "match", "score"]
CHANGE_COLUMNS = ["old_action_id", "new_action_id", "old_ref", "new_ref", "old_text", "new_text", "field",
                  "from", "to", "slip_days", "section"]

# --------------------------------------------------------------------------- records


@dataclass
class CrosswalkRow:
    old_action_id: str
    new_action_id: str
    old_ref: str
    new_ref: str
    old_text: str
    new_text: str
    match: str  # matched | added | removed | split | merged
    score: Optional[float] = None
    old: Optional[Action] = field(default=None, repr=False, compare=False)
    new: Optional[Action] = field(default=None, repr=False, compare=False)

    def as_row(self) -> dict:
        return {"old_action_id": self.old_action_id, "new_action_id": self.new_action_id, "old_ref": self.old_ref,
                "new_ref": self.new_ref, "old_text": self.old_text, "new_text": self.new_text, "match": self.match,
                "score": "" if self.score is None else f"{self.score:.1f}"}


@dataclass
class ChangeRow:
    old_action_id: str
    new_action_id: str
    old_ref: str
    new_ref: str
    old_text: str
    new_text: str
    field: str  # status | rag | due_date | due_revised | owner | text | ref
    old_value: str
    new_value: str
    slip_days: Optional[int] = None
    section: str = ""
    old: Optional[Action] = field(default=None, repr=False, compare=False)
    new: Optional[Action] = field(default=None, repr=False, compare=False)

    def as_row(self) -> dict:
        return {"old_action_id": self.old_action_id, "new_action_id": self.new_action_id, "old_ref": self.old_ref,
                "new_ref": self.new_ref, "old_text": self.old_text, "new_text": self.new_text, "field": self.field,
                "from": self.old_value, "to": self.new_value,
                "slip_days": "" if self.slip_days is None else str(self.slip_days), "section": self.section}


@dataclass
class Diff:
    crosswalk: list[CrosswalkRow] = field(default_factory=list)
    changes: list[ChangeRow] = field(default_factory=list)
    section_map: dict[str, str] = field(default_factory=dict)  # learned old ref prefix -> new ref prefix

    def rows(self, match: str) -> list[CrosswalkRow]:
        return [r for r in self.crosswalk if r.match == match]

    @property
    def pairs(self) -> list[tuple[Action, Action]]:
        return [(r.old, r.new) for r in self.crosswalk if r.match == "matched" and r.old and r.new]

    def counts(self) -> dict[str, int]:
        c = Counter(r.match for r in self.crosswalk)
        out = {k: c.get(k, 0) for k in ("matched", "added", "removed")}
        # a split is one old action, a merge one new action, however many rows they take
        out["split"] = len({r.old_action_id for r in self.crosswalk if r.match == "split"})
        out["merged"] = len({r.new_action_id for r in self.crosswalk if r.match == "merged"})
        return out

    def change_counts(self) -> dict[str, int]:
        c = Counter(ch.field for ch in self.changes)
        return {f: c.get(f, 0) for f in CHANGE_FIELDS}


# --------------------------------------------------------------------------- normalisation

_NEW_MARK = re.compile(r"[\(\[\{]\s*new\b[^\)\]\}]{0,80}[\)\]\}]|^\s*new\s*[:\-\u2013\u2014]\s+", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")
_WS = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_STOP = frozenset("""a an the and or of to for in on at by with from into as is are be been being will shall
should would can could may must this that these those it its their there our we all any each per via
where which who whom when than then also not no nor but if so such across within""".split())


def _junk(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "PSZ" or cat in ("Cc", "Cf", "Co", "Cn", "Cs")


def norm_text(value: object) -> str:
    """casefold, "(NEW)" markers, punctuation and symbols dropped, whitespace collapsed."""
    if not value:
        return ""
    s = unicodedata.normalize("NFKC", str(value))
    s = _NEW_MARK.sub(" ", s)
    s = _APOSTROPHES.sub("", s)
    s = "".join(" " if _junk(ch) else ch for ch in s)
    return _WS.sub(" ", s.casefold()).strip()


def norm_ref(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).casefold()
    s = re.sub(r"[\s()]", "", s)
    return s.rstrip(".:")


def _ref_of(a: Action) -> str:
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
    return frozenset(_stem(t) for t in ntext.split() if t not in _STOP and len(t) > 1)


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


def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
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


def _anchors(T: np.ndarray) -> list[tuple[int, int]]:
    n, m = T.shape
    if n == 0 or m == 0:
        return []
    out = []
    best_j = T.argmax(axis=1)
    best_i = T.argmax(axis=0)
    for i in range(n):
        j = int(best_j[i])
        v = T[i, j]
        if v < ANCHOR_TEXT or int(best_i[j]) != i:
            continue
        row = np.delete(T[i], j)
        col = np.delete(T[:, j], i)
        if (row.size and row.max() > v - ANCHOR_MARGIN) or (col.size and col.max() > v - ANCHOR_MARGIN):
            continue
        out.append((i, j))
    return out


class _RefModel:
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
                    R[i, j] = W_REF_SECTION + W_REF_EXACT
                continue
            q = self.mapped_prefix(po)
            expected = self.expected_numbers(po, no)
            for j in new_by_prefix.get(q, []):
                R[i, j] = W_REF_SECTION
                pn, nn, sn = self.new[j]
                if nn in expected and sn == so:
                    R[i, j] += W_REF_EXACT
        return R


def _order_score(n: int, m: int, backbone: list[tuple[int, int]]) -> np.ndarray:
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
            O[i, anchor_of[i]] = W_ORDER_GAP + W_ORDER_NEAR
        ia, ja = lo
        ib, jb = hi
        expect = ja + (i - ia) * (jb - ja) / max(ib - ia, 1)
        span = max(jb - ja, 2)
        in_gap = (js > ja) & (js < jb)
        near = np.clip(1.0 - np.abs(js - expect) / span, 0.0, 1.0)
        row = W_ORDER_GAP * in_gap + W_ORDER_NEAR * near
        O[i] = np.maximum(O[i], row)
    return O


def _context_score(old: list[Action], new: list[Action]) -> np.ndarray:
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
        return np.zeros((n, m))
    num = sum(p[0] for p in parts)
    den = sum(p[1] for p in parts)
    return W_CONTEXT * np.divide(num, den, out=np.zeros((n, m)), where=den > 0)


def _field_scores(old: list[Action], new: list[Action]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
                own[i, j] = W_OWNER
            a, b = od[i], nd[j]
            if a and b:
                days = abs((b - a).days)
                if days == 0:
                    dat[i, j] = W_DATE_EQUAL
                    agree[i, j] = 1.0
                else:
                    if days <= 92:
                        dat[i, j] = W_DATE_NEAR
                    agree[i, j] = -min(1.0, days / 60.0)
            elif orw[i] and orw[i] == nrw[j]:
                dat[i, j] = W_DATE_EQUAL
                agree[i, j] = 1.0
            elif bool(a) != bool(b):
                agree[i, j] = -0.5
    return own, dat, agree


def _ambiguous(T: np.ndarray) -> np.ndarray:
    """Pairs whose text does not single them out: another candidate in the row or column is as good."""
    n, m = T.shape
    amb = np.zeros((n, m), dtype=bool)
    if n == 0 or m == 0:
        return amb
    strong = T >= 85.0
    row_cnt = (T >= (T.max(axis=1, keepdims=True) - AMBIGUOUS_BAND)) & strong
    col_cnt = (T >= (T.max(axis=0, keepdims=True) - AMBIGUOUS_BAND)) & strong
    row_multi = row_cnt.sum(axis=1, keepdims=True) > 1
    col_multi = col_cnt.sum(axis=0, keepdims=True) > 1
    amb = strong & ((row_multi & row_cnt) | (col_multi & col_cnt))
    return amb


# --------------------------------------------------------------------------- reconcile

def reconcile(old: list[Action], new: list[Action]) -> Diff:
    n, m = len(old), len(new)
    ot = [norm_text(a.text) for a in old]
    nt = [norm_text(a.text) for a in new]
    T = match_similarity(ot, nt)
    anchors = _anchors(T)
    backbone = _lis(anchors)
    refs_model = _RefModel([_ref_of(a) for a in old], [_ref_of(a) for a in new], anchors)

    if n and m:
        R = refs_model.score(n, m)
        O = _order_score(n, m, backbone)
        C = _context_score(old, new)
        own, dat, agree = _field_scores(old, new)
        amb = _ambiguous(T)
        slot = np.maximum(R, O) + 0.3 * np.minimum(R, O)  # ref and order mostly tell the same story
        bonus = np.minimum(slot + C + own + dat, BONUS_CAP)
        bonus = bonus + np.where(amb, W_DUP_DATE * agree, 0.0)
        total = T + bonus
        valid = (T >= MIN_TEXT) & (total >= THRESHOLD)
        weight = np.where(valid, total - THRESHOLD + 1.0, 0.0)
        from scipy.optimize import linear_sum_assignment  # loaded when a diff has real work (0.4 s import)

        rows, cols = linear_sum_assignment(weight, maximize=True)
        pairs = {int(i): int(j) for i, j in zip(rows, cols) if valid[i, j]}
        pairs = _drop_crossing_repeats(pairs, amb, agree)
    else:
        total = np.zeros((n, m))
        pairs = {}

    o_tok = [content_tokens(t) for t in ot]
    n_tok = [content_tokens(t) for t in nt]
    splits = _find_groups(pairs, o_tok, n_tok, T)  # old i -> [new j...]
    merges = _find_groups({j: i for i, j in pairs.items()}, n_tok, o_tok, T.T)  # new j -> [old i...]
    # a split wins over a merge that claims the same action
    used_old = set(splits)
    used_new = {j for js in splits.values() for j in js}
    merges = {j: is_ for j, is_ in merges.items() if j not in used_new and not used_old.intersection(is_)}
    for i, js in splits.items():
        pairs.pop(i, None)
        for j in js:
            for k in [k for k, v in pairs.items() if v == j]:
                pairs.pop(k)
    for j, is_ in merges.items():
        for k in [k for k, v in pairs.items() if v == j]:
            pairs.pop(k)
        for i in is_:
            pairs.pop(i, None)

    diff = Diff(section_map=dict(refs_model.prefix_map))
    split_of_old = {i: js for i, js in splits.items()}
    merge_of_old = {i: j for j, is_ in merges.items() for i in is_}
    covered_new = set(pairs.values()) | {j for js in splits.values() for j in js} | set(merges)

    for i, a in enumerate(old):
        if i in pairs:
            j = pairs[i]
            diff.crosswalk.append(_xw(a, new[j], "matched", min(100.0, float(total[i, j]))))
        elif i in split_of_old:
            for j in split_of_old[i]:
                diff.crosswalk.append(_xw(a, new[j], "split", float(T[i, j])))
        elif i in merge_of_old:
            j = merge_of_old[i]
            diff.crosswalk.append(_xw(a, new[j], "merged", float(T[i, j])))
        else:
            diff.crosswalk.append(_xw(a, None, "removed", None))
    for j, b in enumerate(new):
        if j not in covered_new:
            diff.crosswalk.append(_xw(None, b, "added", None))

    for i, j in sorted(pairs.items(), key=lambda p: p[1]):
        diff.changes.extend(field_changes(old[i], new[j]))
    return diff


def _drop_crossing_repeats(pairs: dict[int, int], amb: np.ndarray, agree: np.ndarray) -> dict[int, int]:
    """A pair among repeated texts that disagrees on dates and crosses the order of its fellow
    repeated pairs is two different rows (one dropped, one added), not one row that moved."""
    out = dict(pairs)
    changed = True
    while changed:
        changed = False
        rep = [(i, j) for i, j in out.items() if amb[i, j]]
        worst, worst_x = None, 0
        for i, j in rep:
            if agree[i, j] >= 0:
                continue
            x = sum(1 for i2, j2 in rep if (i2 - i) * (j2 - j) < 0)
            if x > worst_x:
                worst, worst_x = i, x
        if worst is not None:
            out.pop(worst)
            changed = True
    return out


def _coverage(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _find_groups(pairs: dict[int, int], whole_tok: list[frozenset[str]], part_tok: list[frozenset[str]],
                 T: np.ndarray) -> dict[int, list[int]]:
    """whole i -> the parts j (>= 2) that together carry its text when no single one does.

    pairs: whole -> part currently matched. A part qualifies when it is largely contained in the whole
    (>= 80 % of its content words) and is free or matched to this whole; the parts must differ from
    each other, and together cover >= 80 % of the whole's content words while the best one alone
    covers < 70 %."""
    owner_of_part = {j: i for i, j in pairs.items()}
    groups: dict[int, list[int]] = {}
    claimed: set[int] = set()
    for i, wt in enumerate(whole_tok):
        if len(wt) < 4:
            continue
        cands = []
        for j, pt in enumerate(part_tok):
            if len(pt) < 2 or j in claimed:
                continue
            holder = owner_of_part.get(j)
            if holder is not None and holder != i:
                continue
            if _coverage(pt, wt) >= 0.8 and T[i, j] >= 40:
                cands.append(j)
        if len(cands) < 2:
            continue
        best_single = max(_coverage(wt, part_tok[j]) for j in cands)
        if best_single >= 0.7:
            continue
        cands.sort(key=lambda j: -len(part_tok[j] & wt))
        chosen: list[int] = []
        union: set[str] = set()
        for j in cands:
            gain = len((part_tok[j] & wt) - union) / len(wt)
            if gain < 0.15:
                continue
            if any(fuzz.token_set_ratio(" ".join(sorted(part_tok[j])), " ".join(sorted(part_tok[k]))) >= 80
                   for k in chosen):
                continue
            chosen.append(j)
            union |= part_tok[j] & wt
        if len(chosen) >= 2 and len(union) / len(wt) >= 0.8:
            groups[i] = sorted(chosen)
            claimed.update(chosen)
    return groups


def _xw(a: Optional[Action], b: Optional[Action], match: str, score: Optional[float]) -> CrosswalkRow:
    return CrosswalkRow(old_action_id=a.action_id if a else "", new_action_id=b.action_id if b else "",
                        old_ref=a.ref if a else "", new_ref=b.ref if b else "",
                        old_text=a.text if a else "", new_text=b.text if b else "",
                        match=match, score=None if score is None else round(score, 1), old=a, new=b)


# --------------------------------------------------------------------------- changes

def _slip(a: str, b: str) -> Optional[int]:
    da, db = parse_date(a), parse_date(b)
    return (db - da).days if da and db else None


def field_changes(a: Action, b: Action) -> list[ChangeRow]:
    """One row per field that differs between a matched old/new pair, in CHANGE_FIELDS order."""
    out = []

    def add(name: str, frm: str, to: str, slip: Optional[int] = None) -> None:
        out.append(ChangeRow(old_action_id=a.action_id, new_action_id=b.action_id, old_ref=a.ref, new_ref=b.ref,
                             old_text=a.text, new_text=b.text, field=name, old_value=frm or "", new_value=to or "",
                             slip_days=slip, section=b.section, old=a, new=b))

    sa, sb = (a.status or "unknown").strip().casefold(), (b.status or "unknown").strip().casefold()
    if sa != sb:
        add("status", sa, sb)
    ra, rb = (a.rag or "").strip().casefold(), (b.rag or "").strip().casefold()
    if ra != rb:
        add("rag", ra, rb)
    for name in ("due_date", "due_revised"):
        va, vb = (getattr(a, name) or "").strip(), (getattr(b, name) or "").strip()
        if va != vb:
            add(name, va, vb, _slip(va, vb))
    if norm_text(a.owner) != norm_text(b.owner):
        add("owner", a.owner, b.owner)
    if norm_text(a.text) != norm_text(b.text):
        add("text", a.text, b.text)
    if _ref_of(a) != _ref_of(b):
        add("ref", a.ref, b.ref)
    return out


# --------------------------------------------------------------------------- output

def write_diff(diff: Diff, old: DocumentResult, new: DocumentResult, out_dir: Path) -> None:
    """crosswalk.csv, changes.csv and report.html in out_dir (created if missing), each written atomically."""
    from extractor.emit import atomic_open, write_csv
    from extractor.report import render_report

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_text = render_report(diff, old, new)  # render first: a failure leaves no half-set of outputs
    write_csv(out_dir / "crosswalk.csv", CROSSWALK_COLUMNS, (r.as_row() for r in diff.crosswalk))
    write_csv(out_dir / "changes.csv", CHANGE_COLUMNS, (c.as_row() for c in diff.changes))
    with atomic_open(out_dir / "report.html", "w", encoding="utf-8", newline="") as fh:
        fh.write(html_text)
