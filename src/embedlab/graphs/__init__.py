"""Graphs for node embeddings: reading them into CSR form and walking them into a corpus.

``read_graph`` reads a file, ``walk_corpus`` turns a ``Graph`` into the ``EncodedCorpus`` that
skip-gram and CBOW train on (its words are the node names); ``methods/walks.py`` puts the two
together as the ``deepwalk`` and ``node2vec`` methods.
"""

from __future__ import annotations

import os

from embedlab.errors import EmbedlabError
from embedlab.graphs.graph import Graph, build_graph
from embedlab.graphs.readers import FORMATS, detect_format, read_graph, write_edgelist

__all__ = [
    "FORMATS",
    "Graph",
    "as_graph",
    "build_graph",
    "detect_format",
    "karate_club",
    "read_graph",
    "write_edgelist",
]


def as_graph(graph, **reading) -> Graph:
    """A ``Graph`` as is, or a path read with ``read_graph(path, **reading)``."""
    if isinstance(graph, Graph):
        return graph
    if isinstance(graph, (str, os.PathLike)):
        return read_graph(graph, **reading)
    raise EmbedlabError(
        f"a graph method needs a graph file or an embedlab.graphs.Graph, got "
        f"{type(graph).__name__}: pass the path of an edge list, adjacency list, .mat or .npz"
    )


def karate_club() -> tuple[Graph, dict[str, str]]:
    """Zachary's karate club (bundled, see ``data/README.md``) and each member's faction."""
    from importlib import resources

    folder = resources.files("embedlab") / "data"
    graph = read_graph(str(folder / "karate.edgelist"))
    factions = {}
    for line in (folder / "karate.labels").read_text(encoding="utf-8").splitlines():
        node, faction = line.split(maxsplit=1)
        factions[node] = faction
    return graph, factions
