"""Links from actions to the narrative objectives they deliver: the same reference ("L1" in the table and
"L1." in the text), the number of a named series that numbers the actions one for one ("Commitment 7" in the
text, "7" in the table's No. column), or the objective (Aim / priority line) that the action's table sits under."""
from __future__ import annotations

import re
from typing import Optional

from extractor.model import Action, Block, LayoutDocument, Objective, Table
from extractor.strings import ws
from extractor.text.candidates import fold_words


def norm_ref(ref: str) -> str:
    """"L1." == "l1" == "L 1"; "13) a)" == "13a"."""
    return re.sub(r"[\s.()\[\]:]", "", (ref or "").casefold())


def link_actions(actions: list[Action], objectives: list[Objective], layout: LayoutDocument) -> None:
    """Set Action.objective_id where the document makes the link: the same reference, or the objective
    (Aim / priority line) that the action's table sits under. Otherwise leave it empty."""
    if not actions or not objectives:
        return
    by_ref: dict[str, list[Objective]] = {}
    for o in objectives:
        if o.ref and norm_ref(o.ref):
            by_ref.setdefault(norm_ref(o.ref), []).append(o)
    for number, o in _named_series(objectives, actions).items():
        by_ref.setdefault(number, [o])
    under = _objective_over_tables(objectives, layout)
    trails = _heading_trails([o for group in by_ref.values() if len(group) > 1 for o in group], layout)
    for a in actions:
        if a.objective_id:
            continue
        key = norm_ref(a.ref_norm or a.ref) or ""
        matches = by_ref.get(key) or by_ref.get(norm_ref(a.ref)) or []
        if matches:
            a.objective_id = _closest(a, matches, trails).objective_id
            continue
        o = under.get(a.table_index)
        if o is not None:
            a.objective_id = o.objective_id


def _named_series(objectives: list[Objective], actions: list[Action]) -> dict[str, Objective]:
    """"7" -> the objective "Commitment 7", when the named objectives of one label word ("Commitment 1" ...
    "Commitment 21") carry exactly the numbers the actions are numbered with (1 ... 21): one for one, or nothing
    (four priorities over forty numbered actions link none of them by number)."""
    series: dict[str, dict[str, Objective]] = {}
    for o in objectives:
        m = re.fullmatch(r"(?P<word>[^\d]+?)\s*(?P<number>\d{1,3})", o.ref.strip()) if o.kind == "priority" else None
        if m:
            series.setdefault(m.group("word").casefold(), {})[str(int(m.group("number")))] = o
    numbers = {str(int(r)) for r in (norm_ref(a.ref_norm or a.ref) for a in actions) if r.isdigit()}
    for named in series.values():
        if len(named) > 1 and set(named) == numbers:
            return named
    return {}


def _closest(action: Action, objectives: list[Objective], trails: dict[str, str]) -> Objective:
    """Of several objectives with one ref (two "C1" series), the one whose headings share most words with
    the action's section / goal; the first on a tie."""
    if len(objectives) == 1:
        return objectives[0]
    words = set(fold_words(f"{action.section} {action.goal}").split())

    def overlap(o: Objective) -> int:
        return len(words & set(fold_words(trails.get(o.objective_id, o.section)).split()))

    return max(objectives, key=lambda o: (overlap(o), -objectives.index(o)))


def _heading_trails(objectives: list[Objective], layout: LayoutDocument) -> dict[str, str]:
    """objective_id -> the text of every heading above it (its section, the section's parents)."""
    out: dict[str, str] = {}
    pending = [o for o in objectives if o.text]
    stack: dict[int, str] = {}
    for item in layout.items:
        if not isinstance(item, Block):
            continue
        text = ws(item.text)
        if item.kind == "heading":
            stack = {lvl: t for lvl, t in stack.items() if lvl < item.level}
            stack[item.level] = text
            continue
        for o in [o for o in pending if o.page == item.page and o.text[:40] in text]:
            out[o.objective_id] = " ".join(stack[k] for k in sorted(stack))
            pending.remove(o)
    return out


def _objective_over_tables(objectives: list[Objective], layout: LayoutDocument) -> dict[int, Objective]:
    """table index -> the unreferenced objective (Aim / priority) the table sits under: the nearest one
    above it with no heading in between (other tables and plain paragraphs may be)."""
    heads = [o for o in objectives if o.kind in ("aim", "priority")]
    if not heads:
        return {}
    out: dict[int, Objective] = {}
    current: Optional[Objective] = None
    pending = list(heads)
    for item in layout.items:
        if isinstance(item, Table):
            if current is not None:
                out[item.index] = current
            continue
        if not isinstance(item, Block):
            continue
        text = ws(item.text)
        hit = next((o for o in pending if o.page == item.page and o.text and o.text in text), None)
        if hit is not None:
            current = hit
            pending.remove(hit)
        elif item.kind == "heading":
            current = None
    return out
