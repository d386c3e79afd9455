"""Embeddings: construction checks, combine modes, lookups, and queries equal to gensim's."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.vectors import Embeddings

V, DIM = 300, 12


@pytest.fixture(scope="module")
def pair():
    """The same random vectors as an Embeddings and as gensim KeyedVectors."""
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(V)]
    matrix = rng.standard_normal((V, DIM)).astype(np.float32)
    kv = KeyedVectors(DIM)
    kv.add_vectors(words, matrix.copy())
    return Embeddings(words, matrix), kv


def _assert_same(ours, theirs):
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-6)


@pytest.mark.parametrize(
    "positive, negative, topn, restrict",
    [
        ("w3", None, 10, None),
        (["w3"], [], 1, None),
        (["w5", "w9"], ["w1"], 7, None),
        ([], ["w2"], 5, None),
        (["w5", "w9", "w11"], ["w1", "w40"], 20, None),
        (["w5", "w9"], ["w1"], 10, 50),
        (["w200"], None, 10, 50),  # query word outside the restricted range
        ([("w5", 2.0), "w9"], [("w1", -0.5)], 8, None),
        (["w5"], None, V + 10, None),  # more than there are: everything but the query
    ],
)
def test_most_similar_equals_gensim(pair, positive, negative, topn, restrict):
    emb, kv = pair
    ours = emb.most_similar(
        positive=positive, negative=negative, topn=topn, restrict_vocab=restrict
    )
    theirs = kv.most_similar(
        positive=positive, negative=negative, topn=topn, restrict_vocab=restrict
    )
    _assert_same(ours, theirs)


def test_most_similar_leaves_query_words_out(pair):
    emb, _ = pair
    result = emb.most_similar(positive=["w5", "w9"], negative=["w1"], topn=V)
    assert len(result) == V - 3
    assert {"w5", "w9", "w1"}.isdisjoint(w for w, _ in result)
    scores = [s for _, s in result]
    assert scores == sorted(scores, reverse=True)


def test_most_similar_with_a_raw_vector_equals_gensim(pair):
    emb, kv = pair
    vector = np.linspace(-1, 1, DIM, dtype=np.float32)
    _assert_same(emb.most_similar(positive=[vector], topn=5), kv.most_similar([vector], topn=5))


def test_most_similar_topn_none_gives_every_score(pair):
    emb, kv = pair
    np.testing.assert_allclose(
        emb.most_similar("w3", topn=None), kv.most_similar("w3", topn=None), atol=1e-6
    )
    assert emb.most_similar("w3", topn=0) == []


@pytest.mark.filterwarnings("ignore:Call to deprecated:DeprecationWarning")  # gensim's own
@pytest.mark.parametrize(
    "positive, negative, topn",
    [("w3", None, 10), (["w5", "w9"], ["w1"], 7), (["w5", "w9", "w11"], ["w1", "w40"], 15)],
)
def test_most_similar_cosmul_equals_gensim(pair, positive, negative, topn):
    emb, kv = pair
    ours = emb.most_similar_cosmul(positive=positive, negative=negative, topn=topn)
    _assert_same(ours, kv.most_similar_cosmul(positive=positive, negative=negative, topn=topn))


def test_cosmul_formula_by_hand():
    # unit vectors at known angles: cos(a, x) etc. are read off the construction
    words = ["a", "b", "c", "x", "y"]
    angles = np.radians([0.0, 90.0, 45.0, 30.0, 200.0])
    matrix = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    emb = Embeddings(words, matrix)

    def shifted(i, j):
        return (1 + np.cos(angles[i] - angles[j])) / 2

    expected = {
        w: shifted(k, 1) * shifted(k, 2) / (shifted(k, 0) + 1e-6)
        for k, w in enumerate(words)
        if w in ("x", "y")
    }
    result = dict(emb.most_similar_cosmul(positive=["b", "c"], negative=["a"]))
    assert set(result) == {"x", "y"}
    for word, value in expected.items():
        assert result[word] == pytest.approx(value, rel=1e-5)


def test_analogy_is_most_similar_b_plus_c_minus_a(pair):
    emb, kv = pair
    _assert_same(
        emb.analogy("w1", "w5", "w9"),
        kv.most_similar(positive=["w5", "w9"], negative=["w1"], topn=5),
    )


def test_analogy_solves_a_planted_parallelogram():
    rng = np.random.default_rng(3)
    base = {w: rng.standard_normal(20) for w in ["man", "woman", "apple", "car", "tree", "sky"]}
    royal = rng.standard_normal(20)
    base["king"] = base["man"] + royal
    base["queen"] = base["woman"] + royal
    emb = Embeddings(list(base), np.array(list(base.values()), dtype=np.float32))
    assert emb.analogy("man", "king", "woman")[0][0] == "queen"


def test_similarity_and_doesnt_match_equal_gensim(pair):
    emb, kv = pair
    for a, b in [("w1", "w2"), ("w7", "w7"), ("w0", "w299")]:
        assert emb.similarity(a, b) == pytest.approx(float(kv.similarity(a, b)), abs=1e-6)
    group = ["w1", "w2", "w3", "w4", "w50"]
    assert emb.doesnt_match(group) == kv.doesnt_match(group)


def test_similarity_by_hand():
    emb = Embeddings(["a", "b"], np.array([[3.0, 4.0], [4.0, 3.0]]))
    assert emb.similarity("a", "b") == pytest.approx(24 / 25)


def test_unknown_words_are_all_listed(pair):
    emb, _ = pair
    with pytest.raises(UnknownWordError) as info:
        emb.most_similar(positive=["w1", "nope", "w2"], negative=["gone", "nope"])
    assert info.value.words == ["nope", "gone"]
    assert "'nope'" in str(info.value) and "'gone'" in str(info.value)
    with pytest.raises(UnknownWordError, match="'x', 'y'"):
        emb.analogy("x", "w1", "y")
    with pytest.raises(UnknownWordError):
        emb["zzz"]
    with pytest.raises(UnknownWordError, match="'a'"):
        emb.similarity("a", "w1")
    with pytest.raises(UnknownWordError, match="'q'"):
        emb.doesnt_match(["w1", "q"])


def test_container_protocol(pair):
    emb, _ = pair
    assert len(emb) == V and "w10" in emb and "w10x" not in emb
    assert emb.index["w10"] == 10 and emb.words[10] == "w10" and list(emb)[:2] == ["w0", "w1"]
    np.testing.assert_array_equal(emb["w10"], emb.vectors[10])
    np.testing.assert_array_equal(emb[["w2", "w1"]], emb.vectors[[2, 1]])
    with pytest.raises(ValueError):
        emb["w10"][0] = 1.0  # read-only view: the cached norms stay true


def test_unit_rows_have_length_one_and_zero_rows_stay_zero():
    matrix = np.array([[3.0, 4.0], [0.0, 0.0], [-1.0, 0.0]], dtype=np.float32)
    emb = Embeddings(["a", "b", "c"], matrix)
    np.testing.assert_allclose(emb.unit, [[0.6, 0.8], [0.0, 0.0], [-1.0, 0.0]], atol=1e-7)
    assert emb.unit.dtype == np.float32
    # a zero row scores 0 against anything instead of NaN
    assert dict(emb.most_similar("a"))["b"] == 0.0


def test_matrices_are_float32_and_counts_int64():
    emb = Embeddings(["a", "b"], [[1, 2], [3, 4]], counts=[5, 2])
    assert emb.vectors.dtype == np.float32 and emb.dim == 2
    assert emb.counts.dtype == np.int64 and emb.counts.tolist() == [5, 2]


def test_combine_modes():
    W = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    C = np.array([[10.0, 20.0], [30.0, 40.0]], dtype=np.float32)
    emb = Embeddings(["a", "b"], W, context=C, meta={"method": "m"})
    assert emb.combine == "input"
    np.testing.assert_array_equal(emb.vectors, W)
    np.testing.assert_array_equal(emb.combined("sum").vectors, W + C)
    np.testing.assert_array_equal(emb.combined("mean").vectors, (W + C) / 2)
    concat = emb.combined("concat")
    np.testing.assert_array_equal(concat.vectors, [[1, 2, 10, 20], [3, 4, 30, 40]])
    assert concat.dim == 4 and concat.input_vectors.shape == (2, 2)
    np.testing.assert_array_equal(concat.context_vectors, C)
    assert concat.meta == {"method": "m"} and concat.words == ["a", "b"]
    np.testing.assert_array_equal(concat["b"], [3, 4, 30, 40])
    direct = Embeddings(["a", "b"], W, context=C, combine="sum")
    np.testing.assert_array_equal(direct.vectors, W + C)


def test_combine_without_context_is_a_clear_error():
    emb = Embeddings(["a"], np.ones((1, 2)))
    with pytest.raises(EmbedlabError, match="combine='sum' needs context"):
        emb.combined("sum")
    with pytest.raises(EmbedlabError, match="combine must be one of"):
        Embeddings(["a"], np.ones((1, 2)), context=np.ones((1, 2)), combine="max")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"words": ["a", "b"], "vectors": np.ones((3, 2))}, "3 rows but there are 2 words"),
        ({"words": ["a", "a"], "vectors": np.ones((2, 2))}, "'a' appears twice"),
        ({"words": ["a"], "vectors": np.ones(2)}, "2-D matrix"),
        ({"words": ["a"], "vectors": np.ones((1, 0))}, "no columns"),
        ({"words": [1], "vectors": np.ones((1, 2))}, "must be strings"),
        ({"words": "ab", "vectors": np.ones((2, 2))}, "not one string"),
        (
            {"words": ["a"], "vectors": np.ones((1, 2)), "context": np.ones((1, 3))},
            "same shape",
        ),
        ({"words": ["a"], "vectors": np.ones((1, 2)), "counts": [1, 2]}, "one count per word"),
        ({"words": ["a"], "vectors": np.ones((1, 2)), "counts": [-1]}, "non-negative"),
        ({"words": ["a"], "vectors": np.array([["x", "y"]])}, "real numbers"),
    ],
)
def test_bad_construction_is_a_user_error(kwargs, message):
    words, vectors = kwargs.pop("words"), kwargs.pop("vectors")
    with pytest.raises(EmbedlabError, match=message):
        Embeddings(words, vectors, **kwargs)


def test_bad_query_arguments(pair):
    emb, _ = pair
    with pytest.raises(EmbedlabError, match="at least one"):
        emb.most_similar()
    with pytest.raises(EmbedlabError, match="at least one positive"):
        emb.most_similar_cosmul(negative=["w1"])
    with pytest.raises(EmbedlabError, match="restrict_vocab must be at least 1"):
        emb.most_similar("w1", restrict_vocab=0)
    with pytest.raises(EmbedlabError, match="shape"):
        emb.most_similar(positive=[np.ones(DIM + 1)])
    with pytest.raises(EmbedlabError, match="topn must be an integer"):
        emb.most_similar("w1", topn=2.5)


def test_empty_embeddings_are_allowed():
    emb = Embeddings([], np.zeros((0, 3)))
    assert len(emb) == 0 and emb.dim == 3 and "a" not in emb
