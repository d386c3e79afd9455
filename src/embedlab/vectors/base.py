"""The vector protocol: the queries every kind of word vectors answers, written once.

A kind (dense ``Embeddings``, sparse explicit ``SparseEmbeddings``, later subword-composed
vectors) implements a few primitives on its own storage; everything else here is built on them,
so each query exists once and every kind answers it, or refuses it in one line.

The primitives speak of rows by number and of query vectors in the kind's *row form* (a NumPy
array for dense vectors, a CSR matrix for sparse ones). This module only adds, subtracts and
scales row forms and hands them back to ``_dots``, so a sparse kind never makes a dense copy of
its |V| x |V| matrix: only the rows a query touches, or a bounded block of them, become dense.

The queries follow gensim's ``KeyedVectors`` (3CosAdd over unit vectors, 3CosMul with cosines
shifted to [0, 1], query words left out of the answers), so numbers can be compared across tools;
gensim's other names (``index_to_key``, ``get_vector``, ``n_similarity``, ...) come from
``keyed.KeyedVectorsNames``, which every kind inherits from here.
"""

from __future__ import annotations

import numbers
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable
from functools import reduce

import numpy as np

from embedlab.checks import check_choice, check_int
from embedlab.errors import EmbedlabError, UnknownWordError, setting
from embedlab.vectors.keyed import KeyedVectorsNames
from embedlab.vectors.meta import meta_problem

#: How ``vectors`` is made from the input (word) and context (output) matrices.
COMBINE_MODES = ("input", "sum", "mean", "concat")

#: Added to 3CosMul's denominator to avoid division by zero (Levy & Goldberg 2014; gensim).
COSMUL_EPSILON = 1e-6

#: Cells of one dense block of rows (float64: 32 MB), so pairwise cosines stay in bounded memory
#: whatever the width of the rows.
BLOCK_CELLS = 1 << 22


class cached_once:
    """A property computed on first use and kept, once per instance even when several threads
    ask for it at the same moment (a server's first requests arrive together).

    ``functools.cached_property`` stopped locking in Python 3.12, so two threads could both
    build a cache (a |V| x dim unit matrix, say) and hold it twice. The value lives in the
    instance's ``__dict__`` under the property's name; later reads never reach this code.
    """

    def __init__(self, build):
        self.build = build
        self.__doc__ = build.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        cache = obj.__dict__
        if self.name not in cache:
            with _cache_lock(obj):  # re-entrant: one cache may be built from another
                if self.name not in cache:
                    cache[self.name] = self.build(obj)
        return cache[self.name]


_LOCKS_GUARD = threading.Lock()


def _cache_lock(obj) -> threading.RLock:
    """``obj``'s own lock for its caches, made once."""
    lock = obj.__dict__.get("_cache_lock")
    if lock is None:
        with _LOCKS_GUARD:
            lock = obj.__dict__.setdefault("_cache_lock", threading.RLock())
    return lock


class Vectors(KeyedVectorsNames, ABC):
    """Words with one vector each, and the similarity queries on them.

    A kind sets ``words`` (list of str), ``counts`` (int64 array or None), ``meta`` (dict) and
    ``combine`` and implements the primitives below; see docs/architecture.md, "Adding a vector
    kind".
    """

    #: True when the rows are sparse: ``weighted_rows`` then gives a CSR matrix, which a caller
    #: must not centre (that would make it dense).
    sparse = False
    combine = "input"
    #: True when the kind gives a vector to any string, not only to its words (a subword kind
    #: composes one from character n-grams): ``emb[word]`` answers, ``word in emb`` stays False.
    composes = False

    # ---- primitives: each kind implements these -------------------------------------------

    @property
    @abstractmethod
    def dim(self) -> int:
        """Length of each vector."""

    @property
    @abstractmethod
    def has_context(self) -> bool:
        """Whether a second (context/output) matrix exists, so ``combined`` can mix it in."""

    @property
    @abstractmethod
    def norms(self) -> np.ndarray:
        """L2 norm of every row (float32, one per word)."""

    @abstractmethod
    def _dense_rows(self, rows) -> np.ndarray:
        """The vectors of ``rows`` as a new float32 array (len(rows), dim)."""

    @abstractmethod
    def _unit_rows(self, rows):
        """The unit vectors of ``rows`` in row form (all-zero rows stay zero)."""

    @abstractmethod
    def _row_form(self, matrix: np.ndarray):
        """A dense float32 (k, dim) array of query vectors in row form."""

    @abstractmethod
    def _dots(self, queries, stop: int) -> np.ndarray:
        """float32 (len(queries), stop): each query (row form) dotted with the unit vectors of
        words ``0..stop-1``; a new, writable array."""

    @abstractmethod
    def weighted_rows(self, weights):
        """``weights @ vectors`` in float64 for a sparse (m, len(self)) ``weights``: m weighted
        sums of rows (a CSR matrix when ``sparse``, else an array)."""

    @abstractmethod
    def _with_combine(self, how: str) -> Vectors:
        """The same vectors with ``vectors`` = input, sum, mean or concat (context exists)."""

    @abstractmethod
    def save(self, path, format: str | None = None) -> None:
        """Write to ``path`` atomically, in a format this kind can be held in."""

    # ---- the container --------------------------------------------------------------------

    @cached_once
    def index(self) -> dict[str, int]:
        """word -> row number."""
        return {word: i for i, word in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __iter__(self):
        return iter(self.words)

    def has_vector(self, word) -> bool:
        """Whether ``emb[word]`` answers: ``word`` is a word here, or the kind composes it."""
        return word in self.index or (self.composes and isinstance(word, str))

    def __getitem__(self, word):
        """The (read-only) vector of ``word``, or a float32 matrix for a list of words."""
        if isinstance(word, str):
            out = self._dense_rows(self.rows([word]))[0]
            out.setflags(write=False)
            return out
        if not isinstance(word, Iterable):
            raise EmbedlabError(
                f"look vectors up by a word or a list of words, got {type(word).__name__}"
            )
        return self._dense_rows(self.rows(list(word)))

    def rows(self, words: list[str]) -> list[int]:
        """Row numbers of ``words``; one UnknownWordError naming every unknown word."""
        index = self.index
        missing = [w for w in dict.fromkeys(words) if w not in index]
        if missing:
            raise UnknownWordError(missing)
        return [index[w] for w in words]

    def combined(self, how: str) -> Vectors:
        """The same words with ``vectors`` = input, or sum, mean or concat with the context."""
        return self._with_combine(check_combine(how, self.has_context))

    # ---- batch scores (what the evaluators use) ---------------------------------------------

    def combination_scores(self, rows, weights, stop: int | None = None) -> np.ndarray:
        """For each row of ``rows`` (q, m), the dot of every word's unit vector (the first
        ``stop`` words) with ``sum_j weights[j] * unit(rows[:, j])``: float32 (q, stop).

        3CosAdd's ``b - a + c`` is ``rows = [[a, b, c], ...]``, ``weights = [-1, 1, 1]``; the
        query is not normalised, which leaves each row's ranking unchanged."""
        rows = np.asarray(rows, dtype=np.int64)
        terms = [w * self._unit_rows(rows[:, j]) for j, w in enumerate(weights)]
        return self._dots(reduce(lambda a, b: a + b, terms), _stop(stop, len(self)))

    def pair_cosines(self, left, right) -> np.ndarray:
        """float64 cosine of each pair of rows ``(left[i], right[i])`` (0 for a zero row),
        computed in blocks of rows, never on the whole matrix."""
        left, right = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
        out = np.zeros(len(left), dtype=np.float64)
        block = max(1, BLOCK_CELLS // max(self.dim, 1))
        for start in range(0, len(left), block):
            a = self._dense_rows(left[start : start + block]).astype(np.float64)
            b = self._dense_rows(right[start : start + block]).astype(np.float64)
            dots = np.einsum("ij,ij->i", a, b)
            norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
            np.divide(dots, norms, out=out[start : start + block], where=norms > 0)
        return out

    # ---- queries --------------------------------------------------------------------------

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words (0 when either vector is all zeros)."""
        i, j = self.rows([a, b])
        return float(self.pair_cosines([i], [j])[0])

    def most_similar(
        self, positive=None, negative=None, topn: int | None = 10, restrict_vocab=None
    ):
        """The ``topn`` words closest to the mean of the positive minus the negative words.

        3CosAdd: every query word is scaled to unit length, weighted +1 (positive) or -1
        (negative), averaged and normalised; words are ranked by cosine with that vector and
        the query words themselves are left out. ``positive``/``negative`` take a word, a
        list of words, ``(word, weight)`` pairs or raw vectors. ``restrict_vocab`` ranks only
        the first N words (the most frequent). Returns ``[(word, cosine), ...]``, best first;
        ``topn=None`` returns the cosine of every (ranked) word as an array.
        """
        terms = self._terms(positive, negative)
        vectors = self._term_vectors(terms)
        weights = np.array([w for _, w in terms], dtype=np.float32)
        query = _unit_vector((weights[:, None] * vectors).sum(axis=0) / np.abs(weights).sum())
        scores = self._dots(self._row_form(query[None, :]), _stop(restrict_vocab, len(self)))[0]
        return self._best(scores, topn, self._query_rows(terms))

    def most_similar_cosmul(
        self, positive=None, negative=None, topn: int | None = 10, restrict_vocab=None
    ):
        """3CosMul (Levy & Goldberg 2014): rank words by prod(cos+) / (prod(cos-) + 1e-6).

        Cosines are shifted to [0, 1] as ``(1 + cos) / 2`` so the product is meaningful; the
        query words are left out. Arguments and result as in ``most_similar`` (a pair's
        weight only says on which side of the fraction its word goes).
        """
        terms = self._terms(positive, negative)
        if not any(w > 0 for _, w in terms):
            raise EmbedlabError("most_similar_cosmul needs at least one positive word")
        # one pass over the matrix for all query words, not one per word
        queries = self._row_form(self._term_vectors(terms))
        shifted = (1 + self._dots(queries, _stop(restrict_vocab, len(self)))) / 2
        positive = np.array([w > 0 for _, w in terms])
        numerator = shifted[positive].prod(axis=0)
        denominator = shifted[~positive].prod(axis=0)  # 1 when there is no negative word
        scores = numerator / (denominator + COSMUL_EPSILON)
        return self._best(scores, topn, self._query_rows(terms))

    def analogy(self, a: str, b: str, c: str, topn: int | None = 5):
        """``a`` is to ``b`` as ``c`` is to ?: ``most_similar(positive=[b, c], negative=[a])``."""
        self.rows([a, b, c])  # name unknown words in the order given
        return self.most_similar(positive=[b, c], negative=[a], topn=topn)

    def doesnt_match(self, words) -> str:
        """The word furthest from the (unit) mean of ``words``."""
        words = [words] if isinstance(words, str) else list(words)
        if not words:
            raise EmbedlabError("doesnt_match needs at least one word")
        unit = self._unit_words(words)
        centre = _unit_vector(unit.mean(axis=0))
        scores = unit @ centre
        # gensim sorts (score, word) descending and takes the last: lowest score, ties by word
        return min(zip(scores.tolist(), words, strict=True))[1]

    # ---- helpers --------------------------------------------------------------------------

    def _unit_words(self, words) -> np.ndarray:
        """float32 (len(words), dim): each word's unit vector (a kind that composes unseen
        words overrides this)."""
        return self._unit_dense(self.rows(words))

    def _unit_dense(self, rows) -> np.ndarray:
        return self._dense_rows(rows) / safe_norms(self.norms[rows])[:, None]

    def _terms(self, positive, negative) -> list[tuple]:
        """(word or vector, weight) pairs; checks every word at once."""
        terms = [_term(t, 1.0) for t in _as_list(positive)]
        terms += [_term(t, -1.0) for t in _as_list(negative)]
        if not terms:
            raise EmbedlabError("give at least one positive or negative word")
        self.rows([t for t, _ in terms if isinstance(t, str)])
        for t, _ in terms:
            if not isinstance(t, str) and t.shape != (self.dim,):
                raise EmbedlabError(
                    f"a query vector has shape {t.shape}, these vectors need ({self.dim},)"
                )
        return terms

    def _term_vectors(self, terms) -> np.ndarray:
        """float32 (len(terms), dim): a word's unit vector; a raw vector as given (as gensim)."""
        out = np.empty((len(terms), self.dim), dtype=np.float32)
        words = [i for i, (t, _) in enumerate(terms) if isinstance(t, str)]
        if words:
            out[words] = self._unit_dense(self.rows([terms[i][0] for i in words]))
        for i, (t, _) in enumerate(terms):
            if not isinstance(t, str):
                out[i] = t
        return out

    def _query_rows(self, terms) -> set[int]:
        return {self.index[t] for t, _ in terms if isinstance(t, str)}

    def _best(self, scores: np.ndarray, topn, exclude: set[int]):
        if topn is None:
            return scores
        topn = check_int("topn", topn)
        if topn < 1:
            return []
        rows = top_rows(scores, topn + len(exclude))
        words = self.words
        return [(words[i], float(scores[i])) for i in rows if i not in exclude][:topn]


def check_combine(how: str, has_context: bool) -> str:
    """``how`` checked against ``COMBINE_MODES`` and against whether a context matrix exists."""
    how = check_choice("combine", how, COMBINE_MODES)
    if how != "input" and not has_context:
        raise EmbedlabError(
            f"{setting('combine', how)} needs context (output) vectors and these have none: "
            f"use {setting('combine', 'input')} or train with a method that keeps them "
            "(word2vec, GloVe)"
        )
    return how


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest scores, best first (a partial sort: O(n), not O(n log n))."""
    if k >= scores.size:
        return np.argsort(-scores, kind="stable")
    candidates = np.argpartition(-scores, k)[:k]
    candidates.sort()  # a stable order among ties, whatever argpartition returned
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def safe_norms(norms: np.ndarray) -> np.ndarray:
    """Norms with zeros replaced by one, so all-zero rows score 0 instead of NaN."""
    return np.where(norms > 0, norms, np.float32(1)).astype(np.float32, copy=False)


def check_words(words) -> list[str]:
    """The vocabulary as a list of distinct ``str``; one line naming a bad or repeated word."""
    if isinstance(words, str):
        raise EmbedlabError("words must be a list of strings, not one string")
    if not isinstance(words, Iterable):
        raise EmbedlabError(f"words must be a list of strings, got {type(words).__name__}")
    words = list(words)
    for i, word in enumerate(words):
        if not isinstance(word, str):
            raise EmbedlabError(
                f"words must be strings, got {type(word).__name__} {word!r} at row {i}"
            )
    words = [str(w) for w in words]  # numpy str_ -> str, so JSON and hashing behave
    if len(set(words)) != len(words):
        seen: set[str] = set()
        duplicate = next(w for w in words if w in seen or seen.add(w))
        raise EmbedlabError(f"word {duplicate!r} appears twice: give each word once")
    return words


def check_counts(counts, rows: int) -> np.ndarray | None:
    """``counts`` as int64, one non-negative count per word (None stays None)."""
    if counts is None:
        return None
    counts = np.asarray(counts)
    if counts.shape != (rows,):
        raise EmbedlabError(
            f"counts has shape {counts.shape} but there are {rows} words: give one count per word"
        )
    if counts.size and (not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0):
        raise EmbedlabError("counts must be non-negative integers")
    return np.ascontiguousarray(counts, dtype=np.int64)


def check_meta(meta) -> dict:
    if meta is not None and not isinstance(meta, dict):
        raise EmbedlabError(f"meta must be a dict, got {type(meta).__name__}")
    problem = None if meta is None else meta_problem(meta)
    if problem is not None:
        raise EmbedlabError(f"{problem}: give meta in the shape embedlab's trainers write")
    return {} if meta is None else dict(meta)


def _unit_vector(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    norm = np.linalg.norm(v)
    return (v / norm if norm > 0 else v).astype(np.float32)


def _stop(restrict_vocab, size: int) -> int:
    if restrict_vocab is None:
        return size
    return min(check_int("restrict_vocab", restrict_vocab, minimum=1), size)


def _as_list(items) -> list:
    if items is None:
        return []
    if isinstance(items, (str, np.ndarray)):
        return [items]
    if not isinstance(items, Iterable):
        raise EmbedlabError(
            f"give a word, a vector or a list of them, got {type(items).__name__} {items!r}"
        )
    return list(items)


def _term(item, default_weight: float) -> tuple:
    if isinstance(item, str):
        return item, default_weight
    if isinstance(item, np.ndarray):
        return np.asarray(item, dtype=np.float32), default_weight
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], numbers.Real):
        word, weight = _term(item[0], default_weight)
        return word, float(item[1])
    raise EmbedlabError(f"query items must be words, (word, weight) pairs or vectors, got {item!r}")
