"""How a sync round's replicas are merged into the state the next round starts from.

Every replica of a round starts from the same state m and returns the rows it changed. A row
that k of the N replicas changed, to r_1 .. r_k, becomes:

- ``"bmuf"``, block momentum (Chen & Huo 2016, with the Nesterov start): the averaged change
  over all N replicas, ``G = sum_k (r_k - m) / N``, is one step of an outer optimiser with
  momentum ``1 - 1/N``: ``D = (1 - 1/N) D + G``, the state moves by D, and the next round starts
  from that plus ``(1 - 1/N) D``. A row's changes reach the state in full over the following
  rounds (``G / (1 - momentum) = N G``), as on one machine, without ``"delta"``'s overshoot:
  the outer step is a heavy ball of step 1 on a row that settled at p, whose error shrinks by
  ``sqrt(1 - 1/N)`` a round at any N. Costs two more |V| x dim float32 matrices on the client
  and a pass over them each round.
- ``"mean"``: ``sum_k r_k / k``, the mean of the values: a row k replicas touch moves by the
  mean of their changes, so frequent words learn about 1/k as much per word read.
- ``"delta"``: ``m + sum_k (r_k - m)``: every replica's words count, but a frequent row's
  updates within a round settle on a point p, and k replicas that each take it there move it
  to ``m + k (p - m)``: it swings about p at k = 2 and diverges beyond.
- ``"scaled"``: ``"mean"`` with every replica's learning rate times N (HogBatch's scaling,
  Ji et al. 2016): a row all N replicas touch moves about as on one machine, a row one
  replica touches N times too far.

None adds up vectors themselves, which is what overflowed Spark's word2vec (SPARK-13289):
sums are of changes or divided by their count, in float64, in replica order. docs/distributed.md
has the measured comparison that chose the default.
"""

from __future__ import annotations

import numpy as np

#: The merge rules, the default first.
MERGES = ("bmuf", "mean", "delta", "scaled")


def summed_changes(parts, start: np.ndarray):
    """``(ids, sums, touched)``: the rows any replica changed (ascending), the float64 sum of
    their values and of their changes from ``start``, and how many replicas changed each.

    ``parts`` is a sequence of ``(ids, rows)``, one per replica; sums run in the parts' order.
    """
    ids = np.concatenate([np.asarray(p[0], np.int64) for p in parts] or [np.zeros(0, np.int64)])
    if ids.size == 0:
        empty = np.zeros((0, start.shape[1]), np.float64)
        return ids, empty, empty, ids
    rows = np.concatenate([np.asarray(p[1], np.float64) for p in parts])
    order = np.argsort(ids, kind="stable")
    ids, rows = ids[order], rows[order]
    firsts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    sums = np.add.reduceat(rows, firsts, axis=0)
    touched = np.diff(np.r_[firsts, ids.size])
    ids = ids[firsts]
    changes = sums - touched[:, None] * start[ids].astype(np.float64)
    return ids, sums, changes, touched


def merge_rows(matrix: np.ndarray, parts, rule: str = "mean") -> None:
    """Merge the rows the replicas changed into ``matrix`` (the state they all started from)
    by ``rule`` "mean" or "delta" (see the module docstring); rows no replica changed keep
    their value. In place."""
    ids, sums, changes, touched = summed_changes(parts, matrix)
    if ids.size == 0:
        return
    if rule == "delta":
        merged = matrix[ids].astype(np.float64) + changes
    else:
        merged = sums / touched[:, None]
    matrix[ids] = merged.astype(matrix.dtype)


class Merge:
    """A rule's state across rounds: ``start`` gives the matrix a round starts from,
    ``merge`` folds the round's parts into the merged matrix; ``rate_scale`` multiplies every
    replica's learning rate. One object per matrix (W, C)."""

    rate_scale = 1.0

    def __init__(self, rule: str, shape: tuple[int, int], replicas: int):
        self.rule, self.replicas = rule, replicas

    def start(self, matrix: np.ndarray) -> np.ndarray:
        return matrix

    def merge(self, matrix: np.ndarray, start: np.ndarray, parts) -> None:
        merge_rows(matrix, parts, "delta" if self.rule == "delta" else "mean")

    def finish(self, matrix: np.ndarray) -> None:
        """After the last round: whatever the rule still owes ``matrix``."""


class ScaledRate(Merge):
    """``"scaled"``: the mean, each replica's learning rate times the replicas."""

    def __init__(self, rule: str, shape: tuple[int, int], replicas: int):
        super().__init__(rule, shape, replicas)
        self.rate_scale = float(replicas)


class BlockMomentum(Merge):
    """``"bmuf"``: block momentum on the averaged change, with the Nesterov start."""

    def __init__(self, rule: str, shape: tuple[int, int], replicas: int):
        super().__init__(rule, shape, replicas)
        self.momentum = 1.0 - 1.0 / replicas
        # One replica has no momentum: its rows are taken as they are (the single-machine run).
        self.step = np.zeros(shape, np.float32) if replicas > 1 else None

    def start(self, matrix: np.ndarray) -> np.ndarray:
        if self.step is None:
            return matrix
        return (matrix + self.momentum * self.step).astype(matrix.dtype)

    def merge(self, matrix: np.ndarray, start: np.ndarray, parts) -> None:
        if self.step is None:
            merge_rows(matrix, parts, "mean")
            return
        ids, _, changes, _ = summed_changes(parts, start)
        self.step *= self.momentum
        self.step[ids] += (changes / self.replicas).astype(np.float32)
        matrix += self.step

    def finish(self, matrix: np.ndarray) -> None:
        """The momentum's remaining steps at once, ``D m / (1 - m)``: the changes of the last
        rounds, which later rounds would have handed over, count in full."""
        if self.step is not None:
            matrix += (self.step * (self.momentum / (1.0 - self.momentum))).astype(matrix.dtype)


def merge_rule(rule: str, shape: tuple[int, int], replicas: int) -> Merge:
    """The ``Merge`` of ``rule`` (one of ``MERGES``) for a matrix of ``shape``."""
    kinds = {"bmuf": BlockMomentum, "scaled": ScaledRate}
    return kinds.get(rule, Merge)(rule, shape, replicas)
