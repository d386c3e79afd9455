"""The optimizers of note 004, written as its formulas, on dense and sparse (row) gradients.

The notes write both moving averages with beta as the weight of the NEW term:

- momentum: ``v <- (1 - beta) v + beta grad``, ``w <- w - lr v``;
- adaptivity: ``s <- (1 - beta) s + beta grad**2``, ``w <- w - lr grad / (sqrt(s) + eps)``
  (RMSProp). The notes print it as "(-beta) s + beta [grad^2 L]": the ``1`` is missing, and the
  square is of the gradient, not a second derivative.

So ``momentum=0.1`` here is the usual decay of 0.9, and ``v`` is an average of gradients rather
than torch's running sum (torch's SGD momentum 0.9 takes steps about 10 times larger at the
same lr). ``adagrad`` sums the squares (``s <- s + grad**2``) and ``adam`` combines both
averages with the bias corrections ``v / (1 - (1 - beta1)**t)`` and ``s / (1 - (1 - beta2)**t)``.

A sparse gradient (rows of an embedding table) updates only the rows it holds, state included:
exact for sgd and adagrad, the usual "lazy" approximation for the averages (as torch's
SparseAdam), where an untouched row's average does not decay.
"""

from __future__ import annotations

import math

from embedlab.methods.torch_support.device import no_grad, torch

OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
EPS = 1e-8


def sgd(grad, state, lr, t, momentum, square_momentum):
    return -lr * grad, ()


def heavy_ball(grad, state, lr, t, momentum, square_momentum):
    (v,) = state
    v = torch.lerp(v, grad, momentum)  # (1 - beta) v + beta grad, in one pass
    return -lr * v, (v,)


def adagrad(grad, state, lr, t, momentum, square_momentum):
    (s,) = state
    s = s + grad * grad
    return -lr * grad / (s.sqrt() + EPS), (s,)


def rmsprop(grad, state, lr, t, momentum, square_momentum):
    (s,) = state
    s = torch.lerp(s, grad * grad, square_momentum)
    return -lr * grad / (s.sqrt() + EPS), (s,)


def adam(grad, state, lr, t, momentum, square_momentum):
    v, s = state
    v = torch.lerp(v, grad, momentum)
    s = torch.lerp(s, grad * grad, square_momentum)
    # -lr v_hat / (sqrt(s_hat) + eps) with v_hat = v / c1, s_hat = s / c2, a few passes over
    # the rows (the encoders' tables hold millions of numbers)
    c1, c2 = 1 - (1 - momentum) ** t, 1 - (1 - square_momentum) ** t
    denominator = s.sqrt().mul_(1 / math.sqrt(c2)).add_(EPS)
    return torch.div(v, denominator).mul_(-lr / c1), (v, s)


#: name -> (update rule, how many state tensors shaped like the parameter it keeps)
RULES = {
    "sgd": (sgd, 0),
    "momentum": (heavy_ball, 1),
    "adagrad": (adagrad, 1),
    "rmsprop": (rmsprop, 1),
    "adam": (adam, 2),
}


class Optimizer:
    """One of ``OPTIMIZERS`` over ``params`` (tensors with ``requires_grad``).

    ``lr`` may be changed between steps (the schedule does). ``step()`` applies the rule to
    every parameter that has a gradient; ``t`` counts steps from 1, as Adam's correction needs.
    """

    def __init__(self, name: str, params, *, lr: float, momentum: float, square_momentum: float):
        self.rule, n_state = RULES[name]
        self.params = list(params)
        self.lr = lr
        self.momentum = momentum
        self.square_momentum = square_momentum
        self.t = 0
        self.state = [[torch.zeros_like(p) for _ in range(n_state)] for p in self.params]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @no_grad
    def step(self) -> None:
        self.t += 1
        for p, state in zip(self.params, self.state, strict=True):
            if p.grad is not None:
                self._apply(p, p.grad, state)

    def _apply(self, p, grad, state) -> None:
        settings = (self.lr, self.t, self.momentum, self.square_momentum)
        if not grad.is_sparse:
            delta, new = self.rule(grad, state, *settings)
            p.add_(delta)
            for old, value in zip(state, new, strict=True):
                old.copy_(value)
            return
        grad = grad.coalesce()  # one entry per row: repeated ids in a batch are summed
        rows = grad.indices()[0]
        delta, new = self.rule(grad.values(), [s[rows] for s in state], *settings)
        p.index_add_(0, rows, delta)
        for old, value in zip(state, new, strict=True):
            old.index_copy_(0, rows, value)

    def state_dict(self) -> dict:
        """The step count and state tensors, on the CPU (what a checkpoint saves)."""
        return {"t": self.t, "state": [[s.cpu() for s in state] for state in self.state]}

    def load_state_dict(self, saved: dict) -> None:
        self.t = int(saved["t"])
        for mine, theirs in zip(self.state, saved["state"], strict=True):
            for old, value in zip(mine, theirs, strict=True):
                old.copy_(value)
