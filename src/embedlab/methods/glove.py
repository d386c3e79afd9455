"""GloVe (Pennington, Socher & Manning 2014): weighted least squares on log co-occurrences.

For every non-zero cell X_ij of the (1/d-weighted, symmetric) co-occurrence matrix the model
fits ``w_i . w~_j + b_i + b~_j ~ log X_ij`` with weight ``f(X_ij) = min(1, (X_ij / x_max) **
weight_power)``, by AdaGrad over the cells in a random order that is reshuffled every epoch.
Threads run Hogwild over disjoint slices of that order on shared float32 matrices, as glove.c
does; one thread and one seed give bit-identical vectors.

The update is glove.c's (stanfordnlp/GloVe, ``glove_thread``), not the textbook AdaGrad, because
that is what the published GloVe vectors were trained with, and the difference decides the
quality. With ``r = f(X_ij) * (w_i . w~_j + b_i + b~_j - log X_ij)``:

- vectors: ``s = alpha * clip(r * w~_j, 100)``, ``w_i -= s / sqrt(G_i)``, ``G_i += s**2``
  (likewise for ``w~_j`` with ``w_i``). AdaGrad's sums hold the squares of the learning-rate-scaled
  gradients and start at 1, so the first steps are ``alpha * g`` and, once the sums dominate,
  ``g / sqrt(sum g**2)``: about 1/alpha = 20 times larger than textbook AdaGrad's
  ``alpha * g / sqrt(sum g**2)``. Accumulating unscaled gradients (embedlab's earlier rule) left
  the model under-trained (WS353 0.249 against glove.c's 0.321 on 3 M tokens of enmix, x_max 10),
  and raising alpha to compensate diverged instead.
- biases: ``b_i -= r / sqrt(H_i)``, ``H_i += r**2``: neither clipped nor scaled by alpha.
- a cell whose residual is not finite is skipped, as glove.c skips it.

The reported loss is glove.c's: the mean over cells of ``0.5 * f(X_ij) * diff**2``.
"""

from __future__ import annotations

import time
from typing import Annotated

import numpy as np
from numba import njit

from embedlab.corpus.random import randint, seed_state, uniform
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.count.cooccurrence import (
    HARMONIC_MAX_WINDOW,
    cooccurrence_matrix,
    counting_bytes,
)
from embedlab.methods.driver import run_epochs, run_parallel
from embedlab.methods.params import (
    EPOCHS_WHY,
    MAX_EPOCHS,
    Bool,
    Choice,
    Estimator,
    Float,
    Int,
    Memory,
    Threads,
)
from embedlab.resources import check_memory

COMBINES = ("input", "sum")
#: Cells per queued job: small enough for a live progress bar, large enough that the queue
#: costs nothing next to the kernel.
JOB_CELLS = 1 << 18
#: glove.c clips each gradient component to this magnitude, which keeps AdaGrad's first steps
#: (where the accumulators are still 1) from blowing up on cells with large log counts.
GRAD_CLIP = 100.0
_INIT_STREAM = (1 << 64) - 1


class GloVe(Estimator):
    """GloVe embeddings trained with AdaGrad on the shuffled non-zero co-occurrence cells."""

    method = "glove"
    #: the options that shrink counting, the cells and the model, for ``check_memory``'s message
    shrink = "lower {dim}, {memory} or {window}, raise {min_count} or set {max_vocab}"

    def __init__(
        self,
        *,
        dim: Annotated[int, Int(minimum=1)] = 100,
        window: Annotated[
            int, Int(minimum=1, maximum=HARMONIC_MAX_WINDOW, why="for GloVe's 1/d weighting")
        ] = 10,
        epochs: Annotated[int, Int(minimum=1, maximum=MAX_EPOCHS, why=EPOCHS_WHY)] = 25,
        alpha: Annotated[float, Float(minimum=0.0, exclusive_minimum=True)] = 0.05,
        x_max: Annotated[float, Float(minimum=0.0, exclusive_minimum=True)] = 10.0,
        weight_power: Annotated[float, Float(minimum=0.0, exclusive_minimum=True)] = 0.75,
        combine: Annotated[str, Choice(COMBINES)] = "sum",
        memory: Annotated[object, Memory()] = "4G",
        threads: Annotated[int | None, Threads()] = None,
        seed: Annotated[int, Int(minimum=0)] = 1,
        quiet: Annotated[bool, Bool(cli=False, record=False)] = False,
    ):
        """Check and set the parameters.

        Parameters:
            dim: vector length.
            window: largest distance counted, in words (at most 22), contexts on both sides
                weighted 1/d as in the paper; 10, the paper's (measured: 10 and 15 within noise
                of each other on three corpora, 5 worse on all three).
            epochs: passes over the non-zero cells; 25, glove.c's.
            alpha: AdaGrad's learning rate; 0.05, glove.c's.
            x_max: count at which a cell's weight reaches 1. 10, as glove.c's demo for text8,
                not the paper's 100 (set for corpora of billions of tokens): on each of the
                three corpora swept (0.4 M to 1 M tokens) 10 beat 30 and 30 beat 100, by 0.12 to
                0.18 WS353 between 10 and 100 (BENCHMARKS.md).
            weight_power: the weighting exponent, the paper's alpha (embedlab keeps alpha for
                learning rates).
            combine: "sum" (W + W~, the paper's choice) or "input" (W).
            memory: peak memory budget for counting, e.g. 4G or 512M.
            threads: worker threads (None: all cores).
            seed: random seed; with threads=1 the vectors are bit-identical for the same seed.
            quiet: no progress bar.
        """
        self.assign(locals())

    def fit(self, corpus):
        """Count ``corpus`` (anything ``as_corpus`` accepts), train -> ``Embeddings``.

        ``meta["history"]`` has one entry per epoch: ``loss`` (mean weighted squared error per
        cell), ``words_per_sec`` (cells per second: a cell is GloVe's unit of work), seconds.
        """
        from embedlab.corpus import as_corpus
        from embedlab.progress import Progress

        corpus = as_corpus(corpus)
        if len(corpus.vocab) == 0 or corpus.n_tokens == 0:
            raise EmbedlabError(
                "the corpus has no words left to count: give more text or lower "
                + setting("min_count")
            )
        n_words = len(corpus.vocab)
        model_bytes = GloVeModel.bytes(n_words, self.dim)
        counting = counting_bytes(corpus.n_tokens, n_words, self.window, "symmetric", self.memory)
        check_memory(self.method, {"counting": counting, "vectors": model_bytes}, self.shrink)
        with Progress(corpus.n_tokens, description="counting", quiet=self.quiet) as bar:
            counts = cooccurrence_matrix(
                corpus,
                window=self.window,
                weighting="harmonic",
                memory=self.memory,
                threads=self.threads,
                progress=bar,
            )
        return self.fit_counts(corpus.vocab, counts)

    def fit_counts(self, vocab, counts):
        """Train on co-occurrence ``counts`` (float64 CSR, 1/d-weighted, rows and columns in
        ``vocab``'s order) already made: ``fit`` counts on this machine, a cluster on its
        workers."""
        from embedlab.progress import Progress
        from embedlab.vectors.embeddings import Embeddings

        n_words = len(vocab)
        model_bytes = GloVeModel.bytes(n_words, self.dim)
        if counts.nnz == 0:
            raise EmbedlabError(
                "no two words co-occur in the corpus: give sentences of at least two words"
            )
        parts = {"cells": Cells.bytes(counts.nnz), "vectors": model_bytes}
        check_memory(self.method, parts, self.shrink)
        cells = Cells.from_counts(counts, self.x_max, self.weight_power)
        del counts
        model = GloVeModel.initial(n_words, self.dim, self.seed)
        total = cells.size * self.epochs
        with Progress(total, unit="cells", description="glove", quiet=self.quiet) as bar:

            def run_epoch(epoch):
                return train_epoch(cells, model, self.alpha, self.threads, self.seed, epoch, bar)

            history = run_epochs(range(self.epochs), run_epoch, progress=bar)
        meta = {"method": self.method, "params": self.get_params(), "history": history}
        return Embeddings(
            vocab.words,
            model.W,
            counts=np.asarray(vocab.counts),
            context=model.C,
            combine=self.combine,
            meta=meta,
        )


class Cells:
    """The non-zero cells as parallel arrays: row, column, log count and weight f(X)."""

    def __init__(self, rows, cols, log_counts, weights):
        self.rows = rows
        self.cols = cols
        self.log_counts = log_counts
        self.weights = weights
        index_type = np.int32 if rows.size < np.iinfo(np.int32).max else np.int64
        self.order = np.arange(rows.size, dtype=index_type)

    @property
    def size(self) -> int:
        return int(self.rows.size)

    @staticmethod
    def bytes(nnz: int) -> int:
        """Peak memory of ``from_counts`` on ``nnz`` cells: the cells (row, column, log count,
        weight, order) beside the COO copy of the counts and the float64 temporaries."""
        return nnz * (5 * 4 + 16 + 2 * 8)

    @classmethod
    def from_counts(cls, counts, x_max: float, weight_power: float) -> Cells:
        counts = counts.tocoo()
        values = counts.data.astype(np.float64)
        weights = np.minimum(1.0, (values / x_max) ** weight_power)
        return cls(
            counts.row.astype(np.int32),
            counts.col.astype(np.int32),
            np.log(values).astype(np.float32),
            weights.astype(np.float32),
        )


class GloVeModel:
    """Word vectors W, context vectors C, their biases and AdaGrad's squared-gradient sums."""

    def __init__(self, W, C, bw, bc):
        self.W, self.C, self.bw, self.bc = W, C, bw, bc
        # glove.c starts the sums at 1, so the first step is at most alpha * GRAD_CLIP.
        self.gW, self.gC = np.ones_like(W), np.ones_like(C)
        self.gbw, self.gbc = np.ones_like(bw), np.ones_like(bc)

    @staticmethod
    def bytes(n_words: int, dim: int) -> int:
        """Memory of the model: W, C and their AdaGrad sums, float32, and the four bias rows."""
        return 4 * 4 * n_words * (dim + 1)

    @classmethod
    def initial(cls, n_words: int, dim: int, seed: int) -> GloVeModel:
        """glove.c's start: every parameter uniform in [-0.5/dim, 0.5/dim)."""
        state = seed_state(seed, _INIT_STREAM)
        arrays = [
            np.empty(shape, np.float32) for shape in ((n_words, dim),) * 2 + ((n_words,),) * 2
        ]
        for array in arrays:
            _fill_uniform(array.reshape(-1), 0.5 / dim, state)
        return cls(*arrays)


@njit(cache=True)
def _fill_uniform(flat, half_width, state):
    for k in range(flat.shape[0]):
        flat[k] = (2.0 * uniform(state) - 1.0) * half_width


@njit(cache=True, nogil=True)
def _shuffle(order, state):
    # Fisher-Yates in place: the epoch's order depends only on (seed, epoch).
    for i in range(order.shape[0] - 1, 0, -1):
        j = randint(state, i + 1)
        order[i], order[j] = order[j], order[i]


@njit(cache=True, nogil=True)
def _clip(x, limit):
    return min(max(x, -limit), limit)


@njit(cache=True, nogil=True)
def _glove_cells(order, first, last, rows, cols, log_counts, weights, W, C, bw, bc, gW, gC, gbw,
                 gbc, alpha, stats):  # fmt: skip
    # glove.c's update (see the module docstring): the vector steps are the clipped gradient
    # times alpha, and their squares go into AdaGrad's sums; the bias steps are the weighted
    # residual itself, neither clipped nor scaled, over the root of its own summed squares.
    dim = W.shape[1]
    loss = 0.0
    for k in range(first, last):
        cell = order[k]
        i = rows[cell]
        j = cols[cell]
        diff = np.float64(bw[i]) + bc[j] - log_counts[cell]
        for d in range(dim):
            diff += np.float64(W[i, d]) * C[j, d]
        fdiff = weights[cell] * diff
        if not np.isfinite(fdiff):
            continue  # glove.c skips such a cell and trains on
        loss += 0.5 * fdiff * diff
        for d in range(dim):
            # Both steps read the old values, so W and C move as one simultaneous update.
            step_w = _clip(fdiff * C[j, d], GRAD_CLIP) * alpha
            step_c = _clip(fdiff * W[i, d], GRAD_CLIP) * alpha
            W[i, d] -= step_w / np.sqrt(gW[i, d])
            C[j, d] -= step_c / np.sqrt(gC[j, d])
            gW[i, d] += step_w * step_w
            gC[j, d] += step_c * step_c
        bw[i] -= fdiff / np.sqrt(gbw[i])
        bc[j] -= fdiff / np.sqrt(gbc[j])
        gbw[i] += fdiff * fdiff
        gbc[j] += fdiff * fdiff
    stats[0] += loss
    stats[1] += last - first


def train_epoch(cells: Cells, model: GloVeModel, alpha: float, threads: int, seed: int,
                epoch: int, progress=None) -> dict:  # fmt: skip
    """One shuffled pass over the cells; returns the epoch's history entry.

    The work is a queue of ``JOB_CELLS`` slices taken by ``threads`` threads, so its cost is the
    same every epoch: one shuffle and one pass, nothing that grows.
    """
    started = time.perf_counter()
    _shuffle(cells.order, seed_state(seed, epoch))
    jobs = [
        (first, min(first + JOB_CELLS, cells.size)) for first in range(0, cells.size, JOB_CELLS)
    ]
    arrays = (cells.order, *_cell_arrays(cells), *_model_arrays(model))

    def work(t, job, stats):  # stats: loss sum, cells done
        _glove_cells(*arrays[:1], *job, *arrays[1:], alpha, stats)

    def report(stats):
        _report(progress, epoch * cells.size, stats)

    stats, _ = run_parallel(jobs, work, threads=threads, columns=2, report=report)
    seconds = time.perf_counter() - started  # the shuffle included
    loss, done = stats.sum(axis=0)
    return {
        "epoch": epoch + 1,
        "loss": float(loss / done),
        "words_per_sec": float(done / seconds) if seconds > 0 else 0.0,
        "seconds": seconds,
        "alpha": alpha,
        "cells": int(done),
    }


def _cell_arrays(cells: Cells) -> tuple:
    return cells.rows, cells.cols, cells.log_counts, cells.weights


def _model_arrays(model: GloVeModel) -> tuple:
    return model.W, model.C, model.bw, model.bc, model.gW, model.gC, model.gbw, model.gbc


def _report(progress, done_before: int, stats) -> None:
    if progress is None:
        return
    loss, done = stats.sum(axis=0)
    progress.update(done_before + int(done), loss=float(loss / done) if done else 0.0)
