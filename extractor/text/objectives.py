"""Narrative objectives: what the running text (never a table) says the organisation will do.

A pure sequence of named steps over the layout's blocks:

    _paragraphs      blocks -> paragraphs, PDF lines that wrapped or broke over a page folded back in
    _candidates      paragraphs -> candidates: labelled items ("L1.", "13)", "a)"), "Aim: ..." lines,
                     named priorities ("Priority 2: ..."), bullets under a "We will:" lead-in; each with
                     its section (nearest heading above) and its parent item
    _read            spaCy reads every candidate's text: starts with a verb? commits (will / aim to)?
                     states a purpose (to ensure / so that)? a heading or a contents line?
    _accept          which candidates are objectives: on their own merit, or as members of a numbered
                     run (one list, 1) 2) 3) ...) that mostly reads as commitments; sub-items follow
                     their parent
    extract_objectives   -> Objective records in reading order

Labels come from Block.list_label (Word auto-numbering) when there is one, else from the start of the
text. Every wording (labels, lead-ins, verbs, patterns) is in rules/objectives.yaml; spaCy (extractor.text.nlp)
matches it over tokens and lemmas.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from extractor.model import Block, LayoutDocument, Objective, Table
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


def compiled() -> Compiled:
    return current().compiled(_compile)


@validator
def _compile(settings: Settings) -> Compiled:
    data = nlp_mod.objective_rules(settings)
    return Compiled(
        labels=tuple(LabelRule(s["kind"], s["scheme"], s["level"], re.compile(s["regex"])) for s in data["labels"]),
        bullets=frozenset(data["bullets"]),
        named=tuple(re.compile(r) for r in data["named"]),
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

    @property
    def last(self) -> Block:
        return self.tail or self.block


def _paragraphs(layout: LayoutDocument) -> list[object]:
    """Blocks (as Para) and Tables in reading order. In a PDF, a list item's wrapped lines can come out as
    separate blocks (a run of bold words makes a line look like a heading; a page break splits the
    item); they are folded back into the item."""
    out: list[object] = []
    last: Optional[Para] = None  # the last list item that text may continue
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
        para = Para(item, ws(item.text), item.page)
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
    if label is not None:
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
    # set by _read
    context: bool = False  # its heading or intro names the list a plan / objectives (LIST_CONTEXT)
    sentences: list[str] = field(default_factory=list)
    imperative: bool = False
    commits: bool = False
    heading_like: bool = False
    toc: bool = False
    accepted: bool = False
    children: list["Candidate"] = field(default_factory=list)

    @property
    def top(self) -> bool:
        return self.parent is None


def _named(text: str) -> Optional[tuple[str, str]]:
    for rx in compiled().named:
        m = rx.match(text)
        if m:
            return ws(m.group("label")), ws(m.group("text"))
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


def _candidates(paras: list[object], reader: nlp_mod.Nlp) -> list[Candidate]:
    rules = compiled()
    out: list[Candidate] = []
    section = ""
    in_contents = False
    lead_in = False
    open_items: list[Candidate] = []  # the current chain of labelled items, outermost first
    intro = ""  # the last plain paragraph in this section
    for item in paras:
        if isinstance(item, Table):
            lead_in = False
            continue
        para: Para = item
        block, text = para.block, para.text
        pieces = _split_named(text)
        if len(pieces) > 1:
            for piece in pieces:
                named = _named(piece)
                if named:
                    out.append(Candidate(para, "priority", named[1], section, ref=named[0], in_contents=in_contents))
                elif _aim(piece) is not None:
                    out.append(Candidate(para, "aim", _aim(piece), section, in_contents=in_contents))
            open_items, lead_in = [], False
            continue
        named = _named(text)
        if block.kind == "heading" and not (named or _aim(text)):
            section = text
            in_contents = fold_words(re.sub(r"\d+$", "", text)) in rules.contents_headings
            lead_in = False
            open_items = []
            intro = ""
            continue
        if named:
            cand = Candidate(para, "priority", named[1], section, ref=named[0], in_contents=in_contents,
                             is_heading=block.kind == "heading")
            out.append(cand)
            if block.kind == "heading":
                section = text
            open_items, lead_in = [], False
            continue
        aim = _aim(text)
        if aim is not None:
            out.append(Candidate(para, "aim", aim, section, in_contents=in_contents))
            open_items, lead_in = [], False
            continue
        label, rest, bullet = block_label(block, text)
        if label is None and not bullet and block.kind != "list_item":
            lead_in = rules.we_will_lists and _is_lead_in(text, reader)
            open_items = [] if not lead_in else open_items
            intro = text
            continue
        if bullet or label is None:
            if lead_in and rest:
                out.append(Candidate(para, "we_will", rest, section, in_contents=in_contents))
            continue
        if label.kind == "paragraph":
            open_items = []
            out.append(Candidate(para, "paragraph", rest, section, label=label, ref=label.printed,
                                 in_contents=in_contents))
            continue
        label = _roman_or_letter(label, open_items)
        parent = _parent_for(label, block, open_items)
        if parent is None:
            cand = Candidate(para, label.kind, rest, section, label=label, ref=label.printed,
                             in_contents=in_contents, intro=intro)
            open_items = [cand]
        else:
            cand = Candidate(para, "lettered", rest, section, label=label,
                             ref=f"{parent.ref} {label.printed}", parent=parent, in_contents=in_contents)
            parent.children.append(cand)
            depth = open_items.index(parent)
            open_items = open_items[: depth + 1] + [cand]
        if lead_in and parent is None:
            cand.kind = "we_will" if label.kind == "lettered" and label.scheme != "upper" else cand.kind
        out.append(cand)
    return out


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


def _is_lead_in(text: str, reader: nlp_mod.Nlp) -> bool:
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


# --------------------------------------------------------------------------- step 3: read the text

def _read(cands: list[Candidate], reader: nlp_mod.Nlp) -> None:
    rules = compiled()
    texts = [c.text for c in cands]
    contexts = {key: "LIST_CONTEXT" in reader.labels(reader(key)) for key in
                {f"{c.section}. {c.intro}" for c in cands if c.label is not None and c.top}}
    for cand, doc in zip(cands, reader.pipe(texts)):
        found = reader.labels(doc)
        cand.sentences = [sent.text.strip() for sent in doc.sents if sent.text.strip()]
        cand.context = contexts.get(f"{cand.section}. {cand.intro}", False)
        cand.imperative = _starts_with_verb(doc, reader)
        cand.commits = cand.imperative or bool(found & {"COMMIT", "OUTCOME"})
        cand.toc = cand.in_contents or any(rx.search(cand.para.text) for rx in rules.toc) or _page_number_tail(cand)
        cand.heading_like = _heading_like(cand, doc)


def _starts_with_verb(doc, reader: nlp_mod.Nlp) -> bool:
    """Does the statement open with a verb in its base form ("Review the ...", "Proactively support ...",
    "To reset ...", "Co-design ...")? Verbs that are also nouns read as nouns before "of", "&" ..."""
    rules = compiled()
    words = [t for t in doc if not t.is_space]
    i = 0
    while i < len(words) and (words[i].lower_ in rules.pre_verb or
                              (words[i].lower_.endswith("ly") and words[i].is_alpha and len(words[i]) > 4
                               and not reader.is_verb(words[i].lower_))):
        i += 1
    if i >= len(words) or not words[i].is_alpha:
        return False
    word = words[i].lower_
    nxt = words[i + 1].lower_ if i + 1 < len(words) else ""
    if nxt == "-" and i + 2 < len(words):  # Co-design, Re-launch
        word = f"{word}-{words[i + 2].lower_}"
        if not reader.is_verb(word):
            word = words[i + 2].lower_
        nxt = words[i + 3].lower_ if i + 3 < len(words) else ""
    if words[i].text.isupper() and len(words[i].text) > 1:  # an acronym: "GP survey"
        return False
    if not reader.is_verb(word):
        return False
    if reader.is_noun(word) and (nxt in rules.noun_followers or not nxt):
        return False
    return True


def _page_number_tail(cand: Candidate) -> bool:
    """"Introduction 3": a short title followed by a page number."""
    m = re.match(r"^(.*\D)\s+\d{1,3}$", cand.text)
    return bool(m) and _title_case(m.group(1)) and not cand.imperative


def _title_case(text: str) -> bool:
    rules = compiled()
    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", text)]
    if not words or len(words) > rules.heading_max_words:
        return False
    content = [w for w in words if w.casefold() not in rules.small_words]
    return bool(content) and all(w[0].isupper() for w in content)


def _heading_like(cand: Candidate, doc) -> bool:
    """A title rather than a statement: short, no full stop, title case, and not a commitment. (Bold is no
    evidence: Word documents bold whole list items for emphasis.)"""
    text = cand.text.strip()
    if not text:
        return True
    if cand.para.block.kind == "heading":
        return True
    if text.endswith(TERMINAL) or len(text.split()) > compiled().heading_max_words:
        return False
    if cand.commits:
        return False
    return _title_case(text)


# --------------------------------------------------------------------------- step 4: decide

def _runs(cands: list[Candidate]) -> list[list[Candidate]]:
    """Top-level labelled items of one numbering scheme whose numbers go up one at a time."""
    runs: list[list[Candidate]] = []
    open_runs: dict[tuple[str, str], list[Candidate]] = {}
    for cand in cands:
        if not cand.top or cand.label is None or cand.kind == "paragraph" or cand.toc:
            continue
        closer = cand.label.printed[-1:]
        key = (cand.label.scheme, cand.label.prefix, closer if not closer.isalnum() else "")
        number = cand.label.number
        run = open_runs.get(key)
        if run and number is not None and run[-1].label.number is not None and number == run[-1].label.number + 1:
            run.append(cand)
        else:
            run = [cand]
            open_runs[key] = run
            runs.append(run)
    return runs


def _accept(cands: list[Candidate]) -> None:
    rules = compiled()
    for cand in cands:
        if cand.toc or not cand.text:
            continue
        if cand.kind in ("aim", "priority", "we_will") and cand.label is None:
            cand.accepted = True
        elif cand.kind == "paragraph":
            cand.accepted = cand.imperative and not cand.heading_like
        elif cand.top:
            cand.accepted = cand.commits and not cand.heading_like
    for run in _runs(cands):
        share = sum(c.commits and not c.heading_like for c in run) / len(run)
        titles = sum(c.heading_like for c in run) / len(run)
        by_share = share >= rules.run_min_share and (len(run) > 1 or run[0].accepted)
        by_context = len(run) > 1 and run[0].context and titles < 0.5
        if by_share or by_context:
            for c in run:
                if not c.heading_like:
                    c.accepted = True
            _trim_glued_tail(run)
    for cand in cands:  # sub-items follow their parent (parents come first in reading order)
        if not cand.top:
            cand.accepted = cand.parent.accepted and not cand.toc and bool(cand.text) and \
                cand.para.block.kind != "heading"


def _trim_glued_tail(run: list[Candidate]) -> None:
    """PDF: the paragraph after a list can be glued onto its last item ("SO4. Use our resources wisely.
    The action plan below is ..."). When every other item is one sentence, the last keeps its first."""
    last = run[-1]
    if len(run) < 3 or last.para.block.bbox is None or len(last.sentences) < 2:
        return
    if all(len(c.sentences) == 1 for c in run[:-1]):
        last.text = last.sentences[0]


# --------------------------------------------------------------------------- entry points

def extract_objectives(layout: LayoutDocument, doc_id: str, model: Optional[str] = None) -> list[Objective]:
    reader = nlp_mod.load(model)
    cands = _candidates(_paragraphs(layout), reader)
    _read(cands, reader)
    _accept(cands)
    out: list[Objective] = []
    seen: set[tuple[str, str, str]] = set()
    for cand in cands:
        if not cand.accepted:
            continue
        if cand.kind in ("priority", "aim"):  # a priority listed in an overview and again as a heading
            key = (cand.kind, cand.ref.casefold(), fold_words(cand.text))
            if key in seen:
                continue
            seen.add(key)
        kind = cand.kind if cand.kind != "paragraph" else "numbered"
        out.append(Objective(doc_id=doc_id, objective_id=f"{doc_id}-o{len(out) + 1:04d}", ref=cand.ref,
                             parent_ref=cand.parent.ref if cand.parent else "", section=cand.section,
                             kind=kind, text=cand.text, page=cand.para.page))
    return out
