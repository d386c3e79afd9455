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


def train(corpus, method: str = "skipgram", *, spell=str, **params):
    """Train embeddings with ``method`` on ``corpus`` and return an ``Embeddings``.

    ``corpus`` is an ``EncodedCorpus``, a path or list of paths, or an iterable of token lists.
    ``params`` are the method's parameters (see each estimator's docstring), plus the corpus
    settings in ``CORPUS_SETTINGS``, used when the corpus still has to be encoded. ``spell``
    turns a parameter name into what the caller calls it in error messages (the CLI gives its
    flags).
    """
    settings = {key: params.pop(key) for key in CORPUS_SETTINGS if key in params}
    estimator_class = method_class(method)
    _reject_foreign(method, estimator_class, params, spell)
    estimator = estimator_class(**params)  # validates before any corpus is read
    from embedlab.corpus import as_corpus

    return estimator.fit(as_corpus(corpus, **settings))


def _reject_foreign(method: str, estimator_class, params: dict, spell) -> None:
    """Name every parameter the method does not take, instead of a TypeError deep inside."""
    accepted = set(inspect.signature(estimator_class).parameters)
    foreign = sorted(set(params) - accepted)
    if foreign:
        names = ", ".join(map(spell, foreign))
        takes = ", ".join(sorted(map(spell, accepted)))
        verb = "does" if len(foreign) == 1 else "do"
        raise EmbedlabError(f"{names} {verb} not apply to method {method!r} (it takes: {takes})")
