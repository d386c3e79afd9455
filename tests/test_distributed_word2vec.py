"""word2vec on a Dask LocalCluster of two worker processes: equal to one machine with one
replica, learns planted topics with two, averages per row, and survives a killed worker."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

import embedlab  # noqa: E402
from embedlab.corpus.encoded import EncodedCorpus  # noqa: E402
from embedlab.corpus.vocabulary import Vocabulary  # noqa: E402
from embedlab.distributed.merges import MERGES, Merged, merge_rows, merge_rule  # noqa: E402
from embedlab.distributed.shards import Shard  # noqa: E402
from embedlab.distributed.tasks import ShardError  # noqa: E402
from embedlab.distributed.word2vec import (  # noqa: E402
    Setup,
    changed_rows,
    plan_shards,
    train_round,
    train_word2vec,
)
from embedlab.errors import EmbedlabError  # noqa: E402
from embedlab.methods.word2vec.model import CBOW, SkipGram  # noqa: E402
from embedlab.methods.word2vec.trainer import train_matrices  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    # not the default client, as embedlab's own connection is not: nothing may rely on one
    with cluster, distributed.Client(cluster, set_as_default=False) as connected:
        yield connected


def topic_corpus(n_sentences=2000, length=8, topics=3, per_topic=6, seed=0) -> EncodedCorpus:
    """Sentences of one topic each: a word's true neighbours are its topic's other words."""
    rng = np.random.default_rng(seed)
    words = topics * per_topic
    topic_of = rng.integers(0, topics, size=n_sentences)
    tokens = rng.integers(0, per_topic, size=(n_sentences, length)) + per_topic * topic_of[:, None]
    tokens = tokens.ravel().astype(np.int32)
    starts = np.arange(0, len(tokens) + 1, length, dtype=np.int64)
    vocab = Vocabulary([f"w{i}" for i in range(words)], np.bincount(tokens, minlength=words))
    return EncodedCorpus(vocab, tokens, starts, len(tokens))


def shard_futures(client, corpus: EncodedCorpus, n: int) -> list:
    """The corpus cut at sentence boundaries into ``n`` shards, each made by a task on the
    cluster (so a shard lost with its worker is made again, as encoded shards are)."""
    starts = np.asarray(corpus.sentence_starts)
    cuts = np.linspace(0, len(starts) - 1, n + 1).astype(int)
    futures = []
    for i in range(n):
        first, last = starts[cuts[i]], starts[cuts[i + 1]]
        tokens = np.array(corpus.tokens[first:last])
        local = starts[cuts[i] : cuts[i + 1] + 1] - first
        futures.append(client.submit(Shard, i, tokens, local, len(tokens), pure=False))
    return futures


def estimator(architecture="skipgram", **changes):
    base = dict(dim=10, window=3, negative=3, sample=0.0, epochs=2, threads=1, seed=3,
                quiet=True, alpha=0.05 if architecture == "cbow" else 0.025)  # fmt: skip
    base.update(changes)
    return (CBOW if architecture == "cbow" else SkipGram)(**base)


def topic_margin(W, topic_of) -> float:
    """Mean cosine to same-topic words minus mean cosine to other topics' words."""
    unit = W / np.linalg.norm(W, axis=1, keepdims=True)
    sims = unit @ unit.T
    same = (topic_of[:, None] == topic_of[None, :]) & ~np.eye(len(W), dtype=bool)
    return float(sims[same].mean() - sims[topic_of[:, None] != topic_of[None, :]].mean())


def test_workers_run_this_checkout(client):
    # Worker processes inherit the environment: they must train with the code under test.
    assert set(client.run(lambda: embedlab.__file__).values()) == {embedlab.__file__}


# -- the merge ---------------------------------------------------------------------------------


def test_the_mean_merge_averages_each_row_over_the_replicas_that_changed_it():
    matrix = np.arange(8, dtype=np.float32).reshape(4, 2)
    a = (np.array([0, 1]), np.array([[10, 10], [20, 30]], np.float32))
    b = (np.array([2, 1]), np.array([[7, 7], [40, 50]], np.float32))
    merge_rows(matrix, [a, b], "mean")
    # row 0: only a; row 1: both, (20+40)/2 and (30+50)/2; row 2: only b; row 3: nobody
    assert matrix.tolist() == [[10, 10], [30, 40], [7, 7], [6, 7]]


def test_the_delta_merge_adds_every_replicas_change_of_a_row():
    matrix = np.arange(8, dtype=np.float32).reshape(4, 2)
    a = (np.array([0, 1]), np.array([[10, 10], [20, 30]], np.float32))
    b = (np.array([2, 1]), np.array([[7, 7], [40, 50]], np.float32))
    merge_rows(matrix, [a, b], "delta")
    # row 1 started at (2, 3): a moved it by (18, 27), b by (38, 47); both moves are kept
    assert matrix.tolist() == [[10, 10], [2 + 18 + 38, 3 + 27 + 47], [7, 7], [6, 7]]


@pytest.mark.parametrize("rule", ["delta", "mean"])
def test_no_merge_adds_up_vectors_so_large_rows_do_not_overflow(rule):
    big, step = 2.0**127, 2.0**120  # float32's largest is 3.4e38: two bigs summed are inf
    matrix = np.zeros((2, 3), np.float32)
    matrix[1] = big - step  # every value here is exact in float32
    parts = [(np.array([1]), np.full((1, 3), big, np.float32)) for _ in range(3)]
    merge_rows(matrix, parts, rule)
    assert np.isfinite(matrix).all() and matrix[0].tolist() == [0, 0, 0]
    # mean: the three equal rows; delta: the start plus three moves of one step each
    expected = big if rule == "mean" else big - step + 3 * step
    assert matrix[1].tolist() == [expected] * 3


def _follow(merge, matrix: np.ndarray, parts) -> None:
    """One round of ``merge`` on ``matrix``, as the client runs it."""
    merge.apply(matrix, *merge.summarize(merge.start(matrix), parts))


def test_block_momentum_hands_a_lone_replicas_change_over_in_full_over_the_rounds():
    replicas, change = 4, np.array([1.0, -2.0], np.float32)
    merge = merge_rule("bmuf", (3, 2), replicas)
    matrix = np.zeros((3, 2), np.float32)
    _follow(merge, matrix, [(np.array([1]), change[None])])  # from a start of zeros
    # the averaged change over all four replicas, one quarter of it, is the first step
    np.testing.assert_allclose(matrix[1], change / replicas, rtol=1e-6)
    for _ in range(200):  # rounds that change nothing
        _follow(merge, matrix, [])
    # the steps form a geometric series, sum_t (1 - 2/N)^t / N = 1/2: half the change, which
    # the replica made at twice the rate
    assert merge.rate_scale == 2.0
    np.testing.assert_allclose(matrix[1], change / 2, rtol=1e-5)
    assert matrix[0].tolist() == [0, 0] and matrix[2].tolist() == [0, 0]


@pytest.mark.parametrize("replicas", [2, 4, 8])
def test_block_momentum_settles_where_delta_diverges(replicas):
    """Every replica takes a row to the same point p within each round (a frequent word that
    settled): the summed changes overshoot to m + N (p - m), while the momentum step lands on p."""
    p = np.array([[3.0]], np.float32)
    settled = {}
    for rule in ("bmuf", "delta"):
        merge, matrix = merge_rule(rule, (1, 1), replicas), np.zeros((1, 1), np.float32)
        for _ in range(60):
            _follow(merge, matrix, [(np.array([0]), p)] * replicas)
        settled[rule] = abs(float(matrix[0, 0]) - 3.0)
    assert settled["bmuf"] < 1e-3
    assert not settled["delta"] < 1.0  # |error| grows (N - 1) times a round: inf or nan


def test_a_copy_that_follows_the_summaries_stays_equal_to_the_merged_state():
    """What the workers rely on instead of receiving the state: a copy given each round's
    summary (not the replicas' rows) ends equal, bit for bit, to the client's."""
    rng = np.random.default_rng(5)
    for rule in MERGES:
        client_side = Merged(rng.normal(size=(50, 4)).astype(np.float32),
                             np.zeros((50, 4), np.float32), rule, replicas=3)  # fmt: skip
        worker_side = client_side.copy()
        for _ in range(5):
            starts = client_side.start()
            parts = []
            for _ in range(3):
                ids = np.unique(rng.integers(0, 50, size=20)).astype(np.int32)
                parts.append(
                    (ids, starts[0][ids] + rng.normal(size=(ids.size, 4)).astype(np.float32))
                )
            summary = client_side.summarize(starts, parts, parts)
            client_side.apply(summary)
            worker_side.apply(summary)
        assert worker_side.version == client_side.version == 5
        assert np.array_equal(worker_side.W, client_side.W)
        assert np.array_equal(worker_side.C, client_side.C)


def test_the_averaged_rule_averages_changes_over_all_replicas_at_a_scaled_rate():
    replicas = 4
    merge = merge_rule("averaged", (3, 1), replicas)
    assert merge.rate_scale == 4.0  # every replica trains at 4 times the rate
    assert all(merge_rule(rule, (2, 2), 4).rate_scale == 1.0 for rule in ("mean", "delta"))
    matrix = np.array([[1.0], [1.0], [1.0]], np.float32)
    lone = (np.array([0]), np.array([[9.0]], np.float32))  # one replica moved row 0 by 8
    settled = [(np.array([1]), np.array([[3.0]], np.float32))] * replicas  # all took row 1 to 3
    _follow(merge, matrix, [lone, *settled])
    # row 0: 8 / 4 (the three others count as no change); row 1: the point they agree on
    assert matrix[:, 0].tolist() == [3.0, 3.0, 1.0]


def test_the_memory_a_rule_keeps_is_counted_before_training():
    from embedlab.distributed.merges import state_bytes

    # block momentum beyond 2 replicas: a step and a starting matrix for each of W and C
    assert state_bytes("bmuf", (1000, 50), 4) == 4 * 1000 * 50 * 4
    merged = Merged(np.zeros((1000, 50), np.float32), np.zeros((1000, 50), np.float32), "bmuf", 4)
    assert sum(m.step.nbytes for m in merged.merges) == 2 * 1000 * 50 * 4
    assert state_bytes("bmuf", (1000, 50), 2) == 0  # no momentum left at 2
    assert state_bytes("averaged", (1000, 50), 8) == 0


def test_changed_rows_are_the_rows_that_differ():
    old = np.zeros((5, 2), np.float32)
    new = old.copy()
    new[1, 0], new[4, 1] = 0.5, -1.0
    ids, rows = changed_rows(new, old)
    assert ids.tolist() == [1, 4] and rows.tolist() == [[0.5, 0], [0, -1]]
    # among candidates only (the words a round read): row 4 is not looked at
    ids, rows = changed_rows(new, old, np.array([0, 1, 2]))
    assert ids.tolist() == [1] and rows.tolist() == [[0.5, 0]]


# -- the schedule ------------------------------------------------------------------------------


def test_a_round_knows_the_words_the_whole_cluster_trained_before_it():
    # Two replicas of 30,000 and 10,000 words, syncing every 20,000: epoch 1 (0-based) starts
    # after 40,000 words; in its round 1 the big replica has 10,000 words left, the small none.
    plan = plan_shards(indices=[0, 1], sizes=[30_000, 10_000], replicas=2, sync=20_000)
    assert plan.rounds == 2
    spec = plan.spec(epoch=1, round=1)
    assert spec.base == 40_000 + 20_000 + 10_000
    assert spec.lengths == (10_000, 0)


def test_shards_are_dealt_to_replicas_in_index_order():
    plan = plan_shards(indices=[3, 0, 2, 1], sizes=[1, 1, 1, 1], replicas=2, sync=10_000)
    # positions of shards 0, 2 (replica 0) and 1, 3 (replica 1) in the futures' order
    assert plan.groups == ((1, 2), (3, 0))


# -- training ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "architecture, objective, window, rule",
    [("skipgram", "negative", 3, "mean"), ("cbow", "hierarchical", 3, "mean"),
     ("skipgram", "negative", "all", "mean"),
     *[("skipgram", "negative", 3, rule) for rule in MERGES if rule != "mean"]],
)  # fmt: skip
def test_one_replica_syncing_once_an_epoch_is_single_machine_training(
    client, architecture, objective, window, rule
):
    corpus = topic_corpus(n_sentences=3000)
    chosen = estimator(architecture, objective=objective, window=window, dask_sync=10**9)
    chosen.dask_merge = rule  # "mean" and "delta" are the benchmark's baselines, not options
    single = train_matrices(corpus, chosen)
    emb, history = train_word2vec(client, chosen, corpus.vocab, shard_futures(client, corpus, 1))
    assert np.array_equal(emb.input_vectors, single.W)
    assert np.array_equal(emb.context_vectors, single.C)
    assert [h["loss"] for h in history] == [h["loss"] for h in single.history]
    assert [h["syncs"] for h in history] == [1, 1]


@pytest.mark.parametrize("rule", MERGES)
def test_two_replicas_learn_the_planted_topics(client, rule):
    corpus = topic_corpus(n_sentences=4000, seed=1)
    topic_of = np.arange(len(corpus.vocab.words)) // 6
    chosen = estimator(epochs=3, dask_sync=10_000)
    chosen.dask_merge = rule
    emb, history = train_word2vec(client, chosen, corpus.vocab, shard_futures(client, corpus, 2))
    assert history[0]["replicas"] == 2 and history[0]["syncs"] == 2
    # the margin of random vectors is about 0; one machine reaches about 0.9 here
    single = train_matrices(corpus, chosen)
    assert topic_margin(emb.input_vectors, topic_of) > 0.5
    assert topic_margin(emb.input_vectors, topic_of) > topic_margin(single.W, topic_of) - 0.2
    assert history[-1]["loss"] < history[0]["loss"]
    assert all(h["sync_bytes_up"] > 0 and h["sync_bytes_down"] > 0 for h in history)


def test_the_front_door_trains_word2vec_on_the_cluster(client, tmp_path):
    corpus = topic_corpus(n_sentences=3000, seed=4)
    path = tmp_path / "topics.txt"
    words = corpus.vocab.words
    path.write_text("".join(" ".join(words[t] for t in s) + "\n" for s in corpus.sentences()))
    settings = dict(min_count=1, dim=10, window=3, epochs=3, sample=0.0, dask_sync=10_000)
    emb = embedlab.train(str(path), method="cbow", dask=client.scheduler.address, quiet=True,
                         **settings)  # fmt: skip
    topic_of = np.array([int(w[1:]) // 6 for w in emb.words])  # w0..w5 are topic 0, ...
    assert emb.meta["method"] == "cbow" and emb.meta["params"]["dask_sync"] == 10_000
    assert emb.meta["cluster"]["replicas"] >= 1
    assert topic_margin(emb.input_vectors, topic_of) > 0.5


class _KillOnce:
    """A progress object that kills one busy worker once the run is under way."""

    def __init__(self, client, after_words):
        self.client, self.after_words, self.killed = client, after_words, None

    def update(self, done, **fields):
        if self.killed is None and done >= self.after_words:
            busy = [w for w, keys in self.client.processing().items() if keys]
            self.killed = (busy or sorted(self.client.scheduler_info()["workers"]))[0]
            pid = self.client.run(os.getpid, workers=[self.killed])[self.killed]
            os.kill(pid, signal.SIGKILL)  # the LocalCluster's workers are this machine's

    def epoch(self, entry, epochs):
        pass


def test_a_killed_worker_loses_and_repeats_nothing(client):
    corpus = topic_corpus(n_sentences=6000, seed=2)
    chosen = estimator(epochs=2, dask_sync=10_000)
    sizes = [len(s.tokens) for s in client.gather(shard_futures(client, corpus, 2))]
    calm, _ = train_word2vec(client, chosen, corpus.vocab, shard_futures(client, corpus, 2))
    killer = _KillOnce(client, after_words=len(corpus.tokens) // 2)
    hurt, history = train_word2vec(client, chosen, corpus.vocab,
                                   shard_futures(client, corpus, 2), progress=killer)  # fmt: skip
    client.wait_for_workers(2, timeout=60)
    assert killer.killed is not None
    assert killer.killed not in client.scheduler_info()["workers"]  # it really died
    for entry in history:  # every shard's words trained once per epoch, no more, no less
        assert entry["shard_words"] == [[0, sizes[0]], [1, sizes[1]]]
    # a retried round recomputes exactly what the lost one would have sent
    assert np.array_equal(hurt.input_vectors, calm.input_vectors)
    assert np.array_equal(hurt.context_vectors, calm.context_vectors)


class _ForgetOnce:
    """A progress object that, once the run is under way, wipes every worker's copy of the
    merged state (as a restarted worker has none)."""

    def __init__(self, client, after_words):
        self.client, self.after_words, self.forgot = client, after_words, False

    def update(self, done, **fields):
        if not self.forgot and done >= self.after_words:
            self.client.run(_forget_merged_state)
            self.forgot = True

    def epoch(self, entry, epochs):
        pass


def _forget_merged_state():
    from embedlab.distributed import word2vec

    word2vec._MERGED.clear()


def test_a_worker_that_lost_its_copy_of_the_state_gets_it_whole_and_nothing_changes(client):
    corpus = topic_corpus(n_sentences=6000, seed=2)
    chosen = estimator(epochs=2, dask_sync=10_000)
    chosen.dask_merge = "bmuf"  # the momentum steps must come back too
    calm, calm_history = train_word2vec(client, chosen, corpus.vocab,
                                        shard_futures(client, corpus, 2))  # fmt: skip
    forgetful = _ForgetOnce(client, after_words=len(corpus.tokens) // 2)
    futures = shard_futures(client, corpus, 2)
    hurt, history = train_word2vec(client, chosen, corpus.vocab, futures, progress=forgetful)
    assert forgetful.forgot
    assert np.array_equal(hurt.input_vectors, calm.input_vectors)
    assert np.array_equal(hurt.context_vectors, calm.context_vectors)
    # the whole state went down again only to the replicas that asked for it, once
    assert sum(h["sync_full_states"] for h in calm_history) == 0
    assert 1 <= sum(h["sync_full_states"] for h in history) <= 2


# -- errors ------------------------------------------------------------------------------------


def test_a_worker_error_is_one_line_naming_the_worker_and_the_shard(client):
    corpus = topic_corpus(n_sentences=200)
    good = shard_futures(client, corpus, 1)[0]
    # an id past the vocabulary would make the kernel write outside the matrices
    outside = np.array([0, 1, len(corpus.vocab.words)], np.int32)
    broken = client.submit(Shard, 7, outside, np.array([0, 3]), 3, pure=False)
    with pytest.raises(EmbedlabError) as caught:
        train_word2vec(client, estimator(), corpus.vocab, [good, broken])
    message = str(caught.value)
    assert "\n" not in message and "failed on shard 7" in message
    assert f"token ids run from 0 to {len(corpus.vocab.words)}" in message
    assert any(f"worker {w} " in message for w in client.scheduler_info()["workers"])


def test_a_task_run_outside_a_worker_still_names_the_shard():
    corpus = topic_corpus(n_sentences=10)
    setup = Setup(estimator(), np.asarray(corpus.vocab.counts), 3, run="outside", replicas=1)
    shard = Shard(4, np.zeros(3, np.int32), "not offsets", 3)
    spec = plan_shards([4], [3], replicas=1, sync=10_000).spec(0, 0)
    with pytest.raises(ShardError, match=r"^worker \(none\) failed on shard 4 \(epoch 1, sync"):
        train_round(setup, spec, 0, None, None, [shard])


def test_what_the_cluster_cannot_do_yet_is_refused(client):
    corpus = topic_corpus(n_sentences=100)
    with pytest.raises(EmbedlabError, match="callbacks cannot be used with dask yet"):
        train_word2vec(client, estimator(callbacks=[print]), corpus.vocab, [object()])
    with pytest.raises(EmbedlabError, match="backend=.torch. cannot be used with dask: "):
        train_word2vec(client, estimator(backend="torch"), corpus.vocab, [object()])


def test_the_sync_period_is_checked_when_given():
    with pytest.raises(EmbedlabError, match="dask_sync"):
        SkipGram(dask_sync=100)
    with pytest.raises(EmbedlabError, match="dask_merge must be one of bmuf, averaged"):
        SkipGram(dask_merge="sum")
