"""report.html: one self-contained page (inline CSS and JS, no external assets) for a governance lead.

Every piece of document text goes through html.escape. Stable hooks for tests and scripts:
  #headline li[data-kind]          counts: matched, added, removed, split, merged, changed
  #headline li[data-field]         changed actions by field
  #rag-counts, #rag-matrix, #status-matrix   tables; cells carry data-old / data-new / data-count
  #filters input[data-filter]      one checkbox per change field
  #changes section.section-group[data-section]   tr.change[data-field][data-old-id][data-new-id]
  #added tr.added-action, #removed tr.removed-action, #split-merged tr.split-merged-action
"""
from __future__ import annotations

import html
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Iterable, Optional

from extractor.model import RAGS, STATUSES, Action, DocumentResult
from extractor.versions.reconcile import CHANGE_FIELDS, ChangeRow, Diff

FIELD_LABELS = {"status": "Status", "rag": "RAG", "due_date": "Due date", "due_revised": "Revised date",
                "owner": "Owner", "text": "Wording", "ref": "Reference"}
STATUS_ORDER = list(STATUSES)
RAG_ORDER = [*RAGS, ""]
MATCH_LABELS = {"matched": "Matched", "added": "Added", "removed": "Removed", "split": "Split", "merged": "Merged"}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1200px;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:2px solid #d5d9e0;padding-bottom:.2rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem;color:#33415c}
.docs{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.doc{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.6rem .8rem}
.doc .label{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:#66708a}
ul.counts{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}
ul.counts li{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.4rem .8rem;min-width:6rem}
ul.counts .n{display:block;font-size:1.4rem;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:.3rem 0 1rem;width:100%}
th,td{border:1px solid #d5d9e0;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#eef1f5;font-weight:600}
table.matrix{width:auto}table.matrix td{text-align:right;min-width:3rem}table.matrix td.diag{background:#f0f4fa}
td.zero{color:#b7bdc9}
.grid2{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.grid2 table{width:auto;margin:0}
caption{text-align:left;font-weight:600;padding:.2rem 0;color:#33415c}
.rag{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.85em;border:1px solid #bbb}
.rag-red{background:#ff0000;color:#fff}.rag-amber{background:#ffc000}.rag-green{background:#00b050;color:#fff}
.rag-blue{background:#0070c0;color:#fff}.rag-none{background:#fff;color:#66708a}
.old{color:#8a1c1c;text-decoration:line-through;text-decoration-color:#d99}.new{color:#145a1e}
.arrow{color:#66708a;padding:0 .25rem}.ref,.pages,.slip{white-space:nowrap}.slip.late{color:#a33}.slip.early{color:#176b2c}
#filters{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.5rem .8rem;position:sticky;top:0;z-index:1}
#filters label{margin-right:1rem;white-space:nowrap}#filters button{margin-left:.3rem}
.muted{color:#66708a}.text{max-width:38rem}td.due,td.status{white-space:nowrap}.progress{font-size:.85em;margin-top:.2rem}
@media print{#filters{display:none}body{background:#fff}}
"""  # noqa: E501 (CSS, JS and markup kept as written)

JS = """
(function(){
  var boxes=document.querySelectorAll('#filters input[data-filter]');
  function apply(){
    var on={};
    boxes.forEach(function(b){on[b.getAttribute('data-filter')]=b.checked;});
    document.querySelectorAll('#changes tr.change').forEach(function(tr){tr.hidden=!on[tr.getAttribute('data-field')];});
    document.querySelectorAll('#changes .section-group').forEach(function(s){
      s.hidden=!s.querySelector('tr.change:not([hidden])');});
    var shown=document.querySelectorAll('#changes tr.change:not([hidden])').length;
    var c=document.getElementById('shown-count'); if(c){c.textContent=shown;}
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  document.querySelectorAll('#filters button[data-set]').forEach(function(btn){
    btn.addEventListener('click',function(){
      var v=btn.getAttribute('data-set')==='all';
      boxes.forEach(function(b){b.checked=v;}); apply();});
  });
  apply();
})();
"""  # noqa: E501 (CSS, JS and markup kept as written)


def e(value: object) -> str:
    """Escape anything for element content and quoted attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def _doc_name(doc: DocumentResult) -> str:
    return doc.title or Path(doc.path).name or doc.doc_id


def _doc_card(doc: DocumentResult, label: str, css_id: str) -> str:
    bits = []
    if doc.version:
        bits.append(f"Version {e(doc.version)}")
    if doc.doc_date:
        bits.append(e(doc.doc_date))
    if doc.organisation:
        bits.append(e(doc.organisation))
    meta = " · ".join(bits)
    return (f'<div class="doc" id="{css_id}" data-doc-id="{e(doc.doc_id)}"><div class="label">{e(label)}</div>'
            f'<div class="title"><strong>{e(_doc_name(doc))}</strong></div>'
            f'<div class="meta">{meta}</div>'
            f'<div class="file muted">{e(Path(doc.path).name)} · {len(doc.actions)} actions · '
            f'{doc.pages or "?"} pages</div></div>')


def _edition(doc: DocumentResult) -> str:
    """'v4.0 (2020-01-31)', or the file name when the document states neither."""
    bits = ([f"v{doc.version}"] if doc.version else []) + ([f"({doc.doc_date})"] if doc.doc_date else [])
    return " ".join(bits) if bits else Path(doc.path).name or doc.doc_id


def page_title(old: DocumentResult, new: DocumentResult) -> str:
    if _doc_name(old) == _doc_name(new):
        return f"{_doc_name(new)}: changes from {_edition(old)} to {_edition(new)}"
    return f"Changes from {_doc_name(old)} {_edition(old)} to {_doc_name(new)} {_edition(new)}"


def rag_badge(value: str) -> str:
    v = (value or "").strip().casefold()
    label = v or "none"
    return f'<span class="rag rag-{e(label)}">{e(label)}</span>'


def _value(field: str, value: str) -> str:
    if field == "rag":
        return rag_badge(value)
    if not value:
        return '<span class="muted">(none)</span>'
    if field == "status":
        return e(value.replace("_", " "))
    return e(value)


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


def _slip(days: Optional[int]) -> str:
    if days is None:
        return ""
    cls = "late" if days > 0 else "early" if days < 0 else ""
    sign = "+" if days > 0 else ""
    return f'<span class="slip {cls}" data-slip-days="{days}">{sign}{days} days</span>'


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
                         f'{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{c}</td>')
        rows.append(f'<tr><th scope="row" data-old="{e(a)}">{label(a)}</th>{"".join(cells)}'
                    f'<td class="total" data-total="{e(a)}">{sum(cnt.get((a, b), 0) for b in keys)}</td></tr>')
    return (f'<table id="{css_id}" class="matrix"><caption>{e(title)}</caption>'
            f'<thead><tr><th scope="col">old ↓ / new →</th>{head}<th scope="col">total</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _status_label(v: str) -> str:
    return e(v.replace("_", " ") if v else "unknown")


def _rag_label(v: str) -> str:
    return rag_badge(v)


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


def _change_row(ch: ChangeRow) -> str:
    a, b = ch.old, ch.new
    text = e(ch.new_text or ch.old_text)
    if ch.field == "text":
        vals = (f'<div class="old">{e(ch.old_value)}</div><div class="new">{e(ch.new_value)}</div>')
        text = '<span class="muted">(see change)</span>'
    else:
        vals = f'{_value(ch.field, ch.old_value)}<span class="arrow">→</span>{_value(ch.field, ch.new_value)}'
        if ch.field in ("status", "rag") and b is not None and b.progress and b.progress != (a.progress if a else ""):
            vals += f'<div class="progress muted">{e(b.progress)}</div>'
    return (f'<tr class="change" data-field="{e(ch.field)}" data-old-id="{e(ch.old_action_id)}" '
            f'data-new-id="{e(ch.new_action_id)}">'
            f'<td class="ref">{_ref_pair(ch.old_ref, ch.new_ref)}</td><td class="text">{text}</td>'
            f'<td class="field">{e(FIELD_LABELS.get(ch.field, ch.field))}</td><td class="values">{vals}</td>'
            f'<td class="slip-cell">{_slip(ch.slip_days)}</td><td class="pages">{_pages(a, b)}</td></tr>')


def _changes(diff: Diff) -> str:
    groups: "OrderedDict[str, list[ChangeRow]]" = OrderedDict()
    for ch in diff.changes:
        groups.setdefault(ch.section or "", []).append(ch)
    if not groups:
        return '<p class="muted" id="no-changes">No field changed in any matched action.</p>'
    out = []
    for k, (section, rows) in enumerate(groups.items()):
        title = e(section) if section else '<span class="muted">(no section)</span>'
        out.append(f'<section class="section-group" id="section-{k + 1}" data-section="{e(section)}">'
                   f'<h3>{title} <span class="muted">({len(rows)})</span></h3>'
                   '<table><thead><tr><th>Ref</th><th>Action</th><th>Field</th><th>Old → new</th>'
                   '<th>Slip</th><th>Pages</th></tr></thead><tbody>'
                   + "".join(_change_row(ch) for ch in rows) + '</tbody></table></section>')
    return "".join(out)


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
                  f'<td class="status">{_status_label(x.status)}</td><td>{rag_badge(x.rag)}</td>'
                  f'<td class="pages">{_pages(a, b) if with_match else _pages(x, None)}</td>')
        rows.append(f'<tr class="{css_class}" data-match="{e(match)}"{old_attr}{new_attr}>{cells}</tr>')
    if not rows:
        return f'<p class="muted">{e(empty)}</p>'
    head = ("<th>Ref</th><th>Kind</th><th>Old text</th><th>New text</th>" if with_match
            else "<th>Ref</th><th>Action</th>")
    head += "<th>Section</th><th>Owner</th><th>Due</th><th>Status</th><th>RAG</th><th>Pages</th>"
    return f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render_report(diff: Diff, old: DocumentResult, new: DocumentResult) -> str:
    counts = diff.counts()
    ch_counts = diff.change_counts()
    changed_actions = len({(c.old_action_id, c.new_action_id) for c in diff.changes})
    substantive = len({(c.old_action_id, c.new_action_id) for c in diff.changes if c.field != "ref"})
    by_field_actions = {f: len({(c.old_action_id, c.new_action_id) for c in diff.changes if c.field == f})
                        for f in CHANGE_FIELDS}
    pairs = diff.pairs
    title = page_title(old, new)

    kinds = [("matched", counts["matched"]), ("added", counts["added"]), ("removed", counts["removed"]),
             ("split", counts["split"]), ("merged", counts["merged"]), ("changed", changed_actions),
             ("changed_beyond_ref", substantive)]
    kind_labels = dict(MATCH_LABELS, changed="Matched with changes", changed_beyond_ref="Changed beyond renumbering")
    headline = "".join(f'<li data-kind="{k}" data-count="{v}"><span class="n">{v}</span>{e(kind_labels[k])}</li>'
                       for k, v in kinds)
    fields = "".join(f'<li data-field="{f}" data-count="{ch_counts[f]}"><span class="n">{ch_counts[f]}</span>'
                     f'{e(FIELD_LABELS[f])}</li>' for f in CHANGE_FIELDS)

    filters = "".join(f'<label><input type="checkbox" data-filter="{f}" id="filter-{f}" checked> '
                      f'{e(FIELD_LABELS[f])} (<span class="filter-count">{ch_counts[f]}</span>)</label>'
                      for f in CHANGE_FIELDS)

    added = [(None, r.new, "added") for r in diff.crosswalk if r.match == "added"]
    removed = [(r.old, None, "removed") for r in diff.crosswalk if r.match == "removed"]
    sm = [(r.old, r.new, r.match) for r in diff.crosswalk if r.match in ("split", "merged")]
    section_map = ", ".join(f"{e(k)}* → {e(v)}*" for k, v in sorted(diff.section_map.items()) if k != v)

    body = f"""<main>
<header id="title">
<h1>{e(title)}</h1>
<div class="docs">{_doc_card(old, "Old version", "old-doc")}{_doc_card(new, "New version", "new-doc")}</div>
</header>
<section id="summary">
<h2>Headline</h2>
<ul class="counts" id="headline">{headline}</ul>
<h3>Changes by field <span class="muted">(rows; actions with a change of that kind)</span></h3>
<ul class="counts" id="headline-fields">{fields}</ul>
<p class="muted" id="by-field-actions">{e(", ".join(f"{FIELD_LABELS[f]}: {by_field_actions[f]} actions" for f in CHANGE_FIELDS if by_field_actions[f]))}</p>
{f'<p class="muted" id="section-map">Renumbering detected: {section_map}</p>' if section_map else ""}
</section>
<section id="ratings">
<h2>RAG and status</h2>
<div class="grid2">
{_rag_counts(old, new)}
{_matrix("rag-matrix", "RAG transitions, matched actions", [((a.rag or "").casefold(), (b.rag or "").casefold()) for a, b in pairs], RAG_ORDER, _rag_label)}
{_matrix("status-matrix", "Status transitions, matched actions", [((a.status or "unknown"), (b.status or "unknown")) for a, b in pairs], STATUS_ORDER, _status_label)}
</div>
</section>
<section id="changes-section">
<h2>Changes to matched actions <span class="muted">(<span id="shown-count">{len(diff.changes)}</span> shown)</span></h2>
<div id="filters" role="group" aria-label="Filter changes by type">
<strong>Show:</strong> {filters}
<button type="button" data-set="all" id="filter-all">all</button><button type="button" data-set="none" id="filter-none">none</button>
</div>
<div id="changes">{_changes(diff)}</div>
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
<div id="split-merged">{_action_table("split-merged-action", sm, "No actions were split or merged.", with_match=True)}</div>
</section>
<footer class="muted"><p>Generated by extractor diff. Page numbers refer to the two source documents
(old → new). Slip is the number of days a due date moved (positive = later).</p></footer>
</main>"""  # noqa: E501 (CSS, JS and markup kept as written)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n'
            f'<script>{JS}</script>\n</body></html>\n')
