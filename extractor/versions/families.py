"""Version families in a batch: the documents that are versions of one plan, oldest first, and why.

Two documents are versions of one plan when the evidence says so (`compare`, every piece recorded):
  * name: the titles without their edition (version labels, dates, years, ordinals, draft/final/revised
    words: editions.norm_title) or the file names without theirs are rapidfuzz-similar (>=
    settings.versions.family_similarity), whichever agrees more, and hold the same numbers (paper numbers
    tell papers apart: "board-paper-1" / "board-paper-12");
  * organisation: the same (or one side does not print one); two documents whose covers name different
    organisations are one plan only when their names agree and nearly all actions carry over
    (>= family_shared_other_org: a misread cover), never on the name alone; an organisation read from a
    cover whose title was not found is not compared;
  * content: the share of the smaller document's actions that the other carries too (near-identical text);
  * plan period: the year ranges the titles cover ("2013-15"); different periods are different plans unless
    the actions carry over (a plan rolled forward is a new version of it).
  Same plan = same organisation (or unknown) and either the names agree, backed by the organisation, the
  actions (most of them, or a few near-identical ones: >= family_name_actions and family_name_shared of the
  shorter document) or (for titles) the file names too, and the period not against; or most actions carry over (>=
  family_shared) with the name or the organisation to back it. Families are the connected groups of that
  relation; each member keeps its strongest link (score 0-1 and the evidence in words) for families.csv.
A mapping file (`load_family_map`: CSV `document,family[,position]`) overrides the grouping for the files it
names; an empty family takes a file out of every family.

Inside a family the renderings of ONE version (its PDF and DOCX, or identical copies) are grouped: same
sha256, same file stem in another format, or the same edition (draft / final / revised) with the same
version label and a compatible date (or, without labels, the same date) and (nearly) the same actions.
Versions are ordered by plan period, version label (numeric-aware: 3.2 < 3.16 < 4.0), document date, then
edition (a draft before its final, a revision after it), each compared only where both documents state it;
the file name last.
Only documents with status ok or partial take part. extractor.output.diffs writes the families and diffs.
"""
from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Optional

from rapidfuzz import fuzz

from extractor.model import DocumentResult
from extractor.settings import current
from extractor.versions.editions import (
    EDITION_RANK,
    edition_of,
    fold,
    norm_org,
    norm_stem,
    norm_title,
    plan_period,
    stem_date,
    stem_version,
    version_key,
)
from extractor.versions.reconcile import Diff
from extractor.versions.similarity import content_tokens, norm_text, text_similarity

USABLE = ("ok", "partial")
FORMAT_PREFERENCE = {"docx": 0, "pdf": 1}  # lower is preferred when both sides offer both
OUT_OF_FAMILY = ("", "-", "none")  # mapping-file family values that take a file out of every family

__all__ = ["Family", "FamilyDiff", "Link", "compare", "find_families", "load_family_map", "pick_renderings",
           "pick_series",
           "FamilyMapError", "norm_title", "norm_stem", "stem_version", "version_key"]

# --------------------------------------------------------------------------- records


@dataclass
class FamilyDiff:
    old: DocumentResult
    new: DocumentResult
    folder: str  # relative to the output folder: diffs/<family_id>/<old_doc_id>__<new_doc_id>
    diff: Diff = field(repr=False)

    @property
    def name(self) -> str:
        return PurePath(self.folder).name


@dataclass
class Link:
    """Why two documents are (or are not) versions of one plan."""
    same: bool
    score: float  # 0-1
    evidence: str


@dataclass
class Family:
    family_id: str
    title: str
    organisation: str
    versions: list[list[DocumentResult]]  # oldest first; each version's renderings, the preferred first
    diffs: list[FamilyDiff] = field(default_factory=list)  # consecutive versions, oldest pair first
    links: dict[str, Link] = field(default_factory=dict)  # doc_id -> its strongest link into the family
    editions: dict[str, str] = field(default_factory=dict)  # doc_id -> draft | final | revised | ""
    series: list[DocumentResult] = field(default_factory=list)  # the rendering diffed for each version
    history: list[dict] = field(default_factory=list, repr=False)  # action_history rows, once computed

    @property
    def members(self) -> list[DocumentResult]:
        return [d for v in self.versions for d in v]

    def position(self, doc_id: str) -> int:
        for k, v in enumerate(self.versions):
            if any(d.doc_id == doc_id for d in v):
                return k
        raise KeyError(doc_id)


# --------------------------------------------------------------------------- one document


@dataclass
class _Doc:
    result: DocumentResult
    org: str
    title: str
    stem: str  # edition tokens stripped
    raw_stem: str  # casefolded stem, for "same file in another format"
    fmt: str
    vkey: tuple
    date: str
    edition: str
    period: Optional[tuple[int, int]]

    @property
    def name(self) -> str:
        return PurePath(self.result.path).name

    @functools.cached_property
    def texts(self) -> list[str]:
        return [t for t in (norm_text(a.text) for a in self.result.actions) if t]

    @functools.cached_property
    def signatures(self) -> frozenset[str]:
        """Each action as its sorted stemmed content words: equal for texts that differ only in order, case,
        punctuation or small words."""
        return frozenset(s for s in (" ".join(sorted(content_tokens(t))) for t in self.texts) if s)


def _doc(r: DocumentResult) -> _Doc:
    fmt = (r.format or PurePath(r.path).suffix.lstrip(".")).casefold()
    version = r.version or stem_version(r.path)
    return _Doc(result=r, org=norm_org(r.organisation), title=norm_title(r.title), stem=norm_stem(r.path),
                raw_stem=fold(PurePath(r.path).stem), fmt=fmt, vkey=version_key(version),
                date=(r.doc_date or stem_date(r.path)).strip(), edition=edition_of(r.title, PurePath(r.path).stem),
                period=plan_period(r.title) or plan_period(PurePath(r.path).stem))


# --------------------------------------------------------------------------- evidence


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    return (fuzz.ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2.0


_NUMBER = re.compile(r"\d+")


def _named(a: str, b: str) -> float:
    """Similarity of two names (titles or file names without their edition). Numbers left in a name once
    its edition is gone name different things ("board-paper-1" / "board-paper-12", "Priority 3 plan"), so
    names whose numbers differ never count as the same name."""
    sim = _similarity(a, b)
    if sorted(_NUMBER.findall(a)) != sorted(_NUMBER.findall(b)):
        sim = min(sim, current().versions.family_similarity - 1.0)
    return sim


@dataclass(frozen=True)
class Shared:
    """Actions the two documents have in common: `of_larger` (share of the larger document's actions) says
    whether one is a version of the other; `of_smaller` whether the smaller is wholly inside the larger."""
    hits: int
    smaller: int
    larger: int

    @property
    def of_larger(self) -> float:
        return self.hits / self.larger

    @property
    def of_smaller(self) -> float:
        return self.hits / self.smaller


def shared_actions(a: _Doc, b: _Doc, fuzzy: bool = True) -> Optional[Shared]:
    """The actions two documents share; None when one has none. Without fuzzy: the same content words
    (cheap: set intersection); with fuzzy: also near-identical texts (rapidfuzz, >=
    settings.versions.family_same_action)."""
    if not a.texts or not b.texts:
        return None
    if not fuzzy:
        sa, sb = a.signatures, b.signatures
        if not sa or not sb:
            return None
        return Shared(len(sa & sb), min(len(sa), len(sb)), max(len(sa), len(sb)))
    ta, tb = a.texts, b.texts
    if len(ta) > len(tb):
        ta, tb = tb, ta
    exact = set(tb)
    hits = sum(1 for t in ta if t in exact)
    rest = [t for t in ta if t not in exact]
    if rest:
        hits += int((text_similarity(rest, tb).max(axis=1) >= current().versions.family_same_action).sum())
    return Shared(hits, len(ta), len(tb))


def compare(a: _Doc, b: _Doc) -> Link:
    """The evidence that a and b are versions of one plan, and the verdict."""
    v = current().versions
    bits: list[str] = []
    stem = _named(a.stem, b.stem) if a.stem and b.stem else 0.0
    title = _named(a.title, b.title) if a.title and b.title else None
    name = max(title or 0.0, stem)
    name_ok = name >= v.family_similarity
    org = _similarity(a.org, b.org) if a.org and b.org else None
    if org is not None and org < v.family_similarity and not (a.title and b.title):
        # a cover read without its title was not read well: its organisation decides nothing either way
        bits.append(f"organisations not compared ({org:.0f}; a cover without a title)")
        org = None
    org_differs = org is not None and org < v.family_similarity
    if org_differs and not name_ok:
        return Link(False, 0.0, f"different organisations ({org:.0f})")
    if org is not None:
        bits.append(f"{'different organisations' if org_differs else 'organisation'} {org:.0f}")
    if title is not None:
        bits.append(f"title {title:.0f}")
    if stem and (title is None or stem > title):
        bits.append(f"file name {stem:.0f}")
    # near-identical texts are compared only where the names agree or the same texts already point to one
    # plan: a batch of one organisation's unrelated papers stays cheap (set intersections only)
    common = shared_actions(a, b, fuzzy=False)
    if common is not None and (name_ok or common.of_larger >= v.family_shared / 2):
        fuzzy = shared_actions(a, b)
        common = fuzzy if fuzzy is not None and fuzzy.hits > common.hits else common
    shared = None if common is None else common.of_larger
    if common is not None:
        bits.append(f"{shared:.0%} of actions carried over")
    period_differs = bool(a.period and b.period and a.period != b.period)
    if period_differs:
        bits.append(f"periods {a.period[0]}-{a.period[1]} / {b.period[0]}-{b.period[1]}")
    if a.edition != b.edition and (a.edition or b.edition):
        bits.append(f"{a.edition or 'unmarked'} / {b.edition or 'unmarked'}")

    carried = shared is not None and shared >= v.family_shared
    if org_differs:
        # organisations read from two covers that disagree: one plan only when the names agree and nearly
        # every action carries over (a misread cover), never on the name alone
        same = common is not None and common.of_smaller >= v.family_shared_other_org and not period_differs
        if same:
            bits.append(f"{common.of_smaller:.0%} of the shorter one's actions in the other")
    else:
        # a name needs backing: the organisation, or the actions; a title also the file name (generic titles
        # such as "Action Plan" are common), a file name never itself (generic names such as "minutes" too)
        title_named = title is not None and title >= v.family_similarity
        # some actions in common back a name too: a log whose items mostly turn over between meetings still
        # carries a few, and unrelated papers under one generic name do not share several near-identical ones
        some_carried = common is not None and common.hits >= v.family_name_actions and \
            common.of_smaller >= v.family_name_shared
        if some_carried and not carried:
            bits.append(f"{common.hits} of the shorter one's {common.smaller} actions in the other")
        backed = org is not None or carried or some_carried or (title_named and stem >= v.family_similarity)
        same = (name_ok and backed and (not period_differs or carried)) or \
            (carried and (org is not None or name >= 60))
    parts = [(name / 100.0, 0.4)] + ([(org / 100.0, 0.2)] if org is not None else []) + \
        ([(shared, 0.4)] if shared is not None else [])
    score = sum(x * w for x, w in parts) / sum(w for _, w in parts)
    if period_differs and not carried:
        score *= 0.5
    return Link(same, round(score, 3), "; ".join(bits))


def _same_actions(a: _Doc, b: _Doc) -> bool:
    """Two renderings of one version hold (nearly) the same actions; unknown when one holds none."""
    sa, sb = a.signatures, b.signatures
    if not sa or not sb:
        return True
    return len(sa & sb) / max(len(sa), len(sb)) >= current().versions.same_version_actions


def same_version(a: _Doc, b: _Doc) -> bool:
    """Two renderings (or copies) of one version of a plan: the same bytes, the same file name in another
    format, or the same edition, label and date holding (nearly) the same actions."""
    if a.result.sha256 and a.result.sha256 == b.result.sha256:
        return True
    if a.raw_stem == b.raw_stem and a.fmt != b.fmt:
        return True
    if a.edition != b.edition or not _same_actions(a, b):
        return False
    if a.vkey and b.vkey:
        return a.vkey == b.vkey and (not a.date or not b.date or a.date == b.date)
    if not a.vkey and not b.vkey:
        return bool(a.date) and a.date == b.date
    return False


# --------------------------------------------------------------------------- order


def _compare_versions(x: list[_Doc], y: list[_Doc]) -> int:
    """Older first: plan period, version label, date, edition, each only where both state it; then name."""
    a = min(x, key=lambda d: (d.vkey == (), d.date == "", d.name))
    b = min(y, key=lambda d: (d.vkey == (), d.date == "", d.name))
    for ka, kb in ((a.period, b.period), (a.vkey or None, b.vkey or None), (a.date or None, b.date or None),
                   (EDITION_RANK[a.edition], EDITION_RANK[b.edition])):
        if ka is not None and kb is not None and ka != kb:
            return -1 if ka < kb else 1
    na, nb = min(d.name for d in x), min(d.name for d in y)
    return (na > nb) - (na < nb)


def _rendering_rank(d: _Doc) -> tuple:
    return (d.result.n_actions == 0, d.result.status != "ok", FORMAT_PREFERENCE.get(d.fmt, 9), d.name)


def _slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return s[:limit].rstrip("-") or "family"


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


# --------------------------------------------------------------------------- mapping file


class FamilyMapError(ValueError):
    """The family mapping file cannot be used (the message names the file and line)."""


@dataclass(frozen=True)
class Assignment:
    family_id: str  # "" = in no family
    position: Optional[int] = None


def load_family_map(path: str) -> dict[str, Assignment]:
    """A CSV with a header: `document` (file name, path, stem or doc_id) and `family` (the family id; empty or
    "-" keeps the file out of every family), optionally `position` (0 = oldest)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FamilyMapError(f"{path}: cannot read the family mapping: {exc}") from None
    out: dict[str, Assignment] = {}
    for k, row in enumerate(rows, start=2):
        row = {(key or "").strip().casefold(): (val or "").strip() for key, val in row.items()}
        if "document" not in row or "family" not in row:
            raise FamilyMapError(f"{path}: the header must name the columns 'document' and 'family'")
        if not row["document"]:
            continue
        pos = row.get("position", "")
        if pos and not pos.isdigit():
            raise FamilyMapError(f"{path}, line {k}: position {pos!r} is not a whole number")
        family = "" if row["family"].casefold() in OUT_OF_FAMILY else row["family"]
        out[row["document"].casefold()] = Assignment(family, int(pos) if pos else None)
    return out


def _assignment(r: DocumentResult, mapping: dict[str, Assignment]) -> Optional[Assignment]:
    p = PurePath(r.path)
    for key in (r.path, p.name, p.stem, r.doc_id):
        found = mapping.get(str(key).casefold())
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------- grouping


def _family(members: list[_Doc], family_id: str, links: dict[str, Link],
            positions: Optional[dict[str, int]] = None) -> Optional[Family]:
    vu = _Union(len(members))
    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            if same_version(members[i], members[j]):
                vu.union(i, j)
    versions = [sorted((members[i] for i in g), key=_rendering_rank) for g in vu.groups()]
    if len(versions) < 2:
        return None
    if positions:
        versions.sort(key=lambda v: (min(positions.get(d.result.doc_id, 10**6) for d in v), v[0].name))
    else:
        versions.sort(key=functools.cmp_to_key(_compare_versions))
    newest = versions[-1][0].result
    out = Family(family_id=family_id, title=newest.title, organisation=newest.organisation,
                 versions=[[d.result for d in v] for v in versions], links=dict(links),
                 editions={d.result.doc_id: d.edition for d in members})
    for v in versions:  # renderings of one version: linked to their preferred rendering
        for d in v[1:]:
            out.links.setdefault(d.result.doc_id, Link(True, 1.0, f"same version as {v[0].result.doc_id}"))
    return out


def _unique_id(base: str, used: set[str]) -> str:
    fid, k = base, 2
    while fid in used:
        fid, k = f"{base}-{k}", k + 1
    used.add(fid)
    return fid


def find_families(results: list[DocumentResult], mapping: Optional[dict[str, Assignment]] = None) -> list[Family]:
    """The version families among `results` (usable documents only), without writing anything. `mapping`
    (load_family_map) decides for the files it names."""
    docs = [_doc(r) for r in results if r.status in USABLE]
    families: list[Family] = []
    used_ids: set[str] = set()
    free = docs
    if mapping:
        by_family: dict[str, list[tuple[_Doc, Optional[int]]]] = {}
        free = []
        for d in docs:
            a = _assignment(d.result, mapping)
            if a is None:
                free.append(d)
            elif a.family_id:
                by_family.setdefault(a.family_id, []).append((d, a.position))
        for fid, items in by_family.items():
            members = [d for d, _ in items]
            positions = {d.result.doc_id: p for d, p in items if p is not None}
            links = {d.result.doc_id: Link(True, 1.0, "mapping file") for d in members}
            fam = _family(members, _unique_id(_slug(fid), used_ids), links, positions or None)
            if fam is not None:
                families.append(fam)
    uf = _Union(len(free))
    best: dict[int, tuple[Link, int]] = {}
    for i in range(len(free)):
        for j in range(i + 1, len(free)):
            link = compare(free[i], free[j])
            if not link.same:
                continue
            uf.union(i, j)
            for x, y in ((i, j), (j, i)):
                if x not in best or link.score > best[x][0].score:
                    best[x] = (link, y)
    for group in sorted(uf.groups(), key=min):
        members = [free[i] for i in group]
        links = {free[i].result.doc_id: Link(True, best[i][0].score,
                                             f"{best[i][0].evidence} (with {free[best[i][1]].result.doc_id})")
                 for i in group if i in best}
        fam = _family(members, "", links)
        if fam is None:
            continue
        first = next(d for d in members if d.result is fam.versions[0][0])
        fam.family_id = _unique_id(_slug(first.stem or first.title or first.result.doc_id), used_ids)
        families.append(fam)
    return families


def _format(r: DocumentResult) -> str:
    return (r.format or PurePath(r.path).suffix.lstrip(".")).casefold()


def pick_series(versions: list[list[DocumentResult]]) -> list[DocumentResult]:
    """One rendering per version for the whole series, so that consecutive diffs chain: the format most
    versions offer with actions (DOCX before PDF on a tie), where a version has it with actions; else the
    version's best rendering (with actions, status ok, DOCX before PDF)."""
    offered: dict[str, int] = {}
    for v in versions:
        for f in {_format(r) for r in v if r.n_actions}:
            offered[f] = offered.get(f, 0) + 1
    fmt = min(offered, key=lambda f: (-offered[f], FORMAT_PREFERENCE.get(f, 9), f)) if offered else ""
    return [min(v, key=lambda r: (r.n_actions == 0, _format(r) != fmt, r.status != "ok",
                                  FORMAT_PREFERENCE.get(_format(r), 9), v.index(r))) for v in versions]


def pick_renderings(old: list[DocumentResult], new: list[DocumentResult]) -> tuple[DocumentResult, DocumentResult]:
    """One rendering per side: renderings with actions, then the same format on both sides, then status ok,
    then DOCX before PDF."""
    def rank(r: DocumentResult) -> tuple:
        return (r.n_actions == 0, r.status != "ok", FORMAT_PREFERENCE.get(_format(r), 9))

    return min(((a, b) for a in old for b in new),
               key=lambda p: (rank(p[0])[0] or rank(p[1])[0], _format(p[0]) != _format(p[1]),
                              rank(p[0])[1] + rank(p[1])[1], rank(p[0])[2] + rank(p[1])[2],
                              old.index(p[0]), new.index(p[1])))
