"""teach autoencoder, vae, contrastive against NumPy/plain Python written here from the formulas."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")

from rich.cells import cell_len  # noqa: E402

from embedlab.cli.app import main  # noqa: E402
from embedlab.cli.common import console  # noqa: E402
from embedlab.teach import toy_data  # noqa: E402
from embedlab.teach.contrastive import contrastive_lesson  # noqa: E402
from embedlab.teach.encoders import autoencoder_lesson, vae_lesson  # noqa: E402

FAST = {"steps": 60}
SRC = Path(__file__).resolve().parents[1] / "src"


def _sentences():
    return [line.split() for line in toy_data.ENCODER_TEXT.splitlines() if line.strip()]


def _unit_ppmi_by_hand(words, window=2):
    """PPMI (window 2, every distance weighted 1, plain context counts), rows scaled to 1."""
    index = {w: i for i, w in enumerate(words)}
    counts = np.zeros((len(words), len(words)))
    for sentence in _sentences():
        for i, w in enumerate(sentence):
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if j != i:
                    counts[index[w], index[sentence[j]]] += 1
    total = counts.sum()
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / total
    with np.errstate(divide="ignore"):
        ppmi = np.where(counts > 0, np.maximum(np.log(counts / expected), 0.0), 0.0)
    norms = np.linalg.norm(ppmi, axis=1, keepdims=True)
    return ppmi / np.where(norms > 0, norms, 1.0)


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture(scope="module")
def squared():
    return autoencoder_lesson(loss="squared", **FAST)


def test_the_autoencoder_reads_the_unit_ppmi_rows_of_the_toy(squared):
    assert np.allclose(squared["x"], _unit_ppmi_by_hand(squared["words"]), atol=1e-6)


def test_the_squared_loss_of_each_row_is_its_distance_to_the_reconstruction(squared):
    weight, bias = np.array(squared["decoder"]["weight"]), np.array(squared["decoder"]["bias"])
    for x, row in zip(np.array(squared["x"]), squared["rows"], strict=True):
        f_x = np.array(row["code"]) @ weight + bias
        assert row["reconstruction"] == pytest.approx(np.sum((f_x - x) ** 2), rel=1e-4)
        terms = row["terms"]
        assert terms["norm_fx"] == pytest.approx(f_x @ f_x, rel=1e-4)
        assert terms["cross"] == pytest.approx(-2 * f_x @ x, rel=1e-4, abs=1e-6)
        assert terms["norm_x"] == pytest.approx(1.0, rel=1e-5)


def test_the_multinomial_loss_is_the_cross_entropy_with_the_row_as_a_distribution():
    result = autoencoder_lesson(loss="multinomial", **FAST)
    weight, bias = np.array(result["decoder"]["weight"]), np.array(result["decoder"]["bias"])
    for x, row in zip(np.array(result["x"]), result["rows"], strict=True):
        scores = np.array(row["code"]) @ weight + bias
        log_softmax = scores - np.log(np.sum(np.exp(scores)))
        p = x / x.sum()
        assert row["reconstruction"] == pytest.approx(-np.sum(p * log_softmax), rel=1e-4)


def test_training_brings_same_kind_words_close(squared):
    assert squared["history"][-1] < 0.8 * squared["history"][0]
    codes = {r["word"]: np.array(r["code"]) for r in squared["rows"]}
    kinds = toy_data.TOY_KINDS
    same = [_cosine(codes[a], codes[b]) for a in kinds for b in kinds
            if a < b and kinds[a] == kinds[b]]  # fmt: skip
    other = [_cosine(codes[a], codes[b]) for a in kinds for b in kinds
             if a < b and kinds[a] != kinds[b]]  # fmt: skip
    assert squared["closeness"]["same_kind"] == pytest.approx(np.mean(same))
    assert squared["closeness"]["other_kind"] == pytest.approx(np.mean(other))
    assert np.mean(same) > np.mean(other) + 0.5


def _gaussian_kl(m1, s1, m2, s2):
    """KL(N(m1, s1²) || N(m2, s2²)) of independent coordinates, summed (textbook formula)."""
    return float(np.sum(np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5))


def test_vae_reparameterisation_kl_in_both_directions_and_the_total():
    result = vae_lesson(kl_weight=0.5, **FAST)
    weight, bias = np.array(result["decoder"]["weight"]), np.array(result["decoder"]["bias"])
    totals = []
    for x, row in zip(np.array(result["x"]), result["rows"], strict=True):
        mu, log_var = np.array(row["mu"]), np.array(row["log_var"])
        sigma = np.exp(log_var / 2)
        assert row["sigma"] == pytest.approx(sigma, rel=1e-5)
        z = mu + sigma * np.array(row["eps"])
        assert row["code"] == pytest.approx(z, rel=1e-5, abs=1e-6)
        zeros, ones = np.zeros_like(mu), np.ones_like(mu)
        assert row["kl"] == pytest.approx(_gaussian_kl(mu, sigma, zeros, ones), rel=1e-4)
        assert row["notes_kl"] == pytest.approx(_gaussian_kl(zeros, ones, mu, sigma), rel=1e-4)
        rec = np.sum((z @ weight + bias - x) ** 2)
        assert row["reconstruction"] == pytest.approx(rec, rel=1e-4)
        totals.append(rec + 0.5 * row["kl"])
        assert row["total"] == pytest.approx(totals[-1], rel=1e-4)
    assert result["total"] == pytest.approx(np.mean(totals), rel=1e-4)
    assert result["method_loss"] == pytest.approx(np.mean(totals), rel=1e-4)
    # the two directions are different numbers
    assert abs(result["mean_notes_kl"] - result["mean_kl"]) > 0.1


def test_the_standard_kl_is_the_notes_direction_only_at_the_prior():
    # by hand: N(1, 0.5²) against N(0, 1) is ½(0.25 + 1 − 1 − ln 0.25) = 0.8181; the other way
    # ½(1/0.25 + 1/0.25 − 1 + ln 0.25) = 2.8069
    assert _gaussian_kl(np.array([1.0]), np.array([0.5]), 0, 1) == pytest.approx(0.8181, abs=1e-4)
    assert _gaussian_kl(np.zeros(1), np.ones(1), 1.0, 0.5) == pytest.approx(2.8069, abs=1e-4)


@pytest.fixture(scope="module")
def contrastive():
    return contrastive_lesson()


def test_positives_are_every_word_and_the_next_word_of_the_toy(contrastive):
    by_hand = Counter((s[i], s[i + 1]) for s in _sentences() for i in range(len(s) - 1))
    assert Counter((p["word"], p["positive"]) for p in contrastive["pairs"]) == by_hand


def _log_sigmoid(z):
    return -math.log1p(math.exp(-z))


def test_each_pair_scores_and_losses_by_hand(contrastive):
    table = np.array(contrastive["start"])
    for p in contrastive["pairs"]:
        w, c, *noise = p["ids"]
        s_pos = float(table[w] @ table[c])
        s_neg = [float(table[w] @ table[n]) for n in noise]
        assert p["s_positive"] == pytest.approx(s_pos, abs=1e-6)
        assert p["s_negatives"] == pytest.approx(s_neg, abs=1e-6)
        exps = [math.exp(s) for s in (s_pos, *s_neg)]
        assert p["infonce"] == pytest.approx(-math.log(exps[0] / sum(exps)), rel=1e-5)
        logistic = -_log_sigmoid(s_pos) - sum(_log_sigmoid(-s) for s in s_neg)
        assert p["logistic"] == pytest.approx(logistic, rel=1e-5)
        assert p["notes"] == pytest.approx(s_pos - sum(s * s for s in s_neg), abs=1e-6)


def _notes_loss_and_gradient(table, pairs):
    """The slide's mean s+ − Σ (s−)² over the pairs and its gradient, by the chain rule."""
    grad = np.zeros_like(table)
    loss = 0.0
    for p in pairs:
        w, c, *noise = p["ids"]
        loss += table[w] @ table[c]
        grad[w] += table[c]
        grad[c] += table[w]
        for n in noise:
            s = table[w] @ table[n]
            loss -= s * s
            grad[w] -= 2 * s * table[n]
            grad[n] -= 2 * s * table[w]
    return loss / len(pairs), grad / len(pairs)


def test_the_notes_loss_has_no_floor_and_descent_diverges(contrastive):
    table, pairs = np.array(contrastive["start"]), contrastive["pairs"]
    scaled = {s["scale"]: s for s in contrastive["scaled"]}
    for t, s in scaled.items():
        assert s["notes"] == pytest.approx(_notes_loss_and_gradient(t * table, pairs)[0], abs=1e-5)
        assert s["infonce"] >= 0 and s["logistic"] >= 0
    assert scaled[8.0]["notes"] < scaled[4.0]["notes"] < 0
    runs = {r["loss"]: r for r in contrastive["runs"]}
    # the first plain gradient step, by hand
    loss0, grad = _notes_loss_and_gradient(table, pairs)
    loss1, _ = _notes_loss_and_gradient(table - contrastive["lr"] * grad, pairs)
    history = runs["notes"]["history"]
    assert history[0]["loss"] == pytest.approx(loss0, abs=1e-6)
    assert history[1]["loss"] == pytest.approx(loss1, rel=1e-4, abs=1e-6)
    assert runs["notes"]["diverged_at"] is not None
    assert not math.isfinite(history[-1]["loss"]) or not math.isfinite(history[-1]["max_norm"])
    for kind in ("infonce", "logistic"):
        bounded = runs[kind]["history"]
        assert runs[kind]["diverged_at"] is None
        assert all(h["loss"] >= 0 for h in bounded)
        assert bounded[-1]["loss"] < bounded[0]["loss"]


def test_a_text_of_single_words_has_no_pairs():
    from embedlab.errors import EmbedlabError

    with pytest.raises(EmbedlabError, match="no two words in a row"):
        contrastive_lesson("car\nbus\n")


def test_user_text_without_toy_words_has_no_closeness():
    result = autoencoder_lesson("I like cats and dogs. I like dogs", steps=3)
    assert result["closeness"] is None
    assert set(result["words"]) == {"I", "like", "cats", "and", "dogs"}


# ---------------------------------------------------------------- the commands

COMMANDS = [["autoencoder", "--steps", "5"], ["vae", "--steps", "5"],
            ["contrastive", "--steps", "3"]]  # fmt: skip


def run_json(capsys, *args):
    code = main(["teach", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_print_tables_json_and_pngs(tmp_path, capsys, command):
    assert main(["teach", *command, "--digits", "2"]) == 0
    assert "┃" in capsys.readouterr().out
    picture = tmp_path / "p.png"
    run_json(capsys, *command, "--plot", str(picture))
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(tmp_path.iterdir()) == [picture]


@pytest.mark.parametrize("command", COMMANDS)
def test_numbers_survive_an_80_column_terminal(capsys, monkeypatch, command):
    monkeypatch.setattr(console, "width", 80)  # in process: a subprocess would import torch anew
    assert main(["teach", *command, "--digits", "4"]) == 0
    out = capsys.readouterr().out
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    printed = set(re.findall(r"-?\d+\.\d+", out))
    result = run_json(capsys, *command)
    if "pairs" in result:
        shown = [p["infonce"] for p in result["pairs"][:10]]
    else:
        shown = [r["reconstruction"] for r in result["rows"]]
    assert all(f"{value:.4f}" in printed for value in shown)


@pytest.mark.parametrize(
    "args, message",
    [
        (["autoencoder", "--loss", "l1"], "loss must be one of"),
        (["vae", "--kl-weight", "-1"], "--kl-weight must be at least 0"),
        (["contrastive", "--optimizer", "lbfgs"], "optimizer must be one of"),
        (["contrastive", "--steps", "0"], "steps"),
    ],
)
def test_bad_input_is_one_line(capsys, args, message):
    assert main(["teach", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("embedlab: error: ") and message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("command", ["autoencoder", "vae", "contrastive"])
def test_without_torch_the_command_says_how_to_install_it(command):
    code = (
        "import sys\n"
        "class NoTorch:\n"  # as if torch were not installed: `import torch` fails
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'torch': raise ImportError(name)\n"
        "sys.meta_path.insert(0, NoTorch())\n"
        "from embedlab.cli.app import main\n"
        f"sys.argv = ['embedlab', 'teach', {command!r}]\n"
        "raise SystemExit(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(SRC)), timeout=300)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "embedlab: error: the neural methods (autoencoder, vae, contrastive) need PyTorch: "
        "pip install 'embedlab[torch]'"
    ]
