"""The threaded driver shared by skip-gram and CBOW.

The corpus is cut into chunks of about ``CHUNK_WORDS`` words, queued to Python threads that run
the ``nogil`` kernels on shared float32 matrices (Hogwild: rare colliding writes are harmless, as
in word2vec.c). Every chunk draws from its own generator seeded by (seed, epoch, chunk), and its
learning rate depends only on its position in the run, so one thread and one seed give the same
vectors in every process. The main thread only watches: progress, per-epoch history, callbacks,
checkpoints.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from embedlab.corpus.pieces import MAX_PIECE, piece_bounds
from embedlab.corpus.random import randint, seed_state
from embedlab.corpus.sampling import AliasTable, keep_probability, noise_distribution
from embedlab.methods.word2vec.cbow import train_cbow
from embedlab.methods.word2vec.huffman import HuffmanTree
from embedlab.methods.word2vec.objectives import KINDS
from embedlab.methods.word2vec.skipgram import train_skipgram

#: Words per queued chunk: word2vec refreshes alpha every 10k words, gensim batches 10k words.
CHUNK_WORDS = 10_000
#: Progress refreshes per second from the monitor loop.
REFRESH_SECONDS = 0.25
#: The generator stream for the initial matrix, apart from every (epoch, chunk) stream.
_INIT_STREAM = (1 << 64) - 1


@dataclass
class Settings:
    """Everything the kernels need besides the corpus, validated by the estimator."""

    architecture: str  # "skipgram" or "cbow"
    objective: str
    dim: int
    window: int
    negative: int
    ns_exponent: float
    sample: float
    epochs: int
    alpha: float
    min_alpha: float
    cbow_mean: bool
    dynamic_window: bool
    shared_negatives: bool
    threads: int
    seed: int


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


#: Huffman paths are rarely longer than this (word2vec.c's MAX_CODE_LENGTH); for estimates only.
_TYPICAL_PATH = 40


def memory_parts(n_words: int, settings: Settings, copies: bool = False) -> dict[str, int]:
    """Bytes of the arrays training allocates: the input and output matrices (twice over with
    ``copies``, when each epoch's matrices are copied out for checkpoints and callbacks or a
    resumed model is read in), and the tables: subsampling, noise, Huffman paths, the full
    softmax's per-thread scores."""
    matrices = 2 * n_words * settings.dim * 4
    tables = n_words * (4 + 8)  # keep-probability; alias probability and alias
    if settings.objective == "hierarchical":
        tables += n_words * _TYPICAL_PATH * 5  # int8 codes, int32 inner nodes
    if settings.objective == "softmax":
        tables += n_words * 8 * settings.threads
    return {"vectors": matrices * (2 if copies else 1), "tables": tables}


def expected_bytes(n_words: int, n_tokens: int, settings: Settings) -> int:
    """Memory training holds besides the interpreter and Numba: ``memory_parts`` and the int32
    token stream (memory-mapped when cached)."""
    return sum(memory_parts(n_words, settings).values()) + 4 * n_tokens


def initial_matrices(n_words: int, dim: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Input rows uniform in [-1/dim, 1/dim) (gensim's range), output rows zero (word2vec's)."""
    W = np.empty((n_words, dim), dtype=np.float32)
    _init_input(W, seed_state(seed, _INIT_STREAM))
    return W, np.zeros((n_words, dim), dtype=np.float32)


def chunk_plan(sentence_starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Piece boundaries and, over them, chunk boundaries of about ``CHUNK_WORDS`` words."""
    bounds = piece_bounds(sentence_starts)
    n_tokens = int(bounds[-1])
    marks = np.searchsorted(bounds, np.arange(0, n_tokens, CHUNK_WORDS), side="left")
    chunks = np.unique(np.concatenate([marks, [len(bounds) - 1]])).astype(np.int64)
    if chunks[0] != 0:
        chunks = np.concatenate([[0], chunks])
    return bounds, chunks


def _objective_arrays(settings: Settings, counts: np.ndarray):
    n = len(counts)
    if settings.objective == "negative":
        table = AliasTable.from_probs(noise_distribution(counts, settings.ns_exponent))
        noise = (table.prob, table.alias)
    else:
        noise = (np.ones(1, np.float32), np.zeros(1, np.int32))
    if settings.objective == "hierarchical":
        tree = HuffmanTree.from_counts(counts)
        paths = (tree.codes, tree.points, tree.lengths)
    else:
        paths = (np.zeros((1, 1), np.int8), np.zeros((1, 1), np.int32), np.zeros(1, np.int32))
    probs_size = n if settings.objective == "softmax" else 1
    return (settings.negative, *noise, *paths), probs_size


class _Worker:
    """Per-thread scratch buffers and the kernel call for one chunk."""

    def __init__(self, settings: Settings, probs_size: int):
        dim = settings.dim
        sentence = np.empty(MAX_PIECE, dtype=np.int32)
        tail = (
            np.empty(settings.negative + 1, dtype=np.int32),
            np.empty(probs_size, dtype=np.float64),
            np.empty((0, 0), dtype=np.float64),
        )
        if settings.architecture == "cbow":
            self.scratch = (sentence, np.empty(dim, np.float32), np.empty(dim, np.float32), *tail)
        else:
            self.scratch = (sentence, np.empty(dim, np.float32), *tail)


def train_matrices(
    corpus,
    settings: Settings,
    *,
    W: np.ndarray | None = None,
    C: np.ndarray | None = None,
    progress=None,
    on_epoch_end=None,
) -> Result:
    """Train ``W`` (input) and ``C`` (output) on ``corpus`` for ``settings.epochs`` epochs.

    ``W``/``C`` continue a previous run when given, else start like word2vec. ``progress`` is an
    object with ``update(done, **fields)``; ``on_epoch_end(epoch, entry, W, C)`` runs on the main
    thread after each epoch while no worker runs.
    """
    counts = np.asarray(corpus.vocab.counts)
    if W is None:
        W, C = initial_matrices(len(counts), settings.dim, settings.seed)
    tokens = np.asarray(corpus.tokens)
    bounds, chunks = chunk_plan(corpus.sentence_starts)
    n_tokens = int(bounds[-1])
    keep = keep_probability(counts, settings.sample)
    objective, probs_size = _objective_arrays(settings, counts)
    kind = KINDS[settings.objective]
    workers = [_Worker(settings, probs_size) for _ in range(settings.threads)]
    total_words = max(1, n_tokens * settings.epochs)
    result = Result(W, C)

    def run_chunk(worker, epoch, index, stats):
        first, last = int(chunks[index]), int(chunks[index + 1])
        done_before = epoch * n_tokens + int(bounds[first])
        fraction = done_before / total_words
        alpha = settings.alpha - (settings.alpha - settings.min_alpha) * fraction
        state = seed_state(settings.seed, (epoch << 32) | index)
        common = (tokens, bounds, first, last, W, C, keep, settings.window, settings.dynamic_window)
        if settings.architecture == "cbow":
            train_cbow(
                *common, settings.cbow_mean, alpha, kind, objective, worker.scratch, state, stats
            )
        else:
            train_skipgram(
                *common,
                settings.shared_negatives,
                alpha,
                kind,
                objective,
                worker.scratch,
                state,
                stats,
            )
        return alpha

    for epoch in range(settings.epochs):
        entry = _run_epoch(epoch, len(chunks) - 1, workers, run_chunk, progress, epoch * n_tokens)
        result.history.append(entry)
        if on_epoch_end is not None:
            on_epoch_end(epoch + 1, entry, W, C)
    return result


def _run_epoch(epoch, n_chunks, workers, run_chunk, progress, done_before) -> dict:
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    for index in range(n_chunks):
        jobs.put(index)
    # One stats row per thread, so no thread overwrites another's sums: words, loss, predictions.
    stats = np.zeros((len(workers), 3), dtype=np.float64)
    last_alpha = [0.0] * len(workers)
    errors: list[BaseException] = []

    def work(t):
        try:
            while True:
                try:
                    index = jobs.get_nowait()
                except queue.Empty:
                    return
                last_alpha[t] = run_chunk(workers[t], epoch, index, stats[t])
        except BaseException as err:  # re-raised on the main thread
            errors.append(err)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(t,), daemon=True) for t in range(len(workers))]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        threads[0].join(REFRESH_SECONDS)
        if progress is not None:
            _report(progress, done_before, stats, last_alpha)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    seconds = time.perf_counter() - started
    if progress is not None:
        _report(progress, done_before, stats, last_alpha)
    words, loss, predictions = stats.sum(axis=0)
    return {
        "epoch": epoch + 1,
        "loss": float(loss / predictions) if predictions else 0.0,
        "words_per_sec": float(words / seconds) if seconds > 0 else 0.0,
        "seconds": seconds,
        "alpha": _current_alpha(last_alpha),
        "words": int(words),
        "predictions": int(predictions),
    }


def _report(progress, done_before, stats, last_alpha) -> None:
    snapshot = stats.sum(axis=0)
    fields = {}
    alpha = _current_alpha(last_alpha)
    if alpha > 0:  # no chunk has started yet: show no rate rather than a rate of 0
        fields["alpha"] = alpha
    if snapshot[2] > 0:
        fields["loss"] = float(snapshot[1] / snapshot[2])
    progress.update(done_before + int(snapshot[0]), **fields)


def _current_alpha(last_alpha) -> float:
    # Threads finish chunks out of order; the smallest rate in use is the furthest progress.
    used = [a for a in last_alpha if a > 0]
    return float(min(used)) if used else 0.0
