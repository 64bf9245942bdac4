"""Recognise header rows and map their columns to canonical fields (vocabulary: rules/headers.yaml)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractor import rules
from extractor.settings import Settings, current, validator

SCHEMA = {"fields": {"*": ["str"]}, "reject": ["str"], "min_fields": "int", "require_any": ["str"]}
FIELDS = ("ref", "goal", "text", "owner", "lead", "due", "start", "progress", "status", "rag", "measure")


@dataclass
class Vocabulary:
    wordings: dict[str, str]  # normalised wording -> field
    reject: tuple[str, ...]  # words that mark a non-action table
    min_fields: int
    require_any: tuple[str, ...]
    memo: dict[str, tuple[Optional[str], int]] = field(default_factory=dict)  # field_of's answers


def vocabulary() -> Vocabulary:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> Vocabulary:
    data = settings.rules("headers", SCHEMA)
    unknown = set(data["fields"]) - set(FIELDS)
    if unknown:
        raise rules.RulesError(f"rules/headers.yaml.fields: unknown field(s) {', '.join(sorted(unknown))} "
                               f"(known: {', '.join(FIELDS)})")
    wordings: dict[str, str] = {}
    for f, words in data["fields"].items():
        for w in words:
            wordings.setdefault(norm_header(w), f)
    return Vocabulary(wordings, tuple(norm_header(r) for r in data["reject"]), data["min_fields"],
                      tuple(data["require_any"]))


def norm_header(text: str) -> str:
    t = text.casefold().replace("&", " and ")
    t = re.sub(r"[^\w%#/]+", " ", t)
    t = re.sub(r"\s*/\s*", "/", t)
    return re.sub(r"\s+", " ", t).strip()


def field_of(cell_text: str) -> tuple[Optional[str], int]:
    """(field, strength) for one header cell: 2 = a known wording exactly, 1 = starts with one (longest
    first: "Progress update (Jan 2020)") or, in a label of up to three words, contains one ("Key
    milestones"); (None, 0) otherwise. Dictionary look-ups over word prefixes and n-grams.

    A narrow column can break a word over two lines ("RA|G", "Prog|ress"): when the label as read
    matches nothing, the label with one space removed is tried (a known wording exactly only)."""
    vocab = vocabulary()
    found = vocab.memo.get(cell_text)
    if found is None:
        if len(vocab.memo) > 65536:
            vocab.memo.clear()
        found = vocab.memo[cell_text] = _field_of(cell_text, vocab.wordings)
    return found


def _field_of(cell_text: str, wordings: dict[str, str]) -> tuple[Optional[str], int]:
    t = norm_header(cell_text)
    found = _field_of_normalised(t)
    if found[0] is None and 0 < t.count(" ") <= 3:
        for i in (i for i, ch in enumerate(t) if ch == " "):
            glued = t[:i] + t[i + 1:]
            if glued in wordings:
                return wordings[glued], 2
    return found


def _field_of_normalised(t: str) -> tuple[Optional[str], int]:
    if not t or len(t) > 60:
        return None, 0
    wordings = vocabulary().wordings
    if t in wordings:
        return wordings[t], 2
    words = t.split()
    if len(words) > 8:  # a sentence, not a column label
        return None, 0
    for k in range(len(words) - 1, 0, -1):  # longest prefix of whole words
        prefix = " ".join(words[:k])
        if len(prefix) >= 3 and prefix in wordings:
            return wordings[prefix], 1
    head = t.split("/")[0]
    if head != t and len(head) >= 3 and head in wordings:  # "timescale/deadline"
        return wordings[head], 1
    if len(words) <= 3:
        tokens = [p for w in words for p in w.split("/")]
        for n in range(len(tokens), 0, -1):
            for i in range(len(tokens) - n + 1):
                gram = " ".join(tokens[i:i + n])
                if len(gram) >= 3 and gram in wordings:
                    return wordings[gram], 1
    return None, 0


def is_rejected(cell_text: str) -> bool:
    t = norm_header(cell_text)
    reject = vocabulary().reject
    return any(re.search(rf"(^|\W){re.escape(r)}($|\W)", t) for r in reject)


@dataclass
class HeaderMap:
    columns: dict[int, str]  # grid column -> field
    texts: list[str]  # the header cells' texts, by grid column ("" where none)

    def col(self, field: str) -> Optional[int]:
        for c, f in self.columns.items():
            if f == field:
                return c
        return None


def match_header(cells: list[tuple[int, str]]) -> Optional[HeaderMap]:
    """cells: (grid column, text) of one (possibly merged multi-line) header row. A HeaderMap when the row
    names enough action-plan columns, else None."""
    vocab = vocabulary()
    min_fields, require_any = vocab.min_fields, vocab.require_any
    found: dict[int, tuple[str, int]] = {}
    unmatched = 0
    for col, text in cells:
        if not text.strip():
            continue
        f, strength = field_of(text)
        if f is None:
            unmatched += 1
            continue
        found[col] = (f, strength)
    columns = _resolve_duplicates(found)
    fields = set(columns.values())
    if len(fields) < min_fields or not fields & set(require_any):
        return None
    if unmatched > len(columns):  # a row of prose that happens to contain two header words
        return None
    texts_by_col = dict(cells)
    if "text" not in fields:
        # no action column: the goal/recommendation column holds what is to be done
        goal_col = next(c for c, f in sorted(columns.items()) if f == "goal")
        if is_rejected(texts_by_col.get(goal_col, "")):
            return None
        columns[goal_col] = "text"
    action_col = next(c for c, f in columns.items() if f == "text")
    if is_rejected(texts_by_col.get(action_col, "")):
        return None
    if "owner" not in columns.values() and "lead" in columns.values():
        lead_col = next(c for c, f in columns.items() if f == "lead")
        columns[lead_col] = "owner"  # a sole "lead" column is the owner
    width = max((c for c, _ in cells), default=-1) + 1
    texts = [""] * width
    for c, t in cells:
        texts[c] = t
    return HeaderMap(columns=columns, texts=texts)


def _resolve_duplicates(found: dict[int, tuple[str, int]]) -> dict[int, str]:
    """One column per field: the strongest match, then the leftmost; the others become extra columns,
    except a second owner-like column, which is the lead, and a second goal-like column left of the
    action, which stays unmapped."""
    by_field: dict[str, list[tuple[int, int]]] = {}
    for col, (f, strength) in found.items():
        by_field.setdefault(f, []).append((col, strength))
    out: dict[int, str] = {}
    for f, cols in by_field.items():
        cols.sort(key=lambda cs: (-cs[1], cs[0]))
        out[cols[0][0]] = f
        if f == "owner" and len(cols) > 1 and "lead" not in by_field:
            out[sorted(c for c, _ in cols[1:])[0]] = "lead"
        if f == "text" and len(cols) > 1:
            pass  # extra description columns stay unmapped
    return out
