"""tools/build_lectures_doc.py writes docs/lectures.md whole or not at all."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "build_lectures_doc.py"
NOTES = ("note_000", "note_001", "note_002", "note_003", "note_004")


@pytest.fixture
def tool(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("build_lectures_doc", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "DOC", tmp_path / "lectures.md")
    for name in NOTES:  # the real sections run every teach command: minutes, not needed here
        monkeypatch.setattr(module, name, lambda name=name: f"## {name}\n")
    return module


def test_the_document_is_the_header_and_the_sections(tool):
    tool.main()
    assert tool.DOC.read_text(encoding="utf-8") == tool.HEADER + "\n" + "".join(
        f"## {name}\n" for name in NOTES
    )


def test_a_failed_write_leaves_the_old_document_whole(tool, monkeypatch):
    tool.DOC.write_text("the old document\n", encoding="utf-8")
    monkeypatch.setattr(tool, "note_004", lambda: "a lone surrogate cannot be UTF-8: \ud800\n")
    with pytest.raises(UnicodeEncodeError):
        tool.main()
    assert tool.DOC.read_text(encoding="utf-8") == "the old document\n"
    assert list(tool.DOC.parent.iterdir()) == [tool.DOC]


def test_a_slip_box_is_the_commands_json_entry(tool):
    from embedlab.teach.slips import Slip

    entry = Slip("slip", "002", "a title", (("|V|", "2d|V|", "(|V| + 1)d"),), "Why.").as_dict()
    assert tool.box(entry) == (
        "> **Slip in the notes (002): a title.**\n>\n"
        "> | quantity | the slide says | the math gives |\n> |---|---|---|\n"
        "> | \\|V\\| | 2d\\|V\\| | **(\\|V\\| + 1)d** |\n>\n> Why.\n"
    )


def test_the_console_block_is_cut_where_the_command_prints_its_notes(tool, capsys):
    from embedlab.cli.app import main

    assert main(["teach", "cosine"]) == 0
    lines = capsys.readouterr().out.splitlines()
    starts = [i for i, line in enumerate(lines) if tool.NOTES_START.match(line)]
    assert len(starts) == 1 and lines[starts[0]].startswith("Slip in the notes (001)")
    assert "0.988" in "\n".join(lines[: starts[0]])  # the numbers stay above the cut
