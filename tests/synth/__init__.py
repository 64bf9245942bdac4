"""Synthetic board papers (DOCX + PDF) with exact ground truth.

    python -m tests.synth OUT_DIR --gold GOLD_DIR [--seed N]      # the corpus (`make corpus`)
    python -m tests.synth --families SET_DIR [--seed N]            # every layout family of issue #12

Writes ``<doc_id>.docx`` and ``<doc_id>.pdf`` for every document into OUT_DIR, one gold file
``GOLD_DIR/<doc_id>.json`` per document and ``GOLD_DIR/pairs/<pair_id>.json`` per version pair, in the
schema and conventions of the shared corpus samples (see corpus-samples/README.md). The corpus holds the
documents below and a few of the layout families (tests.synth.families.CORPUS_FAMILIES); ``--families``
writes all families as a scoring set (SET_DIR/docs, SET_DIR/gold). Gold conventions beyond the shared
README: tests/corpus_gold/README.md.

The organisations, people and plans are fictional. Text comes from templates filled by a seeded
``random.Random``; the same seed gives byte-identical files (fixed DOCX core properties and zip
timestamps, reportlab ``invariant=1``).

The PDFs are drawn with reportlab, not rendered from the DOCX: platypus tables for some documents
and a hand-drawn table flowable (``DrawnTable``) for others. The hand-drawn table repeats its header
on every page, can break one row over a page boundary (part of each cell's lines at the foot of page
N, the rest under the repeated header on page N+1), draws RAG ratings as filled cell rectangles, and
can be drawn without any ruling lines. Every PDF page carries a running header and a "Page X of Y"
footer that are not content.

Documents (layout families):
  eastmoor-council-improvement-plan   portrait ruled platypus table, refs 1.1 / 1.3.1 / unnumbered "- "
                                      sub-rows, RAG letters, RAG key table, mixed date formats, "Revised:"
  northfield-icb-delivery-plan        landscape 14-column table, group rows, merged Theme + Objective,
                                      status words, RAG as fill colour only, refs WF1 / DG2 ...
  westbridge-university-education-plan  borderless table (no rules in PDF, borders none in DOCX), refs A1,
                                      "Sept 2019 to Dec 2019" ranges, progress stories, "Aim:" objectives
  harbourside-trust-quality-plan      long drawn table over many pages: repeated header, rows split across
                                      page boundaries, merged Goal continuing over pages, (NEW) markers
  lowmere-ccg-workforce-od-plan       narrative objectives (Objective 1:, Word-numbered 1) a)), "We will:"
                                      bullets, small action table, five non-action tables
  brackenford-trust-well-led-plan-v1/-v2   version pair with refs (section inserted, renumbering, ...)
  millbrook-council-childrens-plan-v1/-v2  version pair without refs (rows shuffled, RAG/progress moved)

Gold decisions beyond the shared README:
  - northfield: the table has Theme AND Objective columns; ``goal`` is the Objective cell.
  - a split action (pairs) is matched to its first part (a text change); the second part is "added".
  - "We will:" is followed by a plain bullet list, which is not an objective (README: plain bullets).
  - "Objective 1: ..." paragraphs have ref "Objective 1".
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

from tests.synth.documents import build_ccg, build_council, build_icb, build_trust, build_university
from tests.synth.families import BY_ID, CORPUS_FAMILIES, make_family, write_family_doc
from tests.synth.model import DEFAULT_SEED, Doc
from tests.synth.pairs import build_childrens_pair, build_well_led_pair
from tests.synth.render_docx import render_docx
from tests.synth.render_pdf import render_pdf

# =========================================================================== driver

Builder = Callable[[random.Random], Union[Doc, tuple[Doc, Doc, dict[str, Any]]]]
BUILDERS: list[tuple[str, Builder]] = [
    ("council", build_council), ("icb", build_icb), ("university", build_university), ("trust", build_trust),
    ("ccg", build_ccg), ("well_led_pair", build_well_led_pair), ("childrens_pair", build_childrens_pair),
]


def build_all(seed: int = DEFAULT_SEED) -> tuple[list[Doc], list[dict[str, Any]]]:
    """All documents and pair golds; each builder gets its own RNG so documents vary independently."""
    docs, pairs, _ = _build(seed)
    return docs, pairs


def _build(seed: int) -> tuple[list[Doc], list[dict[str, Any]], dict[str, tuple[bytes, Any]]]:
    """Documents, pair golds, and the PDFs already drawn for the corpus families (by doc_id)."""
    docs: list[Doc] = []
    pairs: list[dict[str, Any]] = []
    for name, builder in BUILDERS:
        rng = random.Random(f"{seed}:{name}")
        out = builder(rng)
        if isinstance(out, Doc):
            docs.append(out)
        else:
            docs += [out[0], out[1]]
            pairs.append(out[2])
    families = [make_family(BY_ID[f], seed) for f in CORPUS_FAMILIES]
    return docs + [d for d, _, _ in families], pairs, {d.doc_id: (pdf, st) for d, pdf, st in families}


def generate(out_dir: Path, gold_dir: Path, seed: int = DEFAULT_SEED) -> dict[str, dict[str, Any]]:
    """Write every document (.docx + .pdf) and its gold; return per-document statistics."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (gold_dir / "pairs").mkdir(parents=True, exist_ok=True)
    docs, pairs, family_pdfs = _build(seed)
    report: dict[str, dict[str, Any]] = {}
    for doc in docs:
        if doc.doc_id in family_pdfs:  # drawn once: its PDF was checked for the family's layout
            pdf, st = family_pdfs[doc.doc_id]
            write_family_doc(doc, pdf, out_dir, gold_dir)
        else:
            render_docx(doc, out_dir / f"{doc.doc_id}.docx")
            st = render_pdf(doc, out_dir / f"{doc.doc_id}.pdf")
            _write_json(gold_dir / f"{doc.doc_id}.json", doc.gold())
        report[doc.doc_id] = {"pages": st.pages, "actions": len(doc.actions()), "objectives": len(doc.objectives),
                              "split_rows": st.split_rows, "merged_over_page": st.merged_over_page}
    for p in pairs:
        _write_json(gold_dir / "pairs" / f"{p['pair_id']}.json", p)
    return report


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.synth", description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path, nargs="?")
    ap.add_argument("--gold", type=Path, help="directory for gold JSON")
    ap.add_argument("--families", type=Path, metavar="SET_DIR", help="write every layout family as a scoring set")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    if args.families:
        from tests.synth.families import FAMILIES, generate_families, missing

        fam = generate_families(args.families, args.seed)
        for doc_id, r in fam.items():
            print(f"{r['family']}: {doc_id}, {r['pages']} pages, {r['actions']} actions")
        for f in FAMILIES:
            if missing(f):
                print(f"{f.id}: left out: {missing(f)}")
        return 0
    if args.out_dir is None or args.gold is None:
        ap.error("OUT_DIR and --gold are required (or --families SET_DIR)")
    report = generate(args.out_dir, args.gold, args.seed)
    for doc_id, r in report.items():
        print(f"{doc_id}: {r['pages']} pages, {r['actions']} actions, {r['objectives']} objectives, "
              f"{r['split_rows']} split rows, {r['merged_over_page']} merges over a page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
