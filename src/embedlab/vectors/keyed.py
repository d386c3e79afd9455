"""gensim's ``KeyedVectors``: its names on the vector protocol, and conversion both ways.

A gensim user reaches for ``wv.index_to_key``, ``wv.get_vector(w)``, ``wv.n_similarity(a, b)``,
``wv.save_word2vec_format(path)``... ``KeyedVectorsNames`` gives every kind of vectors (the
protocol's base class mixes it in) the names gensim's documentation shows, each written once
on the protocol's primitives with gensim's meaning (cosines, query words, argument names), so
answers agree with gensim's on the same vectors (the tests compare them). Names gensim has
and embedlab answers otherwise (``evaluate_word_pairs``, ``add_vector``, gensim 3's ``vocab``)
are an ``AttributeError`` naming embedlab's way.

``to_gensim()`` makes a gensim ``KeyedVectors`` (gensim is optional: one line naming ``pip
install gensim`` when absent); ``from_gensim(kv)`` and ``as_vectors(x)`` take gensim's
vectors (or a trained gensim model, through its ``.wv``) into embedlab, without importing
gensim: every function that takes vectors converts at its boundary with ``as_vectors``.
"""

from __future__ import annotations

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError

#: gensim names embedlab answers with another way, and that way.
ANSWERED = {
    "evaluate_word_pairs": "use embedlab.evaluate(emb, datasets=[path]): Spearman, Pearson "
    "and OOV per set",
    "evaluate_word_analogies": "use embedlab.evaluate(emb, datasets=[path])",
    "wmdistance": "embedlab has no Word Mover's Distance: use emb.to_gensim().wmdistance(...)",
    "add_vector": "embedlab's vectors are fixed once made: build Embeddings(words, matrix) "
    "with the new rows",
    "add_vectors": "embedlab's vectors are fixed once made: build Embeddings(words, matrix) "
    "with the new rows",
    "fill_norms": "norms are computed when first needed (emb.norms): nothing to do",
    "init_sims": "norms are computed when first needed: use get_normed_vectors() or "
    "get_vector(word, norm=True)",
    "unit_normalize_all": "embedlab's vectors are fixed once made: use get_normed_vectors()",
    "vocab": "gensim 4 removed it: use key_to_index, or counts for the frequencies",
    "index2word": "gensim 4's name is index_to_key (embedlab has it)",
    "index2entity": "gensim 4's name is index_to_key (embedlab has it)",
    "syn0": "gensim 4's name is vectors",
    "vectors_norm": "use get_normed_vectors()",
    "word_vec": "gensim 4's name is get_vector (embedlab has it)",
}


class KeyedVectorsNames:
    """gensim's ``KeyedVectors`` names, on the protocol's ``words``, ``index``, ``dim``,
    ``counts``, ``norms`` and primitives (see ``vectors/base.py``)."""

    # ---- the vocabulary -------------------------------------------------------------------

    @property
    def index_to_key(self) -> list[str]:
        """The words in row order (gensim's name for ``words``)."""
        return self.words

    @property
    def key_to_index(self) -> dict[str, int]:
        """word -> row (gensim's name for ``index``)."""
        return self.index

    @property
    def vector_size(self) -> int:
        """Length of each vector (gensim's name for ``dim``)."""
        return self.dim

    @property
    def wv(self):
        """These vectors themselves, so code written for a gensim model's ``model.wv`` runs."""
        return self

    def get_index(self, key, default=None) -> int:
        """The row of ``key``; an int within range is taken as a row; else ``default`` if given,
        else ``UnknownWordError`` (a ``KeyError``, as gensim raises)."""
        row = self.index.get(key) if isinstance(key, str) else None
        if row is not None:
            return row
        if (
            isinstance(key, (int, np.integer))
            and not isinstance(key, bool)
            and 0 <= key < len(self)
        ):
            return int(key)
        if default is not None:
            return default
        raise UnknownWordError([key])

    def has_index_for(self, key) -> bool:
        """Whether ``key`` has a row of its own."""
        return isinstance(key, str) and key in self.index

    def get_vecattr(self, key, attr: str):
        """A word's attribute: gensim keeps ``count``, the corpus frequency (``counts``)."""
        if attr != "count":
            raise EmbedlabError(f"embedlab keeps one attribute per word, 'count', not {attr!r}")
        if self.counts is None:
            raise EmbedlabError("these vectors carry no counts (their file format holds none)")
        return int(self.counts[self.get_index(key)])

    # ---- vectors --------------------------------------------------------------------------

    def get_vector(self, key, norm: bool = False) -> np.ndarray:
        """The (read-only, float32) vector of ``key``; with ``norm`` scaled to length 1."""
        row = self.get_index(key)
        vector = self._unit_dense([row])[0] if norm else self._dense_rows([row])[0]
        vector.setflags(write=False)
        return vector

    def get_mean_vector(
        self, keys, weights=None, pre_normalize=True, post_normalize=False, ignore_missing=True
    ) -> np.ndarray:
        """The weighted mean of the vectors of ``keys`` (words, rows or raw vectors), divided by
        the sum of the weights' magnitudes; each word's vector scaled to length 1 first unless
        ``pre_normalize`` is off, the mean scaled to 1 with ``post_normalize``. Unknown words
        are skipped, or an error with ``ignore_missing=False``."""
        keys = list(keys)
        if not keys:
            raise EmbedlabError("get_mean_vector needs at least one key")
        weights = np.ones(len(keys), np.float32) if weights is None else np.asarray(weights)
        if weights.shape != (len(keys),):
            raise EmbedlabError(f"{len(weights)} weights for {len(keys)} keys: give one per key")
        if not ignore_missing:
            self.rows([k for k in keys if isinstance(k, str)])
        mean, total = np.zeros(self.dim, np.float32), 0.0
        for key, weight in zip(keys, weights, strict=True):
            if isinstance(key, np.ndarray):
                vector = key
            elif self.has_index_for(key) or not isinstance(key, str):
                vector = self.get_vector(key, norm=pre_normalize)
            else:
                continue
            mean += weight * vector
            total += abs(weight)
        if total > 0:
            mean /= total
        return _unit(mean) if post_normalize else mean

    def get_normed_vectors(self):
        """Every vector scaled to length 1, in the kind's row form (an array for dense
        vectors, a CSR matrix for sparse ones: never densified)."""
        return self._unit_rows(np.arange(len(self)))

    @staticmethod
    def cosine_similarities(vector_1, vectors_all) -> np.ndarray:
        """The cosine of ``vector_1`` with each row of ``vectors_all`` (plain arrays)."""
        vector_1, vectors_all = np.asarray(vector_1), np.asarray(vectors_all)
        norms = np.linalg.norm(vectors_all, axis=1) * np.linalg.norm(vector_1)
        return vectors_all @ vector_1 / norms

    # ---- similarities ---------------------------------------------------------------------

    def distance(self, w1: str, w2: str) -> float:
        """1 - the cosine similarity of two words."""
        return 1.0 - self.similarity(w1, w2)

    def distances(self, word_or_vector, other_words=()) -> np.ndarray:
        """1 - the cosine of a word (or vector) with each of ``other_words``, or with every
        word (itself included) when none are given: float32, in row order."""
        if isinstance(word_or_vector, str):
            query = self._unit_dense([self.get_index(word_or_vector)])
        else:
            query = _unit(np.asarray(word_or_vector, dtype=np.float32))[None, :]
        if other_words:
            return 1 - self._unit_dense(self.rows(list(other_words))) @ query[0]
        return 1 - self._dots(self._row_form(query), len(self))[0]

    def n_similarity(self, ws1, ws2) -> float:
        """The cosine of the means of two lists of words (each mean of the raw vectors)."""
        ws1, ws2 = list(ws1), list(ws2)
        if not ws1 or not ws2:
            raise EmbedlabError("n_similarity needs at least one word on each side")
        means = [self._dense_rows(self.rows(ws)).mean(axis=0) for ws in (ws1, ws2)]
        return float(np.dot(_unit(means[0]), _unit(means[1])))

    def similar_by_word(self, word: str, topn: int | None = 10, restrict_vocab=None):
        """``most_similar(word)``."""
        return self.most_similar(positive=[word], topn=topn, restrict_vocab=restrict_vocab)

    similar_by_key = similar_by_word

    def similar_by_vector(self, vector, topn: int | None = 10, restrict_vocab=None):
        """The words closest to a raw ``vector`` (nothing left out)."""
        vector = np.asarray(vector, dtype=np.float32)
        return self.most_similar(positive=[vector], topn=topn, restrict_vocab=restrict_vocab)

    def closer_than(self, key1: str, key2: str) -> list[str]:
        """Every word closer to ``key1`` than ``key2`` is (``key1`` left out), in row order."""
        distances = self.distances(key1)
        first, second = self.get_index(key1), self.get_index(key2)
        closer = np.flatnonzero(distances < distances[second])
        return [self.words[i] for i in closer if i != first]

    def rank(self, key1: str, key2: str) -> int:
        """``key2``'s rank among ``key1``'s neighbours: 1 for the nearest."""
        return len(self.closer_than(key1, key2)) + 1

    def most_similar_to_given(self, key1: str, keys_list) -> str:
        """The word of ``keys_list`` most similar to ``key1`` (the first on a tie)."""
        keys_list = list(keys_list)
        if not keys_list:
            raise EmbedlabError("most_similar_to_given needs at least one word to choose from")
        scores = [self.similarity(key1, key) for key in keys_list]
        return keys_list[int(np.argmax(scores))]

    def relative_cosine_similarity(self, wa: str, wb: str, topn: int = 10) -> float:
        """cos(wa, wb) over the sum of ``wa``'s ``topn`` best cosines (Leeuwenberg et al.
        2016): above about 0.10 for topn=10, the two are closer than most pairs."""
        best = self.most_similar(wa, topn=topn)
        if not best:
            raise EmbedlabError(f"{wa!r} has no neighbours to compare with")
        return self.similarity(wa, wb) / sum(score for _, score in best)

    # ---- files and gensim -----------------------------------------------------------------

    def save_word2vec_format(
        self, fname, fvocab=None, binary: bool = False, write_header: bool = True
    ) -> None:
        """word2vec's binary (``binary``) or text format, headerless text (GloVe's) without
        ``write_header``; ``fvocab`` also writes ``word count`` lines. Rows stay in their
        order (gensim sorts by count; embedlab's rows already are, for trained vectors)."""
        from embedlab.fileio import atomic_write

        format = "word2vec-binary" if binary else "word2vec" if write_header else "glove"
        if fvocab is not None and self.counts is None:
            raise EmbedlabError("fvocab needs counts and these vectors carry none: leave it out")
        self.save(fname, format=format)
        if fvocab is not None:
            with atomic_write(fvocab, "w", encoding="utf-8") as handle:
                for word, count in zip(self.words, self.counts.tolist(), strict=True):
                    handle.write(f"{word} {count}\n")

    @classmethod
    def load_word2vec_format(
        cls, fname, fvocab=None, binary=False, unicode_errors="strict", limit=None, **kwargs
    ):
        """``embedlab.load(fname)``: the format is read from the file, as gensim's arguments
        would give it (``binary`` is checked against it)."""
        from embedlab.vectors.formats import load

        if fvocab is not None or kwargs:
            given = ", ".join(["fvocab"] * (fvocab is not None) + sorted(kwargs))
            raise EmbedlabError(f"load_word2vec_format takes no {given} here: leave it out")
        return load(
            fname,
            format="word2vec-binary" if binary else None,
            limit=limit,
            errors=unicode_errors,
        )

    def to_gensim(self):
        """A gensim ``KeyedVectors`` holding these words, vectors and counts (needs gensim)."""
        try:
            from gensim.models import KeyedVectors
        except ImportError:
            raise EmbedlabError(
                "to_gensim needs gensim, which is not installed: pip install gensim"
            ) from None
        kv = KeyedVectors(self.dim, count=0, dtype=np.float32)
        kv.add_vectors(list(self.words), self._dense_rows(np.arange(len(self))))
        if self.counts is not None:  # (add_vectors' own extras fail in gensim 4.3 and 4.4)
            kv.allocate_vecattrs(["count"], [np.int64])
            kv.expandos["count"][:] = self.counts
        return kv

    def __getattr__(self, name: str):
        # Only for names the class lacks: gensim's names embedlab answers another way.
        if name in ANSWERED:
            raise AttributeError(f"{type(self).__name__} has no {name}: {ANSWERED[name]}")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")


def from_gensim(kv):
    """embedlab's vectors of a gensim ``KeyedVectors`` (or a trained gensim model's ``.wv``):
    its words (as str), vectors and, when it has them, counts. A FastText model's become
    ``SubwordEmbeddings`` (its words' rows and n-gram buckets), which compose a vector for any
    word as gensim does; other kinds become ``Embeddings``."""
    from embedlab.vectors.embeddings import Embeddings

    kv = getattr(kv, "wv", kv)
    if not is_gensim(kv):
        raise EmbedlabError(
            f"from_gensim takes gensim's KeyedVectors or a gensim model, got {type(kv).__name__}"
        )
    counts = getattr(kv, "expandos", {}).get("count")
    if counts is not None and (
        len(counts) != len(kv.index_to_key) or np.min(counts, initial=0) < 0
    ):
        counts = None
    words = [str(key) for key in kv.index_to_key]
    counts = None if counts is None else np.asarray(counts, dtype=np.int64)
    meta = {"source": f"gensim {type(kv).__name__}"}
    if _has_ngrams(kv):
        from embedlab.vectors.subwords import SubwordEmbeddings

        rows = (np.asarray(kv.vectors_vocab, np.float32), np.asarray(kv.vectors_ngrams, np.float32))
        return SubwordEmbeddings(
            words, rows, minn=kv.min_n, maxn=kv.max_n, counts=counts, meta=meta
        )
    return Embeddings(words, np.asarray(kv.vectors, dtype=np.float32), counts=counts, meta=meta)


def _has_ngrams(kv) -> bool:
    """Whether ``kv`` is gensim's FastTextKeyedVectors with n-gram buckets in use."""
    ngrams, own = getattr(kv, "vectors_ngrams", None), getattr(kv, "vectors_vocab", None)
    return (
        ngrams is not None
        and own is not None
        and getattr(kv, "bucket", 0) > 0
        and 1 <= getattr(kv, "min_n", 0) <= getattr(kv, "max_n", 0)
        and len(ngrams) == kv.bucket
        and len(own) == len(kv.index_to_key)
    )


def is_gensim(vectors) -> bool:
    """Whether ``vectors`` is gensim's (vectors or a model with ``.wv``); gensim unimported."""
    module = type(vectors).__module__ or ""
    return module.split(".")[0] == "gensim" and (
        hasattr(vectors, "index_to_key") or hasattr(vectors, "wv")
    )


def as_vectors(vectors):
    """``vectors`` as embedlab vectors: any kind of the protocol as it is, gensim's
    ``KeyedVectors`` or model converted (``from_gensim``); anything else is one line."""
    from embedlab.vectors.base import Vectors

    if isinstance(vectors, Vectors):
        return vectors
    if is_gensim(vectors):
        return from_gensim(vectors)
    raise EmbedlabError(
        f"expected word vectors (embedlab's, or gensim's KeyedVectors), got "
        f"{type(vectors).__name__}: load a file with embedlab.load(path)"
    )


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(vector)
    return (vector / norm).astype(np.float32) if norm > 0 else vector.astype(np.float32)
