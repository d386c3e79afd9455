"""Training methods behind one front door: ``train(corpus, method=..., **params)``.

Every method is an estimator class with parameters validated in ``__init__`` and a
``fit(corpus) -> Embeddings`` method. This registry maps a method name to the class's dotted
path, imported only when used so that ``import embedlab`` stays cheap.
"""

from __future__ import annotations

import importlib
import inspect
import time

from embedlab.errors import EmbedlabError, setting
from embedlab.methods.habits import unknown_parameters

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
    return documented(getattr(importlib.import_module(module), name))


def documented(cls):
    """``cls`` with its parameters, defaults and their texts listed at the end of its
    docstring (read from the declaration, once), so ``help()`` shows them all."""
    if "_parameters_listed" not in vars(cls):
        from embedlab.methods.params import parameter_listing

        cls.__doc__ = f"{inspect.cleandoc(cls.__doc__ or '')}\n\n{parameter_listing(cls)}"
        cls._parameters_listed = True
    return cls


#: The public names of the estimators (``embedlab.SkipGram``, ...) and their methods.
ESTIMATORS = {path.split(":")[1]: method for method, path in METHODS.items()}


def __getattr__(name: str):
    # embedlab.methods.SkipGram and friends, imported (and documented) on first use.
    if name in ESTIMATORS:
        return method_class(ESTIMATORS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
DEFAULT_CORPUS_FORMAT = "text"


def train(
    corpus,
    method: str = "skipgram",
    *,
    corpus_format: str = DEFAULT_CORPUS_FORMAT,
    dask: str | None = None,
    dask_storage=None,
    **params,
):
    """Train embeddings with ``method`` on ``corpus`` and return them (an ``Embeddings``).

    ``corpus`` is a path or list of paths (text files, folders, .gz/.bz2/.xz), an
    ``EncodedCorpus``, or an iterable of token lists; for deepwalk and node2vec a graph file or
    an ``embedlab.graphs.Graph``. ``params`` are the method's parameters, and the corpus
    settings used when the corpus still has to be encoded (see ``encode_corpus``):
    ``min_count`` (5), ``max_vocab`` (None: all), ``tokenizer`` ("regex"), ``lowercase``
    (True), ``encoding`` ("utf-8"), ``errors`` ("strict"), ``cache`` (True).
    ``corpus_format`` "items" reads one basket, session or playlist per line, split on
    whitespace and kept as written. ``dask`` (default None: this machine) trains on a Dask
    cluster: a scheduler address such as ``tcp://host:8786``, or ``local:N`` for N worker
    processes started here (needs the ``[dask]`` extra; docs/distributed.md); ``dask_storage``
    (default None: the workers' memory) is a folder every worker shares for the shards.

    Progress: a bar on a terminal or in a notebook, one ``logging`` record per epoch on the
    ``embedlab`` logger, and a summary line at the end (a record where logging shows them, else
    on stderr); ``quiet=True`` silences all three. gensim's, word2vec.c's and fastText's names
    (``vector_size``, ``sg``, ``workers``, ...) are answered with embedlab's.

    Methods, and the estimator whose ``help()`` lists the method's parameters and defaults
    (each is also public: ``embedlab.SkipGram(dim=50).fit(corpus)``):
    {methods}
    """
    emb, seconds = fit(corpus, method, corpus_format=corpus_format, dask=dask,
                       dask_storage=dask_storage, **params)  # fmt: skip
    if not params.get("quiet"):
        from embedlab.progress import report

        report(summary_line(emb, seconds))
    return emb


if train.__doc__:  # (python -OO strips docstrings)
    train.__doc__ = train.__doc__.format(
        methods="\n    ".join(
            f"{method}: embedlab.{path.split(':')[1]}" for method, path in METHODS.items()
        )
    )


def fit(
    corpus,
    method: str = "skipgram",
    *,
    corpus_format: str = DEFAULT_CORPUS_FORMAT,
    before_fit=None,
    dask: str | None = None,
    dask_storage=None,
    **params,
):
    """``train``'s work without its summary line: ``(embeddings, seconds)``.

    ``before_fit(corpus, estimator)``, when given, is called once a text corpus is encoded and
    before training starts (the CLI checks there that the output will fit on disk).
    """
    from embedlab.progress import quiet_run

    with quiet_run(bool(params.get("quiet"))):
        return _fit(corpus, method, corpus_format, before_fit, dask, dask_storage, params)


def _fit(corpus, method, corpus_format, before_fit, dask, dask_storage, params):
    from embedlab.checks import check_choice

    started = time.perf_counter()
    check_choice(setting("corpus_format"), corpus_format, tuple(CORPUS_FORMATS))
    settings = {key: params.pop(key) for key in CORPUS_SETTINGS if key in params}
    estimator_class = method_class(method)
    _reject_foreign(method, estimator_class, params)
    estimator = estimator_class(**params)  # validates before any corpus is read
    if dask is not None or dask_storage is not None:
        emb = _train_on_cluster(method, estimator, corpus, settings, corpus_format, before_fit,
                                dask, dask_storage)  # fmt: skip
    elif method in GRAPH_METHODS:
        _reject_text_settings(method, settings, corpus_format)
        emb = estimator.fit(corpus)
    else:
        from embedlab.corpus import as_corpus

        encoded = as_corpus(corpus, **(CORPUS_FORMATS[corpus_format] | settings))
        if before_fit is not None:
            before_fit(encoded, estimator)
        emb = estimator.fit(encoded)
    return emb, time.perf_counter() - started


def summary_line(emb, seconds: float) -> str:
    """``skipgram trained 12,345 words x 100 dims in 3.2 s, 1.2M words at 812k words/s, final
    loss 2.3104``: what a run made, from its history."""
    from embedlab.progress import human_count

    history = emb.meta.get("history") or []
    words = sum(int(entry.get("words", 0)) for entry in history)
    train_seconds = sum(float(entry.get("seconds", 0.0)) for entry in history) or seconds
    method = emb.meta.get("method") or "embedlab"
    parts = [f"{method} trained {len(emb):,} words x {emb.dim} dims in {seconds:.1f} s"]
    if words:
        parts.append(f"{human_count(words)} words at {human_count(words / train_seconds)} words/s")
    if history and history[-1].get("loss") is not None:
        parts.append(f"final loss {history[-1]['loss']:.4f}")
    return ", ".join(parts)


def _train_on_cluster(method, estimator, corpus, settings, corpus_format, before_fit, dask,
                      storage):  # fmt: skip
    if dask is None:
        raise EmbedlabError(
            f"{setting('dask_storage')} keeps a cluster's shards: give {setting('dask')} too"
        )
    if getattr(estimator, "uses_subwords", False):
        from embedlab.methods.word2vec.model import subword_setting

        raise EmbedlabError(
            f"subwords ({subword_setting()}) train on one machine only: leave "
            f"{setting('dask')} out, or train without subwords"
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
        spell=setting,
    )


#: Methods that read a graph (and walk it) instead of a text corpus.
GRAPH_METHODS = ("deepwalk", "node2vec")


def _reject_text_settings(method: str, settings: dict, corpus_format: str) -> None:
    given = sorted(settings) + (["corpus_format"] if corpus_format != "text" else [])
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise EmbedlabError(
            f"{', '.join(map(setting, given))} only {verb} to text corpora, not to method "
            f"{method!r}, which reads a graph: leave it out"
        )


def _reject_foreign(method: str, estimator_class, params: dict) -> None:
    """Name every parameter the method does not take, instead of a TypeError deep inside: a
    name from gensim, word2vec.c or fastText is answered with embedlab's."""
    accepted = set(inspect.signature(estimator_class).parameters)
    foreign = {name: params[name] for name in params if name not in accepted}
    if foreign:
        raise EmbedlabError(unknown_parameters(foreign, accepted, f"method {method!r}"))
