"""The word2vec estimators: ``SkipGram`` and ``CBOW``, each with a choice of objective."""

from __future__ import annotations

import copy
from typing import Annotated

import numpy as np

from embedlab.checks import check_float
from embedlab.corpus.pieces import MAX_PIECE, check_window_work
from embedlab.corpus.subwords import DEFAULT_BUCKETS, DEFAULT_MAXN, DEFAULT_MINN
from embedlab.errors import EmbedlabError, setting, spelled
from embedlab.methods.params import (
    ALL_PAIRS,
    EPOCHS_WHY,
    MAX_EPOCHS,
    Bool,
    Callbacks,
    Choice,
    Estimator,
    Float,
    Folder,
    Int,
    Saved,
    Threads,
    Window,
)
from embedlab.methods.signature import forwarding_signature
from embedlab.methods.torch_support.device import DEVICES
from embedlab.methods.word2vec.cbow import train_cbow
from embedlab.methods.word2vec.objectives import OBJECTIVES
from embedlab.methods.word2vec.objectives.base import BACKENDS
from embedlab.methods.word2vec.resume import (
    check_no_overwrite,
    checkpoint_path,
    resume_point,
    schedule,
)
from embedlab.methods.word2vec.skipgram import train_skipgram
from embedlab.methods.word2vec.trainer import (
    CHUNK_WORDS,
    EpochCorpora,
    expected_bytes,
    memory_parts,
    train_matrices,
)
from embedlab.resources import check_memory

COMBINES = ("input", "sum", "mean", "concat")
#: How rows are merged on a Dask cluster (``embedlab.distributed.merges``).
DASK_MERGES = ("bmuf", "averaged")
#: The starting learning rate: a number, or None (the default) to size it from the corpus.
Alpha = Annotated[
    float | None,
    Float(minimum=0.0, exclusive_minimum=True, none=True, none_means="sized from the corpus"),
]
#: The size-aware starting rate is ``clip(rate_at * (SIZE_REFERENCE / tokens) ** 0.25, floor,
#: CEILING)``, ``rate_at`` and ``floor`` per architecture.
SIZE_REFERENCE = 1_000_000
CEILING = 0.1
#: The most n-gram buckets: the input rows an int32 row id can name.
MAX_BUCKETS = 2**31 - 1


def subword_setting() -> str:
    """The subword lengths as the caller spells them: ``minn``/``maxn``, or ``--subwords``."""
    low, high = setting("minn"), setting("maxn")
    return low if low == high else f"{low}/{high}"


def sized_alpha(n_tokens: int, rate_at: float, floor: float) -> float:
    """The starting learning rate for a corpus of ``n_tokens`` (in-vocabulary) tokens.

    Chosen by measurement (``benchmarks/sweep_defaults.py``, BENCHMARKS.md: four corpora of
    0.4 M to 9 M tokens, five epochs, every bundled set). The best starting rate falls as the
    corpus grows, since every word gets more updates: skip-gram's was 0.1 or more at 1 M tokens
    and below and between 0.05 and 0.075 at 9 M (0.05 kept analogies and SimLex, 0.075 gained
    WS353 and MEN), and CBOW's was 0.1 at 1 M and 0.075 to 0.1 at 9 M. A fourth root of the
    size interpolates, and the floors are word2vec.c's rates, set for corpora of billions of
    tokens; the ceiling, 0.1, is the largest rate measured.
    """
    rate = rate_at * (SIZE_REFERENCE / max(n_tokens, 1)) ** 0.25
    return float(min(CEILING, max(floor, rate)))


class _Word2Vec(Estimator):
    """Shared parameters and ``fit`` of the two architectures.

    An architecture is a subclass with a Numba ``kernel`` (see ``skipgram.py``), its PyTorch
    step ``torch_step`` (``"module:function"``, see ``torch_architectures.py``) and the
    parameter passed to both as ``kernel_flag``.
    """

    architecture = ""
    kernel = None
    torch_step = ""
    #: ``sized_alpha``'s rate at SIZE_REFERENCE tokens and its floor, per architecture
    alpha_rule = (CEILING, 0.0)

    def __init__(
        self,
        *,
        objective: Annotated[str, Choice(OBJECTIVES)] = "negative",
        dim: Annotated[int, Int(minimum=1)] = 100,
        window: Annotated[int | str, Window()] = 5,
        negative: Annotated[int, Int(minimum=1)] = 5,
        ns_exponent: Annotated[float, Float()] = 0.75,
        sample: Annotated[float, Float(minimum=0.0)] = 1e-3,
        epochs: Annotated[int, Int(minimum=1, maximum=MAX_EPOCHS, why=EPOCHS_WHY)] = 5,
        alpha: Alpha,
        min_alpha: Annotated[float, Float(minimum=0.0)] = 0.0001,
        dynamic_window: Annotated[bool, Bool(flag="--dynamic-window/--fixed-window")] = True,
        threads: Annotated[int | None, Threads()] = None,
        seed: Annotated[int, Int(minimum=0)] = 1,
        quiet: Annotated[bool, Bool(cli=False, record=False)] = False,
        callbacks: Annotated[object, Callbacks()] = (),
        checkpoint_dir: Annotated[object, Folder(flag="--checkpoint")] = None,
        resume: Annotated[object, Saved()] = None,
        combine: Annotated[str, Choice(COMBINES)] = "input",
        backend: Annotated[str, Choice(BACKENDS)] = BACKENDS[0],
        device: Annotated[str, Choice(DEVICES)] = "auto",
        batch_size: Annotated[
            int | None, Int(minimum=1, none=True, none_means="1024 with backend torch")
        ] = None,
        dask_sync: Annotated[int, Int(minimum=CHUNK_WORDS)] = 100_000,
        dask_merge: Annotated[str, Choice(DASK_MERGES)] = DASK_MERGES[0],
        minn: Annotated[
            int | None, Int(minimum=1, none=True, cli=False, none_means="subwords off")
        ] = None,
        maxn: Annotated[
            int | None, Int(minimum=0, none=True, cli=False, none_means="subwords off")
        ] = None,
        buckets: Annotated[
            int | None,
            Int(minimum=1, maximum=MAX_BUCKETS, none=True, none_means="2,000,000 with subwords"),
        ] = None,
    ):
        """Check and set the parameters (word2vec's and gensim's names).

        Parameters:
            objective: "negative" (negative sampling), "hierarchical" (Huffman-tree softmax),
                "softmax" (exact, vocabularies up to 5,000 words) or "infonce" (the target
                against negative sampling's noise words in one softmax: the contrastive
                method's loss).
            dim: vector length.
            window: largest distance to a context word, in words; or "all": every other word
                of the sentence (basket, session, playlist) is a context, never shrunk, as
                item2vec treats sets: skip-gram trains on every ordered pair, CBOW predicts
                each word from all the others. "all" costs O(n^2) per sentence of n words (a
                line over 10,000 words is cut into pieces first, and pairs stay within one).
            negative: noise words per prediction.
            ns_exponent: noise words are drawn with probability ~ count ** ns_exponent: 0.75 is
                word2vec's, 0 is uniform, a negative value favours rare words (for items,
                Caselles-Dupré et al. 2018 found tuning it and sample paid off).
            sample: subsampling threshold as a fraction of the corpus (0 keeps every word).
            epochs: passes over the corpus.
            alpha: starting learning rate, decayed linearly to min_alpha across all epochs;
                None (the default) sizes it from the corpus's tokens (``sized_alpha``; each
                architecture says its rule), and the model's params record the rate used.
            min_alpha: final learning rate.
            dynamic_window: sample the effective window uniformly from 1..window per word, as
                word2vec does (False: always the full window); window "all" never shrinks.
            threads: worker threads (None: all cores).
            seed: random seed; with threads=1 the vectors are bit-identical for the same seed.
            quiet: no progress bar.
            callbacks: callables fn(epoch, loss, embeddings) or objects with on_epoch_end(epoch,
                loss, embeddings), called after every epoch.
            checkpoint_dir: save epoch-NNN.emb in this folder after every epoch.
            resume: a native .emb model or checkpoint (path or Embeddings) to continue from, on
                the same corpus with the same seed, alpha and min_alpha; epochs stays the total,
                so epoch k's checkpoint runs epochs k+1..epochs, on the uninterrupted run's
                learning-rate schedule.
            combine: what is saved as the vectors: input, sum, mean or concat of the input and
                output vectors.
            backend: the compiled Numba kernels (the default: SGD after every prediction, the
                threads sharing the matrices) or "torch" (PyTorch, on the CPU or a GPU:
                minibatches of centre words scored by matrix products, negative sampling only;
                needs pip install 'embedlab[torch]').
            device: "auto" (CUDA when present), "cpu" or "cuda"; the Numba backend runs on the
                CPU only.
            batch_size: backend torch only: centre words per step, each with its whole window
                (None: 1024). Larger batches run faster on a GPU, at more updates taken at
                the same parameters per step: 4096 and up learned less per epoch (measured in
                docs/architecture.md).
            dask_sync: on a Dask cluster, the words each replica (one per worker thread) trains
                between two merges of the rows the replicas changed; at least one chunk,
                10,000 words (100,000: measured in docs/distributed.md). Ignored on one machine.
            dask_merge: on a Dask cluster, how the replicas' changes of a row are merged:
                "bmuf" (default: block momentum on the change averaged over all replicas,
                each training at twice the rate; the one rule that held at 2, 4 and 6
                replicas) or "averaged" (the averaged change, each replica at N times the
                rate; closest to one machine at 2 and 4 replicas, diverged at 6). The earlier
                "mean" and "delta" lost 0.14-0.39 WS353 at 2-4 replicas. Measured in
                docs/distributed.md.
            minn: subwords (fastText): the shortest character n-gram, in characters; a word's
                input is its own row and its n-grams' rows, averaged, so any word gets a
                vector. Giving minn or maxn turns subwords on, the other then at fastText's
                default (minn 3, maxn 6); None (the default) or maxn 0 leaves them off.
            maxn: subwords: the longest character n-gram, in characters (see minn).
            buckets: subwords: n-grams are hashed into this many rows of the input matrix
                (None: fastText's 2,000,000); each is dim floats, so fewer buckets use less
                memory, at more n-grams sharing a row.
        """
        self.assign(locals())
        self._check_subwords()
        self._check_backend()
        lowest = self.alpha if self.alpha is not None else self.alpha_rule[1]
        self.min_alpha = check_float(
            setting("min_alpha"), self.min_alpha, minimum=0.0, maximum=lowest
        )
        if not OBJECTIVES[self.objective].word_rows and self.combine != "input":
            raise EmbedlabError(
                f"{setting('combine', combine)} needs per-word output vectors, but "
                f"{setting('objective', self.objective)}'s output matrix does not hold them "
                f"(Huffman inner nodes): use {setting('combine', 'input')} or "
                f"{setting('objective', 'negative')}"
            )

    @property
    def kernel_flag(self) -> bool:
        """The architecture's own parameter, passed to its kernel."""
        raise NotImplementedError

    @property
    def uses_subwords(self) -> bool:
        """Whether words are trained as their row plus their n-gram rows (``inputs.py``)."""
        return self.maxn is not None

    @property
    def shrink(self) -> str:
        """The options that shrink a run, for ``check_memory``'s message."""
        if self.uses_subwords:
            return "lower {dim} or {buckets}, raise {min_count} or set {max_vocab}"
        return "lower {dim}, raise {min_count} or set {max_vocab}"

    def _check_subwords(self) -> None:
        """Settle minn/maxn/buckets: None for all three when subwords are off, else numbers."""
        if self.maxn == 0 or (self.minn is None and self.maxn is None):
            if self.buckets is not None:
                raise EmbedlabError(
                    f"{setting('buckets')} applies to subwords only: give {subword_setting()} "
                    f"too, or leave {setting('buckets')} out"
                )
            self.minn = self.maxn = None
            return
        if self.combine != "input":
            raise EmbedlabError(
                f"{setting('combine', self.combine)} does not apply to subwords: a word's "
                "vector is composed from its input rows (its own and its n-grams'), so leave "
                f"{setting('combine')} out"
            )
        self.minn = DEFAULT_MINN if self.minn is None else self.minn
        self.maxn = DEFAULT_MAXN if self.maxn is None else self.maxn
        self.buckets = DEFAULT_BUCKETS if self.buckets is None else self.buckets
        if self.minn > self.maxn:
            raise EmbedlabError(
                f"{setting('minn', self.minn)} is more than {setting('maxn', self.maxn)}: "
                f"n-grams run from minn to maxn characters, so give minn <= maxn (fastText's "
                f"{DEFAULT_MINN} and {DEFAULT_MAXN})"
            )

    def _check_backend(self) -> None:
        if self.backend == BACKENDS[0]:
            if self.device == "cuda":
                raise EmbedlabError(
                    spelled(
                        "{device='cuda'} needs {backend='torch'} (the Numba kernels run on the "
                        "CPU): add {backend='torch'} or leave {device} out"
                    )
                )
            if self.batch_size is not None:
                raise EmbedlabError(
                    spelled(
                        "{batch_size} applies to {backend='torch'} only (the Numba kernels update "
                        "after every prediction): add {backend='torch'} or leave {batch_size} out"
                    )
                )
            return
        if self.uses_subwords:
            raise EmbedlabError(
                f"subwords ({subword_setting()}) need "
                f"{setting('backend', BACKENDS[0])}: leave {setting('backend')} out, or train "
                "without subwords"
            )
        if self.window == ALL_PAIRS:
            # Its window tables hold 2 * window slots per token: "all" (a piece's length) would
            # not fit, so sets train on the Numba kernels.
            raise EmbedlabError(
                f"{setting('window', ALL_PAIRS)} needs {setting('backend', BACKENDS[0])}: give "
                f"an integer {setting('window')} or leave {setting('backend')} out"
            )
        offered = [name for name, entry in OBJECTIVES.items() if self.backend in entry.backends]
        if self.objective not in offered:
            raise EmbedlabError(
                f"{setting('backend', self.backend)} has no "
                f"{setting('objective', self.objective)}: it offers "
                f"{', '.join(map(repr, offered))}, or use {setting('backend', BACKENDS[0])}"
            )
        from embedlab.methods.torch_support.device import require, resolve_device
        from embedlab.methods.word2vec.torch_backend import DEFAULT_BATCH

        require(f"{setting('backend', 'torch')} needs PyTorch")  # before any corpus is read
        resolve_device(self.device)  # a missing CUDA device fails here too
        if self.batch_size is None:
            self.batch_size = DEFAULT_BATCH

    @property
    def kernel_window(self) -> tuple[int, bool]:
        """The kernels' ``(window, dynamic)``: "all" is a fixed window no piece outgrows."""
        if self.window == ALL_PAIRS:
            return MAX_PIECE, False
        return self.window, self.dynamic_window

    def fit(self, corpus):
        """Train on ``corpus`` (anything ``embedlab.corpus.as_corpus`` accepts, or
        ``trainer.EpochCorpora``: another corpus each epoch) -> ``Embeddings``.

        The result's ``meta["history"]`` has one entry per epoch (mean loss per prediction,
        words/s, seconds, learning rate at the end of the epoch).
        """
        from embedlab.corpus import as_corpus
        from embedlab.progress import Progress

        if not isinstance(corpus, EpochCorpora):
            corpus = as_corpus(corpus)
        words = list(corpus.vocab.words)
        sized = self.sized_for(len(words), corpus.n_tokens)
        if sized is not self:  # the model records the rate it used
            return sized.fit(corpus)
        if hasattr(corpus, "sentence_starts"):  # walks per epoch are as short as walk_length
            self.check_window_work(corpus.sentence_starts)
        copies = bool(self.callbacks) or self.checkpoint_dir is not None or self.resume is not None
        check_memory(self.architecture, memory_parts(len(words), self, copies), self.shrink)
        point = resume_point(self, words, corpus.n_tokens)
        check_no_overwrite(point, self.checkpoint_dir, self.epochs)
        if self.checkpoint_dir is not None:
            self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        history = point.history

        def on_epoch_end(epoch, entry, W, C):
            history.append(entry)
            if not self.callbacks and self.checkpoint_dir is None:
                return
            emb = self._embeddings(corpus.vocab, corpus.n_tokens, W.copy(), C.copy(), history)
            if self.checkpoint_dir is not None:
                emb.save(checkpoint_path(self.checkpoint_dir, epoch))
            for callback in self.callbacks:
                hook = getattr(callback, "on_epoch_end", callback)
                hook(epoch, entry["loss"], emb)

        total = corpus.n_tokens * (self.epochs - point.epochs_done)
        with Progress(total, unit="words", description=self.architecture, quiet=self.quiet) as bar:
            need = expected_bytes(len(words), corpus.n_tokens, self)
            bar.note(
                f"{len(words):,} words x {self.dim} dims over {corpus.n_tokens:,} tokens: about "
                f"{need / 2**20:,.0f} MiB for the vectors, the corpus and the sampling tables"
            )
            result = self._trainer()(
                corpus,
                self,
                W=point.W,
                C=point.C,
                first_epoch=point.epochs_done,
                progress=bar,
                on_epoch_end=on_epoch_end,
            )
        return self._embeddings(corpus.vocab, corpus.n_tokens, result.W, result.C, history)

    def _trainer(self):
        """The backend's ``train_matrices`` (the torch one imported only when chosen)."""
        if self.backend == BACKENDS[0]:
            return train_matrices
        from embedlab.methods.word2vec.torch_backend import train_matrices as on_torch

        return on_torch

    def sized_for(self, n_words: int, n_tokens: int):
        """Check a corpus of ``n_words`` words and ``n_tokens`` tokens fits the settings; this
        estimator, or a copy with ``alpha`` sized from ``n_tokens`` when it is None."""
        if not n_words or n_tokens == 0:
            raise EmbedlabError(
                "the corpus has no words left to train on: give more text or lower "
                + setting("min_count")
            )
        limit = OBJECTIVES[self.objective].max_vocab
        if limit is not None and n_words > limit:
            raise EmbedlabError(
                f"{setting('objective', self.objective)} scores all {n_words} words per "
                f"prediction (limit {limit}): use {setting('objective', 'negative')} or "
                f"{setting('objective', 'hierarchical')}, or raise {setting('min_count')} / set "
                f"{setting('max_vocab')}"
            )
        if self.alpha is not None:
            return self
        sized = copy.copy(self)
        sized.alpha = sized_alpha(n_tokens, *self.alpha_rule)
        return sized

    def check_window_work(self, sentence_starts) -> None:
        """Refuse a window whose pairs per token pass ``limits.PAIRS_PER_TOKEN`` (``window="all"``
        on long lines is quadratic in their length)."""
        cheaper = (
            "give an integer window, or split long lines into shorter baskets"
            if self.window == ALL_PAIRS
            else "give a smaller window"
        )
        check_window_work(sentence_starts, self.kernel_window[0], self.window, cheaper)

    def _embeddings(self, vocab, n_tokens: int, W, C, history, **meta):
        """The trained matrices as ``Embeddings``; ``meta`` adds entries (the cluster's plan)."""
        from embedlab.vectors.embeddings import Embeddings

        meta = {
            "method": self.architecture,
            "objective": self.objective,
            "params": self.get_params(),
            "history": [dict(entry) for entry in history],
            "schedule": schedule(self, n_tokens, history[-1]["epoch"] if history else 0),
            **meta,
        }
        if self.uses_subwords:
            from embedlab.vectors.subwords import SubwordEmbeddings

            return SubwordEmbeddings(
                list(vocab.words),
                W,
                minn=self.minn,
                maxn=self.maxn,
                counts=np.asarray(vocab.counts),
                context=C,
                meta=meta,
            )
        return Embeddings(
            list(vocab.words),
            W,
            counts=np.asarray(vocab.counts),
            context=C,
            combine=self.combine,
            meta=meta,
        )


class SkipGram(_Word2Vec):
    """word2vec skip-gram: every word within the window predicts the centre word.

    Parameters: ``shared_negatives`` and those of ``_Word2Vec.__init__``; ``alpha`` defaults to
    ``sized_alpha`` with 0.1 at 1 M tokens, never below 0.025 (0.1 up to 1 M tokens, 0.058 at
    9 M, 0.032 at 100 M, 0.025 from 390 M).
    """

    architecture = "skipgram"
    kernel = staticmethod(train_skipgram)
    torch_step = "embedlab.methods.word2vec.torch_architectures:skipgram"
    alpha_rule = (0.1, 0.025)

    def __init__(
        self,
        *,
        shared_negatives: Annotated[bool, Bool(flag="--shared-negatives/--fresh-negatives")] = True,
        alpha: Alpha = None,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            shared_negatives: the context words around one centre word predict it against the
                same negatives, drawn once (the few output rows stay in cache, about 1.6x
                faster, same quality in BENCHMARKS.md), or each pair draws its own, as
                word2vec.c does.
        """
        self.assign(locals())
        super().__init__(alpha=alpha, **params)

    @property
    def kernel_flag(self) -> bool:
        return self.shared_negatives


class CBOW(_Word2Vec):
    """word2vec CBOW: the mean (or sum) of the context vectors predicts the centre word.

    Parameters: ``cbow_mean`` and those of ``_Word2Vec.__init__``; ``alpha`` defaults to
    ``sized_alpha`` with 0.2 at 1 M tokens, between 0.05 and 0.1 (0.1 up to 16 M tokens, 0.063
    at 100 M, 0.05 from 256 M).
    """

    architecture = "cbow"
    kernel = staticmethod(train_cbow)
    torch_step = "embedlab.methods.word2vec.torch_architectures:cbow"
    alpha_rule = (0.2, 0.05)

    def __init__(
        self,
        *,
        cbow_mean: Annotated[bool, Bool(flag="--cbow-mean/--cbow-sum")] = True,
        alpha: Alpha = None,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            cbow_mean: the hidden vector is the mean of the context rows (else their sum).
        """
        self.assign(locals())
        super().__init__(alpha=alpha, **params)

    @property
    def kernel_flag(self) -> bool:
        return self.cbow_mean


SkipGram.__signature__ = forwarding_signature(SkipGram.__init__, _Word2Vec.__init__)
CBOW.__signature__ = forwarding_signature(CBOW.__init__, _Word2Vec.__init__)
