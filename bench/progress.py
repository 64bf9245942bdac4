"""Score the status reader on the labelled progress texts: accuracy, per-class precision / recall / F1 and
the confusion matrix of each set, through the same decision the pipeline makes (extractor.fields.status.decide
on a progress text, with the document's printed date and the action's own text where the set gives them).

    python bench/progress.py                       # every developed set -> bench/progress_results.json
    python bench/progress.py --set real-dev -v     # one set, every miss with the words that decided it
    python bench/progress.py --make-samples        # rebuild tests/progress_gold/samples.jsonl from ../shared

Sets (tests/progress_gold/README.md says how each was made):
  real-dev       tests/realworld_gold/progress/dev-*.jsonl: the developed real documents
  samples        tests/progress_gold/samples.jsonl: the shared sample plans' status / progress cells
  written-dev    tests/progress_gold/written-dev.jsonl: written variants of each family, tuned on
  written-check  tests/progress_gold/written-check.jsonl: written variants written at the same time, not tuned on
  real-heldout   tests/realworld_gold/progress/heldout-*.jsonl: the untouched real part, only with --heldout
                 (reported by the owner at the end; never used while developing)
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", ROOT.parent / "shared"))
GOLD = ROOT / "tests" / "progress_gold"
REAL = ROOT / "tests" / "realworld_gold" / "progress"
CLASSES = ("completed", "in_progress", "delayed", "not_started", "unknown")
DEVELOPED = ("real-dev", "samples", "written-dev", "written-check")


def set_files(name: str) -> list[Path]:
    if name == "real-dev":
        return sorted(REAL.glob("dev-*.jsonl"))
    if name == "real-heldout":
        return sorted(REAL.glob("heldout-*.jsonl"))
    return [GOLD / f"{name}.jsonl"]


def load(name: str) -> list[dict]:
    rows: list[dict] = []
    for path in set_files(name):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


def predict(item: dict):
    from extractor.fields import status

    return status.decide(item.get("status", ""), None, item["text"], doc_date=item.get("doc_date") or None,
                         action=item.get("action", ""))


def score(rows: list[dict]) -> dict:
    """Accuracy, per-class P/R/F1 and the confusion (gold -> predicted) of one set."""
    pairs = []
    misses = []
    for item in rows:
        decided = predict(item)
        pairs.append((item["label"], decided.status))
        if decided.status != item["label"]:
            misses.append({"text": item["text"][:200], "gold": item["label"], "got": decided.status,
                           "source": decided.source, "evidence": decided.evidence})
    per_class = {}
    for c in CLASSES:
        tp = sum(1 for g, p in pairs if g == p == c)
        pred = sum(1 for _, p in pairs if p == c)
        gold = sum(1 for g, _ in pairs if g == c)
        if not gold and not pred:
            continue
        prec = tp / pred if pred else 0.0
        rec = tp / gold if gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[c] = {"n": gold, "precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3)}
    right = sum(1 for g, p in pairs if g == p)
    return {"n": len(pairs), "accuracy": round(right / max(len(pairs), 1), 3), "per_class": per_class,
            "confusion": {f"{g}->{p}": n for (g, p), n in sorted(Counter(pairs).items()) if g != p},
            "misses": misses}


def table(results: dict) -> str:
    lines = ["| set | n | accuracy | " + " | ".join(f"{c} P / R" for c in CLASSES) + " |",
             "|---|---|---|" + "---|" * len(CLASSES)]
    for name, r in results.items():
        cells = []
        for c in CLASSES:
            pc = r["per_class"].get(c)
            cells.append(f"{pc['precision']:.2f} / {pc['recall']:.2f} ({pc['n']})" if pc else "–")
        lines.append(f"| {name} | {r['n']} | {r['accuracy']:.3f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the samples' labelled texts

def make_samples(target: Path) -> int:
    """The status / progress cell of every action of the shared samples (DOCX renderings), labelled with the
    samples' gold status. Actions are paired with the gold in reading order; the texts must agree."""
    from extractor import extract

    out = []
    for gold_path in sorted((SHARED / "corpus-samples" / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        docx = SHARED / "corpus-samples" / "docs" / f"{gold['doc_id']}.docx"
        result = extract([str(docx)]).results[0]
        if len(result.actions) != len(gold["actions"]):
            raise SystemExit(f"{docx.name}: {len(result.actions)} actions, gold has {len(gold['actions'])}")
        for a, g in zip(result.actions, gold["actions"]):
            if a.text != g["text"]:
                raise SystemExit(f"{docx.name}: action order differs from the gold at {g['text'][:60]!r}")
            out.append({"text": a.progress, "status": a.status_raw, "label": g["status"], "doc": gold["doc_id"],
                        "doc_date": gold.get("doc_date", ""), "action": a.text})
    with target.open("w", encoding="utf-8") as fh:
        for item in out:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", action="append", dest="sets", help="a set to score (default: every developed set)")
    ap.add_argument("--heldout", action="store_true", help="also score the untouched real part (owner only)")
    ap.add_argument("--make-samples", action="store_true", help="rebuild tests/progress_gold/samples.jsonl")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    ap.add_argument("--out", default=str(ROOT / "bench" / "progress_results.json"))
    args = ap.parse_args(argv)
    if args.make_samples:
        n = make_samples(GOLD / "samples.jsonl")
        print(f"wrote {n} labelled texts to {GOLD / 'samples.jsonl'}")
        return 0
    names = list(args.sets or DEVELOPED) + (["real-heldout"] if args.heldout else [])
    results = {}
    for name in names:
        rows = load(name)
        if rows:
            results[name] = score(rows)
    total = sum(r["n"] for r in results.values())
    print(table(results))
    print(f"\n{total} labelled texts")
    for name, r in results.items():
        if r["confusion"]:
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in r["confusion"].items()))
        if args.verbose:
            for m in r["misses"]:
                print(f"  {m['gold']:>12} <- {m['got']:<12} {m['source']:<14} {m['evidence']!r:40.40} | {m['text']!r}")
    Path(args.out).write_text(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "misses"}
                                          for k, v in results.items()}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
