"""fastText's files: the model (.bin) read and written, checked with fastText and gensim.

Every expected vector comes from the ``fasttext`` package or from gensim reading the same
file; files are made by fastText (``save_model``), by gensim (``save_facebook_model``) and by
embedlab, never committed.
"""

from __future__ import annotations

import struct

import fasttext
import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_model, save_facebook_model

import embedlab
from conftest import FASTTEXT_SETTINGS
from embedlab.cli.app import main
from embedlab.errors import EmbedlabError
from embedlab.vectors import Embeddings
from embedlab.vectors.formats import stored_format
from embedlab.vectors.subwords import SubwordEmbeddings

UNSEEN = ["unkingliness", "naïveté", "Woodhousely", "日本", "q"]


@pytest.fixture(scope="module")
def fasttext_bin(fasttext_model, tmp_path_factory):
    path = tmp_path_factory.mktemp("ft") / "model.bin"
    fasttext_model.save_model(str(path))
    return path


@pytest.fixture(scope="module")
def made_here():
    """Subword vectors embedlab made (no fastText involved): random rows, counts, a context."""
    rng = np.random.default_rng(3)
    words = ["the", "king", "queen", "kingdom", "kingly", "Straße", "naïve", "日本語", "a"]
    buckets, dim = 997, 7
    return SubwordEmbeddings(
        words,
        rng.normal(size=(len(words) + buckets, dim)).astype(np.float32),
        minn=2,
        maxn=5,
        counts=np.arange(len(words), 0, -1) * 3,
        context=rng.normal(size=(len(words), dim)).astype(np.float32),
        meta={"method": "cbow", "objective": "negative", "params": {"window": 4, "epochs": 3}},
    )


def _words_and_unseen(emb):
    return [*emb.words, *UNSEEN]


# ---- reading ------------------------------------------------------------------------------


def test_a_fasttext_bin_is_recognised_and_answers_unseen_words(fasttext_bin, fasttext_model):
    assert stored_format(fasttext_bin) == "fasttext"
    emb = embedlab.load(fasttext_bin)
    assert isinstance(emb, SubwordEmbeddings)
    assert emb.words == fasttext_model.words
    assert (emb.minn, emb.maxn, emb.buckets) == tuple(
        FASTTEXT_SETTINGS[k] for k in ("minn", "maxn", "bucket")
    )
    for word in _words_and_unseen(emb):
        np.testing.assert_array_equal(emb[word], fasttext_model.get_word_vector(word))
    assert "unkingliness" not in emb


def test_memory_mapped_bin_gives_the_same_vectors(fasttext_bin, fasttext_model):
    emb = embedlab.load(fasttext_bin, mmap=True)
    assert isinstance(emb.input_vectors, np.memmap)
    np.testing.assert_array_equal(
        emb["unkingliness"], fasttext_model.get_word_vector("unkingliness")
    )


def test_a_file_fasttext_wrote_is_written_back_byte_for_byte(fasttext_bin, tmp_path):
    embedlab.load(fasttext_bin).save(tmp_path / "again.bin")
    assert (tmp_path / "again.bin").read_bytes() == fasttext_bin.read_bytes()


def test_a_file_gensim_wrote_is_read(fasttext_bin, tmp_path):
    model = load_facebook_model(str(fasttext_bin))
    path = tmp_path / "gensim.bin"
    save_facebook_model(model, str(path))
    emb = embedlab.load(path)
    # gensim composes n-grams for "</s>" too, where fastText keeps its row alone
    for word in [w for w in emb.words if w != "</s>"][:200] + UNSEEN:
        np.testing.assert_allclose(emb[word], model.wv[word], atol=1e-6)


def _old_layout(data: bytes) -> bytes:
    """The same model in fastText's layout before version 11: no magic and version, no
    pruneidx_size, no quantization bytes before the matrices."""
    nwords = struct.unpack_from("<i", data, 64)[0]
    pos = 92  # magic, version, args (12 int32, 1 float64), dictionary counts
    for _ in range(nwords):
        pos = data.index(b"\0", pos) + 1 + 9
    input_rows, dim = struct.unpack_from("<qq", data, pos + 1)
    output_at = pos + 1 + 16 + input_rows * dim * 4
    return (
        data[8:64]
        + data[64:84]  # size, nwords, nlabels, ntokens
        + data[92:pos]
        + data[pos + 1 : output_at]
        + data[output_at + 1 :]
    )


def test_a_file_of_fasttext_before_version_11_is_read(fasttext_bin, fasttext_model, tmp_path):
    path = tmp_path / "old.bin"
    path.write_bytes(_old_layout(fasttext_bin.read_bytes()))
    assert stored_format(path) == "fasttext"
    emb = embedlab.load(path)
    for word in ["the", *UNSEEN]:
        np.testing.assert_array_equal(emb[word], fasttext_model.get_word_vector(word))


# ---- writing ------------------------------------------------------------------------------


def test_subword_vectors_saved_as_bin_load_in_fasttext(made_here, tmp_path):
    path = tmp_path / "ours.bin"
    made_here.save(path)
    model = fasttext.load_model(str(path))
    assert model.words == made_here.words
    assert (model.f.getArgs().minn, model.f.getArgs().maxn) == (2, 5)
    for word in _words_and_unseen(made_here):
        np.testing.assert_allclose(model.get_word_vector(word), made_here[word], atol=1e-6)
    np.testing.assert_array_equal(model.get_output_matrix(), made_here.context_vectors)


def test_subword_vectors_saved_as_bin_load_in_gensim(made_here, tmp_path):
    path = tmp_path / "ours.bin"
    made_here.save(path)
    model = load_facebook_model(str(path))
    assert model.wv.index_to_key == made_here.words
    assert model.sg == 0 and model.window == 4 and model.epochs == 3
    for word in _words_and_unseen(made_here):
        np.testing.assert_allclose(model.wv[word], made_here[word], atol=1e-6)


def test_format_fasttext_writes_word_vectors_as_a_model_without_ngrams(tmp_path):
    rng = np.random.default_rng(4)
    emb = Embeddings(["a", "b", "c"], rng.normal(size=(3, 5)).astype(np.float32))
    path = tmp_path / "plain.model"
    emb.save(path, format="fasttext")
    model = fasttext.load_model(str(path))
    for word in emb.words:
        np.testing.assert_allclose(model.get_word_vector(word), emb[word], atol=1e-6)
    assert not model.get_word_vector("unseen").any()  # no n-grams: fastText answers zeros
    again = embedlab.load(path)
    assert type(again) is Embeddings
    np.testing.assert_array_equal(again.vectors, emb.vectors)


def test_vec_is_written_as_fasttext_writes_it(made_here, tmp_path):
    path = tmp_path / "ours.vec"
    made_here.save(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{len(made_here)} {made_here.dim}"
    assert [line.split(" ")[0] for line in lines[1:]] == made_here.words
    theirs = KeyedVectors.load_word2vec_format(str(path))
    np.testing.assert_array_equal(theirs.vectors, made_here.vectors)


def test_a_vec_as_fasttext_prints_it_is_read(made_here, tmp_path):
    # fastText prints five significant digits, each value followed by a space
    path = tmp_path / "theirs.vec"
    body = "".join(
        word + " " + "".join(f"{value:.5g} " for value in row) + "\n"
        for word, row in zip(made_here.words, made_here.vectors, strict=True)
    )
    path.write_text(f"{len(made_here)} {made_here.dim}\n{body}", encoding="utf-8")
    np.testing.assert_allclose(embedlab.load(path).vectors, made_here.vectors, rtol=1e-4)


def test_native_format_keeps_subwords_and_maps_the_ngrams(made_here, tmp_path):
    path = tmp_path / "ours.emb"
    made_here.save(path)
    emb = embedlab.load(path)
    assert isinstance(emb, SubwordEmbeddings)
    assert isinstance(emb.ngram_vectors, np.memmap)  # opened, not read
    assert (emb.minn, emb.maxn, emb.buckets) == (2, 5, 997)
    for word in _words_and_unseen(made_here):
        np.testing.assert_array_equal(emb[word], made_here[word])
    np.testing.assert_array_equal(emb.context_vectors, made_here.context_vectors)
    assert emb.meta == made_here.meta and emb.counts.tolist() == made_here.counts.tolist()


# ---- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keep", "part"),
    [(6, "header"), (40, "settings"), (80, "dictionary"), (2000, "dictionary"), (-100, "output")],
)
def test_a_truncated_model_is_one_line_naming_fasttext(fasttext_bin, tmp_path, keep, part):
    path = tmp_path / "cut.bin"
    path.write_bytes(fasttext_bin.read_bytes()[:keep])
    with pytest.raises(EmbedlabError, match=f"fastText model ends inside its {part}.*truncated"):
        embedlab.load(path)


def test_an_unknown_version_names_it(fasttext_bin, tmp_path):
    data = bytearray(fasttext_bin.read_bytes())
    data[4:8] = struct.pack("<i", 13)
    path = tmp_path / "future.bin"
    path.write_bytes(bytes(data))
    with pytest.raises(EmbedlabError, match="fastText model of version 13"):
        embedlab.load(path)


@pytest.fixture(scope="module")
def supervised_bin(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sup")
    train = folder / "train.txt"
    train.write_text("__label__a good fine\n__label__b bad awful\n" * 20, encoding="utf-8")
    model = fasttext.train_supervised(str(train), epoch=1, thread=1, verbose=0, minCount=1)
    model.save_model(str(folder / "classifier.bin"))
    return folder / "classifier.bin"


def test_a_supervised_model_is_refused_in_one_line(supervised_bin):
    with pytest.raises(EmbedlabError, match="supervised fastText model"):
        embedlab.load(supervised_bin)


def test_every_command_reads_a_bin_and_refuses_a_classifier(fasttext_bin, supervised_bin, capsys):
    assert main(["similar", str(fasttext_bin), "unkingliness", "--topn", "3"]) == 0
    out, _ = capsys.readouterr()
    assert "composed: unkingliness" in out
    assert main(["info", str(supervised_bin)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "supervised fastText model" in err


def test_a_nul_in_a_word_cannot_be_written(tmp_path):
    emb = SubwordEmbeddings(["a\0b"], np.zeros((5, 2), np.float32), minn=3, maxn=6)
    with pytest.raises(EmbedlabError, match="NUL"):
        emb.save(tmp_path / "x.bin")
    assert not (tmp_path / "x.bin").exists()


def test_a_gensim_fasttext_model_converts_to_subword_vectors(fasttext_bin):
    model = load_facebook_model(str(fasttext_bin))
    emb = embedlab.vectors.as_vectors(model)
    assert isinstance(emb, SubwordEmbeddings)
    for word in [w for w in emb.words if w != "</s>"][:100] + UNSEEN:
        np.testing.assert_allclose(emb[word], model.wv[word], atol=1e-6)


def test_a_model_trained_with_subwords_is_saved_for_fasttext_and_gensim(tmp_path, capsys):
    import gzip

    from embedlab.corpus import sample_corpus_path

    corpus = tmp_path / "corpus.txt"
    with gzip.open(sample_corpus_path(), "rt", encoding="utf-8") as source:
        lines = [line for _, line in zip(range(1500), source, strict=False)]
    corpus.write_text("".join(lines), encoding="utf-8")
    path = tmp_path / "model.bin"
    argv = ["train", str(corpus), "-o", str(path), "--method", "skipgram", "--subwords", "3-6"]
    argv += ["--buckets", "5000", "--dim", "12", "--epochs", "1", "--threads", "1", "--quiet"]
    assert main(argv) == 0, capsys.readouterr().err
    emb = embedlab.load(path)
    assert isinstance(emb, SubwordEmbeddings) and emb.buckets == 5000
    theirs = fasttext.load_model(str(path))
    gensim_model = load_facebook_model(str(path))
    for word in [*emb.words[:300], *UNSEEN]:
        np.testing.assert_allclose(theirs.get_word_vector(word), emb[word], atol=1e-6)
        np.testing.assert_allclose(gensim_model.wv[word], emb[word], atol=1e-6)


def test_convert_writes_a_subword_bin_as_fasttext_unless_told_word2vec(made_here, tmp_path, capsys):
    source = tmp_path / "in.emb"
    made_here.save(source)
    assert main(["convert", str(source), str(tmp_path / "out.bin")]) == 0
    assert "(fasttext)" in capsys.readouterr().out
    assert stored_format(tmp_path / "out.bin") == "fasttext"
    target = tmp_path / "w2v.bin"
    assert main(["convert", str(source), str(target), "--format", "word2vec-binary"]) == 0
    assert stored_format(target) == "word2vec-binary"
    np.testing.assert_array_equal(embedlab.load(target).vectors, made_here.vectors)
