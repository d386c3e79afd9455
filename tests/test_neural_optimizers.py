"""The optimizers' steps against note 004's formulas, computed by hand on a toy loss."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from embedlab.methods.neural.optimizers import Optimizer  # noqa: E402

LR, B1, B2, EPS = 0.1, 0.3, 0.2, 1e-8


def toy_grad(w):
    """Gradient of L(w) = w^4 / 4 - w, written out: w^3 - 1."""
    return w**3 - 1.0


def run(name, steps=4, w0=2.0, sparse=False):
    """``steps`` steps of the optimizer on L, through autograd; the w after each step."""
    w = torch.tensor([[w0]], dtype=torch.float64, requires_grad=True)
    opt = Optimizer(name, [w], lr=LR, momentum=B1, square_momentum=B2)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        if sparse:
            loss = torch.nn.functional.embedding(torch.tensor([0]), w, sparse=True).pow(4) / 4
            loss = (loss - torch.nn.functional.embedding(torch.tensor([0]), w, sparse=True)).sum()
        else:
            loss = (w**4 / 4 - w).sum()
        loss.backward()
        opt.step()
        path.append(float(w.detach()))
    return path


def by_hand(name, steps=4, w=2.0):
    v = s = 0.0
    path = []
    for t in range(1, steps + 1):
        g = toy_grad(w)
        if name == "sgd":
            w -= LR * g
        elif name == "momentum":  # v <- (1 - b) v + b g
            v = (1 - B1) * v + B1 * g
            w -= LR * v
        elif name == "adagrad":
            s += g * g
            w -= LR * g / (math.sqrt(s) + EPS)
        elif name == "rmsprop":  # s <- (1 - b) s + b g^2
            s = (1 - B2) * s + B2 * g * g
            w -= LR * g / (math.sqrt(s) + EPS)
        else:  # adam, with the bias corrections
            v = (1 - B1) * v + B1 * g
            s = (1 - B2) * s + B2 * g * g
            v_hat, s_hat = v / (1 - (1 - B1) ** t), s / (1 - (1 - B2) ** t)
            w -= LR * v_hat / (math.sqrt(s_hat) + EPS)
        path.append(w)
    return path


@pytest.mark.parametrize("name", ["sgd", "momentum", "adagrad", "rmsprop", "adam"])
@pytest.mark.parametrize("sparse", [False, True])
def test_steps_follow_the_notes_formulas(name, sparse):
    assert run(name, sparse=sparse) == pytest.approx(by_hand(name), rel=1e-12, abs=1e-12)


def test_first_adam_step_is_lr_times_sign():
    # With both corrections, step 1 is lr * g / |g| whatever the betas: a check independent of
    # the hand loop above.
    assert run("adam", steps=1)[0] == pytest.approx(2.0 - LR, rel=1e-9)


def test_sparse_update_leaves_other_rows_and_their_state_alone():
    table = torch.ones((3, 2), dtype=torch.float64, requires_grad=True)
    opt = Optimizer("adam", [table], lr=LR, momentum=B1, square_momentum=B2)
    loss = torch.nn.functional.embedding(torch.tensor([1, 1]), table, sparse=True).sum()
    loss.backward()
    opt.step()
    assert table[0].tolist() == [1.0, 1.0] and table[2].tolist() == [1.0, 1.0]
    assert table[1].tolist() == pytest.approx([1.0 - LR, 1.0 - LR])  # repeated ids summed: g=2
    v, s = opt.state[0]
    assert v[1].tolist() == pytest.approx([B1 * 2.0] * 2) and v[0].abs().sum() == 0
