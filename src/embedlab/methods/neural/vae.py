"""A variational autoencoder of PPMI rows (note 004, approach #3): the embedding is mu.

The encoder gives a Gaussian per word, mean ``mu`` and log-variance ``log sigma^2`` (linear in
the unit PPMI row, as the autoencoder's code is); the decoder reconstructs the row from a
sample ``z = mu + sigma * eps``, ``eps ~ N(0, I)`` (the reparameterisation trick, so the
gradient flows through mu and sigma). The loss is the reconstruction (the autoencoder's,
``multinomial`` by default) plus ``kl_weight`` (the notes' lambda) times the closed-form

    KL(N(mu, sigma^2) || N(0, I)) = 1/2 * sum_k (mu_k^2 + sigma_k^2 - log sigma_k^2 - 1).

The notes write KL(N(0, I), N(mu, sigma)); we use the standard direction above, the one the
evidence lower bound contains (q, the encoder's Gaussian, first). The reconstruction is the
autoencoder's (multinomial by default, for the reason and measurement given there).

What it needs to learn, measured (docs/architecture.md has the tables): with the notes' weight
of 1 the KL term wins and the posterior collapses (mu near 0 for every word: WS353 0.12, MEN
0.07 on WikiText-2, where the autoencoder scored 0.34 / 0.47): a row's multinomial
reconstruction is the log-likelihood of one draw of its context distribution, small beside
a KL summed over 100 dimensions. A KL warm-up over half the run did not help (-0.10 / -0.04),
nor did scaling each row's reconstruction by its non-zero cells (0.19 / 0.24). A small
weight did: 0.1, 0.03, 0.01 and 0.003 gave WS353 0.14, 0.28, 0.32 and 0.36; free bits
(Kingma et al. 2016: each dimension's batch-mean KL counts as at least ``free_bits`` nats,
so a dimension carries that much information for free) at 0.5 with weight 0.01 gave 0.37 /
0.48, the best, and was the best of the same settings on enmix's first 1 M tokens (0.460 /
0.584 after 5 epochs). A smaller starting variance (log sigma^2 = -4 or -8) changed nothing.
The embedding is mu (z adds noise). Defaults: kl_weight 0.01, free_bits 0.5, no warm-up; its
epoch costs about 1.6x the autoencoder's, so on enmix it is sized to 4 epochs (about 165 CPU
s: WS353 0.612, MEN 0.710 against ppmi-svd's 0.667 / 0.707).
"""

from __future__ import annotations

from typing import Annotated

from embedlab.methods.neural.autoencoder import Autoencoder
from embedlab.methods.neural.training import neural_signature
from embedlab.methods.params import Float
from embedlab.methods.torch_support.device import torch


def kl_per_dimension(mu, log_var):
    """KL(N(mu_k, exp(log_var_k)) || N(0, 1)) of each row and dimension (closed form, see the
    docstring)."""
    return 0.5 * (mu * mu + log_var.exp() - log_var - 1)


def kl_to_standard_normal(mu, log_var):
    """KL(N(mu, diag exp(log_var)) || N(0, I)) of each row (closed form, see the docstring)."""
    return kl_per_dimension(mu, log_var).sum(dim=1)


class VAE(Autoencoder):
    """Variational autoencoder of each word's PPMI row; the embedding is the mean mu.

    Parameters: ``kl_weight``, ``kl_warmup``, ``free_bits`` and those of ``Autoencoder``.
    """

    method = "vae"
    #: its epoch costs about 1.6 times the autoencoder's (the encoder gives mu and log sigma^2)
    epoch_bounds = (4, 10)

    def __init__(
        self,
        *,
        kl_weight: Annotated[float, Float(minimum=0.0)] = 0.01,
        kl_warmup: Annotated[float, Float(minimum=0.0, maximum=1.0)] = 0.0,
        free_bits: Annotated[float, Float(minimum=0.0)] = 0.5,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            kl_weight: the notes' lambda, the weight of the KL term.
            kl_warmup: the fraction of the run over which the KL weight rises linearly from 0
                to kl_weight (0: none).
            free_bits: nats of KL per code dimension left unpenalised (Kingma et al. 2016):
                each dimension's batch-mean KL counts as at least this much.
        """
        self.assign(locals())
        super().__init__(**params)

    def _code_width(self) -> int:
        return 2 * self.dim  # mu, then log sigma^2

    def _encode(self, params, batch):
        both = batch.times(params[0]) + params[1]
        return both[:, : self.dim], both[:, self.dim :]

    def _loss(self, params, batch, data, gen, position):
        mu, log_var = self._encode(params, batch)
        eps = torch.randn(mu.shape, generator=gen, device=mu.device)
        z = mu + (0.5 * log_var).exp() * eps
        kl = kl_per_dimension(mu, log_var).mean(dim=0)
        if self.free_bits > 0:
            kl = kl.clamp(min=self.free_bits)
        weight = self.kl_weight
        if position < self.kl_warmup:
            weight *= position / self.kl_warmup
        return self._reconstruction(params, z, batch, data, gen) + weight * kl.sum()


VAE.__signature__ = neural_signature(VAE)
