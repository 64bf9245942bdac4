"""Document metadata (extractor/metadata.py): title, organisation, version, date from the cover.

Rule families on hand-built layouts first; then every sample against its gold (skipped without ../shared)."""
from __future__ import annotations

import pytest

from extractor.model import Block, LayoutDocument, Page
from extractor.text.metadata import document_metadata, match_label
from tests.layout_builders import row, table
from tests.test_objectives import sample_paths


def B(text: str, size: float = 11.0, kind: str = "paragraph", page: int = 1, style: str = "") -> Block:
    return Block(kind=kind, text=text, page=page, font_size=size, style=style, bold=size > 12)


def body(n: int = 6, page: int = 2) -> list[Block]:
    return [B("The organisation has made good progress this year on many fronts.", page=page) for _ in range(n)]


def meta(lines: list[str] = (), items: list = (), metadata: dict | None = None, fmt: str = "pdf") -> dict:
    layout = LayoutDocument(path=f"x.{fmt}", format=fmt, pages=[Page(1), Page(2), Page(3)],
                            items=list(items) + body(), metadata=metadata or {},
                            first_page_lines=list(lines))
    return document_metadata(layout)


# --------------------------------------------------------------------------- labels

@pytest.mark.parametrize("text, family", [("Version:", "version"), ("Date ratified:", "date"),
                                          ("DATE", "date"), ("Review date:", "not_date"), ("Title", "title"),
                                          ("Date of next review", "not_date")])
def test_label_families(text, family):
    assert match_label(text, whole=True)[0] == family


def test_ratified_by_is_not_a_date_label():
    assert match_label("Ratified by:", whole=True) is None


# --------------------------------------------------------------------------- title

def test_title_joined_from_large_lines_not_org_nor_subtitle():
    items = [B("NHS Castle Point and Rochford CCG and NHS Southend CCG", 10, "heading"),
             B("Organisational Development – Next Steps", 16, "heading"),
             B("Organisational Development Strategy and", 24, "heading"),
             B("Action Plan", 24, "heading"), B("2018-21", 20, "heading"), B("January 2020", 14, "heading")]
    m = meta(items=items)
    assert m["title"] == "Organisational Development Strategy and Action Plan 2018-21"
    assert m["organisation"] == "NHS Castle Point and Rochford CCG and NHS Southend CCG"
    assert m["doc_date"] == "2020-01-31"


def test_meeting_name_above_the_title_is_not_joined():
    items = [B("University of Westbridge", 22, "heading"), Block(kind="heading", text="Senate", page=1, font_size=14),
             B("Education Strategy: Implementation Plan 2019–2022", 16, "heading"), B("Version 1.4", 12)]
    m = meta(items=items)
    assert m["title"] == "Education Strategy: Implementation Plan 2019–2022"
    assert m["organisation"] == "University of Westbridge" and m["version"] == "1.4"


def test_title_from_word_title_style():
    items = [B("Eastmoor Borough Council", 12), B("Climate Action Plan", 12, "heading", style="Title"),
             B("Consultation draft", 11)]
    assert meta(items=items, fmt="docx")["title"] == "Climate Action Plan"


def test_labelled_title_beats_large_type():
    lines = ["NHS Bexley Clinical Commissioning Group", "Governing Body (public) meeting",
             "Title | Organisational Development Plan"]
    items = [B("NHS Bexley Clinical Commissioning Group", 13), B("Governing Body (public) meeting", 14)]
    m = meta(lines, items)
    assert m["title"] == "Organisational Development Plan"
    assert m["organisation"] == "NHS Bexley Clinical Commissioning Group"


def test_title_falls_back_to_file_properties():
    assert meta(metadata={"title": "Annual Plan 2021"})["title"] == "Annual Plan 2021"
    # what the writing tool put around the file name goes (rules/metadata.yaml file_title_noise)
    assert meta(metadata={"title": "Microsoft Word - TB(4)1.i Action Log.doc"})["title"] == "TB(4)1.i Action Log"
    assert meta(metadata={"title": "Plan for the docs"})["title"] == "Plan for the docs"


# --------------------------------------------------------------------------- organisation

@pytest.mark.parametrize("line", ["Eastmoor Borough Council", "University of Westbridge",
                                  "NHS Rotherham Clinical Commissioning Group", "Northfield Integrated Care Board"])
def test_organisation_lines(line):
    assert meta([line, "Strategic Plan 2020-2025", "March 2020"])["organisation"] == line


def test_meeting_and_title_lines_are_not_the_organisation():
    m = meta(["Trust Board meeting", "University Strategy 2020-2025", "Westbridge University"])
    assert m["organisation"] == "Westbridge University"


@pytest.mark.parametrize("line", ["the Department for Transport to organise and",
                                  "Transparency Board to invite the Information",
                                  "Meet with the Environment Agency about flooding data",
                                  "Open Government Partnership at a future"])
def test_a_sentence_wrapped_in_a_table_cell_is_not_the_organisation(line):
    """An action table on the first page: its cells' lines hold organisation words but are sentences."""
    assert meta(["Board Action Log", f"08/02/2011 | {line}", "facilitate a meeting of the Board"])["organisation"] == ""


def test_a_line_whose_sentence_carries_on_is_not_the_organisation():
    m = meta(["Cabinet Office Transparency Team with Transparency Board | 11.01.11",
              "input to consider whether it would be useful to develop a validator"])
    assert m["organisation"] == ""
    assert meta(["Department for Work and Pensions", "Open Data Strategy"])["organisation"] == \
        "Department for Work and Pensions"


def test_labelled_fields_are_not_the_organisation_and_author_is_a_fallback():
    m = meta(["Ratified by: | CCG Governing Body"], metadata={"author": "NHS Rotherham CCG"})
    assert m["organisation"] == "NHS Rotherham CCG"


# --------------------------------------------------------------------------- version

@pytest.mark.parametrize("lines, version", [
    (["Version: | 4.0"], "4.0"), (["Version | V3.16"], "3.16"), (["Version 0.4"], "0.4"),
    (["V2.1"], "2.1"), (["Draft version 1.2"], "1.2"), (["Document version: 5"], "5"),
])
def test_version_as_printed(lines, version):
    assert meta(lines)["version"] == version


def test_version_from_history_table_not_from_template_notes():
    history = table([row(["Name", "Date", "Version", "Reason"]),
                     row(["Person making the entry", "Date of entry", "Version control", "New / revision"]),
                     row(["A Person", "15/10/13", "0.3", "NEW"]), row(["A Person", "26/02/2014", "0.4", "Revision"])],
                    page=3)
    note = B("(Version control v 1.05 First version should be labeled 'V0.1', once ratified 'V1.0')", 8, page=3)
    assert meta(["NHS Bexley CCG"], [note, history])["version"] == "0.4"


def test_no_version_printed():
    assert meta(["NHS Rotherham Clinical Commissioning Group", "October 2015"])["version"] == ""


# --------------------------------------------------------------------------- date

@pytest.mark.parametrize("lines, iso", [
    (["Version: | 4.0", "Date ratified: | January 2020", "Date issued: | February 2020",
      "Review date: | January 2022"], "2020-01-31"),
    (["DATE: 27 March 2014"], "2014-03-27"),
    (["Meeting date: | 12th March 2014"], "2014-03-12"),
    (["As at 31 March 2020"], "2020-03-31"),
    (["Strategy 2015 - 2018", "October 2015"], "2015-10-31"),
    (["Review date: | March 2015"], ""),
    (["Date issued: | June 2019", "Date: | 1 May 2019"], "2019-06-30"),
])
def test_document_date(lines, iso):
    assert meta(lines)["doc_date"] == iso


def test_first_printed_date_wins_among_equal_labels():
    later = table([row(["Date", "12th March 2014"])], page=2)
    assert meta(["DATE: 27 March 2014"], [later])["doc_date"] == "2014-03-27"


def test_empty_approval_row_is_skipped():
    approvals = table([row(["Approved by:", "", "Date:", ""]),
                       row(["Issued by:", "Board", "Date issued:", "May 2018"])])
    assert meta([], [approvals])["doc_date"] == "2018-05-31"


def test_date_falls_back_to_file_properties():
    assert meta(metadata={"created": "2015-10-31T09:00:00"})["doc_date"] == "2015-10-31"
    assert meta(metadata={"creationdate": "D:20200131120000Z"})["doc_date"] == "2020-01-31"


def test_doc_date_source_says_printed_or_file_properties():
    assert meta(["DATE: 27 March 2014"], metadata={"created": "2015-10-31"})["doc_date_source"] == "cover_label"
    assert meta(["October 2015"], metadata={"created": "2016-01-02"})["doc_date_source"] == "cover_text"
    assert meta(["October 2015"])["doc_date"] == "2015-10-31"
    found = meta(metadata={"created": "2015-10-31T09:00:00"})
    assert (found["doc_date"], found["doc_date_source"]) == ("2015-10-31", "file_metadata")
    assert meta()["doc_date_source"] == "none"


# --------------------------------------------------------------------------- samples end to end

@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_samples_metadata_match_gold(samples, layout_of, fmt):
    wrong = []
    for gold, path in sample_paths(samples, fmt):
        m = document_metadata(layout_of(path))
        wrong += [(gold["doc_id"], k, m[k], gold[k]) for k in ("title", "organisation", "version", "doc_date")
                  if m[k] != gold[k]]
    assert wrong == []


def test_a_date_closing_the_title_line_is_printed():
    m = meta(["ODUG Action Log \u2013 14 May 2013", "All actions for next meeting"], metadata={"created": "2013-05-20"})
    assert (m["doc_date"], m["doc_date_source"]) == ("2013-05-14", "cover_text")
    assert meta(["Transparency Board Action Log as 19 July 2011"])["doc_date"] == "2011-07-19"
    numeric = meta(["Status update on actions from last meeting 19.11.10"], metadata={"created": "2011-01-27"})
    assert numeric["doc_date_source"] == "file_metadata"  # another meeting's date, not the document's



def test_a_section_heading_or_a_licence_line_is_not_the_organisation():
    for line in ("Section 6: Routine Cross Government Data Sharing", "Open Government Licence and OS OpenData"):
        assert meta([line, "Open Data Strategy"])["organisation"] == "", line
