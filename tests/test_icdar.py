"""ICDAR 2013 table competition: the metric of bench/icdar.py on hand-built grids (always run), and the PDF ingest
scored on a fixed subset of 8 files against floors just below what was measured (skipped when
../shared/realworld/icdar2013 is absent). The full run is `make icdar` (bench/icdar_results.json).

Runtime: about 8 s (both systems on the 8 files).
"""
from __future__ import annotations

import importlib.util
from collections import Counter

import pytest

from tests.paths import REALWORLD, ROOT, absent

DATA = REALWORLD / "icdar2013"

_spec = importlib.util.spec_from_file_location("bench_icdar", ROOT / "bench" / "icdar.py")
icdar = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(icdar)

_no_data = pytest.mark.skipif(not DATA.is_dir() or not any(DATA.glob("competition-dataset-*/*.pdf")),
                              reason=absent(DATA))


def needs_data(test):
    """A test on the real ICDAR files: slow, and skipped without them."""
    return pytest.mark.slow(_no_data(test))

# ruled and unruled tables, a rotated page (eu-015), tables pdfplumber only partly finds (eu-013), a table split
# into side-by-side parts in the ground truth (us-035a), bulleted cells (us-015), 26 regions in all
SUBSET = ["eu-001", "eu-005", "eu-013", "eu-015", "us-003", "us-007", "us-015", "us-035a"]

# measured on SUBSET (ours / pdfplumber): detection P 0.704 / 0.704, R 0.731 / 0.731;
# structure P 0.916 / 0.931, R 0.929 / 0.945, F1 0.922 / 0.938 (ours loses on us-015: bullet glyphs dropped)
FLOORS = {"detection": {"precision": 0.65, "recall": 0.68},
          "structure": {"precision": 0.86, "recall": 0.87, "f1": 0.87}}


# --------------------------------------------------------------------------- the metric, on hand-built grids

def test_relations_of_a_2x2_grid():
    cells = [(0, 0, 0, 0, "A"), (0, 0, 1, 1, "B"), (1, 1, 0, 0, "C"), (1, 1, 1, 1, "D")]
    assert icdar.relations(cells) == Counter({("a", "b", "h"): 1, ("c", "d", "h"): 1,
                                              ("a", "c", "v"): 1, ("b", "d", "v"): 1})


def test_relations_skip_empty_cells_and_normalise_text():
    cells = [(0, 0, 0, 0, "Total  Cost"), (0, 0, 1, 1, ""), (0, 0, 2, 2, "12\n500"),
             (1, 1, 0, 0, ""), (2, 2, 0, 0, "X")]
    assert icdar.relations(cells) == Counter({("totalcost", "12500", "h"): 1, ("totalcost", "x", "v"): 1})


def test_relations_of_a_spanning_header():
    # a header over two columns is the upper neighbour of both cells below it; a cell spanning two rows is the left
    # neighbour of both cells beside it
    header = [(0, 0, 0, 1, "H"), (1, 1, 0, 0, "c"), (1, 1, 1, 1, "d")]
    assert icdar.relations(header) == Counter({("h", "c", "v"): 1, ("h", "d", "v"): 1, ("c", "d", "h"): 1})
    side = [(0, 1, 0, 0, "S"), (0, 0, 1, 1, "p"), (1, 1, 1, 1, "q")]
    assert icdar.relations(side) == Counter({("s", "p", "h"): 1, ("s", "q", "h"): 1, ("p", "q", "v"): 1})


def test_compare_counts_relations_as_a_multiset():
    gold = Counter({("a", "b", "h"): 2, ("a", "c", "v"): 1})
    pred = Counter({("a", "b", "h"): 1, ("a", "x", "v"): 1})
    assert icdar.compare(pred, gold) == (1, 2, 3)
    assert icdar.prf(1, 2, 3) == {"precision": 0.5, "recall": 0.3333, "f1": 0.4}
    assert icdar.prf(0, 0, 3)["f1"] == 0.0


def test_iou():
    assert icdar.iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert icdar.iou((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0
    assert icdar.iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(1 / 3)
    assert icdar.iou((0, 0, 0, 0), (0, 0, 0, 0)) == 0.0


def test_flip_from_pdf_coordinates():
    # PDF: origin bottom-left, y up; pdfplumber: origin top-left, y down
    assert icdar.flip_bbox(10, 700, 110, 750, 800) == (10, 50, 110, 100)
    assert icdar.flip_bbox(110, 750, 10, 700, 800) == (10, 50, 110, 100)  # corners in either order


def test_match_is_one_to_one_and_per_page():
    golds = [(1, (0, 0, 100, 100)), (2, (0, 0, 100, 100))]
    preds = [(1, (0, 0, 100, 90)), (1, (0, 0, 100, 80)), (3, (0, 0, 100, 100)), (2, (0, 0, 40, 100))]
    # pred 0 (IoU 0.9) takes gold 0, so pred 1 (IoU 0.8) stays unmatched; pred 2 is on a page without a table;
    # pred 3 overlaps gold 1 with IoU 0.4 < 0.5
    assert [(i, j) for i, j, _ in icdar.match(preds, golds)] == [(0, 0)]


def test_ground_truth_parsing_merges_side_by_side_parts(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"not a pdf")
    (tmp_path / "x-reg.xml").write_text(
        "<document><table id='1'><region id='1' page='2'><bounding-box x1='10' y1='20' x2='30' y2='40'/>"
        "</region></table></document>")
    (tmp_path / "x-str.xml").write_text(
        "<document><table id='1'>"
        "<region id='1' page='2' col-increment='0' row-increment='0'>"
        "<cell id='1' start-row='0' start-col='0'><content>a</content></cell></region>"
        "<region id='2' page='2' col-increment='1' row-increment='0'>"
        "<cell id='1' start-row='0' start-col='0' end-row='0' end-col='0'><content>b</content></cell></region>"
        "</table></document>")
    gold = icdar.read_ground_truth(tmp_path / "x.pdf")
    assert [(g["page"], g["pdf_bbox"]) for g in gold] == [(2, (10.0, 20.0, 30.0, 40.0))]
    assert gold[0]["cells"] == [(0, 0, 0, 0, "a"), (0, 0, 1, 1, "b")]
    assert icdar.relations(gold[0]["cells"]) == Counter({("a", "b", "h"): 1})


def test_a_file_that_fails_is_counted_not_raised(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "bad-reg.xml").write_text(
        "<document><table id='1'><region id='1' page='1'><bounding-box x1='0' y1='0' x2='9' y2='9'/>"
        "</region></table></document>")
    (tmp_path / "bad-str.xml").write_text("<document><table id='1'><region")  # malformed
    (tmp_path / "ok.pdf").write_bytes(b"not a pdf either")
    (tmp_path / "ok-reg.xml").write_text((tmp_path / "bad-reg.xml").read_text())
    (tmp_path / "ok-str.xml").write_text(
        "<document><table id='1'><region id='1' page='1'>"
        "<cell start-row='0' start-col='0'><content>a</content></cell>"
        "<cell start-row='0' start-col='1'><content>b</content></cell></region></table></document>")
    result = icdar.evaluate([tmp_path / "bad.pdf", tmp_path / "ok.pdf"])
    assert {(f["file"], f["system"]) for f in result["failures"]} == {
        ("bad", "ground-truth"), ("ok", "ours"), ("ok", "pdfplumber")}
    for s in icdar.SYSTEMS:  # the unreadable PDF still counts its region and relation as missed
        counts = result["summary"][s]["counts"]
        assert (counts["gold_regions"], counts["rel_gold_all"], counts["matched"]) == (1, 1, 0)


# --------------------------------------------------------------------------- the ingest on real files

@pytest.fixture(scope="module")
def subset_result():
    files = [f for f in icdar.dataset_files(DATA) if f.stem in SUBSET]
    assert sorted(f.stem for f in files) == sorted(SUBSET)
    return icdar.evaluate(files)


@needs_data
def test_subset_reads_without_failures(subset_result):
    assert subset_result["failures"] == []
    assert subset_result["summary"]["ours"]["counts"]["gold_regions"] == 26


@needs_data
@pytest.mark.parametrize("part, metric", [(p, m) for p, ms in FLOORS.items() for m in ms])
def test_subset_scores_stay_above_the_floors(subset_result, part, metric):
    got = subset_result["summary"]["ours"][part][metric]
    assert got >= FLOORS[part][metric], f"ours {part} {metric} {got} < floor {FLOORS[part][metric]}"


@needs_data
def test_ours_stays_within_reach_of_plain_pdfplumber(subset_result):
    ours, base = subset_result["summary"]["ours"], subset_result["summary"]["pdfplumber"]
    assert ours["detection"]["recall"] >= base["detection"]["recall"] - 0.05
    assert ours["structure"]["f1"] >= base["structure"]["f1"] - 0.05
