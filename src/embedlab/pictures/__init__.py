"""Seeing and judging embeddings: word maps, training curves and the comparison report.

``plot_map`` projects chosen words with PCA (the eigenvectors of the centred XᵀX, as in the
notes) or t-SNE and draws them labelled, grouped and linked by analogy arrows; ``plot_history``
draws a run's loss and throughput per epoch; ``compare`` scores several vectors files on every
benchmark and writes one self-contained HTML report. Pictures are PNG or SVG, drawn without a
display and written atomically.
"""

from __future__ import annotations

from embedlab.pictures.curves import plot_history, read_history
from embedlab.pictures.maps import WordMap, draw_map, plot_map
from embedlab.pictures.projection import pca, project, tsne
from embedlab.pictures.report import compare

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
