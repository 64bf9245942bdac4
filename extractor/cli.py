"""Command line: a thin layer over the batch runner and the diff. Exit codes: 0 all ok, 3 some files
not ok (each listed with its status), 2 usage error, 1 internal error (details in the log)."""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

from extractor import __version__
from extractor.batch import BatchOptions, collect_files, exit_code, run_batch
from extractor.emit import write_batch

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Turn board papers (PDF, DOCX) into clean action-plan data.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"extractor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


@app.command(help="Extract actions from files and folders (recursive) into CSVs in --out.\n\n"
                  "Example: extractor batch papers/ --out outputs/ --workers 2")
def batch(paths: List[Path] = typer.Argument(..., help="Files and folders to process."),
          out: Path = typer.Option(..., "--out", help="Output folder (created if missing)."),
          workers: int = typer.Option(1, "--workers", min=1, help="Processes to run in parallel."),
          password: Optional[str] = typer.Option(None, "--password", help="Password for encrypted PDFs."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary line.")) -> None:
    started = time.perf_counter()
    files = collect_files([str(p) for p in paths])
    if not files:
        typer.echo("extractor: no files found in the given paths", err=True)
        raise typer.Exit(2)
    results = run_batch(files, BatchOptions(workers=workers, password=password), on_done=_progress(len(files), quiet))
    write_batch(out, results)
    _summary(results, time.perf_counter() - started, out, quiet)
    raise typer.Exit(exit_code(results))


def _progress(total: int, quiet: bool):
    count = {"n": 0}

    def done(result) -> None:
        count["n"] += 1
        if quiet:
            return
        line = f"[{count['n']}/{total}] {result.status:<11} {Path(result.path).name}: {result.n_actions} actions"
        if result.error:
            line += f" ({result.error[:120]})"
        typer.echo(line, err=True)

    return done


def _summary(results, seconds: float, out: Path, quiet: bool) -> None:
    from collections import Counter

    by_status = Counter(r.status for r in results)
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
    n_actions = sum(r.n_actions for r in results)
    n_obj = sum(r.n_objectives for r in results)
    typer.echo(f"{len(results)} file(s): {statuses}; {n_actions} actions, {n_obj} objectives "
               f"in {seconds:.1f}s -> {out}", err=quiet is False)


@app.command(help="Compare two versions of a plan: crosswalk.csv, changes.csv, report.html in --out.\n\n"
                  "Example: extractor diff plan-v3.pdf plan-v4.docx --out diff/")
def diff(old: Path = typer.Argument(..., help="The older version (PDF or DOCX)."),
         new: Path = typer.Argument(..., help="The newer version (PDF or DOCX)."),
         out: Path = typer.Option(..., "--out", help="Output folder (created if missing).")) -> None:
    from extractor.batch import assign_doc_ids
    from extractor.pipeline import process_file
    from extractor.reconcile import reconcile, write_diff

    ids = assign_doc_ids([str(old), str(new)])
    results = [process_file(str(p), doc_id=ids[str(p)]) for p in (old, new)]
    for r in results:
        if r.status not in ("ok", "partial"):
            typer.echo(f"extractor: {Path(r.path).name}: {r.status}: {r.error}", err=True)
    d = reconcile(results[0].actions, results[1].actions)
    write_diff(d, results[0], results[1], out)
    typer.echo(f"diff written to {out}", err=True)
    raise typer.Exit(0 if all(r.status == "ok" for r in results) else 3)


@app.command(help="Show, page by page, the tables found, the header each was matched to (or why not),\n"
                  "group rows, stitched continuations and the first rows.\n\nExample: extractor inspect plan.pdf --json")
def inspect(file: Path = typer.Argument(..., help="A PDF or DOCX file."),
            as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
            password: Optional[str] = typer.Option(None, "--password", help="Password for an encrypted PDF.")) -> None:
    import json

    from extractor.inspect import inspect_file, render_text

    if not file.is_file():
        typer.echo(f"extractor: no such file: {file}", err=True)
        raise typer.Exit(2)
    try:
        report = inspect_file(str(file), password=password)
    except Exception as exc:
        from extractor.ingest import classify_error

        status, message = classify_error(exc)
        typer.echo(f"extractor: {file.name}: {status}: {message}", err=True)
        raise typer.Exit(3)
    typer.echo(json.dumps(report, indent=1) if as_json else render_text(report))


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # never a traceback on the terminal
        typer.echo(f"extractor: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
