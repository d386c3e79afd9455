"""``teach train-toy``: notes 000's "much later", trained by the real skip-gram."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import (
    ALPHA,
    DIGITS,
    DIM,
    EPOCHS,
    JSON,
    MIN_COUNT,
    NEGATIVE,
    OUTPUT_TABLES,
    PLOT,
    SEED,
    WINDOW,
)
from embedlab.cli.teach._show import check_plot, num, say, table, vectors_table
from embedlab.cli.teach._tables import check_stem, say_written, write_tables

TOY_LOSS_NOTE = (
    "Why the loss goes up and down: each epoch is only the toy's pairs with freshly drawn "
    "negatives and windows, and 3 of the 7 words a pair can draw as a negative are of its own "
    "kind, scored about as high as the positive; an epoch that draws more of them reports a "
    "higher loss. The expected loss (those draws averaged exactly) moves much less; what it "
    "does move is the constant alpha, which lets the vectors wander. --min-alpha decays alpha "
    "as word2vec does."
)


@lesson(
    "train-toy",
    notes="000",
    order=20,
    summary="'much later': train the toy, watch the vectors form",
)
def train_toy_command(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="A small text corpus; default: the notes' vehicles/fruits toy."),
    ] = None,
    epochs: EPOCHS = 200,
    dim: DIM = 2,
    window: WINDOW = 2,
    negative: NEGATIVE = 2,
    alpha: ALPHA = 0.1,
    min_alpha: Annotated[
        float | None,
        typer.Option("--min-alpha", help="Decay alpha linearly to this (default: constant)."),
    ] = None,
    min_count: MIN_COUNT = 1,
    seed: SEED = 1,
    plot: PLOT = None,
    output: OUTPUT_TABLES = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The real SkipGram estimator (one thread, seeded) from the notes' starting tables.

    The notes do not show the corpus behind their "much later" tables; the default is one in
    which vehicles only meet vehicles and fruits only fruits. -o STEM writes the final tables,
    which `teach step --word-vectors STEM.words.txt` continues.
    """
    from embedlab.teach.picture import save_toy_picture
    from embedlab.teach.toy_training import train_toy

    check_plot(plot)
    check_stem(output)
    result = train_toy(
        corpus,
        epochs=epochs,
        dim=dim,
        window=window,
        negative=negative,
        alpha=alpha,
        min_alpha=min_alpha,
        min_count=min_count,
        seed=seed,
    )
    if output is not None:
        final = result["final"]
        result["written"] = write_tables(
            output,
            result["words"],
            list(final["word_vectors"].values()),
            list(final["context_vectors"].values()),
        )
    if plot is not None:
        trajectories = result["trajectories"]
        if dim != 2:
            trajectories = _project_2d(trajectories)
        save_toy_picture(
            plot,
            result["words"],
            trajectories,
            result["groups"],
            title=f"skip-gram, {epochs} epochs",
        )
    if as_json:
        print_json({key: value for key, value in result.items() if key != "trajectories"})
        return
    _print_training(result, digits)
    say_written(result.get("written"))
    if plot is not None:
        console.print(f"picture written to {plot}")


def _print_training(result: dict, digits: int) -> None:
    history = result["history"]
    shown = sorted({0, len(history) // 4, len(history) // 2, len(history) - 1})
    expected = "expected_loss" in history[0]
    console.print(
        table(
            "loss per prediction",
            ["epoch", "loss (this epoch's draws)", *(["expected loss"] if expected else [])],
            [
                [
                    history[i]["epoch"],
                    num(history[i]["loss"], digits),
                    *([num(history[i]["expected_loss"], digits)] if expected else []),
                ]
                for i in shown
            ],
        )
    )
    final = result["final"]
    console.print(vectors_table("word vectors, much later", final["word_vectors"], digits))
    console.print(vectors_table("context vectors, much later", final["context_vectors"], digits))
    say(TOY_LOSS_NOTE, style="dim")


def _project_2d(trajectories: dict) -> dict:
    """One PCA plane per table, fitted on the final vectors, applied to every snapshot."""
    from sklearn.decomposition import PCA

    projected = {}
    for key, path in trajectories.items():
        pca = PCA(n_components=2).fit(path[-1])
        projected[key] = [pca.transform(snapshot) for snapshot in path]
    return projected
