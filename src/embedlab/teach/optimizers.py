"""Lesson: the optimizers of notes 004 on one toy loss, step by step.

The loss is a stretched bowl ``L(w) = ½ (a w₁² + b w₂²)``: with ``b`` much larger than ``a``
plain gradient descent zig-zags across the steep direction and crawls along the shallow one,
which is what momentum and adaptive step sizes fix. The running averages follow the notes'
convention, ``β`` weighting the newest term:

- momentum ``v = (1 - β) v + β ∇L``, step ``w -= α v``;
- AdaGrad ``s = s + (∇L)²``, step ``w -= α ∇L / (√s + ε)``;
- RMSProp (the notes' "adaptivity") ``s = (1 - β) s + β (∇L)²``, step ``w -= α ∇L / (√s + ε)``;
- Adam: both averages, each divided by ``1 - (1 - β)^t`` to undo their start at zero.

The steps are taken by the neural methods' own ``Optimizer`` (``methods.neural.optimizers``,
the rules training uses), so torch is imported when the lesson runs; without it, one
``EmbedlabError`` line says how to install it.
"""

from __future__ import annotations

import math

import numpy as np

from embedlab.checks import check_float, check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.teach import slips

OPTIMIZERS = ("gd", "momentum", "adagrad", "rmsprop", "adam")

FORMULAS = {
    "gd": "w ← w − α∇L",
    "momentum": "v ← (1−β)v + β∇L;  w ← w − αv",
    "adagrad": "s ← s + (∇L)²;  w ← w − α∇L/(√s + ε)",
    "rmsprop": "s ← (1−β)s + β(∇L)²;  w ← w − α∇L/(√s + ε)",
    "adam": "m ← (1−β₁)m + β₁∇L; s ← (1−β₂)s + β₂(∇L)²; w ← w − α m̂/(√ŝ + ε)",
}

#: Learning rates that show each method at its best on the default bowl.
DEFAULT_RATES = {"gd": 0.09, "momentum": 0.5, "adagrad": 1.0, "rmsprop": 0.2, "adam": 0.5}

#: The lesson's names for the methods' optimizers (plain gradient descent is their sgd).
METHOD_NAMES = {"gd": "sgd"}


class Bowl:
    """``L(w) = ½ (a w₁² + b w₂²)`` and its gradient."""

    def __init__(self, a: float, b: float):
        self.curvature = np.array([a, b])

    def loss(self, w) -> float:
        return float(0.5 * np.sum(self.curvature * w * w))

    def gradient(self, w) -> np.ndarray:
        return self.curvature * w


def _path(name: str, bowl: Bowl, start: np.ndarray, steps: int, alpha, beta, beta2) -> list:
    """``steps + 1`` points of optimizer ``name`` from ``start``, stepped by the methods'
    ``Optimizer``; the lesson's β is RMSProp's only average, the methods' square_momentum."""
    from embedlab.methods.neural.optimizers import Optimizer
    from embedlab.methods.torch_support.device import torch

    w = torch.tensor(start, dtype=torch.float64)
    square = beta if name == "rmsprop" else beta2
    opt = Optimizer(METHOD_NAMES.get(name, name), [w], lr=alpha, momentum=beta,
                    square_momentum=square)  # fmt: skip
    path = [start.tolist()]
    for _ in range(steps):
        w.grad = torch.from_numpy(bowl.gradient(w.numpy()))
        opt.step()
        path.append(w.tolist())
    return path


def optimizer_lesson(
    optimizers=OPTIMIZERS,
    steps: int = 50,
    start=(-4.0, 1.5),
    a: float = 1.0,
    b: float = 20.0,
    alpha: float | None = None,
    beta: float = 0.1,
    beta2: float = 0.001,
) -> dict:
    """Run each optimizer for ``steps`` steps on the bowl from ``start``.

    ``alpha`` is one learning rate for all, or None for :data:`DEFAULT_RATES`; ``beta`` is the
    notes' weight of the newest gradient (momentum, RMSProp, Adam's first average), ``beta2``
    Adam's for the squared gradient (0.1 and 0.001 are the usual 0.9 and 0.999 in the other
    convention). Returns ``{"loss", "start", "start_loss", "steps", "beta", "beta2", "runs",
    "slips"}``; each run has ``name, formula, alpha, path`` (``steps + 1`` points) and
    ``losses``.
    """
    steps = check_int("steps", steps, minimum=1)
    a = check_float("a", a, minimum=0.0, exclusive_minimum=True)
    b = check_float("b", b, minimum=0.0, exclusive_minimum=True)
    beta = check_float("beta", beta, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    beta2 = check_float("beta2", beta2, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    start = np.asarray(start, dtype=np.float64)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise EmbedlabError(
            f"the start must be two finite numbers, e.g. {setting('start', [-4, 1.5])}"
        )
    unknown = [o for o in optimizers if o not in OPTIMIZERS]
    if unknown or not optimizers:
        raise EmbedlabError(
            f"unknown optimizer {', '.join(unknown) or '(none)'}: "
            f"choose from {', '.join(OPTIMIZERS)}"
        )
    bowl = Bowl(a, b)
    runs = []
    for name in optimizers:
        rate = DEFAULT_RATES[name] if alpha is None else alpha
        rate = check_float("alpha", rate, minimum=0.0, exclusive_minimum=True)
        path = _path(name, bowl, start, steps, rate, beta, beta2)
        losses = [bowl.loss(np.array(p)) for p in path]
        if not all(math.isfinite(v) for v in losses) or losses[-1] > losses[0]:
            raise EmbedlabError(
                f"{name} diverged with alpha {rate:g}: give a smaller {setting('alpha')}"
            )
        runs.append(
            {"name": name, "formula": FORMULAS[name], "alpha": rate, "path": path, "losses": losses}
        )
    result = {
        "loss": f"L(w) = ½({a:g}·w₁² + {b:g}·w₂²)",
        "curvature": [a, b],
        "start": start.tolist(),
        "start_loss": bowl.loss(start),
        "steps": steps,
        "beta": beta,
        "beta2": beta2,
        "runs": runs,
    }
    result["slips"] = slips.as_dicts(slips.optimizers(result))
    return result
