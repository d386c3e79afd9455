"""Lesson: the notes' (003) backpropagation exercise, by autograd and by finite differences.

Three inputs, two sigmoid hidden units, two sigmoid outputs, every weight 1, two training
examples, learning rate 1, the square error ``L = ½ (1/N) ΣΣ (t - y)²``. The gradients come
from :mod:`embedlab.teach.autograd`; central finite differences of the same loss check them, and
the notes' closed forms (``δ = (t - y) y (1 - y)``) are evaluated beside them.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_float
from embedlab.teach import autograd as ag
from embedlab.teach import slips
from embedlab.teach.numeric import central_differences

#: The exercise's inputs (one example per row) and targets.
INPUTS = np.array([[-1.0, 0.0, 2.0], [2.0, 1.0, 1.0]])
TARGETS = np.array([[0.0, 1.0], [1.0, 0.0]])


def _loss(X, T, W1, W2) -> tuple[ag.Node, ag.Node, ag.Node]:
    """The loss, the hidden layer H and the output Y."""
    H = ag.sigmoid(ag.Node(X) @ W1)
    Y = ag.sigmoid(H @ W2)
    return ag.scale(ag.total(ag.square(ag.Node(T) - Y)), 0.5 / X.shape[0]), H, Y


def _finite_differences(X, T, W1, W2, which, eps) -> np.ndarray:
    weights = {"W1": W1.copy(), "W2": W2.copy()}
    loss = lambda: _loss(X, T, ag.Node(weights["W1"]), ag.Node(weights["W2"]))[0].value  # noqa: E731
    return central_differences(loss, weights[which], eps)


def backprop_lesson(learning_rate: float = 1.0, eps: float = 1e-6) -> dict:
    """One batch gradient-descent step on the notes' network.

    Weights are indexed as the notes do: ``w⁽¹⁾[i, j]`` joins input i to hidden unit j,
    ``w⁽²⁾[i, j]`` hidden unit i to output j (1-based in the names, 0-based in the arrays).
    Returns ``{"H", "Y", "loss", "loss_as_written", "gradients": {"W1", "W2"}, "numeric",
    "deltas", "updated": {"W1", "W2"}, "w2_12", "w1_22", "max_abs_error", "slips"}``; ``w2_12``
    and ``w1_22`` hold the two weights the notes update: ``gradient``, ``formula``, ``numeric``
    and ``after`` (``w1_22`` also ``output_2_only``, the gradient the slide's Σ_{l=2}^{2} would
    give). ``deltas[e][l]`` is δ_{e,l} = (t − y)·y·(1 − y) of example e and output l.
    """
    lr = check_float("learning_rate", learning_rate, minimum=0.0, exclusive_minimum=True)
    X, T = INPUTS, TARGETS
    W1, W2 = ag.Node(np.ones((3, 2))), ag.Node(np.ones((2, 2)))
    loss, H, Y = _loss(X, T, W1, W2)
    ag.backward(loss)
    numeric = {k: _finite_differences(X, T, W1.value, W2.value, k, eps) for k in ("W1", "W2")}
    h, y, n = H.value, Y.value, X.shape[0]
    delta = (T - y) * y * (1 - y)
    # the notes' closed forms, which their update rule adds: w := w + (1/N) Σ ...
    formula_w2_12 = -np.sum(delta[:, 1] * h[:, 0]) / n
    formula_w1_22 = -np.sum(h[:, 1] * (1 - h[:, 1]) * X[:, 1] * (delta @ W2.value[1])) / n
    # the slide's first line sums the outputs from l = 2 only
    output_2_only = -np.sum(h[:, 1] * (1 - h[:, 1]) * X[:, 1] * delta[:, 1] * W2.value[1, 1]) / n
    updated = {"W1": W1.value - lr * W1.grad, "W2": W2.value - lr * W2.grad}
    grads = {"W1": W1.grad, "W2": W2.grad}
    picked = {
        "w2_12": ("W2", (0, 1), formula_w2_12),
        "w1_22": ("W1", (1, 1), formula_w1_22),
    }
    report = {
        name: {
            "gradient": float(grads[key][at]),
            "formula": float(formula),
            "numeric": float(numeric[key][at]),
            "before": 1.0,
            "after": float(updated[key][at]),
        }
        for name, (key, at, formula) in picked.items()
    }
    report["w1_22"]["output_2_only"] = float(output_2_only)
    error = max(float(np.max(np.abs(grads[k] - numeric[k]))) for k in grads)
    result = {
        "inputs": X.tolist(),
        "targets": T.tolist(),
        "learning_rate": lr,
        "H": h.tolist(),
        "Y": y.tolist(),
        "loss": float(loss.value),
        # the notes write L with a leading minus; their update rule descends the loss without it
        "loss_as_written": -float(loss.value),
        "deltas": delta.tolist(),
        "gradients": {"W1": W1.grad.tolist(), "W2": W2.grad.tolist()},
        "numeric": {k: v.tolist() for k, v in numeric.items()},
        "updated": {k: v.tolist() for k, v in updated.items()},
        **report,
        "max_abs_error": error,
    }
    result["slips"] = slips.as_dicts(slips.backprop(result))
    return result
