"""No command writes over its own input: every command that takes an input and an output is
walked (read from the Typer app, so a new command is covered without a line here) with one
file given as both, and must refuse in one line before any work, leaving the file whole.
Links, hard links, ``..`` and corpus folders are the same file to the rule."""

from __future__ import annotations

import inspect
import os
import typing
from pathlib import Path

import pytest
import typer

from embedlab import fileio
from embedlab.cli.app import app, main
from embedlab.cli.roles import INPUT, OUTPUT, OUTPUT_FOLDER, parameter_roles
from embedlab.cli.train import _train_app
from embedlab.errors import EmbedlabError

CONTENTS = b"a b 1\nb c 2\nc a 3\n"
REFUSED = "would destroy what this command reads"
#: Text options whose help mentions a file but that name none (a format: a vectors file's or a
#: graph's, words, a toy).
NOT_FILES = {"format", "graph_format", "words", "toy"}


def commands():
    """``(argv prefix, click command, roles, callback)`` for every command of the CLI (train's
    real one instead of its stand-in)."""
    found = []

    def walk(group: typer.Typer, prefix: list[str]) -> None:
        click_group = typer.main.get_command(group)
        for info in group.registered_commands:
            name = info.name or info.callback.__name__
            if name == "train":
                command = typer.main.get_command(_train_app())
                callback = _train_app().registered_commands[0].callback
            else:
                command = click_group.commands[name]
                callback = info.callback
            found.append(([*prefix, name], command, parameter_roles(callback), callback))
        for sub in group.registered_groups:
            walk(sub.typer_instance, [*prefix, sub.name])

    walk(app, [])
    return found


def pairs():
    """Every (command, output parameter, input parameter) the rule must cover."""
    cases = []
    for argv, command, roles, callback in commands():
        outputs = [name for name, (role, _) in roles.items() if role is OUTPUT]
        inputs = [name for name, (role, _) in roles.items() if role is INPUT]
        cases += [
            pytest.param(
                argv, (command, callback), output, given, id=f"{' '.join(argv)}:{output}={given}"
            )
            for output in outputs
            for given in inputs
        ]
    return cases


def test_the_walk_sees_every_command_that_reads_and_writes():
    covered = {" ".join(case.values[0]) for case in pairs()}
    for name in ("train", "convert", "split-edges", "plot", "plot-history", "compare"):
        assert name in covered
    assert any(name.startswith("teach ") for name in covered)


def argv_for(command, callback, values: dict[str, str]) -> list[str]:
    """Arguments that Click parses for ``command``: ``values`` by parameter name, a plain value
    of the declared type for every other required parameter."""
    declared = inspect.signature(callback, eval_str=True).parameters
    argv: list[str] = []
    for param in command.params:
        value = values.get(param.name)
        if value is None and not param.required:
            continue
        value = value if value is not None else _plain(declared[param.name].annotation)
        if param.param_type_name == "argument":
            argv.append(value)
        else:
            argv += [param.opts[0], value]
    return argv


def _plain(annotation) -> str:
    kinds = set(typing.get_args(annotation)) | {annotation}
    return "1" if int in kinds else "0.5" if float in kinds else "x"


@pytest.mark.parametrize(("argv", "command", "output", "given"), pairs())
def test_an_output_that_is_an_input_is_refused_before_any_work(
    argv, command, output, given, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    shared = tmp_path / "shared.txt"
    shared.write_bytes(CONTENTS)
    rc = main([*argv, *argv_for(*command, {output: str(shared), given: str(shared)})])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.startswith("embedlab: error: ") and err.count("\n") == 1, err
    assert REFUSED in err
    assert shared.read_bytes() == CONTENTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.txt"]  # nothing else made


# ---- the same file by other names --------------------------------------------------------


@pytest.fixture
def graph(tmp_path):
    path = tmp_path / "g.edgelist"
    path.write_bytes(CONTENTS)
    return path


def split_edges(graph, train_path, capsys) -> str:
    pairs_path = graph.parent / "pairs.txt"
    rc = main(["split-edges", str(graph), "--train", str(train_path), "--pairs", str(pairs_path)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert not pairs_path.exists() and graph.read_bytes() == CONTENTS
    return err


def test_a_symlink_to_the_input_is_refused(graph, tmp_path, capsys):
    link = tmp_path / "link.edgelist"
    link.symlink_to(graph)
    err = split_edges(graph, link, capsys)
    assert (
        f"the output {str(link)!r} (--train) is the input {str(graph)!r} (GRAPH) by another " in err
    )


def test_a_hard_link_to_the_input_is_refused(graph, tmp_path, capsys):
    hard = tmp_path / "hard.edgelist"
    os.link(graph, hard)
    err = split_edges(graph, hard, capsys)
    assert "through a hard link" in err and REFUSED in err


def test_a_dotdot_path_to_the_input_is_refused(graph, tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    err = split_edges(graph, tmp_path / "sub" / ".." / "g.edgelist", capsys)
    assert "by another path" in err and REFUSED in err


def test_an_output_inside_a_corpus_folder_is_refused(tmp_path, capsys):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("the cat sat\n" * 5)
    old = texts / "vectors.txt"
    old.write_text("2 1\na 1\nb 2\n")
    rc = main(["train", str(texts), "-o", str(old), "--min-count", "1"])
    err = capsys.readouterr().err
    assert rc == 2 and "lies inside the input folder" in err and "(CORPUS)" in err
    assert old.read_text() == "2 1\na 1\nb 2\n"


def test_a_checkpoint_folder_inside_a_corpus_folder_is_refused(tmp_path, capsys):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("the cat sat\n" * 5)
    out = tmp_path / "v.txt"
    rc = main(["train", str(texts), "-o", str(out), "--checkpoint", str(texts / "ck")])
    err = capsys.readouterr().err
    assert rc == 2 and f"--checkpoint {str(texts / 'ck')!r} is inside the input folder" in err
    assert not (texts / "ck").exists() and not out.exists()


def test_a_file_found_while_reading_is_an_input_too(tmp_path):
    """Inputs a command finds as it reads (a folder's files, the bundled corpus) are guarded
    when it writes, though no option named them."""
    source = tmp_path / "found.txt"
    source.write_bytes(CONTENTS)
    with fileio.reading():
        fileio.open_input(source).close()
        with pytest.raises(EmbedlabError, match=REFUSED):
            with fileio.atomic_write(source, "wb") as handle:
                handle.write(b"lost")
    assert source.read_bytes() == CONTENTS
    with fileio.atomic_write(source, "wb") as handle:  # outside the command: a plain write
        handle.write(b"new")
    assert source.read_bytes() == b"new"


def test_the_python_report_refuses_its_own_input(tmp_path):
    import numpy as np

    from embedlab.pictures.report import compare
    from embedlab.vectors import Embeddings

    path = tmp_path / "v.txt"
    Embeddings(["a", "b"], np.eye(2, dtype=np.float32)).save(path)
    before = path.read_bytes()
    with pytest.raises(EmbedlabError, match=REFUSED):
        compare([path], path=path, extrinsic=False)
    assert path.read_bytes() == before


def test_streams_and_devices_are_never_inputs_to_clash_with(tmp_path):
    with fileio.reading([("CORPUS", "-"), ("CORPUS", "/dev/null")]):
        fileio.check_not_input("/dev/null")
        fileio.check_not_input("-")


def test_every_parameter_that_names_a_file_has_a_role():
    """A text option documented as a file or folder must be marked INPUT or OUTPUT (a Path
    option is an input by its type), so that the rule knows it."""
    unmarked = []
    for argv, command, roles, callback in commands():
        declared = inspect.signature(callback, eval_str=True).parameters
        for param in command.params:
            text = (getattr(param, "help", "") or "").lower()
            names_a_file = any(word in text for word in (" file", "folder", "path"))
            kinds = set(typing.get_args(declared[param.name].annotation))
            texty = (
                str in kinds
                or list[str] in kinds
                or any(str in typing.get_args(kind) for kind in kinds)
            )
            if names_a_file and texty and param.name not in {*roles, *NOT_FILES}:
                unmarked.append(f"{' '.join(argv)} {param.name}")
    assert not unmarked, f"file parameters without a role: {unmarked}"
    assert {role.name for _, _, roles, _ in commands() for role, _ in roles.values()} == {
        INPUT.name,
        OUTPUT.name,
        OUTPUT_FOLDER.name,
    }


def test_the_labels_are_the_flags_users_type():
    by_command = {" ".join(argv): roles for argv, _, roles, _ in commands()}
    assert by_command["split-edges"]["train_graph"] == (OUTPUT, "--train")
    assert by_command["train"]["corpus"] == (INPUT, "CORPUS")
    assert by_command["train"]["checkpoint_dir"] == (OUTPUT_FOLDER, "--checkpoint")
    assert by_command["convert"]["target"] == (OUTPUT, "OUT")
    assert Path  # the roles come from the declarations, not from this file


def test_quickstart_never_writes_over_the_bundled_corpus(tmp_path, capsys, monkeypatch):
    """A copy of the package stands in for the installed one, so nothing real is at risk."""
    import shutil

    from embedlab import corpus

    copy = tmp_path / "sample.txt.gz"
    shutil.copy(corpus.sample_corpus_path(), copy)
    before = copy.read_bytes()
    monkeypatch.setattr(corpus, "sample_corpus_path", lambda: copy)
    assert main(["quickstart", "-o", str(copy)]) == 2
    err = capsys.readouterr().err
    assert REFUSED in err and "(the bundled sample corpus)" in err
    assert copy.read_bytes() == before
