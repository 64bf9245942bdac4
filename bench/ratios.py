"""Per-file cost against raw pdfplumber, for `make bench` (bench/run.py) or alone:

    python bench/ratios.py [FOLDER ...] [--repeat 3] [--budget 1.0]

Default folders: ../shared/realworld/action-plans/docs and ../shared/realworld/pdfplumber-tests (or under
$EXTRACTOR_SHARED). Every file is measured in ONE fresh child process, warmed up the way a batch worker is
(pipeline loaded, gc.freeze), three ways, interleaved, each repeated at least --repeat times and until it has
used --budget seconds (at most 30 runs), the least disturbed (minimum) run kept:

  raw      pdfplumber as its users run it: open + extract_words() + find_tables() on every page, default
           garbage-collector settings
  raw-gc   the same under the collector thresholds our worker uses (RELAXED_GC_THRESHOLDS), to show what that
           setting is worth on its own
  ours     the per-file task a batch worker runs (extractor.run.jobs.process_job: sniff, hash, ingest, every
           stage, the DocumentResult), with the per-settings memos (header wordings, cell evidence, cover labels)
           emptied first (outside the timed part: a bench's reset, not a worker's work), so that no run is helped
           by an earlier run of the same file

Times are CPU seconds of the process (time.process_time): on a shared machine they move much less than wall
time with the neighbours' load, and both sides of a ratio are measured minutes apart in the same conditions.
Files that are not PDFs (DOCX, a licence text) get our time only: there is no pdfplumber baseline for them.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXTRACTOR_SHARED") or ROOT.parent / "shared")
FOLDERS = [SHARED / "realworld" / "action-plans" / "docs", SHARED / "realworld" / "pdfplumber-tests"]
TARGET = 1.3
MAX_RUNS = 30


# --------------------------------------------------------------------------- the child (one fresh process)

def _raw(path: str) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.find_tables()
            page.close()


def _forget_memos() -> None:
    """Empty every per-settings memo (compiled vocabularies keep the answers they gave) and the font-name cache,
    as for a file no earlier file resembled."""
    from extractor.ingest import pdf
    from extractor.settings import current

    for value in list(current()._cache.values()):
        memos = [getattr(value, "memo", None)]
        if isinstance(value, dict):  # compiled rules kept as a dict ("fill_memo")
            memos += [v for k, v in value.items() if isinstance(k, str) and k.endswith("memo")]
        for memo in memos:
            if isinstance(memo, dict):
                memo.clear()
    clear = getattr(pdf._is_bold, "cache_clear", None)
    if clear is not None:
        clear()


def _timed(fn, path: str, setup=None) -> tuple[float, str]:
    """CPU seconds of fn(path); `setup` (not timed) puts the process back in the state a new file meets."""
    import gc

    if setup is not None:
        setup()
    t0 = time.process_time()
    error = ""
    try:
        fn(path)
    except Exception as exc:  # raw pdfplumber on a broken or encrypted file: timed all the same
        error = type(exc).__name__
    spent = time.process_time() - t0
    gc.collect()  # outside the timed part, for every variant (a worker collects between files too)
    return spent, error


def child(files: list[str], repeat: int, budget: float) -> None:
    import gc

    from extractor.pipeline import warm_up
    from extractor.run.jobs import RELAXED_GC_THRESHOLDS, Job, process_job

    warm_up()
    gc.collect()
    gc.freeze()  # as a worker does after loading the pipeline
    status: dict[str, str] = {}

    def ours(path: str) -> None:
        result = process_job(Job(0, path, "bench", None))
        status["status"], status["pages"] = result.status, result.pages

    def raw_gc(path: str) -> None:
        previous = gc.get_threshold()
        gc.set_threshold(*RELAXED_GC_THRESHOLDS)
        try:
            _raw(path)
        finally:
            gc.set_threshold(*previous)

    for path in files:
        is_pdf = path.lower().endswith(".pdf")
        variants = {"raw": _raw, "raw_gc": raw_gc, "ours": ours} if is_pdf else {"ours": ours}
        best = {k: float("inf") for k in variants}
        errors: dict[str, str] = {}
        spent, runs = 0.0, 0
        while runs < repeat or (spent < budget * len(variants) and runs < MAX_RUNS):
            runs += 1
            for key, fn in variants.items():
                t, error = _timed(fn, path, _forget_memos if key == "ours" else None)
                spent += t
                best[key] = min(best[key], t)
                if error:
                    errors[key] = error
        row = {"file": path, "runs": runs, **{f"{k}_s": round(v, 5) for k, v in best.items()},
               "status": status.get("status", ""), "pages": status.get("pages", 0), "errors": errors}
        print(json.dumps(row), flush=True)


# --------------------------------------------------------------------------- the parent

def files_of(folders: list[Path]) -> list[Path]:
    """The PDFs of each folder, by name (the ratio is against pdfplumber: other files have no baseline)."""
    return [p for folder in folders if folder.is_dir() for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() == ".pdf" and not p.name.startswith(".")]


def measure(folders: list[Path] | None = None, repeat: int = 3, budget: float = 1.0, echo=None) -> dict:
    """Run the child over every file of `folders`; print a row per file as it comes; -> the rows and totals."""
    echo = echo or (lambda line: print(line, flush=True))
    folders = folders or FOLDERS
    files = files_of(folders)
    if not files:
        echo(f"per-file ratios: no files in {', '.join(str(f) for f in folders)} (set EXTRACTOR_SHARED)")
        return {"rows": [], "folders": [str(f) for f in folders]}
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--repeat", str(repeat), "--budget", str(budget),
           *map(str, files)]
    echo(f"per-file CPU time against raw pdfplumber ({len(files)} files; min of >= {repeat} interleaved runs):")
    echo(f"  {'file':<52}{'pages':>6}{'raw s':>9}{'ours s':>9}{'ours/raw':>10}{'same gc':>9}  status")
    rows = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT) as proc:
        for line in proc.stdout:
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            if "raw_s" in row:
                row["ratio"] = row["ours_s"] / row["raw_s"] if row["raw_s"] > 0 else None
                row["ratio_same_gc"] = row["ours_s"] / row["raw_gc_s"] if row["raw_gc_s"] > 0 else None
            rows.append(row)
            echo(_format(row))
        stderr = proc.stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"per-file bench child failed:\n{stderr[-3000:]}")
    return {"folders": [str(f) for f in folders], "rows": rows, **summarise(rows)}


def _format(row: dict) -> str:
    name = Path(row["file"]).name
    name = name if len(name) <= 50 else name[:47] + "..."
    status = row["status"] + (f" (raw: {row['errors']['raw']})" if "raw" in row.get("errors", {}) else "")
    if row.get("ratio") is None:
        return f"  {name:<52}{row['pages']:>6}{'':>9}{row['ours_s']:>9.3f}{'n/a':>10}{'':>9}  {status}"
    flag = "" if row["ratio"] <= TARGET else "  > target"
    return (f"  {name:<52}{row['pages']:>6}{row['raw_s']:>9.3f}{row['ours_s']:>9.3f}{row['ratio']:>9.2f}x"
            f"{row['ratio_same_gc']:>8.2f}x  {status}{flag}")


def summarise(rows: list[dict]) -> dict:
    rated = [r for r in rows if r.get("ratio") is not None]
    if not rated:
        return {}
    worst = max(rated, key=lambda r: r["ratio"])
    raw_total = sum(r["raw_s"] for r in rated)
    ours_total = sum(r["ours_s"] for r in rated)
    return {"files_rated": len(rated), "worst_ratio": round(worst["ratio"], 3), "worst_file": Path(worst["file"]).name,
            "over_target": [Path(r["file"]).name for r in rated if r["ratio"] > TARGET],
            "total_raw_s": round(raw_total, 3), "total_ours_s": round(ours_total, 3),
            "total_ratio": round(ours_total / raw_total, 3) if raw_total else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", help="folders (parent) or files (--child)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each variant at least (default 3)")
    ap.add_argument("--budget", type=float, default=1.0,
                    help="seconds of CPU per variant a small file may use for more runs (default 1.0)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.paths, args.repeat, args.budget)
        return 0
    res = measure([Path(p) for p in args.paths] or None, args.repeat, args.budget)
    if res.get("files_rated"):
        print(total_line(res))
    return 0


def total_line(res: dict) -> str:
    return (f"  all rated files: ours {res['total_ours_s']:.1f}s / raw {res['total_raw_s']:.1f}s = "
            f"{res['total_ratio']:.2f}x; worst {res['worst_ratio']:.2f}x ({res['worst_file']}); "
            f"over {TARGET}x: {', '.join(res['over_target']) or 'none'}")


if __name__ == "__main__":
    sys.exit(main())
