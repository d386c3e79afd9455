"""Word-context co-occurrence counts over an encoded corpus, as a SciPy CSR matrix.

Rows are centre words, columns context words, both in the corpus vocabulary's order. The corpus
is counted in chunks of sentences whose pair buffers fit a memory budget: each chunk is
subsampled, its (context, weight) pairs are scattered straight into row order (a counting sort,
so no pair needs its row stored), every row is reduced with a dense accumulator, and the chunk's
CSR matrix is added to the running total. Nothing of size |V|^2 is ever allocated.

Weights are kept as integers while counting (each distance weight scaled by a common
denominator) and divided once at the end, so the result does not depend on how the corpus was
split into chunks or threads: chunked counting gives exactly the one-shot matrix.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
from numba import njit

from embedlab.checks import check_choice, check_float, check_int, parse_memory
from embedlab.corpus.pieces import piece_bounds
from embedlab.corpus.random import seed_state, uniform
from embedlab.corpus.sampling import keep_probability
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.driver import run_parallel

CONTEXTS = ("symmetric", "left", "right")
WEIGHTINGS = ("none", "harmonic", "dynamic")
#: Tokens per subsampling block: each block draws from its own generator stream, which is what
#: makes subsampling independent of chunk and thread boundaries.
BLOCK_TOKENS = 10_000
#: lcm(1..22) is the largest common denominator of 1/d that fits the uint32 pair weights.
HARMONIC_MAX_WINDOW = 22
#: Resident memory of the interpreter, NumPy, SciPy and the Numba runtime, kept out of the budget.
BASELINE_BYTES = 256 << 20
#: Bytes per buffered pair (int32 context + uint32 weight) plus its share of the reduced chunk
#: (int32 index + int64 sum) and the merge that follows: the budget divided by this and by 2
#: sizes a chunk, leaving the other half for the growing total.
_BYTES_PER_PAIR = 40


def check_window(window: int, weighting: str) -> None:
    """Harmonic weights are integers over lcm(1..window), which must fit a uint32."""
    if weighting == "harmonic" and window > HARMONIC_MAX_WINDOW:
        raise EmbedlabError(
            f"{setting('window', window)} is too wide for harmonic weighting (at most "
            f"{HARMONIC_MAX_WINDOW}): use a smaller {setting('window')}"
        )


def distance_weights(window: int, weighting: str) -> tuple[np.ndarray, int]:
    """Integer weights by distance ``d`` (index 0 unused) and the denominator they are over.

    - "none": every context counts 1.
    - "harmonic": 1/d, GloVe's weighting.
    - "dynamic": (window - d + 1) / window, the expected weight of a context at distance ``d``
      under word2vec's dynamic window (hyperwords' ``--dyn``). We take this deterministic
      expectation rather than sampling a window per word: same mean, no sampling noise.
    """
    d = np.arange(window + 1, dtype=np.int64)
    if weighting == "none":
        scale = 1
        weights = np.ones(window + 1, dtype=np.int64)
    elif weighting == "harmonic":
        scale = math.lcm(*range(1, window + 1))
        weights = scale // np.maximum(d, 1)
    else:
        scale = window
        weights = window - d + 1
    weights[0] = 0
    return weights.astype(np.uint32), scale


def cooccurrence_matrix(corpus, **params) -> sp.csr_matrix:
    """Count how often (and how near) each context word occurs around each word.

    Takes the arguments of ``cooccurrence_counts``; returns the float64 CSR matrix, |V| x |V|,
    canonical (sorted indices, no duplicates, no zeros), each weight divided out.
    """
    return scaled_counts(*cooccurrence_counts(corpus, **params))


def cooccurrence_counts(
    corpus,
    *,
    window: int = 5,
    context: str = "symmetric",
    weighting: str = "none",
    sample: float = 0.0,
    seed: int = 1,
    memory="4G",
    threads: int = 1,
    progress=None,
    max_pairs: int | None = None,
    block_tokens: int = BLOCK_TOKENS,
    first_stream: int = 0,
) -> tuple[sp.csr_matrix, int]:
    """The co-occurrence weights as integers: ``(counts, scale)``, each weight ``scale`` times
    the distance weight, so that parts of a corpus counted apart add up exactly (the cluster
    sums its shards' counts before ``scaled_counts`` divides once).

    Args:
        corpus: an ``EncodedCorpus``.
        window: the largest distance counted, in words (after subsampling), default 5.
        context: "symmetric" (both sides, default), "left" (words before) or "right" (after).
        weighting: "none" (default), "harmonic" (1/d) or "dynamic" (see ``distance_weights``).
        sample: word2vec's subsampling threshold (0, the default, keeps every word); subsampled
            words are removed before windows are taken, as in word2vec and hyperwords.
        seed: seeds the subsampling draws.
        memory: peak memory budget, bytes or a size like "4G" (default), which sizes the chunks.
        threads: threads counting (default 1); the result does not depend on it.
        progress: an object with ``update(done)``, told the tokens counted after each chunk.
        max_pairs: pairs per chunk, overriding what ``memory`` allows (for tests).
        block_tokens: tokens per subsampling stream (changing it changes which words are kept).
        first_stream: the generator stream of the first block (the cluster gives each shard
            its own streams; irrelevant when ``sample`` is 0).

    Returns:
        int64 CSR matrix, |V| x |V|, canonical, and the scale its weights are over.
    """
    window = check_int("window", window, minimum=1)
    context = check_choice("context", context, CONTEXTS)
    weighting = check_choice("weighting", weighting, WEIGHTINGS)
    check_window(window, weighting)
    sample = check_float("sample", sample, minimum=0.0)
    seed = check_int("seed", seed, minimum=0)
    threads = check_int("threads", threads, minimum=1)
    usable = parse_memory(memory) - BASELINE_BYTES
    if max_pairs is None:
        max_pairs = usable // (2 * _BYTES_PER_PAIR)
    max_pairs = check_int("max_pairs", max_pairs, minimum=1)
    block_tokens = check_int("block_tokens", block_tokens, minimum=1)
    first_stream = check_int("first_stream", first_stream, minimum=0)

    n_words = len(corpus.vocab)
    tokens = np.asarray(corpus.tokens)
    weights, scale = distance_weights(window, weighting)
    if n_words == 0 or tokens.shape[0] == 0:
        return sp.csr_matrix((n_words, n_words), dtype=np.int64), scale
    counter = _Counter(
        tokens=tokens,
        bounds=piece_bounds(corpus.sentence_starts),
        keep=keep_probability(corpus.vocab.counts, sample),
        n_words=n_words,
        window=window,
        left=context != "right",
        right=context != "left",
        weights=weights,
        threads=threads,
    )
    blocks = _block_bounds(counter.bounds, block_tokens)
    states = np.vstack([seed_state(seed, first_stream + b) for b in range(len(blocks) - 1)])
    pairs_per_token = window * (int(counter.left) + int(counter.right))
    total = None
    for first, last in _chunks(counter.bounds, blocks, pairs_per_token, max_pairs):
        chunk = counter.count(blocks, first, last, states)
        total = chunk if total is None else total + chunk
        del chunk
        _check_budget(total, max_pairs, usable, memory)
        if progress is not None:
            progress.update(int(counter.bounds[blocks[last]]))
    return total, scale


def counting_bytes(n_tokens: int, n_words: int, window: int, context: str, memory) -> int:
    """Peak memory of ``cooccurrence_matrix``: the budget ``memory`` (less the baseline), or
    less when the corpus cannot fill it: its pair buffers and twice the largest total matrix
    (at most one cell per pair, at most |V|^2 cells)."""
    pairs = n_tokens * window * (2 if context == "symmetric" else 1)
    cells = min(pairs, n_words * n_words)
    return min(parse_memory(memory) - BASELINE_BYTES, pairs * _BYTES_PER_PAIR + 2 * 12 * cells)


def _check_budget(total, max_pairs: int, usable: int, memory) -> None:
    # The next merge holds the total twice plus one reduced chunk.
    held = total.data.nbytes + total.indices.nbytes + total.indptr.nbytes
    if 2 * held + 12 * max_pairs > usable:
        raise EmbedlabError(
            f"the co-occurrence matrix outgrew {setting('memory', memory)}: raise "
            f"{setting('memory')}, raise {setting('min_count')} or use a smaller "
            f"{setting('window')}"
        )


def scaled_counts(total: sp.csr_matrix, scale: int) -> sp.csr_matrix:
    """``cooccurrence_counts``'s integer matrix as float64 weights (CSR, canonical)."""
    n_rows, n_cols = total.shape
    data = total.data.astype(np.float64)
    if scale != 1:
        data /= scale
    index_type = np.int32 if total.nnz < np.iinfo(np.int32).max else np.int64
    matrix = sp.csr_matrix(
        (data, total.indices.astype(index_type, copy=False), total.indptr.astype(index_type)),
        shape=(n_rows, n_cols),
    )
    matrix.has_canonical_format = True
    return matrix


class _Counter:
    """The per-chunk pipeline: subsample, count per row, scatter, reduce."""

    def __init__(self, *, tokens, bounds, keep, n_words, window, left, right, weights, threads):
        self.tokens = tokens
        self.bounds = bounds
        self.keep = keep
        self.n_words = n_words
        self.window = window
        self.left = left
        self.right = right
        self.weights = weights
        self.threads = threads
        self.lengths = np.zeros(len(bounds) - 1, dtype=np.int64)

    def _run(self, fn, ranges) -> None:
        # fn(i, a, b) writes the i-th range's own slot (per_thread[i], offsets[i]), whichever
        # thread runs it.
        def work(t, job, stats):
            fn(job[0], *job[1])

        run_parallel(list(enumerate(ranges)), work, threads=len(ranges))

    def count(self, blocks, first, last, states) -> sp.csr_matrix:
        """The reduced matrix of blocks ``[first, last)``: int64 sums of scaled weights."""
        bounds = self.bounds
        origin = int(bounds[blocks[first]])
        kept = np.empty(int(bounds[blocks[last]]) - origin, dtype=np.int32)
        block_ranges = _split(bounds[blocks], first, last, self.threads)
        piece_ranges = [(int(blocks[a]), int(blocks[b])) for a, b in block_ranges]

        def subsample(t, a, b):
            _subsample_blocks(
                self.tokens, bounds, blocks, a, b, self.keep, states, origin, kept, self.lengths
            )

        self._run(subsample, block_ranges)
        per_thread = np.zeros((len(piece_ranges), self.n_words), dtype=np.int64)
        geometry = (bounds, self.lengths, origin, self.window, self.left, self.right)

        def count_rows(t, a, b):
            _count_rows(kept, *geometry, a, b, per_thread[t])

        self._run(count_rows, piece_ranges)
        row_pairs = per_thread.sum(axis=0)
        indptr = np.zeros(self.n_words + 1, dtype=np.int64)
        np.cumsum(row_pairs, out=indptr[1:])
        # Thread t writes each row's pairs after those of threads before it: corpus order.
        offsets = indptr[:-1] + np.cumsum(per_thread, axis=0) - per_thread
        cols = np.empty(int(indptr[-1]), dtype=np.int32)
        vals = np.empty(int(indptr[-1]), dtype=np.uint32)

        def scatter(t, a, b):
            _scatter(kept, *geometry, a, b, self.weights, offsets[t], cols, vals)

        self._run(scatter, piece_ranges)
        return self._reduce(indptr, cols, vals)

    def _reduce(self, indptr, cols, vals) -> sp.csr_matrix:
        n = self.n_words
        row_ranges = _split(indptr, 0, n, self.threads)
        unique = np.zeros(n, dtype=np.int64)

        def count_unique(t, a, b):
            _unique_per_row(indptr, cols, a, b, np.full(n, -1, dtype=np.int64), unique)

        self._run(count_unique, row_ranges)
        out_ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(unique, out=out_ptr[1:])
        out_idx = np.empty(int(out_ptr[-1]), dtype=np.int32)
        out_val = np.empty(int(out_ptr[-1]), dtype=np.int64)

        def sum_rows(t, a, b):
            scratch = (np.zeros(n, dtype=np.int64), np.empty(n, dtype=np.int32))
            _sum_rows(indptr, cols, vals, a, b, *scratch, out_ptr, out_idx, out_val)

        self._run(sum_rows, row_ranges)
        matrix = sp.csr_matrix((out_val, out_idx, out_ptr), shape=(n, n))
        matrix.has_canonical_format = True
        return matrix


def _split(cumulative, lo: int, hi: int, parts: int) -> list[tuple[int, int]]:
    """Cut ``[lo, hi)`` into at most ``parts`` non-empty ranges of about equal weight, the
    weight of item ``i`` being ``cumulative[i + 1] - cumulative[i]``."""
    cumulative = np.asarray(cumulative)
    targets = np.linspace(cumulative[lo], cumulative[hi], parts + 1)[1:-1]
    cuts = np.searchsorted(cumulative[lo : hi + 1], targets, side="left") + lo
    edges = np.unique(np.concatenate([[lo], np.clip(cuts, lo, hi), [hi]]))
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _block_bounds(bounds: np.ndarray, block_tokens: int) -> np.ndarray:
    """Piece indices where blocks start, plus the final piece count."""
    n_pieces = len(bounds) - 1
    marks = np.searchsorted(bounds, np.arange(0, bounds[-1], block_tokens), side="left")
    return np.unique(np.concatenate([[0], np.minimum(marks, n_pieces), [n_pieces]]))


def _chunks(bounds, blocks, pairs_per_token: int, max_pairs: int):
    """Consecutive block ranges whose pairs fit ``max_pairs`` (a block always goes somewhere)."""
    cumulative = bounds[blocks].astype(np.int64) * pairs_per_token
    first, n_blocks = 0, len(blocks) - 1
    while first < n_blocks:
        limit = cumulative[first] + max_pairs
        last = int(np.searchsorted(cumulative, limit, side="right")) - 1
        last = min(max(last, first + 1), n_blocks)
        yield first, last
        first = last


@njit(cache=True, nogil=True)
def _subsample_blocks(tokens, bounds, blocks, first, last, keep, states, origin, kept, lengths):
    # A kept piece is written where the piece starts, so pieces need no second offset table.
    for b in range(first, last):
        state = states[b]
        for p in range(blocks[b], blocks[b + 1]):
            out = bounds[p] - origin
            n = 0
            for i in range(bounds[p], bounds[p + 1]):
                w = tokens[i]
                if keep[w] < 1.0 and keep[w] < uniform(state):
                    continue
                kept[out + n] = w
                n += 1
            lengths[p] = n


@njit(cache=True, nogil=True)
def _count_rows(kept, bounds, lengths, origin, window, left, right, first, last, counts):
    for p in range(first, last):
        start = bounds[p] - origin
        n = lengths[p]
        for i in range(n):
            m = 0
            if left:
                m += min(i, window)
            if right:
                m += min(n - 1 - i, window)
            counts[kept[start + i]] += m


@njit(cache=True, nogil=True)
def _scatter(kept, bounds, lengths, origin, window, left, right, first, last, weights, offsets,
             cols, vals):  # fmt: skip
    for p in range(first, last):
        start = bounds[p] - origin
        n = lengths[p]
        for i in range(n):
            w = kept[start + i]
            pos = offsets[w]
            if left:
                for d in range(1, min(i, window) + 1):
                    cols[pos] = kept[start + i - d]
                    vals[pos] = weights[d]
                    pos += 1
            if right:
                for d in range(1, min(n - 1 - i, window) + 1):
                    cols[pos] = kept[start + i + d]
                    vals[pos] = weights[d]
                    pos += 1
            offsets[w] = pos


@njit(cache=True, nogil=True)
def _unique_per_row(indptr, cols, first, last, mark, unique):
    for r in range(first, last):
        u = 0
        for k in range(indptr[r], indptr[r + 1]):
            c = cols[k]
            if mark[c] != r:
                mark[c] = r
                u += 1
        unique[r] = u


@njit(cache=True, nogil=True)
def _sum_rows(indptr, cols, vals, first, last, acc, touched, out_ptr, out_idx, out_val):
    # Every weight is at least 1, so a zero accumulator means "not seen in this row yet".
    for r in range(first, last):
        u = 0
        for k in range(indptr[r], indptr[r + 1]):
            c = cols[k]
            if acc[c] == 0:
                touched[u] = c
                u += 1
            acc[c] += vals[k]
        seen = np.sort(touched[:u])
        base = out_ptr[r]
        for q in range(u):
            c = seen[q]
            out_idx[base + q] = c
            out_val[base + q] = acc[c]
            acc[c] = 0
