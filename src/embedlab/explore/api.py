"""The explorer's read-only API: one method per route, plain data in and out.

``Explorer(models)`` holds the one or two opened models, their comparison and the caches;
``Explorer.answer(route, query)`` checks the query string against the route's parameters and
returns plain data (a dict, served as JSON) or a ``Download`` (CSV or TSV text). Nothing here
speaks HTTP (``server.py`` does) and nothing takes a path from a request: the only files read
are the vectors given when the explorer was started.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.explore import export, maps
from embedlab.explore.params import BadRequest, Params
from embedlab.query import (
    ANALOGY_METHODS,
    Comparison,
    analogy,
    describe,
    neighbours,
    query_terms,
)
from embedlab.query.compare import MAX_K, MAX_SURVEY
from embedlab.query.memo import Memo

#: Words on the first map when the page does not say (the benchmark's 5,000).
DEFAULT_TOP = 5000
#: Most words in a neighbour export (each is one top-k query over the whole vocabulary).
MAX_EXPORT_NEIGHBOURS = 20000
#: The most suggestions per keystroke.
MAX_COMPLETIONS = 50

_MAP = {"method", "top", "words", "groups", "x", "y", "model", "seed"}


@dataclass(frozen=True)
class Download:
    """A file the page saves: its name, media type and text."""

    filename: str
    media_type: str
    text: str


class Explorer:
    """Answers for the page about one model, or two side by side."""

    ROUTES = {
        "/api/models": ("model_list", set()),
        "/api/complete": ("complete", {"prefix", "limit", "model"}),
        "/api/neighbours": ("neighbours", {"q", "k", "model"}),
        "/api/analogy": ("analogy", {"a", "b", "c", "k", "method", "model"}),
        "/api/map": ("map", _MAP),
        "/api/compare": ("compare", {"q", "k"}),
        "/api/survey": ("survey", {"k", "n", "limit"}),
        "/api/disagreements": ("disagreements", {"dataset", "limit"}),
        "/api/export/map.csv": ("export_map", _MAP),
        "/api/export/neighbours.csv": ("export_neighbours", _MAP | {"k"}),
        "/api/export/vectors.tsv": ("export_vectors", _MAP),
        "/api/export/metadata.tsv": ("export_metadata", _MAP),
    }

    def __init__(self, models, *, top: int = DEFAULT_TOP):
        if not 1 <= len(models) <= 2:
            raise EmbedlabError(f"the explorer opens one or two models, got {len(models)}")
        self.models = list(models)
        self.top = top
        self.comparison = (
            Comparison(models[0].vectors, models[1].vectors) if len(models) == 2 else None
        )
        self._maps = Memo(size=8)

    def answer(self, route: str, query: str = ""):
        """The answer to ``route`` (a path from ``ROUTES``) with ``query`` (the raw query string):
        a dict or a ``Download``. Raises BadRequest, UnknownWordError or EmbedlabError."""
        name, allowed = self.ROUTES[route]
        return getattr(self, name)(Params(query, allowed))

    # ---- single models --------------------------------------------------------------------

    def model_list(self, params: Params) -> dict:
        described = []
        for model in self.models:
            facts = describe(model.vectors, format=model.format, top=0)
            facts.pop("meta")  # the history can be long; the rest says what the page needs
            facts.pop("path")
            described.append({"name": model.name, **facts})
        return {
            "models": described,
            "top": min(self.top, len(self.models[0].vectors)),
            "aligned": None if self.comparison is None else self._aligned(),
            "projections": [m for m in maps.METHODS if m != "umap" or _has_umap()],
            "analogy_methods": list(ANALOGY_METHODS),
            "datasets": [] if self.comparison is None else list(_datasets()),
            "limits": {
                "k": MAX_K,
                "map_words": maps.MAX_MAP_WORDS,
                "tsne_words": maps.MAX_TSNE_WORDS,
                "umap_words": maps.MAX_UMAP_WORDS,
                "survey_words": MAX_SURVEY,
            },
        }

    def complete(self, params: Params) -> dict:
        model = self._model(params)
        prefix = params.text("prefix", default="", limit=200)
        limit = params.integer("limit", 10, 1, MAX_COMPLETIONS)
        words = model.completions(prefix, limit) if prefix else []
        return {"prefix": prefix, "words": words}

    def neighbours(self, params: Params) -> dict:
        model = self._model(params)
        word = params.word("q")
        k = params.integer("k", 10, 1, MAX_K)
        return {"model": model.name, **neighbours(model.vectors, [word], topn=k)}

    def analogy(self, params: Params) -> dict:
        model = self._model(params)
        a, b, c = params.word("a"), params.word("b"), params.word("c")
        k = params.integer("k", 5, 1, MAX_K)
        method = params.choice("method", "3CosAdd", tuple(ANALOGY_METHODS))
        return {"model": model.name, **analogy(model.vectors, a, b, c, topn=k, method=method)}

    def map(self, params: Params) -> dict:
        which = params.choice("model", "0", ("0", "1", "both") if self.comparison else ("0",))
        method = params.choice("method", "pca", maps.METHODS)
        x, y = params.text("x"), params.text("y")
        seed = params.integer("seed", 0, 0, 2**31 - 1)
        words, key = self._map_words(params, which)
        if which == "both":
            if method != "pca":
                raise BadRequest("the map of both models is a PCA map: choose method=pca")
            key = ("both", key)
            build = lambda: maps.joint_coordinates(self._comparison(), words)  # noqa: E731
        else:
            emb = self.models[int(which)].vectors
            key = (which, method, key, x, y, seed)
            build = lambda: maps.coordinates(emb, words, method, x=x, y=y, seed=seed)  # noqa: E731
        result = self._maps.get(key, build)
        names = [m.name for m in self.models]
        group_of = export.group_of(params.groups("groups"))
        return {
            **result,
            "model": names if which == "both" else names[int(which)],
            "group": [group_of.get(w) for w in result["words"]],
            "group_names": list(dict.fromkeys(group_of.values())),
        }

    # ---- two models -----------------------------------------------------------------------

    def compare(self, params: Params) -> dict:
        comparison = self._comparison()
        word = params.word("q")
        k = params.integer("k", 10, 1, MAX_K)
        return {"models": [m.name for m in self.models], **self._compared(comparison, word, k)}

    def survey(self, params: Params) -> dict:
        comparison = self._comparison()
        k = params.integer("k", 10, 1, MAX_K)
        n = params.integer("n", 1000, 1, MAX_SURVEY)
        limit = params.integer("limit", 50, 0, 1000)
        return {"models": [m.name for m in self.models], **comparison.survey(k, n, limit)}

    def disagreements(self, params: Params) -> dict:
        comparison = self._comparison()
        dataset = params.choice("dataset", "ws353", _datasets())
        limit = params.integer("limit", 20, 0, 1000)
        result = comparison.disagreements(dataset, limit)
        return {"models": [m.name for m in self.models], **result}

    # ---- exports --------------------------------------------------------------------------

    def export_map(self, params: Params) -> Download:
        return Download("map.csv", "text/csv", export.map_csv(self.map(params)))

    def export_neighbours(self, params: Params) -> Download:
        which = self._which(params)
        k = params.integer("k", 10, 1, MAX_K)
        words, _ = self._map_words(params, which, limit=MAX_EXPORT_NEIGHBOURS)
        emb = self.models[int(which)].vectors
        return Download("neighbours.csv", "text/csv", export.neighbours_csv(emb, words, k))

    def export_vectors(self, params: Params) -> Download:
        which = self._which(params)
        words, _ = self._map_words(params, which)
        emb = self.models[int(which)].vectors
        return Download("vectors.tsv", "text/tab-separated-values", export.vectors_tsv(emb, words))

    def export_metadata(self, params: Params) -> Download:
        which = self._which(params)
        words, _ = self._map_words(params, which)
        text = export.metadata_tsv(words, params.groups("groups"))
        return Download("metadata.tsv", "text/tab-separated-values", text)

    # ---- helpers --------------------------------------------------------------------------

    def _which(self, params: Params) -> str:
        """The ``model`` parameter: ``"0"``, or ``"1"`` when there are two."""
        return params.choice("model", "0", ("0", "1")[: len(self.models)])

    def _model(self, params: Params):
        return self.models[int(self._which(params))]

    def _comparison(self) -> Comparison:
        if self.comparison is None:
            raise BadRequest("comparing needs two models: embedlab explore FIRST SECOND")
        return self.comparison

    def _aligned(self) -> bool:
        try:
            return self.comparison.aligned
        except EmbedlabError:  # too few shared words: the page says so when asked to compare
            return False

    def _map_words(self, params: Params, which: str, limit: int = maps.MAX_MAP_WORDS):
        """The map's words: the typed list, else the ``top`` most frequent, then the groups'
        words; and a short key naming them for the cache."""
        typed = params.words("words")
        groups = params.groups("groups")
        emb = self.models[0 if which == "both" else int(which)].vectors
        if typed is None:
            top = params.integer("top", min(self.top, len(emb)), 2, limit)
            words, key = list(emb.words[:top]), ("top", top)
        else:
            words, key = typed, ("words", tuple(typed))
        extra = [w for members in groups.values() for w in members]
        if extra:
            words = list(dict.fromkeys(words + extra))
            key = (key, tuple(extra))
        if len(words) > limit:
            raise BadRequest(f"{len(words):,} words asked for; at most {limit:,}")
        if which != "both":
            query_terms(emb, words)  # every unknown word named at once, before any work
        return words, key

    def _compared(self, comparison: Comparison, word: str, k: int) -> dict:
        """``comparison.word``, its unknown word saying which model knows it, if either."""
        try:
            return comparison.word(word, k)
        except UnknownWordError as err:
            known = [m.name for m in self.models if word in m.vectors]
            where = f"only {known[0]} knows it" if known else "neither model knows it"
            error = UnknownWordError(err.words)
            error.args = (f"{error.args[0]}; {where}",)
            raise error from None


def _datasets() -> tuple[str, ...]:
    """The bundled similarity benchmarks, WS353 and SimLex first. Imported when two models are
    compared: the evaluation package brings SciPy's statistics, which one model never needs."""
    from embedlab.evaluation.datasets import SIMILARITY_FILES

    first = ("ws353", "simlex999")
    return (*first, *(name for name in SIMILARITY_FILES if name not in first))


def _has_umap() -> bool:
    return importlib.util.find_spec("umap") is not None
