"""Two models side by side: overlaps, Procrustes alignment and benchmark disagreements.

The second model is built from the first (rotated, shuffled, with words of its own, with noise),
so the right answers follow from the construction; the brute-force answers are NumPy over the
full cosine matrix of the shared words, and the rotation is checked against SciPy's
``orthogonal_procrustes``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import orthogonal_procrustes

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.evaluation.datasets import load_dataset
from embedlab.query import Comparison, compare
from embedlab.vectors import Embeddings

N, DIM = 120, 12
WORDS = [f"w{i}" for i in range(N)]


def _rotation(dim, seed):
    return np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, dim)))[0]


@pytest.fixture(scope="module")
def first():
    rng = np.random.default_rng(7)
    return Embeddings(WORDS + ["only_first"], rng.standard_normal((N + 1, DIM)).astype(np.float32))


def _second(first, noise=0.0, seed=8, dim=DIM):
    """The first model's shared words rotated (and projected to ``dim``), shuffled, plus a
    word of its own; ``noise`` moves every vector."""
    rng = np.random.default_rng(seed)
    W = np.asarray(first[WORDS], dtype=np.float64)
    W = W + noise * rng.standard_normal(W.shape)
    turned = (
        W @ _rotation(DIM, seed)[:, :dim]
        if dim <= DIM
        else np.hstack([W @ _rotation(DIM, seed), rng.standard_normal((N, dim - DIM)) * 1e-3])
    )
    order = rng.permutation(N)
    words = [WORDS[i] for i in order] + ["only_second"]
    matrix = np.vstack([turned[order], rng.standard_normal((1, dim))])
    return Embeddings(words, matrix.astype(np.float32))


def _brute_neighbours(matrix, k):
    """Each row's k nearest other rows by cosine (sets), from the full cosine matrix."""
    unit = matrix / np.linalg.norm(matrix, axis=1)[:, None]
    cos = unit @ unit.T
    np.fill_diagonal(cos, -np.inf)
    return [set(np.argsort(-row, kind="stable")[:k]) for row in cos]


def test_the_shared_vocabulary_is_in_the_first_models_order(first):
    comparison = Comparison(first, _second(first))
    words, rows1, rows2 = comparison.shared
    assert words == WORDS
    assert [first.words[i] for i in rows1] == WORDS
    assert [comparison.second.words[i] for i in rows2] == WORDS


def test_a_rotated_copy_has_the_same_neighbourhoods_and_is_aligned_back(first):
    second = _second(first)
    comparison = Comparison(first, second)
    unit = lambda m: m / np.linalg.norm(m, axis=1)[:, None]  # noqa: E731
    expected, _ = orthogonal_procrustes(
        unit(second[WORDS].astype(np.float64)), unit(first[WORDS].astype(np.float64))
    )
    np.testing.assert_allclose(comparison.rotation, expected, atol=1e-5)
    np.testing.assert_allclose(comparison.rotation, _rotation(DIM, 8).T, atol=1e-4)
    answer = comparison.word("w3", k=6)
    assert answer["jaccard"] == 1.0 and answer["shared_neighbours"] == 6
    assert answer["aligned_cosine"] == pytest.approx(1.0, abs=1e-5)
    assert [r["word"] for r in answer["lists"][0]] == [r["word"] for r in answer["lists"][1]]
    survey = comparison.survey(k=5, n=50)
    assert survey["mean_jaccard"] == 1.0 and survey["histogram"][-1]["words"] == 50
    first_rows, second_rows = comparison.aligned_rows(["w1", "w2"])
    np.testing.assert_allclose(first_rows, second_rows, atol=1e-5)


def test_overlaps_match_brute_force_on_a_noisy_copy(first):
    second = _second(first, noise=0.8)
    comparison = Comparison(first, second)
    k, n = 7, 60
    ours = _brute_neighbours(np.asarray(first[WORDS], dtype=np.float64), k)
    theirs = _brute_neighbours(np.asarray(second[WORDS], dtype=np.float64), k)
    common = np.array([len(ours[i] & theirs[i]) for i in range(n)])
    survey = comparison.survey(k=k, n=n, limit=n)
    assert survey["candidates"] == N
    assert [b["words"] for b in survey["histogram"]] == [
        int((common == s).sum()) for s in range(k + 1)
    ]
    assert survey["mean_jaccard"] == pytest.approx(np.mean(common / (2 * k - common)))
    differing = survey["differing"]
    assert [d["shared_neighbours"] for d in differing] == sorted(common.tolist())
    for d in differing:  # each word's count and Jaccard is its own, not just the same multiset
        i = WORDS.index(d["word"])
        assert d["shared_neighbours"] == common[i]
        assert d["jaccard"] == pytest.approx(common[i] / (2 * k - common[i]))
    word = WORDS[int(np.argmin(common))]
    answer = comparison.word(word, k=k)
    lists = [{WORDS.index(r["word"]) for r in side} for side in answer["lists"]]
    assert lists == [ours[WORDS.index(word)], theirs[WORDS.index(word)]]
    assert answer["jaccard"] == pytest.approx(len(lists[0] & lists[1]) / len(lists[0] | lists[1]))


def test_a_model_of_another_width_is_aligned_by_a_partial_isometry(first):
    comparison = Comparison(first, _second(first, dim=DIM + 4))
    R = comparison.rotation
    assert R.shape == (DIM + 4, DIM)
    np.testing.assert_allclose(R.T @ R, np.eye(DIM), atol=1e-5)
    assert comparison.word("w5", k=4)["aligned_cosine"] == pytest.approx(1.0, abs=1e-3)


def test_too_wide_models_are_compared_without_alignment(first, monkeypatch):
    monkeypatch.setattr(compare, "ALIGN_CELLS", DIM * DIM - 1)
    comparison = Comparison(first, _second(first))
    assert comparison.rotation is None and not comparison.aligned
    assert comparison.word("w1", k=3)["aligned_cosine"] is None
    survey = comparison.survey(k=3, n=10)
    assert survey["aligned"] is False
    assert all(d["aligned_cosine"] is None for d in survey["differing"])
    with pytest.raises(EmbedlabError, match="too wide to align"):
        comparison.aligned_rows(["w1"])


def test_words_only_one_model_knows(first):
    comparison = Comparison(first, _second(first))
    with pytest.raises(UnknownWordError, match="only_first"):
        comparison.word("only_first", k=3)
    with pytest.raises(EmbedlabError, match="at most"):
        comparison.word("w1", k=N)


def test_models_without_shared_words_are_refused(first):
    other = Embeddings(["x", "y", "z"], np.eye(3, dtype=np.float32))
    with pytest.raises(EmbedlabError, match="share 0 words"):
        Comparison(first, other).survey()


def _average_ranks(values):
    """Ranks 1..n, tied values sharing the mean of their ranks."""
    values = np.asarray(values, dtype=np.float64)
    unique, inverse = np.unique(values, return_inverse=True)
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    means = np.array([ranks[inverse == u].mean() for u in range(len(unique))])
    return means[inverse]


def test_disagreements_with_the_human_scores():
    """On WS353 pairs with fresh words, model A's cosine rises with the human score and model
    B's falls; the rest of the pairs get whatever cosines the construction leaves them."""
    data = load_dataset("ws353")
    words = sorted({w for a, b, _ in data.pairs for w in (a, b)})
    dim = 2 * len(data.pairs) + 1
    A, B = np.zeros((len(words), dim)), np.zeros((len(words), dim))
    used: set[str] = set()
    built = []
    for i, (a, b, human) in enumerate(data.pairs):
        if a in used or b in used or a == b:
            continue
        used |= {a, b}
        built.append((a, b))
        up = np.clip((human - 5) / 5.5, -0.95, 0.95)
        for M, c in ((A, up), (B, -up)):
            M[words.index(a), 2 * i] = 1.0
            M[words.index(b), 2 * i] = c
            M[words.index(b), 2 * i + 1] = np.sqrt(1 - c * c)
    for M in (A, B):
        M[np.linalg.norm(M, axis=1) == 0, -1] = 1.0
    comparison = Comparison(Embeddings(words, A), Embeddings(words, B))
    result = comparison.disagreements("ws353", limit=8)
    assert (result["pairs"], result["total"]) == (len(data.pairs), len(data.pairs))

    unit = lambda M: M / np.linalg.norm(M, axis=1)[:, None]  # noqa: E731
    rows = [(words.index(a), words.index(b)) for a, b, _ in data.pairs]
    human = np.array([s for _, _, s in data.pairs])
    cosines = [np.array([unit(M)[i] @ unit(M)[j] for i, j in rows]) for M in (A, B)]
    scaled = [_average_ranks(c) / len(rows) for c in (human, *cosines)]
    errors = [np.abs(scaled[m] - scaled[0]) for m in (1, 2)]
    gap = errors[0] - errors[1]
    top = np.argsort(-np.abs(gap), kind="stable")[:8]
    assert [(d["a"], d["b"]) for d in result["disagreements"]] == [data.pairs[i][:2] for i in top]
    assert [d["closer"] for d in result["disagreements"]] == [
        None if gap[i] == 0 else int(gap[i] > 0) for i in top
    ]
    for d, i in zip(result["disagreements"], top, strict=True):
        assert d["cosines"] == pytest.approx([cosines[0][i], cosines[1][i]], abs=1e-6)
        assert d["human_rank"] == pytest.approx(scaled[0][i])
    assert result["spearman"][0] > 0.5 and result["spearman"][1] < -0.5
    assert any((d["a"], d["b"]) in built for d in result["disagreements"])
    with pytest.raises(EmbedlabError, match="dataset"):
        comparison.disagreements("../../etc/passwd")
