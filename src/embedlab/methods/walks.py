"""Node embeddings from random walks: ``DeepWalk`` and ``Node2Vec``.

A graph is walked into an ``EncodedCorpus`` whose words are the node names
(``embedlab.graphs.walks``), which the word2vec estimators then train on unchanged.
"""

from __future__ import annotations

import inspect
from typing import Annotated

from embedlab.errors import EmbedlabError, setting
from embedlab.methods.params import Bool, Check, Choice, Estimator, Float, Int, declared
from embedlab.methods.word2vec.model import CBOW, SkipGram
from embedlab.methods.word2vec.objectives.base import BACKENDS

ARCHITECTURES = {"skipgram": SkipGram, "cbow": CBOW}
#: The node2vec paper's settings (Grover & Leskovec 2016, section 4.1) where they differ from
#: word2vec's text defaults: 128 dimensions, window 10, one pass over the walks.
GRAPH_DEFAULTS = {"dim": 128, "window": 10, "epochs": 1}


class DeepWalk(Estimator):
    """DeepWalk (Perozzi et al. 2014): uniform random walks, then skip-gram (or CBOW).

    Parameters: the walk's (see ``__init__``), then every parameter of the architecture
    (``SkipGram``/``CBOW``), with the node2vec paper's defaults dim=128, window=10, epochs=1.
    ``threads`` and ``seed`` also drive the walks; with threads=1 the vectors are the same for
    the same seed.
    """

    method = "deepwalk"
    #: Where the forwarded parameters are declared and documented.
    forwards_to = (SkipGram, CBOW)

    def __init__(
        self,
        *,
        walk_length: Annotated[int, Int(minimum=2)] = 80,
        walks_per_node: Annotated[int, Int(minimum=1)] = 10,
        architecture: Annotated[str, Choice(ARCHITECTURES)] = "skipgram",
        directed: Annotated[bool, Bool(flag="--directed/--undirected")] = False,
        weighted: Annotated[bool, Bool(flag="--weighted/--unweighted")] = False,
        fresh_walks: Annotated[bool, Bool(flag="--fresh-walks/--same-walks")] = False,
        graph_format: Annotated[str | None, Check(record=False)] = None,
        **word2vec,
    ):
        """Check and set the parameters.

        Parameters:
            walk_length: nodes per walk.
            walks_per_node: walks started from every node.
            architecture: "skipgram" or "cbow" on the walks.
            directed: keep edge directions (a graph file only; ignored for a Graph).
            weighted: use edge weights (else every edge weighs 1; a graph file only).
            graph_format: edgelist, adjlist, mat or npz instead of the file extension's.
            fresh_walks: walk the graph anew for every epoch, from streams of (seed, epoch),
                instead of training every epoch on the same walks; one epoch's walks are held
                at a time either way. The vocabulary and its counts (noise distribution,
                subsampling) are the first epoch's walks', which are the walks without it.
        """
        self.assign(locals())
        self.word2vec = _word2vec(architecture, GRAPH_DEFAULTS | word2vec)
        if fresh_walks and self.word2vec.backend != BACKENDS[0]:
            # Only the Numba trainer takes a corpus per epoch (trainer.EpochCorpora).
            raise EmbedlabError(
                f"{setting('fresh_walks', True)} needs {setting('backend', BACKENDS[0])}: leave "
                f"{setting('backend')} out, or walk once ({setting('fresh_walks', False)})"
            )

    def get_params(self, deep: bool = True) -> dict:
        """The walk's parameters, then the architecture's."""
        return self._walk_params() | self.word2vec.get_params()

    def params_as_set(self) -> dict:
        """The walk's parameters as set, then the architecture's."""
        return super().params_as_set() | self.word2vec.params_as_set()

    def _walk_params(self) -> dict:
        forwarded = set().union(*map(declared, self.forwards_to))
        return {
            name: param.check.describe(getattr(self, name))
            for name, param in declared(type(self)).items()
            if param.check.record and name not in forwarded
        }

    def _walk_bias(self) -> dict:
        return {}

    def fit(self, graph):
        """Walk ``graph`` (a ``Graph`` or a graph file) and train -> ``Embeddings`` of nodes."""
        from embedlab.graphs import as_graph
        from embedlab.graphs.walks import FreshWalks, walk_corpus

        graph = as_graph(
            graph, directed=self.directed, weighted=self.weighted, graph_format=self.graph_format
        )
        walks = FreshWalks if self.fresh_walks else walk_corpus
        corpus = walks(
            graph,
            walk_length=self.walk_length,
            walks_per_node=self.walks_per_node,
            threads=self.word2vec.threads,
            seed=self.word2vec.seed,
            **self._walk_bias(),
        )
        emb = self.word2vec.fit(corpus)
        emb.meta["method"] = self.method
        # the architecture's as it trained: with the starting rate sized from the walks
        emb.meta["params"] = self._walk_params() | emb.meta["params"]
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

    Same parameters as ``DeepWalk`` plus ``p`` and ``q``; p = q = 1 is DeepWalk's walk.
    """

    method = "node2vec"

    def __init__(
        self,
        *,
        p: Annotated[float, Float(minimum=0.0, exclusive_minimum=True)] = 1.0,
        q: Annotated[float, Float(minimum=0.0, exclusive_minimum=True)] = 1.0,
        **params,
    ):
        """Check and set the parameters.

        Parameters:
            p: node2vec's return parameter: a step back to the previous node weighs 1/p.
            q: node2vec's in-out parameter: a step to a node not linked to the previous one
                weighs 1/q.
        """
        self.assign(locals())
        from embedlab.graphs.walks import check_walk_bias

        check_walk_bias(self.p, self.q)  # before any graph is read
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
            f"{', '.join(map(setting, foreign))} {verb} not apply to "
            f"{setting('architecture', architecture)}: leave it out or choose the other "
            f"{setting('architecture')}"
        )
    return estimator(**params)


def _signature(*inits) -> inspect.Signature:
    """The walk parameters of ``inits``, then every parameter either architecture takes, once."""
    own = [
        p
        for init in inits
        for p in inspect.signature(init, eval_str=True).parameters.values()
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
