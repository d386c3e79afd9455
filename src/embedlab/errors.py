"""The one exception type for user errors.

A user error is bad input or a bad option: something the user can fix. Its message is a single
line that names the problem and the fix. The CLI prints it without a traceback and exits 2;
anything else that escapes is a bug and keeps its traceback.

A fix names a setting the way the user writes it where they are: a keyword from Python
(``seed=1``), a flag on the command line (``--seed 1``). Messages spell settings with
``setting(name, value)`` (or ``spelled`` for fixed texts); Python's spelling is the default and
the CLI installs its own with ``spelling_as`` while a command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

#: ``setting``'s marker for "no value": the setting's name alone.
NO_VALUE = object()

_SPELLING: ContextVar[Callable | None] = ContextVar("embedlab_spelling", default=None)


class EmbedlabError(Exception):
    """Bad input or option. ``str(err)`` is one line naming the problem and the fix."""


class UnknownWordError(EmbedlabError, KeyError):
    """One or more query words are not in the vocabulary; ``words`` lists them all."""

    def __init__(self, words):
        self.words = list(words)
        shown = ", ".join(repr(w) for w in self.words)
        noun = "word" if len(self.words) == 1 else "words"
        super().__init__(f"unknown {noun} {shown}: not in the vocabulary (check spelling and case)")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def warn(message: str) -> None:
    """Tell the user, in one line on stderr, about a problem embedlab worked around.

    The voice of ``EmbedlabError``: what happened and what embedlab did or the user can do.
    """
    sys.stderr.write(f"embedlab: warning: {message}\n")


class Interrupted(Exception):
    """The user stopped a command (Ctrl-C). ``str(err)`` is one line: what was interrupted,
    what was (not) written, and where the last checkpoint is. The CLI prints it and exits 130.

    Not a KeyboardInterrupt, so that Typer passes it on instead of exiting silently.
    ``resume_from`` is the newest checkpoint of the run, when one was saved (the CLI adds the
    command that continues from it).
    """

    def __init__(self, message: str, resume_from=None):
        super().__init__(message)
        self.resume_from = resume_from


def setting(name: str, value=NO_VALUE) -> str:
    """How the user sets parameter ``name`` (to ``value``) where they are: ``name=value!r``
    from Python (``combine='input'``), ``--flag value`` on the command line (``--combine
    input``), or the bare name / flag when no value is given."""
    spell = _SPELLING.get()
    if spell is not None:
        return spell(name, value)
    return name if value is NO_VALUE else f"{name}={value!r}"


class _Settings(dict):
    def __missing__(self, field: str) -> str:
        import ast  # here: the CLI starts without it

        name, equals, literal = field.partition("=")
        return setting(name, ast.literal_eval(literal)) if equals else setting(name)


def spelled(template: str) -> str:
    """``template`` with each ``{name}`` or ``{name=literal}`` (a Python literal) replaced by
    ``setting``: ``spelled("lower {dim} or use {objective='negative'}")``."""
    return template.format_map(_Settings())


@contextmanager
def spelling_as(spell: Callable[[str, object], str]):
    """While inside, ``setting(name, value)`` returns ``spell(name, value)`` (``value`` is
    ``NO_VALUE`` for a bare name)."""
    token = _SPELLING.set(spell)
    try:
        yield
    finally:
        _SPELLING.reset(token)
