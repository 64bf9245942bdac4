"""Variation stress test: the families of tests/synth/variations.py over many seeds, PDF and DOCX, scored
against their generated gold (actions matched by text as tests/scoring.py does; fields on matched actions).

    python bench/variations.py                       # 20 seeds per family
    python bench/variations.py --seeds 5 --family var-kv -v    # every miss, spurious action and field error
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.pipeline import process_file  # noqa: E402
from tests.scoring import f1, field_equal, match  # noqa: E402
from tests.synth.variations import BY_ID, VARIATIONS, make_variation, write_variation  # noqa: E402


def score_doc(path: Path, gold: dict, fields: tuple[str, ...], verbose: bool) -> dict:
    result = process_file(str(path))
    golds, preds = gold["actions"], result.actions
    pairs = match([g["text"] for g in golds], [a.text for a in preds])
    out = {"gold": len(golds), "pred": len(preds), "tp": len(pairs), "status": result.status,
           "fields": {f: [0, 0] for f in fields}}
    for f in fields:
        for i, j in pairs:
            ok = field_equal(f, golds[i], preds[j])
            out["fields"][f][0] += ok
            out["fields"][f][1] += 1
            if verbose and not ok:
                print(f"    {path.name} {f}: gold {golds[i][f]!r} pred {getattr(preds[j], f)!r}  "
                      f"[{golds[i]['text'][:40]}]")
    if verbose:
        gi = {i for i, _ in pairs}
        pj = {j for _, j in pairs}
        for i, g in enumerate(golds):
            if i not in gi:
                print(f"    {path.name} missed   [{g['ref']}] {g['text'][:70]}")
        for j, a in enumerate(preds):
            if j not in pj:
                print(f"    {path.name} spurious [{a.ref}] {a.text[:70]}")
        if result.status != "ok":
            print(f"    {path.name} status {result.status}: {result.error}")
    return out


def run(families: list[str], seeds: range, formats: tuple[str, ...], verbose: bool) -> dict:
    totals: dict[tuple[str, str], dict] = {}
    with tempfile.TemporaryDirectory(prefix="variations-") as tmp:
        for fid in families:
            v = BY_ID[fid]
            for seed in seeds:
                doc = make_variation(v, seed)
                gold = doc.gold()
                for fmt in formats:
                    path = write_variation(doc, Path(tmp), fmt)
                    r = score_doc(path, gold, v.fields, verbose)
                    t = totals.setdefault((fid, fmt), {"docs": 0, "gold": 0, "pred": 0, "tp": 0, "perfect": 0,
                                                       "fields": defaultdict(lambda: [0, 0])})
                    t["docs"] += 1
                    for k in ("gold", "pred", "tp"):
                        t[k] += r[k]
                    t["perfect"] += r["tp"] == r["gold"] == r["pred"]
                    for f, (ok, n) in r["fields"].items():
                        t["fields"][f][0] += ok
                        t["fields"][f][1] += n
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first", type=int, default=0, help="first seed")
    ap.add_argument("--family", action="append", choices=[v.id for v in VARIATIONS])
    ap.add_argument("--format", choices=["pdf", "docx"], action="append")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    families = args.family or [v.id for v in VARIATIONS]
    formats = tuple(args.format or ("pdf", "docx"))
    totals = run(families, range(args.first, args.first + args.seeds), formats, args.verbose)
    print(f"{'family':<16}{'fmt':<6}{'docs':>5}{'exact':>6}{'gold':>6}{'pred':>6}{'F1':>7}  fields")
    for (fid, fmt), t in totals.items():
        fields = "  ".join(f"{f} {ok / n:.3f}" if n else f"{f} -" for f, (ok, n) in t["fields"].items())
        print(f"{fid:<16}{fmt:<6}{t['docs']:>5}{t['perfect']:>6}{t['gold']:>6}{t['pred']:>6}"
              f"{f1(t['tp'], t['pred'], t['gold']):>7.3f}  {fields}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
