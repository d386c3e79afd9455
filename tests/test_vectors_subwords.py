"""Subword vectors: every word's vector and every query, against the fastText package.

The model is trained by ``fasttext`` itself (``conftest.fasttext_model``); ``SubwordEmbeddings``
is built from its words and matrices, and every expected vector or neighbour list is what
fastText reports for the same model.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import FASTTEXT_SETTINGS
from embedlab.errors import EmbedlabError
from embedlab.pictures.maps import draw_map
from embedlab.query import analogy, neighbours
from embedlab.vectors import Embeddings
from embedlab.vectors.subwords import SubwordEmbeddings

UNSEEN = ["unkingliness", "naïveté", "Woodhousely", "日本", "q"]


@pytest.fixture(scope="module")
def emb(fasttext_subwords):
    return fasttext_subwords


def test_vocabulary_vectors_are_fasttexts_bit_for_bit(emb, fasttext_model):
    expected = np.array([fasttext_model.get_word_vector(w) for w in fasttext_model.words])
    np.testing.assert_array_equal(emb.vectors, expected)
    assert emb.buckets == FASTTEXT_SETTINGS["bucket"] and emb.dim == FASTTEXT_SETTINGS["dim"]
    assert len(emb) == len(fasttext_model.words)


def test_any_string_has_fasttexts_vector_but_is_not_in_the_vocabulary(emb, fasttext_model):
    for word in UNSEEN:
        assert word not in emb
        assert emb.has_vector(word)
        vector = emb[word]
        assert vector.dtype == np.float32 and not vector.flags.writeable
        np.testing.assert_array_equal(vector, fasttext_model.get_word_vector(word))
    together = emb[["the", *UNSEEN]]
    np.testing.assert_array_equal(together[0], fasttext_model.get_word_vector("the"))
    np.testing.assert_array_equal(together[1], fasttext_model.get_word_vector(UNSEEN[0]))


def test_a_string_without_ngrams_is_all_zeros(emb, fasttext_model):
    # "<>" has two characters: no n-gram of 3 to 6 (fastText answers zeros too)
    np.testing.assert_array_equal(emb[""], fasttext_model.get_word_vector(""))
    assert not emb[""].any()


def _fasttext_neighbours(model, word, k):
    """fastText's own nearest neighbours, less its end-of-sentence token (not a word)."""
    found = model.get_nearest_neighbors(word, k=k + 1)
    return [(w, s) for s, w in found if w != "</s>"][:k]


@pytest.mark.parametrize("word", ["unkingliness", "Woodhousely", "Emma"])
def test_most_similar_ranks_as_fasttext_does(emb, fasttext_model, word):
    expected = _fasttext_neighbours(fasttext_model, word, 8)
    got = emb.most_similar(word, topn=8)
    assert [w for w, _ in got] == [w for w, _ in expected]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in expected], atol=1e-5)


def test_analogy_composes_unseen_words_as_fasttext_does(emb, fasttext_model):
    # fastText's get_analogies(a, b, c) answers a - b + c (unit vectors), leaving out the
    # three words: embedlab's "Emma is to Emmaish as Harriet is to ?" is Emmaish - Emma + Harriet
    found = fasttext_model.get_analogies("Emmaish", "Emma", "Harriet", k=6)
    expected = [w for _, w in found if w != "</s>"][:5]
    assert [w for w, _ in emb.analogy("Emma", "Emmaish", "Harriet", topn=5)] == expected


def test_similarity_of_unseen_words(emb, fasttext_model):
    a, b = fasttext_model.get_word_vector("unkingliness"), fasttext_model.get_word_vector("king")
    expected = float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert emb.similarity("unkingliness", "king") == pytest.approx(expected, abs=1e-6)
    assert emb.similarity("king", "unkingliness") == pytest.approx(expected, abs=1e-6)


def test_the_query_layer_marks_composed_words(emb):
    answer = neighbours(emb, ["unkingliness"], topn=3)
    assert answer["composed"] == ["unkingliness"]
    assert [r["word"] for r in answer["results"]] == [
        w for w, _ in emb.most_similar("unkingliness", topn=3)
    ]
    assert analogy(emb, "Emma", "Emmaish", "Harriet")["composed"] == ["Emmaish"]


def test_a_map_places_composed_words(emb):
    _, word_map = draw_map(emb, words=["Emma", "Harriet", "unkingliness"])
    assert word_map.words == ["Emma", "Harriet", "unkingliness"]
    # the same map as the dense vectors of those three words
    dense = Embeddings(
        ["Emma", "Harriet", "unkingliness"], emb[["Emma", "Harriet", "unkingliness"]]
    )
    _, theirs = draw_map(dense, words=["Emma", "Harriet", "unkingliness"])
    np.testing.assert_allclose(word_map.coords, theirs.coords, atol=1e-6)


def test_doesnt_match_and_get_vector_compose(emb, fasttext_model):
    vector = fasttext_model.get_word_vector("unkingliness")
    np.testing.assert_allclose(
        emb.get_vector("unkingliness", norm=True), vector / np.linalg.norm(vector), rtol=1e-6
    )
    words = ["Emma", "Harriet", "unkingliness", "the"]
    unit = np.array([fasttext_model.get_word_vector(w) for w in words], dtype=np.float64)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    centre = unit.mean(axis=0)
    assert emb.doesnt_match(words) == words[int(np.argmin(unit @ centre))]


def test_combining_with_the_output_matrix_is_one_line(emb):
    assert emb.combined("input") is emb
    with pytest.raises(EmbedlabError, match="subword vectors"):
        emb.combined("sum")


@pytest.mark.parametrize(("rows", "match"), [(3, "a row per word"), (0, "rows")])
def test_bad_matrices_are_named(rows, match):
    with pytest.raises(EmbedlabError, match=match):
        SubwordEmbeddings(["a", "b", "c"], np.zeros((rows, 4)), minn=3, maxn=6)


def test_memory_mapped_ngrams_are_read_only_where_listed(tmp_path, emb):
    # A memory map stays one: the constructor neither copies nor reads it whole.
    path = tmp_path / "input.f32"
    emb.input_vectors.tofile(path)
    mapped = np.memmap(path, dtype=np.float32, mode="r", shape=emb.input_vectors.shape)
    again = SubwordEmbeddings(emb.words, mapped, minn=emb.minn, maxn=emb.maxn)
    assert isinstance(again.input_vectors, np.memmap)
    np.testing.assert_array_equal(again.vectors, emb.vectors)


def test_compare_composes_a_word_neither_model_has(emb):
    from embedlab.query import Comparison

    # the same vectors twice: an unseen word composes to the same neighbours in both
    answer = Comparison(emb, emb).word("unkingliness", k=5)
    assert answer["composed"] == [True, True]
    assert answer["jaccard"] == 1.0
    expected = [w for w, _ in emb.most_similar("unkingliness", topn=5)]
    assert [r["word"] for r in answer["lists"][0]] == expected


DENSE_QUERIES = {
    "most_similar": lambda e: e.most_similar(["Emma", "father"], ["Harriet"], topn=7),
    "most_similar restricted": lambda e: e.most_similar("house", topn=4, restrict_vocab=500),
    "most_similar_cosmul": lambda e: e.most_similar_cosmul(["Emma", "father"], ["Harriet"]),
    "analogy": lambda e: e.analogy("father", "mother", "brother", topn=6),
    "doesnt_match": lambda e: e.doesnt_match(["father", "mother", "brother", "house"]),
    "similarity": lambda e: [("", e.similarity("father", "mother"))],
    "distances": lambda e: [("", float(d)) for d in e.distances("father", ["mother", "house"])],
}


@pytest.mark.parametrize("name", DENSE_QUERIES)
def test_vocabulary_queries_equal_a_dense_copys(emb, name):
    dense = Embeddings(emb.words, emb.vectors)
    ours, theirs = DENSE_QUERIES[name](emb), DENSE_QUERIES[name](dense)
    if isinstance(theirs, str):
        assert ours == theirs
        return
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-6)
