"""String helpers every stage may use (a core module: it imports nothing from the package)."""
from __future__ import annotations

import re
from typing import Optional

_WS = re.compile(r"\s+")


def ws(text: Optional[str]) -> str:
    """Each run of whitespace (spaces, tabs, line breaks, non-breaking spaces) as one space, ends trimmed;
    None -> ""."""
    return _WS.sub(" ", text or "").strip()
