"""Builders of hostile inputs for tests/test_hostile.py (issue 17): hand-written PDFs with a chosen font map or
broken page, odd file names. Each builder writes one file and returns its path."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

PLAN_ROWS = [["Ref", "Action", "Lead", "Due date", "Status"],
             ["1.1", "Review the Z plan", "Director Z", "March 2025", "Complete"],
             ["1.2", "Publish the plan", "Chair", "April 2025", "Not started"]]


def _pdf(objects: list[str]) -> bytes:
    """A PDF file from its objects (numbered from 1; object 1 is the catalog), with a correct xref table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _stream(content: str) -> str:
    return f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream"


def _table_ops(rows: list[list[str]], top: float = 700.0) -> str:
    """Content-stream operators drawing a ruled table (every cell a stroked rectangle) with Helvetica text."""
    xs = [50, 100, 300, 400, 480, 560]
    height = 30
    ops = ["BT /F1 16 Tf 50 750 Td (Action plan 2024) Tj ET", "0.5 w"]
    for r, row in enumerate(rows):
        y = top - r * height
        for c, text in enumerate(row):
            ops.append(f"{xs[c]} {y - height} {xs[c + 1] - xs[c]} {height} re S")
            ops.append(f"BT /F1 9 Tf {xs[c] + 3} {y - 18} Td ({text}) Tj ET")
    return "\n".join(ops)


def plan_pdf(path: Path, cmap_body: Optional[str] = None, rows: Optional[list[list[str]]] = None) -> Path:
    """A one-page action plan (a ruled table of two actions). With `cmap_body` its font carries a ToUnicode map
    (e.g. a bfrange sending a glyph to a lone UTF-16 surrogate: `1 beginbfrange <5A> <5A> [55296] endbfrange`
    makes every "Z" U+D800)."""
    font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica" + (" /ToUnicode 6 0 R >>" if cmap_body else " >>")
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               _stream(_table_ops(rows or PLAN_ROWS)), font]
    if cmap_body:
        objects.append(_stream("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
                               "1 begincodespacerange <00> <FF> endcodespacerange " + cmap_body + " endcmap end end"))
    path.write_bytes(_pdf(objects))
    return path


def surrogate_pdf(path: Path) -> Path:
    """Every "Z" of the plan's text maps to U+D800, half of a UTF-16 pair (not encodable as UTF-8)."""
    return plan_pdf(path, "1 beginbfrange <5A> <5A> [55296] endbfrange")


def pdf_with_a_bad_page(path: Path, bad_page: str = "/MediaBox [0 0 a b]", pages: int = 3, bad_index: int = 1) -> Path:
    """A plan of `pages` pages, each the same ruled action table; page `bad_index` (0-based) carries `bad_page`
    in place of its MediaBox (by default a box of keywords, which pdfminer cannot read as numbers)."""
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
               _stream(_table_ops(PLAN_ROWS)), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        box = bad_page if i == bad_index else "/MediaBox [0 0 612 792]"
        objects.append(f"<< /Type /Page /Parent 2 0 R {box} /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>")
    path.write_bytes(_pdf(objects))
    return path


def non_utf8_name(folder: Path, stem: bytes = b"plan-\xff", suffix: str = ".docx") -> Optional[Path]:
    """A path in `folder` whose name holds bytes that are not UTF-8 (None where the filesystem refuses it)."""
    import os

    raw = os.path.join(os.fsencode(folder), stem + suffix.encode())
    try:
        with open(raw, "wb"):
            pass
    except (OSError, ValueError):
        return None
    return Path(os.fsdecode(raw))
