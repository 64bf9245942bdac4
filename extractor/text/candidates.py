"""Objective candidates: the statements of the running text (never a table) that could be objectives, found by
their structure alone. What they say is read by reading.py; which are objectives is decided in objectives.py.

    paragraphs       blocks -> paragraphs, PDF lines that wrapped or broke over a page folded back in
    candidates       paragraphs -> candidates: labelled items ("L1.", "13)", "a)"), "Aim: ..." lines, named
                     statements ("Priority 2: ...", and the statement under a bare "Commitment 3" label), bullets
                     under a "We will:" lead-in; each with its section (nearest heading above), the plain line
                     that introduces its list, and its parent item

Labels come from Block.list_label (Word auto-numbering) when there is one, else from the start of the text. Every
wording (labels, lead-ins, named labels) is in rules/objectives.yaml.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from extractor.model import Block, LayoutDocument, Table
from extractor.settings import Settings, current, validator
from extractor.strings import ws
from extractor.text import nlp as nlp_mod

TERMINAL = (".", "!", "?")


# --------------------------------------------------------------------------- rules, compiled once

@dataclass(frozen=True)
class LabelRule:
    kind: str
    scheme: str
    level: int
    regex: re.Pattern


@dataclass(frozen=True)
class Compiled:
    labels: tuple[LabelRule, ...]
    bullets: frozenset[str]
    named: tuple[re.Pattern, ...]
    named_alone: tuple[re.Pattern, ...]
    aim: tuple[re.Pattern, ...]
    toc: tuple[re.Pattern, ...]
    contents_headings: frozenset[str]
    we_will_lists: bool
    lead_in_max_words: int
    pre_verb: frozenset[str]
    noun_followers: frozenset[str]
    small_words: frozenset[str]
    heading_max_words: int
    run_min_share: float
    run_max_negative_share: float
    strong_run_share: float
    footnote_size_drop: float
    irregular_past: frozenset[str]
    not_before_past: frozenset[str]
    report_min_words: int


def compiled() -> Compiled:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> Compiled:
    data = nlp_mod.objective_rules(settings)
    return Compiled(
        labels=tuple(LabelRule(s["kind"], s["scheme"], s["level"], re.compile(s["regex"])) for s in data["labels"]),
        bullets=frozenset(data["bullets"]),
        named=tuple(re.compile(r) for r in data["named"]),
        named_alone=tuple(re.compile(r) for r in data["named_alone"]),
        aim=tuple(re.compile(r) for r in data["aim"]),
        toc=tuple(re.compile(r) for r in data["toc"]),
        contents_headings=frozenset(fold_words(h) for h in data["contents_headings"]),
        we_will_lists=data["we_will_lists"],
        lead_in_max_words=data["lead_in_max_words"],
        pre_verb=frozenset(w.casefold() for w in data["pre_verb"]),
        noun_followers=frozenset(w.casefold() for w in data["noun_followers"]),
        small_words=frozenset(w.casefold() for w in data["title_small_words"]),
        heading_max_words=data["heading_max_words"],
        run_min_share=float(data["run_min_share"]),
        run_max_negative_share=float(data["run_max_negative_share"]),
        strong_run_share=float(data["strong_run_share"]),
        footnote_size_drop=float(data["footnote_size_drop"]),
        irregular_past=frozenset(w.casefold() for w in data["irregular_past"]),
        not_before_past=frozenset(w.casefold() for w in data["not_before_past"]),
        report_min_words=data["report_min_words"],
    )


def fold_words(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.casefold()).strip()


# --------------------------------------------------------------------------- labels

@dataclass
class Label:
    kind: str  # referenced | numbered | lettered | paragraph
    scheme: str  # prefixed | number | letter | roman | upper | decimal
    level: int
    label: str  # "L1", "13", "a", "4.1"
    printed: str  # as printed, trailing "." / ":" dropped: "L1", "13)", "(a)", "4.1"

    @property
    def prefix(self) -> str:  # "L" of "L1", "CF" of "CF3"
        return re.sub(r"\d.*$", "", self.label) if self.scheme == "prefixed" else ""

    @property
    def number(self) -> Optional[int]:
        """Position in its sequence: 13 for "13)", 2 for "b)", 1 for "L1"."""
        if self.scheme in ("number", "prefixed"):
            digits = re.search(r"\d+", self.label)
            return int(digits.group()) if digits else None
        if self.scheme in ("letter", "upper") and len(self.label) == 1:
            return ord(self.label.casefold()) - ord("a") + 1
        if self.scheme == "roman":
            return _roman(self.label)
        return None


def _roman(text: str) -> Optional[int]:
    values = {"i": 1, "v": 5, "x": 10}
    total, prev = 0, 0
    for ch in reversed(text.casefold()):
        v = values.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def parse_label(text: str) -> tuple[Optional[Label], str]:
    """(label, rest of the text) for a label at the start of `text`; (None, text) when there is none."""
    stripped = text.lstrip()
    for rule in compiled().labels:
        m = rule.regex.match(stripped)
        if m:
            printed = m.group(0).strip().rstrip(".:")
            rest = stripped[m.end():].lstrip(" \t-–—:")
            return Label(rule.kind, rule.scheme, rule.level, m.group("label"), printed), rest.strip()
    return None, text.strip()


def is_bullet(label: str) -> bool:
    return bool(label) and label.strip() in compiled().bullets


def block_label(block: Block, text: Optional[str] = None) -> tuple[Optional[Label], str, bool]:
    """(label, text without it, is a plain bullet) for one block: the Word list label when there is one,
    else a label printed at the start of the text (`text`: the block's text with continuations)."""
    text = ws(block.text if text is None else text)
    if block.list_label:
        if is_bullet(block.list_label):
            return None, text, True
        lab, _ = parse_label(block.list_label.strip() + " ")
        if lab is not None:
            return lab, text, False
        return None, text, True  # an unrecognised glyph or picture bullet
    lab, rest = parse_label(text)
    return lab, rest, False


# --------------------------------------------------------------------------- step 1: paragraphs

@dataclass
class Para:
    """A block of running text, with lines the PDF split off folded back in."""
    block: Block  # the first block (its label, style, left edge)
    text: str
    page: int
    tail: Optional[Block] = None  # the last block folded in (where the text now ends)
    small: bool = False  # printed smaller than the body text (a footnote)

    @property
    def last(self) -> Block:
        return self.tail or self.block


def body_font_size(layout: LayoutDocument) -> float:
    """The size most of the running text is printed in (0 when the format does not say)."""
    sizes: Counter[float] = Counter()
    for b in layout.blocks:
        if b.kind != "heading" and b.font_size:
            sizes[round(b.font_size, 1)] += len(b.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def paragraphs(layout: LayoutDocument) -> list[object]:
    """Blocks (as Para) and Tables in reading order. In a PDF, a list item's wrapped lines can come out as
    separate blocks (a run of bold words makes a line look like a heading; a page break splits the
    item); they are folded back into the item."""
    out: list[object] = []
    last: Optional[Para] = None  # the last list item that text may continue
    body = body_font_size(layout)
    drop = compiled().footnote_size_drop
    for item in layout.items:
        if isinstance(item, Table):
            out.append(item)
            last = None
            continue
        if not isinstance(item, Block) or not ws(item.text):
            continue
        if last is not None and _continues(last, item, out):
            last.text = f"{last.text} {ws(item.text)}"
            last.tail = item
            continue
        if out and isinstance(out[-1], Para) and _wraps_heading(out[-1], item):
            out[-1].text = f"{out[-1].text} {ws(item.text)}"
            out[-1].tail = item
            continue
        small = bool(body and item.font_size and item.kind != "heading" and item.font_size <= body - drop)
        para = Para(item, ws(item.text), item.page, small=small)
        out.append(para)
        label, _, bullet = block_label(item)
        last = para if (label is not None or bullet or item.kind == "list_item") else None
    return out


def _wraps_heading(prev: Para, block: Block) -> bool:
    """A PDF heading printed over two lines comes out as two heading blocks: same type, line spacing."""
    first, tail, b = prev.block, prev.last, block
    if first.kind != "heading" or b.kind != "heading" or tail.bbox is None or b.bbox is None:
        return False
    if b.page != tail.page or abs((first.font_size or 0) - (b.font_size or 0)) > 0.3 or first.bold != b.bold:
        return False
    if block_label(b)[0] is not None or abs(b.bbox[0] - first.bbox[0]) > 3:
        return False
    gap = b.bbox[1] - tail.bbox[3]
    return -1 <= gap <= 0.6 * (b.font_size or 10.0)


def _continues(prev: Para, block: Block, out: list[object]) -> bool:
    """Does `block` carry on the text of list item `prev` (PDF geometry only)? It must be indented past
    the item's label and either follow at line spacing or open the next page."""
    first, tail, b = prev.block, prev.last, block
    if first.bbox is None or tail.bbox is None or b.bbox is None or b.list_label:
        return False
    label, _, _ = block_label(b)
    if label is not None or _named_alone(ws(b.text)) is not None:
        return False
    if first.font_size and b.font_size and abs(first.font_size - b.font_size) > 0.6:
        return False
    indented = b.bbox[0] > first.bbox[0] + 3
    if b.page == tail.page:
        gap = b.bbox[1] - tail.bbox[3]
        line = b.font_size or (b.bbox[3] - b.bbox[1]) or 10.0
        return indented and -1 <= gap <= 0.8 * line
    if b.page == tail.page + 1 and out and out[-1] is prev:
        ends_open = not prev.text.rstrip().endswith(TERMINAL + (":",))
        return ends_open and (indented or b.text[:1].islower())
    return False


# --------------------------------------------------------------------------- step 2: candidates

@dataclass
class Candidate:
    para: Para
    kind: str  # referenced | numbered | lettered | paragraph | aim | priority | we_will
    text: str
    section: str
    label: Optional[Label] = None
    ref: str = ""
    parent: Optional["Candidate"] = None
    in_contents: bool = False
    is_heading: bool = False  # the block is a heading (named priorities may be)
    intro: str = ""  # the plain line introducing the list the item is in ("The plan has these elements:")
    named_by: str = ""  # the label that names it ("Objective 1", "Aim:", "Commitment 3")
    bare: bool = False  # the statement under a label printed on a line of its own ("Commitment 3")
    lead_in: str = ""  # the "We will:" line above a we_will bullet
    reading: object = None  # reading.Reading, set by reading.read
    accepted: bool = False
    evidence: list[str] = field(default_factory=list)  # why it is an objective
    reason: str = ""  # why it is not
    children: list["Candidate"] = field(default_factory=list)

    @property
    def top(self) -> bool:
        return self.parent is None

    @property
    def named(self) -> bool:
        return self.kind in ("aim", "priority")


def _named(text: str) -> Optional[tuple[str, str]]:
    for rx in compiled().named:
        m = rx.match(text)
        if m:
            return ws(m.group("label")), ws(m.group("text"))
    return None


def _named_alone(text: str) -> Optional[str]:
    """"Commitment 3" / "Priority two" standing alone: the label of the statement that follows."""
    for rx in compiled().named_alone:
        m = rx.match(text)
        if m:
            return ws(m.group("label"))
    return None


def _aim(text: str) -> Optional[str]:
    for rx in compiled().aim:
        m = rx.match(text)
        if m:
            return ws(m.group("text"))
    return None


def _split_named(text: str) -> list[str]:
    """"Objective 1: To ... . Objective 2: To ..." printed as one paragraph -> one piece per label."""
    if not (_named(text) or _aim(text) is not None):
        return [text]
    cuts = [m.end() for m in re.finditer(r"[.!?;]\s+", text)
            if _named(text[m.end():]) or _aim(text[m.end():]) is not None]
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


@dataclass
class _State:
    section: str = ""
    in_contents: bool = False
    lead_in: str = ""  # the open "We will:" line
    open_items: list[Candidate] = field(default_factory=list)  # the current chain of labelled items
    intro: str = ""  # the last plain paragraph in this section
    pending_name: str = ""  # a bare "Commitment 3" waiting for its statement
    statement: Optional[Candidate] = None  # a named statement ending with ":" that takes the bullets below


def candidates(paras: list[object], reader: nlp_mod.Nlp) -> list[Candidate]:
    out: list[Candidate] = []
    st = _State()
    for item in paras:
        if isinstance(item, Table):
            st.lead_in, st.statement, st.pending_name = "", None, ""
            continue
        _one(item, st, out, reader)
    return out


def _one(para: Para, st: _State, out: list[Candidate], reader: nlp_mod.Nlp) -> None:
    rules = compiled()
    block, text = para.block, para.text
    label, rest, bullet = block_label(block, text)
    if st.statement is not None and (bullet or block.kind == "list_item") and label is None and rest:
        st.statement.text = f"{st.statement.text} {rest}"  # a bullet of the commitment's box
        return
    st.statement = None
    alone = _named_alone(text)
    if alone is not None:
        st.pending_name = alone
        return
    if st.pending_name and block.kind != "heading" and label is None and not bullet:
        cand = Candidate(para, "priority", text, st.section, ref=st.pending_name, in_contents=st.in_contents,
                         named_by=st.pending_name, bare=True)
        out.append(cand)
        st.section, st.pending_name, st.open_items, st.intro = cand.ref, "", [], ""
        st.statement = cand if text.rstrip().endswith(":") else None
        return
    st.pending_name = ""
    pieces = _split_named(text)
    if len(pieces) > 1:
        for piece in pieces:
            named = _named(piece)
            if named:
                out.append(Candidate(para, "priority", named[1], st.section, ref=named[0],
                                     in_contents=st.in_contents, named_by=named[0]))
            elif _aim(piece) is not None:
                out.append(Candidate(para, "aim", _aim(piece), st.section, in_contents=st.in_contents,
                                     named_by="Aim:"))
        st.open_items, st.lead_in = [], ""
        return
    named = _named(text)
    if block.kind == "heading" and not (named or _aim(text)):
        st.section = text
        st.in_contents = fold_words(re.sub(r"\d+$", "", text)) in rules.contents_headings
        st.lead_in, st.open_items, st.intro = "", [], ""
        return
    if named:
        out.append(Candidate(para, "priority", named[1], st.section, ref=named[0], in_contents=st.in_contents,
                             is_heading=block.kind == "heading", named_by=named[0]))
        if block.kind == "heading":
            st.section = text
        st.open_items, st.lead_in = [], ""
        return
    aim = _aim(text)
    if aim is not None:
        out.append(Candidate(para, "aim", aim, st.section, in_contents=st.in_contents, named_by="Aim:"))
        st.open_items, st.lead_in = [], ""
        return
    if label is None and not bullet and block.kind != "list_item":
        st.lead_in = text if rules.we_will_lists and is_lead_in(text, reader) else ""
        st.open_items = st.open_items if st.lead_in else []
        st.intro = text
        return
    if bullet or label is None:
        if st.lead_in and rest:
            out.append(Candidate(para, "we_will", rest, st.section, in_contents=st.in_contents, lead_in=st.lead_in))
        return
    if label.kind == "paragraph":
        st.open_items = []
        out.append(Candidate(para, "paragraph", rest, st.section, label=label, ref=label.printed,
                             in_contents=st.in_contents, intro=st.intro))
        st.intro = rest  # "2.1 The Committee is asked to:" introduces the list below it
        return
    _labelled(para, label, rest, st, out)


def _labelled(para: Para, label: Label, rest: str, st: _State, out: list[Candidate]) -> None:
    label = _roman_or_letter(label, st.open_items)
    parent = _parent_for(label, para.block, st.open_items)
    if parent is None:
        cand = Candidate(para, label.kind, rest, st.section, label=label, ref=label.printed,
                         in_contents=st.in_contents, intro=st.intro)
        st.open_items = [cand]
    else:
        cand = Candidate(para, "lettered", rest, st.section, label=label, ref=f"{parent.ref} {label.printed}",
                         parent=parent, in_contents=st.in_contents)
        parent.children.append(cand)
        depth = st.open_items.index(parent)
        st.open_items = st.open_items[: depth + 1] + [cand]
    if st.lead_in and parent is None:
        cand.lead_in = st.lead_in
        cand.kind = "we_will" if label.kind == "lettered" and label.scheme != "upper" else cand.kind
    out.append(cand)


def _roman_or_letter(label: Label, open_items: list[Candidate]) -> Label:
    """"i)" after "a)"...: a roman sub-sub-item, unless the letters have reached "h)"."""
    if label.scheme != "letter" or label.label not in ("i", "v", "x"):
        return label
    letters = [c for c in open_items if c.label and c.label.scheme == "letter"]
    if letters and letters[-1].label.label != chr(ord(label.label) - 1):
        return Label("lettered", "roman", 2, label.label, label.printed)
    return label


def _parent_for(label: Label, block: Block, open_items: list[Candidate]) -> Optional[Candidate]:
    """The open item this label nests under: the nearest one of a lower level, drawn further left."""
    for cand in reversed(open_items):
        if cand.label is None or cand.label.level >= label.level:
            if cand.label is not None and cand.label.scheme == label.scheme:
                # a sibling: nest under the sibling's parent
                return cand.parent
            continue
        if _deeper(block, cand.para.block):
            return cand
    return None


def _deeper(block: Block, parent: Block) -> bool:
    if block.bbox and parent.bbox and block.page == parent.page:
        return block.bbox[0] > parent.bbox[0] + 2
    if block.level != parent.level:
        return block.level > parent.level
    return True


def is_lead_in(text: str, reader: nlp_mod.Nlp) -> bool:
    """A short line that introduces a list of commitments: "We will:", "Over the next year we will:",
    "The Council will:" -- but not the tail of a narrative sentence ("In continuing to demonstrate this,
    we will:"): no verb may come before the subject."""
    text = text.strip()
    if not text.endswith(":") or len(text.split()) > compiled().lead_in_max_words:
        return False
    doc = reader(text)
    starts = [start for m_id, start, _ in reader.matcher(doc) if reader.nlp.vocab.strings[m_id] == "LEAD_IN"]
    if not starts:
        return False
    before = doc[: min(starts)]
    return not any(t.is_alpha and (reader.is_verb(t.lower_) or reader.is_verb(t.lemma_) or t.lower_.endswith("ing"))
                   for t in before)
