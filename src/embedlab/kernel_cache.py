"""Where embedlab's compiled Numba kernels are cached, under a key that cannot go stale.

Numba's own ``cache=True`` stamps a kernel's cache with its own source file only, so a kernel
that inlines a function from another module keeps running the old machine code after that module
changes. embedlab's kernels are cached instead in a per-user folder named after the package
version and a hash of every kernel source (see ``kernel_sources``); any edit or upgrade selects a
fresh folder. The locator that does this (``_kernel_locator``) needs Numba, which
``import embedlab`` must not load, so ``install()`` only arranges for it to be registered the
moment Numba is imported, before any kernel module is decorated.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

ENV_VAR = "EMBEDLAB_KERNEL_CACHE"
PACKAGE_ROOT = Path(__file__).resolve().parent
_PACKAGE = PACKAGE_ROOT.name


def kernel_sources(root: Path = PACKAGE_ROOT) -> list[Path]:
    """The modules a compiled kernel can depend on: every module that mentions Numba (it may
    define a kernel or an overload) and, transitively, every package module those import.

    Numba freezes a kernel's globals (functions it inlines, constants) into the machine code, and
    a module's globals can only come from what it imports, so this set covers all of them while
    leaving out the CLI, pictures and the rest, whose edits need no recompilation.
    """
    todo = [path for path in sorted(root.rglob("*.py")) if b"numba" in path.read_bytes()]
    found: set[Path] = set()
    while todo:
        path = todo.pop()
        if path not in found:
            found.add(path)
            todo.extend(_imported_modules(path, root))
    return sorted(found)


def _imported_modules(path: Path, root: Path) -> list[Path]:
    import ast  # here, not at the top: ``import embedlab`` stays cheap

    package = path.relative_to(root).parent.parts  # for an __init__, its own package
    names: list[tuple[str, ...]] = []
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(_in_package(alias.name.split(".")) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = (*base, *(node.module.split(".") if node.module else ()))
            else:
                module = _in_package((node.module or "").split("."))
            if module is not None:
                names.append(module)
                names.extend((*module, alias.name) for alias in node.names)
    return [file for name in names if name is not None for file in _module_file(root, name)]


def _in_package(parts: list[str]) -> tuple[str, ...] | None:
    return tuple(parts[1:]) if parts[0] == _PACKAGE else None


def _module_file(root: Path, parts: tuple[str, ...]) -> list[Path]:
    if not parts:
        return [root / "__init__.py"]
    candidates = (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py"))
    return [path for path in candidates if path.is_file()]


def source_key(root: Path = PACKAGE_ROOT) -> str:
    """``VERSION-HASH``: the package version and a hash of the kernel sources as they are now."""
    files = _watched_files(root)
    return _source_key(root, files, tuple(_stat(path) for path in files))


@functools.lru_cache(maxsize=8)
def _watched_files(root: Path) -> tuple[Path, ...]:
    # Found once per process (a walk and a parse, tens of ms); their stamps are checked each time.
    return tuple(kernel_sources(root))


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=8)
def _source_key(root: Path, files: tuple[Path, ...], stamps: tuple) -> str:
    # ``stamps`` only keys the memo: a file edited while the process runs is hashed afresh.
    import hashlib

    from embedlab import __version__

    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return f"{__version__}-{digest.hexdigest()[:16]}"


def user_cache_root() -> Path:
    """``$EMBEDLAB_KERNEL_CACHE`` if set, else ``$XDG_CACHE_HOME/embedlab/kernels`` (by default
    ``~/.cache/embedlab/kernels``)."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "embedlab" / "kernels"


UNUSED_DAYS = 30
_KEY_PATTERN = r".+-[0-9a-f]{16}"


@functools.lru_cache(maxsize=8)
def cache_folder(key: str) -> Path:
    """The folder for kernels compiled under ``key``: in the user cache root when it is writable,
    else a temporary folder removed at exit (caching for this process only, never crashing).

    Creating a key's folder removes the other keys' folders unused for ``UNUSED_DAYS`` (older
    versions, edited sources), so the cache does not grow without bound.
    """
    root = user_cache_root()
    folder = root / key
    try:
        fresh = not folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
        _check_writable(folder)
        os.utime(folder)  # the folder's age is the time since it was last used
        if fresh:
            _remove_unused(root, keep=folder)
        return folder
    except OSError:
        return _temporary_folder()


def _remove_unused(root: Path, keep: Path) -> None:
    import re
    import shutil
    import time

    cutoff = time.time() - UNUSED_DAYS * 86400
    for folder in root.iterdir():
        if folder != keep and re.fullmatch(_KEY_PATTERN, folder.name) and folder.is_dir():
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _check_writable(folder: Path) -> None:
    import tempfile

    tempfile.TemporaryFile(dir=folder).close()


def _temporary_folder() -> Path:
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="embedlab-kernels-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def package_relative(py_file: str, root: Path = PACKAGE_ROOT) -> Path | None:
    """``py_file`` relative to the package, or None for a file outside it."""
    try:
        return Path(py_file).resolve().relative_to(root)
    except (ValueError, OSError):
        return None


def install() -> None:
    """Register the kernel locator now if Numba is loaded, else as soon as it is imported."""
    if "numba" in sys.modules:
        _on_numba_loaded()
    elif not any(isinstance(finder, _NumbaWatcher) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NumbaWatcher())


class _NumbaWatcher:
    """A meta-path finder that finds nothing itself: on the import of ``numba`` it lets the other
    finders find it and hooks the registration onto the end of Numba's own initialisation."""

    def find_spec(self, name, path=None, target=None):
        if name != "numba":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None:
                _after_exec(spec.loader)
                return spec
        return None


def _after_exec(loader) -> None:
    execute = loader.exec_module

    def exec_module(module):
        execute(module)
        _on_numba_loaded()

    loader.exec_module = exec_module


def _on_numba_loaded() -> None:
    try:
        from embedlab import _kernel_locator

        _kernel_locator.register()
    except (ImportError, AttributeError, TypeError):
        # This Numba lacks the private cache API: compile every time rather than risk staleness.
        _disable_package_caching(sys.modules["numba"])


def _disable_package_caching(numba) -> None:
    numba.njit = _without_cache(numba.njit)
    numba.jit = _without_cache(numba.jit)


def _without_cache(decorator):
    @functools.wraps(decorator)
    def wrapper(*args, **kwargs):
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller == _PACKAGE or caller.startswith(_PACKAGE + "."):
            kwargs["cache"] = False
        return decorator(*args, **kwargs)

    return wrapper
