"""``teach step``: notes 000's negative-sampling updates, number by number."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import (
    ALPHA,
    CONTEXT_VECTORS,
    DIGITS,
    JSON,
    NEGATIVE_WORDS,
    OUTPUT_TABLES,
    STEPS,
    WORD_VECTORS,
)
from embedlab.cli.teach._show import num, print_slips, say, table, vec, vectors_table
from embedlab.cli.teach._tables import check_stem, say_written, tables_from, write_tables
from embedlab.errors import EmbedlabError


@lesson("step", notes="000", order=10, summary="one negative-sampling update, number by number")
def step_command(
    toy: Annotated[
        str | None,
        typer.Option(
            "--toy",
            help="vehicles-fruits (the notes' start, default) or vehicles-fruits-later (their "
            "'much later' tables): the starting tables and the default update; with vector "
            "files, only the default update.",
        ),
    ] = None,
    word_vectors: WORD_VECTORS = None,
    context_vectors: CONTEXT_VECTORS = None,
    focus: Annotated[str | None, typer.Option("--focus", help="The focus (input) word.")] = None,
    positive: Annotated[
        str | None, typer.Option("--positive", help="The observed context word (label 1).")
    ] = None,
    negative: NEGATIVE_WORDS = None,
    positive_only: Annotated[
        bool, typer.Option("--positive-only", help="No negatives: update on the positive only.")
    ] = False,
    alpha: ALPHA = 0.1,
    steps: STEPS = 1,
    output: OUTPUT_TABLES = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The trainer's own routine with every intermediate number: z = w·c, σ(z), E, Δw, Δc.

    Each option left out takes the notes' value for --toy (focus, positive, negatives), so
    --alpha 0.5 alone reruns the notes' update with another rate; --steps N repeats it N times.
    Chain updates with -o STEM, then --word-vectors STEM.words.txt.
    """
    from embedlab.teach.sgd_step import sgns_step
    from embedlab.teach.tables import TOYS
    from embedlab.teach.toy_data import NOTES_UPDATES

    if toy is not None and toy not in TOYS:
        raise EmbedlabError(f"unknown toy {toy!r}: choose one of {', '.join(TOYS)}")
    if positive_only and negative:
        raise EmbedlabError("give --negative words or --positive-only, not both")
    check_stem(output)
    tables = tables_from(toy, word_vectors, context_vectors)
    default_focus, default_positive, default_negatives = NOTES_UPDATES[toy or TOYS[0]]
    focus = default_focus if focus is None else focus
    positive = default_positive if positive is None else positive
    negatives = [] if positive_only else list(negative or default_negatives)
    result = sgns_step(tables, focus, positive, negatives, alpha=alpha, steps=steps)
    if output is not None:
        result["written"] = write_tables(
            output, tables.words, tables.word_vectors, tables.context_vectors
        )
    if as_json:
        print_json(result)
        return
    _print_step(result, focus, alpha, steps, digits)
    say_written(result.get("written"))
    print_slips(result["slips"])


def _print_step(result: dict, focus: str, alpha: float, steps: int, digits: int) -> None:
    several = steps > 1
    body = [
        [
            *([r["step"]] if several else []),
            r["context"],
            r["label"],
            num(r["z"], digits),
            num(r["sigma"], digits),
            num(r["error"], digits),
            vec(r["delta_focus"], digits),
            vec(r["delta_context"], digits),
        ]
        for r in result["rows"]
    ]
    console.print(
        table(
            f"focus {focus!r}, alpha {alpha:g}",
            [*(["step"] if several else []), "context", "label", "z", "σ(z)", "E", "Δw", "Δc"],
            body,
        )
    )
    say("z = w·c, E = label − σ(z), Δw = α·E·c (old c), Δc = α·E·w")
    say(result["semantics"], style="dim")
    for s in result["steps"]:
        say(
            f"step {s['step']}: Δw_{focus} summed = {vec(s['delta_focus'], digits)}, "
            f"loss = {num(s['loss'], digits)}"
        )
    console.print(vectors_table("word vectors after", result["word_vectors"], digits))
    console.print(vectors_table("context vectors after", result["context_vectors"], digits))
