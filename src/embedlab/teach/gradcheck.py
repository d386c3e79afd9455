"""Lesson: the notes' gradient formulas, the trainer's updates and finite differences agree.

For skip-gram with negative sampling (the notes' Q2) and for the full softmax, three numbers are
set side by side for every gradient: the trainer's routine (run with ``alpha = 1``, so each
update is exactly minus the gradient), the closed form from the notes, and central finite
differences of the loss that the same routine returns.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_float, check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.word2vec.objectives.negative import negative_sampling_update
from embedlab.methods.word2vec.objectives.softmax import full_softmax_update
from embedlab.teach import slips
from embedlab.teach.numeric import central_differences as _numeric
from embedlab.teach.tables import Tables

_NO_TRACE = np.zeros((0, 0))


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _sgns_loss(u, C, samples) -> float:
    # alpha = 0 scores without moving anything
    return negative_sampling_update(u.copy(), samples, C.copy(), np.zeros(u.size), 0.0, _NO_TRACE)


def _softmax_loss(u, C, target) -> float:
    probs = np.zeros(C.shape[0])
    return full_softmax_update(u.copy(), target, C.copy(), np.zeros(u.size), 0.0, probs)


def _check(name, routine, formula, numeric) -> dict:
    routine, formula, numeric = (
        np.asarray(a, dtype=np.float64) for a in (routine, formula, numeric)
    )
    return {
        "gradient": name,
        "routine": routine.tolist(),
        "formula": formula.tolist(),
        "numeric": numeric.tolist(),
        "max_abs_error": float(
            max(np.max(np.abs(routine - numeric)), np.max(np.abs(formula - numeric)))
        ),
    }


def random_tables(vocab: int = 6, dim: int = 4, seed: int = 0, scale: float = 0.5) -> Tables:
    """Word and context vectors drawn from N(0, scale^2); words are ``w0, w1, ...``."""
    vocab = check_int("vocab", vocab, minimum=3)
    dim = check_int("dim", dim, minimum=1)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    words = [f"w{i}" for i in range(vocab)]
    return Tables(words, rng.normal(0, scale, (vocab, dim)), rng.normal(0, scale, (vocab, dim)))


def sgns_gradients(tables: Tables, focus: str, positive: str, negatives: list[str], eps=1e-6):
    """dL/du_t, dL/dv_c and dL/dv_{c_j} for ``L = -log s(u.v_c) - sum log s(-u.v_cj)``."""
    f = tables.ids([focus])[0]
    ids = tables.ids([positive, *negatives])
    if len(set(ids)) != len(ids):
        raise EmbedlabError(
            "the positive and negative words must all differ: a repeated row moves between its "
            "uses, so its update is no longer one gradient"
        )
    samples = np.array(ids, dtype=np.int32)
    u = tables.word_vectors[f].copy()
    C = tables.context_vectors.copy()
    grad_h = np.zeros(u.size)
    trace = np.zeros((len(samples), 5 + 2 * u.size))
    negative_sampling_update(u.copy(), samples, C.copy(), grad_h, 1.0, trace)
    sig = _sigmoid(C[samples] @ u)
    formula_u = (sig[0] - 1.0) * C[samples[0]] + sig[1:] @ C[samples[1:]]
    checks = [
        _check("dL/du_t", -grad_h, formula_u, _numeric(lambda: _sgns_loss(u, C, samples), u, eps))
    ]
    for i, (word, row) in enumerate(zip([positive, *negatives], samples, strict=True)):
        formula = (sig[0] - 1.0) * u if i == 0 else sig[i] * u
        numeric = _numeric(lambda: _sgns_loss(u, C, samples), C[row], eps)
        name = f"dL/dv_c ({word})" if i == 0 else f"dL/dv_c{i} ({word})"
        checks.append(_check(name, -trace[i, 5 + u.size :], formula, numeric))
    return checks


def softmax_gradients(tables: Tables, source: str, target: str, eps=1e-6):
    """dL/dv_c and dL/du_j for ``L = -log softmax(U v_c)[target]`` (the notes' 001 naming: v
    is the centre vector, u the output vectors)."""
    s, t = tables.ids([source, target])
    v = tables.word_vectors[s].copy()
    U = tables.context_vectors.copy()
    grad_h = np.zeros(v.size)
    probs = np.zeros(U.shape[0])
    moved = U.copy()
    full_softmax_update(v.copy(), t, moved, grad_h, 1.0, probs)
    onehot = np.eye(U.shape[0])[t]
    # the notes: d log P(o|c) / d v_c = u_o - sum_j P(j|c) u_j; the loss is its negative
    formula_v = -(U[t] - probs @ U)
    formula_U = np.outer(probs - onehot, v)
    return [
        _check("dL/dv_c", -grad_h, formula_v, _numeric(lambda: _softmax_loss(v, U, t), v, eps)),
        _check(
            "dL/dU (all rows)",
            U - moved,
            formula_U,
            _numeric(lambda: _softmax_loss(v, U, t), U, eps),
        ),
    ]


def gradcheck(
    tables: Tables | None = None,
    focus: str | None = None,
    positive: str | None = None,
    negatives: list[str] | None = None,
    *,
    vocab: int = 6,
    dim: int = 4,
    negative: int = 3,
    seed: int = 0,
    eps: float = 1e-6,
) -> dict:
    """Check both objectives' gradients on ``tables`` (default: random, ``seed``).

    Without words, the focus is the first word, the positive the second and the next
    ``negative`` words the negatives; the softmax check uses focus -> positive. Returns
    ``{"focus", "positive", "negatives", "eps", "negative_sampling": [...], "softmax": [...],
    "max_abs_error", "slips"}``, each check ``{"gradient", "routine", "formula", "numeric",
    "max_abs_error"}``.
    """
    eps = check_float("eps", eps, minimum=0.0, exclusive_minimum=True)
    negative = check_int(setting("negative"), negative, minimum=1)
    if tables is None:
        tables = random_tables(max(vocab, negative + 2), dim, seed)
    if focus is None or positive is None:
        if len(tables.words) < negative + 2:
            raise EmbedlabError(
                f"{len(tables.words)} words cannot give a focus, a positive and {negative} "
                f"negatives: lower {setting('negative')}"
            )
        focus, positive = tables.words[0], tables.words[1]
        negatives = negatives or tables.words[2 : 2 + negative]
    negatives = list(negatives or [])
    if not negatives:
        raise EmbedlabError(f"give at least one negative word ({setting('negatives')})")
    sgns = sgns_gradients(tables, focus, positive, negatives, eps)
    softmax = softmax_gradients(tables, focus, positive, eps)
    return {
        "focus": focus,
        "positive": positive,
        "negatives": negatives,
        "eps": eps,
        "negative_sampling": sgns,
        "softmax": softmax,
        "max_abs_error": max(c["max_abs_error"] for c in sgns + softmax),
        "slips": slips.as_dicts(slips.gradcheck()),
    }
