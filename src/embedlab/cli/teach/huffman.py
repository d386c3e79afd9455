"""``teach huffman``: notes 001's hierarchical softmax, by the trainer's Huffman tree."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import DIGITS, DIM, JSON, SEED
from embedlab.cli.teach._show import num, say, table, vec
from embedlab.cli.teach.sigmoid import numbers
from embedlab.errors import EmbedlabError


@lesson(
    "huffman", notes="001", order=90, summary="hierarchical softmax on the trainer's Huffman tree"
)
def huffman_command(
    counts: Annotated[
        str, typer.Option("--counts", help="Word counts, comma-separated.")
    ] = "40,20,10,5,5",
    words: Annotated[
        str | None, typer.Option("--words", help="Names for the counts (default A, B, ...).")
    ] = None,
    dim: DIM = 3,
    seed: SEED = 0,
    digits: DIGITS = 3,
    as_json: JSON = False,
) -> None:
    """The trainer's Huffman tree: codes, inner-node paths, and P(w) = Π σ(±v_n·h) summing to 1.

    The notes (a margin note) give no counts; the default is five words. h and the node
    vectors (--dim long) are drawn from --seed.
    """
    from embedlab.teach.huffman import huffman_lesson

    values = numbers(counts, "counts", "--counts 40,20,10,5,5")
    if any(v != int(v) for v in values):
        raise EmbedlabError(f"counts must be whole numbers, got {counts!r}")
    names = None if words is None else [w.strip() for w in words.split(",") if w.strip()]
    result = huffman_lesson([int(v) for v in values], names, dim=dim, seed=seed)
    if as_json:
        print_json(result)
        return
    body = [
        [
            r["word"],
            r["count"],
            r["code"],
            " → ".join(str(p) for p in r["points"]),
            " · ".join(
                f"σ({num(n['z'] if n['branch'] == 0 else -n['z'], digits)})" for n in r["nodes"]
            ),
            num(r["probability"], digits),
            num(r["trainer_probability"], digits),
        ]
        for r in result["rows"]
    ]
    console.print(
        table(
            "Huffman codes (0 = first branch) and the path probability of each word",
            ["word", "count", "code", "inner nodes", "Π σ(±v_n·h)", "P(w)", "trainer"],
            body,
        )
    )
    say(
        "branch 0 scores σ(v_n·h), branch 1 σ(−v_n·h) (word2vec's label 1 − code); "
        f"h = {vec(result['hidden'], digits)}"
    )
    say(f"Σ_w P(w) = {result['total_probability']:.{max(digits, 6)}f}")
    say(
        f"mean code length {num(result['expected_code_length'], digits)} nodes per prediction "
        f"(log2 |V| = {num(result['log2_vocab'], digits)}; full softmax scores all "
        f"{len(result['words'])} words)"
    )
