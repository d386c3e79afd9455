"""Judging embeddings: word similarity, analogies (intrinsic) and sentence polarity (extrinsic).

``evaluate(emb)`` runs the bundled similarity and analogy benchmarks with the protocol of
word2vec's compute-accuracy and gensim's evaluators; ``evaluate_sentiment(emb)`` trains a logistic
regression on mean-pooled vectors for SST-2. The bundled data and its attribution are in
``data/README.md``.
"""

from __future__ import annotations

from embedlab.evaluation.datasets import BUNDLED
from embedlab.evaluation.intrinsic import evaluate
from embedlab.evaluation.sentiment import evaluate_sentiment

__all__ = ["BUNDLED", "evaluate", "evaluate_sentiment"]
