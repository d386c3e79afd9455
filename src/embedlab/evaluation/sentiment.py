"""Extrinsic evaluation: sentence polarity from averaged word vectors.

Each sentence becomes the mean of the vectors of its known words (tokens lowercased, looked up
case-insensitively, the most frequent case variant standing for a word); a sentence with no known
word becomes the zero vector. A logistic regression on standardised features is trained on the
bundled SST-2 training subsample and tested on SST-2 dev (see ``data/README.md``). Only the
vectors change between runs, so the accuracy compares embeddings on a real task.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError
from embedlab.evaluation.datasets import bundled_text
from embedlab.vectors.keyed import as_vectors

TRAIN_FILE = "sst2-train.tsv.gz"
TEST_FILE = "sst2-dev.tsv.gz"


def evaluate_sentiment(emb, seed: int = 0) -> dict:
    """Accuracy of a logistic regression on mean-pooled vectors for SST-2 sentence polarity.

    Args:
        emb: any vectors of the protocol (dense ``Embeddings``, sparse PPMI rows, ...) or
            gensim's ``KeyedVectors``, its words in frequency order.
        seed: ``random_state`` of the classifier. The lbfgs solver is deterministic, so the
            result depends on the vectors only; the seed pins any randomness a solver may use.

    Returns:
        ``{"accuracy", "coverage", "train", "test"}``: accuracy on the test sentences (fraction in
        [0, 1]), coverage = fraction of the test tokens that have a vector, and the number of
        training and test sentences.
    """
    emb = as_vectors(emb)
    # scikit-learn takes about a second to import; only this task needs it
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    seed = check_int("seed", seed, minimum=0)
    train_sentences, train_labels = read_polarity(TRAIN_FILE)
    test_sentences, test_labels = read_polarity(TEST_FILE)
    lookup = _lowercase_lookup(emb.words)
    train_x, _ = mean_pooled(train_sentences, lookup, emb)
    test_x, coverage = mean_pooled(test_sentences, lookup, emb)
    # centring would make sparse features (PPMI rows: |V| of them) dense; scaling keeps them sparse
    scaler = StandardScaler(with_mean=not emb.sparse)
    model = make_pipeline(scaler, LogisticRegression(max_iter=2000, random_state=seed))
    model.fit(train_x, train_labels)
    return {
        "accuracy": float(model.score(test_x, test_labels)),
        "coverage": coverage,
        "train": len(train_sentences),
        "test": len(test_sentences),
    }


def read_polarity(filename: str) -> tuple[list[list[str]], np.ndarray]:
    """Lowercased token lists and 0/1 labels from a bundled ``sentence<TAB>label`` file."""
    lines = bundled_text(filename).split("\n")
    sentences, labels = [], []
    for line in lines[1:]:  # the first line is the header
        if line:
            text, label = line.rsplit("\t", 1)
            sentences.append(text.lower().split())
            labels.append(int(label))
    return sentences, np.asarray(labels, dtype=np.int64)


def mean_pooled(sentences, lookup: dict[str, int], emb):
    """One row per sentence: the mean vector of its known tokens; and the token coverage.

    A sentence without known tokens gets the zero vector. Coverage is known tokens / all tokens
    (None when there are no tokens at all).
    """
    sentence_ids, word_rows = [], []
    tokens = 0
    for number, sentence in enumerate(sentences):
        tokens += len(sentence)
        for token in sentence:
            row = lookup.get(token)
            if row is not None:
                sentence_ids.append(number)
                word_rows.append(row)
    sentence_ids = np.asarray(sentence_ids, dtype=np.int64)
    word_rows = np.asarray(word_rows, dtype=np.int64)
    known = np.bincount(sentence_ids, minlength=len(sentences)).astype(np.float64)
    weights = 1.0 / np.maximum(known, 1.0)[sentence_ids]
    pooling = sparse.csr_matrix(
        (weights, (sentence_ids, word_rows)), shape=(len(sentences), len(emb))
    )
    coverage = len(word_rows) / tokens if tokens else None
    return emb.weighted_rows(pooling), coverage


def _lowercase_lookup(words) -> dict[str, int]:
    """Lowercased word -> row of its first (most frequent) case variant."""
    if len(words) == 0:
        raise EmbedlabError("the embeddings have no words: train or load a non-empty vocabulary")
    lookup: dict[str, int] = {}
    for row, word in enumerate(words):
        lookup.setdefault(word.lower(), row)
    return lookup
