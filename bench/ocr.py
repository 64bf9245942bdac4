"""OCR on scanned renderings of the shared sample plans (not a test; `make ocr-bench`).

Each sample PDF of ../shared/corpus-samples is rendered to colour JPEG page images (default 150 dpi) and written
back as an image-only PDF (tests/scans.py: no text layer, no vector rulings, fills only as pixels). The
scans are extracted with `extractor batch --ocr` and scored with the shared scorer against the samples' own
gold (`score.py extract --no-run`), next to the time per page -> bench/ocr_results.json.

    python bench/ocr.py                 # 150 dpi scans, 1 worker
    python bench/ocr.py --scan-dpi 200 -v
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", ROOT.parent / "shared"))
SAMPLES = SHARED / "corpus-samples"


def main(argv: list[str] | None = None) -> int:
    from tests.scans import make_scanned_pdf

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scan-dpi", type=int, default=150, help="resolution of the simulated scan (150)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--ocr-dpi", type=int, help="resolution the pages are rendered at for Tesseract")
    parser.add_argument("--psm", type=int, help="Tesseract page segmentation mode")
    parser.add_argument("--keep", metavar="DIR", help="keep the scans and outputs in DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="the scorer's list of misses")
    args = parser.parse_args(argv)
    if not (SAMPLES / "docs").is_dir():
        print(f"no samples at {SAMPLES}")
        return 2
    work = Path(args.keep or tempfile.mkdtemp(prefix="ocr-bench-"))
    set_dir, run_dir = work / "set", work / "run"
    out = run_dir / "batch"  # where score.py --no-run looks for a batch's output
    for sub in ("docs", "gold"):
        (set_dir / sub).mkdir(parents=True, exist_ok=True)
    pages = 0
    for pdf in sorted((SAMPLES / "docs").glob("*.pdf")):
        gold = json.loads((SAMPLES / "gold" / f"{pdf.stem}.json").read_text(encoding="utf-8"))
        gold["files"] = [pdf.name]
        (set_dir / "gold" / f"{pdf.stem}.json").write_text(json.dumps(gold), encoding="utf-8")
        make_scanned_pdf(pdf, set_dir / "docs" / pdf.name, dpi=args.scan_dpi)
    import pdfplumber

    for pdf in sorted((set_dir / "docs").glob("*.pdf")):
        with pdfplumber.open(str(pdf)) as doc:
            pages += len(doc.pages)
            assert not any(p.chars for p in doc.pages), f"{pdf.name}: the scan has a text layer"
    shutil.rmtree(out, ignore_errors=True)
    from extractor import extract
    from extractor.settings import Settings

    overrides = {k: v for k, v in (("dpi", args.ocr_dpi), ("psm", args.psm)) if v is not None}
    settings = Settings.load(ocr={"enabled": True, **overrides})
    cpu_before = _children_cpu()
    started = time.perf_counter()
    result = extract([str(set_dir / "docs")], workers=args.workers, settings=settings, timeout_s=900, use_cache=False)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    result.write(out, formats=["csv"])
    score = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "extract", "--set", str(set_dir),
                            "--out", str(run_dir), "--kind", "pdf", "--no-run", "--checkout", str(ROOT)]
                           + (["-v"] if args.verbose else []), capture_output=True, text=True)
    print(score.stdout)
    figures = (json.loads((run_dir / "score.json").read_text(encoding="utf-8"))
               if (run_dir / "score.json").is_file() else {})
    report = {"scan_dpi": args.scan_dpi, "ocr_dpi": settings.ocr.dpi, "psm": settings.ocr.psm, "workers": args.workers,
              "files": 4, "pages": pages, "wall_s": round(wall, 1), "wall_s_per_page": round(wall / pages, 2),
              "cpu_s_per_page": round(cpu / pages, 2), "score": figures.get("summary", figures)}
    print(f"{pages} scanned pages in {wall:.1f} s with {args.workers} worker(s): {wall / pages:.2f} s per page "
          f"(CPU {cpu / pages:.2f} s per page, Tesseract included)")
    (ROOT / "bench" / "ocr_results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


def _children_cpu() -> float:
    """CPU seconds of this process and its finished children (workers, Tesseract)."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


if __name__ == "__main__":
    sys.exit(main())
