"""teach huffman and teach negatives against independent computations (heapq, plain loops)."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest

from embedlab.teach.huffman import huffman_lesson
from embedlab.teach.negatives import positives_only, training_set


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _optimal_cost(counts):
    """Total weighted code length of an optimal prefix code (Huffman's merge cost sum)."""
    heap = list(counts)
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    return cost


def test_default_toy_codes_by_hand():
    # 5+5 -> 10, 10+10 -> 20, 20+20 -> 40, 40+40 -> 80: a chain, lengths 1, 2, 3, 4, 4
    result = huffman_lesson()
    assert [len(r["code"]) for r in result["rows"]] == [1, 2, 3, 4, 4]
    assert result["expected_code_length"] == pytest.approx((40 + 40 + 30 + 20 + 20) / 80)


@pytest.mark.parametrize("counts", [(40, 20, 10, 5, 5), (7, 7, 7, 7), (100, 1, 1, 50, 3, 9, 2)])
def test_codes_are_an_optimal_prefix_code(counts):
    result = huffman_lesson(counts)
    codes = [r["code"] for r in result["rows"]]
    assert all(set(c) <= {"0", "1"} for c in codes)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            assert not a.startswith(b) and not b.startswith(a)
    assert sum(2.0 ** -len(c) for c in codes) == pytest.approx(1.0)  # a full binary tree
    cost = sum(c * len(code) for c, code in zip(counts, codes, strict=True))
    assert cost == _optimal_cost(counts)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_path_probabilities_from_the_formula_sum_to_one(seed):
    result = huffman_lesson((30, 10, 8, 4, 2, 1), dim=4, seed=seed)
    h = np.array(result["hidden"])
    inner = np.array(result["inner_vectors"])
    total = 0.0
    for row in result["rows"]:
        p = 1.0
        for bit, node in zip(row["code"], row["points"], strict=True):
            z = float(inner[node] @ h)
            p *= _sigmoid(z) if bit == "0" else _sigmoid(-z)
        assert row["probability"] == pytest.approx(p, rel=1e-12)
        assert row["trainer_probability"] == pytest.approx(p, rel=1e-9)
        total += p
    assert total == pytest.approx(1.0, abs=1e-12)


def test_words_sharing_a_prefix_share_its_nodes():
    rows = huffman_lesson((9, 8, 7, 6, 5, 4, 3))["rows"]
    for a in rows:
        for b in rows:
            common = 0
            while common < min(len(a["code"]), len(b["code"])) and (
                a["code"][common] == b["code"][common]
            ):
                common += 1
            # the same branches lead through the same nodes, and the paths split at one node
            assert a["points"][: common + 1] == b["points"][: common + 1]


def _pairs(words, window):
    return [
        (words[i], words[j])
        for i in range(len(words))
        for j in range(max(0, i - window), min(len(words), i + window + 1))
        if j != i
    ]


def test_training_set_rows_and_noise_table():
    text = "The dog was chased by a white cat as it was"
    result = training_set(text, window=2, negative=3, seed=4)
    rows = result["rows"]
    positives = [(r["input"], r["output"]) for r in rows if r["label"] == 1]
    assert positives == _pairs(text.split(), 2)
    # each positive is followed by at most 3 negatives, none of them the observed word
    current, drawn = None, 0
    for r in rows:
        if r["label"] == 1:
            current, drawn = r, 0
        else:
            drawn += 1
            assert r["input"] == current["input"] and r["output"] != current["output"]
            assert drawn <= 3
    noise = {n["word"]: n for n in result["noise"]}
    assert noise["was"]["count"] == 2 and noise["dog"]["count"] == 1
    assert noise["was"]["unigram"] == pytest.approx(2 / 11)
    assert noise["was"]["noise"] == pytest.approx(2**0.75 / (2**0.75 + 9))
    assert noise["dog"]["noise"] == pytest.approx(1 / (2**0.75 + 9))


def test_positive_only_training_matches_plain_sgd_and_blows_up():
    from embedlab.corpus.windows import skipgram_pairs
    from embedlab.teach import toy_data

    lesson = positives_only(epochs=40, alpha=0.1)
    run = lesson["runs"]["positives only"]
    # an independent positive-only SGD (word2vec's order: context row at once, focus after)
    words = list(toy_data.TOY_WORDS)
    W = toy_data.TOY_WORD_VECTORS.astype(float).copy()
    C = np.zeros_like(W)
    pairs = [
        (words.index(s), words.index(t))
        for sentence in toy_data.toy_sentences()
        for _, s, t in skipgram_pairs(sentence, 2)
    ]
    norms = []
    for _ in range(40):
        for s, t in pairs:
            g = 0.1 * (1.0 - _sigmoid(float(W[s] @ C[t])))
            old = C[t].copy()
            C[t] += g * W[s]
            W[s] += g * old
        norms.append(np.linalg.norm(W, axis=1).mean())
    assert [h["word_norm"] for h in run] == pytest.approx(norms, rel=1e-9)
    assert run[-1]["sigma_pairs"] > 0.99 and run[-1]["loss"] < 0.01
    assert all(b["word_norm"] > a["word_norm"] for a, b in zip(run, run[1:], strict=False))
    with_negatives = lesson["runs"]["with negatives"][-1]
    assert with_negatives["sigma_unrelated"] < run[-1]["sigma_unrelated"]
    assert with_negatives["sigma_pairs"] < 0.9  # negatives keep scores off the trivial 1
