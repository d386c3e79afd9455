"""Fresh walks every epoch: other walks from the same seed, one epoch's walks held at a time,
the learning rate falling over all epochs, and the same vectors for the same seed."""

from __future__ import annotations

import hashlib
import tracemalloc
import weakref
from importlib import resources

import numpy as np
import pytest

from embedlab.cli.app import main
from embedlab.graphs import build_graph, karate_club
from embedlab.graphs.walks import FreshWalks, generate_walks, walk_corpus
from embedlab.methods.walks import DeepWalk, Node2Vec

WALKS = {"walk_length": 20, "walks_per_node": 5}
SMALL = {"dim": 8, "threads": 1, "quiet": True, **WALKS}


@pytest.fixture(scope="module")
def karate():
    return karate_club()[0]


def _digest(array) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def test_epoch_zero_is_the_walks_without_fresh_walks_and_later_epochs_differ(karate):
    plain = generate_walks(karate, seed=3, **WALKS)
    epochs = [generate_walks(karate, seed=3, epoch=e, **WALKS) for e in range(3)]
    assert np.array_equal(epochs[0][0], plain[0])
    assert len({_digest(tokens) for tokens, _ in epochs}) == 3
    # an epoch's walks are its seed's, whatever the thread count
    again = generate_walks(karate, seed=3, epoch=2, threads=3, **WALKS)
    assert np.array_equal(again[0], epochs[2][0])


def test_fresh_walks_share_one_vocabulary_and_decode_to_each_epochs_walks(karate):
    walks = FreshWalks(karate, seed=2, **WALKS)
    assert walks.vocab.words == walk_corpus(karate, seed=2, **WALKS).vocab.words
    for epoch in (0, 1, 2):
        corpus = walks.for_epoch(epoch)
        assert corpus.vocab is walks.vocab
        tokens, _ = generate_walks(karate, seed=2, epoch=epoch, **WALKS)
        decoded = [corpus.vocab.words[i] for i in corpus.tokens]
        assert decoded == [karate.nodes[i] for i in tokens]


class _Watched(FreshWalks):
    """FreshWalks that record what the trainer asks for and whether the last epoch is gone."""

    def __init__(self, graph, **settings):
        super().__init__(graph, **settings)
        self.asked, self.digests, self.last_alive = [], [], []
        self._last = None

    def for_epoch(self, epoch):
        self.last_alive.append(self._last is not None and self._last() is not None)
        corpus = super().for_epoch(epoch)
        self.asked.append(epoch)
        self.digests.append(_digest(corpus.tokens))
        self._last = weakref.ref(corpus.tokens)
        return corpus


def test_the_trainer_takes_each_epochs_walks_after_letting_the_last_go(karate):
    model = DeepWalk(epochs=3, seed=1, **SMALL).word2vec
    walks = _Watched(karate, seed=1, **WALKS)
    model.fit(walks)
    assert walks.asked == [0, 1, 2]
    assert len(set(walks.digests)) == 3
    assert walks.last_alive == [False, False, False]


def _ring(n_nodes: int):
    """Each node linked to the next two: every walk has full length, so each epoch's walks
    take exactly 4 * n_nodes * walks_per_node * walk_length bytes."""
    a = np.repeat(np.arange(n_nodes), 2)
    b = (a + np.tile([1, 2], n_nodes)) % n_nodes
    return build_graph([str(i) for i in range(n_nodes)], a, b, directed=False, origin="ring")


def _peak_bytes(graph, **params) -> int:
    tracemalloc.start()
    try:
        DeepWalk(**params).fit(graph)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_holds_one_epochs_walks_not_all_epochs():
    graph = _ring(3_000)
    settings = dict(dim=2, window=1, negative=1, threads=1, quiet=True, fresh_walks=True,
                    walk_length=40, walks_per_node=4)  # fmt: skip
    one_epoch = 4 * 3_000 * 4 * 40
    _peak_bytes(graph, epochs=2, **settings)  # kernels loaded outside the measurement
    single = _peak_bytes(graph, epochs=1, **settings)
    four = _peak_bytes(graph, epochs=4, **settings)
    assert single > one_epoch  # the measurement sees the walks
    # holding a second epoch's walks would add one_epoch; all four would add three
    assert four - single < one_epoch / 2, (single, four, one_epoch)


def test_same_seed_same_vectors_and_fresh_walks_change_them(karate):
    fresh = DeepWalk(fresh_walks=True, epochs=3, seed=4, **SMALL).fit(karate)
    again = DeepWalk(fresh_walks=True, epochs=3, seed=4, **SMALL).fit(karate)
    same_walks = DeepWalk(epochs=3, seed=4, **SMALL).fit(karate)
    other_seed = DeepWalk(fresh_walks=True, epochs=3, seed=5, **SMALL).fit(karate)
    assert np.array_equal(fresh.vectors, again.vectors)
    assert not np.array_equal(fresh.vectors, same_walks.vectors)
    assert not np.array_equal(fresh.vectors, other_seed.vectors)
    # one epoch has one set of walks either way: the same vectors
    one = DeepWalk(fresh_walks=True, epochs=1, seed=4, **SMALL).fit(karate)
    assert np.array_equal(one.vectors, DeepWalk(epochs=1, seed=4, **SMALL).fit(karate).vectors)


def test_the_learning_rate_falls_over_all_epochs_of_fresh_walks(karate):
    # 34 nodes x 5 walks x 20 steps: each epoch is one chunk of 3,400 words, so epoch e trains
    # at the rate of the run's position e/4, not at a schedule restarted every epoch.
    fresh = Node2Vec(p=0.5, q=2, fresh_walks=True, epochs=4, seed=1, **SMALL).fit(karate)
    start, end = fresh.meta["params"]["alpha"], fresh.meta["params"]["min_alpha"]
    rates = [entry["alpha"] for entry in fresh.meta["history"]]
    assert rates == pytest.approx([start - (start - end) * e / 4 for e in range(4)])
    same = Node2Vec(p=0.5, q=2, epochs=4, seed=1, **SMALL).fit(karate)
    assert rates == [entry["alpha"] for entry in same.meta["history"]]


def test_resuming_fresh_walks_continues_the_same_run(karate, tmp_path):
    settings = dict(fresh_walks=True, epochs=3, seed=2, **SMALL)
    whole = DeepWalk(**settings).fit(karate)
    DeepWalk(**(settings | {"epochs": 1, "checkpoint_dir": tmp_path})).fit(karate)
    resumed = DeepWalk(**settings, resume=tmp_path / "epoch-001.emb").fit(karate)
    assert np.array_equal(whole.vectors, resumed.vectors)


def test_fresh_walks_on_the_command_line(karate, tmp_path, capsys):
    from embedlab.vectors.formats import load

    graph = str(resources.files("embedlab") / "data" / "karate.edgelist")
    out = tmp_path / "nodes.txt"
    options = ["--fresh-walks", "--epochs", "2", "--dim", "4", "--walks-per-node", "2"]
    rc = main(["train", graph, "--method", "deepwalk", *options, "--threads", "1", "-q", "-o",
               str(out)])  # fmt: skip
    _, err = capsys.readouterr()
    assert rc == 0, err
    assert sorted(load(out).words) == sorted(karate.nodes)
    rc = main(["train", graph, "--fresh-walks", "-o", str(tmp_path / "w.txt")])
    _, err = capsys.readouterr()
    assert rc == 2 and "--fresh-walks/--same-walks does not apply to method 'skipgram'" in err
