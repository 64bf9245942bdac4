"""Owners: splitting holders, role/initials, glossary expansion and glossary tables."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields.owners import expand_owner, glossary_from_rows, is_glossary_header, parse_holder, split_owners
from extractor.rules import PACKAGE_RULES, RulesError
from extractor.settings import reload as reload_rules


@pytest.mark.parametrize("raw, expected", [
    ("AO/CFO", ["AO", "CFO"]),
    ("AO/ DIP (CPR)", ["AO", "DIP (CPR)"]),
    ("Director of Finance / CSU", ["Director of Finance", "CSU"]),
    ("DoN (JS)", ["DoN (JS)"]),
    ("AO & DSP", ["AO", "DSP"]),
    ("AO, DSP and CFO", ["AO", "DSP", "CFO"]),
    ("AO; CFO", ["AO", "CFO"]),
    ("AO\nCFO", ["AO", "CFO"]),
    ("• AO\n• CFO", ["AO", "CFO"]),
    ("Head of HR and OD", ["Head of HR and OD"]),
    ("Director of Finance & Performance", ["Director of Finance & Performance"]),
    ("Medical Director and Director of Nursing", ["Medical Director", "Director of Nursing"]),
    ("DoN (JS) and DoF (AB)", ["DoN (JS)", "DoF (AB)"]),
    ("John Smith and Jane Doe", ["John Smith and Jane Doe"]),
    ("DIP (CPR/JS)", ["DIP (CPR/JS)"]),
    ("  AO  ,,  CFO  ", ["AO", "CFO"]),
    ("R&D lead", ["R&D lead"]),
    ("", []),
    ("-", []),
])
def test_split_owners(raw: str, expected: list[str]) -> None:
    assert split_owners(raw) == expected


@pytest.mark.parametrize("holder, expected", [
    ("DoN (JS)", ("DoN", "JS")),
    ("AO", ("AO", "")),
    ("Director of Finance", ("Director of Finance", "")),
    ("DIP (CPR)", ("DIP", "CPR")),
    ("CEO (J.S.)", ("CEO", "J.S.")),
    ("Director (Interim)", ("Director (Interim)", "")),
    ("  DoF  ( AB ) ", ("DoF", "AB")),
    ("", ("", "")),
])
def test_parse_holder(holder: str, expected: tuple[str, str]) -> None:
    assert parse_holder(holder) == expected


GLOSSARY = {"AO": "Accountable Officer", "DoN": "Director of Nursing", "CFO": "Chief Finance Officer",
            "D.I.P.": "Director of Integration and Partnerships"}


@pytest.mark.parametrize("raw, expected", [
    ("AO/CFO", "Accountable Officer / Chief Finance Officer"),
    ("DON (JS)", "Director of Nursing (JS)"),
    ("don", "Director of Nursing"),
    ("AO & XYZ", "Accountable Officer / XYZ"),
    ("DIP (CPR)", "Director of Integration and Partnerships (CPR)"),
    ("Head of HR and OD", "Head of HR and OD"),
    ("", ""),
])
def test_expand_owner(raw: str, expected: str) -> None:
    assert expand_owner(raw, GLOSSARY) == expected


def test_expand_owner_without_glossary_keeps_holders() -> None:
    assert expand_owner("AO/ CFO", {}) == "AO / CFO"


@pytest.mark.parametrize("cells, expected", [
    (["Abbreviation", "Title", "Person"], True),
    (["Abbreviation", "Title"], True),
    (["Initials", "Role"], True),
    (["Acronym", "Job title", "Name"], True),
    (["Abbreviation:", "Full title"], True),
    (["Ref code", "Action title", "Lead", "Due"], False),
    (["Ref", "Action", "Lead", "Due date", "Status"], False),
    (["Title", "Person"], False),
    ([], False),
])
def test_is_glossary_header(cells: list[str], expected: bool) -> None:
    assert is_glossary_header(cells) is expected


def test_glossary_from_rows() -> None:
    rows = [["Abbreviation", "Title", "Person"], ["AO", "Accountable Officer", "Jane Smith"],
            ["CFO", "Chief Finance Officer", "Bob Jones"], ["", "", ""], ["DoN", "  Director of\nNursing ", ""]]
    assert glossary_from_rows(rows) == {"AO": "Accountable Officer", "CFO": "Chief Finance Officer",
                                        "DoN": "Director of Nursing"}
    assert glossary_from_rows([["Person", "Title", "Abbreviation"], ["Jane", "Accountable Officer", "AO"]]) == {
        "AO": "Accountable Officer"}
    assert glossary_from_rows([["AO", "Accountable Officer"]]) == {"AO": "Accountable Officer"}
    assert glossary_from_rows([]) == {}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_owner_functions_never_raise(raw: str) -> None:
    holders = split_owners(raw)
    assert all(h and h == h.strip() for h in holders)
    for h in holders:
        role, initials = parse_holder(h)
        assert isinstance(role, str) and isinstance(initials, str)
    assert isinstance(expand_owner(raw, GLOSSARY), str)


def test_broken_owners_rules_name_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PACKAGE_RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "owners.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("max_code_length: 6", "max_code_length: [6]"),
                    encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_RULES_DIR", str(tmp_path / "rules"))
    reload_rules()
    try:
        with pytest.raises(RulesError, match=r"owners\.yaml.*max_code_length"):
            split_owners("AO and CFO")
    finally:
        monkeypatch.delenv("EXTRACTOR_RULES_DIR")
        reload_rules()
    assert split_owners("AO and CFO") == ["AO", "CFO"]


# --------------------------------------------------------------------------- several owners, resolved

from extractor.fields.owners import resolve_owners  # noqa: E402


@pytest.mark.parametrize("raw, expected", [
    ("Director of Finance and Chief Nurse", ["Director of Finance", "Chief Nurse"]),
    ("KK/HS", ["KK", "HS"]),
    ("COO / CFO", ["COO", "CFO"]),
    ("Director of Estates and Head of Procurement", ["Director of Estates", "Head of Procurement"]),
    ("Head of HR and OD", ["Head of HR and OD"]),  # a title and a bare code: one holder
    ("Director of Finance & Performance", ["Director of Finance & Performance"]),
])
def test_one_rule_for_several_owners(raw, expected):
    assert split_owners(raw) == expected


def test_owners_resolved_through_the_glossary_kept_as_printed_otherwise():
    glossary = {"KK": "Karen Kelly", "DoF": "Director of Finance"}
    assert resolve_owners("KK/HS", glossary) == ["Karen Kelly", "HS"]
    assert resolve_owners("DoF (JS) and COO", glossary) == ["Director of Finance (JS)", "COO"]
    assert resolve_owners("KK/HS", {}) == ["KK", "HS"]
