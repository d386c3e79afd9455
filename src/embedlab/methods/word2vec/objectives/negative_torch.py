"""Negative sampling for the PyTorch backend: the loss of ``negative.py`` over a batch.

A batch is G groups, each one set of samples (the target, then its noise words) predicted from
up to m hidden vectors: skip-gram's context words around one centre word (they share its
negatives, as the Numba kernel does by default), one (context, centre) pair, or CBOW's one
mean of the contexts. The scores of a whole batch are one batched matrix product, ``h @
rows^T``, (G, m, d) x (G, d, s), instead of one dot product per sample.

The loss is the Numba objective's, ``-log sigmoid(z_pos) - sum log sigmoid(-z_neg)`` per
prediction; its gradient, times ``-alpha``, is the update ``negative_sampling_update`` applies
to ``h`` and to each sample's row, the difference being that all of a batch's gradients are
taken at the same parameters (the Numba objective moves each row at once, so the next
prediction of a window already sees it); ``curvature`` lets the architecture scale a row's
summed steps toward what those sequential steps give.
"""

from __future__ import annotations

from embedlab.methods.torch_support.device import torch
from embedlab.methods.torch_support.noise import draw_noise, noise_cdf


class TorchNegativeSampling:
    """The noise distribution on ``device`` and the batch loss (see the module docstring)."""

    def __init__(self, counts, params, device):
        self.negative = params.negative
        self.cdf = noise_cdf(counts, params.ns_exponent, device)

    def draw(self, targets: torch.Tensor, gen: torch.Generator):
        """``(samples, valid)``: (G, 1 + negative) ids, the target first, and whether each
        sample counts; a noise word equal to its target does not, as word2vec drops it."""
        noise = draw_noise(self.cdf, (targets.numel(), self.negative), gen)
        samples = torch.cat([targets[:, None], noise], dim=1)
        valid = torch.ones_like(samples, dtype=torch.bool)
        valid[:, 1:] = noise != targets[:, None]
        return samples, valid

    @staticmethod
    def loss(z: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        """Summed loss of a batch from its scores ``z`` (G, m, s): ``h . c`` of the hidden
        vectors (G, m, d) and the samples' output rows (G, s, d), target first; ``weight``
        (G, m, s) 1 where a hidden vector predicts a valid sample, 0 for padding and dropped
        noise words."""
        sign = torch.full(z.shape[-1:], -1.0, dtype=z.dtype, device=z.device)
        sign[0] = 1.0
        return -(torch.nn.functional.logsigmoid(z * sign) * weight).sum()

    @staticmethod
    def curvature(z: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        """(G, m, s): each prediction's second derivative in its score ``z``, ``sigmoid(z) *
        sigmoid(-z)`` for the target and a noise word alike, 0 where ``weight`` is; the batch
        rule (``torch_architectures.descend``) damps a row's summed steps by it."""
        p = torch.sigmoid(z)
        return p * (1 - p) * weight
