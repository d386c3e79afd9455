"""``teach analogy``: notes 001's king − man + woman ∼ queen, on toy vectors."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, say, table, vec, vectors_table
from embedlab.cli.teach.cosine import VECTORS, parse_vectors


@lesson("analogy", notes="001", order=30, summary="king − man + woman on toy vectors")
def analogy_command(
    a: Annotated[str, typer.Argument(help="a, in 'a is to b as c is to ?'.")] = "man",
    b: Annotated[str, typer.Argument(help="b")] = "king",
    c: Annotated[str, typer.Argument(help="c")] = "woman",
    vector: VECTORS = None,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """b − a + c, answered by the query code (3CosAdd, the three query words left out).

    The notes write b − a + c with the raw vectors; 3CosAdd first scales each word to length 1
    and ranks by the cosine with unit(b) − unit(a) + unit(c). Both vectors are printed, with
    each answer's cosine to each; the ranking is 3CosAdd's. The notes give no vectors: the
    default is a three-dimensional toy (royalty, maleness, person).
    """
    from embedlab.teach.basics import analogy_lesson

    vectors = parse_vectors(vector)
    result = analogy_lesson(a, b, c, vectors)
    if as_json:
        print_json(result)
        return
    title = "toy vectors (royalty, maleness, person)" if vectors is None else "the vectors"
    console.print(vectors_table(title, result["vectors"], digits))
    say(f"{b} − {a} + {c} = {vec(result['target'], digits)} (as the notes write it)")
    say(
        f"unit({b}) − unit({a}) + unit({c}) = {vec(result['ranked_by'], digits)} (3CosAdd ranks "
        "by this one)"
    )
    console.print(
        table(
            "the answers, by 3CosAdd (the three query words left out)",
            ["word", "cosine with 3CosAdd's vector", f"cosine with {b} − {a} + {c}"],
            [
                [r["word"], num(r["cosine"], digits), num(r["cosine_raw"], digits)]
                for r in result["answers"]
            ],
        )
    )
