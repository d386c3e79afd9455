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
  the rest. Measured on the first 1 M tokens of enmix (max_vocab 10,000, dim 100, batch 1024,
  4 epochs of adam, 2 threads): multinomial WS353 0.180, MEN 0.328; squared 0.072, 0.134.

Neither loss densifies more than one batch of decoder scores (``batch_size`` x |V|): the
targets are read at the row's non-zeros only, using
``||y - x||^2 = ||y||^2 - 2 y.x + ||x||^2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.methods.count.model import PPMI
from embedlab.methods.neural.device import no_grad, torch
from embedlab.methods.neural.inputs import row_batch, row_batches, unit_rows
from embedlab.methods.neural.training import NeuralEstimator, neural_signature
from embedlab.methods.params import EPOCHS_WHY, MAX_EPOCHS, Choice, Int, declared

LOSSES = ("multinomial", "squared")
#: The PPMI parameters (see ``embedlab.methods.count.model.PPMI``) the input rows are built with.
COUNT_PARAMS = ("window", "weighting", "context", "cds", "shift", "sample", "memory")
_PPMI = declared(PPMI)


@dataclass
class Rows:
    """The unit PPMI rows (CSR) and how many a training epoch visits."""

    matrix: object

    @property
    def units(self) -> int:
        return self.matrix.shape[0]


class Autoencoder(NeuralEstimator):
    """Linear autoencoder of each word's PPMI row; the embedding is the code.

    Parameters: ``loss``, the PPMI counting parameters (declared by ``PPMI``) and those of
    ``NeuralEstimator``.
    """

    method = "autoencoder"
    default_lr = {"sgd": 1.0, "momentum": 1.0, "adagrad": 0.05, "rmsprop": 0.002, "adam": 0.002}
    #: Where the counting parameters are declared and documented.
    forwards_to = (PPMI,)

    def __init__(
        self,
        *,
        dim: Annotated[int, Int(minimum=1)] = 100,
        loss: Annotated[str, Choice(LOSSES)] = "multinomial",
        window: Annotated[int, _PPMI["window"].check] = 5,
        weighting: Annotated[str, _PPMI["weighting"].check] = "dynamic",
        context: Annotated[str, _PPMI["context"].check] = "symmetric",
        cds: Annotated[float, _PPMI["cds"].check] = 0.75,
        shift: Annotated[float, _PPMI["shift"].check] = 1.0,
        sample: Annotated[float, _PPMI["sample"].check] = 0.0,
        memory: Annotated[object, _PPMI["memory"].check] = "4G",
        epochs: Annotated[int, Int(minimum=1, maximum=MAX_EPOCHS, why=EPOCHS_WHY)] = 30,
        batch_size: Annotated[int, Int(minimum=1)] = 256,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            dim: code length.
            loss: "multinomial" or "squared" (the notes'); see the module docstring.
            epochs: passes over the rows.
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
        return Rows(unit_rows(matrix))

    def _network(self, data, gen) -> list:
        n = data.units
        return [
            _uniform((n, self._code_width()), 1 / np.sqrt(n), gen),
            _uniform((self._code_width(),), 0.0, gen),
            _uniform((self.dim, n), 1 / np.sqrt(self.dim), gen),
            _uniform((n,), 0.0, gen),
        ]

    def _code_width(self) -> int:
        return self.dim

    def _batches(self, data, rng, device):
        done = 0
        for batch in row_batches(data.matrix, self.batch_size, rng, device):
            done += batch.size
            yield batch, batch.size, done

    def _loss(self, params, batch, data, gen):
        return self._reconstruction(params, self._encode(params, batch)[0], batch)

    def _encode(self, params, batch):
        """The code (and anything else the loss needs) of a batch: here the code alone."""
        return (torch.sparse.mm(batch.x, params[0]) + params[1],)

    def _decode(self, params, code):
        """The decoder's |V| scores of each code: the reconstruction f(x) of the squared loss,
        the logits of the multinomial one."""
        return code @ params[2] + params[3]

    def _reconstruction(self, params, code, batch):
        scores = self._decode(params, code)
        at_nonzeros = scores[batch.row_index, batch.col_index]
        if self.loss == "squared":
            cross = batch.values * (batch.values - 2 * at_nonzeros)
            return (scores * scores).sum(dim=1).index_add(0, batch.row_index, cross).mean()
        totals = torch.zeros(batch.size, device=scores.device).index_add(
            0, batch.row_index, batch.values
        )
        p = batch.values / totals[batch.row_index]
        log_norm = torch.logsumexp(scores, dim=1)
        cross = torch.zeros_like(totals).index_add(0, batch.row_index, p * at_nonzeros)
        has_contexts = totals > 0
        return (log_norm - cross)[has_contexts].sum() / batch.size

    @no_grad
    def _vectors(self, params, data, device) -> np.ndarray:
        parts = []
        for first in range(0, data.units, self.batch_size):
            rows = np.arange(first, min(first + self.batch_size, data.units))
            code = self._encode(params, row_batch(data.matrix, rows, device))[0]
            parts.append(code.cpu().numpy())
        return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


def _uniform(shape, half_width: float, gen):
    """A trainable float32 tensor uniform in [-half_width, half_width), on ``gen``'s device."""
    t = (torch.rand(shape, generator=gen, device=gen.device) * 2 - 1) * half_width
    return t.requires_grad_(True)


Autoencoder.__signature__ = neural_signature(Autoencoder)
