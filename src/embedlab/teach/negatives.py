"""Lesson: the negative-sampling training set, its noise distribution, and why it needs negatives.

The rows are what the trainer sees: skip-gram pairs from the trainer's window generator, each
followed by negatives drawn by the trainer's ``draw_negatives`` from its noise distribution
``count**0.75`` (an alias table, the trainer's generator). Training the toy with and without
negatives through the trainer's ``negative_sampling_update`` shows the notes' point: with
positives only, every score goes to 1 (a trivial classifier) while the vectors grow without
bound.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_float, check_int
from embedlab.corpus.random import seed_state
from embedlab.corpus.sampling import AliasTable, noise_distribution
from embedlab.corpus.windows import skipgram_pairs
from embedlab.methods.word2vec.objectives.logistic import sigmoid
from embedlab.methods.word2vec.objectives.negative import (
    draw_negatives,
    negative_sampling_update,
)
from embedlab.teach import toy_data
from embedlab.teach.pairs import words_of
from embedlab.teach.tables import toy_tables

_NO_TRACE = np.zeros((0, 0))


def noise_table(words: list[str], counts, exponent: float = 0.75) -> list[dict]:
    """Per word: its count, the raw unigram probability and the noise probability."""
    counts = np.asarray(counts, dtype=np.float64)
    unigram = counts / counts.sum()
    noise = noise_distribution(counts, exponent)
    return [
        {"word": w, "count": int(c), "unigram": float(u), "noise": float(p)}
        for w, c, u, p in zip(words, counts, unigram, noise, strict=True)
    ]


def training_set(
    text: str = toy_data.WHITE_CAT,
    window: int = 2,
    negative: int = 2,
    exponent: float = 0.75,
    seed: int = 1,
) -> dict:
    """The (input, output, label) rows for ``text``: each observed pair, then its negatives.

    Returns ``{"words", "noise", "rows"}``; a negative equal to the observed word is dropped, as
    the trainer drops it.
    """
    from embedlab.corpus import as_corpus

    window = check_int("window", window, minimum=1)
    negative = check_int("negative", negative, minimum=0)
    exponent = check_float("exponent", exponent, minimum=0.0)
    corpus = as_corpus([words_of(text)], min_count=1)
    words = list(corpus.vocab.words)
    noise = noise_table(words, corpus.vocab.counts, exponent)
    table = AliasTable.from_probs([n["noise"] for n in noise])
    state = seed_state(check_int("seed", seed, minimum=0))
    samples = np.zeros(negative + 1, dtype=np.int32)
    rows = []
    for _, source, target in skipgram_pairs(words_of(text), window):
        used = draw_negatives(
            corpus.vocab.index[target], samples, negative, table.prob, table.alias, state
        )
        rows.append({"input": source, "output": target, "label": 1})
        rows.extend({"input": source, "output": words[s], "label": 0} for s in samples[1:used])
    return {"words": words, "noise": noise, "rows": rows}


def positives_only(
    epochs: int = 50, alpha: float = toy_data.TOY_ALPHA, negative: int = 2, seed: int = 1
) -> dict:
    """Train the notes' toy from their starting tables, with ``negative`` negatives and with none.

    Per epoch and run: ``loss`` (mean per pair), ``sigma_pairs`` (mean sigma(w . c) over the
    pairs trained on), ``sigma_unrelated`` (over vehicle-fruit pairs, which never co-occur) and
    the mean norms of the word and context vectors. Returns ``{"words", "epochs", "alpha",
    "negative", "runs": {"with negatives": [...], "positives only": [...]}}``.
    """
    epochs = check_int("epochs", epochs, minimum=1)
    alpha = check_float("alpha", alpha, minimum=0.0, exclusive_minimum=True)
    negative = check_int("negative", negative, minimum=1)
    words = list(toy_data.TOY_WORDS)
    index = {w: i for i, w in enumerate(words)}
    pairs = [
        (index[s], index[t])
        for sentence in toy_data.toy_sentences()
        for _, s, t in skipgram_pairs(sentence, 2)
    ]
    kinds = [toy_data.TOY_KINDS[w] for w in words]
    unrelated = [
        (a, b) for a in range(len(words)) for b in range(len(words)) if kinds[a] != kinds[b]
    ]
    counts = np.bincount([t for _, t in pairs], minlength=len(words))
    table = AliasTable.from_probs(noise_distribution(counts))
    runs = {
        "with negatives": _train(pairs, unrelated, epochs, alpha, negative, table, seed),
        "positives only": _train(pairs, unrelated, epochs, alpha, 0, table, seed),
    }
    return {"words": words, "epochs": epochs, "alpha": alpha, "negative": negative, "runs": runs}


def _train(pairs, unrelated, epochs, alpha, negative, table, seed) -> list[dict]:
    tables = toy_tables()
    W, C = tables.word_vectors, tables.context_vectors
    state = seed_state(seed)
    samples = np.zeros(negative + 1, dtype=np.int32)
    history = []
    for epoch in range(1, epochs + 1):
        total = 0.0
        for source, target in pairs:
            used = draw_negatives(target, samples, negative, table.prob, table.alias, state)
            grad = np.zeros(W.shape[1])
            total += negative_sampling_update(W[source], samples[:used], C, grad, alpha, _NO_TRACE)
            W[source] += grad
        history.append(
            {
                "epoch": epoch,
                "loss": total / len(pairs),
                "sigma_pairs": _mean_sigma(W, C, pairs),
                "sigma_unrelated": _mean_sigma(W, C, unrelated),
                "word_norm": float(np.linalg.norm(W, axis=1).mean()),
                "context_norm": float(np.linalg.norm(C, axis=1).mean()),
            }
        )
    return history


def _mean_sigma(W, C, pairs) -> float:
    return float(np.mean([sigmoid(float(W[a] @ C[b])) for a, b in pairs]))
