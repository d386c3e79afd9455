"""Word and context tables from and to files, for the lessons that update or train them."""

from __future__ import annotations

from pathlib import Path

from embedlab.cli.common import console
from embedlab.errors import EmbedlabError

WORDS_SUFFIX, CONTEXTS_SUFFIX = ".words.txt", ".contexts.txt"


def _sibling(path: Path, suffix: str, other: str) -> Path | None:
    name = str(path)
    return Path(name[: -len(suffix)] + other) if name.endswith(suffix) else None


def tables_from(toy: str | None, word_vectors, context_vectors):
    """The tables to start from: vector files when given (the toy then only names the default
    update), else the built-in toy. A STEM.words.txt / STEM.contexts.txt pair written by ``-o``
    may be given by either half."""
    from embedlab.teach.tables import load_tables, toy_tables

    if word_vectors is None and context_vectors is not None:
        word_vectors = _sibling(context_vectors, CONTEXTS_SUFFIX, WORDS_SUFFIX)
    elif context_vectors is None and word_vectors is not None:
        context_vectors = _sibling(word_vectors, WORDS_SUFFIX, CONTEXTS_SUFFIX)
    if (word_vectors is None) != (context_vectors is None):
        raise EmbedlabError(
            "give both --word-vectors and --context-vectors (or one half of a "
            f"STEM{WORDS_SUFFIX} / STEM{CONTEXTS_SUFFIX} pair written by -o)"
        )
    if word_vectors is not None:
        return load_tables(word_vectors, context_vectors)
    return toy_tables(toy or "vehicles-fruits")


def write_tables(stem: Path, words, word_vectors, context_vectors) -> tuple[str, str]:
    """The two tables as word2vec text files that ``--word-vectors/--context-vectors`` read."""
    import numpy as np

    from embedlab.vectors.embeddings import Embeddings

    paths = (f"{stem}{WORDS_SUFFIX}", f"{stem}{CONTEXTS_SUFFIX}")
    for path, matrix in zip(paths, (word_vectors, context_vectors), strict=True):
        Embeddings(list(words), np.asarray(matrix, dtype=np.float32)).save(path, format="word2vec")
    return paths


def check_stem(stem: Path | None) -> None:
    from embedlab.fileio import check_output_path

    if stem is not None:
        for suffix in (WORDS_SUFFIX, CONTEXTS_SUFFIX):
            check_output_path(Path(f"{stem}{suffix}"))


def say_written(paths) -> None:
    if paths:
        console.print(f"tables written to {paths[0]} and {paths[1]}")
