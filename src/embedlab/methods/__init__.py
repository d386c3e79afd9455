"""Training methods behind one front door: ``train(corpus, method=..., **params)``.

Every method is an estimator class with parameters validated in ``__init__`` and a
``fit(corpus) -> Embeddings`` method. This registry maps a method name to the class's dotted
path, imported only when used so that ``import embedlab`` stays cheap.
"""

from __future__ import annotations

import importlib
import inspect

from embedlab.errors import EmbedlabError

METHODS: dict[str, str] = {
    "skipgram": "embedlab.methods.word2vec.model:SkipGram",
    "cbow": "embedlab.methods.word2vec.model:CBOW",
    "ppmi": "embedlab.methods.count.model:PPMI",
    "ppmi-svd": "embedlab.methods.count.model:PPMISVD",
    "glove": "embedlab.methods.glove:GloVe",
    "deepwalk": "embedlab.methods.walks:DeepWalk",
    "node2vec": "embedlab.methods.walks:Node2Vec",
    "autoencoder": "embedlab.methods.neural.autoencoder:Autoencoder",
    "vae": "embedlab.methods.neural.vae:VAE",
    "contrastive": "embedlab.methods.neural.contrastive:Contrastive",
}


def method_class(method: str):
    """The estimator class registered under ``method``; EmbedlabError for an unknown name."""
    if method not in METHODS:
        choices = ", ".join(sorted(METHODS))
        raise EmbedlabError(f"unknown method {method!r}: choose one of {choices}")
    module, name = METHODS[method].split(":")
    return getattr(importlib.import_module(module), name)


def available_classes() -> dict[str, type]:
    """Every method whose estimator can be imported here: a method whose optional dependency
    (the ``[torch]`` extra) is missing is left out, so the others still offer their options."""
    classes = {}
    for method in METHODS:
        try:
            classes[method] = method_class(method)
        except EmbedlabError:
            continue
    return classes


#: Parameters that describe how the corpus is read and encoded rather than the method itself.
CORPUS_SETTINGS = (
    "min_count",
    "max_vocab",
    "tokenizer",
    "lowercase",
    "encoding",
    "errors",
    "cache",
)

#: How a line of a text corpus is read: ``items`` is one basket, session or playlist of item
#: ids per line, split on whitespace and kept as written (an id like ``SKU-12/b`` stays whole).
CORPUS_FORMATS: dict[str, dict] = {
    "text": {},
    "items": {"tokenizer": "whitespace", "lowercase": False},
}


def train(
    corpus,
    method: str = "skipgram",
    *,
    spell=str,
    corpus_format: str = "text",
    before_fit=None,
    dask: str | None = None,
    dask_storage=None,
    **params,
):
    """Train embeddings with ``method`` on ``corpus`` and return an ``Embeddings``.

    ``corpus`` is an ``EncodedCorpus``, a path or list of paths, or an iterable of token lists;
    for the graph methods (``GRAPH_METHODS``) a graph file or an ``embedlab.graphs.Graph``.
    ``params`` are the method's parameters (see each estimator's docstring), plus the corpus
    settings in ``CORPUS_SETTINGS``, used when the corpus still has to be encoded, with the
    defaults of ``corpus_format`` (``CORPUS_FORMATS``). ``spell`` turns a parameter name into
    what the caller calls it in error messages (the CLI gives its flags).
    ``before_fit(corpus, estimator)``, when given, is called once a text corpus is encoded and
    before training starts (the CLI checks there that the output will fit on disk).
    ``dask`` (default None: this machine) trains on a Dask cluster: a scheduler address such as
    ``tcp://host:8786``, or ``local:N`` for N worker processes started here and closed after
    (needs the ``[dask]`` extra; see docs/distributed.md). ``dask_storage`` (default None: the
    workers' memory) is a folder every worker shares, where the encoded shards are kept.
    """
    from embedlab.checks import check_choice

    check_choice(spell("corpus_format"), corpus_format, tuple(CORPUS_FORMATS))
    settings = {key: params.pop(key) for key in CORPUS_SETTINGS if key in params}
    estimator_class = method_class(method)
    _reject_foreign(method, estimator_class, params, spell)
    estimator = estimator_class(**params)  # validates before any corpus is read
    if dask is not None or dask_storage is not None:
        return _train_on_cluster(method, estimator, corpus, settings, corpus_format, before_fit,
                                 dask, dask_storage, spell)  # fmt: skip
    if method in GRAPH_METHODS:
        _reject_text_settings(method, settings, corpus_format, spell)
        return estimator.fit(corpus)
    from embedlab.corpus import as_corpus

    encoded = as_corpus(corpus, **(CORPUS_FORMATS[corpus_format] | settings))
    if before_fit is not None:
        before_fit(encoded, estimator)
    return estimator.fit(encoded)


def _train_on_cluster(method, estimator, corpus, settings, corpus_format, before_fit, dask,
                      storage, spell):  # fmt: skip
    if dask is None:
        raise EmbedlabError(
            f"{spell('dask_storage')} keeps a cluster's shards: give {spell('dask')} too"
        )
    from embedlab.distributed.run import train_on_cluster

    return train_on_cluster(
        method,
        estimator,
        corpus,
        CORPUS_FORMATS[corpus_format] | settings,
        dask=dask,
        storage=storage,
        before_fit=before_fit,
        spell=spell,
    )


#: Methods that read a graph (and walk it) instead of a text corpus.
GRAPH_METHODS = ("deepwalk", "node2vec")


def _reject_text_settings(method: str, settings: dict, corpus_format: str, spell) -> None:
    given = sorted(settings) + (["corpus_format"] if corpus_format != "text" else [])
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise EmbedlabError(
            f"{', '.join(map(spell, given))} only {verb} to text corpora, not to method "
            f"{method!r}, which reads a graph: leave it out"
        )


def _reject_foreign(method: str, estimator_class, params: dict, spell) -> None:
    """Name every parameter the method does not take, instead of a TypeError deep inside."""
    accepted = set(inspect.signature(estimator_class).parameters)
    foreign = sorted(set(params) - accepted)
    if foreign:
        names = ", ".join(map(spell, foreign))
        takes = ", ".join(sorted(map(spell, accepted)))
        verb = "does" if len(foreign) == 1 else "do"
        raise EmbedlabError(f"{names} {verb} not apply to method {method!r} (it takes: {takes})")
