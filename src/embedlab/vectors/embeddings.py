"""``Embeddings``: a vocabulary with its vectors, and the similarity queries on them.

The queries follow gensim's ``KeyedVectors`` exactly (3CosAdd over unit vectors, 3CosMul with
cosines shifted to [0, 1], query words left out of the answers), so numbers can be compared
across tools. Scores are computed as ``vectors @ query / norms``: one matrix-vector product
and a partial sort, with no Python loop over the vocabulary and no second copy of the matrix.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.methods.validation import check_choice, check_int

#: How ``vectors`` is made from the input (word) and context (output) matrices.
COMBINE_MODES = ("input", "sum", "mean", "concat")

#: Added to 3CosMul's denominator to avoid division by zero (Levy & Goldberg 2014; gensim).
COSMUL_EPSILON = 1e-6


class Embeddings:
    """Words and their vectors, with an optional second (context/output) matrix.

    Parameters:
        words: the vocabulary, one string per row, usually most frequent first.
        vectors: the input (word) matrix, ``len(words) x dim``; stored as float32.
        counts: optional corpus frequency of each word (int64).
        context: optional context (output) matrix of the same shape, kept when a method makes
            one (word2vec, GloVe).
        combine: what ``vectors`` holds: ``"input"`` (default), or ``"sum"``, ``"mean"`` or
            ``"concat"`` of the input and context matrices (these need ``context``).
        meta: JSON-able dict describing how the vectors were made: ``method``, ``params``,
            ``history`` (one dict per epoch).

    The matrices are used as given (no copy when already C-ordered float32), so treat them
    as read-only: the cached norms would not see changes.
    """

    def __init__(
        self,
        words: Iterable[str],
        vectors,
        *,
        counts=None,
        context=None,
        combine: str = "input",
        meta: dict | None = None,
    ):
        self._words = _check_words(words)
        self._input = _check_matrix("vectors", vectors, len(self._words))
        self._context = None
        if context is not None:
            self._context = _check_matrix("context", context, len(self._words))
            if self._context.shape != self._input.shape:
                raise EmbedlabError(
                    f"context has shape {self._context.shape} but vectors "
                    f"{self._input.shape}: give matrices of the same shape"
                )
        self._counts = None if counts is None else _check_counts(counts, len(self._words))
        self.combine = check_choice("combine", combine, COMBINE_MODES)
        if combine != "input" and self._context is None:
            raise EmbedlabError(
                f"combine={combine!r} needs context (output) vectors and these have none: "
                "use combine='input' or train with a method that keeps them"
            )
        if meta is not None and not isinstance(meta, dict):
            raise EmbedlabError(f"meta must be a dict, got {type(meta).__name__}")
        self.meta: dict = {} if meta is None else dict(meta)
        self._index: dict[str, int] | None = None
        self._vectors: np.ndarray | None = None
        self._norms: np.ndarray | None = None
        self._unit: np.ndarray | None = None

    # ---- the data -------------------------------------------------------------------------

    @property
    def words(self) -> list[str]:
        """The vocabulary in row order (do not modify)."""
        return self._words

    @property
    def index(self) -> dict[str, int]:
        """word -> row number."""
        if self._index is None:
            self._index = {word: i for i, word in enumerate(self._words)}
        return self._index

    @property
    def counts(self) -> np.ndarray | None:
        """Corpus frequency of each word (int64), or None when unknown."""
        return self._counts

    @property
    def input_vectors(self) -> np.ndarray:
        """The input (word) matrix, float32, ``len(self) x`` the trained dimension."""
        return self._input

    @property
    def context_vectors(self) -> np.ndarray | None:
        """The context (output) matrix, or None when the method made none."""
        return self._context

    @property
    def context(self) -> np.ndarray | None:
        """Same as ``context_vectors`` (the constructor's name for it)."""
        return self._context

    @property
    def has_context(self) -> bool:
        return self._context is not None

    @property
    def vectors(self) -> np.ndarray:
        """The vectors the queries use: input, or input and context combined per ``combine``."""
        if self._vectors is None:
            self._vectors = _combine(self._input, self._context, self.combine)
        return self._vectors

    @property
    def dim(self) -> int:
        """Length of ``vectors`` (twice the trained dimension for ``combine="concat"``)."""
        return self.vectors.shape[1]

    @property
    def norms(self) -> np.ndarray:
        """L2 norm of each row of ``vectors`` (float32)."""
        if self._norms is None:
            vectors = self.vectors  # einsum: no |V| x dim temporary, unlike linalg.norm
            self._norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
        return self._norms

    @property
    def unit(self) -> np.ndarray:
        """``vectors`` with every row scaled to length 1; all-zero rows stay zero (cached)."""
        if self._unit is None:
            self._unit = self.vectors / _safe(self.norms)[:, None]
            self._unit.setflags(write=False)
        return self._unit

    def combined(self, how: str) -> Embeddings:
        """The same words and matrices with ``vectors`` = input, sum, mean or concat."""
        return Embeddings(
            self._words,
            self._input,
            counts=self._counts,
            context=self._context,
            combine=how,
            meta=self.meta,
        )

    def save(self, path, format: str | None = None) -> None:
        """Write to ``path``; the format comes from the extension unless given.

        ``.txt``/``.vec``: word2vec text; ``.bin``: word2vec binary; ``.glove``: GloVe text;
        ``.emb``: native (keeps counts, both matrices and ``meta``). The word2vec and GloVe
        formats hold ``vectors`` only. The file is written atomically.
        """
        from embedlab.vectors.formats import save

        save(self, path, format=format)

    # ---- container protocol ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._words)

    def __contains__(self, word) -> bool:
        return word in self.index

    def __iter__(self):
        return iter(self._words)

    def __getitem__(self, word):
        """The (read-only) vector of ``word``, or a matrix for a list of words."""
        if isinstance(word, str):
            rows = self._rows([word])[0]
        else:
            rows = self._rows(list(word))
        out = self.vectors[rows]
        if out.ndim == 1:  # a view into the matrix: keep the cached norms true
            out.setflags(write=False)
        return out

    def __repr__(self) -> str:
        context = ", with context" if self.has_context else ""
        method = self.meta.get("method")
        made = f", method={method!r}" if method else ""
        return (
            f"<Embeddings: {len(self)} words x {self.dim} dims, combine={self.combine!r}"
            f"{context}{made}>"
        )

    # ---- queries --------------------------------------------------------------------------

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        i, j = self._rows([a, b])
        unit = self._unit_row
        return float(np.dot(unit(i), unit(j)))

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
        query = _unit_vector(
            sum(w * self._term_vector(t) for t, w in terms) / sum(abs(w) for _, w in terms)
        )
        stop = _stop(restrict_vocab, len(self))
        scores = (self.vectors[:stop] @ query) / _safe(self.norms[:stop])
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
        stop = _stop(restrict_vocab, len(self))
        queries = np.stack([self._term_vector(t) for t, _ in terms], axis=1)
        # one pass over the matrix for all query words, not one per word
        cosines = (self.vectors[:stop] @ queries) / _safe(self.norms[:stop])[:, None]
        shifted = (1 + cosines) / 2
        positive = np.array([w > 0 for _, w in terms])
        numerator = shifted[:, positive].prod(axis=1)
        denominator = shifted[:, ~positive].prod(axis=1)  # 1 when there is no negative word
        scores = numerator / (denominator + COSMUL_EPSILON)
        return self._best(scores, topn, self._query_rows(terms))

    def analogy(self, a: str, b: str, c: str, topn: int | None = 5):
        """``a`` is to ``b`` as ``c`` is to ?: ``most_similar(positive=[b, c], negative=[a])``."""
        self._rows([a, b, c])  # name unknown words in the order given
        return self.most_similar(positive=[b, c], negative=[a], topn=topn)

    def doesnt_match(self, words) -> str:
        """The word furthest from the (unit) mean of ``words``."""
        words = [words] if isinstance(words, str) else list(words)
        if not words:
            raise EmbedlabError("doesnt_match needs at least one word")
        rows = self._rows(words)
        unit = np.vstack([self._unit_row(i) for i in rows])
        centre = _unit_vector(unit.mean(axis=0))
        scores = unit @ centre
        # gensim sorts (score, word) descending and takes the last: lowest score, ties by word
        return min(zip(scores.tolist(), words, strict=True))[1]

    # ---- helpers --------------------------------------------------------------------------

    def _rows(self, words: list[str]) -> list[int]:
        """Row numbers of ``words``; one UnknownWordError naming every unknown word."""
        index = self.index
        missing = [w for w in dict.fromkeys(words) if w not in index]
        if missing:
            raise UnknownWordError(missing)
        return [index[w] for w in words]

    def _unit_row(self, i: int) -> np.ndarray:
        norm = self.norms[i]
        return self.vectors[i] / norm if norm > 0 else self.vectors[i]

    def _terms(self, positive, negative) -> list[tuple]:
        """(word or vector, weight) pairs; checks every word at once."""
        terms = [_term(t, 1.0) for t in _as_list(positive)]
        terms += [_term(t, -1.0) for t in _as_list(negative)]
        if not terms:
            raise EmbedlabError("give at least one positive or negative word")
        self._rows([t for t, _ in terms if isinstance(t, str)])
        for t, _ in terms:
            if not isinstance(t, str) and t.shape != (self.dim,):
                raise EmbedlabError(
                    f"a query vector has shape {t.shape}, these embeddings need ({self.dim},)"
                )
        return terms

    def _term_vector(self, term) -> np.ndarray:
        """A query word's unit vector; a raw vector is used as given (as gensim does)."""
        return self._unit_row(self.index[term]) if isinstance(term, str) else term

    def _query_rows(self, terms) -> set[int]:
        return {self.index[t] for t, _ in terms if isinstance(t, str)}

    def _best(self, scores: np.ndarray, topn, exclude: set[int]):
        if topn is None:
            return scores
        topn = check_int("topn", topn)
        if topn < 1:
            return []
        rows = _top_rows(scores, topn + len(exclude))
        words = self._words
        return [(words[i], float(scores[i])) for i in rows if i not in exclude][:topn]


def _top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest scores, best first (a partial sort: O(n), not O(n log n))."""
    if k >= scores.size:
        return np.argsort(-scores, kind="stable")
    candidates = np.argpartition(-scores, k)[:k]
    candidates.sort()  # a stable order among ties, whatever argpartition returned
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _combine(W: np.ndarray, C: np.ndarray | None, how: str) -> np.ndarray:
    if how == "input":
        return W
    if how == "sum":
        return W + C
    if how == "mean":
        return (W + C) / np.float32(2)
    return np.ascontiguousarray(np.hstack([W, C]))


def _safe(norms: np.ndarray) -> np.ndarray:
    """Norms with zeros replaced by one, so all-zero rows score 0 instead of NaN."""
    return np.where(norms > 0, norms, np.float32(1))


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


def _check_words(words) -> list[str]:
    if isinstance(words, str):
        raise EmbedlabError("words must be a list of strings, not one string")
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


def _check_matrix(name: str, matrix, rows: int) -> np.ndarray:
    matrix = np.asarray(matrix)
    if matrix.ndim != 2:
        raise EmbedlabError(f"{name} must be a 2-D matrix (words x dim), got shape {matrix.shape}")
    if matrix.shape[0] != rows:
        raise EmbedlabError(
            f"{name} has {matrix.shape[0]} rows but there are {rows} words: give one row per word"
        )
    if matrix.shape[1] < 1:
        raise EmbedlabError(f"{name} has no columns: give at least one dimension")
    if not np.issubdtype(matrix.dtype, np.number) or np.iscomplexobj(matrix):
        raise EmbedlabError(f"{name} must hold real numbers, got dtype {matrix.dtype}")
    return np.ascontiguousarray(matrix, dtype=np.float32)


def _check_counts(counts, rows: int) -> np.ndarray:
    counts = np.asarray(counts)
    if counts.shape != (rows,):
        raise EmbedlabError(
            f"counts has shape {counts.shape} but there are {rows} words: give one count per word"
        )
    if counts.size and (not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0):
        raise EmbedlabError("counts must be non-negative integers")
    return np.ascontiguousarray(counts, dtype=np.int64)
