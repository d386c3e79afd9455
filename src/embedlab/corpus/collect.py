"""Turning token lists into an int32 id stream in one tokenizing pass.

Tokenizing is the slow, pure-Python part of encoding, so it is done once: each token gets a
provisional id in first-occurrence order (a dict hit, in C), the ids are spooled to a temporary
file in fixed-size blocks, and only the distinct words stay in memory. Counting (``np.bincount``)
and renumbering into vocabulary ids then stream over that compact int32 file, never over the text.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Callable, Iterable

import numpy as np

from embedlab.corpus.vocabulary import Vocabulary, frequent_rows

#: Ids held in memory before a block is written to the spool file, and ids per block read back.
BLOCK = 1 << 20


class _FirstSeenIds(dict):
    """token -> provisional id; an unseen token gets the next id when it is first looked up."""

    def __missing__(self, token):
        new = self[token] = len(self)
        return new


class SpoolError(Exception):
    """The spool file could not be created or written (``folder`` read-only or full);
    ``args[0]`` is the OSError, ``strerror`` its reason."""

    @property
    def strerror(self) -> str:
        cause = self.args[0]
        return cause.strerror or str(cause)


class IdCollector:
    """Collects sentences as provisional ids; ``finish`` gives the vocabulary and final stream.

    ``folder`` is where the temporary spool file lives (None: the system temporary folder).
    Use as a context manager so the spool file is removed. SpoolError when the folder does not
    take the spool.
    """

    def __init__(self, folder=None):
        self._ids = _FirstSeenIds()
        self._lookup = self._ids.__getitem__
        self._pending = array("i")
        self._lengths = array("I")  # tokens per non-empty sentence
        self._open = 0  # tokens so far of a sentence that has more pieces to come
        try:
            self._spool = tempfile.TemporaryFile(dir=folder)
        except OSError as err:
            raise SpoolError(err) from None
        self.raw_tokens = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._spool.close()

    def add(self, tokens: Iterable, ends: bool = True) -> None:
        """Append tokens to the current sentence; ``ends=False`` keeps it open for the next
        piece of the same line. An empty sentence is skipped."""
        before = len(self._pending)
        self._pending.extend(map(self._lookup, tokens))
        added = len(self._pending) - before
        self._open += added
        self.raw_tokens += added
        if ends and self._open:
            self._lengths.append(self._open)
            self._open = 0
        if len(self._pending) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        try:
            self._spool.write(self._pending.tobytes())
            self._spool.flush()  # a full disk shows here, not at a later seek
        except OSError as err:
            raise SpoolError(err) from None
        del self._pending[:]

    def first_seen_counts(self) -> tuple[list, np.ndarray]:
        """Every distinct token in first-occurrence order (its provisional id) and its count."""
        self._flush()
        counts = np.zeros(len(self._ids), dtype=np.int64)
        for block in self._blocks():
            counts += np.bincount(block, minlength=counts.size)
        return list(self._ids), counts

    def vocabulary(self, min_count: int, max_vocab: int | None) -> tuple[Vocabulary, np.ndarray]:
        """The vocabulary and ``remap`` (provisional id -> vocabulary id, -1 if dropped)."""
        words, counts = self.first_seen_counts()
        keep = frequent_rows(counts, min_count, max_vocab)
        remap = np.full(counts.size, -1, dtype=np.int32)
        remap[keep] = np.arange(keep.size, dtype=np.int32)
        return Vocabulary([words[i] for i in keep], counts[keep]), remap

    def write_tokens(self, remap: np.ndarray, write: Callable[[np.ndarray], None]) -> np.ndarray:
        """Pass the kept ids to ``write`` block by block; return the sentence starts.

        Starts are int64 offsets into the written stream with a final sentinel; sentences left
        empty by the vocabulary filter are dropped.
        """
        raw_starts = np.zeros(len(self._lengths) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(self._lengths, dtype=np.uint32), out=raw_starts[1:])
        starts = np.empty_like(raw_starts)
        position = kept = 0
        for block in self._blocks():
            ids = remap[block]
            keep = ids >= 0
            kept_before = np.zeros(block.size + 1, dtype=np.int64)
            np.cumsum(keep, out=kept_before[1:])
            first, last = np.searchsorted(raw_starts, [position, position + block.size])
            starts[first:last] = kept + kept_before[raw_starts[first:last] - position]
            write(ids[keep])
            position += block.size
            kept += int(kept_before[-1])
        starts[-1] = kept
        return np.unique(starts)  # starts never decrease; repeats are emptied sentences

    def _blocks(self):
        self._spool.seek(0)
        while True:
            data = self._spool.read(BLOCK * 4)
            if not data:
                return
            yield np.frombuffer(data, dtype=np.int32)
