from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "corpus-samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    if not (SAMPLES / "docs").is_dir():
        pytest.skip("../shared/corpus-samples is not present")
    return SAMPLES


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


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
