"""Node classification, the DeepWalk/node2vec protocol.

For each training fraction, nodes are split at random (one split per repeat, seeded), a
one-vs-rest logistic regression is fitted on the labelled part, and every test node is given
as many labels as it truly has, the highest scored (a node of one label gets the argmax).
Micro- and Macro-F1 are averaged over the repeats.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.graphs.readers import field_lines
from embedlab.limits import NODE_LABELS
from embedlab.vectors.keyed import as_vectors

FRACTIONS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def read_labels(path: str | os.PathLike) -> dict[str, list[str]]:
    """Node -> its labels, from ``node label`` lines (a node may have several lines) or from a
    ``.mat`` file's ``group`` matrix (row ``i`` is node ``"i"``, column ``j`` label ``"j"``)."""
    path = Path(path)
    if not path.is_file():
        raise EmbedlabError(f"labels file {str(path)!r} does not exist: check the path")
    if path.suffix.lower() == ".mat":
        return _mat_labels(path)
    labels: dict[str, list[str]] = {}
    for number, fields in field_lines(path):
        if len(fields) != 2:
            raise EmbedlabError(
                f"{path}:{number}: {len(fields)} fields: a labels line is 'node label'"
            )
        node_labels = labels.setdefault(fields[0], [])
        if fields[1] not in node_labels:
            node_labels.append(fields[1])
    if not labels:
        raise EmbedlabError(f"{path} has no 'node label' lines: give one line per node label")
    return labels


def _mat_labels(path: Path) -> dict[str, list[str]]:
    from embedlab.graphs.matlab import read_mat_matrix

    group = read_mat_matrix(path, ("group",), "node x label matrix")
    return {
        str(i): [str(j) for j in group.indices[group.indptr[i] : group.indptr[i + 1]]]
        for i in range(group.shape[0])
        if group.indptr[i + 1] > group.indptr[i]
    }


def node_classification(
    emb, labels: dict, fractions=FRACTIONS, repeats: int = 5, seed: int = 1
) -> dict:
    """Micro-/Macro-F1 of one-vs-rest logistic regression at each training fraction.

    ``emb`` is any vectors of the protocol or gensim's ``KeyedVectors``. ``labels`` maps a node
    to a label or a list of labels; nodes without a vector are left out and counted in
    ``missing``. Returns ``{"fractions": {"0.1": {"micro_f1", "macro_f1"}, ...},
    "nodes", "labels", "missing", "repeats"}``.
    """
    from embedlab.checks import check_float, check_int

    emb = as_vectors(emb)
    repeats = check_int("repeats", repeats, minimum=1)
    fractions = [check_float("fraction", f, minimum=0.0, maximum=1.0) for f in fractions]
    if any(f in (0.0, 1.0) for f in fractions):
        raise EmbedlabError("training fractions must lie strictly between 0 and 1")
    nodes = [node for node in labels if node in emb]
    if len(nodes) < 2:
        raise EmbedlabError(
            f"only {len(nodes)} of the {len(labels)} labelled nodes have vectors: check that "
            "the labels name the graph's nodes"
        )
    x = np.asarray(emb[nodes], dtype=np.float64)
    y, names = _indicator(labels, nodes)
    scores = {
        f"{f:g}": _mean_scores([_split_scores(x, y, f, seed + r) for r in range(repeats)])
        for f in fractions
    }
    return {
        "fractions": scores,
        "nodes": len(nodes),
        "labels": len(names),
        "missing": len(labels) - len(nodes),
        "repeats": repeats,
    }


def _indicator(labels: dict, nodes: list[str]):
    """The node x label 0/1 matrix and the label names (sorted)."""
    per_node = [[v] if isinstance(v, str) else list(v) for v in (labels[n] for n in nodes)]
    names = sorted({label for node_labels in per_node for label in node_labels})
    NODE_LABELS.check(
        len(names), "the labels name", "merge rare labels, or keep only the most frequent"
    )
    column = {name: j for j, name in enumerate(names)}
    y = np.zeros((len(nodes), len(names)), dtype=np.int8)
    for i, node_labels in enumerate(per_node):
        y[i, [column[label] for label in node_labels]] = 1
    if len(names) < 2:
        raise EmbedlabError("the labels have one class only: node classification needs two")
    return y, names


def _split_scores(x, y, fraction: float, seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier

    order = np.random.default_rng(seed).permutation(x.shape[0])
    cut = min(max(1, round(fraction * x.shape[0])), x.shape[0] - 1)
    train, test = order[:cut], order[cut:]
    model = OneVsRestClassifier(LogisticRegression(solver="liblinear"))
    with warnings.catch_warnings():
        # a rare label may have no positive node in a small training part: the classifier
        # then predicts it never, which is the right score for it
        warnings.simplefilter("ignore")
        model.fit(x[train], y[train])
        predicted = top_k_labels(model.decision_function(x[test]), y[test].sum(axis=1))
        return {
            "micro_f1": float(f1_score(y[test], predicted, average="micro", zero_division=0)),
            "macro_f1": float(f1_score(y[test], predicted, average="macro", zero_division=0)),
        }


def top_k_labels(scores: np.ndarray, k: np.ndarray) -> np.ndarray:
    """0/1 rows with the ``k[i]`` highest scores of row ``i`` set (the protocol's decision)."""
    scores = np.atleast_2d(scores)
    if scores.shape[1] == 1:  # sklearn gives one column for two labels: column 1's margin
        scores = np.hstack([-scores, scores])
    ranks = np.argsort(-scores, axis=1, kind="stable")
    predicted = np.zeros(scores.shape, dtype=np.int8)
    for i, count in enumerate(np.asarray(k, dtype=np.int64)):
        predicted[i, ranks[i, :count]] = 1
    return predicted


def _mean_scores(runs: list[dict]) -> dict:
    return {key: float(np.mean([run[key] for run in runs])) for key in runs[0]}
