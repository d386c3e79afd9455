"""Nearest neighbours and analogies as plain data (what ``embedlab similar`` and ``analogy``
print, and what the explorer shows).

A word the vectors know is queried by name, so it is left out of its own answers as gensim
does. A word they do not know but still give a vector for (a subword kind composes one from
its character n-grams) is queried by that vector, scaled to length 1 as a known word is, and
listed under ``composed``. Every other unknown word is named in one ``UnknownWordError``.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_choice, check_int
from embedlab.errors import UnknownWordError
from embedlab.vectors.base import BLOCK_CELLS

#: Analogy methods by their names in the literature (Mikolov et al. 2013; Levy & Goldberg
#: 2014) -> the protocol's query.
ANALOGY_METHODS = {"3CosAdd": "most_similar", "3CosMul": "most_similar_cosmul"}


def query_terms(emb, words) -> tuple[list, list[str]]:
    """Each of ``words`` as the protocol's queries take it, and the words that were composed.

    A known word stays a word; an unknown word whose vector the vectors can still give (and
    which is not all zeros) becomes that unit vector. One UnknownWordError names the rest.
    """
    terms, composed, unknown = [], [], []
    for word in words:
        if word in emb:
            terms.append(word)
            continue
        vector = _composed_vector(emb, word)
        if vector is None:
            unknown.append(word)
        else:
            terms.append(vector)
            composed.append(word)
    if unknown:
        raise UnknownWordError(list(dict.fromkeys(unknown)))
    return terms, list(dict.fromkeys(composed))


def word_vectors(emb, words: list[str]) -> np.ndarray:
    """float32 (len(words), dim): the vectors of ``words``, composed ones (scaled to length 1,
    as ``query_terms`` gives them) included; one UnknownWordError names the words without."""
    terms, composed = query_terms(emb, words)
    if not composed:
        return emb[list(words)]
    known = [i for i, t in enumerate(terms) if isinstance(t, str)]
    out = np.empty((len(terms), emb.dim), dtype=np.float32)
    if known:
        out[known] = emb[[terms[i] for i in known]]
    for i, term in enumerate(terms):
        if not isinstance(term, str):
            out[i] = term
    return out


def neighbours(emb, positive, negative=(), topn: int = 10, restrict_vocab=None) -> dict:
    """The ``topn`` words nearest the 3CosAdd mean of ``positive`` minus ``negative``.

    Returns ``{"query": {"positive", "negative"}, "composed": [words], "results":
    [{"word", "similarity"}, ...]}``, best first; ``restrict_vocab`` ranks only the first
    (most frequent) N words.
    """
    positive, negative = _word_list(positive), _word_list(negative)
    topn = check_int("topn", topn, minimum=1)
    terms, composed = query_terms(emb, positive + negative)
    signs = [1.0] * len(positive) + [-1.0] * len(negative)
    signed = list(zip(terms, signs, strict=True))
    results = emb.most_similar(positive=signed, topn=topn, restrict_vocab=restrict_vocab)
    return {
        "query": {"positive": positive, "negative": negative},
        "composed": composed,
        "results": _results(results),
    }


def analogy(
    emb, a: str, b: str, c: str, topn: int = 5, method: str = "3CosAdd", restrict_vocab=None
) -> dict:
    """``a`` is to ``b`` as ``c`` is to ?, by 3CosAdd (``b - a + c``) or 3CosMul.

    Returns ``{"query": {"a", "b", "c", "method"}, "composed": [words], "results":
    [{"word", "similarity"}, ...]}`` (for 3CosMul the score is the cosine product ratio).
    """
    method = check_choice("method", method, tuple(ANALOGY_METHODS))
    topn = check_int("topn", topn, minimum=1)
    (ta, tb, tc), composed = query_terms(emb, [str(a), str(b), str(c)])
    rank = getattr(emb, ANALOGY_METHODS[method])
    signed = [(tb, 1.0), (tc, 1.0), (ta, -1.0)]
    results = rank(positive=signed, topn=topn, restrict_vocab=restrict_vocab)
    return {
        "query": {"a": str(a), "b": str(b), "c": str(c), "method": method},
        "composed": composed,
        "results": _results(results),
    }


def nearest_rows(
    emb, rows, k: int, columns=None, exclude=None, progress=None
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest words of many words at once, a bounded block of queries at a time.

    For each row number in ``rows``, its neighbours among ``columns`` (row numbers; default
    every word) by cosine, best first (ties by position): int64 positions in ``columns`` and
    their float32 cosines, each (len(rows), k). ``exclude`` gives per query a position left
    out (-1: none); by default a query's own row when ``columns`` is every word.
    ``progress(done)`` is called after each block with the number of queries answered.
    """
    rows = np.asarray(rows, dtype=np.int64)
    width = len(emb) if columns is None else len(columns)
    k = check_int("k", k, minimum=1, maximum=max(1, width - 1))
    if exclude is None:
        exclude = rows if columns is None else np.full(len(rows), -1)
    positions = np.empty((len(rows), k), dtype=np.int64)
    cosines = np.empty((len(rows), k), dtype=np.float32)
    block = max(1, BLOCK_CELLS // max(len(emb), 1))
    for start in range(0, len(rows), block):
        stop = min(len(rows), start + block)
        scores = emb.combination_scores(rows[start:stop, None], [1.0])
        if columns is not None:
            scores = scores[:, columns]
        left_out = np.asarray(exclude[start:stop])
        hit = np.flatnonzero(left_out >= 0)
        scores[hit, left_out[hit]] = -np.inf
        best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_scores = np.take_along_axis(scores, best, axis=1)
        order = np.lexsort((best, -best_scores), axis=1)
        positions[start:stop] = np.take_along_axis(best, order, axis=1)
        cosines[start:stop] = np.take_along_axis(best_scores, order, axis=1)
        if progress is not None:
            progress(stop)
    return positions, cosines


def _composed_vector(emb, word: str) -> np.ndarray | None:
    try:
        vector = np.asarray(emb[word], dtype=np.float32)
    except KeyError:  # UnknownWordError is one: the kind cannot give this word a vector
        return None
    norm = float(np.linalg.norm(vector))
    if not np.isfinite(norm) or norm == 0:
        return None
    return (vector / norm).astype(np.float32)


def _word_list(words) -> list[str]:
    if words is None:
        return []
    if isinstance(words, str):
        return [words]
    return [str(w) for w in words]


def _results(pairs) -> list[dict]:
    return [{"word": word, "similarity": float(score)} for word, score in pairs]
