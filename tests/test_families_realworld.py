"""Version families found in the dev part's real series end to end (files read by the pipeline, not the gold):
the Transparency Board log in six versions (four PDFs, two Word 97 .doc) and the ODUG log in four (two .odt, two
PDFs). Covers print no organisation the reader can use and titles that name other papers, and most items of a
meeting log turn over between versions: the file names, backed by the actions carried over, hold each series.
Only `dev` documents of tests/realworld_gold/split.json are read."""
from __future__ import annotations

import json
import shutil

import pytest

from extractor import extract
from extractor.versions.families import find_families
from tests.paths import REALWORLD, ROOT, absent

SPLIT = json.loads((ROOT / "tests" / "realworld_gold" / "split.json").read_text(encoding="utf-8"))
FOLDERS = [REALWORLD / "action-plans" / "docs", REALWORLD / "action-plans-legacy" / "docs"]
SERIES = {
    "transparency-board": ["uk-transparency-board-action-log-2011-01", "uk-transparency-board-action-log-2011-05",
                           "uk-transparency-board-action-log-2011-06", "uk-transparency-board-action-log-2011-07",
                           "uk-transparency-board-action-log-2011-10", "uk-transparency-board-action-log-2012-01"],
    "odug": ["odug-action-log-2013-03", "odug-action-log-2013-04", "odug-action-log-2013-05",
             "odug-action-log-2013-07"],
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not all(f.is_dir() for f in FOLDERS), reason=absent(REALWORLD)),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: .doc/.odt"),
]


def _files(stems: list[str]) -> list[str]:
    out = []
    for stem in stems:
        assert stem in SPLIT["dev"]
        found = sorted(p for f in FOLDERS for p in f.glob(f"{stem}.*"))
        assert found, stem
        out.append(str(found[0]))
    return out


@pytest.fixture(scope="module")
def families():
    paths = _files([s for stems in SERIES.values() for s in stems])
    return find_families(extract(paths, workers=2).results)


@pytest.mark.parametrize("name", sorted(SERIES))
def test_every_version_of_the_series_is_in_its_family_in_order(families, name):
    stems = SERIES[name]
    fam = next((f for f in families if any(d.doc_id.startswith(stems[0]) for d in f.members)), None)
    assert fam is not None, [f.family_id for f in families]
    got = [v[0].doc_id.rsplit("-", 1)[0] for v in fam.versions]
    assert got == stems, fam.links
    assert all(fam.links[d.doc_id].same and fam.links[d.doc_id].evidence for d in fam.members)


def test_the_two_series_stay_apart(families):
    assert len(families) == 2
