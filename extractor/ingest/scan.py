"""What a page image shows besides its words: table rulings and cell fill colours (numpy on the pixels).

A scanned page has no vector lines or filled rectangles, so the PDF backend's table finder has nothing to work
with. Here the ruling lines are found as long straight runs of dark pixels (a morphological opening done
with running sums), handed to pdfplumber's table finder as explicit lines, and erased from the image given to
Tesseract (rulings read as "|" and "_" and break the words that touch them). A cell's fill is the colour of
its background pixels, its text left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

INK_MAX_CHANNEL = 140  # a pixel is ink (text, ruling) when even its brightest channel is darker than this
RULING_MIN_INCHES = 0.35  # a ruling is a straight dark run at least this long ...
RULING_MAX_INCHES = 0.04  # ... and at most this thick; thicker runs are filled blocks, whose edges count
WHITE_MIN = 232  # a background lighter than this in every channel is no fill
FILL_MIN_SHARE = 0.5  # a fill covers at least this share of the cell's inner pixels


@dataclass(frozen=True)
class Segment:
    """A ruling in pixel coordinates: x0 <= x1, y0 <= y1 (a horizontal one is thin in y, a vertical one in x)."""
    x0: int
    y0: int
    x1: int
    y1: int


def brightest_channel(rgb: np.ndarray) -> np.ndarray:
    """Per pixel, its brightest channel: black and dark-blue rulings stay dark, red/amber/green fills turn light
    (what the ruling search should see)."""
    return rgb.max(axis=2) if rgb.ndim == 3 else rgb


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Grey levels for Tesseract: white text on a dark header fill stays readable (unlike the brightest channel)."""
    return (rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114).astype(np.uint8)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    return gray < INK_MAX_CHANNEL


def _long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Pixels of `mask` that lie on a horizontal run of at least `length` set pixels (erosion then dilation by a
    1 x length line, with running sums)."""
    h, w = mask.shape
    if length > w:
        return np.zeros_like(mask)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(mask, axis=1, dtype=np.int32, out=c[:, 1:])
    starts = (c[:, length:] - c[:, :-length]) == length  # a full run of `length` starts at column j
    d = np.zeros((h, starts.shape[1] + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, dtype=np.int32, out=d[:, 1:])
    covered = np.zeros_like(mask)
    # pixel j is covered when some start lies in [j - length + 1, j]
    j = np.arange(w)
    hi = np.minimum(j + 1, starts.shape[1])
    lo = np.clip(j - length + 1, 0, starts.shape[1])
    covered[:, :] = (d[:, hi] - d[:, lo]) > 0
    return covered


def _segments(covered: np.ndarray, max_thick: int) -> list[tuple[int, int, int, int]]:
    """Horizontal segments (x0, y0, x1, y1) from the covered pixels: runs in consecutive rows that overlap are
    one segment; a band thicker than max_thick (a filled block) gives its top and bottom edges."""
    open_segs: list[list[int]] = []  # [x0, y0, x1, y1]
    done: list[list[int]] = []
    for y in np.flatnonzero(covered.any(axis=1)):
        row = covered[y].astype(np.int8)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], row, [0]))))
        runs = list(zip(edges[::2], edges[1::2] - 1))
        still_open = []
        for seg in open_segs:
            if seg[3] != y - 1:
                done.append(seg)
            else:
                still_open.append(seg)
        open_segs = still_open
        for x0, x1 in runs:
            for seg in open_segs:
                if seg[3] == y - 1 and x0 <= seg[2] and x1 >= seg[0]:
                    seg[0], seg[2], seg[3] = min(seg[0], x0), max(seg[2], x1), y
                    break
            else:
                open_segs.append([int(x0), int(y), int(x1), int(y)])
    done.extend(open_segs)
    out = []
    for x0, y0, x1, y1 in done:
        if y1 - y0 + 1 <= max_thick:
            out.append((x0, y0, x1, y1))
        else:  # a filled block: its edges are where cell borders are
            out.append((x0, y0, x1, y0))
            out.append((x0, y1, x1, y1))
    return out


RULING_SEARCH_DPI = 150  # rulings are searched for at about this resolution (a quarter of the work at 300 dpi)


def find_rulings(gray: np.ndarray, dpi: float) -> tuple[list[Segment], list[Segment]]:
    """(horizontal, vertical) rulings of a page image (its brightest channel: coloured fills are no ink)."""
    f = max(1, int(dpi // RULING_SEARCH_DPI))
    mask = ink_mask(gray)
    if f > 1:  # a block is ink when any of its pixels is: thin rulings survive the reduction
        h, w = (mask.shape[0] // f) * f, (mask.shape[1] // f) * f
        mask = mask[:h, :w].reshape(h // f, f, w // f, f).any(axis=(1, 3))
    length = max(8, int(RULING_MIN_INCHES * dpi / f))
    thick = max(2, int(round(RULING_MAX_INCHES * dpi / f)))

    def scaled(x0: int, y0: int, x1: int, y1: int) -> Segment:
        return Segment(x0 * f, y0 * f, x1 * f + f - 1, y1 * f + f - 1)

    horizontal = [scaled(*s) for s in _segments(_long_runs(mask, length), thick)]
    vertical = [scaled(y0, x0, y1, x1) for x0, y0, x1, y1 in _segments(_long_runs(mask.T, length), thick)]
    return horizontal, vertical


def split_dark_rows(vertical: list[Segment], horizontal: list[Segment], rgb: np.ndarray,
                    crossed: Callable[[float, int, int], bool], dpi: float, dark: int = 150) -> list[Segment]:
    """Column rulings hidden by a dark row fill (a header row filled in the table's border colour): a row between
    two rulings that is dark gets the column rulings of the table body next to it (starting or ending within an
    inch of it) where the row is dark at that point and no word crosses it (a cell that really spans the
    columns has text across the line). Returns the vertical rulings with those added."""
    tol, reach = max(2, int(dpi / 50)), int(dpi)
    rows = sorted(horizontal, key=lambda h: h.y0)
    added: list[Segment] = []
    for upper, lower in zip(rows, rows[1:]):
        top, bottom = (upper.y0 + upper.y1) // 2, (lower.y0 + lower.y1) // 2
        x0, x1 = max(upper.x0, lower.x0) + tol, min(upper.x1, lower.x1) - tol
        if x1 <= x0 or bottom - top < tol * 3 or bottom - top > reach:
            continue
        xs = sorted({(v.x0 + v.x1) // 2 for v in vertical if x0 < (v.x0 + v.x1) // 2 < x1
                     and (bottom - tol <= v.y0 <= bottom + reach or top - reach <= v.y1 <= top + tol)})
        for x in xs:
            inside = any(v.x0 - tol <= x <= v.x1 + tol and v.y0 <= top + tol and v.y1 >= bottom - tol for v in vertical)
            if not inside and _dark_between(rgb, x, top, bottom, dark) and not crossed(x, top, bottom):
                added.append(Segment(x, top, x, bottom))
    return vertical + added


def invert_dark_cells(gray: np.ndarray, horizontal: list[Segment], vertical: list[Segment], dpi: float,
                      dark: int = 128) -> np.ndarray:
    """The image with table cells that are filled dark (white text on a coloured header row) inverted, so that
    Tesseract reads every cell as dark text on a light ground (on dark fills its words come out garbled or with
    boxes as wide as the row). Cells are the rectangles between consecutive horizontal rulings, cut by the
    vertical rulings that cross them."""
    out = gray
    tol, reach = max(2, int(dpi / 50)), int(dpi)
    rows = sorted(horizontal, key=lambda h: h.y0)
    for upper, lower in zip(rows, rows[1:]):
        top, bottom = upper.y1 + 1, lower.y0
        x0, x1 = max(upper.x0, lower.x0), min(upper.x1, lower.x1)
        if x1 - x0 < tol * 4 or bottom - top < tol * 3 or bottom - top > reach:
            continue
        cuts = sorted(v.x1 + 1 for v in vertical if x0 < v.x0 < x1 and v.y0 <= top + tol and v.y1 >= bottom - tol)
        edges = [x0] + cuts + [x1]
        for a, b in zip(edges, edges[1:]):
            cell = gray[top:bottom, a:b]
            if cell.size and float(np.median(cell)) < dark:
                if out is gray:
                    out = gray.copy()
                out[top:bottom, a:b] = 255 - cell
    return out


def _dark_between(rgb: np.ndarray, x: int, top: int, bottom: int, dark: int) -> bool:
    """Whether the row between two rulings is filled dark around column x (its median luminance)."""
    pad = 3
    patch = rgb[top + pad:bottom - pad, max(0, x - 12):x + 13]
    if patch.size == 0:
        return False
    luminance = patch[..., 0] * 0.299 + patch[..., 1] * 0.587 + patch[..., 2] * 0.114
    return float(np.median(luminance)) < dark


def erase(gray: np.ndarray, segments: list[Segment], pad: int = 1) -> np.ndarray:
    """A copy of the image with the rulings painted white (what Tesseract reads)."""
    out = gray.copy()
    h, w = out.shape
    for s in segments:
        out[max(0, s.y0 - pad):min(h, s.y1 + pad + 1), max(0, s.x0 - pad):min(w, s.x1 + pad + 1)] = 255
    return out


def cell_fill(rgb: np.ndarray, box: tuple[int, int, int, int]) -> str:
    """The fill colour of a cell (box in pixels: x0, y0, x1, y1) as RRGGBB, or "" when its background is white:
    the median of the pixels that are neither ink nor near-white, when they cover most of the cell's inside."""
    x0, y0, x1, y1 = box
    inset_x, inset_y = max(2, (x1 - x0) // 12), max(2, (y1 - y0) // 12)  # off the rulings and their blur
    inner = rgb[y0 + inset_y:y1 - inset_y, x0 + inset_x:x1 - inset_x].reshape(-1, 3)
    if inner.size == 0:
        return ""
    brightest = inner.max(axis=1)
    background = inner[brightest >= INK_MAX_CHANNEL]
    if len(background) == 0:
        return ""
    tinted = background[background.min(axis=1) < WHITE_MIN]
    if len(tinted) < FILL_MIN_SHARE * len(inner):
        return ""
    r, g, b = (int(v) for v in np.median(tinted, axis=0))
    return f"{r:02X}{g:02X}{b:02X}"
