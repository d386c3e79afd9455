"""Reading graphs: edge lists, adjacency lists and sparse matrices (.mat, .npz).

Text formats keep node names as written; a matrix's nodes are named by their row number from
0 (BlogCatalog's ``group`` labels use the same rows). Every reader ends in ``build_graph``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np

from embedlab.arrays import check_npz
from embedlab.errors import EmbedlabError, setting
from embedlab.fileio import open_input, read_error
from embedlab.graphs.graph import Graph, build_graph
from embedlab.resources import check_memory

FORMATS = ("edgelist", "adjlist", "mat", "npz")
#: The extensions that name a format; anything else needs ``graph_format``.
SUFFIXES = {
    ".edg": "edgelist",
    ".edgelist": "edgelist",
    ".txt": "edgelist",
    ".adjlist": "adjlist",
    ".mat": "mat",
    ".npz": "npz",
}
#: The names a MATLAB file's adjacency matrix goes by (BlogCatalog's is ``network``).
MAT_KEYS = ("network", "graph", "adjacency", "A")
#: What one node's name takes in memory (a short str, its list slot and its dict entry).
_NAME_BYTES = 150
_SMALLER = "the matrix claims more nodes than this machine can name; check the file"


def detect_format(path: str | os.PathLike, fmt: str | None = None) -> str:
    """The format of ``path``: ``fmt`` when given, else the one its extension names."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise EmbedlabError(f"unknown graph format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        known = ", ".join(SUFFIXES)
        raise EmbedlabError(
            f"cannot tell the graph format of {str(path)!r} from its extension (known: {known}):"
            f" pass {setting('graph_format', FORMATS[0])} or another of {', '.join(FORMATS[1:])}"
        )
    return SUFFIXES[suffix]


def read_graph(
    path: str | os.PathLike,
    *,
    directed: bool = False,
    weighted: bool = False,
    graph_format: str | None = None,
) -> Graph:
    """Read ``path`` into a ``Graph`` (see ``build_graph`` for self-loops, repeats, isolated
    nodes).

    Parameters:
        directed: keep each edge's direction (default False: ``u v`` links both ways).
        weighted: use the third column of an edge list, or a matrix's values, as weights
            (default False: every edge weighs 1).
        graph_format: ``edgelist``, ``adjlist``, ``mat`` or ``npz``; default from the extension.
    """
    fmt = detect_format(path, graph_format)
    if not Path(path).is_file():
        raise EmbedlabError(f"graph file {str(path)!r} does not exist: check the path")
    if fmt == "adjlist" and weighted:
        raise EmbedlabError(
            f"an adjacency list has no weights: drop {setting('weighted', True)}, or give an "
            "edge list 'u v weight'"
        )
    reader = {"edgelist": _read_edgelist, "adjlist": _read_adjlist}.get(fmt, _read_matrix)
    return reader(Path(path), fmt, directed, weighted)


def _read_edgelist(path: Path, fmt, directed: bool, weighted: bool) -> Graph:
    names = _Names()
    sources, targets, weights = [], [], []
    ignored = 0
    for number, fields in field_lines(path):
        if len(fields) not in (2, 3):
            raise EmbedlabError(
                f"{path}:{number}: {len(fields)} fields: an edge list line is 'u v' or 'u v weight'"
            )
        sources.append(names.id(fields[0]))
        targets.append(names.id(fields[1]))
        if len(fields) == 3 and not weighted:
            ignored += 1
        elif weighted:
            weights.append(_weight(fields, path, number))
    graph = build_graph(
        names.names,
        sources,
        targets,
        weights if weighted else None,
        directed=directed,
        origin=str(path),
    )
    if ignored:
        note = (
            f"ignored the third column of {ignored:,} lines: pass {setting('weighted', True)} "
            "to use weights"
        )
        graph = _with_note(graph, note)
    return graph


def _weight(fields: list[str], path: Path, number: int) -> float:
    if len(fields) != 3:
        raise EmbedlabError(
            f"{path}:{number}: no weight: with {setting('weighted', True)} every line is "
            "'u v weight'"
        )
    try:
        return float(fields[2])
    except ValueError:
        raise EmbedlabError(
            f"{path}:{number}: weight {fields[2]!r} is not a number: give 'u v weight'"
        ) from None


def _read_adjlist(path: Path, fmt, directed: bool, weighted: bool) -> Graph:
    names = _Names()
    sources, targets = [], []
    for _number, fields in field_lines(path):
        node = names.id(fields[0])
        for other in fields[1:]:
            sources.append(node)
            targets.append(names.id(other))
    return build_graph(names.names, sources, targets, directed=directed, origin=str(path))


def _read_matrix(path: Path, fmt: str, directed: bool, weighted: bool) -> Graph:
    import scipy.sparse as sp

    matrix = _load_matrix(path, fmt)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise EmbedlabError(
            f"{path}: the adjacency matrix is {' x '.join(map(str, matrix.shape))}: a graph "
            "needs a square matrix"
        )
    coo = sp.coo_matrix(matrix)
    coo.eliminate_zeros()
    rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
    values = coo.data.astype(np.float64) if weighted else None
    notes: list[str] = []
    if not directed:
        rows, cols, values = _one_triangle(rows, cols, values, matrix.shape[0], path, notes)
    # A sparse matrix's shape is a claim its data need not back (isolated nodes cost no bytes):
    # the node names are only made once the machine is known to hold them.
    check_memory(f"reading {path}", {"node names": matrix.shape[0] * _NAME_BYTES}, _SMALLER)
    names = [str(i) for i in range(matrix.shape[0])]
    graph = build_graph(names, rows, cols, values, directed=directed, origin=str(path))
    for note in notes:
        graph = _with_note(graph, note)
    return graph


def _one_triangle(rows, cols, values, n: int, path: Path, notes: list[str]):
    """Each undirected edge once: a symmetric matrix stores it twice, which is no repeat.

    A matrix that is not symmetric is passed on whole, so ``build_graph`` reports its
    one-sided entries and its clashing weights as it does for an edge list.
    """
    upper, lower = rows < cols, rows > cols
    order_up = np.argsort(rows[upper] * n + cols[upper])
    order_low = np.argsort(cols[lower] * n + rows[lower])
    same_pattern = np.array_equal(
        (rows[upper] * n + cols[upper])[order_up], (cols[lower] * n + rows[lower])[order_low]
    )
    same_values = values is None or (
        same_pattern and np.array_equal(values[upper][order_up], values[lower][order_low])
    )
    if same_pattern and same_values:
        keep = rows <= cols
        return rows[keep], cols[keep], None if values is None else values[keep]
    if not same_pattern:
        notes.append(
            f"{path.name}: the matrix is not symmetric; read as undirected, an entry in either "
            f"direction links both nodes (pass {setting('directed', True)} to keep directions)"
        )
    return rows, cols, values


def _load_matrix(path: Path, fmt: str):
    if fmt == "mat":
        from embedlab.graphs.matlab import read_mat_matrix

        return read_mat_matrix(path, MAT_KEYS, "adjacency matrix")
    import scipy.sparse as sp

    try:
        check_npz(path, f"the graph {str(path)!r}")
        with open_input(path) as handle:
            matrix = sp.load_npz(handle)
        matrix.check_format(full_check=True)
        return matrix
    except EmbedlabError:
        raise
    except Exception as err:  # scipy raises many kinds for a foreign or damaged file
        raise EmbedlabError(
            f"{path} is not a readable npz sparse matrix ({type(err).__name__}): save it with "
            "scipy.sparse.save_npz"
        ) from None


def field_lines(path: Path):
    """``(line number, fields)`` of every line that is not blank or a ``#`` comment.

    The one reader of whitespace-separated text files: graphs, labels and link-prediction pairs.
    """
    try:
        with io.TextIOWrapper(open_input(path), encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                fields = line.split()
                if fields and not fields[0].startswith("#"):
                    yield number, fields
    except UnicodeDecodeError as err:
        raise EmbedlabError(
            f"{path}: byte {err.start} is not UTF-8: give the graph as UTF-8 text"
        ) from None
    except OSError as err:
        raise read_error(path, err) from None


class _Names:
    """Node names in order of first appearance, and their ids."""

    def __init__(self):
        self.names: list[str] = []
        self._ids: dict[str, int] = {}

    def id(self, name: str) -> int:
        found = self._ids.get(name)
        if found is None:
            found = self._ids[name] = len(self.names)
            self.names.append(name)
        return found


def _with_note(graph: Graph, note: str) -> Graph:
    from dataclasses import replace

    return replace(graph, notes=graph.notes + (note,))


def write_edgelist(graph: Graph, path: str | os.PathLike) -> None:
    """Write ``graph`` as an edge list (``u v`` or ``u v weight``), atomically."""
    from embedlab.fileio import atomic_write

    sources, targets, weights = graph.edges()
    nodes = graph.nodes
    with atomic_write(path, "w", encoding="utf-8") as out:
        if weights is None:
            for s, t in zip(sources.tolist(), targets.tolist(), strict=False):
                out.write(f"{nodes[s]} {nodes[t]}\n")
        else:
            for s, t, w in zip(sources.tolist(), targets.tolist(), weights.tolist(), strict=False):
                out.write(f"{nodes[s]} {nodes[t]} {w!r}\n")
