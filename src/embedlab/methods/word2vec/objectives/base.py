"""What an objective is, and the two Numba calls through which the architectures use one.

An objective predicts a target word from a hidden vector ``h``: it scores ``h`` against the
output matrix, updates the output rows it touched at once, adds the gradient for ``h`` (already
scaled by the learning rate) into ``grad_h`` and returns the loss (a natural log). Its data
(shared tables such as the noise distribution, and per-thread scratch) travel to the kernels as
one NamedTuple, the objective's ``state``. The architectures call ``prepare_target(state, ...)``
and ``objective_update(state, ...)``; the state's type picks the objective's functions when
Numba compiles the kernel, so the choice costs nothing at run time and the architectures never
know which objective runs or what its state holds.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit
from numba.extending import overload

#: Where training can run: the Numba kernels (every objective) or PyTorch (objectives that
#: declare a ``"torch"`` entry in ``Objective.backends``).
BACKENDS = ("numba", "torch")


@njit(cache=True, nogil=True, inline="always")
def draws_nothing(state, target, rng):
    """``prepare`` for an objective that needs nothing random per target."""
    return 0


@dataclass(frozen=True)
class Objective:
    """One registry entry: everything a backend needs to train with an objective.

    Attributes:
        name: the value of the estimators' ``objective`` parameter.
        state: the NamedTuple class the Numba functions receive; its fields are the names in
            ``tables`` followed by those in ``scratch``.
        update: Numba ``update(state, h, target, n, out, grad_h, alpha) -> loss``; ``n`` is what
            ``prepare`` returned for this target.
        tables: ``tables(counts, params) -> {field: array}``, built once per run and shared by
            every thread; ``params`` is the estimator (its parameters as attributes).
        scratch: ``scratch(n_words, params) -> {field: (shape, dtype)}``: per-thread buffers,
            allocated once per thread so that nothing is allocated per prediction.
        table_bytes: ``table_bytes(n_words, params) -> int``, what ``tables`` will hold (for the
            memory estimate, before anything is built).
        prepare: Numba ``prepare(state, target, rng) -> n``: what predicting ``target`` draws at
            random (the negatives). The architecture decides how often it is called.
        word_rows: whether row ``w`` of the output matrix belongs to word ``w`` (False for the
            Huffman tree's inner nodes, which makes combining input and output vectors
            meaningless).
        max_vocab: the largest vocabulary the objective is practical for (None: any).
        backends: the same objective for other backends, by backend name: ``"module:Class"``,
            imported only when that backend trains (so declaring it loads no torch). The
            ``"torch"`` class is built as ``Class(counts, params, device)`` and offers
            ``draw(targets, gen) -> (samples, valid)``, ``loss(z, weight)`` and
            ``curvature(z, weight)`` of a batch's scores ``z`` (see ``negative_torch.py``); the
            Numba functions above are the ``"numba"`` backend.
    """

    name: str
    state: type
    update: Any
    tables: Callable[[np.ndarray, Any], dict]
    scratch: Callable[[int, Any], dict]
    table_bytes: Callable[[int, Any], int]
    prepare: Any = draws_nothing
    word_rows: bool = True
    max_vocab: int | None = None
    backends: Mapping[str, Any] = field(default_factory=dict)

    def states(self, counts: np.ndarray, params, threads: int) -> list:
        """One state per thread: the shared tables built once, each with its own scratch."""
        shared = self.tables(counts, params)
        sizes = self.scratch(len(counts), params)
        return [
            self.state(
                **shared, **{name: np.empty(shape, dtype) for name, (shape, dtype) in sizes.items()}
            )
            for _ in range(threads)
        ]

    def backend(self, name: str):
        """The class of this objective for backend ``name`` (one of ``backends``)."""
        module, attribute = self.backends[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def scratch_bytes(self, n_words: int, params) -> int:
        """Bytes of one thread's scratch."""
        sizes = self.scratch(n_words, params).values()
        return sum(int(np.prod(shape)) * np.dtype(dtype).itemsize for shape, dtype in sizes)


def prepare_target(state, target, rng):
    """Numba only: the objective's ``prepare`` (see ``Objective``), chosen by ``state``'s type."""
    raise TypeError("prepare_target runs only inside Numba kernels")


def objective_update(state, h, target, n, out, grad_h, alpha):
    """Numba only: the objective's ``update`` (see ``Objective``), chosen by ``state``'s type."""
    raise TypeError("objective_update runs only inside Numba kernels")


def _entry(state_type) -> Objective | None:
    from embedlab.methods.word2vec.objectives import OBJECTIVES

    state_class = getattr(state_type, "instance_class", None)
    for objective in OBJECTIVES.values():
        if objective.state is state_class:
            return objective
    return None


@overload(prepare_target, inline="always")
def _prepare_target(state, target, rng):
    objective = _entry(state)
    if objective is None:
        return None
    prepare = objective.prepare

    def impl(state, target, rng):
        return prepare(state, target, rng)

    return impl


@overload(objective_update, inline="always")
def _objective_update(state, h, target, n, out, grad_h, alpha):
    objective = _entry(state)
    if objective is None:
        return None
    update = objective.update

    def impl(state, h, target, n, out, grad_h, alpha):
        return update(state, h, target, n, out, grad_h, alpha)

    return impl
