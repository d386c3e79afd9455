"""``embedlab teach``: the lecture notes' worked examples as a course at the terminal.

One module per lesson (``step.py`` for ``teach step``, ...), each computing through
``embedlab.teach`` and only formatting here; ``_options.py`` declares the options they share,
``_show.py`` how they print, ``_lessons.py`` the ``@lesson`` declaration. Every module here
whose name does not start with ``_`` is a lesson and is found by itself: adding a lesson is
adding one file.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from embedlab.cli.common import console
from embedlab.cli.teach._lessons import LESSONS
from embedlab.cli.teach._show import say

HELP = (
    "The lecture notes' worked examples, computed step by step by the real code. Run "
    "'embedlab teach' alone for the course in the notes' order. Where a slide and the math "
    "disagree, a note under the numbers gives both (the math wins); docs/lectures.md walks "
    "through every lesson with its output."
)

#: What each of the five lecture notes (``shared/seeds``) covers.
NOTES = {
    "000": "skip-gram updates on vehicles and fruits, by hand (Boyd-Graber)",
    "001": "one-hot, cosine, windows, negative sampling (CS109B)",
    "002": "PMI, SVD, word2vec's gradients, matrix calculus (COS 484)",
    "003": "backpropagation, the softmax loss, SGNS as factorization (Mannheim)",
    "004": "optimizers, autoencoders, contrastive learning, PCA",
}

teach_app = typer.Typer(name="teach", help=HELP, invoke_without_command=True)


@teach_app.callback()
def course(ctx: typer.Context) -> None:
    """With no lesson named: the course, one line per lesson, in the notes' order."""
    if ctx.invoked_subcommand is not None:
        return
    lessons = sorted(LESSONS, key=lambda lesson: lesson.key)
    width = max(len(lesson.name) for lesson in lessons)
    console.print("The lecture notes' lessons, in their order (embedlab teach LESSON --help):")
    current = None
    for lesson in lessons:
        if lesson.notes[:3] != current:
            current = lesson.notes[:3]
            console.print()
            say(f"notes {current}: {NOTES[current]}", style="bold")
        lead = f"  {lesson.name:<{width}}  "
        say(lead + lesson.summary, hang=" " * len(lead))


def _load_lessons() -> None:
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    for lesson in sorted(LESSONS, key=lambda lesson: lesson.key):
        teach_app.command(lesson.name, help=lesson.help)(lesson.command)


def register(app: typer.Typer) -> None:
    """Add the ``teach`` sub-app to the top-level app."""
    app.add_typer(teach_app, name="teach")


_load_lessons()
