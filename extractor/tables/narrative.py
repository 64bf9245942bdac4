"""Plans written without tables: a numbered title ("Objective 3: Publish the register", "Action 2 – ...", "4. ...")
followed by labelled lines that say who, when and how far ("Lead: Director of Finance", "By when: March 2025",
"Status: On track"). Each such block is one action: the title is its text, the number its ref, each label is
mapped to a field with the header vocabulary (rules/headers.yaml). Two blocks or more make a plan."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Block, RawRow
from extractor.tables.evidence import numbered_heading
from extractor.tables.header import field_of

KEY_FIELDS = ("owner", "lead", "due", "start", "status", "rag", "progress", "measure")
MIN_BLOCKS = 2


@dataclass
class NarrativeAction:
    title: Block
    ref: str
    text: str
    fields: dict[str, str]
    extra: dict[str, str]
    position: int  # index (in the layout items) of the title
    last: int  # index of the block's last line


_COLON = re.compile(r":\s+")
_WORDS_BEFORE = re.compile(r"[A-Za-z/&'\-]+")


def labelled_lines(text: str) -> list[tuple[str, str, str]]:
    """Every "Label: value" a block holds (a PDF paragraph may run several such lines together), as (field,
    key, value); the field is "" for a label the header vocabulary does not know. [] when the block does not
    open with a label."""
    text = text or ""
    labels: list[tuple[int, int, str, str]] = []  # (key start, value start, field, key)
    for colon in _COLON.finditer(text):
        if not labels:  # the block opens with its label: all of the text before the first colon
            key = text[:colon.start()].strip()
            if not key or len(key.split()) > 6:
                return []
            name, strength = field_of(key)
            labels.append((0, colon.end(), name if name in KEY_FIELDS and strength else "", key))
            continue
        before = list(_WORDS_BEFORE.finditer(text[:colon.start()]))[-4:]
        for k in range(len(before) - 1, -1, -1):  # the shortest run of words before the colon that is a label
            start = before[k].start()
            key = text[start:colon.start()].strip()
            name, strength = field_of(key)
            if name in KEY_FIELDS and strength == 2 and key[:1].isupper():
                labels.append((start, colon.end(), name, key))
                break
    out = []
    for k, (_, value_start, name, key) in enumerate(labels):
        end = labels[k + 1][0] if k + 1 < len(labels) else len(text)
        out.append((name, key, text[value_start:end].strip()))
    return out


def find_narrative(items: list) -> dict[int, NarrativeAction]:
    """Narrative actions by the item index of their title, for runs of at least MIN_BLOCKS of them."""
    found: dict[int, NarrativeAction] = {}
    i = 0
    run: list[tuple[int, NarrativeAction]] = []
    while i < len(items):
        block = items[i]
        action = _block_at(items, i) if isinstance(block, Block) else None
        if action is None:
            if len(run) >= MIN_BLOCKS:
                found.update(run)
            run = []
            i += 1
            continue
        run.append((i, action))
        i = action.last + 1
    if len(run) >= MIN_BLOCKS:
        found.update(run)
    return found


def _block_at(items: list, i: int) -> NarrativeAction | None:
    title = items[i]
    ref, text = numbered_heading(title.text)
    if not ref or any(name for name, _, _ in labelled_lines(title.text)[:1]):
        return None
    fields: dict[str, str] = {}
    extra: dict[str, str] = {}
    j = i + 1
    while j < len(items) and isinstance(items[j], Block):
        found = labelled_lines(items[j].text)
        if not found or numbered_heading(items[j].text)[0]:
            break  # prose, or the next numbered title
        for name, key, value in found:
            if name and name not in fields:
                fields[name] = value
            else:
                extra[key] = value
        j += 1
    if not fields:
        return None
    return NarrativeAction(title=title, ref=ref, text=text, fields=fields, extra=extra, position=i, last=j - 1)


def narrative_row(action: NarrativeAction, section: str, index: int) -> RawRow:
    fields = {"text": action.text, "ref": action.ref, **action.fields}
    page = action.title.page
    return RawRow(fields=fields, fills={k: "" for k in fields}, goal="", section=section, page_first=page,
                  page_last=page, table_index=-1, row_index=index, extra=action.extra, confidence=0.7)
