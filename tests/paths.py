"""Where the tests find the repository and the shared folders (samples with gold, real-world documents).

The shared folders sit beside the clone (../shared) unless EXTRACTOR_SHARED names the folder that holds
corpus-samples/ and realworld/ (bench/realworld.py reads the same variable). Tests that need a folder that is
absent skip, saying which folder and how to point at it.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"  # the project's own generated plans (tests/synth), gold in tests/corpus_gold
CORPUS_GOLD = ROOT / "tests" / "corpus_gold"

SHARED = Path(os.environ.get("EXTRACTOR_SHARED") or ROOT.parent / "shared").expanduser()
SAMPLES = SHARED / "corpus-samples"
SAMPLE_DOCS = SAMPLES / "docs"
SAMPLE_GOLD = SAMPLES / "gold"
REALWORLD = SHARED / "realworld"


def absent(folder: Path) -> str:
    """The skip reason for a shared folder that is not there."""
    return f"{folder} is not present (set EXTRACTOR_SHARED to the folder holding corpus-samples/ and realworld/)"
