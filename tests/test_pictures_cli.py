"""``embedlab plot``, ``plot-history`` and ``compare`` from the command line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.evaluation import evaluate
from embedlab.pictures.projection import pca
from embedlab.vectors.embeddings import Embeddings
from embedlab.vectors.formats import load
from test_pictures_maps import png_size, two_cluster_embeddings
from test_pictures_report import benchmark_words, random_embeddings


@pytest.fixture(scope="module")
def vectors(tmp_path_factory):
    path = tmp_path_factory.mktemp("vectors") / "vectors.txt"
    two_cluster_embeddings(n=40, dim=6).save(path)
    return path


def _error(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.err.startswith("embedlab: error: ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err


def test_plot_writes_the_picture_and_prints_the_coordinates(vectors, tmp_path, capsys):
    out = tmp_path / "map.png"
    code = main(
        [
            "plot",
            str(vectors),
            "--words",
            "w01,w02",
            "--group",
            "g=w05, w06",
            "--group",
            "h=w07",
            "--pairs",
            "w01:w05,w02:w06",
            "-o",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert png_size(out.read_bytes()) == (1000, 800)
    words = [p["word"] for p in payload["points"]]
    assert words == ["w01", "w02", "w05", "w06", "w07"]
    assert [p["group"] for p in payload["points"]] == [None, None, "g", "g", "h"]
    emb = two_cluster_embeddings(n=40, dim=6)
    expected = pca(np.asarray(emb.vectors)[[emb.index[w] for w in words]]).coords
    got = np.array([[p["x"], p["y"]] for p in payload["points"]])
    np.testing.assert_allclose(np.abs(got), np.abs(expected), atol=1e-4)  # text file: 6 digits


def test_plot_svg_with_top_and_a_table(vectors, tmp_path, capsys):
    out = tmp_path / "map.svg"
    assert main(["plot", str(vectors), "--top", "8", "-o", str(out), "--title", "eight"]) == 0
    assert out.read_bytes().lstrip().startswith(b"<?xml")
    printed = capsys.readouterr().out
    assert "w01" in printed and "longword00" in printed


def test_plot_draws_the_known_words_and_warns_for_the_rest(vectors, tmp_path, capsys):
    out = tmp_path / "map.png"
    args = ["plot", str(vectors), "--words", "w01,qux,w03", "--pairs", "zzz:w02", "-o", str(out)]
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "embedlab: warning: 2 words not in the vectors, left off the map (and the arrows with "
        "them): 'qux', 'zzz'\n"
    )
    # w02 stays as a word asked for; its arrow from zzz cannot be drawn
    assert [p["word"] for p in json.loads(captured.out)["points"]] == ["w01", "w03", "w02"]
    assert out.exists()


def test_plot_with_no_known_word_fails_in_one_line_and_writes_nothing(vectors, tmp_path, capsys):
    out = tmp_path / "map.png"
    code = main(["plot", str(vectors), "--words", "qux", "--pairs", "zzz:nope", "-o", str(out)])
    assert code == 2
    err = _error(capsys)
    assert "'qux'" in err and "'zzz'" in err and "'nope'" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["--group", "nameless"], "is not NAME=w1,w2"),
        (["--group", "g=w01", "--group", "g=w02"], "given twice"),
        (["--pairs", "w01-w02"], "is not a:b"),
        (["--words", " , "], "--words got no words"),
        (["--method", "umap"], "--method must be one of pca, tsne"),
        (["--top", "0"], "top must be at least 1"),
    ],
)
def test_plot_bad_options_are_one_line_errors(vectors, tmp_path, capsys, args, message):
    out = tmp_path / "map.png"
    assert main(["plot", str(vectors), "-o", str(out), *args]) == 2
    assert message in _error(capsys)
    assert not out.exists()


def test_plot_refuses_an_unknown_picture_format_before_reading(tmp_path, capsys):
    assert main(["plot", str(tmp_path / "absent.txt"), "-o", str(tmp_path / "m.gif")]) == 2
    assert "end the file name in .png or .svg" in _error(capsys)


def test_plot_history_from_train_json_and_from_a_model(tmp_path, capsys):
    history = [
        {"epoch": 1, "loss": 3.0, "words_per_sec": 500.0, "seconds": 2.0},
        {"epoch": 2, "loss": 2.0, "words_per_sec": 700.0, "seconds": 1.5},
    ]
    run = tmp_path / "run.json"
    run.write_text(json.dumps({"method": "cbow", "history": history}))
    out = tmp_path / "curve.png"
    assert main(["plot-history", str(run), "-o", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["loss"] == [3.0, 2.0] and payload["words_per_sec"] == [500.0, 700.0]
    assert png_size(out.read_bytes()) == (700, 600)
    model = tmp_path / "model.emb"
    vectors = np.eye(3, dtype=np.float32)
    Embeddings(["a", "b", "c"], vectors, meta={"history": history}).save(model)
    assert main(["plot-history", str(model), "-o", str(tmp_path / "c.svg")]) == 0
    assert "3.0000" in capsys.readouterr().out


def test_plot_history_without_history_is_a_clear_error(tmp_path, capsys):
    model = tmp_path / "model.emb"
    Embeddings(["a", "b"], np.eye(2, dtype=np.float32), meta={"method": "ppmi"}).save(model)
    out = tmp_path / "curve.png"
    assert main(["plot-history", str(model), "-o", str(out)]) == 2
    assert "no training history" in _error(capsys)
    assert not out.exists()


def test_compare_prints_json_and_writes_the_report(tmp_path, capsys):
    words = benchmark_words()
    first, second = tmp_path / "first.txt", tmp_path / "second.bin"
    random_embeddings(words, seed=3).save(first)
    random_embeddings(words[:20], seed=4).save(second)
    out = tmp_path / "report.html"
    code = main(
        [
            "compare",
            str(first),
            str(second),
            "-o",
            str(out),
            "--json",
            "--no-extrinsic",
            "-d",
            "mc30",
        ]
    )
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["names"] == ["first.txt", "second.bin"]
    assert payload["report"] == str(out)
    rows = {r["metric"]: r for r in payload["rows"]}
    assert rows["vocabulary size"]["values"] == [len(words), 20]
    assert rows["vocabulary size"]["best"] == [0]
    assert "sentiment accuracy" not in rows
    for column, path in enumerate((first, second)):
        truth = evaluate(load(path), datasets="mc30")["similarity"]["mc30"]
        assert rows["mc30 Spearman"]["values"][column] == truth["spearman"]
        assert rows["mc30 coverage"]["values"][column] == truth["pairs"] / 30
    page = out.read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "first.txt" in page


def test_compare_table_and_errors(vectors, tmp_path, capsys):
    assert main(["compare", str(vectors), "--no-extrinsic", "-d", "rg65"]) == 0
    assert "rg65 Spearman" in capsys.readouterr().out
    assert main(["compare", str(vectors), "-d", "nosuch", "--no-extrinsic"]) == 2
    assert "unknown dataset 'nosuch'" in _error(capsys)
    missing = tmp_path / "nowhere" / "r.html"
    assert main(["compare", str(vectors), "-o", str(missing), "--no-extrinsic"]) == 2
    assert "does not exist" in _error(capsys)


def test_words_that_look_like_markup_are_printed_as_they_are(tmp_path, capsys):
    path = tmp_path / "odd.txt"
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=np.float32)
    Embeddings(["[bold]", "x", "y"], vectors).save(path)
    assert main(["plot", str(path), "--top", "3", "-o", str(tmp_path / "m.png")]) == 0
    assert "[bold]" in capsys.readouterr().out
