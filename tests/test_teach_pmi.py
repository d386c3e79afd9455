"""teach pmi: the notes' I/like/dogs table, and counts from a text."""

from __future__ import annotations

import math

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.teach.pmi import pmi_table, read_counts, text_counts


def test_the_notes_table_marginals_joint_and_pmi():
    result = pmi_table()
    assert result["words"] == ["I", "like", "dogs"] and result["total"] == 120
    np.testing.assert_allclose(result["p_target"], [1 / 6, 5 / 12, 5 / 12])
    np.testing.assert_allclose(result["p_context"], [1 / 6, 5 / 12, 5 / 12])
    np.testing.assert_allclose(result["joint"][1], [1 / 12, 0, 1 / 3])
    # slip: one slide has p(dogs, I) = 1/2; 10 of 120 is 1/12
    assert result["joint"][2][0] == pytest.approx(1 / 12)
    pmi = result["pmi"]
    # (1/12) / (1/6 * 5/12) = 6/5 and (1/3) / (5/12)^2 = 48/25: the notes' 0.18 and 0.65
    assert pmi[0][1] == pytest.approx(math.log(6 / 5)) and round(pmi[0][1], 2) == 0.18
    assert pmi[1][2] == pytest.approx(math.log(48 / 25)) and round(pmi[1][2], 2) == 0.65
    assert pmi[0][0] is None and pmi[1][1] is None  # -inf
    assert result["ppmi"][0][0] == 0.0
    assert result["ppmi"][2][1] == pytest.approx(math.log(48 / 25))


def test_shifted_pmi_subtracts_ln_k():
    result = pmi_table(k=5)
    assert result["shifted_pmi"][1][2] == pytest.approx(math.log(48 / 25) - math.log(5))
    assert result["shifted_ppmi"][1][2] == 0.0  # 0.65 - 1.61 < 0
    assert result["shifted_pmi"][0][0] is None


def test_counts_from_the_notes_sentence():
    words, counts = text_counts("I like cats and dogs", window=2)
    assert words == ["I", "like", "cats", "and", "dogs"]
    # the notes' increments for window 2, e.g. W[cats, *] = I, like, and, dogs
    expected = np.zeros((5, 5))
    for t, contexts in {0: [1, 2], 1: [0, 2, 3], 2: [0, 1, 3, 4], 3: [1, 2, 4], 4: [2, 3]}.items():
        expected[t, contexts] = 1
    np.testing.assert_array_equal(counts, expected)


def test_read_counts_file(tmp_path):
    path = tmp_path / "counts.tsv"
    path.write_text("a b\nx 1 3\ny 2 0\n")
    targets, contexts, counts = read_counts(path)
    assert (targets, contexts) == (["x", "y"], ["a", "b"])
    result = pmi_table(counts, targets, contexts)
    # p(x, b) = 3/6, p(x) = 4/6, p(b) = 3/6
    assert result["pmi"][0][1] == pytest.approx(math.log((3 / 6) / (4 / 6 * 3 / 6)))
    path.write_text("a b\nx 1\n")
    with pytest.raises(EmbedlabError, match="line 2"):
        read_counts(path)
    with pytest.raises(EmbedlabError, match="cannot read"):
        read_counts(tmp_path / "missing.tsv")
    with pytest.raises(EmbedlabError, match="k must be"):
        pmi_table(k=0.5)
