"""Comparing vectors files: every benchmark score side by side, and the HTML report.

``compare`` runs the same evaluation on each set of vectors (every bundled similarity and analogy
benchmark through ``embedlab.evaluation.evaluate``, and the sentence-polarity task through
``evaluate_sentiment``) and lays the results out as one table: a row per number, a column per
file, the best value of each row marked. Coverage rows sit beside the scores because a score on
fewer pairs is not the same score: a file that knows only the easy words can look better.
"""

from __future__ import annotations

import os

from embedlab.checks import check_int
from embedlab.errors import EmbedlabError
from embedlab.fileio import check_output_path
from embedlab.query import describe, is_vectors, open_vectors, source_names

#: Words on each file's map when none are given: the most frequent words all files share.
MAP_WORDS = 30


def compare(
    sources,
    *,
    names=None,
    datasets=None,
    restrict_vocab: int | None = 30000,
    extrinsic: bool = True,
    words=None,
    map_words: int = MAP_WORDS,
    path=None,
    format: str | None = None,
    errors: str = "strict",
) -> dict:
    """Evaluate several sets of vectors the same way and tabulate the results.

    Args:
        sources: vectors files (any format ``embedlab.load`` reads), ``Embeddings`` or
            gensim's ``KeyedVectors``.
        names: a column name for each source; default the file names (the full paths when two
            share a name), or the method recorded in an ``Embeddings``' meta.
        datasets: benchmarks for ``evaluate`` (default: every bundled one).
        restrict_vocab: only the N most frequent words take part in the intrinsic benchmarks
            (default 30000, as word2vec's compute-accuracy); None for all words.
        extrinsic: also run the sentiment task (default True; it trains a classifier per file).
        words: the words drawn on every file's map; each must be in every file.
        map_words: with no ``words``, draw this many of the most frequent words that every
            file has (ranked by the first file; default 30).
        path: if given, write the self-contained HTML report there (atomically).
        format, errors: how the files are read (``embedlab.load``'s): their format instead of
            their extensions', and what to do with a word that is not valid UTF-8.

    Returns:
        ``{"names", "files": [{"name", "source", "vocabulary", "dim", "method"}],
        "rows": [{"metric", "benchmark", "kind", "values", "best"}], "evaluations",
        "map_words", "report"}``. ``kind`` is ``score``, ``coverage``, ``size`` or ``info``;
        ``values`` has one entry per file (None where there is no value); ``best`` lists the
        columns holding the row's highest value (empty for ``info`` rows or one file).
        ``evaluations`` holds each file's ``evaluate`` result, with ``"extrinsic"`` added.
    """
    from embedlab.evaluation import evaluate, evaluate_sentiment

    sources = _check_sources(sources)
    names = source_names(sources, names)
    map_words = check_int("map_words", map_words, minimum=2)
    if path is not None:  # a bad output path fails before minutes of evaluation
        files = [("vectors", s) for s in sources if _is_path(s)]
        check_output_path(path, inputs=[*files, *(("dataset", d) for d in datasets or ())])
    embeddings = [open_vectors(source, format, errors) for source in sources]
    shown = shared_words(embeddings, names, words, map_words)
    evaluations = []
    for emb in embeddings:
        result = evaluate(emb, datasets=datasets, restrict_vocab=restrict_vocab)
        if extrinsic:
            result["extrinsic"] = {"sentiment": evaluate_sentiment(emb)}
        evaluations.append(result)
    comparison = {
        "names": names,
        "files": [_describe(s, n, e) for s, n, e in zip(sources, names, embeddings, strict=True)],
        "rows": table_rows(evaluations, embeddings),
        "evaluations": evaluations,
        "map_words": shown,
        "report": None,
    }
    if path is not None:
        from embedlab.pictures.page import write_report  # matplotlib only when drawing

        write_report(comparison, embeddings, path)
        comparison["report"] = str(path)
    return comparison


def table_rows(evaluations: list[dict], embeddings) -> list[dict]:
    """The comparison table: one row per number, one value per file, the best marked."""
    rows = [
        _row("vocabulary size", None, "size", [len(e) for e in embeddings]),
        _row("dimension", None, "info", [e.dim for e in embeddings]),
    ]
    first = evaluations[0]
    for name in first.get("similarity", {}):
        results = [ev["similarity"][name] for ev in evaluations]
        rows.append(_row(f"{name} Spearman", name, "score", [r["spearman"] for r in results]))
        rows.append(
            _row(
                f"{name} coverage",
                name,
                "coverage",
                [_fraction(r["pairs"], r["pairs"] + r["oov"]) for r in results],
            )
        )
    for name in first.get("analogy", {}):
        results = [ev["analogy"][name] for ev in evaluations]
        for part in ("accuracy", "semantic", "syntactic"):
            rows.append(_row(f"{name} {part}", name, "score", [r[part] for r in results]))
        rows.append(
            _row(
                f"{name} coverage",
                name,
                "coverage",
                [_fraction(r["questions"], r["questions"] + r["skipped"]) for r in results],
            )
        )
    if "extrinsic" in first:
        results = [ev["extrinsic"]["sentiment"] for ev in evaluations]
        rows.append(
            _row("sentiment accuracy", "sentiment", "score", [r["accuracy"] for r in results])
        )
        rows.append(
            _row("sentiment coverage", "sentiment", "coverage", [r["coverage"] for r in results])
        )
    return rows


def shared_words(embeddings, names, words=None, count: int = MAP_WORDS) -> list[str]:
    """The words every file's map shows: ``words`` (checked) or the most frequent shared ones."""
    if words is not None:
        words = list(dict.fromkeys(words))
        missing = {
            name: [w for w in words if w not in emb.index]
            for name, emb in zip(names, embeddings, strict=True)
        }
        absent = "; ".join(
            f"{name} lacks {', '.join(repr(w) for w in lost)}"
            for name, lost in missing.items()
            if lost
        )
        if absent:
            raise EmbedlabError(f"map words must be in every file: {absent} (choose shared words)")
        return words
    others = embeddings[1:]
    shared = [w for w in embeddings[0].words if all(w in emb.index for emb in others)]
    return shared[:count]


def _row(metric: str, benchmark: str | None, kind: str, values: list) -> dict:
    numeric = [v for v in values if v is not None]
    best: list[int] = []
    if kind != "info" and len(values) > 1 and numeric:
        top = max(numeric)
        best = [i for i, v in enumerate(values) if v is not None and v == top]
    return {"metric": metric, "benchmark": benchmark, "kind": kind, "values": values, "best": best}


def _fraction(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _check_sources(sources) -> list:
    """Paths as given, vectors of any kind (gensim's converted at this boundary)."""
    from embedlab.vectors.keyed import as_vectors, is_gensim

    if _is_path(sources) or is_vectors(sources) or is_gensim(sources):
        sources = [sources]
    sources = [source if _is_path(source) else as_vectors(source) for source in sources]
    if not sources:
        raise EmbedlabError("nothing to compare: give at least one vectors file")
    return sources


def _is_path(source) -> bool:
    return isinstance(source, (str, os.PathLike))


def _describe(source, name: str, emb) -> dict:
    facts = describe(emb, path=None if is_vectors(source) else source, top=0)
    return {
        "name": name,
        "source": facts["path"],
        "vocabulary": facts["words"],
        "dim": facts["vectors_dim"],
        "method": facts["method"],
    }
