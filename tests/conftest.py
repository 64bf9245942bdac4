"""Session fixtures: the shared samples' folder, and documents parsed once per test session.

Paths (and the EXTRACTOR_SHARED override) live in tests/paths.py; this module re-exports ROOT and SAMPLES for
the tests that import them from here.
"""
from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.paths import ROOT, SAMPLES, absent

# conversions of .doc/.odt/.rtf made while testing go to a cache of the test run, not the user's ~/.cache
os.environ.setdefault("EXTRACTOR_CACHE_DIR", tempfile.mkdtemp(prefix="extractor-test-cache-"))

__all__ = ["ROOT", "SAMPLES", "load_gold"]


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def samples() -> Path:
    if not (SAMPLES / "docs").is_dir():
        pytest.skip(absent(SAMPLES))
    return SAMPLES


class _Parsed:
    """`parsed(path)`: the pipeline's DocumentResult for a file (extractor.pipeline.process_file), parsed once per
    session. Each call hands out a copy, so a test that changes its result cannot change another test's."""

    def __init__(self) -> None:
        self._results: dict[str, object] = {}

    def __call__(self, path: str | Path):
        from extractor.pipeline import process_file

        key = str(path)
        if key not in self._results:
            self._results[key] = process_file(key)
        return copy.deepcopy(self._results[key])


class _Layouts:
    """`layout_of(path)`: the file as the ingest stage reads it (extractor.ingest.read, no line-table finder), read
    once per session and shared as is: treat it as read-only."""

    def __init__(self) -> None:
        self._layouts: dict[str, object] = {}

    def __call__(self, path: str | Path):
        from extractor.ingest import read

        key = str(path)
        if key not in self._layouts:
            self._layouts[key] = read(key, Path(key).suffix.lstrip(".").lower())
        return self._layouts[key]


@pytest.fixture(scope="session")
def parsed() -> _Parsed:
    return _Parsed()


@pytest.fixture(scope="session")
def layout_of() -> _Layouts:
    return _Layouts()


class FamilySet:
    """The layout families of tests.synth.families, generated once per session into a temporary folder."""

    def __init__(self, root: Path, report: dict) -> None:
        self.root = root
        self.docs = root / "docs"
        self.report = report  # doc_id -> what the generator measured on its PDF
        self.golds = {p.stem: load_gold(p) for p in sorted((root / "gold").glob("*.json"))}
        self.by_family = {g["family"]: g for g in self.golds.values()}

    def gold(self, family: str) -> dict:
        if family not in self.by_family:
            from tests.synth.families import BY_ID, missing

            pytest.skip(missing(BY_ID[family]) or f"{family} was not generated")
        return self.by_family[family]

    def path(self, family: str, fmt: str) -> Path:
        return self.docs / f"{self.gold(family)['doc_id']}.{fmt}"


@pytest.fixture(scope="session")
def family_set(tmp_path_factory: pytest.TempPathFactory) -> FamilySet:
    pytest.importorskip("reportlab")
    pytest.importorskip("docx")
    from tests.synth.families import generate_families

    root = tmp_path_factory.mktemp("families")
    return FamilySet(root, generate_families(root))


@pytest.fixture(autouse=True)
def _extractor_logger_as_found():
    """The CLI gives the `extractor` logger its own terminal handler and stops it propagating (so messages are
    not printed twice); a test that runs the CLI in-process must not take log records away from the tests
    after it (caplog listens at the root)."""
    import logging

    logger = logging.getLogger("extractor")
    handlers, propagate, level = list(logger.handlers), logger.propagate, logger.level
    yield
    logger.handlers[:] = handlers
    logger.propagate, logger.level = propagate, level
