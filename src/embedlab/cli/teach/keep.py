"""``teach keep``: what to keep after training (notes 001, 003)."""

from __future__ import annotations

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, say, table


@lesson("keep", notes="001, 003", order=80, summary="what to keep: W, W', W + W' or W ⊕ W'")
def keep_command(digits: DIGITS = 3, as_json: JSON = False) -> None:
    """The four choices of the notes, by Embeddings.combined, on their 'much later' tables.

    Notes 001 keep the embedding matrix W and discard the context matrix W'; notes 003 add the
    concatenation W ⊕ W' and the sum or average. Each is scored by the mean cosine within a
    kind (vehicles, fruits) and across the kinds.
    """
    from embedlab.teach.basics import keep_lesson

    result = keep_lesson()
    if as_json:
        print_json(result)
        return
    console.print(
        table(
            "the notes' 'much later' toy: mean cosine within a kind and across kinds",
            ["keep", "dimensions", "within kind", "vehicle-fruit", "gap"],
            [
                [
                    ch["name"],
                    len(next(iter(ch["vectors"].values()))),
                    num(ch["within"], digits),
                    num(ch["across"], digits),
                    num(ch["within"] - ch["across"], digits),
                ]
                for ch in result["choices"]
            ],
        )
    )
    say("--json has every vector of each choice")
