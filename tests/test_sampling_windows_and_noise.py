"""Subsampling, the noise distribution, the alias sampler, the RNG and the window generators."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.corpus.random import next_random, randint, seed_state, uniform
from embedlab.corpus.sampling import AliasTable, keep_probability, noise_distribution
from embedlab.corpus.windows import cbow_examples, next_word_examples, skipgram_pairs
from embedlab.errors import EmbedlabError

FOX = "the quick brown fox jumped over the lazy dog".split()


def test_keep_probability_is_word2vecs_formula():
    # counts 900, 99, 1, sample 0.01 -> t = 0.01 * 1000 = 10:
    # 900: (sqrt(90) + 1) * 10 / 900 = 0.116521;  99: (sqrt(9.9) + 1) * 10 / 99 = 0.418831;
    # 1: (sqrt(0.1) + 1) * 10 = 13.2, clipped to 1
    keep = keep_probability([900, 99, 1], 0.01)
    assert keep == pytest.approx([0.116521, 0.418831, 1.0], abs=1e-6)
    assert keep.dtype == np.float32


def test_sample_zero_keeps_everything():
    assert np.array_equal(keep_probability([5, 3, 1], 0.0), np.ones(3, np.float32))


def test_noise_distribution_is_count_to_the_three_quarters():
    # 16 ** 0.75 = 8 and 1 ** 0.75 = 1
    assert noise_distribution([16, 1]) == pytest.approx([8 / 9, 1 / 9])
    assert noise_distribution([16, 1], exponent=0.0) == pytest.approx([0.5, 0.5])


def test_a_negative_exponent_favours_rare_words_and_never_draws_unseen_ones():
    # 16 ** -0.5 = 1/4, 4 ** -0.5 = 1/2, 1 ** -0.5 = 1: the rarest word is the likeliest noise
    assert noise_distribution([16, 4, 1, 0], exponent=-0.5) == pytest.approx(
        [0.25 / 1.75, 0.5 / 1.75, 1 / 1.75, 0.0]
    )


def test_training_draws_negatives_from_the_negative_exponent_distribution():
    # What skip-gram samples from: the objective's own alias table for these parameters.
    from embedlab.methods.word2vec.model import SkipGram
    from embedlab.methods.word2vec.objectives import OBJECTIVES

    counts = np.array([100, 25, 4, 1, 0])
    tables = OBJECTIVES["negative"].tables(counts, SkipGram(ns_exponent=-0.5, negative=2))
    table = AliasTable(tables["noise_prob"], tables["noise_alias"])
    draws = 40_000
    state = seed_state(3)
    seen = np.bincount([table.draw(state) for _ in range(draws)], minlength=5)
    assert seen[4] == 0  # a word never counted is never noise
    weights = np.array([1 / 10, 1 / 5, 1 / 2, 1])  # count ** -0.5 by hand
    expected = weights / weights.sum() * draws
    chi_square = float(((seen[:4] - expected) ** 2 / expected).sum())
    assert chi_square < 16.27  # the 0.1% critical value with 3 degrees of freedom


def test_alias_table_encodes_the_distribution_exactly():
    p = np.array([0.5, 0.25, 0.125, 0.0625, 0.0625])
    table = AliasTable.from_probs(p)
    n = len(p)
    recovered = table.prob.astype(np.float64) / n
    for j in range(n):
        recovered[table.alias[j]] += (1.0 - table.prob[j]) / n
    assert recovered == pytest.approx(p, abs=1e-7)
    assert table.prob.dtype == np.float32 and table.alias.dtype == np.int32


def test_alias_draws_follow_the_distribution():
    p = np.array([0.4, 0.3, 0.2, 0.1])
    table = AliasTable.from_probs(p)
    state = seed_state(7)
    draws = 40_000
    seen = np.bincount([table.draw(state) for _ in range(draws)], minlength=4)
    expected = p * draws
    chi_square = float(((seen - expected) ** 2 / expected).sum())
    assert chi_square < 16.27  # the 0.1% critical value with 3 degrees of freedom


def test_alias_table_rejects_bad_weights():
    with pytest.raises(EmbedlabError):
        AliasTable.from_probs([0.0, 0.0])
    with pytest.raises(EmbedlabError):
        AliasTable.from_probs([0.5, -0.1])


def test_rng_is_word2vecs_lcg():
    state = seed_state(3)
    start = int(state[0])
    assert int(next_random(state)) == (start * 25214903917 + 11) % 2**64
    values = [uniform(state) for _ in range(1000)]
    assert 0.0 <= min(values) and max(values) < 1.0 and 0.4 < np.mean(values) < 0.6
    ints = [randint(state, 7) for _ in range(2000)]
    assert set(ints) == set(range(7))


def test_seed_states_differ_by_seed_and_stream_and_repeat():
    assert seed_state(1)[0] == seed_state(1)[0]
    assert len({int(seed_state(1, s)[0]) for s in range(100)} | {int(seed_state(2)[0])}) == 101


def test_skipgram_pairs_full_window():
    pairs = skipgram_pairs(FOX, 2)
    # 9 words, window 2: positions 0 and 8 have 2 contexts, 1 and 7 have 3, the other 5 have 4
    assert len(pairs) == 2 + 3 + 5 * 4 + 3 + 2
    assert pairs[:2] == [(0, "the", "quick"), (0, "the", "brown")]
    assert [c for p, _, c in pairs if p == 4] == ["brown", "fox", "over", "the"]


def test_dynamic_window_pairs_are_a_reproducible_subset():
    full = set(skipgram_pairs(FOX, 3))
    dynamic = skipgram_pairs(FOX, 3, dynamic=True, seed=5)
    assert set(dynamic) <= full and len(dynamic) < len(full)
    assert dynamic == skipgram_pairs(FOX, 3, dynamic=True, seed=5)
    # every centre keeps at least its nearest neighbour (the window never shrinks below 1)
    assert {p for p, _, _ in dynamic} == set(range(len(FOX)))


def test_cbow_examples():
    examples = cbow_examples(FOX, 2)
    assert len(examples) == len(FOX)
    assert examples[4] == (4, ("brown", "fox", "over", "the"), "jumped")
    assert examples[0] == (0, ("quick", "brown"), "the")


def test_next_word_examples():
    examples = next_word_examples(FOX, 2)
    assert examples[0] == (2, ("the", "quick"), "brown")
    assert examples[-1] == (8, ("the", "lazy"), "dog")
    assert len(examples) == len(FOX) - 2


def test_window_generators_work_on_ids_too():
    assert skipgram_pairs([7, 8], 1) == [(0, 7, 8), (1, 8, 7)]


@pytest.mark.parametrize("window", [0, -1, 1.5, True])
def test_bad_window_is_a_user_error(window):
    with pytest.raises(EmbedlabError, match="window"):
        skipgram_pairs(FOX, window)
