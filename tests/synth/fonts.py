"""A TrueType font for PDFs that print checkbox glyphs (U+2610 ☐, U+2612 ☒) and ticks (U+2713 ✓).

reportlab's built-in fonts have none of them (its ZapfDingbats comes out as letters through pdfminer), so the
families that need them use DejaVu Sans when the system has it (Debian/Ubuntu: fonts-dejavu-core) and are
left out of the generated set otherwise.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

CANDIDATES = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
              "/usr/local/share/fonts", "/Library/Fonts")


@functools.cache
def dejavu_dir() -> Optional[Path]:
    for d in CANDIDATES:
        if (Path(d) / "DejaVuSans.ttf").is_file() and (Path(d) / "DejaVuSans-Bold.ttf").is_file():
            return Path(d)
    return None


def dejavu_available() -> bool:
    return dejavu_dir() is not None


@functools.cache
def register_dejavu() -> tuple[str, str]:
    """Register DejaVu Sans (regular, bold) with reportlab; their font names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    d = dejavu_dir()
    if d is None:
        raise RuntimeError("DejaVu Sans is not installed (fonts-dejavu-core)")
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(d / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(d / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"
