"""The word2vec estimators: ``SkipGram`` and ``CBOW``, each with a choice of objective."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from embedlab.checks import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_threads,
)
from embedlab.errors import EmbedlabError
from embedlab.methods.signature import forwarding_signature
from embedlab.methods.word2vec.trainer import (
    Settings,
    expected_bytes,
    memory_parts,
    train_matrices,
)
from embedlab.resources import SHRINK, check_memory

OBJECTIVES = ("negative", "hierarchical", "softmax")
COMBINES = ("input", "sum", "mean", "concat")
#: Full softmax scores every word for every prediction, O(|V| * dim): at 5,000 words and dim
#: 100 that is ~1.5M multiply-adds per prediction, ~800x negative sampling with 5 negatives, so
#: even a one-million-word corpus takes hours. Above this it is not a teaching tool any more.
FULL_SOFTMAX_MAX_VOCAB = 5_000


class _Word2Vec:
    """Shared parameters and ``fit`` of the two architectures (see ``SkipGram`` for the list)."""

    architecture = ""
    default_alpha = 0.025

    def __init__(
        self,
        *,
        objective: str = "negative",
        dim: int = 100,
        window: int = 5,
        negative: int = 5,
        ns_exponent: float = 0.75,
        sample: float = 1e-3,
        epochs: int = 5,
        alpha: float | None = None,
        min_alpha: float = 0.0001,
        dynamic_window: bool = True,
        threads: int | None = None,
        seed: int = 1,
        quiet: bool = False,
        callbacks=(),
        checkpoint_dir=None,
        resume=None,
        combine: str = "input",
    ):
        self.objective = check_choice("objective", objective, OBJECTIVES)
        self.dim = check_int("dim", dim, minimum=1)
        self.window = check_int("window", window, minimum=1)
        self.negative = check_int("negative", negative, minimum=1)
        self.ns_exponent = check_float("ns_exponent", ns_exponent)
        self.sample = check_float("sample", sample, minimum=0.0)
        self.epochs = check_int("epochs", epochs, minimum=1)
        alpha = self.default_alpha if alpha is None else alpha
        self.alpha = check_float("alpha", alpha, minimum=0.0, exclusive_minimum=True)
        self.min_alpha = check_float("min_alpha", min_alpha, minimum=0.0, maximum=self.alpha)
        self.dynamic_window = check_bool("dynamic_window", dynamic_window)
        self.threads = check_threads(threads)
        self.seed = check_int("seed", seed, minimum=0)
        self.quiet = check_bool("quiet", quiet)
        self.callbacks = _check_callbacks(callbacks)
        self.checkpoint_dir = None if checkpoint_dir is None else Path(checkpoint_dir)
        if self.checkpoint_dir is not None and self.checkpoint_dir.is_file():
            raise EmbedlabError(
                f"checkpoint_dir {str(self.checkpoint_dir)!r} is a file: give a folder"
            )
        self.resume = resume
        self.combine = check_choice("combine", combine, COMBINES)
        if self.objective == "hierarchical" and self.combine != "input":
            raise EmbedlabError(
                f"combine={combine!r} needs per-word output vectors, but hierarchical softmax's "
                "output matrix holds Huffman inner nodes: use combine='input' or "
                "objective='negative'"
            )

    def _settings(self) -> Settings:
        extra = self._extra_params()
        return Settings(
            architecture=self.architecture,
            objective=self.objective,
            dim=self.dim,
            window=self.window,
            negative=self.negative,
            ns_exponent=self.ns_exponent,
            sample=self.sample,
            epochs=self.epochs,
            alpha=self.alpha,
            min_alpha=self.min_alpha,
            cbow_mean=extra.get("cbow_mean", True),
            dynamic_window=self.dynamic_window,
            shared_negatives=extra.get("shared_negatives", False),
            threads=self.threads,
            seed=self.seed,
        )

    def get_params(self) -> dict:
        """The parameters as given (JSON-able: callbacks and paths are described, not kept)."""
        params = {
            name: getattr(self, name)
            for name in (
                "objective",
                "dim",
                "window",
                "negative",
                "ns_exponent",
                "sample",
                "epochs",
                "alpha",
                "min_alpha",
                "dynamic_window",
                "threads",
                "seed",
                "combine",
            )
        }
        params["checkpoint_dir"] = None if self.checkpoint_dir is None else str(self.checkpoint_dir)
        resume = self.resume
        params["resume"] = str(resume) if isinstance(resume, (str, Path)) else _describe(resume)
        return params

    def fit(self, corpus):
        """Train on ``corpus`` (anything ``embedlab.corpus.as_corpus`` accepts) -> ``Embeddings``.

        The result's ``meta["history"]`` has one entry per epoch (mean loss per prediction,
        words/s, seconds, learning rate at the end of the epoch).
        """
        from embedlab.corpus import as_corpus
        from embedlab.progress import Progress

        corpus = as_corpus(corpus)
        words = list(corpus.vocab.words)
        if not words or corpus.n_tokens == 0:
            raise EmbedlabError(
                "the corpus has no words left to train on: give more text or lower min_count"
            )
        if self.objective == "softmax" and len(words) > FULL_SOFTMAX_MAX_VOCAB:
            raise EmbedlabError(
                f"objective='softmax' scores all {len(words)} words per prediction (limit "
                f"{FULL_SOFTMAX_MAX_VOCAB}): use objective='negative' or 'hierarchical', or "
                "raise min_count / set max_vocab"
            )
        settings = self._settings()
        copies = bool(self.callbacks) or self.checkpoint_dir is not None or self.resume is not None
        check_memory(self.architecture, memory_parts(len(words), settings, copies), SHRINK)
        W, C = self._resume_matrices(words)
        if self.checkpoint_dir is not None:
            self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        history: list[dict] = []

        def on_epoch_end(epoch, entry, W, C):
            history.append(entry)
            if not self.callbacks and self.checkpoint_dir is None:
                return
            emb = self._embeddings(words, corpus, W.copy(), C.copy(), history)
            if self.checkpoint_dir is not None:
                emb.save(self.checkpoint_dir / f"epoch-{epoch:03d}.emb")
            for callback in self.callbacks:
                hook = getattr(callback, "on_epoch_end", callback)
                hook(epoch, entry["loss"], emb)

        total = corpus.n_tokens * self.epochs
        with Progress(total, unit="words", description=self.architecture, quiet=self.quiet) as bar:
            need = expected_bytes(len(words), corpus.n_tokens, settings)
            bar.note(
                f"{len(words):,} words x {self.dim} dims over {corpus.n_tokens:,} tokens: about "
                f"{need / 2**20:,.0f} MiB for the vectors, the corpus and the sampling tables"
            )
            result = train_matrices(
                corpus, settings, W=W, C=C, progress=bar, on_epoch_end=on_epoch_end
            )
        return self._embeddings(words, corpus, result.W, result.C, history)

    def _embeddings(self, words, corpus, W, C, history):
        from embedlab.vectors.embeddings import Embeddings

        meta = {
            "method": self.architecture,
            "objective": self.objective,
            "params": self.get_params() | self._extra_params(),
            "history": [dict(entry) for entry in history],
        }
        return Embeddings(
            words,
            W,
            counts=np.asarray(corpus.vocab.counts),
            context=C,
            combine=self.combine,
            meta=meta,
        )

    def _extra_params(self) -> dict:
        return {}

    def _resume_matrices(self, words):
        if self.resume is None:
            return None, None
        emb = self.resume
        if isinstance(emb, (str, Path)):
            from embedlab.vectors.formats import load

            emb = load(emb)
        if list(emb.words) != words:
            raise EmbedlabError(
                "resume: the saved model's vocabulary differs from this corpus's: resume on the "
                "same corpus with the same min_count/max_vocab"
            )
        context = emb.context_vectors
        if context is None:
            raise EmbedlabError(
                "resume: the saved vectors have no output matrix: resume from a native .emb model"
            )
        saved = emb.meta.get("objective", self.objective)
        if saved != self.objective:
            raise EmbedlabError(
                f"resume: the model was trained with objective={saved!r}, not "
                f"{self.objective!r}: resume with the same objective"
            )
        W = np.array(emb.input_vectors, dtype=np.float32, order="C")
        C = np.array(context, dtype=np.float32, order="C")
        if W.shape[1] != self.dim:
            raise EmbedlabError(
                f"resume: the model has dim={W.shape[1]}, not {self.dim}: pass dim={W.shape[1]}"
            )
        return W, C


class SkipGram(_Word2Vec):
    """word2vec skip-gram: every word within the window predicts the centre word.

    Parameters (word2vec's and gensim's names):
        objective: "negative" (negative sampling, default), "hierarchical" (Huffman-tree
            softmax) or "softmax" (exact, vocabularies up to 5,000 words).
        dim: vector length (100). window: max distance in words (5); dynamic_window (True)
            samples the effective window uniformly from 1..window per word, as word2vec does.
        negative: noise words per prediction (5); ns_exponent: noise ~ count**ns_exponent (0.75).
        sample: subsampling threshold as a fraction of the corpus (1e-3; 0 keeps every word).
        epochs: passes over the corpus (5). alpha: starting learning rate (0.025), decayed
            linearly to min_alpha (0.0001) across all epochs.
        threads: worker threads (None = all cores). seed: the random seed (1); with threads=1
            the vectors are bit-identical for the same seed.
        quiet: no progress bar. callbacks: callables ``fn(epoch, loss, embeddings)`` or objects
            with ``on_epoch_end(epoch, loss, embeddings)``. checkpoint_dir: save
            ``epoch-NNN.emb`` there after every epoch. resume: a native model path or
            Embeddings to continue from (same vocabulary). combine: what ``vectors`` holds:
            "input" (default), "sum", "mean" or "concat" of input and output vectors.
        shared_negatives: the context words around one centre word predict it against the
            same negatives, drawn once (True, default: the few output rows stay in cache, about
            1.6x faster, same quality in BENCHMARKS.md), or each pair draws its own, as
            word2vec.c does (False).
    """

    architecture = "skipgram"
    default_alpha = 0.025

    def __init__(self, *, shared_negatives: bool = True, **params):
        self.shared_negatives = check_bool("shared_negatives", shared_negatives)
        super().__init__(**params)

    def _extra_params(self) -> dict:
        return {"shared_negatives": self.shared_negatives}


class CBOW(_Word2Vec):
    """word2vec CBOW: the mean (or sum) of the context vectors predicts the centre word.

    Same parameters as ``SkipGram`` plus ``cbow_mean`` (True: mean of the context rows; False:
    their sum); ``alpha`` defaults to 0.05.
    """

    architecture = "cbow"
    default_alpha = 0.05

    def __init__(self, *, cbow_mean: bool = True, **params):
        self.cbow_mean = check_bool("cbow_mean", cbow_mean)
        super().__init__(**params)

    def _extra_params(self) -> dict:
        return {"cbow_mean": self.cbow_mean}


SkipGram.__signature__ = forwarding_signature(SkipGram.__init__, _Word2Vec.__init__)
CBOW.__signature__ = forwarding_signature(CBOW.__init__, _Word2Vec.__init__)


def _describe(resume) -> str | None:
    return None if resume is None else type(resume).__name__


def _check_callbacks(callbacks) -> tuple:
    if callable(callbacks) or hasattr(callbacks, "on_epoch_end"):
        callbacks = (callbacks,)
    callbacks = tuple(callbacks)
    for callback in callbacks:
        if not (callable(callback) or callable(getattr(callback, "on_epoch_end", None))):
            raise EmbedlabError(
                f"callback {callback!r} is neither callable nor has on_epoch_end(epoch, loss, "
                "embeddings): pass a function or such an object"
            )
    return callbacks
