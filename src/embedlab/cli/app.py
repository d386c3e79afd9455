"""The ``embedlab`` command: a thin layer over the Python API.

Each area of the product registers its commands from its own module, so this file only wires
them together and turns user errors into one line on stderr with exit code 2.
"""

from __future__ import annotations

import sys

import typer

try:  # typer >= 0.20 vendors its own click; older releases use the click package
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_errors

from embedlab.cli import cache, evaluate, graphs, pictures, teach, train, vectors
from embedlab.errors import EmbedlabError

app = typer.Typer(
    name="embedlab",
    help="Word embeddings: train, query, evaluate, convert, plot and teach.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for area in (train, vectors, evaluate, pictures, teach, cache, graphs):
    area.register(app)


def _fail(message: str) -> int:
    sys.stderr.write(f"embedlab: error: {message}\n")
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 ok, 2 user error)."""
    command = typer.main.get_command(app)
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
    except typer.Abort:
        return _fail("aborted")
    except KeyboardInterrupt:
        return _fail("interrupted; no output was written")
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0
