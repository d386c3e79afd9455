"""Training skip-gram and CBOW: the chunk plan, the learning-rate schedule and the kernel calls.

The corpus is cut into chunks of about ``CHUNK_WORDS`` words that ``embedlab.methods.driver``
hands to Python threads running the ``nogil`` kernels on shared float32 matrices (Hogwild: rare
colliding writes are harmless, as in word2vec.c). Every chunk draws from its own generator
seeded by (seed, epoch, chunk), and its learning rate depends only on its position in the run,
so one thread and one seed give the same vectors in every process.

What is trained is read from the estimator (``params``): its parameters as attributes, its
architecture's ``kernel`` and ``kernel_flag``, and the name of its objective, looked up in the
objective registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
from numba import njit

from embedlab.corpus.pieces import MAX_PIECE, piece_bounds  # noqa: F401 (read from here too)
from embedlab.corpus.random import randint, seed_state
from embedlab.corpus.sampling import keep_probability
from embedlab.corpus.subwords import subword_table
from embedlab.methods.driver import run_epochs, run_parallel
from embedlab.methods.word2vec.arguments import Model, Plan, ring_bytes, scratch
from embedlab.methods.word2vec.inputs import Subwords, WordRows
from embedlab.methods.word2vec.objectives import OBJECTIVES

#: Words per queued chunk: word2vec refreshes alpha every 10k words, gensim batches 10k words.
CHUNK_WORDS = 10_000
#: The generator stream for the initial matrix, apart from every (epoch, chunk) stream.
_INIT_STREAM = (1 << 64) - 1


@dataclass
class Result:
    """The trained matrices and the per-epoch history."""

    W: np.ndarray
    C: np.ndarray
    history: list[dict] = field(default_factory=list)


@njit(cache=True)
def _init_input(W, state):
    # Each element (2u - 1) / dim with u uniform in [0, 1), drawn row by row: gensim 4's range,
    # twice word2vec.c's (u - 0.5) / dim. On enmix (CBOW NS, 5 epochs, two seeds each) the
    # wider start scored 0.9 points more on Google analogies and 0.007 more WS353 Spearman.
    rows, dim = W.shape
    for i in range(rows):
        for k in range(dim):
            u = (randint(state, 65536)) / 65536.0
            W[i, k] = (2.0 * u - 1.0) / dim


#: The n-grams of a typical word per length, for the memory estimate before the subword table
#: is built: a word of 8 characters has 10 - n + 1 n-grams of n characters once bracketed.
_NGRAMS_PER_LENGTH = 8


def memory_parts(n_words: int, params, copies: bool = False) -> dict[str, int]:
    """Bytes of the arrays training allocates: the input matrix (one row per word, plus
    ``buckets`` rows with subwords) and the output matrix (twice over with ``copies``, when each
    epoch's matrices are copied out for checkpoints and callbacks or a resumed model is read
    in), and the tables: subsampling, the subword table, the objective's tables, and the
    per-thread scratch (noise draws, Huffman paths, the full softmax's scores, subword
    skip-gram's hidden vectors)."""
    objective = OBJECTIVES[params.objective]
    matrices = (input_rows(n_words, params) + n_words) * params.dim * 4
    tables = n_words * 4 + objective.table_bytes(n_words, params)  # float32 keep-probability
    if params.uses_subwords:  # int64 indptr, int32 rows
        per_word = 1 + (params.maxn - params.minn + 1) * _NGRAMS_PER_LENGTH
        tables += n_words * (8 + 4 * per_word)
    window = params.kernel_window[0]
    tables += params.threads * (
        objective.scratch_bytes(n_words, params)
        + ring_bytes(params.dim, window, params.uses_subwords)
    )
    return {"vectors": matrices * (2 if copies else 1), "tables": tables}


def input_rows(n_words: int, params) -> int:
    """Rows of the input matrix: the words', then the n-gram buckets' with subwords."""
    return n_words + (params.buckets if params.uses_subwords else 0)


def input_piece(params, words) -> WordRows | Subwords:
    """The kernels' input piece (``inputs.py``): each vocabulary word's input rows."""
    if not params.uses_subwords:
        return WordRows(len(words))
    table = subword_table(words, params.minn, params.maxn, params.buckets)
    return Subwords(table.indptr, table.indices)


def expected_bytes(n_words: int, n_tokens: int, params) -> int:
    """Memory training holds besides the interpreter and Numba: ``memory_parts`` and the int32
    token stream (memory-mapped when cached)."""
    return sum(memory_parts(n_words, params).values()) + 4 * n_tokens


def initial_matrices(
    n_words: int, dim: int, seed: int, rows: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Input rows uniform in [-1/dim, 1/dim) (gensim's range; ``rows``, default ``n_words``,
    of them, the n-gram buckets' included as fastText starts them), output rows zero
    (word2vec's)."""
    W = np.empty((n_words if rows is None else rows, dim), dtype=np.float32)
    _init_input(W, seed_state(seed, _INIT_STREAM))
    return W, np.zeros((n_words, dim), dtype=np.float32)


def learning_rate(params, words_done: int, words_total: int) -> float:
    """The rate after ``words_done`` of the run's ``words_total`` words: linear from
    ``params.alpha`` down to ``params.min_alpha``, as word2vec decays it."""
    return params.alpha - (params.alpha - params.min_alpha) * words_done / words_total


@runtime_checkable
class EpochCorpora(Protocol):
    """A different corpus every epoch over one vocabulary (``graphs.walks.FreshWalks``).

    ``vocab`` is every epoch's vocabulary (its counts set the noise and subsampling tables),
    ``n_tokens`` the words per epoch the learning-rate schedule counts, and ``for_epoch(epoch)``
    (0-based) makes that epoch's ``EncodedCorpus``; it is called once per epoch, after the
    previous epoch's corpus has been let go, so one epoch's corpus is held at a time.
    """

    vocab: object
    n_tokens: int

    def for_epoch(self, epoch: int): ...


@dataclass(frozen=True)
class _Plan:
    """One epoch's tokens cut into pieces and chunks (``chunk_plan``)."""

    tokens: np.ndarray
    bounds: np.ndarray
    chunks: np.ndarray

    @classmethod
    def of(cls, corpus) -> _Plan:
        return cls(np.asarray(corpus.tokens), *chunk_plan(corpus.sentence_starts))

    @property
    def n_tokens(self) -> int:
        return int(self.bounds[-1])


def chunk_plan(sentence_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Piece boundaries and, over them, chunk boundaries of about ``CHUNK_WORDS`` words."""
    bounds = piece_bounds(sentence_starts)
    n_tokens = int(bounds[-1])
    marks = np.searchsorted(bounds, np.arange(0, n_tokens, CHUNK_WORDS), side="left")
    chunks = np.unique(np.concatenate([marks, [len(bounds) - 1]])).astype(np.int64)
    if chunks[0] != 0:
        chunks = np.concatenate([[0], chunks])
    return bounds, chunks


def train_matrices(
    corpus,
    params,
    *,
    W: np.ndarray | None = None,
    C: np.ndarray | None = None,
    first_epoch: int = 0,
    progress=None,
    on_epoch_end=None,
    inputs=None,
) -> Result:
    """Train ``W`` (input) and ``C`` (output) on ``corpus``, epochs ``first_epoch`` (0-based)
    to ``params.epochs - 1``.

    ``corpus`` is an ``EncodedCorpus``, read every epoch, or ``EpochCorpora``, whose epochs
    each read their own corpus: the rate then falls linearly over ``n_tokens`` words per epoch,
    an epoch's position scaled to its own length.

    ``params`` is a word2vec estimator. ``W``/``C`` continue a previous run when given, else
    start like word2vec; ``first_epoch`` > 0 continues that run's learning-rate schedule and
    random draws from there (see ``resume.py``). ``progress`` is an object with
    ``update(done, **fields)``, counted from ``first_epoch``;
    ``on_epoch_end(epoch, entry, W, C)`` runs on the main thread after each epoch while no
    worker runs. ``inputs`` is the input piece (default ``input_piece(params, words)``);
    ``benchmarks/subword_hidden.py`` gives ``SubwordsEachPair`` to measure fastText's order.
    """
    counts = np.asarray(corpus.vocab.counts)
    if W is None:
        rows = input_rows(len(counts), params)
        W, C = initial_matrices(len(counts), params.dim, params.seed, rows)
    fresh = corpus.for_epoch if isinstance(corpus, EpochCorpora) else None
    plan = None if fresh else _Plan.of(corpus)  # the epoch's; each epoch's own when fresh
    n_tokens = corpus.n_tokens
    keep = keep_probability(counts, params.sample)
    states = OBJECTIVES[params.objective].states(counts, params, params.threads)
    if inputs is None:
        inputs = input_piece(params, list(corpus.vocab.words))
    model = Model(W, C)
    window, dynamic = params.kernel_window
    scratches = [scratch(params.dim, window, params.uses_subwords) for _ in states]
    total_words = max(1, n_tokens * params.epochs)
    kernel, flag = params.kernel, params.kernel_flag

    def run_chunk(t, item, stats):
        epoch, index = item
        first, last = int(plan.chunks[index]), int(plan.chunks[index + 1])
        position = int(plan.bounds[first]) * n_tokens // max(1, plan.n_tokens)
        alpha = learning_rate(params, epoch * n_tokens + position, total_words)
        rng = seed_state(params.seed, (epoch << 32) | index)
        chunk = Plan(plan.tokens, plan.bounds, first, last, keep, window, dynamic, flag, alpha, rng)
        kernel(chunk, model, inputs, states[t], scratches[t]._replace(stats=stats))
        stats[_ALPHA] = alpha

    def run_epoch(epoch):
        nonlocal plan
        if fresh is not None:
            plan = None  # let the last epoch's corpus go before the next one is made
            plan = _Plan.of(fresh(epoch))
        items = [(epoch, index) for index in range(len(plan.chunks) - 1)]

        def report(stats):
            if progress is not None:
                _report(progress, (epoch - first_epoch) * n_tokens, stats)

        stats, seconds = run_parallel(
            items, run_chunk, threads=params.threads, columns=_COLUMNS, report=report
        )
        return _entry(epoch, stats, seconds)

    def epoch_end(epoch, entry):
        if on_epoch_end is not None:
            on_epoch_end(epoch, entry, W, C)

    history = run_epochs(range(first_epoch, params.epochs), run_epoch, epoch_end, progress)
    return Result(W, C, history)


#: One stats row per thread: words read, loss sum, predictions (the kernels add to these), and
#: the learning rate of the thread's latest chunk.
_COLUMNS = 4
_ALPHA = 3


def _entry(epoch: int, stats: np.ndarray, seconds: float) -> dict:
    words, loss, predictions = stats[:, :_ALPHA].sum(axis=0)
    return {
        "epoch": epoch + 1,
        "loss": float(loss / predictions) if predictions else 0.0,
        "words_per_sec": float(words / seconds) if seconds > 0 else 0.0,
        "seconds": seconds,
        "alpha": _current_alpha(stats),
        "words": int(words),
        "predictions": int(predictions),
    }


def _report(progress, done_before, stats) -> None:
    words, loss, predictions = stats[:, :_ALPHA].sum(axis=0)
    fields = {}
    alpha = _current_alpha(stats)
    if alpha > 0:  # no chunk has finished yet: show no rate rather than a rate of 0
        fields["alpha"] = alpha
    if predictions > 0:
        fields["loss"] = float(loss / predictions)
    progress.update(done_before + int(words), **fields)


def _current_alpha(stats) -> float:
    # Threads finish chunks out of order; the smallest rate in use is the furthest progress.
    used = stats[:, _ALPHA][stats[:, _ALPHA] > 0]
    return float(used.min()) if used.size else 0.0
