"""reconcile() on the real version series of the dev part (tests/realworld_gold/pairs), isolated from
extraction: the Action records come from the two versions' gold files, so the figures are the versions
stage's own. The Transparency Board log (2011-01 -> 05 -> 06 -> 07 -> 10 -> 2012-01: no refs, meeting dates
repeat, actions move from the open table to "Actions completed") and the ODUG log (2013-03 -> 04 -> 05 -> 07:
identical texts under several headings, a recurring "minutes of the Nth meeting" task, most items turning
over, an owner column that comes and goes).

Run with -s to see the table of figures per pair.
"""
from __future__ import annotations

import pytest

from extractor.versions.reconcile import reconcile
from tests.gold_pairs import ALL_FIELDS, HEADLINE_FIELDS, actions_from_gold, dev_pairs, f1, load_pair, score

# The two series these floors were set on. The LPDP reports moved to the developed part on 2026-11-30 (issue
# 19): between its versions the annotator matched actions by topic where both the issue title and the action
# were reworded, which text matching cannot follow (crosswalk 0.739 on March -> May); bench/realworld.py
# reports it with the others. The US OGP self-assessment pair moved there later the same day (its two reports
# share the 26 commitments; bench/realworld.py scores it).
PAIRS = [p for p in dev_pairs() if not p.stem.startswith(("lpdp-", "us-ogp-"))]
MIN_CROSSWALK_F1 = 0.95
MIN_CHANGES_F1 = 0.90


def _run(path):
    gp = load_pair(path)
    old, new = actions_from_gold(gp.old), actions_from_gold(gp.new)
    return score(gp, reconcile(old, new), old, new)


@pytest.fixture(scope="module")
def scores():
    return [_run(p) for p in PAIRS]


def test_the_dev_series_are_there():
    stems = {p.stem for p in PAIRS}
    assert len(stems) == 8  # 5 Transparency Board pairs, 3 ODUG pairs
    assert not any("home-office" in s for s in stems)  # held out, never read


def test_gold_pairs_resolve_to_distinct_gold_actions():
    for path in PAIRS:
        gp = load_pair(path)
        olds = [i for i, _ in gp.matched] + sorted(gp.removed)
        news = [j for _, j in gp.matched] + sorted(gp.added)
        assert len(olds) == len(set(olds)) == len(gp.old["actions"]), path.stem
        assert len(news) == len(set(news)) == len(gp.new["actions"]), path.stem


def test_crosswalk_and_changes_on_every_dev_pair(scores):
    lines = [f"{'pair':<72} {'xw F1':>6} {'chg F1':>6} {'all F1':>6}"]
    for s in scores:
        head = [sum(getattr(s, k)[f] for f in HEADLINE_FIELDS) for k in ("ch_tp", "ch_pred", "ch_gold")]
        every = [sum(getattr(s, k)[f] for f in ALL_FIELDS) for k in ("ch_tp", "ch_pred", "ch_gold")]
        lines.append(f"{s.pair_id[:72]:<72} {f1(s.xw_tp, s.xw_pred, s.xw_gold):6.3f} {f1(*head):6.3f} "
                     f"{f1(*every):6.3f}")
    xw = [sum(getattr(s, k) for s in scores) for k in ("xw_tp", "xw_pred", "xw_gold")]
    head = [sum(getattr(s, k)[f] for s in scores for f in HEADLINE_FIELDS) for k in ("ch_tp", "ch_pred", "ch_gold")]
    every = [sum(getattr(s, k)[f] for s in scores for f in ALL_FIELDS) for k in ("ch_tp", "ch_pred", "ch_gold")]
    lines.append(f"{'ALL':<72} {f1(*xw):6.3f} {f1(*head):6.3f} {f1(*every):6.3f}")
    report = "\n".join(lines)
    print("\n" + report)
    errors = "\n".join(e for s in scores for e in [f"-- {s.pair_id}"] + s.errors)
    assert f1(*xw) >= MIN_CROSSWALK_F1, report + "\n" + errors
    assert f1(*head) >= MIN_CHANGES_F1, report + "\n" + errors
    assert f1(*every) >= MIN_CHANGES_F1, report + "\n" + errors
    for s in scores:  # no single series carried by the others
        assert f1(s.xw_tp, s.xw_pred, s.xw_gold) >= MIN_CROSSWALK_F1, report + "\n" + "\n".join(s.errors)


@pytest.mark.parametrize("stem", ["odug-action-log-2013-03__odug-action-log-2013-04",
                                  "odug-action-log-2013-04__odug-action-log-2013-05"])
def test_recurring_minutes_are_new_occurrences_not_rewordings(stem):
    """"Circulate minutes ... from eleventh meeting" is done; "... from twelfth meeting" is a new task."""
    path = next(p for p in PAIRS if p.stem == stem)
    gp = load_pair(path)
    old, new = actions_from_gold(gp.old), actions_from_gold(gp.new)
    d = reconcile(old, new)
    for row in d.crosswalk:
        if row.match == "matched" and "meeting" in row.old_text and "minutes" in row.old_text:
            assert row.old_text == row.new_text, (row.old_text, row.new_text)
