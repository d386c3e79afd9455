"""Small lessons: σ of scores, one-hot times E, an analogy, and which vectors to keep.

Each calls the code training and querying use: the trainer's ``sigmoid``, the ``Embeddings``
queries (``analogy``, ``combined``, cosine via ``similarity``).
"""

from __future__ import annotations

import numpy as np

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.methods.word2vec.objectives.logistic import sigmoid
from embedlab.teach import slips, toy_data

#: The notes' (001) table of dot products.
NOTES_SCORES = (-1.11, 0.2, 0.74)

#: Illustrative three-dimensional vectors (royalty, maleness, person) for the classic analogy;
#: the notes state "king - man + woman ~ queen" without giving vectors.
ANALOGY_WORDS = ("king", "queen", "man", "woman", "prince", "apple")
ANALOGY_VECTORS = np.array(
    [
        [0.9, 0.8, 1.0],
        [0.9, 0.1, 1.0],
        [0.1, 0.8, 1.0],
        [0.1, 0.1, 1.0],
        [0.7, 0.8, 0.9],
        [0.0, 0.4, 0.0],
    ]
)


def sigmoid_table(scores=NOTES_SCORES) -> list[dict]:
    """``σ(z)`` and ``1 − σ(z) = σ(−z)`` for each score (the notes' negatives use the latter)."""
    return [
        {"score": float(z), "sigma": float(sigmoid(float(z))), "one_minus": float(sigmoid(-z))}
        for z in scores
    ]


def sigmoid_lesson(scores=NOTES_SCORES) -> dict:
    """:func:`sigmoid_table` with the notes' slips for their scores: ``{"rows", "slips"}``."""
    scores = tuple(float(z) for z in scores)
    return {"rows": sigmoid_table(scores), "slips": slips.as_dicts(slips.sigmoid(scores))}


def onehot_vectors(size: int = toy_data.ONEHOT_VOCAB_SIZE, positions=None) -> dict:
    """Notes 001's one-hot vectors (cat and dog among eight words), and their cosine.

    Two different one-hot vectors share no non-zero position, so their dot product and cosine
    are 0 whatever the words mean: the slide's "similarities between words cannot be
    established". Returns ``{"size", "vectors": {word: [...]}, "dot", "cosine"}``.
    """
    positions = dict(toy_data.ONEHOT_WORDS if positions is None else positions)
    eye = np.eye(size)
    vectors = {word: eye[i] for word, i in positions.items()}
    a, b = list(vectors.values())[:2]
    return {
        "size": size,
        "vectors": {word: v.tolist() for word, v in vectors.items()},
        "dot": float(a @ b),
        "cosine": float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b))),
    }


def onehot_lookup(word: str = toy_data.SOFTMAX_SOURCE, E=None, words=None) -> dict:
    """``x · E`` for the one-hot ``x`` of ``word``, next to row ``word`` of ``E`` (001, 003)."""
    if E is None:
        E, words = toy_data.SOFTMAX_W, list(toy_data.SOFTMAX_WORDS)
    E = np.asarray(E, dtype=np.float64)
    words = list(words)
    if word not in words:
        raise UnknownWordError([word])
    onehot = np.zeros(len(words))
    onehot[words.index(word)] = 1.0
    product = onehot @ E
    row = E[words.index(word)]
    return {
        "words": words,
        "word": word,
        "onehot": onehot.tolist(),
        "E": E.tolist(),
        "product": product.tolist(),
        "row": row.tolist(),
        "equal": bool(np.array_equal(product, row)),
        "multiplications": int(E.size),
    }


def analogy_lesson(a="man", b="king", c="woman", vectors=None, topn: int = 3) -> dict:
    """``a`` is to ``b`` as ``c`` is to ?, by ``Embeddings.analogy`` (3CosAdd), with the arithmetic.

    ``vectors`` maps names to vectors (default :data:`ANALOGY_VECTORS`). 3CosAdd ranks by the
    cosine with ``unit(b) - unit(a) + unit(c)``, each word scaled to length 1 first; the notes
    write ``b - a + c`` with the raw vectors. Both are returned: ``"target"`` (raw) and
    ``"ranked_by"`` (of unit vectors). Each answer ``{word, cosine, cosine_raw}`` has its
    cosine with both; the answers are in 3CosAdd's order.
    """
    from embedlab.vectors.embeddings import Embeddings

    if vectors is None:
        vectors = dict(zip(ANALOGY_WORDS, ANALOGY_VECTORS.tolist(), strict=True))
    if len(vectors) < 4:
        raise EmbedlabError("an analogy needs at least four vectors: three asked, one answer")
    matrix = np.array(list(vectors.values()), dtype=np.float64)
    emb = Embeddings(list(vectors), matrix)
    answers = emb.analogy(a, b, c, topn=topn)
    given = dict(zip(vectors, matrix, strict=True))
    raw = given[b] - given[a] + given[c]
    unit = {w: given[w] / (np.linalg.norm(given[w]) or 1.0) for w in (a, b, c)}
    ranked_by = unit[b] - unit[a] + unit[c]
    return {
        "query": f"{b} - {a} + {c}",
        "vectors": {w: v.tolist() for w, v in given.items()},
        "target": raw.tolist(),
        "ranked_by": ranked_by.tolist(),
        "answers": [
            {"word": w, "cosine": float(s), "cosine_raw": _cosine(given[w], raw)}
            for w, s in answers
        ],
        "excluded": [a, b, c],
    }


def _cosine(u, v) -> float:
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    return float(u @ v / norms) if norms > 0 else 0.0


def keep_lesson(word_vectors=None, context_vectors=None, words=None, kinds=None) -> dict:
    """The four ways to keep vectors after training (W, W', W + W', W ⊕ W'), compared.

    Default: the notes' "much later" toy tables and their vehicle/fruit kinds. For each choice:
    the vectors and the mean cosine within a kind and across kinds (a larger gap separates the
    kinds better). Returns ``{"words", "choices": [{"name", "how", "vectors", "within",
    "across"}]}``.
    """
    from embedlab.vectors.embeddings import Embeddings

    if word_vectors is None:
        words = list(toy_data.TOY_WORDS)
        word_vectors, context_vectors = toy_data.LATER_WORD_VECTORS, toy_data.LATER_CONTEXT_VECTORS
        kinds = toy_data.TOY_KINDS
    emb = Embeddings(list(words), word_vectors, context=context_vectors)
    names = {"input": "W", "context": "W'", "sum": "W + W'", "concat": "W ⊕ W'"}
    choices = []
    for how, name in names.items():
        if how == "context":
            chosen = Embeddings(list(words), context_vectors)
        else:
            chosen = emb.combined(how)
        within, across = kind_cosines(chosen, kinds or {})
        choices.append(
            {
                "name": name,
                "how": how,
                "vectors": dict(
                    zip(words, np.asarray(chosen.vectors, np.float64).tolist(), strict=True)
                ),
                "within": within,
                "across": across,
            }
        )
    return {"words": list(words), "choices": choices}


def kind_cosines(emb, kinds: dict) -> tuple[float | None, float | None]:
    """Mean cosine of the pairs of ``kinds``' words of the same kind and of different kinds."""
    words = [w for w in emb.words if w in kinds]
    within, across = [], []
    for i, u in enumerate(words):
        for v in words[i + 1 :]:
            (within if kinds[u] == kinds[v] else across).append(emb.similarity(u, v))
    mean = lambda xs: float(np.mean(xs)) if xs else None  # noqa: E731
    return mean(within), mean(across)
