"""What notes 004's encoder lessons (autoencoder, vae, contrastive) share: the options only
they take, and their training table (one optimizer step is one full batch)."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.teach._show import num, say, table

TEXT = Annotated[
    str | None,
    typer.Argument(help="Sentences (one per line or per '.'); default: vehicles and fruits."),
]
LOSS = Annotated[
    str, typer.Option("--loss", help="squared (the notes' ‖f(x) − x‖²) or multinomial.")
]
OPTIMIZER = Annotated[
    str, typer.Option("--optimizer", help="sgd, momentum, adagrad, rmsprop or adam.")
]
RATE = Annotated[float, typer.Option("--lr", help="Learning rate.")]


def print_training(result: dict, digits: int, what: str) -> None:
    """The loss at a few steps, then how close the codes of same-kind words ended."""
    from embedlab.cli.common import console

    losses = result["history"]
    n = len(losses)
    shown = sorted({1, 2, 5, 10, 20, 50, 100, n // 2, n} & set(range(1, n + 1)))
    console.print(
        table(
            "training",
            ["step", "loss (before the step)"],
            [[t, num(losses[t - 1], digits)] for t in shown],
        )
    )
    closeness = result["closeness"]
    if closeness is not None:
        say(
            f"mean cosine of the {what}: same kind {num(closeness['same_kind'], digits)}, "
            f"vehicle vs fruit {num(closeness['other_kind'], digits)}: words with similar "
            "contexts have similar PPMI rows, and a code that must rebuild the row puts them "
            "close"
        )


def code_picture(result: dict, key: str, name: str):
    """Draws the first two numbers of each word's ``key`` (its code, or μ)."""
    from embedlab.teach.picture import save_pca_picture

    coords = [r[key][:2] for r in result["rows"]]
    title = f"{result['loss']} loss, {result['steps']} steps"
    return lambda p: save_pca_picture(p, result["words"], coords, title, (f"{name} 1", f"{name} 2"))
