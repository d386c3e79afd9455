"""teach sigmoid, onehot, analogy and keep against numbers derived here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from embedlab.teach import toy_data
from embedlab.teach.basics import analogy_lesson, keep_lesson, onehot_lookup, sigmoid_table


def test_sigmoid_reproduces_the_notes_table():
    rows = sigmoid_table()
    assert [round(r["sigma"], 2) for r in rows] == [0.25, 0.55, 0.68]  # the notes' 001 table
    for r in rows:
        assert r["sigma"] == pytest.approx(1 / (1 + math.exp(-r["score"])))
        assert r["one_minus"] == pytest.approx(1 - r["sigma"])


def test_onehot_times_E_is_the_row():
    result = onehot_lookup("Frodo")
    assert result["product"] == [0.91, 0.74, 0.27]  # the notes' 003 lookup, exactly
    assert result["equal"] and result["onehot"] == [0, 1, 0, 0, 0, 0]


def test_analogy_answer_and_cosine_by_hand():
    vectors = {"a": [1.0, 0.0], "b": [1.0, 1.0], "c": [0.0, 1.0], "d": [-1.0, 1.0], "e": [1, -1]}
    result = analogy_lesson("a", "b", "c", vectors, topn=2)

    def unit(v):
        v = np.asarray(v, float)
        return v / np.linalg.norm(v)

    target = unit(unit(vectors["b"]) - unit(vectors["a"]) + unit(vectors["c"]))
    expected = {w: float(unit(vectors[w]) @ target) for w in ("d", "e")}
    assert result["answers"][0]["word"] == max(expected, key=expected.get)
    for answer in result["answers"]:
        assert answer["cosine"] == pytest.approx(expected[answer["word"]], abs=1e-6)
    assert analogy_lesson()["answers"][0]["word"] == "queen"


def test_keep_choices_cosines_by_hand():
    result = keep_lesson()
    W, C = toy_data.LATER_WORD_VECTORS, toy_data.LATER_CONTEXT_VECTORS
    words = list(toy_data.TOY_WORDS)
    kinds = [toy_data.TOY_KINDS[w] for w in words]
    matrices = {"W": W, "W'": C, "W + W'": W + C, "W ⊕ W'": np.hstack([W, C])}
    for choice in result["choices"]:
        M = matrices[choice["name"]]
        U = M / np.linalg.norm(M, axis=1, keepdims=True)
        within, across = [], []
        for i in range(len(words)):
            for j in range(i + 1, len(words)):
                (within if kinds[i] == kinds[j] else across).append(U[i] @ U[j])
        assert choice["within"] == pytest.approx(np.mean(within), abs=1e-6)
        assert choice["across"] == pytest.approx(np.mean(across), abs=1e-6)
        assert np.allclose(list(choice["vectors"].values()), M, atol=1e-6)
