"""``teach sigmoid-derivative``: notes 003's σ′(x) = σ(x)(1 − σ(x)), checked by numbers."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json, renamed
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, say, table
from embedlab.cli.teach.sigmoid import numbers


@lesson(
    "sigmoid-derivative",
    notes="003",
    order=10,
    summary="σ′(x) = σ(x)(1 − σ(x)), by finite differences",
)
def sigmoid_derivative_command(
    x: Annotated[
        str | None,
        typer.Option("--x", help="Points, comma-separated (default: the backprop exercise's)."),
    ] = None,
    eps: Annotated[float, typer.Option("--eps", help="Finite-difference step.")] = 1e-5,
    digits: DIGITS = 6,
    as_json: JSON = False,
) -> None:
    """The derivation's first line e^−x/(1 + e^−x)², its last σ(1 − σ), and (σ(x+h) − σ(x−h))/2h.

    The default points are where the notes' backpropagation exercise (every weight 1) needs σ′:
    its hidden units' inputs 1 and 4 (h = 0.73, 0.98) and its outputs' inputs (y = 0.81, 0.88).
    """
    from embedlab.teach.sigmoid_derivative import sigmoid_derivative_lesson

    with renamed(points="x"):
        result = sigmoid_derivative_lesson(numbers(x, "points", "--x=-2,0,2"), eps=eps)
    if as_json:
        print_json(result)
        return
    console.print(
        table(
            "σ′(x) three ways",
            ["x", "σ(x)", "e^−x/(1+e^−x)²", "σ(1 − σ)", "central diff.", "gap"],
            [
                [
                    num(r["x"], 4),
                    *(num(r[k], digits) for k in ("sigma", "derivation", "product", "numeric")),
                    f"{r['error']:.1e}",
                ]
                for r in result["rows"]
            ],
        )
    )
    say(
        f"central diff. = (σ(x + h) − σ(x − h))/2h with h = {result['eps']:g}; gap: the largest "
        f"difference of the three. The derivation holds to {result['max_abs_error']:.1e}."
    )
