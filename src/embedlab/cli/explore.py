"""``embedlab explore``: the explorer page for one or two vectors files, or its static copy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from embedlab.cli.common import ErrorsOpt, FormatOpt, console
from embedlab.cli.roles import OUTPUT
from embedlab.errors import EmbedlabError


def register(app: typer.Typer) -> None:
    """Add ``explore`` to the top-level app."""
    app.command("explore")(explore_command)


def explore_command(
    vectors: Annotated[
        Path, typer.Argument(metavar="VECTORS", help="Vectors file (any format 'load' reads).")
    ],
    second: Annotated[
        Path | None,
        typer.Argument(
            metavar="VECTORS2",
            help="A second vectors file, shown side by side with the first and aligned to it.",
        ),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (0 picks a free one).")
    ] = 8700,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; other than loopback, anyone who can connect reads the "
            "vectors (a warning says so).",
        ),
    ] = "127.0.0.1",
    static: Annotated[
        Path | None,
        typer.Option(
            "--static",
            help="Write one self-contained HTML file (no server needed) instead of serving.",
        ),
        OUTPUT,
    ] = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            help="Words on the first map; with --static, the most frequent words saved in the "
            "file, with their neighbours.",
        ),
    ] = 5000,
    format: FormatOpt = None,
    errors: ErrorsOpt = "strict",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """A local web page to search, map and compare word vectors (http://127.0.0.1:8700/)."""
    from embedlab.explore import Explorer, serve, write_static
    from embedlab.explore.maps import MAX_MAP_WORDS
    from embedlab.query import Model, source_names

    if not 0 <= port <= 65535:
        raise EmbedlabError(f"--port must be from 0 to 65535, got {port}")
    if not 2 <= top <= MAX_MAP_WORDS:
        raise EmbedlabError(f"--top must be from 2 to {MAX_MAP_WORDS:,}, got {top}")
    sources = [vectors] if second is None else [vectors, second]
    names = source_names(sources)
    explorer = Explorer(
        [Model.open(s, name, format, errors) for s, name in zip(sources, names, strict=True)],
        top=top,
    )
    if static is not None:
        written = write_static(explorer, static, top=top, quiet=quiet)
        size = written["bytes"] / 1e6
        console.print(f"wrote {static}: {written['words']:,} words, {size:.2f} MB", soft_wrap=True)
        return
    serve(explorer, host=host, port=port, say=console.print)
