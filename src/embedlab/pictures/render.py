"""Figures without a display: matplotlib's Agg canvas, saved atomically as PNG or SVG.

Pictures are built on a bare ``Figure`` with an Agg canvas rather than through ``pyplot``, so
they work on a server with no display and never touch pyplot's global state.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from embedlab.errors import EmbedlabError
from embedlab.fileio import atomic_write, check_output_path

#: Picture formats, chosen from the output file's extension.
FORMATS = {".png": "png", ".svg": "svg"}

#: Resolution of every picture (dots per inch): a PNG is ``figsize * DPI`` pixels.
DPI = 100

# matplotlib stamps its web address into file metadata (a report must hold no URL at all) and
# the date into SVGs; without them the same picture gives the same bytes
_METADATA = {"png": {"Software": None}, "svg": {"Creator": None, "Date": None}}
# SVG element ids are salted with a random UUID unless a salt is set
_RC = {"svg.hashsalt": "embedlab"}


def new_figure(figsize: tuple[float, float]) -> Figure:
    """A figure of ``figsize`` inches at :data:`DPI`, drawn by an Agg canvas."""
    fig = Figure(figsize=figsize, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def picture_format(path) -> str:
    """``png`` or ``svg`` from the extension of ``path``, checked before any drawing."""
    path = check_output_path(path)
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise EmbedlabError(
            f"cannot tell the picture format of {str(path)!r}: end the file name in .png or .svg"
        )
    return fmt


def save_figure(fig: Figure, path) -> Path:
    """Write ``fig`` to ``path`` (PNG or SVG by extension) atomically; return the path."""
    fmt = picture_format(path)
    with atomic_write(path, "wb") as handle:
        handle.write(figure_bytes(fig, fmt))
    return Path(path)


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The picture as ``png`` or ``svg`` bytes, for embedding in a report."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buffer.getvalue()
