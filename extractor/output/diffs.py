"""Writing what the versions stage found: one diff (crosswalk.csv, changes.csv, report.html) and a batch's
version families (families.csv, action_history.csv, diffs/<family_id>/<old_doc_id>__<new_doc_id>/ and the
series page diffs/<family_id>/timeline.html), every file atomically. A family diff that
fails is logged and left out (its row's `diff` stays empty, the series' threads break there); the rest is
still written."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

from extractor.model import DocumentResult
from extractor.output import schema
from extractor.output.emit import atomic_open, write_table_csv
from extractor.versions.families import Assignment, Family, FamilyDiff, find_families, pick_series
from extractor.versions.history import history_rows
from extractor.versions.reconcile import Diff, reconcile
from extractor.versions.report import render_report
from extractor.versions.timeline import render_timeline

log = logging.getLogger(__name__)

FAMILIES_NAME = "families.csv"
HISTORY_NAME = "action_history.csv"
TIMELINE_NAME = "timeline.html"
DIFFS_DIR = "diffs"

def write_diff(diff: Diff, old: DocumentResult, new: DocumentResult, out_dir: Path, identical: bool = False,
               excel_safe: bool = False) -> None:
    """crosswalk.csv, changes.csv and report.html in out_dir (created if missing), each written atomically.
    identical: the two files have the same content (the report says so); excel_safe: text cells that start
    like a formula get a leading apostrophe."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_text = render_report(diff, old, new, identical=identical)  # first: a failure leaves no half-set
    write_table_csv(out_dir, "crosswalk", (r.as_row() for r in diff.crosswalk), excel_safe,
                    schema.table("crosswalk").contract, "crosswalk.csv")
    write_table_csv(out_dir, "changes", (c.as_row() for c in diff.changes), excel_safe,
                    schema.table("changes").contract, "changes.csv")
    with atomic_open(out_dir / "report.html", "w", encoding="utf-8", newline="") as fh:
        fh.write(html_text)


def _folder_name(old: DocumentResult, new: DocumentResult) -> str:
    return f"{old.doc_id}__{new.doc_id}"


def family_rows(families: list[Family]) -> list[dict]:
    """families.csv rows: one per member, oldest version first (position 0), preferred rendering first."""
    rows = []
    for fam in families:
        diff_of = {d.new.doc_id: d.folder for d in fam.diffs}
        for pos, renderings in enumerate(fam.versions):
            for r in renderings:
                link = fam.links.get(r.doc_id)
                rows.append({"family_id": fam.family_id, "doc_id": r.doc_id, "path": r.path, "title": r.title,
                             "organisation": r.organisation, "version": r.version, "doc_date": r.doc_date,
                             "position": pos, "n_actions": r.n_actions, "diff": diff_of.get(r.doc_id, ""),
                             "edition": fam.editions.get(r.doc_id, ""),
                             "score": "" if link is None else link.score,
                             "evidence": "" if link is None else link.evidence})
    return rows


def change_rows(families: list[Family]) -> list[dict]:
    """Every family diff's changes.csv rows, each labelled with its diff folder (column `diff`)."""
    return [dict(ch.as_row(), diff=fd.folder) for fam in families for fd in fam.diffs for ch in fd.diff.changes]


def history_of(families: list[Family]) -> list[dict]:
    """action_history rows of every family: its chosen renderings as the series, threads through its diffs."""
    rows: list[dict] = []
    for fam in families:
        if not fam.history:
            series = fam.series or pick_series(fam.versions)
            by_pair = {(d.old.doc_id, d.new.doc_id): d.diff for d in fam.diffs}
            diffs = [by_pair.get((a.doc_id, b.doc_id)) for a, b in zip(series, series[1:])]
            fam.history = history_rows(fam.family_id, series, diffs)
        rows.extend(fam.history)
    return rows


def write_families(results: list[DocumentResult], out_dir: Path,
                   mapping: Optional[dict[str, Assignment]] = None, excel_safe: bool = False) -> list[Family]:
    """Find the version families in a batch's results (`mapping`: the user's overrides, see
    versions.families.load_family_map), diff consecutive versions into
    out_dir/diffs/<family_id>/<old_doc_id>__<new_doc_id>/ and write out_dir/families.csv and
    out_dir/action_history.csv (header only when there is no family). Returns the families, their diffs
    attached. excel_safe: as for every CSV of the batch."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    families = find_families(results, mapping)
    for fam in families:
        fam.series = pick_series(fam.versions)
        for old, new in zip(fam.series, fam.series[1:]):
            folder = f"{DIFFS_DIR}/{fam.family_id}/{_folder_name(old, new)}"
            try:
                diff = reconcile(old.actions, new.actions)
                write_diff(diff, old, new, out_dir / folder, excel_safe=excel_safe)
            except OSError:  # the disk, not the pair: the whole write fails (and publishes nothing)
                raise
            except Exception as exc:  # one bad pair must not cost the batch its other outputs
                log.warning("diff %s -> %s failed: %s: %s", old.doc_id, new.doc_id, type(exc).__name__, exc)
                continue
            fam.diffs.append(FamilyDiff(old=old, new=new, folder=folder, diff=diff))
        try:
            history_of([fam])
            html_text = render_timeline(fam.series, fam.history)
            with atomic_open(out_dir / DIFFS_DIR / fam.family_id / TIMELINE_NAME, "w", encoding="utf-8",
                             newline="") as fh:
                fh.write(html_text)
        except Exception as exc:  # the timeline is a view; its failure must not cost the tables
            log.warning("timeline of %s failed: %s: %s", fam.family_id, type(exc).__name__, exc)
    write_table_csv(out_dir, "families", family_rows(families), excel_safe, schema.columns("families"), FAMILIES_NAME)
    write_table_csv(out_dir, "action_history", history_of(families), excel_safe, schema.columns("action_history"),
                    HISTORY_NAME)
    return families
