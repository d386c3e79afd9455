"""Vocabulary building: counts, order, ties, min_count, max_vocab, the empty vocabulary."""

from __future__ import annotations

from collections import Counter

import pytest

from embedlab.corpus import build_vocabulary
from embedlab.errors import EmbedlabError

LINES = [
    ["b", "a", "c", "a"],
    ["d", "b", "e"],
    ["c", "a", "f", "e", "e"],
]
# counts by hand: a 3, e 3, b 2, c 2, d 1, f 1; first occurrences b < a < c < d < e < f


def test_order_is_count_descending_with_ties_by_first_occurrence():
    vocab = build_vocabulary(LINES, min_count=1)
    assert vocab.words == ["a", "e", "b", "c", "d", "f"]
    assert vocab.counts.tolist() == [3, 3, 2, 2, 1, 1]
    assert vocab.total == sum(len(line) for line in LINES)
    assert vocab.index == {w: i for i, w in enumerate(vocab.words)}


def test_counts_match_a_plain_counter():
    lines = [f"w{i % 7} w{i % 3} w{i % 11}".split() for i in range(200)]
    vocab = build_vocabulary(lines, min_count=1)
    expected = Counter(token for line in lines for token in line)
    assert dict(zip(vocab.words, vocab.counts.tolist(), strict=True)) == dict(expected)
    assert list(vocab.counts) == sorted(vocab.counts, reverse=True)


def test_min_count_drops_rare_words():
    assert build_vocabulary(LINES, min_count=2).words == ["a", "e", "b", "c"]
    assert build_vocabulary(LINES, min_count=3).words == ["a", "e"]


def test_max_vocab_keeps_the_most_frequent_and_breaks_ties_by_first_occurrence():
    assert build_vocabulary(LINES, min_count=1, max_vocab=3).words == ["a", "e", "b"]
    assert build_vocabulary(LINES, min_count=1, max_vocab=100).words == list("aebcdf")


def test_empty_vocabulary_names_min_count_and_the_fix():
    with pytest.raises(EmbedlabError) as caught:
        build_vocabulary([["x", "y"]])
    assert str(caught.value) == (
        "vocabulary is empty after min_count=5: lower min_count or use a bigger corpus"
    )


@pytest.mark.parametrize(
    "options, message",
    [
        ({"min_count": 0}, "min_count must be at least 1"),
        ({"min_count": 2.5}, "min_count must be an integer"),
        ({"max_vocab": 0}, "max_vocab must be at least 1"),
    ],
)
def test_settings_are_validated(options, message):
    with pytest.raises(EmbedlabError, match=message):
        build_vocabulary(LINES, **options)
