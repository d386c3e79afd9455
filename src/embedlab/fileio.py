"""Output files: written whole or not at all, never in place of something that is not a file.

Where an output goes depends on what its path names:

- a regular file or nothing yet: a temporary file beside it, renamed over it on success, so a
  failed run leaves the old file whole;
- a symbolic link: the same, beside the file the link points to, so the link stays a link;
- ``-``, ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, a FIFO (named pipe) or a character
  device: the bytes are streamed to it directly (a stream cannot be replaced atomically, so a
  failure can leave part of the output in it);
- a directory, a block device or a socket: refused with one line.

Writability and free space are checked before long work (``check_output_path``) and again when
the file is written; a failed write (full disk, read-only folder, no permission) is one
EmbedlabError line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from embedlab.errors import EmbedlabError
from embedlab.resources import human_bytes

#: The output name that means standard output.
STDOUT = "-"
#: Names that stand for an already open stream of this process, whatever they resolve to.
_OPEN_STREAMS = re.compile(r"/dev/(stdout|stderr|fd/\d+)|/proc/(self|\d+)/fd/\d+")
#: Free space kept beyond an output's expected size: file system blocks and metadata.
_SPARE_BYTES = 1 << 20
_FREE_SPACE = "free some space or write it elsewhere"


class OutputError(EmbedlabError, OSError):
    """An output that cannot be written: one line like every EmbedlabError, and still an
    OSError (with the cause's ``errno`` and ``strerror``), so that a caller that falls back on
    a failed write (the corpus cache) keeps working."""

    def __init__(self, message: str, cause: OSError):
        super().__init__(message)
        self.errno, self.strerror = cause.errno, cause.strerror

    def __str__(self) -> str:  # OSError would print "[Errno N] strerror"
        return self.args[0]


@dataclass(frozen=True)
class Destination:
    """Where an output's bytes go: ``path`` (a symlink's target) and whether it is a stream."""

    path: Path
    stream: bool


def destination(path: str | os.PathLike) -> Destination:
    """Classify an output path (see the module docstring); EmbedlabError for one refused."""
    shown = str(path)
    if shown == STDOUT or _OPEN_STREAMS.fullmatch(shown):
        return Destination(Path(shown), stream=True)
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as err:
        raise EmbedlabError(f"output {shown!r}: cannot inspect it ({err.strerror})") from None
    if mode is None or stat.S_ISREG(mode):
        return Destination(target, stream=False)
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Destination(target, stream=True)
    if stat.S_ISDIR(mode):
        raise EmbedlabError(f"output {shown!r} is a directory: give a file path")
    raise EmbedlabError(
        f"output {shown!r} is a block device or socket, not a file: give a file path or - "
    )


def writes_stdout(path: str | os.PathLike) -> bool:
    """True when ``path`` names this process's standard output."""
    return str(path) in (STDOUT, "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def check_output_path(
    path: str | os.PathLike, expected_bytes: int | None = None, shrink: str = ""
) -> Path:
    """Fail now, before long work, on an output that cannot be written; return ``Path(path)``.

    For a file, its folder must exist and take a new file, and hold ``expected_bytes`` (when
    known) plus a little spare; ``shrink`` names the options that make the output smaller.
    """
    _check_destination(path, destination(path), expected_bytes, shrink)
    return Path(path)


def check_room(path: str | os.PathLike, expected_bytes: int | None, shrink: str = "") -> None:
    """``check_output_path`` but for trying the folder, for a caller about to write ``path``
    with ``atomic_write``, which tries it anyway."""
    _check_destination(path, destination(path), expected_bytes, shrink, try_folder=False)


def _check_destination(
    path,
    where: Destination,
    expected_bytes: int | None = None,
    shrink: str = "",
    try_folder: bool = True,
) -> None:
    if where.stream:
        return
    folder = where.path.parent
    if not folder.is_dir():
        raise EmbedlabError(f"output folder {str(folder)!r} does not exist: create it first")
    if try_folder:
        _probe(folder, "output folder", folder)
    if expected_bytes:
        _check_free_space(path, folder, expected_bytes, shrink)


def check_folder_writable(folder: str | os.PathLike, label: str = "folder") -> None:
    """EmbedlabError unless files can be created in ``folder``, or, while it does not exist, in
    the nearest existing folder above it (where it would be made)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise EmbedlabError(f"{label} {str(folder)!r} is a file: give a folder")
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    _probe(existing, label, folder)


def _probe(folder: Path, label: str, shown: Path) -> None:
    # Trying is the only test that holds for root, read-only mounts and network file systems.
    try:
        fd, probe = _create_beside(folder / "probe")
    except OSError as err:
        raise OutputError(
            f"{label} {str(shown)!r} is not writable ({err.strerror}): "
            f"choose a folder you can write to",
            err,
        ) from None
    os.close(fd)
    os.unlink(probe)


def _check_free_space(path, folder: Path, expected_bytes: int, shrink: str) -> None:
    free = shutil.disk_usage(folder).free
    if free < expected_bytes + _SPARE_BYTES:
        fix = f"free some space, write it elsewhere or {shrink}" if shrink else _FREE_SPACE
        raise OutputError(
            f"output {str(path)!r} needs about {human_bytes(expected_bytes)} but its folder has "
            f"{human_bytes(free)} free: {fix}",
            OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        )


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
    """A handle for the output ``path``, written whole or not at all (see the module docstring).

    For a file: a temporary file beside it (beside a symlink's target), renamed over it only on
    success; an exception leaves the old file whole and no temporary file behind. A stream is
    written directly. A failed write raises one EmbedlabError line.
    """
    where = destination(path)
    _check_destination(path, where)
    try:
        if where.stream:
            with _open_stream(where.path, mode, encoding) as handle:
                yield handle
        else:
            with _replacing(where.path, mode, encoding) as handle:
                yield handle
    except (BrokenPipeError, OutputError):
        raise  # the reader went away (the CLI ends quietly, as `head` expects); or said already
    except OSError as err:
        raise write_error(path, err, where.stream) from None


def write_error(path, err: OSError, stream: bool = False) -> OutputError:
    """The one line for an output that failed while being written."""
    fixes = {
        errno.ENOSPC: _FREE_SPACE,
        errno.EDQUOT: _FREE_SPACE,
        errno.EROFS: "the file system is read-only: write it elsewhere",
    }
    fix = fixes.get(err.errno, "check the folder's permissions, or write it elsewhere")
    reason = err.strerror or str(err) or type(err).__name__
    outcome = "what was written so far is partial" if stream else "nothing was replaced"
    return OutputError(f"cannot write {str(path)!r} ({reason}); {outcome}: {fix}", err)


@contextlib.contextmanager
def _replacing(path: Path, mode: str, encoding: str | None):
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


@contextlib.contextmanager
def _open_stream(path: Path, mode: str, encoding: str | None):
    if str(path) == STDOUT:
        sys.stdout.flush()
        stream = os.fdopen(os.dup(sys.stdout.fileno()), mode, encoding=encoding)
    else:
        stream = open(path, mode, encoding=encoding)  # noqa: SIM115 - closed below
    with stream:
        yield stream
