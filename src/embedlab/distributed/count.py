"""The count methods on a cluster: co-occurrence per shard, PPMI per row block, SVD over dask.

Counting: each shard is counted where it lives by ``cooccurrence_counts``, the single-machine
counter, in integers (weights times their common denominator), and cut into row blocks; each
block's shard matrices are summed pairwise in a tree. Integer sums do not depend on the order
they are added in, so the blocks are exactly the single-machine counts, and dividing by the
denominator once at the end gives the same floats.

PPMI is computed per row block on the worker that holds it: a row's PMI needs only its own row
sum and the column sums of the whole matrix, a |V| vector summed from the blocks' and sent to
each. The truncated SVD is ``dask.array.linalg.svd_compressed`` (the randomized solver, with
the single-machine solver's oversampling and power iterations) over the PPMI row blocks, a
dask array of sparse chunks: no worker holds more than its blocks and a few dense |V| x
(dim + 10) panels' rows. GloVe's counting is the same; its training needs every cell in one
shared-memory model, so it runs on this machine once the counts arrive.
"""

from __future__ import annotations

import operator
import time
import uuid

import numpy as np
import scipy.sparse as sp

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
    weighted_factors,
)
from embedlab.progress import Progress

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
    """``PPMISVD`` on the cluster: counting, PPMI and the randomized SVD on the workers; the
    |V| x dim factors come here."""
    import dask
    import dask.array as da

    from embedlab.vectors.embeddings import Embeddings

    vocab, client = corpus.vocab, corpus.client
    n_words = len(vocab)
    check_rank(estimator.dim, (n_words, n_words))
    # dask's QR of the tall random panel needs every row block at least as tall as it is wide
    panel = estimator.dim + OVERSAMPLES
    weighted, edges, stages = _ppmi_stages(corpus, estimator, min_rows=panel)
    started = time.perf_counter()
    meta = sp.csr_matrix((0, 0), dtype=np.float32)
    rows = [
        da.from_delayed(dask.delayed(f), shape=(int(b - a), n_words), dtype=np.float32, meta=meta)
        for f, a, b in zip(weighted, edges[:-1], edges[1:], strict=True)
    ]
    matrix = da.concatenate(rows, axis=0)
    U, s, Vt = da.linalg.svd_compressed(
        matrix,
        estimator.dim,
        n_power_iter=POWER_ITERATIONS,
        n_oversamples=OVERSAMPLES,
        seed=estimator.seed,
        compute=False,
    )
    U, s, Vt = client.gather(client.compute([U, s, Vt]))
    del weighted
    U, s, Vt = fix_signs(U, s, Vt)
    W, C = weighted_factors(U, s, Vt, estimator.eig)
    stages["svd_seconds"] = time.perf_counter() - started
    stages["singular_values"] = [float(v) for v in s]
    return Embeddings(
        vocab.words,
        W,
        counts=np.asarray(vocab.counts),
        context=C,
        combine=estimator.combine,
        meta=estimator._meta(stages),
    )


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
