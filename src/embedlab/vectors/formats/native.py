"""embedlab's native format (``.emb``): everything a model has, memory-mappable, no pickle.

Layout (all integers little-endian)::

    bytes 0-15   magic  b"EMBEDLAB-NATIVE\\n"
    bytes 16-23  uint64 length H of the JSON header
    bytes 24-    the JSON header (UTF-8), then zero padding to a 64-byte boundary
    sections     raw arrays, each starting on a 64-byte boundary

The header holds ``version``, ``words``, ``dim``, ``combine``, ``meta`` and a ``sections`` table:
name -> ``{"offset", "nbytes", "dtype", "shape", "crc32"}``, offsets counted from the first
section. Sections: ``word_bytes`` (the words' UTF-8 bytes back to back), ``word_ends`` (int64
end offset of each word in it, so any string survives), ``input`` and optionally ``context``
(float32 ``words x dim``) and ``counts`` (int64). CRC-32 checksums catch damaged bytes; the
64-byte alignment lets ``numpy.memmap`` map the matrices without copying them.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.vectors.base import COMBINE_MODES
from embedlab.vectors.formats._files import check_finite, corrupt, open_write

MAGIC = b"EMBEDLAB-NATIVE\n"
VERSION = 1
_ALIGN = 64
_PREAMBLE = len(MAGIC) + 8
_FLOAT = np.dtype("<f4")
_INT = np.dtype("<i8")
_FIX = "re-create it with embedlab (the file is damaged or truncated)"


def is_native(path: Path) -> bool:
    """Whether ``path`` starts with the native magic bytes."""
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def write_native(emb, path) -> None:
    """Write words, counts, both matrices, ``combine`` and ``meta`` to ``path``."""
    encoded = [word.encode("utf-8") for word in emb.words]
    arrays = {
        "word_bytes": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "word_ends": np.cumsum([len(word) for word in encoded], dtype=np.int64).astype(_INT),
        "input": emb.input_vectors.astype(_FLOAT, copy=False),
    }
    if emb.context_vectors is not None:
        arrays["context"] = emb.context_vectors.astype(_FLOAT, copy=False)
    if emb.counts is not None:
        arrays["counts"] = emb.counts.astype(_INT, copy=False)
    sections, offset = {}, 0
    for name, array in arrays.items():
        sections[name] = {
            "offset": offset,
            "nbytes": array.nbytes,
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "crc32": zlib.crc32(_raw(array)),
        }
        offset = _aligned(offset + array.nbytes)
    header = {
        "format": "embedlab-native",
        "version": VERSION,
        "words": len(emb),
        "dim": int(emb.input_vectors.shape[1]),
        "combine": emb.combine,
        "meta": emb.meta,
        "sections": sections,
    }
    text = _header_json(header)
    with open_write(path) as handle:
        handle.write(MAGIC + struct.pack("<Q", len(text)) + text)
        position = _PREAMBLE + len(text)
        start = _aligned(position)
        for name, array in arrays.items():
            here = start + sections[name]["offset"]
            handle.write(bytes(here - position))
            handle.write(_raw(array))
            position = here + array.nbytes


def read_native(path: Path, *, limit: int | None, mmap: bool):
    """(words, input, context or None, counts or None, combine, meta) from a native file.

    With ``mmap`` the matrices are read-only memory maps of the file. With ``limit`` only the
    first ``limit`` rows are read, so the checksums (over whole sections) are not checked.
    """
    size = path.stat().st_size
    header, start = _read_header(path, size)
    count = min(header["words"], limit) if limit is not None else header["words"]
    sections = header["sections"]
    for name in ("word_bytes", "word_ends", "input"):
        if name not in sections:
            raise corrupt(path, "header", f"the section {name!r} is missing", _FIX)
    words = _words(path, size, start, sections, count, verify=limit is None)
    arrays = {
        name: _section(path, size, start, name, sections[name], count, mmap, limit is None)
        for name in ("input", "context", "counts")
        if name in sections
    }
    matrix_shape = (count, header["dim"])
    for name, shape in (("input", matrix_shape), ("context", matrix_shape), ("counts", (count,))):
        if name in arrays and arrays[name].shape != shape:
            raise corrupt(path, f"section {name!r}", f"its shape is not {shape}", _FIX)
    for name in ("input", "context"):
        if name in arrays:
            check_finite(path, arrays[name], lambda row, n=name: f"{n} row {row + 1}")
    return (
        words,
        arrays["input"],
        arrays.get("context"),
        arrays.get("counts"),
        header.get("combine", "input"),
        header.get("meta") or {},
    )


def _raw(array: np.ndarray) -> np.ndarray:
    """The array's bytes as a flat uint8 view (no copy when already contiguous)."""
    return np.ascontiguousarray(array).reshape(-1).view(np.uint8)


def _header_json(header: dict) -> bytes:
    try:
        return json.dumps(header, ensure_ascii=False, default=_plain).encode("utf-8")
    except (TypeError, ValueError) as err:
        raise EmbedlabError(
            f"meta cannot be saved as JSON ({err}): keep meta to numbers, strings, lists, dicts"
        ) from None


def _plain(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _aligned(n: int) -> int:
    return -(-n // _ALIGN) * _ALIGN


def _read_header(path: Path, size: int) -> tuple[dict, int]:
    with open(path, "rb") as handle:
        preamble = handle.read(_PREAMBLE)
        if len(preamble) < _PREAMBLE or not preamble.startswith(MAGIC):
            raise corrupt(
                path,
                "",
                "not an embedlab native file (wrong magic bytes)",
                "pass the right format or re-create the file",
            )
        (length,) = struct.unpack("<Q", preamble[len(MAGIC) :])
        if _PREAMBLE + length > size:
            raise corrupt(path, "header", "the file ends inside the header", _FIX)
        raw = handle.read(length)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise corrupt(path, "header", f"the header is not valid JSON ({err})", _FIX) from None
    _check_header(path, header)
    return header, _aligned(_PREAMBLE + length)


def _check_header(path, header) -> None:
    if not isinstance(header, dict) or header.get("format") != "embedlab-native":
        raise corrupt(path, "header", "not an embedlab native header", _FIX)
    if header.get("version") != VERSION:
        raise corrupt(
            path,
            "header",
            f"native format version {header.get('version')!r}; this embedlab reads {VERSION}",
            "upgrade embedlab or re-save the file with this version",
        )
    for key, least in (("words", 0), ("dim", 1)):
        if not isinstance(header.get(key), int) or header[key] < least:
            raise corrupt(path, "header", f"{key!r} is not a count", _FIX)
    if not isinstance(header.get("sections"), dict) or not isinstance(header.get("meta", {}), dict):
        raise corrupt(path, "header", "the section table or meta is malformed", _FIX)
    combine = header.get("combine", "input")
    if combine not in COMBINE_MODES or (combine != "input" and "context" not in header["sections"]):
        raise corrupt(path, "header", f"combine={combine!r} does not fit the sections", _FIX)


def _section(path, size, start, name, spec, rows, mmap, verify) -> np.ndarray:
    """The array stored in section ``name``, its first ``rows`` rows, checked."""
    try:
        dtype = np.dtype(spec["dtype"])
        shape = tuple(int(n) for n in spec["shape"])
        offset, nbytes = int(spec["offset"]), int(spec["nbytes"])
    except (KeyError, TypeError, ValueError):
        raise corrupt(path, f"section {name!r}", "its description is malformed", _FIX) from None
    if not shape or dtype.kind not in "fiu" or int(np.prod(shape)) * dtype.itemsize != nbytes:
        raise corrupt(path, f"section {name!r}", "its size does not match its shape", _FIX)
    begin = start + offset
    if offset < 0 or begin + nbytes > size:
        raise corrupt(
            path,
            f"section {name!r}",
            f"it ends at byte {begin + nbytes} but the file has {size} bytes",
            _FIX,
        )
    wanted = (min(rows, shape[0]), *shape[1:])
    if nbytes == 0:
        return np.zeros(wanted, dtype=dtype)
    if mmap:
        array = np.memmap(path, dtype=dtype, mode="r", offset=begin, shape=shape)
    else:
        read = shape if verify else wanted
        array = np.fromfile(path, dtype=dtype, count=int(np.prod(read)), offset=begin)
        array = array.reshape(read)
    if verify and zlib.crc32(array) != spec.get("crc32"):
        raise corrupt(path, f"section {name!r}", "its checksum does not match", _FIX)
    return array[: wanted[0]]


def _words(path, size, start, sections, count: int, verify: bool) -> list[str]:
    ends = _section(path, size, start, "word_ends", sections["word_ends"], count, False, verify)
    blob_spec = sections["word_bytes"]
    blob = _section(path, size, start, "word_bytes", blob_spec, 1 << 62, False, verify).tobytes()
    if ends.ndim != 1 or len(ends) != count:
        raise corrupt(path, "section 'word_ends'", "it does not hold one end per word", _FIX)
    bounds = np.concatenate([[0], ends])
    if np.any(np.diff(bounds) < 0) or (count and bounds[-1] > len(blob)):
        raise corrupt(path, "section 'word_ends'", "the word offsets are out of order", _FIX)
    words = []
    for i in range(count):
        try:
            words.append(blob[bounds[i] : bounds[i + 1]].decode("utf-8"))
        except UnicodeDecodeError:
            raise corrupt(path, f"word {i + 1}", "the word is not valid UTF-8", _FIX) from None
    return words
