"""Word and context tables for the lessons: the notes' toys, or the user's own vectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.teach import toy_data

#: Built-in starting tables: the notes' first update, and their "much later" second update.
TOYS = ("vehicles-fruits", "vehicles-fruits-later")


@dataclass
class Tables:
    """A vocabulary with one word vector and one context vector per word (float64 copies)."""

    words: list[str]
    word_vectors: np.ndarray
    context_vectors: np.ndarray

    def ids(self, words) -> list[int]:
        """Row numbers of ``words``; UnknownWordError naming every missing one."""
        index = {w: i for i, w in enumerate(self.words)}
        missing = [w for w in words if w not in index]
        if missing:
            raise UnknownWordError(missing)
        return [index[w] for w in words]

    def as_dict(self) -> dict:
        """``{"word_vectors": {word: [...]}, "context_vectors": {word: [...]}}``."""
        return {
            "word_vectors": dict(zip(self.words, self.word_vectors.tolist(), strict=True)),
            "context_vectors": dict(zip(self.words, self.context_vectors.tolist(), strict=True)),
        }


def toy_tables(name: str = "vehicles-fruits") -> Tables:
    """The notes' vehicles/fruits tables: the start (context all zero) or "much later"."""
    words = list(toy_data.TOY_WORDS)
    if name == "vehicles-fruits":
        start = toy_data.TOY_WORD_VECTORS
        return Tables(words, start.copy(), np.zeros_like(start))
    if name == "vehicles-fruits-later":
        return Tables(
            words,
            toy_data.LATER_WORD_VECTORS.copy(),
            toy_data.LATER_CONTEXT_VECTORS.copy(),
        )
    raise EmbedlabError(f"unknown toy {name!r}: choose one of {', '.join(TOYS)}")


def notes_toy(tables: Tables) -> str | None:
    """The name of the notes' starting tables that ``tables`` equals, or None."""
    for name in TOYS:
        toy = toy_tables(name)
        if (
            tables.words == toy.words
            and np.array_equal(tables.word_vectors, toy.word_vectors)
            and np.array_equal(tables.context_vectors, toy.context_vectors)
        ):
            return name
    return None


def load_tables(word_file, context_file) -> Tables:
    """Word vectors and context vectors from two files (any format ``embedlab.load`` reads).

    The context file must cover every word of the word file; its rows are reordered to match.
    """
    from embedlab.vectors.formats import load

    words_emb = load(word_file)
    context_emb = load(context_file)
    if words_emb.dim != context_emb.dim:
        raise EmbedlabError(
            f"word vectors have {words_emb.dim} dimensions but context vectors "
            f"{context_emb.dim}: give two tables of the same width"
        )
    missing = [w for w in words_emb.words if w not in context_emb]
    if missing:
        raise EmbedlabError(
            f"{len(missing)} words have no context vector (first: {missing[0]!r}): "
            "give a context file with every word of the word file"
        )
    words = list(words_emb.words)
    context = np.array([context_emb[w] for w in words], dtype=np.float64)
    return Tables(words, np.array(words_emb.vectors, dtype=np.float64), context)
