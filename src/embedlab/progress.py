"""Terminal progress for long work: a bar with percentage, rate, ETA and live fields.

Drawn with Rich on stderr only when that stream is an interactive terminal and ``quiet`` is off.
In pipes, log files, CI and notebooks it prints nothing at all, so captured output stays clean.
"""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as _RichProgress
from rich.text import Text

from embedlab.errors import EmbedlabError

#: Shortest time between two redraws (seconds): callers may update faster than a terminal reads.
MIN_REDRAW_SECONDS = 0.1


class Progress:
    """A progress bar used as a context manager around the work it measures.

    Args:
        total: how many units the work has in all (e.g. corpus words x epochs); 0 is allowed.
        unit: the unit's name, shown in the rate (default ``"words"``: "1.2M words/s").
        description: the label in front of the bar (default ``"training"``).
        quiet: never draw (default False).
        stream: where to draw: None (default) for ``sys.stderr``, a text stream, or a Rich
            ``Console`` (whose own terminal detection is then trusted, so tests can force it).

    ``update(done, **fields)`` takes the absolute count so far and named numbers to show beside
    the bar (``alpha=0.0213, loss=2.31``). Call it from one thread, a few times a second; when
    nothing is drawn it returns at once.
    """

    def __init__(
        self,
        total: int,
        *,
        unit: str = "words",
        description: str = "training",
        quiet: bool = False,
        stream=None,
    ):
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            raise EmbedlabError(f"progress total must be a count of 0 or more, got {total!r}")
        self.total = total
        self.unit = unit
        self.description = description
        self.quiet = bool(quiet)
        self._console = None if self.quiet else _terminal_console(stream)
        self._bar: _RichProgress | None = None
        self._task = None
        self._last_draw = 0.0

    @property
    def drawing(self) -> bool:
        """True while a bar is on screen (inside ``with`` on a terminal, not quiet)."""
        return self._bar is not None

    def __enter__(self) -> Progress:
        if self._console is not None:
            self._bar = _RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                _RateColumn(self.unit),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[shown]}"),
                console=self._console,
                auto_refresh=False,  # redraws happen in update(): no extra thread
            )
            self._bar.start()
            # Rich wants a positive total; an empty job is complete from the start.
            self._task = self._bar.add_task(
                self.description, total=max(self.total, 1), shown="", completed=0
            )
            if self.total == 0:
                self._bar.update(self._task, completed=1, refresh=True)
        return self

    def update(self, done: int, **fields: float) -> None:
        """Record ``done`` units finished so far and redraw (at most every 0.1 s)."""
        if self._bar is None:
            return
        completed = min(max(int(done), 0), self.total)
        now = time.monotonic()
        finished = completed >= self.total
        redraw = finished or now - self._last_draw >= MIN_REDRAW_SECONDS
        self._bar.update(
            self._task, completed=completed, shown=_format_fields(fields), refresh=redraw
        )
        if redraw:
            self._last_draw = now

    def note(self, message: str) -> None:
        """Print one line above the bar (nothing when no bar is drawn)."""
        if self._bar is not None:
            self._bar.console.print(message, soft_wrap=True, highlight=False)

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._bar is not None:
            self._bar.refresh()
            self._bar.stop()
            self._bar = None
        return False


class _RateColumn(ProgressColumn):
    """Units per second over Rich's recent-sample window, e.g. ``812k words/s``."""

    def __init__(self, unit: str):
        super().__init__()
        self.unit = unit

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        shown = "?" if speed is None else human_count(speed)
        return Text(f"{shown} {self.unit}/s", style="progress.data.speed")


def _terminal_console(stream) -> Console | None:
    """The Console to draw on, or None when ``stream`` is not an interactive terminal."""
    if isinstance(stream, Console):
        return stream if stream.is_terminal else None
    stream = sys.stderr if stream is None else stream
    try:
        interactive = bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        interactive = False
    # isatty() itself is the test: FORCE_COLOR and friends ask for colour, not for a live bar
    # in a CI log.
    return Console(file=stream, force_terminal=True, highlight=False) if interactive else None


def _format_fields(fields: dict[str, float]) -> str:
    return "  ".join(f"{name} {value:.4g}" for name, value in fields.items())


def human_count(value: float) -> str:
    """A count in three significant digits with a k/M/G suffix: ``812k``, ``1.23M``."""
    value = float(value)
    suffixes = ("", "k", "M", "G", "T")
    step = 0
    # 999.5 would print as "1e+03": move up a suffix before rounding reaches 1000.
    while abs(value) >= 999.5 and step < len(suffixes) - 1:
        value /= 1000.0
        step += 1
    return f"{value:.3g}{suffixes[step]}"
