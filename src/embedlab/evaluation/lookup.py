"""Case-insensitive word lookup over the most frequent words, as the benchmark protocols use it.

word2vec's compute-accuracy and gensim's evaluators only look at the ``restrict_vocab`` most
frequent words (the Embeddings' rows are in frequency order) and compare words case-insensitively:
``King`` and ``king`` are one word, represented by whichever variant is more frequent. Upper-casing
(not lower-casing) is what gensim does, so the two agree even on words such as ``ß``.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_int


class RestrictedVocab:
    """The first ``limit`` words of ``words``, looked up case-insensitively.

    Attributes:
        size: how many rows take part (``min(limit, len(words))``).
        index: upper-cased word -> row of its most frequent variant.
        canonical: int64 array, for each row the row of its most frequent case variant, so two
            rows are the same word exactly when their ``canonical`` entries are equal.
    """

    def __init__(self, words, limit: int | None):
        self.size = len(words) if limit is None else min(limit, len(words))
        self.index: dict[str, int] = {}
        canonical = np.empty(self.size, dtype=np.int64)
        for row in range(self.size):
            canonical[row] = self.index.setdefault(words[row].upper(), row)
        self.canonical = canonical

    def rows(self, words) -> list[int] | None:
        """The rows of ``words``, or None if any of them is not among the restricted words."""
        found = [self.index.get(word.upper()) for word in words]
        return None if None in found else found


def check_restrict_vocab(restrict_vocab) -> int | None:
    """Validate ``restrict_vocab``: a positive integer, or None for the whole vocabulary."""
    if restrict_vocab is None:
        return None
    return check_int("restrict_vocab", restrict_vocab, minimum=1)
