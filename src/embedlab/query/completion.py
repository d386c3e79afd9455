"""Words by prefix for a search box: case-insensitive, most frequent first."""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from embedlab.checks import check_int

#: Sorts after every character a word can hold, closing the range of a prefix.
_LAST = "\U0010ffff"


class Completions:
    """The words of a vocabulary sorted once by their case-folded spelling.

    A prefix is then a range found by bisection; within it the rows, which are in frequency
    order, pick the most frequent words. 100,000 words take about 10 MB and a fraction of a
    second to sort.
    """

    def __init__(self, words: list[str]):
        self._words = words
        keys = [w.casefold() for w in words]
        order = np.array(sorted(range(len(words)), key=keys.__getitem__), dtype=np.int64)
        self._keys = [keys[i] for i in order]
        self._rows = order

    def __call__(self, prefix: str, limit: int = 10) -> list[str]:
        """Up to ``limit`` words starting with ``prefix`` (any case), most frequent first."""
        limit = check_int("limit", limit, minimum=1)
        key = str(prefix).casefold()
        start = bisect_left(self._keys, key)
        stop = bisect_left(self._keys, key + _LAST, lo=start)
        rows = self._rows[start:stop]
        if len(rows) > limit:
            rows = np.partition(rows, limit - 1)[:limit]
        return [self._words[i] for i in np.sort(rows)]
