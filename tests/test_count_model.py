"""The "ppmi" and "ppmi-svd" estimators through the front door."""

from __future__ import annotations

import numpy as np
import pytest

import embedlab
from embedlab.corpus import as_corpus
from embedlab.errors import EmbedlabError
from embedlab.methods import METHODS, method_class
from embedlab.methods.count.association import ppmi
from embedlab.methods.count.cooccurrence import cooccurrence_matrix
from embedlab.methods.count.model import PPMI, PPMISVD
from embedlab.vectors.sparse import SparseEmbeddings

ANIMALS = ["cat", "dog", "horse", "cow", "sheep"]
VEHICLES = ["car", "bus", "truck", "train", "bike"]


def topic_sentences(n=400, seed=0):
    """Sentences that each talk about animals or about vehicles, with shared filler words."""
    rng = np.random.default_rng(seed)
    sentences = []
    for i in range(n):
        topic = ANIMALS if i % 2 else VEHICLES
        verbs = ["eats", "sleeps", "runs"] if i % 2 else ["drives", "stops", "runs"]
        words = []
        for _ in range(6):
            words += [str(rng.choice(topic)), str(rng.choice(verbs)), "the"]
        sentences.append(words)
    return sentences


@pytest.fixture(scope="module")
def corpus():
    return as_corpus(topic_sentences(), min_count=1)


def test_registered_under_their_names():
    assert method_class("ppmi") is PPMI and method_class("ppmi-svd") is PPMISVD
    assert "glove" in METHODS


def test_ppmi_rows_are_the_ppmi_matrix_and_answer_queries(corpus):
    emb = embedlab.train(corpus, method="ppmi", window=2, threads=1, quiet=True)
    assert isinstance(emb, SparseEmbeddings) and emb.words == corpus.vocab.words
    counts = cooccurrence_matrix(corpus, window=2, weighting="dynamic")
    expected = ppmi(counts, cds=0.75).toarray()
    np.testing.assert_allclose(emb.matrix.toarray(), expected, rtol=1e-6)
    cat, dog = expected[emb.index["cat"]], expected[emb.index["dog"]]
    cosine = cat @ dog / np.linalg.norm(cat) / np.linalg.norm(dog)
    assert emb.similarity("cat", "dog") == pytest.approx(cosine, rel=1e-5)
    assert emb.similarity("cat", "dog") > emb.similarity("cat", "car")
    top = [word for word, _ in emb.most_similar("cat", topn=4)]
    assert set(top) <= set(ANIMALS) and "cat" not in top
    np.testing.assert_allclose(emb["cat"], cat, rtol=1e-6)
    assert emb.meta["method"] == "ppmi" and emb.meta["params"]["window"] == 2
    assert emb.meta["history"] == []


def test_sparse_vectors_save_and_load(corpus, tmp_path):
    emb = PPMI(window=2, threads=1, quiet=True).fit(corpus)
    path = tmp_path / "ppmi.npz"
    emb.save(path)
    back = SparseEmbeddings.load(path)
    assert back.words == emb.words and back.meta == emb.meta
    assert (back.matrix != emb.matrix).nnz == 0
    np.testing.assert_array_equal(back.counts, emb.counts)
    with pytest.raises(EmbedlabError):
        emb.save(tmp_path / "ppmi.txt")
    assert not (tmp_path / "ppmi.txt").exists()


def test_svd_vectors_are_the_scaled_singular_vectors(corpus):
    dim, eig = 4, 0.5
    emb = PPMISVD(dim=dim, eig=eig, window=2, solver="arpack", threads=1, quiet=True).fit(corpus)
    counts = cooccurrence_matrix(corpus, window=2, weighting="dynamic")
    U, s, _ = np.linalg.svd(ppmi(counts).toarray())
    want = U[:, :dim] * s[:dim] ** eig
    got = np.asarray(emb.vectors)
    assert got.shape == (len(corpus.vocab), dim)
    # singular vectors are defined up to sign
    np.testing.assert_allclose(np.abs(got), np.abs(want), atol=1e-4)
    np.testing.assert_allclose(emb.meta["singular_values"], s[:dim], rtol=1e-5)
    assert emb.similarity("cat", "dog") > emb.similarity("cat", "car")


def test_combine_sum_adds_context_vectors(corpus):
    common = dict(dim=3, window=2, threads=1, quiet=True)
    words = PPMISVD(**common).fit(corpus)
    both = PPMISVD(combine="sum", **common).fit(corpus)
    np.testing.assert_allclose(
        np.asarray(both.vectors),
        np.asarray(words.vectors) + np.asarray(words.context),
        rtol=1e-6,
        atol=1e-7,
    )


def test_one_thread_same_seed_is_bit_identical(corpus):
    settings = dict(method="ppmi-svd", dim=3, sample=1e-2, threads=1, quiet=True)
    first = embedlab.train(corpus, seed=4, **settings)
    second = embedlab.train(corpus, seed=4, **settings)
    np.testing.assert_array_equal(np.asarray(first.vectors), np.asarray(second.vectors))


@pytest.mark.parametrize(
    "bad",
    [
        dict(window=0),
        dict(weighting="linear"),
        dict(context="up"),
        dict(cds=0),
        dict(shift=0.5),
        dict(sample=-0.1),
        dict(memory="4 apples"),
        dict(memory="1M"),
        dict(threads=0),
        dict(seed=-1),
        dict(quiet="no"),
        dict(dim=0),
        dict(eig=2),
        dict(combine="concat"),
        dict(solver="lapack"),
    ],
)
def test_bad_parameters_raise_at_construction(bad):
    with pytest.raises(EmbedlabError):
        PPMISVD(**bad)


def test_svd_parameters_do_not_apply_to_ppmi(corpus):
    with pytest.raises(EmbedlabError, match="dim"):
        embedlab.train(corpus, method="ppmi", dim=10)


def test_dim_larger_than_vocabulary_is_a_user_error(corpus):
    with pytest.raises(EmbedlabError):
        PPMISVD(dim=500, quiet=True).fit(corpus)


def test_sparse_most_similar_with_negatives_and_restriction(corpus):
    emb = PPMI(window=2, threads=1, quiet=True).fit(corpus)
    dense = emb.matrix.toarray().astype(float)
    unit = dense / np.linalg.norm(dense, axis=1, keepdims=True)
    query = unit[emb.index["cat"]] - unit[emb.index["car"]]
    scores = unit @ (query / np.linalg.norm(query))
    scores[[emb.index["cat"], emb.index["car"]]] = -np.inf
    best = [emb.words[i] for i in np.argsort(-scores, kind="stable")[:3]]
    got = emb.most_similar(positive="cat", negative=["car"], topn=3)
    assert [word for word, _ in got] == best
    np.testing.assert_allclose([s for _, s in got], np.sort(scores)[::-1][:3], rtol=1e-5)
    restricted = emb.most_similar("cat", topn=20, restrict_vocab=5)
    assert len(restricted) <= 5 and all(emb.index[w] < 5 for w, _ in restricted)


def test_explicit_ppmi_vectors_load_and_evaluate_like_their_dense_copy(corpus, tmp_path):
    emb = embedlab.train(corpus, method="ppmi", window=2, threads=1, quiet=True)
    path = tmp_path / "ppmi.npz"
    emb.save(path)
    back = embedlab.load(path)
    assert isinstance(back, SparseEmbeddings) and back.words == emb.words
    dense = embedlab.Embeddings(back.words, back.matrix.toarray())
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("cat dog 9\ncat car 1\ndog horse 8\nbus truck 7\ncow bike 2\n")
    analogies = tmp_path / "analogies.txt"
    analogies.write_text(": animals\ncat dog horse cow\ncar bus truck train\nsheep cow dog cat\n")
    datasets = [str(pairs), str(analogies)]
    sparse_report = embedlab.evaluate(back, datasets=datasets)
    dense_report = embedlab.evaluate(dense, datasets=datasets)
    for name in ("spearman", "pearson", "pairs", "oov"):
        assert sparse_report["similarity"][str(pairs)][name] == pytest.approx(
            dense_report["similarity"][str(pairs)][name], rel=1e-6
        )
    assert sparse_report["analogy"] == dense_report["analogy"]
    sentiment = embedlab.evaluate_sentiment(back)
    assert 0.0 <= sentiment["accuracy"] <= 1.0
    assert sentiment["coverage"] == embedlab.evaluate_sentiment(dense)["coverage"]


def test_info_and_similar_read_explicit_vectors(corpus, tmp_path, capsys):
    import json

    from embedlab.cli.app import main

    path = tmp_path / "ppmi.npz"
    embedlab.train(corpus, method="ppmi", window=2, threads=1, quiet=True).save(path)
    assert main(["info", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "sparse" and report["words"] == len(corpus.vocab.words)
    assert report["method"] == "ppmi" and not report["has_context"]
    assert main(["similar", str(path), "cat", "-n", "3", "--json"]) == 0
    found = [row["word"] for row in json.loads(capsys.readouterr().out)["results"]]
    assert set(found) <= set(ANIMALS)


def test_ppmi_svd_lists_and_forwards_the_counting_parameters(corpus):
    import inspect

    params = inspect.signature(PPMISVD).parameters
    assert {"dim", "eig", "window", "cds", "memory", "quiet"} <= set(params)
    assert params["window"].default == 5 and params["dim"].default == 300
    with pytest.raises(EmbedlabError, match="negative does not apply to method 'ppmi-svd'"):
        embedlab.train(corpus, method="ppmi-svd", negative=5)
    emb = embedlab.train(corpus, method="ppmi-svd", dim=3, window=3, cds=1.0, quiet=True)
    assert emb.meta["params"]["window"] == 3 and emb.meta["params"]["cds"] == 1.0
