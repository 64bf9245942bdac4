"""Version families in a batch: the documents that are versions of one plan, oldest first, and the diffs
of consecutive versions.

Which documents belong together (same organisation, same plan):
  * organisation and title are normalised (case, punctuation, "&"/"and") and the title loses its
    version / date / year words ("Version 4", "v3.1", "2018-21", "June 2019", "draft", "update");
    two documents are the same plan when both titles and both organisations are rapidfuzz-similar
    (>= settings.versions.family_similarity). Where a document lacks a title or an organisation, its file stem
    with the version tokens stripped ("plan-v3", "plan_2019-06", "Plan Version 4" -> "plan") stands in for the
    missing field. Families are the connected groups of that relation.
  * inside a family, the renderings of ONE version (the PDF and the DOCX of it, or byte-identical copies)
    are grouped: same file stem in another format, same sha256, or the same version label with a
    compatible date (or, without labels, the same date). A family needs two versions or more; a single
    document, or a PDF+DOCX pair of one version, is no family.
  * versions are ordered by version label (numeric-aware: 3.2 < 3.16 < 4.0 = 4; a missing label sorts
    first, the stem's "v3" standing in when the cover prints none), then doc_date, then file name.
  * consecutive versions are diffed once, one rendering per side: renderings that yielded actions, then the
    same format on both sides, then status ok, then DOCX before PDF.

Only documents with status ok or partial take part. extractor.output.diffs writes the families and their
diffs.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Optional

from rapidfuzz import fuzz

from extractor.model import DocumentResult
from extractor.settings import current
from extractor.strings import ws
from extractor.versions.reconcile import Diff

USABLE = ("ok", "partial")
FORMAT_PREFERENCE = {"docx": 0, "pdf": 1}  # lower is preferred when both sides offer both

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
class Family:
    family_id: str
    title: str
    organisation: str
    versions: list[list[DocumentResult]]  # oldest first; each version's renderings, the preferred first
    diffs: list[FamilyDiff] = field(default_factory=list)  # consecutive versions, oldest pair first

    @property
    def members(self) -> list[DocumentResult]:
        return [d for v in self.versions for d in v]

    def position(self, doc_id: str) -> int:
        for k, v in enumerate(self.versions):
            if any(d.doc_id == doc_id for d in v):
                return k
        raise KeyError(doc_id)


# --------------------------------------------------------------------------- normalisation

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_VERSION_TOKEN = re.compile(r"(?<![a-z0-9])(?:version|ver|vers|v|rev|revision|issue)[\s._-]*"
                            r"(\d+(?:[._]\d+)*[a-z]?)(?![0-9])")
_YEAR_RANGE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:\s*[-\u2013\u2014/_]\s*(?:(?:19|20)\d{2}|\d{2}))?(?!\d)")
_ISO_DATEISH = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])(?:[-_.]?([0-3]\d))?(?!\d)")
_MONTH = re.compile(rf"(?<![a-z])(?:{_MONTHS})(?![a-z])")
_EDITION_WORDS = re.compile(r"(?<![a-z])(?:draft|final|updated?|refresh(?:ed)?|revised|amended|q[1-4]|"
                            r"quarter\s*[1-4])(?![a-z])")
_FILE_WORDS = re.compile(r"(?<![a-z])(?:copy|new|old|latest|current|clean|tracked|pdf|docx?)(?![a-z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _fold(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).casefold()
    s = s.replace("&", " and ").replace("\u2019", "").replace("'", "")
    return s


def _words(s: str) -> str:
    return ws(_NON_WORD.sub(" ", s))


def norm_org(value: object) -> str:
    return _words(_fold(value))


def _strip_editions(s: str) -> str:
    s = _VERSION_TOKEN.sub(" ", s)
    s = _ISO_DATEISH.sub(" ", s)
    s = _YEAR_RANGE.sub(" ", s)
    s = _MONTH.sub(" ", s)
    s = _EDITION_WORDS.sub(" ", s)
    return s


def norm_title(value: object) -> str:
    """The plan's name without its edition: version / date / year words removed."""
    return _words(_strip_editions(_fold(value)))


def norm_stem(path: str) -> str:
    """File stem without version tokens: 'castlepoint-od-strategy-v3' -> 'castlepoint od strategy'."""
    stem = _fold(PurePath(path).stem).replace("_", " ")
    return _words(_FILE_WORDS.sub(" ", _strip_editions(stem)))


def stem_version(path: str) -> str:
    """'plan-v3.1' -> '3.1'; 'Plan Version 4' -> '4'; '' when the stem has none."""
    m = _VERSION_TOKEN.search(_fold(PurePath(path).stem).replace("_", " "))
    return m.group(1).replace("_", ".") if m else ""


def stem_date(path: str) -> str:
    """'plan_2019-06' -> '2019-06'; '' when the stem has none."""
    m = _ISO_DATEISH.search(_fold(PurePath(path).stem))
    if not m:
        return ""
    return "-".join(x for x in m.groups() if x)


def version_key(value: object) -> tuple:
    """Numeric-aware: '3.2' < '3.16' < '4.0' == '4' == 'V4'; letters after numbers ('2a') sort after them.
    () for no version."""
    s = _fold(value).strip()
    s = re.sub(r"^(?:version|ver\.?|v)\s*", "", s)
    parts: list[tuple[int, object]] = []
    for tok in re.findall(r"\d+|[a-z]+", s):
        parts.append((0, int(tok)) if tok.isdigit() else (1, tok))
    while parts and parts[-1] == (0, 0) and len(parts) > 1:
        parts.pop()  # 4.0 == 4
    return tuple(parts)


# --------------------------------------------------------------------------- grouping

@dataclass
class _Doc:
    result: DocumentResult
    org: str
    title: str
    stem: str  # version tokens stripped
    raw_stem: str  # casefolded stem, for "same file in another format"
    fmt: str
    vkey: tuple
    date: str

    @property
    def name(self) -> str:
        return PurePath(self.result.path).name


def _doc(r: DocumentResult) -> _Doc:
    fmt = (r.format or PurePath(r.path).suffix.lstrip(".")).casefold()
    version = r.version or stem_version(r.path)
    return _Doc(result=r, org=norm_org(r.organisation), title=norm_title(r.title), stem=norm_stem(r.path),
                raw_stem=_fold(PurePath(r.path).stem), fmt=fmt, vkey=version_key(version),
                date=(r.doc_date or stem_date(r.path)).strip())


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    return (fuzz.ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2.0 >= current().versions.family_similarity


def same_plan(a: _Doc, b: _Doc) -> bool:
    """Same organisation and same plan; a missing title or organisation falls back to the file stem."""
    stem_ok: Optional[bool] = None

    def stems() -> bool:
        nonlocal stem_ok
        if stem_ok is None:
            stem_ok = bool(a.stem and b.stem) and _similar(a.stem, b.stem)
        return stem_ok

    title_ok = _similar(a.title, b.title) if a.title and b.title else stems()
    if not title_ok:
        return False
    return _similar(a.org, b.org) if a.org and b.org else stems()


def same_version(a: _Doc, b: _Doc) -> bool:
    """Two renderings (or copies) of one version of a plan."""
    if a.result.sha256 and a.result.sha256 == b.result.sha256:
        return True
    if a.raw_stem == b.raw_stem and a.fmt != b.fmt:
        return True
    if a.vkey and b.vkey:
        return a.vkey == b.vkey and (not a.date or not b.date or a.date == b.date)
    if not a.vkey and not b.vkey:
        return bool(a.date) and a.date == b.date
    return False


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


def _rendering_rank(d: _Doc) -> tuple:
    return (d.result.n_actions == 0, d.result.status != "ok", FORMAT_PREFERENCE.get(d.fmt, 9), d.name)


def _version_sort_key(renderings: list[_Doc]) -> tuple:
    first = min(renderings, key=lambda d: (d.vkey == (), d.date == "", d.name))
    return (first.vkey, first.date, min(d.name for d in renderings))


def _slug(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")
    return s[:limit].rstrip("-") or "family"


def find_families(results: list[DocumentResult]) -> list[Family]:
    """The version families among `results` (usable documents only), without writing anything."""
    docs = [_doc(r) for r in results if r.status in USABLE]
    uf = _Union(len(docs))
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            if uf.find(i) != uf.find(j) and same_plan(docs[i], docs[j]):
                uf.union(i, j)
    families: list[Family] = []
    used_ids: set[str] = set()
    for group in sorted(uf.groups(), key=min):
        members = [docs[i] for i in group]
        vu = _Union(len(members))
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                if same_version(members[i], members[j]):
                    vu.union(i, j)
        versions = [sorted((members[i] for i in g), key=_rendering_rank) for g in vu.groups()]
        if len(versions) < 2:
            continue
        versions.sort(key=_version_sort_key)
        oldest = versions[0][0]
        fid = _slug(oldest.stem or oldest.title or oldest.result.doc_id)
        base, k = fid, 2
        while fid in used_ids:
            fid, k = f"{base}-{k}", k + 1
        used_ids.add(fid)
        newest = versions[-1][0].result
        families.append(Family(family_id=fid, title=newest.title, organisation=newest.organisation,
                               versions=[[d.result for d in v] for v in versions]))
    return families


def pick_renderings(old: list[DocumentResult], new: list[DocumentResult]) -> tuple[DocumentResult, DocumentResult]:
    """One rendering per side: renderings with actions, then the same format on both sides, then status ok,
    then DOCX before PDF."""
    def fmt(r: DocumentResult) -> str:
        return (r.format or PurePath(r.path).suffix.lstrip(".")).casefold()

    def rank(r: DocumentResult) -> tuple:
        return (r.n_actions == 0, r.status != "ok", FORMAT_PREFERENCE.get(fmt(r), 9))

    best = min(((a, b) for a in old for b in new),
               key=lambda p: (rank(p[0])[0] or rank(p[1])[0], fmt(p[0]) != fmt(p[1]),
                              rank(p[0])[1] + rank(p[1])[1], rank(p[0])[2] + rank(p[1])[2],
                              old.index(p[0]), new.index(p[1])))
    return best
