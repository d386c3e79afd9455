"""What the three neural estimators share: parameters, the epoch loop, checkpoints, resume.

A subclass says what it reads (``_prepare``), what it trains (``_network``: a list of
tensors), how a batch is scored (``_loss``) and which vectors it keeps (``_vectors``). The loop
here draws every epoch's randomness from (seed, epoch) alone, so a run resumed from a
checkpoint continues exactly as the uninterrupted run would have, bit for bit with one thread.
"""

from __future__ import annotations

import copy
import inspect
import json
import math
import pickle
import time
from pathlib import Path
from typing import Annotated

import numpy as np

from embedlab.errors import EmbedlabError, setting
from embedlab.fileio import atomic_write
from embedlab.methods.neural.optimizers import OPTIMIZERS, Optimizer
from embedlab.methods.params import (
    EPOCHS_WHY,
    MAX_EPOCHS,
    Bool,
    Choice,
    Estimator,
    Float,
    Folder,
    Int,
    Saved,
    Threads,
)
from embedlab.methods.torch_support.device import (
    DEVICES,
    generator,
    repeatable,
    require,
    resolve_device,
    torch,
)

SCHEDULES = ("linear", "constant")
#: Parameters that steer a run without changing what it computes: a resumed run may differ
#: from its checkpoint in these only.
RUN_CONTROLS = ("epochs", "device", "threads", "quiet", "checkpoint_dir", "resume")
CHECKPOINT_FORMAT = "embedlab-neural-1"
#: Seconds of training after which a run forecasts its length.
FORECAST_AFTER = 3.0


class NeuralEstimator(Estimator):
    """Parameters every neural method takes, declared in ``__init__``; each subclass gives
    ``dim``, ``epochs`` and ``batch_size`` their defaults."""

    method = ""
    unit = "rows"
    #: optimizer -> lr used when ``lr`` is None
    default_lr: dict[str, float] = {}

    def __init__(
        self,
        *,
        dim: Annotated[int, Int(minimum=1)],
        epochs: Annotated[int, Int(minimum=1, maximum=MAX_EPOCHS, why=EPOCHS_WHY)],
        batch_size: Annotated[int, Int(minimum=1)],
        optimizer: Annotated[str, Choice(OPTIMIZERS)] = "adam",
        lr: Annotated[
            float | None,
            Float(minimum=0.0, exclusive_minimum=True, none=True, none_means="the optimizer's own"),
        ] = None,
        momentum: Annotated[float, Float(minimum=0.0, maximum=1.0, exclusive_minimum=True)] = 0.1,
        square_momentum: Annotated[
            float, Float(minimum=0.0, maximum=1.0, exclusive_minimum=True)
        ] = 0.01,
        schedule: Annotated[str, Choice(SCHEDULES)] = "linear",
        device: Annotated[str, Choice(DEVICES)] = "auto",
        threads: Annotated[int | None, Threads()] = None,
        seed: Annotated[int, Int(minimum=0)] = 1,
        quiet: Annotated[bool, Bool(cli=False, record=False)] = False,
        checkpoint_dir: Annotated[object, Folder(flag="--checkpoint")] = None,
        resume: Annotated[object, Saved()] = None,
    ):
        """Check and set the parameters.

        Parameters:
            dim: vector length.
            epochs: passes over the training data.
            batch_size: rows or pairs per step.
            optimizer: "sgd", "momentum", "adagrad", "rmsprop" or "adam".
            lr: the optimizer's learning rate (None: the method's default for the optimizer).
            momentum: the notes' beta, the weight of the new term in the moving average of the
                gradient.
            square_momentum: the same for the moving average of the squared gradient.
            schedule: "linear" (lr falls linearly towards 0 over the run) or "constant".
            device: "auto" (CUDA when present), "cpu" or "cuda".
            threads: CPU threads (None: all cores).
            seed: random seed; one thread on the CPU gives bit-identical vectors.
            quiet: no progress bar.
            checkpoint_dir: save epoch-NNN.emb and the full state epoch-NNN.pt after every
                epoch.
            resume: an epoch-NNN.pt, or the .emb beside it, to continue from.
        """
        self.assign(locals())
        if not self.uses_torch():
            return
        require()  # a missing torch is one line now, before any corpus is read
        if self.lr is None:
            self.lr = self.default_lr[self.optimizer]
        resolve_device(self.device)  # a missing CUDA device fails here, before any reading
        self.resume = None if resume is None else state_path(resume)

    def uses_torch(self) -> bool:
        """Whether this run trains with PyTorch (the encoders always; contrastive on its
        torch backend)."""
        return True

    # What a subclass provides -------------------------------------------------------------

    def _prepare(self, corpus, device):
        """The training data; its ``units`` attribute is the epoch's length in ``unit``s."""
        raise NotImplementedError

    def _network(self, data, gen) -> list:
        """The initial trainable tensors."""
        raise NotImplementedError

    def _batches(self, data, rng, device):
        """Yield (batch, size, units done so far in the epoch)."""
        raise NotImplementedError

    def _loss(self, params, batch, data, gen, position):
        """The batch's mean loss (a scalar tensor); ``position`` is the fraction of the run
        done (0 to 1), for losses with a schedule of their own."""
        raise NotImplementedError

    def _vectors(self, params, data, device) -> np.ndarray:
        """The word vectors (float32, |V| x dim) of the trained tensors."""
        raise NotImplementedError

    # The loop -----------------------------------------------------------------------------

    def fit(self, corpus):
        """Train on ``corpus`` (anything ``as_corpus`` accepts) -> ``Embeddings``.

        ``meta["history"]`` has one entry per epoch: ``loss`` (mean per row or pair),
        ``words_per_sec`` (rows or corpus words per second), ``seconds`` and ``lr`` at the end.
        """
        from embedlab.corpus import as_corpus

        corpus = as_corpus(corpus)
        words = list(corpus.vocab.words)
        if not words or corpus.n_tokens == 0:
            raise EmbedlabError(
                "the corpus has no words left to train on: give more text or lower "
                + setting("min_count")
            )
        device = resolve_device(self.device)
        with repeatable(self.threads):
            data = self._prepare(corpus, device)
            return self._sized_for(data)._train(corpus, words, data, device)

    def _sized_for(self, data):
        """This estimator, or a copy with the epochs ``data`` calls for when ``epochs`` is None
        (the model's params then record the number used)."""
        if self.epochs is not None:
            return self
        sized = copy.copy(self)
        sized.epochs = self._epochs_for(data)
        return sized

    def _epochs_for(self, data) -> int:
        """The epochs of a run on ``data`` when ``epochs`` is None (methods that allow it)."""
        raise NotImplementedError

    def _train(self, corpus, words, data, device):
        """The epoch loop on the prepared ``data`` (inside ``repeatable``) -> ``Embeddings``."""
        params = self._network(data, generator(self.seed, -1, device))
        opt = self._optimizer_for(params)
        history = self._restore(params, opt, words, device)
        if self.checkpoint_dir is not None:
            self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        with self._progress(self.epochs * data.units, len(history) * data.units) as bar:
            for epoch in range(len(history), self.epochs):
                history.append(self._epoch(params, opt, data, epoch, device, bar))
                bar.epoch(history[-1], self.epochs)
                if self.checkpoint_dir is not None:
                    self._save_checkpoint(params, opt, words, corpus, history, device, data)
        return self._embeddings(words, corpus, self._vectors(params, data, device), history)

    def _optimizer_for(self, params) -> Optimizer:
        """The estimator's optimizer (its name, lr and momenta) over ``params``."""
        return Optimizer(self.optimizer, params, lr=self.lr, momentum=self.momentum,
                         square_momentum=self.square_momentum)  # fmt: skip

    def _progress(self, total: int, done: int = 0):
        """The run's progress bar: ``total`` units, ``done`` of them before this run."""
        from embedlab.progress import Progress

        bar = Progress(total, unit=self.unit, description=self.method, quiet=self.quiet)
        return Forecast(bar, total, done, f"{self.method} ({self.epochs} epochs)")

    def _epoch(self, params, opt, data, epoch, device, bar) -> dict:
        gen = generator(self.seed, epoch, device)
        rng = np.random.default_rng([self.seed, epoch])
        started = time.perf_counter()
        loss_sum, seen, done = 0.0, 0, 0
        for batch, size, done in self._batches(data, rng, device):
            position = (epoch + done / data.units) / self.epochs
            opt.lr = self._lr_at(position)
            loss = self._loss(params, batch, data, gen, position)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * size
            seen += size
            bar.update(epoch * data.units + done, loss=loss_sum / seen, lr=opt.lr)
        mean = loss_sum / max(seen, 1)
        if not math.isfinite(mean):
            raise EmbedlabError(
                f"{self.method}: the loss diverged (reached {mean}) in epoch {epoch + 1}: lower "
                f"{setting('lr')}, or use a bounded {setting('loss')}"
            )
        seconds = time.perf_counter() - started
        return {
            "epoch": epoch + 1,
            "loss": mean,
            "words_per_sec": done / seconds if seconds > 0 else 0.0,
            "seconds": seconds,
            "lr": opt.lr,
            self.unit: int(done),
        }

    def _lr_at(self, progress: float) -> float:
        if self.schedule == "constant":
            return self.lr
        return self.lr * max(1.0 - progress, 1e-4)

    def _embeddings(self, words, corpus, vectors, history):
        from embedlab.vectors.embeddings import Embeddings

        meta = {"method": self.method, "params": self.get_params(),
                "history": [dict(entry) for entry in history]}  # fmt: skip
        return Embeddings(words, vectors, counts=np.asarray(corpus.vocab.counts), meta=meta)

    # Checkpoints --------------------------------------------------------------------------

    def _save_checkpoint(self, params, opt, words, corpus, history, device, data) -> None:
        stem = self.checkpoint_dir / f"epoch-{len(history):03d}"
        emb = self._embeddings(words, corpus, self._vectors(params, data, device), history)
        emb.save(stem.with_suffix(".emb"))
        state = {
            "format": CHECKPOINT_FORMAT,
            "method": self.method,
            # Plain Python only, so the file loads with torch.load(weights_only=True).
            "params": _plain(_steering_free(self.get_params())),
            "words": [str(word) for word in words],
            "history": _plain(history),
            "tensors": [p.detach().cpu() for p in params],
            "optimizer": opt.state_dict(),
        }
        with atomic_write(stem.with_suffix(".pt"), "wb") as handle:
            torch.save(state, handle)

    def _restore(self, params, opt, words, device) -> list[dict]:
        """Load ``resume`` into ``params`` and ``opt``; the history so far ([] for none)."""
        if self.resume is None:
            return []
        try:
            state = torch.load(self.resume, map_location=device, weights_only=True)
        except (OSError, RuntimeError, EOFError, pickle.UnpicklingError) as err:
            raise EmbedlabError(f"resume: cannot read {str(self.resume)!r} ({err})") from None
        if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
            raise EmbedlabError(f"resume: {str(self.resume)!r} is not an embedlab checkpoint")
        _check_resumable(self, state, words)
        with torch.no_grad():
            for p, saved in zip(params, state["tensors"], strict=True):
                p.copy_(saved)
        opt.load_state_dict(state["optimizer"])
        return [dict(entry) for entry in state["history"]]


class Forecast:
    """A progress bar that says once, early on, roughly how long the run will take, when that
    is over a minute: from the first ``FORECAST_AFTER`` seconds' rate (the bar's ETA keeps
    counting after)."""

    def __init__(self, bar, total: int, done: int, what: str):
        self.bar, self.total, self.before, self.what = bar, total, done, what
        self.started = None

    def __enter__(self):
        self.bar.__enter__()
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def update(self, done: int, **fields) -> None:
        self.bar.update(done, **fields)
        if self.started is None or done <= self.before:
            return
        elapsed = time.perf_counter() - self.started
        if elapsed < FORECAST_AFTER:
            return
        self.started = None  # said once
        whole = elapsed * (self.total - self.before) / (done - self.before)
        if whole > 60:
            self.bar.note(f"{self.what}: about {whole / 60:.0f} minutes at this rate")

    def __getattr__(self, name):
        return getattr(self.bar, name)  # note, epoch: the bar's own


def neural_signature(cls) -> inspect.Signature:
    """Every parameter ``cls`` takes: each class's own along the MRO, ending with the shared
    ones (a subclass's ``__init__`` forwards ``**params`` up the chain)."""
    seen: dict[str, inspect.Parameter] = {}
    for klass in cls.__mro__[: cls.__mro__.index(NeuralEstimator) + 1]:
        for name, p in inspect.signature(klass.__init__, eval_str=True).parameters.items():
            if name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD:
                seen.setdefault(name, p)
    return inspect.Signature(list(seen.values()))


def state_path(resume) -> Path:
    """The checkpoint state file named by ``resume``: a ``.pt``, or the ``.emb`` beside it."""
    path = Path(resume)
    if path.suffix == ".emb":
        path = path.with_suffix(".pt")
    if not path.is_file():
        raise EmbedlabError(
            f"resume: no checkpoint state {str(path)!r}: give an epoch-NNN.pt (or .emb) that "
            f"{setting('checkpoint_dir')} wrote"
        )
    return path


def _plain(value):
    """``value`` with NumPy scalars turned into Python numbers."""
    return json.loads(json.dumps(value, default=lambda v: v.item()))


def _steering_free(params: dict) -> dict:
    return {name: value for name, value in params.items() if name not in RUN_CONTROLS}


def _check_resumable(estimator: NeuralEstimator, state: dict, words: list) -> None:
    if state["method"] != estimator.method:
        raise EmbedlabError(
            f"resume: the checkpoint is of method {state['method']!r}, not {estimator.method!r}"
        )
    if list(state["words"]) != words:
        raise EmbedlabError(
            "resume: the checkpoint's vocabulary differs from this corpus's: resume on the same "
            f"corpus with the same {setting('min_count')}/{setting('max_vocab')}"
        )
    mine = _steering_free(estimator.get_params())
    for name, value in state["params"].items():
        if mine.get(name) != value:
            raise EmbedlabError(
                f"resume: the checkpoint was trained with {setting(name, value)}, not "
                f"{mine.get(name)!r}: resume with {setting(name, value)}"
            )
    if len(state["history"]) >= estimator.epochs:
        raise EmbedlabError(
            f"resume: the checkpoint has already trained {len(state['history'])} epochs: ask "
            f"for more than that ({setting('epochs', estimator.epochs)})"
        )
