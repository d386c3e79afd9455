"""``teach sgns-pmi``: notes 003's claim that SGNS factorizes PMI − ln k, measured."""

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
    NS_EXPONENT,
    PLOT,
    SEED,
)
from embedlab.cli.teach._show import check_plot, num, print_slips, table


@lesson(
    "sgns-pmi", notes="003", order=40, summary="does SGNS factorize PMI − ln k? Trained on Hamlet"
)
def sgns_pmi_command(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="A small text corpus; default: Hamlet, which embedlab ships."),
    ] = None,
    dim: DIM = 50,
    window: Annotated[int, typer.Option("--window", "-w", help="Words on each side (fixed).")] = 2,
    negative: NEGATIVE = 5,
    epochs: EPOCHS = 30,
    alpha: ALPHA = 0.025,
    ns_exponent: NS_EXPONENT = 1.0,
    min_count: MIN_COUNT = 5,
    min_pair_count: Annotated[
        int, typer.Option("--min-pair-count", help="Compare pairs seen at least this often.")
    ] = 5,
    seed: SEED = 1,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Train skip-gram in the derivation's setting and compare w·c with PMI(w, c) − ln k.

    The derivation's setting: no subsampling, a fixed window, negatives drawn in proportion to
    counts (--ns-exponent 1). The default corpus is Shakespeare's Hamlet (Project Gutenberg,
    public domain, about 30,000 words), bundled with embedlab.
    """
    from embedlab.teach.picture import save_pmi_picture
    from embedlab.teach.sgns_pmi import hamlet_path, sgns_vs_pmi

    check_plot(plot)
    result = sgns_vs_pmi(
        hamlet_path() if corpus is None else corpus,
        dim=dim,
        window=window,
        negative=negative,
        epochs=epochs,
        alpha=alpha,
        ns_exponent=ns_exponent,
        min_count=min_count,
        min_pair_count=min_pair_count,
        seed=seed,
    )
    if plot is not None:
        save_pmi_picture(
            plot,
            result["shifted_pmi"],
            result["dots"],
            title=f"SGNS (k={negative}, dim={dim}) vs shifted PMI",
        )
    if as_json:
        print_json({key: v for key, v in result.items() if key not in ("shifted_pmi", "dots")})
        return
    summary = [
        ["pairs compared", result["pairs"]],
        ["Pearson r", num(result["pearson"], digits)],
        ["Spearman ρ", num(result["spearman"], digits)],
        [
            "fit: w·c ≈ a·(PMI − ln k) + b",
            f"a = {num(result['slope'], digits)}, b = {num(result['intercept'], digits)}",
        ],
        ["mean |w·c − (PMI − ln k)|", num(result["mean_abs_difference"], digits)],
        ["mean w·c, pairs never seen", num(result["unseen_mean_dot"], digits)],
        ["final loss", num(result["history"][-1]["loss"], digits)],
    ]
    console.print(table(f"SGNS vs PMI − ln {negative}", ["measure", "value"], summary))
    body = [
        [e["word"], e["context"], e["count"], num(e["shifted_pmi"], digits), num(e["dot"], digits)]
        for e in result["examples"]
    ]
    console.print(
        table("most frequent pairs", ["word", "context", "count", "PMI − ln k", "w·c"], body)
    )
    if plot is not None:
        console.print(f"picture written to {plot}")
    print_slips(result["slips"])
