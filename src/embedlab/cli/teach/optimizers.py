"""``teach optimizers``: notes 004's optimizers on one stretched bowl."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON, PLOT, STEPS
from embedlab.cli.teach._show import check_plot, num, print_slips, save_plot, say, table, vec
from embedlab.cli.teach.sigmoid import numbers


@lesson(
    "optimizers",
    notes="004",
    order=10,
    summary="gradient descent, momentum, AdaGrad, RMSProp, Adam",
)
def optimizers_command(
    optimizer: Annotated[
        list[str] | None,
        typer.Option("--optimizer", help="gd, momentum, adagrad, rmsprop, adam; repeatable."),
    ] = None,
    steps: STEPS = 50,
    start: Annotated[str, typer.Option("--start", help="Starting point w₁,w₂.")] = "-4,1.5",
    a: Annotated[float, typer.Option("--a", help="Curvature along w₁.")] = 1.0,
    b: Annotated[float, typer.Option("--b", help="Curvature along w₂.")] = 20.0,
    alpha: Annotated[
        float | None,
        typer.Option("--alpha", help="One learning rate for all (default: each its own)."),
    ] = None,
    beta: Annotated[float, typer.Option("--beta", help="Weight of the newest gradient.")] = 0.1,
    beta2: Annotated[
        float, typer.Option("--beta2", help="Adam: weight of the newest squared gradient.")
    ] = 0.001,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Each optimizer, --steps steps on L(w) = ½(a·w₁² + b·w₂²) from one start, by the neural
    methods' own Optimizer (it needs torch). The running averages use the notes' convention, β
    weighting the newest term; the notes' 'adaptivity' is RMSProp. The notes give no loss or
    start point: the default bowl is 20 times steeper along w₂."""
    from embedlab.teach.optimizers import OPTIMIZERS, optimizer_lesson
    from embedlab.teach.picture import save_optimizer_picture

    check_plot(plot)
    result = optimizer_lesson(
        optimizer or OPTIMIZERS,
        steps=steps,
        start=numbers(start, "start", "--start=-4,1.5"),
        a=a,
        b=b,
        alpha=alpha,
        beta=beta,
        beta2=beta2,
    )
    if as_json:
        print_json(result)
    else:
        _print_optimizers(result, digits)
        print_slips(result["slips"])
    save_plot(plot, lambda p: save_optimizer_picture(p, result), as_json)


def _print_optimizers(result: dict, digits: int) -> None:
    runs = result["runs"]
    console.print(
        table(
            "the update rules (β weights the newest term, as in the notes)",
            ["optimizer", "α", "rule"],
            [
                [
                    r["name"],
                    f"{r['alpha']:g}",
                    "\n".join(s.strip() for s in r["formula"].split(";")),
                ]
                for r in runs
            ],  # one statement a line: a rule never wraps inside one
        )
    )
    say(
        f"{result['loss']}, from w = {vec(result['start'], digits)} where L = "
        f"{num(result['start_loss'], digits)}; the minimum is (0, 0)"
    )
    n = result["steps"]
    shown = sorted({0, 1, 2, 5, 10, 20, n // 2, n} & set(range(n + 1)))
    console.print(
        table(
            "loss L(w) after each step",
            ["step", *(r["name"] for r in runs)],
            [[t, *(num(r["losses"][t], digits) for r in runs)] for t in shown],
        )
    )
    console.print(
        table(
            f"where each one is after {n} steps",
            ["optimizer", "w", "L"],
            [[r["name"], vec(r["path"][-1], digits), num(r["losses"][-1], digits)] for r in runs],
        )
    )
