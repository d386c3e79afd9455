"""``embedlab plot``, ``plot-history`` and ``compare``: maps, training curves and the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from embedlab.cli.common import ErrorsOpt, FormatOpt, console, print_json, table
from embedlab.cli.roles import INPUT, OUTPUT
from embedlab.errors import EmbedlabError

_FORMATS_HELP = "Output picture: .png or .svg (chosen by the extension)."


def register(app: typer.Typer) -> None:
    """Add ``plot``, ``plot-history`` and ``compare`` to the top-level app."""
    app.command("plot")(plot_command)
    app.command("plot-history")(plot_history_command)
    app.command("compare")(compare_command)


def plot_command(
    vectors: Annotated[
        Path, typer.Argument(help="Vectors file (word2vec text/binary, GloVe, .emb).")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help=_FORMATS_HELP), OUTPUT],
    words: Annotated[
        str | None, typer.Option("--words", help="Words to show, comma-separated: w1,w2,...")
    ] = None,
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group", help="A coloured group NAME=w1,w2,... (repeat for several groups)."
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            help="Also show the N most frequent words (default 30 when no "
            "words, groups or pairs are given).",
        ),
    ] = None,
    pairs: Annotated[
        str | None,
        typer.Option("--pairs", help="Analogy pairs drawn as arrows a -> b: man:king,woman:queen"),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="Projection to 2-D: pca or tsne.")
    ] = "pca",
    title: Annotated[str | None, typer.Option("--title", help="Title of the picture.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="t-SNE random state.")] = 0,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the 2-D coordinates as JSON.")
    ] = False,
) -> None:
    """Draw a labelled 2-D map (PCA or t-SNE) of chosen word vectors."""
    from embedlab.pictures.maps import METHODS, plot_map
    from embedlab.pictures.render import picture_format
    from embedlab.query import open_vectors

    if method not in METHODS:
        raise EmbedlabError(f"--method must be one of {', '.join(METHODS)}; got {method!r}")
    picture_format(output)  # a wrong extension or folder fails before the vectors are read
    chosen = parse_words(words, "--words") if words is not None else None
    groups = parse_groups(group or [])
    pair_list = parse_pairs(pairs) if pairs is not None else None
    emb = open_vectors(vectors, format, errors)
    word_map = plot_map(
        emb, chosen, groups, top, pair_list, method, path=output, title=title, seed=seed
    )
    if as_json:
        print_json({"output": str(output), **word_map.to_dict()})
        return
    rows = [
        [escape(p["word"]), escape(p["group"] or ""), f"{p['x']:.4f}", f"{p['y']:.4f}"]
        for p in word_map.to_dict()["points"]
    ]
    console.print(table(escape(f"Wrote {output}"), ["word", "group", "x", "y"], rows))


def plot_history_command(
    run: Annotated[
        Path,
        typer.Argument(help="A native .emb model, or the JSON printed by 'embedlab train --json'."),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help=_FORMATS_HELP), OUTPUT],
    title: Annotated[str | None, typer.Option("--title", help="Title of the picture.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the numbers drawn as JSON.")
    ] = False,
) -> None:
    """Draw the loss per epoch and the words per second of a training run."""
    from embedlab.pictures.curves import history_curves, plot_history, read_history
    from embedlab.pictures.render import picture_format

    picture_format(output)
    history = read_history(run)
    history_curves(history)  # a run without history fails with its own message
    curves = plot_history(history, output, title=title)
    if as_json:
        print_json({"output": str(output), **curves})
        return
    rows = [
        [epoch, _number(loss, ".4f"), _number(speed, ",.0f")]
        for epoch, loss, speed in zip(
            curves["epoch"], curves["loss"], curves["words_per_sec"], strict=True
        )
    ]
    console.print(table(escape(f"Wrote {output}"), ["epoch", "loss", "words/s"], rows))


def compare_command(
    vectors: Annotated[
        list[Path], typer.Argument(help="Vectors files to compare (any format 'load' reads).")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the HTML report here."), OUTPUT
    ] = None,
    no_extrinsic: Annotated[
        bool, typer.Option("--no-extrinsic", help="Skip the sentiment task (faster).")
    ] = False,
    dataset: Annotated[
        list[str] | None,
        typer.Option("--dataset", "-d", help="Benchmark name or file; repeat. Default: all."),
        INPUT,
    ] = None,
    restrict_vocab: Annotated[
        int,
        typer.Option("--restrict-vocab", help="Only the N most frequent words (0 = all words)."),
    ] = 30000,
    words: Annotated[
        str | None,
        typer.Option(
            "--words",
            help="Words for the maps, comma-separated (default: the 30 "
            "most frequent words every file has).",
        ),
    ] = None,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Score several vectors files on every benchmark; one table, and an HTML report with -o."""
    from embedlab.evaluation.datasets import check_dataset_name
    from embedlab.pictures.page import format_value
    from embedlab.pictures.report import compare

    if restrict_vocab < 0:
        raise EmbedlabError(
            f"--restrict-vocab must be 0 (all words) or a positive count, got {restrict_vocab}"
        )
    for name in dataset or ():
        check_dataset_name(name)
    result = compare(
        vectors,
        datasets=dataset or None,
        restrict_vocab=restrict_vocab or None,
        extrinsic=not no_extrinsic,
        words=parse_words(words, "--words") if words is not None else None,
        path=output,
        format=format,
        errors=errors,
    )
    if as_json:
        print_json(result)
        return
    rows = []
    for row in result["rows"]:
        cells = [format_value(v, row["kind"]) for v in row["values"]]
        for i in row["best"]:
            cells[i] = f"[bold green]{cells[i]}[/]"
        rows.append([escape(row["metric"]), *cells])
    columns = ["metric", *(escape(name) for name in result["names"])]
    out = table("Comparison (best of each row in green)", columns, rows)
    for column in out.columns[1:]:
        column.justify = "right"
    console.print(out)
    if output is not None:
        console.print(escape(f"Wrote {output}"))


def parse_words(text: str, option: str) -> list[str]:
    """``w1,w2,...`` -> words (spaces around them dropped); empty is an error."""
    items = [w.strip() for w in text.split(",") if w.strip()]
    if not items:
        raise EmbedlabError(f"{option} got no words: give them comma-separated, e.g. king,queen")
    return items


def parse_groups(specs: list[str]) -> dict[str, list[str]]:
    """``NAME=w1,w2`` strings -> ``{NAME: [w1, w2]}``, in the order given."""
    groups: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, members = spec.partition("=")
        if not sep or not name.strip():
            raise EmbedlabError(
                f"--group {spec!r} is not NAME=w1,w2: e.g. --group royal=king,queen"
            )
        if name.strip() in groups:
            raise EmbedlabError(f"--group {name.strip()!r} is given twice: merge the two lists")
        groups[name.strip()] = parse_words(members, f"--group {name.strip()}")
    return groups


def parse_pairs(text: str) -> list[tuple[str, str]]:
    """``a:b,c:d`` -> ``[(a, b), (c, d)]``."""
    pairs = []
    for item in parse_words(text, "--pairs"):
        a, sep, b = item.partition(":")
        if not sep or not a.strip() or not b.strip() or ":" in b:
            raise EmbedlabError(f"--pairs item {item!r} is not a:b: e.g. man:king,woman:queen")
        pairs.append((a.strip(), b.strip()))
    return pairs


def _number(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)
