"""Pieces shared by the diff report and the series timeline: escaping, labels a reader understands (a
document named by its version, else its date, else its edition, else its file), value badges, word-level
marks for wording changes, and the common style sheet. Every piece of document text goes through e()."""
from __future__ import annotations

import html
import re
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

from extractor.model import RAGS, STATUSES, DocumentResult
from extractor.versions.editions import edition_of, norm_title, plan_name, stem_date

FIELD_LABELS = {"status": "Status", "rag": "RAG", "due_date": "Due date", "due_revised": "Revised date",
                "owner": "Owner", "text": "Wording", "ref": "Reference", "progress": "Progress note"}
STATUS_ORDER = list(STATUSES)
RAG_ORDER = [*RAGS, ""]

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
main{max-width:1280px;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:2px solid #d5d9e0;padding-bottom:.2rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem;color:#33415c}
.docs{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.doc{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.6rem .8rem}
.doc .label{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;color:#66708a}
ul.counts{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.5rem}
ul.counts li{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.4rem .8rem;min-width:6rem}
ul.counts .n{display:block;font-size:1.4rem;font-weight:600}
table{border-collapse:collapse;background:#fff;margin:.3rem 0 1rem;width:100%}
th,td{border:1px solid #d5d9e0;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#eef1f5;font-weight:600;position:sticky;top:0}
table.matrix{width:auto}table.matrix td{text-align:right;min-width:3rem}table.matrix td.diag{background:#f0f4fa}
td.zero{color:#b7bdc9}
.grid2{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.grid2 table{width:auto;margin:0}
caption{text-align:left;font-weight:600;padding:.2rem 0;color:#33415c}
.rag{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.85em;border:1px solid #bbb}
.rag-red{background:#ff0000;color:#fff}.rag-amber{background:#ffc000}.rag-green{background:#00b050;color:#fff}
.rag-blue{background:#0070c0;color:#fff}.rag-none{background:#fff;color:#66708a}
.old{color:#8a1c1c;text-decoration:line-through;text-decoration-color:#d99}.new{color:#145a1e;font-weight:600}
del.word{background:#fde2e2;color:#8a1c1c}ins.word{background:#dcf5e3;color:#145a1e;text-decoration:none}
.arrow{color:#66708a;padding:0 .25rem}.ref,.pages,.slip{white-space:nowrap}
.slip{font-size:.85em;border-radius:3px;padding:0 .3rem}.slip.late{background:#fde2e2;color:#a33;font-weight:600}
.slip.early{background:#dcf5e3;color:#176b2c}
td.changed{background:#fffbea}.muted{color:#66708a}.text{max-width:34rem}.section-name{font-size:.8em;color:#66708a}
.note{font-size:.85em;margin:.1rem 0}.note.old-note{color:#8a1c1c}.note.new-note{color:#145a1e}
.note .tag{font-size:.75em;text-transform:uppercase;color:#66708a;margin-right:.3rem}
#filters{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.5rem .8rem;position:sticky;top:0;z-index:2}
#filters label{margin-right:1rem;white-space:nowrap}#filters button{margin-left:.3rem}
details{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.4rem .8rem;margin:.5rem 0}
td.status,td.due{white-space:nowrap}
td.absent{background:repeating-linear-gradient(45deg,#f6f7f9,#f6f7f9 4px,#eceef2 4px,#eceef2 8px)}
td.slipped{background:#fde2e2}
@media print{#filters{display:none}body{background:#fff}th{position:static}}
"""  # noqa: E501 (CSS kept as written)


def e(value: object) -> str:
    """Escape anything for element content and quoted attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def nice_date(iso: str) -> str:
    """'2011-07-19' -> '19 July 2011'; '2011-07' -> 'July 2011'; anything else unchanged."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso or ""):
            d = date.fromisoformat(iso)
            return f"{d.day} {d:%B %Y}"
        if re.fullmatch(r"\d{4}-\d{2}", iso or ""):
            return f"{date.fromisoformat(iso + '-01'):%B %Y}"
    except ValueError:
        pass
    return iso or ""


def doc_name(doc: DocumentResult) -> str:
    return doc.title or Path(doc.path).name or doc.doc_id


def plan_title(doc: DocumentResult) -> str:
    """The plan's printed name without its edition ('Transparency Board Action Log'), else the file name."""
    return plan_name(doc.title) if doc.title else Path(doc.path).name or doc.doc_id


def same_plan_name(a: DocumentResult, b: DocumentResult) -> bool:
    if not a.title or not b.title:
        return not a.title and not b.title
    return norm_title(a.title) == norm_title(b.title) or \
        plan_name(a.title).casefold() == plan_name(b.title).casefold()


def edition_label(doc: DocumentResult) -> str:
    """How a reader tells this version apart: 'version 4.0, 31 January 2020', 'the draft, 31 October 2013',
    '19 July 2011' (from the cover, else the file name), or the file name when nothing says more."""
    edition = edition_of(doc.title, Path(doc.path).stem)
    when = nice_date(doc.doc_date or stem_date(doc.path))
    if doc.version:
        label = f"version {doc.version}"
        return f"{label}, {when}" if when else label
    if edition:
        return f"the {edition}, {when}" if when else f"the {edition}, {Path(doc.path).name}"
    return when or Path(doc.path).name or doc.doc_id


def rag_badge(value: str) -> str:
    v = (value or "").strip().casefold()
    label = v or "none"
    return f'<span class="rag rag-{e(label)}">{e(label)}</span>'


def status_label(value: str) -> str:
    return e((value or "unknown").replace("_", " "))


def value_html(field: str, value: str) -> str:
    if field == "rag":
        return rag_badge(value)
    if not value:
        return '<span class="muted">(none)</span>'
    if field == "status":
        return status_label(value)
    return e(value)


def slip_badge(days) -> str:
    if days is None or days == "":
        return ""
    days = int(days)
    cls = "late" if days > 0 else "early" if days < 0 else ""
    sign = "+" if days > 0 else ""
    return f'<span class="slip {cls}" data-slip-days="{days}">{sign}{days} days</span>'


def word_diff(old: str, new: str) -> str:
    """The new wording with the words taken out (<del class="word">) and put in (<ins class="word">)."""
    a, b = (old or "").split(), (new or "").split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(e(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f'<del class="word">{e(" ".join(a[i1:i2]))}</del>')
        if j2 > j1:
            out.append(f'<ins class="word">{e(" ".join(b[j1:j2]))}</ins>')
    return " ".join(out)


def page(title: str, body: str, script: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n'
            + (f'<script>{script}</script>\n' if script else "") + '</body></html>\n')
