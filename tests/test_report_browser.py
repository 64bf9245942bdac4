"""report.html and timeline.html in a real browser: headless Chromium loads the page (its script runs) and
dumps the DOM.

Skipped where Chromium is not installed (/usr/bin/chromium or `chromium` on PATH); nothing is installed at
run time. Checks the DOM hooks documented in extractor/versions/report.py and timeline.py: one row per
changed action, renumbering collapsed and hidden by default, word-level marks, the filter checkboxes, the
series timeline with its slipped dates; and that hostile document text shows as text and runs nothing.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html  # lxml comes with python-docx

from extractor.model import Action, DocumentResult
from extractor.output.diffs import write_diff, write_families
from extractor.versions.reconcile import reconcile
from extractor.versions.report import FILTER_FIELDS, JS, page_title


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

ALERT = "<script>alert(1)</script>"
PWN_SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
PWN_IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
PWN_ATTR = "\"><script>document.title='pwned'</script><b data-pwned=\"attr"
TIMEOUT = 45
# put first in <head> of the page under test: a dialog an injected script opens would otherwise block headless
# Chromium until the timeout; this records it instead
GUARD = ("<script id=\"test-guard\">window.alert=window.confirm=window.prompt=function(m){"
         "document.documentElement.setAttribute('data-pwned','dialog:'+m);};</script>")


def act(doc: str, k: int, text: str, ref: str, **kw) -> Action:
    kw.setdefault("page_first", k)
    return Action(doc_id=doc, action_id=f"{doc}-a{k:04d}", ref=ref, ref_norm=ref, text=text, **kw)


def build_pair() -> tuple[list[Action], list[Action]]:
    lead = "Leadership & culture"
    hostile = f"Assurance {PWN_ATTR}"
    old = [
        act("old", 1, "Induction programme in place for all new Governing Body members", "5.1", section=lead,
            status="in_progress", rag="amber", owner="Chief Nurse", due_date="2020-03-31"),
        act("old", 2, "Review R&D governance arrangements & the approvals process for research studies", "5.2",
            section=lead, status="in_progress", rag="amber", owner="Medical Director"),
        act("old", 3, "Recruitment tracker monitored on a weekly basis by the HR business partner", "5.3",
            section=lead, status="in_progress", rag="green", due_date="2020-06-30"),
        act("old", 4, "Commission external OD resource to develop a training programme for the executive team",
            "5.4", section=lead, status="not_started", rag="red"),
        act("old", 5, "Review standing orders and standing financial instructions and provide training", "6.1",
            section=hostile, status="completed", rag="blue", owner="Director of Finance"),
        act("old", 6, "Publish the register of interests of every Governing Body member each quarter", "5.5",
            section=lead, status="in_progress", rag="green", progress="Published for Q2"),
        act("old", 7, "Hold an annual development day for the Governing Body with an external facilitator",
            "5.6", section=lead, status="not_started", rag="red"),
    ]
    new = [
        act("new", 1, "Induction programme in place for all new Governing Body members", "6.1", section=lead,
            status="completed", rag="blue", owner="Chief Nurse", due_date="2020-03-31"),
        act("new", 2, "Review R&D governance arrangements & the approvals process for research studies", "6.2",
            section=lead, status="completed", rag="blue", owner="Medical Director"),
        act("new", 3, "Recruitment tracker monitored on a weekly basis by the HR business partner", "6.3",
            section=lead, status="in_progress", rag="amber", due_date="2020-09-30"),
        act("new", 4, f"Publish {ALERT} guidance on board assurance for all committee chairs", "6.4",
            section=lead, status="not_started", rag="red", owner=PWN_SCRIPT),
        act("new", 5, "Review standing orders and standing financial instructions and provide training to all "
            "budget holders", "7.1",
            section=hostile, status="completed", rag="blue", owner=f"Director of Finance {PWN_IMG}"),
        act("new", 6, f"Run a staff survey {PWN_IMG} on speaking up & raising concerns", "7.2",
            section=hostile, status="not_started", rag=""),
        act("new", 7, "Publish the register of interests of every Governing Body member each quarter", "6.5",
            section=lead, status="in_progress", rag="green", progress="Published for Q3; Q4 due in January"),
        act("new", 8, "Hold an annual development day for the Governing Body with an external facilitator",
            "6.6", section=lead, status="not_started", rag="red"),
    ]
    return old, new


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    old, new = build_pair()
    od = DocumentResult(doc_id="plan-v3", path="/in/plan-v3.pdf", title=f"Health & Care Plan {ALERT}",
                        organisation="NHS Example & Partners", version="3.0", doc_date="2019-06-30", pages=9,
                        actions=old)
    nd = DocumentResult(doc_id="plan-v4", path="/in/plan-v4.pdf", title=f"Health & Care Plan {ALERT}",
                        organisation="NHS Example & Partners", version="4.0", doc_date="2020-01-31", pages=10,
                        actions=new)
    diff = reconcile(old, new)
    write_diff(diff, od, nd, out)
    text = (out / "report.html").read_text(encoding="utf-8")
    assert text.count("<head>") == 1
    guarded = out / "report-guarded.html"
    guarded.write_text(text.replace("<head>", "<head>" + GUARD, 1), encoding="utf-8")
    return {"dir": out, "diff": diff, "title": page_title(od, nd), "path": guarded}


def dump_dom(page: Path, work: Path) -> str:
    """The DOM after load (scripts run, up to 2 s of virtual time), as Chromium serialises it."""
    profile = work / "profile"
    profile.mkdir(parents=True, exist_ok=True)
    argv = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--virtual-time-budget=2000",
            "--dump-dom", page.resolve().as_uri()]
    env = dict(os.environ, HOME=str(work), XDG_CONFIG_HOME=str(work / "config"), XDG_CACHE_HOME=str(work / "cache"))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"chromium did not finish within {TIMEOUT}s")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # helpers it may have left behind
        except (ProcessLookupError, PermissionError):
            pass
    text = out.decode("utf-8", "replace")
    assert proc.returncode == 0 and "<html" in text, \
        f"chromium exit {proc.returncode}: {err.decode('utf-8', 'replace')[-1500:]}"
    return text


@pytest.fixture(scope="module")
def dom(report, tmp_path_factory):
    text = dump_dom(report["path"], tmp_path_factory.mktemp("chromium"))
    return text, lxml_html.document_fromstring(text)


def one(tree, xpath: str):
    found = tree.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches"
    return found[0]


def cls(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def norm_ws(s: str) -> str:
    return " ".join(s.split())


def test_headline_counts(report, dom):
    _, tree = dom
    diff = report["diff"]
    counts = diff.counts()
    assert (counts["matched"], counts["added"], counts["removed"]) == (6, 2, 1)
    items = tree.xpath("//*[@id='headline']/li[@data-kind][@data-count]")
    shown = {li.get("data-kind"): int(li.get("data-count")) for li in items}
    assert shown == {"matched": 6, "added": 2, "removed": 1, "split": 0, "merged": 0, "changed": 6,
                     "changed_beyond_ref": 4, "renumbered_only": 1}
    for li in items:  # the visible number is the data-count
        assert one(li, f".//span[{cls('n')}]").text_content().strip() == li.get("data-count")
    fields = {li.get("data-field"): int(li.get("data-count"))
              for li in tree.xpath("//*[@id='headline-fields']/li[@data-field]")}
    assert fields == diff.change_counts()
    assert fields == {"status": 2, "rag": 3, "due_date": 1, "due_revised": 0, "owner": 1, "text": 1, "ref": 6}


def test_one_row_per_action_status_moves_first_renumbering_collapsed(report, dom):
    _, tree = dom
    rows = tree.xpath(f"//table[@id='actions']//tr[{cls('action-row')}]")
    assert [r.get("data-new-id") for r in rows] == ["new-a0001", "new-a0002", "new-a0003", "new-a0005",
                                                    "new-a0007", "new-a0008"]
    assert [r.get("data-fields") for r in rows] == ["status rag ref", "status rag ref", "rag due_date ref",
                                                    "owner text ref", "ref progress", "ref"]
    visible = [r.get("data-new-id") for r in rows if r.get("hidden") is None]
    assert visible == ["new-a0001", "new-a0002", "new-a0003", "new-a0005", "new-a0007"]  # renumbering hidden
    assert one(tree, "//*[@id='shown-count']").text_content() == "5"
    renum = one(tree, "//ul[@id='renumbering']/li")
    assert (renum.get("data-old-prefix"), renum.get("data-new-prefix"), renum.get("data-count")) == ("5.", "6.", "1")
    assert norm_ws(renum.text_content()) == "5.* → 6.*, 1 action"
    # all of an action's changes side by side, in its own row
    row = rows[2]
    changed = {td.get("data-field") for td in row.xpath(f"./td[{cls('changed')}]")}
    assert changed == {"rag", "due_date", "ref"}
    slip = one(row, ".//span[@data-slip-days]")
    assert slip.get("data-slip-days") == "92" and "late" in slip.get("class")
    # wording marked word by word, progress notes old and new
    wording = one(rows[3], "./td[@data-field='text']")
    assert [x.text_content() for x in wording.xpath(".//ins[contains(@class,'word')]")] == ["to all budget holders"]
    assert wording.xpath(".//del") == []
    note = one(rows[4], "./td[@data-field='progress']")
    assert [norm_ws(d.text_content()) for d in note.xpath("./div")] == [
        "wasPublished for Q2", "nowPublished for Q3; Q4 due in January"]


def test_matrices(dom):
    _, tree = dom

    def count(table: str, old: str, new: str) -> int:
        return int(one(tree, f"//table[@id='{table}']//td[@data-old='{old}'][@data-new='{new}']").get("data-count"))

    assert count("status-matrix", "in_progress", "completed") == 2
    assert count("status-matrix", "in_progress", "in_progress") == 2
    assert count("rag-matrix", "amber", "blue") == 2
    assert count("rag-matrix", "green", "amber") == 1
    rag_new = {tr.get("data-rag"): int(one(tr, "./td[@data-side='new']").get("data-count"))
               for tr in tree.xpath("//table[@id='rag-counts']//tr[@data-rag]")}
    assert rag_new == {"red": 2, "amber": 1, "green": 1, "blue": 3, "none": 1}


def test_added_removed(dom):
    _, tree = dom
    added = tree.xpath(f"//*[@id='added']//tr[{cls('added-action')}]")
    assert [tr.get("data-new-id") for tr in added] == ["new-a0004", "new-a0006"]
    removed = tree.xpath(f"//*[@id='removed']//tr[{cls('removed-action')}]")
    assert [tr.get("data-old-id") for tr in removed] == ["old-a0004"]
    assert "Commission external OD resource" in removed[0].text_content()
    assert tree.xpath(f"//*[@id='split-merged']//tr[{cls('split-merged-action')}]") == []


def test_hostile_text_is_text_and_runs_nothing(report, dom):
    raw, tree = dom
    # nothing injected ran or was created
    assert tree.get("data-pwned") is None
    assert tree.xpath("//*[@data-pwned]") == [] and tree.xpath("//img") == [] and tree.xpath("//b") == []
    assert one(tree, "//title").text_content() == report["title"]
    assert "pwned" not in one(tree, "//title").text_content()
    scripts = tree.xpath("//script[not(@id='test-guard')]")
    assert len(scripts) == 1 and scripts[0].text_content().strip() == JS.strip()
    assert "onerror" not in [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib]
    # ... and every piece of it reads as the text it was
    body = tree.xpath("//body")[0].text_content()
    assert f"Publish {ALERT} guidance" in body
    assert f"Health & Care Plan {ALERT}" in one(tree, "//h1").text_content()
    assert PWN_SCRIPT in body and PWN_IMG in body and PWN_ATTR in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and ALERT not in raw  # serialised escaped
    owner = one(tree, "//tr[@data-new-id='new-a0005']/td[@data-field='owner']")
    assert PWN_IMG in owner.text_content()
    assert PWN_SCRIPT in one(tree, "//tr[@data-new-id='new-a0004']").text_content()


DRIVER = """<script id="test-driver">
(function(){
  var root=document.documentElement;
  function shown(){return document.getElementById('shown-count').textContent;}
  function box(f){return document.querySelector('#filters input[data-filter="'+f+'"]');}
  function toggle(el,on){el.checked=on; el.dispatchEvent(new Event('change'));}
  toggle(document.getElementById('show-renumbered'),true);
  root.setAttribute('data-shown-with-renumbered', shown());
  toggle(document.getElementById('show-renumbered'),false);
  document.getElementById('filter-none').click();
  root.setAttribute('data-shown-none', shown());
  toggle(box('progress'),true);
  root.setAttribute('data-shown-progress', shown());
  document.getElementById('filter-all').click();
  toggle(box('status'),false); toggle(box('rag'),false); toggle(box('ref'),false);
  root.setAttribute('data-shown-no-status-rag', shown());
})();
</script>
"""  # noqa: E501 (the driver script as the browser runs it)


def test_filters_hide_and_show_rows(report, tmp_path):
    """The report's own script, driven like a reader would: show the renumbered, 'none', one field, 'all'."""
    page = report["dir"] / "report-driven.html"
    page.write_text(report["path"].read_text(encoding="utf-8").replace("</body>", DRIVER + "</body>"),
                    encoding="utf-8")
    tree = lxml_html.document_fromstring(dump_dom(page, tmp_path))
    boxes = tree.xpath("//*[@id='filters']//input[@data-filter]")
    assert [b.get("data-filter") for b in boxes] == list(FILTER_FIELDS)
    assert tree.get("data-shown-with-renumbered") == "6"
    assert tree.get("data-shown-none") == "0"
    assert tree.get("data-shown-progress") == "1"
    # status, RAG and reference unticked: rows with another change stay (due date, wording, progress)
    assert tree.get("data-shown-no-status-rag") == "3"
    visible = tree.xpath(f"//table[@id='actions']//tr[{cls('action-row')}][not(@hidden)]")
    assert [tr.get("data-new-id") for tr in visible] == ["new-a0003", "new-a0005", "new-a0007"]


# --------------------------------------------------------------------------- the series timeline


def _series() -> list[DocumentResult]:
    texts = ["Publish the board assurance framework every quarter",
             "Appoint a Freedom to Speak Up guardian for the trust",
             "Review the committee structure of the board",
             f"Audit the <b data-pwned=\"1\">estates</b> backlog {ALERT}"]
    plan = [  # per version: (text index, status, rag, due) of the actions present
        [(0, "in_progress", "green", "2021-03-31"), (1, "not_started", "red", "2021-06-30"),
         (2, "in_progress", "amber", "2021-01-31")],
        [(0, "in_progress", "amber", "2021-06-30"), (1, "in_progress", "amber", "2021-06-30"),
         (2, "completed", "blue", "2021-01-31")],
        [(0, "completed", "blue", "2021-06-30"), (1, "in_progress", "green", "2021-09-30"),
         (3, "not_started", "red", "2022-03-31")],
    ]
    docs = []
    for k, rows in enumerate(plan):
        doc_id = f"bt-plan-{k + 1}-pdf"
        acts = [Action(doc_id=doc_id, action_id=f"{doc_id}-a{n + 1:04d}", text=texts[t], status=st, rag=rag,
                       due_date=due, due_raw=due) for n, (t, st, rag, due) in enumerate(rows)]
        docs.append(DocumentResult(doc_id=doc_id, path=f"/in/bt-plan-{k + 1}.pdf", sha256=f"sha{k}", format="pdf",
                                   title="Well-led Improvement Plan", organisation="Brackenford Trust",
                                   doc_date=f"2021-0{k * 3 + 1}-15", actions=acts))
    return docs


@pytest.fixture(scope="module")
def timeline(tmp_path_factory):
    out = tmp_path_factory.mktemp("series")
    fams = write_families(_series(), out)
    assert len(fams) == 1
    path = out / "diffs" / fams[0].family_id / "timeline.html"
    text = path.read_text(encoding="utf-8")
    guarded = path.with_name("timeline-guarded.html")
    guarded.write_text(text.replace("<head>", "<head>" + GUARD, 1), encoding="utf-8")
    return lxml_html.document_fromstring(dump_dom(guarded, tmp_path_factory.mktemp("chromium-t")))


def test_timeline_one_row_per_action_one_column_per_version(timeline):
    tree = timeline
    assert "Well-led Improvement Plan: 3 versions, 15 January 2021 to 15 July 2021" == \
        one(tree, "//h1").text_content()
    heads = tree.xpath("//tr[@id='versions']/th[@data-position]")
    assert [h.get("data-doc-id") for h in heads] == ["bt-plan-1-pdf", "bt-plan-2-pdf", "bt-plan-3-pdf"]
    rows = tree.xpath(f"//table[@id='timeline']//tr[{cls('thread')}]")
    assert len(rows) == 4
    by_text = {r.xpath("./td[contains(@class,'text')]")[0].text_content().split("not started")[0]
               .split("in progress")[0].strip(): r for r in rows}
    bafr = by_text["Publish the board assurance framework every quarter"]
    cells = bafr.xpath("./td[@data-position]")
    assert [c.get("data-status") for c in cells] == ["in_progress", "in_progress", "completed"]
    assert [c.get("data-rag") for c in cells] == ["green", "amber", "blue"]
    assert "slipped" in cells[1].get("class") and cells[1].xpath(".//span[@data-slip-days='91']")
    assert "slipped" not in cells[2].get("class")
    committee = by_text["Review the committee structure of the board"]
    assert [c.get("data-presence") for c in committee.xpath("./td[@data-position]")] == ["present", "present",
                                                                                        "absent"]
    audit = [r for r in rows if "Audit the" in r.text_content()][0]
    assert [c.get("data-presence") for c in audit.xpath("./td[@data-position]")] == ["absent", "absent", "present"]
    assert ALERT in audit.text_content() and tree.xpath("//b") == [] and tree.get("data-pwned") is None
    assert "in progress → completed" in bafr.text_content()


def test_timeline_filter_keeps_the_moving_actions(tmp_path, timeline):
    tree = timeline
    rows = tree.xpath(f"//table[@id='timeline']//tr[{cls('thread')}]")
    moving = [r for r in rows if r.get("data-slipped") is not None or r.get("data-status-changed") is not None]
    assert len(moving) == 3 and all(r.get("hidden") is None for r in rows)  # filter off by default
    assert one(tree, "//*[@id='threads-shown']").text_content() == "4"
