"""Parameters declared once: checks, get_params, docs and command-line options all derive from
the estimators' signatures."""

from __future__ import annotations

import inspect
import subprocess
import sys
from typing import Annotated

import pytest
from typer.testing import CliRunner

from embedlab.cli.app import app
from embedlab.errors import EmbedlabError
from embedlab.methods import METHODS, available_classes, method_class
from embedlab.methods.params import (
    Bool,
    Estimator,
    Int,
    command_line_options,
    declared,
    parse_parameters,
)
from embedlab.methods.signature import forwarding_signature


class Small(Estimator):
    def __init__(
        self,
        *,
        size: Annotated[int, Int(minimum=1, maximum=9, why="for the toy")] = 1,
        loud: Annotated[bool, Bool(flag="--loud/--soft", record=False)] = False,
    ):
        """Set them.

        Parameters:
            size: how big,
                in units.
            loud: whether it shouts.
        """
        self.assign(locals())


class Bigger(Small):
    def __init__(
        self,
        *,
        size: Annotated[int, Int(minimum=1)] = 2,
        extra: Annotated[bool, Bool()] = True,
        **params,
    ):
        """Set them.

        Parameters:
            extra: one more.
        """
        self.assign(locals())
        super().__init__(size=size, **params)


Bigger.__signature__ = forwarding_signature(Bigger.__init__, Small.__init__)


def test_parse_parameters_joins_continuation_lines_and_stops_at_a_blank_line():
    doc = """Summary.

    Parameters:
        a: first
            and more.
        b: second.

    c: not a parameter.
    """
    assert parse_parameters(doc) == {"a": "first and more.", "b": "second."}
    assert parse_parameters("No section here.") == {}


def test_checks_run_and_values_are_set():
    assert Small(size=3).size == 3
    with pytest.raises(EmbedlabError, match="size must be at most 9 for the toy, got 10"):
        Small(size=10)
    with pytest.raises(EmbedlabError, match="loud must be true or false"):
        Small(loud="yes")


def test_get_params_keeps_the_recorded_parameters_only():
    assert Small(size=4).get_params() == {"size": 4}
    assert Bigger().get_params() == {"size": 2, "extra": True}


def test_a_subclass_redeclares_a_default_and_inherits_the_docs():
    params = declared(Bigger)
    assert list(params) == ["loud", "size", "extra"]
    assert params["size"].default == 2 and params["size"].doc == "how big, in units."
    assert params["extra"].doc == "one more."


def test_command_line_options_name_the_takers_and_their_defaults():
    options = {o.name: o for o in command_line_options({"a": Small, "b": Bigger, "c": Small})}
    assert options["size"].help == "how big, in units. Default: 1; b: 2."
    assert options["extra"].help == "b: one more. Default: true."
    assert options["loud"].flag == "--loud/--soft"
    assert options["loud"].help == "whether it shouts. Default: --soft."
    assert options["size"].cli_type is int


def test_a_parameter_without_a_check_is_a_bug():
    class Loose(Estimator):
        def __init__(self, *, n: int = 1):
            self.assign(locals())

    with pytest.raises(TypeError, match="Loose.n is declared without a Check"):
        declared(Loose)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_estimator_parameter_is_checked_documented_and_recorded(method):
    if method in ("autoencoder", "vae", "contrastive"):
        pytest.importorskip("torch")  # the [torch] extra
    cls = method_class(method)
    signature = inspect.signature(cls)
    params = declared(cls)
    assert list(params) == list(signature.parameters)
    for name, param in params.items():
        assert param.doc, f"{method}: {name} has no text in a Parameters: section"
    recorded = cls().get_params()
    skipped = {name for name, p in params.items() if not p.check.record}
    assert set(recorded) <= set(params) - skipped
    # only a forwarded parameter of a part not chosen (cbow_mean under skip-gram) is left out
    forwarded = set().union(*map(declared, getattr(cls, "forwards_to", ())))
    assert set(params) - skipped - set(recorded) <= forwarded
    for name in recorded:
        default = signature.parameters[name].default
        if default is not None and name != "threads":
            assert recorded[name] == default, name


def test_train_help_lists_every_declared_option():
    result = CliRunner().invoke(app, ["train", "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    for cls in available_classes().values():
        for param in declared(cls).values():
            if param.check.cli:
                first = (param.check.flag or "--" + param.name.replace("_", "-")).split("/")[0]
                assert first in result.output, first


def test_the_command_line_builds_without_importing_the_estimators():
    # train's options are derived only when train runs: other commands start without Numba.
    code = (
        "import sys, typer; from embedlab.cli.app import app; typer.main.get_command(app);"
        "print(sorted(m for m in ('numba', 'scipy', 'embedlab.methods.word2vec.model')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
