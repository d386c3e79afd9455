"""Two models side by side: where their neighbourhoods agree, and the pairs they judge apart.

The models may list different words in any order. Everything is computed on the words both
know (the *shared* vocabulary, in the first model's frequency order):

- each word's ``k`` nearest neighbours in each model, ranked among the shared words only (a
  neighbour one model lacks could never be in both lists), and the Jaccard index of the two
  sets, ``|A & B| / |A | B|``, as the Embedding Comparator (Boggust et al. 2022) measures it;
- the second model rotated onto the first by orthogonal Procrustes on the shared words' unit
  vectors (Schönemann 1966; Hamilton et al. 2016 align diachronic embeddings so): the
  orthogonal ``R`` minimising ``||B R - A||_F`` is ``U V^T`` for ``B^T A = U S V^T``. A
  rotation changes no cosine within a model, so it leaves the neighbour lists alone; it puts
  both models in one frame, for a joint map and for each word's *aligned cosine* (how far the
  word moved);
- the pairs of a similarity benchmark on which one model is close to the human ranking and
  the other far from it.

Scores are computed a bounded block of query words at a time (``BLOCK_CELLS``), never as a
words x words matrix.
"""

from __future__ import annotations

import numpy as np

from embedlab.checks import check_choice, check_int
from embedlab.errors import EmbedlabError
from embedlab.query.memo import Memo
from embedlab.query.neighbours import nearest_rows, query_terms, word_vectors
from embedlab.vectors.base import BLOCK_CELLS, cached_once, safe_norms, top_rows

#: Largest Procrustes matrix (second dim x first dim) built: 64 MB of float64. Wider pairs
#: (PPMI rows of a 100,000-word vocabulary against anything) are compared without alignment.
ALIGN_CELLS = 1 << 23
#: Most neighbours per list and most words in one overlap survey.
MAX_K = 100
MAX_SURVEY = 20000


class Comparison:
    """Two models of the vector protocol, the second compared with (and aligned to) the first."""

    def __init__(self, first, second):
        self.first = first
        self.second = second
        self._surveys = Memo(size=8)
        self._neighbourhoods = Memo(size=2)

    @cached_once
    def shared(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The words both models know, in the first's order, and their rows in each."""
        index = self.second.index
        pairs = [(i, index[w]) for i, w in enumerate(self.first.words) if w in index]
        if len(pairs) < 2:
            raise EmbedlabError(
                f"the two models share {len(pairs)} words: comparing needs at least 2 "
                "(were they trained on the same kind of text?)"
            )
        first_rows = np.array([p[0] for p in pairs], dtype=np.int64)
        second_rows = np.array([p[1] for p in pairs], dtype=np.int64)
        return [self.first.words[i] for i in first_rows], first_rows, second_rows

    @cached_once
    def rotation(self) -> np.ndarray | None:
        """float32 (second dim, first dim): Procrustes' ``R``, or None when too wide to build."""
        if self.first.dim * self.second.dim > ALIGN_CELLS:
            return None
        words, _, _ = self.shared
        cross = np.zeros((self.second.dim, self.first.dim), dtype=np.float64)
        block = max(1, BLOCK_CELLS // max(self.first.dim, self.second.dim))
        for start in range(0, len(words), block):
            chunk = words[start : start + block]
            cross += _unit(self.second[chunk]).T @ _unit(self.first[chunk])
        left, _, right = np.linalg.svd(cross, full_matrices=False)
        return (left @ right).astype(np.float32)

    @property
    def aligned(self) -> bool:
        """Whether the second model is rotated onto the first (see ``ALIGN_CELLS``)."""
        return self.rotation is not None

    def aligned_rows(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The unit vectors of ``words`` in the first model and, rotated into its frame, in the
        second: two float32 (len(words), first dim) arrays. Needs ``aligned``."""
        if self.rotation is None:
            raise EmbedlabError(
                f"the models are too wide to align ({self.first.dim} x {self.second.dim} "
                "dimensions): compare them by their neighbour overlaps instead"
            )
        first = _unit(word_vectors(self.first, words))
        second = _unit(word_vectors(self.second, words))
        return first.astype(np.float32), (second @ self.rotation).astype(np.float32)

    def word(self, word: str, k: int = 10) -> dict:
        """Both models' ``k`` nearest shared words to ``word``, their overlap and the word's
        aligned cosine.

        Returns ``{"word", "k", "candidates", "composed": [bool, bool], "lists": [[{"word",
        "similarity"}, ...], [...]], "shared_neighbours", "jaccard", "aligned_cosine"}``
        (``aligned_cosine`` None without alignment).
        """
        words, _, _ = self.shared
        k = check_int("k", k, minimum=1, maximum=min(MAX_K, len(words) - 1))
        lists, sets, composed = [], [], []
        for emb, rows in ((self.first, self.shared[1]), (self.second, self.shared[2])):
            (term,), made = query_terms(emb, [word])
            scores = emb.most_similar(positive=[term], topn=None)[rows]
            if isinstance(term, str) and term in self._positions:
                scores[self._positions[term]] = -np.inf  # a word is not its own neighbour
            best = top_rows(scores, k)
            lists.append([{"word": words[j], "similarity": float(scores[j])} for j in best])
            sets.append({int(j) for j in best})
            composed.append(bool(made))
        common = len(sets[0] & sets[1])
        return {
            "word": word,
            "k": k,
            "candidates": len(words),
            "composed": composed,
            "lists": lists,
            "shared_neighbours": common,
            "jaccard": common / len(sets[0] | sets[1]),
            "aligned_cosine": self._aligned_cosine(word),
        }

    def survey(self, k: int = 10, n: int = 1000, limit: int = 50) -> dict:
        """The overlaps of the ``n`` most frequent shared words' ``k``-neighbourhoods.

        Returns ``{"k", "n", "candidates", "aligned", "mean_jaccard", "histogram": [{"shared",
        "jaccard", "words"}, one per possible number of shared neighbours 0..k], "differing":
        [{"word", "shared_neighbours", "jaccard", "aligned_cosine"}, ...]}``, the ``limit``
        words whose neighbourhoods differ most (fewest shared neighbours, then lowest aligned
        cosine, then the more frequent first).
        """
        words, _, _ = self.shared
        k = check_int("k", k, minimum=1, maximum=min(MAX_K, len(words) - 1))
        n = min(check_int("n", n, minimum=1, maximum=MAX_SURVEY), len(words))
        limit = check_int("limit", limit, minimum=0)
        common, cosines = self._surveys.get((k, n), lambda: self._survey(k, n))
        jaccard = common / (2 * k - common)
        order = np.lexsort((np.arange(n), np.nan_to_num(cosines, nan=2.0), common))[:limit]
        return {
            "k": k,
            "n": n,
            "candidates": len(words),
            "aligned": self.aligned,
            "mean_jaccard": float(jaccard.mean()),
            "histogram": [
                {"shared": s, "jaccard": s / (2 * k - s), "words": int((common == s).sum())}
                for s in range(k + 1)
            ],
            "differing": [
                {
                    "word": words[i],
                    "shared_neighbours": int(common[i]),
                    "jaccard": float(jaccard[i]),
                    "aligned_cosine": None if np.isnan(cosines[i]) else float(cosines[i]),
                }
                for i in order
            ],
        }

    def disagreements(self, dataset: str = "ws353", limit: int = 20, restrict_vocab=30000) -> dict:
        """The pairs of a bundled similarity benchmark the two models rank most differently
        against the human scores.

        Pairs both models know (among their ``restrict_vocab`` most frequent words, compared
        case-insensitively, as ``evaluate`` counts them) are ranked three times: by the human
        score and by each model's cosine, each rank scaled to (0, 1]. A model's error on a pair
        is the distance of its rank from the human one; the pairs listed are those where the
        two errors differ most, and ``closer`` says which model (0 or 1) is nearer the humans (None
        for a tie).

        Returns ``{"dataset", "pairs", "total", "spearman": [s0, s1], "disagreements":
        [{"a", "b", "human", "human_rank", "cosines", "ranks", "closer"}, ...]}``.
        """
        from scipy import stats

        from embedlab.evaluation.datasets import SIMILARITY_FILES, load_dataset
        from embedlab.evaluation.lookup import RestrictedVocab

        dataset = check_choice("dataset", dataset, tuple(SIMILARITY_FILES))
        limit = check_int("limit", limit, minimum=0)
        data = load_dataset(dataset)
        lookups = [RestrictedVocab(emb.words, restrict_vocab) for emb in (self.first, self.second)]
        kept, rows = [], ([], [])
        for a, b, human in data.pairs:
            found = [lookup.rows((a, b)) for lookup in lookups]
            if None not in found:
                kept.append((a, b, human))
                for side, pair in zip(rows, found, strict=True):
                    side.append(pair)
        result = {"dataset": dataset, "pairs": len(kept), "total": len(data.pairs)}
        if len(kept) < 2:
            return {**result, "spearman": [None, None], "disagreements": []}
        cosines = [
            emb.pair_cosines([p[0] for p in side], [p[1] for p in side])
            for emb, side in zip((self.first, self.second), rows, strict=True)
        ]
        human = np.array([h for _, _, h in kept])
        scale = float(len(kept))
        human_rank = stats.rankdata(human) / scale
        ranks = [stats.rankdata(c) / scale for c in cosines]
        errors = [np.abs(r - human_rank) for r in ranks]
        gap = errors[0] - errors[1]
        order = np.argsort(-np.abs(gap), kind="stable")[:limit]
        return {
            **result,
            "spearman": [_spearman(human, c) for c in cosines],
            "disagreements": [
                {
                    "a": kept[i][0],
                    "b": kept[i][1],
                    "human": float(human[i]),
                    "human_rank": float(human_rank[i]),
                    "cosines": [float(c[i]) for c in cosines],
                    "ranks": [float(r[i]) for r in ranks],
                    "closer": None if gap[i] == 0 else int(gap[i] > 0),
                }
                for i in order
            ],
        }

    # ---- helpers --------------------------------------------------------------------------

    @cached_once
    def _positions(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.shared[0])}

    def neighbourhoods(self, n: int, k: int, progress=None) -> list[tuple[np.ndarray, np.ndarray]]:
        """For the first ``n`` shared words, each model's ``k`` nearest shared words: per model
        (positions in the shared words, cosines), each (n, k), best first (kept for the next
        call). ``progress(done)`` counts the queries of both models, 2 n in all."""
        return self._neighbourhoods.get((n, k), lambda: self._nearest(n, k, progress))

    def _nearest(self, n: int, k: int, progress) -> list[tuple[np.ndarray, np.ndarray]]:
        _, first_rows, second_rows = self.shared
        out = []
        for model, (emb, rows) in enumerate(((self.first, first_rows), (self.second, second_rows))):
            counted = None if progress is None else lambda done, m=model: progress(m * n + done)
            out.append(
                nearest_rows(emb, rows[:n], k, columns=rows, exclude=np.arange(n), progress=counted)
            )
        return out

    def aligned_cosines(self, n: int) -> np.ndarray:
        """float64 (n,): each of the first ``n`` shared words' cosine between its first-model
        vector and its rotated second-model vector (NaN without alignment)."""
        words = self.shared[0][:n]
        cosines = np.full(len(words), np.nan)
        if self.rotation is None:
            return cosines
        block = max(1, BLOCK_CELLS // max(self.first.dim, self.second.dim))
        for start in range(0, len(words), block):
            chunk = words[start : start + block]
            a = _unit(self.first[chunk])
            b = _unit(self.second[chunk]) @ self.rotation
            cosines[start : start + len(chunk)] = _row_cosines(a, b)
        return cosines

    def _survey(self, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Shared-neighbour counts and aligned cosines of the first ``n`` shared words."""
        (first, _), (second, _) = self.neighbourhoods(n, k)
        return shared_counts(first, second), self.aligned_cosines(n)

    def _aligned_cosine(self, word: str) -> float | None:
        if self.rotation is None:
            return None
        a, b = self.aligned_rows([word])
        return float(_row_cosines(a, b)[0])


def shared_counts(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """How many entries each row of ``first`` shares with the same row of ``second``."""
    n, k = first.shape
    out = np.empty(n, dtype=np.int64)
    block = max(1, BLOCK_CELLS // (k * k))
    for start in range(0, n, block):
        a, b = first[start : start + block], second[start : start + block]
        out[start : start + block] = (a[:, :, None] == b[:, None, :]).any(axis=2).sum(axis=1)
    return out


def _unit(rows) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1)
    return rows / safe_norms(norms.astype(np.float32)).astype(np.float64)[:, None]


def _row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    dots = np.einsum("ij,ij->i", a, b)
    return np.divide(dots, norms, out=np.zeros_like(dots, dtype=np.float64), where=norms > 0)


def _spearman(human: np.ndarray, model: np.ndarray) -> float | None:
    from scipy import stats

    value = float(stats.spearmanr(human, model)[0])
    return value if np.isfinite(value) else None
