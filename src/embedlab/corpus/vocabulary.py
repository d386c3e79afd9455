"""The vocabulary: words in a fixed, deterministic order with their corpus counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError, UnknownWordError, setting


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
        if isinstance(self.words, str) or not isinstance(self.words, Iterable):
            raise EmbedlabError(f"words must be a list of strings, got {type(self.words).__name__}")
        words = list(self.words)
        try:
            counts = np.asarray(self.counts, dtype=np.int64)
        except (TypeError, ValueError):
            raise EmbedlabError(f"counts must be whole numbers, got {self.counts!r:.40}") from None
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


def check_vocabulary_settings(min_count, max_vocab) -> None:
    """Validate ``min_count`` (integer >= 1) and ``max_vocab`` (None or integer >= 1)."""
    check_int("min_count", min_count, minimum=1)
    if max_vocab is not None:
        check_int("max_vocab", max_vocab, minimum=1)


def build_vocabulary(
    token_lines: Iterable[Iterable[str]], min_count: int = 5, max_vocab: int | None = None
) -> Vocabulary:
    """Count the tokens of ``token_lines`` and keep the frequent ones.

    Words seen fewer than ``min_count`` times (default 5) are dropped; of the rest, only the
    ``max_vocab`` most frequent are kept (default None: all). Order is count descending, ties by
    first occurrence. An empty result is an EmbedlabError.
    """
    check_vocabulary_settings(min_count, max_vocab)
    counter: Counter[str] = Counter()
    for tokens in token_lines:
        counter.update(tokens)  # a Counter keeps first-occurrence order, which breaks ties
    words = list(counter)
    counts = np.fromiter(counter.values(), dtype=np.int64, count=len(words))
    keep = frequent_rows(counts, min_count, max_vocab)
    return Vocabulary([words[i] for i in keep], counts[keep])


def frequent_rows(counts: np.ndarray, min_count: int, max_vocab: int | None) -> np.ndarray:
    """Indices into ``counts`` (given in first-occurrence order) of the words to keep, most
    frequent first, ties by first occurrence; EmbedlabError if none reach ``min_count``."""
    order = np.argsort(-counts, kind="stable")
    order = order[counts[order] >= min_count][:max_vocab]
    if order.size == 0:
        raise EmbedlabError(
            f"vocabulary is empty after {setting('min_count', min_count)}: "
            f"lower {setting('min_count')} or use a bigger corpus"
        )
    return order
