"""encode_corpus, the on-disk cache, EncodedCorpus.from_sentences and as_corpus."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections import Counter

import numpy as np
import pytest

from embedlab.corpus import EncodedCorpus, Tokenizer, as_corpus, collect, encode_corpus
from embedlab.errors import EmbedlabError

TEXT = """the quick brown fox jumps over the lazy dog
the dog sleeps

a fox and a dog and the end
zebra
the lazy fox sleeps and sleeps
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("EMBEDLAB_CACHE", str(folder))
    return folder


def reference(lines, min_count=1, max_vocab=None):
    """Independent, plainly written encoding: whitespace tokens, sort by (-count, first seen)."""
    sentences = [line.split() for line in lines]
    counts = Counter(token for sentence in sentences for token in sentence)
    first = {}
    for token in (token for sentence in sentences for token in sentence):
        first.setdefault(token, len(first))
    words = sorted(
        (w for w in counts if counts[w] >= min_count), key=lambda w: (-counts[w], first[w])
    )
    words = words[:max_vocab]
    index = {w: i for i, w in enumerate(words)}
    encoded = [[index[t] for t in sentence if t in index] for sentence in sentences]
    encoded = [sentence for sentence in encoded if sentence]
    return words, [counts[w] for w in words], encoded


def sentences_of(corpus: EncodedCorpus):
    return [sentence.tolist() for sentence in corpus.sentences()]


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("min_count, max_vocab", [(1, None), (2, None), (2, 3), (1, 1)])
def test_encoding_matches_an_independent_reference(tmp_path, min_count, max_vocab):
    path = write(tmp_path / "c.txt", TEXT)
    corpus = encode_corpus(path, min_count=min_count, max_vocab=max_vocab, cache=False)
    words, counts, encoded = reference(TEXT.splitlines(), min_count, max_vocab)
    assert corpus.vocab.words == words
    assert corpus.vocab.counts.tolist() == counts
    assert sentences_of(corpus) == encoded
    assert corpus.raw_tokens == len(TEXT.split())
    assert corpus.tokens.dtype == np.int32 and corpus.sentence_starts.dtype == np.int64
    assert corpus.sentence_starts[0] == 0 and corpus.sentence_starts[-1] == corpus.n_tokens


def test_block_boundaries_do_not_change_the_result(tmp_path, monkeypatch):
    lines = [" ".join(f"w{(i * 7 + j * 3) % 23}" for j in range(i % 9)) for i in range(300)]
    text = "\n".join(lines) + "\n"
    path = write(tmp_path / "c.txt", text)
    monkeypatch.setattr(collect, "BLOCK", 5)
    words, counts, encoded = reference(lines, min_count=14)
    for cache in (False, True):
        corpus = encode_corpus(path, min_count=14, cache=cache)
        assert corpus.vocab.words == words and corpus.vocab.counts.tolist() == counts
        assert sentences_of(corpus) == encoded


def test_compressed_input_and_directories_encode_like_plain_text(tmp_path):
    plain = write(tmp_path / "plain.txt", TEXT)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "part.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    a = encode_corpus(plain, min_count=1, cache=False)
    b = encode_corpus(folder, min_count=1, cache=False)
    assert a.vocab.words == b.vocab.words
    assert np.array_equal(a.tokens, b.tokens)
    assert np.array_equal(a.sentence_starts, b.sentence_starts)


def test_stdin_is_encoded_and_never_cached(monkeypatch, private_cache):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    corpus = encode_corpus("-", min_count=1)
    assert sentences_of(corpus) == reference(TEXT.splitlines())[2]
    assert not private_cache.exists() or not any(private_cache.iterdir())


def test_second_call_reads_the_cache_without_tokenizing(tmp_path, monkeypatch, private_cache):
    path = write(tmp_path / "c.txt", TEXT)
    first = encode_corpus(path, min_count=2)
    assert sorted(p.suffix for p in private_cache.iterdir()) == [".json", ".npy", ".npy"]

    def refuse(self, line):
        raise AssertionError("tokenized although the cache was warm")

    monkeypatch.setattr(Tokenizer, "tokenize", refuse)
    second = encode_corpus(path, min_count=2)
    assert isinstance(second.tokens, np.memmap) and isinstance(second.sentence_starts, np.memmap)
    assert not second.tokens.flags.writeable
    assert second.vocab.words == first.vocab.words
    assert second.vocab.counts.tolist() == first.vocab.counts.tolist()
    assert np.array_equal(second.tokens, first.tokens)
    assert second.raw_tokens == first.raw_tokens
    with pytest.raises(AssertionError, match="tokenized"):
        encode_corpus(path, min_count=3)  # another setting is another cache entry


def test_cache_is_invalidated_when_the_file_changes(tmp_path):
    path = write(tmp_path / "c.txt", "alpha beta\n")
    assert encode_corpus(path, min_count=1).vocab.words == ["alpha", "beta"]
    write(path, "gamma gamma delta\n")
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse-clock file system
    corpus = encode_corpus(path, min_count=1)
    assert corpus.vocab.words == ["gamma", "delta"]
    assert sentences_of(corpus) == [[0, 0, 1]]


def test_a_damaged_cache_entry_is_rebuilt(tmp_path, private_cache):
    path = write(tmp_path / "c.txt", TEXT)
    encode_corpus(path, min_count=1)
    (vocab_file,) = private_cache.glob("*.vocab.json")
    vocab_file.write_text("{broken")
    corpus = encode_corpus(path, min_count=1)
    assert corpus.vocab.words == reference(TEXT.splitlines())[0]
    assert json.loads(vocab_file.read_text())["raw_tokens"] == len(TEXT.split())


def test_cache_false_writes_nothing(tmp_path, private_cache):
    encode_corpus(write(tmp_path / "c.txt", TEXT), min_count=1, cache=False)
    assert not private_cache.exists()


def test_empty_corpus_names_the_input(tmp_path):
    path = write(tmp_path / "blank.txt", "\n  \n... !!\n")
    with pytest.raises(EmbedlabError, match=r"corpus .*blank\.txt has no tokens"):
        encode_corpus(path)


def test_empty_vocabulary_after_min_count(tmp_path):
    with pytest.raises(EmbedlabError, match="vocabulary is empty after min_count=5"):
        encode_corpus(write(tmp_path / "c.txt", "one two three\n"))


def test_options_are_validated_before_reading(tmp_path):
    missing = tmp_path / "missing.txt"  # never read: the option fails first
    for options, message in [
        ({"min_count": 0}, "min_count must be at least 1"),
        ({"tokenizer": "bpe"}, "tokenizer must be one of"),
        ({"encoding": "nope"}, "unknown encoding"),
        ({"errors": "ignore"}, "errors must be one of"),
        ({"cache": "yes"}, "cache must be True or False"),
    ]:
        with pytest.raises(EmbedlabError, match=message):
            encode_corpus(missing, **options)


def test_long_line_is_one_sentence(tmp_path):
    words = [f"w{i % 50}" for i in range(200_000)]
    path = write(tmp_path / "long.txt", "start here\n" + " ".join(words) + "\nstop\n")
    corpus = encode_corpus(path, min_count=1, cache=False)
    lengths = np.diff(corpus.sentence_starts).tolist()
    assert lengths == [2, 200_000, 1]


def test_from_sentences_encodes_in_memory():
    walks = [["n1", "n2", "n3"], ["n2", "n3"], [], ["n3", "n4"]]
    corpus = EncodedCorpus.from_sentences(walks)
    assert corpus.vocab.words == ["n3", "n2", "n1", "n4"]
    assert sentences_of(corpus) == [[2, 1, 0], [1, 0], [0, 3]]
    assert corpus.raw_tokens == 7
    rare_dropped = EncodedCorpus.from_sentences(walks, min_count=2)
    assert sentences_of(rare_dropped) == [[1, 0], [1, 0], [0]]


@pytest.mark.parametrize(
    "sentences, message",
    [
        (["a b c"], "sentence 0 is a string, not a list of tokens"),
        ([["a"], 5], "sentence 1 is not a list of string tokens"),
        ([[1, 2], [2]], "token 2 is a int, not a string"),
        ([[], []], "the sentences hold no tokens"),
    ],
)
def test_from_sentences_rejects_bad_input(sentences, message):
    with pytest.raises(EmbedlabError, match=message):
        EncodedCorpus.from_sentences(sentences)


def test_as_corpus_accepts_every_form(tmp_path):
    path = write(tmp_path / "c.txt", TEXT)
    from_path = as_corpus(str(path), min_count=1, cache=False)
    from_list = as_corpus([path], min_count=1, cache=False)
    from_lines = as_corpus(line.split() for line in TEXT.splitlines())
    expected = reference(TEXT.splitlines())
    for corpus in (from_path, from_list, from_lines):
        assert corpus.vocab.words == expected[0]
        assert sentences_of(corpus) == expected[2]
    assert as_corpus(from_path) is from_path


def test_as_corpus_rejects_file_settings_for_token_lists():
    with pytest.raises(EmbedlabError, match="encoding, tokenizer only apply when reading files"):
        as_corpus([["a"]], tokenizer="whitespace", encoding="latin-1")
    assert as_corpus([["a", "b", "b"]], min_count=2).vocab.words == ["b"]
