"""Helpers every CLI module shares: output in JSON or Rich tables, and loading vectors."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

#: Rich output goes to stdout; progress and errors go to stderr.
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def report_console(output, as_json: bool = False) -> Console:
    """Where a command's own report goes: stderr when its output file is standard output.

    Call it before long work: ``--json`` together with output to stdout is refused.
    """
    from embedlab.errors import EmbedlabError
    from embedlab.fileio import writes_stdout

    if output is None or not writes_stdout(output):
        return console
    if as_json:
        raise EmbedlabError("--json and -o - both write to stdout: drop --json or give a file")
    return err_console


def print_json(payload: Any) -> None:
    """Print ``payload`` as JSON on stdout (NumPy scalars and arrays become plain numbers)."""
    sys.stdout.write(json.dumps(payload, indent=2, default=_plain) + "\n")


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Table:
    """A Rich table with the given header and rows (numbers formatted by the caller).

    Columns whose header starts with ``#`` or whose cells are all numbers are right-aligned.
    """
    out = Table(title=title, show_lines=False)
    for i, name in enumerate(columns):
        numeric = all(isinstance(row[i], (int, float)) for row in rows) if rows else False
        out.add_column(name, justify="right" if numeric else "left")
    for row in rows:
        out.add_row(*(str(cell) for cell in row))
    return out
