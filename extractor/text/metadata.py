"""Document metadata: title, organisation, version and date, as the cover prints them.

Sources, most trusted first: the cover's labelled fields ("Version: | 4.0", "DATE: 27 March 2014", a
cover table's "Title" row), the cover's own lines (the large-font title, the organisation line, a bare
"October 2015"), key/value and version-history tables on the first pages, and last the file properties
(DOCX core properties, PDF info). Label words, their order of preference and the words that mark an
organisation are in rules/metadata.yaml.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Optional

from extractor import rules
from extractor.model import Block, DocDateSource, LayoutDocument, Table
from extractor.settings import Settings, current, validator
from extractor.strings import ws

SCHEMA = {
    "labels": {"__fixed__": True, "title": ["str"], "organisation": ["str"], "version": ["str"]},
    "date_labels": [["str"]],
    "not_date_labels": ["str"],
    "bare_date": "regex",
    "title_date": "regex",
    "title_date_lines": "int",
    "version_value": "regex",
    "version_line": "regex",
    "version_history_headers": ["str"],
    "org_markers": ["str"],
    "org_weak_markers": ["str"],
    "not_org_words": ["str"],
    "org_max_words": "int",
    "org_open_ends": ["str"],
    "org_small_words": ["str"],
    "title_styles": ["str"],
    "cover_blocks": "int",
    "title_min_ratio": "any",
    "title_join_ratio": "any",
    "cover_pages": "int",
    "file_title_noise": "regex",
}
FIELDS = ("title", "organisation", "version", "doc_date", "doc_date_source")


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True)
class Compiled:
    labels: tuple[tuple[str, str, int], ...]  # (label, family, date rank), longest label first
    n_date_ranks: int
    bare_date: re.Pattern
    title_date: re.Pattern
    title_date_lines: int
    version_value: re.Pattern
    version_line: re.Pattern
    history_headers: frozenset[str]
    strong: re.Pattern
    weak: re.Pattern
    not_org: re.Pattern
    org_max_words: int
    open_end: re.Pattern
    small_words: frozenset[str]
    title_styles: frozenset[str]
    cover_blocks: int
    title_min_ratio: float
    title_join_ratio: float
    cover_pages: int
    file_title_noise: re.Pattern
    # the labels by their first character, longest first (a text can only start with a label of its own first
    # character), and the first family and rank of each whole label
    by_first: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    exact: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # match_label's answers


def _words_pattern(words: list[str], flags: int = 0) -> re.Pattern:
    alts = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in alts) or r"(?!x)x"
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", flags)


def compiled() -> Compiled:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> Compiled:
    data = settings.rules("metadata", SCHEMA)
    for key in ("title_min_ratio", "title_join_ratio"):
        v = data[key]
        if not isinstance(v, (int, float)) or isinstance(v, bool) or v <= 0:
            raise rules.RulesError(f"rules/metadata.yaml.{key}: expected a positive number, got {v!r}")
    labels: list[tuple[str, str, int]] = []
    for family in ("title", "organisation", "version"):
        labels += [(_norm(w), family, -1) for w in data["labels"][family]]
    for rank, group in enumerate(data["date_labels"]):
        labels += [(_norm(w), "date", rank) for w in group]
    labels += [(_norm(w), "not_date", -1) for w in data["not_date_labels"]]
    labels.sort(key=lambda t: -len(t[0]))
    by_first: dict[str, list[tuple[str, str, int]]] = {}
    exact: dict[str, tuple[str, int]] = {}
    for label, family, rank in labels:
        by_first.setdefault(label[:1], []).append((label, family, rank))
        exact.setdefault(label, (family, rank))
    return Compiled(
        by_first={k: tuple(v) for k, v in by_first.items()},
        exact=exact,
        labels=tuple(labels),
        n_date_ranks=len(data["date_labels"]),
        bare_date=re.compile(data["bare_date"]),
        title_date=re.compile(data["title_date"]),
        title_date_lines=data["title_date_lines"],
        version_value=re.compile(data["version_value"]),
        version_line=re.compile(data["version_line"]),
        history_headers=frozenset(_norm(h) for h in data["version_history_headers"]),
        strong=_words_pattern(data["org_markers"]),
        weak=_words_pattern(data["org_weak_markers"]),
        not_org=_words_pattern(data["not_org_words"], re.I),
        org_max_words=data["org_max_words"],
        open_end=re.compile(_words_pattern(data["org_open_ends"]).pattern + r"\W*$", re.I),
        small_words=frozenset(w.casefold() for w in data["org_small_words"]),
        title_styles=frozenset(s.casefold() for s in data["title_styles"]),
        cover_blocks=data["cover_blocks"],
        title_min_ratio=float(data["title_min_ratio"]),
        title_join_ratio=float(data["title_join_ratio"]),
        cover_pages=data["cover_pages"],
        file_title_noise=re.compile(data["file_title_noise"], re.I),
    )


def _norm(text: str) -> str:
    return ws((text or "").casefold().replace("\u2019", "'")).rstrip(":").strip()


# --------------------------------------------------------------------------- labelled fields

@dataclass
class Field:
    family: str  # title | organisation | version | date | not_date
    rank: int  # date preference (0 = best); -1 for the other families
    value: str
    order: int  # where it was found (cover lines first, then tables)


def match_label(text: str, whole: bool) -> Optional[tuple[str, int, str]]:
    """(family, rank, rest) when `text` is (whole=True) or starts with (whole=False) a known label."""
    memo = compiled().memo
    key = (text, whole)
    if key not in memo:
        if len(memo) > 65536:
            memo.clear()
        memo[key] = _match_label(text, whole)
    return memo[key]


def _match_label(text: str, whole: bool) -> Optional[tuple[str, int, str]]:
    t = _norm(text)
    if not t:
        return None
    rules_ = compiled()
    if whole:
        hit = rules_.exact.get(t)
        return (hit[0], hit[1], "") if hit else None
    for label, family, rank in rules_.by_first.get(t[:1], ()) + rules_.by_first.get("", ()):  # ("": shortest)
        if t.startswith(label):
            tail = ws(text)[len(label):] if ws(text).casefold().startswith(label) else None
            if tail is None:
                continue
            if not tail or tail[0] in ":-\u2013.":
                return family, rank, tail.lstrip(" :-\u2013.").strip()
            if tail[0] == " " and family in ("date", "version", "not_date"):
                return family, rank, tail.strip()
    return None


def _fields_from_line(line: str, order: int) -> list[Field]:
    parts = [p.strip() for p in line.split(" | ")]
    out: list[Field] = []
    if len(parts) >= 2:
        for i, part in enumerate(parts[:-1]):
            hit = match_label(part, whole=True)
            if hit and parts[i + 1]:
                out.append(Field(hit[0], hit[1], parts[i + 1], order))
        if out:
            return out
    hit = match_label(parts[0], whole=False)
    if hit and hit[2]:
        value = hit[2] if len(parts) == 1 else " ".join([hit[2]] + parts[1:])
        out.append(Field(hit[0], hit[1], value, order))
    return out


def _fields_from_table(table: Table, order: int) -> list[Field]:
    out: list[Field] = []
    for row in table.rows:
        cells = [c for c in row.cells if not c.covered]
        texts = [ws(c.text) for c in cells]
        if len(texts) == 2:
            hit = match_label(texts[0], whole=True)
            if hit and texts[1]:
                out.append(Field(hit[0], hit[1], texts[1], order))
            continue
        for i, text in enumerate(texts[:-1]):
            if text.endswith(":"):
                hit = match_label(text, whole=True)
                if hit and texts[i + 1] and not texts[i + 1].endswith(":"):
                    out.append(Field(hit[0], hit[1], texts[i + 1], order))
    return out


def _history_version(table: Table) -> str:
    """The last version listed in a version-history table (a column headed "Version")."""
    rules_ = compiled()
    col = None
    found = ""
    for row in table.rows:
        cells = [c for c in row.cells if not c.covered]
        if col is None:
            for c in cells:
                if _norm(c.text) in rules_.history_headers:
                    col = c.col
                    break
            continue
        cell = row.cell_at(col)
        text = ws(cell.text) if cell is not None else ""
        m = rules_.version_value.search(text)
        if m and re.fullmatch(r"(?i)(?:version|ver\.?|v)?\s*" + re.escape(m.group(1)), text):
            found = m.group(1)
    return found


# --------------------------------------------------------------------------- the cover

@dataclass
class Cover:
    lines: list[str]  # first_page_lines
    blocks: list[Block]  # the first blocks of the first page
    tables: list[Table]  # tables on the first pages
    fields: list[Field]
    body_size: float


def _cover(layout: LayoutDocument) -> Cover:
    rules_ = compiled()
    first_page = layout.pages[0].number if layout.pages else 1
    blocks = [b for b in layout.blocks if b.page == first_page and ws(b.text)][: rules_.cover_blocks]
    tables = [t for t in layout.tables if t.page_first < first_page + rules_.cover_pages]
    fields: list[Field] = []
    order = 0
    for line in layout.first_page_lines:
        fields += _fields_from_line(line, order)
        order += 1
    for table in tables:
        fields += _fields_from_table(table, order)
        order += 1
    sizes = [b.font_size for b in layout.blocks if b.font_size and b.kind != "heading"]
    body = statistics.median(sizes) if sizes else 0.0
    return Cover(list(layout.first_page_lines), blocks, tables, fields, body)


def _first(fields: list[Field], family: str) -> Optional[Field]:
    hits = [f for f in fields if f.family == family]
    return min(hits, key=lambda f: f.order) if hits else None


# --------------------------------------------------------------------------- the four fields

def document_metadata(layout: LayoutDocument) -> dict[str, str]:
    cover = _cover(layout)
    title = cover_title(cover, layout)
    doc_date, source = dated(cover, layout)
    return {
        "title": title,
        "organisation": cover_organisation(cover, layout, title),
        "version": cover_version(cover),
        "doc_date": doc_date,
        "doc_date_source": source,
    }


def cover_title(cover: Cover, layout: LayoutDocument) -> str:
    labelled = _first(cover.fields, "title")
    if labelled is not None:
        return ws(labelled.value)
    lines = _title_blocks(cover)
    if lines:
        return ws(" ".join(b.text for b in lines))
    # the file's own title property: what the writing tool put around the file name goes
    return ws(compiled().file_title_noise.sub("", layout.metadata.get("title", "")))


def _title_blocks(cover: Cover) -> list[Block]:
    """The cover's title: the block in a title style or in the largest type, with the blocks next to it
    set nearly as large (a title printed over two or three lines)."""
    rules_ = compiled()
    blocks = [b for b in cover.blocks if not _not_title(b.text)]
    if not blocks:
        return []
    styled = [i for i, b in enumerate(blocks) if b.style and b.style.casefold() in rules_.title_styles]
    if styled:
        seed = styled[0]
    else:
        seed = max(range(len(blocks)), key=lambda i: (blocks[i].font_size, -i))
        if not blocks[seed].font_size or (cover.body_size and
                                          blocks[seed].font_size < cover.body_size * rules_.title_min_ratio):
            return []
    size, seed_bold = blocks[seed].font_size, blocks[seed].bold
    lo = hi = seed
    all_idx = {id(b): i for i, b in enumerate(cover.blocks)}

    def joins(a: Block, b: Block) -> bool:  # b sits right next to a in the cover and is set large
        if abs(all_idx[id(a)] - all_idx[id(b)]) != 1:
            return False
        if b.style and b.style.casefold() in rules_.title_styles:
            return True
        large = not cover.body_size or b.font_size >= cover.body_size * rules_.title_min_ratio
        return bool(size) and large and b.font_size >= size * rules_.title_join_ratio and b.bold == seed_bold

    while hi + 1 < len(blocks) and joins(blocks[hi], blocks[hi + 1]):
        hi += 1
    while lo - 1 >= 0 and joins(blocks[lo], blocks[lo - 1]):
        lo -= 1
    return blocks[lo: hi + 1]


def _not_title(text: str) -> bool:
    """Cover lines that are never part of the title: the organisation, a date, a version, a label."""
    rules_ = compiled()
    t = ws(text)
    return (_org_strength(t) == 2 or bool(rules_.bare_date.match(t)) or bool(rules_.version_line.match(t))
            or match_label(t.split(" | ")[0], whole=False) is not None or " | " in t)


def _org_strength(text: str) -> int:
    """2 = an organisation name by a strong marker, 1 = by a weak one, 0 = not an organisation."""
    rules_ = compiled()
    t = ws(text)
    if not t or len(t.split()) > rules_.org_max_words or t.endswith((".", ":", "?")):
        return 0
    if rules_.not_org.search(t) or re.search(r"\d{3,}", t):
        return 0
    if t[:1].islower() or rules_.open_end.search(t) or any(
            w[:1].islower() and w.casefold() not in rules_.small_words for w in re.findall(r"[^\W\d_][\w'-]*", t)):
        # a name is capitalised but for its small words: this is a line of a sentence wrapped in a cell ("the
        # Department for Transport to organise and", "Transparency Board to invite the Information")
        return 0
    if rules_.strong.search(t):
        return 2
    if rules_.weak.search(t):
        return 1
    return 0


def cover_organisation(cover: Cover, layout: LayoutDocument, title: str = "") -> str:
    labelled = _first(cover.fields, "organisation")
    if labelled is not None:
        return ws(labelled.value)
    candidates: list[str] = []
    for k, line in enumerate(cover.lines):
        parts = [p.strip() for p in line.split(" | ")]
        if match_label(parts[0], whole=True) or match_label(parts[0], whole=False):
            continue
        if k + 1 < len(cover.lines) and cover.lines[k + 1].lstrip()[:1].islower():
            continue  # the next line carries on its sentence: a statement wrapped over lines, not a name
        candidates += parts
    candidates += [ws(b.text) for b in cover.blocks]
    folded_title = _norm(title)
    candidates = [c for c in candidates if c and (not folded_title or _norm(c) not in folded_title)]
    strengths: dict[int, int] = {}  # each candidate's, worked out once (a cover table can give hundreds)
    for strength in (2, 1):
        for i, c in enumerate(candidates):
            if i not in strengths:
                strengths[i] = _org_strength(c)
            if strengths[i] == strength:
                return c
    for key in ("company", "author", "creator"):
        value = ws(layout.metadata.get(key, ""))
        if _org_strength(value) == 2:
            return value
    return ""


def cover_version(cover: Cover) -> str:
    rules_ = compiled()
    for f in sorted((f for f in cover.fields if f.family == "version"), key=lambda f: f.order):
        m = rules_.version_value.search(f.value)
        if m:
            return m.group(1)
    for line in cover.lines + [ws(b.text) for b in cover.blocks]:
        m = rules_.version_line.match(line.replace(" | ", " ").strip())
        if m:
            return m.group(1)
    for table in cover.tables:
        found = _history_version(table)
        if found:
            return found
    return ""


def _parse_date(text: str) -> str:
    try:
        from extractor.fields.dates import parse_due
    except ImportError:  # the date normaliser is not there: no date rather than no metadata
        return ""
    return parse_due(text).due_date or ""


def cover_date(cover: Cover, layout: LayoutDocument) -> str:
    return dated(cover, layout)[0]


def dated(cover: Cover, layout: LayoutDocument) -> tuple[str, str]:
    """(date, where from) the document gives for itself: the most preferred label with a readable date (the
    first printed among equals), else a bare date line on the cover, else (a last resort, which later
    stages never use to give a year to year-less dates) the file's creation date."""
    rules_ = compiled()
    labelled = sorted((f for f in cover.fields if f.family == "date"), key=lambda f: (f.rank, f.order))
    for f in labelled:
        iso = _parse_date(f.value)
        if iso:
            return iso, DocDateSource.COVER_LABEL.value
    for line in cover.lines + [ws(b.text) for b in cover.blocks]:
        text = line.replace(" | ", " ").strip()
        if rules_.bare_date.match(text):
            iso = _parse_date(text)
            if iso:
                return iso, DocDateSource.COVER_TEXT.value
    for line in cover.lines[: rules_.title_date_lines]:
        m = rules_.title_date.search(line.replace(" | ", " ").strip())
        iso = _parse_date(m.group("date")) if m else ""
        if iso:
            return iso, DocDateSource.COVER_TEXT.value
    iso = _property_date(layout.metadata)
    return (iso, DocDateSource.FILE_METADATA.value) if iso else ("", DocDateSource.NONE.value)


def _property_date(meta: dict[str, str]) -> str:
    for key in ("created", "creationdate", "modified", "moddate"):
        value = (meta.get(key) or "").strip()
        m = re.match(r"^(?:D:)?(\d{4})-?(\d{2})-?(\d{2})", value)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return ""
