"""`extractor inspect FILE`: what the table stage saw, page by page, and what the objective stage took and
rejected (with the evidence and the reasons) — for when a document comes out wrong."""
from __future__ import annotations

import functools
import os
from typing import Optional

from extractor import errors, ingest
from extractor.model import Block, DocumentResult, Table
from extractor.pipeline import read_layout
from extractor.run.jobs import Job
from extractor.settings import Settings, use
from extractor.tables.rows import rows_of
from extractor.tables.stitch import find_plans
from extractor.text.objectives import explain, judge_objectives


def inspect_file(path: str, password: Optional[str] = None, max_rows: int = 3, settings: Optional[Settings] = None,
                 **options) -> dict:
    """What the table stage saw in one file, as a dict (render_text() makes it readable). The file is read as in
    a batch: in an isolated worker under its time and memory limits (options: timeout_s, memory_mb, and the
    other batch options; isolate=False reads it in this process). A file that cannot be read raises the
    errors.DocumentError that says why."""
    from extractor.api import batch_options
    from extractor.run.batch import run_isolated

    job = Job(0, os.fspath(path), "inspect", password, settings)
    task = inspect_job if max_rows == DEFAULT_ROWS else functools.partial(inspect_job, max_rows=max_rows)
    out, _ = run_isolated(job, batch_options(**options), task)
    if isinstance(out, DocumentResult):
        raise errors.from_result(out)
    return out


DEFAULT_ROWS = 3


def inspect_job(job: Job, max_rows: int = DEFAULT_ROWS) -> "dict | DocumentResult":
    """The worker's task: the report, or a result recording why the file could not be read."""
    try:
        with use(job.settings):
            return _inspect(job.path, job.password, max_rows)
    except Exception as exc:
        failure = ingest.failure_of(exc)
        if failure.transient:
            raise failure from exc  # out of memory: the worker reports its memory limit and retires
        return errors.record(DocumentResult(doc_id=job.doc_id, path=job.path), failure)


def _inspect(path: str, password: Optional[str], max_rows: int) -> dict:
    fmt = ingest.sniff(path)
    layout = read_layout(path, fmt, password)
    scan = find_plans(layout.items)
    plans = {plan.sources[0]: plan for plan in scan.plans}
    tables = [_table_entry(t, scan, plans, max_rows) for t in layout.tables]
    headings = [{"page": b.page, "text": b.text[:100]} for b in layout.items
                if isinstance(b, Block) and b.kind == "heading"]
    return {"path": path, "format": fmt, "pages": len(layout.pages), "warnings": layout.warnings,
            "tables": tables, "headings": headings,
            "objectives": _objectives_part(layout, bool(scan.plans), scan.goal_headings)}


# --------------------------------------------------------------------------- objectives part

def _objectives_part(layout, has_action_plan: bool, goal_headings: list) -> dict:
    """The objective stage's view: the paper type, each objective with its evidence, each rejected candidate
    with the reason."""
    return explain(judge_objectives(layout, "inspect", has_action_plan=has_action_plan, not_objectives=goal_headings))


def _render_objectives(part: dict) -> list[str]:
    paper = part["paper"]
    kind = ("with an action plan" if paper["action_plan"] else "without an action plan") + (
        f", objectives section '{paper['objectives_section'][:60]}'" if paper["objectives_section"] else
        ", no objectives section")
    lines = [f"objectives: {len(part['objectives'])} found, {len(part['rejected'])} candidate(s) rejected "
             f"(paper {kind}{'; only strong evidence counts' if paper['strict'] else ''})"]
    for o in part["objectives"]:
        ref = f"[{o['ref']}] " if o["ref"] else ""
        lines.append(f"+ p.{o['page']} {ref}{o['text']}")
        lines.append(f"    because: {o['evidence']}")
    for o in part["rejected"]:
        ref = f"[{o['ref']}] " if o["ref"] else ""
        lines.append(f"- p.{o['page']} {ref}{o['text']}")
        lines.append(f"    not an objective: {o['why']}")
    return lines


VERDICTS = {"plan": "action table", "key_value": "action table (key-value: one action)",
            "status_grid": "action table (status grid: one action per row)"}


def _table_entry(t: Table, scan, plans: dict, max_rows: int) -> dict:
    entry = {"index": t.index, "page_first": t.page_first, "page_last": t.page_last, "rows": len(t.rows),
             "columns": t.n_cols, "ruled": t.ruled}
    if t.index in scan.joined:
        entry["verdict"] = f"continuation of table {scan.joined[t.index]} (same columns, next page)"
        entry["taken"] = True
        return entry
    v = scan.verdicts.get(t.index)
    if v is None:
        return entry
    entry["taken"] = v.taken
    entry["verdict"] = VERDICTS.get(v.kind, "not an action table")
    entry["why"] = v.reason
    entry["confidence"] = v.confidence
    if v.header is not None:
        h = v.header
        entry["header_rows"] = f"{h.start + 1}-{h.end}" if h.end - h.start > 1 else str(h.end)
        entry["header_found"] = v.header.how
    entry["columns_roles"] = [{"column": r.col + 1, "header": r.header[:40], "role": r.role or "-",
                               "from": r.source or "-", "score": r.score, "evidence": r.evidence} for r in v.roles]
    plan = plans.get(t.index)
    if plan is not None:
        raw = rows_of(plan)
        first, last = plan.table.page_first, plan.table.page_last
        entry["stitched_pages"] = f"{first}-{last}" if last != first else str(first)
        entry["actions"] = len(raw)
        if plan.context.section:
            entry["heading"] = plan.context.section[:100]
        sections = []
        for r in raw:
            if r.section and r.section not in sections:
                sections.append(r.section)
        entry["sections"] = sections  # in reading order
        entry["first_rows"] = [{k: v2[:80] for k, v2 in r.fields.items() if v2} for r in raw[:max_rows]]
    else:
        entry["first_rows"] = [[c.text[:40] for c in r.cells if not c.covered] for r in v.table.rows[:max_rows]]
    return entry


def render_text(report: dict) -> str:
    lines = [f"{report['path']}: {report['format']}, {report['pages']} page(s), {len(report['tables'])} table(s)"]
    for w in report["warnings"]:
        lines.append(f"  warning: {w}")
    for t in report["tables"]:
        pages = f"p.{t['page_first']}" + (f"-{t['page_last']}" if t["page_last"] != t["page_first"] else "")
        kind = "ruled" if t["ruled"] else "borderless"
        lines.append(f"- table {t['index']} ({pages}, {t['rows']} rows x {t['columns']} cols, {kind}): {t['verdict']}")
        if "why" in t:
            lines.append(f"    why: {t['why']}" + (f" (confidence {t['confidence']:.2f})" if t.get("taken") else ""))
        if "header_rows" in t:
            lines.append(f"    header: row(s) {t['header_rows']} ({t['header_found']})")
        for c in t.get("columns_roles", []):
            if c["role"] != "-" or t.get("taken"):
                label = f"{c['header']!r}" if c["header"] else "(no header)"
                lines.append(f"    column {c['column']} {label} -> {c['role']} [{c['from']}]: {c['evidence']}")
        if "actions" in t:
            pages = t["stitched_pages"]
            lines.append(f"    {t['actions']} action(s)" + (f", pages {pages}" if "-" in pages else f", page {pages}")
                         + (f"; under heading {t['heading']!r}" if t.get("heading") else ""))
            if t["sections"]:
                lines.append("    sections: " + "; ".join(s[:60] for s in t["sections"]))
        for r in t.get("first_rows", []):
            lines.append(f"    row: {r}")
    if "objectives" in report:
        lines.extend(_render_objectives(report["objectives"]))
    return "\n".join(lines)
