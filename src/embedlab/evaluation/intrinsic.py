"""Intrinsic evaluation: every similarity and analogy benchmark asked for, in one report."""

from __future__ import annotations

from collections.abc import Iterable

from embedlab.checks import check_bool
from embedlab.errors import EmbedlabError
from embedlab.evaluation.analogy import evaluate_analogy
from embedlab.evaluation.composed import composer
from embedlab.evaluation.datasets import BUNDLED, SimilarityData, load_dataset
from embedlab.evaluation.lookup import RestrictedVocab, check_restrict_vocab
from embedlab.evaluation.similarity import evaluate_similarity
from embedlab.vectors.keyed import as_vectors


def evaluate(emb, datasets=None, restrict_vocab: int | None = 30000, compose: bool = True) -> dict:
    """Score ``emb`` on word-similarity and analogy benchmarks.

    Args:
        emb: any vectors of the protocol (``embedlab.vectors.base.Vectors``: dense
            ``Embeddings``, sparse PPMI rows, ...) or gensim's ``KeyedVectors``, its words in
            frequency order.
        datasets: a bundled name (see ``embedlab.evaluation.datasets.BUNDLED``) or a file path,
            or a list of them; None (default) means every bundled benchmark.
        restrict_vocab: only this many most frequent words take part (word2vec's
            compute-accuracy uses 30000, the default); None means the whole vocabulary.
        compose: for vectors that give any word a vector (subword vectors), score a pair or
            question with a word outside those words by the vector composed for it (default
            True); False skips it, as for word-only vectors, so that scores compare with
            theirs. Analogy answers are always among the restricted words.

    Returns:
        ``{"similarity": {NAME: {"spearman", "pearson", "pairs", "oov"}},
        "analogy": {NAME: {"accuracy", "semantic", "syntactic", "questions", "skipped",
        "sections": {section: {"accuracy", "correct", "questions"}}}}}``, NAME being the name or
        path as given. Scores with no usable pair or question are None. For vectors that
        compose, each entry also has ``composed``: the pairs or questions scored with a
        composed word (0 with ``compose=False``).
    """
    emb = as_vectors(emb)
    restrict_vocab = check_restrict_vocab(restrict_vocab)
    names = _dataset_names(datasets)
    loaded = [load_dataset(name) for name in names]  # every bad name fails before any scoring
    compose = check_bool("compose", compose)
    vocab = RestrictedVocab(emb.words, restrict_vocab)
    composed = composer(emb, vocab, loaded, compose)
    report: dict = {"similarity": {}, "analogy": {}}
    for name, data in zip(names, loaded, strict=True):
        if isinstance(data, SimilarityData):
            report["similarity"][name] = evaluate_similarity(emb, vocab, data, composed)
        else:
            report["analogy"][name] = evaluate_analogy(emb, vocab, data, composed)
    return report


def _dataset_names(datasets) -> list[str]:
    if datasets is None:
        return list(BUNDLED)
    if isinstance(datasets, str) or hasattr(datasets, "__fspath__"):
        datasets = [datasets]
    if not isinstance(datasets, Iterable):
        raise EmbedlabError(
            f"datasets must be a benchmark name or file, or a list of them; got {datasets!r}"
        )
    return [str(name) for name in datasets]
