"""Lesson: the full-softmax cross-entropy for one (source, target) pair, and who gets gradient.

The probabilities, the loss and the gradients come from the trainer's ``full_softmax_update``
(run once with ``alpha = 1`` on copies, so its updates are exactly minus the gradients).
"""

from __future__ import annotations

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.methods.word2vec.objectives.softmax import full_softmax_update
from embedlab.teach import slips, toy_data


def softmax_loss(
    W=None,
    W_prime=None,
    words=None,
    source: str = toy_data.SOFTMAX_SOURCE,
    target: str = toy_data.SOFTMAX_TARGET,
) -> dict:
    """Cross-entropy ``-ln p(target | source)`` with ``p = softmax(W' @ W[source])``.

    ``W`` (centre vectors) and ``W_prime`` (context vectors) are |V| x d; by default the notes'
    six-word, three-dimensional example (source Frodo, target ring). Returns ``{"words",
    "source", "target", "logits", "exp_logits", "probabilities", "log_sum_exp", "loss",
    "gradient_source", "gradient_context", "parameters_with_gradient", "target_cosine",
    "slips"}`` (gradients of the loss; natural logs; ``target_cosine`` is the cosine of the
    target's logit, which the notes call a cosine similarity).
    """
    notes_example = (
        W is None
        and W_prime is None
        and words is None
        and (source, target)
        == (
            toy_data.SOFTMAX_SOURCE,
            toy_data.SOFTMAX_TARGET,
        )
    )
    words = list(toy_data.SOFTMAX_WORDS if words is None else words)
    W = np.array(toy_data.SOFTMAX_W if W is None else W, dtype=np.float64)
    W_prime = np.array(toy_data.SOFTMAX_W_PRIME if W_prime is None else W_prime, dtype=np.float64)
    if W.ndim != 2 or W.shape != W_prime.shape or W.shape[0] != len(words):
        raise EmbedlabError(
            f"W is {W.shape}, W' is {W_prime.shape} for {len(words)} words: give two "
            "|V| x d matrices with one row per word"
        )
    index = {w: i for i, w in enumerate(words)}
    missing = [w for w in (source, target) if w not in index]
    if missing:
        raise UnknownWordError(missing)
    s, t = index[source], index[target]
    h = W[s].copy()
    out = W_prime.copy()
    grad_h = np.zeros(W.shape[1])
    probs = np.zeros(len(words))
    loss = full_softmax_update(h, t, out, grad_h, 1.0, probs)
    logits = W_prime @ W[s]
    gradient_context = W_prime - out  # the routine moved each row by minus its gradient
    moved = np.any(gradient_context != 0.0, axis=1)
    result = {
        "words": words,
        "source": source,
        "target": target,
        "logits": logits.tolist(),
        "exp_logits": np.exp(logits).tolist(),
        "probabilities": probs.tolist(),
        "log_sum_exp": float(loss + logits[t]),
        "loss": float(loss),
        "gradient_source": (-grad_h).tolist(),
        "gradient_context": dict(zip(words, gradient_context.tolist(), strict=True)),
        "parameters_with_gradient": {
            "W": {"rows": [source], "count": int(W.shape[1])},
            "W_prime": {
                "rows": [w for w, m in zip(words, moved, strict=True) if m],
                "count": int(moved.sum()) * int(W.shape[1]),
            },
        },
        "target_cosine": float(
            logits[t] / (np.linalg.norm(W[s]) * np.linalg.norm(W_prime[t]) or 1.0)
        ),
    }
    result["slips"] = slips.as_dicts(slips.softmax_loss(result, notes_example))
    return result
