"""The table stage decides from evidence: what cells hold, column roles from header and content, table verdicts,
headings as context, continuations without a repeated header, restated actions, one-column boxes."""
from __future__ import annotations

import pytest

from extractor.model import Block, Cell, RawRow, Row, Table
from extractor.tables.classify import classify
from extractor.tables.columns import assign_roles
from extractor.tables.evidence import cell_evidence, heading_lead, non_plan_kind, numbered_heading, ticked_options
from extractor.tables.grid import logical_columns
from extractor.tables.restate import mark_restatements
from extractor.tables.rows import rows_of
from extractor.tables.stitch import find_plans
from tests.layout_builders import heading, row, table

# --------------------------------------------------------------------------- cells

@pytest.mark.parametrize("text, kind", [
    ("3.4.1", "ref"), ("Activity 3.3.1", "ref"), ("13)", "ref"), ("A2", "ref"), ("4.1. 19", "ref"),
    ("31.12.14", "date"), ("Q1 2021/22", "date"), ("Ongoing", "date"), ("Late Spring 2011", "date"),
    ("Carried forward", "status"), ("New", "status"), ("Not met", "status"), ("Completed", "status"),
    ("G", "rag"), ("Amber", "rag"),
    ("☐ Done ☒ In progress", "checkbox"), ("Y", "yes_no"), ("N/A", "yes_no"), ("1234", "number"),
])
def test_cell_kinds(text, kind):
    e = cell_evidence(text)
    assert getattr(e, kind), (text, e)


@pytest.mark.parametrize("text", ["Develop benefits case", "To continue to use the board to identify opportunities",
                                  "DCLG to review the guidance with councils",
                                  "The department will publish a register of datasets",
                                  "Regional eye care board or equivalent established"])
def test_things_to_do_read_as_actions(text):
    assert cell_evidence(text).action >= 0.6


@pytest.mark.parametrize("text", ["KK/HS", "HM Treasury", "Director of Finance", "Transparency Team", "All"])
def test_owners_read_as_owners(text):
    assert cell_evidence(text).owner >= 0.6


@pytest.mark.parametrize("text", ["Spend data", "1234", "Ongoing", "Monthly publication of all expenditure over £25k"])
def test_values_and_labels_are_not_owners(text):
    assert cell_evidence(text).owner < 0.6


@pytest.mark.parametrize("text", ["June", "Jun", "August", "end of June", "May"])
def test_a_month_without_its_year_is_a_date_never_an_owner(text):
    """A Deadline column of bare months ("June") is dates the document's own year completes, not first names."""
    ev = cell_evidence(text)
    assert ev.date and ev.owner == 0.0


@pytest.mark.parametrize("text", ["June Smith", "Mr May", "Karen Sanderson"])
def test_a_name_that_holds_a_month_is_still_an_owner(text):
    assert not cell_evidence(text).date and cell_evidence(text).owner >= 0.6


def test_a_deadline_column_of_bare_months_is_the_due_column_not_the_owner():
    """A completed-actions table whose "Deadline" cells are months and whose first column holds meeting dates:
    the months are the deadline, and nothing is read as an owner."""
    rows = [row(["19/05/2011", "Officials to discuss the project with the department", "June", "Complete"]),
            row(["19/05/2011", "Home Office team to share the site analytics with the Board", "June", "Completed"]),
            row(["08/06/2011", "A letter will be circulated to departments with the terms of reference", "June",
                 "Completed"])]
    for header in (["Meeting date", "Actions completed", "Deadline", "Progress"], None):
        roles = {r.role: r.col for r in assign_roles(rows, 4, header=header) if r.role}
        assert "owner" not in roles and "lead" not in roles, roles
    roles = {r.role: r.col for r in assign_roles(rows, 4, header=["", "Actions completed", "Deadline", "Progress"])}
    assert roles.get("due") == 2, roles


def test_heading_context_words():
    assert heading_lead("National Address Dataset – Lead HS/BB") == ("National Address Dataset", "HS/BB")
    assert heading_lead("Open Data Licensing – GS/JTe") == ("Open Data Licensing", "GS/JTe")
    assert heading_lead("Secretariat") == ("Secretariat", "")
    assert numbered_heading("Commitment 2 – Open contracting") == ("2", "Open contracting")
    assert numbered_heading("Priority 3: Better care at home") == ("3", "Better care at home")
    assert numbered_heading("Secretariat") == ("", "")
    assert ticked_options("☐ Already implemented (link) ☒ Already in progress – details ☐ Other") == [
        "Already in progress"]


@pytest.mark.parametrize("labels, kind", [
    (["Version", "Date", "Author", "Changes"], "version_history"), (["Abbreviation", "Meaning"], "glossary"),
    (["Role", "Responsibilities"], "roles"), (["Name", "Email", "Telephone"], "contacts"),
    (["Ref", "Action", "Owner", "Due"], ""),
])
def test_non_plan_kinds_from_labels(labels, kind):
    assert non_plan_kind(labels) == kind


# --------------------------------------------------------------------------- columns

def test_roles_from_content_when_there_is_no_header():
    body = [row(["1.1", "Develop the estates strategy with partners", "Director of Estates", "Mar 2024", "On track"]),
            row(["1.2", "Publish the workforce plan", "Chief People Officer", "Q2 2024/25", "Delayed"]),
            row(["1.3", "Review the governance framework", "Company Secretary", "31/12/2024", "Complete"])]
    roles = {r.role: r.col for r in assign_roles(body, 5) if r.role}
    assert roles == {"ref": 0, "text": 1, "owner": 2, "due": 3, "status": 4}


def test_the_action_column_may_be_called_anything():
    t = table([row(["No.", "What we will do", "Who", "By when"]),
               row(["1", "Recruit two community matrons", "Director of Nursing", "June 2024"]),
               row(["2", "Open the urgent treatment centre at weekends", "COO", "Sept 2024"])])
    v = classify(t)
    assert v.kind == "plan" and v.col("text") == 1 and v.col("owner") == 2 and v.col("due") == 3


def test_header_wording_and_content_disagree_content_wins():
    """A column headed 'Activity' that holds refs is the ref column; the description column is the action."""
    t = table([row(["Activity", "Description", "To be first published on"]),
               row(["Activity 3.3.1", "Dataset owners will engage with external users", "Ongoing"]),
               row(["Activity 3.3.2", "Certify the datasets already released", "31.12.14"])])
    v = classify(t)
    assert v.kind == "plan" and v.col("ref") == 0 and v.col("text") == 1 and v.col("due") == 2


# --------------------------------------------------------------------------- verdicts

def test_non_plans_are_left_with_a_reason():
    glossary = table([row(["Abbreviation", "Meaning"]), row(["CFO", "Chief Finance Officer"]),
                      row(["DoN", "Director of Nursing"])])
    versions = table([row(["Version", "Date", "Author", "Changes"]), row(["0.1", "01/02/2020", "JS", "First draft"]),
                      row(["0.2", "01/03/2020", "JS", "Comments from the board included"])])
    stats = table([row(["Department", "Unpublished", "Published"]), row(["BIS", "358", "1234"]),
                   row(["CO", "107", "73"])])
    empty = table([row(["Issue", "Action", "Impact"]), row(["", "", ""]), row(["", "", ""])])
    roles = table([row(["Role", "Responsibilities"]),
                   row(["Chief Executive", "Accountable for delivering the plan and reporting to the board"]),
                   row(["Medical Director", "Leads the clinical workstreams and chairs the quality group"])])
    form = table([row(["Title", "Organisational development plan"], fills={0: "E7E6E6"}),
                  row(["Author", "Director of Governance"], fills={0: "E7E6E6"}),
                  row(["Recommendation", "That the board approves the plan"], fills={0: "E7E6E6"})])
    for t, why in ((glossary, "glossary"), (versions, "version history"), (stats, "figures"),
                   (empty, "empty"), (roles, "roles"), (form, "form")):
        v = classify(t)
        assert not v.taken and why in v.reason, (why, v.reason)


def test_small_headerless_tables_under_group_headings_are_plans_with_the_lead_as_owner():
    items = [heading("Secretariat"),
             table([row(["Circulate minutes and actions from the last meeting", "New"]),
                    row(["Publish the note of the meeting on the website", "Completed"])], index=0),
             Block(kind="paragraph", text="National Address Dataset – Lead HS/BB", page=1),
             table([row(["Survey twenty small firms on their use of address data", "Carried forward"])], index=1)]
    scan = find_plans(items)
    assert len(scan.plans) == 2
    rows = [r for p in scan.plans for r in rows_of(p)]
    assert [(r.section, r.fields.get("owner", "")) for r in rows] == [
        ("Secretariat", ""), ("Secretariat", ""), ("National Address Dataset – Lead HS/BB", "HS/BB")]
    assert [r.fields["status"] for r in rows] == ["New", "Completed", "Carried forward"]


def test_key_value_table_is_one_action_with_the_numbered_heading_as_goal():
    items = [heading("Commitment 3: Open contracting"),
             table([row(["Lead organisation", "Cabinet Office"]),
                    row(["Main objective", "Make public contracts open by default"]),
                    row(["Brief description", "Publish every central government contract over £10,000"]),
                    row(["End date", "June 2025"]),
                    row(["Status", "Substantial progress"])])]
    scan = find_plans(items)
    assert [p.verdict.kind for p in scan.plans] == ["key_value"]
    (r,) = rows_of(scan.plans[0])
    assert r.fields["text"] == "Publish every central government contract over £10,000"
    assert r.fields["owner"] == "Cabinet Office" and r.fields["due"] == "June 2025"
    assert r.goal == "Open contracting" and r.fields["ref"] == "3"


def _self_assessment(marks: list, page: int = 1) -> list[Row]:
    """A commitment's completion grid as Word draws it: labels over their columns, sub-item letters under
    them in cells that span a label column and the padding beside it."""
    return [row(["Completion level", "Not started", "", "Limited", "", "Substantial", "", "Completed"], page),
            row(["", marks[0], None, marks[1], None, marks[2], None, marks[3]], page, spans={1: 2, 3: 2, 5: 2})]


def test_a_completion_grid_mark_counts_under_the_label_its_cell_spans():
    rows = [row(["4. Transform the classification system", None, None, None, None, None, None, None],
                spans={0: 8}),
            row(["Lead government actors", "NARA"]), row(["Main objective", "Declassify more"]),
            row(["Brief description", "a. Create a review committee. b. Pilot new tools."]),
            *_self_assessment(["", "", "", "a, b"]), row(["End date", "December 2015"])]
    (r,) = rows_of(find_plans([table(rows)]).plans[0])
    assert r.fields["status"] == "Completed" and r.fields["ref"] == "4" and r.fields["owner"] == "NARA"
    # sub-items spread over two levels: the commitment as a whole is part way
    rows[4:6] = _self_assessment(["", "a", "", "b"])
    (r,) = rows_of(find_plans([table(rows)]).plans[0])
    assert r.fields["status"] == "Limited"


def test_a_key_value_table_goes_on_over_the_page_under_an_empty_key_cell():
    first = table([row(["1. Improve public participation", None], spans={0: 2}),
                   row(["Lead government actors", "The White House"]), row(["Other actors involved", "Agencies"]),
                   row(["Main objective", "a. Expand the petition site."])], page=3, bbox=(72.0, 600.0, 540.0, 712.0))
    def kv(key, value):  # the value cell spans the completion grid's columns
        return row([key, value, None, None, None, None, None, None], page=4, spans={1: 7})
    rest = table([kv("", "b. Publish best practices."), kv("Brief description", "a. Introduce improvements."),
                  *_self_assessment(["", "a", "", ""], page=4), kv("End date", "December 2015"),
                  kv("Next steps", "Roll out the kit.")], page=4, index=1, bbox=(72.0, 72.0, 540.0, 400.0))
    scan = find_plans([first, rest])
    assert [p.verdict.kind for p in scan.plans] == ["key_value"]
    (r,) = rows_of(scan.plans[0])
    assert r.fields["text"].startswith("a. Introduce") and r.fields["owner"] == "The White House"
    assert r.fields["ref"] == "1" and r.fields["due"] == "December 2015" and r.fields["status"] == "Limited"


def test_status_grid_rows_are_actions_with_a_summary_status():
    header = ["", "BIS", "CO", "DCLG", "DfE"]
    t = table([row(header), row(["Spend data", "Not Met", "Met", "Met", "Met"]),
               row(["GPC data", "Met", "Met", "Met", "Met"]), row(["Organogram", "Met", "Not Met", "Met", "Met"])])
    v = classify(t)
    assert v.kind == "status_grid"
    scan = find_plans([t])
    rows = rows_of(scan.plans[0])
    assert [r.fields["text"] for r in rows] == ["Spend data", "GPC data", "Organogram"]
    assert [r.fields["status"] for r in rows] == ["In progress", "Completed", "In progress"]


def test_tick_matrix_is_not_a_status_grid():
    t = table([row(["", "Open data", "Integrity", "Fiscal"]), row(["Commitment one", "X", "", "X"]),
               row(["Commitment two", "", "X", ""]), row(["Commitment three", "X", "X", ""])])
    assert classify(t).kind != "status_grid"


# --------------------------------------------------------------------------- continuity

def _pdf_row(texts, page, xs=(50.0, 150.0, 450.0, 600.0, 790.0), top=100.0):
    cells = [Cell(text=t, col=i, page=page, paragraphs=[t] if t else [], bbox=(xs[i], top, xs[i + 1], top + 20))
             for i, t in enumerate(texts)]
    return Row(cells=cells, page=page)


def test_a_table_continuing_on_the_next_page_without_its_header_is_joined_by_column_positions():
    p1 = Table(rows=[_pdf_row(["Ref", "Action", "Lead", "Due"], 3),
                     _pdf_row(["1", "Agree the estates plan with the council", "COO", "Mar 2024"], 3),
                     _pdf_row(["2", "Recruit the new team and", "CFO", "Apr 2024"], 3)],
               n_cols=4, page_first=3, page_last=3, index=0, bbox=(50, 100, 790, 500))
    p2 = Table(rows=[_pdf_row(["", "train it in the new procedures", "", ""], 4),
                     _pdf_row(["3", "Open the new clinic", "COO", "May 2024"], 4)],
               n_cols=4, page_first=4, page_last=4, index=1, bbox=(50, 60, 790, 300))
    scan = find_plans([p1, Block(kind="paragraph", text="12", page=3), p2])
    assert len(scan.plans) == 1 and scan.joined == {1: 0}
    rows = rows_of(scan.plans[0])
    assert [r.fields["ref"] for r in rows] == ["1", "2", "3"]
    assert rows[1].fields["text"].replace("\n", " ") == "Recruit the new team and train it in the new procedures"
    assert (rows[1].page_first, rows[1].page_last) == (3, 4)


def test_vertically_merged_due_and_owner_cells_belong_to_every_row_they_span():
    t = table([row(["Ref", "Action", "Owner", "Due"]),
               row(["1", "Draft the strategy", "Director of Strategy", "March 2025"]),
               row(["2", "Consult on the strategy", "", ""], covered={2, 3}),
               row(["3", "Publish the strategy", "Head of Comms", "June 2025"])])
    t.rows[1].cells[2].rowspan = 2
    t.rows[1].cells[3].rowspan = 2
    rows = rows_of(find_plans([t]).plans[0])
    assert [(r.fields["owner"], r.fields["due"]) for r in rows] == [
        ("Director of Strategy", "March 2025"), ("Director of Strategy", "March 2025"), ("Head of Comms", "June 2025")]


def test_logical_columns_drop_boundaries_only_spacer_rows_use():
    t = table([row(["Activity", None, "Description", "Due"], spans={0: 2}),
               row(["3.1", None, "Keep the board informed", "Ongoing"], spans={0: 2}),
               row(["", "", "", ""]),
               row(["3.2", None, "Publish the minutes", "May 2014"], spans={0: 2})])
    t2 = logical_columns(t)
    assert t2.n_cols == 3 and [c.text for c in t2.rows[1].cells] == ["3.1", "Keep the board informed", "Ongoing"]


def test_boxes_of_milestones_give_one_action_per_paragraph_with_the_quarter_as_due():
    box = table([row(["Q1 April - June 2021"]),
                 row(["Governance\nRegional board established.\nReporting to the national board agreed."]),
                 row(["Elective\nEach system to have a visible waiting list.\nTo include as a minimum: cataracts. "
                      "Glaucoma."])])
    scan = find_plans([Block(kind="paragraph", text="Key milestones - expected timelines for change:", page=1), box])
    rows = rows_of(scan.plans[0])
    assert [(r.section, r.fields["text"]) for r in rows] == [
        ("Governance", "Regional board established."), ("Governance", "Reporting to the national board agreed."),
        ("Elective", "Each system to have a visible waiting list. To include as a minimum: cataracts. Glaucoma.")]
    assert {r.fields["due"] for r in rows} == {"Q1 April - June 2021"}


def test_restated_actions_become_mentions_not_new_actions():
    def raw(text, goal=""):
        return RawRow(fields={"text": text}, fills={}, goal=goal, section="", page_first=1, page_last=1,
                      table_index=0, row_index=0)
    plan = [raw("Recruit two community matrons by June"), raw("Open the urgent treatment centre at weekends"),
            raw("Review the discharge policy with partners")]
    report = [raw("Recruit two community matrons by June"), raw("Review the discharge policy with partners")]
    rows = mark_restatements([plan, report])
    assert [r.restates for r in rows] == [-1, -1, -1, 0, 2]
    other = [raw("Agree the capital programme for next year"), raw("Recruit two community matrons by June")]
    rows = mark_restatements([plan, other])
    assert [r.restates for r in rows] == [-1, -1, -1, -1, -1]  # a plan that mostly says new things stays


def test_the_same_generic_action_in_several_groups_is_not_a_restatement():
    def raw(text):
        return RawRow(fields={"text": text}, fills={}, goal="", section="", page_first=1, page_last=1,
                      table_index=0, row_index=0)
    groups = [[raw("Nominate a lead member for this benefits case"), raw("Develop benefits case")] for _ in range(3)]
    rows = mark_restatements(groups, ["action | owner | status"] * 3)
    assert all(r.restates == -1 for r in rows)


def test_row_fill_tie_does_not_depend_on_set_order() -> None:
    """Half the cells filled: the answer was max() over a set, so it changed with PYTHONHASHSEED (a real
    self-assessment gave 71 or 109 rows from one run to the next). A tie now goes to the leftmost fill."""
    from extractor.tables.detect import _fill_of

    for fills, expected in ((["D9D9D9", "", "D9D9D9", ""], "D9D9D9"), (["", "D9D9D9", "", "D9D9D9"], ""),
                            (["", "4F81BD"], ""), (["4F81BD", "", ""], "")):
        cells = [Cell(text="x", col=i, fill=f) for i, f in enumerate(fills)]
        assert _fill_of(Row(cells=cells, page=1)) == expected


# --------------------------------------------------------------------------- tables that are not plans, by content
# (found on documents written elsewhere: statistics, scanned forms, boxed paragraphs; none is a plan)

def test_a_table_of_figures_is_not_a_plan_even_with_a_text_column():
    rates = table([row(["Loan type", "Reference rate", "Rate p.a.", "Comparison rate", "Fee", "Notes"]),
                   row(["Standard variable", "Prime", "5.69%", "5.72%", "$395", "Open to new and existing customers"]),
                   row(["Fixed 3 years", "Prime", "4.99%", "5.31%", "$395", "Break costs apply if you repay early"]),
                   row(["Fixed 5 years", "Prime", "5.19%", "5.40%", "$0", "Offset accounts are not available on it"])])
    v = classify(rates)
    assert not v.taken and "figures" in v.reason


def test_counts_in_no_order_are_not_refs():
    counts = table([row(["Number of member states in the analysis to be reviewed", "8", "100%"]),
                    row(["Number of member states where companies applied the new rule", "3", "37%"])])
    v = classify(counts)
    assert not v.taken and v.col("ref") is None
    numbered = table([row(["1", "Develop the workforce plan with partners", "HR", "Mar 2021"]),
                      row(["2", "Review the estates strategy with the board", "COO", "Jun 2021"]),
                      row(["3", "Publish the annual quality report on time", "MD", "Sep 2021"])])
    assert classify(numbered).col("ref") == 0  # refs that count up stay refs


def test_a_header_named_ref_over_words_is_not_a_ref():
    costs = table([row(["Item", "Description"]),
                   row(["Tuition", "The cost of taking a course varies from school to school and by course"]),
                   row(["Room and board", "The cost of lodging and food varies from school to school each year"]),
                   row(["Books and supplies", "Books can be expensive and supplies include bags, notebooks and pens"])])
    v = classify(costs)
    assert not v.taken and v.col("ref") is None


def test_a_boxed_paragraph_printed_line_by_line_is_not_a_plan():
    lines = ["Summary of the results: most respondents use an active way to travel at least",
             "once a week. People are very active, mostly for their health and for the environment,",
             "to take their children to school and to go to work, which the plan will need to support",
             "with safe routes between the villages and the schools, shops and the community centre",
             "and better signs."]
    v = classify(table([row([t]) for t in lines]), context="Active transport master plan")
    assert not v.taken and "running text" in v.reason
    actions = ["Develop safe routes between the villages and the schools",
               "Review the signs on the main roads with the highways team",
               "Publish a map of the routes online and in the library",
               "Consult residents on the new cycle lanes before the works"]
    assert classify(table([row([t]) for t in actions]), context="Active transport master plan").taken


def test_one_row_needs_a_value_beside_the_text():
    name_only = table([row(["Executed elements of the routine by the panel of judges", "Scores of Panel"])])
    assert not classify(name_only).taken
    with_status = table([row(["Advise members when they need to log in to the new space", "Ongoing"])])
    assert classify(with_status).taken


def test_a_mostly_empty_action_column_is_not_a_plan():
    rows = [row(["Team A", "G", "", ""]) for _ in range(8)]
    rows[2] = row(["Team B", "A", "Deliver the new rota for the winter months and review it", "Ongoing"])
    v = classify(table(rows))
    assert not v.taken and "empty in" in v.reason


def test_figures_are_not_owners():
    assert cell_evidence("85.1% 17.3%").owner == 0.0
    assert cell_evidence("Director of Finance").owner > 0.5


def test_a_title_bar_found_as_a_table_of_its_own_titles_the_key_value_table_under_it():
    bar = table([row(["Commitment 2 – Open data on the budget process"])], page=2, bbox=(43.5, 189.2, 551.8, 206.2))
    body = table([row(["Responsible body", "Department of Housing"]), row(["Start date", "FY2025"]),
                  row(["Commitment", "Train program staff on housing stability."]), row(["Progress", "Complete"])],
                 page=2, index=1, bbox=(42.0, 206.2, 553.3, 288.2))
    scan = find_plans([bar, body])
    (r,) = rows_of(scan.plans[0])
    assert r.fields["ref"] == "2" and r.goal == "Open data on the budget process"
    assert r.fields["owner"] == "Department of Housing"
    far = table([row(["Commitment 2 – Open data on the budget process"])], page=2, bbox=(43.5, 100.0, 551.8, 117.0))
    (r,) = rows_of(find_plans([far, body]).plans[0])  # a line far above is not its title bar
    assert r.fields.get("ref", "") == ""


def test_short_labels_under_a_header_that_names_no_role_are_not_owners():
    body = [["1", "Publish how requests for data are handled across the department", "Contacting Defra",
             "In place by March 2014"],
            ["2", "Prioritise the data that needs improving, with its users", "Prioritisation", "By December"],
            ["3", "State what would need to change for withheld data to be opened", "Reasoning", "May 2014"]]
    named = assign_roles([row(r) for r in body], 4, header=["#", "Commitment", "Category", "Notes"])
    assert named[2].role != "owner"
    people = [r[:2] + [o] + r[3:] for r, o in zip(body, ["Head of Data", "Chief Data Officer", "Head of Data"])]
    assert assign_roles([row(r) for r in people], 4, header=["#", "Commitment", "Category", "Notes"])[2].role == "owner"
