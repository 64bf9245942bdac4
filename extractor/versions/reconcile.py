"""Compare two versions of a plan: a one-to-one crosswalk of their actions, then the field changes.

Algorithm (global, not greedy):
  1. text similarity T[i, j] = mean(token_set_ratio, ratio) on normalised text (0-100), lifted half-way
     towards a word-order-free similarity of stemmed content words when that is higher;
  2. anchors = confident, unambiguous text pairs (mutual best, T >= 90); their longest order-preserving
     chain is the backbone. From the anchors learn the ref mapping section by section (all "5.x" became
     "6.x") and, inside a section, the number offset (an inserted row shifts every later number);
  3. support bonus B[i, j] from: the mapped ref (a prior, never the truth) or else the order relative to
     the backbone (the two mostly say the same), goal/section similarity, owner and due dates. Where a text
     repeats (several near-equal candidates) dates and order decide, so their weight grows;
  4. scipy.optimize.linear_sum_assignment on (T + B - threshold), pairs below the threshold dropped; repeated
     texts whose pairing crosses the order of their siblings and disagrees on dates are unpaired;
  5. splits / merges: one old text carried by two or more new ones (each largely contained in it, together
     covering it, none alone) is reported as "split" (and the reverse as "merged") instead of a forced pair.
Then a change row per differing field of each matched pair (extractor.output.diffs writes them).
The scores of steps 1-3 and their weights live in similarity.py.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from rapidfuzz import fuzz

from extractor.model import Action
from extractor.settings import current
from extractor.versions.similarity import (
    RefModel,
    ambiguous_mask,
    content_tokens,
    context_conflicts,
    context_overlap,
    context_score,
    context_similarity,
    field_scores,
    find_anchors,
    longest_chain,
    match_similarity,
    norm_text,
    order_score,
    ordinal_conflicts,
    owners_differ,
    parse_date,
    ref_of,
    surface_text,
)
from extractor.versions.terms import CHANGE_FIELDS

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


# --------------------------------------------------------------------------- reconcile

def reconcile(old: list[Action], new: list[Action]) -> Diff:
    n, m = len(old), len(new)
    ot = [norm_text(a.text) for a in old]
    nt = [norm_text(a.text) for a in new]
    T = match_similarity(ot, nt)
    if n and m:
        T = np.where(ordinal_conflicts(ot, nt), 0.0, T)
        place, has_place = context_overlap(old, new)
        T = np.where(context_conflicts(place, has_place, ambiguous_mask(T)), 0.0, T)
    anchors = find_anchors(T)
    backbone = longest_chain(anchors)
    refs_model = RefModel(_identifying_refs(old), _identifying_refs(new), anchors)

    if n and m:
        v = current().versions
        R = refs_model.score(n, m)
        own, dat, agree = field_scores(old, new)
        amb = ambiguous_mask(T)
        support = context_score(context_similarity(old, new)[0]) + own + dat

        def total_with(O: np.ndarray) -> np.ndarray:
            slot = np.maximum(R, O) + 0.3 * np.minimum(R, O)  # ref and order mostly tell the same story
            bonus = np.minimum(slot + support, v.bonus_cap) + np.where(amb, v.w_dup_date * agree, 0.0)
            return T + bonus

        total = total_with(order_score(n, m, backbone))
        valid = (T >= v.min_text) & (total >= v.threshold)
        weight = np.where(valid, total - v.threshold + 1.0, 0.0)
        from scipy.optimize import linear_sum_assignment  # loaded when a diff has real work (0.4 s import)

        rows, cols = linear_sum_assignment(weight, maximize=True)
        pairs = {int(i): int(j) for i, j in zip(rows, cols) if valid[i, j]}
        pairs = _drop_crossing_repeats(pairs, amb, agree)
        # second pass, the rewordings: with every confident pair known, order says where each leftover sits
        final_order = order_score(n, m, longest_chain(sorted(pairs.items())))
        pairs.update(_pair_leftovers(pairs, T, final_order, place, has_place, amb, owners_differ(old, new)))
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


def _identifying_refs(actions: list[Action]) -> list[str]:
    """Each action's ref where it identifies the action: a value several actions of one version share (a
    meeting date in a "Meeting date & action number" column, a section number) says nothing about which
    action is which, so it is dropped ("")."""
    refs = [ref_of(a) for a in actions]
    counts = Counter(refs)
    return [r if counts[r] == 1 else "" for r in refs]


def _pair_leftovers(pairs: dict[int, int], T: np.ndarray, order: np.ndarray, place: np.ndarray,
                    has_place: np.ndarray, amb: np.ndarray, owners_differ: np.ndarray) -> dict[int, int]:
    """The rewordings: an old and a new action both left unpaired are one action reworded when
      * they sit in one place (between the same paired neighbours, or next to a pair: a block that moved
        together, open -> completed table) and still share much wording (T >= leftover_text), or
      * each is the only one its goal/section lost / gained (a one-for-one replacement) and they share some
        wording (T >= min_text);
    and each is the other's best such candidate. Never when both name an owner and the owners differ, nor
    for repeated texts (the first pass left those unpaired on purpose: dates or order disagree)."""
    v = current().versions
    free_old = [i for i in range(T.shape[0]) if i not in pairs]
    taken = set(pairs.values())
    free_new = [j for j in range(T.shape[1]) if j not in taken]
    if not free_old or not free_new:
        return {}
    sub = np.ix_(free_old, free_new)
    t = T[sub]
    beside = np.array([[pairs.get(i - 1, -9) == j - 1 or pairs.get(i + 1, -9) == j + 1 for j in free_new]
                       for i in free_old])
    in_place = (order[sub] >= v.w_order_gap) | beside
    same_group = has_place[sub] & (place[sub] >= v.same_place_context)
    one_for_one = same_group & (same_group.sum(axis=1, keepdims=True) == 1) & (same_group.sum(axis=0) == 1)
    ok = ((in_place & (t >= v.leftover_text)) | (one_for_one & (t >= v.min_text))) & ~amb[sub] & ~owners_differ[sub]
    score = np.where(ok, t, -1.0)
    out = {}
    for a, i in enumerate(free_old):
        b = int(score[a].argmax())
        if score[a, b] > 0 and int(score[:, b].argmax()) == a:
            out[i] = free_new[b]
    return out


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
    if surface_text(a.text) != surface_text(b.text):
        add("text", a.text, b.text)
    if ref_of(a) != ref_of(b):
        add("ref", a.ref, b.ref)
    return out
