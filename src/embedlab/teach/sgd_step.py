"""Lesson: one skip-gram negative-sampling SGD update, every intermediate number shown.

The numbers come from the trainer's own routine, ``negative_sampling_update``, run with its
``trace`` switched on, so the lesson cannot drift from what training does. Its semantics are
word2vec's: each context row moves at once, while the focus word's change is summed over the
positive and every negative and applied afterwards.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_float, check_int
from embedlab.methods.word2vec.objectives.negative import negative_sampling_update
from embedlab.teach import slips, toy_data
from embedlab.teach.tables import Tables, notes_toy

SEMANTICS = (
    "word2vec order: each context row changes at once; the focus word's change is summed over "
    "the positive and all negatives and applied after them"
)


def sgns_step(
    tables: Tables,
    focus: str,
    positive: str,
    negatives: list[str],
    alpha: float = 0.1,
    steps: int = 1,
) -> dict:
    """Apply ``steps`` updates for (``focus``, ``positive``, ``negatives``) to ``tables``.

    ``tables`` is updated in place. Per step and sample (positive first) a row records
    ``z = w_focus . c_s``, ``sigma = sigmoid(z)``, ``error = label - sigma``, ``delta_focus =
    alpha * error * c_s`` (old ``c_s``) and ``delta_context = alpha * error * w_focus``. Returns
    ``{"focus", "alpha", "semantics", "rows", "steps", "word_vectors", "context_vectors",
    "slips"}``; each ``steps`` entry has the summed ``delta_focus`` and the ``loss`` (natural
    log). ``slips`` are the notes' (:mod:`embedlab.teach.slips`) when this is one of their two
    worked updates.
    """
    alpha = check_float("alpha", alpha, minimum=0.0, exclusive_minimum=True)
    steps = check_int("steps", steps, minimum=1)
    toy = notes_toy(tables)
    update = (focus, positive, tuple(negatives))
    if toy_data.NOTES_UPDATES.get(toy) != update or alpha != toy_data.TOY_ALPHA or steps != 1:
        toy = None
    f = tables.ids([focus])[0]
    samples = np.array(tables.ids([positive, *negatives]), dtype=np.int32)
    W, C = tables.word_vectors, tables.context_vectors
    dim = W.shape[1]
    rows, summary = [], []
    for step in range(1, steps + 1):
        grad_h = np.zeros(dim)
        trace = np.zeros((len(samples), 5 + 2 * dim))
        loss = negative_sampling_update(W[f], samples, C, grad_h, alpha, trace)
        W[f] += grad_h  # applied after all samples, as the skip-gram kernel does
        rows.extend(_trace_rows(trace, tables.words, dim, step))
        summary.append({"step": step, "delta_focus": grad_h.tolist(), "loss": float(loss)})
    result = {
        "focus": focus,
        "alpha": alpha,
        "semantics": SEMANTICS,
        "rows": rows,
        "steps": summary,
        **tables.as_dict(),
    }
    result["slips"] = slips.as_dicts(slips.step(toy, result))
    return result


def _trace_rows(trace: np.ndarray, words: list[str], dim: int, step: int) -> list[dict]:
    return [
        {
            "step": step,
            "context": words[int(r[0])],
            "label": int(r[1]),
            "z": float(r[2]),
            "sigma": float(r[3]),
            "error": float(r[4]),
            "delta_focus": r[5 : 5 + dim].tolist(),
            "delta_context": r[5 + dim :].tolist(),
        }
        for r in trace
    ]
