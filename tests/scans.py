"""Scanned renderings made on the fly (no binary fixtures): a PDF's pages rendered to images, then written back
as an image-only PDF, as a scanner or a "print to image" would leave them."""
from __future__ import annotations

import io
from pathlib import Path


def make_scanned_pdf(source: Path, target: Path, dpi: int = 150, jpeg_quality: int = 75) -> Path:
    """Every page of `source` as a colour JPEG at `dpi` (compression artefacts included), in an image-only PDF of
    the same page size: no text layer, no vector rulings, fills only as pixels."""
    import pdfplumber
    from PIL import Image

    pages: list[Image.Image] = []
    with pdfplumber.open(str(source)) as pdf:
        for page in pdf.pages:
            image = page.to_image(resolution=dpi).original.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=jpeg_quality)
            pages.append(Image.open(io.BytesIO(buffer.getvalue())))
            page.close()
    pages[0].save(str(target), format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    return target
