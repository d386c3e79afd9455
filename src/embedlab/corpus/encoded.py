"""The encoded corpus: every sentence as int32 word ids in one flat, memory-mappable array."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from embedlab.corpus.vocabulary import Vocabulary


@dataclass(frozen=True, eq=False)
class EncodedCorpus:
    """A corpus encoded once, shared by every training method.

    Attributes:
        vocab: the vocabulary the ids refer to.
        tokens: int32 ids of the in-vocabulary tokens, sentence after sentence (often a
            read-only ``np.memmap``). Out-of-vocabulary tokens are dropped, as word2vec does.
        sentence_starts: int64 offsets into ``tokens``, one per sentence plus a final one equal
            to ``len(tokens)``; sentence ``s`` is ``tokens[starts[s]:starts[s + 1]]``.
        raw_tokens: tokens read before the vocabulary filter (for reporting).
    """

    vocab: Vocabulary
    tokens: np.ndarray
    sentence_starts: np.ndarray
    raw_tokens: int

    @property
    def n_tokens(self) -> int:
        return int(self.tokens.shape[0])

    @property
    def n_sentences(self) -> int:
        return int(self.sentence_starts.shape[0] - 1)

    def sentences(self) -> Iterator[np.ndarray]:
        """Each sentence as an int32 array view (no copy)."""
        starts = self.sentence_starts
        for s in range(self.n_sentences):
            yield self.tokens[starts[s] : starts[s + 1]]
