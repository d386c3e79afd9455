"""How a sync round's replicas are merged into the state the next round starts from.

Every replica of a round starts from the same state m and returns the rows it changed. A row
that k of the N replicas changed, to r_1 .. r_k, becomes:

- ``"bmuf"``, block momentum (Chen & Huo 2016, with the Nesterov start), every replica
  training at twice the learning rate: the averaged change over all N replicas,
  ``G = sum_k (r_k - m) / N``, is one step of an outer optimiser with momentum ``1 - 2/N``:
  ``D = (1 - 2/N) D + G``, the state moves by D, and the next round starts from that plus
  ``(1 - 2/N) D``. A row's changes reach the state over the following rounds,
  ``G / (1 - momentum) = N G / 2`` in all, changes made at twice the rate: about what one
  machine would have made, without ``"delta"``'s overshoot, since on a row that settled at p the
  outer step is a heavy ball of step 1 whose error shrinks by ``sqrt(1 - 2/N)`` a round at any
  N. At 2 replicas there is no momentum left (it is ``"averaged"``). Plain BMUF (the rate as
  it is, momentum ``1 - 1/N``) was measured too, and lost to this at 4 and 6 replicas: its
  steps arrive over ~N rounds, too late in a run of a few dozen. Costs two more |V| x dim
  float32 matrices (the steps) on the client and on each worker, and a pass over them a round.
- ``"mean"``: ``sum_k r_k / k``, the mean of the values: a row k replicas touch moves by the
  mean of their changes, so frequent words learn about 1/k as much per word read.
- ``"delta"``: ``m + sum_k (r_k - m)``: every replica's words count, but a frequent row's
  updates within a round settle on a point p, and k replicas that each take it there move it
  to ``m + k (p - m)``: it swings about p at k = 2 and diverges beyond.
- ``"averaged"``: ``m + sum_k (r_k - m) / N``, the change averaged over all N replicas (a
  replica that did not touch the row counts as no change), every replica training at N times
  the learning rate (the rate scaled with the replicas, as HogBatch does, Ji et al. 2016): a
  row each replica takes to p lands on p, a row one replica moved by d (at N times the rate)
  moves by d / N, about what one machine would have. The rate grows with N: it held at 2 and
  4 replicas and diverged at 6 (docs/distributed.md).

None adds up vectors themselves, which is what overflowed Spark's word2vec (SPARK-13289):
sums are of changes or divided by their count, in float64, in replica order. docs/distributed.md
has the measured comparison that chose the default.
"""

from __future__ import annotations

import copy

import numpy as np

#: ``"bmuf"``'s factor on the replicas' learning rate (at most N): 2 measured better than 1 at
#: 4 and 6 replicas (docs/distributed.md); ``"averaged"``'s is N, which diverged at 6.
BMUF_RATE_SCALE = 2

#: The merge rules, the default first: "bmuf" and "averaged" are the estimators' options; "mean"
#: and "delta", the earlier rules, stay as the baselines benchmarks/distributed.py compares with.
MERGES = ("bmuf", "averaged", "mean", "delta")


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
    their value. In place. The rules with state across rounds ("bmuf", "averaged") run through
    ``merge_rule`` and ``Merged``, not here."""
    if rule not in ("mean", "delta"):
        raise ValueError(f"merge_rows merges by 'mean' or 'delta', not {rule!r}")
    merge = Merge(rule, matrix.shape, len(parts))
    merge.apply(matrix, *merge.summarize(matrix, parts))


class Merge:
    """A rule's state across rounds, for one matrix (W or C).

    ``start`` is the matrix a round starts from (the merged one, or a new array); ``summarize``
    turns the replicas' parts into what every copy of the merged state needs to follow the
    round, ``(ids, rows)`` (int32, float32: the rows that change and the rule's values for
    them); ``apply`` folds that into a copy. The client and every worker apply the same
    summaries to copies that started equal, with the same float32 operations, so their copies
    stay equal bit for bit, and only the summary travels. ``rate_scale`` multiplies every
    replica's learning rate.
    """

    rate_scale = 1.0

    def __init__(self, rule: str, shape: tuple[int, int], replicas: int):
        self.rule, self.replicas = rule, replicas

    def start(self, matrix: np.ndarray) -> np.ndarray:
        return matrix

    def summarize(self, start: np.ndarray, parts) -> tuple[np.ndarray, np.ndarray]:
        ids, sums, changes, touched = summed_changes(parts, start)
        if self.rule == "delta":
            merged = start[ids].astype(np.float64) + changes
        else:
            merged = sums / touched[:, None]
        return ids.astype(np.int32), merged.astype(np.float32)

    def apply(self, matrix: np.ndarray, ids: np.ndarray, rows: np.ndarray) -> None:
        matrix[ids] = rows

    def finish(self, matrix: np.ndarray) -> None:
        """After the last round: whatever the rule still owes ``matrix``."""


class AveragedScaled(Merge):
    """``"averaged"``: each row's change averaged over all the replicas, each replica's
    learning rate times the replicas."""

    def __init__(self, rule: str, shape: tuple[int, int], replicas: int):
        super().__init__(rule, shape, replicas)
        self.rate_scale = float(replicas)

    def summarize(self, start: np.ndarray, parts) -> tuple[np.ndarray, np.ndarray]:
        if self.replicas == 1:  # the rows as they are: the single-machine run
            return super().summarize(start, parts)
        ids, _, changes, _ = summed_changes(parts, start)
        merged = start[ids].astype(np.float64) + changes / self.replicas
        return ids.astype(np.int32), merged.astype(np.float32)


class BlockMomentum(Merge):
    """``"bmuf"``: block momentum on the averaged change, with the Nesterov start, the
    replicas at ``RATE_SCALE`` times the rate. Its summary is the averaged change of the rows
    any replica changed; applying it moves every row by its momentum step."""

    def __init__(self, rule: str, shape: tuple[int, int], replicas: int):
        super().__init__(rule, shape, replicas)
        self.rate_scale = float(min(BMUF_RATE_SCALE, replicas))
        self.momentum = 1.0 - self.rate_scale / replicas
        # No momentum (one replica, or two): no steps to keep, the rule is "averaged"'s.
        self.step = np.zeros(shape, np.float32) if self.momentum > 0 else None

    def start(self, matrix: np.ndarray) -> np.ndarray:
        if self.step is None:
            return matrix
        return (matrix + self.momentum * self.step).astype(matrix.dtype)

    def summarize(self, start: np.ndarray, parts) -> tuple[np.ndarray, np.ndarray]:
        if self.replicas == 1:  # the rows as they are: the single-machine run
            return super().summarize(start, parts)
        ids, _, changes, _ = summed_changes(parts, start)
        if self.step is None:
            merged = start[ids].astype(np.float64) + changes / self.replicas
            return ids.astype(np.int32), merged.astype(np.float32)
        return ids.astype(np.int32), (changes / self.replicas).astype(np.float32)

    def apply(self, matrix: np.ndarray, ids: np.ndarray, rows: np.ndarray) -> None:
        if self.step is None:
            super().apply(matrix, ids, rows)
            return
        self.step *= self.momentum
        self.step[ids] += rows
        matrix += self.step

    def finish(self, matrix: np.ndarray) -> None:
        """The momentum's remaining steps at once, ``D m / (1 - m)``: the changes of the last
        rounds, which later rounds would have handed over, count in full."""
        if self.step is not None:
            matrix += (self.step * (self.momentum / (1.0 - self.momentum))).astype(matrix.dtype)


def state_bytes(rule: str, shape: tuple[int, int], replicas: int) -> int:
    """Bytes a rule keeps across rounds for W and C of ``shape`` each: block momentum's steps,
    and the starting matrices it makes each round."""
    if rule != "bmuf" or replicas <= BMUF_RATE_SCALE:
        return 0
    return 2 * 2 * shape[0] * shape[1] * 4


def merge_rule(rule: str, shape: tuple[int, int], replicas: int) -> Merge:
    """The ``Merge`` of ``rule`` (one of ``MERGES``) for a matrix of ``shape``."""
    kinds = {"bmuf": BlockMomentum, "averaged": AveragedScaled}
    return kinds.get(rule, Merge)(rule, shape, replicas)


class Merged:
    """The merged state, W and C with their rules' state, after ``version`` merges: the
    client's, and a copy on each worker that its round tasks bring up to date."""

    def __init__(self, W: np.ndarray, C: np.ndarray, rule: str, replicas: int, version: int = 0):
        self.W, self.C, self.version = W, C, version
        self.merges = (merge_rule(rule, W.shape, replicas), merge_rule(rule, C.shape, replicas))

    @property
    def rate_scale(self) -> float:
        return self.merges[0].rate_scale

    @property
    def nbytes(self) -> int:
        steps = [getattr(m, "step", None) for m in self.merges]
        return self.W.nbytes + self.C.nbytes + sum(s.nbytes for s in steps if s is not None)

    def start(self) -> tuple[np.ndarray, np.ndarray]:
        """The matrices a round starts from (not to be written: they may be the state's)."""
        return self.merges[0].start(self.W), self.merges[1].start(self.C)

    def summarize(self, starts, W_parts, C_parts) -> tuple:
        """The round's summary, ``((W ids, W rows), (C ids, C rows))``, from each replica's
        ``(ids, rows)`` of W and of C and the round's ``starts``."""
        return (self.merges[0].summarize(starts[0], W_parts),
                self.merges[1].summarize(starts[1], C_parts))  # fmt: skip

    def apply(self, summary) -> None:
        """Follow one round: ``version`` goes up by one."""
        self.merges[0].apply(self.W, *summary[0])
        self.merges[1].apply(self.C, *summary[1])
        self.version += 1

    def finish(self) -> None:
        self.merges[0].finish(self.W)
        self.merges[1].finish(self.C)

    def copy(self) -> Merged:
        return copy.deepcopy(self)
