"""``teach gradcheck``: notes 002's SGNS gradients and notes 001's softmax gradient, three ways."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json, renamed
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import (
    CONTEXT_VECTORS,
    DIGITS,
    DIM,
    JSON,
    NEGATIVE_WORDS,
    SEED,
    WORD_VECTORS,
)
from embedlab.cli.teach._show import print_slips, say, table, vec
from embedlab.cli.teach._tables import tables_from
from embedlab.errors import EmbedlabError


@lesson(
    "gradcheck",
    notes="002, 001",
    order=40,
    summary="SGNS and softmax gradients: trainer, formula, numbers",
)
def gradcheck_command(
    word_vectors: WORD_VECTORS = None,
    context_vectors: CONTEXT_VECTORS = None,
    focus: Annotated[str | None, typer.Option("--focus", help="Focus word (files).")] = None,
    positive: Annotated[str | None, typer.Option("--positive", help="Context word.")] = None,
    negative: NEGATIVE_WORDS = None,
    vocab: Annotated[int, typer.Option("--vocab", help="Random vectors: words.")] = 6,
    dim: DIM = 4,
    k: Annotated[int, typer.Option("--k", help="Random vectors: negatives per update.")] = 3,
    seed: SEED = 0,
    eps: Annotated[float, typer.Option("--eps", help="Finite-difference step.")] = 1e-6,
    digits: DIGITS = 6,
    as_json: JSON = False,
) -> None:
    """Each gradient three times: the trainer's update run with α = 1 (exactly minus the
    gradient), the notes' closed form, and central finite differences of the loss.

    Notes 002's Q2 for negative sampling: (σ(u·v_c) − 1)v_c + Σσ(u·v_ci)v_ci, (σ(u·v_c) − 1)u
    and σ(u·v_cj)u; notes 001's −(u_o − Σ_j P(j|c)u_j) for the softmax. Random vectors by
    default (--vocab, --dim, --k, --seed), or your own files with --focus, --positive and
    --negative.
    """
    from embedlab.teach.gradcheck import gradcheck

    tables = None
    if word_vectors is not None or context_vectors is not None:
        tables = tables_from(None, word_vectors, context_vectors)
        if focus is None or positive is None or not negative:
            raise EmbedlabError(
                "with vector files give --focus, --positive and at least one --negative"
            )
    # The lesson's count of negatives is --k here, its negative words each a --negative.
    with renamed(negative="k", negatives="negative"):
        result = gradcheck(
            tables, focus, positive, negative, vocab=vocab, dim=dim, negative=k, seed=seed, eps=eps
        )
    if as_json:
        print_json(result)
        return
    samples = (
        f"focus {result['focus']!r}, positive {result['positive']!r}, "
        f"negatives {', '.join(result['negatives'])}"
    )
    for title, key in (
        (f"negative sampling: {samples}", "negative_sampling"),
        (f"full softmax: source {result['focus']!r}, target {result['positive']!r}", "softmax"),
    ):
        body = [
            [c["gradient"] if source == "trainer" else "", source, _gradient(c[field], digits)]
            for c in result[key]
            for source, field in (
                ("trainer", "routine"),
                ("notes' formula", "formula"),
                ("finite diff.", "numeric"),
            )
        ]
        console.print(table(title, ["gradient", "by", "value"], body))
        say(
            "largest difference: "
            + ", ".join(f"{c['gradient']} {c['max_abs_error']:.1e}" for c in result[key])
        )
    say(
        f"largest disagreement: {result['max_abs_error']:.1e} (notes' formula: their closed "
        "form; finite diff.: central differences of the loss)"
    )
    print_slips(result["slips"])


def _gradient(values, digits: int) -> str:
    if values and isinstance(values[0], list):
        return f"({len(values)} x {len(values[0])} matrix, see --json)"
    return vec(values, digits)
