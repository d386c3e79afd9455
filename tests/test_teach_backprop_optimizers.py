"""teach backprop (the project's autograd) and teach optimizers against plain-Python versions."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

from embedlab.teach import autograd as ag
from embedlab.teach.backprop import backprop_lesson
from embedlab.teach.optimizers import optimizer_lesson

#: teach optimizers steps with the neural methods' Optimizer, which needs the [torch] extra
needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="no torch")


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def _network_loss(w1, w2):
    """The notes' exercise in plain Python: w1[i][j] input i -> hidden j, w2 hidden -> output."""
    xs = [[-1.0, 0.0, 2.0], [2.0, 1.0, 1.0]]
    ts = [[0.0, 1.0], [1.0, 0.0]]
    total = 0.0
    for x, t in zip(xs, ts, strict=True):
        h = [_sigmoid(sum(x[i] * w1[i][j] for i in range(3))) for j in range(2)]
        y = [_sigmoid(sum(h[i] * w2[i][j] for i in range(2))) for j in range(2)]
        total += sum((t[j] - y[j]) ** 2 for j in range(2))
    return 0.5 * total / len(xs)


def _bumped(which, i, j, eps):
    w = {"w1": [[1.0] * 2 for _ in range(3)], "w2": [[1.0] * 2 for _ in range(2)]}
    w[which][i][j] += eps
    return _network_loss(w["w1"], w["w2"])


def _derivative(which, i, j, eps=1e-5):
    return (_bumped(which, i, j, eps) - _bumped(which, i, j, -eps)) / (2 * eps)


def test_backprop_exercise_against_plain_finite_differences():
    result = backprop_lesson()
    for which, key in (("w1", "W1"), ("w2", "W2")):
        grads = result["gradients"][key]
        for i in range(len(grads)):
            for j in range(2):
                assert grads[i][j] == pytest.approx(_derivative(which, i, j), abs=1e-9)
    # the notes' two weights, learning rate 1: w := 1 - dL/dw
    assert result["w2_12"]["after"] == pytest.approx(1 - _derivative("w2", 0, 1), abs=1e-9)
    assert result["w1_22"]["after"] == pytest.approx(1 - _derivative("w1", 1, 1), abs=1e-9)
    assert round(result["w2_12"]["after"], 4) == 0.9640  # the slide's 0.965 is its rounding
    assert round(result["w1_22"]["after"], 5) == 0.99928  # the slide's 0.99987 is a slip
    assert result["loss"] == pytest.approx(_network_loss([[1.0] * 2] * 3, [[1.0] * 2] * 2))
    assert result["loss_as_written"] == pytest.approx(-result["loss"])
    # forward pass: the slide's h = 0.73 / 0.98 and y = 0.81 / 0.88 to two decimals
    assert [round(v, 2) for v in result["H"][0] + result["H"][1]] == [0.73, 0.73, 0.98, 0.98]
    assert [round(v, 2) for v in result["Y"][0] + result["Y"][1]] == [0.81, 0.81, 0.88, 0.88]


def test_autograd_sums_over_children():
    x = ag.Node(np.array([0.3, -1.2]))
    out = ag.total(x * x + x)  # d/dx = 2x + 1, x reaches the output along two paths
    ag.backward(out)
    assert np.allclose(x.grad, 2 * x.value + 1)


def test_autograd_matmul_sigmoid_against_finite_differences():
    rng = np.random.default_rng(3)
    A, B = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))

    def f(a, b):
        return float(np.sum((1 / (1 + np.exp(-(a @ b)))) ** 2))

    a, b = ag.Node(A), ag.Node(B)
    ag.backward(ag.total(ag.square(ag.sigmoid(a @ b))))
    eps = 1e-6
    for M, node, args in ((A, a, lambda m: (m, B)), (B, b, lambda m: (A, m))):
        for idx in np.ndindex(M.shape):
            up, down = M.copy(), M.copy()
            up[idx] += eps
            down[idx] -= eps
            numeric = (f(*args(up)) - f(*args(down))) / (2 * eps)
            assert node.grad[idx] == pytest.approx(numeric, abs=1e-7)


def _plain_runs(steps, start, a, b, rates, beta, beta2, eps=1e-8):
    """Each optimizer written out from the notes' formulas, one coordinate at a time."""
    curvature = (a, b)
    paths = {}
    for name, alpha in rates.items():
        w = list(start)
        v, s, m = [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
        path = [tuple(w)]
        for t in range(1, steps + 1):
            for k in range(2):
                g = curvature[k] * w[k]
                if name == "gd":
                    w[k] -= alpha * g
                elif name == "momentum":
                    v[k] = (1 - beta) * v[k] + beta * g
                    w[k] -= alpha * v[k]
                elif name == "adagrad":
                    s[k] += g * g
                    w[k] -= alpha * g / (math.sqrt(s[k]) + eps)
                elif name == "rmsprop":
                    s[k] = (1 - beta) * s[k] + beta * g * g
                    w[k] -= alpha * g / (math.sqrt(s[k]) + eps)
                else:
                    m[k] = (1 - beta) * m[k] + beta * g
                    s[k] = (1 - beta2) * s[k] + beta2 * g * g
                    m_hat = m[k] / (1 - (1 - beta) ** t)
                    s_hat = s[k] / (1 - (1 - beta2) ** t)
                    w[k] -= alpha * m_hat / (math.sqrt(s_hat) + eps)
            path.append(tuple(w))
        paths[name] = path
    return paths


@needs_torch
def test_optimizer_paths_follow_the_notes_formulas():
    result = optimizer_lesson(steps=30, start=(-3.0, 1.0), a=1.0, b=15.0, beta=0.2, beta2=0.01)
    rates = {r["name"]: r["alpha"] for r in result["runs"]}
    expected = _plain_runs(30, (-3.0, 1.0), 1.0, 15.0, rates, 0.2, 0.01)
    for run in result["runs"]:
        assert np.allclose(run["path"], expected[run["name"]], rtol=1e-12, atol=1e-14)
        w = np.array(run["path"])
        assert np.allclose(run["losses"], 0.5 * (w[:, 0] ** 2 + 15.0 * w[:, 1] ** 2))


@needs_torch
def test_gradient_descent_on_the_bowl_has_a_closed_form():
    result = optimizer_lesson(["gd"], steps=12, start=(-4.0, 1.5), a=1.0, b=20.0, alpha=0.09)
    path = np.array(result["runs"][0]["path"])
    t = np.arange(13)
    assert np.allclose(path[:, 0], -4.0 * (1 - 0.09) ** t)
    assert np.allclose(path[:, 1], 1.5 * (1 - 0.09 * 20) ** t)  # factor -0.8: the zig-zag


@needs_torch
def test_the_steps_are_the_neural_methods_optimizer(monkeypatch):
    from embedlab.methods.neural import optimizers

    made = []
    real = optimizers.Optimizer

    def spy(name, params, **settings):
        made.append((name, settings["momentum"], settings["square_momentum"]))
        return real(name, params, **settings)

    monkeypatch.setattr(optimizers, "Optimizer", spy)
    optimizer_lesson(steps=2, beta=0.2, beta2=0.01)
    # the lesson's gd is the methods' sgd; its beta is RMSProp's one average
    assert made == [("sgd", 0.2, 0.01), ("momentum", 0.2, 0.01), ("adagrad", 0.2, 0.01),
                    ("rmsprop", 0.2, 0.2), ("adam", 0.2, 0.01)]  # fmt: skip
