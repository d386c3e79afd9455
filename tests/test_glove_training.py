"""GloVe: the AdaGrad step by hand, falling loss, determinism, parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp

import embedlab
from embedlab.corpus import as_corpus
from embedlab.errors import EmbedlabError
from embedlab.methods.glove import Cells, GloVe, GloVeModel, _glove_cells


def test_cell_weights_and_logs():
    counts = sp.csr_matrix(np.array([[0.0, 50.0], [200.0, 0.5]]))
    cells = Cells.from_counts(counts, x_max=100.0, weight_power=0.75)
    by_cell = {(r, c): (w, x) for r, c, w, x in zip(cells.rows, cells.cols, cells.weights,
                                                     cells.log_counts, strict=True)}  # fmt: skip
    assert by_cell[(0, 1)][0] == pytest.approx(0.5**0.75, rel=1e-6)
    assert by_cell[(1, 0)][0] == 1.0  # capped at 1 beyond x_max
    assert by_cell[(1, 1)][0] == pytest.approx(0.005**0.75, rel=1e-6)
    assert by_cell[(1, 1)][1] == pytest.approx(np.log(0.5), rel=1e-6)


def glove_c_reference(cells, W, C, bw, bc, eta, clip=100.0):
    """glove.c's glove_thread, written out in plain Python floats from its rules.

    Returns the updated parameters and the summed cost; ``cells`` are (i, j, X_ij, f(X_ij)).
    """
    W, C = [list(map(float, row)) for row in W], [list(map(float, row)) for row in C]
    bw, bc = list(map(float, bw)), list(map(float, bc))
    gW, gC = [[1.0] * len(row) for row in W], [[1.0] * len(row) for row in C]
    gbw, gbc = [1.0] * len(bw), [1.0] * len(bc)
    cost = 0.0
    for i, j, x, f in cells:
        diff = sum(a * b for a, b in zip(W[i], C[j], strict=True)) + bw[i] + bc[j] - math.log(x)
        fdiff = f * diff
        cost += 0.5 * fdiff * diff
        up_w, up_c = [], []
        for d in range(len(W[i])):
            temp1 = min(max(fdiff * C[j][d], -clip), clip) * eta
            temp2 = min(max(fdiff * W[i][d], -clip), clip) * eta
            up_w.append(temp1 / math.sqrt(gW[i][d]))
            up_c.append(temp2 / math.sqrt(gC[j][d]))
            gW[i][d] += temp1 * temp1
            gC[j][d] += temp2 * temp2
        for d in range(len(W[i])):  # applied after both are computed, as glove.c does
            W[i][d] -= up_w[d]
            C[j][d] -= up_c[d]
        bw[i] -= fdiff / math.sqrt(gbw[i])
        bc[j] -= fdiff / math.sqrt(gbc[j])
        gbw[i] += fdiff * fdiff
        gbc[j] += fdiff * fdiff
    return np.array(W), np.array(C), np.array(bw), np.array(bc), cost


def test_updates_match_glove_c_rules_written_independently():
    rng = np.random.default_rng(0)
    n, dim = 4, 3
    W = rng.uniform(-0.5, 0.5, size=(n, dim)).astype(np.float32)
    C = rng.uniform(-0.5, 0.5, size=(n, dim)).astype(np.float32)
    bw = rng.uniform(-0.5, 0.5, size=n).astype(np.float32)
    bc = rng.uniform(-0.5, 0.5, size=n).astype(np.float32)
    # Repeated rows and columns, so later cells see earlier cells' updates and AdaGrad sums; one
    # count large enough (with f = 1) that the clip at 100 binds on its first gradient.
    cells = [(0, 1, 7.0, 0.4), (2, 1, 1.5, 0.1), (0, 3, 60.0, 1.0), (0, 1, 7.0, 0.4),
             (3, 0, 2.0, 0.2), (1, 2, 1e300, 1.0), (2, 1, 1.5, 0.1), (0, 3, 60.0, 1.0)]  # fmt: skip
    eta = 0.05
    model = GloVeModel(W.copy(), C.copy(), bw.copy(), bc.copy())
    arrays = Cells(
        np.array([c[0] for c in cells], np.int32),
        np.array([c[1] for c in cells], np.int32),
        np.array([math.log(c[2]) for c in cells], np.float32),
        np.array([c[3] for c in cells], np.float32),
    )
    stats = np.zeros(2)
    _glove_cells(arrays.order, 0, len(cells), arrays.rows, arrays.cols, arrays.log_counts,
                 arrays.weights, model.W, model.C, model.bw, model.bc, model.gW, model.gC,
                 model.gbw, model.gbc, eta, stats)  # fmt: skip
    rW, rC, rbw, rbc, cost = glove_c_reference(cells, W, C, bw, bc, eta)
    j = cells[5][1]
    assert np.abs(residual_of_cell(cells[5], W, C, bw, bc) * C[j]).max() > 100  # the clip binds
    np.testing.assert_allclose(model.W, rW, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(model.C, rC, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(model.bw, rbw, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(model.bc, rbc, rtol=1e-4, atol=1e-5)
    assert stats[0] == pytest.approx(cost, rel=1e-4) and stats[1] == len(cells)


def residual_of_cell(cell, W, C, bw, bc):
    i, j, x, _ = cell
    return float(W[i] @ C[j] + bw[i] + bc[j] - math.log(x))


def test_a_vector_step_is_alpha_times_the_gradient_over_the_scaled_sums():
    # The property that separates glove.c's rule from textbook AdaGrad: after a first step the
    # sum holds 1 + (alpha * g)**2, not 1 + g**2.
    W, C = np.array([[0.2, -0.1]], np.float32), np.array([[0.3, 0.4]], np.float32)
    model = GloVeModel(W.copy(), C.copy(), np.zeros(1, np.float32), np.zeros(1, np.float32))
    cells = Cells(np.zeros(1, np.int32), np.zeros(1, np.int32),
                  np.array([math.log(3.0)], np.float32), np.ones(1, np.float32))  # fmt: skip
    alpha = 0.05
    _glove_cells(cells.order, 0, 1, cells.rows, cells.cols, cells.log_counts, cells.weights,
                 model.W, model.C, model.bw, model.bc, model.gW, model.gC, model.gbw, model.gbc,
                 alpha, np.zeros(2))  # fmt: skip
    r = 0.2 * 0.3 - 0.1 * 0.4 - math.log(3.0)
    g = r * C[0].astype(float)
    np.testing.assert_allclose(model.W[0], W[0] - alpha * g, rtol=1e-5)
    np.testing.assert_allclose(model.gW[0], 1.0 + (alpha * g) ** 2, rtol=1e-5)
    assert model.bw[0] == pytest.approx(-r, rel=1e-5)  # the bias step is r itself
    assert model.gbw[0] == pytest.approx(1.0 + r * r, rel=1e-5)


def toy_sentences(n=300, seed=1, topical=0.7):
    # Each sentence is about one topic, with some words of any topic mixed in: the cross-topic
    # cells must exist (with low counts) for GloVe to have anything that separates the topics.
    rng = np.random.default_rng(seed)
    groups = [["red", "green", "blue"], ["one", "two", "three"], ["apple", "pear", "plum"]]
    every = [word for group in groups for word in group]
    return [
        [str(rng.choice(groups[i % 3] if rng.random() < topical else every)) for _ in range(12)]
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def corpus():
    return as_corpus(toy_sentences(), min_count=1)


def test_loss_falls_and_history_has_every_epoch(corpus):
    emb = GloVe(dim=5, window=3, epochs=15, threads=1, quiet=True).fit(corpus)
    history = emb.meta["history"]
    assert [entry["epoch"] for entry in history] == list(range(1, 16))
    losses = [entry["loss"] for entry in history]
    assert losses[-1] < 0.5 * losses[0]
    assert all(
        later <= earlier * 1.05 for earlier, later in zip(losses[:-1], losses[1:], strict=True)
    )
    assert emb.meta["method"] == "glove" and emb.meta["params"]["x_max"] == 10.0
    within = [("red", "blue"), ("one", "two"), ("apple", "plum"), ("green", "red")]
    across = [("red", "two"), ("one", "pear"), ("apple", "blue"), ("green", "three")]
    assert min(emb.similarity(*pair) for pair in within) > max(
        emb.similarity(*pair) for pair in across
    )


def test_one_thread_same_seed_is_bit_identical(corpus):
    settings = dict(method="glove", dim=4, window=2, epochs=3, threads=1, quiet=True)
    first = embedlab.train(corpus, seed=3, **settings)
    second = embedlab.train(corpus, seed=3, **settings)
    other = embedlab.train(corpus, seed=4, **settings)
    np.testing.assert_array_equal(np.asarray(first.vectors), np.asarray(second.vectors))
    assert not np.array_equal(np.asarray(first.vectors), np.asarray(other.vectors))


def test_default_combine_is_the_sum_of_both_matrices(corpus):
    emb = GloVe(dim=4, window=2, epochs=2, threads=2, quiet=True).fit(corpus)
    np.testing.assert_allclose(
        np.asarray(emb.vectors), np.asarray(emb.input_vectors) + np.asarray(emb.context), rtol=1e-6
    )


@pytest.mark.parametrize(
    "bad",
    [
        dict(dim=0),
        dict(window=23),
        dict(epochs=0),
        dict(alpha=0),
        dict(x_max=-1),
        dict(weight_power=0),
        dict(combine="mean"),
        dict(threads=0),
        dict(memory="tiny"),
    ],
)
def test_bad_parameters_raise(bad):
    with pytest.raises(EmbedlabError):
        GloVe(**bad)
