"""The SST-2 sentiment task: deterministic, blind to random vectors, sees a planted direction."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.evaluation import evaluate_sentiment
from embedlab.evaluation.sentiment import TEST_FILE, TRAIN_FILE, read_polarity
from embedlab.vectors.embeddings import Embeddings

SST2 = Path(__file__).resolve().parents[2] / "shared" / "data" / "sentiment" / "SST-2"


@pytest.fixture(scope="module")
def train_data():
    return read_polarity(TRAIN_FILE)


@pytest.fixture(scope="module")
def vocabulary(train_data):
    sentences, _ = train_data
    test_sentences, _ = read_polarity(TEST_FILE)
    return sorted({w for s in sentences + test_sentences for w in s})


def test_bundled_split_sizes_and_labels(train_data):
    sentences, labels = train_data
    test_sentences, test_labels = read_polarity(TEST_FILE)
    assert (len(sentences), len(test_sentences)) == (6000, 872)
    assert set(labels) == {0, 1} and set(test_labels) == {0, 1}
    # SST-2 dev has 428 negative and 444 positive sentences
    assert (int((test_labels == 0).sum()), int(test_labels.sum())) == (428, 444)


@pytest.mark.skipif(not SST2.is_dir(), reason="needs the shared SST-2 files")
def test_bundled_files_are_sst2_dev_and_a_subsample_of_sst2_train(train_data):
    def rows(name):
        lines = (SST2 / name).read_text(encoding="utf-8").split("\n")[1:]
        pairs = [line.rsplit("\t", 1) for line in lines if line]
        return [(text.split(), int(label)) for text, label in pairs]

    dev = rows("dev.tsv")
    sentences, labels = read_polarity(TEST_FILE)
    assert [s for s, _ in dev] == sentences and [lab for _, lab in dev] == list(labels)
    # SST-2 train repeats some phrases, so compare as multisets
    train = Counter((" ".join(s), lab) for s, lab in rows("train.tsv"))
    picked = Counter((" ".join(s), lab) for s, lab in zip(*train_data, strict=True))
    assert sum(picked.values()) == 6000 and not picked - train


def test_result_shape_and_determinism(vocabulary):
    rng = np.random.default_rng(0)
    emb = Embeddings(vocabulary, rng.standard_normal((len(vocabulary), 6)).astype(np.float32))
    first = evaluate_sentiment(emb)
    assert set(first) == {"accuracy", "coverage", "train", "test"}
    assert (first["train"], first["test"]) == (6000, 872)
    assert first == evaluate_sentiment(emb) == evaluate_sentiment(emb, seed=0)


def test_random_vectors_score_near_chance(vocabulary):
    rng = np.random.default_rng(1)
    emb = Embeddings(vocabulary, rng.standard_normal((len(vocabulary), 8)).astype(np.float32))
    result = evaluate_sentiment(emb)
    assert result["coverage"] == 1.0
    assert 0.4 <= result["accuracy"] <= 0.6


def test_planted_sentiment_direction_scores_well_above_chance(train_data, vocabulary):
    # The first coordinate is each word's smoothed log-odds of appearing in a positive phrase
    # of the training data; the rest is noise.
    sentences, labels = train_data
    positive, negative = Counter(), Counter()
    for sentence, label in zip(sentences, labels, strict=True):
        (positive if label else negative).update(sentence)
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((len(vocabulary), 8))
    vectors[:, 0] = [np.log((positive[w] + 1) / (negative[w] + 1)) for w in vocabulary]
    result = evaluate_sentiment(Embeddings(vocabulary, vectors.astype(np.float32)))
    assert result["accuracy"] > 0.7


def test_coverage_counts_test_tokens_and_case_variants_stand_for_lowercase():
    test_sentences, labels = read_polarity(TEST_FILE)
    tokens = [w for s in test_sentences for w in s]
    expected = sum(w in {"the", "film", "good"} for w in tokens) / len(tokens)
    vectors = np.eye(3, dtype=np.float32)
    lower = evaluate_sentiment(Embeddings(["the", "film", "good"], vectors))
    mixed = evaluate_sentiment(Embeddings(["The", "FILM", "Good"], vectors))
    assert lower["coverage"] == pytest.approx(expected)
    assert mixed == lower


def test_vectors_knowing_no_sst_word_predict_the_majority_class():
    emb = Embeddings(["zzqx", "qqzx"], np.ones((2, 3), dtype=np.float32))
    result = evaluate_sentiment(emb)
    # every sentence is the zero vector, so the classifier predicts the training majority
    # (positive: 3,373 of 6,000), which is right for SST-2 dev's 444 positive of 872
    assert result["coverage"] == 0.0
    assert result["accuracy"] == pytest.approx(444 / 872)


def test_bad_seed_and_empty_vocabulary_are_user_errors(vocabulary):
    emb = Embeddings(vocabulary[:5], np.ones((5, 2), dtype=np.float32))
    with pytest.raises(EmbedlabError, match="seed"):
        evaluate_sentiment(emb, seed=-1)
    with pytest.raises(EmbedlabError, match="no words"):
        evaluate_sentiment(Embeddings([], np.zeros((0, 2), dtype=np.float32)))
