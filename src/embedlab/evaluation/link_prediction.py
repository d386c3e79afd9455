"""Link prediction: hold edges out before training, then tell them from non-edges.

``split_edges`` removes a fraction of the edges (never a node's last one, so every node still
gets a vector) and samples as many node pairs that are not edges of the whole graph; the
training graph and the labelled pairs are written apart, so the embeddings never see a held-out
edge. ``link_prediction`` scores the pairs and reports ROC-AUC.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from numba import njit

from embedlab.errors import EmbedlabError
from embedlab.graphs.graph import Graph, build_graph
from embedlab.graphs.readers import field_lines
from embedlab.vectors.keyed import as_vectors

OPERATORS = ("dot", "hadamard")


def split_edges(graph: Graph, fraction: float = 0.5, seed: int = 1):
    """``(training graph, pairs, labels)``: ``pairs`` int64 (k, 2) node ids of ``graph``,
    label 1 for a held-out edge and 0 for a sampled non-edge, as many of each."""
    from embedlab.checks import check_float

    fraction = check_float("fraction", fraction, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    sources, targets, weights = graph.edges()
    rng = np.random.default_rng(seed)
    order = rng.permutation(sources.size)
    # edges() lists an undirected edge once, so counting both ends is every node's degree
    degree = np.bincount(np.r_[sources, targets], minlength=graph.n_nodes)
    held = _hold_out(sources[order], targets[order], degree, int(round(fraction * sources.size)))
    if held.sum() == 0:
        raise EmbedlabError(
            "no edge can be held out without leaving a node edgeless: give a denser graph"
        )
    held = held[np.argsort(order)]  # back to edge order
    keep = ~held
    train = build_graph(
        graph.nodes,
        sources[keep],
        targets[keep],
        None if weights is None else weights[keep],
        directed=graph.directed,
        origin="the training graph",
    )
    positives = np.stack([sources[held], targets[held]], axis=1)
    negatives = _non_edges(graph, sources, targets, positives.shape[0], rng)
    pairs = np.concatenate([positives, negatives])
    labels = np.r_[np.ones(len(positives), np.int8), np.zeros(len(negatives), np.int8)]
    return train, pairs, labels


@njit(cache=True)
def _hold_out(sources, targets, degree, wanted):
    """Greedily mark edges (in the given random order) whose ends both keep another edge."""
    held = np.zeros(sources.shape[0], dtype=np.bool_)
    count = 0
    for e in range(sources.shape[0]):
        if count == wanted:
            break
        s = sources[e]
        t = targets[e]
        if degree[s] > 1 and degree[t] > 1:
            degree[s] -= 1
            degree[t] -= 1
            held[e] = True
            count += 1
    return held


def _non_edges(graph: Graph, sources, targets, count: int, rng) -> np.ndarray:
    """``count`` distinct node pairs, no self-pair, that are not edges of ``graph`` (whose
    ``edges()`` are ``sources``, ``targets``)."""
    n = graph.n_nodes
    canonical = not graph.directed

    def keys(a, b):
        if canonical:
            a, b = np.minimum(a, b), np.maximum(a, b)
        return a * n + b

    existing = np.unique(keys(sources, targets))
    possible = n * (n - 1) // (2 if canonical else 1) - existing.size
    if possible < count:
        raise EmbedlabError(
            f"the graph has only {possible} non-edges for {count} held-out edges: hold out less"
        )
    found = np.empty(0, dtype=np.int64)
    while found.size < count:
        a = rng.integers(0, n, size=2 * count)
        b = rng.integers(0, n, size=2 * count)
        fresh = keys(a, b)[a != b]
        fresh = fresh[~np.isin(fresh, existing)]
        found = np.unique(np.r_[found, fresh])
    chosen = rng.permutation(found)[:count]
    return np.stack([chosen // n, chosen % n], axis=1)


def write_pairs(path: str | os.PathLike, nodes: list[str], pairs, labels) -> None:
    """``u v label`` lines (1 held-out edge, 0 non-edge), atomically."""
    from embedlab.fileio import atomic_write

    with atomic_write(path, "w", encoding="utf-8") as out:
        for (a, b), label in zip(pairs.tolist(), labels.tolist(), strict=False):
            out.write(f"{nodes[a]} {nodes[b]} {label}\n")


def read_pairs(path: str | os.PathLike) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The pairs and 0/1 labels of a ``u v label`` file (as ``write_pairs`` writes)."""
    path = Path(path)
    if not path.is_file():
        raise EmbedlabError(f"pairs file {str(path)!r} does not exist: check the path")
    pairs, labels = [], []
    for number, fields in field_lines(path):
        if len(fields) != 3 or fields[2] not in ("0", "1"):
            raise EmbedlabError(
                f"{path}:{number}: expected 'u v label' with label 1 (edge) or 0 (non-edge),"
                " as written by embedlab split-edges"
            )
        pairs.append((fields[0], fields[1]))
        labels.append(int(fields[2]))
    return pairs, np.asarray(labels, dtype=np.int8)


def link_prediction(emb, pairs, labels, operator: str = "hadamard", seed: int = 1) -> dict:
    """ROC-AUC of telling held-out edges (label 1) from non-edges (label 0).

    ``dot`` scores a pair by ``u . v``, nothing fitted. ``hadamard`` fits a logistic regression
    on the element-wise products ``u * v`` (node2vec's edge features): the pairs are cut in two
    halves, each scored by the model fitted on the other, and the AUC is taken over all. Pairs
    with a node lacking a vector are left out and counted in ``missing``. ``emb`` is any
    vectors of the protocol or gensim's ``KeyedVectors``.
    """
    from sklearn.metrics import roc_auc_score

    emb = as_vectors(emb)
    from embedlab.checks import check_choice

    check_choice("operator", operator, OPERATORS)
    labels = np.asarray(labels)
    known = np.array([a in emb and b in emb for a, b in pairs], dtype=bool)
    pairs = [pair for pair, ok in zip(pairs, known, strict=False) if ok]
    labels = labels[known]
    if len(set(labels.tolist())) < 2:
        raise EmbedlabError(
            "link prediction needs held-out edges and non-edges with vectors: check that the "
            "pairs file names the trained graph's nodes"
        )
    left = np.asarray(emb[[a for a, _ in pairs]], dtype=np.float64)
    right = np.asarray(emb[[b for _, b in pairs]], dtype=np.float64)
    if operator == "dot":
        scores = np.einsum("ij,ij->i", left, right)
    else:
        scores = _cross_fitted(left * right, labels, seed)
    return {
        "operator": operator,
        "roc_auc": float(roc_auc_score(labels, scores)),
        "pairs": len(pairs),
        "missing": int((~known).sum()),
    }


def _cross_fitted(features, labels, seed: int) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    scores = np.empty(labels.shape[0], dtype=np.float64)
    folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=seed)
    for fit_rows, score_rows in folds.split(features, labels):
        model = LogisticRegression(solver="liblinear").fit(features[fit_rows], labels[fit_rows])
        scores[score_rows] = model.decision_function(features[score_rows])
    return scores
