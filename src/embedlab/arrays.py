"""NumPy ``.npz`` files from outside, checked before anything is allocated for them.

``numpy.load`` allocates what an array's header claims before it reads a byte of the data, and
a zip member decompresses to whatever it holds: a 300-byte file may claim a terabyte.
``check_npz`` reads only the headers and the zip directory, and refuses an archive whose arrays
do not fill exactly the bytes their members hold, hold Python objects, or need more memory than
the machine can give; after it, reading the arrays allocates no more than the file backs.
"""

from __future__ import annotations

import math
import os
import zipfile

import numpy as np

from embedlab.fileio import open_input
from embedlab.resources import check_memory

_HEADERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


class NpzProblem(Exception):
    """What is wrong with an archive; the caller names the file and the fix."""


def check_npz(path: str | os.PathLike, what: str) -> dict[str, int]:
    """``name -> bytes`` of every array in the ``.npz`` file ``path`` (``what`` names it in the
    memory refusal); NpzProblem for an archive that is damaged, lies about its sizes or holds
    objects; EmbedlabError when the arrays need more memory than this machine can give."""
    sizes = {}
    try:
        with open_input(path) as raw, zipfile.ZipFile(raw) as archive:
            for info in archive.infolist():
                if info.filename.endswith(".npy"):
                    sizes[info.filename[:-4]] = _member_bytes(archive, info)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError) as err:
        raise NpzProblem(f"not a readable .npz archive ({type(err).__name__})") from None
    check_memory(f"reading {what}", sizes, "the file is too large for this machine")
    return sizes


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    name = info.filename
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version not in _HEADERS:
            raise NpzProblem(f"array {name!r} has format version {version}")
        shape, _, dtype = _HEADERS[version](member)
        header = member.tell() if member.seekable() else None
    if dtype.hasobject:
        raise NpzProblem(f"array {name!r} holds Python objects, which are never loaded")
    nbytes = math.prod(shape) * dtype.itemsize
    if header is not None and nbytes != info.file_size - header:
        raise NpzProblem(
            f"array {name!r} claims {nbytes:,} bytes but holds {info.file_size - header:,}"
        )
    return nbytes
