"""summary.html: self-contained, escaped, with stable hooks; parsed with html.parser, and rendered by headless
Chromium when /usr/bin/chromium is there."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest

from extractor.output.summary import render_summary, write_summary
from tests.test_formats import make_results

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "source", "wbr"}
CHROMIUM = Path("/usr/bin/chromium")


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Optional["Node"]):
        self.tag, self.attrs, self.parent, self.children, self.text_parts = tag, attrs, parent, [], []

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for c in self.children:
            yield from c.iter()

    def find_all(self, tag: Optional[str] = None, cls: Optional[str] = None, **attrs) -> list["Node"]:
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if cls and cls not in n.classes():
                continue
            if all((n.attrs.get(k.replace("_", "-")) == v) if v is not True else k.replace("_", "-") in n.attrs
                   for k, v in attrs.items()):
                out.append(n)
        return out

    def by_id(self, ident: str) -> "Node":
        found = [n for n in self.iter() if n.attrs.get("id") == ident]
        assert len(found) == 1, f"#{ident}: {len(found)} elements"
        return found[0]

    @property
    def text(self) -> str:
        return "".join(self.text_parts) + "".join(c.text for c in self.children)


class Tree(HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, dict(attrs), self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text_parts.append(data)


def parse(text: str) -> Node:
    return Tree(text).root


FAMILIES = [{"family_id": "plan", "doc_id": "plan-b-docx", "path": "papers/plan-b.docx", "title": "Plan B",
             "organisation": "", "version": "3.0", "doc_date": "2019-06-30", "position": 0, "n_actions": 1, "diff": ""},
            {"family_id": "plan", "doc_id": "plan-a-pdf", "path": "papers/plan-a.pdf", "title": "Plan A",
             "organisation": "", "version": "4.0", "doc_date": "2020-01-31", "position": 1, "n_actions": 5,
             "diff": "diffs/plan/plan-b-docx__plan-a-pdf"}]


@pytest.fixture
def page(tmp_path) -> Path:
    report = tmp_path / "diffs" / "plan" / "plan-b-docx__plan-a-pdf" / "report.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html>diff</html>", encoding="utf-8")
    return write_summary(tmp_path / "summary.html", make_results(), families=FAMILIES, seconds=12.5)


def test_documents_table_has_a_row_per_document(page):
    dom = parse(page.read_text(encoding="utf-8"))
    rows = dom.by_id("documents").find_all("tr", cls="document")
    assert [(r.attrs["data-doc-id"], r.attrs["data-status"]) for r in rows] == [
        ("plan-a-pdf", "ok"), ("plan-b-docx", "partial"), ("broken-pdf", "failed"), ("locked-pdf", "encrypted")]
    assert [r.attrs["data-actions"] for r in rows] == ["5", "1", "0", "0"]
    errors = [r.find_all("td", cls="error")[0].text for r in rows]
    assert errors == ["", "1 table could not be read", "PDFSyntaxError: no /Root object", "password required"]


def test_totals(page):
    dom = parse(page.read_text(encoding="utf-8"))
    totals = dom.by_id("totals")
    kinds = {li.attrs["data-kind"]: li.attrs["data-count"] for li in totals.find_all("li", data_kind=True)}
    assert kinds == {"files": "4", "actions": "6", "objectives": "2", "seconds": "12.5"}
    statuses = {li.attrs["data-status"]: li.attrs["data-count"] for li in totals.find_all("li", data_status=True)}
    assert statuses == {"ok": "1", "partial": "1", "failed": "1", "encrypted": "1"}


def test_bars_count_actions_by_status_and_rag(page):
    dom = parse(page.read_text(encoding="utf-8"))
    row = dom.by_id("documents").find_all("tr", data_doc_id="plan-a-pdf")[0]
    rag = {b.attrs["data-rag"]: int(b.attrs["data-count"]) for b in row.find_all(cls="bar", data_rag=True)}
    assert rag == {"red": 1, "amber": 1, "green": 1, "blue": 1, "none": 1}
    status = {b.attrs["data-status"]: int(b.attrs["data-count"]) for b in row.find_all(cls="bar", data_status=True)}
    results = make_results()
    assert status == {**{s: 0 for s in ("not_started", "in_progress", "delayed", "completed", "unknown")},
                      **Counter(a.status for a in results[0].actions)}
    widths = [float(b.attrs["width"]) for b in row.find_all(cls="bar", data_rag=True)]
    assert abs(sum(widths) - 180) < 0.1 and all(w == pytest.approx(36, abs=0.01) for w in widths)
    failed = dom.by_id("documents").find_all("tr", data_doc_id="broken-pdf")[0]
    assert all(b.attrs["data-count"] == "0" for b in failed.find_all(cls="bar"))


def test_document_text_is_escaped(page):
    text = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text
    assert "Plan A &lt;script&gt;alert(1)&lt;/script&gt;" in text
    dom = parse(text)
    assert "Plan A <script>alert(1)</script>" in dom.by_id("documents").text
    assert len(dom.find_all("script")) == 1  # only the page's own


def test_self_contained(page):
    text = page.read_text(encoding="utf-8")
    dom = parse(text)
    assert not dom.find_all("link") and not dom.find_all("img") and not dom.find_all("iframe")
    assert all("src" not in s.attrs for s in dom.find_all("script"))
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text)
    assert "@import" not in text and "url(" not in text
    hrefs = [a.attrs["href"] for a in dom.find_all("a")]
    assert hrefs and all(h.startswith("diffs/") for h in hrefs)


def test_links_to_each_family_diff(page):
    dom = parse(page.read_text(encoding="utf-8"))
    want = "diffs/plan/plan-b-docx__plan-a-pdf/report.html"
    fam = dom.by_id("families").find_all("tr", cls="family-member")
    assert [(r.attrs["data-family-id"], r.attrs["data-doc-id"]) for r in fam] == [("plan", "plan-b-docx"),
                                                                                   ("plan", "plan-a-pdf")]
    assert [a.attrs["href"] for a in fam[1].find_all("a", cls="diff-link")] == [want]
    assert not fam[0].find_all("a")
    reports = dom.by_id("diffs").find_all("li", cls="diff-report")
    assert [li.find_all("a")[0].attrs["href"] for li in reports] == [want]
    assert (page.parent / want).is_file()  # the relative link resolves


def test_no_families_no_sections():
    dom = parse(render_summary(make_results()[:1]))
    assert not [n for n in dom.iter() if n.attrs.get("id") in ("families", "diffs")]
    assert len(dom.by_id("documents").find_all("tr", cls="document")) == 1


def test_empty_batch_renders():
    dom = parse(render_summary([]))
    assert dom.by_id("documents").find_all("tr", cls="document") == []
    assert dom.by_id("totals").find_all("li", data_kind="files")[0].attrs["data-count"] == "0"


# --------------------------------------------------------------------------- rendered by a browser

def _dump_dom(url: str, tmp_path: Path) -> str:
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", url]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"chromium did not run: {exc}")
    if proc.returncode != 0 or "<html" not in proc.stdout:
        pytest.skip(f"chromium did not render (exit {proc.returncode}): {proc.stderr[-300:]}")
    return proc.stdout


@pytest.mark.skipif(not CHROMIUM.is_file() or shutil.which(str(CHROMIUM)) is None,
                    reason="/usr/bin/chromium is not installed")
def test_rendered_dom_in_headless_chromium(page, tmp_path):
    dom = parse(_dump_dom(page.as_uri(), tmp_path))
    body = dom.find_all("body")[0]
    assert body.attrs.get("data-ready") == "true"  # the page's script ran
    rows = dom.by_id("documents").find_all("tr", cls="document")
    assert len(rows) == 4 and not any("hidden" in r.classes() for r in rows)
    assert dom.by_id("visible-count").text == "4"
    assert "Plan A <script>alert(1)</script>" in dom.by_id("documents").text
    rag = {b.attrs["data-rag"]: b.attrs["data-count"] for b in rows[0].find_all(cls="bar", data_rag=True)}
    assert rag == {"red": "1", "amber": "1", "green": "1", "blue": "1", "none": "1"}
    assert dom.by_id("diffs").find_all("a")[0].attrs["href"] == "diffs/plan/plan-b-docx__plan-a-pdf/report.html"

    # the filter works in a real browser: #status=failed shows one row
    dom = parse(_dump_dom(page.as_uri() + "#status=failed", tmp_path))
    shown = [r.attrs["data-doc-id"] for r in dom.by_id("documents").find_all("tr", cls="document")
             if "hidden" not in r.classes()]
    assert shown == ["broken-pdf"] and dom.by_id("visible-count").text == "1"
