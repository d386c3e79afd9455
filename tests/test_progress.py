"""The terminal progress bar: drawn only on a terminal, silent in pipes and when quiet."""

from __future__ import annotations

import importlib.machinery
import io
import logging
import re
import sys
import types

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


# ---- records per epoch, notebooks, the kernel compilation, the summary ---------------------


ENTRY = {"epoch": 2, "loss": 2.3104, "words_per_sec": 812_345.0, "seconds": 3.0, "alpha": 0.02}


def test_each_epoch_is_one_info_record_on_the_embedlab_logger(caplog):
    caplog.set_level(logging.INFO, logger="embedlab")
    with Progress(100, description="skipgram", stream=io.StringIO()) as bar:
        bar.epoch(dict(ENTRY, epoch=1, seconds=1.0), 5)
        bar.epoch(ENTRY, 5)
        bar.epoch(dict(ENTRY, epoch=5), 5)
    records = [r for r in caplog.records if r.name == "embedlab"]
    assert [r.levelno for r in records] == [logging.INFO] * 3
    # the ETA is the mean epoch time so far times the epochs left: (1 + 3) / 2 * 3 = 6 s
    assert records[1].getMessage() == (
        "skipgram epoch 2/5: 812k words/s, loss 2.31, alpha 0.02, 3.0 s, ETA 6 s"
    )
    assert "ETA" not in records[2].getMessage()  # the last epoch leaves nothing to wait for


def test_quiet_records_nothing(caplog):
    caplog.set_level(logging.INFO, logger="embedlab")
    with Progress(100, quiet=True) as bar:
        bar.epoch(ENTRY, 5)
    assert not [r for r in caplog.records if r.name == "embedlab"]


def test_durations_are_read_as_people_write_them():
    line = progress_module.epoch_line("glove", "cells", dict(ENTRY, seconds=1500.0), 5, [1500.0])
    assert line.endswith("ETA 1 h 15 min")
    line = progress_module.epoch_line("glove", "cells", dict(ENTRY, seconds=65.0), 5, [65.0])
    assert line.endswith("ETA 3 min 15 s")


@pytest.fixture()
def notebook(monkeypatch):
    """This process seen as a Jupyter kernel; what it displays is kept."""
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    monkeypatch.setattr(progress_module, "in_notebook", lambda: True)
    return shown


def _displayed(shown) -> str:
    return "\n".join(getattr(obj, "text", "") for obj in shown)


def test_a_notebook_with_ipywidgets_gets_richs_live_bar(notebook, monkeypatch):
    class Output:  # the ipywidgets Output that Rich draws its live display into
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def clear_output(self, wait=False):
            pass

    widgets = types.ModuleType("ipywidgets")
    widgets.__spec__ = importlib.machinery.ModuleSpec("ipywidgets", None)
    widgets.Output = Output
    monkeypatch.setitem(sys.modules, "ipywidgets", widgets)
    with Progress(200, description="skipgram") as bar:
        assert bar.drawing
        bar.update(100, loss=2.5)
    text = plain_text(_displayed(notebook))
    assert "skipgram" in text and "50%" in text and "loss 2.5" in text


def test_a_notebook_without_ipywidgets_prints_a_line_per_epoch(notebook, monkeypatch):
    monkeypatch.setattr(progress_module, "_widgets", lambda: False)
    with Progress(200, description="skipgram") as bar:
        assert not bar.drawing
        bar.update(100, loss=2.5)
        bar.epoch(ENTRY, 5)
    assert _displayed(notebook).strip() == (
        "skipgram epoch 2/5: 812k words/s, loss 2.31, alpha 0.02, 3.0 s, ETA 9 s"
    )


def plain_text(text: str) -> str:
    return ANSI.sub("", text)


def test_compiling_is_said_once_above_each_bar_and_logged_once(caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="embedlab")
    monkeypatch.setattr(progress_module, "_LOGGED_COMPILING", False)
    console, buffer = terminal()
    with Progress(10, stream=console):
        progress_module.kernels_compiling()
        progress_module.kernels_compiling()  # another kernel of the same run
    assert plain(buffer).count(progress_module.COMPILING) == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "embedlab"]
    assert messages == [progress_module.COMPILING]


def test_a_quiet_run_does_not_announce_a_compilation_even_before_its_bar(caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="embedlab")
    monkeypatch.setattr(progress_module, "_LOGGED_COMPILING", False)
    with progress_module.quiet_run(True):
        progress_module.kernels_compiling()  # e.g. while the corpus is read: no bar yet
    assert not [r for r in caplog.records if r.name == "embedlab"]
    with progress_module.quiet_run(False):
        progress_module.kernels_compiling()
    messages = [r.getMessage() for r in caplog.records if r.name == "embedlab"]
    assert messages == [progress_module.COMPILING]


def test_numba_compiling_an_embedlab_function_is_announced(monkeypatch):
    import numba

    from embedlab.kernel_cache import PACKAGE_ROOT

    calls = []
    monkeypatch.setattr(progress_module, "kernels_compiling", lambda: calls.append(1))

    def jitted(source: str, filename: str):
        space: dict = {}
        exec(compile(source, filename, "exec"), space)
        return numba.njit(space["f"])

    jitted("def f(x):\n    return 2 * x\n", str(PACKAGE_ROOT / "probe.py"))(3)
    assert calls  # compiled, not loaded from a cache: announced
    calls.clear()
    jitted("def f(x):\n    return 3 * x\n", "/elsewhere/probe.py")(3)
    assert not calls  # not one of embedlab's


def test_report_writes_stderr_unless_logging_shows_embedlabs_records(caplog, capsys):
    progress_module.report("skipgram trained 3 words")
    assert capsys.readouterr().err == "embedlab: skipgram trained 3 words\n"
    caplog.set_level(logging.INFO, logger="embedlab")
    progress_module.report("skipgram trained 3 words")
    assert capsys.readouterr().err == ""
    assert caplog.records[-1].getMessage() == "skipgram trained 3 words"
