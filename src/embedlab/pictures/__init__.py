"""Seeing and judging embeddings: word maps, training curves and the comparison report.

``plot_map`` projects chosen words with PCA (the eigenvectors of the centred XᵀX, as in the
notes) or t-SNE and draws them labelled, grouped and linked by analogy arrows; ``plot_history``
draws a run's loss and throughput per epoch; ``compare`` scores several vectors files on every
benchmark and writes one self-contained HTML report. Pictures are PNG or SVG, drawn without a
display and written atomically.

The names below are imported on first use, so that ``embedlab.pictures.projection`` (plain
NumPy, what the explorer's maps use) loads without matplotlib.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "plot_history": "curves",
    "read_history": "curves",
    "WordMap": "maps",
    "draw_map": "maps",
    "plot_map": "maps",
    "pca": "projection",
    "project": "projection",
    "tsne": "projection",
    "compare": "report",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = [
    "WordMap",
    "compare",
    "draw_map",
    "pca",
    "plot_history",
    "plot_map",
    "project",
    "read_history",
    "tsne",
]
