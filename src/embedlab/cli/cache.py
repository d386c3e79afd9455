"""``embedlab cache list|clear``: seeing and freeing the corpus cache."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Annotated

import typer

from embedlab.cli.common import console, print_json, table
from embedlab.corpus.cache import cache_cap, cache_dir, clear_cache, list_entries
from embedlab.resources import human_bytes

cache_app = typer.Typer(
    help="See and free the encoded-corpus cache ($EMBEDLAB_CACHE, default ~/.cache/embedlab).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``cache`` group to the top-level app."""
    app.add_typer(cache_app, name="cache")


@cache_app.command("list")
def list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The cached corpora: key, size, source files, age and last use, least recently used first."""
    folder, cap = cache_dir(), cache_cap()
    entries = list_entries(folder)
    total = sum(entry.size for entry in entries)
    if as_json:
        payload = {"folder": str(folder), "cap": cap, "bytes": total}
        print_json(payload | {"entries": [asdict(entry) for entry in entries]})
        return
    now = time.time()
    rows = [
        [
            entry.key[:12],
            human_bytes(entry.size),
            ", ".join(entry.sources) or "-",
            "-" if entry.created is None else _age(now - entry.created),
            _age(now - entry.used),
            entry.status,
        ]
        for entry in entries
    ]
    title = (
        f"{len(entries)} entries, {human_bytes(total)} of the {human_bytes(cap)} cap "
        f"(EMBEDLAB_CACHE_SIZE) in {folder}"
    )
    console.print(table(title, ["key", "size", "source", "age", "used", "status"], rows))


@cache_app.command("clear")
def clear_command(
    key: Annotated[
        str | None,
        typer.Argument(help="Remove only this entry (its key or a unique start of it)."),
    ] = None,
) -> None:
    """Remove every cached corpus, or one; other files in the folder are left alone."""
    removed, freed = clear_cache(key)
    noun = "entry" if removed == 1 else "entries"
    console.print(f"removed {removed} {noun} ({human_bytes(freed)}) from {cache_dir()}")


def _age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f} {unit}"
    return f"{max(seconds, 0):.0f} s"
