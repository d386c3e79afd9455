"""Lesson: how many numbers a skip-gram model holds, and how many one update touches."""

from __future__ import annotations

from embedlab.checks import check_int
from embedlab.teach import slips


def parameter_count(vocab: int, dim: int, negative: int = 5, bytes_per_value: int = 4) -> dict:
    """Parameters of a model with two ``dim``-vectors per word (``2 * dim * vocab``).

    ``bytes`` assumes ``bytes_per_value`` (4 = float32, what embedlab trains). One negative-
    sampling update touches the focus row, the positive row and ``negative`` noise rows,
    ``(negative + 2) * dim``; one full-softmax update touches the focus row and every context
    row, ``(vocab + 1) * dim``. ``slips`` are notes 002's about these counts.
    """
    vocab = check_int("vocab", vocab, minimum=1)
    dim = check_int("dim", dim, minimum=1)
    negative = check_int("negative", negative, minimum=1)
    bytes_per_value = check_int("bytes_per_value", bytes_per_value, minimum=1)
    parameters = 2 * dim * vocab
    result = {
        "vocab": vocab,
        "dim": dim,
        "parameters": parameters,
        "bytes": parameters * bytes_per_value,
        "per_matrix": dim * vocab,
        "touched_per_update": {
            "negative_sampling": (negative + 2) * dim,
            "full_softmax": (vocab + 1) * dim,
        },
        "negative": negative,
    }
    result["slips"] = slips.as_dicts(slips.params(result))
    return result
