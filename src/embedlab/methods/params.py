"""Estimator parameters declared once: in the ``__init__`` signature, with a check beside each.

Each parameter is written as ``name: Annotated[type, Check(...)] = default`` and documented in
the ``__init__`` docstring's ``Parameters:`` section (``name: text``, continued on more deeply
indented lines). Everything else is derived from that declaration, as scikit-learn derives
``get_params`` from ``__init__``: the checks run by ``Estimator.assign`` in ``__init__``,
``get_params()``, the parameter names ``train()`` accepts, and the command-line options of
``embedlab train`` (flags, types, defaults and help text, see ``command_line_options``).
"""

from __future__ import annotations

import functools
import inspect
import re
import typing
from dataclasses import dataclass
from pathlib import Path

from embedlab.checks import (
    check_bool,
    check_choice,
    check_float,
    check_int,
    check_threads,
    parse_memory,
)
from embedlab.errors import EmbedlabError, setting
from embedlab.limits import THREADS
from embedlab.methods.habits import unknown_parameters


class Check:
    """How one parameter is checked, recorded and offered on the command line.

    ``cli_type`` is the option's type on the command line; ``flag`` its spelling when not
    ``--name`` (``"--a/--b"`` for an on/off pair); ``cli=False`` keeps it Python-only;
    ``record=False`` leaves it out of ``get_params()`` (how a run is watched, not what it
    trains); ``none_means`` is what a default of None stands for, as the help shows it
    ("sized from the corpus").
    """

    cli_type: type = str
    #: Whether the parameter names a folder the method writes into (the CLI keeps a command's
    #: outputs off its inputs, ``cli/roles.py``).
    writes: bool = False
    #: ``cli_parser(text)`` turns the command line's text into the value checked (None: Typer
    #: converts it to ``cli_type``); for a parameter that takes more than one type.
    cli_parser = None

    def __init__(
        self,
        *,
        flag: str | None = None,
        cli: bool = True,
        record: bool = True,
        none_means: str | None = None,
    ):
        self.flag, self.cli, self.record, self.none_means = flag, cli, record, none_means

    def __call__(self, name: str, value):
        return value

    def describe(self, value):
        """``value`` as JSON (what ``get_params()`` reports)."""
        return value

    def show(self, default) -> str | None:
        """The default as the help text shows it (None: not shown)."""
        return self.none_means if default is None else str(default)

    def __repr__(self) -> str:
        # What a signature shows: the check and its settings, e.g. Int(minimum=1).
        settings = dict(vars(self))
        settings.update(settings.pop("bounds", {}))
        shown = [
            f"{name}={list(value) if name == 'choices' else value!r}"
            for name, value in settings.items()
            if value is not None
            and value is not False
            and value != ""
            and name != "record"
            and not (name == "cli" and value is True)
        ]
        return f"{type(self).__name__}({', '.join(shown)})"


#: The most epochs a method runs: a bound on mistyped counts (10^21 would never end, and
#: overflows the kernels' word counts), far above every run measured (5 to 100 epochs; the
#: teaching toys run 200).
MAX_EPOCHS = 10_000
EPOCHS_WHY = "(a bound on mistyped counts; embedlab's runs take 1 to a few hundred)"


class Int(Check):
    cli_type = int

    def __init__(
        self, *, minimum: int | None = None, maximum: int | None = None, why="", none=False, **kw
    ):
        super().__init__(**kw)
        self.minimum, self.maximum, self.why = minimum, maximum, why
        self.none = none  # None is allowed (it means "the method's default")

    def __call__(self, name, value):
        if value is None and self.none:
            return None
        value = check_int(name, value, minimum=self.minimum)
        if self.maximum is not None and value > self.maximum:
            reason = f" {self.why}" if self.why else ""
            raise EmbedlabError(f"{name} must be at most {self.maximum}{reason}, got {value}")
        return value


#: The ``window`` that makes every pair of words in a sentence a training pair.
ALL_PAIRS = "all"


class Window(Check):
    """A window in words: an integer of at least 1, or ``ALL_PAIRS`` ("all")."""

    def __call__(self, name, value):
        if isinstance(value, str) and value == ALL_PAIRS:
            return value
        if isinstance(value, str):
            raise EmbedlabError(f'{name} must be an integer or "{ALL_PAIRS}", got {value!r}')
        return check_int(name, value, minimum=1)

    @staticmethod
    def cli_parser(text: str):
        # The text as an integer when it is one, so the methods whose window is an Int get one.
        try:
            return int(text)
        except ValueError:
            return text


class Float(Check):
    cli_type = float

    def __init__(self, *, minimum=None, maximum=None, exclusive_minimum=False, none=False, **kw):
        super().__init__(**kw)
        self.bounds = {
            "minimum": minimum,
            "maximum": maximum,
            "exclusive_minimum": exclusive_minimum,
        }
        self.none = none  # None is allowed (it means "the method's default")

    def __call__(self, name, value):
        if value is None and self.none:
            return None
        return check_float(name, value, **self.bounds)

    def show(self, default):
        return self.none_means if default is None else f"{default:g}"


class Choice(Check):
    """One of ``choices``, read when checking: a registry passed here stays the one list."""

    def __init__(self, choices, **kw):
        super().__init__(**kw)
        self.choices = choices

    def __call__(self, name, value):
        return check_choice(name, value, self.choices)


class Bool(Check):
    cli_type = bool

    def __call__(self, name, value):
        return check_bool(name, value)

    def show(self, default):
        if default is None:
            return self.none_means
        if self.flag is None:
            return str(default).lower()
        on, off = self.flag.split("/")
        return on if default else off


class Threads(Check):
    """Worker threads: a positive integer, or None for every core this process may use; at
    most ``limits.THREADS``."""

    cli_type = int

    def __call__(self, name, value):
        value = check_threads(value)
        THREADS.check(value, f"{name} asks for", "give fewer (this machine's cores or less)")
        return value

    def show(self, default):
        return "all cores" if default is None else str(default)


class Memory(Check):
    """A memory budget: bytes, or a size such as "4G" (kept as given)."""

    def __call__(self, name, value):
        parse_memory(value)
        return value


class Folder(Check):
    """None, or a folder (created when used); an existing file is refused."""

    cli_type = Path
    writes = True

    def __call__(self, name, value):
        if value is None:
            return None
        folder = Path(value)
        if folder.is_file():
            raise EmbedlabError(f"{name} {str(folder)!r} is a file: give a folder")
        return folder

    def describe(self, value):
        return None if value is None else str(value)


class Saved(Check):
    """None, a saved model's path, or an object already loaded (described by its type)."""

    cli_type = Path

    def describe(self, value):
        if value is None or isinstance(value, (str, Path)):
            return None if value is None else str(value)
        return type(value).__name__


class Callbacks(Check):
    """A callable or object with ``on_epoch_end(epoch, loss, embeddings)``, or several."""

    def __init__(self, **kw):
        super().__init__(cli=False, record=False, **kw)

    def __call__(self, name, value):
        if callable(value) or hasattr(value, "on_epoch_end"):
            value = (value,)
        value = tuple(value)
        for callback in value:
            if not (callable(callback) or callable(getattr(callback, "on_epoch_end", None))):
                raise EmbedlabError(
                    f"callback {callback!r} is neither callable nor has on_epoch_end(epoch, "
                    "loss, embeddings): pass a function or such an object"
                )
        return value


@dataclass(frozen=True)
class Declared:
    """One declared parameter of an estimator."""

    name: str
    check: Check
    default: object  # inspect.Parameter.empty when the caller must give it
    doc: str


@functools.cache
def declared(cls) -> dict[str, Declared]:
    """The parameters of estimator class ``cls``, in signature order."""
    docs = _docs(cls)
    params = {}
    for p in inspect.signature(cls, eval_str=True).parameters.values():
        check = next((m for m in _metadata(p.annotation) if isinstance(m, Check)), None)
        if check is None:
            raise TypeError(f"{cls.__name__}.{p.name} is declared without a Check")
        params[p.name] = Declared(p.name, check, p.default, docs.get(p.name, ""))
    return params


def _metadata(annotation) -> tuple:
    return getattr(annotation, "__metadata__", ()) if typing.get_origin(annotation) else ()


def _docs(cls) -> dict[str, str]:
    # What the class forwards to first, then its bases, so the class's own text wins.
    docs: dict[str, str] = {}
    for target in getattr(cls, "forwards_to", ()):
        docs.update({name: param.doc for name, param in declared(target).items()})
    for klass in reversed(cls.__mro__):
        init = klass.__dict__.get("__init__")
        if init is not None and init.__doc__:
            docs.update(parse_parameters(init.__doc__))
    return docs


_ENTRY = re.compile(r"^(\s*)(\w+): (.*)$")


def parse_parameters(docstring: str) -> dict[str, str]:
    """``name -> text`` from a docstring's ``Parameters:`` section, whitespace collapsed."""
    lines = inspect.cleandoc(docstring).splitlines()
    if "Parameters:" not in lines:
        return {}
    docs: dict[str, list[str]] = {}
    indent = None
    for line in lines[lines.index("Parameters:") + 1 :]:
        if not line.strip():
            break
        match = _ENTRY.match(line)
        if match and (indent is None or len(match.group(1)) == indent):
            indent = len(match.group(1))
            docs[match.group(2)] = [match.group(3)]
        elif docs:
            docs[next(reversed(docs))].append(line.strip())
    return {name: " ".join(parts) for name, parts in docs.items()}


class Estimator:
    """What every estimator shares: checked parameters, ``get_params()`` and ``set_params()``
    (scikit-learn's names), and one line for a keyword it does not take."""

    def __new__(cls, *args, **params):
        # Before __init__ binds the keywords: a name from gensim, word2vec.c or fastText gets
        # embedlab's for it, a typo the closest names, instead of Python's TypeError.
        foreign = {name: value for name, value in params.items() if name not in declared(cls)}
        if foreign:
            raise EmbedlabError(unknown_parameters(foreign, declared(cls), cls.__name__))
        return super().__new__(cls)

    def assign(self, values: dict) -> None:
        """Check and set every declared parameter found in ``values`` (an ``__init__``'s
        ``locals()``)."""
        for name, param in declared(type(self)).items():
            if name in values:
                setattr(self, name, param.check(setting(name), values[name]))

    def get_params(self, deep: bool = True) -> dict:
        """The parameters as set, JSON-able, as the model's ``meta["params"]`` records them
        (how a run is watched, ``quiet`` and ``callbacks``, is left out). ``deep`` is
        scikit-learn's; there are no nested estimators to descend into."""
        return {
            name: param.check.describe(getattr(self, name))
            for name, param in declared(type(self)).items()
            if param.check.record
        }

    def set_params(self, **params):
        """Change parameters and return the estimator, as scikit-learn's ``set_params`` does.

        The new values are checked as the constructor checks them, each alone and together
        (``min_alpha`` at most ``alpha``, ...); on an error nothing changes."""
        checked = type(self)(**(self.params_as_set() | params))
        self.__dict__.update(checked.__dict__)
        return self

    def params_as_set(self) -> dict:
        """Every declared parameter's current value (what ``set_params`` starts from)."""
        return {name: getattr(self, name) for name in declared(type(self)) if hasattr(self, name)}


def parameter_listing(cls) -> str:
    """Every parameter of ``cls`` with its default and text, for its docstring."""
    import textwrap

    lines = ["Parameters (name = default: meaning), each checked when given:"]
    for name, param in declared(cls).items():
        default = "" if param.default is inspect.Parameter.empty else f" = {param.default!r}"
        lines.extend(
            textwrap.wrap(
                f"{name}{default}: {param.doc}",
                width=92,
                initial_indent="    ",
                subsequent_indent="        ",
            )
        )
    return "\n".join(lines)


def flag_of(param: Declared) -> str:
    """The command-line flag that sets ``param``."""
    if not param.check.cli:
        return f"{param.name} (Python API only)"
    return param.check.flag or "--" + param.name.replace("_", "-")


@dataclass(frozen=True)
class Option:
    """One ``embedlab train`` option derived from the estimators that declare the parameter."""

    name: str
    flag: str
    cli_type: type
    help: str
    methods: tuple[str, ...]
    parser: object = None  # Check.cli_parser of the declaration that has one
    writes: bool = False  # Check.writes


def command_line_options(classes: dict[str, type]) -> list[Option]:
    """The options of every parameter the ``classes`` (method name -> class) declare, first
    seen first, each helped by its docstring text, the methods that take it and their
    defaults."""
    seen: dict[str, list[tuple[str, Declared]]] = {}
    for method, cls in classes.items():
        for name, param in declared(cls).items():
            if param.check.cli:
                seen.setdefault(name, []).append((method, param))
    options = []
    for name, takers in seen.items():
        first = takers[0][1]
        methods = tuple(method for method, _ in takers)
        text = _help(takers, everyone=len(methods) == len(classes))
        defaults = _defaults(takers)
        if defaults:
            text += f" Default: {defaults}."
        # One method's declaration may read more than the others' (window: an int or "all"):
        # its parser reads the text for all, and each method's check then judges the value.
        check = next((p.check for _, p in takers if p.check.cli_parser), first.check)
        options.append(
            Option(
                name, flag_of(first), check.cli_type, text, methods, check.cli_parser, check.writes
            )
        )
    return options


def _help(takers, everyone: bool) -> str:
    # Methods that document the parameter alike share one text; different texts are each
    # prefixed by the methods they are for.
    by_doc: dict[str, list[str]] = {}
    for method, param in takers:
        by_doc.setdefault(param.doc.rstrip(".").replace("``", ""), []).append(method)
    if len(by_doc) == 1 and everyone:
        return next(iter(by_doc)) + "."
    return " ".join(f"{', '.join(methods)}: {doc}." for doc, methods in by_doc.items())


def _defaults(takers) -> str:
    by_value: dict[str, list[str]] = {}
    for method, param in takers:
        shown = (
            None if param.default is inspect.Parameter.empty else param.check.show(param.default)
        )
        if shown is not None:
            by_value.setdefault(shown, []).append(method)
    if not by_value:
        return ""
    common = max(by_value, key=lambda shown: len(by_value[shown]))
    others = [f"{', '.join(methods)}: {shown}" for shown, methods in by_value.items()
              if shown != common]  # fmt: skip
    return "; ".join([common, *others])
