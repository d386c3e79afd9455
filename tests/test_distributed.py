"""The Dask cluster (embedlab.distributed) against the single-machine pipeline it must equal.

One LocalCluster of 2 worker processes (one thread each) serves the whole module; the corpora
are small, cut into many byte ranges so that every merge and boundary rule is exercised.
"""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

pytest.importorskip("distributed")

from embedlab.corpus import encode_corpus, sample_corpus_path  # noqa: E402
from embedlab.distributed.cluster import connect  # noqa: E402
from embedlab.distributed.count import count_blocks  # noqa: E402
from embedlab.distributed.shards import (  # noqa: E402
    ShardedCorpus,
    encode_on_cluster,
    encode_shards,
    shard_sizes,
    split_ranges,
)
from embedlab.errors import EmbedlabError  # noqa: E402
from embedlab.methods import train  # noqa: E402
from embedlab.methods.count.association import ppmi  # noqa: E402
from embedlab.methods.count.cooccurrence import cooccurrence_matrix  # noqa: E402

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture(scope="module")
def client():
    with connect("local:2") as c:
        yield c


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    """Real text (the sample's first lines) in two plain files and a gzip one, with what the
    reader must treat alike everywhere: CRLF endings, blank lines, lines that min_count empties,
    non-ASCII words, a file without a final newline."""
    folder = tmp_path_factory.mktemp("corpus")
    with gzip.open(sample_corpus_path(), "rt", encoding="utf-8") as f:
        lines = [next(f).rstrip("\n") for _ in range(1500)]
    odd = ["", "zyzzyva quux", "Ünïcödé naïve café ünïcödé", "   ", "the"]
    first = [line + ("\r" if i % 5 == 0 else "") for i, line in enumerate(lines[:700])]
    first[100:100] = odd
    (folder / "a.txt").write_text("\n".join(first) + "\n", encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(lines[700:1200] + odd), encoding="utf-8")
    with gzip.open(folder / "c.txt.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines[1200:]) + "\n")
    return [folder / "a.txt", folder / "b.txt", folder / "c.txt.gz"]


SETTINGS = {"min_count": 10}


def _concatenated(shards):
    tokens = np.concatenate([s.tokens for s in shards])
    offsets = np.cumsum([0] + [s.tokens.size for s in shards])
    starts = [s.sentence_starts[:-1] + o for s, o in zip(shards, offsets, strict=False)]
    return tokens, np.concatenate([*starts, [offsets[-1]]])


def _sharded(client, files, **settings):
    vocab, on_workers, shards = encode_on_cluster(
        client, files, shard_bytes=20_000, **(SETTINGS | settings)
    )
    return ShardedCorpus(client, vocab, shards, shard_sizes(client, shards), on_workers)


def test_split_ranges_cut_after_line_breaks_and_cover_the_file(corpus, tmp_path):
    data = corpus[0].read_bytes()
    ranges = split_ranges([corpus[0]], "utf-8", 5_000)
    assert len(ranges) > 5
    assert ranges[0].start == 0 and ranges[-1].end == len(data)
    for before, after in zip(ranges[:-1], ranges[1:], strict=True):
        assert before.end == after.start
        assert data[after.start - 1 : after.start] == b"\n"
    # A LF byte inside UTF-16 text is half a character, and gzip cannot be entered mid-way:
    # such files are read whole.
    wide = tmp_path / "wide.txt"
    wide.write_text("one two\n" * 5000, encoding="utf-16")
    assert [(r.start, r.end) for r in split_ranges([wide], "utf-16", 5_000)] == [(0, None)]
    assert [(r.start, r.end) for r in split_ranges([corpus[2]], "utf-8", 100)] == [(0, None)]


@pytest.mark.parametrize("storage", [False, True])
def test_shards_are_the_single_machine_encoding_cut_at_range_boundaries(
    client, corpus, tmp_path, storage
):
    folder = tmp_path if storage else None
    vocab, shards = encode_shards(client, corpus, shard_bytes=20_000, storage=folder, **SETTINGS)
    single = encode_corpus(corpus, cache=False, **SETTINGS)
    assert len(shards) > len(corpus)
    assert vocab.words == single.vocab.words
    assert np.array_equal(vocab.counts, single.vocab.counts)
    got = client.gather(shards)
    assert [s.index for s in got] == list(range(len(got)))
    tokens, starts = _concatenated(got)
    assert np.array_equal(tokens, single.tokens)
    assert np.array_equal(starts, single.sentence_starts)
    assert sum(s.raw_tokens for s in got) == single.raw_tokens
    if storage:
        assert len(list(tmp_path.glob("shard-*.tokens.npy"))) == len(shards)


def _assert_same_csr(got, want):
    assert got.shape == want.shape
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)


@pytest.mark.parametrize(
    "settings",
    [
        {"window": 5, "context": "symmetric", "weighting": "dynamic"},
        {"window": 3, "context": "left", "weighting": "harmonic"},
    ],
)
def test_cluster_counts_equal_single_machine_counts_exactly(client, corpus, settings):
    from embedlab.methods.count.cooccurrence import scaled_counts

    sharded = _sharded(client, corpus)
    full = settings | {"sample": 0.0, "seed": 1, "memory": "1G"}
    blocks, edges, scale, _ = count_blocks(sharded, full, quiet=True)
    assert len(blocks) == 2  # one row block per worker
    got = scaled_counts(sp.vstack(client.gather(blocks), format="csr"), scale)
    want = cooccurrence_matrix(encode_corpus(corpus, cache=False, **SETTINGS), **settings)
    _assert_same_csr(got, want)
    assert np.array_equal(got.data, want.data)


def test_ppmi_on_the_cluster_equals_single_machine(client, corpus):
    got = train(corpus, method="ppmi", dask=client.scheduler.address, quiet=True, **SETTINGS)
    want = train(corpus, method="ppmi", cache=False, quiet=True, **SETTINGS)
    assert got.words == want.words
    _assert_same_csr(got.matrix, want.matrix)
    # The column sums are added block by block on the cluster, in one pass here: float64 sums
    # in another order, a few 1e-16 apart, which can move a float32 PPMI value by one unit in
    # the last place and no more.
    np.testing.assert_array_max_ulp(got.matrix.data, want.matrix.data, maxulp=1)
    assert got.meta["workers"] == 2 and got.meta["shards"] == len(corpus)  # 1 MiB ranges


def _sines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Sines of the principal angles between the column spans of ``a`` and ``b``, ascending."""
    qa = np.linalg.qr(a.astype(np.float64))[0]
    qb = np.linalg.qr(b.astype(np.float64))[0]
    cosines = np.linalg.svd(qa.T @ qb, compute_uv=False)
    return np.sort(np.sqrt(np.clip(1 - cosines**2, 0, 1)))


def _cosines(vectors: np.ndarray) -> np.ndarray:
    """Cosine similarity of every pair of rows."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return (unit @ unit.T)[np.triu_indices(len(unit), 1)]


def test_ppmi_svd_on_the_cluster_runs_the_single_machine_solver_where_it_fits(client, corpus):
    dim = 20
    got = train(corpus, method="ppmi-svd", dim=dim, dask=client.scheduler.address, quiet=True,
                **SETTINGS)  # fmt: skip
    want = train(corpus, method="ppmi-svd", dim=dim, cache=False, quiet=True, **SETTINGS)
    assert got.words == want.words
    assert got.meta["svd_worker"] in client.scheduler_info()["workers"]
    # The same solver and seed on a PPMI matrix at most 1 ulp apart (see above): the same
    # subspace and the same similarities, to float32 rounding.
    assert _sines(got.vectors, want.vectors).max() < 1e-4
    np.testing.assert_allclose(_cosines(got.vectors), _cosines(want.vectors), atol=1e-5)
    np.testing.assert_allclose(got.meta["singular_values"], want.meta["singular_values"],
                               rtol=1e-5)  # fmt: skip


def test_ppmi_svd_that_fits_no_worker_is_as_close_to_the_exact_svd_as_one_machine(
    client, corpus, monkeypatch
):
    from embedlab.distributed import count

    monkeypatch.setattr(count, "roomiest_worker", lambda client, need: None)
    dim = 20
    got = train(corpus, method="ppmi-svd", dim=dim, dask=client.scheduler.address, quiet=True,
                **SETTINGS)  # fmt: skip
    want = train(corpus, method="ppmi-svd", dim=dim, cache=False, quiet=True, **SETTINGS)
    assert got.meta["svd_worker"] == "cluster"
    # The exact SVD of the same PPMI matrix (dense LAPACK) is the reference both randomized
    # solvers approximate: the cluster's must be at least as close to it as one machine's,
    # angle by angle (the k-th smallest principal angle against the k-th), and so must the
    # similarities its vectors give. (Dask's default, 4 un-normalised power iterations, was
    # worse than one machine on the trailing angles.)
    matrix = ppmi(
        cooccurrence_matrix(
            encode_corpus(corpus, cache=False, **SETTINGS), window=5, weighting="dynamic"
        ),  # fmt: skip
        dtype=np.float32,
    ).toarray()
    U, s, _ = np.linalg.svd(matrix.astype(np.float64))
    exact = U[:, :dim] * np.sqrt(s[:dim])  # eig 0.5, the default
    assert np.all(_sines(got.vectors, exact) <= _sines(want.vectors, exact) + 1e-3)
    similarity = _cosines(exact)
    got_error = np.abs(_cosines(got.vectors) - similarity).mean()
    want_error = np.abs(_cosines(want.vectors) - similarity).mean()
    assert got_error <= want_error
    np.testing.assert_allclose(got.meta["singular_values"], s[:dim], rtol=0.01)


def test_glove_counts_on_the_cluster_train_the_same_vectors(client, corpus):
    params = {"dim": 8, "epochs": 2, "threads": 1, "seed": 3, "quiet": True} | SETTINGS
    got = train(corpus, method="glove", dask=client.scheduler.address, **params)
    want = train(corpus, method="glove", cache=False, **params)
    assert got.words == want.words
    assert np.array_equal(got[got.words], want[want.words])


def test_a_worker_error_is_one_line_naming_the_worker_and_the_shard(client, tmp_path):
    text = ("word " * 2000 + "\n") * 10
    bad = 7 * len("word " * 2000 + "\n") + 11  # in the 8th line, the 3rd or later range
    data = bytearray(text.encode())
    data[bad] = 0xFF
    path = tmp_path / "bad.txt"
    path.write_bytes(bytes(data))
    with pytest.raises(EmbedlabError) as single:
        encode_corpus(path, cache=False, min_count=1)
    with pytest.raises(EmbedlabError) as cluster:
        encode_shards(client, [path], shard_bytes=20_000, min_count=1)
    message = str(cluster.value)
    assert "\n" not in message
    workers = client.scheduler_info()["workers"]
    assert any(f"worker {w} " in message for w in workers)
    shard = next(r for r in split_ranges([path], "utf-8", 20_000) if r.start <= bad < r.end)
    assert f"shard {shard.label()}" in message
    assert f"byte offset {bad} " in message and f"byte offset {bad} " in str(single.value)


def test_a_method_without_a_runner_is_refused_in_one_line_before_connecting(corpus):
    started = time.perf_counter()
    with pytest.raises(EmbedlabError, match="does not run on a Dask cluster yet"):
        train(corpus, method="deepwalk", dask="tcp://127.0.0.1:1")
    assert time.perf_counter() - started < 1.0


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args, timeout=120, env=None):
    code = "import sys; from embedlab.cli.app import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": SRC} | (env or {}),
    )


def test_an_unreachable_scheduler_is_one_line_within_the_connect_timeout(corpus, tmp_path):
    from embedlab.distributed.cluster import CONNECT_SECONDS

    address = f"tcp://127.0.0.1:{_closed_port()}"
    started = time.perf_counter()
    done = _cli("train", str(corpus[0]), "-o", str(tmp_path / "v.txt"), "--method", "ppmi-svd",
                "--dim", "5", "--dask", address)  # fmt: skip
    assert time.perf_counter() - started < CONNECT_SECONDS + 15
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and address in lines[0] and "--dask local:N" in lines[0]


def test_a_scheduler_that_vanishes_mid_run_is_one_line(corpus, tmp_path):
    port = _closed_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": SRC}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--port",
                                  str(port), "--dashboard-address", ":0"], **quiet)  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                               "--nthreads", "1", "--nworkers", "1"], **quiet)  # fmt: skip
    code = "import sys; from embedlab.cli.app import main; sys.exit(main())"
    try:
        time.sleep(8)  # the scheduler and the worker up
        run = subprocess.Popen(
            [sys.executable, "-c", code, "train", str(corpus[0]), "-o", str(tmp_path / "v.txt"),
             "--method", "skipgram", "--dim", "5", "--epochs", "1000", "--min-count", "1",
             "--dask-sync", "10000", "--dask", address, "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        time.sleep(12)  # training under way: 1,000 epochs take minutes
        assert run.poll() is None
        scheduler.kill()
        _, stderr = run.communicate(timeout=90)
    finally:
        for process in (scheduler, worker):
            process.kill()
            process.wait()
    assert run.returncode == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and f"lost the Dask scheduler at {address}" in lines[0]


def test_nothing_imports_dask_without_the_switch(corpus):
    code = (
        "import sys, embedlab\n"
        "from embedlab.cli.train import _train_app\n"
        "_train_app()\n"
        f"embedlab.train({str(corpus[0])!r}, method='ppmi', min_count=10, cache=False,"
        " quiet=True)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC}, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_without_dask_installed_the_switch_says_how_to_install_it(corpus):
    code = (
        "import sys\n"
        "class NoDask:\n"  # as if dask were not installed: importing it fails
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('dask', 'distributed'): raise ImportError(name)\n"
        "sys.meta_path.insert(0, NoDask())\n"
        "import embedlab\n"
        "from embedlab.errors import EmbedlabError\n"
        "try:\n"
        f"    embedlab.train({str(corpus[0])!r}, method='ppmi', dask='local:2')\n"
        "except EmbedlabError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": SRC}, timeout=120)  # fmt: skip
    assert done.stdout.strip().endswith("pip install 'embedlab[dask]'"), done.stderr


def test_a_worker_killed_while_counting_loses_and_duplicates_nothing(client, corpus):
    sharded = _sharded(client, corpus)
    settings = {"window": 5, "context": "symmetric", "weighting": "none", "sample": 0.0,
                "seed": 1, "memory": "1G"}  # fmt: skip
    pids = client.run(os.getpid)
    held = client.who_has(sharded.shards)
    victim = next(iter(held[sharded.shards[0].key]))
    # Kill the worker holding the first shard once counting has begun: its shards and any
    # counts it made are lost with it and must be rebuilt from the files, once each.
    from embedlab.distributed import count as count_module

    original = count_module.wait_all

    def kill_then_wait(futures, weight=None, progress=None):
        if weight is not None:  # the counting wait, the first one count_blocks makes
            os.kill(pids[victim], signal.SIGKILL)
        return original(futures, weight, progress)

    count_module.wait_all = kill_then_wait
    try:
        blocks, _, scale, _ = count_blocks(sharded, settings, quiet=True)
    finally:
        count_module.wait_all = original
    from embedlab.methods.count.cooccurrence import scaled_counts

    got = scaled_counts(sp.vstack(client.gather(blocks), format="csr"), scale)
    want = cooccurrence_matrix(encode_corpus(corpus, cache=False, **SETTINGS), window=5)
    _assert_same_csr(got, want)
    assert np.array_equal(got.data, want.data)
    assert victim not in client.scheduler_info()["workers"]


def test_the_svd_goes_to_the_roomiest_worker_only_when_it_fits_there(client):
    from embedlab.distributed.count import roomiest_worker

    assert roomiest_worker(client, 1) in client.scheduler_info()["workers"]
    assert roomiest_worker(client, 1 << 60) is None  # an exabyte fits no worker


def _long_lines(folder: Path, lines: int, length: int) -> list[Path]:
    """``lines`` files of one line of ``length`` words each (50 words repeated): each its own
    shard on the cluster."""
    words = " ".join(f"w{i % 50}" for i in range(length))
    paths = [folder / f"long{i}.txt" for i in range(lines)]
    for path in paths:
        path.write_text(words + "\n", encoding="utf-8")
    return paths


@pytest.mark.parametrize(
    ("method", "window", "cheaper"),
    [
        ("ppmi", 900, "give a smaller window"),
        ("skipgram", 2000, "give a smaller window"),
        ("cbow", "all", "give an integer window"),
    ],  # fmt: skip
)
def test_a_quadratic_window_is_refused_from_the_shards_before_training(
    client, tmp_path, method, window, cheaper
):
    paths = _long_lines(tmp_path, 2, 5_000)
    reach = min(window if window != "all" else 10**9, 4_999)
    pairs = 2 * 2 * (reach * 5_000 - reach * (reach + 1) // 2)  # 2 lines, both sides
    shown = repr(window)
    with pytest.raises(EmbedlabError) as caught:
        train(paths, method=method, window=window, dask=client.scheduler.address, quiet=True)
    message = str(caught.value)
    assert f"window={shown} gives {pairs:,} pairs an epoch over 10,000 tokens" in message
    assert "has 5,000 words" in message and cheaper in message
    assert "above the limit of 1,000" in message
