"""``teach svd``: notes 002's Attempt 4, PPMI = U Σ Vᵀ, by the count method's SVD."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON, WINDOW
from embedlab.cli.teach._show import labelled_rows, num, say, table, vec, vectors_table


@lesson("svd", notes="002", order=20, summary="PPMI = UΣVᵀ: the count method's word vectors")
def svd_command(
    text: Annotated[
        str | None, typer.Argument(help="Text to count; default: 'I like cats and dogs'.")
    ] = None,
    window: WINDOW = 2,
    k: Annotated[int, typer.Option("--k", help="Dimensions kept.")] = 2,
    eig: Annotated[
        float, typer.Option("--eig", help="Vectors U·Σ^eig (0: the notes' U[t, :]).")
    ] = 0.0,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """U, Σ, V and the k-dimensional word vectors, by truncated_svd and weighted_factors.

    The default text is the notes' "I like cats and dogs" with a window of 2.
    """
    from embedlab.teach.svd import svd_lesson

    result = svd_lesson(text, window=window, k=k, eig=eig)
    if as_json:
        print_json(result)
        return
    words = result["words"]
    dims = [f"{i + 1}" for i in range(k)]
    console.print(table("PPMI", ["t \\ c", *words], labelled_rows(words, result["ppmi"], digits)))
    for title, key in (("U (targets)", "U"), ("V (contexts)", "V")):
        console.print(table(title, ["word", *dims], labelled_rows(words, result[key], digits)))
    say("Σ = diag" + vec(result["singular_values"], digits))
    console.print(vectors_table(f"word vectors U·Σ^{eig:g}", result["word_vectors"], digits))
    say(
        f"rank-{k} reconstruction U Σ Vᵀ differs from PPMI by at most "
        f"{num(result['max_reconstruction_error'], digits)}"
    )
