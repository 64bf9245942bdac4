"""Refs: splitting a leading ref off action text, cleaning/canonicalising it, parents, NEW markers."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields.refs import clean_ref, normalise_ref, parent_ref, split_leading_ref, strip_new_marker
from extractor.rules import PACKAGE_RULES, RulesError
from extractor.settings import reload as reload_rules


@pytest.mark.parametrize("text, expected", [
    ("6.26 Appoint a lead", ("6.26", "Appoint a lead")),
    ("4.3 - Review the policy", ("4.3", "Review the policy")),
    ("4.3 – Review the policy", ("4.3", "Review the policy")),
    ("L7. Do x", ("L7", "Do x")),
    ("CF1 Do", ("CF1", "Do")),
    ("13) Develop a plan", ("13)", "Develop a plan")),
    ("1.3.1 x", ("1.3.1", "x")),
    ("6.26. Appoint", ("6.26", "Appoint")),
    ("SR2.1: Deliver training", ("SR2.1", "Deliver training")),
    ("13A Develop", ("13A", "Develop")),
    ("4.3a Agree scope", ("4.3a", "Agree scope")),
    ("(a) Do the thing", ("(a)", "Do the thing")),
    ("a) Do the thing", ("a)", "Do the thing")),
    ("iv. Do the thing", ("iv", "Do the thing")),
    ("13 Develop", ("13", "Develop")),
    ("  2.1\tAgree", ("2.1", "Agree")),
    ("1.Develop", ("1", "Develop")),
    ("CF-2 Deliver", ("CF-2", "Deliver")),
    ("7: Recruit staff", ("7", "Recruit staff")),
    ("3.2 (NEW) Appoint", ("3.2", "(NEW) Appoint")),
])
def test_split_leading_ref(text: str, expected: tuple[str, str]) -> None:
    assert split_leading_ref(text) == expected


@pytest.mark.parametrize("text", [
    "Review the NHS 5 year plan",
    "2018/19 plan agreed",
    "100% of staff trained",
    "A review of governance",
    "5 Year Forward View delivery",
    "3 staff recruited",
    "2.5 WTE posts recruited",
    "Q3 review of the plan",
    "i.e. this is not a ref",
    "COVID19 recovery plan",
    "",
    "12",
    "2019 Review",
])
def test_split_leading_ref_leaves_ordinary_text(text: str) -> None:
    assert split_leading_ref(text) == ("", text)


@pytest.mark.parametrize("raw, expected", [
    ("6.26.", "6.26"), ("L7:", "L7"), ("13)", "13)"), ("(a)", "(a)"), (" 4.3 - ", "4.3"), ("", ""),
    ("1.1 0", "1.10"), ("3. 11", "3.11"),  # a line break a narrow column forced inside the number
    ("CF 1", "CF 1"), ("1.2 a)", "1.2 a)"),  # other spaces stay as printed
])
def test_clean_ref(raw: str, expected: str) -> None:
    assert clean_ref(raw) == expected


@pytest.mark.parametrize("ref, expected", [
    ("l7", "L7"), ("6.26.", "6.26"), ("13)", "13"), ("(a)", "A"), ("1.3.1", "1.3.1"), ("06.02", "6.2"),
    ("6.20", "6.20"), (" 13 a ", "13A"), ("cf1", "CF1"), ("L07", "L7"), ("(iv)", "IV"), ("", ""), ("0", "0"),
])
def test_normalise_ref(ref: str, expected: str) -> None:
    assert normalise_ref(ref) == expected


@pytest.mark.parametrize("ref, expected", [
    ("2.4.1", "2.4"), ("6.2", "6"), ("L7", ""), ("CF1", ""), ("13", ""), ("13A", "13"), ("13.a", "13"),
    ("13.A", "13"), ("CF1.2", "CF1"), ("L7A", "L7"), ("", ""), ("(a)", ""),
])
def test_parent_ref(ref: str, expected: str) -> None:
    assert parent_ref(ref) == expected


@pytest.mark.parametrize("text, expected", [
    ("Appoint lead (NEW)", ("Appoint lead", True)),
    ("(New) Appoint lead", ("Appoint lead", True)),
    ("Appoint (new) lead", ("Appoint lead", True)),
    ("[NEW] Appoint lead", ("Appoint lead", True)),
    ("Appoint lead (NEW – replaces 4.2)", ("Appoint lead", True)),
    ("Appoint lead (new - replaces action 4.2)", ("Appoint lead", True)),
    ("NEW: Appoint lead", ("Appoint lead", True)),
    ("New - Appoint lead", ("Appoint lead", True)),
    ("Appoint lead (New action)", ("Appoint lead", True)),
    ("Appoint lead [New item]", ("Appoint lead", True)),
    ("NEW Appoint lead", ("Appoint lead", True)),
    ("Appoint lead NEW", ("Appoint lead", True)),
    ("Appoint lead (Added May 2019)", ("Appoint lead", True)),
    ("Appoint lead (New in 2019)", ("Appoint lead", True)),
    ("Extend the plan to include all staff (NEW) .", ("Extend the plan to include all staff.", True)),
    ("Recruit (new staff) to posts", ("Recruit (new staff) to posts", False)),
    ("New ways of working embedded", ("New ways of working embedded", False)),
    ("Newcastle   plan", ("Newcastle plan", False)),
    ("Renew the contract", ("Renew the contract", False)),
    ("New-build scheme agreed", ("New-build scheme agreed", False)),
    ("", ("", False)),
])
def test_strip_new_marker(text: str, expected: tuple[str, bool]) -> None:
    assert strip_new_marker(text) == expected


# --------------------------------------------------------------------------- properties

_number_ref = st.lists(st.integers(1, 99), min_size=1, max_size=4).map(lambda xs: ".".join(map(str, xs)))
_letter_ref = st.builds("{}{}".format, st.sampled_from(["L", "CF", "SR", "PR", "W"]), st.integers(1, 40))
_action = st.sampled_from(["Appoint a lead", "Review the policy", "Develop plan", "Agree the scope",
                           "Deliver training"])


@settings(max_examples=200, deadline=None)
@given(st.one_of(_number_ref, _letter_ref), st.sampled_from([" ", "  ", " - ", ". ", ": ", " – "]), _action)
def test_split_recovers_generated_refs(ref: str, sep: str, action: str) -> None:
    assert split_leading_ref(f"{ref}{sep}{action}") == (ref, action)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_split_never_raises_and_keeps_text(text: str) -> None:
    ref, rest = split_leading_ref(text)
    if ref:
        assert rest and rest in text and text.lstrip().startswith(ref)
    else:
        assert rest == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.()-:; aAbLcCF")), max_size=15))
def test_normalise_ref_is_idempotent_and_parent_is_a_prefix(ref: str) -> None:
    norm = normalise_ref(ref)
    assert normalise_ref(norm) == norm
    assert not re.search(r"\s", norm) and norm == norm.upper()
    parent = parent_ref(norm)
    assert parent == "" or (norm.startswith(parent) and len(parent) < len(norm))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_strip_new_marker_never_raises(text: str) -> None:
    out, _ = strip_new_marker(text)
    assert out == out.strip() and "  " not in out


# --------------------------------------------------------------------------- rules file errors

def test_broken_refs_rules_name_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PACKAGE_RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "refs.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ref_patterns:", "ref_patterns_typo:"), encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_RULES_DIR", str(tmp_path / "rules"))
    reload_rules()
    try:
        with pytest.raises(RulesError, match=r"refs\.yaml.*ref_patterns"):
            split_leading_ref("6.26 Appoint")
    finally:
        monkeypatch.delenv("EXTRACTOR_RULES_DIR")
        reload_rules()
    assert split_leading_ref("6.26 Appoint") == ("6.26", "Appoint")
