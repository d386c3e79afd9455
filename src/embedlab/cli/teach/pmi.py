"""``teach pmi``: notes 002's co-occurrence table, PMI, PPMI (and notes 003's shifted PMI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON, WINDOW
from embedlab.cli.teach._show import labelled_rows, num, print_slips, say, table
from embedlab.errors import EmbedlabError


@lesson(
    "pmi", notes="002, 003", order=10, summary="co-occurrence counts, PMI, PPMI and shifted PMI"
)
def pmi_command(
    text: Annotated[
        str | None, typer.Argument(help="Text to count; default: the notes' I/like/dogs table.")
    ] = None,
    counts: Annotated[
        Path | None,
        typer.Option("--counts", help="Table file: header of context words, then rows."),
    ] = None,
    window: WINDOW = 2,
    k: Annotated[float, typer.Option("--k", help="Shift: PMI − ln k (k negatives).")] = 1.0,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """Counts, marginals, joint probabilities, PMI = ln p(t, c)/(p(t)p(c)), PPMI = max(PMI, 0)
    and, with --k, notes 003's shifted PMI − ln k (natural logs, as the notes' 0.18 and 0.65)."""
    from embedlab.teach.pmi import pmi_table, read_counts, text_counts

    if text is not None and counts is not None:
        raise EmbedlabError("give TEXT or --counts, not both")
    if text is not None:
        words, matrix = text_counts(text, window)
        result = pmi_table(matrix, words, k=k)
    elif counts is not None:
        targets, contexts, matrix = read_counts(counts)
        result = pmi_table(matrix, targets, contexts, k=k)
    else:
        result = pmi_table(k=k)
    if as_json:
        print_json(result)
        return
    _print_pmi(result, digits)
    print_slips(result["slips"])


def _print_pmi(result: dict, digits: int) -> None:
    contexts = result["contexts"]
    total = result["total"]
    body = [
        row + [num(p * total, 0)]
        for row, p in zip(
            labelled_rows(result["words"], result["counts"], 0), result["p_target"], strict=True
        )
    ]
    body.append(["count(c)", *(num(p * total, 0) for p in result["p_context"]), num(total, 0)])
    console.print(table("counts", ["t \\ c", *contexts, "count(t)"], body))
    panels = [("joint p(t, c)", "joint"), ("PMI", "pmi"), ("PPMI", "ppmi")]
    if result["k"] != 1:
        panels += [
            (f"PMI − ln {result['k']:g}", "shifted_pmi"),
            (f"max(PMI − ln {result['k']:g}, 0)", "shifted_ppmi"),
        ]
    for title, key in panels:
        body = labelled_rows(result["words"], result[key], digits)
        console.print(table(title, ["t \\ c", *contexts], body))
    for name, labels, key in (
        ("p(t)", result["words"], "p_target"),
        ("p(c)", contexts, "p_context"),
    ):
        say(
            f"{name}: "
            + ", ".join(f"{w} {num(p, digits)}" for w, p in zip(labels, result[key], strict=True))
        )
