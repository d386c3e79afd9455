"""Progress for long work, wherever it runs; ``quiet`` silences all of it.

- On a terminal: a Rich bar on stderr with percentage, rate, ETA and live fields (loss, rate).
- In a Jupyter notebook: the same bar through Rich's Jupyter support (it needs ipywidgets;
  without them each epoch prints one line instead).
- Everywhere: one ``logging`` record per epoch under the ``embedlab`` logger (INFO: rate,
  loss, ETA), so ``logging.basicConfig(level=logging.INFO)`` shows a run in a pipe or a log
  file as gensim's runs show; the first compilation of the kernels is announced the same way
  (and above a bar). Nothing else is printed in pipes, so captured output stays clean; a
  method's summary line is ``report``'s.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import logging
import sys
import threading
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

#: Where embedlab's records go: per-epoch progress, the kernel compilation, summaries.
logger = logging.getLogger("embedlab")

#: Said while Numba compiles a kernel that is not in the kernel cache yet.
COMPILING = "compiling kernels (first run only; later runs load them from the cache)"

#: The bars inside their ``with`` (the compilation notice goes above them).
_ACTIVE: list[Progress] = []
_ACTIVE_LOCK = threading.Lock()
#: Whether this process has logged the compilation notice.
_LOGGED_COMPILING = False
#: Quiet runs under way (``quiet_run``): a kernel compiled before their first bar, or in a
#: worker thread, is not announced either.
_QUIET_RUNS = 0


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
    nothing is drawn it returns at once. ``epoch(entry, epochs)`` records a finished epoch (a
    history entry: ``epoch``, ``loss``, ``words_per_sec``, ``seconds``).
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
        self._console = None if self.quiet else _display_console(stream)
        # A notebook without ipywidgets cannot redraw: it gets a printed line per epoch.
        self._lines = self._console is not None and self._console.is_jupyter and not _widgets()
        self._bar: _RichProgress | None = None
        self._task = None
        self._last_draw = 0.0
        self._epoch_seconds: list[float] = []
        self._told_compiling = False

    @property
    def drawing(self) -> bool:
        """True while a bar is on screen (inside ``with`` on a terminal, not quiet)."""
        return self._bar is not None

    def __enter__(self) -> Progress:
        with _ACTIVE_LOCK:
            _ACTIVE.append(self)
        if self._console is not None and not self._lines:
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
        """Print one line above the bar (in a notebook without a bar, a line; else nothing)."""
        if self._bar is not None:
            self._bar.console.print(message, soft_wrap=True, highlight=False)
        elif self._lines:
            self._console.print(message, soft_wrap=True, highlight=False)

    def epoch(self, entry: dict, epochs: int) -> None:
        """Record a finished epoch: one INFO record on the ``embedlab`` logger (and a printed
        line in a notebook that cannot draw the bar). ``entry`` is the history entry, its
        ``epoch`` 1-based; ``epochs`` the run's total."""
        if self.quiet:
            return
        self._epoch_seconds.append(float(entry.get("seconds") or 0.0))
        line = epoch_line(self.description, self.unit, entry, epochs, self._epoch_seconds)
        logger.info(line)
        if self._lines:
            self._console.print(line, soft_wrap=True, highlight=False)

    def compiling(self) -> None:
        """Say, once, that kernels are being compiled (called while Numba compiles one)."""
        if self._told_compiling or self.quiet:
            return
        self._told_compiling = True
        self.note(COMPILING)

    def __exit__(self, exc_type, exc, tb) -> bool:
        with _ACTIVE_LOCK:
            if self in _ACTIVE:
                _ACTIVE.remove(self)
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


def _display_console(stream) -> Console | None:
    """The Console to draw on: a terminal's, a notebook's, or None (a pipe, a file)."""
    if isinstance(stream, Console):
        return stream if stream.is_terminal or stream.is_jupyter else None
    if stream is None and in_notebook():
        return Console(force_jupyter=True, highlight=False)
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


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (or Colab), as Rich tells it."""
    return Console(file=io.StringIO()).is_jupyter


def _widgets() -> bool:
    """Whether ipywidgets, which Rich's live display needs in a notebook, is installed."""
    return importlib.util.find_spec("ipywidgets") is not None


def epoch_line(description: str, unit: str, entry: dict, epochs: int, seconds: list[float]) -> str:
    """``skipgram epoch 2/5: 812k words/s, loss 2.31, alpha 0.021, 3.1 s, ETA 9 s``.

    The ETA is the mean epoch time so far (``seconds``, this run's epochs) times the epochs
    left."""
    done = int(entry.get("epoch", len(seconds)))
    parts = [f"{human_count(entry.get('words_per_sec') or 0.0)} {unit}/s"]
    for name in ("loss", "alpha", "lr"):
        if entry.get(name) is not None:
            parts.append(f"{name} {entry[name]:.4g}")
    parts.append(f"{seconds[-1]:.1f} s")
    if done < epochs:
        parts.append(f"ETA {_duration(sum(seconds) / len(seconds) * (epochs - done))}")
    return f"{description} epoch {done}/{epochs}: " + ", ".join(parts)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def kernels_compiling() -> None:
    """Numba has started compiling one of embedlab's kernels (``kernel_cache`` calls this):
    each bar running says so once, and one INFO record says so once a process."""
    with _ACTIVE_LOCK:
        bars = list(_ACTIVE)
    for bar in bars:
        bar.compiling()
    global _LOGGED_COMPILING
    if _LOGGED_COMPILING or _QUIET_RUNS or (bars and all(bar.quiet for bar in bars)):
        return
    _LOGGED_COMPILING = True
    logger.info(COMPILING)


@contextlib.contextmanager
def quiet_run(quiet: bool):
    """Around a whole run: with ``quiet``, the compilation notice stays unsaid too, wherever
    the kernels compile (reading the corpus, before any bar, in a worker thread)."""
    global _QUIET_RUNS
    if not quiet:
        yield
        return
    with _ACTIVE_LOCK:
        _QUIET_RUNS += 1
    try:
        yield
    finally:
        with _ACTIVE_LOCK:
            _QUIET_RUNS -= 1


def report(message: str) -> None:
    """One line for the user, e.g. a run's summary: an INFO record where logging shows
    embedlab's records (the user configured it, or the CLI did), else ``embedlab: message``
    on stderr, even in a pipe."""
    if logger.isEnabledFor(logging.INFO) and logger.hasHandlers():
        logger.info(message)
    else:
        sys.stderr.write(f"embedlab: {message}\n")
