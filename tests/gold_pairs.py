"""The real-world version pairs' gold (tests/realworld_gold/pairs) turned into a test of the versions stage
alone: Action records are built from the two versions' gold files (what a perfect extraction would give),
reconcile() runs on them, and its crosswalk and changes are scored against the pair's gold by gold index,
so extraction quality does not enter the figure.

Only the `dev` part of split.json is ever read here (`dev_pairs()`); the held-out pairs are not opened.
Scoring follows ../shared/tools/score.py: crosswalk F1 over matched/added/removed rows, changes F1 over
the headline fields (status, rag, due_date, ref) with values compared as the scorer does.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from extractor.model import Action

GOLD = Path(__file__).resolve().parent / "realworld_gold"
HEADLINE_FIELDS = ("status", "rag", "due_date", "ref")
ALL_FIELDS = ("status", "rag", "due_date", "due_revised", "text", "owner", "ref")

_APOSTROPHES = re.compile(r"['\u2018\u2019`\u00b4]")


def norm_text(value: object) -> str:
    """The scorer's text normalisation (casefold; punctuation and symbols dropped)."""
    if value is None:
        return ""
    s = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", str(value)))
    s = "".join(" " if unicodedata.category(ch)[0] in "PSZ" or unicodedata.category(ch) in ("Cc", "Cf") else ch
                for ch in s)
    return " ".join(s.casefold().split())


def dev_stems() -> set[str]:
    return set(json.loads((GOLD / "split.json").read_text(encoding="utf-8"))["dev"])


def dev_pairs() -> list[Path]:
    """The pairs both of whose documents are in the dev part (held-out pairs are never opened)."""
    dev = dev_stems()
    out = []
    for path in sorted((GOLD / "pairs").glob("*.json")):
        old, new = path.stem.split("__")
        if old in dev and new in dev:
            out.append(path)
    return out


def load_gold(stem: str) -> dict:
    assert stem in dev_stems(), f"{stem} is not in the dev part"
    return json.loads((GOLD / "gold" / f"{stem}.json").read_text(encoding="utf-8"))


def actions_from_gold(gold: dict) -> list[Action]:
    """The Action records a perfect extraction of this gold document would give (reading order)."""
    doc = gold["doc_id"]
    out = []
    for k, g in enumerate(gold["actions"]):
        ref = g.get("ref") or ""
        out.append(Action(doc_id=doc, action_id=f"{doc}-a{k + 1:04d}", ref=ref, ref_norm=ref, text=g["text"],
                          section=g.get("section") or "", goal=g.get("goal") or "", owner=g.get("owner") or "",
                          lead=g.get("lead") or "", due_raw=g.get("due_raw") or "",
                          due_date=g.get("due_date") or "", due_revised=g.get("due_revised") or "",
                          status=g.get("status") or "unknown", rag=g.get("rag") or "",
                          is_new=bool(g.get("is_new")), page_first=int(g.get("page") or 0),
                          page_last=int(g.get("page") or 0), table_index=int(g.get("table") or 0),
                          row_index=k))
    return out


def _index(items: list[dict], text: str, explicit: Optional[int], section: Optional[str] = None) -> int:
    """Gold position of an action named by text (and section where texts repeat) or by explicit index."""
    if explicit is not None:
        return int(explicit)
    hits = [k for k, a in enumerate(items) if norm_text(a["text"]) == norm_text(text)]
    if len(hits) > 1 and section is not None:
        hits = [k for k in hits if (items[k].get("section") or "") == section] or hits
    if len(hits) != 1:
        raise ValueError(f"gold text names {len(hits)} actions: {text[:60]!r}")
    return hits[0]


@dataclass
class GoldPair:
    pair_id: str
    old: dict
    new: dict
    matched: set[tuple[int, int]] = field(default_factory=set)
    added: set[int] = field(default_factory=set)
    removed: set[int] = field(default_factory=set)
    changes: dict[tuple[int, int, str], tuple] = field(default_factory=dict)  # (i, j, field) -> (from, to)


def load_pair(path: Path, loader=load_gold) -> GoldPair:
    """A pair's gold by gold positions; `loader` reads a document's gold by stem (the dev part's only, unless
    the caller - bench/realworld.py scoring a part on the owner's request - passes its own)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    old, new = loader(data["old"]), loader(data["new"])
    oi, ni = old["actions"], new["actions"]
    gp = GoldPair(pair_id=path.stem, old=old, new=new)
    by_new_text: dict[str, list[tuple[int, int]]] = {}
    for m in data["matches"]:
        i = _index(oi, m["old_text"], m.get("old_index"), m.get("old_section"))
        j = _index(ni, m["new_text"], m.get("new_index"), m.get("new_section"))
        gp.matched.add((i, j))
        by_new_text.setdefault(norm_text(m["new_text"]), []).append((i, j))
    for a in data["added"]:
        gp.added.add(_index(ni, a["text"], a.get("new_index"), a.get("section")))
    for r in data["removed"]:
        gp.removed.add(_index(oi, r["text"], r.get("old_index"), r.get("section")))
    for ch in data["changes"]:
        if "old_index" in ch and "new_index" in ch:
            i, j = int(ch["old_index"]), int(ch["new_index"])
        else:
            # repeated texts: the match whose gold values are the change's, first unused in list order
            # (changes are listed in the order of the matches)
            cands = [(i, j) for i, j in by_new_text.get(norm_text(ch["new_text"]), [])
                     if (i, j, ch["field"]) not in gp.changes
                     and _same_value(ch["field"], oi[i].get(ch["field"]), ch.get("from"))
                     and _same_value(ch["field"], ni[j].get(ch["field"]), ch.get("to"))]
            if not cands:
                raise ValueError(f"{path.stem}: change names no match: {ch['new_text'][:60]!r}")
            i, j = cands[0]
        gp.changes[(i, j, ch["field"])] = (ch.get("from"), ch.get("to"))
    return gp


def _same_value(field_name: str, a: object, b: object) -> bool:
    na = "" if a is None else str(a).strip()
    nb = "" if b is None else str(b).strip()
    if field_name in ("status", "rag"):
        return na.casefold() == nb.casefold()
    if field_name in ("text", "owner"):
        return norm_text(na) == norm_text(nb)
    return na == nb


@dataclass
class PairScore:
    pair_id: str
    xw_tp: int = 0
    xw_pred: int = 0
    xw_gold: int = 0
    ch_tp: dict[str, int] = field(default_factory=lambda: {f: 0 for f in ALL_FIELDS})
    ch_pred: dict[str, int] = field(default_factory=lambda: {f: 0 for f in ALL_FIELDS})
    ch_gold: dict[str, int] = field(default_factory=lambda: {f: 0 for f in ALL_FIELDS})
    errors: list[str] = field(default_factory=list)


def f1(tp: int, pred: int, gold: int) -> float:
    if pred == 0 and gold == 0:
        return 1.0
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(gp: GoldPair, diff, old_actions: list[Action], new_actions: list[Action]) -> PairScore:
    """Crosswalk and change counts of a reconcile() Diff against the pair's gold (indices = gold positions)."""
    pos_old = {a.action_id: k for k, a in enumerate(old_actions)}
    pos_new = {a.action_id: k for k, a in enumerate(new_actions)}
    s = PairScore(gp.pair_id)
    gold_xw = {("matched", i, j) for i, j in gp.matched} | {("added", None, j) for j in gp.added} | \
              {("removed", i, None) for i in gp.removed}
    s.xw_gold = len(gold_xw)
    ot, nt = gp.old["actions"], gp.new["actions"]
    for row in diff.crosswalk:
        i = pos_old.get(row.old_action_id)
        j = pos_new.get(row.new_action_id)
        key = (row.match, i, j)
        s.xw_pred += 1
        if key in gold_xw:
            s.xw_tp += 1
        else:
            o = ot[i]["text"][:70] if i is not None else ""
            n = nt[j]["text"][:70] if j is not None else ""
            s.errors.append(f"xw wrong {row.match} {i}->{j}: {o!r} -> {n!r}")
    got = {(r.match, pos_old.get(r.old_action_id), pos_new.get(r.new_action_id)) for r in diff.crosswalk}
    for kind, i, j in sorted(gold_xw - got, key=str):
        o = ot[i]["text"][:70] if i is not None else ""
        n = nt[j]["text"][:70] if j is not None else ""
        s.errors.append(f"xw missed {kind} {i}->{j}: {o!r} -> {n!r}")
    for (_, _, f) in gp.changes:
        if f in s.ch_gold:
            s.ch_gold[f] += 1
    used = set()
    for ch in diff.changes:
        f = ch.field
        if f not in s.ch_pred:
            continue
        s.ch_pred[f] += 1
        key = (pos_old.get(ch.old_action_id), pos_new.get(ch.new_action_id), f)
        g = gp.changes.get(key)
        if g is not None and key not in used and _same_value(f, g[0], ch.old_value) \
                and _same_value(f, g[1], ch.new_value):
            used.add(key)
            s.ch_tp[f] += 1
        else:
            s.errors.append(f"chg wrong {key}: {ch.old_value!r} -> {ch.new_value!r} (gold {g})")
    for key, g in gp.changes.items():
        if key not in used:
            s.errors.append(f"chg missed {key}: {g}")
    return s
