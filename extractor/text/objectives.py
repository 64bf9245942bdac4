"""Narrative objectives: what the running text (never a table) says the organisation will do, decided from
evidence. A pure sequence of named steps:

    paragraphs, candidates   (candidates.py) the statements that could be objectives, by structure: labelled
                             items, "Aim:" lines, named statements ("Objective 1: ...", the box under a bare
                             "Commitment 3"), bullets under a "We will:" lead-in
    read                     (reading.py) what each says: opens with a verb, commits, states a purpose -- or is
                             a title, a contents line, a decision asked of a meeting, a report of what was done,
                             a question, a footnote
    decide                   which are objectives: a named statement on its label; a numbered or lettered item
                             as a member of its list (one numbering run) that mostly reads as commitments or that
                             its heading or lead-in names a plan or objectives, never a list its heading names
                             principles, questions, options ...; sub-items follow their parent. A paper with no
                             action plan and no objectives section keeps only strong evidence.
    judge_objectives         -> every candidate with its verdict, the evidence for it or the reason against
                                (`extractor inspect` shows them) and the Objective records
    extract_objectives       -> the Objective records in reading order

Every wording is in rules/objectives.yaml; spaCy (extractor.text.nlp) matches it over tokens and lemmas.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional

from extractor.model import Block, LayoutDocument, Objective
from extractor.text import nlp as nlp_mod
from extractor.text.candidates import (  # noqa: F401  (parse_label, fold_words, ws: this module's API)
    Candidate,
    block_label,
    candidates,
    compiled,
    fold_words,
    paragraphs,
    parse_label,
    ws,
)
from extractor.text.reading import read

NAMED_KINDS = ("aim", "priority")


@dataclass
class Paper:
    """What kind of paper the objectives come from."""
    has_action_plan: bool
    objectives_section: str = ""  # a heading that names a plan or objectives, or a named objective's label

    @property
    def strict(self) -> bool:
        """No action plan and no objectives section: only strong evidence makes an objective."""
        return not self.has_action_plan and not self.objectives_section


@dataclass
class Judgement:
    paper: Paper
    candidates: list[Candidate] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)


# --------------------------------------------------------------------------- entry points

def extract_objectives(layout: LayoutDocument, doc_id: str, model: Optional[str] = None,
                       has_action_plan: Optional[bool] = None, not_objectives: Sequence[Block] = ()) -> list[Objective]:
    """The document's objectives. `has_action_plan`: whether the document has an action table (the pipeline
    knows; None: find out from the layout). `not_objectives`: blocks the table stage took as something else
    (the numbered heading that titles a plan table is that table's goal)."""
    return judge_objectives(layout, doc_id, model, has_action_plan, not_objectives, paper_if_none=False).objectives


def judge_objectives(layout: LayoutDocument, doc_id: str, model: Optional[str] = None,
                     has_action_plan: Optional[bool] = None, not_objectives: Sequence[Block] = (),
                     paper_if_none: bool = True) -> Judgement:
    """`paper_if_none`: judge the kind of paper (spaCy on every heading) also when no paragraph is a candidate
    (for `inspect`; the pipeline only wants the objectives, and there are none to judge)."""
    reader = nlp_mod.load(model)
    taken = {id(b) for b in not_objectives}
    cands = candidates([p for p in paragraphs(layout) if id(getattr(p, "block", None)) not in taken], reader)
    if not cands and not paper_if_none:
        return Judgement(Paper(bool(has_action_plan)))
    read(cands, reader)
    paper = _paper(layout, cands, has_action_plan, reader)
    decide(cands, paper, _contexts(cands, reader), _action_titles(layout))
    return Judgement(paper, cands, _records(cands, doc_id))


def _records(cands: list[Candidate], doc_id: str) -> list[Objective]:
    out: list[Objective] = []
    seen: set[tuple[str, str, str]] = set()
    for cand in cands:
        if not cand.accepted:
            continue
        if cand.named:  # a priority listed in an overview and again as a heading; a bare label repeated as a
            # running head ("Commitment 3" atop each page of its chapter) names its first statement only
            key = (cand.kind, cand.ref.casefold(), "" if cand.bare else fold_words(cand.text))
            if key in seen:
                continue
            seen.add(key)
        kind = cand.kind if cand.kind != "paragraph" else "numbered"
        out.append(Objective(doc_id=doc_id, objective_id=f"{doc_id}-o{len(out) + 1:04d}", ref=cand.ref,
                             parent_ref=cand.parent.ref if cand.parent else "", section=cand.section,
                             kind=kind, text=cand.text, page=cand.para.page, evidence="; ".join(cand.evidence)))
    return out


# --------------------------------------------------------------------------- paper type and list contexts

OBJECTIVES_CONTEXT = 2  # a _verdict: the text names the paper's objectives, aims, priorities or plan


def _verdict(text: str, reader: nlp_mod.Nlp) -> int:
    """2: the text names objectives, aims, priorities or a plan ("Our aims", "Development plan"); 1: it names a
    list a plan holds (also "Recommendations", "Key actions"); -1: it names something else a numbered list may hold
    (principles, questions, options, criteria, a decision asked of a meeting ...); 0: neither."""
    if not text.strip():
        return 0
    found = reader.labels(reader(text))
    objectives, positive = "OBJECTIVES_SECTION" in found, "LIST_CONTEXT" in found
    if "NOT_OBJECTIVES" in found and not (positive or objectives):
        return -1
    return OBJECTIVES_CONTEXT if objectives else 1 if positive else 0


def _paper(layout: LayoutDocument, cands: list[Candidate], has_action_plan: Optional[bool],
           reader: nlp_mod.Nlp) -> Paper:
    if has_action_plan is None:
        from extractor.tables.stitch import find_plans  # only when the caller does not know

        has_action_plan = bool(find_plans(layout.items).plans)
    named = next((c.named_by for c in cands if c.named and c.named_by and c.reading.against == ""), "")
    if named:
        return Paper(has_action_plan, named)
    for block in layout.items:
        if isinstance(block, Block) and block.kind == "heading" and \
                _verdict(ws(block.text), reader) == OBJECTIVES_CONTEXT:
            return Paper(has_action_plan, ws(block.text))
    return Paper(has_action_plan)


def _context_key(cand: Candidate) -> tuple[str, str]:
    return cand.section, cand.intro


def _contexts(cands: list[Candidate], reader: nlp_mod.Nlp) -> dict[tuple[str, str], int]:
    """(section, intro) -> what they name the list under them (the intro, more specific, speaks first)."""
    out: dict[tuple[str, str], int] = {}
    for cand in cands:
        key = _context_key(cand)
        if cand.label is not None and cand.top and key not in out:
            out[key] = _verdict(cand.intro, reader) or _verdict(cand.section, reader)
    return out


# --------------------------------------------------------------------------- decide

def _accept(cand: Candidate, *evidence: str) -> None:
    cand.accepted, cand.reason = True, ""
    cand.evidence = [e for e in evidence if e]


def _reject(cand: Candidate, reason: str) -> None:
    cand.accepted, cand.evidence, cand.reason = False, [], reason


def _action_titles(layout: LayoutDocument) -> set[int]:
    """ids of the blocks the table stage reads as actions of a plan written without tables (a numbered title
    with its own "Lead:" / "By when:" lines): they are actions, not objectives."""
    from extractor.tables.narrative import find_narrative

    return {id(action.title) for action in find_narrative(layout.items).values()}


def decide(cands: list[Candidate], paper: Paper, contexts: dict[tuple[str, str], int],
           action_titles: frozenset[int] | set[int] = frozenset()) -> None:
    strong: set[int] = set()
    for cand in cands:
        r = cand.reading
        if not cand.text:
            _reject(cand, "no text")
        elif id(cand.para.block) in action_titles:
            _reject(cand, "an action: a numbered title with its own lead / date lines (a plan written as blocks)")
        elif r.against:
            _reject(cand, r.against)
        elif cand.named:
            _named(cand, strong)
        elif cand.kind == "we_will" and cand.label is None:
            _accept(cand, f"a bullet under the lead-in '{cand.lead_in}'")
            strong.add(id(cand))
        elif cand.kind == "paragraph":
            _paragraph(cand, contexts.get(_context_key(cand), 0), strong)
    for run in _runs(cands):
        _run(run, contexts.get(_context_key(run[0]), 0), strong)
    for cand in cands:  # sub-items follow their parent (parents come first in reading order)
        if not cand.top:
            _sub_item(cand, strong)
    if paper.strict:
        for cand in cands:
            if cand.accepted and id(cand) not in strong:
                _reject(cand, "the paper has no action plan and no objectives section, and this is not strong "
                              "evidence")


def _named(cand: Candidate, strong: set[int]) -> None:
    r = cand.reading
    if cand.kind == "aim":
        _accept(cand, "labelled 'Aim:'")
    elif cand.bare:
        if not r.commits:
            _reject(cand, f"the statement under '{cand.ref}' does not read as a commitment")
            return
        _accept(cand, f"the statement under the label '{cand.ref}'", r.for_())
    elif cand.is_heading and not r.states:
        _reject(cand, f"a heading that names an area or a topic ('{cand.ref}: ...'), not a statement")
        return
    else:
        _accept(cand, f"labelled '{cand.ref}'", r.for_() if cand.is_heading else "")
    strong.add(id(cand))


def _paragraph(cand: Candidate, context: int, strong: set[int]) -> None:
    """Paragraph numbering (4.1, 2.7.1) numbers a report's paragraphs as often as a plan's statements: such a
    paragraph is an objective when it opens with a verb, or when its heading names the paper's objectives or aims
    ("3. Our aims": "3.1 A workforce that is skilled and valued.")."""
    r = cand.reading
    if r.heading_like or r.narrates:
        _reject(cand, "a title, not a statement" if r.heading_like else f"reports what was done ('{r.report}')")
    elif context < 0:
        _reject(cand, f"under '{(cand.intro or cand.section)[:60]}', which names something other than objectives")
    elif r.verb:
        _accept(cand, f"numbered paragraph {cand.ref} that {r.for_()}")
    elif context == OBJECTIVES_CONTEXT:
        _accept(cand, f"numbered paragraph {cand.ref} under '{(cand.intro or cand.section)[:60]}', which names "
                      f"the paper's objectives", r.for_())
        strong.add(id(cand))
    else:
        _reject(cand, "a numbered paragraph that does not open with a verb")


def _runs(cands: list[Candidate]) -> list[list[Candidate]]:
    """Top-level labelled items of one numbering scheme whose numbers go up one at a time."""
    runs: list[list[Candidate]] = []
    open_runs: dict[tuple[str, str, str], list[Candidate]] = {}
    for cand in cands:
        if not cand.top or cand.label is None or cand.kind == "paragraph" or cand.reading.toc:
            continue
        last = cand.label.printed[-1:]
        key = (cand.label.scheme, cand.label.prefix, last if not last.isalnum() else "")
        number = cand.label.number
        run = open_runs.get(key)
        if run and number is not None and run[-1].label.number is not None and number == run[-1].label.number + 1:
            run.append(cand)
        else:
            run = [cand]
            open_runs[key] = run
            runs.append(run)
    return runs


def _run(run: list[Candidate], context: int, strong: set[int]) -> None:
    rules = compiled()
    n = len(run)
    positive = [c for c in run if c.reading.commits and not c.reading.heading_like and not c.reading.against]
    titles = sum(c.reading.heading_like for c in run)
    negative = [c for c in run if c.reading.against or c.reading.narrates]
    share = len(positive) / n
    where = run[0].intro or run[0].section
    if context < 0:
        reason = f"in a list that '{where[:60]}' names as something other than objectives"
    elif len(negative) / n > rules.run_max_negative_share:
        reason = (f"in a list of {n} whose items report what was done or ask for a decision "
                  f"({len(negative)} of {n})")
    elif share >= rules.run_min_share and positive:
        for c in run:
            _run_item(c, f"item of a list of {n}, {len(positive)} of which read as commitments",
                      n > 1 and share >= rules.strong_run_share and not negative, strong)
        _trim_glued_tail(run)
        return
    elif n > 1 and context > 0 and titles / n < 0.5:
        for c in run:
            _run_item(c, f"item of a list under '{where[:60]}', which names a plan or objectives", True, strong)
        _trim_glued_tail(run)
        return
    else:
        reason = "does not read as a commitment" if n == 1 else \
            f"in a list of {n} of which only {len(positive)} read as commitments"
    for c in run:
        if not c.reading.against:
            _reject(c, c.reason or reason)


def _run_item(cand: Candidate, why: str, strong_run: bool, strong: set[int]) -> None:
    r = cand.reading
    if r.against:
        return
    if r.heading_like:
        _reject(cand, "a title, not a statement")
        return
    _accept(cand, why, r.for_())
    if strong_run:
        strong.add(id(cand))


def _sub_item(cand: Candidate, strong: set[int]) -> None:
    parent = cand.parent
    if cand.reading.against or not cand.text:
        return
    if not parent.accepted:
        _reject(cand, f"its parent {parent.ref} is not an objective")
    elif cand.para.block.kind == "heading":
        _reject(cand, "a heading")
    else:
        _accept(cand, f"sub-item of {parent.ref}")
        if id(parent) in strong:
            strong.add(id(cand))


def _trim_glued_tail(run: list[Candidate]) -> None:
    """PDF: the paragraph after a list can be glued onto its last item ("SO4. Use our resources wisely.
    The action plan below is ..."). When every other item is one sentence, the last keeps its first."""
    last = run[-1]
    if len(run) < 3 or last.para.block.bbox is None or len(last.reading.sentences) < 2:
        return
    if all(len(c.reading.sentences) == 1 for c in run[:-1]):
        last.text = last.reading.sentences[0]


# --------------------------------------------------------------------------- for `extractor inspect`

def explain(judgement: Judgement, limit: int = 80) -> dict:
    """The objective stage's view of a document: the paper type, every objective with its evidence, every
    rejected candidate with the reason."""
    paper = judgement.paper
    accepted = [{"page": c.para.page, "ref": c.ref, "kind": c.kind, "text": c.text[:limit],
                 "evidence": "; ".join(c.evidence)} for c in judgement.candidates if c.accepted]
    rejected = [{"page": c.para.page, "ref": c.ref, "kind": c.kind, "text": c.text[:limit], "why": c.reason}
                for c in judgement.candidates if not c.accepted]
    return {"paper": {"action_plan": paper.has_action_plan, "objectives_section": paper.objectives_section,
                      "strict": paper.strict},
            "objectives": accepted, "rejected": rejected}
