"""What the encoders read: batches of sparse PPMI rows, and (word, context) pairs.

PPMI rows come from the count pipeline (``methods/count``) and stay a SciPy CSR matrix; a batch
becomes the coordinates and values of its rows' non-zero cells only, so nothing |V| x |V| is
ever dense.

Pairs are built from the encoded corpus a chunk of tokens at a time (bounded memory on any
corpus): subsampled as word2vec does, each word paired with the words up to ``window`` after
it in the same sentence (a pair at distance d kept with probability (window - d + 1) / window,
word2vec's dynamic window in expectation), shuffled within the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.corpus.sampling import keep_probability
from embedlab.methods.torch_support.device import torch

#: Tokens turned into pairs at a time: a few tens of MB of pairs at window 5.
CHUNK_TOKENS = 1 << 20


@dataclass
class RowBatch:
    """Rows ``rows`` of the matrix, as the coordinates and values of their non-zeros (row by
    row: ``offsets[i]`` is where row i's cells start), the L2-normalised rows' cells."""

    rows: np.ndarray
    row_index: torch.Tensor
    col_index: torch.Tensor
    values: torch.Tensor
    offsets: torch.Tensor

    @property
    def size(self) -> int:
        return int(self.rows.size)

    def times(self, table):
        """The batch's rows times ``table`` (|V| x k): each row's cells' weighted sum of
        ``table``'s rows. Its gradient for ``table`` is sparse (the rows the batch reads), so
        an optimizer step touches those rows only."""
        return torch.nn.functional.embedding_bag(
            self.col_index,
            table,
            self.offsets,
            mode="sum",
            per_sample_weights=self.values.to(table.dtype),
            sparse=True,
        )


def unit_rows(matrix):
    """``matrix`` (CSR) with every non-empty row scaled to unit length, float32."""
    matrix = matrix.astype(np.float32, copy=True)
    norms = np.sqrt(np.asarray(matrix.power(2).sum(axis=1), dtype=np.float64).ravel())
    scale = 1.0 / np.where(norms > 0, norms, 1.0)
    matrix.data *= np.repeat(scale, np.diff(matrix.indptr)).astype(np.float32)
    return matrix


def row_batch(matrix, rows: np.ndarray, device) -> RowBatch:
    """The rows ``rows`` of CSR ``matrix`` as a ``RowBatch`` on ``device``."""
    part = matrix[rows]
    lengths = np.diff(part.indptr)
    on = lambda array, dtype: torch.from_numpy(array.astype(dtype)).to(device)  # noqa: E731
    return RowBatch(
        rows,
        row_index=on(np.repeat(np.arange(len(rows)), lengths), np.int64),
        col_index=on(part.indices, np.int64),
        values=on(part.data, np.float32),
        offsets=on(part.indptr[:-1], np.int64),
    )


def row_batches(matrix, batch_size: int, rng: np.random.Generator, device):
    """Every row once, in the random order ``rng`` draws, ``batch_size`` rows at a time."""
    order = rng.permutation(matrix.shape[0])
    for first in range(0, order.size, batch_size):
        yield row_batch(matrix, np.sort(order[first : first + batch_size]), device)


@dataclass
class PairBatch:
    """Word ids ``words``, their positives ``contexts`` (both (B,)) and ``tokens``, how many
    corpus tokens the batch brings the epoch's progress to."""

    words: torch.Tensor
    contexts: torch.Tensor
    tokens: int


def pair_batches(corpus, window: int, sample: float, batch_size: int, rng, device):
    """The epoch's (word, context) pairs in shuffled batches (see the module docstring)."""
    keep = keep_probability(corpus.vocab.counts, sample)
    starts = np.asarray(corpus.sentence_starts)
    for first in range(0, corpus.n_tokens, CHUNK_TOKENS):
        last = min(first + CHUNK_TOKENS, corpus.n_tokens)
        words, contexts = chunk_pairs(corpus.tokens, starts, first, last, window, keep, rng)
        order = rng.permutation(words.size)
        words, contexts = words[order], contexts[order]
        for begin in range(0, words.size, batch_size):
            end = min(begin + batch_size, words.size)
            # Progress through the corpus, spread evenly over the chunk's batches.
            tokens = first + (last - first) * end // max(words.size, 1)
            yield PairBatch(
                torch.from_numpy(words[begin:end]).to(device),
                torch.from_numpy(contexts[begin:end]).to(device),
                tokens,
            )


def chunk_pairs(tokens, starts, first, last, window, keep, rng):
    """(word, later word) pairs of tokens ``first:last`` (int64 arrays), same sentence only."""
    ids = np.asarray(tokens[first:last], dtype=np.int64)
    sentence = np.searchsorted(starts, np.arange(first, last), side="right")
    kept = rng.random(ids.size) < keep[ids]
    ids, sentence = ids[kept], sentence[kept]
    words, contexts = [], []
    for d in range(1, window + 1):
        same = sentence[:-d] == sentence[d:]
        chance = rng.random(same.size) < (window - d + 1) / window
        take = same & chance
        words.append(ids[:-d][take])
        contexts.append(ids[d:][take])
    return np.concatenate(words), np.concatenate(contexts)
