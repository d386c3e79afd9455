"""Training runs on tiny corpora: determinism, planted clusters, history, chunking."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from numba import njit

from embedlab.corpus.encoded import EncodedCorpus
from embedlab.corpus.vocabulary import Vocabulary
from embedlab.methods.word2vec.model import CBOW, SkipGram
from embedlab.methods.word2vec.objectives import OBJECTIVES
from embedlab.methods.word2vec.objectives.base import Objective
from embedlab.methods.word2vec.trainer import (
    MAX_PIECE,
    chunk_plan,
    initial_matrices,
    train_matrices,
)

SRC = Path(__file__).resolve().parents[1] / "src"


def planted_corpus(n_sentences=400, length=8, seed=0) -> EncodedCorpus:
    """Two topics of 6 words each; every sentence uses words of one topic only."""
    rng = np.random.default_rng(seed)
    tokens = []
    starts = [0]
    for s in range(n_sentences):
        topic = s % 2
        tokens.extend(rng.integers(0, 6, size=length) + 6 * topic)
        starts.append(len(tokens))
    tokens = np.array(tokens, dtype=np.int32)
    counts = np.bincount(tokens, minlength=12)
    words = [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(6)]
    vocab = Vocabulary(words, counts)  # count order does not matter to the trainer
    return EncodedCorpus(vocab, tokens, np.array(starts, np.int64), len(tokens))


def settings(architecture="skipgram", **changes):
    """The estimator whose parameters the trainer reads, small and single-threaded; its starting
    rate is given (the trainer takes a number: sizing one from the corpus is ``fit``'s job)."""
    alpha = 0.05 if architecture == "cbow" else 0.025
    base = dict(dim=8, window=3, negative=3, sample=0.0, epochs=3, threads=1, seed=1, quiet=True,
                alpha=alpha)  # fmt: skip
    base.update(changes)
    return (CBOW if architecture == "cbow" else SkipGram)(**base)


def _cosines(W):
    unit = W / np.linalg.norm(W, axis=1, keepdims=True)
    sims = unit @ unit.T
    topic = np.arange(12) // 6
    same = (topic[:, None] == topic[None, :]) & ~np.eye(12, dtype=bool)
    across = topic[:, None] != topic[None, :]
    return sims[same].mean(), sims[across].mean()


@pytest.mark.parametrize(
    "architecture, objective, shared",
    [
        ("skipgram", "negative", True),
        ("skipgram", "negative", False),
        ("skipgram", "infonce", True),
        ("cbow", "negative", False),
        ("cbow", "infonce", False),
        ("skipgram", "hierarchical", False),
        ("cbow", "softmax", False),
    ],
)
def test_training_separates_planted_clusters(architecture, objective, shared):
    own = {} if architecture == "cbow" else {"shared_negatives": shared}
    chosen = settings(architecture, objective=objective, epochs=5, **own)
    result = train_matrices(planted_corpus(), chosen)
    within, across = _cosines(result.W)
    assert within > across + 0.5, (within, across)


def test_shared_negatives_change_the_draws_not_the_rest():
    corpus = planted_corpus()
    shared = train_matrices(corpus, settings())
    fresh = train_matrices(corpus, settings(shared_negatives=False))
    assert not np.array_equal(shared.W, fresh.W)
    # hierarchical softmax draws no negatives: the option changes nothing there
    tree = settings(objective="hierarchical")
    a = train_matrices(corpus, tree)
    b = train_matrices(corpus, settings(objective="hierarchical", shared_negatives=False))
    assert np.array_equal(a.W, b.W)


def test_same_seed_one_thread_is_bit_identical():
    corpus = planted_corpus()
    a = train_matrices(corpus, settings())
    b = train_matrices(corpus, settings())
    assert np.array_equal(a.W, b.W) and np.array_equal(a.C, b.C)
    c = train_matrices(corpus, settings(seed=2))
    assert not np.array_equal(a.W, c.W)


def _digest_here() -> str:
    result = train_matrices(planted_corpus(), settings(sample=1e-2, epochs=2))
    return hashlib.sha256(result.W.tobytes() + result.C.tobytes()).hexdigest()


def test_bit_identical_across_processes_and_hash_seeds():
    code = (
        "import sys, hashlib; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
        "import test_word2vec_training as t; print(t._digest_here())"
    )
    here = _digest_here()
    for hash_seed in ("0", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run(
            [sys.executable, "-c", code, str(SRC), str(Path(__file__).parent)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == here


def test_history_has_one_finite_decreasing_entry_per_epoch():
    result = train_matrices(planted_corpus(), settings(epochs=4))
    assert [entry["epoch"] for entry in result.history] == [1, 2, 3, 4]
    losses = [entry["loss"] for entry in result.history]
    assert all(np.isfinite(losses)) and losses[-1] < losses[0]
    for entry in result.history:
        assert entry["words"] == 400 * 8 and entry["seconds"] > 0 and entry["words_per_sec"] > 0
    alphas = [entry["alpha"] for entry in result.history]
    assert alphas == sorted(alphas, reverse=True) and 0.0001 <= alphas[-1] < 0.025


def test_epoch_hook_sees_every_epoch():
    seen = []
    train_matrices(
        planted_corpus(),
        settings(epochs=3),
        on_epoch_end=lambda epoch, entry, W, C: seen.append((epoch, entry["loss"], W.shape)),
    )
    assert [e for e, _, _ in seen] == [1, 2, 3] and seen[0][2] == (12, 8)


class _Recorder:
    def __init__(self):
        self.calls = []
        self.epochs = []

    def update(self, done, **fields):
        self.calls.append((done, fields))

    def epoch(self, entry, epochs):
        self.epochs.append((entry, epochs))


def test_progress_counts_all_words_and_reports_alpha_and_loss():
    recorder = _Recorder()
    result = train_matrices(planted_corpus(), settings(epochs=2), progress=recorder)
    done = [d for d, _ in recorder.calls]
    assert done == sorted(done) and done[-1] == 2 * 400 * 8
    assert {"alpha", "loss"} <= set(recorder.calls[-1][1])
    # each finished epoch is recorded once, with its history entry, out of the run's total
    assert recorder.epochs == [(entry, 2) for entry in result.history]


def test_two_threads_train_as_well():
    result = train_matrices(planted_corpus(), settings(threads=2, epochs=5))
    within, across = _cosines(result.W)
    assert within > across + 0.5
    assert sum(e["words"] for e in result.history) == 5 * 400 * 8


def test_resumed_matrices_continue_from_where_they_were():
    corpus = planted_corpus()
    first = train_matrices(corpus, settings(epochs=1))
    W, C = first.W.copy(), first.C.copy()
    again = train_matrices(corpus, settings(epochs=1), W=W, C=C)
    assert again.W is W  # trained in place, from the given start
    assert again.history[0]["loss"] < first.history[0]["loss"]


def test_initial_matrices_like_gensim():
    W, C = initial_matrices(50, 10, seed=3)
    assert W.dtype == np.float32 and not C.any()
    # uniform in [-1/dim, 1/dim): standard deviation (2/dim) / sqrt(12) = 0.0577
    assert W.min() >= -0.1 and W.max() < 0.1 and abs(W.std() - 0.2 / 12**0.5) < 0.005
    assert np.array_equal(W, initial_matrices(50, 10, seed=3)[0])


def test_chunk_plan_cuts_long_sentences_and_covers_every_token():
    starts = np.array([0, 3, 3 + 2 * MAX_PIECE + 5, 3 + 2 * MAX_PIECE + 9], dtype=np.int64)
    bounds, chunks = chunk_plan(starts)
    assert list(bounds) == [
        0,
        3,
        3 + MAX_PIECE,
        3 + 2 * MAX_PIECE,
        3 + 2 * MAX_PIECE + 5,
        3 + 2 * MAX_PIECE + 9,
    ]
    assert chunks[0] == 0 and chunks[-1] == len(bounds) - 1
    assert np.all(np.diff(chunks) > 0)


def test_the_memory_estimate_is_what_negative_sampling_allocates():
    from embedlab.corpus.sampling import AliasTable, keep_probability, noise_distribution
    from embedlab.methods.word2vec.trainer import expected_bytes, initial_matrices

    corpus = planted_corpus()
    counts = np.asarray(corpus.vocab.counts)
    W, C = initial_matrices(len(counts), 100, seed=1)
    alias = AliasTable.from_probs(noise_distribution(counts))
    keep = keep_probability(counts, 1e-3)
    samples = np.empty(3 + 1, np.int32)  # one thread's target and negatives
    held = [W, C, np.asarray(corpus.tokens), keep, alias.prob, alias.alias, samples]
    estimate = expected_bytes(len(counts), corpus.n_tokens, settings(dim=100))
    assert estimate == sum(array.nbytes for array in held)
    tree = settings(dim=100, objective="hierarchical")
    assert expected_bytes(len(counts), corpus.n_tokens, tree) > estimate


class _CountingState(NamedTuple):
    seen: np.ndarray  # int64[1]: predictions this thread made


@njit(nogil=True)
def _counting_update(state, h, target, n, out, grad_h, alpha):
    state.seen[0] += 1
    return 0.5


def _train_with_a_new_objective() -> str:
    """Register an objective the architectures have never seen and train both with it: it
    moves nothing and costs 0.5 per prediction. Returns "ok" or what went wrong."""
    OBJECTIVES["counting"] = Objective(
        name="counting",
        state=_CountingState,
        update=_counting_update,
        tables=lambda counts, params: {},
        scratch=lambda n_words, params: {"seen": ((1,), np.int64)},
        table_bytes=lambda n_words, params: 0,
    )
    corpus = planted_corpus(n_sentences=20)
    for architecture in ("skipgram", "cbow"):
        result = train_matrices(corpus, settings(architecture, objective="counting", epochs=1))
        [entry] = result.history
        start = initial_matrices(12, 8, seed=1)[0]
        if not (entry["predictions"] > 0 and entry["loss"] == 0.5):
            return f"{architecture}: {entry}"
        if not (np.array_equal(result.W, start) and not result.C.any()):
            return f"{architecture}: the matrices moved"
    return "ok"


def test_a_new_objective_is_one_registry_entry(tmp_path):
    # In a child with its own kernel cache: Numba's cache index records the state's type, and
    # a type from this test module must not reach the cache other processes read.
    code = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]];"
        "import test_word2vec_training as t; print(t._train_with_a_new_objective())"
    )
    env = dict(os.environ, EMBEDLAB_KERNEL_CACHE=str(tmp_path / "kernels"))
    out = subprocess.run(
        [sys.executable, "-c", code, str(SRC), str(Path(__file__).parent)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
