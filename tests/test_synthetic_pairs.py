"""Version pairs of the synthetic corpus (corpus/*.pdf|docx, tests/corpus_gold/pairs/*.json, made by
extractor/synth/): extract both versions, reconcile, and score the crosswalk and the changes against the
gold pair. Skipped when the corpus has not been generated (`make corpus`).

Scoring (after ../shared/tools/score.py, reimplemented here): gold items of the old side are the pair's
matches (old half) then removed, of the new side the matches (new half) then added; extracted actions are
mapped one-to-one to gold items by text similarity (mean of token_set_ratio and ratio on normalised text,
>= 85, equal refs and reading order breaking ties). A crosswalk row counts when its (match, old item, new
item) is in the gold crosswalk; a change row when its (old item, new item, field) is a gold change with the
same from/to values. Crosswalk F1 is over all rows, changes F1 over status / rag / due_date / ref (as the
shared harness) and, separately, over every field.

`test_reconcile_on_gold_actions` runs the reconciliation on the gold actions themselves, so a failure
there is the reconciliation's, not the extraction's.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Optional

import numpy as np
import pytest
from rapidfuzz import fuzz, process
from scipy.optimize import linear_sum_assignment

from extractor.model import Action
from extractor.versions.reconcile import Diff, reconcile
from tests.paths import CORPUS, CORPUS_GOLD

GOLD = CORPUS_GOLD
MATCH = 85.0
MIN_CROSSWALK_F1 = 0.95
MIN_CHANGES_F1 = 0.90
HEADLINE_FIELDS = ("status", "rag", "due_date", "ref")
ALL_FIELDS = ("status", "rag", "due_date", "due_revised", "text", "owner", "ref")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _pair_files() -> list[Path]:
    if not GOLD.is_dir():
        return []
    out = []
    for p in sorted(GOLD.rglob("*.json")):
        try:
            data = _load(p)
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "matches" in data and "old" in data and "new" in data:
            out.append(p)
    return out


PAIRS = _pair_files()
CASES = [(p, fmt) for p in PAIRS for fmt in ("pdf", "docx")]

# --------------------------------------------------------------------------- scorer

_NEW_MARK = re.compile(r"[\(\[\{]\s*new\b[^\)\]\}]{0,80}[\)\]\}]|^\s*new\s*[:\-\u2013\u2014]\s+", re.IGNORECASE)
_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")


def norm_text(value: object) -> str:
    if value is None:
        return ""
    s = unicodedata.normalize("NFKC", str(value))
    s = _NEW_MARK.sub(" ", s)
    s = _APOSTROPHES.sub("", s)
    s = "".join(" " if unicodedata.category(ch)[0] in "PSZ" or unicodedata.category(ch) in ("Cc", "Cf") else ch
                for ch in s)
    return " ".join(s.casefold().split())


def norm_ref(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).casefold()
    return re.sub(r"[\s()]", "", s).rstrip(".:")


def similarity(a: list[str], b: list[str]) -> np.ndarray:
    if not a or not b:
        return np.zeros((len(a), len(b)))
    na, nb = [norm_text(x) for x in a], [norm_text(x) for x in b]
    sim = (np.asarray(process.cdist(na, nb, scorer=fuzz.token_set_ratio), dtype=float)
           + np.asarray(process.cdist(na, nb, scorer=fuzz.ratio), dtype=float)) / 2.0
    sim[np.array([not x for x in na])[:, None] | np.array([not x for x in nb])[None, :]] = 0.0
    return sim


def assign(gold: list[dict], pred: list[Action]) -> dict[int, int]:
    """pred index -> gold index, one-to-one, text similarity >= MATCH; refs and position break ties."""
    sim = similarity([g["text"] for g in gold], [p.text for p in pred])
    if sim.size == 0:
        return {}
    n, m = sim.shape
    bonus = np.zeros_like(sim)
    for i, g in enumerate(gold):
        r = norm_ref(g["ref"])
        if r:
            for j, p in enumerate(pred):
                if norm_ref(p.ref) == r or norm_ref(p.ref_norm) == r:
                    bonus[i, j] += 0.5
    bonus += 0.25 * (1.0 - np.abs(np.arange(n)[:, None] / max(n - 1, 1) - np.arange(m)[None, :] / max(m - 1, 1)))
    weight = np.where(sim >= MATCH, sim + bonus, 0.0)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return {int(j): int(i) for i, j in zip(rows, cols) if sim[i, j] >= MATCH}


def prf(tp: int, pred: int, gold: int) -> float:
    if pred == 0 and gold == 0:
        return 1.0
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def value_equal(field: str, a: object, b: object) -> bool:
    a = "" if a is None else str(a)
    b = "" if b is None else str(b)
    if field in ("status", "rag"):
        return a.strip().casefold() == b.strip().casefold()
    if field == "ref":
        return norm_ref(a) == norm_ref(b)
    if field in ("owner", "text"):
        na, nb = norm_text(a), norm_text(b)
        if na == nb:
            return True
        if field == "owner":
            return bool(na and nb) and fuzz.token_set_ratio(na, nb) >= 90
        return float(similarity([na], [nb])[0, 0]) >= MATCH
    return a.strip() == b.strip()


def short(s: object, n: int = 60) -> str:
    s = " ".join(str(s or "").split())
    return s if len(s) <= n else s[: n - 1] + "~"


class Score:
    def __init__(self, pair: dict, old: list[Action], new: list[Action], diff: Diff):
        matches, removed, added = pair["matches"], pair.get("removed") or [], pair.get("added") or []
        nm = len(matches)
        self.old_items = [{"ref": m.get("old_ref") or "", "text": m.get("old_text") or ""} for m in matches] + \
                         [{"ref": r.get("ref") or "", "text": r.get("text") or ""} for r in removed]
        self.new_items = [{"ref": m.get("new_ref") or "", "text": m.get("new_text") or ""} for m in matches] + \
                         [{"ref": a.get("ref") or "", "text": a.get("text") or ""} for a in added]
        self.old_of = {old[j].action_id: i for j, i in assign(self.old_items, old).items()}
        self.new_of = {new[j].action_id: i for j, i in assign(self.new_items, new).items()}
        self.problems: list[str] = []
        # extraction, per side, against the pair's items (the docs' own gold may hold more)
        self.extraction = {"old": prf(len(self.old_of), len(old), len(self.old_items)),
                           "new": prf(len(self.new_of), len(new), len(self.new_items))}
        for side, items, got, acts in (("old", self.old_items, self.old_of, old),
                                       ("new", self.new_items, self.new_of, new)):
            hit = set(got.values())
            for i, it in enumerate(items):
                if i not in hit:
                    self.problems.append(f"extraction {side}: gold action not extracted "
                                         f"[{it['ref']}] {short(it['text'])}")
            for a in acts:
                if a.action_id not in got:
                    self.problems.append(f"extraction {side}: spurious action [{a.ref}] {short(a.text)}")

        gold_xw = {("matched", k, k) for k in range(nm)} | {("removed", nm + j, None) for j in range(len(removed))} | \
                  {("added", None, nm + j) for j in range(len(added))}
        seen: set = set()
        for row in diff.crosswalk:
            o = self.old_of.get(row.old_action_id) if row.match in ("matched", "removed") else None
            n = self.new_of.get(row.new_action_id) if row.match in ("matched", "added") else None
            key = (row.match, o, n)
            if key in gold_xw and key not in seen:
                seen.add(key)
            else:
                self.problems.append(f"crosswalk: wrong row {row.match} [{row.old_ref}] {short(row.old_text, 40)} -> "
                                     f"[{row.new_ref}] {short(row.new_text, 40)}")
        for kind, o, n in sorted(gold_xw - seen, key=str):
            it = self.new_items[n] if n is not None else self.old_items[o]
            self.problems.append(f"crosswalk: missed {kind} [{it['ref']}] {short(it['text'])}")
        self.crosswalk_f1 = prf(len(seen), len(diff.crosswalk), len(gold_xw))

        gold_ch: dict[tuple, dict] = {}
        for ch in pair.get("changes") or []:
            k = self._anchor(ch, matches)
            gold_ch[(k, k, ch["field"]) if k is not None else ("unanchored", id(ch), ch["field"])] = ch
        tp: Counter = Counter()
        pred: Counter = Counter()
        used: set = set()
        for c in diff.changes:
            key = (self.old_of.get(c.old_action_id), self.new_of.get(c.new_action_id), c.field)
            pred[c.field] += 1
            g = gold_ch.get(key) if None not in key[:2] else None
            if g is not None and key not in used and value_equal(c.field, g.get("from"), c.old_value) \
                    and value_equal(c.field, g.get("to"), c.new_value):
                used.add(key)
                tp[c.field] += 1
            else:
                why = "no such gold change" if g is None else "wrong values"
                self.problems.append(f"changes: {why}: {c.field} [{c.old_ref}->{c.new_ref}] {short(c.new_text, 40)}: "
                                     f"{short(c.old_value, 30)!r} -> {short(c.new_value, 30)!r}")
        for key, ch in gold_ch.items():
            if key not in used:
                self.problems.append(f"changes: missed {ch['field']} [{ch.get('old_ref')}->{ch.get('new_ref')}] "
                                     f"{short(ch.get('new_text'), 40)}: {ch.get('from')!r} -> {ch.get('to')!r}")
        gold_n = Counter(k[2] for k in gold_ch)

        def f1(fields: tuple[str, ...]) -> float:
            return prf(sum(tp[f] for f in fields), sum(pred[f] for f in fields), sum(gold_n[f] for f in fields))

        self.changes_f1 = f1(HEADLINE_FIELDS)
        self.changes_f1_all = f1(ALL_FIELDS)

    @staticmethod
    def _anchor(change: dict, matches: list[dict]) -> Optional[int]:
        target = change.get("new_text") or ""
        texts = [m.get("new_text") or "" for m in matches]
        sim = similarity([target], texts)[0] if target and texts else np.zeros(len(texts))
        best, best_key = None, None
        for k, m in enumerate(matches):
            exact = bool(target) and norm_text(m.get("new_text")) == norm_text(target)
            refs = (norm_ref(m.get("new_ref")) == norm_ref(change.get("new_ref"))) + \
                   (norm_ref(m.get("old_ref")) == norm_ref(change.get("old_ref")))
            if not (exact or sim[k] >= MATCH or (not target and refs == 2)):
                continue
            key = (exact, sim[k] >= MATCH, refs, sim[k])
            if best_key is None or key > best_key:
                best, best_key = k, key
        return best

    def report(self) -> str:
        return (f"crosswalk F1 {self.crosswalk_f1:.3f}, changes F1 {self.changes_f1:.3f} "
                f"(all fields {self.changes_f1_all:.3f}), extraction F1 old {self.extraction['old']:.3f} "
                f"new {self.extraction['new']:.3f}\n  " + "\n  ".join(self.problems[:40]))


# --------------------------------------------------------------------------- fixtures


def _doc_file(doc_id: str, fmt: str) -> Path:
    gold = GOLD / f"{doc_id}.json"
    names = _load(gold).get("files", []) if gold.is_file() else []
    for name in names:
        if name.lower().endswith("." + fmt):
            return CORPUS / name
    return CORPUS / f"{doc_id}.{fmt}"


def _gold_actions(doc_id: str, side: str) -> list[Action]:
    gold = _load(GOLD / f"{doc_id}.json")
    out = []
    for k, a in enumerate(gold["actions"]):
        out.append(Action(doc_id=side, action_id=f"{side}-a{k + 1:04d}", ref=a.get("ref") or "",
                          ref_norm=a.get("ref") or "", text=a.get("text") or "", goal=a.get("goal") or "",
                          section=a.get("section") or "", owner=a.get("owner") or "", lead=a.get("lead") or "",
                          due_raw=a.get("due_raw") or "", due_date=a.get("due_date") or "",
                          due_revised=a.get("due_revised") or "", status=a.get("status") or "unknown",
                          rag=a.get("rag") or "", is_new=bool(a.get("is_new"))))
    return out


# --------------------------------------------------------------------------- tests


@pytest.mark.skipif(not CASES, reason="no synthetic version pairs (run `make corpus`)")
@pytest.mark.parametrize("pair_path,fmt", CASES, ids=[f"{p.stem}-{f}" for p, f in CASES])
def test_synthetic_pair(parsed, pair_path, fmt):
    pair = _load(pair_path)
    old_f, new_f = _doc_file(pair["old"], fmt), _doc_file(pair["new"], fmt)
    if not (old_f.is_file() and new_f.is_file()):
        pytest.skip(f"{old_f.name} / {new_f.name} not generated")
    old, new = parsed(old_f), parsed(new_f)
    assert old.status in ("ok", "partial") and new.status in ("ok", "partial"), (old.error, new.error)
    diff = reconcile(old.actions, new.actions)
    score = Score(pair, old.actions, new.actions, diff)
    assert score.crosswalk_f1 >= MIN_CROSSWALK_F1, score.report()
    assert score.changes_f1 >= MIN_CHANGES_F1, score.report()
    assert score.changes_f1_all >= MIN_CHANGES_F1, score.report()


@pytest.mark.skipif(not PAIRS, reason="no synthetic version pairs (run `make corpus`)")
@pytest.mark.parametrize("pair_path", PAIRS, ids=[p.stem for p in PAIRS])
def test_reconcile_on_gold_actions(pair_path):
    """The reconciliation alone: the gold actions of both versions in, the gold pair out."""
    pair = _load(pair_path)
    if not ((GOLD / f"{pair['old']}.json").is_file() and (GOLD / f"{pair['new']}.json").is_file()):
        pytest.skip("gold documents of the pair are missing")
    old, new = _gold_actions(pair["old"], "old"), _gold_actions(pair["new"], "new")
    diff = reconcile(old, new)
    score = Score(pair, old, new, diff)
    assert score.extraction == {"old": 1.0, "new": 1.0}, score.report()
    assert score.crosswalk_f1 >= MIN_CROSSWALK_F1, score.report()
    assert score.changes_f1 >= MIN_CHANGES_F1, score.report()
    assert score.changes_f1_all >= MIN_CHANGES_F1, score.report()
