"""report.html: one self-contained page (inline CSS and JS, no external assets) for a governance lead.

One row per changed action with all its changes side by side (status, RAG, due date with its slip, owner,
progress note old and new, wording with the words taken out and put in marked), status and RAG moves
first; actions that were only renumbered are collapsed into one line per section mapping ("5.* → 6.*,
44 actions") and hidden from the table unless asked for. Then the RAG and status matrices, and the added,
removed, split and merged actions. Titles name each version by its label, else its date, else its edition.

Every piece of document text goes through html_parts.e. Stable hooks for tests and scripts:
  #headline li[data-kind]          counts: matched, added, removed, split, merged, changed, changed_beyond_ref,
                                   renumbered_only
  #headline-fields li[data-field]  change rows by field (changes.csv)
  #filters input[data-filter]      one checkbox per field (change fields and `progress`); #show-renumbered
  #actions tr.action-row[data-old-id][data-new-id][data-fields]   one per changed action, [data-renumbered-only]
                                   when its only change is its reference; td[data-field] per column, .changed
                                   where that field changed; del.word / ins.word in the wording
  #renumbering li[data-old-prefix][data-new-prefix][data-count]   the collapsed renumbering
  #rag-counts, #rag-matrix, #status-matrix   tables; cells carry data-old / data-new / data-count
  #added tr.added-action, #removed tr.removed-action, #split-merged tr.split-merged-action
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from extractor.model import Action, DocumentResult
from extractor.versions.html_parts import (
    FIELD_LABELS,
    RAG_ORDER,
    STATUS_ORDER,
    doc_name,
    e,
    edition_label,
    page,
    plan_title,
    rag_badge,
    same_plan_name,
    slip_badge,
    status_label,
    value_html,
    word_diff,
)
from extractor.versions.reconcile import CHANGE_FIELDS, ChangeRow, Diff
from extractor.versions.similarity import norm_ref, split_ref, surface_text

MATCH_LABELS = {"matched": "Matched", "added": "Added", "removed": "Removed", "split": "Split", "merged": "Merged"}
FILTER_FIELDS = CHANGE_FIELDS + ("progress",)
# the order changed actions are listed in: the first of its fields in this list decides
PRIORITY = ("status", "rag", "due_date", "due_revised", "owner", "text", "progress", "ref")

JS = """
(function(){
  var boxes=document.querySelectorAll('#filters input[data-filter]');
  var renum=document.getElementById('show-renumbered');
  function apply(){
    var on={};
    boxes.forEach(function(b){on[b.getAttribute('data-filter')]=b.checked;});
    var shown=0;
    document.querySelectorAll('#actions tr.action-row').forEach(function(tr){
      var ok=tr.getAttribute('data-fields').split(' ').some(function(f){return on[f];});
      if(tr.hasAttribute('data-renumbered-only')){ok=ok&&renum.checked;}
      tr.hidden=!ok; if(ok){shown++;}
    });
    var c=document.getElementById('shown-count'); if(c){c.textContent=shown;}
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  if(renum){renum.addEventListener('change',apply);}
  document.querySelectorAll('#filters button[data-set]').forEach(function(btn){
    btn.addEventListener('click',function(){
      var v=btn.getAttribute('data-set')==='all';
      boxes.forEach(function(b){b.checked=v;}); apply();});
  });
  apply();
})();
"""  # noqa: E501 (CSS, JS and markup kept as written)


@dataclass
class ActionChange:
    """A matched pair of actions and everything that changed between them."""
    old: Action
    new: Action
    changes: dict[str, ChangeRow] = field(default_factory=dict)
    progress_changed: bool = False

    @property
    def fields(self) -> list[str]:
        return [f for f in FILTER_FIELDS if f in self.changes or (f == "progress" and self.progress_changed)]

    @property
    def renumbered_only(self) -> bool:
        return self.fields == ["ref"]

    @property
    def priority(self) -> int:
        return min(PRIORITY.index(f) for f in self.fields)


def action_changes(diff: Diff) -> list[ActionChange]:
    """Every matched pair with a change (a field of changes.csv or its progress note), status and RAG moves
    first, then due dates, owners, wording, progress notes and renumbering; document order inside each."""
    by_pair: dict[tuple[str, str], ActionChange] = {}
    order: dict[tuple[str, str], int] = {}
    for k, (a, b) in enumerate(diff.pairs):
        key = (a.action_id, b.action_id)
        order[key] = k
        item = ActionChange(a, b, progress_changed=surface_text(a.progress) != surface_text(b.progress))
        by_pair[key] = item
    for ch in diff.changes:
        item = by_pair.get((ch.old_action_id, ch.new_action_id))
        if item is not None:
            item.changes[ch.field] = ch
    changed = [x for x in by_pair.values() if x.fields]
    return sorted(changed, key=lambda x: (x.priority, order[(x.old.action_id, x.new.action_id)]))


def page_title(old: DocumentResult, new: DocumentResult) -> str:
    """Names the plan once when both versions carry its name, and each version by its label, else its date,
    else its edition, else its file: never a bare "v?"."""
    if same_plan_name(old, new):
        return f"{plan_title(new)}: what changed from {edition_label(old)} to {edition_label(new)}"
    return (f"What changed from {plan_title(old)} ({edition_label(old)}) to {plan_title(new)} "
            f"({edition_label(new)})")


def _doc_card(doc: DocumentResult, label: str, css_id: str) -> str:
    bits = [b for b in (f"Version {e(doc.version)}" if doc.version else "", e(doc.doc_date),
                        e(doc.organisation)) if b]
    return (f'<div class="doc" id="{css_id}" data-doc-id="{e(doc.doc_id)}"><div class="label">{e(label)}: '
            f'{e(edition_label(doc))}</div><div class="title"><strong>{e(doc_name(doc))}</strong></div>'
            f'<div class="meta">{" · ".join(bits)}</div>'
            f'<div class="file muted">{e(Path(doc.path).name)} · {len(doc.actions)} actions · '
            f'{doc.pages or "?"} pages</div></div>')


def _pages(a: Optional[Action], b: Optional[Action]) -> str:
    def p(x: Optional[Action]) -> str:
        if x is None or not x.page_first:
            return "–"
        if x.page_last and x.page_last != x.page_first:
            return f"p. {x.page_first}–{x.page_last}"
        return f"p. {x.page_first}"
    if a is not None and b is not None:
        return f"{p(a)} → {p(b)}"
    return p(a if a is not None else b)


def _ref_pair(old_ref: str, new_ref: str) -> str:
    if old_ref == new_ref:
        return e(new_ref) or '<span class="muted">–</span>'
    return f'{e(old_ref) or "–"}<span class="arrow">→</span>{e(new_ref) or "–"}'


def _cell(item: ActionChange, name: str, css: str = "") -> str:
    """A field's cell: old → new where it changed (highlighted), else the current value."""
    ch = item.changes.get(name)
    classes = " ".join(x for x in (css, "changed" if ch else "") if x)
    if ch is None:
        value = getattr(item.new, name) or ""
        inner = f'<span class="muted">{value_html(name, value)}</span>' if value else ""
    else:
        inner = (f'<span class="old">{value_html(name, ch.old_value)}</span><span class="arrow">→</span>'
                 f'<span class="new">{value_html(name, ch.new_value)}</span>')
        if name in ("due_date", "due_revised"):
            inner += " " + slip_badge(ch.slip_days)
    return f'<td data-field="{name}" class="{classes}">{inner}</td>'


def _progress_cell(item: ActionChange) -> str:
    a, b = item.old.progress, item.new.progress
    if not item.progress_changed:
        return f'<td data-field="progress"><span class="muted">{e(b)}</span></td>'
    old = f'<div class="note old-note"><span class="tag">was</span>{e(a)}</div>' if a else ""
    new = f'<div class="note new-note"><span class="tag">now</span>{e(b)}</div>' if b else \
        '<div class="note new-note"><span class="tag">now</span><span class="muted">(none)</span></div>'
    return f'<td data-field="progress" class="changed">{old}{new}</td>'


def _action_row(item: ActionChange) -> str:
    a, b = item.old, item.new
    text_ch = item.changes.get("text")
    text = word_diff(a.text, b.text) if text_ch else e(b.text)
    section = f'<div class="section-name">{e(b.section)}</div>' if b.section else ""
    ref_ch = "ref" in item.changes
    attrs = (f'data-old-id="{e(a.action_id)}" data-new-id="{e(b.action_id)}" data-fields="{" ".join(item.fields)}"'
             + (" data-renumbered-only" if item.renumbered_only else ""))
    return (f'<tr class="action-row" {attrs}>'
            f'<td data-field="ref" class="ref{" changed" if ref_ch else ""}">{_ref_pair(a.ref, b.ref)}</td>'
            f'<td data-field="text" class="text{" changed" if text_ch else ""}">{text}{section}</td>'
            + _cell(item, "status", "status") + _cell(item, "rag") + _cell(item, "due_date", "due")
            + _cell(item, "due_revised", "due") + _cell(item, "owner") + _progress_cell(item)
            + f'<td class="pages">{_pages(a, b)}</td></tr>')


def _prefix(ref: str) -> str:
    return split_ref(norm_ref(ref))[0]


def _renumbering(items: list[ActionChange]) -> str:
    groups = Counter((_prefix(x.old.ref), _prefix(x.new.ref)) for x in items if x.renumbered_only)
    if not groups:
        return ""
    lines = []
    for (op, np_), n in sorted(groups.items()):
        if op and np_ and op != np_:
            what = f"{e(op)}* → {e(np_)}*"
        elif op and op == np_:
            what = f"renumbered within {e(op)}*"
        else:
            what = "numbers shifted"
        lines.append(f'<li data-old-prefix="{e(op)}" data-new-prefix="{e(np_)}" data-count="{n}">{what}, '
                     f'{n} action{"s" if n != 1 else ""}</li>')
    total = sum(groups.values())
    return (f'<details id="renumbering-details"><summary>{total} action{"s" if total != 1 else ""} only renumbered '
            f'(hidden below; tick "renumbered" to list them)</summary><ul id="renumbering">{"".join(lines)}</ul>'
            f'</details>')


def _matrix(css_id: str, title: str, pairs: list[tuple[str, str]], order: list[str], label) -> str:
    seen = {x for pr in pairs for x in pr}
    keys = [k for k in order if k in seen] + sorted(k for k in seen if k not in order)
    if not keys:
        return (f'<table id="{css_id}" class="matrix"><caption>{e(title)}</caption>'
                '<tr><td>no matched actions</td></tr></table>')
    cnt = Counter(pairs)
    head = "".join(f'<th scope="col" data-new="{e(k)}">{label(k)}</th>' for k in keys)
    rows = []
    for a in keys:
        cells = []
        for b in keys:
            c = cnt.get((a, b), 0)
            cls = " ".join(x for x in ("diag" if a == b else "", "zero" if not c else "") if x)
            cells.append(f'<td data-old="{e(a)}" data-new="{e(b)}" data-count="{c}"'
                         + (f' class="{cls}"' if cls else "") + f'>{c}</td>')
        rows.append(f'<tr><th scope="row" data-old="{e(a)}">{label(a)}</th>{"".join(cells)}'
                    f'<td class="total" data-total="{e(a)}">{sum(cnt.get((a, b), 0) for b in keys)}</td></tr>')
    return (f'<table id="{css_id}" class="matrix"><caption>{e(title)}</caption>'
            f'<thead><tr><th scope="col">old ↓ / new →</th>{head}<th scope="col">total</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _rag_counts(old: DocumentResult, new: DocumentResult) -> str:
    co = Counter((a.rag or "").strip().casefold() for a in old.actions)
    cn = Counter((a.rag or "").strip().casefold() for a in new.actions)
    keys = [k for k in RAG_ORDER if k in co or k in cn] + sorted(k for k in set(co) | set(cn) if k not in RAG_ORDER)
    rows = "".join(f'<tr data-rag="{e(k or "none")}"><th scope="row">{rag_badge(k)}</th>'
                   f'<td data-side="old" data-count="{co.get(k, 0)}">{co.get(k, 0)}</td>'
                   f'<td data-side="new" data-count="{cn.get(k, 0)}">{cn.get(k, 0)}</td>'
                   f'<td>{cn.get(k, 0) - co.get(k, 0):+d}</td></tr>' for k in keys)
    return (f'<table id="rag-counts" class="matrix"><caption>RAG ratings, all actions</caption>'
            f'<thead><tr><th>RAG</th><th>old</th><th>new</th><th>change</th></tr></thead><tbody>{rows}</tbody>'
            f'<tfoot><tr><th>total</th><td>{len(old.actions)}</td><td>{len(new.actions)}</td>'
            f'<td>{len(new.actions) - len(old.actions):+d}</td></tr></tfoot></table>')


def _action_table(css_class: str, items: Iterable[tuple[Optional[Action], Optional[Action], str]], empty: str,
                  with_match: bool = False) -> str:
    rows = []
    for a, b, match in items:
        x = b if b is not None else a
        if x is None:
            continue
        old_attr = f' data-old-id="{e(a.action_id)}"' if a is not None else ""
        new_attr = f' data-new-id="{e(b.action_id)}"' if b is not None else ""
        cells = f'<td class="ref">{_ref_pair(a.ref if a else "", b.ref if b else "") if with_match else e(x.ref)}</td>'
        if with_match:
            cells += f'<td>{e(MATCH_LABELS.get(match, match))}</td>'
            cells += f'<td class="text">{e(a.text if a else "")}</td><td class="text">{e(b.text if b else "")}</td>'
        else:
            cells += f'<td class="text">{e(x.text)}</td>'
        cells += (f'<td>{e(x.section)}</td><td>{e(x.owner)}</td><td class="due">{e(x.due_date or x.due_raw)}</td>'
                  f'<td class="status">{status_label(x.status)}</td><td>{rag_badge(x.rag)}</td>'
                  f'<td class="pages">{_pages(a, b) if with_match else _pages(x, None)}</td>')
        rows.append(f'<tr class="{css_class}" data-match="{e(match)}"{old_attr}{new_attr}>{cells}</tr>')
    if not rows:
        return f'<p class="muted">{e(empty)}</p>'
    head = ("<th>Ref</th><th>Kind</th><th>Old text</th><th>New text</th>" if with_match
            else "<th>Ref</th><th>Action</th>")
    head += "<th>Section</th><th>Owner</th><th>Due</th><th>Status</th><th>RAG</th><th>Pages</th>"
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _changed_actions(items: list[ActionChange]) -> str:
    if not items:
        return '<p class="muted" id="no-changes">No matched action changed.</p>'
    head = ("<th>Ref</th><th>Action</th><th>Status</th><th>RAG</th><th>Due</th><th>Revised</th><th>Owner</th>"
            "<th>Progress note</th><th>Pages</th>")
    return (f'<table id="actions"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(_action_row(x) for x in items) + "</tbody></table>")


def _identical_note(old: DocumentResult, new: DocumentResult) -> str:
    read = "" if old.actions or new.actions else " They were not read: whatever they hold, nothing changed."
    return (f'<p id="identical" class="doc">No changes: {e(Path(old.path).name)} and {e(Path(new.path).name)} have '
            f'the same content (SHA-256 {e(old.sha256[:16])}…).{e(read)}</p>')


def render_report(diff: Diff, old: DocumentResult, new: DocumentResult, identical: bool = False) -> str:
    counts = diff.counts()
    ch_counts = diff.change_counts()
    items = action_changes(diff)
    changed = len({(c.old_action_id, c.new_action_id) for c in diff.changes})
    substantive = len({(c.old_action_id, c.new_action_id) for c in diff.changes if c.field != "ref"})
    renumbered = sum(1 for x in items if x.renumbered_only)
    title = page_title(old, new)
    kinds = [("matched", counts["matched"]), ("added", counts["added"]), ("removed", counts["removed"]),
             ("split", counts["split"]), ("merged", counts["merged"]), ("changed", changed),
             ("changed_beyond_ref", substantive), ("renumbered_only", renumbered)]
    kind_labels = dict(MATCH_LABELS, changed="Matched with changes", changed_beyond_ref="Changed beyond renumbering",
                       renumbered_only="Only renumbered")
    headline = "".join(f'<li data-kind="{k}" data-count="{v}"><span class="n">{v}</span>{e(kind_labels[k])}</li>'
                       for k, v in kinds)
    fields = "".join(f'<li data-field="{f}" data-count="{ch_counts[f]}"><span class="n">{ch_counts[f]}</span>'
                     f'{e(FIELD_LABELS[f])}</li>' for f in CHANGE_FIELDS)
    per_filter = Counter(f for x in items for f in x.fields)
    filters = "".join(f'<label><input type="checkbox" data-filter="{f}" id="filter-{f}" checked> '
                      f'{e(FIELD_LABELS[f])} (<span class="filter-count">{per_filter.get(f, 0)}</span>)</label>'
                      for f in FILTER_FIELDS)
    shown = len(items) - renumbered
    added = [(None, r.new, "added") for r in diff.crosswalk if r.match == "added"]
    removed = [(r.old, None, "removed") for r in diff.crosswalk if r.match == "removed"]
    sm = [(r.old, r.new, r.match) for r in diff.crosswalk if r.match in ("split", "merged")]
    pairs = diff.pairs
    rag_moves = [((a.rag or "").casefold(), (b.rag or "").casefold()) for a, b in pairs]
    status_moves = [((a.status or "unknown"), (b.status or "unknown")) for a, b in pairs]
    rag_matrix = _matrix("rag-matrix", "RAG moves, matched actions", rag_moves, RAG_ORDER, rag_badge)
    status_matrix = _matrix("status-matrix", "Status moves, matched actions", status_moves, STATUS_ORDER, status_label)
    split_merged = _action_table("split-merged-action", sm, "No actions were split or merged.", with_match=True)
    body = f"""<main>
<header id="title">
<h1>{e(title)}</h1>
<div class="docs">{_doc_card(old, "Old", "old-doc")}{_doc_card(new, "New", "new-doc")}</div>
</header>
{_identical_note(old, new) if identical else ""}
<section id="summary">
<h2>Headline</h2>
<ul class="counts" id="headline">{headline}</ul>
<h3>Change rows by field <span class="muted">(changes.csv)</span></h3>
<ul class="counts" id="headline-fields">{fields}</ul>
</section>
<section id="changes-section">
<h2>Changed actions <span class="muted">(<span id="shown-count">{shown}</span> shown; status and RAG moves
first, then due dates, owners, wording, progress notes)</span></h2>
{_renumbering(items)}
<div id="filters" role="group" aria-label="Show actions with a change of">
<strong>Show actions whose</strong> {filters} changed
<button type="button" data-set="all" id="filter-all">all</button>
<button type="button" data-set="none" id="filter-none">none</button>
<label><input type="checkbox" id="show-renumbered"> renumbered only ({renumbered})</label>
</div>
{_changed_actions(items)}
</section>
<section id="ratings">
<h2>RAG and status</h2>
<div class="grid2">
{_rag_counts(old, new)}
{rag_matrix}
{status_matrix}
</div>
</section>
<section id="added-section">
<h2>Added actions ({counts["added"]})</h2>
<div id="added">{_action_table("added-action", added, "No actions were added.")}</div>
</section>
<section id="removed-section">
<h2>Removed actions ({counts["removed"]})</h2>
<div id="removed">{_action_table("removed-action", removed, "No actions were removed.")}</div>
</section>
<section id="split-merged-section">
<h2>Split and merged actions ({counts["split"] + counts["merged"]})</h2>
<div id="split-merged">{split_merged}</div>
</section>
<footer class="muted"><p>Generated by extractor diff. Page numbers refer to the two source documents
(old → new). A slip is the number of days a due date moved (positive = later).</p></footer>
</main>"""
    return page(title, body, JS)
