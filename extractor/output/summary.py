"""summary.html: one self-contained page (inline CSS, JS and SVG; no external assets) about a batch.

Every piece of document text goes through html.escape. Stable hooks for tests and scripts:
  body[data-ready]                             set to "true" by the page's script once it has run
  #totals li[data-kind] / li[data-status]      files, actions, objectives, seconds; files per status
  #totals li[data-kind=duplicates|no-action-plan|skipped]   documents counted once, read without an action plan,
                                               files skipped as not papers (when there are any)
  #documents tr.document[data-doc-id][data-status][data-actions][data-objectives]
      [data-duplicate-of]                      the doc_id of the document it duplicates (a duplicate's row)
      [data-no-action-plan]                    "true" on a document read fine with no action found; .note says so
      td.error                                 the one-line error ("" when ok)
      svg.bars-status .bar[data-status][data-count]   actions per status (stacked bar)
      svg.bars-rag .bar[data-rag][data-count]         actions per RAG ("none" = no rating)
  #filter input#filter-text, select#filter-status   client-side filtering (also from the URL: #status=failed&q=word);
                                               #visible-count shows the number of rows shown
  #families tr.family-member[data-family-id][data-doc-id]   (when families exist)
  #diffs li.diff-report a.diff-link[href="diffs/.../report.html"]   relative links to each diff report
"""
from __future__ import annotations

import html
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import quote

from extractor.model import RAGS, STATUSES, DocumentResult

STATUS_ORDER = list(STATUSES)
STATUS_COLOURS = {"not_started": "#9aa3b5", "in_progress": "#3c7dd9", "delayed": "#d9822b", "completed": "#2e9e5b",
                  "unknown": "#d5d9e0"}
RAG_ORDER = [*RAGS, "none"]
RAG_COLOURS = {"red": "#ff0000", "amber": "#ffc000", "green": "#00b050", "blue": "#0070c0", "none": "#e3e6eb"}
DOC_STATUS_ORDER = ["ok", "partial", "failed", "needs_ocr", "encrypted", "unsupported"]
BAR_WIDTH = 180
BAR_HEIGHT = 14

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1280px;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:2px solid #d5d9e0;padding-bottom:.2rem}
ul.counts{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}
ul.counts li{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.4rem .8rem;min-width:6rem}
ul.counts .n{display:block;font-size:1.4rem;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:.3rem 0 1rem;width:100%}
th,td{border:1px solid #d5d9e0;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#eef1f5;font-weight:600;position:sticky;top:0}
td.num{text-align:right;white-space:nowrap}td.error{color:#8a1c1c;max-width:26rem;word-break:break-word}
.badge{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.85em;border:1px solid #bbb;white-space:nowrap}
.st-ok{background:#e3f4e8;border-color:#9fd3ae}.st-partial{background:#fff3d6;border-color:#e8c978}
.st-failed,.st-encrypted,.st-needs_ocr,.st-unsupported{background:#fbe3e3;border-color:#e3a3a3}
.bar-label{font-size:.75em;color:#66708a;margin-top:.15rem}
.path{color:#66708a;font-size:.8em;word-break:break-all}
.note{color:#8a5a00;font-size:.8em;white-space:nowrap}tr[data-no-action-plan] td.n-actions{color:#8a5a00;font-weight:600}
svg.bars{display:block}svg.bars rect.empty{fill:#f1f2f5}
.legend{display:flex;flex-wrap:wrap;gap:.8rem;font-size:.85em;margin:.3rem 0}.legend i{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:-1px;border-radius:2px}
#filter{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.5rem .8rem;margin:.5rem 0}
#filter label{margin-right:1rem}.muted{color:#66708a}
tr.hidden{display:none}
@media print{#filter{display:none}body{background:#fff}}
"""  # noqa: E501 (CSS, JS and markup kept as written)

JS = """
(function(){
  var text=document.getElementById('filter-text'), status=document.getElementById('filter-status');
  var rows=[].slice.call(document.querySelectorAll('#documents tr.document'));
  var shown=document.getElementById('visible-count');
  function apply(){
    var q=(text.value||'').toLowerCase(), s=status.value, n=0;
    rows.forEach(function(r){
      var ok=(!s||r.getAttribute('data-status')===s)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
      r.classList.toggle('hidden',!ok); if(ok){n++;}
    });
    shown.textContent=String(n);
  }
  var h=location.hash||'', ms=/[#&]status=([^&]*)/.exec(h), mq=/[#&]q=([^&]*)/.exec(h);
  if(ms){status.value=decodeURIComponent(ms[1]);}
  if(mq){text.value=decodeURIComponent(mq[1]);}
  text.addEventListener('input',apply); status.addEventListener('change',apply);
  apply();
  document.body.setAttribute('data-ready','true');
})();
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _bar(kind: str, counts: dict[str, int], order: list[str], colours: dict[str, str], total: int) -> str:
    """A stacked horizontal bar (inline SVG): one rect.bar per category with its count (zeros included,
    width 0), so scripts can read every count from the DOM."""
    label = ", ".join(f"{k} {counts.get(k, 0)}" for k in order if counts.get(k, 0)) or "no actions"
    parts = [f'<svg class="bars bars-{kind}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
             f'viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" role="img" aria-label="{_e(label)}">',
             f'<title>{_e(label)}</title>']
    if not total:
        parts.append(f'<rect class="empty" x="0" y="0" width="{BAR_WIDTH}" height="{BAR_HEIGHT}"></rect>')
    x = 0.0
    for k in order:
        n = counts.get(k, 0)
        w = BAR_WIDTH * n / total if total else 0.0
        parts.append(f'<rect class="bar" data-{kind}="{_e(k)}" data-count="{n}" x="{x:.2f}" y="0" '
                     f'width="{w:.2f}" height="{BAR_HEIGHT}" fill="{colours[k]}"><title>{_e(k)}: {n}</title></rect>')
        x += w
    parts.append("</svg>")
    shown = [f"{k.replace('_', ' ')} {counts[k]}" for k in order if counts.get(k, 0)]
    parts.append(f'<div class="bar-label">{_e(" · ".join(shown))}</div>')
    return "".join(parts)


def _legend(order: list[str], colours: dict[str, str], kind: str) -> str:
    items = "".join(f'<span data-{kind}="{_e(k)}"><i style="background:{colours[k]}"></i>'
                    f'{_e(k.replace("_", " "))}</span>' for k in order)
    return f'<div class="legend legend-{kind}">{items}</div>'


def _href(rel: str) -> str:
    return _e("/".join(quote(p) for p in rel.split("/")))


def diff_reports(out_dir: Optional[Path]) -> list[str]:
    """report.html files under out_dir/diffs/, as paths relative to out_dir (posix), sorted."""
    if out_dir is None or not (Path(out_dir) / "diffs").is_dir():
        return []
    return sorted(p.relative_to(out_dir).as_posix() for p in (Path(out_dir) / "diffs").rglob("report.html"))


def _report_for(diff: str, reports: list[str]) -> Optional[str]:
    d = (diff or "").strip().strip("/")
    if not d:
        return None
    for cand in (d, f"{d}/report.html", f"diffs/{d}", f"diffs/{d}/report.html"):
        if cand in reports:
            return cand
    return None


def _note(kind: str, n: int, text: str) -> str:
    return f'<li data-kind="{kind}" data-count="{n}"><span class="n">{n}</span>{_e(text)}</li>'


def _skipped_note(skipped: list[DocumentResult]) -> str:
    kinds = Counter(os.path.splitext(r.path)[1].lower() or os.path.basename(r.path)[:2] for r in skipped)
    detail = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"skipped: not papers ({detail})"


def render_summary(results: list[DocumentResult], families: Iterable[dict] = (), out_dir: Optional[Path] = None,
                   seconds: Optional[float] = None, title: str = "Extraction summary",
                   skipped: Iterable[DocumentResult] = ()) -> str:
    from extractor import __version__

    families = list(families or ())
    skipped = list(skipped)
    reports = diff_reports(out_dir)
    by_status = Counter(r.status for r in results)
    plans = [r for r in results if not r.duplicate_of]  # each plan counted once
    n_actions = sum(r.n_actions for r in plans)
    n_obj = sum(r.n_objectives for r in plans)
    no_plan = [r for r in plans if r.status == "ok" and not r.n_actions]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")

    h: list[str] = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                    '<meta name="viewport" content="width=device-width,initial-scale=1">',
                    f"<title>{_e(title)}</title><style>{CSS}</style></head>", '<body data-ready="false"><main>',
                    f"<h1>{_e(title)}</h1>",
                    f'<p class="muted">extractor {_e(__version__)} &middot; {_e(when)}</p>',
                    '<section id="totals"><ul class="counts">',
                    f'<li data-kind="files" data-count="{len(results)}"><span class="n">{len(results)}</span>'
                    'files</li>',
                    f'<li data-kind="actions" data-count="{n_actions}"><span class="n">{n_actions}</span>actions</li>',
                    f'<li data-kind="objectives" data-count="{n_obj}"><span class="n">{n_obj}</span>objectives</li>']
    if seconds is not None:
        h.append(f'<li data-kind="seconds" data-count="{seconds:.1f}"><span class="n">{seconds:.1f}s</span>time</li>')
    statuses = ([s for s in DOC_STATUS_ORDER if by_status.get(s)]
                + sorted(s for s in by_status if s not in DOC_STATUS_ORDER))
    for s in statuses:
        h.append(f'<li data-status="{_e(s)}" data-count="{by_status[s]}"><span class="n">{by_status[s]}</span>'
                 f'<span class="badge st-{_e(s)}">{_e(s)}</span></li>')
    if len(plans) < len(results):
        h.append(_note("duplicates", len(results) - len(plans), "duplicates (same content or plan), counted once"))
    if no_plan:
        h.append(_note("no-action-plan", len(no_plan), "read with no action plan found"))
    if skipped:
        h.append(_note("skipped", len(skipped), _skipped_note(skipped)))
    h.append("</ul></section>")

    # documents
    h.append('<h2>Documents</h2><div id="filter"><label>Search <input id="filter-text" type="search" '
             'placeholder="file, title, error"></label><label>Status <select id="filter-status">'
             '<option value="">all</option>')
    h.extend(f'<option value="{_e(s)}">{_e(s)}</option>' for s in statuses)
    h.append(f'</select></label><span class="muted">showing <span id="visible-count">{len(results)}</span> of '
             f'{len(results)}</span></div>')
    h.append(_legend(STATUS_ORDER, STATUS_COLOURS, "status"))
    h.append(_legend(RAG_ORDER, RAG_COLOURS, "rag"))
    h.append('<table id="documents"><thead><tr><th>Document</th><th>Format</th><th>Pages</th><th>Status</th>'
             '<th>Error</th><th>Actions</th><th>Objectives</th><th>Actions by status</th><th>Actions by RAG</th>'
             '</tr></thead><tbody>')
    for r in results:
        st = Counter(a.status or "unknown" for a in r.actions)
        rag = Counter((a.rag or "none") for a in r.actions)
        st_order = STATUS_ORDER + sorted(k for k in st if k not in STATUS_ORDER)
        rag_order = RAG_ORDER + sorted(k for k in rag if k not in RAG_ORDER)
        st_col = {k: STATUS_COLOURS.get(k, "#888") for k in st_order}
        rag_col = {k: RAG_COLOURS.get(k, "#888") for k in rag_order}
        name = os.path.basename(r.path) or r.path
        doc_title = f'<div class="title">{_e(r.title)}</div>' if r.title else ""
        marks, note = "", ""
        if r.duplicate_of:
            marks, note = f' data-duplicate-of="{_e(r.duplicate_of)}"', f"duplicate of {r.duplicate_of}: counted once"
        elif r.status == "ok" and not r.n_actions:
            marks, note = ' data-no-action-plan="true"', "no action plan found"
        note_html = f'<div class="note">{_e(note)}</div>' if note else ""
        h.append(f'<tr class="document" data-doc-id="{_e(r.doc_id)}" data-status="{_e(r.status)}" '
                 f'data-actions="{r.n_actions}" data-objectives="{r.n_objectives}"{marks}>'
                 f'<td class="doc"><div class="name">{_e(name)}</div>{doc_title}'
                 f'<div class="path">{_e(r.path)}</div></td>'
                 f'<td class="format">{_e(r.format)}</td><td class="num pages">{r.pages}</td>'
                 f'<td class="status"><span class="badge st-{_e(r.status)}">{_e(r.status)}</span>{note_html}</td>'
                 f'<td class="error">{_e(r.error)}</td><td class="num n-actions">{r.n_actions}</td>'
                 f'<td class="num n-objectives">{r.n_objectives}</td>'
                 f'<td class="chart">{_bar("status", st, st_order, st_col, r.n_actions)}</td>'
                 f'<td class="chart">{_bar("rag", rag, rag_order, rag_col, r.n_actions)}</td></tr>')
    h.append("</tbody></table>")

    # families and diff reports
    if families:
        h.append('<h2>Version families</h2><table id="families"><thead><tr><th>Family</th><th>Document</th>'
                 '<th>Version</th><th>Date</th><th>Diff from previous</th><th>Why in this family</th></tr></thead>'
                 '<tbody>')
        for f in families:
            link = _report_for(str(f.get("diff") or ""), reports)
            cell = (f'<a class="diff-link" href="{_href(link)}" title="{_e(f.get("diff"))}">diff report</a>' if link
                    else _e(f.get("diff") or ""))
            h.append(f'<tr class="family-member" data-family-id="{_e(f.get("family_id"))}" '
                     f'data-doc-id="{_e(f.get("doc_id"))}"><td>{_e(f.get("family_id"))}</td><td>{_e(f.get("doc_id"))}</td>'
                     f'<td>{_e(f.get("version") or "")}</td><td>{_e(f.get("doc_date") or "")}</td><td>{cell}</td>'
                     f'<td class="evidence">{_e(f.get("evidence") or "")}</td></tr>')
        h.append("</tbody></table>")
    timelines = sorted(p.relative_to(out_dir).as_posix() for p in (Path(out_dir) / "diffs").glob("*/timeline.html")) \
        if out_dir is not None and (Path(out_dir) / "diffs").is_dir() else []
    if timelines:
        h.append('<h2>Series timelines</h2><ul id="timelines">')
        for rel in timelines:
            family = rel.split("/")[1]
            h.append(f'<li class="timeline" data-family-id="{_e(family)}"><a href="{_href(rel)}">{_e(family)}</a>: '
                     f'every action across the versions</li>')
        h.append("</ul>")
    if reports:
        h.append('<h2>Diff reports</h2><ul id="diffs">')
        for rel in reports:
            label = rel[len("diffs/"):] if rel.startswith("diffs/") else rel
            label = label[: -len("/report.html")] if label.endswith("/report.html") else label
            h.append(f'<li class="diff-report" data-diff="{_e(label)}"><a class="diff-link" href="{_href(rel)}">'
                     f'{_e(label)}</a></li>')
        h.append("</ul>")
    h.append(f"</main><script>{JS}</script></body></html>")
    return "\n".join(h) + "\n"


def write_summary(path: Path, results: list[DocumentResult], families: Iterable[dict] = (),
                  seconds: Optional[float] = None, skipped: Iterable[DocumentResult] = ()) -> Path:
    """Render and write summary.html atomically; diff reports are looked for in the page's own folder."""
    from extractor.output.emit import atomic_open

    path = Path(path)
    text = render_summary(results, families=families, out_dir=path.parent, seconds=seconds, skipped=skipped)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path
