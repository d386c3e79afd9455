"""File formats: bit-exact round trips with gensim both ways, GloVe, native, limit, atomicity."""

from __future__ import annotations

import contextlib
import gzip
import logging

import numpy as np
import pytest
from gensim.models import KeyedVectors

from embedlab.errors import EmbedlabError
from embedlab.vectors import Embeddings, load
from embedlab.vectors.formats import format_of

logging.getLogger("gensim").setLevel(logging.ERROR)

WORDS = ["the", "king", "queen", "café", "naïve", "日本", "x-y", "</s>", "a.b", "Zürich"]


def _matrix(rows: int, dim: int, seed: int = 0) -> np.ndarray:
    """Random float32 values plus the awkward ones: tiny, huge, subnormal, -0, integers."""
    rng = np.random.default_rng(seed)
    matrix = rng.standard_normal((rows, dim)) * 10.0 ** rng.integers(-8, 8, (rows, dim))
    matrix = matrix.astype(np.float32)
    special = [1e-45, -3.4028235e38, 1.1754944e-38, -0.0, 0.0, 1.0, 0.1, 123456789.0]
    matrix.flat[: len(special)] = np.array(special, dtype=np.float32)
    return matrix


def _bits(matrix) -> np.ndarray:
    return np.ascontiguousarray(matrix, dtype=np.float32).view(np.uint32)


@pytest.fixture(scope="module")
def emb():
    return Embeddings(WORDS, _matrix(len(WORDS), 7))


def _gensim(emb: Embeddings) -> KeyedVectors:
    kv = KeyedVectors(emb.dim)
    kv.add_vectors(list(emb.words), np.array(emb.vectors))
    return kv


@pytest.mark.parametrize("name, binary", [("v.txt", False), ("v.vec", False), ("v.bin", True)])
def test_ours_to_gensim_to_ours_is_bit_exact(emb, tmp_path, name, binary):
    ours = tmp_path / name
    emb.save(ours)
    kv = KeyedVectors.load_word2vec_format(str(ours), binary=binary)
    assert list(kv.index_to_key) == WORDS
    np.testing.assert_array_equal(_bits(kv.vectors), _bits(emb.vectors))
    again = tmp_path / f"gensim-{name}"
    kv.save_word2vec_format(str(again), binary=binary)
    back = load(again)
    assert back.words == WORDS
    np.testing.assert_array_equal(_bits(back.vectors), _bits(emb.vectors))


@pytest.mark.parametrize("name, binary", [("g.txt", False), ("g.bin", True)])
def test_gensim_to_ours_to_gensim_is_bit_exact(tmp_path, name, binary):
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(400)] + WORDS
    matrix = rng.standard_normal((len(words), 25)).astype(np.float32) / 7
    kv = KeyedVectors(25)
    kv.add_vectors(words, matrix)
    theirs = tmp_path / name
    kv.save_word2vec_format(str(theirs), binary=binary)
    emb = load(theirs)
    assert emb.words == words
    np.testing.assert_array_equal(_bits(emb.vectors), _bits(matrix))
    ours = tmp_path / f"ours-{name}"
    emb.save(ours)
    kv2 = KeyedVectors.load_word2vec_format(str(ours), binary=binary)
    assert list(kv2.index_to_key) == words
    np.testing.assert_array_equal(_bits(kv2.vectors), _bits(matrix))


def test_text_file_is_byte_identical_to_gensims(emb, tmp_path):
    emb.save(tmp_path / "ours.txt")
    _gensim(emb).save_word2vec_format(str(tmp_path / "gensim.txt"), binary=False)
    assert (tmp_path / "ours.txt").read_bytes() == (tmp_path / "gensim.txt").read_bytes()


def test_binary_layout_is_the_c_tools(tmp_path):
    emb = Embeddings(["ab", "ç"], np.array([[1.0, -2.0], [0.5, 3.0]], dtype=np.float32))
    emb.save(tmp_path / "v.bin")
    expected = (
        b"2 2\n"
        + b"ab "
        + np.array([1.0, -2.0], "<f4").tobytes()
        + b"\n"
        + "ç ".encode()
        + np.array([0.5, 3.0], "<f4").tobytes()
        + b"\n"
    )
    assert (tmp_path / "v.bin").read_bytes() == expected


def test_reads_c_tool_text_with_trailing_spaces_and_crlf(tmp_path):
    # word2vec.c writes "%lf " after each value; Windows tools add CRLF
    path = tmp_path / "c.txt"
    path.write_bytes(b"2 3\r\n</s> 0.001 -0.002 0.003 \r\nking 1.500000 2.000000 -3.250000 \r\n")
    emb = load(path)
    assert emb.words == ["</s>", "king"]
    np.testing.assert_array_equal(
        emb.vectors, np.array([[0.001, -0.002, 0.003], [1.5, 2.0, -3.25]], dtype=np.float32)
    )


def test_glove_is_read_without_header_and_written_with_format(emb, tmp_path):
    path = tmp_path / "vectors.glove"
    emb.save(path)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("the ") and len(first.split()) == 8  # no header line
    kv = KeyedVectors.load_word2vec_format(str(path), binary=False, no_header=True)
    np.testing.assert_array_equal(_bits(kv.vectors), _bits(emb.vectors))
    back = load(path)
    assert back.words == WORDS
    np.testing.assert_array_equal(_bits(back.vectors), _bits(emb.vectors))
    # a GloVe file under a .txt name: the missing header is detected
    other = tmp_path / "glove.6B.50d.txt"
    emb.save(other, format="glove")
    np.testing.assert_array_equal(_bits(load(other).vectors), _bits(emb.vectors))
    assert load(other, format="glove").words == WORDS


def test_glove_written_by_hand(tmp_path):
    path = tmp_path / "hand.txt"
    path.write_text("the 0.5 -1\nof 2 3e-2\n\n", encoding="utf-8")
    emb = load(path)
    assert emb.words == ["the", "of"]
    np.testing.assert_array_equal(emb.vectors, np.array([[0.5, -1], [2, 0.03]], np.float32))


def test_native_round_trip_keeps_everything(tmp_path):
    rng = np.random.default_rng(2)
    words = ["with space", "new\nline", "", "ünï", "tab\there"]
    W = rng.standard_normal((5, 4)).astype(np.float32)
    C = rng.standard_normal((5, 4)).astype(np.float32)
    meta = {
        "method": "skipgram",
        "params": {"dim": 4, "window": 5, "sample": 1e-3},
        "history": [{"epoch": 1, "loss": np.float64(2.5), "words_per_sec": 1e6, "seconds": 0.5}],
    }
    emb = Embeddings(words, W, counts=[9, 7, 5, 3, 1], context=C, combine="mean", meta=meta)
    path = tmp_path / "model.emb"
    emb.save(path)
    for mmap in (False, True):
        back = load(path, mmap=mmap)
        assert back.words == words and back.combine == "mean"
        assert back.counts.tolist() == [9, 7, 5, 3, 1]
        np.testing.assert_array_equal(_bits(back.input_vectors), _bits(W))
        np.testing.assert_array_equal(_bits(back.context_vectors), _bits(C))
        np.testing.assert_array_equal(back.vectors, (W + C) / 2)
        assert back.meta["history"] == [
            {"epoch": 1, "loss": 2.5, "words_per_sec": 1e6, "seconds": 0.5}
        ]
        assert back.meta["params"] == meta["params"]


def test_native_mmap_maps_the_file(tmp_path):
    emb = Embeddings(["a", "b"], np.ones((2, 3)), context=np.zeros((2, 3)))
    emb.save(tmp_path / "m.emb")
    mapped = load(tmp_path / "m.emb", mmap=True)
    assert isinstance(mapped.input_vectors.base, np.memmap)
    assert not mapped.input_vectors.flags.writeable
    assert not isinstance(load(tmp_path / "m.emb").input_vectors.base, np.memmap)


def test_native_without_context_or_counts(tmp_path):
    emb = Embeddings(["a", "b"], np.array([[1, 2], [3, 4]], dtype=np.float32))
    emb.save(tmp_path / "plain.emb")
    back = load(tmp_path / "plain.emb")
    assert back.context_vectors is None and back.counts is None and back.meta == {}
    np.testing.assert_array_equal(back.vectors, emb.vectors)


def test_native_sections_are_64_byte_aligned(tmp_path):
    import json
    import struct

    emb = Embeddings(["a", "bcd"], np.ones((2, 3)), counts=[2, 1], context=np.ones((2, 3)))
    path = tmp_path / "a.emb"
    emb.save(path)
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[16:24])
    header = json.loads(raw[24 : 24 + length])
    start = -(-(24 + length) // 64) * 64
    for name, spec in header["sections"].items():
        assert (start + spec["offset"]) % 64 == 0, name
    blob = header["sections"]["word_bytes"]
    assert blob["nbytes"] == 4
    assert raw[start + blob["offset"] : start + blob["offset"] + 4] == b"abcd"


@pytest.mark.parametrize("name", ["v.txt", "v.bin", "v.glove", "v.emb", "v.txt.gz", "v.bin.bz2"])
def test_limit_reads_the_first_words(emb, tmp_path, name):
    Embeddings(WORDS, emb.vectors, counts=np.arange(10, 0, -1)).save(tmp_path / name)
    first = load(tmp_path / name, limit=3)
    assert first.words == WORDS[:3]
    np.testing.assert_array_equal(_bits(first.vectors), _bits(emb.vectors[:3]))
    assert load(tmp_path / name, limit=100).words == WORDS


def test_limit_stops_before_damage_further_on(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("3 2\na 1 2\nb 3 4\nc oops 6\n")
    assert load(path, limit=2).words == ["a", "b"]
    with pytest.raises(EmbedlabError, match="line 4"):
        load(path)


@pytest.mark.parametrize("name", ["v.txt.gz", "v.vec.xz", "v.bin.gz", "v.glove.bz2"])
def test_compressed_files_round_trip(emb, tmp_path, name):
    emb.save(tmp_path / name)
    np.testing.assert_array_equal(_bits(load(tmp_path / name).vectors), _bits(emb.vectors))


def test_gzip_output_is_reproducible_and_readable_by_gensim(emb, tmp_path):
    emb.save(tmp_path / "a.txt.gz")
    emb.save(tmp_path / "b.txt.gz")
    assert (tmp_path / "a.txt.gz").read_bytes() == (tmp_path / "b.txt.gz").read_bytes()
    with gzip.open(tmp_path / "a.txt.gz", "rb") as handle:
        assert handle.readline() == b"10 7\n"
    kv = KeyedVectors.load_word2vec_format(str(tmp_path / "a.txt.gz"))
    np.testing.assert_array_equal(_bits(kv.vectors), _bits(emb.vectors))


def test_format_is_recognised_from_content_when_the_extension_is_unknown(emb, tmp_path):
    for fmt in ("word2vec", "word2vec-binary", "native"):
        path = tmp_path / f"{fmt}.data"
        emb.save(path, format=fmt)
        assert format_of(path) == fmt
        np.testing.assert_array_equal(_bits(load(path).vectors), _bits(emb.vectors))


def test_format_from_extension_and_explicit():
    assert format_of("a.txt") == "word2vec" and format_of("a.vec") == "word2vec"
    assert format_of("a.bin") == "word2vec-binary" and format_of("a.emb") == "native"
    assert format_of("a.glove") == "glove" and format_of("a.TXT.gz") == "word2vec"
    assert format_of("a.txt", "native", reading=False) == "native"
    with pytest.raises(EmbedlabError, match="cannot tell the format"):
        format_of("a.dat", reading=False)
    with pytest.raises(EmbedlabError, match="format must be one of"):
        format_of("a.txt", "fasttext-text")
    with pytest.raises(EmbedlabError, match="not compressed"):
        format_of("a.emb.gz", reading=False)


def test_repeated_words_keep_the_first_vector_like_gensim(tmp_path, capsys):
    path = tmp_path / "dup.txt"
    path.write_text("3 2\na 1 2\nb 3 4\na 5 6\n")
    emb = load(path)
    assert capsys.readouterr().err == (
        f"embedlab: warning: {path}: line 4 repeats the word 'a' of line 2; the first vector is "
        f"kept\n"
    )
    kv = KeyedVectors.load_word2vec_format(str(path))
    assert emb.words == list(kv.index_to_key[:2]) == ["a", "b"]  # gensim leaves a None slot
    np.testing.assert_array_equal(emb.vectors, kv.vectors[:2])
    np.testing.assert_array_equal(emb.vectors, [[1, 2], [3, 4]])


def test_unicode_errors_can_be_replaced(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"1 2\ncaf\xe9 1 2\n")
    assert load(path, errors="replace").words == ["caf\ufffd"]


# ---- atomic writes and refusals -------------------------------------------------------------


def test_failed_save_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "v.txt"
    path.write_text("old contents")
    bad = Embeddings(["a", "b"], np.array([[1.0, 2.0], [np.nan, 0.0]]))
    with pytest.raises(EmbedlabError, match="'b' holds NaN"):
        bad.save(path)
    assert path.read_text() == "old contents"
    spaced = Embeddings(["a b"], np.ones((1, 2)))
    with pytest.raises(EmbedlabError, match="holds whitespace"):
        spaced.save(path)
    assert path.read_text() == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.txt"]


@pytest.mark.parametrize("name", ["v.txt", "v.bin", "v.emb", "v.txt.gz"])
def test_crash_during_a_write_keeps_the_old_file(tmp_path, monkeypatch, name):
    from embedlab.vectors.formats import _files, binary, native, text

    real_open_write = _files.open_write

    class Failing:
        def __init__(self, handle):
            self.handle, self.writes = handle, 0

        def write(self, data):
            self.writes += 1
            if self.writes > 2:
                raise OSError("disk full")
            return self.handle.write(data)

    @contextlib.contextmanager
    def failing_open_write(path):
        with real_open_write(path) as handle:
            yield Failing(handle)

    for module in (text, binary, native):
        monkeypatch.setattr(module, "open_write", failing_open_write)
    path = tmp_path / name
    path.write_bytes(b"old contents")
    emb = Embeddings([f"w{i}" for i in range(3000)], np.ones((3000, 2)), context=np.ones((3000, 2)))
    with pytest.raises(EmbedlabError, match=r"\(disk full\); nothing was replaced"):
        emb.save(path)
    assert path.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_save_onto_a_directory_or_missing_folder_is_refused(emb, tmp_path):
    with pytest.raises(EmbedlabError, match="is a directory"):
        emb.save(tmp_path, format="word2vec")
    with pytest.raises(EmbedlabError, match="does not exist"):
        emb.save(tmp_path / "nowhere" / "v.txt")


def test_unsavable_meta_is_a_user_error(tmp_path):
    emb = Embeddings(["a"], np.ones((1, 2)), meta={"callback": object()})
    with pytest.raises(EmbedlabError, match="meta cannot be saved as JSON"):
        emb.save(tmp_path / "m.emb")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["e.txt", "e.bin", "e.emb"])
def test_empty_vocabulary_round_trips(tmp_path, name):
    Embeddings([], np.zeros((0, 3))).save(tmp_path / name)
    back = load(tmp_path / name)
    assert len(back) == 0 and back.dim == 3


def test_empty_vocabulary_is_not_written_as_glove(tmp_path):
    # an empty GloVe file could not say its dimension, and empty files are refused on reading
    with pytest.raises(EmbedlabError, match="no words"):
        Embeddings([], np.zeros((0, 3))).save(tmp_path / "e.glove")
    assert list(tmp_path.iterdir()) == []
