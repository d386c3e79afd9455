"""Every output path under injected I/O faults (the ``faults`` fixture, tests/conftest.py): the
Nth create, write, flush, fsync or rename fails with ENOSPC, EIO or EACCES, for every N a clean
run makes. Each time the error is one line, the old file is whole and no temporary file is left;
the corpus cache falls back with one warning instead. Reads of inputs are swept the same way.
Inputs are tiny so that the whole sweep takes a few seconds."""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from conftest import CODES
from embedlab.errors import EmbedlabError
from embedlab.vectors import Embeddings, load

OLD = b"the old file, which must survive\n"
WRITES = ("create", "write", "flush", "fsync", "rename")


def sweep(faults, operations, run, check) -> int:
    """Count ``run()``'s operations, then run it once per (operation, N) with the Nth call
    failing (the errno taking turns over CODES) and call ``check(outcome)``: the error raised,
    or None when ``run`` returned. Returns how many faults were injected."""
    faults.counting()
    run()
    counts = {op: faults.calls[op] for op in operations}
    assert any(counts.values()), "the run made none of the operations swept"
    injected = 0
    for operation, total in counts.items():
        for n in range(1, total + 1):
            faults.fail(operation, n, CODES[injected % len(CODES)])
            try:
                run()
                outcome = None
            except EmbedlabError as err:
                outcome = err
            check(outcome, operation, n)
            injected += 1
    faults.counting()
    return injected


def assert_one_line(err) -> None:
    assert isinstance(err, EmbedlabError), err
    assert str(err) and "\n" not in str(err)


def assert_only(folder: Path, names) -> None:
    """Nothing in ``folder`` but ``names``: no temporary file survived."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def sample() -> Embeddings:
    rng = np.random.default_rng(3)
    words = ["the", "cat", "sat", "on", "mat"]
    return Embeddings(
        words,
        rng.normal(size=(5, 3)).astype(np.float32),
        context=rng.normal(size=(5, 3)).astype(np.float32),
        counts=[5, 4, 3, 2, 1],
        meta={"method": "test", "history": [{"epoch": 1, "loss": 1.0}]},
    )


def failed_write_check(folder: Path, target: Path, kept):
    def check(outcome, operation, n):
        assert_one_line(outcome)
        assert target.read_bytes() == OLD, (operation, n)
        assert_only(folder, kept)

    return check


@pytest.mark.parametrize(
    "name", ["v.txt", "v.bin", "v.glove", "v.emb", "v.txt.gz", "v.bin.bz2", "v.vec.xz"]
)
def test_vectors_in_every_format(faults, tmp_path, name):
    target = tmp_path / name
    target.write_bytes(OLD)
    emb = sample()

    def run():
        emb.save(target)
        target.write_bytes(OLD)  # a clean run replaced it: the next run starts from OLD again

    injected = sweep(faults, WRITES, run, failed_write_check(tmp_path, target, [name]))
    assert injected >= 5


def test_sparse_vectors(faults, tmp_path):
    import scipy.sparse as sp

    from embedlab.vectors.sparse import SparseEmbeddings

    target = tmp_path / "p.npz"
    target.write_bytes(OLD)
    emb = SparseEmbeddings(["a", "b"], sp.csr_matrix(np.array([[0, 1.0], [2.0, 0]])))

    def run():
        emb.save(target)
        target.write_bytes(OLD)

    sweep(faults, WRITES, run, failed_write_check(tmp_path, target, ["p.npz"]))


def test_pictures_and_the_report(faults, tmp_path):
    import matplotlib.pyplot as plt

    from embedlab.pictures.page import write_report
    from embedlab.pictures.render import save_figure

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    for name in ("map.png", "map.svg"):
        target = tmp_path / name
        target.write_bytes(OLD)

        def run(target=target):
            save_figure(fig, target)
            target.write_bytes(OLD)

        kept = sorted(p.name for p in tmp_path.iterdir())
        sweep(faults, WRITES, run, failed_write_check(tmp_path, target, kept))
    plt.close(fig)

    report = tmp_path / "report.html"
    report.write_bytes(OLD)
    comparison = {"names": ["a"], "files": [], "rows": [], "map_words": [], "evaluations": []}

    def write():
        write_report(comparison, [], report)
        report.write_bytes(OLD)

    kept = sorted(p.name for p in tmp_path.iterdir())
    sweep(faults, WRITES, write, failed_write_check(tmp_path, report, kept))


def test_split_edges_outputs(faults, tmp_path):
    from embedlab.evaluation.link_prediction import split_edges, write_pairs
    from embedlab.graphs import read_graph, write_edgelist

    source = tmp_path / "g.edgelist"
    source.write_text("a b\nb c\nc d\nd e\ne f\nf a\na c\n")
    graph = read_graph(source)
    train, pairs, labels = split_edges(graph, fraction=0.3, seed=1)
    for name, write in (
        ("train.edgelist", lambda path: write_edgelist(train, path)),
        ("pairs.txt", lambda path: write_pairs(path, graph.nodes, pairs, labels)),
    ):
        target = tmp_path / name
        target.write_bytes(OLD)

        def run(target=target, write=write):
            write(target)
            target.write_bytes(OLD)

        kept = sorted(p.name for p in tmp_path.iterdir())
        sweep(faults, WRITES, run, failed_write_check(tmp_path, target, kept))


def test_checkpoints(faults, tmp_path):
    """A fault while epoch 1's checkpoint is written stops the run in one line; the checkpoint
    an earlier run left there is whole."""
    from embedlab.methods import train

    checkpoints = tmp_path / "ck"
    checkpoints.mkdir()
    old = checkpoints / "epoch-001.emb"
    old.write_bytes(OLD)
    sentences = [["a", "b", "c", "d"], ["b", "c", "a"]] * 5

    def run():
        train(sentences, dim=3, epochs=1, threads=1, min_count=1, checkpoint_dir=checkpoints,
              quiet=True)  # fmt: skip
        old.write_bytes(OLD)

    sweep(faults, WRITES, run, failed_write_check(checkpoints, old, ["epoch-001.emb"]))


def test_corpus_cache_entries(faults, tmp_path, monkeypatch, capfd):
    """A fault while an entry is written: the corpus is encoded without the cache, with one
    warning, and no partial entry or temporary file is left; the next run writes it whole."""
    from embedlab.corpus import encode_corpus

    folder = tmp_path / "cache"
    monkeypatch.setenv("EMBEDLAB_CACHE", str(folder))
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\nthe dog sat\n" * 3)
    expected = encode_corpus(corpus, min_count=1, cache=False)

    def run():
        for item in folder.glob("*"):
            item.unlink()
        return encode_corpus(corpus, min_count=1)

    def check(outcome, operation, n):
        assert outcome is None, outcome  # the cache never fails a run
        warnings = [line for line in capfd.readouterr().err.splitlines() if "warning" in line]
        assert len(warnings) == 1 and "cannot write the corpus cache" in warnings[0]
        assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        assert not list(folder.glob("*.vocab.json"))  # no entry that looks whole
        again = encode_corpus(corpus, min_count=1)
        assert again.tokens.tolist() == expected.tokens.tolist()
        assert len(list(folder.glob("*.vocab.json"))) == 1
        capfd.readouterr()

    assert sweep(faults, WRITES, run, check) >= 10


def test_reading_inputs(faults, tmp_path):
    """A fault while a corpus or a vectors file is read is one line naming the file."""
    from embedlab.corpus import encode_corpus

    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat\n" * 3)
    vectors = tmp_path / "v.txt.gz"
    sample().save(vectors)

    def check_names(path):
        def check(outcome, operation, n):
            assert_one_line(outcome)
            assert str(outcome).startswith(f"cannot read {str(path)!r} (")

        return check

    sweep(faults, ["read"], lambda: encode_corpus(corpus, cache=False), check_names(corpus))
    sweep(faults, ["read"], lambda: load(vectors), check_names(vectors))


def test_the_fixture_fails_exactly_the_call_it_is_told(faults, tmp_path):
    target = tmp_path / "v.txt"
    faults.fail("fsync", 1, errno.EIO)
    with pytest.raises(EmbedlabError, match=r"\(Input/output error\); nothing was replaced"):
        sample().save(target)
    assert faults.calls["fsync"] == 1 and not target.exists()
    faults.fail("write", 10**6)
    sample().save(target)
    assert load(target).words == sample().words
