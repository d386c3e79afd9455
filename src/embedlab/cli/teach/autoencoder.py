"""``teach autoencoder``: notes 004's autoencoder of PPMI rows."""

from __future__ import annotations

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._encoders import (
    LOSS,
    OPTIMIZER,
    RATE,
    TEXT,
    code_picture,
    print_training,
)
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, DIM, JSON, PLOT, SEED, STEPS
from embedlab.cli.teach._show import check_plot, num, save_plot, table, vec

#: Per reconstruction loss: the column headers of its terms, in the lesson's key order.
TERM_HEADERS = {
    "squared": ("‖f(x)‖²", "−2 f(x)·x", "‖x‖²", "‖f(x) − x‖²"),
    "multinomial": ("log Σ exp f(x)", "−Σ p·f(x)", "−Σ p log softmax f(x)"),
}


@lesson(
    "autoencoder",
    notes="004",
    order=20,
    summary="an autoencoder of PPMI rows: what loss, what is close",
)
def autoencoder_command(
    text: TEXT = None,
    loss: LOSS = "squared",
    dim: DIM = 2,
    steps: STEPS = 300,
    optimizer: OPTIMIZER = "adam",
    lr: RATE = 0.05,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The activity's two questions: what loss (the notes' ‖f(x) − x‖², term by term), and how
    similar words get close (feed each word its row of context associations).

    Notes 004 give no worked example; the default text puts notes 000's vehicles and fruits
    among words of their kind. The method is embedlab's Autoencoder (it needs torch); each of
    --steps is one optimizer step on the full batch, --dim the code's length.
    """
    check_plot(plot)
    from embedlab.teach.encoders import autoencoder_lesson

    result = autoencoder_lesson(
        text, loss=loss, dim=dim, steps=steps, optimizer=optimizer, lr=lr, seed=seed
    )
    if as_json:
        print_json(result)
    else:
        body = [
            [
                r["word"],
                result["kinds"].get(r["word"], ""),
                vec(r["code"], digits),
                *(num(v, digits) for v in r["terms"].values()),
                num(r["reconstruction"], digits),
            ]
            for r in result["rows"]
        ]
        console.print(
            table(
                f"each word's unit PPMI row x, its code and its {result['loss']} loss",
                ["word", "kind", "code", *TERM_HEADERS[result["loss"]]],
                body,
            )
        )
        print_training(result, digits, "codes")
    save_plot(plot, code_picture(result, "code", "code"), as_json)
