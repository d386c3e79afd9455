"""teach params and teach cosine: the notes' parameter count and personality example."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.teach.cosine import cosine_similarities, parse_vector
from embedlab.teach.params import parameter_count


def test_mannheim_parameter_count():
    result = parameter_count(101_425, 300)
    assert result["parameters"] == 2 * 300 * 101_425 == 60_855_000
    assert result["bytes"] == 4 * 60_855_000
    assert result["touched_per_update"]["negative_sampling"] == (5 + 2) * 300


def test_parameter_count_validates():
    with pytest.raises(EmbedlabError, match="vocab"):
        parameter_count(0, 10)


def test_personality_cosines_and_the_slides_slip():
    result = cosine_similarities()
    got = {r["name"]: r["cosine"] for r in result["similarities"]}
    pavlos = np.array([97, 98, 73, 88, 76.0])
    for name, other in {
        "A": [70, 74, 62, 46, 68],
        "B": [88, 13, 51, 22, 93],
        "C": [67, 87, 56, 89, 80],
    }.items():
        other = np.array(other, dtype=float)
        assert got[name] == pytest.approx(
            pavlos @ other / np.linalg.norm(pavlos) / np.linalg.norm(other)
        )
    assert round(got["B"], 3) == 0.826  # the slide's 0.826 is right
    # slip: the slide's 0.987 and 0.912; the scores give 0.988 (C) and 0.986 (A)
    assert round(got["C"], 3) == 0.988 and round(got["A"], 3) == 0.986
    assert [r["name"] for r in result["similarities"]] == ["C", "A", "B"]


def test_cosine_of_given_vectors():
    result = cosine_similarities({"x": [1, 0], "y": [0, 2], "z": [3, 3]})
    got = {r["name"]: r["cosine"] for r in result["similarities"]}
    assert got["y"] == 0.0 and got["z"] == pytest.approx(1 / np.sqrt(2))
    assert parse_vector("pavlos=97, 98") == ("pavlos", [97.0, 98.0])
    with pytest.raises(EmbedlabError, match="NAME=x,y"):
        parse_vector("pavlos")
    with pytest.raises(EmbedlabError, match="all zeros"):
        cosine_similarities({"x": [1, 0], "o": [0, 0]})
    with pytest.raises(EmbedlabError, match="different lengths"):
        cosine_similarities({"x": [1, 0], "o": [0, 0, 1]})
