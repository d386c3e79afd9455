"""Axes defined by formulas of words, as whatlies and Parallax draw them: ``man - woman``.

A formula is words joined by ``+`` and ``-``, written as separate tokens (``well-known`` is
one word; ``man - woman`` is two). Its direction is the sum of the signed unit vectors of its
words, scaled to length 1; a word's coordinate on the axis is its cosine with that direction.
"""

from __future__ import annotations

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.query.neighbours import query_terms

#: The most words one formula may hold.
MAX_TERMS = 20


def parse_formula(text: str) -> list[tuple[str, float]]:
    """``"king - man + woman"`` -> ``[("king", 1.0), ("man", -1.0), ("woman", 1.0)]``."""
    tokens = str(text).split()
    if not tokens:
        raise EmbedlabError("an axis formula is empty: give words joined by + and -, e.g. he - she")
    terms: list[tuple[str, float]] = []
    sign = None
    for token in tokens:
        if token in ("+", "-"):
            if sign is not None:
                raise EmbedlabError(f"formula {text!r} has two operators in a row: drop one")
            sign = 1.0 if token == "+" else -1.0
            continue
        if terms and sign is None:
            raise EmbedlabError(
                f"formula {text!r} has two words in a row ({terms[-1][0]!r} {token!r}): "
                "put + or - between them, with spaces around it"
            )
        terms.append((token, 1.0 if sign is None else sign))
        sign = None
    if sign is not None:
        raise EmbedlabError(f"formula {text!r} ends with an operator: add a word after it")
    if len(terms) > MAX_TERMS:
        raise EmbedlabError(f"formula {text!r} has {len(terms)} words; at most {MAX_TERMS}")
    return terms


def direction(emb, terms: list[tuple[str, float]]) -> np.ndarray:
    """The unit float32 vector of ``sum(sign * unit(word))`` over a parsed formula's terms.

    Unknown words are one UnknownWordError; words a subword kind composes are used as it
    composes them. A formula whose words cancel out (``man - man``) is an EmbedlabError.
    """
    resolved, _ = query_terms(emb, [word for word, _ in terms])
    total = np.zeros(emb.dim, dtype=np.float64)
    for term, (_, sign) in zip(resolved, terms, strict=True):
        vector = np.asarray(emb[term] if isinstance(term, str) else term, dtype=np.float64)
        norm = np.linalg.norm(vector)
        if norm > 0:
            total += sign * vector / norm
    norm = np.linalg.norm(total)
    if not norm > 1e-6:
        shown = " ".join(("+ " if s > 0 else "- ") + w for w, s in terms).lstrip("+ ")
        raise EmbedlabError(f"the formula {shown!r} is the zero vector: its words cancel out")
    return (total / norm).astype(np.float32)
