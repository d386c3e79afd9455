"""``teach contrastive``: notes 004's contrastive loss, against InfoNCE and the logistic loss."""

from __future__ import annotations

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._encoders import OPTIMIZER, RATE, TEXT
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, DIM, JSON, NEGATIVE, PLOT, SEED, STEPS
from embedlab.cli.teach._show import check_plot, num, print_slips, save_plot, say, table, vec, wide

LOSSES = {
    "infonce": "infonce: −log(e^s⁺ / (e^s⁺ + Σ e^s⁻)), the default",
    "logistic": "logistic: −log σ(s⁺) − Σ log σ(−s⁻)",
    "notes": "notes: s⁺ − Σ (s⁻)², minimised as the slide writes it",
}


@lesson(
    "contrastive",
    notes="004",
    order=50,
    summary="contrastive learning: the notes' loss has no floor",
)
def contrastive_command(
    text: TEXT = None,
    dim: DIM = 2,
    negative: NEGATIVE = 2,
    steps: STEPS = 15,
    optimizer: OPTIMIZER = "sgd",
    lr: RATE = 10.0,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """One table f scores both words of a pair; the positives are each (word, next word) of the
    toy, each with noise words from count^0.75. The same start is trained with InfoNCE (the
    method's default), word2vec's logistic loss, and the slide's L as written (it needs torch).
    """
    check_plot(plot)
    from embedlab.teach.contrastive import contrastive_lesson
    from embedlab.teach.picture import save_contrastive_picture

    result = contrastive_lesson(
        text, dim=dim, negative=negative, steps=steps, optimizer=optimizer, lr=lr, seed=seed
    )
    if as_json:
        print_json(result)
    else:
        _print_contrastive(result, digits)
        print_slips(result["slips"])
    save_plot(plot, lambda p: save_contrastive_picture(p, result["runs"]), as_json)


def _print_contrastive(result: dict, digits: int) -> None:
    kinds = list(LOSSES)
    pairs = result["pairs"]
    shown = pairs[:10]
    console.print(
        table(
            f"positives (word, next word) with {result['negative']} noise words each: the scores "
            "at the start",
            ["x", "x⁺", "x⁻", "s⁺ = f(x)·f(x⁺)", "s⁻ = f(x)·f(x⁻)"],
            [
                [
                    p["word"],
                    p["positive"],
                    ", ".join(p["negatives"]),
                    num(p["s_positive"], digits),
                    vec(p["s_negatives"], digits),
                ]
                for p in shown
            ],
        )
    )
    console.print(
        table(
            "and each loss of each pair alone",
            ["x", "x⁺", *kinds],
            [[p["word"], p["positive"], *(num(p[k], digits) for k in kinds)] for p in shown],
        )
    )
    if len(pairs) > len(shown):
        say(f"… {len(pairs) - len(shown)} more pairs (--json has them all)")
    for line in LOSSES.values():
        say(line)
    say("every loss below starts from the same table f")
    console.print(
        table(
            "f scaled by t: mean loss",
            ["t", *kinds],
            [[f"{s['scale']:g}", *(num(s[k], digits) for k in kinds)] for s in result["scaled"]],
        )
    )
    runs = result["runs"]
    n = max(len(r["history"]) for r in runs)
    for key, what in (("loss", "mean loss"), ("max_norm", "largest ‖f(x)‖")):
        console.print(
            table(
                f"{what}, {result['optimizer']} lr {result['lr']:g}",
                ["step", *(r["loss"] for r in runs)],
                [
                    [
                        t,
                        *(
                            wide(r["history"][t][key], digits) if t < len(r["history"]) else ""
                            for r in runs
                        ),
                    ]
                    for t in range(n)
                ],
            )
        )
    for r in runs:
        if r["diverged_at"] is not None:
            last = r["history"][r["diverged_at"] - 1]
            say(
                f"{r['loss']}: not finite at step {r['diverged_at']} (mean s⁺ had reached "
                f"{last['mean_positive']:.3g}: descent pushes the positives apart too); no lower "
                "bound, so it diverges"
            )
