"""The layout families of issue #12 as synthetic plans (DOCX + PDF) with exact gold.

    python -m tests.synth --families OUT_DIR [--seed N]     # OUT_DIR/docs/*.pdf|docx, OUT_DIR/gold/*.json

OUT_DIR is a scoring set in the layout of ../shared/corpus-samples (`score.py extract --set OUT_DIR`).
Each family is one document (a few are several variants, one document each); the tests generate them on the
fly (tests/conftest.py) and CORPUS_FAMILIES are also part of corpus/ (`make corpus`).

Each family changes one thing from an ordinary plan (its other columns use common header wordings), so that
its test fails for that thing only. Every document draws its organisation (UK or US, eleven kinds), people,
date conventions, status wording, fonts, column widths and header wordings from its own seeded RNG, so that
no wording or layout is shared by all documents of a family across seeds. Gold conventions:
tests/corpus_gold/README.md.
"""
from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from tests.synth import fam_layout, fam_negative, fam_tables
from tests.synth.fonts import dejavu_available
from tests.synth.model import DEFAULT_SEED, Doc
from tests.synth.render_drawn import PdfStats


@dataclass(frozen=True)
class Family:
    id: str
    build: Callable[[random.Random], Doc]
    about: str
    needs_dejavu: bool = False  # prints checkbox glyphs (tests.synth.fonts)
    require: Optional[Callable[[PdfStats], bool]] = None  # what the PDF must show (else the next attempt)


def _continues(st: PdfStats) -> bool:
    return st.continued_without_header >= 1


def _continues_split(st: PdfStats) -> bool:
    return st.continued_without_header >= 1 and st.split_multi_column >= 1


FAMILIES: list[Family] = [
    *[Family(f"action-header-{v}", fam_tables.build_action_word(v), f"the action column headed like '{v}'")
      for v in fam_tables.ACTION_WORDS],
    Family("blank-header-ref", fam_tables.build_blank_header("ref"), "the ref column has no header text"),
    Family("blank-header-action", fam_tables.build_blank_header("action"), "the action column has no header text"),
    Family("headerless-groups-2col", fam_tables.build_headerless("2col"),
           "Action | Status tables without header rows under group headings naming the lead", require=_continues),
    Family("headerless-groups-3col", fam_tables.build_headerless("3col"),
           "Action | initials | Status tables without header rows under group headings", require=_continues),
    Family("key-value", fam_tables.build_key_value, "one 2-column key-value table per commitment"),
    Family("merged-cells", fam_tables.build_merged, "vertically merged goal / owner / due / status cells",
           require=lambda st: st.merged_over_page >= 1),
    Family("continued-ruled", fam_layout.build_continued("grid"),
           "a ruled table continued without a repeated header, rows broken over pages", require=_continues_split),
    Family("continued-borderless", fam_layout.build_continued("none"),
           "a borderless table continued without a repeated header, rows broken over pages",
           require=_continues_split),
    Family("horizontal-rules", fam_layout.build_horizontal, "horizontal rules only, landscape pages"),
    Family("rotated-page", fam_layout.build_rotated, "a table on a page turned by /Rotate 90",
           require=lambda st: st.rotated_pages == 1),
    Family("numbered-headings", fam_tables.build_numbered_headings, "a numbered heading above each table is the goal"),
    Family("narrative-blocks", fam_layout.build_narrative, "'Objective N: title' blocks with Lead: / By when: lines"),
    Family("milestone-boxes", fam_layout.build_boxes, "quarter boxes of milestone paragraphs"),
    Family("checkbox-status", fam_tables.build_checkbox, "status as a checkbox list", needs_dejavu=True),
    Family("completion-grid", fam_tables.build_completion_grid, "status as a tick in a completion grid"),
    Family("text-hygiene", fam_layout.build_hygiene, "line-end hyphens, footnote markers, split ordinals"),
    *[Family(f"not-plan-{k}", fam_negative.build_negative(k), f"a {k} table next to a plan gives no actions")
      for k in fam_negative.NEGATIVES],
    Family("exception-report", fam_negative.build_exception, "reports restating earlier actions give no actions"),
]
BY_ID = {f.id: f for f in FAMILIES}

# also written to corpus/ by `make corpus` (plans a user can try with `make run`)
CORPUS_FAMILIES = ["headerless-groups-3col", "key-value", "exception-report"]


def missing(family: Family) -> Optional[str]:
    """Why a family cannot be generated on this machine, or None."""
    if family.needs_dejavu and not dejavu_available():
        return "DejaVu Sans is not installed (fonts-dejavu-core): no font with checkbox glyphs"
    return None


ATTEMPTS = 8


def make_family(family: Family, seed: int = DEFAULT_SEED) -> tuple[Doc, bytes, PdfStats]:
    """The family's document, its PDF bytes and what the PDF shows. A layout property that depends on where
    pages break (a table running on to the next page, a row broken over a page boundary) is checked on the
    rendered PDF; when it does not hold, the next attempt draws the document from a derived seed (so the
    result is still fixed by the seed)."""
    from tests.synth.render_pdf import render_pdf

    for attempt in range(ATTEMPTS):
        rng = random.Random(f"{seed}:family:{family.id}" + (f":{attempt}" if attempt else ""))
        doc = family.build(rng)
        doc.family = family.id
        buf = io.BytesIO()
        stats = render_pdf(doc, buf)
        if family.require is None or family.require(stats):
            return doc, buf.getvalue(), stats
    raise RuntimeError(f"{family.id}: no attempt of {ATTEMPTS} shows the family's layout")


def build_families(seed: int = DEFAULT_SEED, ids: Optional[list[str]] = None) -> list[Doc]:
    """The documents of the families that this machine can generate (all of them, or `ids`)."""
    chosen = [BY_ID[i] for i in ids] if ids is not None else FAMILIES
    return [make_family(f, seed)[0] for f in chosen if missing(f) is None]


def generate_families(out_dir: Path, seed: int = DEFAULT_SEED,
                      ids: Optional[list[str]] = None) -> dict[str, dict[str, Any]]:
    """Write OUT_DIR/docs/<doc_id>.pdf|docx and OUT_DIR/gold/<doc_id>.json; per-document statistics."""
    (out_dir / "docs").mkdir(parents=True, exist_ok=True)
    (out_dir / "gold").mkdir(parents=True, exist_ok=True)
    chosen = [BY_ID[i] for i in ids] if ids is not None else FAMILIES
    report: dict[str, dict[str, Any]] = {}
    for family in chosen:
        if missing(family) is not None:
            continue
        doc, pdf, stats = make_family(family, seed)
        write_family_doc(doc, pdf, out_dir / "docs", out_dir / "gold")
        report[doc.doc_id] = {"family": doc.family, "actions": len(doc.actions()), **vars(stats)}
    return report


def write_family_doc(doc: Doc, pdf: bytes, docs_dir: Path, gold_dir: Path) -> None:
    from tests.synth.render_docx import render_docx

    render_docx(doc, docs_dir / f"{doc.doc_id}.docx")
    (docs_dir / f"{doc.doc_id}.pdf").write_bytes(pdf)
    (gold_dir / f"{doc.doc_id}.json").write_text(json.dumps(doc.gold(), indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
