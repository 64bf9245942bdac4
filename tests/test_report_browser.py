"""report.html in a real browser: headless Chromium loads the page (its script runs) and dumps the DOM.

Skipped where Chromium is not installed (/usr/bin/chromium or `chromium` on PATH); nothing is installed at
run time. Checks the DOM hooks documented in extractor/report.py, that hostile document text shows as text
and runs nothing, and that the filter checkboxes hide and show change rows.
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
from extractor.output.diffs import write_diff
from extractor.versions.reconcile import CHANGE_FIELDS, reconcile
from extractor.versions.report import JS, page_title


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
    assert (counts["matched"], counts["added"], counts["removed"]) == (4, 2, 1)
    items = tree.xpath("//*[@id='headline']/li[@data-kind][@data-count]")
    shown = {li.get("data-kind"): int(li.get("data-count")) for li in items}
    changed = len({(c.old_action_id, c.new_action_id) for c in diff.changes})
    assert changed == 4
    assert shown == {"matched": 4, "added": 2, "removed": 1, "split": 0, "merged": 0, "changed": 4,
                     "changed_beyond_ref": 4}
    for li in items:  # the visible number is the data-count
        assert one(li, f".//span[{cls('n')}]").text_content().strip() == li.get("data-count")
    fields = {li.get("data-field"): int(li.get("data-count"))
              for li in tree.xpath("//*[@id='headline-fields']/li[@data-field]")}
    assert fields == diff.change_counts()
    assert fields == {"status": 2, "rag": 3, "due_date": 1, "due_revised": 0, "owner": 1, "text": 1, "ref": 4}


def test_matrices(dom):
    _, tree = dom

    def count(table: str, old: str, new: str) -> int:
        return int(one(tree, f"//table[@id='{table}']//td[@data-old='{old}'][@data-new='{new}']").get("data-count"))

    assert count("status-matrix", "in_progress", "completed") == 2
    assert count("status-matrix", "in_progress", "in_progress") == 1
    assert count("status-matrix", "completed", "completed") == 1
    assert count("rag-matrix", "amber", "blue") == 2
    assert count("rag-matrix", "green", "amber") == 1
    assert count("rag-matrix", "blue", "blue") == 1
    assert count("rag-matrix", "amber", "amber") == 0
    total = sum(int(td.get("data-count")) for td in tree.xpath("//table[@id='status-matrix']//td[@data-count]"))
    assert total == 4
    rag_new = {tr.get("data-rag"): int(one(tr, "./td[@data-side='new']").get("data-count"))
               for tr in tree.xpath("//table[@id='rag-counts']//tr[@data-rag]")}
    assert rag_new == {"red": 1, "amber": 1, "green": 0, "blue": 3, "none": 1}


def test_change_rows_filters_added_removed(report, dom):
    _, tree = dom
    diff = report["diff"]
    boxes = tree.xpath("//*[@id='filters']//input[@data-filter]")
    assert [b.get("data-filter") for b in boxes] == list(CHANGE_FIELDS)
    assert all(b.get("type") == "checkbox" and b.get("checked") is not None for b in boxes)
    rows = tree.xpath(f"//*[@id='changes']//tr[{cls('change')}][@data-field]")
    assert len(rows) == len(diff.changes)
    by_field: dict[str, int] = {}
    for tr in rows:
        by_field[tr.get("data-field")] = by_field.get(tr.get("data-field"), 0) + 1
        assert tr.get("hidden") is None  # every filter on: the script hid nothing
    assert by_field == {f: n for f, n in diff.change_counts().items() if n}
    slip = one(tree, "//tr[@data-field='due_date']//span[@data-slip-days]")
    assert slip.get("data-slip-days") == "92" and "late" in slip.get("class")
    assert one(tree, "//*[@id='shown-count']").text_content() == str(len(diff.changes))

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
    assert "Review R&D governance arrangements & the approvals process" in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw and ALERT not in raw  # serialised escaped
    groups = tree.xpath("//*[@id='changes']//section[@data-section]")
    assert {g.get("data-section") for g in groups} == {"Leadership & culture", f"Assurance {PWN_ATTR}"}
    owner = tree.xpath(f"//*[@id='changes']//tr[@data-field='owner']//td[{cls('values')}]")
    assert len(owner) == 1 and PWN_IMG in owner[0].text_content()
    assert PWN_SCRIPT in one(tree, "//tr[@data-new-id='new-a0004']").text_content()


DRIVER = """<script id="test-driver">
(function(){
  var root=document.documentElement;
  function shown(){return document.getElementById('shown-count').textContent;}
  function box(f){return document.querySelector('#filters input[data-filter="'+f+'"]');}
  function toggle(f,on){var b=box(f); b.checked=on; b.dispatchEvent(new Event('change'));}
  toggle('ref',false);
  root.setAttribute('data-shown-no-ref', shown());
  root.setAttribute('data-hidden-ref-rows', document.querySelectorAll('#changes tr.change[data-field="ref"][hidden]').length);
  root.setAttribute('data-visible-status-rows', document.querySelectorAll('#changes tr.change[data-field="status"]:not([hidden])').length);
  document.getElementById('filter-none').click();
  root.setAttribute('data-shown-none', shown());
  root.setAttribute('data-hidden-groups', document.querySelectorAll('#changes section.section-group[hidden]').length);
  document.getElementById('filter-all').click();
  toggle('status',false); toggle('rag',false); toggle('due_date',false); toggle('ref',false); toggle('owner',false);
  root.setAttribute('data-shown-text-only', shown());
})();
</script>
"""  # noqa: E501 (the driver script as the browser runs it)


def test_filters_hide_and_show_rows(report, tmp_path):
    """The report's own script, driven like a reader would: untick a field, 'none', 'all'."""
    diff = report["diff"]
    page = report["dir"] / "report-driven.html"
    page.write_text(report["path"].read_text(encoding="utf-8").replace("</body>", DRIVER + "</body>"),
                    encoding="utf-8")
    tree = lxml_html.document_fromstring(dump_dom(page, tmp_path))
    cc = diff.change_counts()
    assert int(tree.get("data-shown-no-ref")) == len(diff.changes) - cc["ref"]
    assert int(tree.get("data-hidden-ref-rows")) == cc["ref"]
    assert int(tree.get("data-visible-status-rows")) == cc["status"]
    assert tree.get("data-shown-none") == "0"
    assert int(tree.get("data-hidden-groups")) == len(tree.xpath("//*[@id='changes']//section[@data-section]")) == 2
    assert int(tree.get("data-shown-text-only")) == cc["text"]
    # final state: only the wording change visible, the section without one hidden
    visible = tree.xpath(f"//*[@id='changes']//tr[{cls('change')}][not(@hidden)]")
    assert [tr.get("data-field") for tr in visible] == ["text"]
    groups = {g.get("data-section"): g.get("hidden") is not None
              for g in tree.xpath("//*[@id='changes']//section[@data-section]")}
    assert groups == {"Leadership & culture": True, f"Assurance {PWN_ATTR}": False}
