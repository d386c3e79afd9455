"""Lesson: cosine similarity between arbitrary vectors (the notes' personality example)."""

from __future__ import annotations

import numpy as np

from embedlab.errors import EmbedlabError, setting
from embedlab.teach import slips, toy_data


def personality_vectors() -> dict[str, list[float]]:
    """The notes' Big-5 scores, one five-trait vector per person."""
    scores = toy_data.PERSONALITY_SCORES.T.astype(float)
    return dict(zip(toy_data.PERSONALITY_PEOPLE, scores.tolist(), strict=True))


def cosine_similarities(vectors: dict | None = None, reference: str | None = None) -> dict:
    """``cos(a, b) = a . b / (|a| |b|)`` of ``reference`` against every other named vector.

    ``vectors`` maps names to equal-length vectors (default: the personality example, whose
    reference is Pavlos); ``reference`` defaults to the first name. Returns ``{"reference",
    "similarities": [{"name", "cosine"}, ...], "slips"}``, most similar first (``slips``: the
    notes' for their example).
    """
    notes_example = vectors is None and reference in (None, toy_data.PERSONALITY_PEOPLE[0])
    vectors = personality_vectors() if vectors is None else dict(vectors)
    if len(vectors) < 2:
        raise EmbedlabError(
            f"cosine needs at least two vectors, got {len(vectors)}: give two or more "
            f"({setting('vectors')})"
        )
    names = list(vectors)
    reference = names[0] if reference is None else reference
    if reference not in vectors:
        raise EmbedlabError(f"unknown reference {reference!r}: choose one of {', '.join(names)}")
    if len({len(vectors[n]) for n in names}) > 1:
        raise EmbedlabError("the vectors have different lengths: give every vector the same size")
    matrix = np.array([np.asarray(vectors[n], dtype=np.float64) for n in names])
    norms = np.linalg.norm(matrix, axis=1)
    if np.any(norms == 0):
        zero = names[int(np.argmin(norms))]
        raise EmbedlabError(f"vector {zero!r} is all zeros: cosine is undefined for it")
    ref = matrix[names.index(reference)]
    cosines = matrix @ ref / (norms * np.linalg.norm(ref))
    rows = [
        {"name": n, "cosine": float(c)}
        for n, c in zip(names, cosines, strict=True)
        if n != reference
    ]
    rows.sort(key=lambda r: -r["cosine"])
    result = {"reference": reference, "similarities": rows}
    result["slips"] = slips.as_dicts(slips.cosine(result) if notes_example else [])
    return result


def parse_numbers(text: str, what: str, example: str) -> list[float]:
    """``"1,2,3"`` -> ``[1.0, 2.0, 3.0]``; EmbedlabError naming ``what`` and an ``example``."""
    try:
        numbers = [float(v) for v in text.split(",")]
    except ValueError:
        numbers = []
    if not numbers or not all(np.isfinite(numbers)):
        raise EmbedlabError(
            f"bad {what} {text!r}: write numbers separated by commas, e.g. {example}"
        )
    return numbers


def parse_vector(spec: str) -> tuple[str, list[float]]:
    """``"NAME=1,2,3"`` -> ``("NAME", [1.0, 2.0, 3.0])``."""
    name, sep, values = spec.partition("=")
    if not sep or not name.strip():
        raise EmbedlabError(f"bad vector {spec!r}: write NAME=x,y,... e.g. pavlos=97,98,73")
    return name.strip(), parse_numbers(values, f"vector {name.strip()!r}", "pavlos=97,98,73")
