"""``teach vae``: notes 004's variational autoencoder, and its KL term's two directions."""

from __future__ import annotations

from typing import Annotated

import typer

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
from embedlab.cli.teach._show import check_plot, num, print_slips, save_plot, say, table, vec


@lesson("vae", notes="004", order=30, summary="the VAE: z = μ + σε, reconstruction + λ·KL")
def vae_command(
    text: TEXT = None,
    loss: LOSS = "squared",
    dim: DIM = 2,
    kl_weight: Annotated[
        float, typer.Option("--kl-weight", help="The notes' λ, the weight of the KL term.")
    ] = 0.1,
    steps: STEPS = 300,
    optimizer: OPTIMIZER = "adam",
    lr: RATE = 0.05,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """One draw of the trained VAE's loss, word by word: μ, σ, ε, z, the reconstruction, and the
    KL term in the method's direction beside the notes' (KL is not symmetric).

    The method is embedlab's VAE (it needs torch), on the same toy text as `teach autoencoder`.
    """
    check_plot(plot)
    from embedlab.teach.encoders import vae_lesson

    result = vae_lesson(
        text,
        loss=loss,
        dim=dim,
        kl_weight=kl_weight,
        steps=steps,
        optimizer=optimizer,
        lr=lr,
        seed=seed,
    )
    if as_json:
        print_json(result)
    else:
        _print_vae(result, digits)
        print_slips(result["slips"])
    save_plot(plot, code_picture(result, "mu", "μ"), as_json)


def _print_vae(result: dict, digits: int) -> None:
    lam = f"{result['kl_weight']:g}"
    rows = result["rows"]
    console.print(
        table(
            "the reparameterisation, word by word: z = μ + σε",
            ["word", "μ", "σ", "ε ~ N(0, I)", "z"],
            [
                [r["word"], *(vec(r[k], digits) for k in ("mu", "sigma", "eps", "code"))]
                for r in rows
            ],
        )
    )
    console.print(
        table(
            f"the loss of that draw, word by word (reconstruction: {result['loss']})",
            [
                "word",
                "reconstruction",
                "KL(N(μ,σ²)‖N(0,I))",
                "notes' KL(N(0,I)‖N(μ,σ²))",
                f"rec + {lam}·KL",
            ],
            [
                [
                    r["word"],
                    *(num(r[k], digits) for k in ("reconstruction", "kl", "notes_kl", "total")),
                ]
                for r in rows
            ],
        )
    )
    say(
        f"mean: reconstruction {num(result['mean_reconstruction'], digits)} + {lam} × KL "
        f"{num(result['mean_kl'], digits)} = {num(result['total'], digits)} (the VAE's own loss "
        f"of this draw: {num(result['method_loss'], digits)})"
    )
    say(
        f"the notes' direction KL(N(0,I)‖N(μ,σ²)) averages {num(result['mean_notes_kl'], digits)}"
        f", not {num(result['mean_kl'], digits)}: KL is not symmetric, and the bound the VAE "
        "maximises has the encoder's Gaussian first"
    )
    print_training(result, digits, "means μ")
