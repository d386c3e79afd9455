"""Count-based estimators: explicit PPMI vectors ("ppmi") and their truncated SVD ("ppmi-svd").

Both count co-occurrences on the same encoded corpus word2vec trains on, turn the counts into
(shifted, smoothed) PPMI and either keep the sparse rows or factorise them (Levy, Goldberg &
Dagan 2015, the hyperwords recipe).

Defaults: ``window=5`` with ``weighting="dynamic"`` rather than hyperwords' window 2, so that a
context at distance d carries the weight it has on average in word2vec's dynamic window of the
same size: at equal ``window`` the count methods and skip-gram see the same contexts, which is
what a side-by-side comparison needs (pass ``window=2`` for hyperwords' setting).
"""

from __future__ import annotations

import time
from typing import Annotated

import numpy as np

from embedlab.corpus.pieces import check_window_work
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.count.association import ppmi
from embedlab.methods.count.cooccurrence import (
    CONTEXTS,
    WEIGHTINGS,
    check_window,
    cooccurrence_matrix,
    counting_bytes,
)
from embedlab.methods.count.svd import (
    SOLVERS,
    check_rank,
    svd_bytes,
    truncated_svd,
    weighted_factors,
)
from embedlab.methods.params import Bool, Choice, Estimator, Float, Int, Memory, Threads
from embedlab.methods.signature import forwarding_signature
from embedlab.resources import check_memory

COMBINES = ("input", "sum")


class PPMI(Estimator):
    """Explicit PPMI vectors: row ``w`` of ``max(PMI(w, c) - log shift, 0)``, kept sparse.

    ``fit`` returns a ``SparseEmbeddings`` (|V| x |V| CSR rows, cosine queries by sparse
    products; saved only as ``.npz``).
    """

    method = "ppmi"
    #: The options that shrink ``_memory_parts``, for ``check_memory``'s message.
    shrink = "lower {memory} or {window}, raise {min_count} or set {max_vocab}"

    def __init__(
        self,
        *,
        window: Annotated[int, Int(minimum=1)] = 5,
        weighting: Annotated[str, Choice(WEIGHTINGS)] = "dynamic",
        context: Annotated[str, Choice(CONTEXTS)] = "symmetric",
        cds: Annotated[float, Float(minimum=0.0, maximum=1.0, exclusive_minimum=True)] = 0.75,
        shift: Annotated[float, Float(minimum=1.0)] = 1.0,
        sample: Annotated[float, Float(minimum=0.0)] = 0.0,
        memory: Annotated[object, Memory()] = "4G",
        threads: Annotated[int | None, Threads()] = None,
        seed: Annotated[int, Int(minimum=0)] = 1,
        quiet: Annotated[bool, Bool(cli=False, record=False)] = False,
    ):
        """Check and set the parameters.

        Parameters:
            window: largest distance counted, in words.
            weighting: how a context at distance d counts: "dynamic" ((window - d + 1) / window,
                word2vec's dynamic window in expectation), "harmonic" (1/d, GloVe's; window up
                to 22) or "none" (1).
            context: "symmetric", "left" or "right" of the word.
            cds: context distribution smoothing exponent in (0, 1] (1 is plain PMI).
            shift: subtract log(shift) before clipping at 0 (1: no shift; k mimics SGNS's k).
            sample: word2vec subsampling threshold applied before counting (0 keeps every
                word).
            memory: peak memory budget for counting, e.g. 4G or 512M.
            threads: counting threads (None: all cores); the result does not depend on it.
            seed: seeds the subsampling.
            quiet: no progress bar.
        """
        self.assign(locals())
        check_window(self.window, self.weighting)

    def _association(self, corpus):
        """PPMI matrix (float32 CSR) of ``corpus`` and the seconds each stage took."""
        from embedlab.progress import Progress

        if len(corpus.vocab) == 0 or corpus.n_tokens == 0:
            raise EmbedlabError(
                "the corpus has no words left to count: give more text or lower "
                + setting("min_count")
            )
        check_window_work(corpus.sentence_starts, self.window, self.window, "give a smaller window")
        check_memory(self.method, self._memory_parts(corpus), self.shrink)
        started = time.perf_counter()
        with Progress(corpus.n_tokens, description="counting", quiet=self.quiet) as bar:
            counts = cooccurrence_matrix(
                corpus,
                window=self.window,
                context=self.context,
                weighting=self.weighting,
                sample=self.sample,
                seed=self.seed,
                memory=self.memory,
                threads=self.threads,
                progress=bar,
            )
        counted = time.perf_counter()
        matrix = ppmi(counts, cds=self.cds, shift=self.shift, dtype=np.float32)
        del counts
        stages = {
            "count_seconds": counted - started,
            "ppmi_seconds": time.perf_counter() - counted,
            "words_per_sec": corpus.n_tokens / max(counted - started, 1e-9),
            "nnz": int(matrix.nnz),
        }
        return matrix, stages

    def _memory_parts(self, corpus) -> dict[str, int]:
        """Bytes of the arrays ``fit`` allocates, by stage, from the corpus's size."""
        n_words = len(corpus.vocab)
        counting = counting_bytes(corpus.n_tokens, n_words, self.window, self.context, self.memory)
        return {"counting": counting}

    def _meta(self, stages: dict) -> dict:
        # No epochs: the history stays empty and the stage timings sit beside it.
        return {"method": self.method, "params": self.get_params(), "history": [], **stages}

    def fit(self, corpus):
        """Count and weight ``corpus`` (anything ``as_corpus`` accepts) -> ``SparseEmbeddings``."""
        from embedlab.corpus import as_corpus
        from embedlab.vectors.sparse import SparseEmbeddings

        corpus = as_corpus(corpus)
        matrix, stages = self._association(corpus)
        return SparseEmbeddings(
            corpus.vocab.words, matrix, counts=corpus.vocab.counts, meta=self._meta(stages)
        )


class PPMISVD(PPMI):
    """Dense vectors from the truncated SVD of the PPMI matrix: ``W = U S**eig``,
    ``C = V S**eig``.

    Parameters: ``dim``, ``eig``, ``combine``, ``solver`` and those of ``PPMI``.
    """

    method = "ppmi-svd"
    shrink = "lower {dim}, {memory} or {window}, raise {min_count} or set {max_vocab}"

    def __init__(
        self,
        *,
        dim: Annotated[int, Int(minimum=1)] = 300,
        eig: Annotated[float, Float(minimum=0.0, maximum=1.0)] = 0.5,
        combine: Annotated[str, Choice(COMBINES)] = "input",
        solver: Annotated[str, Choice(SOLVERS)] = "randomized",
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            dim: vector length.
            eig: eigenvalue weighting exponent: 0, 0.5 or 1.
            combine: "input" (W) or "sum" (W + C, Levy et al.'s w+c).
            solver: "randomized" or "arpack"; see embedlab.methods.count.svd for why.
        """
        super().__init__(**params)
        self.assign(locals())

    def _memory_parts(self, corpus) -> dict[str, int]:
        n_words = len(corpus.vocab)
        return super()._memory_parts(corpus) | {"SVD": svd_bytes(n_words, n_words, self.dim)}

    def fit(self, corpus):
        """Count, weight and factorise ``corpus`` -> ``Embeddings`` (float32, |V| x dim)."""
        from embedlab.corpus import as_corpus
        from embedlab.vectors.embeddings import Embeddings

        corpus = as_corpus(corpus)
        check_rank(self.dim, (len(corpus.vocab), len(corpus.vocab)))  # before counting
        matrix, stages = self._association(corpus)
        started = time.perf_counter()
        U, s, Vt = truncated_svd(matrix, self.dim, solver=self.solver, seed=self.seed)
        del matrix
        W, C = weighted_factors(U, s, Vt, self.eig)
        stages["svd_seconds"] = time.perf_counter() - started
        stages["singular_values"] = [float(v) for v in s]
        return Embeddings(
            corpus.vocab.words,
            W,
            counts=np.asarray(corpus.vocab.counts),
            context=C,
            combine=self.combine,
            meta=self._meta(stages),
        )


PPMISVD.__signature__ = forwarding_signature(PPMISVD.__init__, PPMI.__init__)
