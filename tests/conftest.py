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
