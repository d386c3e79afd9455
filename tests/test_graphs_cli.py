"""The graph and item commands end to end: train, evaluate, split-edges, quickstart --graph."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np

from embedlab.cli.app import main
from embedlab.cli.graphs import picture_path
from embedlab.corpus.sampling import noise_distribution
from embedlab.vectors.formats import load

DATA = resources.files("embedlab") / "data"
KARATE = str(DATA / "karate.edgelist")
LABELS = str(DATA / "karate.labels")
FAST = ["--dim", "8", "--threads", "1", "--walks-per-node", "5", "-q"]


def run(args, capsys):
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_train_node2vec_then_node_classification_json(tmp_path, capsys):
    out_file = tmp_path / "k.txt"
    rc, _, err = run(
        ["train", KARATE, "--method", "node2vec", "--p", "0.5", "--q", "2", *FAST, "-o", out_file],
        capsys,
    )
    assert rc == 0, err
    emb = load(out_file)
    assert sorted(emb.words, key=int) == [str(i) for i in range(1, 35)]
    rc, out, err = run(
        [
            "evaluate",
            out_file,
            "--task",
            "node-classification",
            "--labels",
            LABELS,
            "--repeats",
            "2",
            "--json",
        ],
        capsys,
    )
    assert rc == 0, err
    fractions = json.loads(out)["node_classification"]["fractions"]
    assert list(fractions) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]
    assert all(0 <= s["micro_f1"] <= 1 and 0 <= s["macro_f1"] <= 1 for s in fractions.values())


def test_split_train_and_link_prediction(tmp_path, capsys):
    train_graph, pairs = tmp_path / "train.edgelist", tmp_path / "pairs.txt"
    rc, out, err = run(
        [
            "split-edges",
            KARATE,
            "--train",
            train_graph,
            "--pairs",
            pairs,
            "--fraction",
            "0.2",
            "--json",
        ],
        capsys,
    )
    assert rc == 0, err
    split = json.loads(out)
    assert split["train_edges"] + split["held_out"] == 78
    held = [line.split() for line in pairs.read_text().splitlines()]
    train_edges = {frozenset(line.split()) for line in train_graph.read_text().splitlines()}
    assert not train_edges & {frozenset(p[:2]) for p in held if p[2] == "1"}
    vectors = tmp_path / "v.txt"
    assert run(["train", train_graph, "--method", "deepwalk", *FAST, "-o", vectors], capsys)[0] == 0
    rc, out, err = run(
        [
            "evaluate",
            vectors,
            "--task",
            "link-prediction",
            "--graph",
            pairs,
            "--operator",
            "dot",
            "--json",
        ],
        capsys,
    )
    assert rc == 0, err
    result = json.loads(out)["link_prediction"]
    assert result["pairs"] == 2 * split["held_out"] and 0 <= result["roc_auc"] <= 1


def test_graph_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.edgelist"
    bad.write_text("1 2\n3\n", encoding="utf-8")
    cases = [
        (["train", bad, "--method", "deepwalk", "-o", tmp_path / "o.txt"], "bad.edgelist:2"),
        (
            ["train", KARATE, "--method", "deepwalk", "--min-count", "2", "-o", tmp_path / "o.txt"],
            "--min-count only applies to text corpora",
        ),
        (
            ["train", KARATE, "--method", "deepwalk", "--p", "2", "-o", tmp_path / "o.txt"],
            "--p does not apply to method 'deepwalk'",
        ),
        (["evaluate", tmp_path / "o.txt", "--task", "node-classification"], "needs --labels"),
    ]
    for args, message in cases:
        rc, _, err = run(args, capsys)
        assert rc == 2 and message in err and err.count("\n") == 1, err


def test_quickstart_graph_draws_the_factions_where_nobody_minds(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    rc, out, err = run(["quickstart", "--graph", "--json", "-q"], capsys)
    assert rc == 0, err
    result = json.loads(out)
    assert result["nodes"] == 34 and result["accuracy"] >= 0.9
    picture = Path(result["picture"])  # a new temporary folder, named in the report
    assert picture.parent.parent == tmp_path / "tmp"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["tmp"]  # nothing in the current folder


def test_the_graph_quickstarts_picture_goes_where_asked_or_beside_the_vectors(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    asked = tmp_path / "map.svg"
    assert picture_path(asked, tmp_path / "nodes.txt") == asked
    assert picture_path(None, tmp_path / "nodes.txt") == tmp_path / "nodes.png"
    streamed = picture_path(None, Path("-"))  # vectors to stdout: a temporary folder again
    assert streamed.parent.parent == tmp_path and streamed.name == "karate.png"


def test_items_keep_ids_whole_and_negative_ns_exponent_trains(tmp_path, capsys):
    baskets = tmp_path / "baskets.txt"
    rng = np.random.default_rng(0)
    items = ["SKU-1/a", "sku-1/a", "B-2.x", "c_3"]
    baskets.write_text("\n".join(" ".join(rng.choice(items, 4)) for _ in range(200)) + "\n")
    out_file = tmp_path / "items.txt"
    rc, _, err = run(
        [
            "train",
            baskets,
            "--corpus-format",
            "items",
            "--ns-exponent",
            "-0.5",
            "--min-count",
            "1",
            "--dim",
            "4",
            "--threads",
            "1",
            "--no-cache",
            "-q",
            "-o",
            out_file,
        ],
        capsys,
    )
    assert rc == 0, err
    assert sorted(load(out_file).words) == sorted(items)
    assert np.isfinite(load(out_file).vectors).all()


def test_negative_ns_exponent_favours_rare_items():
    counts = np.array([100, 10, 1])
    weights = counts**-0.5  # 0.1, 0.316, 1
    assert np.allclose(noise_distribution(counts, -0.5), weights / weights.sum())
