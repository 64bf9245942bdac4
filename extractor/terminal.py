"""The terminal side of the CLI: log lines, progress (a rich bar on a terminal, plain lines otherwise), the
batch summary, and text made safe to print (control characters escaped, unencodable characters replaced)."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer


class EchoHandler(logging.Handler):
    """Log records as lines on whatever sys.stderr is at the time (never a traceback)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            typer.echo(self.format(record), err=True)
        except Exception:  # pragma: no cover - logging must never break a run
            pass

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = record.exc_text = None  # a log line, not a traceback
        return super().format(record)


def is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def err(message: str) -> None:
    typer.echo(message, err=True)


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), 0x7f)}


def printable(text: str) -> str:
    """Text for the terminal: control characters (an escape sequence in a file name) shown as \\xNN, characters
    the terminal cannot encode (lone surrogates) as U+FFFD."""
    from extractor.run.sanitize import encodable

    return encodable(text).translate(_CONTROL)


def name_of(result) -> str:
    return printable(Path(result.path).name)


def _no_plan(result) -> bool:
    return result.status == "ok" and not result.n_actions


def _file_line(result) -> str:
    """'ok          plan.pdf: 12 actions', with what went wrong, or that no action plan was found."""
    line = f"{result.status:<11} {name_of(result)}: {result.n_actions} actions"
    if result.error:
        line += f" ({printable(result.error[:160])})"
    elif _no_plan(result):
        line += ": no action plan found"
    return line


def skipped_line(result) -> str:
    """'6 files that are not papers (.json 5, .md 1), skipped'."""
    from extractor.run.triage import skipped_summary

    return f"{skipped_summary(result.skipped)}, skipped"


def progress_reporter(total: int, quiet: bool, verbose: bool):
    """A context manager whose value is the on_done(result) callback: a rich bar on a terminal, plain lines
    otherwise ("[3/10] ok file.pdf: 12 actions"), nothing when quiet."""
    import contextlib

    @contextlib.contextmanager
    def plain():
        count = {"n": 0}

        def done(result) -> None:
            count["n"] += 1
            if quiet or (result.status == "skipped" and not verbose):  # not a paper: counted in the summary
                return
            err(f"[{count['n']}/{total}] {_file_line(result)}")
            if verbose:
                for w in result.warnings[:20]:
                    err(f"    warning: {printable(w)}")

        yield done

    @contextlib.contextmanager
    def rich_bar():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.text import Text

        console = Console(stderr=True)
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            task = progress.add_task("extracting", total=total)

            def done(result) -> None:
                progress.advance(task)
                progress.update(task, description=f"{name_of(result)[:32]:<32}")
                if result.status == "skipped" and not verbose:  # not a paper: counted in the summary
                    return
                if result.status != "ok" or _no_plan(result) or verbose:
                    style = ("" if result.status in ("ok", "skipped") and not _no_plan(result) else
                             "yellow" if result.status in ("ok", "partial") else "red")
                    progress.console.print(Text(_file_line(result), style=style))

            yield done

    if quiet:
        return plain()
    return rich_bar() if is_terminal(sys.stderr) else plain()


def print_summary(result, out: Path, quiet: bool) -> None:
    """Problems on stderr (every file not ok, every file without an action plan), then the totals on stdout: each
    plan counted once (duplicates apart), files that are not papers counted, not listed."""
    counts = result.counts()
    by_status = counts["by_status"]
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
    for r in result.results:  # problems go to stderr whatever the verbosity
        if r.status != "ok":
            err(f"extractor: {r.status}: {printable(r.path)}" + (f": {printable(r.error)}" if r.error else ""))
        elif _no_plan(r) and not r.duplicate_of:
            err(f"extractor: no action plan found (0 actions): {printable(r.path)}")
    notes = _notes(result, counts)
    if quiet:
        typer.echo(f"{counts['files']} file(s): {statuses}; {counts['actions']} actions, {counts['objectives']} "
                   f"objectives in {counts['seconds']:.1f}s -> {printable(str(out))}"
                   + "".join(f"; {n}" for _, n in notes))
        return
    if is_terminal(sys.stdout):
        from rich.console import Console
        from rich.table import Table

        table = Table(title="extractor batch", show_header=True, header_style="bold")
        table.add_column("", style="bold")
        table.add_column("count", justify="right")
        table.add_row("files", str(counts["files"]))
        for k, v in sorted(by_status.items()):
            table.add_row(f"  {k}", str(v), style="" if k == "ok" else "yellow" if k == "partial" else "red")
        table.add_row("actions", str(counts["actions"]))
        table.add_row("objectives", str(counts["objectives"]))
        table.add_row("time", f"{counts['seconds']:.1f}s")
        console = Console()
        console.print(table)
        for kind, note in notes:
            console.print(note, markup=False, highlight=False, style="yellow" if kind == "no_action_plan" else "")
        console.print(f"outputs in {printable(str(out))}", markup=False, highlight=False)
        return
    lines = [f"files       {counts['files']}"]
    lines += [f"  {k:<9} {v}" for k, v in sorted(by_status.items())]  # a space even after "unsupported"
    lines += [f"actions     {counts['actions']}", f"objectives  {counts['objectives']}",
              f"time        {counts['seconds']:.1f}s"]
    lines += [f"note        {n}" for _, n in notes]
    lines += [f"outputs     {printable(str(out))}"]
    typer.echo("\n".join(lines))


def _notes(result, counts: dict) -> list[tuple[str, str]]:
    """What the totals leave out or the user should notice: duplicates counted once, files without an action
    plan, files skipped as not papers."""
    notes = []
    if counts["duplicates"]:
        n = counts["duplicates"]
        notes.append(("duplicates", f"{n} duplicate{'s' if n != 1 else ''} (the same content or plan as another "
                                    f"file: see duplicate_of) counted once"))
    if counts["no_action_plan"]:
        n = counts["no_action_plan"]
        notes.append(("no_action_plan", f"{n} file{'s' if n != 1 else ''} read with no action plan found"))
    if counts["skipped"]:
        notes.append(("skipped", skipped_line(result)))
    return notes
