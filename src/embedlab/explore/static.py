"""``embedlab explore --static``: the page as one self-contained HTML file, no server needed.

The page's own script and style are inlined and the answers for the ``top`` most frequent words
are embedded as JSON: each word's ``k`` nearest neighbours (over the whole vocabulary; with two
models, over the words both know, with their overlaps), the PCA map of those words and, with two
models, the overlap survey and the benchmark pairs they disagree on. Nothing is fetched: the
file opens offline and can be mailed. Analogies, other projections, other words and the exports
need the live explorer. Scores are rounded to 4 decimals and coordinates to 5 significant
digits, which keeps 20,000 words of one model near 3 MB.
"""

from __future__ import annotations

import json

import numpy as np

from embedlab.explore import maps
from embedlab.explore.params import Params
from embedlab.explore.server import read_asset
from embedlab.fileio import atomic_write, check_output_path
from embedlab.progress import Progress
from embedlab.query.compare import MAX_SURVEY, shared_counts
from embedlab.query.neighbours import nearest_rows

#: Neighbours saved per word.
STATIC_K = 10
#: The benchmarks whose disagreements a two-model page holds.
STATIC_DATASETS = ("ws353", "simlex999")

_STYLE_TAG = '<link rel="stylesheet" href="/assets/explorer.css">'
_SCRIPT_TAG = '<script src="/assets/explorer.js"></script>'


def write_static(explorer, path, *, top: int, k: int = STATIC_K, quiet: bool = False) -> dict:
    """Write the page for ``explorer``'s models to ``path`` (atomically); return a summary
    ``{"path", "words", "bytes"}``."""
    check_output_path(path)  # before minutes of neighbour queries, not after
    data = static_data(explorer, top=top, k=k, quiet=quiet)
    page = render_static(data)
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return {"path": str(path), "words": data["count"], "bytes": len(page.encode("utf-8"))}


def static_data(explorer, *, top: int, k: int = STATIC_K, quiet: bool = True) -> dict:
    """The answers the static page holds, in the shapes its script reads."""
    models = explorer.model_list(Params("", set()))
    models.update(projections=["pca"], analogy_methods=[], datasets=list(STATIC_DATASETS))
    if explorer.comparison is None:
        data = _one_model(explorer.models[0].vectors, top, k, quiet)
    else:
        data = _two_models(explorer.comparison, top, k, quiet)
    models["top"] = data["count"]
    return {"static": True, "models": models, "k": k, **data}


def render_static(data: dict) -> str:
    """The page with its style, script and ``data`` inlined."""
    page = read_asset("index.html").decode("utf-8")
    style = read_asset("explorer.css").decode("utf-8")
    script = read_asset("explorer.js").decode("utf-8")
    if _STYLE_TAG not in page or _SCRIPT_TAG not in page or "</script" in script.lower():
        raise RuntimeError("the explorer's assets changed shape: update static.py")
    embedded = (
        '<script type="application/json" id="explorer-data">'
        f"{_script_json(data)}</script>\n<script>\n{script}</script>"
    )
    return page.replace(_STYLE_TAG, f"<style>\n{style}</style>").replace(_SCRIPT_TAG, embedded)


def _one_model(emb, top: int, k: int, quiet: bool) -> dict:
    count = min(top, len(emb))
    k = min(k, len(emb) - 1)
    with Progress(count, unit="words", description="neighbours", quiet=quiet) as bar:
        positions, cosines = nearest_rows(emb, np.arange(count), k, progress=bar.update)
    table, ids = _table(emb.words, count, positions)
    return {
        "count": count,
        "words": table,
        "neighbours": {"ids": ids, "scores": _rounded(cosines)},
        "map": _map(emb, emb.words[:count]),
    }


def _two_models(comparison, top: int, k: int, quiet: bool) -> dict:
    words = comparison.shared[0]
    count = min(top, len(words))
    k = min(k, len(words) - 1)
    with Progress(2 * count, unit="words", description="neighbours", quiet=quiet) as bar:
        hoods = comparison.neighbourhoods(count, k, progress=bar.update)
    table, first_ids = _table(words, count, hoods[0][0])
    index = {w: i for i, w in enumerate(table)}
    extra = [words[j] for j in np.unique(hoods[1][0]) if words[j] not in index]
    table += extra
    index.update((w, i) for i, w in enumerate(table))
    second_ids = [[index[words[j]] for j in row] for row in hoods[1][0]]
    common = shared_counts(hoods[0][0], hoods[1][0])
    cosines = comparison.aligned_cosines(count)
    return {
        "count": count,
        "words": table,
        "compare": {
            "k": k,
            "candidates": len(words),
            "ids": [first_ids, second_ids],
            "scores": [_rounded(hoods[0][1]), _rounded(hoods[1][1])],
            "shared": common.tolist(),
            "jaccard": np.round(common / (2 * k - common), 4).tolist(),
            "aligned_cosine": None if np.isnan(cosines).all() else _rounded(cosines),
        },
        "map": _map(comparison.first, words[:count]),
        "survey": comparison.survey(k, min(count, MAX_SURVEY), limit=30),
        "disagreements": {
            name: comparison.disagreements(name, limit=20) for name in STATIC_DATASETS
        },
    }


def _table(words: list[str], count: int, positions: np.ndarray) -> tuple[list[str], list]:
    """The page's word table (the first ``count`` words, then every other neighbour) and the
    neighbour lists as indices into it."""
    table = list(words[:count])
    index = {w: i for i, w in enumerate(table)}
    for j in np.unique(positions):
        if words[j] not in index:
            index[words[j]] = len(table)
            table.append(words[j])
    return table, [[index[words[j]] for j in row] for row in positions]


def _map(emb, words: list[str]) -> dict:
    result = maps.coordinates(emb, words, "pca")
    result.pop("words")  # the first ``count`` words of the table
    for axis in ("x", "y"):
        result[axis] = _significant(result[axis])
    return result


def _rounded(values) -> list:
    return np.round(np.asarray(values, dtype=np.float64), 4).tolist()


def _significant(values, digits: int = 5) -> list[float]:
    values = np.asarray(values, dtype=np.float64)
    peak = float(np.abs(values).max()) if values.size else 0.0
    decimals = digits - 1 - int(np.floor(np.log10(peak))) if peak > 0 else 0
    return np.round(values, max(decimals, 0)).tolist()


def _script_json(data: dict) -> str:
    """``data`` as JSON that cannot end the script element holding it: ``<``, ``>`` and ``&``
    (which JSON has only inside strings) are written as ``\\u`` escapes."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
