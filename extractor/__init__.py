"""extractor: board papers (PDF, DOCX) in, clean action-plan data out.

    from extractor import extract, diff
    res = extract(["papers/"], workers=2)      # -> Result: .documents / .actions / .objectives DataFrames
    d = diff("plan-v3.pdf", "plan-v4.docx")     # -> DiffResult: .crosswalk / .changes DataFrames

`import extractor` stays cheap: the pipeline, pandas and the writers load on first use.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "extract", "diff", "Result", "DiffResult"]

_LAZY = {"extract": "extract", "diff": "diff", "Result": "Result", "DiffResult": "DiffResult"}


def __getattr__(name: str):
    if name in _LAZY:
        from extractor import api

        return getattr(api, _LAZY[name])
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
