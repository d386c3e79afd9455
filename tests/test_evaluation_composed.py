"""Evaluating subword vectors: words outside the vocabulary scored with composed vectors.

The vectors are a model the ``fasttext`` package trained (``conftest.fasttext_model``); every
expected score is computed here from fastText's own ``get_word_vector`` with NumPy and SciPy.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from embedlab.cli.app import main
from embedlab.evaluation import evaluate
from embedlab.vectors import Embeddings

PAIRS = [
    ("Emma", "Harriet", 7.0),
    ("father", "mother", 8.0),
    ("unkingliness", "kindness", 3.0),  # the first word was never seen
    ("house", "houses", 9.0),
    ("Woodhousely", "Woodhouse", 6.5),  # unseen again
    ("letter", "letters", 8.5),
    ("walk", "friend", 1.0),
]
QUESTIONS = [
    ("father", "mother", "brother", "sister"),
    ("Emma", "Emmaish", "Harriet", "Harriet's"),  # an unseen question word
    ("house", "houses", "letter", "letters"),
    ("walked", "walkingness", "talked", "talking"),  # unseen again
    ("zzyzx", "house", "letter", "qqqqq"),  # the answer is unseen: never answerable
]


@pytest.fixture(scope="module")
def emb(fasttext_subwords):
    return fasttext_subwords


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sets")
    (folder / "pairs.txt").write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in PAIRS))
    (folder / "questions.txt").write_text(
        ": gram-test\n" + "".join(" ".join(q) + "\n" for q in QUESTIONS)
    )
    return folder / "pairs.txt", folder / "questions.txt"


def _cosine(model, a, b):
    u, v = model.get_word_vector(a), model.get_word_vector(b)
    return float(u @ v / np.linalg.norm(u) / np.linalg.norm(v))


def test_similarity_scores_unseen_words_with_composed_vectors(emb, fasttext_model, files):
    for a, b, _ in PAIRS:
        assert (a in emb and b in emb) == (
            "unkingliness" not in (a, b) and "Woodhousely" not in (a, b)
        )
    report = evaluate(emb, datasets=[str(files[0])])["similarity"][str(files[0])]
    cosines = [_cosine(fasttext_model, a, b) for a, b, _ in PAIRS]
    expected = stats.spearmanr([s for *_, s in PAIRS], cosines)[0]
    assert report["pairs"] == len(PAIRS) and report["oov"] == 0 and report["composed"] == 2
    assert report["spearman"] == pytest.approx(expected, abs=1e-9)


def test_similarity_can_skip_them_as_for_word_only_vectors(emb, fasttext_model, files):
    report = evaluate(emb, datasets=[str(files[0])], compose=False)["similarity"][str(files[0])]
    kept = [(a, b, s) for a, b, s in PAIRS if a in emb and b in emb]
    cosines = [_cosine(fasttext_model, a, b) for a, b, _ in kept]
    expected = stats.spearmanr([s for *_, s in kept], cosines)[0]
    assert (report["pairs"], report["oov"], report["composed"]) == (len(kept), 2, 0)
    assert report["spearman"] == pytest.approx(expected, abs=1e-9)


def _brute_force_answers(model, words, questions):
    """3CosAdd by hand over fastText's vectors: the best word other than the three asked
    (compared case-insensitively, as the protocol does)."""
    matrix = np.array([model.get_word_vector(w) for w in words], dtype=np.float64)
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    answers = []
    for a, b, c, _ in questions:
        query = sum(
            sign * model.get_word_vector(w) / np.linalg.norm(model.get_word_vector(w))
            for sign, w in ((-1, a), (1, b), (1, c))
        )
        scores = unit @ query
        asked = {a.upper(), b.upper(), c.upper()}
        scores[[w.upper() in asked for w in words]] = -np.inf
        answers.append(words[int(np.argmax(scores))])
    return answers


def test_analogies_compose_unseen_question_words(emb, fasttext_model, files):
    report = evaluate(emb, datasets=[str(files[1])], restrict_vocab=None)["analogy"][str(files[1])]
    answerable = [q for q in QUESTIONS if q[3] in emb]
    answers = _brute_force_answers(fasttext_model, emb.words, answerable)
    correct = sum(got.upper() == q[3].upper() for got, q in zip(answers, answerable, strict=True))
    assert report["questions"] == len(answerable) == 4
    assert report["skipped"] == 1 and report["composed"] == 2
    assert report["sections"]["gram-test"]["correct"] == correct


def test_word_only_vectors_report_as_before(emb, files):
    dense = Embeddings(emb.words, emb.vectors)
    for compose in (True, False):
        report = evaluate(dense, datasets=[str(f) for f in files], compose=compose)
        similarity = report["similarity"][str(files[0])]
        assert set(similarity) == {"spearman", "pearson", "pairs", "oov"}
        assert similarity["oov"] == 2
        assert "composed" not in report["analogy"][str(files[1])]


def test_the_cli_composes_by_default_and_skips_with_no_compose(emb, files, tmp_path, capsys):
    path = tmp_path / "model.bin"
    emb.save(path)
    for flag, composed in (("--compose", 2), ("--no-compose", 0)):
        assert main(["evaluate", str(path), "-d", str(files[0]), flag, "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["similarity"][str(files[0])]["composed"] == composed
