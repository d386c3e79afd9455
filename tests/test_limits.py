"""Work that grows faster than its input is estimated and refused up front, in one line naming
the estimate, the limit and how to raise it (``embedlab.limits``); counts have named bounds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from embedlab import limits
from embedlab.cli.app import main
from embedlab.corpus import EncodedCorpus, Vocabulary
from embedlab.corpus.pieces import MAX_PIECE, check_window_work, window_pairs
from embedlab.errors import EmbedlabError
from embedlab.methods import train

SRC = str(Path(__file__).resolve().parents[1] / "src")


def brute_force_pairs(lengths, window: int) -> int:
    """Pairs (i, j), i != j, |i - j| <= window, counted one by one within each piece."""
    total = 0
    for length in lengths:
        for start in range(0, max(length, 1), MAX_PIECE):
            n = min(MAX_PIECE, length - start)
            total += sum(1 for i in range(n) for j in range(n) if i != j and abs(i - j) <= window)
    return total


@pytest.mark.parametrize("window", [1, 2, 5, 40])
def test_window_pairs_counts_what_the_window_reaches(window):
    lengths = [0, 1, 2, 3, 7, 30]
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    pairs, longest = window_pairs(starts, window)
    assert pairs == brute_force_pairs(lengths, window) and longest == 30


def test_window_all_pairs_are_cut_at_the_pieces():
    starts = np.array([0, 3 * MAX_PIECE // 2], dtype=np.int64)  # one line of 15,000 items
    pairs, longest = window_pairs(starts, MAX_PIECE)
    first, second = MAX_PIECE, MAX_PIECE // 2
    assert pairs == first * (first - 1) + second * (second - 1) and longest == MAX_PIECE


def one_basket(n: int) -> EncodedCorpus:
    words = [f"i{k}" for k in range(n)]
    return EncodedCorpus(
        Vocabulary(words, np.ones(n, np.int64)),
        np.arange(n, dtype=np.int32),
        np.array([0, n], dtype=np.int64),
        n,
    )


@pytest.mark.parametrize("method", ["skipgram", "cbow"])
def test_window_all_on_a_huge_basket_is_refused_before_training(method):
    """The issue's case: one 20,000-item line. Cut in pieces of 10,000, it gives
    2 x 10,000 x 9,999 pairs over 20,000 tokens: 9,999 pairs per token."""
    with pytest.raises(EmbedlabError) as caught:
        train(one_basket(20_000), method=method, window="all", dim=4, epochs=1, threads=1)
    message = str(caught.value)
    assert "window='all' gives 199,980,000 pairs an epoch over 20,000 tokens" in message
    assert "longest line, or piece of one, has 10,000 words" in message
    assert "9,999 training pairs per token, above the limit of 1,000" in message
    assert "give an integer window" in message
    assert "EMBEDLAB_MAX_PAIRS_PER_TOKEN=10000" in message


def test_an_integer_window_and_the_count_methods_are_bounded_the_same_way():
    corpus = one_basket(5_000)
    with pytest.raises(EmbedlabError, match="window=2000 gives .* above the limit of 1,000"):
        train(corpus, method="skipgram", window=2000, dim=4, epochs=1, threads=1)
    with pytest.raises(EmbedlabError, match="window=900 gives .*give a smaller window"):
        train(corpus, method="ppmi", window=900, threads=1)


def test_the_limit_is_raised_by_its_variable(monkeypatch):
    starts = np.array([0, 1_500], dtype=np.int64)  # 1,499 pairs per token
    with pytest.raises(EmbedlabError, match="above the limit of 1,000"):
        check_window_work(starts, MAX_PIECE, "all", "cheaper")
    monkeypatch.setenv("EMBEDLAB_MAX_PAIRS_PER_TOKEN", "1500")
    check_window_work(starts, MAX_PIECE, "all", "cheaper")
    monkeypatch.setenv("EMBEDLAB_MAX_PAIRS_PER_TOKEN", "lots")
    with pytest.raises(
        EmbedlabError, match="EMBEDLAB_MAX_PAIRS_PER_TOKEN='lots' is not a positive"
    ):
        check_window_work(starts, MAX_PIECE, "all", "cheaper")


def test_ordinary_windows_are_far_below_the_limit():
    lengths = [25] * 40
    starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    pairs, _ = window_pairs(starts, 10)
    assert pairs / sum(lengths) <= 20 < limits.PAIRS_PER_TOKEN.value()


# ---- counts with named bounds ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["skipgram", "glove", "deepwalk"])
def test_epochs_have_a_named_bound(method):
    with pytest.raises(EmbedlabError) as caught:
        train([["a", "b"]], method=method, epochs=10**21)
    assert str(caught.value).startswith("epochs must be at most 10000 (a bound on mistyped")


def test_epochs_bound_on_the_command_line(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n")
    rc = main(["train", str(corpus), "-o", str(tmp_path / "v.txt"), "--epochs", str(10**21)])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "epochs must be at most 10000" in err


def test_threads_have_a_bound_that_scales_with_the_machine():
    limit = limits.THREADS.value()
    assert limit == max(64, 8 * limits.cores())
    with pytest.raises(EmbedlabError, match="threads asks for 1,000,000 threads"):
        train([["a", "b"]], method="skipgram", threads=10**6)


# ---- Dask local:N ---------------------------------------------------------------------------


def test_local_workers_far_above_the_cores_are_refused_before_anything_starts(monkeypatch):
    from embedlab.distributed import cluster

    def never(*args, **kwargs):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(cluster, "import_distributed", never)
    with pytest.raises(EmbedlabError) as caught:
        train(["x.txt"], method="ppmi", dask="local:1000")
    message = str(caught.value)
    assert message.startswith("dask='local:1000' starts 1,000 worker processes, above the limit")
    assert f"use local:{limits.cores()} (this machine's cores) or fewer" in message
    assert "EMBEDLAB_MAX_LOCAL_WORKERS=1000" in message
    assert limits.LOCAL_WORKERS.value() == 4 * limits.cores()


def test_local_workers_that_would_not_fit_in_memory_are_refused(monkeypatch):
    from embedlab import resources
    from embedlab.distributed import cluster

    monkeypatch.setattr(resources, "available_memory", lambda: (100 << 20, "MemAvailable"))
    with pytest.raises(EmbedlabError, match="local:2 needs about 140.0 MiB"):
        cluster.check_address("local:2")


_CHILD = """
import sys
from embedlab.distributed.cluster import connect
if __name__ == "__main__":
    print("starting", flush=True)
    with connect("local:1") as client:
        print("ready", flush=True)
        sys.stdin.read()
"""


def test_a_local_cluster_stopped_while_it_starts_leaves_nothing_behind(tmp_path):
    """``kill`` while the workers start (it left semaphores for the resource tracker to report;
    Ctrl-C did not): every process of the run ends and no semaphore is left behind. A few
    seconds, since a cluster must start: the only way to see it."""
    script = tmp_path / "child.py"
    script.write_text(_CHILD)
    child = subprocess.Popen(
        [sys.executable, str(script)],
        env=os.environ | {"PYTHONPATH": SRC},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers are found by it
    )
    assert child.stdout.readline().strip() == "starting"
    time.sleep(1.0)  # the scheduler is up, the workers are starting
    os.kill(child.pid, signal.SIGTERM)
    _, err = child.communicate(timeout=120)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(child.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(child.pid, signal.SIGKILL)
        pytest.fail("worker processes outlived the run")
    assert "leaked semaphore" not in err, err


# ---- node2vec's walk, the walks' memory, t-SNE ----------------------------------------------


def test_node2vec_biases_that_make_each_step_slow_are_refused_up_front():
    with pytest.raises(EmbedlabError) as caught:
        train("never-read.edgelist", method="node2vec", p=1e-4)
    message = str(caught.value)
    assert "p=0.0001 and q=1.0 make a walk step draw up to 10,000 candidate draws" in message
    assert "EMBEDLAB_MAX_NODE2VEC_DRAWS=10000" in message
    from embedlab.graphs.walks import check_walk_bias

    check_walk_bias(0.25, 4.0)  # the paper's widest setting: 16 draws at worst


def test_walks_that_cannot_fit_in_memory_are_refused_before_walking():
    from embedlab.graphs import karate_club
    from embedlab.graphs.walks import generate_walks

    graph, _ = karate_club()
    with pytest.raises(EmbedlabError, match="the random walks needs about .*walk_length"):
        generate_walks(graph, walk_length=10**12)


def test_a_t_sne_map_of_too_many_points_is_refused_before_fitting(monkeypatch):
    from embedlab.pictures.projection import tsne

    monkeypatch.setenv("EMBEDLAB_MAX_TSNE_POINTS", "5")
    with pytest.raises(EmbedlabError) as caught:
        tsne(np.random.default_rng(0).normal(size=(6, 3)))
    assert str(caught.value).startswith("a t-SNE map of 6 points, above the limit of 5")
    assert "use PCA (method='pca')" in str(caught.value)
    assert limits.TSNE_POINTS.default == 10_000


def test_the_limits_name_a_cheaper_setting_as_the_command_spells_it(tmp_path, monkeypatch, capsys):
    from embedlab.cli.app import main

    monkeypatch.setenv("EMBEDLAB_MAX_TSNE_POINTS", "5")
    vectors = tmp_path / "v.txt"
    vectors.write_text("6 2\n" + "".join(f"w{i} {i} {i % 3}\n" for i in range(6)))
    argv = ["plot", str(vectors), "-o", str(tmp_path / "m.png"), "--method", "tsne"]
    assert main(argv) == 2
    assert "use PCA (--method pca)" in capsys.readouterr().err
    graph = tmp_path / "g.edgelist"
    graph.write_text("a b\nb c\n")
    argv = ["train", str(graph), "-o", str(tmp_path / "g.txt"), "--method", "node2vec"]
    assert main([*argv, "--threads", str(10**6)]) == 2
    assert capsys.readouterr().err.startswith("embedlab: error: --threads asks for 1,000,000")
    assert main([*argv, "--p", "0.0001"]) == 2
    assert "--p 0.0001 and --q 1.0 make a walk step draw" in capsys.readouterr().err


def test_node_classification_with_a_label_per_node_is_refused_before_its_matrix(monkeypatch):
    """One label per node: a node x label matrix and a classifier per label, both quadratic."""
    from embedlab.evaluation.node_classification import node_classification
    from embedlab.vectors import Embeddings

    nodes = [f"n{i}" for i in range(12)]
    emb = Embeddings(nodes, np.eye(12, dtype=np.float32))
    monkeypatch.setenv("EMBEDLAB_MAX_NODE_LABELS", "10")
    with pytest.raises(EmbedlabError) as caught:
        node_classification(emb, {node: node for node in nodes})
    assert str(caught.value).startswith("the labels name 12 distinct labels, above the limit")
    assert limits.NODE_LABELS.default == 1_000
