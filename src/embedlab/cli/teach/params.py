"""``teach params``: how many numbers skip-gram holds, and how many one update touches."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIM, JSON, NEGATIVE
from embedlab.cli.teach._show import print_slips, table


@lesson(
    "params",
    notes="002, 003",
    order=30,
    summary="how many parameters, and how many one update touches",
)
def params_command(
    vocab: Annotated[int, typer.Option("--vocab", help="Vocabulary size |V|.")] = 101_425,
    dim: DIM = 300,
    negative: NEGATIVE = 5,
    as_json: JSON = False,
) -> None:
    """Two d-vectors per word (2·d·|V|), their float32 memory, and the numbers one negative-
    sampling update ((K + 2)·d) and one full-softmax update ((|V| + 1)·d) touch.

    The defaults are notes 003's exercise: |V| = 101,425 and d = 300.
    """
    from embedlab.teach.params import parameter_count

    result = parameter_count(vocab, dim, negative)
    if as_json:
        print_json(result)
        return
    touched = result["touched_per_update"]
    rows = [
        ["W and W' (2·d·|V|)", f"{result['parameters']:,}"],
        ["memory as float32", f"{result['bytes']:,} bytes ({result['bytes'] / 2**20:,.1f} MiB)"],
        [
            f"one negative-sampling update ((K+2)·d, K={negative})",
            f"{touched['negative_sampling']:,}",
        ],
        ["one full-softmax update ((|V|+1)·d)", f"{touched['full_softmax']:,}"],
    ]
    console.print(table(f"|V| = {vocab:,}, d = {dim}", ["parameters", "count"], rows))
    print_slips(result["slips"])
