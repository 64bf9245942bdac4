"""A family's versions as one series: every action followed through the consecutive diffs (the
action_history table) - its status, RAG, due date and owner in each version, whether it was there at all,
the first and last version it was seen in, and its status path ("not_started → in_progress → completed").

A thread is one action across versions. The actions of the oldest version start a thread each; a matched
action continues its old action's thread; an added one starts a thread; a removed one's thread is absent
from then on. A split continues into its first part (presence `split`), the other parts start threads; a
merge continues the first old action's thread (presence `merged`) and ends the others (`merged`, then
absent). Where a consecutive diff is missing (it failed), the threads end there and the next version
starts afresh. One row per thread per version of the family.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from extractor.model import Action, DocumentResult
from extractor.versions.similarity import parse_date

ARROW = " \u2192 "


@dataclass
class _Thread:
    cells: dict[int, tuple[str, Optional[Action]]] = field(default_factory=dict)  # position -> (presence, action)


def _label(doc: DocumentResult) -> str:
    return doc.version or doc.doc_date or ""


def status_path(statuses: list[str]) -> str:
    out: list[str] = []
    for s in statuses:
        s = s or "unknown"
        if not out or out[-1] != s:
            out.append(s)
    return ARROW.join(out)


def build_threads(series: list[DocumentResult], diffs: list[Optional[object]]) -> list[_Thread]:
    """series: one rendering per version, oldest first; diffs[k]: the Diff of series[k] -> series[k+1], or
    None when it is missing."""
    threads: list[_Thread] = []
    owner_of: dict[str, int] = {}  # action_id of the latest version -> thread index

    def start(pos: int, a: Action, presence: str = "present") -> None:
        threads.append(_Thread({pos: (presence, a)}))
        owner_of[a.action_id] = len(threads) - 1

    for a in series[0].actions if series else []:
        start(0, a)
    for k, diff in enumerate(diffs):
        pos = k + 1
        new_doc = series[pos]
        previous, owner_of = owner_of, {}
        if diff is None:
            for a in new_doc.actions:
                start(pos, a)
            continue
        continued: set[str] = set()
        for row in diff.crosswalk:
            t = previous.get(row.old_action_id) if row.old_action_id else None
            if row.match == "matched" and t is not None and row.new is not None:
                threads[t].cells[pos] = ("present", row.new)
                owner_of[row.new_action_id] = t
                continued.add(row.new_action_id)
            elif row.match in ("split", "merged") and t is not None and row.new is not None:
                if row.new_action_id not in continued and t not in owner_of.values():
                    threads[t].cells[pos] = (row.match, row.new)
                    owner_of[row.new_action_id] = t
                    continued.add(row.new_action_id)
                elif pos not in threads[t].cells:
                    threads[t].cells[pos] = (row.match, None)
        for a in new_doc.actions:
            if a.action_id not in continued:
                start(pos, a)
    return threads


def history_rows(family_id: str, series: list[DocumentResult], diffs: list[Optional[object]]) -> list[dict]:
    """The action_history rows of one family (columns of extractor/output/schema.py's action_history)."""
    rows: list[dict] = []
    threads = build_threads(series, diffs)
    for n, t in enumerate(threads, start=1):
        present = sorted(p for p, (_, a) in t.cells.items() if a is not None)
        first, last = present[0], present[-1]
        path = status_path([t.cells[p][1].status for p in present])
        prev_due = None
        for pos, doc in enumerate(series):
            presence, a = t.cells.get(pos, ("absent", None))
            slip = None
            if a is not None:
                due = parse_date(a.due_date)
                if due and prev_due:
                    slip = (due - prev_due).days
                prev_due = due or prev_due
            rows.append({"family_id": family_id, "thread_id": f"{family_id}-t{n:04d}", "position": pos,
                         "doc_id": doc.doc_id, "version": _label(doc), "presence": presence,
                         "action_id": a.action_id if a else "", "ref": a.ref if a else "",
                         "text": a.text if a else "", "section": a.section if a else "",
                         "status": a.status if a else "", "rag": a.rag if a else "",
                         "due_date": a.due_date if a else "", "owner": a.owner if a else "",
                         "slip_days": slip, "first_seen": series[first].doc_id, "last_seen": series[last].doc_id,
                         "status_path": path})
    return rows
