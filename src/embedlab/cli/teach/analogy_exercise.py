"""``teach analogy-exercise``: notes 001's "awesome − eagle + person = ?", on vectors trained
here from the corpus embedlab ships."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import (
    DIGITS,
    DIM,
    EPOCHS,
    JSON,
    MIN_COUNT,
    NEGATIVE,
    SEED,
    WINDOW,
)
from embedlab.cli.teach._show import num, say, table


@lesson(
    "analogy-exercise", notes="001", order=100, summary="the exercise: awesome − eagle + person = ?"
)
def analogy_exercise_command(
    a: Annotated[str, typer.Argument(help="a, in 'b − a + c'.")] = "eagle",
    b: Annotated[str, typer.Argument(help="b")] = "awesome",
    c: Annotated[str, typer.Argument(help="c")] = "person",
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Train on this text instead of the bundled sample corpus."),
    ] = None,
    dim: DIM = 100,
    window: WINDOW = 5,
    negative: NEGATIVE = 5,
    epochs: EPOCHS = 5,
    min_count: MIN_COUNT = 5,
    seed: SEED = 1,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Train skip-gram (one thread, seeded; about half a minute) and answer b − a + c by 3CosAdd.

    The notes give no vectors for their exercise. These are trained on the sample corpus
    embedlab ships (Gutenberg books and WikiText-2, about 1.5 M words). Each query word is
    counted in the corpus: one seen fewer than --min-count times gets no vector, and the
    question cannot be answered; the output says which and why.
    """
    from embedlab.teach.analogy_exercise import analogy_exercise

    result = analogy_exercise(
        a,
        b,
        c,
        corpus,
        dim=dim,
        window=window,
        negative=negative,
        epochs=epochs,
        min_count=min_count,
        seed=seed,
    )
    if as_json:
        print_json(result)
        return
    say(
        f"{result['query']} on skip-gram vectors trained on {result['corpus']} "
        f"({result['tokens']:,} words kept, {result['vocabulary']:,} in the vocabulary)"
    )
    console.print(
        table(
            f"the query words (a vector needs --min-count {result['min_count']})",
            ["word", "count", "vector", "nearest words"],
            [
                [
                    w["word"],
                    w["count"],
                    "yes" if w["has_vector"] else "no",
                    ", ".join(n["word"] for n in w["neighbours"]),
                ]
                for w in result["words"]
            ],
        )
    )
    if result["answerable"]:
        console.print(
            table(
                "the answers (3CosAdd, the query words left out)",
                ["word", "cosine"],
                [[r["word"], num(r["cosine"], digits)] for r in result["answers"]],
            )
        )
        say(
            "A word's answer is only as good as its vector: one from a handful of occurrences "
            "is mostly where training started."
        )
        return
    for w in result["words"]:
        if not w["has_vector"]:
            say(
                f"'{w['word']}' occurs {w['count']} times in the corpus, fewer than "
                f"--min-count {result['min_count']}: too few contexts to place a vector, so "
                "the query cannot be answered."
                + (
                    f" --min-count {w['count']} gives it one, from {w['count']} contexts only."
                    if w["count"]
                    else " No setting can: the corpus never uses it."
                )
            )
