"""The corpus pipeline: read text, tokenize, build the vocabulary, encode to int32 ids, cache.

``as_corpus`` is what every method calls: it turns whatever the user gave (files, token lists,
an already encoded corpus) into an ``EncodedCorpus``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from embedlab.corpus.encoded import EncodedCorpus, encode_corpus
from embedlab.corpus.tokenizer import Tokenizer
from embedlab.corpus.vocabulary import Vocabulary, build_vocabulary
from embedlab.errors import EmbedlabError

__all__ = [
    "EncodedCorpus",
    "Tokenizer",
    "Vocabulary",
    "as_corpus",
    "build_vocabulary",
    "encode_corpus",
    "sample_corpus_path",
]

_SENTENCE_SETTINGS = ("min_count", "max_vocab")


def as_corpus(corpus, **settings) -> EncodedCorpus:
    """An ``EncodedCorpus`` from whatever describes one.

    ``corpus`` is an ``EncodedCorpus`` (returned as is, settings ignored), a path or a list of
    paths (read with ``encode_corpus(corpus, **settings)``), or any other iterable of token lists
    (``EncodedCorpus.from_sentences``; only ``min_count`` and ``max_vocab`` apply there).
    """
    if isinstance(corpus, EncodedCorpus):
        return corpus
    if _is_paths(corpus):
        return encode_corpus(corpus, **settings)
    if isinstance(corpus, (bytes, bytearray)) or not isinstance(corpus, Iterable):
        raise EmbedlabError(
            f"corpus must be a file or folder path, a list of them, an EncodedCorpus or an "
            f"iterable of token lists; got {type(corpus).__name__} {_short(corpus)}"
        )
    foreign = sorted(set(settings) - set(_SENTENCE_SETTINGS))
    if foreign:
        raise EmbedlabError(
            f"{', '.join(foreign)} only apply when reading files: "
            f"token lists are used as given (only min_count and max_vocab apply)"
        )
    return EncodedCorpus.from_sentences(corpus, **settings)


def _short(value) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _is_paths(corpus) -> bool:
    if isinstance(corpus, (str, os.PathLike)):
        return True
    return (
        isinstance(corpus, (list, tuple))
        and len(corpus) > 0
        and all(isinstance(item, (str, os.PathLike)) for item in corpus)
    )


def sample_corpus_path() -> Path:
    """The bundled sample corpus (gzip, one paragraph per line; see ``data/README.md``)."""
    return Path(str(resources.files("embedlab") / "data" / "sample.txt.gz"))
