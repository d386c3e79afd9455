"""Lesson: notes 001's exercise "awesome − eagle + person = ?", on vectors trained here.

The notes ask for the answer "using the embeddings" without giving any. This trains the real
``SkipGram`` (one thread, seeded) on the sample corpus embedlab ships (Gutenberg books and
WikiText-2, about 1.5 M words; see ``data/README.md``) and answers with ``Embeddings.analogy``
(3CosAdd). A word can only be answered for if it has a vector: it must occur at least
``min_count`` times, since a word seen a handful of times has too few contexts to place. The
lesson counts each query word in the whole corpus and says which have vectors and why.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError

#: The notes' query: b − a + c with a = eagle, b = awesome, c = person.
QUERY = ("eagle", "awesome", "person")


def _counts(corpus, words) -> dict[str, int]:
    """How often each of ``words`` occurs in the whole corpus (every word counted once)."""
    from embedlab.corpus import as_corpus

    every = as_corpus(corpus, min_count=1).vocab
    return {w: int(every.counts[every.index[w]]) if w in every.index else 0 for w in words}


def analogy_exercise(
    a: str = QUERY[0],
    b: str = QUERY[1],
    c: str = QUERY[2],
    corpus=None,
    *,
    dim: int = 100,
    window: int = 5,
    negative: int = 5,
    epochs: int = 5,
    min_count: int = 5,
    seed: int = 1,
    topn: int = 5,
) -> dict:
    """Train skip-gram on ``corpus`` (default: the sample corpus) and answer ``b − a + c``.

    Returns ``{"corpus", "tokens", "vocabulary", "query", "min_count", "words", "answerable",
    "answers", "ranked_by"}``: ``words`` per query word ``{word, count, has_vector,
    neighbours}`` (its nearest words, when it has a vector); ``answers`` the 3CosAdd ranking
    ``{word, cosine, vector}`` (empty when a query word has no vector) and ``ranked_by`` the
    vector it ranks by, ``unit(b) − unit(a) + unit(c)``. Words are lowercased, as the corpus
    reader does.
    """
    from embedlab.corpus import as_corpus, sample_corpus_path
    from embedlab.methods.word2vec.model import SkipGram

    a, b, c = (w.lower() for w in (a, b, c))
    if len({a, b, c}) < 3:
        raise EmbedlabError("give three different words: a is to b as c is to ?")
    topn = check_int("topn", topn, minimum=1)
    source = sample_corpus_path() if corpus is None else corpus
    counts = _counts(source, (a, b, c))
    encoded = as_corpus(source, min_count=check_int("min_count", min_count, minimum=1))
    model = SkipGram(dim=dim, window=window, negative=negative, epochs=epochs, threads=1, seed=seed)
    emb = model.fit(encoded)
    words = []
    for w in (a, b, c):
        has = w in emb
        near = emb.most_similar(w, topn=topn) if has else []
        words.append(
            {
                "word": w,
                "count": counts[w],
                "has_vector": has,
                "neighbours": [{"word": n, "cosine": float(s)} for n, s in near],
            }
        )
    answerable = all(entry["has_vector"] for entry in words)
    answers, ranked_by = [], None
    if answerable:
        unit = {w: np.asarray(emb[w], np.float64) / np.linalg.norm(emb[w]) for w in (a, b, c)}
        ranked_by = (unit[b] - unit[a] + unit[c]).tolist()
        answers = [
            {"word": w, "cosine": float(s), "vector": np.asarray(emb[w], np.float64).tolist()}
            for w, s in emb.analogy(a, b, c, topn=topn)
        ]
    return {
        "corpus": "the sample corpus" if corpus is None else str(corpus),
        "tokens": int(encoded.vocab.total),
        "vocabulary": len(emb),
        "query": f"{b} - {a} + {c}",
        "min_count": min_count,
        "words": words,
        "answerable": answerable,
        "answers": answers,
        "ranked_by": ranked_by,
        "query_vectors": {
            e["word"]: np.asarray(emb[e["word"]], np.float64).tolist()
            for e in words
            if e["has_vector"]
        },
    }
