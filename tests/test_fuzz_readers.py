"""Every reader on random and mutated bytes: one clear EmbedlabError or a correct load.

A correct load is checked against what each reader promises (words unique strings, one finite
float32 row each; token ids inside the vocabulary and sentence starts that never decrease;
dataset fields of the right kinds). Anything else that escapes (an IndexError, a zlib.error,
a crash or a hang past the deadline) fails the test. Examples per reader are bounded so the
whole file stays within about a minute on two cores.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from embedlab.corpus import encode_corpus
from embedlab.errors import EmbedlabError
from embedlab.evaluation.datasets import AnalogyData, SimilarityData, load_dataset
from embedlab.vectors import Embeddings, load
from embedlab.vectors.sparse import SparseEmbeddings

EXAMPLES = 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=10_000,  # milliseconds: a hang, not a slow shared machine
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def written(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def read_or_clear_error(read, *args, **options):
    """What ``read`` returns, or None when it refused the input in one clear EmbedlabError line."""
    try:
        return read(*args, **options)
    except EmbedlabError as err:
        assert "\n" not in str(err) and str(err)
        return None


@st.composite
def mutations_of(draw, original: bytes) -> bytes:
    """``original`` with a few bytes changed, inserted, deleted, or the end cut off."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["set", "insert", "delete", "cut"]))
        if kind == "set":
            data[at] = draw(st.sampled_from([0, 0x0A, 0x20, 0x2D, 0x30, 0x39, 0x7F, 0xFF]))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        else:
            del data[at:]
    return bytes(data)


def inputs(original: bytes):
    """Random bytes, random text-like bytes, and mutations of a valid file."""
    texty = st.text(alphabet=" \n\t0123456789.-e:abcxyz\u00e9", max_size=400).map(str.encode)
    return st.one_of(st.binary(max_size=600), texty, mutations_of(original))


# ---- vector files ------------------------------------------------------------------------


def sample_vectors() -> Embeddings:
    rng = np.random.default_rng(2)
    words = ["the", "cat", "sat", "on", "mat", "café"]
    return Embeddings(
        words,
        rng.normal(size=(len(words), 3)).astype(np.float32),
        counts=np.arange(len(words), 0, -1),
        context=rng.normal(size=(len(words), 3)).astype(np.float32),
        meta={"method": "fuzz"},
    )


def saved_bytes(folder: Path, name: str) -> bytes:
    path = folder / f"original-{name}"
    sample_vectors().save(path)
    return path.read_bytes()


def assert_loads_correctly_or_fails_clearly(path: Path, **options) -> None:
    emb = read_or_clear_error(load, path, **options)
    if emb is None:
        return
    if isinstance(emb, SparseEmbeddings):
        assert emb.vectors.shape[0] == len(emb.words)
        assert all(isinstance(word, str) for word in emb.words)
        return
    assert emb.vectors.dtype == np.float32 and emb.vectors.ndim == 2
    assert emb.vectors.shape[0] == len(emb.words) >= 1 and emb.dim >= 1
    assert np.isfinite(emb.vectors).all()
    assert all(isinstance(word, str) for word in emb.words)
    assert len(set(emb.words)) == len(emb.words)


@pytest.mark.parametrize(
    "name", ["v.txt", "v.bin", "v.glove", "v.emb", "v.txt.gz", "v.bin.bz2", "v.vec.xz"]
)
def test_vector_files(tmp_path, name):
    original = saved_bytes(tmp_path, name)

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        assert_loads_correctly_or_fails_clearly(written(tmp_path, name, data))

    check()


@pytest.mark.parametrize(
    ("original_name", "name", "options"),
    [("m.emb", "m.emb", {"mmap": True}), ("s.bin", "s.dat", {})],  # mapped; format sniffed
)
def test_vector_files_mapped_or_sniffed(tmp_path, original_name, name, options):
    original = saved_bytes(tmp_path, original_name)

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        assert_loads_correctly_or_fails_clearly(written(tmp_path, name, data), **options)

    check()


def sparse_bytes(folder: Path) -> bytes:
    import scipy.sparse as sp

    path = folder / "original.npz"
    matrix = sp.csr_matrix(np.array([[0, 1.5, 0], [2.0, 0, 0], [0, 0, 0.5]]))
    SparseEmbeddings(["a", "b", "c"], matrix, counts=np.array([3, 2, 1])).save(path)
    return path.read_bytes()


def test_sparse_files(tmp_path):
    original = sparse_bytes(tmp_path)

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        assert_loads_correctly_or_fails_clearly(written(tmp_path, "v.npz", data))

    check()


# ---- corpora ------------------------------------------------------------------------------

_CORPUS = "The cat sat on the mat.\nDon't panic: well-known café!\r\n\n" * 4
_COMPRESS = {
    "c.txt": lambda raw: raw,
    "c.txt.gz": lambda raw: gzip.compress(raw, mtime=0),
    "c.txt.bz2": bz2.compress,
    "c.txt.xz": lzma.compress,
}


def assert_encodes_correctly_or_fails_clearly(path: Path, errors: str) -> None:
    corpus = read_or_clear_error(encode_corpus, path, min_count=1, cache=False, errors=errors)
    if corpus is None:
        return
    tokens, starts = np.asarray(corpus.tokens), np.asarray(corpus.sentence_starts)
    assert tokens.size == corpus.vocab.total == int(corpus.vocab.counts.sum()) >= 1
    assert tokens.min() >= 0 and tokens.max() < len(corpus.vocab.words)
    assert starts[0] == 0 and starts[-1] == tokens.size and (np.diff(starts) > 0).all()
    np.testing.assert_array_equal(np.bincount(tokens), corpus.vocab.counts)


@pytest.mark.parametrize("name", sorted(_COMPRESS))
@pytest.mark.parametrize("errors", ["strict", "replace"])
def test_corpora(tmp_path, name, errors):
    original = _COMPRESS[name](_CORPUS.encode("utf-8"))

    @settings(FUZZ, max_examples=EXAMPLES // 2)
    @given(data=inputs(original))
    def check(data):
        assert_encodes_correctly_or_fails_clearly(written(tmp_path, name, data), errors)

    check()


# ---- similarity and analogy datasets ------------------------------------------------------------

_SIMILARITY = "# comment\nword1\tword2\tscore\ncat\tdog\t7.5\ncar auto 9\nsea mat 0.3\n"
_ANALOGY = ": family\nbrother sister father mother\nson daughter king queen\n: other\na b c d\n"


def assert_dataset_loads_correctly_or_fails_clearly(path: Path) -> None:
    data = read_or_clear_error(load_dataset, str(path))
    if data is None:
        return
    if isinstance(data, SimilarityData):
        for first, second, score in data.pairs:
            assert isinstance(first, str) and isinstance(second, str) and first and second
            assert math.isfinite(score)
    else:
        assert isinstance(data, AnalogyData)
        for questions in data.sections.values():
            assert all(len(q) == 4 and all(isinstance(w, str) and w for w in q) for q in questions)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("sim.txt", _SIMILARITY),
        ("analogy.txt", _ANALOGY),
        ("sim.txt.gz", _SIMILARITY),
        ("analogy.txt.gz", _ANALOGY),
    ],
)
def test_datasets(tmp_path, name, text):
    original = text.encode("utf-8")
    if name.endswith(".gz"):
        original = gzip.compress(original, mtime=0)

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        assert_dataset_loads_correctly_or_fails_clearly(written(tmp_path, name, data))

    check()


# ---- graph files ---------------------------------------------------------------------------

_EDGES = "# a comment\na b 1.5\nb c 2\nc a 0.5\nc d 1\nd d 3\na b 1\n"
_ADJACENCY = "a b c\nb c\nc d\n# end\n"


_MATRIX = np.array([[0, 1, 2.0], [1, 0, 0], [2.0, 0, 0]])


def graph_npz_bytes(folder: Path) -> bytes:
    import scipy.sparse as sp

    path = folder / "original-graph.npz"
    sp.save_npz(path, sp.csr_matrix(_MATRIX))
    return path.read_bytes()


def graph_mat_bytes(folder: Path) -> bytes:
    import scipy.sparse as sp
    from scipy.io import savemat

    path = folder / "original-graph.mat"
    savemat(path, {"network": sp.csc_matrix(_MATRIX)})
    return path.read_bytes()


def assert_graph_reads_correctly_or_fails_clearly(path: Path, **options) -> None:
    from embedlab.graphs.readers import read_graph

    graph = read_or_clear_error(read_graph, path, **options)
    if graph is None:
        return
    n = graph.n_nodes
    assert n >= 1 and all(isinstance(node, str) for node in graph.nodes)
    assert graph.indptr[0] == 0 and graph.indptr[-1] == graph.indices.size
    assert (np.diff(graph.indptr) >= 0).all() and graph.indptr.size == n + 1
    assert graph.indices.size == 0 or (0 <= graph.indices.min() and graph.indices.max() < n)
    if graph.weights is not None:
        assert graph.weights.size == graph.indices.size and np.isfinite(graph.weights).all()


@pytest.mark.parametrize(
    ("name", "original", "options"),
    [
        ("g.edgelist", _EDGES.encode(), {"weighted": True}),
        ("g.edg", _EDGES.encode(), {"directed": True}),
        ("g.adjlist", _ADJACENCY.encode(), {}),
        ("g.npz", graph_npz_bytes, {"weighted": True}),
        # scipy.io.loadmat segfaults on some mutated MATLAB files (found by this test), which
        # is why embedlab reads .mat files in a child process (graphs/matlab.py)
        ("g.mat", graph_mat_bytes, {"weighted": True}),
    ],
)
def test_graph_files(tmp_path, name, original, options):
    if callable(original):
        original = original(tmp_path)

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        assert_graph_reads_correctly_or_fails_clearly(written(tmp_path, name, data), **options)

    check()
