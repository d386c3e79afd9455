"""Warnings for the user: one line, in the same voice as errors.

Library code calls ``warn(message)``; Python callers get an ``EmbedlabWarning`` they can filter
like any warning. The CLI shows every warning as ``embedlab: warning: MESSAGE`` on stderr
(``show_as_line``), never Python's two lines with an internal file path.
"""

from __future__ import annotations

import warnings


class EmbedlabWarning(UserWarning):
    """Something the user should know that did not stop the work; one line, says what was done."""


def warn(message: str) -> None:
    """Warn about the caller's caller (the user's call into embedlab)."""
    warnings.warn(message, EmbedlabWarning, stacklevel=3)


def show_as_line(message, category, filename, lineno, file=None, line=None) -> None:
    """A ``warnings.showwarning`` that prints one ``embedlab: warning:`` line on stderr."""
    import sys

    text = " ".join(str(message).split())
    if not issubclass(category, EmbedlabWarning):
        text = f"{category.__name__}: {text}"
    (file or sys.stderr).write(f"embedlab: warning: {text}\n")
