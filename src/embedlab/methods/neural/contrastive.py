"""Contrastive learning of word vectors (note 004): positives close, negatives apart.

An encoder ``f`` (a table of word vectors: the linear map of a one-hot word) scores pairs.
Positives ``(x, x+)`` are a word and the word after it (``window=1``, the notes) or any of the
``window`` words around it; each positive gets ``negative`` words ``x-`` from the
count**ns_exponent noise distribution. In the notes one ``f`` scores both words
(``tied=True``); by default (``tied=False``) the positives and negatives are scored by a second
table g, as word2vec's output vectors and CPC's context encoder do, with ``s+ = f(x).g(x+)``
and ``s- = f(x).g(x-)``. The losses per positive:

- ``infonce`` (default): ``-log(exp(s+) / (exp(s+) + sum exp(s-)))``, a softmax over the
  positive and its negatives (van den Oord et al. 2018).
- ``logistic``: ``-log sigmoid(s+) - sum log sigmoid(-s-)``, negative sampling's (Mikolov et
  al. 2013): untied, on the Numba backend, this is skip-gram NS exactly.
- ``notes``: the notes' ``s+ - sum (s-)^2``, minimised as their gradient descent does. It is
  unbounded below: scaling every vector by t scales it as ``t^2 s+ - t^4 sum (s-)^2``, so
  descent makes ``|s-|`` grow without limit and training diverges. Kept for teaching (torch
  backend); both bounded losses are at least 0.

Two backends. ``numba`` (default) runs skip-gram's kernels with the loss as their objective
(``word2vec/objectives/infonce.py``, or ``negative``): an SGD step after every pair, the
window and subsampling of skip-gram, on all cores; it trains untied tables only. ``torch``
takes minibatches of pairs with the notes' optimizers, on the CPU or a GPU, tied or not. On
enmix's first 1 M tokens (3 epochs, one thread, CPU seconds) torch took 56.3 s where the
Numba kernels took 3.1 s (hence its one-line warning on a CPU), and scored lower after those
epochs (WS353 0.323 against 0.475).

Measured on all of enmix (9.0 M tokens, min_count 5, dim 100, window 5, sample 1e-3, 5
epochs, Numba backend, sized lr 0.058; a shared 2-core machine, CPU seconds of the process;
docs/architecture.md has the table): skip-gram NS scored WS353 0.685-0.707, SimLex
0.375-0.391, MEN 0.736-0.740 over three runs in 92-98 CPU s. InfoNCE untied with 5 negatives
scored 0.696 / 0.370 / 0.730 in 50 s; tied (the notes' one table) 0.647-0.666 / 0.355-0.386
/ 0.707-0.721 at lr 0.02-0.04 (0.058 is too fast for a table that moves on both sides); untied
with 10 negatives 0.697 / 0.386 / 0.736 in 83 s and with 15 negatives 0.714 / 0.387 / 0.735
in 109 s. Hence the defaults: untied, 10 negatives (the softmax over more candidates closed
the SimLex gap that 5 left), within 0.01 of skip-gram NS on all three in about its time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np

from embedlab.errors import EmbedlabError, setting, spelled
from embedlab.methods.neural.inputs import pair_batches
from embedlab.methods.neural.training import NeuralEstimator, neural_signature
from embedlab.methods.params import EPOCHS_WHY, MAX_EPOCHS, Bool, Choice, Float, Int, declared
from embedlab.methods.torch_support.device import resolve_device, torch, warn_on_cpu
from embedlab.methods.torch_support.noise import draw_noise, noise_cdf
from embedlab.methods.word2vec.objectives.base import BACKENDS

LOSSES = ("infonce", "logistic", "notes")
#: The word2vec objective that computes each loss on the Numba kernels.
NUMBA_OBJECTIVES = {"infonce": "infonce", "logistic": "negative"}
#: CPU seconds of the torch loop over the Numba kernels', one thread each: infonce, 3 epochs of
#: enmix's first 1 M tokens, 56.3 s against 3.1 s (docs/architecture.md).
CPU_SLOWDOWN = 18
#: Parameters of the torch loop only: the Numba kernels take an SGD step after every pair.
TORCH_ONLY = ("optimizer", "momentum", "square_momentum", "schedule", "batch_size")


@dataclass
class Pairs:
    """The corpus the pairs are drawn from and the noise distribution's cumulative sums."""

    corpus: object
    cdf: torch.Tensor

    @property
    def units(self) -> int:
        return self.corpus.n_tokens


def pair_scores(tables, words, contexts, noise):
    """``s+ = f(x).g(x+)`` (B,) and ``s- = f(x).g(x-)`` (B, k) for word ids ``words`` (B,),
    their positives ``contexts`` (B,) and noise ids ``noise`` (B, k): f is ``tables[0]``, g is
    ``tables[-1]`` (the same table when tied, as in the notes)."""
    embedding = torch.nn.functional.embedding
    f, g = tables[0], tables[-1]
    f_x = embedding(words, f, sparse=True)
    g_pos = embedding(contexts, g, sparse=True)
    g_neg = embedding(noise, g, sparse=True)
    return (f_x * g_pos).sum(dim=1), torch.einsum("bd,bkd->bk", f_x, g_neg)


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
        negative: Annotated[int, Int(minimum=1)] = 10,
        ns_exponent: Annotated[float, Float()] = 0.75,
        sample: Annotated[float, Float(minimum=0.0)] = 1e-3,
        epochs: Annotated[int, Int(minimum=1, maximum=MAX_EPOCHS, why=EPOCHS_WHY)] = 5,
        batch_size: Annotated[int, Int(minimum=1)] = 1024,
        backend: Annotated[str, Choice(BACKENDS)] = BACKENDS[0],
        tied: Annotated[bool, Bool(flag="--tied/--untied")] = False,
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
            batch_size: backend torch: positives per step.
            backend: "numba" (word2vec's skip-gram kernels with the loss as their objective:
                an SGD step after every pair, lr sized from the corpus as skip-gram's alpha
                when not given; untied tables, infonce or logistic) or "torch" (minibatches on
                the CPU or a GPU with the notes' optimizers; any loss, tied or not).
            tied: one table f scores both words of a pair, as in the notes; otherwise
                (default) f for the word and g for its positives and negatives, as word2vec's
                input and output vectors (better in the measurements of the module docstring).
        """
        self.assign(locals())
        super().__init__(dim=dim, epochs=epochs, batch_size=batch_size, **params)
        if self.backend == BACKENDS[0]:
            self._check_numba(params)

    def uses_torch(self) -> bool:
        return self.backend != BACKENDS[0]

    def _check_numba(self, given: dict) -> None:
        if self.loss not in NUMBA_OBJECTIVES or self.tied:
            what = setting("tied", True) if self.tied else setting("loss", self.loss)
            raise EmbedlabError(
                f"{what} runs on {setting('backend', 'torch')} only (the Numba kernels train "
                f"untied tables with infonce or logistic): add {setting('backend', 'torch')}"
            )
        defaults = declared(type(self))
        for name in TORCH_ONLY:
            if getattr(self, name) != defaults[name].default:
                raise EmbedlabError(
                    f"{setting(name)} applies to {setting('backend', 'torch')} only (the Numba "
                    f"kernels take an SGD step after every pair, the rate falling linearly from "
                    f"{setting('lr')}): add {setting('backend', 'torch')} or leave {setting(name)} "
                    "out"
                )
        if self.device == "cuda":
            raise EmbedlabError(
                spelled(
                    "{device='cuda'} needs {backend='torch'} (the Numba kernels run on the CPU): "
                    "add {backend='torch'} or leave {device} out"
                )
            )
        self.lr = given.get("lr")  # None: sized from the corpus, as skip-gram's alpha
        from embedlab.methods.word2vec.model import SkipGram

        # made now, so that its checks (the resume file among them) run before any reading
        self._skipgram = SkipGram(
            objective=NUMBA_OBJECTIVES[self.loss], dim=self.dim, window=self.window,
            negative=self.negative, ns_exponent=self.ns_exponent, sample=self.sample,
            epochs=self.epochs, alpha=self.lr, threads=self.threads, seed=self.seed,
            quiet=self.quiet, checkpoint_dir=self.checkpoint_dir, resume=self.resume,
        )  # fmt: skip

    def fit(self, corpus):
        """Train on ``corpus`` (anything ``as_corpus`` accepts) -> ``Embeddings``: see
        ``NeuralEstimator.fit``; on the Numba backend, ``SkipGram.fit``'s history (``alpha``
        for ``lr``)."""
        if self.uses_torch():
            what = f"contrastive with {setting('backend', 'torch')}"
            warn_on_cpu(resolve_device(self.device), what, CPU_SLOWDOWN)
            return super().fit(corpus)
        emb = self._skipgram.fit(corpus)
        params = {**self.get_params(), "lr": emb.meta["params"]["alpha"]}
        emb.meta.update(method=self.method, params=params)
        return emb

    def _prepare(self, corpus, device):
        return Pairs(corpus, noise_cdf(corpus.vocab.counts, self.ns_exponent, device))

    def _network(self, data, gen) -> list:
        # word2vec's start, uniform in [-0.5/dim, 0.5/dim): small enough that no pair is scored
        # confidently before training, not zero, since a single table cannot start at zero.
        # An untied g starts at zero, as word2vec's output vectors do.
        n = len(data.corpus.vocab)
        table = (torch.rand((n, self.dim), generator=gen, device=gen.device) - 0.5) / self.dim
        if self.tied:
            return [table.requires_grad_(True)]
        context = torch.zeros((n, self.dim), device=gen.device)
        return [table.requires_grad_(True), context.requires_grad_(True)]

    def _batches(self, data, rng, device):
        for batch in pair_batches(data.corpus, self.window, self.sample, self.batch_size, rng,
                                  device):  # fmt: skip
            yield batch, int(batch.words.numel()), batch.tokens

    def _loss(self, params, batch, data, gen, position):
        noise = draw_noise(data.cdf, (batch.words.numel(), self.negative), gen)
        positive, negatives = pair_scores(params, batch.words, batch.contexts, noise)
        return contrastive_loss(self.loss, positive, negatives)

    def _vectors(self, params, data, device) -> np.ndarray:
        return np.ascontiguousarray(params[0].detach().cpu().numpy(), dtype=np.float32)


Contrastive.__signature__ = neural_signature(Contrastive)
