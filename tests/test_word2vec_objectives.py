"""The objectives: losses, overflow-free sigmoid, gradients against finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from embedlab.methods.word2vec.huffman import HuffmanTree
from embedlab.methods.word2vec.objectives.hierarchical import hierarchical_softmax_update
from embedlab.methods.word2vec.objectives.infonce import infonce_update
from embedlab.methods.word2vec.objectives.logistic import log_sigmoid, sigmoid
from embedlab.methods.word2vec.objectives.negative import negative_sampling_update
from embedlab.methods.word2vec.objectives.softmax import full_softmax_update

NO_TRACE = np.empty((0, 0))
DIM = 4
V = 6


@pytest.mark.parametrize("z", [0.0, 10.0, -10.0, 50.0, -50.0, 1000.0, -1000.0])
def test_sigmoid_and_log_sigmoid_are_exact_and_finite(z):
    s, ls = sigmoid(z), log_sigmoid(z)
    assert math.isfinite(s) and math.isfinite(ls)
    # reference forms that are exact on each side without overflow
    expected = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    assert s == pytest.approx(expected, rel=1e-12, abs=0)
    expected_log = -math.log1p(math.exp(-z)) if z >= 0 else z - math.log1p(math.exp(z))
    assert ls == pytest.approx(expected_log, rel=1e-12, abs=1e-300)


def test_log_sigmoid_at_extremes():
    assert log_sigmoid(-1000.0) == pytest.approx(-1000.0)
    assert log_sigmoid(1000.0) == 0.0
    assert sigmoid(0.0) == 0.5


def _setup(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=DIM), rng.normal(size=(V, DIM))


def test_negative_sampling_loss_without_overflow_at_large_scores():
    h = np.ones(DIM)
    out = np.zeros((V, DIM))
    out[0] = -250.0  # z_pos = -1000: loss ~ 1000
    out[1] = 250.0  # z_neg = +1000: loss ~ 1000
    loss = negative_sampling_update(h, np.array([0, 1]), out, np.zeros(DIM), 0.0, NO_TRACE)
    assert loss == pytest.approx(2000.0)
    out[0], out[1] = 250.0, -250.0
    loss = negative_sampling_update(h, np.array([0, 1]), out, np.zeros(DIM), 0.0, NO_TRACE)
    assert loss == pytest.approx(0.0, abs=1e-300)


def _check_gradients(loss_at, update):
    """``loss_at(h, out)`` evaluates without updating; ``update(h, out, grad_h)`` runs the
    objective with alpha=1, which must move ``out`` by -dL/dout and put -dL/dh in grad_h."""
    h, out = _setup()
    grad_h = np.zeros(DIM)
    moved = out.copy()
    loss = update(h, moved, grad_h)
    assert loss == pytest.approx(loss_at(h, out), rel=1e-12)
    eps = 1e-6
    for k in range(DIM):
        step = np.zeros(DIM)
        step[k] = eps
        numeric = (loss_at(h + step, out) - loss_at(h - step, out)) / (2 * eps)
        assert -grad_h[k] == pytest.approx(numeric, rel=1e-5, abs=1e-8)
    for row in range(V):
        for k in range(DIM):
            bumped_up, bumped_down = out.copy(), out.copy()
            bumped_up[row, k] += eps
            bumped_down[row, k] -= eps
            numeric = (loss_at(h, bumped_up) - loss_at(h, bumped_down)) / (2 * eps)
            assert -(moved[row, k] - out[row, k]) == pytest.approx(numeric, rel=1e-5, abs=1e-8)


def test_negative_sampling_gradients_match_finite_differences():
    samples = np.array([2, 0, 5, 3], dtype=np.int32)

    def loss_at(h, out):
        # written from the definition: -log s(h.o_pos) - sum log s(-h.o_neg)
        z = out[samples] @ h
        return -math.log(1 / (1 + math.exp(-z[0]))) - sum(
            math.log(1 / (1 + math.exp(zn))) for zn in z[1:]
        )

    _check_gradients(
        loss_at,
        lambda h, out, g: negative_sampling_update(h, samples, out, g, 1.0, NO_TRACE),
    )


def test_hierarchical_softmax_gradients_match_finite_differences():
    tree = HuffmanTree.from_counts([9, 7, 5, 3, 2, 1])
    target = 4
    codes, points, n = tree.codes[target], tree.points[target], tree.lengths[target]

    def loss_at(h, out):
        # P(target) = product over the path of s(z) for code 0 and s(-z) for code 1
        z = out[points[:n]] @ h
        signs = 1 - 2 * codes[:n].astype(float)
        return -sum(math.log(1 / (1 + math.exp(-s * zz))) for s, zz in zip(signs, z, strict=True))

    _check_gradients(
        loss_at,
        lambda h, out, g: hierarchical_softmax_update(h, codes, points, n, out, g, 1.0),
    )


def test_hierarchical_softmax_probabilities_sum_to_one():
    tree = HuffmanTree.from_counts([9, 7, 5, 3, 2, 1])
    h, out = _setup(1)
    total = 0.0
    for w in range(V):
        loss = hierarchical_softmax_update(
            h, tree.codes[w], tree.points[w], tree.lengths[w], out.copy(), np.zeros(DIM), 0.0
        )
        total += math.exp(-loss)
    assert total == pytest.approx(1.0)


def test_full_softmax_gradients_match_finite_differences():
    target = 3
    probs = np.empty(V)

    def loss_at(h, out):
        z = out @ h
        return math.log(np.exp(z).sum()) - z[target]

    _check_gradients(loss_at, lambda h, out, g: full_softmax_update(h, target, out, g, 1.0, probs))
    h, out = _setup()
    z = out @ h
    assert probs == pytest.approx(np.exp(z) / np.exp(z).sum())


def test_infonce_gradients_match_finite_differences():
    samples = np.array([2, 0, 5, 3], dtype=np.int32)
    scores = np.empty(len(samples))

    def loss_at(h, out):
        # -log(exp(z_target) / sum over the target and its noise words of exp(z))
        z = out[samples] @ h
        return -math.log(math.exp(z[0]) / sum(math.exp(zz) for zz in z))

    _check_gradients(loss_at, lambda h, out, g: infonce_update(h, samples, out, g, 1.0, scores))
    h, out = _setup()
    z = out[samples] @ h
    assert scores == pytest.approx(np.exp(z) / np.exp(z).sum())


def test_infonce_survives_huge_scores():
    h = np.ones(DIM)
    out = np.zeros((V, DIM))
    out[1] = 300.0  # a noise word scored 1200: exp would overflow without the shift
    scores = np.empty(2)
    loss = infonce_update(h, np.array([0, 1], np.int32), out, np.zeros(DIM), 0.0, scores)
    assert loss == pytest.approx(1200.0) and np.isfinite(scores).all()


def test_full_softmax_survives_huge_scores():
    h = np.ones(DIM)
    out = np.zeros((V, DIM))
    out[1] = 300.0  # score 1200: exp would overflow without the shift
    probs = np.empty(V)
    loss = full_softmax_update(h, 0, out, np.zeros(DIM), 0.0, probs)
    assert loss == pytest.approx(1200.0) and np.isfinite(probs).all()


def test_negative_sampling_trace_records_each_step():
    h, out = _setup(2)
    samples = np.array([1, 4], dtype=np.int32)
    trace = np.zeros((2, 5 + 2 * DIM))
    before = out.copy()
    grad_h = np.zeros(DIM)
    negative_sampling_update(h, samples, out, grad_h, 0.5, trace)
    z_pos = before[1] @ h
    assert trace[0, :3] == pytest.approx([1, 1, z_pos])
    assert trace[0, 3] == pytest.approx(1 / (1 + math.exp(-z_pos)))
    assert trace[1, 1] == 0 and trace[1, 4] == pytest.approx(-trace[1, 3])
    # delta_context is the move of each output row, delta_focus sums to grad_h
    assert trace[0, 5 + DIM :] == pytest.approx(out[1] - before[1])
    assert trace[1, 5 + DIM :] == pytest.approx(out[4] - before[4])
    assert trace[:, 5 : 5 + DIM].sum(axis=0) == pytest.approx(grad_h)


def test_float32_matrices_stay_float32_and_agree_with_float64():
    h, out = _setup(3)
    samples = np.array([0, 2, 5], dtype=np.int32)
    out64, g64 = out.copy(), np.zeros(DIM)
    loss64 = negative_sampling_update(h, samples, out64, g64, 0.1, NO_TRACE)
    out32, g32 = out.astype(np.float32), np.zeros(DIM, np.float32)
    loss32 = negative_sampling_update(h.astype(np.float32), samples, out32, g32, 0.1, NO_TRACE)
    assert loss32 == pytest.approx(loss64, rel=1e-5)
    assert out32 == pytest.approx(out64, rel=1e-5, abs=1e-6)
    assert g32 == pytest.approx(g64, rel=1e-5, abs=1e-6)


def test_losses_over_thousands_of_units_fold_before_overflowing():
    # 3,000 logistic units: the product of their 1 + exp(-|z|) factors would reach 2**3000 and
    # overflow float64 without the fold. Reference: the sum of -log sigmoid(+-z) in float64.
    rng = np.random.default_rng(5)
    n = 3000
    h = np.full(DIM, 1e-3)  # scores near 0, where every factor is close to 2
    out = rng.normal(size=(n, DIM))
    z = out @ h
    expected = -log_sigmoid_array(z[:1]).sum() - log_sigmoid_array(-z[1:]).sum()
    loss = negative_sampling_update(h, np.arange(n), out.copy(), np.zeros(DIM), 0.0, NO_TRACE)
    assert math.isfinite(loss) and loss == pytest.approx(expected, rel=1e-12)
    codes = (np.arange(n) % 2).astype(np.int8)
    labels = 1.0 - codes  # word2vec's convention: a node's label is 1 - code
    expected = -np.where(labels > 0, log_sigmoid_array(z), log_sigmoid_array(-z)).sum()
    loss = hierarchical_softmax_update(
        h, codes, np.arange(n, dtype=np.int32), n, out.copy(), np.zeros(DIM), 0.0
    )
    assert math.isfinite(loss) and loss == pytest.approx(expected, rel=1e-12)


def log_sigmoid_array(z):
    return -np.logaddexp(0.0, -z)
