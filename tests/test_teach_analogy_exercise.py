"""teach analogy-exercise: which words a corpus can answer for, counted independently, and
3CosAdd recomputed from the vectors it returns."""

from __future__ import annotations

import json
import re
from collections import Counter

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.teach.analogy_exercise import analogy_exercise

SENTENCES = [
    "the king rules the land and the queen rules the sea",
    "a man walks to the market and a woman walks to the river",
    "the eagle flies over the land",
    "the person walks to the king",
] * 6 + ["an eagle and a person"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("exercise") / "tiny.txt"
    path.write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
    return path


def small(corpus, *words, min_count=3):
    return analogy_exercise(
        *words,
        corpus=corpus,
        dim=8,
        window=2,
        negative=2,
        epochs=2,
        min_count=min_count,
        seed=3,
        topn=3,
    )


def test_a_word_the_corpus_lacks_cannot_be_answered(corpus):
    result = small(corpus)  # the notes' eagle, awesome, person
    counts = Counter(w for s in SENTENCES for w in s.split())
    assert {w["word"]: w["count"] for w in result["words"]} == {
        "eagle": counts["eagle"],
        "awesome": 0,
        "person": counts["person"],
    }
    assert [w["has_vector"] for w in result["words"]] == [True, False, True]
    assert not result["answerable"] and result["answers"] == [] and result["ranked_by"] is None


def test_a_rare_word_has_no_vector_below_min_count(corpus):
    counts = Counter(w for s in SENTENCES for w in s.split())
    assert (counts["man"], counts["king"], counts["eagle"]) == (6, 12, 7)
    result = small(corpus, "man", "king", "eagle", min_count=8)
    assert [w["has_vector"] for w in result["words"]] == [False, True, False]
    result = small(corpus, "man", "king", "woman", min_count=6)
    assert [w["has_vector"] for w in result["words"]] == [True, True, True]


def test_the_answers_cosines_from_the_returned_vectors(corpus):
    result = small(corpus, "man", "king", "woman")
    assert result["answerable"] and result["query"] == "king - man + woman"
    q = result["query_vectors"]
    unit = {w: np.array(v) / np.linalg.norm(v) for w, v in q.items()}
    target = unit["king"] - unit["man"] + unit["woman"]
    np.testing.assert_allclose(result["ranked_by"], target, atol=1e-6)
    cosines = []
    for answer in result["answers"]:
        v = np.array(answer["vector"])
        cosines.append(float(v @ target / (np.linalg.norm(v) * np.linalg.norm(target))))
        assert answer["cosine"] == pytest.approx(cosines[-1], abs=1e-5)
        assert answer["word"] not in q
    assert cosines == sorted(cosines, reverse=True)


def test_the_command_says_which_word_and_why(corpus, capsys):
    args = [
        "teach",
        "analogy-exercise",
        "--corpus",
        str(corpus),
        "--dim",
        "8",
        "--epochs",
        "1",
        "--min-count",
        "3",
    ]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "'awesome' occurs 0 times in the corpus" in out and "cannot be answered" in out
    assert re.search(r"eagle │ +\d+ │ yes", out)
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["answerable"] is False
