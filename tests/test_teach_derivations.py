"""The identities the notes leave unchecked: matrix calculus (002), σ′ (003), KL (004).

Expected values come from the math, written here with numpy; the lessons compute theirs with
finite differences and sums."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.teach.kl import discrete_kl, gaussian_kl, kl_lesson
from embedlab.teach.matrix_calculus import matrix_calculus_lesson
from embedlab.teach.sigmoid_derivative import sigmoid_derivative_lesson


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def test_matrix_calculus_rules_match_the_math_and_finite_differences():
    result = matrix_calculus_lesson(n=4, m=3, seed=5)
    x, W, V = np.array(result["x"]), np.array(result["W"]), np.array(result["W_row"])
    e0 = np.eye(3)[0]
    expected = [
        W,  # z = Wx
        V.T,  # z = xW
        np.diag(sigmoid(x) * (1 - sigmoid(x))),  # z = σ(x)
        np.outer(softmax(W @ x) - e0, x),  # ∂(−log softmax(Wx)₀)/∂W
        np.outer(x, softmax(x @ V) - e0),  # ∂(−log softmax(xV)₀)/∂V
    ]
    assert [r["shape"] for r in result["rules"]] == [[3, 4], [3, 4], [4, 4], [3, 4], [4, 3]]
    for rule, want in zip(result["rules"], expected, strict=True):
        np.testing.assert_allclose(rule["analytic"], want, atol=1e-12)
        np.testing.assert_allclose(rule["numeric"], want, atol=1e-7)
    assert result["max_abs_error"] < 1e-7


def test_sigmoid_derivative_at_the_backprop_exercise_points():
    result = sigmoid_derivative_lesson()
    # every weight 1: the hidden units see x·1 = 1 and 4, the outputs h·1 + h·1
    hidden = np.array([-1 + 0 + 2, 2 + 1 + 1])
    points = [*hidden, *(2 * sigmoid(hidden))]
    assert [r["x"] for r in result["rows"]] == pytest.approx(points)
    for row in result["rows"]:
        s = sigmoid(row["x"])
        assert row["product"] == pytest.approx(s * (1 - s), rel=1e-12)
        assert row["derivation"] == pytest.approx(
            math.exp(-row["x"]) / (1 + math.exp(-row["x"])) ** 2
        )
        assert row["numeric"] == pytest.approx(s * (1 - s), abs=1e-9)
    far = sigmoid_derivative_lesson([-800.0, 0.0, 800.0])["rows"]
    assert [r["product"] for r in far] == [0.0, 0.25, 0.0]


def test_discrete_kl_is_cross_entropy_minus_entropy_by_hand():
    p, q = np.array([0.5, 0.25, 0.25]), np.array([0.25, 0.5, 0.25])
    result = discrete_kl(p, q)
    forward, backward = result["directions"]
    assert forward["kl"] == pytest.approx(np.sum(p * np.log(p / q)))
    assert forward["cross_entropy"] == pytest.approx(-np.sum(p * np.log(q)))
    assert forward["entropy"] == pytest.approx(-np.sum(p * np.log(p)))
    assert forward["difference"] == pytest.approx(forward["kl"], abs=1e-15)
    assert backward["kl"] == pytest.approx(np.sum(q * np.log(q / p)))


def test_the_default_discrete_pair_is_the_notes_sentence():
    result = kl_lesson()["discrete"]
    # "The dog was chased by a white cat as it was": 'was' twice, nine words once
    counts = {"was": 2, **{w: 1 for w in "The dog chased by a white cat as it".split()}}
    assert dict(zip(result["outcomes"], result["p"], strict=True)) == pytest.approx(
        {w: c / 11 for w, c in counts.items()}
    )
    noise = {w: c**0.75 for w, c in counts.items()}
    total = sum(noise.values())
    assert dict(zip(result["outcomes"], result["q"], strict=True)) == pytest.approx(
        {w: v / total for w, v in noise.items()}
    )


def test_gaussian_kl_sums_match_the_closed_form_both_ways():
    mu, sigma = np.array([0.3, -1.0]), np.array([0.7, 1.6])
    result = gaussian_kl(mu, sigma)
    # KL(N(a, s²) ‖ N(b, t²)) = ln(t/s) + (s² + (a − b)²)/(2t²) − ½, summed over dimensions
    prior_first = np.sum(np.log(sigma) + (1 + mu**2) / (2 * sigma**2) - 0.5)
    encoder_first = np.sum(-np.log(sigma) + (sigma**2 + mu**2) / 2 - 0.5)
    forward, backward = result["directions"]
    assert forward["kl"] == pytest.approx(prior_first, abs=1e-8)
    assert backward["kl"] == pytest.approx(encoder_first, abs=1e-8)
    assert forward["difference"] == pytest.approx(prior_first, abs=1e-8)
    # H(N(0, 1)) = ½ ln(2πe) per dimension
    assert forward["entropy"] == pytest.approx(len(mu) * 0.5 * math.log(2 * math.pi * math.e))


@pytest.mark.parametrize(
    "args, message",
    [
        (["kl", "--p", "0.5,0.5"], "both --p and --q"),
        (["kl", "--p", "1,0", "--q", "0,1"], "infinite"),
        (["kl", "--sigma", "0,1"], "positive"),
        (["kl", "--mu", "1", "--sigma", "1,2"], "one number per dimension"),
        (["sigmoid-derivative", "--x", "a"], "bad points"),
    ],
)
def test_bad_input_is_one_line(capsys, args, message):
    assert main(["teach", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("embedlab: error: ") and message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["matrix-calculus", "sigmoid-derivative", "kl"])
def test_commands_print_tables_and_json(capsys, command):
    assert main(["teach", command]) == 0
    assert "┃" in capsys.readouterr().out
    assert main(["teach", command, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["max_abs_error"] < 1e-6
