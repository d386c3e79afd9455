"""The one exception type for user errors.

A user error is bad input or a bad option: something the user can fix. Its message is a single
line that names the problem and the fix. The CLI prints it without a traceback and exits 2;
anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys


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
    """
