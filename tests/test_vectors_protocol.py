"""One vector protocol: sparse PPMI rows answer every query dense vectors do, or refuse in one line.

The dense ``Embeddings`` queries are checked against gensim elsewhere; here the sparse kind is
checked against a dense copy of the same matrix and against numbers computed by hand. Maps and
reports of a matrix whose dense form would take 40 GB run under an address-space limit.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from embedlab.cli.app import main
from embedlab.errors import EmbedlabError
from embedlab.pictures.maps import draw_map
from embedlab.vectors import Embeddings, load
from embedlab.vectors.sparse import SparseEmbeddings

WORDS = ["king", "queen", "man", "woman", "apple", "pear", "car", "bus", "sky", "sea"]
WORDS += [f"w{i}" for i in range(20)]


def _matrix(seed=5):
    rng = np.random.default_rng(seed)
    dense = rng.random((len(WORDS), len(WORDS))) * (rng.random((len(WORDS), len(WORDS))) < 0.3)
    dense[WORDS.index("w7")] = 0.0  # an empty row scores 0, never NaN
    return dense.astype(np.float32)


@pytest.fixture(scope="module")
def pair():
    """The same vectors as sparse rows and as a dense ``Embeddings``."""
    matrix = _matrix()
    return SparseEmbeddings(WORDS, sp.csr_matrix(matrix)), Embeddings(WORDS, matrix)


QUERIES = {
    "most_similar": lambda e: e.most_similar(["king", "woman"], ["man"], topn=7),
    "most_similar restricted": lambda e: e.most_similar("apple", topn=4, restrict_vocab=12),
    "most_similar weighted pairs": lambda e: e.most_similar([("sky", 2.0), "sea"], topn=5),
    "most_similar raw vector": lambda e: e.most_similar([_matrix()[4] * 3], topn=5),
    "most_similar_cosmul": lambda e: e.most_similar_cosmul(["king", "woman"], ["man"], topn=7),
    "analogy": lambda e: e.analogy("man", "king", "woman", topn=6),
    "doesnt_match": lambda e: e.doesnt_match(["apple", "pear", "car", "sea", "w7"]),
    "combined input": lambda e: e.combined("input").most_similar("car", topn=5),
}


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_on_sparse_rows_equals_the_dense_copy(pair, name):
    sparse_emb, dense_emb = pair
    ours, theirs = QUERIES[name](sparse_emb), QUERIES[name](dense_emb)
    if isinstance(theirs, str):
        assert ours == theirs
        return
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-5, atol=1e-6)


def test_similarity_rows_and_scores_of_every_word_match(pair):
    sparse_emb, dense_emb = pair
    for a, b in [("king", "queen"), ("sky", "w7"), ("pear", "pear")]:
        assert sparse_emb.similarity(a, b) == pytest.approx(dense_emb.similarity(a, b), abs=1e-6)
    np.testing.assert_array_equal(sparse_emb[["car", "bus"]], dense_emb[["car", "bus"]])
    np.testing.assert_allclose(
        sparse_emb.most_similar("sea", topn=None),
        dense_emb.most_similar("sea", topn=None),
        atol=1e-6,
    )


def test_cosmul_on_sparse_rows_by_hand(pair):
    sparse_emb, _ = pair
    dense = _matrix().astype(np.float64)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    unit = dense / np.where(norms > 0, norms, 1.0)
    shift = [(1 + unit @ unit[WORDS.index(w)]) / 2 for w in ("queen", "pear", "car")]
    scores = shift[0] * shift[1] / (shift[2] + 1e-6)
    scores[[WORDS.index(w) for w in ("queen", "pear", "car")]] = -np.inf
    best = np.argsort(-scores, kind="stable")[:4]
    got = sparse_emb.most_similar_cosmul(["queen", "pear"], ["car"], topn=4)
    assert [w for w, _ in got] == [WORDS[i] for i in best]
    np.testing.assert_allclose([s for _, s in got], scores[best], rtol=1e-5)


def test_combining_sparse_rows_with_a_context_matrix_is_one_clear_error(pair):
    sparse_emb, _ = pair
    with pytest.raises(EmbedlabError, match="needs context"):
        sparse_emb.combined("sum")
    with pytest.raises(EmbedlabError, match="one of"):
        sparse_emb.combined("average")


def test_a_map_of_sparse_rows_is_the_map_of_their_dense_copy(pair):
    sparse_emb, dense_emb = pair
    shown = ["king", "queen", "man", "woman", "apple"]
    _, ours = draw_map(sparse_emb, words=shown)
    _, theirs = draw_map(dense_emb, words=shown)
    np.testing.assert_allclose(ours.coords, theirs.coords, atol=1e-9)


# ---- the CLI paths that ended in an AttributeError traceback -------------------------------


@pytest.fixture()
def npz(pair, tmp_path):
    path = tmp_path / "ppmi.npz"
    pair[0].save(path)
    return path


def _run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_analogy_cosmul_on_sparse_vectors(npz, capsys):
    code, out, _ = _run(capsys, "analogy", npz, "man", "king", "woman", "--cosmul", "--json")
    assert code == 0
    results = json.loads(out)["results"]
    expected = load(npz).most_similar_cosmul(["king", "woman"], ["man"], topn=5)
    # the independent check of these numbers is test_cosmul_on_sparse_rows_by_hand
    assert [(r["word"], pytest.approx(r["similarity"])) for r in results] == expected


@pytest.mark.parametrize("combine", ["sum", "mean", "concat"])
def test_cli_convert_combine_on_sparse_vectors_is_one_line(npz, tmp_path, capsys, combine):
    code, out, err = _run(capsys, "convert", npz, tmp_path / "out.txt", "--combine", combine)
    assert code == 2 and not (tmp_path / "out.txt").exists()
    assert err.startswith("embedlab: error: ") and err.count("\n") == 1, err
    assert "needs context (output) vectors" in err


# ---- bounded memory: sparse rows are never made dense whole -------------------------------

#: Rows and columns of the wide matrix: its dense float32 form would take 40 GB.
WIDE = 100_000
#: Address space allowed to the command: far below the dense matrix, enough for the libraries.
LIMIT = 1536 * 2**20


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """A 100,000-word PPMI file with three non-zeros a row, and a small dense file."""
    folder = tmp_path_factory.mktemp("wide")
    rng = np.random.default_rng(0)
    words = WORDS[:4] + [f"x{i}" for i in range(WIDE - 4)]
    rows = np.repeat(np.arange(WIDE), 3)
    cols = rng.integers(0, WIDE, size=3 * WIDE)
    values = rng.random(3 * WIDE).astype(np.float32) + 0.1
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(WIDE, WIDE))
    SparseEmbeddings(words, matrix, meta={"method": "ppmi"}).save(folder / "ppmi.npz")
    small = words[:64]
    Embeddings(small, rng.standard_normal((64, 8)).astype(np.float32)).save(folder / "small.bin")
    return folder


def _limited(*args) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # one BLAS thread: each thread's buffers take address space the test does not measure
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    command = [sys.executable, "-m", "embedlab", *map(str, args)]
    return subprocess.run(
        command, preexec_fn=limit, capture_output=True, text=True, env=env, timeout=300
    )


def test_plot_of_wide_sparse_rows_runs_in_bounded_memory(wide):
    out = wide / "map.png"
    done = _limited("plot", wide / "ppmi.npz", "--words", "king,queen,man", "-o", out, "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    points = json.loads(done.stdout)["points"]
    assert [p["word"] for p in points] == ["king", "queen", "man"]
    assert out.stat().st_size > 0


def test_compare_report_with_wide_sparse_rows_runs_in_bounded_memory(wide):
    out = wide / "report.html"
    done = _limited("compare", wide / "small.bin", wide / "ppmi.npz", "-o", out, "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert [f["vocabulary"] for f in result["files"]] == [64, WIDE]
    assert result["map_words"][:4] == WORDS[:4]
    assert "<img" in out.read_text(encoding="utf-8")
