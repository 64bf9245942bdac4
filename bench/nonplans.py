"""Actions found in documents that hold no action plan: the false-positive check on PDFs written elsewhere.

    python bench/nonplans.py [--part dev|check|both] [-v]

The documents: the ICDAR 2013 table benchmark (government statistics, EU and US reports: tables of every kind,
none of them a plan) and pdfplumber's regression files (forms, bank rates, transcripts, garbled fonts). Every
action found in them is a table or text taken for a plan that is not one. One file is left out: chelsea_pdta.pdf
holds a real action plan (a municipality's active-transport plan, in French: "Plan d'action ... Actions |
Échéancier | Responsables"), so its count is printed apart, not counted as false.

Split like the real plans (tests/realworld_gold/split.json): the rules for tables that are not plans were
developed on pdfplumber's files, ICDAR's EU files and two US files (us-008, us-036); the other ICDAR US files are
the check part, only counted. Results -> bench/nonplans_results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXTRACTOR_SHARED") or ROOT.parent / "shared")
ICDAR = SHARED / "realworld" / "icdar2013"
PDFPLUMBER = SHARED / "realworld" / "pdfplumber-tests"
HAS_A_PLAN = {"chelsea_pdta.pdf"}
DEV_US = {"us-008.pdf", "us-036.pdf"}
CLI = Path(sys.executable).with_name("extractor")


def parts() -> dict[str, list[Path]]:
    eu = sorted(ICDAR.glob("competition-dataset-eu/*.pdf"))
    us = sorted(ICDAR.glob("competition-dataset-us/*.pdf"))
    dev = sorted(PDFPLUMBER.glob("*.pdf")) + eu + [p for p in us if p.name in DEV_US]
    return {"dev": dev, "check": [p for p in us if p.name not in DEV_US]}


def count(files: list[Path]) -> dict[str, int]:
    """Actions per file name, from one batch run through the CLI."""
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([str(CLI), "batch", *map(str, files), "--out", out, "--format", "jsonl",
                               "--workers", "2", "-q"], capture_output=True, text=True, timeout=3600)
        if proc.returncode not in (0, 3):  # 3: some files failed (damaged PDFs are among pdfplumber's)
            raise SystemExit(f"extractor batch failed ({proc.returncode}): {proc.stderr[-2000:]}")
        rows = [json.loads(line) for line in Path(out, "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    return {Path(r["path"]).name: int(r["n_actions"] or 0) for r in rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["dev", "check", "both"], default="both")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not ICDAR.is_dir() or not PDFPLUMBER.is_dir():
        print(f"{ICDAR} or {PDFPLUMBER} is not present (set EXTRACTOR_SHARED)", file=sys.stderr)
        return 2
    results = {}
    for part, files in parts().items():
        if args.part not in (part, "both"):
            continue
        counts = count(files)
        false = {name: n for name, n in counts.items() if n and name not in HAS_A_PLAN}
        results[part] = {"files": len(counts), "files_with_actions": len(false), "actions": sum(false.values()),
                         "by_file": false, "with_a_plan": {n: counts[n] for n in HAS_A_PLAN if n in counts}}
        print(f"{part}: {len(counts)} files without a plan, {len(false)} with actions found, "
              f"{sum(false.values())} actions in all")
        if args.verbose:
            for name, n in sorted(false.items()):
                print(f"    {name}: {n}")
            for name, n in results[part]["with_a_plan"].items():
                print(f"    ({name} holds a plan: {n} actions)")
    target = ROOT / "bench" / "nonplans_results.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
