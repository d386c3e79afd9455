"""``teach negatives``: notes 001's negative-sampling training set, noise, and positives only."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import (
    DIGITS,
    EPOCHS,
    JSON,
    NEGATIVE,
    NS_EXPONENT,
    PLOT,
    SEED,
    WINDOW,
)
from embedlab.cli.teach._show import check_plot, num, save_plot, say, table


@lesson(
    "negatives", notes="001", order=70, summary="the negative-sampling training set; why negatives"
)
def negatives_command(
    text: Annotated[
        str | None, typer.Argument(help="Text for the training set; default: the notes' cat.")
    ] = None,
    window: WINDOW = 2,
    negative: NEGATIVE = 2,
    exponent: NS_EXPONENT = 0.75,
    epochs: EPOCHS = 50,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The (input, output, label) rows the trainer sees, its count^0.75 noise table, and the
    toy trained with and without negatives (--epochs) by the trainer's update.

    The default text is the notes' "The dog was chased by a white cat as it was".
    """
    from embedlab.teach.negatives import positives_only, training_set
    from embedlab.teach.picture import save_negatives_picture

    check_plot(plot)
    kwargs = {} if text is None else {"text": text}
    result = training_set(window=window, negative=negative, exponent=exponent, seed=seed, **kwargs)
    result["positives_only"] = positives_only(epochs=epochs, seed=seed)
    if as_json:
        print_json(result)
    else:
        _print_negatives(result, exponent, digits)
    save_plot(plot, lambda p: save_negatives_picture(p, result["positives_only"]["runs"]), as_json)


def _print_negatives(result: dict, exponent: float, digits: int) -> None:
    rows = result["rows"]
    shown = rows[:24]
    console.print(
        table(
            f"training set ({len(rows)} rows; label 1: observed, 0: drawn from the noise)",
            ["input word", "output word", "target"],
            [[r["input"], r["output"], r["label"]] for r in shown],
        )
    )
    if len(rows) > len(shown):
        say(f"… {len(rows) - len(shown)} more rows (--json has them all)")
    console.print(
        table(
            f"noise distribution: count^{exponent:g}, normalised",
            ["word", "count", "unigram p", f"noise p (^{exponent:g})"],
            [
                [n["word"], n["count"], num(n["unigram"], digits), num(n["noise"], digits)]
                for n in result["noise"]
            ],
        )
    )
    lesson = result["positives_only"]
    body = [
        [
            name,
            h["epoch"],
            *(
                num(h[k], digits)
                for k in ("loss", "sigma_pairs", "sigma_unrelated", "word_norm", "context_norm")
            ),
        ]
        for name, history in lesson["runs"].items()
        for h in (history[0], history[len(history) // 2], history[-1])
    ]
    console.print(
        table(
            f"the toy trained with {lesson['negative']} negatives per pair and with none",
            ["run", "epoch", "loss", "σ neighbours", "σ vehicle-fruit", "mean ‖w‖", "mean ‖c‖"],
            body,
        )
    )
    say(
        "With positives only every label is 1: the loss falls to 0 just by growing the vectors, "
        "σ of every pair trained on goes to 1, and nothing pushes unrelated words apart."
    )
