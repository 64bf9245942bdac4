"""The settings object: rules read and validated once per settings, overrides per call and per run."""
from __future__ import annotations

import pickle
import shutil

import pytest

from extractor import rules
from extractor.model import Block, Cell, DocumentResult, LayoutDocument, Page, Row, Table
from extractor.pipeline import extract_layout
from extractor.settings import Settings, current, use


def _plan(header: tuple[str, ...]) -> LayoutDocument:
    def row(texts, is_header=False):
        return Row(cells=[Cell(text=t, col=i, paragraphs=[t]) for i, t in enumerate(texts)], page=1,
                   is_header=is_header)

    table = Table(rows=[row(header, True), row(("1.1", "Refresh the commissioning strategy", "whoever chairs it"))],
                  n_cols=3, page_first=1, page_last=1)
    return LayoutDocument(path="p.docx", format="docx", pages=[Page(1)],
                          items=[Block(kind="heading", text="Plan", page=1, level=1), table])


@pytest.fixture
def own_rules(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(rules.packaged_rules_dir(), folder)
    return folder


def test_a_rules_folder_of_ones_own_changes_the_vocabulary_for_that_call_only(own_rules):
    import yaml

    data = yaml.safe_load((own_rules / "headers.yaml").read_text(encoding="utf-8"))
    assert "zyxwarden" not in data["fields"]["owner"]
    data["fields"]["owner"].append("zyxwarden")
    (own_rules / "headers.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    mine = Settings.load(rules_dir=own_rules)
    header = ("Ref", "Action", "Zyxwarden")
    with use(mine):
        res = DocumentResult(doc_id="d", path="p.docx")
        extract_layout(res, _plan(header))
    assert [a.owner for a in res.actions] == ["whoever chairs it"]
    res = DocumentResult(doc_id="d", path="p.docx")
    extract_layout(res, _plan(header))  # the default settings do not know the wording
    assert [a.owner for a in res.actions] != ["whoever chairs it"]
    assert current() is not mine


def test_a_wrong_rules_file_fails_at_load_naming_file_and_key(own_rules):
    path = own_rules / "progress.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("negation_window:", "negation_window: many\nx_:", 1),
                    encoding="utf-8")
    with pytest.raises(rules.RulesError, match=r"rules/progress.yaml"):
        Settings.load(rules_dir=own_rules)
    with pytest.raises(rules.RulesError, match="no such rules folder"):
        Settings.load(rules_dir=own_rules / "missing")


def test_tuning_overrides_are_checked():
    s = Settings.load(tables={"column_tolerance": 9.5}, versions={"threshold": 80})
    assert s.tables.column_tolerance == 9.5 and s.versions.threshold == 80
    assert s.tables.group_span == Settings().tables.group_span
    with pytest.raises(TypeError, match="unknown setting tables.colum_tolerance"):
        Settings.load(tables={"colum_tolerance": 1})
    with pytest.raises(TypeError, match="unknown settings group"):
        Settings.load(table={"column_tolerance": 1})
    with pytest.raises(TypeError, match="expected a number"):
        Settings.load(pdf={"word_gap_em": "wide"})


def test_settings_travel_to_workers_without_their_caches():
    s = Settings.load()
    assert s._cache  # validated and compiled
    copy = pickle.loads(pickle.dumps(s))
    assert copy == s and copy._cache == {}
    assert copy.fingerprint() == s.fingerprint()


def test_compiled_once_per_settings():
    calls = []

    def builder(settings):
        calls.append(settings)
        return object()

    s = Settings()
    assert s.compiled(builder) is s.compiled(builder)
    assert len(calls) == 1
    assert Settings().compiled(builder) is not s.compiled(builder)
