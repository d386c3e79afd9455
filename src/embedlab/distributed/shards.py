"""A corpus shard as it lives on a worker.

Stand-in for part 1's ``shards.py`` (issue 13), with the agreed fields only: at the merge their
module, which also encodes the shards, replaces this one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Shard:
    """One shard of an encoded corpus, laid out as ``EncodedCorpus``.

    Attributes:
        index: the shard's place in the corpus, from 0.
        tokens: int32 word ids of the shard's in-vocabulary tokens.
        sentence_starts: int64 offsets of its sentences in ``tokens``, then ``len(tokens)``.
        raw_tokens: tokens read, out-of-vocabulary ones included.
    """

    index: int
    tokens: np.ndarray
    sentence_starts: np.ndarray
    raw_tokens: int
