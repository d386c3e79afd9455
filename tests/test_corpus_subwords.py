"""Character n-grams and their ids, against what the fastText package itself reports.

Every expected id comes from ``fasttext``'s ``get_subwords`` on a tiny model trained here with
the same minn, maxn and bucket: no number is written by hand.
"""

from __future__ import annotations

import fasttext
import numpy as np
import pytest

from embedlab.corpus import subwords
from embedlab.corpus.subwords import (
    EOS,
    check_subword_settings,
    fnv1a,
    ngram_buckets,
    ngrams,
    subword_table,
)
from embedlab.errors import EmbedlabError

# ASCII, Latin with diacritics (2-byte UTF-8), CJK (3 bytes), an emoji (4 bytes), one- and
# two-letter words (the whole bracketed word is an n-gram), words longer than maxn.
WORDS = ["the", "king", "kingliness", "a", "ab", "é", "naïve", "Straße", "日本語", "x😀y", "œuvre"]
UNSEEN = ["unkingliness", "überzeugt", "z", "日本", "😀", "queen's"]
SETTINGS = [(3, 6, 2_000_000), (1, 3, 1000), (2, 5, 97), (4, 4, 10)]


@pytest.fixture(scope="module", params=SETTINGS, ids=lambda s: "minn{}-maxn{}-bucket{}".format(*s))
def model(request, tmp_path_factory):
    minn, maxn, bucket = request.param
    path = tmp_path_factory.mktemp("fasttext") / "corpus.txt"
    path.write_text((" ".join(WORDS) + "\n") * 5, encoding="utf-8")
    trained = fasttext.train_unsupervised(
        str(path),
        minCount=1,
        minn=minn,
        maxn=maxn,
        bucket=bucket,
        dim=4,
        epoch=1,
        thread=1,
        verbose=0,
    )
    return trained, minn, maxn, bucket


def test_table_rows_are_fasttexts_subword_ids(model):
    trained, minn, maxn, bucket = model
    vocabulary = trained.words  # fastText's own order, "</s>" included
    assert EOS in vocabulary
    table = subword_table(vocabulary, minn, maxn, bucket)
    assert table.indptr.dtype == np.int64 and table.indices.dtype == np.int32
    assert len(table.indptr) == len(vocabulary) + 1
    for i, word in enumerate(vocabulary):
        _, ids = trained.get_subwords(word)
        assert table.rows(i).tolist() == ids.tolist(), word


def test_ngrams_are_fasttexts_substrings(model):
    trained, minn, maxn, _ = model
    for word in trained.words:
        substrings, _ = trained.get_subwords(word)
        # fastText lists the word itself first, then its n-grams.
        assert ngrams(word, minn, maxn) == list(substrings[1:]), word


def test_unseen_words_hash_as_fasttext_does(model):
    trained, minn, maxn, bucket = model
    nwords = len(trained.words)
    for word in UNSEEN:
        substrings, ids = trained.get_subwords(word)
        assert ngrams(word, minn, maxn) == list(substrings)
        assert (ngram_buckets(word, minn, maxn, bucket) + nwords).tolist() == ids.tolist(), word


def test_end_of_sentence_has_no_ngrams():
    assert ngrams(EOS, 3, 6) == []
    table = subword_table(["a", EOS, "b"], 3, 6, 100)
    assert table.rows(1).tolist() == [1]
    assert table.rows(0).tolist() == [0, 3 + fnv1a(b"<a>") % 100]


def test_fnv1a_sign_extends_high_bytes():
    # The sign extension is the only difference from textbook FNV-1a: on ASCII they agree.
    def textbook(data):
        h = 2166136261
        for byte in data:
            h = ((h ^ byte) * 16777619) % 2**32
        return h

    assert fnv1a(b"<king>") == textbook(b"<king>")
    assert fnv1a("é".encode()) != textbook("é".encode())


def test_table_matches_the_per_word_path_on_many_words(monkeypatch):
    # The vectorised table against the plain per-word code, over words of every length and
    # byte width, hashed in several chunks.
    monkeypatch.setattr(subwords, "_CHUNK_WORDS", 700)
    rng = np.random.default_rng(0)
    alphabet = list("abcdefgh") + ["é", "ß", "日", "😀"]
    words = sorted({"".join(rng.choice(alphabet, size=rng.integers(1, 12))) for _ in range(3000)})
    table = subword_table(words, 2, 6, 5003)
    for i, word in enumerate(words):
        expected = [i, *(ngram_buckets(word, 2, 6, 5003) + len(words)).tolist()]
        assert table.rows(i).tolist() == expected


def test_empty_vocabulary():
    table = subword_table([], 3, 6, 10)
    assert table.indptr.tolist() == [0] and len(table.indices) == 0


@pytest.mark.parametrize(
    ("minn", "maxn", "buckets", "named"),
    [(0, 6, 10, "minn"), (3, 2, 10, "maxn"), (3, 6, 0, "buckets"), (3.0, 6, 10, "minn")],
)
def test_bad_settings_are_named(minn, maxn, buckets, named):
    with pytest.raises(EmbedlabError, match=named):
        check_subword_settings(minn, maxn, buckets)
