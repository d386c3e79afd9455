"""``teach pairs``: the training examples a sliding window makes (notes 001, 003)."""

from __future__ import annotations

from typing import Annotated

import typer

from embedlab.cli.common import console, print_json
from embedlab.cli.teach._lessons import lesson
from embedlab.cli.teach._options import JSON, SEED, WINDOW
from embedlab.cli.teach._show import print_slips, say, table


@lesson("pairs", notes="001, 003", order=40, summary="the training examples a sliding window makes")
def pairs_command(
    text: Annotated[
        str | None,
        typer.Argument(help="The sentence to slide the window over; default: the notes' one."),
    ] = None,
    window: WINDOW = 2,
    mode: Annotated[str, typer.Option("--mode", help="skipgram, cbow or next-word.")] = "skipgram",
    dynamic: Annotated[
        bool, typer.Option("--dynamic", help="word2vec's reduced windows, drawn from --seed.")
    ] = False,
    seed: SEED = 1,
    as_json: JSON = False,
) -> None:
    """The examples training sees, numbered by window, by the trainer's generators.

    Default sentences from the notes: skip-gram, notes 003's "The quick brown fox jumped over
    the lazy dog" (their full table); next-word and cbow, notes 001's "Shivas was chased by a
    cat as".
    """
    from embedlab.teach.pairs import pairs_lesson

    result = pairs_lesson(text, window=window, mode=mode, dynamic=dynamic, seed=seed)
    if as_json:
        print_json(result)
        return
    rows = result["rows"]
    if text is None:
        say(f"the notes' sentence: {result['text']}")
    if mode == "skipgram":
        body = [[r["window"], r["source"], r["target"]] for r in rows]
        console.print(
            table(f"skip-gram pairs, window {window}", ["window", "source", "target"], body)
        )
    else:
        body = [[r["window"], ", ".join(r["inputs"]), r["target"]] for r in rows]
        console.print(
            table(f"{mode} examples, window {window}", ["window", "inputs", "target"], body)
        )
    print_slips(result["slips"])
