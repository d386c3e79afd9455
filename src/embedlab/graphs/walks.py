"""Random walks written straight into an ``EncodedCorpus``: DeepWalk's and node2vec's.

The walks are cut into blocks of ``BLOCK_WALKS``; each block draws from its own generator
seeded by (seed, epoch, block) and writes its own slice of one int32 array, so Python threads run
the ``nogil`` kernel on blocks in any order and the walks are the same for any thread count.
``FreshWalks`` walks the graph anew for every training epoch, holding one epoch's walks at a time.

node2vec's second-order step is sampled on the fly by rejection, with no per-edge tables: a
candidate ``x`` is drawn from the current node's first-order distribution (proportional to the
edge weight) and kept with probability ``alpha(t, x) / max(alpha)``, where ``t`` is the previous
node and ``alpha`` is ``1/p`` for ``x == t``, 1 when ``x`` is a neighbour of ``t`` (a binary
search in ``t``'s sorted neighbours) and ``1/q`` otherwise. The kept ``x`` then has exactly
node2vec's probability ``w(cur, x) * alpha(t, x) / Z``; memory is the graph itself plus the
walks, where the reference implementation's alias tables hold O(sum of deg^2) entries.
"""

from __future__ import annotations

import threading

import numpy as np
from numba import njit

from embedlab.corpus.random import randint, seed_state, uniform
from embedlab.errors import EmbedlabError, setting
from embedlab.graphs.graph import Graph
from embedlab.limits import NODE2VEC_DRAWS
from embedlab.resources import check_memory

#: Walks per block of work (one generator each): a few hundred kB of tokens per block.
BLOCK_WALKS = 512


@njit(cache=True, nogil=True)
def _first_order(indptr, indices, cumulative, weighted, node, state):
    """A neighbour of ``node`` drawn proportionally to the edge weight (uniformly without)."""
    lo = indptr[node]
    hi = indptr[node + 1]
    if not weighted:
        return indices[lo + randint(state, hi - lo)]
    base = cumulative[lo - 1] if lo > 0 else 0.0
    target = base + uniform(state) * (cumulative[hi - 1] - base)
    # the first edge whose running total passes the target
    while lo < hi - 1:
        mid = (lo + hi - 1) // 2
        if cumulative[mid] > target:
            hi = mid + 1
        else:
            lo = mid + 1
    return indices[lo]


@njit(cache=True, nogil=True)
def _linked(indptr, indices, t, x):
    """Whether ``x`` is a neighbour of ``t`` (binary search in ``t``'s sorted row)."""
    lo = indptr[t]
    hi = indptr[t + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if indices[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo < indptr[t + 1] and indices[lo] == x


@njit(cache=True, nogil=True)
def _second_order(indptr, indices, cumulative, weighted, prev, cur, biases, state):
    """node2vec's next node after ``prev -> cur``; ``biases`` = (1/p, 1/q, max of 1/p, 1, 1/q)."""
    while True:
        x = _first_order(indptr, indices, cumulative, weighted, cur, state)
        if x == prev:
            bias = biases[0]
        elif _linked(indptr, indices, prev, x):
            bias = 1.0
        else:
            bias = biases[1]
        if uniform(state) * biases[2] < bias:
            return x


@njit(cache=True, nogil=True)
def walk_block(
    indptr,
    indices,
    cumulative,
    weighted,
    starts,
    first,
    stop,
    length,
    biases,
    second_order,
    state,
    tokens,
    lengths,
):
    """Walks ``first..stop-1`` from ``starts``, walk ``w`` into ``tokens[w*length:]``.

    A walk ends early at a node without out-edges (directed graphs); ``lengths[w]`` says
    how long it is.
    """
    for w in range(first, stop):
        out = w * length
        cur = starts[w]
        tokens[out] = cur
        prev = -1
        steps = 1
        while steps < length and indptr[cur + 1] > indptr[cur]:
            if second_order and prev >= 0:
                nxt = _second_order(indptr, indices, cumulative, weighted, prev, cur, biases, state)
            else:
                nxt = _first_order(indptr, indices, cumulative, weighted, cur, state)
            tokens[out + steps] = nxt
            prev = cur
            cur = nxt
            steps += 1
        lengths[w] = steps


@njit(cache=True, nogil=True)
def _compact(tokens, lengths, length):
    """Close the gaps short walks leave; returns the number of tokens kept."""
    filled = 0
    for w in range(lengths.shape[0]):
        source = w * length
        for i in range(lengths[w]):
            tokens[filled + i] = tokens[source + i]
        filled += lengths[w]
    return filled


@njit(cache=True, nogil=True)
def _renumber(tokens, remap):
    for i in range(tokens.shape[0]):
        tokens[i] = remap[tokens[i]]


def generate_walks(
    graph: Graph,
    *,
    walk_length: int = 80,
    walks_per_node: int = 10,
    p: float = 1.0,
    q: float = 1.0,
    threads: int = 1,
    seed: int = 1,
    epoch: int = 0,
):
    """Every node's ``walks_per_node`` walks as ``(tokens, sentence_starts)`` of node ids.

    Round ``r`` walks from every node once, in an order shuffled by (seed, epoch, r), so the
    learning rate's decay does not follow node order. ``p = q = 1`` is DeepWalk's uniform
    walk; anything else is node2vec's second-order walk. ``epoch`` (0-based) picks other walks
    from the same seed, for fresh walks each epoch; epoch 0's are the walks of a run without.
    """
    check_walk_settings(walk_length, walks_per_node, p, q)
    n = graph.n_nodes
    n_walks = n * walks_per_node
    walks = {"walks": n_walks * walk_length * 4, "walk starts and lengths": n_walks * 20}
    check_memory("the random walks", walks, "lower walks_per_node or walk_length")
    rng = np.random.default_rng([seed, epoch] if epoch else seed)
    starts = np.concatenate([rng.permutation(n) for _ in range(walks_per_node)]).astype(np.int32)
    tokens = np.empty(n_walks * walk_length, dtype=np.int32)
    lengths = np.empty(n_walks, dtype=np.int64)
    weighted = graph.weights is not None
    cumulative = np.cumsum(graph.weights) if weighted else np.zeros(1, dtype=np.float64)
    biases = np.array([1.0 / p, 1.0 / q, max(1.0 / p, 1.0, 1.0 / q)], dtype=np.float64)
    second_order = not (p == 1.0 and q == 1.0)
    blocks = range(0, n_walks, BLOCK_WALKS)

    def run(block: int) -> None:
        first = blocks[block]
        walk_block(
            graph.indptr,
            graph.indices,
            cumulative,
            weighted,
            starts,
            first,
            min(first + BLOCK_WALKS, n_walks),
            walk_length,
            biases,
            second_order,
            seed_state(seed, (epoch << 32) | block),
            tokens,
            lengths,
        )

    _run_blocks(run, len(blocks), threads)
    total = int(lengths.sum())
    if total < tokens.shape[0]:
        tokens = tokens[: _compact(tokens, lengths, walk_length)].copy()
    sentence_starts = np.zeros(n_walks + 1, dtype=np.int64)
    np.cumsum(lengths, out=sentence_starts[1:])
    return tokens, sentence_starts


def _run_blocks(run, n_blocks: int, threads: int) -> None:
    """``run(block)`` for every block, on ``threads`` threads; the first error is raised."""
    claimed = iter(range(n_blocks))
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        while not errors:
            with lock:
                block = next(claimed, None)
            if block is None:
                return
            try:
                run(block)
            except BaseException as err:  # handed to the main thread below
                errors.append(err)

    workers = [threading.Thread(target=worker) for _ in range(min(threads, n_blocks))]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    if errors:
        raise errors[0]


def check_walk_settings(walk_length, walks_per_node, p, q) -> None:
    from embedlab.checks import check_int

    check_int("walk_length", walk_length, minimum=2)
    check_int("walks_per_node", walks_per_node, minimum=1)
    check_walk_bias(p, q)


def check_walk_bias(p, q) -> None:
    """node2vec's ``p`` and ``q``: positive, and not so far apart that a step takes more than
    ``limits.NODE2VEC_DRAWS`` draws."""
    from embedlab.checks import check_float

    check_float(setting("p"), p, minimum=0.0, exclusive_minimum=True)
    check_float(setting("q"), q, minimum=0.0, exclusive_minimum=True)
    # A step draws candidates until one is kept, max/min of the biases (1/p, 1, 1/q) draws at
    # worst on average: p or q far from 1 (and from each other) make every step that slow.
    biases = (1.0 / p, 1.0, 1.0 / q)
    NODE2VEC_DRAWS.check(
        max(biases) / min(biases),
        f"{setting('p', p)} and {setting('q', q)} make a walk step draw up to",
        "keep 1/p, 1 and 1/q within a factor of 1,000 of each other",
    )


def walk_corpus(graph: Graph, **settings):
    """The walks of ``generate_walks(graph, **settings)`` as an ``EncodedCorpus``.

    Its vocabulary is the node names, most visited first (ties in node order), with their visit
    counts, so the word2vec estimators train on it as on text.
    """
    return _first_walks(graph, settings)[0]


def _first_walks(graph: Graph, settings: dict):
    """``walk_corpus``'s corpus and the node id -> word id renumbering that made it."""
    from embedlab.corpus.vocabulary import Vocabulary

    tokens, sentence_starts = generate_walks(graph, **settings)
    counts = np.bincount(tokens, minlength=graph.n_nodes)
    order = np.argsort(-counts, kind="stable")
    remap = np.empty(graph.n_nodes, dtype=np.int32)
    remap[order] = np.arange(graph.n_nodes, dtype=np.int32)
    if tokens.size == 0:
        raise EmbedlabError("the walks are empty: give a graph with edges")
    vocab = Vocabulary([graph.nodes[i] for i in order], counts[order])
    return _encoded(vocab, remap, tokens, sentence_starts), remap


def _encoded(vocab, remap, tokens, sentence_starts):
    from embedlab.corpus.encoded import EncodedCorpus

    _renumber(tokens, remap)
    return EncodedCorpus(vocab, tokens, sentence_starts, int(tokens.shape[0]))


class FreshWalks:
    """New walks for every training epoch over one vocabulary: what ``--fresh-walks`` trains on.

    The word2vec trainer calls ``for_epoch(epoch)`` at the start of each epoch (the
    ``EpochCorpora`` protocol in ``methods/word2vec/trainer.py``). The vocabulary, its counts
    (which set the noise distribution and subsampling) and ``n_tokens`` (the words per epoch the
    learning-rate schedule counts) are epoch 0's walks', which are those of ``walk_corpus``
    with the same settings. Epoch ``e`` walks from streams of (seed, e). One epoch's walks are
    held at a time: epoch 0's until the trainer takes them, then each epoch's while it trains.
    """

    def __init__(self, graph: Graph, **settings):
        self._graph, self._settings = graph, settings
        self._first, self._remap = _first_walks(graph, settings)
        self.vocab, self.n_tokens = self._first.vocab, self._first.n_tokens

    def for_epoch(self, epoch: int):
        """Epoch ``epoch``'s walks (0-based) as an ``EncodedCorpus`` over ``vocab``."""
        first, self._first = self._first, None  # handed over once, or dropped on resuming
        if epoch == 0 and first is not None:
            return first
        del first  # before the next epoch's walks are made, not after
        tokens, starts = generate_walks(self._graph, epoch=epoch, **self._settings)
        return _encoded(self.vocab, self._remap, tokens, starts)
