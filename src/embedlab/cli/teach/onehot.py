"""``teach onehot``: notes 001's one-hot vectors and notes 003's lookup x·E."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, JSON
from embedlab.cli.teach._show import num, say, table, vec


@lesson(
    "onehot",
    notes="001, 003",
    order=10,
    summary="one-hot vectors share nothing; one-hot × E is a row",
)
def onehot_command(
    word: Annotated[str, typer.Option("--word", help="The word notes 003 looks up.")] = "Frodo",
    digits: DIGITS = 2,
    as_json: JSON = False,
) -> None:
    """Both of the notes' one-hot examples.

    Notes 001: "cat" and "dog" as one-hot vectors of length 8 (the vocabulary's size); any two
    words' one-hot vectors are orthogonal, so their cosine is 0 whatever the words mean. Notes
    003: the one-hot vector of a word times the embedding matrix E is E's row for the word,
    which is why training code reads the row instead.
    """
    from embedlab.teach.basics import onehot_lookup, onehot_vectors

    result = {"one_hot": onehot_vectors(), **onehot_lookup(word)}
    if as_json:
        print_json(result)
        return
    pair = result["one_hot"]
    (a, x), (b, y) = pair["vectors"].items()
    console.print(
        table(
            f"one-hot vectors, vocabulary of {pair['size']} (notes 001)",
            ["word", *(str(i + 1) for i in range(pair["size"]))],
            [[w, *(int(v) for v in vector)] for w, vector in ((a, x), (b, y))],
        )
    )
    say(
        f"{a} · {b} = {num(pair['dot'], 0)}, cosine {num(pair['cosine'], digits)}: every two "
        "words' one-hot vectors are orthogonal, so one-hot cannot say which words are alike"
    )
    console.print()
    words = result["words"]
    console.print(
        table(
            "E, one row per word (notes 003)",
            ["word", "one-hot x", *(f"e{i + 1}" for i in range(len(result["row"])))],
            [
                [w, int(x), *(num(v, digits) for v in row)]
                for w, x, row in zip(words, result["onehot"], result["E"], strict=True)
            ],
        )
    )
    say(f"x · E = {vec(result['product'], digits)}")
    say(f"E[{word}] = {vec(result['row'], digits)}")
    say(
        f"identical: {'yes' if result['equal'] else 'NO'}; the product spends "
        f"{result['multiplications']} multiplications on what a lookup reads directly"
    )
