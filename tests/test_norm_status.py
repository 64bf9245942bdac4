"""Status words, RAG from text and fill, RAG keys, and the status decision."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.fields.status import (
    RAGS,
    STATUSES,
    decide_status,
    rag_from_fill,
    rag_from_text,
    rag_key_from_rows,
    rag_key_from_text,
    status_from_rag,
    status_from_text,
)
from extractor.rules import PACKAGE_RULES, RulesError
from extractor.settings import reload as reload_rules

# --------------------------------------------------------------------------- status words

@pytest.mark.parametrize("text, expected", [
    # completed
    ("Complete", "completed"), ("Completed", "completed"), ("COMPLETE", "completed"), ("Achieved", "completed"),
    ("Closed", "completed"), ("Done", "completed"), ("Delivered", "completed"), ("Finished", "completed"),
    ("Completed and ongoing", "completed"), ("Complete - ongoing", "completed"), ("Complete/ongoing", "completed"),
    ("Action complete; monitoring ongoing", "completed"), ("Fully implemented", "completed"),
    ("Policy signed off at Board in May", "completed"),
    # in progress
    ("In progress", "in_progress"), ("In-progress", "in_progress"), ("Underway", "in_progress"),
    ("On track", "in_progress"), ("Ongoing", "in_progress"), ("On-going", "in_progress"),
    ("Started", "in_progress"), ("Progressing", "in_progress"), ("Commenced", "in_progress"),
    ("Work progressing as planned", "in_progress"), ("Partially complete", "in_progress"),
    ("On track to complete by March", "in_progress"),
    # delayed
    ("Delayed", "delayed"), ("Slipped", "delayed"), ("Postponed", "delayed"), ("Deferred", "delayed"),
    ("Paused", "delayed"), ("On hold", "delayed"), ("Behind schedule", "delayed"), ("At risk", "in_progress"),
    ("Not on track", "delayed"), ("Overdue", "delayed"), ("Off track", "delayed"),
    # not started
    ("Planned", "not_started"), ("Not started", "not_started"), ("No progress", "not_started"),
    ("Not yet able to begin", "not_started"), ("Not yet started", "not_started"), ("Yet to start", "not_started"),
    ("Scheduled", "not_started"), ("Not yet commenced", "not_started"),
])
def test_status_words(text: str, expected: str) -> None:
    assert status_from_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Paused during the pandemic; resumed and finished in May 2021", "completed"),
    ("Delayed due to staff sickness, now complete", "completed"),
    ("Completed phase 1; phase 2 delayed", "delayed"),
    ("Started in June, completed in September", "completed"),
    ("Was on track but has slipped because of winter pressures", "delayed"),
    ("Initially delayed; work has now commenced", "in_progress"),
    ("Not delayed but complete", "completed"),
])
def test_the_final_state_of_a_story_wins(text: str, expected: str) -> None:
    assert status_from_text(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Not complete", "in_progress"),
    ("not yet completed", "in_progress"),
    ("Incomplete", "in_progress"),
    ("Has not yet been fully completed", "in_progress"),
    ("Training has not been delivered yet", "in_progress"),
    ("Yet to be completed", "in_progress"),
    ("No delays anticipated", "in_progress"),
    ("Not delayed", "in_progress"),
    ("Hasn't started", "not_started"),
    ("Work isn’t underway", "not_started"),
])
def test_negation(text: str, expected: str) -> None:
    assert status_from_text(text) == expected


@pytest.mark.parametrize("text", [
    "", "N/A", "See narrative", "The team met to discuss options", "Due to complete in March",
    "To be completed by Q3",
])
def test_no_status(text: str) -> None:
    assert status_from_text(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=100))
def test_status_from_text_never_raises(text: str) -> None:
    assert status_from_text(text) in (None, *STATUSES)


_story = st.lists(st.sampled_from([
    "complete", "not", "yet", "delayed", "ongoing", "on track", "paused", "now", "but", "due to", "finished",
    "not started", "and", ";", ",", "planned", "will", "be", "incomplete", "no", "progress", "staff",
]), max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_story)
def test_status_from_status_word_soup_is_valid(text: str) -> None:
    assert status_from_text(text) in (None, *STATUSES)


# --------------------------------------------------------------------------- RAG from text

@pytest.mark.parametrize("text, expected", [
    ("R", "red"), ("A", "amber"), ("G", "green"), ("B", "blue"), ("g", "green"), (" A ", "amber"),
    ("Red", "red"), ("Amber", "amber"), ("Green", "green"), ("Blue", "blue"), ("red", "red"), ("GREEN", "green"),
    ("AMBER/GREEN", "amber"), ("Amber/Green", "amber"), ("A/G", "amber"), ("G/A", "green"), ("R/A", "red"),
    ("Complete (Blue)", "blue"), ("Red - not started", "red"), ("(G)", "green"), ("Green (complete)", "green"),
    ("Yellow", "amber"), ("RAG: Amber", "amber"),
    ("Amber – work progressing but behind the original timescale agreed with partners", "amber"),
    ("A - in progress, awaiting confirmation of funding from NHSE", "amber"),
])
def test_rag_from_text(text: str, expected: str) -> None:
    assert rag_from_text(text) == expected


@pytest.mark.parametrize("text", [
    "", "A review of the green plan was agreed by the board last week", "Greener NHS", "The plan is on track",
    "A review", "Complete", "BRAG", "Bluetooth", "N/A",
])
def test_rag_from_text_ignores_prose(text: str) -> None:
    assert rag_from_text(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_rag_from_text_never_raises(text: str) -> None:
    assert rag_from_text(text) in (None, *RAGS)


# --------------------------------------------------------------------------- RAG from fill

@pytest.mark.parametrize("fill, expected", [
    *[(h, "red") for h in ["FF0000", "C00000", "FF3300", "E6B8B7", "FFC7CE", "ff0000", "#FF0000", "CC0000"]],
    *[(h, "amber") for h in ["FFC000", "FFBF00", "FF9900", "FFFF00", "F79646", "FFEB9C", "FFD966"]],
    *[(h, "green") for h in ["00B050", "92D050", "00FF00", "008000", "C6EFCE", "70AD47", "A9D08E"]],
    *[(h, "blue") for h in ["0070C0", "00B0F0", "4F81BD", "0000FF", "5B9BD5", "2E75B6"]],
])
def test_rag_from_fill(fill: str, expected: str) -> None:
    assert rag_from_fill(fill) == expected


@pytest.mark.parametrize("fill", [
    "FFFFFF", "FAFAFA", "F2F2F2", "D9D9D9", "BFBFBF", "808080", "000000", "D9E2F3", "DBE5F1", "DEEAF6",
    "DAEEF3", "E2EFD9", "FFF2CC", "1F3864", "005EB8", "003087", "E8EDEE", "", "auto", "12345", "GGGGGG", None,
])
def test_non_rag_fills(fill: str | None) -> None:
    assert rag_from_fill(fill) is None  # type: ignore[arg-type]


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 0xFFFFFF))
def test_rag_from_fill_total(value: int) -> None:
    hx = f"{value:06X}"
    r, g, b = (int(hx[i:i + 2], 16) for i in (0, 2, 4))
    rag = rag_from_fill(hx)
    assert rag in (None, *RAGS)
    if max(r, g, b) - min(r, g, b) <= 8:  # any grey (white .. black) is never a rating
        assert rag is None


# --------------------------------------------------------------------------- RAG -> status and keys

def test_status_from_rag_defaults_and_key() -> None:
    assert status_from_rag("red") == "not_started"
    assert status_from_rag("amber") == "in_progress"
    assert status_from_rag("green") == "in_progress"
    assert status_from_rag("blue") == "completed"
    assert status_from_rag("R") == "not_started"
    assert status_from_rag("Blue") == "completed"
    assert status_from_rag(None) is None
    assert status_from_rag("purple") is None
    key = {"red": "delayed", "green": "completed"}
    assert status_from_rag("red", key) == "delayed"
    assert status_from_rag("green", key) == "completed"
    assert status_from_rag("blue", key) == "completed"  # not in the key: default


@pytest.mark.parametrize("text, expected", [
    ("Key: Red – not started; Amber – in progress, Green – on track; Blue – complete",
     {"red": "not_started", "amber": "in_progress", "green": "in_progress", "blue": "completed"}),
    ("Red = not started … Amber = delayed … Blue = complete",
     {"red": "not_started", "amber": "delayed", "blue": "completed"}),
    ("R = Not started, A = Behind schedule, G = On track, B = Completed",
     {"red": "not_started", "amber": "delayed", "green": "in_progress", "blue": "completed"}),
    ("Blue means complete. Green means on track. Red means significantly delayed",
     {"blue": "completed", "green": "in_progress", "red": "delayed"}),
    ("RAG rating: Red (not started), Amber (in progress), Green (completed)",
     {"red": "not_started", "amber": "in_progress", "green": "completed"}),
])
def test_rag_key_from_text(text: str, expected: dict) -> None:
    assert rag_key_from_text(text) == expected


@pytest.mark.parametrize("text", [
    "", "Amber - work progressing well", "Green plan agreed", "Red = not started; Red = complete",
])
def test_not_a_rag_key(text: str) -> None:
    assert rag_key_from_text(text) == {}


def test_rag_key_from_rows_layouts() -> None:
    words = [["Red", "Not started"], ["Amber", "In progress"], ["Green", "On track"], ["Blue", "Complete"]]
    assert rag_key_from_rows(words) == {"red": "not_started", "amber": "in_progress", "green": "in_progress",
                                        "blue": "completed"}
    fills = rag_key_from_rows([["", "Not started"], ["", "Delayed"], ["", "Complete"]],
                              [["FF0000", ""], ["FFC000", ""], ["00B050", ""]])
    assert fills == {"red": "not_started", "amber": "delayed", "green": "completed"}
    self_named = rag_key_from_rows([["Not started"], ["Behind schedule"], ["Complete"]],
                                   [["FF0000"], ["FFC000"], ["0070C0"]])
    assert self_named == {"red": "not_started", "amber": "delayed", "blue": "completed"}
    across = rag_key_from_rows([["Red", "Not started", "Amber", "In progress",
                                 "Green", "On track", "Blue", "Complete"]])
    assert across == {"red": "not_started", "amber": "in_progress", "green": "in_progress", "blue": "completed"}
    lettered = rag_key_from_rows([["Key"], ["R", "Red", "Not started"], ["A", "Amber", "Delayed"],
                                  ["G", "Green", "Complete"]])
    assert lettered == {"red": "not_started", "amber": "delayed", "green": "completed"}
    inline = rag_key_from_rows([["Red = not started"], ["Amber = in progress"]])
    assert inline == {"red": "not_started", "amber": "in_progress"}


def test_rag_key_from_rows_rejects_action_tables() -> None:
    conflicting = [["1", "Do x", "AO", "Green", "Work on track"], ["2", "Do y", "AO", "Green", "Complete"]]
    assert rag_key_from_rows(conflicting) == {}
    many = [[str(i), "Do x", "Red" if i % 2 else "Green", "Not started" if i % 2 else "On track"] for i in range(20)]
    assert rag_key_from_rows(many) == {}
    assert rag_key_from_rows([["Red", "Not started"]]) == {}
    assert rag_key_from_rows([]) == {}


# --------------------------------------------------------------------------- decision

@pytest.mark.parametrize("cell, rag, progress, key, expected", [
    ("Complete", "red", "", None, "completed"),  # the status column has authority
    ("", "R", "", None, "not_started"),  # a lone RAG uses the default mapping
    ("", "red", "Work complete", {"red": "delayed"}, "completed"),  # words before colours, even a keyed one
    ("", "red", "", {"red": "delayed"}, "delayed"),  # RAG via the document's key
    ("", "green", "Completed and ongoing", None, "completed"),  # no key: the update text beats the default
    ("", "amber", "In progress – applications received", None, "in_progress"),
    ("", "green", "Meeting held with partners", None, "in_progress"),  # text says nothing: default mapping
    ("", "Blue", "", {"red": "delayed"}, "completed"),  # colour missing from the key: default mapping
    ("", "blue", "", None, "completed"),
    ("G", None, "", None, "in_progress"),  # a status cell holding a RAG letter is a RAG
    ("Amber", None, "", {"amber": "delayed"}, "delayed"),
    ("Red - not started", None, "", None, "not_started"),
    ("", None, "Work delayed by sickness", None, "delayed"),  # then the progress text
    ("See update", None, "Now complete", None, "completed"),
    ("", None, "", None, "unknown"),
    ("", None, "Meeting held with partners", None, "unknown"),
])
def test_decide_status(cell: str, rag, progress: str, key, expected: str) -> None:
    assert decide_status(cell, rag, progress, key) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.one_of(st.none(), st.sampled_from([*RAGS, "R", "x"])), st.text(max_size=60))
def test_decide_status_is_total(cell: str, rag: str | None, progress: str) -> None:
    assert decide_status(cell, rag, progress, None) in STATUSES


# --------------------------------------------------------------------------- rules

def test_broken_status_rules_name_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PACKAGE_RULES, tmp_path / "rules")
    path = tmp_path / "rules" / "status.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    blue: completed", "    blue: finished_ish"),
                    encoding="utf-8")
    monkeypatch.setenv("EXTRACTOR_RULES_DIR", str(tmp_path / "rules"))
    reload_rules()
    try:
        with pytest.raises(RulesError, match=r"status\.yaml.*rag_conventions\.with_blue\.blue"):
            status_from_text("Complete")
    finally:
        monkeypatch.delenv("EXTRACTOR_RULES_DIR")
        reload_rules()
    assert status_from_text("Complete") == "completed"


@pytest.mark.parametrize("text,expected", [
    ("Completed in December 2020 after a short delay; feedback is positive.", "completed"),
    ("Finished despite delays in procurement", "completed"),
    ("In progress. Consultation with the union closed in February 2021.", "in_progress"),
    ("Delayed. Now complete as of May.", "completed"),
    ("Not started: the working group closed its review", "not_started"),
])
def test_opening_labels_background_history_and_updates(text, expected):
    assert status_from_text(text) == expected


def test_rag_key_meaning_takes_its_first_status():
    key = rag_key_from_text("Key: Blue = Complete; Green = On track; Amber = At risk; Red = Not started/Off track")
    assert key == {"blue": "completed", "green": "in_progress", "amber": "in_progress", "red": "not_started"}


# --------------------------------------------------------------------------- theme shades, swatch keys, colour words

def _office_shade(hex6: str, lum_mod: float, lum_off: float) -> str:
    """A theme colour as Office shades it: "Lighter 40%" = lumMod 0.6 + lumOff 0.4, "Darker 25%" = lumMod 0.75."""
    import colorsys

    r, g, b = (int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(h, min(1.0, lum * lum_mod + lum_off), s)
    return "".join(f"{round(x * 255):02X}" for x in (r, g, b))


ACCENTS = {"green": ["70AD47", "9BBB59", "00B050", "92D050"], "red": ["C0504D", "FF0000", "C00000"],
           "amber": ["FFC000", "F79646", "ED7D31", "FFFF00"], "blue": ["4472C4", "5B9BD5", "4F81BD", "0070C0"]}
SHADES = {"base": (1, 0), "lighter 40%": (0.6, 0.4), "darker 25%": (0.75, 0)}


@pytest.mark.parametrize("rag, accent, shade", [(r, a, s) for r, accents in ACCENTS.items() for a in accents
                                                for s in SHADES])
def test_office_theme_shades_read_by_hue_and_lightness(rag, accent, shade):
    assert rag_from_fill(_office_shade(accent, *SHADES[shade])) == rag


@pytest.mark.parametrize("accent", [a for accents in ACCENTS.values() for a in accents
                                    if a not in ("FF0000", "C00000")])
def test_the_palest_theme_tint_is_banding_not_a_rating(accent):
    assert rag_from_fill(_office_shade(accent, 0.2, 0.8)) is None  # "Lighter 80%": header rows and banding


def test_a_key_printed_as_swatches_only():
    from extractor.fields.status import rag_key_from_swatches

    key = rag_key_from_swatches([("FF0000", "Not started"), ("FFC000", "Behind schedule"),
                                 ("A9D18E", "On track"), ("2E75B6", "Complete")])
    assert key == {"red": "not_started", "amber": "delayed", "green": "in_progress", "blue": "completed"}
    assert rag_key_from_swatches([("FFFFFF", "Not started"), ("FF0000", "Delayed")]) == {}


def test_words_carrying_a_colour():
    from extractor.fields.status import decide

    assert rag_from_text("Green – on track") == "green"
    d = decide("Green – on track", None, "")
    assert (d.status, d.source, d.evidence) == ("in_progress", "status_column", "on track")
    amber = decide("", None, "Amber – some risk to delivery")
    assert (amber.status, amber.source) == ("in_progress", "rag_convention")


def test_blue_in_use_means_green_is_on_track():
    from extractor.fields.status import rag_meaning

    assert rag_meaning("green", None, uses_blue=True) == ("in_progress", "rag_convention")
    assert rag_meaning("blue", None) == ("completed", "rag_convention")
    assert rag_meaning("green", {"green": "completed"}, uses_blue=True) == ("completed", "rag_key")


def test_met_and_not_met():
    assert status_from_text("Met") == "completed" and status_from_text("Not Met") == "delayed"
    assert status_from_text("Met – published on 30 September") == "completed"
    assert status_from_text("The group met on Tuesday") is None
