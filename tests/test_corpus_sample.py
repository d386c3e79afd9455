"""The bundled sample corpus and the tool that builds it."""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

from embedlab.corpus import sample_corpus_path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "build_sample_corpus.py"


def load_tool():
    spec = importlib.util.spec_from_file_location("build_sample_corpus", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_corpus_is_bundled_small_clean_utf8():
    path = sample_corpus_path()
    assert path.is_file() and path.stat().st_size <= 8 * 1024 * 1024
    raw = path.read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0: rebuilding gives the same bytes
    text = gzip.decompress(raw).decode("utf-8")  # strict: all of it is valid UTF-8
    assert "\r" not in text and text.endswith("\n")
    for marker in ("@-@", "@,@", "@.@", "<unk>", " = = "):
        assert marker not in text
    assert len(text.split()) > 1_000_000
    assert (path.parent / "README.md").is_file()


def test_gutenberg_paragraphs_are_joined_into_lines():
    tool = load_tool()
    text = tool.decode(b"[Title 1800]\r\n\r\nOne wrapped\r\nparagraph caf\xe9.\r\n \r\nTwo.\r\n")
    assert list(tool.gutenberg_paragraphs(text)) == [
        "[Title 1800]",
        "One wrapped paragraph caf\u00e9.",
        "Two.",
    ]


def test_wikitext_markers_headings_and_unk_are_cleaned():
    tool = load_tool()
    text = (
        " \n = Some Title = \n \n = = Section = = \n"
        " It 's a well @-@ known <unk> , worth 1 @,@ 000 or 2 @.@ 5 ; do n't . \n"
    )
    assert list(tool.wikitext_paragraphs(text)) == [
        "It's a well-known , worth 1,000 or 2.5 ; don't ."
    ]
