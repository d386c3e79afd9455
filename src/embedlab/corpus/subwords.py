"""Character n-grams as fastText extracts and hashes them.

A word is bracketed as ``<word>`` and cut into every run of ``minn`` to ``maxn`` characters,
in order of start position, then length. Characters are UTF-8 code points: n counts characters
while hashing runs over their bytes. The whole bracketed word is one of the n-grams when it has
at most ``maxn`` characters; a lone ``<`` or ``>`` never is (only possible with ``minn=1``).
The end-of-sentence token ``</s>`` has no n-grams.

Each n-gram goes to bucket ``fnv1a(bytes) % buckets``, and its row in the input matrix is
``nwords + bucket``: rows ``0 .. nwords-1`` are the words, the next ``buckets`` rows the n-grams.
fastText's FNV-1a sign-extends each byte (its bytes are ``char``) before the xor, so bytes of
0x80 and above hash differently from the textbook FNV-1a; the same ids as fastText's need the
same quirk.

``subword_table`` computes every vocabulary word's row list once, as a CSR table, so that the
training kernels read ids instead of hashing strings in the hot loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError

BOW = "<"
EOW = ">"
EOS = "</s>"

#: fastText's defaults when subwords are on.
DEFAULT_MINN = 3
DEFAULT_MAXN = 6
DEFAULT_BUCKETS = 2_000_000

_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619
_INDEX_LIMIT = np.iinfo(np.int32).max
#: Words hashed per vectorised pass: bounds the pass's scratch (about 100 bytes per character).
_CHUNK_WORDS = 50_000


class SubwordTable(NamedTuple):
    """Each vocabulary word's input rows, CSR style.

    Word ``i``'s rows are ``indices[indptr[i]:indptr[i + 1]]``: first ``i`` itself, then
    ``nwords + bucket`` for each of its n-grams in fastText's order (repeats kept, as fastText
    keeps them). ``indptr`` is int64 with ``nwords + 1`` entries; ``indices`` is int32.
    """

    indptr: np.ndarray
    indices: np.ndarray

    def rows(self, i: int) -> np.ndarray:
        """The input rows of word ``i``."""
        return self.indices[self.indptr[i] : self.indptr[i + 1]]


def check_subword_settings(minn, maxn, buckets) -> tuple[int, int, int]:
    """Validate n-gram lengths ``minn`` <= ``maxn`` (characters, at least 1) and ``buckets``
    (at least 1); returns them as ints."""
    minn = check_int("minn", minn, minimum=1)
    maxn = check_int("maxn", maxn, minimum=1)
    buckets = check_int("buckets", buckets, minimum=1, maximum=_INDEX_LIMIT)
    if minn > maxn:
        raise EmbedlabError(
            f"minn ({minn}) must be at most maxn ({maxn}): n-grams are minn-maxn characters long"
        )
    return minn, maxn, buckets


def fnv1a(data: bytes) -> int:
    """fastText's 32-bit FNV-1a of ``data``, sign-extending bytes of 0x80 and above."""
    h = _FNV_OFFSET
    for byte in data:
        h ^= byte | 0xFFFFFF00 if byte >= 0x80 else byte
        h = (h * _FNV_PRIME) & 0xFFFFFFFF
    return h


def ngrams(word: str, minn: int, maxn: int) -> list[str]:
    """The n-grams of ``word`` in fastText's order (by start, then length); none for ``</s>``."""
    if word == EOS:
        return []
    text = BOW + word + EOW
    size = len(text)
    found = []
    for i in range(size):
        for n in range(minn, min(maxn, size - i) + 1):
            if n == 1 and (i == 0 or i + 1 == size):
                continue
            found.append(text[i : i + n])
    return found


def ngram_buckets(word: str, minn: int, maxn: int, buckets: int) -> np.ndarray:
    """The bucket of each n-gram of ``word`` (``ngrams`` order), int64; add ``nwords`` for rows."""
    hashes = [fnv1a(gram.encode("utf-8", "surrogateescape")) for gram in ngrams(word, minn, maxn)]
    return np.array(hashes, dtype=np.int64) % buckets


def subword_table(words: Sequence[str], minn: int, maxn: int, buckets: int) -> SubwordTable:
    """The CSR table of input rows for the vocabulary ``words`` (see ``SubwordTable``).

    Vectorised over all characters at once (in chunks of words), so 60k words take about a
    second whatever ``buckets`` is.
    """
    minn, maxn, buckets = check_subword_settings(minn, maxn, buckets)
    nwords = len(words)
    if nwords + buckets > _INDEX_LIMIT:
        raise EmbedlabError(
            f"{nwords} words + {buckets} buckets exceed the {_INDEX_LIMIT} rows an int32 index "
            "holds: lower buckets"
        )
    counts = np.zeros(nwords, dtype=np.int64)
    ids = []
    for start in range(0, nwords, _CHUNK_WORDS):
        chunk_counts, chunk_ids = _chunk_buckets(
            words[start : start + _CHUNK_WORDS], minn, maxn, buckets
        )
        counts[start : start + len(chunk_counts)] = chunk_counts
        ids.append(chunk_ids)
    buckets_flat = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)

    indptr = np.zeros(nwords + 1, dtype=np.int64)
    np.cumsum(counts + 1, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    indices[indptr[:-1]] = np.arange(nwords, dtype=np.int32)
    # The r-th n-gram overall, of word w, sits after w + 1 word slots (words 0..w each have one).
    owner = np.repeat(np.arange(nwords, dtype=np.int64), counts)
    indices[np.arange(len(buckets_flat), dtype=np.int64) + owner + 1] = buckets_flat + nwords
    return SubwordTable(indptr, indices)


def _chunk_buckets(words: Sequence[str], minn: int, maxn: int, buckets: int):
    """(n-gram count per word, their buckets concatenated in fastText's order) for ``words``.

    Every character start hashes its n-grams of length 1..maxn together: length n extends the
    hash of length n-1 by the bytes of one more character, over all starts at once.
    """
    encoded = [(BOW + w + EOW).encode("utf-8", "surrogateescape") for w in words]
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    word_bytes = np.fromiter((len(e) for e in encoded), dtype=np.int64, count=len(encoded))
    word_byte_end = np.cumsum(word_bytes)

    # A character is a lead byte and the continuation bytes (10xxxxxx) that follow it.
    char_start = np.flatnonzero((data & 0xC0) != 0x80)
    char_len = np.diff(np.append(char_start, len(data)))
    char_word = np.searchsorted(word_byte_end, char_start, side="right")
    word_char_end = np.searchsorted(char_start, word_byte_end)
    word_char_begin = np.concatenate(([0], word_char_end[:-1]))
    end = word_char_end[char_word]
    first = np.arange(len(char_start)) == word_char_begin[char_word]

    signed = data.astype(np.uint32)
    signed[data >= 0x80] |= np.uint32(0xFFFFFF00)
    hashes = np.full(len(char_start), _FNV_OFFSET, dtype=np.uint32)
    starts = np.arange(len(char_start))
    grams = np.zeros((len(char_start), maxn), dtype=np.int64)
    keep = np.zeros((len(char_start), maxn), dtype=bool)
    longest = int(char_len.max()) if len(char_len) else 0
    prime = np.uint32(_FNV_PRIME)
    for n in range(1, maxn + 1):
        last = starts + n - 1
        alive = last < end
        last = np.where(alive, last, 0)
        for offset in range(longest):
            take = alive & (offset < char_len[last])
            byte = signed[np.where(take, char_start[last] + offset, 0)]
            hashes = np.where(take, (hashes ^ byte) * prime, hashes)
        keep[:, n - 1] = alive & (n >= minn)
        if n == 1:
            keep[:, 0] &= ~(first | (starts + 1 == end))
        grams[:, n - 1] = hashes % buckets
    keep[np.array([w == EOS for w in words], dtype=bool)[char_word]] = False
    counts = np.bincount(char_word, weights=keep.sum(axis=1), minlength=len(words)).astype(np.int64)
    return counts, grams[keep]
