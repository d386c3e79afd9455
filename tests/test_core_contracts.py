"""The contracts every area relies on: user errors, atomic writes, parameter checks, CLI wiring."""

from __future__ import annotations

import os

import pytest

from embedlab.checks import check_choice, check_float, check_int
from embedlab.cli.app import main
from embedlab.errors import EmbedlabError, UnknownWordError
from embedlab.fileio import atomic_write
from embedlab.methods import method_class, train


def test_unknown_word_error_lists_every_word_on_one_line():
    err = UnknownWordError(["qux", "zzz"])
    assert "'qux'" in str(err) and "'zzz'" in str(err)
    assert "\n" not in str(err)
    assert isinstance(err, KeyError) and isinstance(err, EmbedlabError)


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target, "w", encoding="utf-8") as handle:
            handle.write("half")
            raise RuntimeError("crash mid-write")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_write(target, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert target.read_text() == "new"


def test_atomic_write_gives_the_permissions_of_a_plain_open(tmp_path):
    mask = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "out.txt", "w", encoding="utf-8") as handle:
            handle.write("x")
    finally:
        os.umask(mask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644


def test_atomic_write_refuses_a_directory(tmp_path):
    with pytest.raises(EmbedlabError, match="is a directory"):
        with atomic_write(tmp_path, "w"):
            pass


def test_atomic_write_refuses_a_missing_folder(tmp_path):
    with pytest.raises(EmbedlabError, match="does not exist"):
        with atomic_write(tmp_path / "nowhere" / "x.txt", "w"):
            pass


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: check_int("dim", 0, minimum=1), "dim must be at least 1, got 0"),
        (lambda: check_int("dim", 2.5), "dim must be an integer"),
        (lambda: check_int("dim", True), "dim must be an integer"),
        (lambda: check_float("alpha", -1.0, minimum=0.0), "alpha must be at least 0"),
        (lambda: check_float("alpha", 0.0, minimum=0.0, exclusive_minimum=True), "greater than"),
        (lambda: check_float("sample", float("nan")), "sample must be a number"),
        (lambda: check_float("cds", 2.0, maximum=1.0), "at most 1"),
        (lambda: check_choice("objective", "hs", ("negative", "softmax")), "one of negative"),
    ],
)
def test_parameter_checks_name_the_parameter_and_the_rule(call, message):
    with pytest.raises(EmbedlabError, match=message):
        call()


def test_parameter_checks_pass_good_values_through():
    assert check_int("dim", 100, minimum=1) == 100
    assert check_float("alpha", 0.025, minimum=0.0, exclusive_minimum=True) == 0.025
    assert check_choice("objective", "negative", ("negative",)) == "negative"


def test_unknown_method_is_a_user_error():
    with pytest.raises(EmbedlabError, match="unknown method 'fasttext'"):
        method_class("fasttext")
    with pytest.raises(EmbedlabError, match="unknown method"):
        train([["a", "b"]], method="fasttext")


def test_cli_unknown_command_is_one_line_and_exit_2(capsys):
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("embedlab: error: ") and err.count("\n") == 1


def test_cli_without_arguments_shows_help(capsys):
    assert main([]) == 0
    assert "Usage" in capsys.readouterr().out
