"""The lecture notes' worked examples, computed step by step by the code that trains models.

One module per lesson; each function returns plain data (dicts, lists, arrays) for notebooks,
and ``embedlab teach ...`` prints the same data as tables or JSON::

    from embedlab import teach
    teach.training_pairs("The quick brown fox jumped over the lazy dog", window=2)
    teach.sgns_step(teach.toy_tables(), "banana", "lemon", ["firetruck"], alpha=0.1)
    teach.softmax_loss()            # the notes' Frodo -> ring example

A result that reproduces one of the notes' examples carries ``"slips"``: where the slide and
the math disagree (``embedlab.teach.slips``).
"""

from __future__ import annotations

from embedlab._lazy import lazy_api

_API = {
    "training_pairs": "embedlab.teach.pairs",
    "words_of": "embedlab.teach.pairs",
    "sgns_step": "embedlab.teach.sgd_step",
    "Tables": "embedlab.teach.tables",
    "toy_tables": "embedlab.teach.tables",
    "load_tables": "embedlab.teach.tables",
    "train_toy": "embedlab.teach.toy_training",
    "softmax_loss": "embedlab.teach.softmax",
    "gradcheck": "embedlab.teach.gradcheck",
    "random_tables": "embedlab.teach.gradcheck",
    "pmi_table": "embedlab.teach.pmi",
    "text_counts": "embedlab.teach.pmi",
    "read_counts": "embedlab.teach.pmi",
    "sgns_vs_pmi": "embedlab.teach.sgns_pmi",
    "parameter_count": "embedlab.teach.params",
    "cosine_similarities": "embedlab.teach.cosine",
    "personality_vectors": "embedlab.teach.cosine",
    "pairs_lesson": "embedlab.teach.pairs",
    "matrix_calculus_lesson": "embedlab.teach.matrix_calculus",
    "sigmoid_derivative_lesson": "embedlab.teach.sigmoid_derivative",
    "kl_lesson": "embedlab.teach.kl",
    "analogy_exercise": "embedlab.teach.analogy_exercise",
    # note 004's encoders: these import torch (the [torch] extra) when first used
    "autoencoder_lesson": "embedlab.teach.encoders",
    "vae_lesson": "embedlab.teach.encoders",
    "contrastive_lesson": "embedlab.teach.contrastive",
}

# Lazy, so importing one lesson does not compile every lesson's Numba kernels.
__getattr__, __dir__, __all__ = lazy_api(__name__, _API)
