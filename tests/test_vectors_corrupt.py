"""Damaged vector files: one clear EmbedlabError naming the file and the place, never garbage."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from embedlab.errors import EmbedlabError
from embedlab.vectors import Embeddings, load


def _fails(path, message, **kwargs) -> str:
    with pytest.raises(EmbedlabError) as info:
        load(path, **kwargs)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(str(path)), text
    assert message in text, text
    return text


def _f32(*values) -> bytes:
    return np.array(values, dtype="<f4").tobytes()


def test_missing_file(tmp_path):
    _fails(tmp_path / "nope.txt", "no such file")


def test_directory(tmp_path):
    _fails(tmp_path, "is a directory")


@pytest.mark.parametrize("name", ["e.txt", "e.bin", "e.emb", "e.glove"])
def test_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    _fails(tmp_path / name, "the file is empty")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\n\n", "line 1: the first line is blank"),
        (b"3 2\na 1 2\nb 3 4\n", "end of file: it ends after 2 of the 3 vectors"),
        (b"2 3\na 1 2\nb 3 4 5\n", "line 2: expected a word and 3 values, found 2 values"),
        (b"2 3\na 1 2 3 4\nb 3 4 5\n", "line 2: expected a word and 3 values, found 4 values"),
        (b"2 3\na 1 2 3\nb 3 x 5\n", "line 3: 'x' is not a number"),
        (b"2 3\na 1 2 3\nb 3 nan 5\n", "line 3 (word 'b'): the vector holds NaN or infinity"),
        (b"2 3\na 1 2 3\nb 3 -inf 5\n", "line 3 (word 'b'): the vector holds NaN or infinity"),
        (b"2 3\na 1 2 3\nb 3 1e39 5\n", "line 3 (word 'b'): the vector holds NaN or infinity"),
        (b"1 2\n\xffa 1 2\n", "line 2: the word is not valid UTF-8 (byte 0xff at offset 0)"),
        (b"1 2\na 1 2\nb 3 4\n", "line 3: more vectors than the 1 the header promises"),
        (b"2 2\na 1 2\n\nb 3 4\n", "line 3: a blank line where a vector should be"),
        (b"3 x\na 1 2\n", "line 1: 'x' is not a number"),
        (b"hello\nworld\n", "line 1: a word with no values"),
        (b"a 1 2 3\nb 1 2\n", "line 2: expected a word and 3 values, found 2 values"),
        (b"a 1 2\n\nb 1 2\n", "line 2: a blank line where a vector should be"),
    ],
)
def test_damaged_text(tmp_path, content, message):
    path = tmp_path / "v.txt"
    path.write_bytes(content)
    _fails(path, message)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"2 2\na " + _f32(1, 2) + b"\nb " + _f32(3), "record 2: the file ends inside it"),
        (b"2 2\na " + _f32(1, 2) + b"\nbbb", "record 2: the file ends inside it"),
        (b"2 2 2\na " + _f32(1, 2), "header: the first line is not '<words> <dims>'"),
        (b"\x00\x01garbage" * 20, "header: the first line is not '<words> <dims>'"),
        (b"1 0\n", "header: the first line is not '<words> <dims>'"),
        (b"1 2\na " + _f32(1, np.nan) + b"\n", "record 1 (word 'a'): the vector holds NaN"),
        (b"1 2\na " + _f32(np.inf, 1) + b"\n", "record 1 (word 'a'): the vector holds NaN"),
        (b"1 2\n\xc3( " + _f32(1, 2) + b"\n", "record 1: the word is not valid UTF-8"),
        (b"1 2\na " + _f32(1, 2) + b"\nextra " + _f32(3, 4), "data after the 1 vectors"),
        (b"2 2\na " + _f32(1, 2) + b"\n " + _f32(3, 4), "record 2: no word at byte"),
    ],
)
def test_damaged_binary(tmp_path, content, message):
    path = tmp_path / "v.bin"
    path.write_bytes(content)
    _fails(path, message)


def test_text_file_read_as_binary_is_refused(tmp_path):
    path = tmp_path / "v.txt"
    Embeddings(["king", "queen"], np.arange(6.0).reshape(2, 3) / 7).save(path)
    with pytest.raises(EmbedlabError, match=str(path)):
        load(path, format="word2vec-binary")


@pytest.fixture
def native_file(tmp_path):
    rng = np.random.default_rng(0)
    emb = Embeddings(
        ["a", "b", "c"],
        rng.standard_normal((3, 4)),
        counts=[3, 2, 1],
        context=rng.standard_normal((3, 4)),
        meta={"method": "test"},
    )
    path = tmp_path / "m.emb"
    emb.save(path)
    return path


def _input_offset(raw: bytes) -> int:
    import json

    (length,) = struct.unpack("<Q", raw[16:24])
    header = json.loads(raw[24 : 24 + length])
    start = -(-(24 + length) // 64) * 64
    return start + header["sections"]["input"]["offset"]


def test_native_wrong_magic(tmp_path):
    path = tmp_path / "m.emb"
    path.write_text("3 2\na 1 2\n")
    _fails(path, "not an embedlab native file")


def test_native_truncated(native_file):
    raw = native_file.read_bytes()
    native_file.write_bytes(raw[:-20])
    _fails(native_file, "but the file has")
    native_file.write_bytes(raw[:40])
    _fails(native_file, "header: the file ends inside the header")
    native_file.write_bytes(raw[:10])
    _fails(native_file, "not an embedlab native file")


def test_native_damaged_byte_fails_the_checksum(native_file):
    raw = bytearray(native_file.read_bytes())
    raw[_input_offset(bytes(raw)) + 5] ^= 0x40
    native_file.write_bytes(bytes(raw))
    _fails(native_file, "section 'input': its checksum does not match")
    _fails(native_file, "checksum", mmap=True)


def test_native_nan_is_caught_even_without_the_checksum(native_file):
    raw = bytearray(native_file.read_bytes())
    at = _input_offset(bytes(raw)) + 4 * 4  # row 2, first value
    raw[at : at + 4] = _f32(np.nan)
    native_file.write_bytes(bytes(raw))
    # with limit the whole-section checksum is skipped; the NaN check still runs
    _fails(native_file, "input row 2: the vector holds NaN or infinity", limit=3)


@pytest.mark.parametrize(
    "at, message",
    [
        (24, "header: the header is not valid JSON"),  # its opening brace
        (30, "header: not an embedlab native header"),  # inside the "format" key
    ],
)
def test_native_damaged_header(native_file, at, message):
    raw = bytearray(native_file.read_bytes())
    raw[at] = ord("}")
    native_file.write_bytes(bytes(raw))
    _fails(native_file, message)


def test_corrupt_compressed_file(tmp_path):
    path = tmp_path / "v.txt.gz"
    good = gzip.compress(b"1 2\na 1 2\n")
    path.write_bytes(good[:-12])
    _fails(path, "cannot decompress it")
    path.write_bytes(b"not gzip at all")
    _fails(path, "cannot decompress it")


def test_bad_load_arguments(native_file):
    with pytest.raises(EmbedlabError, match="limit must be at least 1"):
        load(native_file, limit=0)
    with pytest.raises(EmbedlabError, match="errors must be one of"):
        load(native_file, errors="loose")
