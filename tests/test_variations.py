"""Variation stress (tests/synth/variations.py, bench/variations.py): a few seeds per family, PDF and DOCX, each
document drawn a different way (key and column wordings, order, optional keys, cell lengths, rules, fills,
fonts, title rows, completion sub-grids, merged cells). Asserts floors on the actions found and on the fields
each family is about, pooled over the seeds, so that a change that breaks one way of writing a layout fails.
The floors sit a little under what the pipeline reaches today (bench/variations.py prints the figures)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pytest.importorskip("docx")

from extractor.pipeline import process_file  # noqa: E402
from tests.scoring import f1, field_equal, match  # noqa: E402
from tests.synth.variations import BY_ID, make_variation, write_variation  # noqa: E402

SEEDS = range(4)  # seeds 1-3 draw key-value tables with horizontal rules only and a commitment cut by a page
# family -> (format -> action F1 floor, field -> accuracy floor over the matched actions)
FLOORS: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "var-kv": ({"pdf": 0.95, "docx": 0.95},
               {"ref": 0.95, "owner": 0.95, "due_raw": 0.95, "status": 0.9, "goal": 0.95}),
    "var-hrules": ({"pdf": 0.95, "docx": 0.95}, {"ref": 0.95, "owner": 0.95, "due_raw": 0.95, "status": 0.95}),
    "var-actionlog": ({"pdf": 0.95, "docx": 0.95},
                      {"ref": 0.95, "owner": 0.95, "due_raw": 0.95, "status": 0.95, "section": 0.95}),
}


def test_variations_are_deterministic_and_vary() -> None:
    for fid in BY_ID:
        a, b, c = make_variation(BY_ID[fid], 0), make_variation(BY_ID[fid], 0), make_variation(BY_ID[fid], 1)
        assert a.gold() == b.gold()
        assert a.gold()["actions"] != c.gold()["actions"]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("family", sorted(FLOORS))
def test_variation_floor(tmp_path: Path, family: str, fmt: str) -> None:
    action_floor, field_floors = FLOORS[family]
    tp = n_pred = n_gold = 0
    right = {f: 0 for f in field_floors}
    seen = 0
    for seed in SEEDS:
        doc = make_variation(BY_ID[family], seed)
        path = write_variation(doc, tmp_path, fmt)
        result = process_file(str(path))
        assert result.status == "ok", result.error
        golds = doc.gold()["actions"]
        pairs = match([g["text"] for g in golds], [a.text for a in result.actions])
        tp, n_pred, n_gold = tp + len(pairs), n_pred + len(result.actions), n_gold + len(golds)
        seen += len(pairs)
        for f in field_floors:
            right[f] += sum(field_equal(f, golds[i], result.actions[j]) for i, j in pairs)
    score = f1(tp, n_pred, n_gold)
    assert score >= action_floor[fmt], f"{family}.{fmt}: action F1 {score:.3f} ({tp} of {n_gold}, {n_pred} found)"
    for f, floor in field_floors.items():
        assert right[f] / seen >= floor, f"{family}.{fmt}: {f} {right[f] / seen:.3f}"
