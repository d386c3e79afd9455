"""Similarity and analogy scores on tiny hand-made vectors, with answers worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.evaluation import BUNDLED, evaluate
from embedlab.vectors.embeddings import Embeddings


def _emb(table):
    words = list(table)
    return Embeddings(words, np.array([table[w] for w in words], dtype=np.float32))


def _file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_similarity_correlations_worked_by_hand(tmp_path):
    # cosines: (a,b) = 1, (a,c) = 0, (a,d) = -1, (b,c) = 0
    emb = _emb({"a": [1, 0], "b": [2, 0], "c": [0, 3], "d": [-1, 0]})
    path = _file(tmp_path, "p.txt", "a b 9\na c 5\na d 1\nb c 4\nA x 3\n")
    result = evaluate(emb, datasets=[path])["similarity"][path]
    model, gold = np.array([1.0, 0.0, -1.0, 0.0]), np.array([9.0, 5.0, 1.0, 4.0])
    # Spearman with the tie at 0 given the average rank 2.5: ranks (4, 2.5, 1, 2.5) vs (4, 3, 1, 2)
    model_ranks, gold_ranks = np.array([4, 2.5, 1, 2.5]), np.array([4, 3, 1, 2])
    assert result["spearman"] == pytest.approx(np.corrcoef(model_ranks, gold_ranks)[0, 1])
    assert result["pearson"] == pytest.approx(np.corrcoef(model, gold)[0, 1])
    assert (result["pairs"], result["oov"]) == (4, 1)


def test_similarity_is_case_insensitive_and_uses_the_most_frequent_variant(tmp_path):
    # 'Cat' comes first (more frequent) so it stands for every spelling of cat
    emb = _emb({"Cat": [1, 0], "dog": [1, 1], "cat": [0, 1], "car": [-1, 0]})
    path = _file(tmp_path, "p.txt", "CAT dog 8\ncat car 1\ncAt dog 8\n")
    result = evaluate(emb, datasets=[path])["similarity"][path]
    assert result["pairs"] == 3 and result["spearman"] == pytest.approx(1.0)
    # with the vector of the lower-case 'cat', the order of the two pairs would flip
    assert result["pearson"] == pytest.approx(1.0)


def test_restrict_vocab_skips_pairs_beyond_the_most_frequent_words(tmp_path):
    emb = _emb({"a": [1, 0], "b": [1, 1], "c": [0, 1], "d": [-1, 1]})
    path = _file(tmp_path, "p.txt", "a b 3\na c 2\na d 1\n")
    assert evaluate(emb, datasets=path, restrict_vocab=3)["similarity"][path]["oov"] == 1
    assert evaluate(emb, datasets=path, restrict_vocab=None)["similarity"][path]["oov"] == 0


def test_no_usable_pair_or_question_gives_null_scores(tmp_path):
    emb = _emb({"a": [1, 0], "b": [0, 1]})
    pairs = _file(tmp_path, "p.txt", "x y 1\n")
    questions = _file(tmp_path, "q.txt", ": s\nx y z w\n: gram1\na b a b\n")
    report = evaluate(emb, datasets=[pairs, questions])
    assert report["similarity"][pairs] == {"spearman": None, "pearson": None, "pairs": 0, "oov": 1}
    analogy = report["analogy"][questions]
    assert analogy["semantic"] is None
    assert analogy["questions"] == 1 and analogy["skipped"] == 1
    assert analogy["sections"]["s"] == {"accuracy": None, "correct": 0, "questions": 0}
    # only a and b exist, both are question words: no candidate is left, so it is a miss
    assert analogy["syntactic"] == 0.0 and analogy["accuracy"] == 0.0


def test_constant_model_scores_give_null_correlation(tmp_path):
    emb = _emb({"a": [1, 0], "b": [1, 0], "c": [2, 0]})
    path = _file(tmp_path, "p.txt", "a b 1\na c 2\nb c 3\n")
    result = evaluate(emb, datasets=path)["similarity"][path]
    assert result["pairs"] == 3 and result["spearman"] is None and result["pearson"] is None


ANALOGY_VECTORS = {
    # king - man + woman = (1, 1, 0) + (0, 0, 1): nearest non-question word is queen
    "king": [1, 1, 0],
    "man": [1, 0, 0],
    "woman": [1, 0, 1],
    "queen": [1, 1, 1.2],
    "prince": [0.2, 1, 0.9],
    "walk": [0, 0, -1],
    "walked": [0.5, -1, -1],
    "run": [0, 0.3, -1],
    "ran": [0.5, -0.7, -1],
}


def test_analogy_answers_and_accuracies_worked_by_hand(tmp_path):
    emb = _emb(ANALOGY_VECTORS)
    path = _file(
        tmp_path,
        "q.txt",
        ": family\nman king woman queen\nman king woman prince\nman woman king Queen\n"
        ": gram7-past-tense\nwalk walked run ran\nwalk walked run walked\nwalk flew run ran\n",
    )
    result = evaluate(emb, datasets=[path])["analogy"][path]
    # man:woman::king:? -> king + woman - man = (1, 1, 1): queen (cos .98) beats prince
    # walk:walked::run:? -> ran (cos .997) beats the question word walked (.972)
    assert result["sections"]["family"] == {"accuracy": 2 / 3, "correct": 2, "questions": 3}
    assert result["sections"]["gram7-past-tense"] == {"accuracy": 0.5, "correct": 1, "questions": 2}
    assert result["semantic"] == pytest.approx(2 / 3)
    assert result["syntactic"] == pytest.approx(0.5)
    assert result["accuracy"] == pytest.approx(3 / 5)
    assert (result["questions"], result["skipped"]) == (5, 1)


def test_question_words_and_their_case_variants_are_never_the_answer(tmp_path):
    # 'KING' (a rarer spelling of the question word king) points exactly along the query
    # unit(king) - unit(man) + unit(woman) = (sqrt(.5) + sqrt(.5) - 1, sqrt(.5), sqrt(.5))
    half = np.sqrt(0.5)
    table = dict(ANALOGY_VECTORS, KING=[2 * half - 1, half, half])
    path = _file(tmp_path, "q.txt", ": family\nman king woman queen\n")
    result = evaluate(_emb(table), datasets=path)["analogy"][path]
    assert result["accuracy"] == 1.0


def test_analogy_restrict_vocab_drops_rare_words_from_questions_and_answers(tmp_path):
    path = _file(tmp_path, "q.txt", ": family\nman king woman queen\nman king woman prince\n")
    emb = _emb(ANALOGY_VECTORS)
    # with only the first 4 words, 'prince' questions are skipped
    result = evaluate(emb, datasets=path, restrict_vocab=4)["analogy"][path]
    assert (result["questions"], result["skipped"], result["accuracy"]) == (1, 1, 1.0)
    # with 5 words prince is usable, and queen still beats prince for both
    result = evaluate(emb, datasets=path, restrict_vocab=5)["analogy"][path]
    assert (result["questions"], result["accuracy"]) == (2, 0.5)


def test_default_runs_every_bundled_benchmark():
    emb = _emb(ANALOGY_VECTORS)
    report = evaluate(emb)
    assert sorted([*report["similarity"], *report["analogy"]]) == sorted(BUNDLED)
    assert (
        report["analogy"]["google"]["questions"] + report["analogy"]["google"]["skipped"] == 19544
    )
    assert set(report["similarity"]["ws353"]) == {"spearman", "pearson", "pairs", "oov"}


@pytest.mark.parametrize("bad", [0, -5, 2.5, "many"])
def test_bad_restrict_vocab_is_a_user_error(bad):
    with pytest.raises(EmbedlabError, match="restrict_vocab"):
        evaluate(_emb(ANALOGY_VECTORS), datasets="mc30", restrict_vocab=bad)


def test_bad_dataset_fails_before_any_scoring(tmp_path):
    with pytest.raises(EmbedlabError, match="unknown dataset 'nope'"):
        evaluate(_emb(ANALOGY_VECTORS), datasets=["mc30", "nope"])
