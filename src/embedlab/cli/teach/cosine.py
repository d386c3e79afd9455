"""``teach cosine``: notes 001's personality example, or any vectors."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json, renamed
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, print_slips, table
from embedlab.errors import EmbedlabError

VECTORS = Annotated[
    list[str] | None,
    typer.Option("--vector", help="NAME=x,y,...; repeatable. Default: the notes' example."),
]


def parse_vectors(specs: list[str] | None) -> dict | None:
    """``--vector NAME=x,y,...`` options as ``{name: [numbers]}`` (None when none given)."""
    from embedlab.teach.cosine import parse_vector

    if not specs:
        return None
    vectors = dict(parse_vector(spec) for spec in specs)
    if len(vectors) != len(specs):
        raise EmbedlabError("two --vector options share a name: give each vector its own")
    return vectors


@lesson("cosine", notes="001", order=20, summary="cosine similarity: who is most like Pavlos?")
def cosine_command(
    vector: VECTORS = None,
    reference: Annotated[
        str | None, typer.Option("--reference", help="Compare against this one (default: first).")
    ] = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """cos(a, b) = a·b / (‖a‖ ‖b‖) of one vector against the others.

    The default is the notes' Big-5 table: Pavlos's five scores against options A, B and C.
    """
    from embedlab.teach.cosine import cosine_similarities

    with renamed(vectors="vector"):  # the lesson's vectors are given one --vector each
        result = cosine_similarities(parse_vectors(vector), reference)
    if as_json:
        print_json(result)
        return
    body = [[r["name"], num(r["cosine"], digits)] for r in result["similarities"]]
    console.print(table(f"cosine similarity to {result['reference']}", ["name", "cosine"], body))
    print_slips(result["slips"])
