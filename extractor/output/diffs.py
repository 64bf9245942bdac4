"""Writing what the versions stage found: one diff (crosswalk.csv, changes.csv, report.html) and a batch's
version families (families.csv and diffs/<family_id>/<old_doc_id>__<new_doc_id>/), every file atomically.
A family diff that fails is logged and left out (its row's `diff` stays empty); the rest is still written."""
from __future__ import annotations

import logging
from pathlib import Path

from extractor.model import DocumentResult
from extractor.output.emit import atomic_open, write_table_csv
from extractor.versions.families import Family, FamilyDiff, find_families, pick_renderings
from extractor.versions.reconcile import CHANGE_COLUMNS, CROSSWALK_COLUMNS, Diff, reconcile
from extractor.versions.report import render_report

log = logging.getLogger(__name__)

FAMILIES_NAME = "families.csv"
DIFFS_DIR = "diffs"
FAMILY_COLUMNS = ["family_id", "doc_id", "path", "title", "organisation", "version", "doc_date", "position",
                  "n_actions", "diff"]



def write_diff(diff: Diff, old: DocumentResult, new: DocumentResult, out_dir: Path, excel_safe: bool = False) -> None:
    """crosswalk.csv, changes.csv and report.html in out_dir (created if missing), each written atomically;
    excel_safe: text cells that start like a formula get a leading apostrophe."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_text = render_report(diff, old, new)  # render first: a failure leaves no half-set of outputs
    write_table_csv(out_dir, "crosswalk", (r.as_row() for r in diff.crosswalk), excel_safe, CROSSWALK_COLUMNS,
                    "crosswalk.csv")
    write_table_csv(out_dir, "changes", (c.as_row() for c in diff.changes), excel_safe, CHANGE_COLUMNS, "changes.csv")
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
                rows.append({"family_id": fam.family_id, "doc_id": r.doc_id, "path": r.path, "title": r.title,
                             "organisation": r.organisation, "version": r.version, "doc_date": r.doc_date,
                             "position": pos, "n_actions": r.n_actions, "diff": diff_of.get(r.doc_id, "")})
    return rows


def change_rows(families: list[Family]) -> list[dict]:
    """Every family diff's changes.csv rows, each labelled with its diff folder (column `diff`)."""
    return [dict(ch.as_row(), diff=fd.folder) for fam in families for fd in fam.diffs for ch in fd.diff.changes]


def write_families(results: list[DocumentResult], out_dir: Path, excel_safe: bool = False) -> list[Family]:
    """Find the version families in a batch's results, diff consecutive versions into
    out_dir/diffs/<family_id>/<old_doc_id>__<new_doc_id>/ and write out_dir/families.csv (header only when
    there is no family). Returns the families, their diffs attached."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    families = find_families(results)
    for fam in families:
        for older, newer in zip(fam.versions, fam.versions[1:]):
            old, new = pick_renderings(older, newer)
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
    write_table_csv(out_dir, "families", family_rows(families), excel_safe, FAMILY_COLUMNS, FAMILIES_NAME)
    return families
