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

Version 2 holds subword vectors (``vectors/subwords.py``): the header's ``subwords`` gives
``minn``, ``maxn`` and ``buckets``, ``input`` holds the words' own rows and an ``ngrams``
section the buckets' rows (float32 ``buckets x dim``). ``ngrams`` is always memory-mapped and
its checksum is not checked on opening: 2 M buckets are 800 MB at 100 dims, and a query reads
only the rows its words use. Files without subwords stay version 1, which every embedlab reads.

Reading trusts nothing in the header: every field is checked for its type and range, each
section's dtype and shape against what its name must hold (``words`` and ``dim``), its size and
place against the file's size, all before anything is allocated; ``meta`` is checked field by
field (``vectors/meta.py``), since the checksums cover the arrays only.
"""

from __future__ import annotations

import json
import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from embedlab.errors import EmbedlabError, setting
from embedlab.fileio import open_input, read_error
from embedlab.vectors.base import COMBINE_MODES
from embedlab.vectors.formats._files import check_finite, corrupt, open_write
from embedlab.vectors.meta import meta_problem

MAGIC = b"EMBEDLAB-NATIVE\n"
VERSION = 1
#: The version of files holding subword vectors (an ``ngrams`` section and ``subwords``).
SUBWORD_VERSION = 2
_ALIGN = 64
_PREAMBLE = len(MAGIC) + 8
_FLOAT = np.dtype("<f4")
_INT = np.dtype("<i8")
_FIX = "re-create it with embedlab (the file is damaged or truncated)"
#: Each section's dtype, and its shape from the header's ``words`` and ``dim``.
_SECTIONS = {
    "word_bytes": ("|u1", None),
    "word_ends": (_INT.str, lambda words, dim: [words]),
    "input": (_FLOAT.str, lambda words, dim: [words, dim]),
    "context": (_FLOAT.str, lambda words, dim: [words, dim]),
    "counts": (_INT.str, lambda words, dim: [words]),
    "ngrams": (_FLOAT.str, None),  # buckets x dim: checked against the header's subwords
}
_REQUIRED = ("word_bytes", "word_ends", "input")


def is_native(path: Path) -> bool:
    """Whether ``path`` starts with the native magic bytes."""
    with open_input(path) as handle:
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
    if emb.composes:
        arrays["input"] = emb.word_rows.astype(_FLOAT, copy=False)
        arrays["ngrams"] = emb.ngram_vectors
    sections, offset = {}, 0
    for name, array in arrays.items():
        sections[name] = {
            "offset": offset,
            "nbytes": array.nbytes,
            "dtype": array.dtype.str,
            "shape": list(array.shape),
            "crc32": _crc32(array),
        }
        offset = _aligned(offset + array.nbytes)
    header = {
        "format": "embedlab-native",
        "version": SUBWORD_VERSION if emb.composes else VERSION,
        "words": len(emb),
        "dim": int(emb.dim),
        "combine": emb.combine,
        "meta": emb.meta,
        "sections": sections,
    }
    if emb.composes:
        header["subwords"] = {"minn": emb.minn, "maxn": emb.maxn, "buckets": emb.buckets}
    text = _header_json(header)
    with open_write(path) as handle:
        handle.write(MAGIC + struct.pack("<Q", len(text)) + text)
        position = _PREAMBLE + len(text)
        start = _aligned(position)
        for name, array in arrays.items():
            here = start + sections[name]["offset"]
            handle.write(bytes(here - position))
            _write_array(handle, array)
            position = here + array.nbytes


def read_native(path: Path, *, limit: int | None, mmap: bool):
    """(words, input, context or None, counts or None, combine, meta, subwords or None) from a
    native file; ``subwords`` is ``{"minn", "maxn", "buckets", "ngrams"}`` (the n-gram rows, a
    read-only memory map) for subword vectors.

    With ``mmap`` the matrices are read-only memory maps of the file. With ``limit`` only the
    first ``limit`` rows are read, so the checksums (over whole sections) are not checked.
    """
    with open_input(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        header, start = _read_header(path, handle, size)
    count = min(header["words"], limit) if limit is not None else header["words"]
    sections = header["sections"]
    words = _words(path, start, sections, count, verify=limit is None)
    arrays = {
        name: _section(path, start, name, sections[name], count, mmap, limit is None)
        for name in ("input", "context", "counts")
        if name in sections
    }
    for name in ("input", "context"):
        if name in arrays:
            check_finite(path, arrays[name], lambda row, n=name: f"{n} row {row + 1}")
    subwords = header.get("subwords")
    if subwords is not None:
        spec = sections["ngrams"]
        ngrams = _section(path, start, "ngrams", spec, spec["shape"][0], True, False)
        subwords = {**subwords, "ngrams": ngrams}
    return (
        words,
        arrays["input"],
        arrays.get("context"),
        arrays.get("counts"),
        header.get("combine", "input"),
        header.get("meta") or {},
        subwords,
    )


#: Rows written or checksummed at a time: a memory-mapped n-gram matrix is never copied whole.
_BLOCK_BYTES = 1 << 24


def _blocks(array: np.ndarray):
    """The array's bytes, a bounded block of rows at a time."""
    if array.ndim < 2 or array.nbytes <= _BLOCK_BYTES:
        yield _raw(array)
        return
    step = max(1, _BLOCK_BYTES // max(array[0].nbytes, 1))
    for begin in range(0, array.shape[0], step):
        yield _raw(np.ascontiguousarray(array[begin : begin + step]))


def _crc32(array: np.ndarray) -> int:
    crc = 0
    for block in _blocks(array):
        crc = zlib.crc32(block, crc)
    return crc


def _write_array(handle, array: np.ndarray) -> None:
    for block in _blocks(array):
        handle.write(block)


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


def _read_header(path: Path, handle, size: int) -> tuple[dict, int]:
    preamble = handle.read(_PREAMBLE)
    if len(preamble) < _PREAMBLE or not preamble.startswith(MAGIC):
        raise corrupt(
            path,
            "",
            "not an embedlab native file (wrong magic bytes)",
            f"pass the right {setting('format')} or re-create the file",
        )
    (length,) = struct.unpack("<Q", preamble[len(MAGIC) :])
    if _PREAMBLE + length > size:
        raise corrupt(path, "header", "the file ends inside the header", _FIX)
    raw = handle.read(length)
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise corrupt(path, "header", f"the header is not valid JSON ({err})", _FIX) from None
    start = _aligned(_PREAMBLE + length)
    _check_header(path, header)
    for name, spec in header["sections"].items():
        _check_section(path, name, spec, header, start, size)
    return header, start


def _check_header(path, header) -> None:
    if not isinstance(header, dict) or header.get("format") != "embedlab-native":
        raise corrupt(path, "header", "not an embedlab native header", _FIX)
    version = header.get("version")
    if type(version) is not int or version not in (VERSION, SUBWORD_VERSION):
        raise corrupt(
            path,
            "header",
            f"native format version {version!r}; this embedlab reads {VERSION} and "
            f"{SUBWORD_VERSION}",
            "upgrade embedlab or re-save the file with this version",
        )
    for key, least in (("words", 0), ("dim", 1)):
        if type(header.get(key)) is not int or header[key] < least:
            raise corrupt(path, "header", f"{key!r} is not a count", _FIX)
    sections, meta = header.get("sections"), header.get("meta", {})
    if not isinstance(sections, dict) or not isinstance(meta, dict):
        raise corrupt(path, "header", "the section table or meta is malformed", _FIX)
    problem = meta_problem(meta)
    if problem is not None:
        raise corrupt(path, "header", problem, "re-save the vectors with embedlab")
    missing = next((name for name in _REQUIRED if name not in sections), None)
    if missing is not None:
        raise corrupt(path, "header", f"the section {missing!r} is missing", _FIX)
    _check_subwords(path, header)
    combine = header.get("combine", "input")
    if not isinstance(combine, str) or combine not in COMBINE_MODES:
        raise corrupt(path, "header", f"combine={combine!r} is not one of {COMBINE_MODES}", _FIX)
    if combine != "input" and "context" not in sections:
        raise corrupt(path, "header", f"combine={combine!r} needs the context section", _FIX)


def _check_subwords(path, header: dict) -> None:
    """A version-2 header's ``subwords`` and ``ngrams`` section, and neither in version 1."""
    subwords, has_ngrams = header.get("subwords"), "ngrams" in header["sections"]
    if header["version"] == VERSION:
        if subwords is not None or has_ngrams:
            raise corrupt(path, "header", "subwords in a version 1 file", _FIX)
        return
    if not isinstance(subwords, dict) or set(subwords) != {"minn", "maxn", "buckets"}:
        raise corrupt(path, "header", "'subwords' is not {minn, maxn, buckets}", _FIX)
    values = [subwords[key] for key in ("minn", "maxn", "buckets")]
    if not all(type(n) is int and n >= 1 for n in values) or values[0] > values[1]:
        raise corrupt(path, "header", f"subwords {subwords} are not n-gram settings", _FIX)
    if not has_ngrams:
        raise corrupt(path, "header", "the section 'ngrams' is missing", _FIX)


def _check_section(path, name: str, spec, header: dict, start: int, size: int) -> None:
    """Refuse a section whose description disagrees with its name, the header or the file's
    ``size`` (sections begin at byte ``start``), before anything is read or allocated."""
    where = f"section {name!r}"
    if name not in _SECTIONS or not isinstance(spec, dict):
        raise corrupt(path, where, "an unknown or malformed section", _FIX)
    dtype, shape_of = _SECTIONS[name]
    shape = spec.get("shape")
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise corrupt(path, where, f"its shape {shape!r} is not a list of counts", _FIX)
    if spec.get("dtype") != dtype:
        raise corrupt(path, where, f"its dtype is {spec.get('dtype')!r}, not {dtype!r}", _FIX)
    if name == "ngrams":
        buckets = (header.get("subwords") or {}).get("buckets")
        expected = [buckets, header["dim"]]
    elif shape_of:
        expected = shape_of(header["words"], header["dim"])
    else:
        expected = shape[:1] or [0]
    if shape != expected:
        raise corrupt(path, where, f"its shape is {shape}, not {expected}", _FIX)
    offset, nbytes = spec.get("offset"), spec.get("nbytes")
    if any(type(n) is not int or n < 0 for n in (offset, nbytes, spec.get("crc32"))):
        raise corrupt(path, where, "its offset, size or checksum is not a count", _FIX)
    if math.prod(shape) * np.dtype(dtype).itemsize != nbytes:
        raise corrupt(path, where, "its size does not match its shape", _FIX)
    if start + offset + nbytes > size:
        raise corrupt(
            path,
            where,
            f"it ends at byte {start + offset + nbytes} but the file has {size} bytes",
            _FIX,
        )


def _section(path, start, name, spec, rows, mmap, verify) -> np.ndarray:
    """The array checked section ``name`` holds, its first ``rows`` rows (checksummed if
    ``verify``)."""
    dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
    begin, nbytes = start + spec["offset"], spec["nbytes"]
    wanted = (min(rows, shape[0]), *shape[1:])
    if nbytes == 0:
        return np.zeros(wanted, dtype=dtype)
    try:
        if mmap:
            array = np.memmap(path, dtype=dtype, mode="r", offset=begin, shape=shape)
        else:
            read = shape if verify else wanted
            array = np.fromfile(path, dtype=dtype, count=math.prod(read), offset=begin)
            array = array.reshape(read)
    except OSError as err:
        raise read_error(path, err) from None
    if array.shape != (shape if mmap or verify else wanted):  # the file shrank meanwhile
        raise corrupt(path, f"section {name!r}", "the file ends inside it", _FIX)
    if verify and zlib.crc32(array) != spec["crc32"]:
        raise corrupt(path, f"section {name!r}", "its checksum does not match", _FIX)
    return array[: wanted[0]]


def _words(path, start, sections, count: int, verify: bool) -> list[str]:
    ends = _section(path, start, "word_ends", sections["word_ends"], count, False, verify)
    blob = _section(path, start, "word_bytes", sections["word_bytes"], 1 << 62, False, verify)
    blob = blob.tobytes()
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
