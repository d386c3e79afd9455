"""The PyTorch backend of word2vec: the Numba trainer's schedule, in minibatches of windows.

What stays as in the Numba trainer (``trainer.py``): the initial matrices (the same numbers
for a seed), subsampling (``keep_probability``), word2vec's dynamic window (1..window, uniform,
per centre word), windows that never cross a sentence piece, the noise distribution
(count ** ns_exponent), plain SGD with the learning rate falling linearly from alpha to
min_alpha over all epochs' words, the history entries and the progress bar.

What differs: the Numba kernels update after every (context, centre) pair, so the next pair
sees the rows already moved; here a batch of ``batch_size`` centre words (with their whole
windows) is scored in one batched matrix product at the same parameters, and each touched row
moves once by its summed updates damped toward what its sequential steps would give
(``torch_architectures.descend``; measured in docs/architecture.md: at batch 1024 close to the
Numba kernels' quality per epoch, larger batches still under-train). Skip-gram's context words
around one centre share one draw of negatives (Ji et al. 2016, "Parallelizing Word2Vec in
Shared and Distributed Memory", which turns each window into a small matrix product;
BlazingText batches the same way on GPUs), which is also the Numba kernel's default. The random
draws come from torch generators seeded by (seed, epoch, chunk), not word2vec's generator, so
the two backends give different vectors of the same quality; one backend, one seed and one
thread give the same vectors every time.

Everything runs on the chosen device, windows included, by the same code on CPU and CUDA; on
the CPU the tensors share memory with the NumPy matrices.
"""

from __future__ import annotations

import importlib
import time

import numpy as np

from embedlab.corpus.pieces import piece_bounds
from embedlab.corpus.sampling import keep_probability
from embedlab.errors import setting
from embedlab.methods.driver import REFRESH_SECONDS, run_epochs
from embedlab.methods.torch_support.device import repeatable, resolve_device, torch, warn_on_cpu
from embedlab.methods.word2vec.objectives import OBJECTIVES
from embedlab.methods.word2vec.torch_architectures import WindowBatch
from embedlab.methods.word2vec.trainer import (
    Result,
    _entry,
    _report,
    initial_matrices,
    learning_rate,
)

#: Centre words per step when ``batch_size`` is not given (see ``model.py``'s docstring).
DEFAULT_BATCH = 1024
#: CPU seconds of this backend over the Numba kernels' on the CPU, one thread each: skip-gram
#: NS, 3 epochs of enmix's first 1 M tokens, 37.0 s against 5.3 s (docs/architecture.md).
CPU_SLOWDOWN = 7
#: Corpus tokens turned into windows at a time: the window tables hold about 2 * window
#: entries a token, some tens of MB at this size.
CHUNK_TOKENS = 1 << 18


def train_matrices(
    corpus,
    params,
    *,
    W: np.ndarray | None = None,
    C: np.ndarray | None = None,
    first_epoch: int = 0,
    progress=None,
    on_epoch_end=None,
) -> Result:
    """``trainer.train_matrices`` on PyTorch: same arguments, same ``Result``."""
    counts = np.asarray(corpus.vocab.counts)
    if W is None:
        W, C = initial_matrices(len(counts), params.dim, params.seed)
    device = resolve_device(params.device)
    warn_on_cpu(device, setting("backend", "torch"), CPU_SLOWDOWN)
    bounds = piece_bounds(corpus.sentence_starts)
    n_tokens = int(bounds[-1])
    total_words = max(1, n_tokens * params.epochs)
    module, name = params.torch_step.split(":")
    step = getattr(importlib.import_module(module), name)
    with repeatable(params.threads), torch.no_grad():
        Wt, Ct = torch.from_numpy(W).to(device), torch.from_numpy(C).to(device)
        objective = OBJECTIVES[params.objective].backend("torch")(counts, params, device)
        windows = _Windows(corpus, bounds, params, device)

        def run_epoch(epoch):
            meter = _Meter(progress, (epoch - first_epoch) * n_tokens)
            for index, (first, last) in enumerate(_chunks(bounds)):
                gen = _generator(params.seed, epoch, index, device)
                for batch, start, end in windows.batches(first, last, gen):
                    alpha = learning_rate(params, epoch * n_tokens + start, total_words)
                    loss, predictions = step(Wt, Ct, batch, objective, alpha, gen,
                                             params.kernel_flag)  # fmt: skip
                    meter.add(end, loss, predictions, alpha)
            stats = meter.finish()
            return _entry(epoch, stats, time.perf_counter() - meter.started)

        def epoch_end(epoch, entry):
            if on_epoch_end is not None:
                on_epoch_end(epoch, entry, _host(W, Wt), _host(C, Ct))

        history = run_epochs(range(first_epoch, params.epochs), run_epoch, epoch_end, progress)
        return Result(_host(W, Wt), _host(C, Ct), history)


def _host(array: np.ndarray, tensor) -> np.ndarray:
    """``array`` holding ``tensor``'s values: on the CPU they share memory already."""
    if tensor.device.type != "cpu":
        array[...] = tensor.cpu().numpy()
    return array


def _chunks(bounds: np.ndarray) -> list[tuple[int, int]]:
    """Token ranges of about ``CHUNK_TOKENS`` that start and end on piece boundaries."""
    marks = np.searchsorted(bounds, np.arange(0, int(bounds[-1]), CHUNK_TOKENS), side="left")
    edges = np.unique(np.concatenate([[0], marks, [len(bounds) - 1]]))
    return [(int(bounds[a]), int(bounds[b])) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _generator(seed: int, epoch: int, chunk: int, device):
    """The chunk's own stream, a function of (seed, epoch, chunk) only (see ``resume.py``)."""
    state = np.random.SeedSequence([seed, epoch, chunk]).generate_state(1, np.uint64)[0]
    gen = torch.Generator(device=device)
    gen.manual_seed(int(state))
    return gen


class _Windows:
    """Subsampled tokens and their dynamic windows, built on the device a chunk at a time."""

    def __init__(self, corpus, bounds, params, device):
        self.tokens = corpus.tokens
        self.bounds = torch.from_numpy(bounds).to(device)
        self.keep = torch.from_numpy(keep_probability(corpus.vocab.counts, params.sample))
        self.keep = self.keep.to(device)
        self.window, self.dynamic = params.window, params.dynamic_window
        self.batch_size, self.device = params.batch_size, device
        self.offsets = torch.cat(
            [torch.arange(-self.window, 0), torch.arange(1, self.window + 1)]
        ).to(device)

    def batches(self, first: int, last: int, gen):
        """Yield ``(WindowBatch, start, end)`` for tokens ``first:last``: ``start`` is the
        corpus position of the batch's first centre word (its learning rate), ``end`` how far
        into the corpus the batch brings the epoch (the last batch ends the chunk)."""
        centres, contexts, mask, positions = self._windows(first, last, gen)
        for begin in range(0, centres.numel(), self.batch_size):
            stop = begin + self.batch_size
            part = slice(begin, stop)
            end = int(positions[stop]) if stop < centres.numel() else last
            batch = WindowBatch(centres[part], contexts[part], mask[part])
            yield batch, int(positions[begin]), end

    def _windows(self, first, last, gen):
        device = self.device
        ids = torch.from_numpy(np.asarray(self.tokens[first:last], dtype=np.int64)).to(device)
        positions = torch.arange(first, last, device=device)
        piece = torch.searchsorted(self.bounds, positions, right=True)
        # word2vec keeps an occurrence when a uniform draw is at most its keep-probability
        kept = torch.rand(ids.shape, generator=gen, device=device) <= self.keep[ids]
        ids, positions, piece = ids[kept], positions[kept], piece[kept]
        n = ids.numel()
        if self.dynamic:
            reach = torch.randint(1, self.window + 1, (n,), generator=gen, device=device)
        else:
            reach = torch.full((n,), self.window, device=device)
        at = torch.arange(n, device=device)[:, None] + self.offsets
        inside = (at >= 0) & (at < n)
        at = at.clamp_(0, max(n - 1, 0))
        mask = inside & (piece[at] == piece[:, None]) & (self.offsets.abs() <= reach[:, None])
        has = mask.any(dim=1)  # a centre alone in its piece predicts nothing
        return ids[has], ids[at][has], mask[has], positions[has]


class _Meter:
    """The epoch's words, loss and predictions, kept on the device between reports (reading
    a CUDA tensor waits for the device) and shown a few times a second."""

    def __init__(self, progress, done_before: int):
        self.progress, self.done_before = progress, done_before
        self.words, self.alpha = 0, 0.0
        self.loss = self.predictions = 0
        self.started = self.shown = time.perf_counter()

    def add(self, words: int, loss, predictions, alpha: float) -> None:
        self.words, self.alpha = words, alpha
        self.loss = self.loss + loss
        self.predictions = self.predictions + predictions
        if self.progress is not None and time.perf_counter() - self.shown >= REFRESH_SECONDS:
            _report(self.progress, self.done_before, self.stats())
            self.shown = time.perf_counter()

    def finish(self) -> np.ndarray:
        """The epoch's ``stats``, once the device has done its work, shown a last time."""
        stats = self.stats()
        if self.progress is not None:
            _report(self.progress, self.done_before, stats)
        return stats

    def stats(self) -> np.ndarray:
        """One row as the Numba trainer's threads keep it: words, loss, predictions, alpha."""
        return np.array([[self.words, float(self.loss), float(self.predictions), self.alpha]])
