"""``teach backprop``: notes 003's backpropagation exercise, by autograd (notes 004's loops)."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, print_slips, say, table, vec


@lesson("backprop", notes="003, 004", order=20, summary="the backpropagation exercise, by autograd")
def backprop_command(
    learning_rate: Annotated[float, typer.Option("--learning-rate", help="ψ in the notes.")] = 1.0,
    digits: DIGITS = 4,
    as_json: JSON = False,
) -> None:
    """Three inputs, two sigmoid hidden units, two sigmoid outputs, every weight 1, two examples.

    The gradients come from embedlab's small reverse-mode autograd (notes 004's forward and
    backward loops) and are checked against finite differences and the notes' closed forms;
    the δ of each example and output are the numbers the slide's arithmetic uses.
    """
    from embedlab.teach.backprop import backprop_lesson

    result = backprop_lesson(learning_rate)
    if as_json:
        print_json(result)
        return
    console.print(
        table(
            "forward pass",
            ["example", "x", "t", "h = σ(x W⁽¹⁾)", "y = σ(h W⁽²⁾)"],
            [
                [i + 1, vec(x, 0), vec(t, 0), vec(h, digits), vec(y, digits)]
                for i, (x, t, h, y) in enumerate(
                    zip(result["inputs"], result["targets"], result["H"], result["Y"], strict=True)
                )
            ],
        )
    )
    console.print(
        table(
            "the output deltas δ_{e,l} = (t − y)·y·(1 − y)",
            ["example", "δ_{e,1}", "δ_{e,2}"],
            [[i + 1, *(num(d, digits + 2) for d in row)] for i, row in enumerate(result["deltas"])],
        )
    )
    body = [
        [
            name,
            *(num(w[k], digits + 2) for k in ("gradient", "formula", "numeric")),
            num(w["after"], digits + 1),
        ]
        for name, w in (("w⁽²⁾₁,₂", result["w2_12"]), ("w⁽¹⁾₂,₂", result["w1_22"]))
    ]
    console.print(
        table(
            f"one gradient step, ψ = {result['learning_rate']:g}",
            ["weight", "∂L/∂w (autograd)", "notes' formula", "finite differences", "after"],
            body,
        )
    )
    say(
        f"L = ½(1/N)ΣΣ(t − y)² = {num(result['loss'], digits)}; every gradient agrees with "
        f"finite differences to {result['max_abs_error']:.1e}"
    )
    print_slips(result["slips"])
