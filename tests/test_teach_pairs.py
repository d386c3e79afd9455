"""teach pairs: the notes' sliding-window tables, from the trainer's own window generators."""

from __future__ import annotations

import pytest

from embedlab.corpus import windows
from embedlab.errors import EmbedlabError
from embedlab.teach.pairs import training_pairs

FOX = "The quick brown fox jumped over the lazy dog"


def test_skipgram_window_2_matches_the_notes_first_four_windows():
    rows = training_pairs(FOX, window=2)
    # the notes' table (Mannheim Ex. 02, answer b): windows 1-4
    expected = [
        (1, "The", "quick"),
        (1, "The", "brown"),
        (2, "quick", "The"),
        (2, "quick", "brown"),
        (2, "quick", "fox"),
        (3, "brown", "The"),
        (3, "brown", "quick"),
        (3, "brown", "fox"),
        (3, "brown", "jumped"),
        (4, "fox", "quick"),
        (4, "fox", "brown"),
        (4, "fox", "jumped"),
        (4, "fox", "over"),
    ]
    assert [(r["window"], r["source"], r["target"]) for r in rows[:13]] == expected
    # 9 words, window 2: 2 + 3 + 4*5 + 3 + 2 pairs
    assert len(rows) == 2 + 3 + 4 * 5 + 3 + 2
    assert set(rows[0]) == {"window", "source", "target"}


def test_skipgram_window_2_around_by_and_a_matches_cs109b():
    rows = training_pairs("The dog was chased by a white cat as it was", window=2)
    by = [r["target"] for r in rows if r["window"] == 5]
    a = [r["target"] for r in rows if r["window"] == 6]
    assert by == ["was", "chased", "a", "white"]
    assert a == ["chased", "by", "white", "cat"]


def test_next_word_two_inputs_one_output_as_the_notes_table():
    rows = training_pairs("Shivas was chased by a cat as", window=2, mode="next-word")
    triples = [(tuple(r["inputs"]), r["target"]) for r in rows]
    assert (("was", "chased"), "by") in triples
    assert (("chased", "by"), "a") in triples
    assert (("by", "a"), "cat") in triples
    assert triples[0] == (("Shivas", "was"), "chased")
    assert [r["window"] for r in rows] == list(range(1, 6))
    assert set(rows[0]) == {"window", "inputs", "target"}


def test_cbow_uses_both_sides_of_the_centre():
    rows = training_pairs("Shivas was chased by a cat as", window=1, mode="cbow")
    assert rows[2] == {"window": 3, "inputs": ["was", "by"], "target": "chased"}


def test_pairs_come_from_the_shared_window_generator(monkeypatch):
    calls = []
    real = windows.skipgram_pairs

    def spy(seq, window, dynamic=False, seed=1):
        calls.append((tuple(seq), window, dynamic, seed))
        return real(seq, window, dynamic=dynamic, seed=seed)

    monkeypatch.setattr("embedlab.teach.pairs.skipgram_pairs", spy)
    training_pairs("a b c", window=1, dynamic=True, seed=7)
    assert calls == [(("a", "b", "c"), 1, True, 7)]


def test_dynamic_windows_are_reduced_and_reproducible():
    full = training_pairs(FOX, window=4)
    dyn = training_pairs(FOX, window=4, dynamic=True, seed=3)
    assert dyn == training_pairs(FOX, window=4, dynamic=True, seed=3)
    assert len(dyn) < len(full)
    assert all(r in full for r in dyn)


def test_bad_inputs_are_user_errors():
    with pytest.raises(EmbedlabError, match="mode"):
        training_pairs(FOX, mode="glove")
    with pytest.raises(EmbedlabError, match="no words"):
        training_pairs("   ...  ")
    with pytest.raises(EmbedlabError, match="window"):
        training_pairs(FOX, window=0)
