"""Contrastive learning of word vectors (note 004): positives close, negatives apart.

One encoder ``f`` (a table of word vectors: the linear map of a one-hot word, as in the notes,
where the same ``f`` scores both words of a pair). Positives ``(x, x+)`` are a word and the
word after it (``window=1``, the notes) or any of the ``window`` words after it, kept as
``inputs.pair_batches`` describes; since ``f(x).f(x+)`` is symmetric, "after" covers both
sides. Each positive gets ``negative`` words ``x-`` from the count**ns_exponent noise
distribution. With ``s+ = f(x).f(x+)`` and ``s- = f(x).f(x-)``, the losses per positive are:

- ``infonce`` (default): ``-log(exp(s+) / (exp(s+) + sum exp(s-)))``, a softmax over the
  positive and its negatives (van den Oord et al. 2018).
- ``logistic``: ``-log sigmoid(s+) - sum log sigmoid(-s-)``, negative sampling's (Mikolov et
  al. 2013) with one table.

Measured on the first 1 M tokens of enmix (max_vocab 10,000, dim 100, window 5, 5 negatives,
sample 1e-3, batch 4096, one epoch of adam at lr 0.01, 2 threads): infonce WS353 0.304, MEN
0.454; logistic 0.211, 0.293. Hence the default: with one shared table, the softmax's
competition between the positive and its negatives separates words faster than independent
logistic units. (ppmi-svd at dim 100 on the same slice: 0.572, 0.668; these were short runs.)
- ``notes``: the notes' ``s+ - sum (s-)^2``, minimised as their gradient descent does. It is
  unbounded below: scaling every vector by t scales it as ``t^2 s+ - t^4 sum (s-)^2``, so
  descent makes ``|s-|`` grow without limit and training diverges. Kept for teaching; both
  bounded losses are at least 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np

from embedlab.methods.neural.device import torch
from embedlab.methods.neural.inputs import draw_noise, noise_cdf, pair_batches
from embedlab.methods.neural.training import NeuralEstimator, neural_signature
from embedlab.methods.params import EPOCHS_WHY, MAX_EPOCHS, Choice, Float, Int

LOSSES = ("infonce", "logistic", "notes")


@dataclass
class Pairs:
    """The corpus the pairs are drawn from and the noise distribution's cumulative sums."""

    corpus: object
    cdf: torch.Tensor

    @property
    def units(self) -> int:
        return self.corpus.n_tokens


def pair_scores(table, words, contexts, noise):
    """``s+ = f(x).f(x+)`` (B,) and ``s- = f(x).f(x-)`` (B, k) for word ids ``words`` (B,),
    their positives ``contexts`` (B,) and noise ids ``noise`` (B, k), rows of ``table``."""
    embedding = torch.nn.functional.embedding
    f_x = embedding(words, table, sparse=True)
    f_pos = embedding(contexts, table, sparse=True)
    f_neg = embedding(noise, table, sparse=True)
    return (f_x * f_pos).sum(dim=1), torch.einsum("bd,bkd->bk", f_x, f_neg)


def contrastive_loss(kind: str, positive, negatives):
    """Mean loss of scores ``positive`` (B,) and ``negatives`` (B, k) (see the docstring)."""
    if kind == "logistic":
        softplus = torch.nn.functional.softplus
        return (softplus(-positive) + softplus(negatives).sum(dim=1)).mean()
    if kind == "infonce":
        logits = torch.cat([positive[:, None], negatives], dim=1)
        return (torch.logsumexp(logits, dim=1) - positive).mean()
    return (positive - (negatives * negatives).sum(dim=1)).mean()


class Contrastive(NeuralEstimator):
    """Word vectors trained to score (word, next words) above (word, noise word).

    Parameters: those below and those of ``NeuralEstimator``.
    """

    method = "contrastive"
    unit = "words"
    default_lr = {"sgd": 1.0, "momentum": 1.0, "adagrad": 0.2, "rmsprop": 0.01, "adam": 0.01}

    def __init__(
        self,
        *,
        dim: Annotated[int, Int(minimum=1)] = 100,
        loss: Annotated[str, Choice(LOSSES)] = "infonce",
        window: Annotated[int, Int(minimum=1)] = 5,
        negative: Annotated[int, Int(minimum=1)] = 5,
        ns_exponent: Annotated[float, Float()] = 0.75,
        sample: Annotated[float, Float(minimum=0.0)] = 1e-3,
        epochs: Annotated[int, Int(minimum=1, maximum=MAX_EPOCHS, why=EPOCHS_WHY)] = 5,
        batch_size: Annotated[int, Int(minimum=1)] = 1024,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            dim: vector length.
            loss: "infonce", "logistic" or "notes" (diverges: for teaching); see the module
                docstring.
            window: positives are the words up to this far after a word (1 is the notes' "next
                word").
            negative: noise words per positive.
            ns_exponent: noise words are drawn with probability ~ count ** ns_exponent.
            sample: word2vec's subsampling threshold.
            epochs: passes over the corpus.
            batch_size: positives per step.
        """
        self.assign(locals())
        super().__init__(dim=dim, epochs=epochs, batch_size=batch_size, **params)

    def _prepare(self, corpus, device):
        return Pairs(corpus, noise_cdf(corpus.vocab.counts, self.ns_exponent, device))

    def _network(self, data, gen) -> list:
        # word2vec's start, uniform in [-0.5/dim, 0.5/dim): small enough that no pair is scored
        # confidently before training, not zero, since a single table cannot start at zero.
        n = len(data.corpus.vocab)
        table = (torch.rand((n, self.dim), generator=gen, device=gen.device) - 0.5) / self.dim
        return [table.requires_grad_(True)]

    def _batches(self, data, rng, device):
        for batch in pair_batches(data.corpus, self.window, self.sample, self.batch_size, rng,
                                  device):  # fmt: skip
            yield batch, int(batch.words.numel()), batch.tokens

    def _loss(self, params, batch, data, gen):
        (table,) = params
        noise = draw_noise(data.cdf, (batch.words.numel(), self.negative), gen)
        positive, negatives = pair_scores(table, batch.words, batch.contexts, noise)
        return contrastive_loss(self.loss, positive, negatives)

    def _vectors(self, params, data, device) -> np.ndarray:
        return np.ascontiguousarray(params[0].detach().cpu().numpy(), dtype=np.float32)


Contrastive.__signature__ = neural_signature(Contrastive)
