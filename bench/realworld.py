"""Score the extractor on the real documents of ../shared/realworld against the project's own gold
(tests/realworld_gold/), the developed and the untouched part side by side (split.json).

    python bench/realworld.py                    # extract + diff, both parts -> bench/realworld_results.json
    python bench/realworld.py --part dev -v      # one part, every missed / spurious action and field error
    python bench/realworld.py --only extract

Scoring is the shared scorer's own (../shared/tools/score.py: the same matching and field comparison, imported
as a module) so that the figures are the ones `score.py extract` would print; the driver only adds what score.py
cannot do itself: the legacy .doc/.odt files next to the PDF and DOCX ones, and the two parts of the split.
Diff pairs are scored twice: by the shared scorer as it is, and by gold position (the pairs' old_index / new_index,
which tell repeated texts apart; the scorer itself resolves rows by text and list position).
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


def gold_positions(sc, gdoc: dict, pred_actions: list[dict]) -> dict[str, int]:
    """action_id -> position of its action in the document's gold, by the scorer's own one-to-one assignment over
    the WHOLE document (both lists in reading order), so that identical texts repeated under several headings
    resolve to their own gold action rather than to the nearest one in a pair file's list."""
    gold = gdoc["actions"]
    pairs = sc.assign([g["text"] for g in gold], [p.get("text", "") for p in pred_actions],
                      gold_refs=[g.get("ref") or "" for g in gold], pred_refs=[p.get("ref", "") for p in pred_actions])
    return {str(pred_actions[j].get("action_id", "")).strip(): i for i, j, _ in pairs}


def score_pair_by_index(sc, gold: dict, pair_path: Path, old_actions: list[dict], new_actions: list[dict],
                        outdir: Path) -> dict:
    """The pair scored by gold position (the pairs' old_index / new_index, which tell repeated texts apart; the
    shared scorer resolves a crosswalk row by text and list position only): crosswalk tp/pred/gold and the
    headline changes' tp/pred/gold, values compared as the scorer compares them."""
    sys.path.insert(0, str(ROOT))
    from tests.gold_pairs import load_pair

    gp = load_pair(pair_path, loader=lambda stem: gold[stem])
    pos_old = gold_positions(sc, gp.old, old_actions)
    pos_new = gold_positions(sc, gp.new, new_actions)
    gold_xw = {("matched", i, j) for i, j in gp.matched} | {("added", None, j) for j in gp.added} | \
              {("removed", i, None) for i in gp.removed}
    xw = {"tp": 0, "pred": 0, "gold": len(gold_xw)}
    errors = []
    seen = set()
    for row in sc.read_csv(outdir / "crosswalk.csv") or []:
        kind = (row.get("match") or "").strip().casefold()
        key = (kind, pos_old.get((row.get("old_action_id") or "").strip()) if kind != "added" else None,
               pos_new.get((row.get("new_action_id") or "").strip()) if kind != "removed" else None)
        xw["pred"] += 1
        if key in gold_xw and key not in seen:
            seen.add(key)
            xw["tp"] += 1
        else:
            errors.append(f"crosswalk {key} not in gold")
    errors += [f"crosswalk missed {key}" for key in sorted(gold_xw - seen, key=str)]
    head = sc.HEADLINE_CHANGE_FIELDS
    ch = {"tp": 0, "pred": 0, "gold": sum(1 for k in gp.changes if k[2] in head)}
    used = set()
    for row in sc.read_csv(outdir / "changes.csv") or []:
        field = (row.get("field") or "").strip().casefold()
        if field not in head:
            continue
        ch["pred"] += 1
        key = (pos_old.get((row.get("old_action_id") or "").strip()),
               pos_new.get((row.get("new_action_id") or "").strip()), field)
        g = gp.changes.get(key)
        if g is not None and key not in used and sc.change_value_equal(field, g[0], row.get("from")) \
                and sc.change_value_equal(field, g[1], row.get("to")):
            used.add(key)
            ch["tp"] += 1
        else:
            errors.append(f"change {key} {row.get('from')!r} -> {row.get('to')!r} (gold {g})")
    errors += [f"change missed {key}: {g}" for key, g in gp.changes.items() if key[2] in head and key not in used]
    return {"crosswalk": xw, "changes": ch, "errors": errors}


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
        old_a, new_a = batch.actions_for(old_f), batch.actions_for(new_f)
        res = sc.score_pair(pair, old_a, new_a, outdir)
        res["pair_id"] = pid
        res["by_index"] = score_pair_by_index(sc, gold, set_dir / "pairs" / f"{pid}.json", old_a, new_a, outdir)
        results.append(res)
        x = sc.prf(*(sum(res["crosswalk"][k][s] for k in res["crosswalk"]) for s in ("tp", "pred", "gold")))
        ch = sc.prf(*(sum(res["changes"][f][s] for f in sc.HEADLINE_CHANGE_FIELDS) for s in ("tp", "pred", "gold")))
        bx = sc.prf(*(res["by_index"]["crosswalk"][s] for s in ("tp", "pred", "gold")))
        bc = sc.prf(*(res["by_index"]["changes"][s] for s in ("tp", "pred", "gold")))
        print(f"{pid[:80]:<80} crosswalk F1 {sc.fmt(x['f1'])}  changes F1 {sc.fmt(ch['f1'])}"
              f"  | by gold index {sc.fmt(bx['f1'])} {sc.fmt(bc['f1'])}")
        if verbose:
            for key in ("crosswalk_errors", "crosswalk_missed", "change_errors", "change_missed"):
                for e in res.get(key, []):
                    print(f"    {key}: {e}")
            for e in res["by_index"]["errors"]:
                print(f"    by gold index: {e}")
    xw = sc.prf(*(sum(r["crosswalk"][k][s] for r in results for k in r["crosswalk"]) for s in ("tp", "pred", "gold")))
    ch = sc.prf(*(sum(r["changes"][f][s] for r in results for f in sc.HEADLINE_CHANGE_FIELDS)
                  for s in ("tp", "pred", "gold")))
    bx = sc.prf(*(sum(r["by_index"]["crosswalk"][s] for r in results) for s in ("tp", "pred", "gold")))
    bc = sc.prf(*(sum(r["by_index"]["changes"][s] for r in results) for s in ("tp", "pred", "gold")))
    print(f"ALL ({len(results)} pairs): crosswalk F1 {sc.fmt(xw['f1'])}  changes F1 {sc.fmt(ch['f1'])}"
          f"  | by gold index: crosswalk F1 {sc.fmt(bx['f1'])}  changes F1 {sc.fmt(bc['f1'])}")
    return {"crosswalk": xw, "changes": ch, "by_gold_index": {"crosswalk": bx, "changes": bc}, "pairs": results}


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
