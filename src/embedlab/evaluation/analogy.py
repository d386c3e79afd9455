"""Word analogies: ``a : b :: c : ?`` answered by 3CosAdd, scored as in word2vec's compute-accuracy.

The protocol is gensim's ``KeyedVectors.evaluate_word_analogies``: only the ``restrict_vocab``
most frequent words are candidates or usable question words, words are compared
case-insensitively, a question with a word outside them is skipped and counted, and the answer is
the candidate closest in cosine to ``unit(b) - unit(a) + unit(c)`` other than the three question
words (and their case variants). Sections whose name starts with ``gram`` are syntactic; the
others are semantic.

The questions are answered in batches, as one matrix product of their query vectors with the unit
vectors of the restricted vocabulary, never one nearest-neighbour search at a time.
"""

from __future__ import annotations

import numpy as np

from embedlab.evaluation.composed import ComposedRows
from embedlab.evaluation.datasets import AnalogyData
from embedlab.evaluation.lookup import RestrictedVocab

#: Score matrix cells per batch (float32): bounds the memory of one batch to about 128 MB.
_BATCH_CELLS = 1 << 25
#: 3CosAdd's query ``b - a + c`` as weights of the unit rows of (a, b, c).
_THREE_COS_ADD = (-1.0, 1.0, 1.0)


def evaluate_analogy(
    emb, vocab: RestrictedVocab, data: AnalogyData, composed: ComposedRows | None = None
) -> dict:
    """Score one analogy dataset.

    Args:
        emb: the vectors (any kind of the vector protocol), one row per word in frequency order.
        vocab: the restricted, case-insensitive lookup over those rows.
        data: the questions, by section.
        composed: the vectors composed for question words outside ``vocab`` (subword vectors),
            or None to skip the questions with such a word. The answer is always one of the
            restricted words: a question whose answer is not is skipped either way.

    Returns:
        ``{"accuracy", "semantic", "syntactic", "questions", "skipped", "sections"}``:
        accuracies are fractions in [0, 1] over the questions used (None when there are none),
        ``questions`` counts the questions used, ``skipped`` those with an out-of-vocabulary
        word, and ``sections`` maps each section name to ``{"accuracy", "correct", "questions"}``;
        for vectors that compose, also ``composed``: how many questions used a composed word.
    """
    section_of, rows, skipped, made = _encode(vocab, data, composed)
    correct = _answer(composed or emb, vocab.size, vocab.canonical, rows)
    sections = {
        name: _score(correct[section_of == number]) for number, name in enumerate(data.sections)
    }
    syntactic = np.array([name.startswith("gram") for name in data.sections], dtype=bool)
    is_syntactic = syntactic[section_of]
    result = {
        "accuracy": _score(correct)["accuracy"],
        "semantic": _score(correct[~is_syntactic])["accuracy"],
        "syntactic": _score(correct[is_syntactic])["accuracy"],
        "questions": int(len(correct)),
        "skipped": skipped,
        "sections": sections,
    }
    if emb.composes:
        result["composed"] = made
    return result


def _encode(vocab: RestrictedVocab, data: AnalogyData, composed: ComposedRows | None):
    """Section number and (a, b, c, expected) rows of each usable question; how many skipped
    and how many used a composed word."""
    section_of, rows, skipped, made = [], [], 0, 0
    for number, questions in enumerate(data.sections.values()):
        for question in questions:
            found = vocab.rows(question)
            if found is None and composed is not None and vocab.rows(question[3:]) is not None:
                found, made = composed.rows(question[:3]) + vocab.rows(question[3:]), made + 1
            if found is None:
                skipped += 1
            else:
                section_of.append(number)
                rows.append(found)
    section_of = np.asarray(section_of, dtype=np.int64)
    return section_of, np.asarray(rows, dtype=np.int64).reshape(-1, 4), skipped, made


def _answer(emb, size: int, canonical: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each question row (a, b, c, expected), whether 3CosAdd finds the expected word among
    the first ``size`` words."""
    correct = np.zeros(len(rows), dtype=bool)
    if len(rows) == 0:
        return correct
    variants = _case_variants(canonical)
    batch = max(1, _BATCH_CELLS // max(size, emb.dim))
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        scores = emb.combination_scores(chunk[:, :3], _THREE_COS_ADD, stop=size)
        _exclude_question_words(scores, chunk[:, :3], variants)
        best = np.argmax(scores, axis=1)
        # a vocabulary of only the question words has no candidate left: that is a miss
        answered = np.isfinite(scores[np.arange(len(chunk)), best])
        correct[start : start + batch] = answered & (canonical[best] == chunk[:, 3])
    return correct


def _exclude_question_words(scores: np.ndarray, asked: np.ndarray, variants: dict) -> None:
    """Make the question words, and every case variant of them, impossible answers (a
    composed word, numbered past the candidates, is none of them)."""
    inside = asked < scores.shape[1]
    scores[np.nonzero(inside)[0], asked[inside]] = -np.inf
    if not variants:
        return
    for position, words in enumerate(asked):
        for word in words:
            others = variants.get(int(word))
            if others is not None:
                scores[position, others] = -np.inf


def _case_variants(canonical: np.ndarray) -> dict[int, np.ndarray]:
    """Canonical row -> all rows spelling the same word in another case, for words that have any."""
    duplicates = np.flatnonzero(canonical != np.arange(len(canonical)))
    groups: dict[int, list[int]] = {}
    for row in duplicates:
        groups.setdefault(int(canonical[row]), []).append(int(row))
    return {word: np.asarray(rows, dtype=np.int64) for word, rows in groups.items()}


def _score(hits: np.ndarray) -> dict:
    used = int(len(hits))
    right = int(hits.sum())
    return {"accuracy": right / used if used else None, "correct": right, "questions": used}
