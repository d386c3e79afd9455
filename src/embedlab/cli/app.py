"""The ``embedlab`` command: a thin layer over the Python API.

Each area of the product registers its commands from its own module, so this file only wires
them together and turns user errors into one line on stderr with exit code 2.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import warnings
from typing import Annotated

import typer

try:  # typer >= 0.20 vendors its own click; older releases use the click package
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_errors

from embedlab.cli import cache, evaluate, explore, graphs, pictures, teach, train, vectors
from embedlab.cli.common import flag_spelling
from embedlab.cli.roles import guarded
from embedlab.errors import EmbedlabError, Interrupted, spelling_as, warn

app = typer.Typer(
    name="embedlab",
    help="Word embeddings: train, query, evaluate, convert, plot and teach.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        from embedlab import __version__

        print(f"embedlab {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print embedlab's version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Word embeddings: train, query, evaluate, convert, plot and teach."""


for area in (train, vectors, evaluate, pictures, explore, teach, cache, graphs):
    area.register(app)


def _in_place(name: str, callback):
    """``callback`` with its messages naming flags instead of keywords, and with Ctrl-C turned
    into ``Interrupted`` before Typer sees it (Typer turns a KeyboardInterrupt into a silent
    exit 130)."""

    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            with spelling_as(flag_spelling):
                return callback(*args, **kwargs)
        except KeyboardInterrupt:
            raise Interrupted(f"{name} interrupted; no output was written") from None

    return run


def _wrap_commands(group: typer.Typer, prefix: str) -> None:
    for info in group.registered_commands:
        name = prefix + (info.name or info.callback.__name__)
        info.callback = _in_place(name, guarded(info.callback))
    for sub in group.registered_groups:
        _wrap_commands(sub.typer_instance, f"{prefix}{sub.name} ")


_wrap_commands(app, "")


def _fail(message: str) -> int:
    sys.stderr.write(f"embedlab: error: {message}\n")
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 2 user error, 130 interrupted)."""
    command = typer.main.get_command(app)
    with warnings.catch_warnings(), _progress_lines():
        warnings.showwarning = _warning_line
        return _run(command, argv)


class _StderrHandler(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is when a record comes (tests swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


@contextlib.contextmanager
def _progress_lines():
    """Where no bar can be drawn (stderr is a pipe or a file), embedlab's records (one line
    per epoch, the kernel compilation) go to stderr as ``embedlab: ...`` lines, as fastText's
    and word2vec.c's progress does; a terminal gets the bar instead."""
    logger = logging.getLogger("embedlab")
    if _interactive(sys.stderr):
        yield
        return
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("embedlab: %(message)s"))
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # a root handler the user configured would print them twice
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _interactive(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _warning_line(message, category, filename, lineno, file=None, line=None) -> None:
    """Python warnings (from the libraries underneath) in embedlab's one-line voice."""
    warn(f"{category.__name__}: {' '.join(str(message).split())}")


def _run(command, argv: list[str] | None) -> int:
    try:
        result = command.main(args=argv, prog_name="embedlab", standalone_mode=False)
    except EmbedlabError as err:
        return _fail(str(err))
    except click_errors.NoArgsIsHelpError as err:
        print(err.ctx.get_help() if err.ctx else "")
        return 0
    except click_errors.UsageError as err:
        hint = f" (see '{err.ctx.command_path} --help')" if err.ctx else ""
        return _fail(err.format_message().replace("\n", " ") + hint)
    except click_errors.ClickException as err:
        return _fail(err.format_message().replace("\n", " "))
    except Interrupted as err:
        sys.stderr.write(f"embedlab: {err}\n")
        return 130
    except typer.Abort:
        return _fail("aborted")
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0
