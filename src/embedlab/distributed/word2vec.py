"""word2vec (skip-gram and CBOW, negative sampling and hierarchical softmax) on a Dask cluster.

The shards are dealt, once, to ``replicas`` groups: one per worker thread when training starts.
A group is one replica of the model. Every sync round each replica starts from the merged
matrices, runs the single-machine kernel over its next ``dask_sync`` words (chunk by chunk, with
the single-machine chunk plan, generator streams and learning-rate rule), and sends back only
the rows it changed. The client averages each changed row over the replicas that changed it
(``merge_rows``, ``dask_merge="mean"``) or adds each replica's change to it (``"delta"``);
never a sum of the vectors themselves, which is what overflowed Spark's word2vec
(SPARK-13289). The workers start the next round from the result.

A round's work is a pure function of (merged state, the group's shards, round): a task that is
retried because its worker died recomputes the same rows, and the client takes exactly one
result per (round, replica), so no shard is lost or counted twice. The learning rate of a chunk
is the single-machine rate after the number of words the whole cluster has trained by then
(every replica is assumed to advance at the same pace within a round). With one replica and a
sync period covering the epoch, the run is single-machine training with one thread, bit for bit.

docs/distributed.md has the design's reasons and the sync volume per round.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass

import numpy as np

from embedlab.corpus.encoded import array_problem
from embedlab.corpus.random import seed_state
from embedlab.corpus.sampling import keep_probability
from embedlab.distributed.tasks import on_shard, raise_failure, task_key
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.word2vec.arguments import Model, scratch
from embedlab.methods.word2vec.arguments import Plan as ChunkPlan
from embedlab.methods.word2vec.inputs import WordRows
from embedlab.methods.word2vec.objectives import OBJECTIVES
from embedlab.methods.word2vec.objectives.base import BACKENDS
from embedlab.methods.word2vec.trainer import (
    chunk_plan,
    initial_matrices,
    learning_rate,
    memory_parts,
)
from embedlab.resources import check_memory

#: Bits of a chunk's generator stream: (shard << 48) | (epoch << 32) | chunk. Shard 0's streams
#: are the single-machine trainer's (epoch << 32) | chunk.
_SHARD_SHIFT, _EPOCH_SHIFT = 48, 32
_MAX_SHARDS, _MAX_EPOCHS = 1 << (64 - _SHARD_SHIFT), 1 << (_SHARD_SHIFT - _EPOCH_SHIFT)


@dataclass(frozen=True)
class Setup:
    """What every round's task shares, sent to each worker once per run."""

    params: object  # the estimator, its alpha sized
    counts: np.ndarray  # the vocabulary's counts (subsampling, noise, Huffman tree)
    n_tokens: int  # tokens of the whole corpus, one epoch
    run: str  # names this run's tables in the worker's cache


@dataclass(frozen=True)
class State:
    """The merged matrices a round starts from."""

    W: np.ndarray
    C: np.ndarray


@dataclass(frozen=True)
class RoundSpec:
    """Where a round sits in the run: what its learning rates and generator streams depend on.

    ``base`` is the words the whole cluster trained before the round (over all epochs), and
    ``lengths`` each replica's words in the round, so a chunk ``o`` words into its replica's
    round sits ``base + sum(min(o, lengths))`` words into the run.
    """

    epoch: int
    round: int
    sync: int
    base: int
    lengths: tuple[int, ...]


@dataclass(frozen=True)
class RoundResult:
    """A replica's round: the rows it changed (ids, float32 values) and its counts."""

    W_ids: np.ndarray
    W_rows: np.ndarray
    C_ids: np.ndarray
    C_rows: np.ndarray
    words: int
    loss: float
    predictions: int
    alpha: float
    shard_words: tuple[tuple[int, int], ...]  # (shard index, words read) per shard

    @property
    def nbytes(self) -> int:
        """Bytes of the changed rows and their ids: what the round sends back to the client."""
        return sum(a.nbytes for a in (self.W_ids, self.W_rows, self.C_ids, self.C_rows))


def merge_rows(matrix: np.ndarray, parts, rule: str = "mean") -> None:
    """Merge the rows the replicas changed into ``matrix`` (the state they all started from).

    ``parts`` is a sequence of ``(ids, rows)``, one per replica. With ``rule="delta"`` a row
    changed by k replicas moves by the sum of their changes, ``m + sum_k (r_k - m)``: every
    replica's words count once, as they would on one machine. With ``rule="mean"`` it becomes
    the mean of their values, ``sum_k r_k / k``: a row k replicas touch moves by the mean of
    their changes, so it learns about 1/k as much per word read. "delta" overshoots a row whose
    updates within a round settle on one point p: k replicas that each take it to p move it to
    ``m + k (p - m)``, which swings about p at k = 2 and diverges beyond, so "mean" is the
    default. Neither adds up vectors themselves, which is what overflowed Spark's word2vec
    (SPARK-13289). Sums are float64, in the parts' order; rows no replica changed keep their
    value. In place.
    """
    if not parts:
        return
    ids = np.concatenate([np.asarray(p[0], np.int64) for p in parts])
    if ids.size == 0:
        return
    rows = np.concatenate([np.asarray(p[1], np.float64) for p in parts])
    order = np.argsort(ids, kind="stable")
    ids, rows = ids[order], rows[order]
    firsts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    sums = np.add.reduceat(rows, firsts, axis=0)
    touched = np.diff(np.r_[firsts, ids.size])[:, None]
    if rule == "delta":
        start = matrix[ids[firsts]].astype(np.float64)
        merged = sums - (touched - 1) * start
    else:
        merged = sums / touched
    matrix[ids[firsts]] = merged.astype(matrix.dtype)


def changed_rows(new: np.ndarray, old: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ids (int32) and values of the rows of ``new`` that differ from ``old``."""
    ids = np.flatnonzero((new != old).any(axis=1)).astype(np.int32)
    return ids, new[ids]


def chunk_stream(shard: int, epoch: int, chunk: int) -> int:
    """The generator stream of a shard's chunk in an epoch."""
    return (shard << _SHARD_SHIFT) | (epoch << _EPOCH_SHIFT) | chunk


# -- the worker's side ------------------------------------------------------------------------

#: Per worker process: (run, thread) -> (keep probabilities, objective state, buffers). The
#: objective's state holds scratch that the kernel writes, so each worker thread has its own.
_TABLES: dict[tuple[str, int], tuple] = {}
_TABLES_LOCK = threading.Lock()


def _tables(setup: Setup) -> tuple:
    key = (setup.run, threading.get_ident())
    with _TABLES_LOCK:
        if key not in _TABLES:
            for old in [k for k in _TABLES if k[0] != setup.run]:  # an earlier run's tables
                del _TABLES[old]
            params = setup.params
            keep = keep_probability(setup.counts, params.sample)
            state = OBJECTIVES[params.objective].states(setup.counts, params, 1)[0]
            _TABLES[key] = (keep, state, scratch(params.dim, params.kernel_window[0], False))
        return _TABLES[key]


#: Per worker process: (run, shard index) -> the shard's chunk plan, cut once per run rather
#: than every sync round (a pass over all of the shard's sentences).
_PLANS: dict[tuple[str, int], tuple] = {}


def _chunk_plan(setup: Setup, shard) -> tuple:
    key = (setup.run, int(shard.index))
    with _TABLES_LOCK:
        if key not in _PLANS:
            for old in [k for k in _PLANS if k[0] != setup.run]:
                del _PLANS[old]
            _PLANS[key] = chunk_plan(np.asarray(shard.sentence_starts))
        return _PLANS[key]


def train_round(setup: Setup, state: State, spec: RoundSpec, shards) -> RoundResult:
    """One replica's round: train its shards' chunks of the round on a copy of ``state``.

    An error is one ShardError line naming the worker, the shard and the round.
    """
    W, C = state.W.copy(), state.C.copy()
    stats = np.zeros(3, np.float64)  # the kernel adds words read, loss sum, predictions
    alpha, offset, shard_words = 0.0, 0, []
    for shard in shards:
        label = f"{shard.index} (epoch {spec.epoch + 1}, sync round {spec.round + 1})"
        before = stats[0]
        alpha = on_shard(label, _train_shard, setup, spec, shard, offset, W, C, stats) or alpha
        shard_words.append((int(shard.index), int(stats[0] - before)))
        offset += len(shard.tokens)
    W_ids, W_rows = changed_rows(W, state.W)
    C_ids, C_rows = changed_rows(C, state.C)
    return RoundResult(W_ids, W_rows, C_ids, C_rows, int(stats[0]), float(stats[1]),
                       int(stats[2]), alpha, tuple(shard_words))  # fmt: skip


def _train_shard(setup, spec, shard, offset, W, C, stats) -> float:
    """Train the chunks of ``shard`` that start in the round (``offset``: the words of the
    replica's shards before it); the learning rate of the last one, 0.0 when none did."""
    params = setup.params
    keep, objective, buffers = _tables(setup)
    inputs, buffers = WordRows(len(setup.counts)), buffers._replace(stats=stats)
    lengths = np.asarray(spec.lengths, np.int64)
    start, stop = spec.round * spec.sync, (spec.round + 1) * spec.sync
    total_words = max(1, setup.n_tokens * params.epochs)
    tokens = np.asarray(shard.tokens)
    bounds, chunks = _chunk_plan(setup, shard)
    firsts = offset + bounds[chunks[:-1]]  # each chunk's start in the replica's words
    alpha = 0.0
    window, dynamic = params.kernel_window
    for c in np.flatnonzero((firsts >= start) & (firsts < stop)):
        into = int(firsts[c]) - start
        alpha = learning_rate(params, spec.base + int(np.minimum(into, lengths).sum()),
                              total_words)  # fmt: skip
        rng = seed_state(params.seed, chunk_stream(shard.index, spec.epoch, int(c)))
        plan = ChunkPlan(tokens, bounds, int(chunks[c]), int(chunks[c + 1]), keep, window,
                         dynamic, params.kernel_flag, alpha, rng)  # fmt: skip
        params.kernel(plan, Model(W, C), inputs, objective, buffers)
    return alpha


def _checked_size(shard, n_words: int) -> tuple[int, int]:
    """The shard's index and tokens, once its arrays are checked: the kernels index with them
    unchecked, and a bad id is a crashed worker or silently wrong vectors."""
    return on_shard(str(shard.index), _check_shard, shard, n_words)


def _check_shard(shard, n_words: int) -> tuple[int, int]:
    problem = array_problem(n_words, shard.tokens, shard.sentence_starts)
    if problem is not None:
        raise EmbedlabError(f"invalid shard: {problem}; encode it with the run's vocabulary")
    return int(shard.index), len(shard.tokens)


# -- the client's side ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """The shards' sizes and which replica trains which (positions in the futures' list)."""

    indices: tuple[int, ...]
    sizes: tuple[int, ...]
    groups: tuple[tuple[int, ...], ...]
    sync: int

    @property
    def n_tokens(self) -> int:
        return sum(self.sizes)

    @property
    def group_sizes(self) -> tuple[int, ...]:
        return tuple(sum(self.sizes[i] for i in group) for group in self.groups)

    @property
    def rounds(self) -> int:
        """Sync rounds per epoch: enough for the largest replica's words."""
        return max(1, -(-max(self.group_sizes) // self.sync))

    def spec(self, epoch: int, round: int) -> RoundSpec:
        start = round * self.sync
        before = sum(min(size, start) for size in self.group_sizes)
        lengths = tuple(min(self.sync, max(0, size - start)) for size in self.group_sizes)
        return RoundSpec(epoch, round, self.sync, epoch * self.n_tokens + before, lengths)


def plan_shards(indices, sizes, replicas: int, sync: int) -> Plan:
    """Deal the shards (in index order) round-robin to ``replicas`` groups."""
    order = sorted(range(len(indices)), key=lambda i: indices[i])
    replicas = max(1, min(replicas, len(order)))
    groups = tuple(tuple(order[g::replicas]) for g in range(replicas))
    return Plan(tuple(indices), tuple(sizes), groups, sync)


def fit(estimator, corpus):
    """The cluster runner of ``skipgram`` and ``cbow`` (``RUNNERS``): ``corpus`` is a
    ``ShardedCorpus``; the trained ``Embeddings``."""
    return train_word2vec(corpus.client, estimator, corpus.vocab, corpus.shards)[0]


def train_word2vec(client, estimator, vocab, shard_futures, *, progress=None):
    """Train ``estimator`` (a SkipGram or CBOW) on the shards the futures resolve to.

    ``vocab`` is the corpus's Vocabulary; each future resolves to a Shard (``index``,
    ``tokens``, ``sentence_starts``) encoded against it. ``progress`` is an object with
    ``update(done, **fields)`` (words done over all epochs); None draws embedlab's progress bar
    unless the estimator is quiet. Returns ``(Embeddings, history)``; each history entry adds
    to the single-machine ones the sync rounds, the bytes they moved and each shard's words.
    """
    from embedlab.progress import Progress

    futures = list(shard_futures)
    _check_run(estimator, futures)
    checked = client.map(_checked_size, futures, n_words=len(vocab.words), pure=False)
    indices, sizes = zip(*client.gather(checked), strict=True)
    plan = plan_shards(indices, sizes, sum(client.nthreads().values()), estimator.dask_sync)
    params = estimator.sized_for(len(vocab.words), plan.n_tokens)  # as single-machine fit
    counts = np.asarray(vocab.counts)
    check_memory(params.architecture, memory_parts(len(counts), params, copies=True),
                 params.shrink)  # fmt: skip
    total = plan.n_tokens * params.epochs
    if progress is None:
        with Progress(total, unit="words", description=params.architecture,
                      quiet=params.quiet) as bar:  # fmt: skip
            run = _Run(client, params, counts, futures, plan, bar)
            history = run.epochs()
    else:
        run = _Run(client, params, counts, futures, plan, progress)
        history = run.epochs()
    cluster = {"replicas": len(plan.groups), "shards": len(plan.indices), "sync": plan.sync}
    emb = params._embeddings(vocab, plan.n_tokens, run.W, run.C, history, cluster=cluster)
    return emb, history


def _check_run(estimator, futures) -> None:
    unsupported = [name for name in ("callbacks", "checkpoint_dir", "resume")
                   if getattr(estimator, name)]  # fmt: skip
    if unsupported:
        raise EmbedlabError(
            f"{', '.join(map(setting, unsupported))} cannot be used with {setting('dask')} yet: "
            f"train without them, or without {setting('dask')}"
        )
    if estimator.backend != BACKENDS[0]:
        raise EmbedlabError(
            f"{setting('backend', estimator.backend)} cannot be used with {setting('dask')}: "
            f"the replicas run the Numba kernels; leave {setting('backend')} out, or train "
            f"without {setting('dask')}"
        )
    if not futures:
        raise EmbedlabError("there are no shards to train on: give more text")
    if len(futures) > _MAX_SHARDS or estimator.epochs >= _MAX_EPOCHS:
        raise EmbedlabError(
            f"{len(futures)} shards and {estimator.epochs} epochs: the cluster trains at most "
            f"{_MAX_SHARDS:,} shards and {_MAX_EPOCHS - 1:,} epochs; use larger shards or "
            "fewer epochs"
        )


class _Run:
    """The client's side of a run: the plan, the merged matrices and the tasks of each round."""

    def __init__(self, client, params, counts, futures, plan, progress):
        self.client, self.params, self.plan, self.progress = client, params, plan, progress
        self.W, self.C = initial_matrices(len(counts), params.dim, params.seed)
        self.run = uuid.uuid4().hex[:12]
        self.setup = self._held("word2vec-setup", 0, Setup(params, counts, plan.n_tokens, self.run))
        self.groups = [[futures[i] for i in group] for group in plan.groups]
        self.done = 0  # words trained so far, all epochs

    def epochs(self) -> list[dict]:
        """Train every epoch; the history."""
        history = []
        for epoch in range(self.params.epochs):
            started = time.perf_counter()
            totals = _EpochTotals()
            for round in range(self.plan.rounds):
                results = self._round(self.plan.spec(epoch, round), totals)
                rule = self.params.dask_merge
                merge_rows(self.W, [(r.W_ids, r.W_rows) for r in results], rule)
                merge_rows(self.C, [(r.C_ids, r.C_rows) for r in results], rule)
                self.done += sum(r.words for r in results)
                receivers = len(self.client.scheduler_info().get("workers", {}))
                totals.add_round(results, receivers * (self.W.nbytes + self.C.nbytes))
            history.append(totals.entry(epoch, time.perf_counter() - started, self.plan))
            self.progress.epoch(history[-1], self.params.epochs)
        return history

    def _round(self, spec: RoundSpec, totals) -> list[RoundResult]:
        """Every replica's task of one round; their results in replica order."""
        from distributed import as_completed

        stage = f"word2vec-{spec.epoch + 1}-{spec.round + 1}"
        state = self._held(f"{stage}-state", 0, State(self.W, self.C))
        tasks = {
            self.client.submit(
                train_round, self.setup, state, spec, group, key=task_key(stage, g, self.run)
            ): g  # fmt: skip
            for g, group in enumerate(self.groups)
        }
        results: list = [None] * len(tasks)
        words = 0
        for future in as_completed(tasks, loop=self.client.loop):
            if future.status != "finished":
                raise_failure(future)
            results[tasks[future]] = result = future.result()
            words += result.words
            self.progress.update(self.done + words, **totals.fields(results))
        return results

    def _held(self, stage: str, index: int, value):
        """A future holding ``value`` that the cluster can remake: the value travels in the
        task (client to scheduler to one worker, then worker to worker), so when every worker
        holding it dies the scheduler runs the task again. Scattered data has no such lineage
        (it is lost with its workers), and a broadcast scatter waits on a worker that has just
        died."""
        import dask

        # Large by design: the scheduler keeps the value to remake it; say nothing about it.
        with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1 PiB"}):
            return self.client.submit(_identity, value, key=task_key(stage, index, self.run))


def _identity(value):
    return value


class _EpochTotals:
    """An epoch's sums over its rounds and replicas."""

    def __init__(self):
        self.words = self.predictions = self.rounds = 0
        self.loss = 0.0
        self.alpha = 0.0
        self.bytes_up = self.bytes_down = self.rows_up = self.replica_rounds = 0
        self.shard_words: dict[int, int] = {}

    def fields(self, results) -> dict:
        """The progress bar's live figures from the rounds so far and the finished replicas."""
        done = [r for r in results if r is not None]
        loss = self.loss + sum(r.loss for r in done)
        predictions = self.predictions + sum(r.predictions for r in done)
        fields = {"alpha": min(r.alpha for r in done)} if done else {}
        if predictions:
            fields["loss"] = loss / predictions
        return fields

    def add_round(self, results, bytes_down: int) -> None:
        self.rounds += 1
        for r in results:
            self.words += r.words
            self.loss += r.loss
            self.predictions += r.predictions
            self.bytes_up += r.nbytes
            self.rows_up += len(r.W_ids) + len(r.C_ids)
            self.replica_rounds += 1
            for index, words in r.shard_words:
                self.shard_words[index] = self.shard_words.get(index, 0) + words
        self.alpha = min(r.alpha for r in results)
        self.bytes_down += bytes_down

    def entry(self, epoch: int, seconds: float, plan: Plan) -> dict:
        return {
            "epoch": epoch + 1,
            "loss": self.loss / self.predictions if self.predictions else 0.0,
            "words_per_sec": self.words / seconds if seconds > 0 else 0.0,
            "seconds": seconds,
            "alpha": self.alpha,
            "words": self.words,
            "predictions": self.predictions,
            "replicas": len(plan.groups),
            "syncs": self.rounds,
            "sync_bytes_up": self.bytes_up,
            "sync_bytes_down": self.bytes_down,
            "rows_up_per_replica_sync": self.rows_up / max(1, self.replica_rounds),
            "shard_words": [[i, self.shard_words.get(i, 0)] for i in sorted(plan.indices)],
        }
