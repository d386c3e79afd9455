"""embedlab: word embeddings, fast, comparable and inspectable.

The public API, imported lazily so that ``import embedlab`` is cheap::

    import embedlab
    emb = embedlab.train("corpus.txt", method="skipgram", dim=100)
    emb.most_similar("king")
    embedlab.evaluate(emb)
    emb.save("vectors.bin")
    emb = embedlab.load("vectors.bin")
"""

from __future__ import annotations

from embedlab import kernel_cache
from embedlab._lazy import lazy_api

__version__ = "0.1.0"

# Before any kernel module is decorated, so none of them is cached where it could go stale.
kernel_cache.install()

_API = {
    "Embeddings": "embedlab.vectors.embeddings",
    "load": "embedlab.vectors.formats",
    "train": "embedlab.methods",
    # the estimators train(method=...) builds, public with their full signatures
    "SkipGram": "embedlab.methods",
    "CBOW": "embedlab.methods",
    "PPMI": "embedlab.methods",
    "PPMISVD": "embedlab.methods",
    "GloVe": "embedlab.methods",
    "DeepWalk": "embedlab.methods",
    "Node2Vec": "embedlab.methods",
    "Autoencoder": "embedlab.methods",
    "VAE": "embedlab.methods",
    "Contrastive": "embedlab.methods",
    "evaluate": "embedlab.evaluation",
    "evaluate_sentiment": "embedlab.evaluation",
    "encode_corpus": "embedlab.corpus",
    "as_corpus": "embedlab.corpus",
    "EncodedCorpus": "embedlab.corpus.encoded",
    "Vocabulary": "embedlab.corpus.vocabulary",
    "EmbedlabError": "embedlab.errors",
    "UnknownWordError": "embedlab.errors",
}

__getattr__, __dir__, __all__ = lazy_api(__name__, _API)
