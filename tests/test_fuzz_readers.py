"""Every reader on random and mutated bytes: one clear EmbedlabError or a correct load.

A correct load is checked against what each reader promises (words unique strings, one finite
float32 row each; token ids inside the vocabulary and sentence starts that never decrease;
dataset fields of the right kinds). Anything else that escapes (an IndexError, a zlib.error,
a crash or a hang past the deadline) fails the test. Examples per reader are bounded so the
whole file stays within about a minute on two cores.

Headers get structured mutations too, since random bytes rarely survive a JSON parser or a
checksum: every field of the native format's header and meta replaced by any JSON value, its
counts replaced by lies far past the file's size, word2vec binary's two counts likewise; every
reader of the meta (``info``, the training curves, resuming) is run on what loads.
"""

from __future__ import annotations

import bz2
import copy
import gzip
import json
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


def assert_loads_correctly_or_fails_clearly(path: Path, **options):
    """What ``load`` returns, checked (None when it refused the file in one line)."""
    emb = read_or_clear_error(load, path, **options)
    if emb is None:
        return None
    if isinstance(emb, SparseEmbeddings):
        assert emb.vectors.shape[0] == len(emb.words)
        assert all(isinstance(word, str) for word in emb.words)
        return emb
    assert emb.vectors.dtype == np.float32 and emb.vectors.ndim == 2
    assert emb.vectors.shape[0] == len(emb.words) and emb.dim >= 1  # a header may say 0 words
    assert np.isfinite(emb.vectors).all()
    assert all(isinstance(word, str) for word in emb.words)
    assert len(set(emb.words)) == len(emb.words)
    return emb


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


def subword_bytes(folder: Path, name: str) -> bytes:
    """Subword vectors saved as ``name``: fastText's model (.bin) or the native format."""
    from embedlab.vectors.subwords import SubwordEmbeddings

    rng = np.random.default_rng(5)
    words = ["the", "cat", "sat", "café"]
    emb = SubwordEmbeddings(
        words,
        rng.normal(size=(len(words) + 7, 3)).astype(np.float32),
        minn=2,
        maxn=4,
        counts=np.arange(len(words), 0, -1),
        context=rng.normal(size=(len(words), 3)).astype(np.float32),
    )
    path = folder / f"original-{name}"
    emb.save(path)
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "options"),
    [("s.bin", {}), ("s.bin", {"mmap": True}), ("s.bin.gz", {}), ("s.emb", {})],
)
def test_subword_files(tmp_path, name, options):
    original = subword_bytes(tmp_path, name)

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        emb = read_or_clear_error(load, written(tmp_path, name, data), **options)
        if emb is None or not emb.composes:
            return
        # the rows read are checked; memory-mapped n-gram rows only when a query uses them
        assert np.isfinite(emb.word_rows).all() and emb.word_rows.shape[0] == len(emb.words)
        assert len(set(emb.words)) == len(emb.words)
        assert emb.ngram_vectors.shape == (emb.buckets, emb.dim)
        if not isinstance(emb.ngram_vectors, np.memmap):
            assert np.isfinite(emb.vectors).all() and np.isfinite(emb["unseen"]).all()

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
    "c.txt.zst": lambda raw: pytest.importorskip("zstandard").compress(raw),
    # a byte-order mark decides the encoding: mutations reach UTF-16 and UTF-32 decoding
    "c-utf16.txt": lambda raw: raw.decode("utf-8").encode("utf-16"),
    "c-utf32.txt": lambda raw: raw.decode("utf-8").encode("utf-32"),
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
    """Encoding without the cache; ``release_free_memory`` is skipped for so small a text."""
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


# ---- labels and link-prediction pairs -----------------------------------------------------

_LABELS = "# node label\na x\nb y\na z\nc x\n"
_PAIRS = "a b 1\nb c 0\n# held out\nc a 1\n"


@pytest.mark.parametrize("kind", ["labels", "pairs"])
def test_labels_and_pairs_files(tmp_path, kind):
    from embedlab.evaluation.link_prediction import read_pairs
    from embedlab.evaluation.node_classification import read_labels

    original = (_LABELS if kind == "labels" else _PAIRS).encode()

    @FUZZ
    @given(data=inputs(original))
    def check(data):
        path = written(tmp_path, f"{kind}.txt", data)
        if kind == "labels":
            labels = read_or_clear_error(read_labels, path)
            if labels is not None:
                assert labels and all(isinstance(n, str) and n for n in labels)
                assert all(v and all(isinstance(x, str) and x for x in v) for v in labels.values())
        else:
            found = read_or_clear_error(read_pairs, path)
            if found is not None:
                pairs, labels = found
                assert len(pairs) == labels.size and set(labels.tolist()) <= {0, 1}

    check()


# ---- headers: the native format's JSON header and meta, word2vec binary's counts ----------

#: Any JSON value, of the kinds a hostile header may hold in place of the right one.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.sampled_from([0, 1, -1, 2**31, 2**63, 10**18])
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def model_with_every_meta_field():
    """A native model whose meta has each field a reader uses, schedule consistent with the
    SkipGram it resumes with (``resume_params``)."""
    from embedlab.methods.word2vec.resume import schedule

    emb = sample_vectors()
    emb.meta.update(
        method="skipgram",
        objective="negative",
        params={"dim": 3, "epochs": 3},
        history=[{"epoch": 1, "loss": 2.5, "words_per_sec": 9.0, "seconds": 0.5, "alpha": 0.01}],
        schedule=schedule(resume_params(), N_TOKENS, 1),
        graph={"nodes": 6, "edges": 5, "directed": False, "weighted": False, "notes": []},
    )
    return emb


N_TOKENS = 60


def resume_params():
    from embedlab.methods.word2vec.model import SkipGram

    return SkipGram(dim=3, epochs=3, alpha=0.025, threads=1)


def header_paths(header: dict) -> list[tuple]:
    """Every place in the header a reader looks: each field, each section's fields, each meta
    field and its fields, the first history entry's."""
    paths = [(key,) for key in header]
    paths += [("sections", name, *rest) for name in header["sections"]
              for rest in [(), *((f,) for f in header["sections"][name])]]  # fmt: skip
    meta = header["meta"]
    for key, value in meta.items():
        paths.append(("meta", key))
        if isinstance(value, dict):
            paths += [("meta", key, field) for field in value]
    paths += [("meta", "history", 0), *(("meta", "history", 0, f) for f in meta["history"][0])]
    return paths


def native_parts(folder: Path):
    path = folder / "original.emb"
    model_with_every_meta_field().save(path)
    raw = path.read_bytes()
    length = int.from_bytes(raw[16:24], "little")
    header = json.loads(raw[24 : 24 + length])
    return header, raw[-(-(24 + length) // 64) * 64 :]


def native_bytes(header: dict, sections: bytes) -> bytes:
    """A native file with ``header`` (sections kept where the original had them)."""
    text = json.dumps(header).encode()
    head = b"EMBEDLAB-NATIVE\n" + len(text).to_bytes(8, "little") + text
    return head + bytes(-len(head) % 64) + sections


def replaced(header: dict, path: tuple, value) -> dict:
    changed = copy.deepcopy(header)
    place = changed
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return changed


def assert_every_reader_of_meta_fails_clearly(path: Path, tmp_path: Path) -> None:
    """Loading, ``embedlab info``, reading the training curves and resuming from the model:
    each either works or is one EmbedlabError line."""
    from embedlab.cli.common import print_json
    from embedlab.cli.vectors import _print_info
    from embedlab.methods.word2vec.resume import resume_point
    from embedlab.pictures.curves import history_curves, read_history
    from embedlab.query import describe

    assert_loads_correctly_or_fails_clearly(path, mmap=True)
    emb = assert_loads_correctly_or_fails_clearly(path)
    if emb is None:
        return
    report = describe(emb, path=str(path), format="native", top=3)  # what `embedlab info` shows
    _print_info(report)
    print_json(report)
    history = read_or_clear_error(read_history, path)
    if history:
        read_or_clear_error(history_curves, history)
    if emb.context_vectors is not None:
        params = resume_params()
        params.resume = emb
        read_or_clear_error(resume_point, params, list(emb.words), N_TOKENS)


def test_native_header_fields(tmp_path, capsys):
    header, sections = native_parts(tmp_path)
    paths = header_paths(header)

    @FUZZ
    @given(at=st.sampled_from(paths), value=JSON_VALUES)
    def check(at, value):
        path = written(tmp_path, "h.emb", native_bytes(replaced(header, at, value), sections))
        assert_every_reader_of_meta_fails_clearly(path, tmp_path)
        capsys.readouterr()

    check()


def test_native_header_counts(tmp_path, capsys):
    """Counts that lie: words, dim, shapes, offsets and sizes far past the file's bytes."""
    header, sections = native_parts(tmp_path)
    counts = st.sampled_from([0, 1, 2, 5, 6, 7, 64, 2**31, 2**40, 10**18, -1, -(2**40)])
    places = [("words",), ("dim",)] + [
        ("sections", name, field)
        for name in header["sections"]
        for field in ("offset", "nbytes", "crc32")
    ]

    @FUZZ
    @given(
        changes=st.lists(st.tuples(st.sampled_from(places), counts), min_size=1, max_size=3),
        shape=st.lists(counts, max_size=3),
        name=st.sampled_from(sorted(header["sections"])),
    )
    def check(changes, shape, name):
        changed = replaced(header, ("sections", name, "shape"), shape)
        for at, value in changes:
            changed = replaced(changed, at, value)
        path = written(tmp_path, "c.emb", native_bytes(changed, sections))
        assert_every_reader_of_meta_fails_clearly(path, tmp_path)
        capsys.readouterr()

    check()


def test_word2vec_binary_headers(tmp_path):
    """A header's counts are a claim: 10^9 words over a few records allocates nothing big."""
    body = saved_bytes(tmp_path, "v.bin").partition(b"\n")[2]
    numbers = st.sampled_from(["0", "1", "3", "6", "7", "999999999", "10" + "0" * 20, "-1", "x"])

    @FUZZ
    @given(words=numbers, dim=numbers, cut=st.integers(0, len(body)))
    def check(words, dim, cut):
        data = f"{words} {dim}\n".encode() + body[:cut]
        assert_loads_correctly_or_fails_clearly(written(tmp_path, "h.bin", data))

    check()
