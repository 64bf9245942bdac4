"""Score the extractor on the real documents of ../shared/realworld against the project's own gold
(tests/realworld_gold/), the developed and the untouched part side by side (split.json).

    python bench/realworld.py                    # extract + diff, both parts -> bench/realworld_results.json
    python bench/realworld.py --part dev -v      # one part, every missed / spurious action and field error
    python bench/realworld.py --only extract

Scoring is the shared scorer's own (../shared/tools/score.py: the same matching and field comparison, imported
as a module) so that the figures are the ones `score.py extract` would print; the driver only adds what score.py
cannot do itself: the legacy .doc/.odt files next to the PDF and DOCX ones, and the two parts of the split.
The official cross-check on the PDF/DOCX files of a part: build a set with `--make-set DIR --part dev`, then
`python ../shared/tools/score.py extract --set DIR --out OUT --kind all`.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXTRACTOR_SHARED", ROOT.parent / "shared"))
GOLD = ROOT / "tests" / "realworld_gold"
DOC_FOLDERS = [SHARED / "realworld" / "action-plans" / "docs", SHARED / "realworld" / "action-plans-legacy" / "docs"]
CLI = ROOT / ".venv" / "bin" / "extractor"


def load_scorer():
    path = SHARED / "tools" / "score.py"
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["score"] = module
    spec.loader.exec_module(module)
    return module


def split() -> dict[str, list[str]]:
    data = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))
    return {"dev": data["dev"], "heldout": data["heldout"]}


def find_doc(name: str) -> Path | None:
    for folder in DOC_FOLDERS:
        if (folder / name).is_file():
            return folder / name
    return None


def make_set(part: str, target: Path) -> Path:
    """A scoring set in score.py's layout: docs/ (symlinks), gold/ and pairs/ of one part."""
    stems = set(split()[part]) if part != "all" else set(sum(split().values(), []))
    for sub in ("docs", "gold", "pairs"):
        (target / sub).mkdir(parents=True, exist_ok=True)
    for path in sorted((GOLD / "gold").glob("*.json")):
        if path.stem not in stems:
            continue
        shutil.copy(path, target / "gold" / path.name)
        for name in json.loads(path.read_text(encoding="utf-8"))["files"]:
            src = find_doc(name)
            if src is not None and not (target / "docs" / name).exists():
                (target / "docs" / name).symlink_to(src)
    for path in sorted((GOLD / "pairs").glob("*.json")):
        old, new = path.stem.split("__")
        if old in stems and new in stems:
            shutil.copy(path, target / "pairs" / path.name)
    return target


def run(argv: list[str], timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def score_extract(sc, set_dir: Path, out: Path, verbose: bool) -> dict:
    gold, by_file = sc.load_gold(set_dir)
    files = [(n, d) for n, d in sorted(by_file.items()) if (set_dir / "docs" / n).is_file()]
    batch_dir = out / "batch"
    proc = run([str(CLI), "batch", *[str(set_dir / "docs" / n) for n, _ in files], "--out", str(batch_dir),
                "--workers", "2", "-q"])
    if proc.returncode not in (0, 3):
        raise SystemExit(f"extractor batch failed ({proc.returncode}): {proc.stderr[-2000:]}")
    batch = sc.BatchOutput(batch_dir)
    docs = [sc.score_document(name, gold[doc_id], batch) for name, doc_id in files]
    summary = sc.summarise_extract(docs)
    print(f"{'file':<58} {'gold':>4} {'pred':>4} {'tp':>4} {'P':>6} {'R':>6} {'F1':>6}  {'obj g/p/tp':>10}")
    for d in docs:
        a, o = d["actions"], d["objectives"]
        print(f"{d['file'][:58]:<58} {a['gold']:>4} {a['pred']:>4} {a['tp']:>4} {sc.fmt(a['precision']):>6} "
              f"{sc.fmt(a['recall']):>6} {sc.fmt(a['f1']):>6}  {o['gold']}/{o['pred']}/{o['tp']:>3}"
              + (f"  [{d['status']}]" if d["status"] != "ok" else ""))
        if verbose:
            for m in d["missed"]:
                print(f"    missed   [{m['ref']}] {m['text']}")
            for m in d["spurious"]:
                print(f"    spurious [{m['ref']}] {m['text']}")
            for e in d["field_errors"]:
                print(f"    {e['field']:<11} [{e['ref']}] {e['text'][:40]!r} gold={e['gold']!r} pred={e['pred']!r}")
            for t in d["objectives_missed"]:
                print(f"    obj missed   {t}")
            for t in d["objectives_spurious"]:
                print(f"    obj spurious {t}")
    a, o = summary["actions"], summary["objectives"]
    print(f"ALL ({len(docs)} files): actions P {sc.fmt(a['precision'])} R {sc.fmt(a['recall'])} F1 {sc.fmt(a['f1'])}"
          f" (tp {a['tp']}, pred {a['pred']}, gold {a['gold']}); objectives P {sc.fmt(o['precision'])}"
          f" R {sc.fmt(o['recall'])} F1 {sc.fmt(o['f1'])} (gold {o['gold']}, pred {o['pred']})")
    print("fields: " + "  ".join(f"{f} {sc.fmt(v['accuracy'])}" for f, v in summary["fields"].items()))
    print("metadata: " + "  ".join(f"{f} {c}/{len(docs)}" for f, c in summary["metadata_correct"].items()))
    return {"overall": summary, "documents": docs}


def score_diff(sc, set_dir: Path, out: Path, verbose: bool) -> dict:
    gold, _ = sc.load_gold(set_dir)
    pairs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((set_dir / "pairs").glob("*.json"))]
    if not pairs:
        return {}
    files = {}
    for pair in pairs:
        for side in ("old", "new"):
            gdoc = gold[pair[side]]
            files[pair[side]] = next(f for f in gdoc["files"] if (set_dir / "docs" / f).is_file())
    batch_dir = out / "diff-batch"
    proc = run([str(CLI), "batch", *[str(set_dir / "docs" / f) for f in sorted(set(files.values()))],
                "--out", str(batch_dir), "--workers", "2", "-q"])
    if proc.returncode not in (0, 3):
        raise SystemExit(f"extractor batch failed ({proc.returncode}): {proc.stderr[-2000:]}")
    batch = sc.BatchOutput(batch_dir)
    results = []
    for pair in pairs:
        pid = f"{pair['old']}__{pair['new']}"
        outdir = out / pid
        old_f, new_f = files[pair["old"]], files[pair["new"]]
        run([str(CLI), "diff", str(set_dir / "docs" / old_f), str(set_dir / "docs" / new_f), "--out", str(outdir)])
        res = sc.score_pair(pair, batch.actions_for(old_f), batch.actions_for(new_f), outdir)
        res["pair_id"] = pid
        results.append(res)
        x = sc.prf(*(sum(res["crosswalk"][k][s] for k in res["crosswalk"]) for s in ("tp", "pred", "gold")))
        ch = sc.prf(*(sum(res["changes"][f][s] for f in sc.HEADLINE_CHANGE_FIELDS) for s in ("tp", "pred", "gold")))
        print(f"{pid[:80]:<80} crosswalk F1 {sc.fmt(x['f1'])}  changes F1 {sc.fmt(ch['f1'])}")
        if verbose:
            for key in ("crosswalk_errors", "crosswalk_missed", "change_errors", "change_missed"):
                for e in res.get(key, []):
                    print(f"    {key}: {e}")
    xw = sc.prf(*(sum(r["crosswalk"][k][s] for r in results for k in r["crosswalk"]) for s in ("tp", "pred", "gold")))
    ch = sc.prf(*(sum(r["changes"][f][s] for r in results for f in sc.HEADLINE_CHANGE_FIELDS)
                  for s in ("tp", "pred", "gold")))
    print(f"ALL ({len(results)} pairs): crosswalk F1 {sc.fmt(xw['f1'])}  changes F1 {sc.fmt(ch['f1'])}")
    return {"crosswalk": xw, "changes": ch, "pairs": results}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["dev", "heldout", "both"], default="both")
    ap.add_argument("--only", choices=["extract", "diff"])
    ap.add_argument("--make-set", metavar="DIR", help="only build the scoring set of --part in DIR")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not all(f.is_dir() for f in DOC_FOLDERS) or not (SHARED / "tools" / "score.py").is_file():
        print(f"the real-world documents or the scorer are not in {SHARED} (set EXTRACTOR_SHARED)")
        return 2
    parts = ["dev", "heldout"] if args.part == "both" else [args.part]
    if args.make_set:
        make_set(parts[0], Path(args.make_set))
        print(f"scoring set of part {parts[0]} in {args.make_set}")
        return 0
    sc = load_scorer()
    report = {}
    with tempfile.TemporaryDirectory(prefix="realworld-") as tmp:
        for part in parts:
            set_dir = make_set(part, Path(tmp) / part / "set")
            out = Path(tmp) / part / "out"
            report[part] = {}
            if args.only in (None, "extract"):
                print(f"\n== {part}: extract")
                report[part]["extract"] = score_extract(sc, set_dir, out, args.verbose)
            if args.only in (None, "diff"):
                print(f"\n== {part}: diff")
                report[part]["diff"] = score_diff(sc, set_dir, out, args.verbose)
    if args.part == "both" and args.only is None:
        (ROOT / "bench" / "realworld_results.json").write_text(json.dumps(report, indent=1, default=str),
                                                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
