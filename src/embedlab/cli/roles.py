"""What each command reads and writes, and the rule between them: no output replaces an input.

A command's parameters are classified from their declarations, so a new command is covered
without a line of its own: every ``Path`` parameter (or list of them) is an input, unless its
``Annotated`` declaration carries ``OUTPUT`` (a file the command writes) or ``OUTPUT_FOLDER``
(a folder it writes files into); a text parameter that may name a file (a corpus, a dataset)
carries ``INPUT``. ``guarded(callback)`` runs the command inside ``fileio.reading`` with its
inputs, after refusing, before anything else runs, an output that is one of them (through a
link or ``..`` too) or lies inside an input folder. The output helpers check again whatever is
written within the command, including inputs found while reading (a folder's files).
"""

from __future__ import annotations

import functools
import inspect
import typing
from pathlib import Path

from embedlab import fileio


class Role:
    """A marker for a parameter's ``Annotated`` metadata (Typer ignores what it does not know)."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"Role({self.name!r})"


INPUT = Role("input")
OUTPUT = Role("output")
OUTPUT_FOLDER = Role("output folder")


def parameter_roles(callback) -> dict[str, tuple[Role, str]]:
    """``name -> (role, label)`` for every parameter of ``callback`` that names a path; the
    label is how messages name it (the option's flag, or the argument's metavar)."""
    found = {}
    for param in inspect.signature(callback, eval_str=True).parameters.values():
        metadata = getattr(param.annotation, "__metadata__", ())
        role = next((m for m in metadata if isinstance(m, Role)), None)
        if role is None and _names_paths(param.annotation):
            role = INPUT
        if role is not None:
            found[param.name] = (role, _label(param, metadata))
    return found


def _names_paths(annotation) -> bool:
    if annotation is Path:
        return True
    return any(_names_paths(arg) for arg in typing.get_args(annotation))


def _label(param: inspect.Parameter, metadata) -> str:
    info = next((m for m in metadata if hasattr(m, "param_decls")), None)
    # With Annotated, Typer takes a first flag given where the default goes as a flag too.
    given = (getattr(info, "default", None), *(getattr(info, "param_decls", ()) or ()))
    declared = [d for d in given if isinstance(d, str) and d.startswith("-")]
    if declared:
        return next((d for d in declared if d.startswith("--")), declared[0])
    if type(info).__name__ == "ArgumentInfo":
        return info.metavar or param.name.upper()
    return "--" + param.name.replace("_", "-")


def guarded(callback):
    """``callback`` run with its inputs declared, after its outputs are checked against them."""
    roles = parameter_roles(callback)
    if not roles:
        return callback

    @functools.wraps(callback)
    def run(*args, **kwargs):
        given = inspect.signature(callback).bind_partial(*args, **kwargs).arguments
        paths = {role: [] for role in (INPUT, OUTPUT, OUTPUT_FOLDER)}
        for name, (role, label) in roles.items():
            paths[role] += [(label, value) for value in _paths(given.get(name))]
        with fileio.reading(paths[INPUT]):
            for label, path in paths[OUTPUT]:
                fileio.check_not_input(path, label)
            for label, folder in paths[OUTPUT_FOLDER]:
                fileio.check_output_folder(folder, label)
            return callback(*args, **kwargs)

    return run


def _paths(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, (str, Path))]
    return [value] if isinstance(value, (str, Path)) else []
