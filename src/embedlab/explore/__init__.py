"""The explorer: a local web page over one or two vectors files (``embedlab explore``).

Search with autocomplete, nearest neighbours, analogies (3CosAdd, 3CosMul), a canvas map of up to
100,000 words (PCA, t-SNE, UMAP or axes given by formulas) coloured by groups, two models side by
side (neighbour overlaps, Procrustes alignment, the benchmark pairs they disagree on), exports
for spreadsheets and the TensorFlow Embedding Projector, and a self-contained static page.

``api.py`` answers (plain data from ``embedlab.query``), ``server.py`` serves them with the
standard library's HTTP server, ``maps.py`` computes map coordinates, ``export.py`` writes
CSV/TSV, ``static.py`` the one-file page; ``assets/`` holds the page, its script and its style.
"""

from __future__ import annotations

from embedlab.explore.api import Explorer
from embedlab.explore.server import ExplorerServer, serve
from embedlab.explore.static import write_static

__all__ = ["Explorer", "ExplorerServer", "serve", "write_static"]
