"""Table stage: header recognition, stitching over pages, split rows, group rows, merged goals."""
from __future__ import annotations

import pytest

from extractor.tables.detect import find_header
from extractor.tables.header import field_of, match_header
from extractor.tables.rows import rows_of
from extractor.tables.stitch import find_plans
from tests.layout_builders import heading, row, table

HEADER = ["Goal", "Ref", "Action to deliver", "SRO", "By When", "Progress", "RAG"]


def test_header_synonyms_map_to_fields():
    assert field_of("Action to deliver") == ("text", 2)
    assert field_of("SRO") == ("owner", 2)
    assert field_of("OP Lead") == ("lead", 2)
    assert field_of("By When")[0] == "due"
    assert field_of("Progress update (Jan 2020)")[0] == "progress"
    assert field_of("Measure/Evidence")[0] == "measure"
    assert field_of("No.")[0] == "ref"
    assert field_of("Banana")[0] is None


def test_non_action_tables_are_left_alone():
    assert match_header(list(enumerate(["Version", "Date", "Author", "Changes"]))) is None
    assert match_header(list(enumerate(["Status", "Number of actions"]))) is None
    assert match_header(list(enumerate(["Abbreviation", "Title", "Person"]))) is None
    assert match_header(list(enumerate(["Section", "Page"]))) is None


def test_sole_lead_column_is_the_owner_and_recommendation_without_action_is_the_text():
    h = match_header(list(enumerate(["No.", "Recommendation", "Lead Officer", "Deadline", "Update"])))
    assert h is not None
    assert h.col("text") == 1 and h.col("owner") == 2 and h.col("ref") == 0


def test_header_found_below_a_title_row():
    t = table([row(["Action plan 2020", None, None], spans={0: 3}), row(["Ref", "Action", "Timescale"]),
               row(["1", "Do it", "Mar 2020"])])
    header = find_header(t)
    assert (header.start, header.end) == (1, 2) and header.texts == ["Ref", "Action", "Timescale"]


def test_table_over_pages_is_stitched_with_header_dropped_and_split_row_rejoined():
    p1 = table([row(HEADER, page=7), row(["Goal A", "1.1", "Review the thing", "AO", "Dec 2018", "Done", "B"], page=7),
                row(["", "1.2", "Write the plan and", "CFO", "Jan 2019", "In progress", "A"], page=7, covered={0})],
               page=7)
    p2 = table([row(HEADER, page=8),
                row(["", "", "agree it with the board", "", "", "so far", ""], page=8),
                row(["", "1.3", "Train staff", "DSP", "Mar 2019", "", "G"], page=8, covered={0})], page=8, index=1)
    segs = find_plans([heading("Leadership"), p1, p2]).plans
    assert len(segs) == 1
    rows = rows_of(segs[0])
    assert [r.fields["ref"] for r in rows] == ["1.1", "1.2", "1.3"]
    assert rows[1].fields["text"] == "Write the plan and\nagree it with the board"
    assert rows[1].fields["progress"] == "In progress\nso far"
    assert (rows[1].page_first, rows[1].page_last) == (7, 8)
    assert [r.goal for r in rows] == ["Goal A"] * 3  # merged goal carried down and over the page break
    assert all(r.section == "Leadership" for r in rows)


def test_group_rows_become_sections_and_blank_rows_are_skipped():
    t = table([row(HEADER), row(["Governing Body", None, None, None, None, None, None], spans={0: 7}),
               row(["G", "1", "Act one", "AO", "", "", ""]), row(["", "", "", "", "", "", ""]),
               row(["Staff", None, None, None, None, None, None], spans={0: 7}),
               row(["G2", "2", "Act two", "AO", "", "", ""]), row(["G2", "3", "-", "", "", "", ""])])
    rows = rows_of(find_plans([t]).plans[0])
    assert [(r.section, r.fields["text"]) for r in rows] == [("Governing Body", "Act one"), ("Staff", "Act two")]


def test_tables_separated_by_text_are_not_stitched():
    from extractor.model import Block

    a = table([row(HEADER), row(["G", "1", "One", "", "", "", ""])], page=1)
    b = table([row(HEADER, page=2), row(["G", "2", "Two", "", "", "", ""], page=2)], page=2, index=1)
    segs = find_plans([a, Block(kind="paragraph", text="Some prose.", page=2), b]).plans
    assert len(segs) == 2


def test_new_row_at_page_top_is_not_merged():
    p1 = table([row(HEADER), row(["G", "1.1", "Review", "", "", "", ""])], page=1)
    p2 = table([row(HEADER, page=2), row(["G", "1.2", "Another action", "", "", "", ""], page=2)], page=2, index=1)
    rows = rows_of(find_plans([p1, p2]).plans[0])
    assert [r.fields["text"] for r in rows] == ["Review", "Another action"]


def test_header_wordings_beyond_the_list_match_by_prefix_or_containment():
    assert field_of("Key Milestones")[0] == "text"  # milestones are the things to deliver
    assert field_of("Measures of success")[0] == "measure"
    assert field_of("Overall Status")[0] == "status"
    assert field_of("Action(s)")[0] == "text"
    assert field_of("Target Date for Completion")[0] == "due"
    assert field_of("Responsible Director")[0] == "owner"


def test_split_row_continuing_with_a_new_paragraph_is_rejoined():
    p1 = table([row(HEADER, page=1), row(["G", "", "Agree the plan.", "AO", "Mar 2019", "Done", "B"], page=1)], page=1)
    p2 = table([row(HEADER, page=2), row(["", "", "Publish it on the website.", "", "", "", ""], page=2),
                row(["G", "", "Train staff", "DSP", "Apr 2019", "", "G"], page=2)], page=2, index=1)
    rows = rows_of(find_plans([p1, p2]).plans[0])
    assert [r.fields["text"] for r in rows] == ["Agree the plan.\nPublish it on the website.", "Train staff"]


def test_docx_tables_without_geometry_stitch_when_adjacent():
    a = table([row(HEADER), row(["G", "1", "One", "", "", "", ""])], page=1, bbox=None)
    b = table([row(["G", "2", "Two", "", "", "", ""])], page=1, index=1, bbox=None)
    assert len(find_plans([a, b]).plans) == 1


def test_a_header_word_broken_by_a_narrow_column_still_maps():
    # a PDF renderer that breaks "RAG" over two lines in a narrow column gives the cell text "RA G"
    assert field_of("RA G") == ("rag", 2)
    assert field_of("Prog ress") == ("progress", 2)
    assert field_of("Sta tus") == ("status", 2)
    assert field_of("By when") == ("due", 2)  # two real words stay two words
    assert field_of("Ban ana")[0] is None  # gluing only ever yields a known wording


def test_a_ref_printed_at_the_top_of_the_next_page_joins_the_row_it_belongs_to():
    # the ref cell holds a label over the number ("Dataset" / "4.4.4"); the page broke between the two
    header = ["Ref", "Action", "Due", "Lead"]
    p1 = table([row(header, page=1), row(["Activity\n4.4.3", "Publish the quarterly tables", "31.12.14", "DS"], page=1),
                row(["Dataset", "Raw aggregate data (data cube)", "30.10.14", "DS"], page=1)], page=1)
    p2 = table([row(["4.4.4", "Users can build their own tables from it", "", ""], page=2),
                row(["Dataset\n4.4.5", "New datasets released through the tool", "31.5.14", "DS"], page=2)],
               page=2, index=1)
    rows = rows_of(find_plans([p1, p2]).plans[0])
    assert [r.fields["text"] for r in rows] == [
        "Publish the quarterly tables", "Raw aggregate data (data cube)\nUsers can build their own tables from it",
        "New datasets released through the tool"]
    assert "4.4.4" in rows[1].fields["ref"] and rows[1].fields["due"] == "30.10.14"
    # a numbered row at the top of a page after a row that had its own number stays a row of its own
    p1b = table([row(header, page=1), row(["4.4.3", "Publish the quarterly tables", "31.12.14", "DS"], page=1)], page=1)
    p2b = table([row(["4.4.4", "Users can build their own tables from it", "", ""], page=2)], page=2, index=1)
    assert len(rows_of(find_plans([p1b, p2b]).plans[0])) == 2


def test_a_milestone_box_splits_where_a_printed_line_stopped_short():
    """PDF boxes of milestones printed without a gap between them: a line that stopped well short of the
    others ended its statement (lines wrap only when full); a list after a lead-in keeps its lines."""
    from extractor.model import Cell, Row, Table

    lines = ["Where procured, a referral system deployed for the transfer of clinical information",
             "and images between primary and secondary care.",
             "Each system completes a scoping exercise to understand current provision and",
             "performance across the whole of its geography in the year."]
    lead = ["To include as a minimum:", "Glaucoma referral.", "Cataract referral and post-operative care."]
    box = Cell(text="\n".join([" ".join(lines), " ".join(lead)]), col=0, page=1,
               paragraphs=[" ".join(lines), " ".join(lead)], lines=lines + lead)
    boxes = [Cell(text=t, col=0, page=1, paragraphs=[t], lines=[t]) for t in
             ("Develop the eye care pathway with all partners", "Publish the network's annual report")]
    t = Table(rows=[Row(cells=[c], page=1, index=i) for i, c in enumerate(boxes + [box])], n_cols=1, page_first=1,
              page_last=1, index=0, bbox=(50.0, 100.0, 790.0, 500.0))
    texts = [r.fields["text"] for r in rows_of(find_plans([heading("Key milestones"), t]).plans[0])]
    assert texts[2:] == [" ".join(lines[:2]), " ".join(lines[2:]) + " " + " ".join(lead)]


def test_an_item_with_sub_tasks_is_an_action_of_its_own():
    """'(A) Paper' in a merged ISSUE cell, its own dates, status and owner, and sub-task rows below with their
    text in the SUB TASKS column: the item is an action (its text from the ISSUE cell), so are the sub-tasks;
    an item with no sub-tasks (text only in the ISSUE cell) is one too."""
    header = ["#", "Issue / action", "Sub tasks", "Start", "Finish & status", "Task owner"]
    rows = [row(header),
            row(["(A)", "Open data and commercial exploitation paper", "", "02/03/12", "Summer 2012", "TA"]),
            row(["", "", "Consolidate the notes into one paper for the panel", "02/03/12", "Summer 2012", "TA"],
                covered={0, 1}),
            row(["", "", "Circulate the draft paper to the members for comment", "01/05/12", "21/05/12", "SEC"],
                covered={0, 1}),
            row(["1", "Property identifiers: write to the department about the address file", "", "1 May 2012",
                 "End July", "NS"])]
    rows[1].cells[0].rowspan = rows[1].cells[1].rowspan = 3
    texts = [r.fields["text"] for r in rows_of(find_plans([heading("Actions report"), table(rows)]).plans[0])]
    assert texts == ["Open data and commercial exploitation paper",
                     "Consolidate the notes into one paper for the panel",
                     "Circulate the draft paper to the members for comment",
                     "Property identifiers: write to the department about the address file"]


def test_a_finish_and_status_cell_gives_the_due_date_and_the_status():
    header = ["#", "Action", "Finish & status", "Task owner"]
    t = table([row(header), row(["1", "Circulate the candidate profiles to the panel", "30/06/12\nCOMPLETED", "SEC"]),
               row(["2", "Write to the minister about the data panel", "Summer 2012\nONGOING", "NS"])])
    rows = rows_of(find_plans([heading("Actions report"), t]).plans[0])
    assert [(r.fields["due"], r.fields["status"]) for r in rows] == [("30/06/12", "COMPLETED"),
                                                                     ("Summer 2012", "ONGOING")]


@pytest.mark.parametrize("label, field", [("Deliver by", "due"), ("Complete by", "due"),
                                          ("Status quo or problem addressed", "goal"), ("Status", "status"),
                                          ("Description of results", "progress")])
def test_form_labels_name_their_fields(label, field):
    assert field_of(label)[0] == field
