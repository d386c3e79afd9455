"""gensim's names on every kind of vectors, answered as gensim answers them on the same vectors.

Each kind (dense ``Embeddings``, sparse PPMI rows) is built from one matrix; gensim's
``KeyedVectors`` of that matrix, made by gensim itself, gives the expected answers.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from gensim.models import KeyedVectors, Word2Vec

import embedlab
from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.vectors import Embeddings, as_vectors, load
from embedlab.vectors.sparse import SparseEmbeddings

WORDS = ["king", "queen", "man", "woman", "apple", "pear", "car", "bus", "sky", "sea"]
WORDS += [f"w{i}" for i in range(30)]
COUNTS = np.arange(len(WORDS), 0, -1) * 10


def _matrix() -> np.ndarray:
    rng = np.random.default_rng(11)
    sparse_mask = rng.random((len(WORDS), 12)) < 0.6
    return (rng.normal(size=(len(WORDS), 12)) * sparse_mask).astype(np.float32)


@pytest.fixture(scope="module")
def gensim_kv():
    """gensim's own KeyedVectors of the matrix (built by gensim, not by to_gensim)."""
    kv = KeyedVectors(12, count=0)
    kv.add_vectors(WORDS, _matrix())
    return kv


@pytest.fixture(scope="module", params=["dense", "sparse"])
def kind(request):
    matrix = _matrix()
    if request.param == "dense":
        return Embeddings(WORDS, matrix, counts=COUNTS)
    return SparseEmbeddings(WORDS, sp.csr_matrix(matrix), counts=COUNTS)


def test_the_vocabulary_names(kind, gensim_kv):
    assert kind.index_to_key == gensim_kv.index_to_key
    assert kind.key_to_index == gensim_kv.key_to_index
    assert kind.vector_size == gensim_kv.vector_size == 12
    assert kind.wv is kind  # code written for model.wv runs
    assert kind.get_index("man") == gensim_kv.get_index("man") == 2
    assert kind.get_index(5) == gensim_kv.get_index(5) == 5  # an int in range is a row
    assert kind.get_index("nope", -1) == gensim_kv.get_index("nope", -1) == -1
    with pytest.raises(KeyError):
        kind.get_index("nope")
    assert kind.has_index_for("sea") and not kind.has_index_for("nope")
    assert kind.get_vecattr("queen", "count") == COUNTS[1]


@pytest.mark.parametrize("norm", [False, True])
def test_get_vector(kind, gensim_kv, norm):
    ours = kind.get_vector("car", norm=norm)
    np.testing.assert_allclose(ours, gensim_kv.get_vector("car", norm=norm), rtol=1e-6)
    assert ours.dtype == np.float32 and not ours.flags.writeable


ANSWERS = {
    "n_similarity": lambda v: v.n_similarity(["king", "man"], ["queen", "woman", "w3"]),
    "distance": lambda v: v.distance("apple", "pear"),
    "distances to all": lambda v: v.distances("apple"),
    "distances to some": lambda v: v.distances("apple", ["pear", "w9", "sky"]),
    "distances from a vector": lambda v: v.distances(_matrix()[3] * 2),
    "get_mean_vector": lambda v: v.get_mean_vector(["king", "sea", "missing"]),
    "get_mean_vector weighted raw": lambda v: v.get_mean_vector(
        ["king", "sea"], weights=[2.0, -1.0], pre_normalize=False, post_normalize=True
    ),
    "closer_than": lambda v: v.closer_than("king", "w12"),
    "rank": lambda v: v.rank("king", "w12"),
    "most_similar_to_given": lambda v: v.most_similar_to_given("sky", ["car", "sea", "w20"]),
    "relative_cosine_similarity": lambda v: v.relative_cosine_similarity("car", "bus", topn=5),
    "similar_by_word": lambda v: v.similar_by_word("woman", topn=6),
    "similar_by_key restricted": lambda v: v.similar_by_key("woman", topn=4, restrict_vocab=20),
    "similar_by_vector": lambda v: v.similar_by_vector(_matrix()[7] + _matrix()[8], topn=5),
}


@pytest.mark.parametrize("name", ANSWERS)
def test_each_answer_equals_gensims(kind, gensim_kv, name):
    ours, theirs = ANSWERS[name](kind), ANSWERS[name](gensim_kv)
    if isinstance(theirs, list) and theirs and isinstance(theirs[0], tuple):
        assert [w for w, _ in ours] == [w for w, _ in theirs]
        np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-5)
    elif isinstance(theirs, (list, str, int)):
        assert ours == theirs
    else:
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_normed_vectors_in_the_kinds_row_form(kind, gensim_kv):
    normed = kind.get_normed_vectors()
    assert sp.issparse(normed) == kind.sparse  # sparse rows are never densified
    dense = normed.toarray() if sp.issparse(normed) else normed
    np.testing.assert_allclose(dense, gensim_kv.get_normed_vectors(), rtol=1e-6)


def test_cosine_similarities_is_gensims():
    rng = np.random.default_rng(3)
    one, many = rng.normal(size=5), rng.normal(size=(7, 5))
    np.testing.assert_allclose(
        Embeddings.cosine_similarities(one, many), KeyedVectors.cosine_similarities(one, many)
    )


@pytest.mark.parametrize("binary, header", [(False, True), (True, True), (False, False)])
def test_save_word2vec_format_reads_back_in_gensim(tmp_path, binary, header):
    emb = Embeddings(WORDS, _matrix(), counts=COUNTS)
    path, vocab = tmp_path / "v.out", tmp_path / "vocab.txt"
    emb.save_word2vec_format(path, fvocab=vocab, binary=binary, write_header=header)
    kv = KeyedVectors.load_word2vec_format(str(path), binary=binary, no_header=not header)
    assert kv.index_to_key == WORDS
    np.testing.assert_allclose(kv.vectors, _matrix(), rtol=1e-6)
    lines = vocab.read_text(encoding="utf-8").splitlines()
    assert lines == [f"{w} {c}" for w, c in zip(WORDS, COUNTS, strict=True)]
    again = Embeddings.load_word2vec_format(path, binary=binary)
    assert again.words == WORDS


def test_fvocab_needs_counts(tmp_path):
    with pytest.raises(EmbedlabError, match="fvocab needs counts"):
        Embeddings(WORDS, _matrix()).save_word2vec_format(tmp_path / "v.txt", fvocab="x")


def test_to_gensim_and_back(kind):
    kv = kind.to_gensim()
    assert isinstance(kv, KeyedVectors)
    assert kv.index_to_key == WORDS
    np.testing.assert_array_equal(kv.vectors, _matrix())
    assert [kv.get_vecattr(w, "count") for w in WORDS] == COUNTS.tolist()
    back = Embeddings.from_gensim(kv)
    assert back.words == WORDS and back.counts.tolist() == COUNTS.tolist()
    np.testing.assert_array_equal(back.vectors, _matrix())


def test_a_trained_gensim_model_is_taken_through_its_wv():
    sentences = [["a", "b", "c", "d"], ["b", "c", "a"]] * 20
    model = Word2Vec(sentences, vector_size=6, min_count=1, epochs=1, seed=1, workers=1)
    emb = as_vectors(model)
    assert emb.words == model.wv.index_to_key
    np.testing.assert_array_equal(emb.vectors, model.wv.vectors)
    assert emb.counts.tolist() == [model.wv.get_vecattr(w, "count") for w in emb.words]


def test_every_function_that_takes_vectors_takes_gensims(gensim_kv, tmp_path):
    emb = Embeddings(WORDS, _matrix())
    data = tmp_path / "pairs.txt"
    data.write_text("king queen 8\nman woman 7\napple car 2\nsky sea 6\npear bus 1\n")
    ours = embedlab.evaluate(emb, datasets=[str(data)])
    assert embedlab.evaluate(gensim_kv, datasets=[str(data)]) == ours
    from embedlab.pictures.maps import draw_map
    from embedlab.pictures.report import compare

    _, theirs_map = draw_map(gensim_kv, words=WORDS[:8])
    _, our_map = draw_map(emb, words=WORDS[:8])
    np.testing.assert_allclose(theirs_map.coords, our_map.coords)
    result = compare([gensim_kv, emb], datasets=[str(data)], extrinsic=False, map_words=4)
    assert result["evaluations"][0] == result["evaluations"][1]
    with pytest.raises(EmbedlabError, match="expected word vectors"):
        embedlab.evaluate(np.zeros((3, 3)))


def test_gensim_names_embedlab_answers_otherwise_say_how(kind):
    with pytest.raises(AttributeError, match=r"embedlab.evaluate\(emb, datasets=\[path\]\)"):
        kind.evaluate_word_pairs  # noqa: B018 (the lookup is what is tested)
    with pytest.raises(AttributeError, match="index_to_key"):
        kind.index2word  # noqa: B018
    assert not hasattr(kind, "no_such_name")
    with pytest.raises(UnknownWordError, match="'nope'"):
        kind.get_vector("nope")


def test_to_gensim_without_gensim_is_one_line(tmp_path):
    path = tmp_path / "v.txt"
    Embeddings(["a", "b"], np.eye(2, dtype=np.float32)).save(path)
    code = (
        "import sys; sys.modules['gensim'] = None\n"
        "import embedlab\n"
        f"emb = embedlab.load({str(path)!r})\n"
        "try:\n    emb.to_gensim()\nexcept embedlab.EmbedlabError as err:\n    print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "to_gensim needs gensim, which is not installed: pip install gensim\n"
    assert load(path).words == ["a", "b"]
