"""What the whole document tells the row normalisers (extractor/fields/context.py): its printed date only, its
date convention, its plan period, its glossary (tables and written), its RAG key and colour scheme."""
from __future__ import annotations

from extractor.fields import context
from extractor.fields.owners import glossary_from_text
from extractor.model import Block, Cell, DocumentResult, LayoutDocument, Page, Row, Table


def layout(*items) -> LayoutDocument:
    return LayoutDocument(path="p.pdf", format="pdf", pages=[Page(1)], items=list(items))


def para(text: str) -> Block:
    return Block(kind="paragraph", text=text, page=1)


def table(*rows, fills=None) -> Table:
    out = []
    for r, texts in enumerate(rows):
        out.append(Row(cells=[Cell(text=t, col=i, fill=(fills[r][i] if fills else "")) for i, t in enumerate(texts)],
                       page=1, index=r))
    return Table(rows=out, n_cols=max(len(r) for r in rows), page_first=1, page_last=1)


def result(doc_date="", source="none", title="") -> DocumentResult:
    return DocumentResult(doc_id="d", path="p.pdf", doc_date=doc_date, doc_date_source=source, title=title)


def test_only_a_printed_date_dates_the_document():
    printed = context.document_context(layout(), result("2019-06-30", "cover_label"))
    assert (printed.doc_date, printed.doc_year) == ("2019-06-30", 2019)
    from_file = context.document_context(layout(), result("2019-06-30", "file_metadata"))
    assert (from_file.doc_date, from_file.doc_year) == (None, None)


def test_convention_from_the_documents_own_words():
    us = context.document_context(layout(para("The agency will report to Congress in fiscal year 2019. "
                                             "The program center opened on March 31, 2019.")), result())
    assert us.convention.name == "us" and us.convention.fy_start_month == 10
    uk = context.document_context(layout(para("The organisation's programme for the financial year, "
                                             "agreed by the NHS trust board on 31 March 2019.")), result())
    assert uk.convention.name == "uk" and uk.convention.fy_start_month == 4
    silent = context.document_context(layout(para("Nothing to tell.")), result())
    assert silent.convention.name == "uk"  # the default
    numeric = context.infer_convention(["Meeting held 8/19/22 and 9/23/22."])
    assert numeric.name == "us" and not numeric.day_first


def test_a_stated_financial_year():
    found = context.infer_convention(["Our financial year runs from 1 July to 30 June."])
    assert found.fy_start_month == 7


def test_plan_period_from_the_title():
    assert context.plan_period("Quality Improvement Action Plan 2019/20") == ("2019-04-01", "2020-03-31")
    assert context.plan_period("OD Strategy 2015-18") == ("2015-01-01", "2018-12-31")
    assert context.plan_period("Action plan") is None


def test_glossaries_table_and_written():
    doc = layout(table(["Abbreviation", "Title"], ["DoF", "Director of Finance"]),
                 para("CNO – Chief Nursing Officer"),
                 para("The plan is overseen by the Director of Infection Prevention and Control (DIPC)."),
                 table(["Initials", "Name"], ["KK", "Karen Kelly"]))
    ctx = context.document_context(doc, result())
    assert ctx.glossary == {"DoF": "Director of Finance", "CNO": "Chief Nursing Officer",
                            "DIPC": "Director of Infection Prevention and Control", "KK": "Karen Kelly"}


def test_written_glossary_needs_the_initials_to_fit():
    assert glossary_from_text(["See section 4 – Appendix B", "Notes: to be confirmed", "The Board (TB)"]) == {}
    assert glossary_from_text(["COO: Chief Operating Officer"]) == {"COO": "Chief Operating Officer"}


def test_rag_key_and_blue_scheme():
    key = table(["Not started"], ["On track"], ["Complete"], fills=[["FF0000"], ["00B050"], ["0070C0"]])
    ctx = context.document_context(layout(key), result())
    assert ctx.rag_key == {"red": "not_started", "green": "in_progress", "blue": "completed"} and ctx.uses_blue
