"""``similar``, ``analogy``, ``convert`` and ``info``: querying and converting vector files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import (
    ErrorsOpt,
    FormatOpt,
    console,
    print_json,
    renamed,
    report_console,
    table,
)
from embedlab.cli.roles import OUTPUT
from embedlab.errors import EmbedlabError

VectorsArg = Annotated[
    Path,
    typer.Argument(
        metavar="VECTORS",
        help="Vectors file: word2vec text (.txt/.vec) or binary (.bin), .glove, .emb.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
RestrictOpt = Annotated[
    int,
    typer.Option("--restrict-vocab", help="Rank only the N most frequent words (0 = every word)."),
]
FORMAT_HELP = (
    "word2vec (text), word2vec-binary, fasttext (fastText's .bin model), glove or native; "
    "default: from the extension."
)


def register(app: typer.Typer) -> None:
    """Add ``similar``, ``analogy``, ``convert`` and ``info`` to the top-level app."""
    app.command("similar")(similar_command)
    app.command("analogy")(analogy_command)
    app.command("convert")(convert_command)
    app.command("info")(info_command)


def similar_command(
    vectors: VectorsArg,
    words: Annotated[
        list[str],
        typer.Argument(metavar="WORD", help="Query word(s); several are averaged (3CosAdd)."),
    ],
    topn: Annotated[int, typer.Option("-n", "--topn", help="How many neighbours.")] = 10,
    negative: Annotated[
        list[str] | None,
        typer.Option("--negative", help="Word to subtract from the query; repeatable."),
    ] = None,
    restrict_vocab: RestrictOpt = 0,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    as_json: JsonOpt = False,
) -> None:
    """The nearest neighbours of a word by cosine similarity."""
    from embedlab.query import neighbours, open_vectors

    _check_counts(topn, restrict_vocab)
    emb = open_vectors(vectors, format, errors)
    answer = neighbours(
        emb, words, negative or [], topn=topn, restrict_vocab=restrict_vocab or None
    )
    _show(answer, as_json, title=f"Nearest to {' + '.join(words)}" + _minus(negative))


def analogy_command(
    vectors: VectorsArg,
    a: Annotated[str, typer.Argument(metavar="A", help="A, in 'A is to B as C is to ?'.")],
    b: Annotated[str, typer.Argument(metavar="B", help="B.")],
    c: Annotated[str, typer.Argument(metavar="C", help="C.")],
    topn: Annotated[int, typer.Option("-n", "--topn", help="How many answers.")] = 5,
    cosmul: Annotated[
        bool, typer.Option("--cosmul", help="3CosMul (Levy & Goldberg 2014) instead of 3CosAdd.")
    ] = False,
    restrict_vocab: RestrictOpt = 0,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    as_json: JsonOpt = False,
) -> None:
    """A is to B as C is to ?  (man king woman -> queen)."""
    from embedlab.query import analogy, open_vectors

    _check_counts(topn, restrict_vocab)
    emb = open_vectors(vectors, format, errors)
    method = "3CosMul" if cosmul else "3CosAdd"
    answer = analogy(emb, a, b, c, topn=topn, method=method, restrict_vocab=restrict_vocab or None)
    _show(answer, as_json, title=f"{a} : {b} :: {c} : ?")


def convert_command(
    source: Annotated[Path, typer.Argument(metavar="IN", help="Vectors file to read.")],
    target: Annotated[
        Path,
        typer.Argument(
            metavar="OUT",
            help="File to write, replaced atomically (a symlink's target is replaced); -, a pipe "
            "or a device is streamed to (give --format) and this report goes to stderr.",
        ),
        OUTPUT,
    ],
    format: Annotated[str | None, typer.Option("--format", "-f", help=FORMAT_HELP)] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Format of IN; " + FORMAT_HELP)
    ] = None,
    combine: Annotated[
        str | None,
        typer.Option(
            "--combine",
            help="input, sum, mean or concat of the input and context vectors (needs a model "
            "that kept them, e.g. a native .emb); default: as saved.",
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Keep only the first N words (0 = all).")
    ] = 0,
    errors: ErrorsOpt = "strict",
) -> None:
    """Convert vectors between word2vec text/binary, GloVe and the native format."""
    from embedlab.fileio import check_output_path
    from embedlab.vectors.formats import format_of, load, output_format

    if limit < 0:
        raise EmbedlabError(f"--limit must be 0 (all words) or a positive count, got {limit}")
    check_output_path(target)  # fail before a long read, not after
    report = report_console(target)
    format_of(target, format, reading=False)  # an unknown --format fails before a long read
    with renamed(format="input_format"):  # what reading IN needs is --input-format
        emb = load(source, format=input_format, limit=limit or None, mmap=True, errors=errors)
    if combine is not None:
        emb = emb.combined(combine)
    out_format = output_format(emb, target, format)  # a subword model's .bin is fastText's
    emb.save(target, format=out_format)
    report.print(f"wrote {target}: {len(emb)} words x {emb.dim} dims ({out_format})")


def info_command(
    vectors: VectorsArg,
    top: Annotated[int, typer.Option("--top", help="How many of the first words to list.")] = 10,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    as_json: JsonOpt = False,
) -> None:
    """What a vectors file holds: size, matrices, how it was trained, its first words."""
    from embedlab.query import describe, open_vectors
    from embedlab.vectors.formats import stored_format

    if top < 0:
        raise EmbedlabError(f"--top must be 0 or more, got {top}")
    emb = open_vectors(vectors, format, errors)
    report = describe(emb, path=str(vectors), format=stored_format(vectors, format), top=top)
    if as_json:
        print_json(report)
    else:
        _print_info(report)


def _check_counts(topn: int, restrict_vocab: int) -> None:
    if topn < 1:
        raise EmbedlabError(f"-n must be at least 1, got {topn}")
    if restrict_vocab < 0:
        raise EmbedlabError(
            f"--restrict-vocab must be 0 (all words) or a positive count, got {restrict_vocab}"
        )


def _minus(negative) -> str:
    return "".join(f" - {w}" for w in negative or [])


def _show(answer: dict, as_json: bool, *, title: str) -> None:
    if as_json:
        print_json(answer)
        return
    results = [(r["word"], r["similarity"]) for r in answer["results"]]
    rows = [[rank, word, f"{score:.4f}"] for rank, (word, score) in enumerate(results, 1)]
    if answer["composed"]:  # words a subword model built from their n-grams
        title += f" (composed: {', '.join(answer['composed'])})"
    out = table(title, ["#", "word", "similarity"], rows)
    out.columns[2].justify = "right"
    console.print(out)


def _print_info(report: dict) -> None:
    facts = [
        ["file", report["path"]],
        ["format", report["format"]],
        ["words", f"{report['words']:,}"],
        ["dimensions", str(report["dim"])],
        ["context vectors", "yes" if report["has_context"] else "no"],
        ["vectors used", f"{report['combine']} ({report['vectors_dim']} dims)"],
        ["word counts", "yes" if report["has_counts"] else "no"],
    ]
    if report["corpus_tokens"] is not None:
        facts.append(["corpus tokens (kept words)", f"{report['corpus_tokens']:,}"])
    subwords = report["subwords"]
    if subwords:
        ngrams = (
            f"{subwords['minn']}-{subwords['maxn']} characters, {subwords['buckets']:,} buckets"
        )
        facts.append(["subwords (any word has a vector)", ngrams])
    if report["method"]:
        facts.append(["method", str(report["method"])])
    for key, value in report["params"].items():
        facts.append([f"  {key}", str(value)])
    training = report["training"]
    if training:
        facts.append(["epochs", str(training["epochs"])])
        loss = f"{_number(training['first_loss'])} -> {_number(training['final_loss'])}"
        facts.append(["loss (first -> last)", loss])
        if training["seconds"] is not None:
            facts.append(["training seconds", f"{training['seconds']:.1f}"])
        if training["words_per_sec"] is not None:
            facts.append(["words/s (mean)", f"{training['words_per_sec']:,.0f}"])
    summary = table("Vectors", ["", ""], facts)
    summary.show_header = False
    console.print(summary)
    if report["top_words"]:
        rows = [
            [i, t["word"], "-" if t["count"] is None else f"{t['count']:,}"]
            for i, t in enumerate(report["top_words"], 1)
        ]
        console.print(table("First words", ["#", "word", "count"], rows))


def _number(value) -> str:
    return f"{value:.4f}" if isinstance(value, (int, float)) else str(value)
