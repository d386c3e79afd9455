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
