"""The terminal progress bar: drawn only on a terminal, silent in pipes and when quiet."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

import embedlab.progress as progress_module
from embedlab.errors import EmbedlabError
from embedlab.progress import Progress, human_count

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def terminal(width: int = 160) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=width), buffer


def plain(buffer: io.StringIO) -> str:
    return ANSI.sub("", buffer.getvalue())


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    with Progress(100, stream=stream) as bar:
        bar.update(50, alpha=0.02, loss=2.5)
        bar.update(100, alpha=0.01, loss=2.0)
        assert not bar.drawing
    assert stream.getvalue() == ""


def test_silent_in_a_pipe_even_when_colour_is_forced(monkeypatch):
    # FORCE_COLOR asks for colour, not for a redrawn bar in a CI log.
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    stream = io.StringIO()
    with Progress(10, stream=stream) as bar:
        bar.update(5)
    assert stream.getvalue() == ""


def test_default_stream_is_stderr_and_silent_under_capture(capsys):
    with Progress(10) as bar:
        bar.update(10, loss=1.0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_quiet_never_draws_even_on_a_terminal():
    console, buffer = terminal()
    with Progress(100, quiet=True, stream=console) as bar:
        bar.update(40, loss=3.0)
        assert not bar.drawing
    assert buffer.getvalue() == ""


def test_draws_bar_percentage_rate_eta_and_fields_on_a_terminal():
    console, buffer = terminal()
    with Progress(200, description="skipgram", stream=console) as bar:
        assert bar.drawing
        bar.update(100, alpha=0.0125, loss=2.3104)
    text = plain(buffer)
    assert "skipgram" in text
    assert "50%" in text
    assert "words/s" in text
    assert "ETA" in text
    assert "alpha 0.0125" in text
    assert "loss 2.31" in text
    assert not bar.drawing  # stopped on exit


def test_a_tty_stream_draws_without_a_console():
    stream = FakeTty()
    with Progress(4, unit="pairs", stream=stream) as bar:
        bar.update(4)
    text = plain(stream)
    assert "100%" in text and "pairs/s" in text


def test_done_is_clipped_to_the_total_and_an_empty_job_is_complete():
    console, buffer = terminal()
    with Progress(10, stream=console) as bar:
        bar.update(25)
    assert "100%" in plain(buffer)
    console, buffer = terminal()
    with Progress(0, stream=console):
        pass
    assert "100%" in plain(buffer)


def test_redraws_are_throttled_but_the_end_is_always_drawn(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    console, buffer = terminal()
    with Progress(1000, stream=console) as bar:
        bar.update(100)  # first update draws
        bar.update(370)  # same instant: recorded, not drawn
        assert "37%" not in plain(buffer)
        clock[0] += 0.5
        bar.update(420)
        assert "42%" in plain(buffer)
        bar.update(1000)  # completion draws at once
        assert "100%" in plain(buffer)


def test_update_outside_the_context_draws_nothing():
    console, buffer = terminal()
    bar = Progress(10, stream=console)
    bar.update(5)
    assert buffer.getvalue() == ""


def test_an_exception_inside_stops_the_bar_and_propagates():
    console, buffer = terminal()
    bar = Progress(10, stream=console)
    with pytest.raises(RuntimeError, match="boom"):
        with bar:
            bar.update(3)
            raise RuntimeError("boom")
    assert not bar.drawing


@pytest.mark.parametrize("total", [-1, 2.5, True, "10"])
def test_a_bad_total_is_a_user_error(total):
    with pytest.raises(EmbedlabError, match="progress total"):
        Progress(total)


@pytest.mark.parametrize(
    "value, shown",
    [
        (0, "0"),
        (7, "7"),
        (12.345, "12.3"),
        (999.4, "999"),
        (999.5, "1k"),  # rounds up into the next suffix, never "1e+03"
        (1234, "1.23k"),
        (812_345, "812k"),
        (1_234_567, "1.23M"),
        (2_500_000_000, "2.5G"),
    ],
)
def test_human_count(value, shown):
    assert human_count(value) == shown


def test_a_note_prints_on_a_terminal_and_nowhere_else():
    console, buffer = terminal()
    with Progress(10, stream=console) as bar:
        bar.note("about 83 MiB for the vectors")
    assert "about 83 MiB for the vectors" in plain(buffer)
    quiet_console, quiet_buffer = terminal()
    with Progress(10, quiet=True, stream=quiet_console) as bar:
        bar.note("about 83 MiB for the vectors")
    assert quiet_buffer.getvalue() == ""
