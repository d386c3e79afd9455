"""``teach softmax-loss``: notes 003's full-softmax loss for Frodo → ring."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import CONTEXT_VECTORS, DIGITS, JSON, WORD_VECTORS
from embedlab.cli.teach._show import num, print_slips, say, table, vec
from embedlab.cli.teach._tables import tables_from


@lesson(
    "softmax-loss", notes="003, 001", order=30, summary="the full-softmax loss for Frodo → ring"
)
def softmax_loss_command(
    word_vectors: WORD_VECTORS = None,
    context_vectors: CONTEXT_VECTORS = None,
    source: Annotated[str, typer.Option("--source", help="The centre (source) word.")] = "Frodo",
    target: Annotated[str, typer.Option("--target", help="The context (target) word.")] = "ring",
    digits: DIGITS = 4,
    as_json: JSON = False,
) -> None:
    """Cross-entropy −ln p(target | source) with p = softmax(W'·w_source), by the trainer's
    full_softmax_update, and which parameters its gradient reaches.

    The default is the notes' six-word example (W and W' of notes 003, Frodo → ring).
    """
    from embedlab.teach.softmax import softmax_loss

    if word_vectors is None and context_vectors is None:
        result = softmax_loss(source=source, target=target)
    else:
        tables = tables_from(None, word_vectors, context_vectors)
        result = softmax_loss(
            tables.word_vectors, tables.context_vectors, tables.words, source, target
        )
    if as_json:
        print_json(result)
        return
    body = [
        [w, num(z, digits), num(e, digits), num(p, digits), vec(g, digits)]
        for w, z, e, p, g in zip(
            result["words"],
            result["logits"],
            result["exp_logits"],
            result["probabilities"],
            result["gradient_context"].values(),
            strict=True,
        )
    ]
    console.print(
        table(
            f"p(· | {source}) = softmax(W'·w_{source})",
            ["word", "logit", "exp", "probability", "∂L/∂w'"],
            body,
        )
    )
    say(f"ln Σ exp = {num(result['log_sum_exp'], digits)}")
    say(f"loss = −ln p({target} | {source}) = {num(result['loss'], digits)}")
    say(
        f"∂L/∂w_{source} = −(w'_{target} − Σ_j p_j w'_j) = {vec(result['gradient_source'], digits)}"
    )
    grads = result["parameters_with_gradient"]
    say(
        f"gradient reaches W row {source!r} ({grads['W']['count']} numbers) and "
        f"{len(grads['W_prime']['rows'])} of {len(result['words'])} rows of W' "
        f"({grads['W_prime']['count']} numbers): every context vector, the source's own "
        "included"
    )
    print_slips(result["slips"])
