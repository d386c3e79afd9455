"""teach train-toy and sgns-pmi: the real skip-gram estimator, small and seeded."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.methods.word2vec.model import SkipGram
from embedlab.teach import toy_data
from embedlab.teach.sgns_pmi import sgns_vs_pmi
from embedlab.teach.toy_training import train_toy


@pytest.fixture(scope="module")
def toy():
    return train_toy(epochs=60)


def test_toy_starts_from_the_notes_tables(toy):
    start = toy["start"]["word_vectors"]
    for word, row in zip(toy_data.TOY_WORDS, toy_data.TOY_WORD_VECTORS, strict=True):
        np.testing.assert_allclose(start[word], row, atol=1e-7)  # float32 copies
    assert all(v == [0.0, 0.0] for v in toy["start"]["context_vectors"].values())
    assert len(toy["history"]) == 60
    assert toy["trajectories"]["word_vectors"].shape == (61, 8, 2)


def test_toy_vectors_separate_vehicles_from_fruits(toy):
    W = toy["final"]["word_vectors"]
    C = toy["final"]["context_vectors"]
    kind = toy_data.TOY_KINDS
    for word in W:
        same = [np.dot(W[word], C[c]) for c in C if c != word and kind[c] == kind[word]]
        other = [np.dot(W[word], C[c]) for c in C if kind[c] != kind[word]]
        # what SGNS optimizes: observed contexts score high, never-seen ones low
        assert min(same) > max(other), word
    assert toy["history"][-1]["loss"] < toy["history"][0]["loss"]


def test_toy_is_deterministic_and_uses_the_estimator(monkeypatch, toy):
    fits = []
    real = SkipGram.fit

    def spy(self, corpus):
        fits.append((self.dim, self.window, self.negative, self.sample, self.threads))
        return real(self, corpus)

    monkeypatch.setattr(SkipGram, "fit", spy)
    again = train_toy(epochs=60)
    assert fits == [(2, 2, 2, 0.0, 1)]
    assert again["final"] == toy["final"]


def _dot(u, v) -> float:
    return sum(float(a) * float(b) for a, b in zip(u, v, strict=True))


def _expected_loss_by_hand(W, C, window=2, negative=2):
    """word2vec's loss averaged over its draws, in plain loops: a pair at distance d is kept
    with probability (window - d + 1) / window (the reduced window), and each of the
    ``negative`` draws is word n with probability count(n)^0.75 / Σ, adding nothing when n is
    the pair's own context (the trainer drops it)."""
    words = list(toy_data.TOY_WORDS)
    sentences = toy_data.toy_sentences()
    counts = Counter(w for s in sentences for w in s)
    z = sum(counts[w] ** 0.75 for w in words)
    noise = [counts[w] ** 0.75 / z for w in words]

    def minus_log_sigmoid(x):
        return math.log1p(math.exp(-x))

    total = weights = 0.0
    for sentence in sentences:
        ids = [words.index(w) for w in sentence]
        for i, centre in enumerate(ids):
            for j, context in enumerate(ids):
                d = abs(i - j)
                if not 0 < d <= window:
                    continue
                weight = (window - d + 1) / window
                loss = minus_log_sigmoid(_dot(W[centre], C[context]))
                for n in range(len(words)):
                    if n != context:
                        loss += negative * noise[n] * minus_log_sigmoid(-_dot(W[centre], C[n]))
                total += weight * loss
                weights += weight
    return total / weights


def test_the_expected_loss_averages_the_draws_by_hand(toy):
    W, C = toy["trajectories"]["word_vectors"], toy["trajectories"]["context_vectors"]
    for epoch in (1, 30, 60):
        expected = _expected_loss_by_hand(W[epoch], C[epoch])
        assert toy["history"][epoch - 1]["expected_loss"] == pytest.approx(expected, rel=1e-5)


def test_toy_rejects_other_dims():
    with pytest.raises(EmbedlabError, match="two-dimensional"):
        train_toy(dim=3, epochs=1)


def _topic_corpus(seed=0, sentences=400):
    """Sentences mostly from one of three topics (Zipf-like inside each), a quarter of the
    words from anywhere: PMI then spans a wide range, positive and negative."""
    rng = np.random.default_rng(seed)
    topics = [[f"{t}{i}" for i in range(6)] for t in "abc"]
    everything = [w for topic in topics for w in topic]
    zipf = 1 / np.arange(1, 7)
    zipf /= zipf.sum()
    corpus = []
    for _ in range(sentences):
        topic = topics[rng.integers(3)]
        corpus.append(
            [
                str(rng.choice(topic, p=zipf))
                if rng.random() < 0.75
                else str(rng.choice(everything))
                for _ in range(8)
            ]
        )
    return corpus


def test_sgns_dot_products_track_shifted_pmi():
    corpus = _topic_corpus()
    result = sgns_vs_pmi(
        corpus, dim=10, window=2, negative=3, epochs=15, min_count=1, min_pair_count=5, seed=1
    )
    # PMI - ln k counted by hand for one pair, to pin the x-axis
    counts = Counter()
    for sent in corpus:
        for i, w in enumerate(sent):
            for j in range(max(0, i - 2), min(len(sent), i + 3)):
                if j != i:
                    counts[(w, sent[j])] += 1
    total = sum(counts.values())
    row, col = Counter(), Counter()
    for (w, c), n in counts.items():
        row[w] += n
        col[c] += n
    ex = result["examples"][0]
    n = counts[(ex["word"], ex["context"])]
    assert ex["count"] == n
    pmi = math.log(n * total / (row[ex["word"]] * col[ex["context"]]))
    assert ex["shifted_pmi"] == pytest.approx(pmi - math.log(3))
    assert result["pearson"] > 0.5
    assert result["unseen_mean_dot"] < result["seen_mean_dot"]
    assert result["pairs"] == len(result["dots"]) == len(result["shifted_pmi"])
