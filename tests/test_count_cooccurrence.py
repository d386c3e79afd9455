"""Co-occurrence counting: hand-checked tiny cases, brute-force agreement, chunking exactness."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.checks import parse_memory
from embedlab.corpus.encoded import EncodedCorpus
from embedlab.corpus.vocabulary import Vocabulary
from embedlab.errors import EmbedlabError
from embedlab.methods.count.cooccurrence import cooccurrence_matrix, distance_weights


def encoded(sentences, n_words):
    tokens = np.array([t for s in sentences for t in s], dtype=np.int32)
    starts = np.cumsum([0] + [len(s) for s in sentences]).astype(np.int64)
    counts = np.maximum(np.bincount(tokens, minlength=n_words), 1)
    vocab = Vocabulary([f"w{i}" for i in range(n_words)], counts)
    return EncodedCorpus(vocab, tokens, starts, int(tokens.size))


# "a b c a" and "b a", a=0 b=1 c=2. Right-context pairs (centre, context, distance):
# (a,b,1) (a,c,2) (a,a,3) (b,c,1) (b,a,2) (c,a,1) and, in the second sentence, (b,a,1).
TINY = encoded([[0, 1, 2, 0], [1, 0]], 3)
RIGHT_BY_HAND = {
    "none": [[1, 1, 1], [2, 0, 1], [1, 0, 0]],
    "harmonic": [[1 / 3, 1, 1 / 2], [1 / 2 + 1, 0, 1], [1, 0, 0]],
    # weight (window - d + 1) / window with window 3: d=1 -> 1, d=2 -> 2/3, d=3 -> 1/3
    "dynamic": [[1 / 3, 1, 2 / 3], [2 / 3 + 1, 0, 1], [1, 0, 0]],
}


@pytest.mark.parametrize("weighting", ["none", "harmonic", "dynamic"])
def test_tiny_counts_by_hand_for_every_context(weighting):
    right = np.array(RIGHT_BY_HAND[weighting])
    expected = {"right": right, "left": right.T, "symmetric": right + right.T}
    for context, matrix in expected.items():
        got = cooccurrence_matrix(TINY, window=3, context=context, weighting=weighting)
        np.testing.assert_allclose(got.toarray(), matrix, rtol=1e-15, err_msg=context)


def test_window_stops_at_sentence_ends_and_at_window():
    got = cooccurrence_matrix(TINY, window=1, context="right").toarray()
    # only adjacent pairs: a-b, b-c, c-a in the first sentence, b-a in the second
    np.testing.assert_array_equal(got, [[0, 1, 0], [1, 0, 1], [1, 0, 0]])


def brute_force(sentences, n_words, window, weight):
    dense = np.zeros((n_words, n_words))
    for s in sentences:
        for i, w in enumerate(s):
            for j, c in enumerate(s):
                if i != j and abs(i - j) <= window:
                    dense[w, c] += weight(abs(i - j))
    return dense


def random_sentences(seed, n_sentences=150, n_words=40):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 30, n_sentences)
    return [list(rng.zipf(1.5, n) % n_words) for n in lengths], n_words


def test_matches_brute_force_on_random_text():
    sentences, n_words = random_sentences(3)
    corpus = encoded(sentences, n_words)
    got = cooccurrence_matrix(corpus, window=4, weighting="harmonic")
    np.testing.assert_allclose(got.toarray(), brute_force(sentences, n_words, 4, lambda d: 1 / d))
    assert got.has_canonical_format and got.indices.dtype == np.int32
    assert np.all(got.data > 0)


@pytest.mark.parametrize("weighting", ["none", "harmonic", "dynamic"])
def test_chunked_and_threaded_counting_equals_one_shot_exactly(weighting):
    sentences, n_words = random_sentences(7, n_sentences=400)
    corpus = encoded(sentences, n_words)
    settings = dict(window=5, weighting=weighting, sample=0.01, seed=5, block_tokens=100)
    one_shot = cooccurrence_matrix(corpus, **settings)
    chunked = cooccurrence_matrix(corpus, **settings, max_pairs=500, threads=3)
    assert chunked.nnz == one_shot.nnz
    np.testing.assert_array_equal(chunked.indptr, one_shot.indptr)
    np.testing.assert_array_equal(chunked.indices, one_shot.indices)
    np.testing.assert_array_equal(chunked.data, one_shot.data)


def test_subsampling_drops_frequent_words_reproducibly():
    sentences, n_words = random_sentences(11, n_sentences=300)
    corpus = encoded(sentences, n_words)
    full = cooccurrence_matrix(corpus, window=2)
    first = cooccurrence_matrix(corpus, window=2, sample=1e-3, seed=1)
    again = cooccurrence_matrix(corpus, window=2, sample=1e-3, seed=1)
    other = cooccurrence_matrix(corpus, window=2, sample=1e-3, seed=2)
    assert first.sum() < 0.8 * full.sum()
    assert (first != again).nnz == 0
    assert (first != other).nnz > 0
    top = int(np.argmax(corpus.vocab.counts))  # the most frequent word loses most of its rows
    assert first[top].sum() / first.sum() < full[top].sum() / full.sum()


def test_distance_weights_share_one_denominator():
    weights, scale = distance_weights(4, "harmonic")
    np.testing.assert_allclose(weights[1:] / scale, [1, 1 / 2, 1 / 3, 1 / 4])
    weights, scale = distance_weights(4, "dynamic")
    np.testing.assert_allclose(weights[1:] / scale, [1, 3 / 4, 2 / 4, 1 / 4])


def test_memory_sizes_parse():
    assert parse_memory("4G") == 4 * 1024**3
    assert parse_memory("512M") == 512 * 1024**2
    assert parse_memory("1.5GiB") == int(1.5 * 1024**3)
    assert parse_memory(2**30) == 2**30
    for bad in ("lots", "4X", "-1G", "100M", True):
        with pytest.raises(EmbedlabError):
            parse_memory(bad)


@pytest.mark.parametrize(
    "bad",
    [
        dict(window=0),
        dict(window=2.5),
        dict(context="both"),
        dict(weighting="gaussian"),
        dict(weighting="harmonic", window=30),
        dict(sample=-1.0),
        dict(threads=0),
        dict(memory="2 bananas"),
    ],
)
def test_bad_parameters_raise(bad):
    with pytest.raises(EmbedlabError):
        cooccurrence_matrix(TINY, **bad)


def test_empty_corpus_gives_empty_matrix():
    corpus = encoded([[], []], 2)
    assert cooccurrence_matrix(corpus).nnz == 0
