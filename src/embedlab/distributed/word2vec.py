"""word2vec (skip-gram and CBOW, negative sampling and hierarchical softmax) on a Dask cluster.

The shards are dealt, once, to ``replicas`` groups: one per worker thread when training starts.
A group is one replica of the model. Every sync round each replica starts from the merged
matrices, runs the single-machine kernel over its next ``dask_sync`` words (chunk by chunk, with
the single-machine chunk plan, generator streams and learning-rate rule), and sends back only
the rows it changed. The client merges them by the run's rule (``merges.py``: block momentum
on the averaged change, the mean with scaled rates, the mean, or the summed change), never a
sum of the vectors themselves, which is what overflowed Spark's word2vec (SPARK-13289). The
workers start the next round from the result.

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
from dataclasses import dataclass, replace

import numpy as np

from embedlab.corpus.encoded import array_problem
from embedlab.corpus.pieces import refuse_window_work, window_pairs
from embedlab.corpus.random import seed_state
from embedlab.corpus.sampling import keep_probability
from embedlab.distributed.merges import MERGES, Merged, state_bytes
from embedlab.distributed.tasks import on_shard, raise_failure, task_key, worker_address
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.params import ALL_PAIRS
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
    replicas: int  # the merge rule's N


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
    rate_scale: float = 1.0  # the merge rule's factor on every learning rate


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
    worker: str  # where it ran: the next round's task of the replica is sent there

    @property
    def nbytes(self) -> int:
        """Bytes of the changed rows and their ids: what the round sends back to the client."""
        return sum(a.nbytes for a in (self.W_ids, self.W_rows, self.C_ids, self.C_rows))


def changed_rows(new: np.ndarray, old: np.ndarray, candidates=None) -> tuple:
    """The ids (int32) and values of the rows of ``new`` that differ from ``old``, among the
    ``candidates`` (ascending ids; None: every row)."""
    if candidates is None:
        ids = np.flatnonzero((new != old).any(axis=1))
    else:
        ids = candidates[(new[candidates] != old[candidates]).any(axis=1)]
    ids = ids.astype(np.int32)
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


#: Per worker process: run -> the worker's copy of the merged state (``Merged``), which the
#: round tasks bring up to date from the round summaries, so that the state is not sent whole.
_MERGED: dict[str, Merged] = {}
_MERGED_LOCK = threading.Lock()


def train_round(setup: Setup, spec: RoundSpec, version: int, summary, full, shards):
    """One replica's round: train its shards' chunks of the round from the merged state after
    ``version`` merges; None when this worker cannot make that state (then the client sends
    it ``full``).

    The worker's copy of the merged state is brought to ``version`` by ``summary`` (the
    previous round's, or None for the first round, whose state every worker makes from the
    seed) or replaced by ``full`` (a ``Merged``). An error is one ShardError line naming the
    worker, the shard and the round.
    """
    merged = _merged_state(setup, version, summary, full)
    if merged is None:
        return None
    W_start, C_start = merged.start()
    W, C = W_start.copy(), C_start.copy()
    stats = np.zeros(3, np.float64)  # the kernel adds words read, loss sum, predictions
    alpha, offset, shard_words, read = 0.0, 0, [], []
    for shard in shards:
        label = f"{shard.index} (epoch {spec.epoch + 1}, sync round {spec.round + 1})"
        before = stats[0]
        alpha = on_shard(label, _train_shard, setup, spec, shard, offset, W, C, stats,
                         read) or alpha  # fmt: skip
        shard_words.append((int(shard.index), int(stats[0] - before)))
        offset += len(shard.tokens)
    # Input rows are the words read (the kernels write W only there): look at those alone.
    # Output rows include the negatives the kernels drew, which they do not report yet.
    candidates = np.unique(np.concatenate(read)) if read else np.zeros(0, np.int64)
    W_ids, W_rows = changed_rows(W, W_start, candidates)
    C_ids, C_rows = changed_rows(C, C_start)
    return RoundResult(W_ids, W_rows, C_ids, C_rows, int(stats[0]), float(stats[1]),
                       int(stats[2]), alpha, tuple(shard_words), worker_address())  # fmt: skip


def _merged_state(setup: Setup, version: int, summary, full) -> Merged | None:
    """This worker's merged state after ``version`` merges (see ``train_round``), or None."""
    with _MERGED_LOCK:
        for old in [run for run in _MERGED if run != setup.run]:  # an earlier run's
            del _MERGED[old]
        merged = _MERGED.get(setup.run)
        if full is not None:
            merged = _MERGED[setup.run] = full.copy()
        elif merged is None and version == 0:
            params = setup.params
            W, C = initial_matrices(len(setup.counts), params.dim, params.seed)
            merged = _MERGED[setup.run] = Merged(W, C, params.dask_merge, setup.replicas)
        if merged is not None and summary is not None and merged.version == version - 1:
            merged.apply(summary)
        return merged if merged is not None and merged.version == version else None


def _forget_merged(run: str) -> None:
    with _MERGED_LOCK:
        _MERGED.pop(run, None)


def _train_shard(setup, spec, shard, offset, W, C, stats, read: list) -> float:
    """Train the chunks of ``shard`` that start in the round (``offset``: the words of the
    replica's shards before it), adding their tokens to ``read``; the learning rate of the
    last one, 0.0 when none did."""
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
        alpha = spec.rate_scale * learning_rate(
            params, spec.base + int(np.minimum(into, lengths).sum()), total_words
        )
        rng = seed_state(params.seed, chunk_stream(shard.index, spec.epoch, int(c)))
        read.append(tokens[bounds[chunks[c]] : bounds[chunks[c + 1]]])
        plan = ChunkPlan(tokens, bounds, int(chunks[c]), int(chunks[c + 1]), keep, window,
                         dynamic, params.kernel_flag, alpha, rng)  # fmt: skip
        params.kernel(plan, Model(W, C), inputs, objective, buffers)
    return alpha


def _checked_size(shard, n_words: int, window: int) -> tuple[int, int, int, int]:
    """The shard's index and tokens, once its arrays are checked (the kernels index with them
    unchecked, and a bad id is a crashed worker or silently wrong vectors), and its
    ``window_pairs``."""
    return on_shard(str(shard.index), _check_shard, shard, n_words, window)


def _check_shard(shard, n_words: int, window: int) -> tuple[int, int, int, int]:
    problem = array_problem(n_words, shard.tokens, shard.sentence_starts)
    if problem is not None:
        raise EmbedlabError(f"invalid shard: {problem}; encode it with the run's vocabulary")
    return (int(shard.index), len(shard.tokens),
            *window_pairs(np.asarray(shard.sentence_starts), window))  # fmt: skip


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
    checked = client.map(_checked_size, futures, n_words=len(vocab.words),
                         window=estimator.kernel_window[0], pure=False)  # fmt: skip
    indices, sizes, pairs, longest = zip(*client.gather(checked), strict=True)
    _refuse_window_work(estimator, sum(pairs), max(longest), sum(sizes))
    plan = plan_shards(indices, sizes, sum(client.nthreads().values()), estimator.dask_sync)
    params = estimator.sized_for(len(vocab.words), plan.n_tokens)  # as single-machine fit
    counts = np.asarray(vocab.counts)
    merge = state_bytes(params.dask_merge, (len(counts), params.dim), len(plan.groups))
    check_memory(params.architecture,
                 memory_parts(len(counts), params, copies=True) | {"merge": merge},
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
    if estimator.dask_merge not in MERGES:
        raise EmbedlabError(
            f"{setting('dask_merge', estimator.dask_merge)} is not a merge rule: use one of "
            f"{', '.join(map(repr, MERGES))}"
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


def _refuse_window_work(estimator, pairs: int, longest: int, tokens: int) -> None:
    """The single-machine ``check_window_work`` over the shards' summed counts."""
    cheaper = (
        "give an integer window, or split long lines into shorter baskets"
        if estimator.window == ALL_PAIRS
        else "give a smaller window"
    )
    refuse_window_work(pairs, longest, tokens, estimator.window, cheaper)


class _Run:
    """The client's side of a run: the plan, the merged state and the tasks of each round."""

    def __init__(self, client, params, counts, futures, plan, progress):
        self.client, self.params, self.plan, self.progress = client, params, plan, progress
        replicas = len(plan.groups)
        W, C = initial_matrices(len(counts), params.dim, params.seed)
        self.merged = Merged(W, C, params.dask_merge, replicas)
        self.run = uuid.uuid4().hex[:12]
        setup = Setup(params, counts, plan.n_tokens, self.run, replicas)
        self.setup = self._held("word2vec-setup", 0, setup)
        self.groups = [[futures[i] for i in group] for group in plan.groups]
        self.homes: list = [None] * replicas  # the worker that ran each replica's last round
        self.summary = None  # the last round's summary, held on the cluster
        self.summary_bytes = 0
        self.done = 0  # words trained so far, all epochs

    @property
    def W(self) -> np.ndarray:
        return self.merged.W

    @property
    def C(self) -> np.ndarray:
        return self.merged.C

    def epochs(self) -> list[dict]:
        """Train every epoch; the history."""
        history = []
        for epoch in range(self.params.epochs):
            started = time.perf_counter()
            totals = _EpochTotals()
            for round in range(self.plan.rounds):
                spec = replace(self.plan.spec(epoch, round), rate_scale=self.merged.rate_scale)
                starts = self.merged.start()
                results, bytes_down = self._round(spec, totals)
                summary = self.merged.summarize(starts, [(r.W_ids, r.W_rows) for r in results],
                                                [(r.C_ids, r.C_rows) for r in results])  # fmt: skip
                self.merged.apply(summary)
                stage = f"word2vec-{spec.epoch + 1}-{spec.round + 1}-merged"
                self.summary = self._held(stage, 0, summary)
                self.summary_bytes = _summary_bytes(summary)
                self.done += sum(r.words for r in results)
                totals.add_round(results, bytes_down)
            history.append(totals.entry(epoch, time.perf_counter() - started, self.plan))
            self.progress.epoch(history[-1], self.params.epochs)
        self.merged.finish()
        # The workers' copies are of no more use: free their memory now, not at the next run.
        self.client.run(_forget_merged, self.run, on_error="ignore")
        return history

    def _round(self, spec: RoundSpec, totals) -> tuple[list[RoundResult], int]:
        """Every replica's task of one round; their results in replica order and the bytes of
        merged state sent down for them: the last summary to each worker that ran one, and
        the whole state to each worker that had lost its copy."""
        from distributed import as_completed

        stage = f"word2vec-{spec.epoch + 1}-{spec.round + 1}"
        version, full = self.merged.version, None
        tasks = {self._submit(stage, g, spec, version, None): g for g in range(len(self.groups))}
        results: list = [None] * len(tasks)
        words, fulls = 0, 0
        pending = as_completed(tasks, loop=self.client.loop)
        for future in pending:
            if future.status != "finished":
                raise_failure(future)
            g, result = tasks[future], future.result()
            if result is None:  # that worker has no copy of the state: send it whole
                if full is None:
                    full = self._held(f"{stage}-state", 0, self.merged.copy())
                retry = self._submit(f"{stage}-full", g, spec, version, full)
                tasks[retry] = g
                pending.add(retry)
                fulls += 1
                continue
            results[g] = result
            self.homes[g] = result.worker
            words += result.words
            self.progress.update(self.done + words, **totals.fields(results))
        receivers = len({r.worker for r in results})
        totals.full_states += fulls
        return results, receivers * self.summary_bytes + fulls * self.merged.nbytes

    def _submit(self, stage: str, g: int, spec: RoundSpec, version: int, full):
        # To the worker that ran the replica's last round when there is one (its copy of the
        # state is up to date), or any other if that one is gone.
        home = {} if self.homes[g] is None else {"workers": [self.homes[g]],
                                                 "allow_other_workers": True}  # fmt: skip
        return self.client.submit(
            train_round, self.setup, spec, version, self.summary, full, self.groups[g],
            key=task_key(stage, g, self.run), **home,
        )  # fmt: skip

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


def _summary_bytes(summary) -> int:
    return sum(ids.nbytes + rows.nbytes for ids, rows in summary)


class _EpochTotals:
    """An epoch's sums over its rounds and replicas."""

    def __init__(self):
        self.words = self.predictions = self.rounds = 0
        self.loss = 0.0
        self.alpha = 0.0
        self.bytes_up = self.bytes_down = self.rows_up = self.replica_rounds = 0
        self.full_states = 0  # the whole merged state sent to a worker that had lost it
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
            "sync_full_states": self.full_states,
            "rows_up_per_replica_sync": self.rows_up / max(1, self.replica_rounds),
            "shard_words": [[i, self.shard_words.get(i, 0)] for i in sorted(plan.indices)],
        }
