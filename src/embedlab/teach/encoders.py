"""Lessons: note 004's autoencoder and variational autoencoder, trained on a toy by the methods.

Both lessons build the estimator of ``embedlab.methods.neural`` (``Autoencoder``, ``VAE``) and
drive its own pieces: the unit PPMI rows it prepares, its initial tensors, its epoch loop with
the notes' optimizers, its encoder, decoder, reconstruction loss, reparameterisation and
closed-form KL, as the notes write them: the full reconstruction (every cell, where the
methods' default reads the non-zero ones and samples the rest) and no free bits. With one
batch holding every row, an epoch is one optimizer step, so the
history is the loss after each step. Around the method's loss the lessons show its terms:

- squared (the notes' ``||f(x) - x||²``): ``||f(x)||² - 2 f(x)·x + ||x||²``;
- multinomial: ``log Σ_c exp f(x)_c - Σ_c p_c f(x)_c`` with ``p = x / Σ x``;
- VAE: ``z = μ + σ ε``, the reconstruction of z, and ``λ KL(N(μ, σ²) || N(0, I))`` beside the
  notes' ``KL(N(0, I) || N(μ, σ²)) = ½ Σ (1/σ² + μ²/σ² - 1 + ln σ²)``, a different number.

torch is imported when a lesson first uses it (``embedlab.methods.torch_support.device``);
without it, one ``EmbedlabError`` line says how to install it.
"""

from __future__ import annotations

import re

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError
from embedlab.methods.neural.autoencoder import Autoencoder
from embedlab.methods.neural.inputs import row_batch
from embedlab.methods.neural.vae import VAE, kl_to_standard_normal
from embedlab.methods.torch_support.device import generator, repeatable, torch
from embedlab.teach import slips, toy_data
from embedlab.teach.basics import kind_cosines
from embedlab.teach.pairs import words_of
from embedlab.vectors.embeddings import Embeddings

#: The device, by name (torch takes one wherever a device goes): importing loads no torch.
CPU = "cpu"
#: The toy's PPMI rows: a window of 2 fits its short sentences; no down-weighting of contexts.
TOY_COUNTING = {"window": 2, "weighting": "none", "cds": 1.0}


def toy_sentences(text: str | None = None) -> list[list[str]]:
    """The sentences of ``text`` (one per line or per '.'), default the encoders' toy text."""
    text = toy_data.ENCODER_TEXT if text is None else text
    sentences = [words_of(part) for part in re.split(r"[.\n]", text) if re.search(r"\w", part)]
    if not sentences:
        raise EmbedlabError("the text has no words: give sentences such as 'eat a ripe apple'")
    return sentences


def kinds_of(words) -> dict[str, str]:
    """The toy's vehicles and fruits among ``words``."""
    return {w: toy_data.TOY_KINDS[w] for w in words if w in toy_data.TOY_KINDS}


def _corpus(text):
    from embedlab.corpus import as_corpus

    return as_corpus(toy_sentences(text), min_count=1)


def _train(estimator, corpus, steps: int):
    """Train ``estimator`` with its own loop, one full batch per epoch: (data, params, losses)."""
    with repeatable(1):
        data = estimator._prepare(corpus, CPU)
        params = estimator._network(data, generator(estimator.seed, -1, CPU))
        opt = estimator._optimizer_for(params)
        with estimator._progress(steps * data.units) as bar:
            history = [estimator._epoch(params, opt, data, e, CPU, bar) for e in range(steps)]
    return data, params, [h["loss"] for h in history]


def _settings(cls, *, steps, rows, dim, loss, optimizer, lr, seed, **more):
    return cls(dim=check_int("dim", dim, minimum=1), loss=loss, epochs=steps, batch_size=rows,
               optimizer=optimizer, lr=lr, schedule="constant", device="cpu", threads=1,
               seed=seed, quiet=True, reconstruction="full", **TOY_COUNTING,
               **more)  # fmt: skip


def _reconstruction_terms(kind: str, scores: np.ndarray, x: np.ndarray) -> dict:
    """The terms the method's loss of one row adds up (see the module docstring)."""
    if kind == "squared":
        return {"norm_fx": float(scores @ scores), "cross": float(-2 * scores @ x),
                "norm_x": float(x @ x)}  # fmt: skip
    p = x / x.sum()
    top = scores.max()
    return {"log_norm": float(top + np.log(np.exp(scores - top).sum())),
            "cross": float(-p @ scores)}  # fmt: skip


def _rows_of(estimator, params, data, code_of):
    """Per word: the method's reconstruction loss of that row alone, its terms and f(x)."""
    rows = []
    with torch.no_grad():
        for i in range(data.units):
            batch = row_batch(data.matrix, np.array([i]), CPU)
            code = code_of(batch)
            scores = estimator._decode(params, code)[0].numpy().astype(np.float64)
            x = data.matrix[i].toarray().ravel().astype(np.float64)
            rows.append({
                "code": code[0].tolist(),
                "reconstruction": float(estimator._reconstruction(params, code, batch, data, None)),
                "terms": _reconstruction_terms(estimator.loss, scores, x),
                "scores": scores.tolist(),
            })  # fmt: skip
    return rows


def _closeness(words, codes) -> dict | None:
    """Mean cosine of the codes of same-kind and of different-kind toy words (None without)."""
    kinds = kinds_of(words)
    if len(set(kinds.values())) < 2:
        return None
    same, other = kind_cosines(Embeddings(words, codes), kinds)
    return {"same_kind": same, "other_kind": other}


def _common(estimator, corpus, data, params, losses, rows) -> dict:
    words = [str(w) for w in corpus.vocab.words]
    return {
        "words": words,
        "kinds": kinds_of(words),
        "loss": estimator.loss,
        "dim": estimator.dim,
        "optimizer": estimator.optimizer,
        "lr": estimator.lr,
        "steps": len(losses),
        "x": data.matrix.toarray().astype(np.float64).tolist(),
        "decoder": {"weight": params[2].detach().numpy().T.astype(np.float64).tolist(),
                    "bias": params[3].detach().numpy().astype(np.float64).tolist()},
        "history": losses,
        "rows": [{"word": w, **r} for w, r in zip(words, rows, strict=True)],
        "closeness": _closeness(words, np.array([r["code"] for r in rows])),
    }  # fmt: skip


def autoencoder_lesson(
    text: str | None = None,
    loss: str = "squared",
    dim: int = 2,
    steps: int = 300,
    optimizer: str = "adam",
    lr: float | None = 0.05,
    seed: int = 1,
) -> dict:
    """Train note 004's autoencoder on the unit PPMI rows of ``text`` (default: the toy).

    ``loss`` is "squared" (the notes' ``||f(x) - x||²``) or "multinomial" (the method's
    default). Returns ``{"words", "kinds", "loss", "dim", "optimizer", "lr", "steps", "x",
    "decoder", "history", "rows", "closeness"}``: ``x`` the unit rows, ``history`` the loss after
    each step, per row the code f's bottleneck gives, the method's loss of that row alone, its
    terms and the decoder's scores; ``closeness`` the mean cosine of same-kind and other-kind
    codes (None when the text has no two kinds of toy words).
    """
    corpus = _corpus(text)
    estimator = _settings(Autoencoder, steps=check_int("steps", steps, minimum=1),
                          rows=len(corpus.vocab), dim=dim, loss=loss, optimizer=optimizer,
                          lr=lr, seed=seed)  # fmt: skip
    data, params, losses = _train(estimator, corpus, steps)
    rows = _rows_of(estimator, params, data, lambda batch: estimator._encode(params, batch)[0])
    return _common(estimator, corpus, data, params, losses, rows)


def notes_kl(mu: np.ndarray, log_var: np.ndarray) -> float:
    """The notes' direction, KL(N(0, I) || N(μ, diag σ²)), closed form."""
    var = np.exp(log_var)
    return float(0.5 * np.sum(1 / var + mu * mu / var - 1 + log_var))


def vae_lesson(
    text: str | None = None,
    loss: str = "squared",
    dim: int = 2,
    kl_weight: float = 0.1,
    steps: int = 300,
    optimizer: str = "adam",
    lr: float | None = 0.05,
    seed: int = 1,
) -> dict:
    """Train note 004's VAE on the toy, then show one draw of its loss term by term.

    After training, the method's random stream for the next step draws ε; per word the lesson
    shows μ, σ, ε, z = μ + σ ε, the reconstruction of z, KL(N(μ, σ²) || N(0, I)) (the method's)
    and the notes' KL(N(0, I) || N(μ, σ²)). ``total`` is the mean reconstruction plus
    ``kl_weight`` times the mean KL, and ``method_loss`` the VAE's own loss of that same draw.
    Also returned: what ``autoencoder_lesson`` returns (``rows[i]["code"]`` is z) plus
    ``kl_weight``, the encoder's mean and log-variance per row, and the notes' ``slips``.
    """
    corpus = _corpus(text)
    estimator = _settings(VAE, steps=check_int("steps", steps, minimum=1),
                          rows=len(corpus.vocab), dim=dim, loss=loss, optimizer=optimizer,
                          lr=lr, seed=seed, kl_weight=kl_weight, free_bits=0.0)  # fmt: skip
    data, params, losses = _train(estimator, corpus, steps)
    everything = row_batch(data.matrix, np.arange(data.units), CPU)
    with torch.no_grad():
        mu, log_var = estimator._encode(params, everything)
        # the stream the method's next step would use, and the draw its loss takes from it
        eps = torch.randn(mu.shape, generator=generator(seed, steps, CPU), device=CPU)
        method_loss = float(estimator._loss(params, everything, data,
                                            generator(seed, steps, CPU), 1.0))  # fmt: skip
        kl = kl_to_standard_normal(mu, log_var)
    z = mu + (0.5 * log_var).exp() * eps
    draws = iter(z)
    rows = _rows_of(estimator, params, data, lambda batch: next(draws)[None, :])
    for i, row in enumerate(rows):
        row.update({
            "mu": mu[i].tolist(),
            "log_var": log_var[i].tolist(),
            "sigma": (0.5 * log_var[i]).exp().tolist(),
            "eps": eps[i].tolist(),
            "kl": float(kl[i]),
            "notes_kl": notes_kl(mu[i].numpy().astype(np.float64),
                                 log_var[i].numpy().astype(np.float64)),
            "total": row["reconstruction"] + estimator.kl_weight * float(kl[i]),
        })  # fmt: skip
    result = _common(estimator, corpus, data, params, losses, rows)
    result["closeness"] = _closeness(result["words"], mu.numpy())
    result = {
        **result,
        "kl_weight": estimator.kl_weight,
        "mean_reconstruction": float(np.mean([r["reconstruction"] for r in rows])),
        "mean_kl": float(kl.mean()),
        "mean_notes_kl": float(np.mean([r["notes_kl"] for r in rows])),
        "total": float(np.mean([r["total"] for r in rows])),
        "method_loss": method_loss,
    }
    result["slips"] = slips.as_dicts(slips.vae(result, toy_text=text is None))
    return result
