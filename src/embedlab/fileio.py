"""Atomic output: a file is either written whole or not touched at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb", encoding: str | None = None):
    """Open a temporary file beside ``path``; rename it over ``path`` only on success.

    A crash or exception leaves any existing ``path`` untouched and no temporary file behind.
    """
    path = check_output_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
