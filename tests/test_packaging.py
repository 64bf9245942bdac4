"""Packaging: `pip install .` (not editable) must give a working extractor, rules included.

The slow test builds the sdist and the wheel as a user would (`python -m build`: the wheel is built from the
sdist, so both must be complete), installs the wheel into a fresh venv and extracts one of the project's own
plans (PDF and DOCX) with the installed `extractor` command, outside the repository.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.paths import ROOT

PLAN = "eastmoor-council-improvement-plan"  # a small plan: 36 actions in both formats


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_is_listed_and_rules_ship_inside_the_package():
    """The package list is explicit (rules/ is mapped into extractor/rules): a new stage folder must be added."""
    config = _pyproject()["tool"]["setuptools"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "extractor").rglob("__init__.py")}
    assert set(config["packages"]) == on_disk | {"extractor.rules"}
    assert config["package-dir"] == {"extractor.rules": "rules"}
    assert config["package-data"]["extractor.rules"] == ["*.yaml"]


@pytest.mark.slow
def test_the_built_wheel_installs_and_extracts_a_plan(tmp_path):
    if importlib.util.find_spec("build") is None:
        pytest.skip("the 'build' package is not installed (pip install -e '.[test]')")
    dist = tmp_path / "dist"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EXTRACTOR_RULES_DIR")}
    proc = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (wheel,) = dist.glob("extractor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"extractor/rules/{p.name}" for p in (ROOT / "rules").glob("*.yaml")} <= names
    assert not any(n.startswith(("tests/", "rules/")) for n in names)

    # A fresh venv with the wheel alone installed; the dependencies come from this test run's site-packages
    # through a .pth line (installing pandas, spaCy, pyarrow... again would take minutes). Only the lines of a
    # .pth are added to sys.path, not the .pth files they hold, so this venv's editable install stays inactive.
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (site / "zz_test_dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                           str(wheel)], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]

    where = subprocess.run([str(python), "-c", "import extractor, extractor.rules as r; "
                            "print(extractor.__file__); print(r.packaged_rules_dir())"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert where.returncode == 0, where.stderr
    module, rules_dir = where.stdout.split()
    assert Path(module).is_relative_to(site) and Path(rules_dir) == site / "extractor" / "rules"

    docs = [ROOT / "corpus" / f"{PLAN}.{fmt}" for fmt in ("pdf", "docx")]
    out = tmp_path / "out"
    proc = subprocess.run([str(target / "bin" / "extractor"), "batch", *map(str, docs), "--out", str(out),
                           "--no-cache", "-q"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    gold = json.loads((ROOT / "tests" / "corpus_gold" / f"{PLAN}.json").read_text(encoding="utf-8"))
    with open(out / "documents.csv", newline="", encoding="utf-8") as fh:
        documents = list(csv.DictReader(fh))
    with open(out / "actions.csv", newline="", encoding="utf-8") as fh:
        actions = list(csv.DictReader(fh))
    assert [(d["status"], d["title"]) for d in documents] == [("ok", gold["title"])] * 2
    for d in documents:
        refs = [a["ref"] for a in actions if a["doc_id"] == d["doc_id"]]
        assert refs == [a["ref"] for a in gold["actions"]], d["path"]
