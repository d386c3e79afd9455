"""The query layer: neighbours, analogies, descriptions, completions, formulas, loading, caches.

Expected answers come from the protocol's own queries (``most_similar``, which gensim checks
elsewhere) or from NumPy written out here; the cache tests count how often a cache is built
while threads ask for it at the same moment.
"""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import scipy.sparse as sp

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.query import (
    Completions,
    Model,
    analogy,
    describe,
    direction,
    neighbours,
    open_vectors,
    parse_formula,
    source_names,
)
from embedlab.query.memo import Memo
from embedlab.query.neighbours import nearest_rows, word_vectors
from embedlab.vectors import Embeddings, embeddings
from embedlab.vectors.base import Vectors
from embedlab.vectors.sparse import SparseEmbeddings

WORDS = ["the", "man", "woman", "king", "queen", "apple", "car", "tree", "sky", "river"]
WORDS += [f"w{i}" for i in range(30)]


def _matrix(dim=16, seed=3):
    rng = np.random.default_rng(seed)
    base = {w: rng.standard_normal(dim) for w in WORDS}
    royal = 2 * rng.standard_normal(dim)
    base["king"] = base["man"] + royal
    base["queen"] = base["woman"] + royal
    return np.array([base[w] for w in WORDS], dtype=np.float32)


@pytest.fixture(scope="module")
def emb():
    return Embeddings(WORDS, _matrix(), counts=np.arange(len(WORDS), 0, -1) * 10)


class Composing(Embeddings):
    """A stand-in for a subword kind: an unseen word ending in ``ly`` is composed from the
    word before it (``kingly`` -> twice ``king``'s vector), so ``emb[word]`` answers while
    ``word in emb`` is False."""

    def __getitem__(self, word):
        if isinstance(word, str) and word not in self.index and word.endswith("ly"):
            stem = word[:-2]
            if stem in self.index:
                return 2 * super().__getitem__(stem)
        return super().__getitem__(word)


def _cosines(matrix, query):
    matrix = np.asarray(matrix, dtype=np.float64)
    query = np.asarray(query, dtype=np.float64)
    return matrix @ query / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(query))


# ---- neighbours and analogies ---------------------------------------------------------------


def _assert_ranking(results, expected):
    """``results`` ({word, similarity} dicts) rank the words of ``expected`` ((word, score)
    pairs) in the same order with the same scores."""
    assert [r["word"] for r in results] == [w for w, _ in expected]
    assert [r["similarity"] for r in results] == pytest.approx([s for _, s in expected], abs=1e-5)


def test_neighbours_are_most_similar(emb):
    answer = neighbours(emb, ["king", "woman"], ["man"], topn=4)
    assert answer["query"] == {"positive": ["king", "woman"], "negative": ["man"]}
    assert answer["composed"] == []
    expected = emb.most_similar(positive=["king", "woman"], negative=["man"], topn=4)
    _assert_ranking(answer["results"], expected)


def test_restricted_neighbours(emb):
    answer = neighbours(emb, "apple", topn=3, restrict_vocab=8)
    assert [r["word"] for r in answer["results"]] == [
        w for w, _ in emb.most_similar("apple", topn=3, restrict_vocab=8)
    ]
    assert all(WORDS.index(r["word"]) < 8 for r in answer["results"])


@pytest.mark.parametrize(
    ("method", "query"), [("3CosAdd", "most_similar"), ("3CosMul", "most_similar_cosmul")]
)
def test_analogy_methods_are_the_protocols_queries(emb, method, query):
    answer = analogy(emb, "man", "king", "woman", topn=3, method=method)
    assert answer["query"] == {"a": "man", "b": "king", "c": "woman", "method": method}
    expected = getattr(emb, query)(positive=["king", "woman"], negative=["man"], topn=3)
    _assert_ranking(answer["results"], expected)
    assert answer["results"][0]["word"] == "queen"


def test_unknown_words_are_named_together_in_order(emb):
    with pytest.raises(UnknownWordError) as caught:
        analogy(emb, "zzz", "king", "yyy")
    assert caught.value.words == ["zzz", "yyy"]
    with pytest.raises(UnknownWordError, match="'nope'"):
        neighbours(emb, ["king", "nope"])
    with pytest.raises(EmbedlabError, match="method"):
        analogy(emb, "man", "king", "woman", method="3CosSub")


def test_a_composed_word_is_queried_by_its_vector_and_marked():
    emb = Composing(WORDS, _matrix())
    assert "kingly" not in emb
    answer = neighbours(emb, "kingly", topn=5)
    assert answer["composed"] == ["kingly"]
    # kingly is king's direction, but not a vocabulary word: king itself is not left out
    cosines = _cosines(_matrix(), _matrix()[WORDS.index("king")])
    best = np.argsort(-cosines, kind="stable")[:5]
    assert [r["word"] for r in answer["results"]] == [WORDS[i] for i in best]
    assert [r["similarity"] for r in answer["results"]] == pytest.approx(cosines[best], abs=1e-5)
    solved = analogy(emb, "man", "kingly", "woman", topn=1)
    assert solved["composed"] == ["kingly"] and solved["results"][0]["word"] == "queen"
    with pytest.raises(UnknownWordError, match="'sly'"):
        neighbours(emb, "sly")  # nothing to compose it from


def test_sparse_rows_answer_as_their_dense_copy():
    matrix = np.abs(_matrix()) * (np.random.default_rng(1).random(_matrix().shape) < 0.4)
    sparse, dense = SparseEmbeddings(WORDS, sp.csr_matrix(matrix)), Embeddings(WORDS, matrix)
    ours, theirs = neighbours(sparse, "apple", topn=6), neighbours(dense, "apple", topn=6)
    assert [r["word"] for r in ours["results"]] == [r["word"] for r in theirs["results"]]
    rows, cosines = nearest_rows(sparse, [5, 6], 4)
    dense_rows, dense_cosines = nearest_rows(dense, [5, 6], 4)
    assert np.array_equal(rows, dense_rows)
    np.testing.assert_allclose(cosines, dense_cosines, atol=1e-5)


def test_nearest_rows_is_a_batch_of_most_similar(emb):
    rows, cosines = nearest_rows(emb, [1, 3, 7], 5)
    for row, found, scores in zip([1, 3, 7], rows, cosines, strict=True):
        expected = emb.most_similar(WORDS[row], topn=5)
        assert [WORDS[i] for i in found] == [w for w, _ in expected]
        np.testing.assert_allclose(scores, [s for _, s in expected], atol=1e-5)
    # among chosen columns, with a position left out
    columns = np.array([0, 2, 4, 6, 8, 10])
    found, scores = nearest_rows(emb, [2], 2, columns=columns, exclude=np.array([1]))
    cos = _cosines(_matrix()[columns], _matrix()[2])
    cos[1] = -np.inf
    assert list(found[0]) == list(np.argsort(-cos)[:2])


def test_word_vectors_include_composed_words():
    emb = Composing(WORDS, _matrix())
    rows = word_vectors(emb, ["man", "kingly"])
    king = _matrix()[WORDS.index("king")]
    np.testing.assert_allclose(rows[0], _matrix()[WORDS.index("man")])
    np.testing.assert_allclose(rows[1], king / np.linalg.norm(king), rtol=1e-6)


# ---- descriptions ---------------------------------------------------------------------------


def test_describe_reads_only_the_protocol():
    W = _matrix()
    C = np.random.default_rng(2).standard_normal(W.shape).astype(np.float32)
    history = [
        {"epoch": 1, "loss": 3.0, "words_per_sec": 10.0, "seconds": 2.0},
        {"epoch": 2, "loss": 2.0, "words_per_sec": 30.0, "seconds": 1.0},
    ]
    emb = Embeddings(
        WORDS,
        W,
        context=C,
        combine="concat",
        counts=np.arange(40, 0, -1),
        meta={"method": "skipgram", "history": history},
    )
    facts = describe(emb, path="m.emb", format="native", top=2)
    assert (facts["dim"], facts["vectors_dim"]) == (W.shape[1], 2 * W.shape[1])
    assert facts["top_words"] == [{"word": "the", "count": 40}, {"word": "man", "count": 39}]
    assert facts["corpus_tokens"] == sum(range(1, 41))
    assert facts["training"] == {
        "epochs": 2,
        "first_loss": 3.0,
        "final_loss": 2.0,
        "seconds": 3.0,
        "words_per_sec": 20.0,
    }
    sparse = describe(SparseEmbeddings(WORDS, sp.csr_matrix(np.eye(len(WORDS)))), top=0)
    assert sparse["sparse"] and sparse["dim"] == len(WORDS) and sparse["training"] is None


# ---- completions and formulas ---------------------------------------------------------------


def test_completions_by_prefix_any_case_most_frequent_first():
    words = ["the", "Theory", "then", "apple", "THEM", "thé", "other", "th"]
    complete = Completions(words)
    expected = [w for w in words if w.casefold().startswith("th")]
    assert complete("th", 10) == expected
    assert complete("TH", 2) == expected[:2]
    assert complete("thé", 5) == ["thé"]
    assert complete("zz", 5) == []


def test_formulas_parse_and_point_where_numpy_says(emb):
    assert parse_formula("king - man + woman") == [("king", 1.0), ("man", -1.0), ("woman", 1.0)]
    assert parse_formula("- sky") == [("sky", -1.0)]
    assert parse_formula("well-known") == [("well-known", 1.0)]
    unit = {
        w: v / np.linalg.norm(v) for w, v in zip(WORDS, _matrix().astype(np.float64), strict=True)
    }
    expected = unit["man"] - unit["woman"]
    expected /= np.linalg.norm(expected)
    np.testing.assert_allclose(direction(emb, parse_formula("man - woman")), expected, rtol=1e-5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("man woman", "two words in a row"),
        ("man - - woman", "two operators"),
        ("man -", "ends with an operator"),
        (" + ".join(["man"] * 21), "at most 20"),
    ],
)
def test_bad_formulas_are_one_line(text, fragment):
    with pytest.raises(EmbedlabError, match=fragment):
        parse_formula(text)


def test_a_formula_that_cancels_out_is_refused(emb):
    with pytest.raises(EmbedlabError, match="zero vector"):
        direction(emb, parse_formula("man - man"))
    with pytest.raises(UnknownWordError, match="'mann'"):
        direction(emb, parse_formula("mann - woman"))


# ---- loading and names ----------------------------------------------------------------------


def test_a_native_file_is_memory_mapped_and_text_is_read(tmp_path, emb):
    emb.save(tmp_path / "m.emb")
    emb.save(tmp_path / "m.txt")
    native = open_vectors(tmp_path / "m.emb")
    assert isinstance(native.vectors.base, np.memmap)
    text = open_vectors(tmp_path / "m.txt")
    assert not isinstance(text.vectors.base, np.memmap)
    assert open_vectors(emb) is emb
    model = Model.open(tmp_path / "m.emb")
    assert (model.name, model.format, model.path) == ("m.emb", "native", str(tmp_path / "m.emb"))
    assert model.completions("kin", 3) == ["king"]


def test_source_names_tell_files_apart(tmp_path, emb):
    assert source_names(["a/v.txt", "b/v.txt", "c.emb"]) == ["a/v.txt", "b/v.txt", "c.emb"]
    assert source_names(["x.txt", "y.txt"], names=["s", "s"]) == ["s", "s (2)"]
    assert source_names([emb, emb]) == ["embeddings 1", "embeddings 2"]
    with pytest.raises(EmbedlabError, match="2 names for 1 sources"):
        source_names(["x.txt"], names=["a", "b"])


# ---- caches built once ----------------------------------------------------------------------


def _together(count, work):
    """Run ``work()`` on ``count`` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        results[i] = work()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_vectors_and_unit_rows_are_built_once_under_concurrent_first_use(monkeypatch):
    calls = []
    real = embeddings._combine

    def slow_combine(*args):
        calls.append(1)
        time.sleep(0.05)  # wide enough a window for every thread to arrive
        return real(*args)

    monkeypatch.setattr(embeddings, "_combine", slow_combine)
    emb = Embeddings(WORDS, _matrix())
    units = _together(8, lambda: emb.unit)
    assert len(calls) == 1
    assert all(u is units[0] for u in units)
    np.testing.assert_allclose(
        units[0], _matrix() / np.linalg.norm(_matrix(), axis=1)[:, None], rtol=1e-6
    )


class SlowWords(Vectors):
    """Only what ``index`` reads: a vocabulary that takes a while to hand over."""

    reads = 0

    @property
    def words(self):
        type(self).reads += 1
        time.sleep(0.05)
        return WORDS

    dim = has_context = norms = None
    _dense_rows = _unit_rows = _row_form = _dots = weighted_rows = _with_combine = save = None


def test_the_word_index_is_built_once_under_concurrent_first_use():
    vectors = SlowWords()
    indexes = _together(8, lambda: vectors.index)
    assert SlowWords.reads == 1
    assert all(i is indexes[0] for i in indexes) and indexes[0]["king"] == WORDS.index("king")


def test_memo_builds_each_key_once_and_keeps_no_failure():
    memo, calls = Memo(size=2), []

    def build():
        calls.append(1)
        time.sleep(0.05)
        return object()

    values = _together(6, lambda: memo.get("k", build))
    assert len(calls) == 1 and all(v is values[0] for v in values)

    def fail():
        raise EmbedlabError("no")

    with pytest.raises(EmbedlabError):
        memo.get("bad", fail)
    assert memo.get("bad", lambda: 5) == 5
    memo.get("third", lambda: 1)
    assert memo.get("k", lambda: "rebuilt") == "rebuilt"  # the oldest went beyond size 2
