"""teach step: the notes' two worked SGNS updates, and proof that the trainer's routine runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from embedlab.methods.word2vec.objectives import negative
from embedlab.teach.sgd_step import sgns_step
from embedlab.teach.tables import toy_tables


def sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_first_update_banana_lemon_firetruck_matches_the_notes():
    tables = toy_tables()
    result = sgns_step(tables, "banana", "lemon", ["firetruck"], alpha=0.1)
    pos, neg = result["rows"]
    # context vectors start at zero: z = 0, sigma(0) = 0.5, E = +-0.5, delta_w = 0
    assert (pos["context"], pos["label"], neg["context"], neg["label"]) == (
        "lemon",
        1,
        "firetruck",
        0,
    )
    assert pos["z"] == 0.0 and pos["sigma"] == 0.5 and pos["error"] == 0.5
    assert neg["error"] == -0.5
    assert pos["delta_focus"] == [0.0, 0.0]
    # delta_c = 0.1 * 0.5 * (0.046, 0.195) = (0.0023, 0.00975), printed (0.002, 0.010)
    np.testing.assert_allclose(pos["delta_context"], [0.1 * 0.5 * 0.046, 0.1 * 0.5 * 0.195])
    np.testing.assert_allclose(neg["delta_context"], [-0.0023, -0.00975])
    assert [round(v, 3) for v in pos["delta_context"]] == [0.002, 0.010]
    assert [round(v, 3) for v in neg["delta_context"]] == [-0.002, -0.010]
    # loss = -ln 0.5 - ln 0.5
    assert result["steps"][0]["loss"] == pytest.approx(2 * math.log(2))


def test_first_update_tables_pin_the_notes_slips():
    result = sgns_step(toy_tables(), "banana", "lemon", ["firetruck"], alpha=0.1)
    ctx = {w: [round(x, 3) for x in v] for w, v in result["context_vectors"].items()}
    # slip: the slide's table shows lemon (0.005, 0.019); one update gives (0.002, 0.010)
    assert ctx["lemon"] == [0.002, 0.010] != [0.005, 0.019]
    # slip: the slide also moves backhoe to (-0.002, -0.010); backhoe took no part
    assert ctx["backhoe"] == [0.0, 0.0]
    assert ctx["firetruck"] == [-0.002, -0.010]
    assert result["word_vectors"]["banana"] == [0.046, 0.195]


def test_much_later_update_firetruck_backhoe_crane():
    result = sgns_step(toy_tables("vehicles-fruits-later"), "firetruck", "backhoe", ["crane"])
    pos, neg = result["rows"]
    w = np.array([-0.830, 0.094])
    c_b, c_c = np.array([-0.984, -0.379]), np.array([-1.258, -0.188])
    z_b, z_c = w @ c_b, w @ c_c
    # slips: the slide prints z = 0.780 and 1.025; the products give 0.781094 and 1.026468
    assert round(pos["z"], 3) == 0.781 and round(neg["z"], 3) == 1.026
    assert pos["z"] == pytest.approx(z_b) and neg["z"] == pytest.approx(z_c)
    e_b, e_c = 1 - sigma(z_b), -sigma(z_c)
    assert round(pos["error"], 3) == 0.314 and round(neg["error"], 3) == -0.736
    np.testing.assert_allclose(pos["delta_focus"], 0.1 * e_b * c_b)
    np.testing.assert_allclose(pos["delta_context"], 0.1 * e_b * w)
    np.testing.assert_allclose(neg["delta_focus"], 0.1 * e_c * c_c)
    np.testing.assert_allclose(neg["delta_context"], 0.1 * e_c * w)
    # the notes' printed deltas (right to 3 decimals)
    assert [round(v, 3) for v in pos["delta_focus"]] == [-0.031, -0.012]
    assert [round(v, 3) for v in pos["delta_context"]] == [-0.026, 0.003]
    assert [round(v, 3) for v in neg["delta_focus"]] == [0.093, 0.014]
    assert [round(v, 3) for v in neg["delta_context"]] == [0.061, -0.007]
    words = {k: [round(x, 3) for x in v] for k, v in result["word_vectors"].items()}
    ctx = {k: [round(x, 3) for x in v] for k, v in result["context_vectors"].items()}
    # slip: the slide's firetruck (-0.833, 0.086) is not w + both deltas
    expected = w + 0.1 * e_b * c_b + 0.1 * e_c * c_c
    assert words["firetruck"] == [round(x, 3) for x in expected] == [-0.768, 0.096]
    # slips: backhoe (-1.035, -0.373), crane (-1.196, ...) and lemon (1.110, -0.083) on the slide
    assert ctx["backhoe"] == [-1.010, -0.376]
    assert ctx["crane"] == [-1.197, -0.195]
    assert ctx["lemon"] == [1.087, -0.081]


def test_focus_update_is_summed_and_applied_after_the_context_rows():
    result = sgns_step(toy_tables("vehicles-fruits-later"), "firetruck", "backhoe", ["crane"])
    total = np.add(result["rows"][0]["delta_focus"], result["rows"][1]["delta_focus"])
    np.testing.assert_allclose(result["steps"][0]["delta_focus"], total)
    # the negative's delta_focus uses crane's OLD context row, not one moved by backhoe's update
    assert "at once" in result["semantics"] and "after" in result["semantics"]


def test_step_runs_the_trainers_routine(monkeypatch):
    calls = []
    real = negative.negative_sampling_update

    def spy(h, samples, out, grad_h, alpha, trace):
        calls.append((list(samples), alpha, trace.shape))
        return real(h, samples, out, grad_h, alpha, trace)

    monkeypatch.setattr("embedlab.teach.sgd_step.negative_sampling_update", spy)
    tables = toy_tables()
    sgns_step(tables, "banana", "lemon", ["firetruck", "crane"], alpha=0.1, steps=2)
    ids = [tables.words.index(w) for w in ("lemon", "firetruck", "crane")]
    assert calls == [(ids, 0.1, (3, 9)), (ids, 0.1, (3, 9))]


def test_step_equals_a_direct_call_of_the_routine():
    tables = toy_tables("vehicles-fruits-later")
    W, C = tables.word_vectors.copy(), tables.context_vectors.copy()
    f, ids = 5, np.array([2, 4, 6], dtype=np.int32)
    grad = np.zeros(2)
    negative.negative_sampling_update(W[f], ids, C, grad, 0.1, np.zeros((0, 0)))
    W[f] += grad
    result = sgns_step(tables, "firetruck", "backhoe", ["crane", "lemon"], alpha=0.1)
    assert result["word_vectors"]["firetruck"] == W[f].tolist()
    assert list(result["context_vectors"].values()) == C.tolist()


def test_repeated_steps_keep_learning():
    result = sgns_step(toy_tables(), "banana", "lemon", ["firetruck"], alpha=0.1, steps=3)
    losses = [s["loss"] for s in result["steps"]]
    assert len(result["rows"]) == 6 and [r["step"] for r in result["rows"]] == [1, 1, 2, 2, 3, 3]
    assert losses[0] > losses[1] > losses[2]
