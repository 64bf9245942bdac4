"""Variation stress families: the layouts that real plans from other bodies use, each drawn many ways.

    python bench/variations.py [--seeds N] [--family F] [-v]       # per-family F1 and field accuracies

The layout families of tests/synth/families.py each draw one layout one way, so a pipeline tuned on them can
still break on the same layout written by another author or tool. Here every document of a family draws from
its own seeded RNG everything such an author varies: key and column wordings (synonym pools below), the order
of keys and columns, which optional keys or columns are there, how long cells are (a line to several
paragraphs), rule style, fills and bold keys, fonts and sizes, tables running over pages, a heading above a
table or a title row inside it. Gold conventions are those of tests/corpus_gold/README.md; the notes of each
document say what is particular to its family.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from tests.synth.cells import Cell, CellTable, cell
from tests.synth.fam_common import Ctx
from tests.synth.model import NO_DUE, Action, Doc, Due, Heading, Para, Text, month_end

# =========================================================================== synonym pools

KV_KEYS: dict[str, list[str]] = {
    "owner": ["Lead organisation", "Lead government actors", "Lead agency", "Responsible body", "Lead department",
              "Lead implementing agency", "Responsible organisation", "Lead", "Owner", "Responsible agency",
              "Lead institution", "Accountable body", "Lead responsible"],
    "text": ["Brief description", "Description of commitment", "What will be done", "Commitment description",
             "Description", "Commitment", "Actions", "Activities", "What is the commitment",
             "Summary of commitment", "Planned activities", "Action"],
    "goal": ["Main objective", "Objective", "Aim of the commitment", "Aim", "Purpose", "Goal", "Expected outcome"],
    "due": ["End date", "Completion date", "Deadline", "Due date", "Target date", "Expected completion",
            "Date of completion", "Timeline", "Timescale", "Deliver by"],
    "status": ["Completion level", "Level of completion", "Progress", "Status", "Current status",
               "Progress to date"],
    "extra:start": ["Start date", "Start", "Date started", "Commencement"],
    "extra:others": ["Other actors involved", "Supporting organisations", "Partners", "Other stakeholders",
                     "Civil society partners", "Supporting agencies"],
    "extra:problem": ["Status quo or problem addressed", "Problem to be addressed", "Background", "Context",
                      "Why is this needed", "Relevance"],
    "extra:contact": ["Contact", "Point of contact", "Contact person"],
}
KV_OPTIONAL = ["goal", "due", "status", "extra:start", "extra:others", "extra:problem", "extra:contact"]
LEVELS = {"Not started": "not_started", "Limited": "in_progress", "Substantial": "in_progress",
          "Complete": "completed", "Completed": "completed"}
FILLS = ["DEEAF6", "F2F2F2", "D9E2F3", "E2EFD9", "FFF2CC"]

COLS: dict[str, list[str]] = {
    "ref": ["No.", "Ref", "#", "Ref.", "Item", "ID"],
    "text": ["Action", "Actions", "What we will do", "Activity", "Deliverable", "Milestone", "Task",
             "Action required", "Agreed action", "Key actions", "Description"],
    "owner": ["Lead", "Owner", "Responsible", "Who", "Lead officer", "Action owner", "Responsibility", "By whom"],
    "due": ["By when", "Due", "Target date", "Timescale", "Deadline", "Date", "Due date", "Completion date",
            "When"],
    "status": ["Status", "Progress", "Current status", "Position", "RAG status"],
    "progress": ["Comments", "Notes", "Update", "Progress update", "Commentary", "Remarks"],
}
LOG_STATUS = {"ONGOING": "in_progress", "IN PROGRESS": "in_progress", "COMPLETE": "completed",
              "COMPLETED": "completed", "DONE": "completed", "CLOSED": "completed", "DELAYED": "delayed",
              "NOT STARTED": "not_started"}
VAGUE_DUES = ["Summer", "Autumn", "Spring", "Next meeting", "End of year", "Early"]


def _paras(ctx: Ctx, n: int) -> list[Para]:
    """n paragraphs of one to two sentences: a cell from one line to several paragraphs."""
    out = []
    for _ in range(n):
        sentences = [ctx.text(0.3) + "." for _ in range(ctx.rng.choice([1, 1, 2]))]
        out.append(Para(" ".join(s[0].upper() + s[1:] for s in sentences)))
    return out


def _frame(ctx: Ctx, family: str, slug: str, titles: list[str]) -> Doc:
    doc = ctx.doc(family, slug, ctx.rng.choice(titles) + f" {ctx.when.year}",
                  font=ctx.rng.choice(["Helvetica", "Times", "Helvetica", "Times"]))
    doc.body_size = ctx.rng.choice([9.0, 9.5, 10.0, 10.5, 11.0, 12.0])
    ctx.intro(doc, "the actions we have agreed")
    return doc


# =========================================================================== 1. key-value tables

def build_kv(rng: random.Random) -> Doc:
    ctx = Ctx(rng, kinds=["gov", "us_agency", "council", "trust", "charity"])
    doc = _frame(ctx, "var-kv", "kv-plan", ["National Action Plan", "Open Government Action Plan",
                                             "Commitments", "Delivery Plan", "Implementation Plan"])
    roles = ["owner", "text"] + [r for r in KV_OPTIONAL if rng.random() < 0.6]
    if rng.random() < 0.5:
        rng.shuffle(roles)
    else:  # the usual order: who, when, why, what, how far
        canon = ["owner", "extra:others", "extra:start", "due", "goal", "extra:problem", "text", "status",
                 "extra:contact"]
        roles.sort(key=canon.index)
    keys = {r: rng.choice(KV_KEYS[r]) for r in roles}
    title_style = rng.choice(["heading", "heading", "title-row", "one-table"])
    label = rng.choice(["Commitment {n}: ", "Commitment {n} \u2013 ", "Commitment {n}. ", "{n}. ", "{n} ",
                        "Action {n}: ", "Commitment {n}\u00a0\u2013 "])
    key_style = rng.choice(["fill", "bold", "fill-bold", "plain"])
    key_fill = rng.choice(FILLS)
    grid = "status" in roles and rng.random() < 0.5  # the completion level as a sub-grid of level columns
    level_words = rng.choice([["Not started", "Limited", "Substantial", "Complete"],
                              ["Not started", "Limited", "Substantial", "Completed"]])
    tick = rng.choice(["X", "x", "\u2713", "\u2714"]) if doc.font == "DejaVu" else rng.choice(["X", "x", "Yes"])
    width = 4 if grid else 1
    widths = [ctx.width(1.0)] + [ctx.width(2.6) / width] * width
    size = rng.choice([8.0, 8.5, 9.0, 9.5, 10.0])
    length = rng.choice([1, 1, 2, 3])
    rows_all: list[list[Optional[Cell]]] = []
    acts: list[Action] = []
    n_commit = rng.randint(3, 7)

    def key_cell(text: str, down: int = 1) -> Cell:
        return cell(text, bold=key_style != "plain" and "bold" in key_style or key_style == "fill-bold",
                    fill=key_fill if "fill" in key_style else None, down=down)

    for n in range(1, n_commit + 1):
        title = ctx.tm.fill(rng.choice(["Open data on {topic}", "Transparency in {topic}",
                                        "Better access to {dataset}", "Opening up {dataset}"]))
        title = title[0].upper() + title[1:]
        heading = label.format(n=n) + title
        status_word = ""
        if "status" in roles:
            status_word = rng.choice(level_words) if grid or rng.random() < 0.5 else ctx.voice.word(ctx.status())
        status = LEVELS.get(status_word) or next((s for s, w in ctx.voice.words.items() if w == status_word),
                                                 "unknown")
        due = ctx.due() if "due" in roles else NO_DUE
        text = _paras(ctx, rng.randint(1, length))
        a = Action(ref=str(n), text=text, goal=title, section=heading,
                   owner=ctx.people.department() if ctx.org.kind in ("gov", "us_agency") else ctx.people.post(),
                   due=due, status=status, status_text=status_word)
        values: dict[str, list[Para]] = {
            "owner": [Para(a.owner)], "text": text, "due": [Para(p) for p in due.parts if p],
            "status": [Para(status_word)] if status_word else [],
            "goal": _paras(ctx, 1) if length > 1 else [Para(ctx.tm.fill("To make {dataset} easier to find and use."))],
            "extra:start": [Para(p) for p in ctx.due().parts if p],
            "extra:others": [Para(", ".join(rng.sample(ctx.people.departments, 2)))],
            "extra:problem": _paras(ctx, rng.randint(1, length)),
            "extra:contact": [Para(f"{ctx.people.name()}, {ctx.people.post()}")]}
        rows: list[list[Optional[Cell]]] = []
        if title_style != "heading":
            rows.append([cell(heading, bold=True, fill=rng.choice([None, key_fill]), across=1 + width)]
                        + [None] * width)
        for r in roles:
            if r == "status" and grid:
                rows.append([key_cell(keys[r], down=2)] + [cell(w, bold=True, center=True) for w in level_words])
                rows.append([None] + [cell(tick if w == status_word else "", center=True) for w in level_words])
                continue
            rows.append([key_cell(keys[r]), Cell(values[r], across=width)] + [None] * (width - 1))
        acts.append(a)
        if title_style == "heading":
            doc.add(Heading(heading, rng.choice([2, 2, 3])))
        if title_style == "one-table":
            rows_all += rows
            continue
        doc.add(CellTable(widths, rows, rules=rng.choice(["grid", "grid", "hrules"]), font_size=size, acts=[a]))
        if rng.random() < 0.2:
            doc.add(Text(ctx.tm.progress("in_progress") or "Progress is reported each quarter."))
    if title_style == "one-table":
        doc.add(Heading(rng.choice(["Commitments", "Our commitments", "Action plan"])),
                CellTable(widths, rows_all, rules="grid", font_size=size, acts=acts))
    doc.notes.append("One action per commitment: ref = the commitment's number; goal = its title; section = "
                     "the numbered title as printed; text = the description key's value; status from the "
                     "status or completion-level key (a mark under a level column counts as that level).")
    _fills_in_pieces(doc, rng)
    return doc


def _fills_in_pieces(doc: Doc, rng: random.Random) -> None:
    """Half the documents draw their cell fills in the PDF as Word's export does (padding strips and one
    rectangle per printed line). Drawn last, so a seed's other choices stay what they were."""
    if rng.random() < 0.5:
        for block in doc.blocks:
            if isinstance(block, CellTable):
                block.shading = "pieces"
        doc.notes.append("Cell fills drawn in pieces in the PDF (as Word's PDF export draws them).")


# =========================================================================== 2. horizontal rules only

def build_hrules(rng: random.Random) -> Doc:
    ctx = Ctx(rng)
    doc = _frame(ctx, "var-hrules", "hrule-plan", ["Action Plan", "Improvement Plan", "Delivery Plan"])
    roles = ["text", "owner", "due"] + [r for r in ("status", "progress") if rng.random() < 0.7]
    rng.shuffle(roles)
    if rng.random() < 0.6:
        roles.remove("text")
        roles.insert(0, "text")
    with_ref = rng.random() < 0.7
    if with_ref:
        roles.insert(0, "ref")
    base = {"ref": 0.45, "text": 2.6, "owner": 1.1, "due": 0.9, "status": 0.8, "progress": 1.8}
    widths = [ctx.width(base[r]) for r in roles]
    titles = [rng.choice(COLS[r]) for r in roles]
    upper = rng.random() < 0.3
    header = [cell(t.upper() if upper else t, bold=rng.random() < 0.8) for t in titles]
    owner_style = rng.choice(["post", "name", "short", "initials", "department", "mixed"])
    empty_owner = rng.choice([0.0, 0.0, 0.3])
    empty_progress = rng.choice([0.5, 0.8, 1.0])
    length = rng.choice([1, 1, 2, 3])
    ref_style = rng.choice(["n", "dotted", "letter"])
    section = rng.choice(["", "Action plan", "Our actions", "Improvement actions"])
    if section:
        doc.add(Heading(section))
    acts: list[Action] = []
    rows: list[list[Optional[Cell]]] = [header]
    for n in range(1, rng.randint(8, 24) + 1):
        status = ctx.status()
        ref = {"n": str(n), "dotted": f"1.{n}", "letter": f"A{n}"}[ref_style] if with_ref else ""
        owner = "" if rng.random() < empty_owner else ctx.people.owner(owner_style)
        if owner and rng.random() < 0.2:
            owner = f"{owner} / {ctx.people.owner(owner_style)}"
        a = Action(ref=ref, text=_paras(ctx, rng.randint(1, length)), section=section, owner=owner, due=ctx.due(),
                   status=status if "status" in roles else "unknown",
                   status_text=ctx.voice.word(status) if "status" in roles else "",
                   progress=[] if rng.random() < empty_progress else ctx.progress(status))
        if "status" not in roles and "progress" in roles and a.progress:
            a.status = status  # the update text states the progress
        acts.append(a)
        vals = {"ref": [Para(ref)] if ref else [], "text": a.text, "owner": [Para(owner)] if owner else [],
                "due": [Para(p) for p in a.due.parts if p], "status": [Para(a.status_text)] if a.status_text else [],
                "progress": list(a.progress)}
        rows.append([Cell(vals[r]) for r in roles])
    rules, size, repeat = rng.choice(["hrules", "header"]), rng.choice([7.5, 8.0, 9.0, 10.0]), rng.random() < 0.5
    banding = rng.choice(["", "", "cells", "pieces"])  # (drawn last: the earlier choices of a seed stay as they were)
    if banding:
        head_fill, band_fill = rng.choice([("9BBB59", "E6EED5"), ("4F81BD", "DBE5F1"), ("A5A5A5", "EDEDED")])
        for k, row in enumerate(rows):
            for c in row:
                if c is not None and (k == 0 or k % 2 == 1):
                    c.fill = head_fill if k == 0 else band_fill
    doc.add(CellTable(widths, rows, header_rows=1, rules=rules, font_size=size, repeat_header=repeat, acts=acts,
                      shading="pieces" if banding == "pieces" else "cell"))
    doc.notes.append("Rules are horizontal only; status from the status column, else from the update text.")
    if banding:
        doc.notes.append(f"Header and every other row shaded ({banding}): banding, not a RAG rating.")
    return doc


# =========================================================================== 3. action logs with sub-tasks

def _log_due(ctx: Ctx) -> Due:
    rng = ctx.rng
    if rng.random() < 0.35:
        word = rng.choice(VAGUE_DUES)
        return Due((word if word in ("Next meeting", "End of year") else f"{word} {ctx.when.year}",), None)
    if rng.random() < 0.5:
        y, m = ctx.when.year, rng.randint(1, 12)
        name = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"][m - 1]
        return Due((name if rng.random() < 0.5 else f"{name} {y}",), month_end(y, m))
    return ctx.due()


def build_actionlog(rng: random.Random) -> Doc:
    ctx = Ctx(rng, country="UK")
    doc = _frame(ctx, "var-actionlog", "action-log", ["Action Log", "Board Action Log", "Actions Report",
                                                      "Matters Arising and Action Log"])
    merged = rng.random() < 0.6  # the # and ISSUE cells merged over a parent and its sub-tasks
    status_in_due = rng.random() < 0.5  # "Summer 2012\nONGOING" in the due cell
    upper = rng.random() < 0.6
    spacers = rng.random() < 0.4
    names = ["#", rng.choice(["ISSUE/ACTION", "Issue", "Item", "Subject"]), rng.choice(["ACTION", "Action",
                                                                                        "Task", "Next steps"]),
             rng.choice(["OWNER", "Owner", "Lead", "Who"]), rng.choice(["DUE DATE", "Due", "Deadline", "When"])]
    if not status_in_due:
        names.append(rng.choice(["STATUS", "Status", "Progress"]))
    widths = [ctx.width(w) for w in (0.45, 1.6, 2.6, 1.0, 1.1, 1.2)[:len(names)]]
    rows: list[list[Optional[Cell]]] = [[cell(t.upper() if upper else t, bold=True,
                                              fill=rng.choice([None, "D9D9D9"])) for t in names]]
    acts: list[Action] = []
    letters = "ABCDEFGHJK"
    groups = rng.sample(["Outputs", "General Items", "Matters arising", "Data releases", "Governance"],
                        rng.randint(1, 3))
    k = 0
    for group in groups:
        at = rng.choice([1, 2])  # the issue or the action column; the other cells empty
        rows.append([cell(group, bold=True) if i == at else Cell([]) for i in range(len(names))])
        for _ in range(rng.randint(1, 3)):
            letter = letters[k]
            k += 1
            issue = [Para(ctx.tm.fill(rng.choice(["Publication of {dataset}", "Review of {topic}",
                                                   "Data on {topic}"])).capitalize())]
            if rng.random() < 0.5:
                issue.append(_paras(ctx, 1)[0])
            n_sub = rng.choice([0, 1, 2, 3])
            group_rows: list[Action] = []
            for si in range(n_sub + 1):
                ref = letter if si == 0 else letter + ["i", "ii", "iii", "iv"][si - 1]
                word = rng.choice(list(LOG_STATUS))
                text = _paras(ctx, 1)
                if si == 0 and rng.random() < 0.3:  # a title and a paragraph in one action cell
                    text = [Para(ctx.tm.fill("Update on {topic}").capitalize())] + text
                a = Action(ref=ref, text=text, goal=" ".join(p.text for p in issue), section=group,
                           owner=ctx.people.owner(rng.choice(["name", "initials", "department", "post"])),
                           due=_log_due(ctx), status=LOG_STATUS[word], status_text=word)
                group_rows.append(a)
            for si, a in enumerate(group_rows):
                due = [Para(p) for p in a.due.parts if p]
                first = si == 0
                if merged:
                    ref_cell: Optional[Cell] = cell(f"({letter})" if rng.random() < 0.5 else letter,
                                                    down=len(group_rows)) if first else None
                    issue_cell: Optional[Cell] = Cell(issue, down=len(group_rows)) if first else None
                    act_paras = a.text if first else [Para(f"{a.ref}. {a.text[0].text}")] + a.text[1:]
                else:
                    ref_cell = cell(a.ref)
                    issue_cell = Cell(issue if first else [])
                    act_paras = a.text
                row: list[Optional[Cell]] = [ref_cell, issue_cell, Cell(act_paras), cell(a.owner)]
                if status_in_due:
                    row.append(Cell(due + [Para(a.status_text)]))
                else:
                    row += [Cell(due), cell(a.status_text if upper else a.status_text.capitalize())]
                    a.status_text = row[-1].paras[0].text if row[-1] and row[-1].paras else ""
                rows.append(row)
            acts += group_rows
            if spacers:
                rows.append([Cell([]) for _ in names])
    doc.add(CellTable(widths, rows, header_rows=1, rules="grid", font_size=rng.choice([8.0, 9.0, 10.0]),
                      repeat_header=rng.random() < 0.7, acts=acts))
    doc.notes.append("Parent rows (A) and their sub-tasks (Ai, Aii) are one action each; goal = the issue cell "
                     "(merged over the group); section = the group row above; the status word under the due "
                     "date is the status, not part of due_raw.")
    _fills_in_pieces(doc, rng)
    return doc


@dataclass(frozen=True)
class Variation:
    id: str
    build: Callable[[random.Random], Doc]
    fields: tuple[str, ...]  # the fields the family is about (scored on matched actions)


VARIATIONS = [
    Variation("var-kv", build_kv, ("ref", "owner", "due_raw", "status", "goal")),
    Variation("var-hrules", build_hrules, ("ref", "owner", "due_raw", "status")),
    Variation("var-actionlog", build_actionlog, ("ref", "owner", "due_raw", "status", "section")),
]
BY_ID = {v.id: v for v in VARIATIONS}


def make_variation(v: Variation, seed: int) -> Doc:
    doc = v.build(random.Random(f"variation:{v.id}:{seed}"))
    doc.family = v.id
    doc.doc_id = f"{doc.doc_id}-{seed}"
    return doc


def write_variation(doc: Doc, folder: Path, fmt: str) -> Path:
    """The document rendered as `fmt` ("pdf" or "docx") into folder/<doc_id>.<fmt>."""
    from tests.synth.render_docx import render_docx
    from tests.synth.render_pdf import render_pdf

    path = folder / f"{doc.doc_id}.{fmt}"
    if fmt == "pdf":
        buf = io.BytesIO()
        render_pdf(doc, buf)
        path.write_bytes(buf.getvalue())
    else:
        render_docx(doc, path)
    return path
