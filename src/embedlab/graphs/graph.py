"""The CSR graph every walk runs on, and the one builder that turns edges into it.

Every reader hands its edges to ``build_graph``, so self-loops, duplicate edges and isolated
nodes are treated the same whatever the file format, and each treatment is told in
``Graph.notes`` rather than silently applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.errors import EmbedlabError

#: Notes name at most this many examples of what was dropped.
_EXAMPLES = 3


@dataclass(frozen=True, eq=False)
class Graph:
    """A graph in compressed sparse row form, nodes named by strings.

    Attributes:
        nodes: node names; node ``i`` is ``nodes[i]``.
        indptr: int64 (n + 1): the out-neighbours of ``i`` are ``indices[indptr[i]:indptr[i+1]]``.
        indices: int32 neighbour ids, sorted within each node (walks test "is ``x`` a neighbour
            of ``t``" by binary search).
        weights: float64 edge weights aligned with ``indices``, or None for an unweighted graph.
        directed: False when every edge is stored in both directions.
        notes: what the builder did to the input (dropped self-loops, merged duplicates,
            dropped isolated nodes), one sentence each.
    """

    nodes: list[str]
    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray | None
    directed: bool
    notes: tuple[str, ...] = ()

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Edges as given: an undirected edge counts once."""
        stored = int(self.indices.shape[0])
        return stored if self.directed else stored // 2

    def degrees(self) -> np.ndarray:
        """Out-degree of every node (int64)."""
        return np.diff(self.indptr)

    def neighbours(self, node: int) -> np.ndarray:
        return self.indices[self.indptr[node] : self.indptr[node + 1]]

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """``(sources, targets, weights)``, each undirected edge once (source < target)."""
        sources = np.repeat(np.arange(self.n_nodes, dtype=np.int64), self.degrees())
        targets = self.indices.astype(np.int64)
        keep = slice(None) if self.directed else sources < targets
        weights = None if self.weights is None else self.weights[keep]
        return sources[keep], targets[keep], weights


def build_graph(nodes, sources, targets, weights=None, *, directed: bool, origin: str) -> Graph:
    """A ``Graph`` from parallel arrays of edge end points (node ids into ``nodes``).

    What is done with irregular input, each reported in ``notes``:

    - a self-loop is dropped (a walk that stays put teaches nothing);
    - a repeated edge (for an undirected graph, ``u v`` and ``v u`` too) is kept once; with
      weights, repeats of different weight are an error, since which weight was meant is
      unknown;
    - a node left without edges is dropped (no walk can reach it, so it gets no vector).

    ``origin`` names the input in messages. Weights must be positive and finite.
    """
    nodes = list(nodes)
    sources = np.asarray(sources, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64)
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64)
        _check_weights(weights, origin)
    notes: list[str] = []
    sources, targets, weights = _drop_self_loops(nodes, sources, targets, weights, notes)
    if not directed:
        sources, targets = np.minimum(sources, targets), np.maximum(sources, targets)
    sources, targets, weights = _merge_repeats(nodes, sources, targets, weights, origin, notes)
    if sources.size == 0:
        raise EmbedlabError(f"{origin} has no edges between two different nodes: give a graph")
    if not directed:
        sources, targets = np.concatenate([sources, targets]), np.concatenate([targets, sources])
        weights = None if weights is None else np.concatenate([weights, weights])
    nodes, sources, targets = _drop_isolated(nodes, sources, targets, notes)
    indptr, indices, weights = _csr(len(nodes), sources, targets, weights)
    return Graph(nodes, indptr, indices, weights, bool(directed), tuple(notes))


def _check_weights(weights: np.ndarray, origin: str) -> None:
    bad = np.flatnonzero(~(np.isfinite(weights) & (weights > 0)))
    if bad.size:
        raise EmbedlabError(
            f"{origin}: edge {bad[0] + 1} has weight {weights[bad[0]]:g}: weights must be "
            "positive numbers (drop the edge instead of giving it weight 0)"
        )


def _drop_self_loops(nodes, sources, targets, weights, notes):
    loops = sources == targets
    if not loops.any():
        return sources, targets, weights
    shown = _examples(nodes[i] for i in sources[loops])
    notes.append(f"dropped {int(loops.sum()):,} self-loops ({shown})")
    keep = ~loops
    return sources[keep], targets[keep], None if weights is None else weights[keep]


def _merge_repeats(nodes, sources, targets, weights, origin, notes):
    order = np.lexsort((targets, sources))
    sources, targets = sources[order], targets[order]
    weights = None if weights is None else weights[order]
    repeat = np.zeros(sources.size, dtype=bool)
    repeat[1:] = (sources[1:] == sources[:-1]) & (targets[1:] == targets[:-1])
    if not repeat.any():
        return sources, targets, weights
    if weights is not None:
        clash = np.flatnonzero(repeat & np.r_[False, weights[1:] != weights[:-1]])
        if clash.size:
            i = clash[0]
            raise EmbedlabError(
                f"{origin}: edge {nodes[sources[i]]} {nodes[targets[i]]} is given twice with "
                f"weights {weights[i - 1]:g} and {weights[i]:g}: give each edge once"
            )
    shown = _examples(
        f"{nodes[s]} {nodes[t]}" for s, t in zip(sources[repeat], targets[repeat], strict=False)
    )
    notes.append(f"kept {int(repeat.sum()):,} repeated edges once ({shown})")
    keep = ~repeat
    return sources[keep], targets[keep], None if weights is None else weights[keep]


def _drop_isolated(nodes, sources, targets, notes):
    linked = np.zeros(len(nodes), dtype=bool)
    linked[sources] = True
    linked[targets] = True
    if linked.all():
        return nodes, sources, targets
    lonely = np.flatnonzero(~linked)
    notes.append(
        f"dropped {lonely.size:,} isolated nodes ({_examples(nodes[i] for i in lonely)}): "
        "they have no edges, so no walk visits them and they get no vector"
    )
    renumber = np.cumsum(linked) - 1
    kept = [nodes[i] for i in np.flatnonzero(linked)]
    return kept, renumber[sources], renumber[targets]


def _csr(n: int, sources, targets, weights):
    order = np.lexsort((targets, sources))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=n), out=indptr[1:])
    indices = targets[order].astype(np.int32)
    return indptr, indices, None if weights is None else weights[order]


def _examples(names) -> str:
    names = [str(name) for _, name in zip(range(_EXAMPLES + 1), names, strict=False)]
    more = ", ..." if len(names) > _EXAMPLES else ""
    return "e.g. " + ", ".join(names[:_EXAMPLES]) + more
