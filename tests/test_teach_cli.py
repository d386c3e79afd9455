"""embedlab teach ...: JSON shapes, tables, errors and pictures through the real CLI."""

from __future__ import annotations

import importlib.util
import json

import pytest

from embedlab.cli.app import main


def run_json(capsys, *args):
    code = main(["teach", *args, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_pairs_json_shapes(capsys):
    result = run_json(capsys, "pairs", "The quick brown fox", "--window", "1")
    assert result["rows"][0] == {"window": 1, "source": "The", "target": "quick"}
    assert result["slips"] == []  # not one of the notes' sentences
    result = run_json(capsys, "pairs", "a b c d", "--window", "2", "--mode", "next-word")
    assert result["rows"] == [
        {"window": 1, "inputs": ["a", "b"], "target": "c"},
        {"window": 2, "inputs": ["b", "c"], "target": "d"},
    ]


def test_step_json_rows_in_the_order_applied(capsys):
    result = run_json(
        capsys,
        "step",
        "--focus",
        "banana",
        "--positive",
        "lemon",
        "--negative",
        "firetruck",
        "--negative",
        "apple",
        "--alpha",
        "0.1",
    )
    assert [r["context"] for r in result["rows"]] == ["lemon", "firetruck", "apple"]
    keys = {"context", "label", "z", "sigma", "error", "delta_focus", "delta_context"}
    assert all(keys <= set(r) for r in result["rows"])
    assert [r["label"] for r in result["rows"]] == [1, 0, 0]
    assert set(result["word_vectors"]) == set(result["context_vectors"])


def test_step_table_names_word2vec_semantics(capsys):
    assert main(["teach", "step"]) == 0
    out = capsys.readouterr().out
    # at pytest's 80 columns the vectors are stacked, one component per line
    assert "0.500" in out and "(0.002," in out and "0.010)" in out and "at once" in out


def test_step_with_vector_files(tmp_path, capsys):
    words = tmp_path / "w.txt"
    ctx = tmp_path / "c.txt"
    words.write_text("3 2\nx 1.0 0.0\ny 0.0 1.0\nz 1.0 1.0\n")
    ctx.write_text("3 2\nz 0.5 0.5\ny 1.0 0.0\nx 0.0 2.0\n")
    result = run_json(
        capsys,
        "step",
        "--word-vectors",
        str(words),
        "--context-vectors",
        str(ctx),
        "--focus",
        "x",
        "--positive",
        "y",
        "--negative",
        "z",
    )
    assert result["rows"][0]["z"] == pytest.approx(1.0)  # (1, 0) . (1, 0)
    assert result["rows"][1]["z"] == pytest.approx(0.5)  # (1, 0) . (0.5, 0.5)


def test_softmax_loss_gradcheck_params_cosine_json(capsys):
    result = run_json(capsys, "softmax-loss")
    assert {"logits", "probabilities", "loss"} <= set(result)
    assert round(result["loss"], 2) == 1.79
    result = run_json(capsys, "gradcheck", "--dim", "3", "--k", "2")
    assert result["max_abs_error"] < 1e-6
    assert run_json(capsys, "params", "--vocab", "10", "--dim", "3")["parameters"] == 60
    assert run_json(capsys, "params", "--vocab", "10", "--dim", "3")["bytes"] == 240
    result = run_json(capsys, "cosine", "--vector", "a=1,0", "--vector", "b=1,1")
    assert result["reference"] == "a"
    assert result["similarities"][0]["cosine"] == pytest.approx(2**-0.5)


def test_pmi_json_shape(capsys):
    result = run_json(capsys, "pmi")
    assert {"words", "counts", "pmi", "ppmi"} <= set(result)
    assert result["counts"][1] == [10, 0, 40]


@pytest.mark.parametrize(
    "args, message",
    [
        (["step", "--positive-only", "--negative", "apple"], "not both"),
        (["step", "--word-vectors", "only-words.txt"], "--context-vectors"),
        (["huffman", "--counts", "3,x"], "bad counts"),
        (["huffman", "--counts", "3"], "at least two counts"),
        (["huffman", "--counts", "3,2", "--words", "a"], "one distinct word per count"),
        (["svd", "--k", "5"], "--k 5 needs more than 5 words"),
        (["optimizers", "--optimizer", "sgd"], "unknown optimizer sgd"),
        pytest.param(
            ["optimizers", "--optimizer", "gd", "--alpha", "1"],
            "diverged",
            marks=pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="no torch"),
        ),
        (["onehot", "--word", "Bilbo"], "Bilbo"),
        (["analogy", "man", "king", "girl"], "girl"),
        (["step", "--focus", "nope", "--positive", "lemon", "--negative", "apple"], "'nope'"),
        (["step", "--toy", "cars"], "unknown toy"),
        (["pairs", "a b", "--mode", "glove"], "mode"),
        (["params", "--vocab", "0"], "vocab"),
        (["cosine", "--vector", "bad"], "NAME=x,y"),
        (["pmi", "a b", "--counts", "x.tsv"], "not both"),
    ],
)
def test_user_errors_exit_2_with_one_line(capsys, args, message):
    assert main(["teach", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("embedlab: error: ") and message in err
    assert err.count("\n") == 1


def test_train_toy_writes_a_png_atomically(tmp_path, capsys):
    picture = tmp_path / "toy.png"
    result = run_json(capsys, "train-toy", "--epochs", "5", "--plot", str(picture))
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(result["history"]) == 5 and "trajectories" not in result
    assert list(tmp_path.iterdir()) == [picture]


def test_train_toy_writes_svg_by_the_suffix(tmp_path, capsys):
    picture = tmp_path / "toy.svg"
    run_json(capsys, "train-toy", "--epochs", "2", "--plot", str(picture))
    assert picture.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "<svg" in picture.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["train-toy"], ["sgns-pmi", "corpus.txt"], ["optimizers"]])
def test_unknown_picture_suffix_fails_before_the_work(tmp_path, capsys, command):
    picture = tmp_path / "toy.jpg"
    assert main(["teach", *command, "--plot", str(picture)]) == 2
    assert "end the file name in .png or .svg" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_bad_picture_path_fails_before_training(tmp_path, capsys):
    missing = tmp_path / "nowhere" / "toy.png"
    assert main(["teach", "train-toy", "--plot", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()
