"""Splitting a line of text into tokens; a line is a sentence.

``regex`` (the default) finds Unicode words: runs of letters and digits (any script; the
underscore is not a letter), where a single apostrophe (' or U+2019) or hyphen between two such
runs stays inside the word, so ``don't``, ``o'clock`` and ``well-known`` are one token each, while
``--``, ``'quoted'`` and ``trailing-`` are split off as punctuation. Punctuation and symbols are
dropped. ``whitespace`` splits on whitespace only, for text that is already tokenized. Both
lowercase the line first unless ``lowercase=False``.
"""

from __future__ import annotations

import re

from embedlab.errors import EmbedlabError

KINDS = ("regex", "whitespace")

_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")


class Tokenizer:
    """Turn a line into a list of tokens.

    Parameters:
        kind: ``"regex"`` (default; Unicode words, see the module docstring) or
            ``"whitespace"`` (``str.split()``, for pre-tokenized text).
        lowercase: lowercase the line before splitting (default True).
    """

    def __init__(self, kind: str = "regex", lowercase: bool = True):
        if kind not in KINDS:
            raise EmbedlabError(f"tokenizer must be one of {', '.join(KINDS)}; got {kind!r}")
        if not isinstance(lowercase, bool):
            raise EmbedlabError(f"lowercase must be True or False, got {lowercase!r}")
        self.kind = kind
        self.lowercase = lowercase
        self._split = _WORD.findall if kind == "regex" else str.split

    def tokenize(self, line: str) -> list[str]:
        """The tokens of ``line``, in order."""
        return self._split(line.lower() if self.lowercase else line)

    def __repr__(self) -> str:
        return f"Tokenizer(kind={self.kind!r}, lowercase={self.lowercase})"

    def settings(self) -> dict:
        """The settings that decide the output (part of the corpus cache key)."""
        return {"kind": self.kind, "lowercase": self.lowercase, "pattern": _WORD.pattern}
