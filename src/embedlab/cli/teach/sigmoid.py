"""``teach sigmoid``: σ and 1 − σ of notes 001's negative-sampling scores."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, print_slips, table


def numbers(text: str | None, what: str, example: str):
    """Comma-separated numbers from an option (None stays None)."""
    from embedlab.teach.cosine import parse_numbers

    return None if text is None else parse_numbers(text, what, example)


@lesson(
    "sigmoid", notes="001", order=60, summary="σ and 1 − σ of the negative-sampling table's scores"
)
def sigmoid_command(
    scores: Annotated[
        str, typer.Option("--scores", help="Dot products, comma-separated.")
    ] = "-1.11,0.2,0.74",
    digits: DIGITS = 2,
    as_json: JSON = False,
) -> None:
    """σ(z) = 1 / (1 + e^−z) by the trainer's sigmoid: P(label 1); 1 − σ(z) = σ(−z): P(label 0).

    The default scores are the notes' table (−1.11 → 0.25, 0.2 → 0.55, 0.74 → 0.68).
    """
    from embedlab.teach.basics import sigmoid_lesson

    result = sigmoid_lesson(numbers(scores, "scores", "--scores=-1.11,0.2,0.74"))
    if as_json:
        print_json(result)
        return
    console.print(
        table(
            "σ(z) = 1 / (1 + e^−z)",
            ["input · output", "σ (label 1)", "1 − σ = σ(−z) (label 0)"],
            [
                [num(r["score"], digits), num(r["sigma"], digits), num(r["one_minus"], digits)]
                for r in result["rows"]
            ],
        )
    )
    print_slips(result["slips"])
