"""GloVe: the AdaGrad step by hand, falling loss, determinism, parameters."""

from __future__ import annotations

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


def test_one_adagrad_step_by_hand():
    rng = np.random.default_rng(0)
    W, C = rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=(2, 3)).astype(np.float32)
    bw, bc = np.array([0.1, -0.2], np.float32), np.array([0.3, 0.05], np.float32)
    model = GloVeModel(W.copy(), C.copy(), bw.copy(), bc.copy())
    model.gW[0] = 2.0  # a previous step's squared gradients
    log_x, f, alpha = np.log(7.0), 0.4, 0.05
    cells = Cells(np.array([0], np.int32), np.array([1], np.int32),
                  np.array([log_x], np.float32), np.array([f], np.float32))  # fmt: skip
    stats = np.zeros(2)
    _glove_cells(cells.order, 0, 1, cells.rows, cells.cols, cells.log_counts, cells.weights,
                 model.W, model.C, model.bw, model.bc, model.gW, model.gC, model.gbw, model.gbc,
                 alpha, stats)  # fmt: skip
    w, c = W[0].astype(float), C[1].astype(float)
    diff = w @ c + bw[0] + bc[1] - log_x
    grad_w, grad_c, grad_b = f * diff * c, f * diff * w, f * diff
    np.testing.assert_allclose(model.W[0], w - alpha * grad_w / np.sqrt(2.0), rtol=1e-5)
    np.testing.assert_allclose(model.C[1], c - alpha * grad_c / 1.0, rtol=1e-5)
    assert model.bw[0] == pytest.approx(bw[0] - alpha * grad_b, rel=1e-5)
    assert model.bc[1] == pytest.approx(bc[1] - alpha * grad_b, rel=1e-5)
    np.testing.assert_allclose(model.gW[0], 2.0 + grad_w**2, rtol=1e-5)
    assert stats[0] == pytest.approx(0.5 * f * diff**2, rel=1e-5) and stats[1] == 1
    np.testing.assert_array_equal(model.W[1], W[1])  # untouched rows stay


def toy_sentences(n=300, seed=1):
    rng = np.random.default_rng(seed)
    groups = [["red", "green", "blue"], ["one", "two", "three"], ["apple", "pear", "plum"]]
    return [[str(rng.choice(groups[i % 3])) for _ in range(12)] for i in range(n)]


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
    assert emb.meta["method"] == "glove" and emb.meta["params"]["x_max"] == 100.0
    assert emb.similarity("red", "blue") > emb.similarity("red", "two")


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
