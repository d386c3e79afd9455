"""The vocabulary: words in a fixed, deterministic order with their corpus counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.errors import UnknownWordError


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Words and their counts, index ``i`` being ``words[i]``.

    Order is count descending, ties broken by first occurrence in the corpus, so the same corpus
    and settings always give the same indices.

    Attributes:
        words: the words, most frequent first.
        counts: int64 array of corpus counts, aligned with ``words``.
        index: word -> row.
    """

    words: Sequence[str]
    counts: np.ndarray
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self):
        words = list(self.words)
        counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != (len(words),):
            raise ValueError(f"{len(words)} words but {counts.shape} counts")
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "index", {w: i for i, w in enumerate(words)})
        if len(self.index) != len(words):
            raise ValueError("duplicate words in vocabulary")

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    @property
    def total(self) -> int:
        """Sum of all counts (the number of in-vocabulary tokens in the corpus)."""
        return int(self.counts.sum())

    def ids(self, words: Iterable[str]) -> np.ndarray:
        """Row indices of ``words``; raises UnknownWordError naming every missing word."""
        words = list(words)
        missing = [w for w in words if w not in self.index]
        if missing:
            raise UnknownWordError(missing)
        return np.array([self.index[w] for w in words], dtype=np.int64)
