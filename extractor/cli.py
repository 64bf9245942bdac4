"""Command line: a thin layer over the Python API (extractor.api).

Conventions: results (the summary, inspect's report) go to stdout, progress and problems to stderr; a rich
progress bar and table when stderr/stdout is a terminal, plain lines otherwise; never a traceback on the
terminal (an internal error is one line, the traceback goes to a log file). Exit codes: 0 all ok, 3 some
files not ok (each listed with its status), 2 usage error, 1 internal error.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import traceback
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from extractor import __version__
from extractor import terminal as term

EXIT_CODES = """\b
Exit codes:
  0  every file ok
  3  some files not ok (each listed with its status on stderr)
  2  usage error (bad option, no files found, a path that does not exist, --out a file or held by another run)
  1  internal error, or outputs that could not be written (one line; the previous outputs are unchanged)
  130/143  interrupted (Ctrl-C / SIGTERM): workers stopped, nothing half-written"""

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
                  help="Turn board papers (PDF, DOCX) into clean action-plan data.\n\n"
                       "\b\nExamples:\n"
                       "  extractor batch papers/ --out outputs/\n"
                       "  extractor batch papers/ --out outputs/ --format csv,xlsx --workers 4\n"
                       "  extractor diff plan-v3.pdf plan-v4.docx --out diff/\n"
                       "  extractor inspect plan.pdf --json\n\n" + EXIT_CODES,
                  epilog="Run 'extractor COMMAND --help' for a command's options and examples.")

log = logging.getLogger("extractor")


def _argument_type(self, ctx):
    """An argument's help names it by its metavar and says what it takes in words: no "<list[Path]>" beside it."""
    return None if self.metavar else _typer_argument_type(self, ctx)


_typer_argument_type = typer.core.TyperArgument.display_type_rich
typer.core.TyperArgument.display_type_rich = _argument_type


# every command reads files under the same limits, each file in an isolated worker process
TIMEOUT_OPTION = typer.Option(None, "--timeout", min=1.0, metavar="SECONDS",
                              help="Seconds allowed per file [default: 120; 1800 with --ocr, about 3 s of CPU per "
                                   "scanned page].")
MEMORY_OPTION = typer.Option(2048, "--memory-limit", min=64, metavar="MB", help="Memory allowed per file, in MB.")
OCR_OPTION = typer.Option(False, "--ocr", help="Read PDF pages without a text layer (scans) with Tesseract "
                                               "(which must be installed); off by default.")


def _timeout(timeout: Optional[float], ocr: bool) -> float:
    return timeout if timeout is not None else 1800.0 if ocr else 120.0


EXCEL_SAFE_OPTION = typer.Option(False, "--excel-safe",
                                 help="CSV: prefix a ' to text cells starting with = + - @ so spreadsheets never "
                                      "run them as formulas (every CSV written; always on for xlsx).")


class Executor(str, Enum):
    local = "local"
    dask = "dask"


class _State:
    quiet = False
    verbose = False
    settings = None  # extractor.settings.Settings when --rules / --spacy-model are given


def _version(value: bool) -> None:
    if value:
        typer.echo(f"extractor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True,
                                       help="Print the version and exit."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress; only the summary and problems."),
          verbose: bool = typer.Option(False, "--verbose", "-v",
                                       help="More detail: every file, warnings, files written."),
          spacy_model: Optional[str] = typer.Option(None, "--spacy-model", metavar="NAME",
                                                    envvar="EXTRACTOR_SPACY_MODEL",
                                                    help="An installed spaCy pipeline for the objectives stage "
                                                         "(e.g. en_core_web_sm); default: rules on a blank English "
                                                         "pipeline."),
          rules_dir: Optional[Path] = typer.Option(None, "--rules", metavar="DIR", envvar="EXTRACTOR_RULES_DIR",
                                                   help="A folder with your own copy of rules/ (header synonyms, "
                                                        "status words, date patterns...).")) -> None:
    _State.quiet, _State.verbose = quiet, verbose
    if spacy_model or rules_dir:
        _State.settings = _settings(rules_dir, spacy_model)


def _settings(rules_dir: Optional[Path], spacy_model: Optional[str]):
    """The run's settings, checked now: a wrong rules file or a model that does not load is a usage error
    (exit 2), not a failure of every file."""
    from extractor.rules import RulesError
    from extractor.settings import Settings, use
    from extractor.text import nlp

    try:
        settings = Settings.load(rules_dir=rules_dir, spacy_model=spacy_model)
    except RulesError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--rules'") from None
    if settings.spacy_model:
        try:
            with use(settings):
                nlp.load()
        except Exception as exc:
            raise typer.BadParameter(f"cannot load spaCy model {settings.spacy_model!r}: {type(exc).__name__}: "
                                     f"{exc}", param_hint="'--spacy-model'") from None
    return settings


def _ocr_settings(ocr: bool):
    """The run's settings with OCR turned on when --ocr is given; without Tesseract that is a usage error."""
    if not ocr:
        return _State.settings
    import dataclasses

    from extractor.ingest.ocr import OcrUnavailable, check_available
    from extractor.settings import Settings

    base = _State.settings or Settings()
    try:
        check_available(base.ocr.language)
    except OcrUnavailable as exc:
        raise typer.BadParameter(str(exc), param_hint="'--ocr'") from None
    return dataclasses.replace(base, ocr=dataclasses.replace(base.ocr, enabled=True))


def _setup(quiet: bool, verbose: bool) -> tuple[bool, bool]:
    quiet, verbose = quiet or _State.quiet, verbose or _State.verbose
    if quiet and verbose:
        raise typer.BadParameter("--quiet and --verbose exclude each other", param_hint="'--quiet' / '--verbose'")
    if not any(isinstance(h, term.EchoHandler) for h in log.handlers):
        handler = term.EchoHandler()
        handler.setFormatter(logging.Formatter("extractor: %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING)
    return quiet, verbose


# --------------------------------------------------------------------------- inputs and the output folder

def _check_inputs(paths) -> None:
    """A path that does not exist is a usage error (exit 2), before any work."""
    for p in paths:
        if not os.path.lexists(p):
            term.err(f"extractor: no such file or folder: {term.printable(str(p))}")
            raise typer.Exit(2)


def _usable_output(out: Path):
    """The --out folder, checked before any work: a file, or a path under a file, is a usage error (exit 2)."""
    from extractor.run.outdir import OutputFolder, OutputUnusable

    folder = OutputFolder(out)
    try:
        folder.check()
    except OutputUnusable as exc:
        term.err(f"extractor: {term.printable(str(exc))}")
        raise typer.Exit(2) from None
    return folder


def _lock(folder, out: Path):
    """The output folder's lock for the whole command; another run holding it is exit 2, one line."""
    import contextlib

    from extractor.run.outdir import OutputBusy

    @contextlib.contextmanager
    def held():
        try:
            lock = folder.locked()
            lock.__enter__()
        except OutputBusy as exc:
            term.err(f"extractor: {term.printable(str(exc))}")
            raise typer.Exit(2) from None
        except OSError as exc:
            term.err(f"extractor: cannot write to {term.printable(str(out))}: {exc.strerror or exc}")
            raise typer.Exit(1) from None
        try:
            yield
        finally:
            lock.__exit__(None, None, None)

    return held()


def _write_outputs(write, out: Path):
    """write() the outputs; a failure to write (a full disk, a folder in the way) is one line and exit 1, and
    the previous outputs stay as they were (outputs are published together, see extractor/run/outdir.py)."""
    from extractor.run.outdir import OutputUnusable

    try:
        return write()
    except (OSError, OutputUnusable) as exc:
        reason = (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)
        term.err(f"extractor: cannot write the outputs to {term.printable(str(out))}: {term.printable(reason)}; "
             f"the previous outputs are unchanged")
        raise typer.Exit(1) from None


# --------------------------------------------------------------------------- batch

def _formats(values: Optional[List[str]]) -> list[str]:
    from extractor.output.emit import parse_formats

    try:
        return parse_formats(values)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--format'") from None


@app.command(help="Extract actions and objectives from files and folders (walked recursively) into --out.\n\n"
                  "Writes documents, actions and objectives in each --format (csv: *.csv + datapackage.json; "
                  "parquet: *.parquet; jsonl: *.jsonl; xlsx: extract.xlsx; duckdb: extract.duckdb, which also "
                  "holds changes and families), then the version families and their diffs (families.csv, diffs/), "
                  "then summary.html. Versions of one plan are found by title, organisation, dates and shared actions "
                  "(families.csv says why; --families overrides) and followed across versions in "
                  "action_history.csv. Columns: docs/data-dictionary.md.\n\n"
                  "\b\nExamples:\n"
                  "  extractor batch papers/ --out outputs/\n"
                  "  extractor batch a.pdf b.docx --out out/ --workers 4 --format csv,parquet,xlsx\n"
                  "  extractor batch papers/ --out out/ --format jsonl --format duckdb --timeout 60\n"
                  "  extractor batch papers/ --out out/ --executor dask --scheduler tcp://10.0.0.5:8786\n"
                  "  extractor batch papers/ --out out/ --families my-families.csv\n\n"
                  + EXIT_CODES)
def batch(paths: List[Path] = typer.Argument(..., metavar="PATH", help="Files and folders to process.",
                                             show_default=False),
          out: Path = typer.Option(..., "--out", "-o", metavar="DIR", help="Output folder (created if missing)."),
          workers: int = typer.Option(1, "--workers", "-w", min=1, metavar="N", help="Files processed in parallel."),
          password: Optional[str] = typer.Option(None, "--password", envvar="EXTRACTOR_PASSWORD", metavar="PASSWORD",
                                                 help="Password for encrypted PDFs (or set EXTRACTOR_PASSWORD)."),
          timeout: Optional[float] = TIMEOUT_OPTION,
          memory_limit: int = MEMORY_OPTION,
          executor: Executor = typer.Option(Executor.local, "--executor", case_sensitive=False, metavar="local|dask",
                                            help="Where files are processed: local processes or a dask cluster."),
          scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                                  help="Dask scheduler address (with --executor dask)."),
          no_cache: bool = typer.Option(False, "--no-cache",
                                        help="Re-process files even when a cached result exists, and rewrite every "
                                             "output."),
          formats: Optional[List[str]] = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                                      help="Output formats, repeatable or comma-separated: "
                                                           "csv, parquet, jsonl, xlsx, duckdb "
                                                           "[default: csv,parquet,duckdb]."),
          ocr: bool = OCR_OPTION,
          excel_safe: bool = EXCEL_SAFE_OPTION,
          family_map: Optional[Path] = typer.Option(None, "--families", metavar="FILE",
                                                    help="CSV with columns document,family[,position] that "
                                                         "overrides which files are versions of one plan (family "
                                                         "'-' keeps a file out of every family)."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress; only the summary line and problems."),
          verbose: bool = typer.Option(False, "--verbose", "-v",
                                       help="Every file, its warnings, the files written.")) -> None:
    from extractor.api import NoFilesError, extract
    from extractor.run.batch import collect_files

    quiet, verbose = _setup(quiet, verbose)
    chosen = _formats(formats)
    settings = _ocr_settings(ocr)
    executor = Executor(executor).value
    if scheduler and executor != "dask":
        raise typer.BadParameter("needs --executor dask", param_hint="'--scheduler'")
    started = time.perf_counter()
    _check_inputs(paths)
    folder = _usable_output(out)
    files = collect_files([str(p) for p in paths], exclude=[out])
    n_files = len(files)
    if not n_files:
        term.err("extractor: no files found in the given paths")
        raise typer.Exit(2)
    if family_map is not None:
        from extractor.versions.families import FamilyMapError, load_family_map

        try:  # a bad mapping is a usage error, found before any paper is read
            load_family_map(str(family_map))
        except FamilyMapError as exc:
            term.err(f"extractor: {exc}")
            raise typer.Exit(2) from None
    options = dict(password=password, timeout_s=_timeout(timeout, ocr), memory_mb=memory_limit, executor=executor,
                   scheduler=scheduler, use_cache=not no_cache, out_dir=out, settings=settings)
    with _lock(folder, out):  # one run at a time per --out: its log, cache and outputs
        try:
            with term.progress_reporter(n_files, quiet, verbose) as on_done:
                # the paths as given: a file found in a folder that is plainly not a paper is skipped, a file named
                # on the command line is not
                result = extract([str(p) for p in paths], workers=workers, on_done=on_done, **options)
        except NoFilesError:
            term.err("extractor: no files found in the given paths")
            raise typer.Exit(2) from None
        if not result.results:
            term.err(f"extractor: no papers found in the given paths, only {term.skipped_line(result)}")
            raise typer.Exit(2)
        result.seconds = round(time.perf_counter() - started, 3)  # write() adds its own time: summary.html agrees
        report = _write_outputs(lambda: result.write(out, formats=chosen, excel_safe=excel_safe,
                                                     family_map=family_map, reuse_unchanged=not no_cache), out)
    if verbose:
        for p in report.paths:
            log.debug("wrote %s", term.printable(str(p)))
        n_families = len({f["family_id"] for f in report.families})
        if n_families:
            log.debug("%d version famil%s, %d change(s) across their diffs", n_families,
                      "y" if n_families == 1 else "ies", len(report.changes))
    term.print_summary(result, out, quiet)
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- diff

@app.command(help="Compare two versions of a plan: crosswalk.csv, changes.csv and report.html in --out.\n\n"
                  "Actions are paired across versions even when renumbered, reworded, split, merged or moved to "
                  "another table; changes.csv has one row per changed field (status, rag, due_date, due_revised, "
                  "owner, text, ref); report.html shows one row per changed action. A file whose content was read "
                  "before (by a batch or a diff whose output folder is --cache) is not parsed again; two files "
                  "with the same content answer at once with no changes.\n\n"
                  "\b\nExamples:\n"
                  "  extractor diff plan-v3.pdf plan-v4.docx --out diff/\n"
                  "  extractor diff papers/v3.pdf papers/v4.pdf --out diff/ --cache outputs/   # reuse a batch\n"
                  "  extractor diff old.pdf new.pdf --out diff/ --password secret -q\n\n"
                  "\b\nExit codes:\n"
                  "  0  both files ok\n"
                  "  3  a file not ok (its status on stderr; the diff is still written)\n"
                  "  2  usage error (a file that does not exist or holds no action plan, --out a file or held by "
                  "another run)\n"
                  "  1  internal error, or the diff could not be written (the previous one is unchanged)")
def diff(old: Path = typer.Argument(..., exists=True, dir_okay=False, metavar="OLD",
                                    help="The older version (PDF or DOCX).", show_default=False),
         new: Path = typer.Argument(..., exists=True, dir_okay=False, metavar="NEW",
                                    help="The newer version (PDF or DOCX).", show_default=False),
         out: Path = typer.Option(..., "--out", "-o", metavar="DIR", help="Output folder (created if missing)."),
         password: Optional[str] = typer.Option(None, "--password", envvar="EXTRACTOR_PASSWORD", metavar="PASSWORD",
                                                help="Password for encrypted PDFs (or set EXTRACTOR_PASSWORD)."),
         ocr: bool = OCR_OPTION,
         cache: Optional[Path] = typer.Option(None, "--cache", metavar="DIR",
                                              help="Folder of an earlier batch or diff whose results to reuse "
                                                   "(its .cache/); files read now are stored there too "
                                                   "[default: --out]."),
         no_cache: bool = typer.Option(False, "--no-cache", help="Parse both files even when a cached result exists."),
         timeout: Optional[float] = TIMEOUT_OPTION,
         memory_limit: int = MEMORY_OPTION,
         excel_safe: bool = EXCEL_SAFE_OPTION,
         quiet: bool = typer.Option(False, "--quiet", "-q", help="Only the summary line and problems."),
         verbose: bool = typer.Option(False, "--verbose", "-v", help="Also list the files written.")) -> None:
    quiet, verbose = _setup(quiet, verbose)
    started = time.perf_counter()
    folder = _usable_output(out)
    with _lock(folder, out):  # one run at a time per --out (its cache, log and diff)
        d = _read_and_compare(old, new, password, None if no_cache else (cache or out), quiet, _ocr_settings(ocr),
                              timeout_s=_timeout(timeout, ocr), memory_mb=memory_limit)
        _finish_diff(d, out, started, quiet, excel_safe)


def _read_and_compare(old: Path, new: Path, password: Optional[str], cache_dir: Optional[Path], quiet: bool,
                      settings=None, **limits):
    """Read both versions (through the cache) with a progress line per file on stderr, and reconcile them."""
    from extractor.api import diff as run_diff

    clock: dict[str, float] = {}

    def progress(event: str, path: str, result) -> None:
        if quiet:
            return
        name = term.printable(Path(path).name)
        if event == "reading":
            clock[path] = time.perf_counter()
            term.err(f"reading {name} ...")
        elif event == "read":
            took = time.perf_counter() - clock.get(path, time.perf_counter())
            term.err(f"read {name}: {result.n_actions} actions in {took:.1f}s" +
                 ("" if result.status == "ok" else f" [{result.status}]"))
        elif event == "cached":
            term.err(f"read {name}: {result.n_actions} actions (cached, not parsed again)")
        elif event == "identical":
            term.err(f"{name}: same content as the other file, not read")

    return run_diff(old, new, password=password, settings=settings, cache_dir=cache_dir, on_progress=progress,
                    **limits)


def _finish_diff(d, out: Path, started: float, quiet: bool, excel_safe: bool = False) -> None:
    """Refuse a side that is not a plan (exit 2), else write the diff and say what changed."""
    unread = [r for r in (d.old, d.new) if r.status not in ("ok", "partial")]
    if d.without_actions and not unread:  # a side that failed is reported (exit 3), not refused as no plan
        for r in d.without_actions:
            term.err(f"extractor: {term.printable(r.path)}: no action plan found (0 actions): nothing to compare")
        raise typer.Exit(2)
    for r in (d.old, d.new):
        if r.status != "ok":
            reason = f": {term.printable(r.error)}" if r.error else ""
            term.err(f"extractor: {r.status}: {term.printable(r.path)}{reason}")
    paths = _write_outputs(lambda: d.write(out, excel_safe=excel_safe), out)
    for p in paths:
        log.debug("wrote %s", term.printable(str(p)))
    seconds = time.perf_counter() - started
    if d.identical:
        typer.echo(f"no changes: {Path(d.old.path).name} and {Path(d.new.path).name} have the same content "
                   f"({seconds:.1f}s) -> {term.printable(str(out))}")
        raise typer.Exit(0)
    c = d.counts()
    line = (f"{c['matched']} matched, {c['added']} added, {c['removed']} removed, {c['split']} split, "
            f"{c['merged']} merged; {c['changes']} field changes in {seconds:.1f}s -> {out}")
    if not d.diff.changes and not (c["added"] or c["removed"] or c["split"] or c["merged"]):
        line = f"no changes: every action matched, no field changed ({seconds:.1f}s) -> {term.printable(str(out))}"
    if not quiet and d.diff.changes:
        by_field = ", ".join(f"{k} {v}" for k, v in d.diff.change_counts().items() if v)
        line += f"\nchanges by field: {by_field}"
    typer.echo(line)
    raise typer.Exit(d.exit_code)


# --------------------------------------------------------------------------- inspect

@app.command(help="Show what the table stage saw in one file, page by page: the tables found, the header each "
                  "was matched to (or why not), group rows, stitched continuations and the first rows. "
                  "Use it when a document comes out wrong.\n\n"
                  "\b\nExamples:\n"
                  "  extractor inspect plan.pdf\n"
                  "  extractor inspect plan.docx --json > plan-tables.json\n\n"
                  "\b\nExit codes:\n"
                  "  0  the file was read\n"
                  "  3  the file could not be read (its status on stderr)\n"
                  "  2  usage error (e.g. the file does not exist)\n"
                  "  1  internal error")
def inspect(file: Path = typer.Argument(..., exists=True, dir_okay=False, metavar="FILE", help="A PDF or DOCX file.",
                                        show_default=False),
            as_json: bool = typer.Option(False, "--json", help="Machine-readable output (JSON on stdout)."),
            password: Optional[str] = typer.Option(None, "--password", envvar="EXTRACTOR_PASSWORD", metavar="PASSWORD",
                                                   help="Password for an encrypted PDF (or set EXTRACTOR_PASSWORD)."),
            ocr: bool = OCR_OPTION,
            timeout: Optional[float] = TIMEOUT_OPTION,
            memory_limit: int = MEMORY_OPTION,
            quiet: bool = typer.Option(False, "--quiet", "-q", help="Only problems on stderr."),
            verbose: bool = typer.Option(False, "--verbose", "-v", help="More detail on stderr.")) -> None:
    import json

    from extractor.errors import DocumentError
    from extractor.inspect import inspect_file, render_text

    _setup(quiet, verbose)
    settings = _ocr_settings(ocr)
    try:
        report = inspect_file(str(file), password=password, settings=settings, timeout_s=_timeout(timeout, ocr),
                              memory_mb=memory_limit)
    except DocumentError as failure:
        term.err(f"extractor: {failure.status}: {term.printable(str(file))}: {term.printable(failure.message)}")
        if as_json:  # a script gets an answer it can parse for a file that could not be read, too
            typer.echo(json.dumps({"path": str(file), "status": failure.status, "error": failure.message}, indent=1))
        raise typer.Exit(3) from None
    typer.echo(json.dumps(report, indent=1, default=str) if as_json else render_text(report))


# --------------------------------------------------------------------------- entry point

def _crash_log(exc: BaseException) -> Optional[str]:
    try:
        fd, path = tempfile.mkstemp(prefix="extractor-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"extractor {__version__}\nargv: {sys.argv!r}\n\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return path
    except OSError:
        return None


def _unraisable(info) -> None:
    """An error Python cannot raise (a half-written zip closed by the garbage collector after a full disk): a
    line in the log at debug level, never a traceback on the terminal."""
    log.debug("ignored in %r: %s: %s", info.object, type(info.exc_value).__name__, info.exc_value)


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: raised in the main thread so that every clean-up runs (workers killed, staging removed,
    the output folder's lock released); a BaseException, so that no `except Exception` swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum: int, frame) -> None:
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):  # a second signal during the clean-up stops at once
        signal.signal(sig, signal.SIG_DFL)
    raise Interrupted(signum)


def _handle_signals() -> None:
    """SIGTERM (a service manager, `kill`) is handled like Ctrl-C: no orphan worker, no half-written output."""
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(sig) is not signal.SIG_IGN:  # a background job started with SIGINT ignored keeps it
            signal.signal(sig, _on_signal)


def main(argv: Optional[list[str]] = None) -> None:
    import signal

    sys.unraisablehook = _unraisable
    try:
        _handle_signals()
        app(args=argv, prog_name="extractor")
    except SystemExit:
        raise
    except Interrupted as stop:
        term.err("extractor: " + ("terminated" if stop.signum == signal.SIGTERM else "interrupted"))
        sys.exit(128 + stop.signum)
    except KeyboardInterrupt:
        term.err("extractor: interrupted")
        sys.exit(130)
    except Exception as exc:  # never a traceback on the terminal
        where = _crash_log(exc)
        term.err(f"extractor: internal error: {type(exc).__name__}: {exc}" + (f" (details: {where})" if where else ""))
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
