"""Help that is true: every command's help, rendered, states the defaults the code declares.

Each command's ``--help`` is rendered as a user sees it; every default it states (Typer's
``[default: X]`` and the ``Default: ...`` of the derived texts) is checked against the signature
the parameter is declared in: the command's function, an estimator's ``__init__`` (per method),
``encode_corpus`` for the corpus options. A message that names a fix names an option of the
command it comes from.
"""

from __future__ import annotations

import codecs
import inspect
import re

import numpy as np
import pytest
import typer

import embedlab
from embedlab.cli.app import app, main
from embedlab.cli.train import CORPUS_OPTIONS, _train_app
from embedlab.corpus import encode_corpus
from embedlab.methods import available_classes
from embedlab.methods.params import declared

ROW = re.compile(r"^│\s*\*?\s*(-[-\w]+)")


def _commands():
    """(path, click command) for every command, the real train command included."""
    root = typer.main.get_command(app)
    found = []

    def walk(group, path):
        for name, command in group.commands.items():
            if name == "train":
                command = typer.main.get_command(_train_app())
            if hasattr(command, "commands"):
                walk(command, [*path, name])
            else:
                found.append(([*path, name], command))

    walk(root, [])
    return found


COMMANDS = _commands()


def _help(path, capsys, monkeypatch, flag="--help") -> str:
    monkeypatch.setenv("COLUMNS", "1000")  # one line per option
    assert main([*path, flag]) == 0
    return capsys.readouterr().out


def _rows(text: str) -> dict[str, str]:
    """flag -> the option's help text as rendered (its lines joined)."""
    rows, flag = {}, None
    for line in text.splitlines():
        match = ROW.match(line)
        if match:
            flag = match.group(1)
            rows[flag] = line
        elif flag and line.startswith("│") and line.strip("│ "):
            rows[flag] += " " + line
        else:
            flag = None
    return {flag: " ".join(row.replace("│", " ").split()) for flag, row in rows.items()}


def _param(command, flag):
    return next(p for p in command.params if flag in (*p.opts, *getattr(p, "secondary_opts", ())))


def _declared_default(command, param):
    signature = inspect.signature(command.callback)
    return signature.parameters[param.name].default


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_rendered_default_is_the_declared_one(path, command, capsys, monkeypatch):
    rows = _rows(_help(path, capsys, monkeypatch))
    assert rows, f"no options rendered for {path}"
    checked = 0
    for flag, text in rows.items():
        if flag in ("--help", "-h"):
            continue
        param = _param(command, flag)
        for shown in re.findall(r"\[default: ([^\]]+)\]", text):
            assert shown == str(_declared_default(command, param)), (flag, text)
            checked += 1
        for shown in re.findall(r"(?:\bDefault|[;(] default): (.+?)[.)](?:\s|$)", text):
            if path == ["train"] and param.name in CORPUS_OPTIONS:
                expected = inspect.signature(encode_corpus).parameters[param.name].default
                flags = CORPUS_OPTIONS[param.name][0].split("/")
                assert shown == (
                    flags[not expected] if isinstance(expected, bool) else str(expected)
                )
            elif path == ["train"] and _by_method(param.name):
                _check_per_method(param.name, shown)
            else:  # prose ("every bundled benchmark"): only for a default of None
                assert _declared_default(command, param) is None, (flag, shown)
            checked += 1
    if path == ["train"]:
        assert checked >= 40  # the estimators' options all state theirs


def _by_method(name: str) -> dict:
    """method -> (its check, its default) for every method declaring parameter ``name``."""
    found = {}
    for method, cls in available_classes().items():
        param = declared(cls).get(name)
        if param is not None and param.check.cli:
            found[method] = param.check.show(param.default)
    return found


def _check_per_method(name: str, text: str) -> None:
    """``text`` ("5; glove: 10; deepwalk, node2vec: 128") gives each method its default."""
    common, *others = text.split("; ")
    stated = {}
    for part in others:
        methods, shown = part.split(": ", 1)
        stated.update({method: shown for method in methods.split(", ")})
    for method, shown in _by_method(name).items():
        if shown is not None:
            assert stated.get(method, common) == shown, (name, method, text)


def test_alpha_and_batch_size_say_what_none_means_per_method(capsys, monkeypatch):
    rows = _rows(_help(["train"], capsys, monkeypatch))
    assert "Default: sized from the corpus; glove: 0.05." in rows["--alpha"]
    from embedlab.methods.word2vec.torch_backend import DEFAULT_BATCH

    assert f"Default: {DEFAULT_BATCH} with backend torch;" in rows["--batch-size"]
    assert "embedlab[torch]" in rows["--backend"]  # not eaten as markup


def test_train_options_are_grouped_by_purpose(capsys, monkeypatch):
    text = _help(["train"], capsys, monkeypatch)
    panels = re.findall(r"╭─ (.+?) ─", text)
    assert panels[:2] == ["Arguments", "Options"]
    assert {"Input and output", "Reading the corpus", "Cluster (Dask)"} <= set(panels)
    options = text.split("╭─ Options ")[1].split("╰")[0]
    assert set(_rows(options)) == {"--help"}  # nothing left in the catch-all
    assert "answered with embedlab's flag, not taken as aliases" in " ".join(text.split())


@pytest.mark.parametrize("path", [[], ["train"], ["similar"], ["explore"], ["teach", "step"]])
def test_dash_h_is_help(path, capsys, monkeypatch):
    assert _help(path, capsys, monkeypatch, "-h") == _help(path, capsys, monkeypatch)


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"embedlab {embedlab.__version__}\n"


# ---- a message that names a fix names an option of its command ------------------------------


def _error(args, capsys) -> str:
    from embedlab.progress import COMPILING

    code = main([str(a) for a in args])
    # A cold kernel cache is announced first (once a process), as progress, not as the error.
    err = capsys.readouterr().err.replace(f"embedlab: {COMPILING}\n", "")
    assert code == 2 and err.startswith("embedlab: error: ") and err.count("\n") == 1, err
    return err


def _options_of(path) -> set[str]:
    command = dict((" ".join(p), c) for p, c in COMMANDS)[" ".join(path)]
    return {o for p in command.params for o in (*p.opts, *getattr(p, "secondary_opts", ()))}


@pytest.fixture()
def files(tmp_path):
    text = tmp_path / "corpus.txt"
    text.write_text("the king and the queen ruled the land\n" * 50, encoding="utf-8")
    odd = tmp_path / "vectors.qqq"
    odd.write_text("nonsense\n")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"2 2\ncaf\xe9 1 2\nb 3 4\n")
    adjlist = tmp_path / "g.adjlist"
    adjlist.write_text("a b c\nb c\n")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + "the king and the queen\n".encode("utf-16-le"))
    return {
        "text": text,
        "odd": odd,
        "latin": latin,
        "adjlist": adjlist,
        "utf16": utf16,
        "tmp": tmp_path,
    }


CASES = {
    "info: unknown extension": (["info", "{odd}"], "--format"),
    "similar: bad UTF-8": (["similar", "{latin}", "b"], "--errors replace"),
    "evaluate: unknown extension": (["evaluate", "{odd}"], "--format"),
    "plot: unknown extension": (["plot", "{odd}", "-o", "{tmp}/m.png"], "--format"),
    "compare: bad UTF-8": (["compare", "{latin}"], "--errors replace"),
    "convert: input format": (["convert", "{odd}", "{tmp}/o.txt"], "--input-format"),
    "convert: bad UTF-8": (["convert", "{latin}", "{tmp}/o.txt"], "--errors replace"),
    "train: min-count": (
        ["train", "{text}", "-o", "{tmp}/v.bin", "--min-count", "999"],
        "--min-count 999",
    ),
    "train: device": (
        ["train", "{text}", "-o", "{tmp}/v.bin", "--device", "cuda"],
        "--backend torch",
    ),
    "train: batch size": (
        ["train", "{text}", "-o", "{tmp}/v.bin", "--batch-size", "8"],
        "--batch-size",
    ),
    "train: combine": (
        ["train", "{text}", "-o", "{tmp}/v.bin", "--objective", "hierarchical", "--combine", "sum"],
        "--combine input",
    ),
    "explore: unknown extension": (["explore", "{odd}"], "--format"),
    "explore: bad UTF-8": (["explore", "{latin}", "--static", "{tmp}/p.html"], "--errors replace"),
    "train: an output that is an input": (["train", "{text}", "-o", "{text}"], "--output"),
    "train: an encoding its mark contradicts": (
        ["train", "{utf16}", "-o", "{tmp}/v.txt", "--encoding", "latin-1", "--no-cache"],
        "--encoding utf-16-le (or leave --encoding out)",
    ),
    "train: threads past their limit": (
        ["train", "{text}", "-o", "{tmp}/v.txt", "--threads", "100000000"],
        "--threads asks for",
    ),
    "teach svd: k": (["teach", "svd", "--k", "9"], "lower --k"),
    "teach train-toy: dim": (["teach", "train-toy", "--dim", "3"], "leave --dim at 2"),
    "teach pairs: dynamic": (["teach", "pairs", "--mode", "next-word", "--dynamic"], "--dynamic"),
    "teach huffman: counts": (["teach", "huffman", "--counts", "5"], "--counts 40,20,10"),
    "teach optimizers: start": (["teach", "optimizers", "--start", "1,2,3"], "--start -4,1.5"),
    "teach optimizers: alpha": (["teach", "optimizers", "--alpha", "5"], "a smaller --alpha"),
    "teach cosine: vectors": (["teach", "cosine", "--vector", "a=1,2"], "(--vector)"),
    "teach kl: p and q": (["teach", "kl", "--p", "0.5,0.5"], "--p and --q"),
    "teach kl: sigma": (["teach", "kl", "--sigma", "0,1"], "--sigma 0.5,2"),
    "split-edges: weights": (
        [
            "split-edges",
            "{adjlist}",
            "--train",
            "{tmp}/t.edgelist",
            "--pairs",
            "{tmp}/p.txt",
            "--weighted",
        ],
        "--weighted",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_fix_names_an_option_of_the_command_in_its_syntax(case, files, capsys):
    args, fix = CASES[case]
    err = _error([a.format(**files) for a in args], capsys)
    assert fix in err
    path = next(p for p, _ in COMMANDS if args[: len(p)] == p)
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", err))
    assert named and named <= _options_of(path), named - _options_of(path)
    assert not re.search(r"\b[a-z_]+=['\"\w]", err.replace(str(files["tmp"]), "")), err


def test_from_python_the_same_fixes_name_keywords(files):
    with pytest.raises(embedlab.EmbedlabError, match=r"load it with errors='replace'"):
        embedlab.load(files["latin"])
    with pytest.raises(embedlab.EmbedlabError, match=r"lower min_count"):
        embedlab.train(files["text"], min_count=999, quiet=True)
    with pytest.raises(embedlab.EmbedlabError, match=r"add backend='torch'"):
        embedlab.SkipGram(device="cuda")
    emb = embedlab.Embeddings(["a", "b"], np.eye(2, dtype=np.float32))
    with pytest.raises(embedlab.EmbedlabError, match=r"use combine='input'"):
        emb.combined("sum")


def test_from_python_the_lessons_and_the_limits_name_keywords(files):
    from embedlab.teach.cosine import cosine_similarities
    from embedlab.teach.gradcheck import gradcheck, random_tables
    from embedlab.teach.optimizers import optimizer_lesson
    from embedlab.teach.sigmoid_derivative import sigmoid_derivative_lesson
    from embedlab.teach.svd import svd_lesson

    with pytest.raises(embedlab.EmbedlabError, match=r"k=9 needs .* lower k or"):
        svd_lesson(k=9)
    with pytest.raises(embedlab.EmbedlabError, match=r"negatives: lower negative$"):
        gradcheck(random_tables(vocab=3), negative=5)
    with pytest.raises(embedlab.EmbedlabError, match=r"negative word \(negatives\)$"):
        gradcheck(random_tables(), "w0", "w1", [])
    with pytest.raises(embedlab.EmbedlabError, match=r"e\.g\. points=\[-2, 0, 2\]$"):
        sigmoid_derivative_lesson([float("nan")])
    with pytest.raises(embedlab.EmbedlabError, match=r"e\.g\. start=\[-4, 1\.5\]$"):
        optimizer_lesson(start=(1, 2, 3))
    with pytest.raises(embedlab.EmbedlabError, match=r"give two or more \(vectors\)$"):
        cosine_similarities({"a": [1.0, 2.0]})
    with pytest.raises(embedlab.EmbedlabError, match=r"pass encoding='utf-16-le' \(or leave"):
        embedlab.encode_corpus(files["utf16"], encoding="latin-1", cache=False)
    with pytest.raises(embedlab.EmbedlabError, match=r"^threads asks for 100,000,000 threads"):
        embedlab.SkipGram(threads=10**8)
