"""Lesson: train the vehicles/fruits toy (or a small corpus) and watch the vectors take shape.

Training is the real ``SkipGram`` estimator. For the toy it resumes from the notes' starting
tables (two dimensions, context vectors zero) on a corpus where vehicles meet vehicles and
fruits meet fruits, so the run continues exactly where the notes' worked update starts.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError, setting
from embedlab.methods.word2vec.trainer import initial_matrices
from embedlab.teach import toy_data


def _starting_tables(words: list[str], toy: bool, dim: int, seed: int):
    """The notes' tables in the corpus vocabulary's row order, or word2vec's own start."""
    if not toy:
        return initial_matrices(len(words), dim, seed)
    row = {w: i for i, w in enumerate(toy_data.TOY_WORDS)}
    W = toy_data.TOY_WORD_VECTORS[[row[w] for w in words]].astype(np.float32)
    return W, np.zeros_like(W)


def train_toy(
    corpus=None,
    *,
    epochs: int = 200,
    dim: int = 2,
    window: int = 2,
    negative: int = 2,
    alpha: float = toy_data.TOY_ALPHA,
    min_alpha: float | None = None,
    min_count: int = 1,
    seed: int = 1,
) -> dict:
    """Train skip-gram with negative sampling for ``epochs`` passes; keep every epoch's tables.

    ``corpus``: None for the notes' toy (starting from their tables, ``dim`` must be 2), or
    anything ``embedlab.corpus.as_corpus`` accepts (a path, or a list of token lists), started
    as the trainer starts (``initial_matrices``). ``alpha`` stays constant unless ``min_alpha`` is
    given (the notes use a constant 0.1). One thread: the same ``seed`` gives the same result.
    Returns ``{"words", "groups", "epochs", "history", "start", "final", "trajectories"}``:
    ``start``/``final`` hold ``word_vectors`` and ``context_vectors`` as ``{word: [...]}``,
    ``trajectories`` arrays of shape (epochs + 1, |V|, dim). For the toy each ``history``
    entry also has ``expected_loss``: see :class:`ExpectedLoss`.
    """
    from embedlab.corpus import as_corpus
    from embedlab.methods.word2vec.model import SkipGram
    from embedlab.vectors.embeddings import Embeddings

    epochs = check_int("epochs", epochs, minimum=1)
    dim = check_int("dim", dim, minimum=1)
    toy = corpus is None
    if toy and dim != 2:
        raise EmbedlabError(
            f"the notes' toy is two-dimensional: leave {setting('dim')} at 2 or give a corpus"
        )
    encoded = as_corpus(toy_data.toy_sentences() if toy else corpus, min_count=min_count)
    words = list(encoded.vocab.words)
    W0, C0 = _starting_tables(words, toy, dim, seed)
    snapshots = [(W0.astype(np.float64), C0.astype(np.float64))]

    def keep(epoch, loss, emb):
        snapshots.append((np.array(emb.vectors, np.float64), np.array(emb.context, np.float64)))

    model = SkipGram(
        dim=dim,
        window=window,
        negative=negative,
        sample=0.0,
        epochs=epochs,
        alpha=alpha,
        min_alpha=alpha if min_alpha is None else min_alpha,
        threads=1,
        seed=seed,
        quiet=True,
        callbacks=[keep],
        resume=Embeddings(words, W0.copy(), context=C0.copy(), meta={"objective": "negative"}),
    )
    emb = model.fit(encoded)
    trajectory_w = np.stack([s[0] for s in snapshots])
    trajectory_c = np.stack([s[1] for s in snapshots])
    if toy:  # show the toy in the notes' table order rather than the corpus vocabulary's
        order = [words.index(w) for w in toy_data.TOY_WORDS]
        words = list(toy_data.TOY_WORDS)
        trajectory_w, trajectory_c = trajectory_w[:, order], trajectory_c[:, order]
    history = [{"epoch": h["epoch"], "loss": h["loss"]} for h in emb.meta["history"]]
    if toy:
        scorer = ExpectedLoss(toy_data.toy_sentences(), words, window, negative)
        for entry, W, C in zip(history, trajectory_w[1:], trajectory_c[1:], strict=True):
            entry["expected_loss"] = scorer(W, C)
    return {
        "words": words,
        "groups": {w: toy_data.TOY_KINDS[w] for w in words} if toy else {},
        "epochs": epochs,
        "history": history,
        "start": _tables(words, trajectory_w[0], trajectory_c[0]),
        "final": _tables(words, trajectory_w[-1], trajectory_c[-1]),
        "trajectories": {"word_vectors": trajectory_w, "context_vectors": trajectory_c},
    }


def _tables(words, W, C) -> dict:
    return {
        "word_vectors": dict(zip(words, W.tolist(), strict=True)),
        "context_vectors": dict(zip(words, C.tolist(), strict=True)),
    }


class ExpectedLoss:
    """The training objective averaged exactly over what an epoch draws at random.

    An epoch's reported loss depends on the negatives and reduced windows it happened to draw.
    This is its expectation at fixed vectors: each pair at distance d weighted by word2vec's
    ``(window - d + 1) / window``, each of the ``negative`` draws taking word n with the
    trainer's noise probability (count^0.75) and contributing nothing when n is the target
    (the trainer drops it).
    """

    def __init__(self, sentences, words, window: int, negative: int):
        from embedlab.corpus.sampling import noise_distribution

        index = {w: i for i, w in enumerate(words)}
        rows = []
        for sentence in sentences:
            ids = [index[w] for w in sentence]
            for i, centre in enumerate(ids):
                for j, context in enumerate(ids):
                    d = abs(i - j)
                    if 0 < d <= window:
                        rows.append((centre, context, (window - d + 1) / window))
        self.centre, self.context, self.weight = (np.array(c) for c in zip(*rows, strict=True))
        counts = np.bincount([index[w] for s in sentences for w in s], minlength=len(words))
        self.noise = noise_distribution(counts)
        self.negative = negative

    def __call__(self, W, C) -> float:
        scores = W[self.centre] @ C.T  # every pair's centre against every context row
        picked = np.arange(len(self.centre)), self.context
        positive = np.logaddexp(0.0, -scores[picked])  # -log sigma(z)
        noise = np.tile(self.noise, (len(self.centre), 1))
        noise[picked] = 0.0
        negative = self.negative * np.sum(noise * np.logaddexp(0.0, scores), axis=1)
        return float(np.sum(self.weight * (positive + negative)) / np.sum(self.weight))
