"""The count methods on a cluster: co-occurrence per shard, PPMI per row block, SVD over dask.

Counting: each shard is counted where it lives by ``cooccurrence_counts``, the single-machine
counter, in integers (weights times their common denominator), and cut into row blocks; each
block's shard matrices are summed pairwise in a tree. Integer sums do not depend on the order
they are added in, so the blocks are exactly the single-machine counts, and dividing by the
denominator once at the end gives the same floats.

PPMI is computed per row block on the worker that holds it: a row's PMI needs only its own row
sum and the column sums of the whole matrix, a |V| vector summed from the blocks' and sent to
each. The truncated SVD is the single-machine solver, run on the worker with the most free
memory, when the PPMI matrix and the solver's panels fit there; otherwise
``dask.array.linalg.svd_compressed`` over the PPMI row blocks (a dask array of sparse chunks),
with a QR step between power iterations and twice the single-machine solver's iterations and
oversampling, so that it lands at least as close to the exact subspace as that solver does.
GloVe's counting is the same; its training needs every cell in one shared-memory model, so it
runs on this machine once the counts arrive.
"""

from __future__ import annotations

import operator
import time
import uuid

import numpy as np
import scipy.sparse as sp

from embedlab.corpus.pieces import refuse_window_work, window_pairs
from embedlab.distributed.shards import ShardedCorpus
from embedlab.distributed.tasks import on_shard, task_key, tree, wait_all
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.count.association import context_counts, ppmi
from embedlab.methods.count.cooccurrence import (
    cooccurrence_counts,
    distance_weights,
    scaled_counts,
)
from embedlab.methods.count.svd import (
    OVERSAMPLES,
    POWER_ITERATIONS,
    check_rank,
    fix_signs,
    svd_bytes,
    truncated_svd,
    weighted_factors,
)
from embedlab.progress import Progress

#: The cluster's randomized SVD, for a PPMI matrix no worker can hold: twice the single-machine
#: solver's power iterations and extra directions, each iteration re-orthonormalised (dask's
#: default multiplies by the matrix 2q + 1 times in a row, and in float32 the trailing
#: directions drown under the leading ones). Measured (docs/distributed.md): it then lands
#: closer to the exact singular subspace than the single-machine solver, angle by angle.
CLUSTER_POWER_ITERATIONS = 2 * POWER_ITERATIONS
CLUSTER_OVERSAMPLES = 2 * OVERSAMPLES

#: Subsampling streams per shard: no shard has 2^32 blocks of 10,000 tokens, so the shards'
#: streams never overlap.
STREAMS_PER_SHARD = 1 << 32


def count_blocks(corpus: ShardedCorpus, settings: dict, *, min_rows: int = 1, quiet=False):
    """The co-occurrence counts of ``corpus`` as row blocks on the workers.

    ``settings`` are ``cooccurrence_counts``'s (window, context, weighting, sample, seed,
    memory). Returns ``(blocks, edges, scale, seconds)``: futures of int64 CSR blocks, block
    ``b`` holding rows ``edges[b]:edges[b + 1]``, all |V| columns; the common denominator.
    There is one block per worker, fewer so that each has at least ``min_rows`` rows.
    """
    client, vocab, run = corpus.client, corpus.vocab, uuid.uuid4().hex[:8]
    workers = len(client.scheduler_info()["workers"])
    edges = row_edges(vocab.counts, max(1, min(workers, len(vocab) // max(1, min_rows))))
    started = time.perf_counter()
    counted = [
        client.submit(
            on_shard,
            str(i),
            _count_shard,
            shard,
            corpus.vocab_future,
            settings | {"first_stream": i * STREAMS_PER_SHARD},
            edges,
            key=task_key("count", i, run),
        )
        for i, shard in enumerate(corpus.shards)
    ]
    tokens = {f.key: n for f, (n, _) in zip(counted, corpus.sizes, strict=True)}
    with Progress(corpus.n_tokens, description="counting", quiet=quiet) as bar:
        wait_all(counted, lambda done: tokens[done.key], bar)
    _, scale = distance_weights(settings["window"], settings["weighting"])
    blocks = []
    for b in range(len(edges) - 1):
        parts = [
            client.submit(_block, f, b, key=task_key(f"block-{b}", i, run))
            for i, f in enumerate(counted)
        ]
        blocks.append(tree(client, operator.add, parts, f"sum-{b}", run))
    wait_all(blocks)
    return blocks, edges, scale, time.perf_counter() - started


def row_edges(counts: np.ndarray, parts: int) -> np.ndarray:
    """Row boundaries cutting |V| rows into ``parts`` blocks of about equal corpus count, a
    row's stored cells growing with its word's count (frequent rows first)."""
    cumulative = np.concatenate([[0], np.cumsum(counts, dtype=np.float64)])
    targets = np.linspace(0.0, cumulative[-1], parts + 1)[1:-1]
    cuts = np.searchsorted(cumulative, targets, side="left")
    return np.unique(np.concatenate([[0], cuts, [counts.size]])).astype(np.int64)


def _count_shard(shard, vocab, settings: dict, edges: np.ndarray):
    from embedlab.corpus.encoded import EncodedCorpus

    encoded = EncodedCorpus(vocab, shard.tokens, shard.sentence_starts, shard.raw_tokens)
    counts, _ = cooccurrence_counts(encoded, threads=1, **settings)  # the scale: count_blocks'
    return [counts[a:b] for a, b in zip(edges[:-1], edges[1:], strict=True)]


def _block(counted, b: int):
    return counted[b]


def ppmi_blocks(corpus: ShardedCorpus, estimator, blocks: list, scale: int) -> list:
    """Float32 PPMI row blocks (futures) from the count blocks, each computed where it lies."""
    client, run = corpus.client, uuid.uuid4().hex[:8]
    sums = [
        client.submit(_context_sums, block, scale, key=task_key("context-sums", b, run))
        for b, block in enumerate(blocks)
    ]
    total = tree(client, operator.add, sums, "context-total", run)
    weighted = [
        client.submit(
            _ppmi_block,
            block,
            scale,
            total,
            estimator.cds,
            estimator.shift,
            key=task_key("ppmi", b, run),
        )
        for b, block in enumerate(blocks)
    ]
    wait_all(weighted)
    return weighted


def _context_sums(block, scale: int) -> np.ndarray:
    return context_counts(scaled_counts(block, scale))


def _ppmi_block(block, scale: int, context_sums, cds: float, shift: float):
    counts = scaled_counts(block, scale)
    return ppmi(counts, cds=cds, shift=shift, dtype=np.float32, context_sums=context_sums)


def window_work(corpus: ShardedCorpus, window: int) -> tuple[int, int]:
    """``window_pairs`` over the whole corpus, ``(pairs, longest piece)``, each shard's
    counted where it lies: before counting, so that a quadratic window is refused up front."""
    client = corpus.client
    parts = client.gather(client.map(_window_pairs, corpus.shards, window=window, pure=False))
    return sum(pairs for pairs, _ in parts), max(longest for _, longest in parts)


def _window_pairs(shard, window: int) -> tuple[int, int]:
    return window_pairs(np.asarray(shard.sentence_starts), window)


def _count_settings(estimator) -> dict:
    names = ("window", "context", "weighting", "sample", "seed", "memory")
    return {name: getattr(estimator, name) for name in names}


def _nonempty(corpus: ShardedCorpus) -> None:
    if corpus.n_tokens == 0:
        raise EmbedlabError(
            "the corpus has no words left to count: give more text or lower " + setting("min_count")
        )


def _ppmi_stages(corpus, estimator, *, min_rows: int = 1):
    _nonempty(corpus)
    pairs, longest = window_work(corpus, estimator.window)
    refuse_window_work(pairs, longest, corpus.n_tokens, estimator.window, "give a smaller window")
    settings = _count_settings(estimator)
    blocks, edges, scale, counted = count_blocks(
        corpus, settings, min_rows=min_rows, quiet=estimator.quiet
    )
    started = time.perf_counter()
    weighted = ppmi_blocks(corpus, estimator, blocks, scale)
    del blocks
    nnz = sum(corpus.client.gather([corpus.client.submit(_nnz, f) for f in weighted]))
    stages = {
        "count_seconds": counted,
        "ppmi_seconds": time.perf_counter() - started,
        "words_per_sec": corpus.n_tokens / max(counted, 1e-9),
        "nnz": int(nnz),
        "workers": len(corpus.client.scheduler_info()["workers"]),
        "shards": len(corpus.shards),
    }
    return weighted, edges, stages


def _nnz(matrix) -> int:
    return int(matrix.nnz)


def fit_ppmi(estimator, corpus: ShardedCorpus):
    """``PPMI`` on the cluster: the sparse rows are gathered here, as they are the output."""
    from embedlab.vectors.sparse import SparseEmbeddings

    weighted, _, stages = _ppmi_stages(corpus, estimator)
    matrix = sp.vstack(corpus.client.gather(weighted), format="csr")
    matrix.has_canonical_format = True
    vocab = corpus.vocab
    return SparseEmbeddings(vocab.words, matrix, counts=vocab.counts, meta=estimator._meta(stages))


def fit_ppmi_svd(estimator, corpus: ShardedCorpus):
    """``PPMISVD`` on the cluster: counting and PPMI on the workers, then the single-machine
    solver on the roomiest worker when the matrix fits there (the single-machine result),
    else the cluster's randomized solver; the |V| x dim factors come here. Which of the two runs
    depends on the workers' free memory at the time, so the same seed can give either answer:
    the run's history records which (``svd_worker``), and both are within the single-machine
    solver's tolerance of the exact SVD (docs/distributed.md)."""
    from embedlab.vectors.embeddings import Embeddings

    vocab, client = corpus.vocab, corpus.client
    n_words = len(vocab)
    check_rank(estimator.dim, (n_words, n_words))
    # dask's QR of the tall random panel needs every row block at least as tall as it is wide
    panel = estimator.dim + CLUSTER_OVERSAMPLES
    weighted, edges, stages = _ppmi_stages(corpus, estimator, min_rows=panel)
    started = time.perf_counter()
    worker = roomiest_worker(client, solver_bytes(stages["nnz"], n_words, estimator.dim))
    if worker is not None:
        U, s, Vt = _svd_on_worker(client, weighted, worker, estimator)
    else:
        U, s, Vt = _svd_on_cluster(client, weighted, edges, n_words, estimator)
    del weighted
    W, C = weighted_factors(U, s, Vt, estimator.eig)
    stages["svd_seconds"] = time.perf_counter() - started
    stages["svd_worker"] = worker or "cluster"
    stages["singular_values"] = [float(v) for v in s]
    return Embeddings(
        vocab.words,
        W,
        counts=np.asarray(vocab.counts),
        context=C,
        combine=estimator.combine,
        meta=estimator._meta(stages),
    )


def solver_bytes(nnz: int, n_words: int, dim: int) -> int:
    """Peak memory of the single-machine solver on one worker: the row blocks and the CSR
    matrix stacked from them (8 bytes a stored float32 cell and its column, 8 a row, each
    twice) and the solver's dense panels."""
    return 2 * (8 * nnz + 8 * (n_words + 1)) + svd_bytes(n_words, n_words, dim)


def roomiest_worker(client, need: int) -> str | None:
    """The address of the worker with the most free memory, if that is at least ``need`` bytes.

    A worker's room is what its machine can still allocate and, under a memory limit, the
    part of the limit below Dask's pause threshold that it does not use yet.
    """
    import dask

    rooms = client.run(_free_memory)
    workers = client.scheduler_info()["workers"]
    pause = dask.config.get("distributed.worker.memory.pause", 0.8) or 1.0
    best, best_room = None, -1
    for address, info in workers.items():
        room = rooms.get(address)
        limit = info.get("memory_limit") or 0
        if limit:
            below = int(pause * limit) - int(info.get("metrics", {}).get("memory", 0))
            room = below if room is None else min(room, below)
        if room is not None and room > best_room:
            best, best_room = address, room
    return best if best_room >= need else None


def _free_memory() -> int | None:
    from embedlab.resources import available_memory

    return available_memory()[0]


def _svd_on_worker(client, weighted: list, worker: str, estimator):
    """The single-machine ``truncated_svd`` of the stacked blocks, on ``worker`` (preferred:
    if it dies, the task runs on another)."""
    future = client.submit(
        _stacked_svd,
        estimator.dim,
        estimator.solver,
        estimator.seed,
        *weighted,
        workers=[worker],
        allow_other_workers=True,
        key=task_key("svd", 0, uuid.uuid4().hex[:8]),
    )
    wait_all([future])
    return future.result()


def _stacked_svd(dim: int, solver: str, seed: int, *blocks):
    return truncated_svd(sp.vstack(blocks, format="csr"), dim, solver=solver, seed=seed)


def _svd_on_cluster(client, weighted: list, edges, n_words: int, estimator):
    """``svd_compressed`` over the PPMI row blocks where they lie: only dense |V| x (dim + 20)
    panels, split by the same row blocks, move."""
    import dask
    import dask.array as da

    meta = sp.csr_matrix((0, 0), dtype=np.float32)
    rows = [
        da.from_delayed(dask.delayed(f), shape=(int(b - a), n_words), dtype=np.float32, meta=meta)
        for f, a, b in zip(weighted, edges[:-1], edges[1:], strict=True)
    ]
    U, s, Vt = da.linalg.svd_compressed(
        da.concatenate(rows, axis=0),
        estimator.dim,
        iterator="QR",
        n_power_iter=CLUSTER_POWER_ITERATIONS,
        n_oversamples=CLUSTER_OVERSAMPLES,
        seed=estimator.seed,
        compute=False,
    )
    return fix_signs(*client.gather(client.compute([U, s, Vt])))


def fit_glove(estimator, corpus: ShardedCorpus):
    """``GloVe`` on the cluster: 1/d-weighted counts made on the workers, training here."""
    _nonempty(corpus)
    settings = {
        "window": estimator.window,
        "context": "symmetric",
        "weighting": "harmonic",
        "sample": 0.0,
        "seed": estimator.seed,
        "memory": estimator.memory,
    }
    blocks, _, scale, _ = count_blocks(corpus, settings, quiet=estimator.quiet)
    counts = scaled_counts(sp.vstack(corpus.client.gather(blocks), format="csr"), scale)
    del blocks
    return estimator.fit_counts(corpus.vocab, counts)
