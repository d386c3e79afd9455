"""The tokenizer modes and their options."""

from __future__ import annotations

import pytest

from embedlab.corpus import Tokenizer
from embedlab.errors import EmbedlabError


def test_regex_default_lowercases_and_drops_punctuation():
    line = "The Cat's well-known toy -- \u201cBall\u201d, 42 times!"
    assert Tokenizer().tokenize(line) == [
        "the",
        "cat's",
        "well-known",
        "toy",
        "ball",
        "42",
        "times",
    ]


def test_regex_keeps_only_inner_apostrophes_and_hyphens():
    line = "'quoted' trailing- -leading rock'n'roll don\u2019t a--b snake_case"
    assert Tokenizer().tokenize(line) == [
        "quoted",
        "trailing",
        "leading",
        "rock'n'roll",
        "don\u2019t",
        "a",
        "b",
        "snake",
        "case",
    ]


def test_regex_handles_any_script():
    assert Tokenizer().tokenize("Zürich Ελλάδα Москва 東京") == [
        "zürich",
        "ελλάδα",
        "москва",
        "東京",
    ]


def test_no_lowercase_keeps_case():
    assert Tokenizer(lowercase=False).tokenize("Paris is in France") == [
        "Paris",
        "is",
        "in",
        "France",
    ]


def test_whitespace_mode_splits_on_whitespace_only():
    line = "Hello ,  world\tC++ e.g.\u00a0x"
    assert Tokenizer("whitespace").tokenize(line) == ["hello", ",", "world", "c++", "e.g.", "x"]
    assert Tokenizer("whitespace", lowercase=False).tokenize("A b") == ["A", "b"]


def test_empty_and_blank_lines_have_no_tokens():
    assert Tokenizer().tokenize("") == []
    assert Tokenizer().tokenize(" ... !! ") == []
    assert Tokenizer("whitespace").tokenize("   ") == []


@pytest.mark.parametrize(
    "options, message",
    [
        ({"kind": "spacy"}, "tokenizer must be one of regex, whitespace; got 'spacy'"),
        ({"lowercase": "yes"}, "lowercase must be True or False"),
    ],
)
def test_options_are_validated(options, message):
    with pytest.raises(EmbedlabError, match=message):
        Tokenizer(**options)
