"""The course: each lesson module declares its command with :func:`lesson`.

A lesson is one module of ``embedlab.cli.teach``; its ``@lesson(...)`` names the command, the
notes it comes from and its place in them, and a one-line summary. ``embedlab teach`` lists the
lessons in the notes' order and each command's help starts with its summary and notes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One command of the course."""

    name: str
    notes: str  # "003", or "001, 003" when a lesson serves several
    order: int  # place within its first note
    summary: str
    command: Callable

    @property
    def key(self) -> tuple[str, int]:
        return (self.notes[:3], self.order)

    @property
    def help(self) -> str:
        """The summary and notes, then the docstring with each paragraph on one line (the help
        formatter wraps them to the terminal)."""
        details = inspect.getdoc(self.command) or ""
        paragraphs = [" ".join(p.split()) for p in details.split("\n\n") if p.strip()]
        return "\n\n".join([f"{self.summary} (notes {self.notes}).", *paragraphs])


LESSONS: list[Lesson] = []


def lesson(name: str, *, notes: str, order: int, summary: str):
    """Declare the decorated function as the command ``embedlab teach NAME``.

    ``notes`` are the lecture notes it works through (``"003"``, ``"001, 003"``), ``order`` its
    place within the first of them (the course lists lessons by note, then order), ``summary``
    the line the course list and the help show.
    """

    def declare(command: Callable) -> Callable:
        LESSONS.append(Lesson(name, notes, order, summary, command))
        return command

    return declare
