"""The dev part's real series as a batch would see them with perfect extraction (records built from the gold:
title, organisation, dates, actions): the families found and their order, and the action_history threads
against the gold pairs chained version to version."""
from __future__ import annotations

import csv
from pathlib import Path, PurePath

import pytest

from extractor.model import DocumentResult
from extractor.output.diffs import write_families
from extractor.versions.families import find_families
from tests.gold_pairs import actions_from_gold, dev_pairs, dev_stems, load_gold, load_pair

TB = ["uk-transparency-board-action-log-2011-01", "uk-transparency-board-action-log-2011-05",
      "uk-transparency-board-action-log-2011-06", "uk-transparency-board-action-log-2011-07",
      "uk-transparency-board-action-log-2011-10", "uk-transparency-board-action-log-2012-01"]
ODUG = ["odug-action-log-2013-03", "odug-action-log-2013-04", "odug-action-log-2013-05", "odug-action-log-2013-07"]
LPDP = ["lpdp-actions-report-2012-03", "lpdp-actions-report-2012-05", "lpdp-actions-report-2012-07"]
US_OGP = ["us-ogp-nap2-self-assessment-midterm-2015", "us-ogp-nap2-self-assessment-final-2016"]


def _result(stem: str) -> DocumentResult:
    g = load_gold(stem)
    name = g["files"][0]
    return DocumentResult(doc_id=stem, path=f"/realworld/{name}", sha256=f"sha-{stem}",
                          format=PurePath(name).suffix.lstrip("."), title=g["title"], organisation=g["organisation"],
                          version=g["version"], doc_date=g["doc_date"], status="ok", actions=actions_from_gold(g))


@pytest.fixture(scope="module")
def results() -> list[DocumentResult]:
    return [_result(s) for s in sorted(dev_stems())]


@pytest.fixture(scope="module")
def written(results, tmp_path_factory) -> tuple[list, Path]:
    out = tmp_path_factory.mktemp("series")
    return write_families(results, out), out


def test_the_series_are_found_in_order_and_nothing_else(results):
    fams = find_families(results)
    got = sorted([[v[0].doc_id for v in f.versions] for f in fams])
    assert got == sorted([TB, ODUG, LPDP, US_OGP]), got
    for f in fams:
        for doc_id in (d.doc_id for d in f.members[1:]):
            assert f.links[doc_id].same and f.links[doc_id].evidence


def _gold_threads(stems: list[str]) -> set[tuple[int, int, int]]:
    """(position, old gold index, new gold index) of every gold match along the series."""
    pairs = {p.stem: p for p in dev_pairs()}
    out = set()
    for k, (a, b) in enumerate(zip(stems, stems[1:])):
        gp = load_pair(pairs[f"{a}__{b}"])
        out |= {(k, i, j) for i, j in gp.matched}
    return out


@pytest.mark.parametrize("stems", [TB, ODUG], ids=["transparency-board", "odug"])
def test_action_history_follows_the_gold_links(written, stems):
    fams, out = written
    fam = next(f for f in fams if f.versions[0][0].doc_id == stems[0])
    with open(out / "action_history.csv", newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["family_id"] == fam.family_id]
    n_threads = len({r["thread_id"] for r in rows})
    assert len(rows) == n_threads * len(stems)  # one row per action per version
    index = {a.action_id: (k, a.row_index) for k, s in enumerate(stems) for a in fam.series[k].actions}
    by_thread: dict[str, list[dict]] = {}
    for r in rows:
        by_thread.setdefault(r["thread_id"], []).append(r)
    links = set()
    for trs in by_thread.values():
        trs.sort(key=lambda r: int(r["position"]))
        present = [r for r in trs if r["action_id"]]
        assert present and present[0]["doc_id"] == present[0]["first_seen"]
        assert present[-1]["doc_id"] == present[-1]["last_seen"]
        for r in trs:
            assert (r["presence"] == "absent") == (r["action_id"] == "")
        for x, y in zip(present, present[1:]):
            (kx, ix), (ky, iy) = index[x["action_id"]], index[y["action_id"]]
            assert ky == kx + 1, "a thread never skips a version"
            links.add((kx, ix, iy))
    gold = _gold_threads(stems)
    agree = len(links & gold) / max(len(links | gold), 1)
    assert agree >= 0.95, (sorted(gold - links), sorted(links - gold))


def test_status_path_and_slip_of_a_tracked_action(written):
    fams, out = written
    with open(out / "action_history.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # the Met Office programme action of the Transparency Board log: open in October, completed in January
    met = [r for r in rows if r["text"].startswith("Met Office to outline their programme")]
    assert met and len({r["thread_id"] for r in met}) == 1
    thread = [r for r in rows if r["thread_id"] == met[0]["thread_id"]]
    assert thread[-1]["status"] == "completed" and thread[-1]["status_path"].endswith("\u2192 completed")
    assert {r["status_path"] for r in thread} == {thread[-1]["status_path"]}
    slips = [int(r["slip_days"]) for r in rows if r["slip_days"]]
    assert any(s > 0 for s in slips)  # deadlines moved later somewhere in the logs
