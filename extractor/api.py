"""The Python API: `extract(paths) -> Result` and `diff(old, new) -> DiffResult`. The CLI is a thin layer
over these two.

    >>> from extractor import extract, diff
    >>> res = extract(["papers/"], workers=2)
    >>> res.actions.groupby("status").size()
    >>> res.write("outputs/", formats=["csv", "parquet", "xlsx"])
    >>> d = diff("plan-v3.pdf", "plan-v4.docx")
    >>> d.changes[d.changes.field == "due_date"]

DataFrames follow the data dictionary (extractor/schema.py): text columns are str ("" when absent),
integers int64 (nullable Int64 where a value can be absent), dates datetime64 (NaT when absent),
booleans bool, list columns hold Python lists. The typed records are there too: Result.results
(DocumentResult) and DiffResult.crosswalk_records / change_records.
"""
from __future__ import annotations

import errno
import logging
import os
import time
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Optional, Union

from extractor.model import DocumentResult

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from extractor.run.options import BatchOptions
    from extractor.settings import Settings
    from extractor.versions.reconcile import ChangeRow, CrosswalkRow, Diff

log = logging.getLogger("extractor")

PathLike = Union[str, os.PathLike]
# options BatchOptions has or is getting (passed on only when the installed BatchOptions has them)


class NoFilesError(ValueError):
    """None of the given paths is or contains a file."""


# --------------------------------------------------------------------------- frames

def frame(table: str, rows: Iterable[Mapping]) -> "pd.DataFrame":
    """A pandas DataFrame of a dictionary table, typed column by column (see the module docstring)."""
    import pandas as pd

    from extractor.output import schema
    from extractor.output.emit import typed_rows

    spec = schema.table(table)
    typed = typed_rows(table, rows)
    data = {}
    for c in spec.columns:
        values = [r[c.name] for r in typed]
        if c.type == "string":
            data[c.name] = pd.Series(values, dtype="str", name=c.name)
        elif c.type == "integer":
            dtype = "Int64" if any(v is None for v in values) else "int64"
            data[c.name] = pd.Series(values, dtype=dtype, name=c.name)
        elif c.type == "number":
            data[c.name] = pd.Series([float("nan") if v is None else v for v in values], dtype="float64", name=c.name)
        elif c.type == "boolean":
            data[c.name] = pd.Series(values, dtype=bool, name=c.name)
        elif c.type == "date":
            data[c.name] = pd.to_datetime(pd.Series(values, dtype=object, name=c.name))
        else:  # list
            data[c.name] = pd.Series(values, dtype=object, name=c.name)
    return pd.DataFrame(data, columns=spec.names)


# --------------------------------------------------------------------------- extract

def batch_options(**options) -> "BatchOptions":
    """BatchOptions from keyword options; an unknown one is a TypeError naming the known ones."""
    from extractor.run.options import BatchOptions

    known = {f.name for f in fields(BatchOptions)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(unknown)}; options: {', '.join(sorted(known))}")
    return BatchOptions(**options)


@dataclass
class WriteReport:
    out_dir: Path
    paths: list[Path] = field(default_factory=list)  # every file written
    families: list[dict] = field(default_factory=list)  # rows of the families table (may be empty)
    changes: list[dict] = field(default_factory=list)  # rows of the changes table (may be empty)
    history: list[dict] = field(default_factory=list)  # rows of the action_history table (may be empty)


@dataclass
class Result:
    """What extract() found: one DocumentResult per file (failed ones included), as records and frames."""
    results: list[DocumentResult]
    seconds: float = 0.0
    skipped: list[DocumentResult] = field(default_factory=list)  # files in a folder plainly not papers: no row

    @cached_property
    def documents(self) -> "pd.DataFrame":
        from extractor.output.emit import document_row

        return frame("documents", [document_row(r) for r in self.results])

    @cached_property
    def actions(self) -> "pd.DataFrame":
        from extractor.output.emit import action_row

        return frame("actions", [action_row(a) for r in self.results for a in r.actions])

    @cached_property
    def objectives(self) -> "pd.DataFrame":
        from extractor.output.emit import objective_row

        return frame("objectives", [objective_row(o) for r in self.results for o in r.objectives])

    @cached_property
    def mentions(self) -> "pd.DataFrame":
        """Rows of tables that restate earlier actions (exception reports...), linked by action_id."""
        from extractor.output.emit import batch_rows

        return frame("mentions", batch_rows(self.results)["mentions"])

    @property
    def ok(self) -> bool:
        return all(r.status == "ok" for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when every file is ok, 3 otherwise (the CLI's exit code)."""
        return 0 if self.ok else 3

    def counts(self) -> dict:
        from collections import Counter

        from extractor.run.triage import originals, without_action_plan

        plans = originals(self.results)  # a plan found twice (the same file, its PDF and its DOCX) counts once
        return {"files": len(self.results), "by_status": dict(Counter(r.status for r in self.results)),
                "duplicates": len(self.results) - len(plans), "skipped": len(self.skipped),
                "no_action_plan": len(without_action_plan(plans)),
                "actions": sum(r.n_actions for r in plans),
                "objectives": sum(r.n_objectives for r in plans), "seconds": self.seconds}

    def write(self, out_dir: PathLike, formats: Optional[Iterable[str]] = None, excel_safe: bool = False,
              families: bool = True, summary: bool = True, family_map: Optional[PathLike] = None,
              reuse_unchanged: bool = True) -> WriteReport:
        """Write the outputs into out_dir: the tables in each format (default csv, parquet, duckdb), then the
        version families, their diffs and the actions' history across versions (family_map: a CSV
        `document,family[,position]` that overrides the grouping), then summary.html. A family_map that
        cannot be used raises extractor.versions.families.FamilyMapError before anything is written.
        reuse_unchanged: when the previous outputs in out_dir were made from the same results with the same options
        (and are as published), publish them again instead of recomputing them (run/reuse.py)."""
        from extractor.output import emit
        from extractor.run.outdir import write_staged

        out = Path(out_dir)
        chosen = emit.parse_formats(formats)
        mapping = None
        if family_map is not None and families:
            from extractor.versions.families import load_family_map

            mapping = load_family_map(os.fspath(family_map))
        report = WriteReport(out)
        write_started = time.perf_counter()
        from extractor.run import reuse

        key = reuse.key_of(self.results, {"formats": chosen, "excel_safe": excel_safe, "families": families},
                           os.fspath(family_map) if family_map is not None and families else None)

        def write_all(staging: Path) -> None:
            # nothing changed since the last run: its outputs are published again
            previous = reuse.load(out, key) if reuse_unchanged else None
            reuse.forget(out)  # recorded again once this run's outputs are in place
            if previous is not None:
                previous.link_into(staging)
                report.families, report.changes, report.history = (previous.rows["families"],
                                                                    previous.rows["changes"], previous.rows["history"])
            else:
                write_tables(staging)
            # the run's time as the summary page shows it (and the terminal after it): reading and writing
            self.seconds = round(self.seconds + time.perf_counter() - write_started, 3)
            if summary:
                from extractor.output.summary import write_summary

                write_summary(staging / "summary.html", self.results, families=report.families, seconds=self.seconds,
                              skipped=self.skipped)

        def write_tables(staging: Path) -> None:
            # the flat files first; then the families step (families.csv, action_history.csv, diffs/); then the
            # files that hold every table (xlsx, duckdb) and the datapackage, which describes the families' CSVs too
            emit.write_batch(staging, self.results, [f for f in chosen if f in ("csv", "parquet", "jsonl")],
                             excel_safe=excel_safe)
            if families:
                from extractor.run.triage import originals

                tables = run_families(originals(self.results), staging, mapping, excel_safe=excel_safe)
                report.families, report.changes, report.history = (tables["families"], tables["changes"],
                                                                    tables["action_history"])
                if "parquet" in chosen:
                    emit.write_parquet(staging / "action_history.parquet", "action_history", report.history)
            late = [f for f in chosen if f in ("xlsx", "duckdb")]
            if late:
                emit.write_batch(staging, self.results, late,
                                 extra_tables={"families": report.families, "changes": report.changes,
                                               "action_history": report.history})
            if "csv" in chosen and families:
                emit.write_datapackage(staging)

        # written into a staging folder, then published together: `out` holds exactly this run's outputs,
        # and a failure (a full disk) leaves the previous ones as they were
        report.paths = write_staged(out, write_all)
        reuse.record(out, key, report.paths, {"families": report.families, "changes": report.changes,
                                              "history": report.history})
        return report


def _as_list(paths: Union[PathLike, Iterable[PathLike]]) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def extract(paths: Union[PathLike, Iterable[PathLike]], workers: int = 1,
            on_done: Optional[Callable[[DocumentResult], None]] = None, **options) -> Result:
    """Extract actions and objectives from files and folders (walked recursively).

    options go to the batch runner: password, timeout_s, memory_mb, executor ("local" | "dask"),
    scheduler, use_cache, out_dir, settings (an extractor.settings.Settings: your rules folder, tuning).
    on_done(result) is called as each file finishes. A file found in a folder that is plainly not a paper (its
    content no document and its name README.md, .json, .png...) comes back with status "skipped" and goes to
    Result.skipped, not Result.results; duplicates are marked (DocumentResult.duplicate_of), see run/triage.py.
    Raises FileNotFoundError for a path that does not exist, NoFilesError when the paths hold no file, and
    (with out_dir) OutputBusy when another run holds out_dir; a file that cannot be read is a result with its
    status (failed, encrypted, ...), never an exception."""
    import contextlib

    from extractor.run import triage
    from extractor.run.batch import collect_files, run_batch
    from extractor.run.outdir import OutputFolder

    given = _as_list(paths)
    missing = [p for p in given if not os.path.lexists(p)]
    if missing:
        raise FileNotFoundError(errno.ENOENT, "no such file or folder", missing[0])
    opts = batch_options(workers=workers, **options)
    files = collect_files(given, exclude=[opts.out_dir] if opts.out_dir is not None else ())
    if not files:
        raise NoFilesError("no files found in the given paths")
    started = time.perf_counter()
    # the output folder's lock for the whole run: its log and cache are written as files finish
    with OutputFolder(opts.out_dir).locked() if opts.out_dir is not None else contextlib.nullcontext():
        explicit = triage.explicit_files(given)
        report = on_done or (lambda r: None)
        # a file plainly not a paper found in a folder comes back `skipped` (never a row; counted once)
        results = run_batch(files, opts, on_done=lambda r: report(triage.mark_skipped(r, explicit)))
    kept, skipped = triage.finish(results)
    return Result(results=kept, seconds=round(time.perf_counter() - started, 3), skipped=skipped)


# --------------------------------------------------------------------------- families (another module's step)

def run_families(results: list[DocumentResult], out_dir: Path, mapping: Optional[dict] = None,
                 excel_safe: bool = False) -> dict[str, list[dict]]:
    """Write families.csv, action_history.csv and diffs/ for the batch; returns the rows of the families,
    changes and action_history tables."""
    from extractor.output import diffs

    families = diffs.write_families(results, out_dir, mapping, excel_safe=excel_safe)
    return {"families": diffs.family_rows(families), "changes": diffs.change_rows(families),
            "action_history": diffs.history_of(families)}


# --------------------------------------------------------------------------- diff

@dataclass
class DiffResult:
    """Two versions of a plan compared: the crosswalk of their actions and the field changes.
    `identical`: the two files have the same content (nothing was compared: there is nothing to compare)."""
    old: DocumentResult
    new: DocumentResult
    diff: "Diff"
    identical: bool = False
    cached: tuple[bool, bool] = (False, False)  # each side's result came from the cache

    @property
    def crosswalk_records(self) -> "list[CrosswalkRow]":
        return self.diff.crosswalk

    @property
    def change_records(self) -> "list[ChangeRow]":
        return self.diff.changes

    @cached_property
    def crosswalk(self) -> "pd.DataFrame":
        return frame("crosswalk", [r.as_row() for r in self.diff.crosswalk])

    @cached_property
    def changes(self) -> "pd.DataFrame":
        df = frame("changes", [c.as_row() for c in self.diff.changes])
        return df.drop(columns=["diff"])

    def counts(self) -> dict[str, int]:
        return {**self.diff.counts(), "changes": len(self.diff.changes)}

    @property
    def without_actions(self) -> list[DocumentResult]:
        """Sides that were read (ok or partial) but hold no action: not a plan, nothing to compare."""
        if self.identical:
            return []
        return [r for r in (self.old, self.new) if r.status in ("ok", "partial") and not r.actions]

    @property
    def ok(self) -> bool:
        return self.old.status == "ok" and self.new.status == "ok"

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 3

    def write(self, out_dir: PathLike, excel_safe: bool = False) -> list[Path]:
        """crosswalk.csv, changes.csv and report.html in out_dir, published together (as Result.write)."""
        from extractor.output.diffs import write_diff
        from extractor.run.outdir import write_staged

        write_staged(Path(out_dir), lambda staging: write_diff(self.diff, self.old, self.new, staging,
                                                               identical=self.identical, excel_safe=excel_safe))
        return [Path(out_dir) / name for name in ("crosswalk.csv", "changes.csv", "report.html")]


def _content_hash(path: str) -> str:
    """sha256 of a regular file ('' for anything else: a FIFO or a device is never read here)."""
    from extractor.fileid import sha256_of

    try:
        return sha256_of(path) if os.path.isfile(path) else ""
    except OSError:
        return ""


Progress = Callable[[str, str, Optional[DocumentResult]], None]  # (event, path, result): reading | read | cached



def diff(old: Union[PathLike, DocumentResult], new: Union[PathLike, DocumentResult],
         password: Optional[str] = None, settings: Optional["Settings"] = None,
         cache_dir: Optional[PathLike] = None, on_progress: Optional[Progress] = None, **options) -> DiffResult:
    """Compare two versions of a plan (paths to PDF/DOCX files, or DocumentResults already extracted).

    Files are read as in a batch: each in an isolated worker under its time and memory limits (options:
    timeout_s, memory_mb and the other batch options); a file that cannot be read is a result with its
    status, never an exception. cache_dir: a folder whose .cache/ holds results of earlier runs (a batch's
    --out, or an earlier diff's): a file whose content was read before is not parsed again, and files parsed
    here are stored there. Two files with the same content are not read at all (identical=True, no changes)
    unless the cache has them. on_progress(event, path, result) is called with "identical", "cached",
    "reading" and "read"."""
    from extractor.run.batch import assign_doc_ids
    from extractor.settings import use
    from extractor.versions.reconcile import reconcile

    say = on_progress or (lambda event, path, result: None)
    with use(settings):
        items = [old, new]
        paths = [os.fspath(x) for x in items if not isinstance(x, DocumentResult)]
        ids = assign_doc_ids(paths) if paths else {}
        cache = None
        if cache_dir is not None and paths:
            from extractor.run.cache import ResultCache, pipeline_version

            cache = ResultCache(cache_dir, version=pipeline_version())
        hashes = {p: _content_hash(p) for p in paths}
        if len(paths) == 2 and hashes[paths[0]] and hashes[paths[0]] == hashes[paths[1]]:
            same = _identical(paths, ids, hashes[paths[0]], cache, say)
            if same is not None:
                return same
        parsed: dict[str, DocumentResult] = {}
        for p in dict.fromkeys(paths):  # what the cache holds is not read again
            hit = cache.get(hashes[p], p, ids[p]) if cache is not None and hashes[p] else None
            if hit is not None:
                hit.cached = True
                parsed[p] = hit
                say("cached", p, hit)
        unread = [p for p in dict.fromkeys(paths) if p not in parsed]
        parsed.update(_read_all(unread, password, settings, cache_dir, say, options))
        docs = [x if isinstance(x, DocumentResult) else parsed[os.fspath(x)] for x in items]
        cached = tuple(not isinstance(x, DocumentResult) and bool(d.cached) for x, d in zip(items, docs))
        return DiffResult(old=docs[0], new=docs[1], diff=reconcile(docs[0].actions, docs[1].actions),
                          cached=cached)


def _read_all(paths: list[str], password: Optional[str], settings, cache_dir: Optional[PathLike], say: Progress,
              options: dict) -> dict[str, DocumentResult]:
    """Each file in an isolated worker, as in a batch (through the cache in cache_dir when there is one)."""
    from extractor.run.batch import run_batch

    if not paths:
        return {}
    for p in paths:
        say("reading", p, None)
    opts = batch_options(**{"workers": len(paths), "password": password, "settings": settings,
                            "out_dir": Path(cache_dir) if cache_dir is not None else None,
                            "use_cache": cache_dir is not None, **options})

    def done(result: DocumentResult) -> None:
        say("cached" if result.cached else "read", result.path, result)

    return dict(zip(paths, run_batch(paths, opts, done)))


def _identical(paths: list[str], ids: dict[str, str], sha: str, cache, say: Progress) -> Optional[DiffResult]:
    """Two files with one content: every action matched to itself, no change; read from the cache when it
    has them, else not read at all (the answer does not depend on what they hold)."""
    from extractor.run.cache import restamp
    from extractor.versions.reconcile import reconcile

    hit = cache.get(sha, paths[0], ids[paths[0]]) if cache is not None else None
    if hit is None:
        docs = [DocumentResult(doc_id=ids[p], path=p, sha256=sha, status="ok",
                               warnings=["not read: the same content as the other file"]) for p in paths]
        for p, d in zip(paths, docs):
            say("identical", p, d)
        from extractor.versions.reconcile import Diff

        return DiffResult(old=docs[0], new=docs[1], diff=Diff(), identical=True)
    import copy

    other = restamp(copy.deepcopy(hit), doc_id=ids[paths[1]], path=paths[1])
    for p, d in zip(paths, (hit, other)):
        say("cached", p, d)
    return DiffResult(old=hit, new=other, diff=reconcile(hit.actions, other.actions), identical=True,
                      cached=(True, True))


__all__ = ["extract", "diff", "Result", "DiffResult", "WriteReport", "NoFilesError", "frame", "batch_options"]
