"""``teach pca``: notes 004's PCA derivation, worked on a small matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON, PLOT
from embedlab.cli.teach._show import (
    check_plot,
    labelled_rows,
    num,
    print_slips,
    save_plot,
    say,
    table,
    vec,
    vectors_table,
)


@lesson(
    "pca", notes="004", order=60, summary="PCA by XᵀX's eigenvectors; the notes forget to centre"
)
def pca_command(
    vectors: Annotated[
        Path | None,
        typer.Option("--vectors", help="A vectors file; default: notes 003's six 3-d vectors."),
    ] = None,
    plot: PLOT = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The notes' derivation, max vᵀXᵀXv over unit v, solved by XᵀX's eigenvectors, with their
    sanity check XᵀXv⁽ʲ⁾ = λⱼv⁽ʲ⁾ and the coordinates Xv, by the projection the pictures use.

    The notes never centre X; PCA subtracts the mean row first, and this lesson does, then
    shows what the uncentred XᵀX's first eigenvector would be.
    """
    from embedlab.teach.pca import pca_lesson
    from embedlab.teach.picture import save_pca_picture

    check_plot(plot)
    if vectors is None:
        result = pca_lesson()
    else:
        from embedlab.vectors.formats import load

        emb = load(vectors)
        result = pca_lesson(emb.vectors, emb.words)
    if as_json:
        print_json(result)
    else:
        _print_pca(result, digits)
        print_slips(result["slips"])
    save_plot(
        plot,
        lambda p: save_pca_picture(
            p,
            result["words"],
            list(result["coords"].values()),
            title="PCA: the first two components",
        ),
        as_json,
    )


def _print_pca(result: dict, digits: int) -> None:
    words = result["words"]
    cols = [f"x{i + 1}" for i in range(len(result["mean"]))]
    say(f"mean row = {vec(result['mean'], digits)}")
    console.print(
        table(
            "centred X (each row minus the mean)",
            ["word", *cols],
            labelled_rows(words, result["centred"], digits),
        )
    )
    console.print(table("XᵀX", ["", *cols], labelled_rows(cols, result["scatter"], digits)))
    console.print(
        table(
            "eigenpairs of XᵀX, largest first",
            ["j", "λⱼ", "v⁽ʲ⁾"],
            [
                [j + 1, num(lam, digits), vec(v, digits)]
                for j, (lam, v) in enumerate(
                    zip(result["eigenvalues"], result["eigenvectors"], strict=True)
                )
            ],
        )
    )
    say(
        "sanity check max|XᵀX v⁽ʲ⁾ − λⱼ v⁽ʲ⁾| for the two kept: "
        + ", ".join(f"{e:.1e}" for e in result["sanity"])
    )
    console.print(
        vectors_table("coordinates X v (as the pictures draw them)", result["coords"], digits)
    )
    ratio = result["explained_variance_ratio"]
    say(f"variance captured: {', '.join(num(r, digits) for r in ratio)}")
    raw = result["uncentred_first"]
    say(
        f"without centring, the top eigenvector of XᵀX is {vec(raw['vector'], digits)}, cosine "
        f"{num(raw['cosine_with_mean'], digits)} with the mean: it finds where the points are, "
        "not how they vary"
    )
