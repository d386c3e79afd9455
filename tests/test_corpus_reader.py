"""Reading corpus sources: compression, directories, stdin, encodings, errors, long lines."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys

import pytest

from embedlab.corpus import reader
from embedlab.corpus.reader import expand_sources, read_lines
from embedlab.errors import EmbedlabError

TEXT = "first line\nsecond line\r\nthird, last without newline"
LINES = ["first line", "second line", "third, last without newline"]


def lines_of(sources, **options):
    return list(read_lines(expand_sources(sources), **options))


@pytest.mark.parametrize(
    "name, compress",
    [
        ("plain.txt", lambda b: b),
        ("text.gz", gzip.compress),
        ("text.bz2", bz2.compress),
        ("text.xz", lzma.compress),
    ],
)
def test_every_format_gives_the_same_lines(tmp_path, name, compress):
    path = tmp_path / name
    path.write_bytes(compress(TEXT.encode("utf-8")))
    assert lines_of(path) == LINES


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compression_is_found_from_magic_bytes_without_an_extension(tmp_path, compress):
    path = tmp_path / "download"
    path.write_bytes(compress(TEXT.encode("utf-8")))
    assert lines_of(path) == LINES


def test_text_starting_like_bzip2_stays_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("BZh is how bzip2 files start\n", encoding="utf-8")
    assert lines_of(path) == ["BZh is how bzip2 files start"]


def test_a_compression_extension_on_plain_text_is_an_error(tmp_path):
    path = tmp_path / "fake.gz"
    path.write_text("not compressed\n", encoding="utf-8")
    with pytest.raises(EmbedlabError, match=r"fake\.gz is named like gzip data but is not"):
        lines_of(path)


def test_a_truncated_gzip_file_is_an_error(tmp_path):
    path = tmp_path / "cut.gz"
    whole = gzip.compress(" ".join(str(i) for i in range(20000)).encode())
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(EmbedlabError, match=r"cut\.gz is corrupt or truncated"):
        lines_of(path)


def test_directories_are_read_recursively_in_sorted_order_skipping_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "inner.txt").write_text("b/inner\n")
    (tmp_path / "a.txt").write_text("a\n")
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"c\n"))
    (tmp_path / ".hidden.txt").write_text("hidden\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("hidden too\n")
    assert lines_of(tmp_path) == ["a", "b/inner", "c"]


def test_several_sources_are_read_in_the_order_given(tmp_path):
    one, two = tmp_path / "1.txt", tmp_path / "2.txt"
    one.write_text("one\n")
    two.write_text("two\n")
    assert lines_of([two, one]) == ["two", "one"]


def test_missing_path_is_named(tmp_path):
    with pytest.raises(EmbedlabError, match=r"nope\.txt' does not exist: check the path"):
        expand_sources(tmp_path / "nope.txt")


def test_no_sources_is_an_error():
    with pytest.raises(EmbedlabError, match="no input given"):
        expand_sources([])


def test_directory_without_files_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".only_hidden").write_text("x")
    with pytest.raises(EmbedlabError, match=r"empty' has no files"):
        expand_sources(tmp_path / "empty")


def test_stdin_binary_is_decoded_and_may_be_compressed(monkeypatch):
    data = gzip.compress("caf\u00e9 au lait\nzwei\n".encode())
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert lines_of("-") == ["caf\u00e9 au lait", "zwei"]


def test_stdin_text_only_stream(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a b\r\nc\n"))
    assert lines_of("-") == ["a b", "c"]


def test_latin1_text_reads_with_the_encoding_option(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("na\u00efve caf\u00e9\n".encode("latin-1"))
    assert lines_of(path, encoding="latin-1") == ["na\u00efve caf\u00e9"]


def test_undecodable_byte_names_file_offset_and_fix(tmp_path):
    path = tmp_path / "mixed.txt"
    prefix = "ok line\n\u00e9t\u00e9 fine\n".encode()  # multi-byte UTF-8 before the bad byte
    path.write_bytes(prefix + b"bad \xff here\n")
    with pytest.raises(EmbedlabError) as caught:
        lines_of(path)
    message = str(caught.value)
    offset = len(prefix) + len(b"bad ")
    assert f"mixed.txt: byte 0xff at byte offset {offset} " in message
    # from Python the fix names keywords (the CLI's names flags: tests/test_cli_help.py)
    assert "pass encoding='latin-1' (or the file's real encoding) or errors='replace'" in message
    assert "\n" not in message


def test_byte_offset_is_exact_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_BYTES", 7)
    path = tmp_path / "split.txt"
    # the two-byte "é" straddles the first chunk boundary; the bad byte is in a later chunk
    data = "abcdef\u00e9gh\n".encode() + b"xy\xc3(z\n"
    path.write_bytes(data)
    bad = data.index(b"\xc3(")
    with pytest.raises(EmbedlabError, match=f"at byte offset {bad} "):
        lines_of(path)


def test_replace_mode_substitutes_and_goes_on(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"good\nbad \xff byte\nafter\n")
    assert lines_of(path, errors="replace") == ["good", "bad \ufffd byte", "after"]


def test_decoding_options_are_checked():
    with pytest.raises(EmbedlabError, match="unknown encoding 'klingon'"):
        list(read_lines([], encoding="klingon"))
    with pytest.raises(EmbedlabError, match="errors must be one of strict, replace"):
        list(read_lines([], errors="ignore"))


def test_long_lines_are_never_cut(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_BYTES", 64)
    long_line = " ".join(f"w{i}" for i in range(5000))
    path = tmp_path / "long.txt.gz"
    path.write_bytes(gzip.compress(f"short\n{long_line}\nend\n".encode()))
    assert lines_of(path) == ["short", long_line, "end"]


def test_blank_lines_are_kept_as_empty_lines(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("a\n\n\nb\n")
    assert lines_of(path) == ["a", "", "", "b"]
