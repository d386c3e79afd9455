"""Atomic output: a file is either written whole or not touched at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from embedlab.errors import EmbedlabError


def check_output_path(path: str | os.PathLike) -> Path:
    """Reject an output path that cannot be a file, before any work is done."""
    path = Path(path)
    if path.is_dir():
        raise EmbedlabError(f"output {str(path)!r} is a directory: give a file path")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise EmbedlabError(f"output folder {str(parent)!r} does not exist: create it first")
    return path


def _create_beside(path: Path) -> tuple[int, Path]:
    # Created 0666 and left to the umask, like a plain open(); tempfile.mkstemp would make
    # every output 0600.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None):
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    A crash or exception leaves any existing ``path`` untouched and no temporary file behind.
    """
    path = check_output_path(path)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
