"""Central finite differences: the check every derivative lesson sets beside its formula."""

from __future__ import annotations

import numpy as np


def central_differences(function, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """``∂ function() / ∂ x`` by ``(f(x + eps) - f(x - eps)) / (2 eps)``, entry by entry.

    ``x`` is nudged in place and restored, so ``function`` (no arguments) reads it through a
    closure. ``function`` returns a number or an array; the result has the shape of its value
    followed by the shape of ``x`` (for a vector function of a vector: the Jacobian, one row
    per output).
    """
    first = np.asarray(function(), dtype=np.float64)
    out = np.zeros(first.shape + x.shape)
    for i in np.ndindex(x.shape):
        keep = x[i]
        x[i] = keep + eps
        up = np.asarray(function(), dtype=np.float64)
        x[i] = keep - eps
        down = np.asarray(function(), dtype=np.float64)
        x[i] = keep
        out[(...,) + i] = (up - down) / (2 * eps)
    return out
