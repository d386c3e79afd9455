"""Lesson: notes 003's σ′(x) = σ(x)(1 − σ(x)), line by line and by finite differences.

The notes derive it in steps: σ′ = e⁻ˣ / (1 + e⁻ˣ)² = σ − σ² = σ(1 − σ). At each point the
lesson evaluates the first and the last form (σ by the trainer's ``sigmoid``) beside the central
difference (σ(x + h) − σ(x − h)) / 2h. The default points are where the notes' backpropagation
exercise (every weight 1) evaluates σ′: its hidden units' inputs and its outputs' inputs.
"""

from __future__ import annotations

import math

import numpy as np

from embedlab.checks import check_float
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.word2vec.objectives.logistic import sigmoid
from embedlab.teach.backprop import INPUTS
from embedlab.teach.numeric import central_differences


def exercise_points() -> list[float]:
    """The pre-activations of the backprop exercise with every weight 1: x·1 per hidden unit,
    then h·1 per output (the slides' h = 0.73, 0.98 and y = 0.81, 0.88 are σ of these)."""
    hidden = INPUTS.sum(axis=1)
    outputs = 2 * np.array([sigmoid(float(v)) for v in hidden])
    return [float(v) for v in (*hidden, *outputs)]


def sigmoid_derivative_lesson(points=None, eps: float = 1e-5) -> dict:
    """σ′ at each point four ways. Returns ``{"eps", "rows", "max_abs_error"}``; each row
    ``{x, sigma, derivation, product, numeric, error}``: ``derivation`` e⁻ˣ/(1 + e⁻ˣ)²,
    ``product`` σ(1 − σ), ``error`` the largest difference of the three."""
    eps = check_float("eps", eps, minimum=0.0, exclusive_minimum=True)
    points = exercise_points() if points is None else [float(v) for v in points]
    if not points or not all(math.isfinite(v) for v in points):
        raise EmbedlabError(f"give finite points, e.g. {setting('points', [-2, 0, 2])}")
    rows = []
    for x in points:
        s = sigmoid(x)
        at = np.array([x])
        numeric = float(central_differences(lambda at=at: sigmoid(float(at[0])), at, eps)[0])
        e = math.exp(-abs(x))  # the expression is even in x: |x| keeps exp from overflowing
        derivation = e / (1 + e) ** 2
        product = s * (1 - s)
        error = max(abs(derivation - product), abs(numeric - product), abs(numeric - derivation))
        rows.append(
            {
                "x": x,
                "sigma": s,
                "derivation": derivation,
                "product": product,
                "numeric": numeric,
                "error": error,
            }
        )
    return {"eps": eps, "rows": rows, "max_abs_error": max(r["error"] for r in rows)}
