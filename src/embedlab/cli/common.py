"""Helpers every CLI module shares: output in JSON or Rich tables, and settings spelled as flags."""

from __future__ import annotations

import json
import shlex
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from embedlab.errors import NO_VALUE

try:  # typer >= 0.20 vendors its own click; older releases use the click package
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import get_current_context

#: How a command that reads vectors is told their format and what to do with a bad word.
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        help="Format of the vectors file instead of the one its extension names (or, for an "
        "unknown extension or .bin, its first bytes): word2vec, word2vec-binary, fasttext, glove "
        "or native.",
        show_default=False,
    ),
]
ErrorsOpt = Annotated[
    str,
    typer.Option(
        "--errors",
        help="A word that is not valid UTF-8: strict (an error naming its line) or replace "
        "(read with U+FFFD in its place).",
    ),
]

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


#: Parameter names a command's options take instead (``renamed``).
_RENAMED: ContextVar[dict | None] = ContextVar("embedlab_renamed", default=None)


def flag_spelling(name: str, value=NO_VALUE, command=None) -> str:
    """``errors.setting`` on the command line: the option of ``command`` (by default the
    running one) for parameter ``name``, e.g. ``--seed 1`` or ``--no-cache``. A parameter the
    command has no option for is spelled ``--name`` all the same (tests check none is)."""
    name = (_RENAMED.get() or {}).get(name, name)
    option = command_option(name, command)
    if option is None:
        flag = "--" + name.replace("_", "-")
    elif getattr(option, "is_flag", False) and option.secondary_opts and value is NO_VALUE:
        return f"{_long(option.opts)}/{_long(option.secondary_opts)}"  # as --help shows it
    elif getattr(option, "is_flag", False) and isinstance(value, bool):
        off = option.secondary_opts
        return _long(off) if off and not value else _long(option.opts)
    else:
        flag = _long(option.opts)
    return flag if value is NO_VALUE else f"{flag} {shlex.quote(_text(value))}"


def command_option(name: str, command=None):
    """The option of ``command`` (by default the running one) for parameter ``name``, or
    None."""
    if command is None:
        ctx = get_current_context(silent=True)
        if ctx is None:
            return None
        command = ctx.command
    for param in command.params:
        if param.name == name and getattr(param, "opts", None) and param.opts[0].startswith("-"):
            return param
    return None


@contextmanager
def renamed(**names: str):
    """While inside, messages naming parameter ``key`` name the option of parameter ``value``
    (``convert``'s input is read with ``--input-format``, not its output ``--format``)."""
    token = _RENAMED.set((_RENAMED.get() or {}) | names)
    try:
        yield
    finally:
        _RENAMED.reset(token)


def _long(opts: list[str]) -> str:
    return max(opts, key=lambda flag: (flag.startswith("--"), len(flag)))


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return str(value)
