"""embedlab teach: chaining tables, positive-only updates, narrow terminals, shown columns."""

from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.teach import toy_data

#: teach optimizers steps with the neural methods' Optimizer, which needs the [torch] extra
NEEDS_TORCH = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="no torch")


def run_json(capsys, *args):
    code = main(["teach", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_step_tables_chain_through_files(tmp_path, capsys):
    stem = tmp_path / "after1"
    first = run_json(capsys, "step", "-o", str(stem))
    assert first["written"] == [f"{stem}.words.txt", f"{stem}.contexts.txt"]
    # either half names the pair; the notes' default update is kept
    second = run_json(capsys, "step", "--word-vectors", f"{stem}.words.txt")
    both = run_json(capsys, "step", "--steps", "2")
    for key in ("word_vectors", "context_vectors"):
        for word, vector in both[key].items():
            assert second[key][word] == pytest.approx(vector, abs=1e-6)  # files are float32


def test_train_toy_tables_feed_step(tmp_path, capsys):
    stem = tmp_path / "later"
    trained = run_json(capsys, "train-toy", "--epochs", "3", "-o", str(stem))
    step = run_json(capsys, "step", "--context-vectors", f"{stem}.contexts.txt")
    w = np.array(trained["final"]["word_vectors"]["banana"])
    c = np.array(trained["final"]["context_vectors"]["lemon"])
    assert step["rows"][0]["z"] == pytest.approx(float(w @ c), abs=1e-6)


def test_one_option_keeps_the_other_defaults(capsys):
    result = run_json(capsys, "step", "--alpha", "0.5")
    assert [r["context"] for r in result["rows"]] == ["lemon", "firetruck"]
    result = run_json(capsys, "step", "--toy", "vehicles-fruits-later", "--negative", "apple")
    assert [r["context"] for r in result["rows"]] == ["backhoe", "apple"]


def test_positive_only_update_by_hand(capsys):
    result = run_json(
        capsys, "step", "--toy", "vehicles-fruits-later", "--positive-only", "--alpha", "0.2"
    )
    (row,) = result["rows"]
    w = toy_data.LATER_WORD_VECTORS[toy_data.TOY_WORDS.index("firetruck")]
    c = toy_data.LATER_CONTEXT_VECTORS[toy_data.TOY_WORDS.index("backhoe")]
    z = float(w @ c)
    assert row["z"] == pytest.approx(z) and row["label"] == 1
    assert row["error"] == pytest.approx(1 - _sigmoid(z))
    assert result["word_vectors"]["firetruck"] == pytest.approx(w + 0.2 * (1 - _sigmoid(z)) * c)


def test_gradcheck_shows_the_formula_column(capsys):
    assert main(["teach", "gradcheck", "--dim", "2", "--k", "1"]) == 0
    out = capsys.readouterr().out
    assert "notes' formula" in out


def test_softmax_loss_prints_the_source_gradient(capsys):
    assert main(["teach", "softmax-loss", "--digits", "4"]) == 0
    out = capsys.readouterr().out
    W, Wp = toy_data.SOFTMAX_W, toy_data.SOFTMAX_W_PRIME
    words = list(toy_data.SOFTMAX_WORDS)
    h = W[words.index("Frodo")]
    p = np.exp(Wp @ h) / np.exp(Wp @ h).sum()
    grad = -(Wp[words.index("ring")] - p @ Wp)
    line = next(line for line in out.splitlines() if line.startswith("∂L/∂w_Frodo"))
    assert all(f"{g:.4f}" in line for g in grad)


def test_train_toy_explains_the_loss_going_up(capsys):
    assert main(["teach", "train-toy", "--epochs", "4"]) == 0
    out = capsys.readouterr().out
    assert "expected loss" in out and "constant alpha" in out


@pytest.mark.parametrize(
    "command",
    [
        ["negatives", "--epochs", "3"],
        pytest.param(["optimizers", "--steps", "5"], marks=NEEDS_TORCH),
        ["pca"],
    ],
)
def test_plots_are_pngs(tmp_path, capsys, command):
    picture = tmp_path / "p.png"
    run_json(capsys, *command, "--plot", str(picture))
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(tmp_path.iterdir()) == [picture]


@pytest.mark.parametrize(
    "command",
    [
        ["huffman"],
        ["negatives", "--epochs", "2"],
        ["svd"],
        ["backprop"],
        pytest.param(["optimizers", "--steps", "4"], marks=NEEDS_TORCH),
        ["pca"],
        ["sigmoid"],
        ["onehot"],
        ["analogy"],
        ["keep"],
    ],
)
def test_new_commands_print_tables_and_json(capsys, command):
    assert main(["teach", *command, "--digits", "2"]) == 0
    assert "┃" in capsys.readouterr().out
    run_json(capsys, *command)


def test_huffman_json_codes_are_bit_strings(capsys):
    result = run_json(capsys, "huffman", "--counts", "5,3,2", "--words", "x,y,z")
    assert [r["word"] for r in result["rows"]] == ["x", "y", "z"]
    assert all(set(r["code"]) <= {"0", "1"} for r in result["rows"])
    assert sorted(len(r["code"]) for r in result["rows"]) == [1, 2, 2]
