"""Walks: every step follows an edge, node2vec's second-order probabilities hold, and a seed
fixes the walks whatever the thread count."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chisquare

from embedlab.errors import EmbedlabError
from embedlab.graphs import build_graph
from embedlab.graphs.walks import generate_walks, walk_corpus

#: The walks from 0 that step to 1 first have as third node node2vec's second-order draw
#: after (t=0, v=1). 1's neighbours: 0 (the return), 2 (also a
#: neighbour of 0: distance 1) and 3, 4 (distance 2). Edge weights differ on purpose.
EDGES = [(0, 1, 1.0), (0, 2, 1.0), (1, 2, 3.0), (1, 3, 2.0), (1, 4, 1.0), (3, 4, 1.0)]


def graph(weighted=True, directed=False):
    a, b, w = zip(*EDGES, strict=False)
    return build_graph(
        [str(i) for i in range(5)], a, b, w if weighted else None, directed=directed, origin="t"
    )


def walks_of(tokens, starts):
    return [tokens[starts[i] : starts[i + 1]] for i in range(len(starts) - 1)]


def test_every_step_follows_an_edge():
    g = graph(weighted=False, directed=True)
    tokens, starts = generate_walks(g, walk_length=10, walks_per_node=50, p=0.5, q=2.0, seed=3)
    edges = {(a, b) for a, b, _ in EDGES}
    for walk in walks_of(tokens, starts):
        assert all((int(a), int(b)) in edges for a, b in zip(walk[:-1], walk[1:], strict=False))
        # a directed walk ends early only at a node without out-edges (here: 2 and 4)
        assert len(walk) == 10 or int(walk[-1]) in (2, 4)
    assert np.bincount([int(w[0]) for w in walks_of(tokens, starts)]).tolist() == [50] * 5


def expected_after(t, v, p, q, weighted=True):
    """node2vec's transition probabilities from v after t, straight from the paper's formula."""
    weight = {}
    for a, b, w in EDGES:
        weight[(a, b)] = weight[(b, a)] = w if weighted else 1.0
    out = {}
    for x in range(5):
        if (v, x) not in weight:
            continue
        if x == t:
            bias = 1 / p
        elif (t, x) in weight:
            bias = 1.0
        else:
            bias = 1 / q
        out[x] = weight[(v, x)] * bias
    total = sum(out.values())
    return {x: value / total for x, value in out.items()}


@pytest.mark.parametrize(
    ("p", "q", "weighted"), [(0.5, 2.0, True), (4.0, 0.25, False), (1, 1, True)]
)
def test_second_order_step_matches_the_formula(p, q, weighted):
    g = graph(weighted=weighted)
    tokens, starts = generate_walks(g, walk_length=3, walks_per_node=30_000, p=p, q=q, seed=7)
    third = [int(w[2]) for w in walks_of(tokens, starts) if int(w[0]) == 0 and int(w[1]) == 1]
    expected = expected_after(0, 1, p, q, weighted)
    observed = np.bincount(third, minlength=5)[list(expected)]
    result = chisquare(observed, np.array(list(expected.values())) * len(third))
    assert result.pvalue > 1e-4, (observed, expected)
    # the first step from 0 is first-order: proportional to the edge weights 0-1 and 0-2
    first = np.bincount([int(w[1]) for w in walks_of(tokens, starts) if int(w[0]) == 0])
    assert chisquare(first[1:3], [first[1:3].sum() / 2] * 2).pvalue > 1e-4


def test_same_seed_same_walks_for_any_thread_count():
    g = graph()
    one = generate_walks(g, walk_length=20, walks_per_node=400, p=0.5, q=2.0, threads=1, seed=5)
    again = generate_walks(g, walk_length=20, walks_per_node=400, p=0.5, q=2.0, threads=1, seed=5)
    four = generate_walks(g, walk_length=20, walks_per_node=400, p=0.5, q=2.0, threads=4, seed=5)
    other = generate_walks(g, walk_length=20, walks_per_node=400, p=0.5, q=2.0, threads=1, seed=6)
    for a, b in [(one, again), (one, four)]:
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(one[0], other[0])


def test_walk_corpus_has_node_names_as_words_most_visited_first():
    g = graph()
    corpus = walk_corpus(g, walk_length=5, walks_per_node=20, seed=1)
    tokens, _ = generate_walks(g, walk_length=5, walks_per_node=20, seed=1)
    visits = np.bincount(tokens, minlength=5)
    assert corpus.vocab.words == [str(i) for i in np.argsort(-visits, kind="stable")]
    assert corpus.vocab.counts.tolist() == sorted(visits.tolist(), reverse=True)
    decoded = [corpus.vocab.words[i] for i in corpus.tokens]
    assert decoded == [str(i) for i in tokens]
    assert corpus.n_sentences == 100


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"walk_length": 1}, "walk_length must be at least 2"), ({"p": 0}, "p must be greater")],
)
def test_bad_walk_settings_are_one_line(settings, message):
    with pytest.raises(EmbedlabError, match=message):
        generate_walks(graph(), **settings)
