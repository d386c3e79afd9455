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

No output may replace an input of the same command. The inputs are declared for the command's
span (``reading``; the CLI declares every command's, ``open_input`` adds each file it opens),
and every output helper (``check_output_path``, ``check_room``, ``atomic_write``,
``check_output_folder``) refuses a path that is, or resolves to (a symbolic link, a hard link,
``..``), one of them, or lies inside an input folder a corpus is read from whole.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Iterable
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


@dataclass(frozen=True)
class _Input:
    """One input of the running command, identified as the file system sees it."""

    label: str  # how messages name it: "CORPUS", "--resume", "input"
    shown: str  # the path as given
    real: str  # every link and ".." resolved
    ident: tuple[int, int]  # (device, inode): what a hard link shares
    folder: bool


#: The inputs of the command running in this context (None: no command declared any).
_INPUTS: contextvars.ContextVar[tuple[_Input, ...] | None] = contextvars.ContextVar(
    "embedlab_inputs", default=None
)


@contextlib.contextmanager
def reading(inputs: Iterable[tuple[str, str | os.PathLike]] = ()):
    """The span of one command that reads ``inputs`` (``(label, path)`` pairs; ``-`` and paths
    that do not exist are skipped): within it, no output helper writes over any of them, nor
    over a file ``open_input`` opened."""
    declared = [] if _INPUTS.get() is None else list(_INPUTS.get())
    declared += [found for label, path in inputs if (found := _identify(label, path))]
    token = _INPUTS.set(tuple(declared))
    try:
        yield
    finally:
        _INPUTS.reset(token)


def note_input(path: str | os.PathLike, label: str = "input") -> None:
    """Count ``path`` among the running command's inputs (nothing outside ``reading``)."""
    known = _INPUTS.get()
    if known is not None and (found := _identify(label, path)):
        _INPUTS.set((*known, found))


def _identify(label: str, path) -> _Input | None:
    if str(path) == STDOUT or _OPEN_STREAMS.fullmatch(str(path)):
        return None
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None  # nothing there (yet): nothing to overwrite
    if stat.S_ISCHR(info.st_mode):
        return None  # a terminal or /dev/null is no file to lose, and stdin may be stdout's
    real = os.path.realpath(path)
    return _Input(label, str(path), real, (info.st_dev, info.st_ino), stat.S_ISDIR(info.st_mode))


def check_not_input(path: str | os.PathLike, label: str = "output", inputs=()) -> None:
    """EmbedlabError when the output ``path`` is, or resolves to, an input: one of ``inputs``
    (``(label, path)`` pairs) or of the running command (``reading``), or a file inside an
    input folder."""
    declared = (*(_INPUTS.get() or ()), *filter(None, (_identify(*pair) for pair in inputs)))
    if not declared:
        return
    output = _identify(label, path)
    if output is None:
        return
    for source in declared:
        if source.ident == output.ident:
            raise EmbedlabError(
                f"{_named(output, 'output')} is {_named(source)}{_how(output, source)}: writing "
                "it would destroy what this command reads: give another path"
            )
        if source.folder and not output.folder and _inside(output.real, source.real):
            raise EmbedlabError(
                f"{_named(output, 'output')} lies inside {_named(source)}, which is read whole: "
                "write it elsewhere"
            )


def check_output_folder(folder: str | os.PathLike, label: str) -> None:
    """EmbedlabError when ``folder``, where a command writes files, is or lies inside one of
    its input folders (what it writes there would be read as input the next time)."""
    real = os.path.realpath(folder)
    for source in _INPUTS.get() or ():
        if source.folder and (real == source.real or _inside(real, source.real)):
            raise EmbedlabError(
                f"{label} {str(folder)!r} is inside {_named(source)}, which is read whole: "
                "choose a folder outside it"
            )


def _named(item: _Input, role: str = "input") -> str:
    noun = f"{role} folder" if item.folder else role
    generic = item.label in ("input", "output")
    return f"the {noun} {item.shown!r}" + ("" if generic else f" ({item.label})")


def _how(output: _Input, source: _Input) -> str:
    if output.real != source.real:
        return " through a hard link"
    if output.shown != source.shown:
        return " by another path"
    return ""


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` lies below ``folder`` with no hidden part between (what a corpus folder's
    reading takes in; hidden files and folders are skipped)."""
    relative = os.path.relpath(path, folder)
    parts = Path(relative).parts
    return bool(parts) and parts[0] != os.pardir and not any(p.startswith(".") for p in parts)


def open_input(path: str | os.PathLike, label: str = "input"):
    """A binary handle on the input file ``path``, counted among the running command's inputs
    (see ``reading``); a file that cannot be opened is one EmbedlabError line naming it."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as err:
        raise read_error(path, err) from None
    note_input(path, label)
    return handle


def read_error(path: str | os.PathLike, err: OSError) -> EmbedlabError:
    """The one line for an input that cannot be read (not an OSError: no caller's fallback for
    a failed write may swallow it)."""
    fixes = {
        errno.EACCES: "check its permissions (chmod u+r) or run as its owner",
        errno.EPERM: "check its permissions (chmod u+r) or run as its owner",
        errno.ENOENT: "check the path",
        errno.EISDIR: "give a file, not a folder",
        errno.EIO: "the disk or network file system failed: check it, or copy the file elsewhere",
    }
    fix = fixes.get(err.errno, "check that the file is there and readable")
    reason = err.strerror or str(err) or type(err).__name__
    return EmbedlabError(f"cannot read {str(path)!r} ({reason}): {fix}")


def check_output_path(
    path: str | os.PathLike, expected_bytes: int | None = None, shrink: str = "", inputs=()
) -> Path:
    """Fail now, before long work, on an output that cannot be written; return ``Path(path)``.

    For a file, its folder must exist and take a new file, and hold ``expected_bytes`` (when
    known) plus a little spare; ``shrink`` names the options that make the output smaller. It
    may not be one of ``inputs`` (``(label, path)`` pairs) or the running command's inputs.
    """
    check_not_input(path, inputs=inputs)
    _check_destination(path, destination(path), expected_bytes, shrink)
    return Path(path)


def check_room(path: str | os.PathLike, expected_bytes: int | None, shrink: str = "") -> None:
    """``check_output_path`` but for trying the folder, for a caller about to write ``path``
    with ``atomic_write``, which tries it anyway."""
    check_not_input(path)
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
    check_output_folder(folder, label)
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
            f"output {str(path)!r} needs about {human_bytes(expected_bytes)} plus a "
            f"{human_bytes(_SPARE_BYTES)} margin (file system blocks and metadata) but its "
            f"folder has {human_bytes(free)} free: {fix}",
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
    written directly. A failed write raises one EmbedlabError line, and so does a path that is
    one of the running command's inputs (``reading``).
    """
    where = destination(path)
    check_not_input(path)
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
