"""Node embeddings from random walks: ``DeepWalk`` and ``Node2Vec``.

A graph is walked into an ``EncodedCorpus`` whose words are the node names
(``embedlab.graphs.walks``), which the word2vec estimators then train on unchanged.
"""

from __future__ import annotations

import inspect

from embedlab.checks import check_bool, check_choice, check_float, check_int
from embedlab.errors import EmbedlabError
from embedlab.methods.word2vec.model import CBOW, SkipGram

ARCHITECTURES = {"skipgram": SkipGram, "cbow": CBOW}
#: The node2vec paper's settings (Grover & Leskovec 2016, section 4.1) where they differ from
#: word2vec's text defaults: 128 dimensions, window 10, one pass over the walks.
GRAPH_DEFAULTS = {"dim": 128, "window": 10, "epochs": 1}


class DeepWalk:
    """DeepWalk (Perozzi et al. 2014): uniform random walks, then skip-gram (or CBOW).

    Parameters:
        walk_length: nodes per walk (80). walks_per_node: walks started from every node (10).
        architecture: "skipgram" (default) or "cbow".
        directed, weighted, graph_format: how a graph file is read (see
            ``embedlab.graphs.read_graph``); ignored for a ``Graph``.
        Every other parameter is the architecture's (``SkipGram``/``CBOW``), with the node2vec
        paper's defaults dim=128, window=10, epochs=1. ``threads`` and ``seed`` also drive the
        walks; with threads=1 the vectors are the same for the same seed.
    """

    method = "deepwalk"

    def __init__(
        self,
        *,
        walk_length: int = 80,
        walks_per_node: int = 10,
        architecture: str = "skipgram",
        directed: bool = False,
        weighted: bool = False,
        graph_format: str | None = None,
        **word2vec,
    ):
        self.walk_length = check_int("walk_length", walk_length, minimum=2)
        self.walks_per_node = check_int("walks_per_node", walks_per_node, minimum=1)
        self.architecture = check_choice("architecture", architecture, tuple(ARCHITECTURES))
        self.directed = check_bool("directed", directed)
        self.weighted = check_bool("weighted", weighted)
        self.graph_format = graph_format
        self.word2vec = _word2vec(architecture, GRAPH_DEFAULTS | word2vec)

    def _walk_bias(self) -> dict:
        return {}

    def get_params(self) -> dict:
        return {
            "walk_length": self.walk_length,
            "walks_per_node": self.walks_per_node,
            "architecture": self.architecture,
            "directed": self.directed,
            "weighted": self.weighted,
            **self._walk_bias(),
            **self.word2vec.get_params(),
            **self.word2vec._extra_params(),
        }

    def fit(self, graph):
        """Walk ``graph`` (a ``Graph`` or a graph file) and train -> ``Embeddings`` of nodes."""
        from embedlab.graphs import as_graph
        from embedlab.graphs.walks import walk_corpus

        graph = as_graph(
            graph, directed=self.directed, weighted=self.weighted, graph_format=self.graph_format
        )
        corpus = walk_corpus(
            graph,
            walk_length=self.walk_length,
            walks_per_node=self.walks_per_node,
            threads=self.word2vec.threads,
            seed=self.word2vec.seed,
            **self._walk_bias(),
        )
        emb = self.word2vec.fit(corpus)
        emb.meta["method"] = self.method
        emb.meta["params"] = self.get_params()
        emb.meta["graph"] = {
            "nodes": graph.n_nodes,
            "edges": graph.n_edges,
            "directed": graph.directed,
            "weighted": graph.weights is not None,
            "notes": list(graph.notes),
        }
        return emb


class Node2Vec(DeepWalk):
    """node2vec (Grover & Leskovec 2016): second-order biased walks, then skip-gram.

    Same parameters as ``DeepWalk`` plus ``p`` (return: a step back to the previous node is
    weighted 1/p, default 1) and ``q`` (in-out: a step to a node not linked to the previous one
    is weighted 1/q, default 1). p = q = 1 is DeepWalk's walk.
    """

    method = "node2vec"

    def __init__(self, *, p: float = 1.0, q: float = 1.0, **params):
        self.p = check_float("p", p, minimum=0.0, exclusive_minimum=True)
        self.q = check_float("q", q, minimum=0.0, exclusive_minimum=True)
        super().__init__(**params)

    def _walk_bias(self) -> dict:
        return {"p": self.p, "q": self.q}


def _word2vec(architecture: str, params: dict):
    """The architecture's estimator; a parameter it does not take is one clear line."""
    estimator = ARCHITECTURES[architecture]
    accepted = set(inspect.signature(estimator).parameters)
    foreign = sorted(set(params) - accepted)
    if foreign:
        verb = "does" if len(foreign) == 1 else "do"
        raise EmbedlabError(
            f"{', '.join(foreign)} {verb} not apply to architecture={architecture!r}: "
            "leave it out or choose the other architecture"
        )
    return estimator(**params)


def _signature(*inits) -> inspect.Signature:
    """The walk parameters of ``inits``, then every parameter either architecture takes, once."""
    own = [
        p
        for init in inits
        for p in inspect.signature(init).parameters.values()
        if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    seen = {p.name for p in own}
    forwarded = []
    for estimator in ARCHITECTURES.values():
        for param in inspect.signature(estimator).parameters.values():
            if param.name not in seen:
                seen.add(param.name)
                default = GRAPH_DEFAULTS.get(param.name, param.default)
                forwarded.append(param.replace(default=default))
    return inspect.Signature([*own, *forwarded])


DeepWalk.__signature__ = _signature(DeepWalk.__init__)
Node2Vec.__signature__ = _signature(Node2Vec.__init__, DeepWalk.__init__)
