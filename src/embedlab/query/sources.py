"""Where vectors come from: the one policy for opening a file, and the names models go by.

Every command that queries vectors opens them here, so the CLI, the comparison report and the
explorer agree: a native ``.emb`` file is memory-mapped (only the pages a query touches are
read, and processes serving the same file share them), the word2vec and GloVe formats are
parsed into memory (they cannot be mapped), a ``.npz`` file is sparse PPMI rows. Vectors already
in memory pass through unchanged.
"""

from __future__ import annotations

from pathlib import Path

from embedlab.vectors.base import Vectors, cached_once


def is_vectors(source) -> bool:
    """Whether ``source`` is vectors in memory (any kind of the protocol), not a path."""
    return isinstance(source, Vectors)


def open_vectors(source, format: str | None = None, errors: str = "strict") -> Vectors:
    """``source`` if it is vectors already, else the file at that path, memory-mapped when its
    format allows (``format`` and ``errors`` as ``embedlab.load`` takes them; default the
    file's format, and an error for a word that is not valid UTF-8)."""
    if is_vectors(source):
        return source
    from embedlab.vectors.formats import load

    return load(source, format=format, mmap=True, errors=errors)


def source_names(sources, names=None) -> list[str]:
    """A distinct display name per source: ``names`` if given, else each file's name (the full
    path when two files share a name) or the method an in-memory model records; repeats are
    numbered ``skipgram``, ``skipgram (2)``."""
    from embedlab.errors import EmbedlabError

    if names is not None:
        names = [str(n) for n in names]
        if len(names) != len(sources):
            raise EmbedlabError(
                f"{len(names)} names for {len(sources)} sources: give one name per source"
            )
        return _unique(names)
    short = []
    for number, source in enumerate(sources, start=1):
        if is_vectors(source):
            short.append(str(source.meta.get("method") or f"embeddings {number}"))
        else:
            short.append(Path(source).name)
    if len(set(short)) < len(short):  # e.g. two runs/vectors.txt: the paths tell them apart
        short = [
            name if is_vectors(source) else str(source)
            for source, name in zip(sources, short, strict=True)
        ]
    return _unique(short)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


class Model:
    """Opened vectors under the name they are shown by, with the query caches built on demand.

    Attributes:
        vectors: the vectors (any kind of the protocol).
        name: the display name (see ``source_names``).
        path: the file they came from, or None for vectors made in memory.
        format: the stored format's name (``native``, ``word2vec``, ..., ``sparse``) or None.
    """

    def __init__(self, vectors: Vectors, name: str, path=None, format: str | None = None):
        self.vectors = vectors
        self.name = name
        self.path = None if path is None else str(path)
        self.format = format

    @classmethod
    def open(
        cls, source, name: str | None = None, format: str | None = None, errors: str = "strict"
    ) -> Model:
        """Open ``source`` (a path or vectors) by ``open_vectors``' policy (``format`` and
        ``errors`` as it takes them)."""
        vectors = open_vectors(source, format, errors)
        path = None if is_vectors(source) else Path(source)
        stored = None
        if path is not None:
            from embedlab.vectors.formats import stored_format

            stored = stored_format(path, format)
        return cls(vectors, name or source_names([source])[0], path, stored)

    @cached_once
    def completions(self):
        """The model's ``Completions`` (words by prefix), sorted once."""
        from embedlab.query.completion import Completions

        return Completions(self.vectors.words)
