"""Table-structure check against the ICDAR 2013 table competition (not a test): `make icdar` or
`python bench/icdar.py [--limit N] [FILE-STEM ...]`.

Ground truth: ../shared/realworld/icdar2013/competition-dataset-{eu,us}/NAME.pdf with NAME-reg.xml (table regions:
page, bounding box in PDF coordinates, origin bottom-left) and NAME-str.xml (cells: start/end row and column, text).
Each ground-truth *region* (one page of a table) is one unit; a table continued on another page has one region per page.

Two systems are scored on every PDF:
  ours        extractor.ingest.pdf.read_pdf -> LayoutDocument.tables (ruled tables + borderless ones)
  pdfplumber  plain `page.find_tables()` with default settings, texts from `table.extract()`

(a) detection: a predicted table matches a ground-truth region when it is on the same page and IoU >= 0.5 (one-to-one,
    greedy by IoU); precision = matched predictions / predictions, recall = matched regions / regions.
(b) structure: the ICDAR 2013 adjacency-relation metric. For each table, every non-empty cell is linked to its nearest
    non-empty neighbour to the right (in each row it spans) and below (in each column it spans); a relation is
    (text, neighbour text, direction) with texts normalised (whitespace removed, lower-cased). Relations are compared as
    multisets on each matched (prediction, region) pair and micro-averaged over the dataset. `recall_all` also counts
    the relations of regions that no prediction matched (end-to-end recall).

Prints a table and writes bench/icdar_results.json. A file that fails to read (ground truth or PDF) is counted and
listed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("EXTRACTOR_SHARED") or ROOT.parent / "shared") / "realworld" / "icdar2013"
RESULTS = ROOT / "bench" / "icdar_results.json"
IOU_MIN = 0.5
SYSTEMS = ("ours", "pdfplumber")

BBox = tuple  # (x0, top, x1, bottom), pdfplumber coordinates (origin top-left)
# a grid cell: (row0, row1, col0, col1, text) with inclusive end indices, as in the ICDAR XML
GridCell = tuple


# --------------------------------------------------------------------------- metric functions (unit-tested)

def normalise(text: Optional[str]) -> str:
    return re.sub(r"\s+", "", text or "").lower()


def flip_bbox(x1: float, y1: float, x2: float, y2: float, page_height: float) -> BBox:
    """A PDF-coordinate box (origin bottom-left, y up) -> pdfplumber's (x0, top, x1, bottom) (origin top-left)."""
    lo, hi = min(y1, y2), max(y1, y2)
    return (min(x1, x2), page_height - hi, max(x1, x2), page_height - lo)


def iou(a: BBox, b: BBox) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    area_a = max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1])
    area_b = max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])
    union = area_a + area_b - inter
    return inter / union if union > 0 else 0.0


def relations(cells: Iterable[GridCell]) -> Counter:
    """The adjacency relations of a grid: (text, neighbour text, "h"|"v") for each non-empty cell and its nearest
    non-empty neighbour to the right in every row it spans and below in every column it spans (empty cells skipped)."""
    cells = [(r0, r1, c0, c1, normalise(t)) for r0, r1, c0, c1, t in cells]
    occupied: dict[tuple[int, int], int] = {}  # (row, col) -> index of the non-empty cell covering it
    for i, (r0, r1, c0, c1, text) in enumerate(cells):
        if not text:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                occupied.setdefault((r, c), i)
    if not occupied:
        return Counter()
    max_r = max(r for r, _ in occupied)
    max_c = max(c for _, c in occupied)
    out: Counter = Counter()
    for i, (r0, r1, c0, c1, text) in enumerate(cells):
        if not text:
            continue
        right: set[int] = set()
        for r in range(r0, r1 + 1):
            for c in range(c1 + 1, max_c + 1):
                j = occupied.get((r, c))
                if j is not None and j != i:
                    right.add(j)
                    break
        below: set[int] = set()
        for c in range(c0, c1 + 1):
            for r in range(r1 + 1, max_r + 1):
                j = occupied.get((r, c))
                if j is not None and j != i:
                    below.add(j)
                    break
        for j in right:
            out[(text, cells[j][4], "h")] += 1
        for j in below:
            out[(text, cells[j][4], "v")] += 1
    return out


def compare(pred: Counter, gold: Counter) -> tuple[int, int, int]:
    """(correct, predicted, gold) relation counts; relations are matched as multisets."""
    return sum((pred & gold).values()), sum(pred.values()), sum(gold.values())


def prf(correct: int, predicted: int, gold: int) -> dict:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def match(preds: list[tuple[int, BBox]], golds: list[tuple[int, BBox]],
          threshold: float = IOU_MIN) -> list[tuple[int, int, float]]:
    """One-to-one matches (pred index, gold index, IoU): same page, IoU >= threshold, greedy by IoU."""
    pairs = []
    for i, (pp, pb) in enumerate(preds):
        for j, (gp, gb) in enumerate(golds):
            if pp == gp:
                v = iou(pb, gb)
                if v >= threshold:
                    pairs.append((v, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for v, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j, v))
    return out


def grid_from_boxes(boxes: list[tuple[BBox, str]], tol: float = 2.0) -> list[GridCell]:
    """Cells given as (bbox, text) -> grid cells, rows/columns from the distinct cell edges (within tol points)."""
    def bounds(values):
        out: list[float] = []
        for v in sorted(values):
            if not out or v - out[-1] > tol:
                out.append(v)
        return out

    def index(bs, v):
        return min(range(len(bs)), key=lambda k: abs(bs[k] - v))

    xs = bounds([b[0] for b, _ in boxes] + [b[2] for b, _ in boxes])
    ys = bounds([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes])
    out = []
    for b, text in boxes:
        c0, c1 = index(xs, b[0]), index(xs, b[2])
        r0, r1 = index(ys, b[1]), index(ys, b[3])
        if c1 > c0 and r1 > r0:
            out.append((r0, r1 - 1, c0, c1 - 1, text or ""))
    return out


# --------------------------------------------------------------------------- ground truth

def dataset_files(data: Path = DATA) -> list[Path]:
    return sorted(data.glob("competition-dataset-*/*.pdf"))


def _int(el, name: str, default: Optional[int] = None) -> int:
    v = el.get(name)
    return int(v) if v not in (None, "") else default


def read_ground_truth(pdf: Path) -> list[dict]:
    """Regions of NAME-reg.xml with the cells of the matching region of NAME-str.xml:
    [{"table": id, "region": id, "page": n, "pdf_bbox": (x1, y1, x2, y2), "cells": [GridCell, ...]}]."""
    reg = ET.parse(pdf.with_name(pdf.stem + "-reg.xml")).getroot()
    st = ET.parse(pdf.with_name(pdf.stem + "-str.xml")).getroot()
    # str regions are keyed by (table id, page); a table split into side-by-side parts on one page (us-035a) has several
    # str regions there, placed by their row/col increments, and one reg region: they are merged
    cells_by_key: dict[tuple[str, int], list[GridCell]] = {}
    for table in st.iter("table"):
        for region in table.iter("region"):
            dr, dc = _int(region, "row-increment", 0), _int(region, "col-increment", 0)
            cells = cells_by_key.setdefault((table.get("id"), int(region.get("page"))), [])
            for cell in region.iter("cell"):
                r0, c0 = _int(cell, "start-row"), _int(cell, "start-col")
                r1, c1 = _int(cell, "end-row", r0), _int(cell, "end-col", c0)
                content = cell.find("content")
                cells.append((r0 + dr, r1 + dr, c0 + dc, c1 + dc,
                              content.text if content is not None and content.text else ""))
    out = []
    for table in reg.iter("table"):
        for region in table.iter("region"):
            bb = region.find("bounding-box")
            box = tuple(float(bb.get(k)) for k in ("x1", "y1", "x2", "y2"))
            page = int(region.get("page"))
            out.append({"table": table.get("id"), "region": region.get("id"), "page": page,
                        "pdf_bbox": box, "cells": cells_by_key.get((table.get("id"), page), [])})
    return out


def page_heights(pdf: Path) -> dict[int, float]:
    import pdfplumber

    with pdfplumber.open(str(pdf)) as doc:
        return {i: float(p.height) for i, p in enumerate(doc.pages, start=1)}


# --------------------------------------------------------------------------- the two systems

def predict_ours(pdf: Path) -> list[dict]:
    from extractor.ingest.pdf import read_pdf
    from extractor.tables.borderless import find_tables

    doc = read_pdf(str(pdf), line_tables=find_tables)
    out = []
    for table in doc.tables:
        cells = []
        for r, row in enumerate(table.rows):
            for cell in row.cells:
                if cell.covered:
                    continue
                cells.append((r, r + max(cell.rowspan, 1) - 1, cell.col, cell.col + max(cell.colspan, 1) - 1,
                              cell.text))
        out.append({"page": table.page_first, "bbox": tuple(table.bbox) if table.bbox else (0, 0, 0, 0),
                    "cells": cells, "ruled": table.ruled, "shape": (len(table.rows), table.n_cols)})
    return out


def predict_pdfplumber(pdf: Path) -> list[dict]:
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for found in page.find_tables():
                texts = found.extract()
                boxes = []
                for r, row in enumerate(found.rows):
                    for c, box in enumerate(row.cells):
                        if box is None:
                            continue
                        text = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
                        boxes.append((tuple(map(float, box)), text or ""))
                out.append({"page": number, "bbox": tuple(map(float, found.bbox)), "cells": grid_from_boxes(boxes),
                            "ruled": True,
                            "shape": (len(found.rows), max((len(r.cells) for r in found.rows), default=0))})
            page.close()
    return out


PREDICTORS = {"ours": predict_ours, "pdfplumber": predict_pdfplumber}


# --------------------------------------------------------------------------- evaluation

def _new_totals() -> dict:
    return {"predicted_tables": 0, "gold_regions": 0, "matched": 0,
            "rel_correct": 0, "rel_predicted": 0, "rel_gold": 0, "rel_gold_all": 0}


def score_file(gold: list[dict], heights: dict[int, float], preds: list[dict]) -> dict:
    """Per-file counts plus per-region detail for one system."""
    gold_boxes = [(g["page"], flip_bbox(*g["pdf_bbox"], heights.get(g["page"], 792.0))) for g in gold]
    pred_boxes = [(p["page"], p["bbox"]) for p in preds]
    pairs = match(pred_boxes, gold_boxes)
    counts = _new_totals()
    counts["predicted_tables"] = len(preds)
    counts["gold_regions"] = len(gold)
    counts["matched"] = len(pairs)
    gold_rel = [relations(g["cells"]) for g in gold]
    counts["rel_gold_all"] = sum(sum(r.values()) for r in gold_rel)
    regions = [{"table": g["table"], "region": g["region"], "page": g["page"], "iou": 0.0,
                "relations": sum(gold_rel[j].values()), "correct": 0, "predicted": 0} for j, g in enumerate(gold)]
    for i, j, v in pairs:
        c, p, g = compare(relations(preds[i]["cells"]), gold_rel[j])
        counts["rel_correct"] += c
        counts["rel_predicted"] += p
        counts["rel_gold"] += g
        regions[j].update(iou=round(v, 3), correct=c, predicted=p, pred_shape=list(preds[i]["shape"]),
                          pred_ruled=preds[i]["ruled"])
    for j, g in enumerate(gold):  # for a missed region: the best overlap any prediction on its page reached
        if not any(jj == j for _, jj, _ in pairs):
            best = max((iou(pb, gold_boxes[j][1]) for pp, pb in pred_boxes if pp == g["page"]), default=0.0)
            regions[j]["best_iou"] = round(best, 3)
    return {"counts": counts, "regions": regions}


def summarise(totals: dict) -> dict:
    det_p = totals["matched"] / totals["predicted_tables"] if totals["predicted_tables"] else 0.0
    det_r = totals["matched"] / totals["gold_regions"] if totals["gold_regions"] else 0.0
    structure = prf(totals["rel_correct"], totals["rel_predicted"], totals["rel_gold"])
    structure["recall_all"] = (round(totals["rel_correct"] / totals["rel_gold_all"], 4) if totals["rel_gold_all"]
                               else 0.0)
    return {"detection": {"precision": round(det_p, 4), "recall": round(det_r, 4),
                          "f1": round(2 * det_p * det_r / (det_p + det_r), 4) if det_p + det_r else 0.0},
            "structure": structure, "counts": dict(totals)}


def evaluate(files: list[Path], systems: Iterable[str] = SYSTEMS, verbose: bool = False) -> dict:
    """Run every system on every file; failures (ground truth or system) are counted and listed, never raised."""
    systems = list(systems)
    totals = {s: _new_totals() for s in systems}
    seconds = {s: 0.0 for s in systems}
    failures: list[dict] = []
    per_file: dict[str, dict] = {}
    n_scored = {s: 0 for s in systems}
    for pdf in files:
        name = pdf.stem
        try:
            gold = read_ground_truth(pdf)
        except Exception as exc:
            failures.append({"file": name, "system": "ground-truth", "error": f"{type(exc).__name__}: {exc}"[:300]})
            continue
        try:
            heights = page_heights(pdf)
        except Exception:  # an unreadable PDF: each system then fails on it too and is scored as finding nothing
            heights = {}
        per_file[name] = {}
        for s in systems:
            t0 = time.perf_counter()
            try:
                preds = PREDICTORS[s](pdf)
            except Exception as exc:
                seconds[s] += time.perf_counter() - t0
                failures.append({"file": name, "system": s, "error": f"{type(exc).__name__}: {exc}"[:300]})
                if verbose:
                    traceback.print_exc()
                preds = []  # a failed file still counts its ground truth: nothing found
            else:
                seconds[s] += time.perf_counter() - t0
                n_scored[s] += 1
            scored = score_file(gold, heights, preds)
            for k, v in scored["counts"].items():
                totals[s][k] += v
            per_file[name][s] = scored
    return {"files": len(files), "files_scored": n_scored, "failures": failures,
            "seconds": {s: round(v, 1) for s, v in seconds.items()},
            "summary": {s: summarise(totals[s]) for s in systems}, "per_file": per_file}


def losses(result: dict, a: str = "ours", b: str = "pdfplumber") -> list[dict]:
    """Regions where system a gets fewer correct relations than system b (detection misses first)."""
    out = []
    for name, by_sys in result["per_file"].items():
        if a not in by_sys or b not in by_sys:
            continue
        for ra, rb in zip(by_sys[a]["regions"], by_sys[b]["regions"]):
            if ra["correct"] < rb["correct"]:
                out.append({"file": name, "table": ra["table"], "region": ra["region"], "page": ra["page"],
                            "relations": ra["relations"], a: {k: ra.get(k) for k in ("iou", "best_iou", "correct",
                                                                                       "predicted", "pred_shape")},
                            b: {k: rb.get(k) for k in ("iou", "correct", "predicted", "pred_shape")}})
    out.sort(key=lambda d: d[b]["correct"] - d[a]["correct"], reverse=True)
    return out


def print_table(result: dict) -> None:
    print(f"ICDAR 2013 table competition: {result['files']} PDFs, {len(result['failures'])} failure(s)")
    print(f"{'system':<12} {'det P':>6} {'det R':>6} {'det F1':>6} | {'str P':>6} {'str R':>6} {'str F1':>6} "
          f"{'R(all)':>6} | {'tables':>6} {'matched':>7} {'regions':>7} {'seconds':>7}")
    for s, summ in result["summary"].items():
        d, st, c = summ["detection"], summ["structure"], summ["counts"]
        print(f"{s:<12} {d['precision']:6.3f} {d['recall']:6.3f} {d['f1']:6.3f} | {st['precision']:6.3f} "
              f"{st['recall']:6.3f} {st['f1']:6.3f} {st['recall_all']:6.3f} | {c['predicted_tables']:6d} "
              f"{c['matched']:7d} {c['gold_regions']:7d} {result['seconds'][s]:7.1f}")
    for f in result["failures"]:
        print(f"  failed: {f['file']} ({f['system']}): {f['error']}")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", help="file stems to run (default: all), e.g. eu-001 us-012")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=0, help="only the first N files")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--verbose", action="store_true", help="print tracebacks of failures")
    args = ap.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    files = dataset_files(args.data)
    if not files:
        print(f"no ICDAR 2013 PDFs under {args.data}", file=sys.stderr)
        return 2
    if args.names:
        files = [f for f in files if f.stem in set(args.names)]
    if args.limit:
        files = files[: args.limit]
    t0 = time.perf_counter()
    result = evaluate(files, verbose=args.verbose)
    result["wall_seconds"] = round(time.perf_counter() - t0, 1)
    print_table(result)
    lost = losses(result)
    if lost:
        print(f"\nregions where ours finds fewer correct relations than pdfplumber ({len(lost)}), worst first:")
        for d in lost[:15]:
            o, b = d["ours"], d["pdfplumber"]
            where = f"IoU {o['iou']}" if o.get("iou") else f"missed (best IoU {o.get('best_iou')})"
            print(f"  {d['file']} t{d['table']} p{d['page']}: {d['relations']} rel; "
                  f"ours {o['correct']}/{o['predicted']} {where} shape {o.get('pred_shape')}; "
                  f"pdfplumber {b['correct']}/{b['predicted']} shape {b.get('pred_shape')}")
    result["losses_vs_pdfplumber"] = lost
    args.out.write_text(json.dumps(result, indent=1, default=list) + "\n", encoding="utf-8")
    wrote = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"\nwall time {result['wall_seconds']} s; wrote {wrote}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
