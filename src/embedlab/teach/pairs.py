"""Lesson: the training examples a sliding window makes (skip-gram, CBOW, next word)."""

from __future__ import annotations

import re

from embedlab.corpus.windows import cbow_examples, next_word_examples, skipgram_pairs
from embedlab.errors import EmbedlabError, setting
from embedlab.teach import slips, toy_data

MODES = ("skipgram", "cbow", "next-word")

_WORD = re.compile(r"[\w'-]+")


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the notes write them: case kept, punctuation dropped."""
    words = _WORD.findall(text)
    if not words:
        raise EmbedlabError("the text has no words: give a sentence such as 'the quick brown fox'")
    return words


def training_pairs(
    text: str | list[str],
    window: int = 2,
    mode: str = "skipgram",
    dynamic: bool = False,
    seed: int = 1,
) -> list[dict]:
    """The examples training sees for ``text``, numbered by window (1 = the first window).

    ``window`` is words on each side (skip-gram, CBOW) or the number of previous words
    (next-word). ``dynamic`` draws word2vec's reduced window per position from ``seed``.
    Skip-gram rows are ``{"window", "source", "target"}``; CBOW and next-word rows are
    ``{"window", "inputs", "target"}``. The generators are the ones the trainer uses.
    """
    if mode not in MODES:
        raise EmbedlabError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    seq = words_of(text) if isinstance(text, str) else list(text)
    if mode == "skipgram":
        pairs = skipgram_pairs(seq, window, dynamic=dynamic, seed=seed)
        return [{"window": p + 1, "source": s, "target": t} for p, s, t in pairs]
    if mode == "cbow":
        examples = cbow_examples(seq, window, dynamic=dynamic, seed=seed)
        return [{"window": p + 1, "inputs": list(ins), "target": t} for p, ins, t in examples]
    if dynamic:
        raise EmbedlabError(
            f"{setting('dynamic', True)} applies to skipgram and cbow, not next-word"
        )
    # A next-word window is numbered by where it starts, as the notes slide it along the text.
    examples = next_word_examples(seq, window)
    return [{"window": p + 1 - window, "inputs": list(ins), "target": t} for p, ins, t in examples]


#: Each mode's default sentence from the notes: 003's full table for skip-gram, 001's Shivas
#: tables (which the slide calls CBOW) for the other two.
DEFAULT_TEXTS = {
    "skipgram": toy_data.QUICK_FOX,
    "cbow": toy_data.SHIVAS,
    "next-word": toy_data.SHIVAS,
}


def pairs_lesson(
    text: str | None = None,
    window: int = 2,
    mode: str = "skipgram",
    dynamic: bool = False,
    seed: int = 1,
) -> dict:
    """:func:`training_pairs` with the notes' sentence for ``mode`` when ``text`` is None.

    Returns ``{"text", "mode", "window", "rows", "slips"}``.
    """
    if mode not in MODES:
        raise EmbedlabError(f"mode must be one of {', '.join(MODES)}; got {mode!r}")
    text = DEFAULT_TEXTS[mode] if text is None else text
    rows = training_pairs(text, window=window, mode=mode, dynamic=dynamic, seed=seed)
    found = [] if dynamic else slips.pairs(text, mode, window)
    return {
        "text": text,
        "mode": mode,
        "window": window,
        "rows": rows,
        "slips": slips.as_dicts(found),
    }
