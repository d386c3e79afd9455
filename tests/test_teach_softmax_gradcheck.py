"""teach softmax-loss and gradcheck: the notes' Frodo -> ring example and gradient checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.methods.word2vec.objectives import softmax
from embedlab.teach.gradcheck import gradcheck, random_tables
from embedlab.teach.softmax import softmax_loss
from embedlab.teach.tables import Tables

FRODO = [0.91, 0.74, 0.27]
W_PRIME = [
    [0.19, 0.64, 0.98],
    [0.17, 0.42, 0.47],
    [0.55, 0.24, 0.92],
    [0.89, 0.58, 0.13],
    [0.31, 0.73, 0.48],
    [0.49, 0.20, 0.54],
]


def test_logits_match_the_notes_to_four_decimals():
    result = softmax_loss()
    by_hand = [sum(a * b for a, b in zip(FRODO, row, strict=True)) for row in W_PRIME]
    assert [round(v, 4) for v in result["logits"]] == [
        0.9111,
        0.5924,
        0.9265,
        1.2742,
        0.9519,
        0.7397,
    ]
    np.testing.assert_allclose(result["logits"], by_hand)


def test_loss_is_1_79_not_the_slides_1_60():
    result = softmax_loss()
    logits = [sum(a * b for a, b in zip(FRODO, row, strict=True)) for row in W_PRIME]
    log_sum = math.log(sum(math.exp(z) for z in logits))
    assert result["log_sum_exp"] == pytest.approx(log_sum)
    assert result["loss"] == pytest.approx(-logits[2] + log_sum)
    assert round(result["loss"], 2) == 1.79
    # slip: the slide sums five exponentials (it leaves out exp(0.9265) = 2.53, ring's own),
    # giving ln 12.57 = 2.53 and loss 1.60
    five = [2.49, 1.81, 3.58, 2.59, 2.10]
    assert round(math.log(sum(five)), 2) == 2.53 and round(log_sum, 2) == 2.71
    assert round(math.exp(logits[2]), 2) == 2.53
    np.testing.assert_allclose(sum(result["probabilities"]), 1.0)


def test_every_context_row_gets_gradient_including_the_sources_own():
    result = softmax_loss()
    # slip: the notes say every row of W' but the source's; the softmax sums over all words
    assert result["parameters_with_gradient"]["W_prime"]["rows"] == [
        "Daenerys",
        "Frodo",
        "ring",
        "dragon",
        "Picard",
        "ship",
    ]
    assert result["parameters_with_gradient"]["W"] == {"rows": ["Frodo"], "count": 3}
    p = np.array(result["probabilities"])
    onehot = np.eye(6)[2]
    np.testing.assert_allclose(
        list(result["gradient_context"].values()), np.outer(p - onehot, FRODO), atol=1e-12
    )


def test_softmax_loss_uses_the_trainers_full_softmax(monkeypatch):
    calls = []
    real = softmax.full_softmax_update

    def spy(h, target, out, grad_h, alpha, probs):
        calls.append((target, alpha))
        return real(h, target, out, grad_h, alpha, probs)

    monkeypatch.setattr("embedlab.teach.softmax.full_softmax_update", spy)
    softmax_loss()
    assert calls == [(2, 1.0)]


def test_softmax_loss_errors():
    with pytest.raises(UnknownWordError):
        softmax_loss(source="Gandalf")
    with pytest.raises(EmbedlabError, match="one row per word"):
        softmax_loss(W=np.ones((2, 3)), W_prime=np.ones((2, 3)), words=["a", "b", "c"])


def test_gradcheck_agrees_with_finite_differences_and_the_notes_formulas():
    result = gradcheck(seed=3)
    assert result["max_abs_error"] < 1e-6
    for check in result["negative_sampling"] + result["softmax"]:
        np.testing.assert_allclose(check["routine"], check["formula"], atol=1e-12)
        np.testing.assert_allclose(check["routine"], check["numeric"], atol=1e-6)
    names = [c["gradient"] for c in result["negative_sampling"]]
    assert names[0] == "dL/du_t" and names[1].startswith("dL/dv_c ")
    assert len(names) == 2 + 3


def test_gradcheck_sgns_formula_by_hand_on_given_vectors():
    tables = Tables(
        ["t", "c", "n"],
        np.array([[1.0, 0.0], [0, 0], [0, 0]]),
        np.array([[0, 0], [0.5, 1.0], [2.0, -1.0]]),
    )
    result = gradcheck(tables, "t", "c", ["n"])
    s_c = 1 / (1 + math.exp(-0.5))
    s_n = 1 / (1 + math.exp(-2.0))
    du = (s_c - 1) * np.array([0.5, 1.0]) + s_n * np.array([2.0, -1.0])
    np.testing.assert_allclose(result["negative_sampling"][0]["routine"], du)
    np.testing.assert_allclose(result["negative_sampling"][1]["routine"], [s_c - 1, 0])
    np.testing.assert_allclose(result["negative_sampling"][2]["routine"], [s_n, 0])


def test_gradcheck_refuses_repeated_samples():
    with pytest.raises(EmbedlabError, match="must all differ"):
        gradcheck(random_tables(), "w0", "w1", ["w1"])
