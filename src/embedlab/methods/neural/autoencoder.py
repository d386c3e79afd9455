"""An autoencoder of PPMI rows (note 004, approach #2): the embedding is the code.

Each word's row of the PPMI matrix (the count pipeline's, ``methods/count``), scaled to unit
length, is encoded linearly to ``dim`` numbers and decoded linearly back to |V| scores. Words
with similar contexts have similar rows, so a code that must reconstruct the row puts them
close: the answer to the notes' "how to make similar words close?".

Losses ("what loss?"):

- ``squared``: the notes' ``||f(x) - x||^2`` on the unit row. A linear autoencoder with this
  loss spans the same subspace as the truncated SVD (PCA without centring), so it approaches
  ppmi-svd.
- ``multinomial`` (default): the decoder's scores are a softmax over the vocabulary and the
  loss is the cross-entropy with the row read as a distribution over contexts,
  ``-sum_c p(c) log softmax(f(x))_c`` with ``p = x / sum(x)`` (the likelihood of Liang et al.
  2018's Mult-VAE). A PPMI row is mostly zeros: the squared loss spends its capacity on
  predicting those zeros, while the multinomial one only ranks the contexts that occur above
  the rest. Measured on the first 1 M tokens of enmix (batch 256, adam lr 0.01, 20 epochs,
  sparse reconstruction, one thread): multinomial WS353 0.515, MEN 0.588; squared 0.446,
  0.548 (its loss moved from 0.96 to 0.87 only).

Reconstruction (``reconstruction``): "full" scores every cell, |V| x dim work per row, |V|^2
x dim an epoch (the notes' small examples and the lessons use it). "sparse" (default) costs
what the row holds. Rows are read as embedding bags of their non-zero cells (sparse gradients:
an Adam step moves only the rows a batch touched, "lazy" as ``optimizers.py`` says). The
multinomial loss scores the row's non-zero cells exactly and estimates its normaliser's zero
cells from ``samples`` columns drawn per batch from count**0.75 (``sampled_log_norm``:
sampled softmax's 1 / (S q) correction, accidental hits left out). The squared loss needs no
sample: ``||y - x||^2 = ||y||^2 - 2 y.x + ||x||^2`` with ``||y||^2`` from the decoder's dim x
dim Gram matrix and ``y.x`` from the non-zero cells, exactly the full loss. CPU seconds per
epoch on enmix at max_vocab 5k / 10k / 20k / all (59,426 words; 2.7 M / 5.4 M / 8.3 M / 12.1 M
non-zeros), one thread (``benchmarks/neural.py --scaling``): sparse 6.1 / 13.2 / 21.0 / 27.7,
full 1.9 / 4.9 / 12.2 / 101.6: sparse grows with the non-zeros, full with |V|^2; they cross
near 25,000 words.

Defaults (docs/architecture.md has the tables): adam at lr 0.01 (0.002 learned almost nothing
in 10 epochs of enmix's first 1 M tokens: WS353 0.035), batch 256 (512 for 6 epochs did worse
on enmix than 256 for 5), and epochs sized to about 600 steps, 5 to 10: on WikiText-2 (7k
words) 10 epochs beat 5 and matched 20 and 40; on enmix's first 1 M tokens a 10-epoch run
scored WS353 0.524 / MEN 0.634 against ppmi-svd's 0.528 / 0.605; on all of enmix 5 epochs
(about 150 CPU s) scored 0.636 and 0.615 (seeds 1, 2) / 0.693 and 0.704 against 0.667 / 0.707.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.methods.count.model import PPMI
from embedlab.methods.neural.inputs import row_batch, row_batches, unit_rows
from embedlab.methods.neural.training import NeuralEstimator, neural_signature
from embedlab.methods.params import EPOCHS_WHY, MAX_EPOCHS, Choice, Int, declared
from embedlab.methods.torch_support.device import no_grad, torch
from embedlab.methods.torch_support.noise import draw_noise, noise_cdf

LOSSES = ("multinomial", "squared")
RECONSTRUCTIONS = ("sparse", "full")
#: The PPMI parameters (see ``embedlab.methods.count.model.PPMI``) the input rows are built with.
COUNT_PARAMS = ("window", "weighting", "context", "cds", "shift", "sample", "memory")
#: Optimizer steps a run with ``epochs=None`` is sized to (see ``Autoencoder.epoch_bounds``).
SIZED_STEPS = 600
#: Sampled columns are drawn with probability ~ count ** this (negative sampling's noise).
SAMPLE_EXPONENT = 0.75
_PPMI = declared(PPMI)


@dataclass
class Rows:
    """The unit PPMI rows (CSR), how many a training epoch visits, and the distribution the
    sparse multinomial loss samples columns from (its cumulative sums and logs; None when
    nothing is sampled)."""

    matrix: object
    cdf: object = None
    log_q: object = None

    @property
    def units(self) -> int:
        return self.matrix.shape[0]


class Autoencoder(NeuralEstimator):
    """Linear autoencoder of each word's PPMI row; the embedding is the code.

    Parameters: ``loss``, ``reconstruction``, ``samples``, the PPMI counting parameters
    (declared by ``PPMI``) and those of ``NeuralEstimator``.
    """

    method = "autoencoder"
    default_lr = {"sgd": 1.0, "momentum": 1.0, "adagrad": 0.05, "rmsprop": 0.002, "adam": 0.01}
    #: ``epochs=None``: enough epochs for ``SIZED_STEPS`` optimizer steps, within these bounds
    epoch_bounds = (5, 10)
    #: Where the counting parameters are declared and documented.
    forwards_to = (PPMI,)

    def __init__(
        self,
        *,
        dim: Annotated[int, Int(minimum=1)] = 100,
        loss: Annotated[str, Choice(LOSSES)] = "multinomial",
        reconstruction: Annotated[str, Choice(RECONSTRUCTIONS)] = "sparse",
        samples: Annotated[int, Int(minimum=1)] = 2048,
        window: Annotated[int, _PPMI["window"].check] = 5,
        weighting: Annotated[str, _PPMI["weighting"].check] = "dynamic",
        context: Annotated[str, _PPMI["context"].check] = "symmetric",
        cds: Annotated[float, _PPMI["cds"].check] = 0.75,
        shift: Annotated[float, _PPMI["shift"].check] = 1.0,
        sample: Annotated[float, _PPMI["sample"].check] = 0.0,
        memory: Annotated[object, _PPMI["memory"].check] = "4G",
        epochs: Annotated[
            int | None, Int(minimum=1, maximum=MAX_EPOCHS, none=True, why=EPOCHS_WHY)
        ] = None,
        batch_size: Annotated[int, Int(minimum=1)] = 256,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            dim: code length.
            loss: "multinomial" or "squared" (the notes'); see the module docstring.
            reconstruction: "sparse" (the row's non-zero cells, plus ``samples`` zero cells
                for the multinomial loss; the squared loss sums its zero cells exactly) or
                "full" (every cell: |V| scores per row, for small examples); see the module
                docstring.
            samples: sparse multinomial reconstruction: columns drawn per batch (shared by its
                rows) to estimate the softmax's normaliser over the zero cells.
            epochs: passes over the rows; None (the default) sizes them from the vocabulary:
                enough for 600 steps of batch_size rows, between 5 and 10 (4 and 10 for the
                vae), and the model's params record the number used.
            batch_size: rows per step.
        """
        self.assign(locals())
        counting = {name: getattr(self, name) for name in COUNT_PARAMS}
        shared = {name: params[name] for name in ("quiet", "threads", "seed") if name in params}
        self._counting = PPMI(**counting, **shared)
        super().__init__(dim=dim, epochs=epochs, batch_size=batch_size, **params)

    def _prepare(self, corpus, device):
        matrix, _ = self._counting._association(corpus)
        if matrix.nnz == 0:
            raise EmbedlabError(
                "the PPMI matrix is empty (no word pair is associated): give more text"
            )
        rows = Rows(unit_rows(matrix))
        if self._samples_columns():
            rows.cdf = noise_cdf(corpus.vocab.counts, SAMPLE_EXPONENT, device)
            q = torch.diff(rows.cdf, prepend=rows.cdf.new_zeros(1))
            rows.log_q = torch.log(q.clamp(min=1e-30)).float()
        return rows

    def _epochs_for(self, data) -> int:
        lowest, highest = self.epoch_bounds
        wanted = math.ceil(SIZED_STEPS * self.batch_size / data.units)
        return int(min(highest, max(lowest, wanted)))

    def _samples_columns(self) -> bool:
        return self.reconstruction == "sparse" and self.loss == "multinomial"

    def _network(self, data, gen) -> list:
        n = data.units
        return [
            _uniform((n, self._code_width()), 1 / np.sqrt(n), gen),
            _uniform((self._code_width(),), 0.0, gen),
            _uniform((n, self.dim), 1 / np.sqrt(self.dim), gen),  # decoder, a row per column
            _uniform((n,), 0.0, gen),
        ]

    def _code_width(self) -> int:
        return self.dim

    def _batches(self, data, rng, device):
        done = 0
        for batch in row_batches(data.matrix, self.batch_size, rng, device):
            done += batch.size
            yield batch, batch.size, done

    def _loss(self, params, batch, data, gen, position):
        return self._reconstruction(params, self._encode(params, batch)[0], batch, data, gen)

    def _encode(self, params, batch):
        """The code (and anything else the loss needs) of a batch: here the code alone."""
        return (batch.times(params[0]) + params[1],)

    def _decode(self, params, code):
        """The decoder's |V| scores of each code: the reconstruction f(x) of the squared loss,
        the logits of the multinomial one."""
        return code @ params[2].T + params[3]

    def _reconstruction(self, params, code, batch, data, gen):
        """The batch's mean reconstruction loss of its rows from their codes ``code``."""
        if self.reconstruction == "full":
            return self._full(params, code, batch)
        if self.loss == "squared":
            return _sparse_squared(params, code, batch)
        draws = draw_noise(data.cdf, (self.samples,), gen)
        return _sampled_multinomial(params, code, batch, draws, data.log_q)

    def _full(self, params, code, batch):
        scores = self._decode(params, code)
        at_nonzeros = scores[batch.row_index, batch.col_index]
        if self.loss == "squared":
            cross = batch.values * (batch.values - 2 * at_nonzeros)
            return (scores * scores).sum(dim=1).index_add(0, batch.row_index, cross).mean()
        return _multinomial(batch, at_nonzeros, torch.logsumexp(scores, dim=1))

    @no_grad
    def _vectors(self, params, data, device) -> np.ndarray:
        parts = []
        for first in range(0, data.units, self.batch_size):
            rows = np.arange(first, min(first + self.batch_size, data.units))
            code = self._encode(params, row_batch(data.matrix, rows, device))[0]
            parts.append(code.cpu().numpy())
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


def _sparse_squared(params, code, batch):
    """``||f(x) - x||^2 = ||f(x)||^2 - 2 f(x).x + ||x||^2`` per row, never forming f(x).

    With ``f(x) = D c + b`` (D the |V| x dim decoder), ``||f(x)||^2 = c' (D'D) c + 2 c.(D'b) +
    ||b||^2``: every cell, the zero ones included, through a dim x dim Gram matrix; and
    ``f(x).x = c.(D'x) + b.x`` reads the row's non-zero cells only.
    """
    decoder, bias = params[2], params[3]
    gram = decoder.T @ decoder
    norm_f = ((code @ gram) * code).sum(dim=1) + 2 * code @ (decoder.T @ bias) + bias @ bias
    cross = (code * batch.times(decoder)).sum(dim=1)
    cross = cross.index_add(0, batch.row_index, batch.values * bias[batch.col_index])
    norm_x = torch.zeros_like(norm_f).index_add(0, batch.row_index, batch.values**2)
    return (norm_f - 2 * cross + norm_x).mean()


def _sampled_multinomial(params, code, batch, draws, log_q):
    """The multinomial loss with the normaliser ``sampled_log_norm`` estimates."""
    decoder, bias = params[2], params[3]
    # Sparse gradients: a step moves the decoder rows of the batch's cells and draws only.
    rows = torch.nn.functional.embedding(batch.col_index, decoder, sparse=True)
    at_nonzeros = (code.index_select(0, batch.row_index) * rows).sum(dim=1)
    at_nonzeros = at_nonzeros + bias.index_select(0, batch.col_index)
    log_norm = sampled_log_norm(code, decoder, bias, batch, at_nonzeros, draws, log_q)
    return _multinomial(batch, at_nonzeros, log_norm)


def sampled_log_norm(code, decoder, bias, batch, at_nonzeros, draws, log_q):
    """Each row's log-sum-exp of its scores over the vocabulary, from its non-zero cells
    (scores ``at_nonzeros``, exactly) and the columns ``draws`` (drawn with probabilities
    ``exp(log_q)``), which stand for the zero cells.

    A column drawn m times in S draws counts ``m / (S q)`` times its exp: an unbiased estimate
    of the zero cells' sum of exps (sampled softmax's correction, Jean et al. 2015). A drawn
    column that is a non-zero cell of a row (an "accidental hit") is already counted there and
    is left out of that row.
    """
    rows, cols = batch.row_index, batch.col_index
    columns, drawn = torch.unique(draws, return_counts=True)
    weight = drawn.log() - log_q.index_select(0, columns) - math.log(draws.numel())
    drawn_rows = torch.nn.functional.embedding(columns, decoder, sparse=True)
    sampled = code @ drawn_rows.T + (bias.index_select(0, columns) + weight)
    slot = torch.full((decoder.shape[0],), -1, dtype=torch.long, device=code.device)
    slot[columns] = torch.arange(columns.numel(), device=code.device)
    hit = slot[cols] >= 0
    hits = torch.zeros(sampled.shape, dtype=torch.bool, device=code.device)
    hits[rows[hit], slot[cols[hit]]] = True
    sampled = sampled.masked_fill(hits, -torch.inf)
    # shifted by the row's largest score (any shift is exact): no exp overflows
    top = torch.maximum(
        sampled.detach().amax(dim=1),
        code.new_full((batch.size,), -torch.inf).scatter_reduce(
            0, rows, at_nonzeros.detach(), "amax"
        ),
    )
    total = (sampled - top[:, None]).exp().sum(dim=1)
    total = total.index_add(0, rows, (at_nonzeros - top.index_select(0, rows)).exp())
    return top + total.log()


def _multinomial(batch, at_nonzeros, log_norm):
    """Mean over rows with contexts of ``log_norm - sum_c p_c s_c``, ``p`` the row scaled to
    sum to 1 and ``s_c`` the scores at its non-zero cells."""
    totals = batch.values.new_zeros(batch.size).index_add(0, batch.row_index, batch.values)
    p = batch.values / totals[batch.row_index]
    cross = torch.zeros_like(totals).index_add(0, batch.row_index, p * at_nonzeros)
    has_contexts = totals > 0
    return (log_norm - cross)[has_contexts].sum() / batch.size


def _uniform(shape, half_width: float, gen):
    """A trainable float32 tensor uniform in [-half_width, half_width), on ``gen``'s device."""
    t = (torch.rand(shape, generator=gen, device=gen.device) * 2 - 1) * half_width
    return t.requires_grad_(True)


Autoencoder.__signature__ = neural_signature(Autoencoder)
