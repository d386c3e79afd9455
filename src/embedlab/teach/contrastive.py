"""Lesson: note 004's contrastive loss beside the bounded ones, by the method's own routines.

The positives are the method's (word, next word) pairs of the toy text (``chunk_pairs`` with
``window=1``, the notes' "(word, next-word)", nothing subsampled), the negatives its noise draws
(``draw_noise`` on the count^0.75 distribution), the table f its initial one, the scores
``pair_scores`` and the losses ``contrastive_loss``; the steps are the notes' optimizers. The
same start is trained with each loss:

- ``infonce`` (the method's default) and ``logistic`` are at least 0 and settle;
- ``notes``, the slide's ``Σ f(x)ᵀf(x⁺) − Σ [f(x)ᵀf(x⁻)]²`` minimised as written, has the sign
  of an objective to maximise (descent pushes the positives apart) and no lower bound: scaling
  f by t gives ``t² s⁺ − t⁴ Σ (s⁻)²``, so a few steps send it to −∞.

torch is imported when a lesson first uses it (``embedlab.methods.torch_support.device``);
without it, one ``EmbedlabError`` line says how to install it.
"""

from __future__ import annotations

import math

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError
from embedlab.methods.neural.contrastive import LOSSES, Contrastive, contrastive_loss, pair_scores
from embedlab.methods.neural.inputs import chunk_pairs
from embedlab.methods.torch_support.device import generator, repeatable, torch
from embedlab.methods.torch_support.noise import draw_noise
from embedlab.teach import slips
from embedlab.teach.encoders import CPU, _corpus, kinds_of

#: The factors the table is scaled by to show which losses have a floor.
SCALES = (1.0, 2.0, 4.0, 8.0)


def _positives(corpus, seed: int):
    """Every (word, next word) pair of the corpus, as the method builds them with window 1."""
    starts = np.asarray(corpus.sentence_starts)
    keep = np.ones(len(corpus.vocab), dtype=np.float32)
    rng = np.random.default_rng([seed, 0])
    words, contexts = chunk_pairs(corpus.tokens, starts, 0, corpus.n_tokens, 1, keep, rng)
    if words.size == 0:
        raise EmbedlabError(
            "the text has no two words in a row: give sentences of two words or more"
        )
    return torch.from_numpy(words), torch.from_numpy(contexts)


def _terms(kind: str, positive, negatives) -> list[float]:
    """The loss of each pair alone (the method's loss of a batch of one)."""
    return [float(contrastive_loss(kind, positive[i : i + 1], negatives[i : i + 1]))
            for i in range(positive.numel())]  # fmt: skip


def _losses(scores) -> dict:
    """Each loss's mean over the pairs of ``scores`` (s⁺, s⁻)."""
    return {kind: float(contrastive_loss(kind, *scores)) for kind in LOSSES}


def _run(kind: str, estimator, start, pairs, noise, steps: int) -> dict:
    """``steps`` optimizer steps on ``kind`` from ``start``; stops at the first non-finite loss."""
    table = start.clone().requires_grad_(True)
    opt = estimator._optimizer_for([table])
    history = []
    for t in range(steps + 1):
        positive, negatives = pair_scores([table], *pairs, noise)
        loss = contrastive_loss(kind, positive, negatives)
        history.append({
            "step": t,
            "loss": float(loss.detach()),
            "mean_positive": float(positive.detach().mean()),
            "mean_negative": float(negatives.detach().mean()),
            "max_norm": float(table.detach().norm(dim=1).max()),
        })  # fmt: skip
        if not all(math.isfinite(v) for v in history[-1].values()):
            return {"loss": kind, "history": history, "diverged_at": t}
        if t < steps:
            opt.zero_grad()
            loss.backward()
            opt.step()
    return {"loss": kind, "history": history, "diverged_at": None}


def contrastive_lesson(
    text: str | None = None,
    dim: int = 2,
    negative: int = 2,
    steps: int = 15,
    optimizer: str = "sgd",
    lr: float | None = 10.0,
    seed: int = 1,
) -> dict:
    """Each contrastive loss on the toy's pairs, term by term, and trained from one start.

    Returns ``{"words", "kinds", "dim", "negative", "optimizer", "lr", "start", "pairs",
    "scaled", "runs", "slips"}``: ``start`` the initial table (one row per word), ``pairs`` each
    positive with its noise words, scores and each loss's value for that pair alone; ``scaled`` each
    loss of the start table times t for t in ``SCALES``; ``runs`` per loss the mean loss, mean
    s⁺ and s⁻ and the largest norm of f after each step, and where it went non-finite. The
    loss is a mean over the pairs, so each row's gradient is small: hence sgd's lr of 10.
    """
    corpus = _corpus(text)
    steps = check_int("steps", steps, minimum=1)
    estimator = Contrastive(dim=check_int("dim", dim, minimum=1), window=1, negative=negative,
                            sample=0.0, epochs=1, optimizer=optimizer, lr=lr,
                            schedule="constant", backend="torch", tied=True, device="cpu",
                            threads=1, seed=seed, quiet=True)  # fmt: skip
    words = [str(w) for w in corpus.vocab.words]
    with repeatable(1), torch.no_grad():
        data = estimator._prepare(corpus, CPU)
        (start,) = estimator._network(data, generator(seed, -1, CPU))
        start = start.detach()
        pairs = _positives(corpus, seed)
        noise = draw_noise(data.cdf, (pairs[0].numel(), estimator.negative),
                           generator(seed, 0, CPU))  # fmt: skip
        positive, negatives = pair_scores([start], *pairs, noise)
        per_pair = {kind: _terms(kind, positive, negatives) for kind in LOSSES}
        scaled = [{"scale": t, **_losses(pair_scores([t * start], *pairs, noise))} for t in SCALES]
    with repeatable(1):
        runs = [_run(kind, estimator, start, pairs, noise, steps) for kind in LOSSES]
    result = {
        "words": words,
        "kinds": kinds_of(words),
        "dim": estimator.dim,
        "negative": estimator.negative,
        "optimizer": estimator.optimizer,
        "lr": estimator.lr,
        "start": start.numpy().astype(np.float64).tolist(),
        "pairs": [
            {
                "word": words[int(w)],
                "positive": words[int(c)],
                "negatives": [words[int(n)] for n in row],
                "ids": [int(w), int(c), *(int(n) for n in row)],
                "s_positive": float(positive[i]),
                "s_negatives": negatives[i].tolist(),
                **{kind: per_pair[kind][i] for kind in LOSSES},
            }
            for i, (w, c, row) in enumerate(zip(*pairs, noise, strict=True))
        ],  # fmt: skip
        "scaled": scaled,
        "runs": runs,
    }
    result["slips"] = slips.as_dicts(slips.contrastive(result))
    return result
