"""The options the lessons share, declared once (each command sets its own default)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.roles import OUTPUT

JSON = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
DIGITS = Annotated[int, typer.Option("--digits", min=0, max=12, help="Decimals shown in tables.")]
PLOT = Annotated[
    Path | None, typer.Option("--plot", help="Write a picture here (.png or .svg)."), OUTPUT
]
DIM = Annotated[int, typer.Option("--dim", help="Vector length d.")]
WINDOW = Annotated[
    int,
    typer.Option("--window", "-w", help="Words on each side (next-word: the words before)."),
]
NEGATIVE = Annotated[
    int, typer.Option("--negative", help="k: negatives (noise words) per positive pair.")
]
NEGATIVE_WORDS = Annotated[
    list[str] | None,
    typer.Option("--negative", help="A negative context word (label 0); repeatable."),
]
NS_EXPONENT = Annotated[
    float,
    typer.Option("--ns-exponent", help="Noise ∝ count^x (word2vec: 0.75; the derivation: 1)."),
]
EPOCHS = Annotated[int, typer.Option("--epochs", help="Passes over the corpus.")]
STEPS = Annotated[int, typer.Option("--steps", help="Steps (updates) to take.")]
ALPHA = Annotated[float, typer.Option("--alpha", help="Learning rate α.")]
MIN_COUNT = Annotated[int, typer.Option("--min-count", help="Drop words seen fewer times.")]
SEED = Annotated[int, typer.Option("--seed", help="Random seed.")]
OUTPUT_TABLES = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the resulting tables to STEM.words.txt and STEM.contexts.txt (word2vec "
        "text), which --word-vectors/--context-vectors read back.",
    ),
    OUTPUT,
]
WORD_VECTORS = Annotated[
    Path | None,
    typer.Option("--word-vectors", help="Word (input) vectors file, e.g. word2vec text format."),
]
CONTEXT_VECTORS = Annotated[
    Path | None,
    typer.Option("--context-vectors", help="Context (output) vectors file, same words."),
]
