"""Lesson: notes 002's five matrix-calculus rules, each checked by finite differences.

The notes state, with x ∈ ℝⁿ and z ∈ ℝᵐ, the Jacobian ∂z/∂x having one row per output:

- z = W x (W is m × n): ∂z/∂x = W;
- z = x W (x a row, W is n × m): ∂z/∂x = Wᵀ;
- z = f(x) elementwise: ∂z/∂x = diag(f′(x));
- z = W x, L = f(z): ∂L/∂W = (∂L/∂z)ᵀ xᵀ;
- z = x W, L = f(z): ∂L/∂W = xᵀ (∂L/∂z).

Each rule is evaluated on random inputs and set beside central differences of the function
itself. The scalar L is the softmax cross-entropy ``−log softmax(z)[0]`` (word2vec's full-
softmax loss for a target at row 0), whose gradient ∂L/∂z = softmax(z) − e₀ is a row; the
elementwise f is the trainer's sigmoid, f′ = σ(1 − σ).
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_float, check_int
from embedlab.methods.word2vec.objectives.logistic import sigmoid
from embedlab.teach.numeric import central_differences


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.array([sigmoid(float(v)) for v in x])


def _cross_entropy(z: np.ndarray) -> float:
    top = z.max()
    return float(top + np.log(np.exp(z - top).sum()) - z[0])


def _cross_entropy_gradient(z: np.ndarray) -> np.ndarray:
    p = np.exp(z - z.max())
    p /= p.sum()
    p[0] -= 1.0
    return p


def _rule(name: str, formula: str, analytic, numeric) -> dict:
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    return {
        "rule": name,
        "formula": formula,
        "shape": list(analytic.shape),
        "analytic": analytic.tolist(),
        "numeric": numeric.tolist(),
        "max_abs_error": float(np.max(np.abs(analytic - numeric))),
    }


def matrix_calculus_lesson(n: int = 3, m: int = 2, seed: int = 0, eps: float = 1e-6) -> dict:
    """The five rules on random x ∈ ℝⁿ and W (``seed``), each against central differences.

    Returns ``{"n", "m", "eps", "x", "W", "W_row", "rules", "max_abs_error"}``: ``W`` is the
    m × n matrix of z = Wx, ``W_row`` the n × m matrix of z = xW; each rule has its ``rule``
    (what is differentiated), ``formula`` (the notes' answer), ``analytic`` (the formula's
    matrix), ``numeric`` (central differences) and ``max_abs_error``.
    """
    n = check_int("n", n, minimum=1)
    m = check_int("m", m, minimum=1)
    eps = check_float("eps", eps, minimum=0.0, exclusive_minimum=True)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    x = rng.normal(size=n)
    W = rng.normal(size=(m, n))
    W_row = rng.normal(size=(n, m))
    sig = _sigmoid(x)
    z_col, z_row = W @ x, x @ W_row
    rules = [
        _rule("z = Wx: ∂z/∂x", "W", W, central_differences(lambda: W @ x, x, eps)),
        _rule("z = xW: ∂z/∂x", "Wᵀ", W_row.T, central_differences(lambda: x @ W_row, x, eps)),
        _rule(
            "z = σ(x): ∂z/∂x",
            "diag(σ′(x)) = diag(σ(1 − σ))",
            np.diag(sig * (1 - sig)),
            central_differences(lambda: _sigmoid(x), x, eps),
        ),
        _rule(
            "z = Wx, L = CE(z): ∂L/∂W",
            "(∂L/∂z)ᵀ xᵀ",
            np.outer(_cross_entropy_gradient(z_col), x),
            central_differences(lambda: _cross_entropy(W @ x), W, eps),
        ),
        _rule(
            "z = xW, L = CE(z): ∂L/∂W",
            "xᵀ (∂L/∂z)",
            np.outer(x, _cross_entropy_gradient(z_row)),
            central_differences(lambda: _cross_entropy(x @ W_row), W_row, eps),
        ),
    ]
    return {
        "n": n,
        "m": m,
        "eps": eps,
        "x": x.tolist(),
        "W": W.tolist(),
        "W_row": W_row.tolist(),
        "rules": rules,
        "max_abs_error": max(r["max_abs_error"] for r in rules),
    }
