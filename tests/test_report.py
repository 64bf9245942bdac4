"""report.html: parsed with html.parser; headline counts, escaping, filters, matrices, added/removed."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest

from extractor.model import Action, DocumentResult
from extractor.output.diffs import write_diff
from extractor.versions.reconcile import reconcile
from extractor.versions.report import render_report

EVIL = "<script>alert(1)</script>"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Optional["Node"]):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []  # Node or str

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: Optional[str] = None, **attrs) -> list["Node"]:
        out = []
        for nd in self.iter():
            if tag and nd.tag != tag:
                continue
            ok = True
            for k, v in attrs.items():
                if k == "class_":
                    ok = ok and v in nd.classes()
                elif v is True:
                    ok = ok and k.replace("_", "-") in nd.attrs
                else:
                    ok = ok and nd.attrs.get(k.replace("_", "-")) == v
            if ok:
                out.append(nd)
        return out

    def by_id(self, ident: str) -> "Node":
        found = self.find_all(id=ident)
        assert len(found) == 1, f"#{ident}: {len(found)} elements"
        return found[0]

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        nd = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(nd)
        if tag not in VOID:
            self.cur = nd

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        nd = self.cur
        while nd is not None and nd.tag != tag:
            nd = nd.parent
        if nd is not None and nd.parent is not None:
            self.cur = nd.parent

    def handle_data(self, data):
        if self.cur.tag == "script":
            self.scripts.append(data)
        self.cur.children.append(data)


def parse(text: str) -> TreeBuilder:
    tb = TreeBuilder()
    tb.feed(text)
    tb.close()
    return tb


def act(doc: str, k: int, text: str, **kw) -> Action:
    return Action(doc_id=doc, action_id=f"{doc}-a{k:04d}", text=text, ref_norm=kw.get("ref", ""), **kw)


@pytest.fixture()
def pair():
    old = [
        act("old", 1, "Commission external OD resource to develop a training programme", ref="5.1",
            section="Governing Body", status="in_progress", rag="amber",
            due_date="2019-03-31", page_first=7, page_last=7),
        act("old", 2, f"Induction programme for new members {EVIL}", ref="5.2", section="Governing Body",
            status="completed", rag="blue", owner="AO", page_first=7, page_last=8),
        act("old", 3, "Agree common QIPP reporting templates with the STP network", ref="5.3", section="Governing Body",
            status="in_progress", rag="amber", page_first=8),
        act("old", 4, "Review budget holder training across all directorates", ref="6.1", section="Finance & <Audit>",
            status="unknown", rag="", page_first=9),
    ]
    new = [
        act("new", 1, "Commission external OD resource to develop a training programme", ref="6.1",
            section="Governing Body", status="completed", rag="green",
            due_date="2019-05-31", page_first=8, page_last=8),
        act("new", 2, f"Induction programme for new members {EVIL}", ref="6.2", section="Governing Body",
            status="completed", rag="blue", owner=f"AO/{EVIL}", page_first=8),
        act("new", 3, f"Appoint ten Speak Up Champions <b>now</b> & {EVIL}", ref="6.3", section="Governing Body",
            status="not_started", rag="red", page_first=9),
        act("new", 4, "Review budget holder training across all directorates", ref="7.1", section="Finance & <Audit>",
            status="completed", rag="blue", page_first=10),
    ]
    od = DocumentResult(doc_id="plan-v3", path="/x/plan-v3.pdf", title=f"OD Strategy {EVIL}", version="3.0",
                        doc_date="2019-06-30", actions=old, pages=12)
    nd = DocumentResult(doc_id="plan-v4", path="/x/plan-v4.docx", title="OD Strategy", version="4.0",
                        doc_date="2020-01-31", actions=new, pages=14)
    return reconcile(old, new), od, nd


def test_report_structure_and_counts(pair):
    d, od, nd = pair
    tb = parse(render_report(d, od, nd))
    root = tb.root
    head = root.by_id("headline")
    counts = {li.attrs["data-kind"]: int(li.attrs["data-count"]) for li in head.find_all("li")}
    assert counts == {"matched": 3, "added": 1, "removed": 1, "split": 0, "merged": 0, "changed": 3,
                      "changed_beyond_ref": 3, "renumbered_only": 0}
    fields = {li.attrs["data-field"]: int(li.attrs["data-count"])
              for li in root.by_id("headline-fields").find_all("li")}
    assert fields == {"status": 2, "rag": 2, "due_date": 1, "due_revised": 0, "owner": 1, "text": 0, "ref": 3}

    # titles name each version by its label and date, and both files
    title = root.by_id("title").text()
    assert "version 3.0, 30 June 2019" in title and "version 4.0, 31 January 2020" in title
    assert "plan-v3.pdf" in title and "plan-v4.docx" in title

    # one row per changed action, all its changes side by side; status and RAG moves first
    rows = root.by_id("actions").find_all("tr", class_="action-row")
    assert [r.attrs["data-new-id"] for r in rows] == ["new-a0001", "new-a0004", "new-a0002"]
    assert [r.attrs["data-fields"] for r in rows] == ["status rag due_date ref", "status rag ref", "owner ref"]
    first = rows[0]
    changed = {td.attrs["data-field"] for td in first.find_all("td", class_="changed")}
    assert changed == {"status", "rag", "due_date", "ref"}
    due = [td for td in first.find_all("td") if td.attrs.get("data-field") == "due_date"][0]
    assert "2019-03-31" in due.text() and "2019-05-31" in due.text() and "+61 days" in due.text()
    assert due.find_all("span", class_="late")
    assert "p. 7 → p. 8" in first.text() and first.attrs["data-old-id"] == "old-a0001"
    filters = [i.attrs["data-filter"] for i in root.by_id("filters").find_all("input") if "data-filter" in i.attrs]
    assert filters == ["status", "rag", "due_date", "due_revised", "owner", "text", "ref", "progress"]
    assert "checked" not in root.by_id("show-renumbered").attrs

    # matrices
    sm = root.by_id("status-matrix")
    cell = [c for c in sm.find_all("td")
            if c.attrs.get("data-old") == "in_progress" and c.attrs.get("data-new") == "completed"]
    assert cell and cell[0].attrs["data-count"] == "1"
    rm = root.by_id("rag-matrix")
    cell = [c for c in rm.find_all("td") if c.attrs.get("data-old") == "amber" and c.attrs.get("data-new") == "green"]
    assert cell and cell[0].attrs["data-count"] == "1"
    rc = root.by_id("rag-counts")
    amber = [tr for tr in rc.find_all("tr") if tr.attrs.get("data-rag") == "amber"][0]
    assert [td.attrs["data-count"] for td in amber.find_all("td", data_side=True)] == ["2", "0"]

    # added / removed
    added = root.by_id("added").find_all("tr", class_="added-action")
    assert [r.attrs["data-new-id"] for r in added] == ["new-a0003"]
    removed = root.by_id("removed").find_all("tr", class_="removed-action")
    assert [r.attrs["data-old-id"] for r in removed] == ["old-a0003"]
    assert "p. 8" in removed[0].text()


def test_renumbering_collapsed_wording_marked_progress_old_and_new():
    texts = [f"Deliver workstream {w} of the organisational development programme across both CCGs"
             for w in ("alpha", "bravo", "charlie", "delta", "echo")]
    old = [act("old", k + 1, t, ref=f"5.{k + 1}", status="in_progress", progress="On track")
           for k, t in enumerate(texts)]
    new = [act("new", k + 1, t, ref=f"6.{k + 1}", status="in_progress", progress="On track")
           for k, t in enumerate(texts)]
    new[1].text = texts[1].replace("across both CCGs", "across the integrated care board")
    new[2].progress = "Paused while the new board is appointed"
    d = reconcile(old, new)
    root = parse(render_report(d, DocumentResult(doc_id="a", path="plan.pdf", title="OD Plan", actions=old),
                               DocumentResult(doc_id="b", path="plan-final.pdf", title="OD Plan", actions=new))).root
    title = root.by_id("title").text()
    assert "OD Plan: what changed from plan.pdf to the final, plan-final.pdf" in title  # no version, no date
    lines = root.by_id("renumbering").find_all("li")
    assert [(li.attrs["data-old-prefix"], li.attrs["data-new-prefix"], li.attrs["data-count"]) for li in lines] == [
        ("5.", "6.", "3")]
    assert "5.* → 6.*, 3 actions" in lines[0].text()
    rows = {r.attrs["data-new-id"]: r for r in root.by_id("actions").find_all("tr", class_="action-row")}
    assert {k for k, r in rows.items() if "data-renumbered-only" in r.attrs} == {"new-a0001", "new-a0004", "new-a0005"}
    assert rows["new-a0002"].attrs["data-fields"] == "text ref"
    dels = [x.text() for x in rows["new-a0002"].find_all("del", class_="word")]
    ins = [x.text() for x in rows["new-a0002"].find_all("ins", class_="word")]
    assert dels == ["both CCGs"] and ins == ["the integrated care board"]
    assert rows["new-a0003"].attrs["data-fields"] == "ref progress"
    note = [td for td in rows["new-a0003"].find_all("td") if td.attrs.get("data-field") == "progress"][0]
    assert "changed" in note.classes()
    assert note.find_all("div", class_="old-note")[0].text() == "wasOn track"
    assert note.find_all("div", class_="new-note")[0].text() == "nowPaused while the new board is appointed"
    assert root.by_id("shown-count").text() == "2"  # the renumbered-only rows are hidden by default


def test_report_escapes_document_text(pair):
    d, od, nd = pair
    text = render_report(d, od, nd)
    tb = parse(text)
    # exactly one script element: the page's own filter code
    scripts = tb.root.find_all("script")
    assert len(scripts) == 1 and "alert" not in scripts[0].text()
    assert not tb.root.find_all("b")  # "<b>now</b>" stayed text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert EVIL in tb.root.by_id("added").text()  # shown to the reader as text
    assert "Finance &amp; &lt;Audit&gt;" in text
    assert "<script>alert" not in text


def test_report_is_self_contained(pair):
    d, od, nd = pair
    text = render_report(d, od, nd)
    tb = parse(text)
    for nd_ in tb.root.iter():
        assert "src" not in nd_.attrs, nd_.tag
        if nd_.tag == "link":
            pytest.fail("external stylesheet")
    assert "http://" not in text and "https://" not in text
    assert tb.root.find_all("style")


def test_report_empty_diff(tmp_path: Path):
    od = DocumentResult(doc_id="a", path="a.pdf")
    nd = DocumentResult(doc_id="b", path="b.pdf")
    write_diff(reconcile([], []), od, nd, tmp_path)
    tb = parse((tmp_path / "report.html").read_text(encoding="utf-8"))
    counts = {li.attrs["data-kind"]: li.attrs["data-count"] for li in tb.root.by_id("headline").find_all("li")}
    assert set(counts.values()) == {"0"}
    assert tb.root.by_id("status-matrix") and tb.root.by_id("added") and tb.root.by_id("removed")


def test_report_lists_split_and_merged():
    old = [act("old", 1, "Provide mindfulness training for managers and arrange an annual away day for all staff",
               page_first=3)]
    new = [act("new", 1, "Provide mindfulness training for managers", page_first=4),
           act("new", 2, "Arrange an annual away day for all staff", page_first=4)]
    d = reconcile(old, new)
    od = DocumentResult(doc_id="a", path="a.pdf", actions=old)
    nd = DocumentResult(doc_id="b", path="b.docx", actions=new)
    root = parse(render_report(d, od, nd)).root
    counts = {li.attrs["data-kind"]: li.attrs["data-count"] for li in root.by_id("headline").find_all("li")}
    assert counts["split"] == "1" and counts["matched"] == "0" and counts["added"] == "0"
    rows = root.by_id("split-merged").find_all("tr", class_="split-merged-action")
    assert [(r.attrs["data-match"], r.attrs["data-old-id"], r.attrs["data-new-id"]) for r in rows] == [
        ("split", "old-a0001", "new-a0001"), ("split", "old-a0001", "new-a0002")]
    assert "p. 3 → p. 4" in rows[0].text()
