"""`extractor inspect FILE`: what the table stage saw, page by page — for when a document comes out wrong."""
from __future__ import annotations

from typing import Optional

from extractor import ingest
from extractor.model import Block
from extractor.pipeline import read_layout
from extractor.settings import Settings, use
from extractor.tables.detect import explain_no_header, find_header
from extractor.tables.rows import rows_of
from extractor.tables.stitch import stitch


def inspect_file(path: str, password: Optional[str] = None, max_rows: int = 3,
                 settings: Optional[Settings] = None) -> dict:
    with use(settings):
        return _inspect(path, password, max_rows)


def _inspect(path: str, password: Optional[str], max_rows: int) -> dict:
    fmt = ingest.sniff(path)
    layout = read_layout(path, fmt, password)
    segments = stitch(layout.items)
    taken = {id(s.action.table): s for s in segments}
    continued = {id(t) for t in layout.tables if t.continues}
    tables = []
    for t in layout.tables:
        entry = {"index": t.index, "page_first": t.page_first, "page_last": t.page_last, "rows": len(t.rows),
                 "columns": t.n_cols, "ruled": t.ruled}
        if id(t) in continued:
            entry["verdict"] = "continuation of the action table on the previous page (stitched)"
        elif id(t) in taken:
            seg = taken[id(t)]
            raw = rows_of(seg)
            entry["verdict"] = "action table"
            entry["header"] = {seg.action.header.texts[c] if c < len(seg.action.header.texts) else str(c): f
                               for c, f in sorted(seg.action.header.columns.items())}
            entry["header_rows"] = seg.action.n_header_rows
            entry["stitched_pages"] = f"{seg.action.table.page_first}-{seg.action.table.page_last}"
            entry["actions"] = len(raw)
            entry["sections"] = sorted({r.section for r in raw if r.section})
            entry["first_rows"] = [{k: v[:80] for k, v in r.fields.items() if v} for r in raw[:max_rows]]
        else:
            found = find_header(t)
            entry["verdict"] = "not an action table"
            entry["why"] = explain_no_header(t) if found is None else "header found but table not stitched"
            entry["first_rows"] = [[c.text[:40] for c in r.cells if not c.covered] for r in t.rows[:max_rows]]
        tables.append(entry)
    headings = [{"page": b.page, "text": b.text[:100]} for b in layout.items
                if isinstance(b, Block) and b.kind == "heading"]
    return {"path": path, "format": fmt, "pages": len(layout.pages), "warnings": layout.warnings,
            "tables": tables, "headings": headings}


def render_text(report: dict) -> str:
    lines = [f"{report['path']}: {report['format']}, {report['pages']} page(s), {len(report['tables'])} table(s)"]
    for w in report["warnings"]:
        lines.append(f"  warning: {w}")
    for t in report["tables"]:
        pages = f"p.{t['page_first']}" + (f"-{t['page_last']}" if t["page_last"] != t["page_first"] else "")
        kind = "ruled" if t["ruled"] else "borderless"
        lines.append(f"- table {t['index']} ({pages}, {t['rows']} rows x {t['columns']} cols, {kind}): {t['verdict']}")
        if "header" in t:
            lines.append("    header: " + ", ".join(f"{k!s} -> {v}" for k, v in t["header"].items()))
            lines.append(f"    stitched over pages {t['stitched_pages']}; {t['actions']} action(s)")
            if t["sections"]:
                lines.append("    group rows: " + "; ".join(s[:60] for s in t["sections"]))
        if "why" in t:
            lines.append(f"    why: {t['why']}")
        for r in t.get("first_rows", []):
            lines.append(f"    row: {r}")
    return "\n".join(lines)
